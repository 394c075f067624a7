"""Tables and charts of a section: the indicator table (value, target, last year, 同比,
status) and the charts (this year's months against last year's; sub-units side by side).

Tables print each indicator's unit once, in its label ("病床使用率（%）"), and bare numbers in
the cells, so a cell never breaks between a number and its unit. A chart carries no data table
under it: the prose beside it states the figures that matter."""

from __future__ import annotations

import datetime as dt

from weijian.orgs.models import OrgUnit
from weijian.periods import Period

from . import narrative as n
from .context import Context
from .judgements import target_quantity
from .model import Chart, Table
from .narrative import AVERAGE_UNITS, Figure, Quantity, Text
from .timeframe import span


def unit_label(unit: OrgUnit) -> str:
    return unit.short_name or unit.name if hasattr(unit, "short_name") else unit.name


def indicator_table(ctx: Context, codes: list[str], title: str) -> Table:
    facts = ctx.facts
    # The value columns are headed by the months they cover, dated ("2026年1—6月" beside
    # "2025年1—6月", "2025年" beside "2024年"), never 上半年/上年同期 or 全年/上年: a table is
    # read on its own. A row covering fewer months than the others says so in its label.
    scopes = {facts.scope(dx).id: facts.scope(dx) for dx in codes}
    rows = []
    for dx in codes:
        cur, prev = facts.current(dx), facts.before(dx)
        goal = target_quantity(ctx, dx)
        found = facts.progress(dx)
        status = str(found.status) if found is not None else "—"
        unit = facts.unit_of(dx)
        label = f"{facts.name(dx)}（{unit}）" if unit else facts.name(dx)
        if len(scopes) > 1 and not facts.full(dx):
            label = f"{label}（{facts.scope_words(dx)}）"  # this row covers fewer months
        values = [cell_text(cur), cell_text(goal) if goal is not None else ("—",), cell_text(prev)]
        label, values = in_wan(label, values)
        rows.append([(label,), *values, change_cell(cur, prev), (status,)])
    scope = next(iter(scopes.values())) if len(scopes) == 1 else facts.period
    now, before = dated(scope, 0), dated(scope, 1)
    whole_year = now.endswith("年")  # a whole year is set beside the year before (比上年)
    header = ["指标", now, "目标", before, "比上年" if whole_year else "同比", "完成情况"]
    # 目标 and 完成情况 stand when at least half the rows have a target: a column of "—" with a
    # target or two in it reads as targets nobody set (read 2026-12-07 23:30), and the prose
    # tells the few targets there are. A table of no targets says 主要指标情况, not 完成情况.
    # Any other column of "—" in most rows (no last year for a unit's first year) says nothing.
    with_targets = sum(1 for row in rows if n.plain(row[2]) != "—") * 2 >= len(rows)
    keep = [0, 1] + ([2] if with_targets else []) + [
        col for col in (3, 4)
        if sum(1 for row in rows if n.plain(row[col]) == "—") * 2 <= len(rows)
    ] + ([5] if with_targets and any(n.plain(row[5]) != "—" for row in rows) else [])  # fmt: skip
    if not with_targets:
        title = title.replace("完成情况", "情况")
    rows = [[row[col] for col in keep] for row in rows]
    # "2026年1—6月", −0.16个百分点 and 进度滞后 fit one line at 小四 (156 mm in all)
    natural = [33, 24, 17, 24, 36, 22]
    scale = 156 / sum(natural[col] for col in keep)
    widths = [round(natural[col] * scale) for col in keep]
    header = [header[col] for col in keep]
    # titled by its dates like its columns ("2026年1—6月", not 上半年: a table is read alone)
    lead = now if len(scopes) == 1 else dated(facts.period)
    return Table(title=f"{lead}{title}", header=header, rows=rows, widths=widths)


def dated(period: Period, years_before: int = 0) -> str:
    """The period as a table heads it: "2025年", "2026年1—6月", "2026年12月", shifted back by
    `years_before` years; a period of days as the prose says it."""
    start, end = period.start, period.end
    whole_months = start.day == 1 and (end + dt.timedelta(days=1)).day == 1
    if not whole_months or start.year != end.year:
        return "上年同期" if years_before else span(period)
    year = start.year - years_before
    if start.month == 1 and end.month == 12:
        return f"{year}年"
    if start.month == end.month:
        return f"{year}年{start.month}月"
    return f"{year}年{start.month}—{end.month}月"


