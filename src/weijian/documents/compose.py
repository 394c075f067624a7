"""The composer: a summary template + a unit + a period → a `Document` whose every number is
a narrative `Figure` with provenance.

    document = compose(unit, timeframe.parse("2026S1"), spec)     # spec: specs.builtin_specs()[…]
    document = compose_plan(unit, 2027, spec)                      # 下一年度工作计划
    provenance(document)   # [{"text", "value", "dx", "pe", "ou"} | {"text", "value", "source", "query"}]

All figures come from two `analyse` calls (the unit over its periods; its sub-units for best
and worst) plus targets and reporting completeness (facts.py). Sections whose codes are not in
the database (inspections and ledgers not installed yet) are left out silently.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from weijian import periods
from weijian.orgs.models import OrgUnit, OrgUnitType

from . import narrative as n
from . import specs, timeframe
from .facts import Facts, gather
from .ledger_facts import campaign_steps, theme_sentence
from .model import Chart, Document, Paragraph, Section, Table, provenance, provenance_json
from .narrative import Figure, Quantity, Text
from .reporting_facts import ReportingFacts, reporting_facts

__all__ = ["Document", "compose", "compose_plan", "provenance", "provenance_json"]


def _cat(spans) -> Text:
    """Spans as one Text, adjacent strings joined: narrative's own canonical form."""
    return n.merge(spans)


SATISFACTION_FLOOR = Decimal(90)
SATISFACTION_CODES = ("SVY_INPAT_RATE", "SVY_OUTPAT_RATE", "SVY_STAFF_RATE")
OVERDUE_CODE = "INSP_RECT_OVERDUE"
# A year-on-year change for the worse is a problem when it is at least this relative change
# (%): counts and amounts by 2 %, rates by 10 % of their value (a 0.4 % infection rate rising
# to 0.98 % is a problem; 85.6 % falling to 85.1 % is not).
DECLINE_THRESHOLD = Decimal(2)
RATE_DECLINE_THRESHOLD = Decimal(10)
MAX_PROBLEMS = 8


@dataclass
class Problem:
    kind: str  # unmet_target, declining, overdue_rectification, low_satisfaction, late_reporting
    dx: str
    name: str
    text: Text


@dataclass
class Context:
    facts: Facts
    spec: dict
    words: dict[str, str]
    reporting: ReportingFacts | None
    plan_year: int | None = None
    seen: set[str] = field(default_factory=set)  # dx codes already judged for problems
    template_codes: set[str] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)

    def words_in(self, text: str) -> str:
        return specs.fill(text, self.words)


# -- entry points ------------------------------------------------------------------------


def compose(
    unit: OrgUnit, period: periods.Period, spec: dict, today: dt.date | None = None
) -> Document:
    today = today or timezone.localdate()
    return _compose(unit, period, spec, today, plan_year=None)


def compose_plan(unit: OrgUnit, year: int, spec: dict, today: dt.date | None = None) -> Document:
    """The plan for `year`, drawing on the year before (as far as its data goes)."""
    today = today or timezone.localdate()
    basis = periods.Period.parse(str(year - 1))
    return _compose(unit, basis, spec, today, plan_year=year)


def _compose(unit, period, spec, today, plan_year) -> Document:
    period = timeframe.clip(period, today)
    codes = specs.codes_in(spec)
    compare_codes = _compare_codes(spec)
    target_years = (plan_year,) if plan_year else (period.end.year + 1,)
    facts = gather(
        unit, period, codes, today, compare_codes=compare_codes, target_years=target_years
    )
    facts.unit_overrides = _unit_overrides(spec)
    words = _words(unit, period, spec, plan_year)
    wants_reporting = (
        _has_kind(spec, "reporting") or _has_kind(spec, "problems") or _has_zero_claims(spec)
    )
    reporting = reporting_facts(unit, facts) if wants_reporting else None
    ctx = Context(facts, spec, words, reporting, plan_year, template_codes=set(codes))
    document = Document(
        title=ctx.words_in(spec["title"]),
        unit_code=unit.code,
        unit_name=unit.name,
        period_id=period.id if plan_year is None else str(plan_year),
        period_label=words["period"] if plan_year is None else f"{plan_year}年",
        template_code=spec["code"],
        template_name=spec["name"],
    )
    document.opening = [p for block in spec.get("opening") or [] for p in _block(ctx, block)]
    for dx in spec.get("judge") or []:  # figures a plan weighs without printing them
        if dx in facts.known:
            _judge(ctx, dx, facts.name(dx), facts.quantity(dx), facts.quantity(dx, facts.last_year), facts.direction(dx))  # fmt: skip
    # Problems and next steps are derived from what the other sections judged: build last.
    raw_sections = spec["sections"]
    built: dict[int, Section | None] = {}
    for index, raw in enumerate(raw_sections):
        if not _is_derived(raw):
            built[index] = _section(ctx, raw, 1)
    # Every target the unit holds for the year is weighed, printed in a section or not (a
    # topical summary, `targets: template`, weighs only the indicators it names).
    for dx, year in sorted(facts.targets):
        if year == str(period.end.year) and dx in facts.known and _target_in_scope(ctx, dx):
            _judge(ctx, dx, facts.name(dx), facts.quantity(dx), facts.quantity(dx, facts.last_year), facts.direction(dx))  # fmt: skip
    for index, raw in enumerate(raw_sections):
        if _is_derived(raw):
            built[index] = _section(ctx, raw, 1)
    document.sections = [built[i] for i in range(len(raw_sections)) if built[i] is not None]
    document.closing = [p for block in spec.get("closing") or [] for p in _block(ctx, block)]
    document.signature = [unit.name, _chinese_date(today)]
    return document


