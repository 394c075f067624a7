"""Sections: what a template asks for, filled from the facts — fixed blocks, figures in running
prose, indicator sentences with targets and best/worst sub-units, reporting timeliness, and
the dispatch of each section kind to its builder."""

from __future__ import annotations

from decimal import Decimal

from weijian import periods
from weijian.orgs.models import OrgUnitType

from . import narrative as n
from . import timeframe
from .context import Context, cat, is_derived, item_code
from .judgements import (
    comparison_period,
    elapsed_share_of,
    judge_figure,
    subject,
    target_quantity,
)
from .ledger_facts import theme_sentence
from .model import Paragraph, Section
from .narrative import Text
from .next_steps import next_steps_section, plan_targets_section, problems_section
from .tables import indicator_table, month_chart, unit_chart, unit_label

# -- blocks of fixed text ----------------------------------------------------------------


def build_block(ctx: Context, block: dict) -> list[Paragraph]:
    if "review" in block:
        return [Paragraph((ctx.words_in(block["review"]),), review=True)]
    if "text" in block:
        return [Paragraph((ctx.words_in(block["text"]),))]
    if "headline" in block:
        text = figures_sentence(ctx, block["headline"], judge=False, compare=True)
        return [Paragraph(text)] if text else []
    return []


# -- sections ----------------------------------------------------------------------------


def build_section(ctx: Context, spec: dict, level: int) -> Section | None:
    title = ctx.words_in(spec["title"])
    kind = spec.get("kind")
    section = Section(title)
    builder = BUILDERS.get(kind)
    if builder is not None:
        blocks = builder(ctx, spec)
        if not blocks:
            return None
        section.blocks.extend([*fixed_blocks(ctx, spec.get("before")), *blocks])
        section.blocks.extend(fixed_blocks(ctx, spec.get("after")))
    for child in spec.get("sections") or []:
        built = (
            build_section(ctx, child, level + 1) if not is_derived(child) else None
        )  # derived kinds belong at the top level
        if built is not None:
            section.blocks.append(built)
    if not section.blocks:
        return None
    return section


def fixed_blocks(ctx: Context, blocks) -> list[Paragraph]:
    return [p for block in blocks or [] for p in build_block(ctx, block)]


# figures: "{lead}门诊12.35万人次，同比增长5.2%，增加6100人次；急诊…。" + chart


def figures_section(ctx: Context, spec: dict) -> list:
    text = figures_sentence(ctx, spec, judge=True, compare=spec.get("compare", True))
    if not text:
        return []
    for activity_type, words in (spec.get("themes") or {}).items():
        # "培训内容涵盖护理核心制度、病历书写规范等。": what the ledger's records were about
        said = theme_sentence(ctx.facts.unit, ctx.facts.period, activity_type, words)
        if said:
            text = cat([*text, said])
    blocks: list = [Paragraph(text)]
    chart = spec.get("chart")
    if chart and chart["dx"] in ctx.facts.known:
        blocks.extend(month_chart(ctx, chart))
    return blocks


def figures_sentence(ctx: Context, spec: dict, *, judge: bool, compare: bool) -> Text:
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
        extra = record_clause(ctx, dx, direction) if compare else None
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
            judge_figure(ctx, dx, label, cur, prev, direction)
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
    return cat([lead, *body, "。"]) if lead else n.sentence(tuple(body))


def record_clause(ctx: Context, dx: str, direction: str | None) -> Text | None:
    facts = ctx.facts
    if direction is None or timeframe.is_range(facts.period):
        return None
    history = [(p.id, facts.quantity(dx, p)) for p in facts.history]
    return n.record(history, facts.period.id, direction=direction)


def zero_clauses(ctx: Context, spec: dict) -> list[Text]:
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
            clauses.append(indicator_clause(ctx, entry["instead"], spec))
    return clauses


# indicators: one sentence per indicator (value, target, 同比, monthly threshold), best and
# worst sub-units, and a table


def indicators_section(ctx: Context, spec: dict) -> list:
    facts = ctx.facts
    codes = [c for c in (item_code(i) for i in spec.get("items") or []) if c in facts.known]
    codes = [c for c in codes if n.has_value(facts.quantity(c))]
    if not codes and not zero_clauses(ctx, spec):
        return []
    clauses = []
    for dx in codes:
        clauses.append(indicator_clause(ctx, dx, spec))
    clauses.extend(zero_clauses(ctx, spec))
    blocks: list = [Paragraph(n.sentence(n.join(clauses, sep="；")))]
    compare_units = spec.get("compare_units")
    if compare_units:
        # a list names the indicators fair to compare across units (process measures such as
        # 手卫生依从率; not 住院死亡率, where the ICU is "worst" by its case mix)
        fair = codes if compare_units is True else [c for c in codes if c in compare_units]
        ranking = [best_and_worst(ctx, dx) for dx in fair]
        ranking = [r for r in ranking if r][:4]
        if ranking:
            who = "各科室" if facts.unit.type != OrgUnitType.BUREAU else "各医疗卫生机构"
            blocks.append(Paragraph(cat([f"从{who}看，", *n.join(ranking, sep="；"), "。"])))
    if spec.get("table"):
        title = ctx.words_in(spec.get("table_title") or "主要指标完成情况")
        blocks.append(indicator_table(ctx, codes, title))
    chart_dx = spec.get("unit_chart")
    if chart_dx and chart_dx in facts.known:
        blocks.extend(unit_chart(ctx, chart_dx))
    return blocks


def indicator_clause(ctx: Context, dx: str, spec: dict) -> Text:
    facts = ctx.facts
    cur = facts.quantity(dx)
    prev = facts.quantity(dx, facts.last_year)
    direction = facts.direction(dx)
    name = facts.name(dx)
    parts: list[Text | None] = [n.state(subject(name, cur.unit), cur, None, direction=direction)]
    goal = target_quantity(ctx, dx)
    if goal is not None and direction is not None:
        parts.append(n.target(cur, goal, direction=direction, elapsed=elapsed_share_of(ctx, dx)))
    parts.append(n.compare(cur, prev, period=comparison_period(facts)))
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
    judge_figure(ctx, dx, name, cur, prev, direction)
    return n.join(parts)


def best_and_worst(ctx: Context, dx: str) -> Text | None:
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
        name=facts.name(dx), best=unit_label(best), bv=n.fmt(best_q),
        worst=unit_label(worst), wv=n.fmt(worst_q),
    )  # fmt: skip


def reporting_section(ctx: Context, spec: dict) -> list:
    found = ctx.reporting
    if found is None or not found.expected:
        return []
    text = cat(
        [
            f"{ctx.words['span']}，{ctx.words['whole']}应报各类统计报表", found.expected_figure(), "，已报",
            found.reported_figure(), "，上报率", found.rate_figure(), "，按时上报率",
            found.on_time_figure(), "。",
        ]
    )  # fmt: skip
    return [Paragraph(text)]


# text: fixed paragraphs from the template, for the user to review


def text_section(ctx: Context, spec: dict) -> list:
    return [Paragraph((ctx.words_in(p),), review=True) for p in spec.get("paragraphs") or []]


BUILDERS = {
    "figures": figures_section,
    "indicators": indicators_section,
    "reporting": reporting_section,
    "problems": problems_section,
    "next_steps": next_steps_section,
    "text": text_section,
    "plan_targets": plan_targets_section,
}