def change_cell(cur: Quantity, prev: Quantity) -> Text:
    """The 同比 column, short and by the prose's own rules, one unit rule per row: "+2.7个百分点"
    for % rates, "+0.014‰" for ‰ rates, "+4.2%" for volumes and money, "持平"; an average's
    change with its unit where the unit is short ("−0.14天", "+8.5元": readers of 2026-12-08
    asked "−0.14 what?"), bare where it would not fit the column ("−2.24", the row's label
    carrying DDDs/百人天)."""
    found = n.short_change(cur, prev)
    if not found:
        return ("—",)
    figure = found[0]
    long_unit = len(cur.unit or "") > 2
    if (
        isinstance(figure, Figure)
        and cur.unit in AVERAGE_UNITS
        and long_unit
        and figure.text.endswith(cur.unit)
    ):
        return (Figure(figure.text[: -len(cur.unit)], figure.value, figure.source),)
    return found


def in_wan(label: str, cells: list[Text]) -> tuple[str, list[Text]]:
    """A row whose figures all print in 万 says so once, in its label ("门急诊人次（万人次）" over
    "48.15"), not "（人次）" over "48.15万" (read 2026-12-07: "the unit says 人次 but the cells
    say 万"). Rows with any figure below 万, or no unit bracket, are left as they are."""
    figures = [cell[0] for cell in cells if cell and isinstance(cell[0], Figure)]
    if not figures or "（" not in label or not all(f.text.endswith("万") for f in figures):
        return label, cells
    bare = [
        (Figure(cell[0].text[:-1], cell[0].value, cell[0].source), *cell[1:])
        if cell and isinstance(cell[0], Figure)
        else cell
        for cell in cells
    ]
    return label.replace("（", "（万", 1), bare


def cell_text(q: Quantity) -> Text:
    """The bare number ("89.86", "22.78万"): the row's label carries the unit."""
    if not n.has_value(q):
        return ("—",)
    figure = n.fmt(q)
    text = figure.text
    if q.unit and text.endswith(q.unit):
        text = text[: -len(q.unit)]
    return (Figure(text, figure.value, figure.source),)


# charts: this year's months against last year's, and sub-units side by side


def month_chart(ctx: Context, chart: dict) -> list:
    facts = ctx.facts
    dx = chart["dx"]
    months = facts.data_months()
    if len(months) < 3 or not facts.coverage(dx).full:
        return []
    this = [facts.quantity(dx, m) for m in months]
    before = [facts.quantity(dx, m.same_period_last_year()) for m in months]
    year, last = str(months[0].start.year), str(months[0].start.year - 1)
    series = [
        (f"{year}年", [n.fmt(q) if n.has_value(q) else None for q in this]),
        (f"{last}年", [n.fmt(q) if n.has_value(q) else None for q in before]),
    ]
    title = chart.get("title") or f"{facts.name(dx)}逐月对比"
    unit = facts.unit_of(dx)
    categories = [f"{m.start.month}月" for m in months]
    figure = Chart(
        title=title, categories=categories, series=series, unit=unit, kind="bar",
        caption=(f"图：{title}（单位：{unit}）" if unit else f"图：{title}",),
    )  # fmt: skip
    return [figure]


def unit_chart(ctx: Context, dx: str) -> list:
    facts = ctx.facts
    values = facts.child_values(dx)
    if len(values) < 3:
        return []
    names = [unit_label(u) for u, _ in values]
    figs = [n.fmt(facts.quantity(dx, unit=u)) for u, _ in values]
    title = f"{ctx.words['span']}各单位{facts.name(dx)}"
    unit = facts.unit_of(dx)
    chart = Chart(
        title=title, categories=names, series=[(ctx.words["span"], figs)], unit=unit,
        kind="bar", caption=(f"图：{title}（单位：{unit}）" if unit else f"图：{title}",),
    )  # fmt: skip
    return [chart]