def _target_in_scope(ctx: Context, dx: str) -> bool:
    return ctx.spec.get("targets", "all") != "template" or dx in ctx.template_codes


def _is_derived(section: dict) -> bool:
    return section.get("kind") in ("problems", "next_steps")


def _has_kind(spec: dict, kind: str) -> bool:
    def visit(sections):
        return any(s.get("kind") == kind or visit(s.get("sections") or []) for s in sections)

    return visit(spec.get("sections") or [])


def _has_zero_claims(spec: dict) -> bool:
    def visit(sections):
        return any(s.get("zero_events") or visit(s.get("sections") or []) for s in sections)

    return visit(spec.get("sections") or [])


def _compare_codes(spec: dict) -> list[str]:
    found: list[str] = []

    def visit(sections):
        for s in sections:
            fair = s.get("compare_units")
            if s.get("kind") == "indicators" and fair:
                codes = [_item_code(i) for i in s.get("items") or []]
                found.extend(codes if fair is True else [c for c in codes if c in fair])
            if s.get("unit_chart"):
                found.append(s["unit_chart"])
            visit(s.get("sections") or [])

    visit(spec.get("sections") or [])
    return list(dict.fromkeys(found))


def _unit_overrides(spec: dict) -> dict[str, str]:
    found = {}

    def visit(sections):
        for s in sections:
            for item in s.get("items") or []:
                if isinstance(item, dict) and "unit" in item:
                    found[item["dx"]] = item["unit"]
            visit(s.get("sections") or [])

    visit(spec.get("sections") or [])
    return found


def _item_code(item) -> str:
    return item["dx"] if isinstance(item, dict) else item


def _words(unit: OrgUnit, period: periods.Period, spec: dict, plan_year: int | None) -> dict:
    return {
        "unit": unit.name,
        "period": timeframe.label(period),
        "span": timeframe.span(period),
        "year": str(period.end.year),
        "next_year": str(period.end.year + 1),
        "plan_year": str(plan_year or period.end.year + 1),
        "we": spec.get("we") or _we(unit),
        "whole": {OrgUnitType.BUREAU: "全区"}.get(unit.type, "全院" if unit.numchild else "全科"),
        "parts": {OrgUnitType.BUREAU: "部分单位"}.get(
            unit.type, "部分科室" if unit.numchild else ""
        ),
    }


def _we(unit: OrgUnit) -> str:
    return {
        OrgUnitType.BUREAU: "我局",
        OrgUnitType.DEPARTMENT: "我科",
        OrgUnitType.WARD: "我科",
        OrgUnitType.TOWNSHIP: "我院",
        OrgUnitType.HOSPITAL: "我院",
    }.get(unit.type, "我单位")


def _chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# -- blocks of fixed text ----------------------------------------------------------------


def _block(ctx: Context, block: dict) -> list[Paragraph]:
    if "review" in block:
        return [Paragraph((ctx.words_in(block["review"]),), review=True)]
    if "text" in block:
        return [Paragraph((ctx.words_in(block["text"]),))]
    if "headline" in block:
        text = _figures_sentence(ctx, block["headline"], judge=False, compare=True)
        return [Paragraph(text)] if text else []
    return []


# -- sections ----------------------------------------------------------------------------


def _section(ctx: Context, spec: dict, level: int) -> Section | None:
    title = ctx.words_in(spec["title"])
    kind = spec.get("kind")
    section = Section(title)
    builder = BUILDERS.get(kind)
    if builder is not None:
        blocks = builder(ctx, spec)
        if not blocks:
            return None
        section.blocks.extend([*_fixed(ctx, spec.get("before")), *blocks])
        section.blocks.extend(_fixed(ctx, spec.get("after")))
    for child in spec.get("sections") or []:
        built = (
            _section(ctx, child, level + 1) if not _is_derived(child) else None
        )  # derived kinds belong at the top level
        if built is not None:
            section.blocks.append(built)
    if not section.blocks:
        return None
    return section


