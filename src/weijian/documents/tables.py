"""Tables and charts of a section: the indicator table (value, target, last year, 同比,
status) and the charts (this year's months against last year's; sub-units side by side).

Tables print each indicator's unit once, in its label ("病床使用率（%）"), and bare numbers in
the cells, so a cell never breaks between a number and its unit. A chart carries no data table
under it: the prose beside it states the figures that matter."""

from __future__ import annotations

from weijian.orgs.models import OrgUnit

from . import narrative as n
from .context import Context
from .judgements import target_quantity
from .model import Chart, Table
from .narrative import Figure, Quantity, Text


def unit_label(unit: OrgUnit) -> str:
    return unit.short_name or unit.name if hasattr(unit, "short_name") else unit.name


def indicator_table(ctx: Context, codes: list[str], title: str) -> Table:
    facts = ctx.facts
    # The value column is headed by the months its figures cover: "12月份", not 全年, when
    # every row covers only December; a row covering fewer months than the others says so.
    scopes = {facts.scope_words(dx) for dx in codes}
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
        rows.append(
            [
                (label,),
                cell_text(cur),
                cell_text(goal) if goal is not None else ("—",),
                cell_text(prev),
                change_cell(cur, prev),
                (status,),
            ]
        )
    span = scopes.pop() if len(scopes) == 1 else ctx.words["span"]
    # a whole year is set beside the year before (上年, 比上年), as the prose says it; a part
    # of a year or a half-year beside the same months of last year
    whole_year = facts.period.type.name == "YEARLY" and span == "全年"
    before, change = ("上年", "比上年") if whole_year else ("上年同期", "同比")
    if any(facts.target(dx) is not None for dx in codes):
        header = ["指标", span, "目标值", before, change, "完成情况"]
        widths = [
            37,
            20,
            17,
            22,
            36,
            24,
        ]  # 上年同期, +2.4个百分点 and 进度滞后 fit one line at 小四
    else:  # no targets set: no empty columns
        rows = [[row[0], row[1], row[3], row[4]] for row in rows]
        header, widths = ["指标", span, before, change], [66, 28, 28, 34]
    return Table(title=f"{span}{title}", header=header, rows=rows, widths=widths)


def change_cell(cur: Quantity, prev: Quantity) -> Text:
    """The 同比 column, short and by the prose's own rules: "+2.7个百分点", "+4.2%", "持平";
    a change in the indicator's own unit bare ("−0.13"), the row's label carrying the unit."""
    found = n.short_change(cur, prev)
    if not found:
        return ("—",)
    figure = found[0]
    if (
        isinstance(figure, Figure)
        and cur.unit
        and figure.text.endswith(cur.unit)
        and cur.unit != "%"
    ):
        return (Figure(figure.text[: -len(cur.unit)], figure.value, figure.source),)
    return found


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