def _fixed(ctx: Context, blocks) -> list[Paragraph]:
    return [p for block in blocks or [] for p in _block(ctx, block)]


# figures: "{lead}门诊12.35万人次，同比增长5.2%，增加6100人次；急诊…。" + chart


def _figures(ctx: Context, spec: dict) -> list:
    text = _figures_sentence(ctx, spec, judge=True, compare=spec.get("compare", True))
    if not text:
        return []
    for activity_type, words in (spec.get("themes") or {}).items():
        # "培训内容涵盖护理核心制度、病历书写规范等。": what the ledger's records were about
        said = theme_sentence(ctx.facts.unit, ctx.facts.period, activity_type, words)
        if said:
            text = _cat([*text, said])
    blocks: list = [Paragraph(text)]
    chart = spec.get("chart")
    if chart and chart["dx"] in ctx.facts.known:
        blocks.extend(_month_chart(ctx, chart))
    return blocks


def _figures_sentence(ctx: Context, spec: dict, *, judge: bool, compare: bool) -> Text:
    """The figures of `spec["items"]` in one sentence. Clauses are joined by the spec's `sep`
    ("；" unless told), an item's own `sep` starting a new group ("开展督导检查114次，发现问题
    385个；按期整改率84.8%"). Two or more items whose comparison is 基本持平 (or 持平) are said
    once: "门诊22.72万人次、出院患者1.05万人次，均与上年同期基本持平"."""
    facts = ctx.facts
    pe = None if timeframe.is_range(facts.period) else facts.period.id
    default_sep = spec.get("sep", "；")
    entries: list[list] = []  # [separator before, clause, flat head, flat words, compared]
    for item in spec.get("items") or []:
        item = item if isinstance(item, dict) else {"dx": item}
        dx = item["dx"]
        if dx not in facts.known:
            continue
        cur = facts.quantity(dx)
        if not n.has_value(cur) or (cur.value == 0 and not facts.is_rate(dx)):
            continue  # "急诊0人次" in a ward without an emergency room says nothing
        prev = facts.quantity(dx, facts.last_year) if compare else None
        direction = facts.direction(dx, item.get("direction"))
        label, verb = item.get("label") or facts.name(dx), item.get("joiner")
        if label.endswith("为") and verb is None:  # "满意度为" + the verb "为" would double it
            label, verb = label[:-1], "为"
        clause = n.state(label, cur, prev, direction=direction, verb=verb, period=pe)
        extra = _record(ctx, dx, direction) if compare else None
        flat_head, flat_words = None, ""
        tail = n.plain(n.compare(cur, prev, period=pe)) if prev is not None else ""
        if tail.endswith("持平") and "（" not in tail and not extra:
            flat_head = n.state(label, cur, None, direction=direction, verb=verb, period=pe)
            flat_words = tail
        # a clause with its own comparison ("参训2618人次，同比增长5%，增加120人次") ends its
        # group: the next figure follows after "；", not after one more "，"
        compared = bool(tail or extra)
        entries.append(
            [item.get("sep", default_sep), n.join([clause, extra]) if extra else clause,
             flat_head, flat_words, compared]
        )  # fmt: skip
        if judge:
            _judge(ctx, dx, label, cur, prev, direction)
    if not entries:
        return ()
    flats = [e for e in entries if e[2] is not None]
    if len(flats) >= 2:
        heads = n.join([e[2] for e in flats], sep="、")
        yearly = facts.period.type is periods.PeriodType.YEARLY
        ref = "上年" if yearly else "上年同期"  # the composer compares 同比 only
        basically = "基本" if any("基本" in e[3] for e in flats) else ""
        grouped = n.join([heads, f"均与{ref}{basically}持平"])
        first = entries.index(flats[0])
        entries = [e for e in entries if e[2] is None]
        entries.insert(first, [flats[0][0], grouped, None, "", True])
    body: list = []
    for index, (sep, clause, _, _, _) in enumerate(entries):
        if index:
            body.append("；" if entries[index - 1][4] else sep)
        body.extend(clause)
    lead = ctx.words_in(spec.get("lead", ""))
    return _cat([lead, *body, "。"]) if lead else n.sentence(tuple(body))


def _record(ctx: Context, dx: str, direction: str | None) -> Text | None:
    facts = ctx.facts
    if direction is None or timeframe.is_range(facts.period):
        return None
    history = [(p.id, facts.quantity(dx, p)) for p in facts.history]
    return n.record(history, facts.period.id, direction=direction)


def _zero_clauses(ctx: Context, spec: dict) -> list[Text]:
    """ "全年未发生孕产妇死亡" for each `zero_events` entry whose count is zero and whose forms
    were all reported for the period; otherwise the `instead` indicator's clause, if any."""
    from weijian.reporting.models import FormElement

    facts = ctx.facts
    clauses: list[Text] = []
    for entry in spec.get("zero_events") or []:
        dx = entry["dx"]
        if dx not in facts.known:
            continue
        forms = set(
            FormElement.objects.filter(element__code=dx.partition(".")[0]).values_list(
                "form__code", flat=True
            )
        )
        complete = ctx.reporting is not None and ctx.reporting.complete(forms)
        claim = n.zero_events(
            facts.quantity(dx), register_complete=complete, what=entry["what"],
            when=ctx.words["span"],
        )  # fmt: skip
        if claim:
            clauses.append(claim)
        elif entry.get("instead") in facts.known and n.has_value(facts.quantity(entry["instead"])):
            clauses.append(_indicator_clause(ctx, entry["instead"], spec))
    return clauses


# indicators: one sentence per indicator (value, target, 同比, monthly threshold), best and
# worst sub-units, and a table


def _indicators(ctx: Context, spec: dict) -> list:
    facts = ctx.facts
    codes = [c for c in (_item_code(i) for i in spec.get("items") or []) if c in facts.known]
    codes = [c for c in codes if n.has_value(facts.quantity(c))]
    if not codes and not _zero_clauses(ctx, spec):
        return []
    clauses = []
    for dx in codes:
        clauses.append(_indicator_clause(ctx, dx, spec))
    clauses.extend(_zero_clauses(ctx, spec))
    blocks: list = [Paragraph(n.sentence(n.join(clauses, sep="；")))]
    compare_units = spec.get("compare_units")
    if compare_units:
        # a list names the indicators fair to compare across units (process measures such as
        # 手卫生依从率; not 住院死亡率, where the ICU is "worst" by its case mix)
        fair = codes if compare_units is True else [c for c in codes if c in compare_units]
        ranking = [_best_and_worst(ctx, dx) for dx in fair]
        ranking = [r for r in ranking if r][:4]
        if ranking:
            who = "各科室" if facts.unit.type != OrgUnitType.BUREAU else "各医疗卫生机构"
            blocks.append(Paragraph(_cat([f"从{who}看，", *n.join(ranking, sep="；"), "。"])))
    if spec.get("table"):
        title = ctx.words_in(spec.get("table_title") or "主要指标完成情况")
        blocks.append(_indicator_table(ctx, codes, title))
    unit_chart = spec.get("unit_chart")
    if unit_chart and unit_chart in facts.known:
        blocks.extend(_unit_chart(ctx, unit_chart))
    return blocks


def _indicator_clause(ctx: Context, dx: str, spec: dict) -> Text:
    facts = ctx.facts
    cur = facts.quantity(dx)
    prev = facts.quantity(dx, facts.last_year)
    direction = facts.direction(dx)
    name = facts.name(dx)
    parts: list[Text | None] = [n.state(_subject(name, cur.unit), cur, None, direction=direction)]
    goal = _target_quantity(ctx, dx)
    if goal is not None and direction is not None:
        parts.append(n.target(cur, goal, direction=direction, elapsed=_elapsed(ctx, dx)))
    parts.append(n.compare(cur, prev, period=_pe(facts)))
    threshold = (spec.get("thresholds") or {}).get(dx)
    if threshold is not None:
        months = [facts.quantity(dx, m) for m in facts.data_months()]
        parts.append(
            n.all_meet(
                months,
                Decimal(str(threshold)),
                above=direction != "down",
                threshold_source={"source": "模板", "query": f"{spec['title']}：{name}的月度要求"},
            )  # fmt: skip
        )
    _judge(ctx, dx, name, cur, prev, direction)
    return n.join(parts)


def _pe(facts: Facts) -> str | None:
    return None if timeframe.is_range(facts.period) else facts.period.id


def _target_quantity(ctx: Context, dx: str) -> Quantity | None:
    facts = ctx.facts
    target = facts.target(dx)
    if target is None:
        return None
    return Quantity(
        target.value,
        facts.unit_of(dx),
        {"source": "目标", "query": f"Target {dx} · {facts.unit.code} · {target.period}"},
        is_rate=facts.is_rate(dx),
        decimals=facts.decimals(dx),
    )


def _elapsed(ctx: Context, dx: str) -> Decimal:
    facts = ctx.facts
    if not facts.is_cumulative(dx):
        return Decimal(1)
    year = periods.Period.parse(str(facts.period.end.year))
    from weijian.indicators.models import elapsed_share

    return elapsed_share(year, facts.covered_to())


def _best_and_worst(ctx: Context, dx: str) -> Text | None:
    facts = ctx.facts
    values = facts.child_values(dx)
    direction = facts.direction(dx)
    if len(values) < 2 or direction is None:
        return None
    ordered = sorted(values, key=lambda cv: cv[1], reverse=direction == "up")
    (best, _), (worst, _) = ordered[0], ordered[-1]
    if ordered[0][1] == ordered[-1][1]:
        return None
    best_q = facts.quantity(dx, unit=best)
    worst_q = facts.quantity(dx, unit=worst)
    return n.fill(
        "{name}以{best}最好（{bv}），{worst}相对较差（{wv}）",
        name=facts.name(dx), best=_short(best), bv=n.fmt(best_q),
        worst=_short(worst), wv=n.fmt(worst_q),
    )  # fmt: skip


def _short(unit: OrgUnit) -> str:
    return unit.short_name or unit.name if hasattr(unit, "short_name") else unit.name


def _indicator_table(ctx: Context, codes: list[str], title: str) -> Table:
    facts = ctx.facts
    rows = []
    for dx in codes:
        cur = facts.quantity(dx)
        prev = facts.quantity(dx, facts.last_year)
        goal = _target_quantity(ctx, dx)
        found = facts.progress(dx)
        status = str(found.status) if found is not None else "—"
        rows.append(
            [
                (facts.name(dx),),
                _cell(cur),
                _cell(goal) if goal is not None else ("—",),
                _cell(prev),
                _change_cell(cur, prev),
                (status,),
            ]
        )
    span = ctx.words["span"]
    if any(facts.target(dx) is not None for dx in codes):
        header = ["指标", span, "目标值", "上年同期", "同比", "完成情况"]
        widths = [35, 25, 19, 25, 30, 22]
    else:  # no targets set: no empty columns
        rows = [[row[0], row[1], row[3], row[4]] for row in rows]
        header, widths = ["指标", span, "上年同期", "同比"], [60, 32, 32, 32]
    return Table(title=f"{span}{title}", header=header, rows=rows, widths=widths)


def _change_cell(cur: Quantity, prev: Quantity) -> Text:
    """The 同比 column, short and by the prose's own rules: "+2.7个百分点", "+4.2%", "持平"."""
    return n.short_change(cur, prev) or ("—",)


def _cell(q: Quantity) -> Text:
    return (n.fmt(q),) if n.has_value(q) else ("—",)


# charts: this year's months against last year's, and sub-units side by side


def _month_chart(ctx: Context, chart: dict) -> list:
    facts = ctx.facts
    dx = chart["dx"]
    months = facts.data_months()
    if len(months) < 2:
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
    categories = [timeframe.month_label(m) for m in months]
    figure = Chart(
        title=title, categories=categories, series=series, unit=unit, kind="bar",
        caption=(f"图：{title}（单位：{unit}）" if unit else f"图：{title}",),
    )  # fmt: skip
    rows = [
        [(label,), *(((f,) if f else ("—",)) for f in (series[0][1][i], series[1][1][i]))]
        for i, label in enumerate(categories)
    ]
    table = Table(title=f"{title}数据", header=["月份", f"{year}年", f"{last}年"], rows=rows)
    return [figure, table]


def _unit_chart(ctx: Context, dx: str) -> list:
    facts = ctx.facts
    values = facts.child_values(dx)
    if len(values) < 2:
        return []
    names = [_short(u) for u, _ in values]
    figs = [n.fmt(facts.quantity(dx, unit=u)) for u, _ in values]
    title = f"{ctx.words['span']}各单位{facts.name(dx)}"
    unit = facts.unit_of(dx)
    chart = Chart(
        title=title, categories=names, series=[(ctx.words["span"], figs)], unit=unit,
        kind="bar", caption=(f"图：{title}（单位：{unit}）" if unit else f"图：{title}",),
    )  # fmt: skip
    table = Table(
        title=f"{title}数据", header=["单位", facts.name(dx)],
        rows=[[(name,), (fig,)] for name, fig in zip(names, figs, strict=True)],
    )  # fmt: skip
    return [chart, table]


# reporting: 应报, 已报, 按时 across the unit's subtree


def _reporting(ctx: Context, spec: dict) -> list:
    found = ctx.reporting
    if found is None or not found.expected:
        return []
    text = _cat(
        [
            f"{ctx.words['span']}，{ctx.words['whole']}应报各类统计报表", found.expected_figure(), "，已报",
            found.reported_figure(), "，上报率", found.rate_figure(), "，按时上报率",
            found.on_time_figure(), "。",
        ]
    )  # fmt: skip
    return [Paragraph(text)]


# text: fixed paragraphs from the template, for the user to review


def _text(ctx: Context, spec: dict) -> list:
    return [Paragraph((ctx.words_in(p),), review=True) for p in spec.get("paragraphs") or []]


# -- judging: what goes under 存在问题 --------------------------------------------------------


def _subject(name: str, unit: str) -> str:
    """ "门急诊人次" before "25.39万人次" reads twice: say "门急诊25.39万人次"."""
    if unit and len(name) > len(unit) and name.endswith(unit):
        return name[: -len(unit)]
    # "健康讲座次数52次", "印刷资料份数4.39万份": the count word says it again
    bare = unit.removeprefix("万")
    if bare and len(name) > len(bare) + 1 and name.endswith(bare + "数"):
        return name[: -len(bare) - 1]
    return name


def _judge(ctx, dx, name, cur: Quantity, prev: Quantity | None, direction) -> None:
    name = _subject(name, cur.unit)
    if dx in ctx.seen:
        return
    ctx.seen.add(dx)
    facts = ctx.facts
    if not n.has_value(cur):
        return
    if facts.unmet(dx):
        goal = _target_quantity(ctx, dx)
        text = n.join([n.state(name, cur, None), n.target(cur, goal, direction=direction or "up", elapsed=_elapsed(ctx, dx))])  # fmt: skip
        ctx.problems.append(Problem("unmet_target", dx, name, text))
        return
    if dx == OVERDUE_CODE and cur.value and cur.value > 0:
        text = n.fill("部分督导检查发现问题整改不及时，{span}逾期未完成整改{n}", span=ctx.words["span"], n=n.fmt(_count(cur, "项")))  # fmt: skip
        ctx.problems.append(Problem("overdue_rectification", dx, name, text))
        return
    if dx in SATISFACTION_CODES and cur.value is not None and cur.value < SATISFACTION_FLOOR:
        floor = n.fmt(
            Quantity(
                SATISFACTION_FLOOR,
                cur.unit or "%",
                {"source": "模板", "query": "满意度不低于90%的要求"},
                is_rate=True,
            )  # fmt: skip
        )
        text = n.fill("{name}为{v}，低于{floor}的要求", name=name, v=n.fmt(cur), floor=floor)
        ctx.problems.append(Problem("low_satisfaction", dx, name, text))
        return
    if direction in ("up", "down") and prev is not None and n.has_value(prev):
        change = _change(cur, prev)
        if change is None:
            return
        limit = (
            RATE_DECLINE_THRESHOLD if cur.is_rate or cur.unit in ("%", "‰") else DECLINE_THRESHOLD
        )
        worse = change <= -limit if direction == "up" else change >= limit
        if worse:
            text = n.state(name, cur, prev, direction=direction, period=_pe(facts))
            ctx.problems.append(Problem("declining", dx, name, text))


def _count(q: Quantity, unit: str) -> Quantity:
    return Quantity(q.value, q.unit or unit, q.source, q.is_rate, q.decimals)


def _change(cur: Quantity, prev: Quantity) -> Decimal | None:
    """The relative change in %, for counts and rates alike."""
    if not prev.value:
        return None
    return (cur.value - prev.value) / abs(prev.value) * 100


def _problems(ctx: Context, spec: dict) -> list:
    problems = _all_problems(ctx)
    lead = ctx.words_in(spec.get("lead", ""))
    if not problems:
        fallback = spec.get("none")
        return [Paragraph((ctx.words_in(fallback),), review=True)] if fallback else []
    points = [p.text for p in problems]
    blocks: list = []
    if lead:
        blocks.append(Paragraph((lead,)))
    blocks.append(Paragraph(n.enumerate_points(points)))
    return blocks


def _all_problems(ctx: Context) -> list[Problem]:
    problems = list(ctx.problems)
    found = ctx.reporting
    if found is not None and (found.late or found.missing):
        problems.append(Problem("late_reporting", "", "报表上报", found.problem_text(ctx.words)))
    order = ["overdue_rectification", "unmet_target", "low_satisfaction", "declining", "late_reporting"]  # fmt: skip
    problems.sort(key=lambda p: order.index(p.kind))
    return problems[:MAX_PROBLEMS]


MEASURES = {
    "unmet_target": [
        "围绕{name}目标，认真分析差距和原因，细化落实措施，确保完成年度目标任务。",
        "对照{name}目标查找差距，层层分解任务，加强过程督导，确保目标如期实现。",
    ],
    "declining": [
        "针对{name}同比下降的情况，深入查找原因，采取针对性措施，力争扭转下滑势头。",
        "加强对{name}的分析研判，挖掘服务潜力，推动该项工作恢复增长。",
    ],
    "rising": [
        "针对{name}同比上升的情况，深入分析原因，加强监测预警和干预，力争扭转上升势头。",
        "把降低{name}作为质量改进的重点，开展专项分析，落实持续改进措施。",
        "加强{name}的日常监测，查找薄弱环节，推动该指标回落到合理水平。",
    ],
    "overdue_rectification": [
        "建立问题整改台账，实行销号管理，对逾期未整改的问题明确责任人和时限，限期整改到位。",
    ],
    "low_satisfaction": [
        "以改善就医体验为重点，查找{name}偏低的原因，优化服务流程，切实提高群众满意度。",
        "针对{name}偏低的问题，深入开展患者满意度分析，逐项整改群众反映集中的问题，持续改善就医感受。",
    ],
    # staff satisfaction is answered for the staff, not the patients
    "low_staff_satisfaction": [
        "关心关爱职工，畅通职工意见反映渠道，认真分析{name}偏低的原因，切实增强职工的获得感和归属感。",
    ],
    "late_reporting": [
        "加强统计报表管理，落实专人负责，严格审核把关，确保各类报表按时、准确上报。",
    ],
}


GROUP_MEASURES = {
    "rising": "针对{name}同比上升的情况，逐项分析原因，加强监测预警和干预，推动各项指标回落到合理水平。",
    "declining": "针对{name}同比下降的情况，深入查找原因，采取针对性措施，力争扭转下滑势头。",
}


def _next_steps(ctx: Context, spec: dict) -> list:
    facts = ctx.facts
    items: list[Text] = []
    used: dict[str, int] = {}
    problems = _all_problems(ctx)
    trends = {"rising": [], "declining": []}
    for problem in problems:
        if problem.kind == "declining":
            trends["rising" if facts.direction(problem.dx) == "down" else "declining"].append(
                problem
            )
    grouped = {id(p) for group in trends.values() if len(group) >= 3 for p in group}
    for problem in problems:
        kind = problem.kind
        if id(problem) in grouped:
            # three or more indicators going the wrong way: one measure names them all
            trend = "rising" if facts.direction(problem.dx) == "down" else "declining"
            group = trends[trend]
            if problem is group[0]:
                names = "、".join(p.name for p in group)
                items.append((GROUP_MEASURES[trend].format(name=names),))
            continue
        if kind == "declining" and facts.direction(problem.dx) == "down":
            kind = "rising"
        if kind == "low_satisfaction" and problem.dx == "SVY_STAFF_RATE":
            kind = "low_staff_satisfaction"
        # problems of one kind take the variants in turn: three rising rates are not answered
        # three times with the same sentence
        variants = MEASURES[kind]
        first = variants.index(n.choose(variants, f"{kind}|{facts.period.id}"))
        measure = variants[(first + used.get(kind, 0)) % len(variants)]
        used[kind] = used.get(kind, 0) + 1
        items.append((measure.format(name=problem.name),))
    items.extend(_coming_targets(ctx))
    items.extend((step,) for step in _coming_campaigns(ctx))
    for extra in spec.get("extra") or []:
        items.append((ctx.words_in(extra),))
    if not items:
        return []
    blocks: list = []
    if spec.get("lead"):
        blocks.append(Paragraph((ctx.words_in(spec["lead"]),)))
    extra_from = len(items) - len(spec.get("extra") or [])
    for index, item in enumerate(items, start=1):
        blocks.append(Paragraph(_cat([f"{index}．", *item]), review=index > extra_from))
    return blocks


def _coming_campaigns(ctx: Context) -> list[str]:
    """The ledger calendar's health days and the unit's duties in the coming period: the rest
    of the year after a half-year or quarter, the next (or planned) year after a year."""
    period = ctx.facts.period
    if ctx.plan_year is None and period.type is not periods.PeriodType.YEARLY:
        if period.end.month == 12 or timeframe.is_range(period):
            return []
        months, when = list(range(period.end.month + 1, 13)), timeframe.next_span(period)
        if when not in ("下半年", "下季度"):
            when = ""
    else:
        months, when = list(range(1, 13)), ""
    return campaign_steps(ctx.facts.unit, months, when)


def _coming_targets(ctx: Context) -> list[Text]:
    """The next period's targets: for a half-year or quarter, what remains of this year's;
    after a year (or in a plan), next year's."""
    facts = ctx.facts
    if ctx.plan_year is not None:
        return []  # the plan states its targets in 工作目标
    items = []
    this_year = facts.period.end.year
    partial = facts.period.type is not periods.PeriodType.YEARLY and facts.period.end.month < 12
    year = this_year if partial else this_year + 1
    for (dx, target_year), target in sorted(facts.targets.items()):
        if target_year != str(year) or not _target_in_scope(ctx, dx):
            continue
        goal = Quantity(
            target.value, facts.unit_of(dx),
            {"source": "目标", "query": f"Target {dx} · {facts.unit.code} · {target_year}"},
            is_rate=facts.is_rate(dx), decimals=facts.decimals(dx),
        )  # fmt: skip
        name = facts.name(dx)
        direction = facts.direction(dx)
        if partial and facts.is_cumulative(dx):
            done = facts.value(dx)
            if done is None or done >= target.value:
                continue
            left = Quantity(
                target.value - done, facts.unit_of(dx),
                {"source": "目标", "query": f"Target {dx} {target_year} − {facts.period.id} 实际"},
            )  # fmt: skip
            items.append(
                n.fill(
                    "全年{name}目标为{goal}，{next}还需完成{left}，确保完成全年任务。",
                    name=name,
                    goal=n.fmt(goal),
                    next=timeframe.next_span(facts.period),
                    left=n.fmt(left),
                )  # fmt: skip
            )
        else:
            # already there: keep it (保持); not yet: reach it (力争达到)
            done = facts.value(dx)
            met = done is not None and (
                done <= target.value if direction == "down" else done >= target.value
            )
            when = "全年" if partial else f"{year}年"
            if direction == "down":
                phrase = (
                    "{when}{name}继续控制在{goal}以内。"
                    if met
                    else "{when}{name}控制在{goal}以内。"
                )
            else:
                phrase = "{when}{name}保持在{goal}以上。" if met else "{when}{name}力争达到{goal}。"
            items.append(n.fill(phrase, when=when, name=name, goal=n.fmt(goal)))  # fmt: skip
    return items[:6]


# plan_targets: next year's targets, with this year's figure beside them


def _plan_targets(ctx: Context, spec: dict) -> list:
    facts = ctx.facts
    year = str(ctx.plan_year or facts.period.end.year + 1)
    targets = {dx: t for (dx, y), t in facts.targets.items() if y == year}
    borrowed = False
    if not targets:  # no targets set yet for the plan year: start from this year's, to review
        targets = {dx: t for (dx, y), t in facts.targets.items() if y == str(facts.period.end.year)}
        borrowed = True
    if not targets:
        return [
            Paragraph(
                (
                    f"（{year}年指标目标尚未设定，请在系统中设定目标后重新生成，或在此填写工作目标。）",
                ),
                review=True,
            )
        ]
    basis = timeframe.label(facts.period)  # 2026年1—10月 while the year is not over
    clauses, rows = [], []
    for dx, target in sorted(targets.items()):
        name = facts.name(dx)
        goal = Quantity(
            target.value, facts.unit_of(dx),
            {"source": "目标", "query": f"Target {dx} · {facts.unit.code} · {target.period}"},
            is_rate=facts.is_rate(dx), decimals=facts.decimals(dx),
        )  # fmt: skip
        now = facts.quantity(dx)
        verb = "控制在" if facts.direction(dx) == "down" else "达到"
        tail = "以内" if facts.direction(dx) == "down" else ""
        clause = n.fill("{name}{verb}{goal}{tail}", name=name, verb=verb, goal=n.fmt(goal), tail=tail)  # fmt: skip
        if n.has_value(now):
            clause = _cat([*clause, f"（{basis}为", n.fmt(now), "）"])
        clauses.append(clause)
        rows.append([(name,), _cell(now), (n.fmt(goal),)])
    lead = ctx.words_in(spec.get("lead", ""))
    blocks: list = [Paragraph(_cat([lead, *n.enumerate_points(clauses)]))]
    if borrowed:
        blocks.append(
            Paragraph(
                (f"（以上目标暂按{facts.period.end.year}年目标列出，{year}年目标请核定后修改。）",),
                review=True,
            )  # fmt: skip
        )
    blocks.append(
        Table(
            title=f"{year}年主要工作目标",
            header=["指标", f"{basis}实际", f"{year}年目标"],
            rows=rows,
        )  # fmt: skip
    )
    return blocks


BUILDERS = {
    "figures": _figures,
    "indicators": _indicators,
    "reporting": _reporting,
    "problems": _problems,
    "next_steps": _next_steps,
    "text": _text,
    "plan_targets": _plan_targets,
}


def resolve_spec(code: str | None, unit: OrgUnit, period: periods.Period | None) -> dict:
    """The template by code (built-in or an office's copy), or the built-in default for the
    unit type and period."""
    from .models import SummaryTemplate

    builtin = specs.builtin_specs()
    if code:
        if code in builtin:
            return builtin[code]
        row = SummaryTemplate.objects.filter(code=code).first()
        if row is None:
            raise specs.SpecError(f"找不到模板“{code}”")
        return row.spec
    return builtin[default_template(unit, period)]


def default_template(unit: OrgUnit, period: periods.Period | None) -> str:
    if unit.type == OrgUnitType.BUREAU:
        return "BUREAU_ANNUAL"
    if unit.type in (OrgUnitType.DEPARTMENT, OrgUnitType.WARD):
        return "DEPARTMENT"
    if unit.type in (OrgUnitType.TOWNSHIP, OrgUnitType.COMMUNITY, OrgUnitType.CDC):
        return "SPECIAL_HE"
    if period is not None and period.type is periods.PeriodType.YEARLY:
        return "HOSPITAL_ANNUAL"
    return "HOSPITAL_HALF_YEAR"


def figures_of(document: Document) -> list[Figure]:
    from .model import all_figures

    return all_figures(document)
