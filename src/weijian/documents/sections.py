"""Sections: what a template asks for, filled from the facts — fixed blocks (kept only when the
figures allow them: `when`), figures in running prose (each stated for the months it covers),
indicator sentences with targets and comparisons between like units, reporting timeliness;
the heading of a section is chosen in headings.py from what its own figures did."""

from __future__ import annotations

from decimal import Decimal

from . import narrative as n
from . import timeframe, verdicts
from .areas import area_section
from .bureau_work import reform_section, supervision_section
from .context import Context, cat, is_derived, item_code
from .headings import printed_codes, section_heading, section_items, section_state
from .indicator_prose import MAX_TOLD, moved, paragraph_text, ranked, told
from .inspection_work import inspections_section
from .judgements import (
    comparison_period,
    elapsed_share_of,
    explain,
    few_events,
    judge_figure,
    movement_of,
    subject,
    target_quantity,
)
from .ledger_facts import theme_sentence
from .measures import measures_paragraph
from .model import Paragraph, Section
from .narrative import Text
from .next_steps import next_steps_section
from .party_reform import party_reform_section
from .peers import spread, spread_sentences
from .plan_review import plan_review_section
from .plan_targets import plan_targets_section
from .problems import problems_section
from .ranking import all_problems, worst_problems
from .tables import indicator_table, month_chart, unit_chart
from .timeframe import is_range
from .work_done import contract_statuses, work_done_section

# a denominator that moved this much (%) explains a monitored rate's change beside it
CAUSE_CHANGE = Decimal(2)

# -- blocks of fixed text ----------------------------------------------------------------


def build_block(ctx: Context, block: dict, state: str | None = None) -> list[Paragraph]:
    """A fixed block: text, review (wording to check, highlighted), headline (figures), or
    verdict (a wording per state: {good: …, flat: …, mixed: …, bad: …}). `when: [good, flat]`
    keeps a block only in those states (evaluative wording the figures must carry)."""
    when = block.get("when")
    if when and (state or document_state(ctx)) not in when:
        return []
    if "review" in block:
        return [Paragraph((ctx.words_in(block["review"]),), review=True)]
    if "text" in block:
        return [Paragraph((ctx.words_in(block["text"]),))]
    if "headline" in block:
        text = figures_sentence(ctx, block["headline"], judge=False, compare=True)
        if text:
            ctx.said.update(item_code(i) for i in block["headline"].get("items") or [])
        return [Paragraph(text)] if text else []
    if "verdict" in block:
        words = block["verdict"].get(state or document_state(ctx))
        if words and "{worst}" in words:  # the opening names the most serious problems
            return [Paragraph((ctx.words_in(words, worst=worst_problems(ctx)),))]
        return [Paragraph((ctx.words_in(words),))] if words else []
    return []


def document_state(ctx: Context) -> str:
    """good: no serious problem and the sections improved or held; bad: a death or safety event,
    or sections that only worsened; mixed: problems beside progress; flat: neither."""
    problems = [p for p in all_problems(ctx) if p.tier <= 2]
    trend = verdicts.overall(ctx.polarities)
    if any(p.tier == 0 for p in problems) or trend == "bad":
        return "bad"
    if problems or trend == "mixed":
        return "mixed"
    return "good" if trend == "good" else "flat"


# -- sections ----------------------------------------------------------------------------


def build_section(ctx: Context, spec: dict, level: int) -> Section | None:
    kind = spec.get("kind")
    section = Section(ctx.words_in(spec["title"]))
    builder = BUILDERS.get(kind)
    if builder is not None:
        blocks = builder(ctx, spec)
        if not blocks and spec.get("missing"):
            # an area the template must cover but the system holds nothing for: one short
            # marked line for the office to fill, not a section that silently disappears
            blocks = [Paragraph((ctx.words_in(spec["missing"]),), review=True)]
        if not blocks:
            return None
        state = section_state(ctx, spec) if kind in DATA_KINDS else None
        title = section_heading(ctx, spec, printed_codes(ctx, blocks, tables=False))
        if title:
            section.title = title
        done = measures_paragraph(ctx, spec["measures"]) if spec.get("measures") else None
        section.blocks.extend(
            [*fixed_blocks(ctx, spec.get("before"), state), *([done] if done else []), *blocks]
        )
        section.blocks.extend(fixed_blocks(ctx, spec.get("after"), state))
    for child in spec.get("sections") or []:
        built = (
            build_section(ctx, child, level + 1) if not is_derived(child) else None
        )  # derived kinds belong at the top level
        if built is not None:
            section.blocks.append(built)
    if not section.blocks:
        return None
    return section


def fixed_blocks(ctx: Context, blocks, state: str | None = None) -> list[Paragraph]:
    return [p for block in blocks or [] for p in build_block(ctx, block, state or "flat")]


# figures: "{lead}门诊12.35万人次，同比增长5.2%；急诊…。" + chart


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
    # a chart illustrates a figure the section says: 门诊 said in the opening only (repeats.py
    # leaves it out below) gets no chart under a heading about 急诊 and 手术 (read 2026-12-07
    # 23:30: "图1 门诊人次逐月对比" under "（四）急诊人次基本持平，手术量稳步增长")
    if chart and chart["dx"] in ctx.facts.known and chart["dx"] in printed_codes(ctx, blocks):
        blocks.extend(month_chart(ctx, chart))
    return blocks


def figures_sentence(ctx: Context, spec: dict, *, judge: bool, compare: bool) -> Text:
    """The figures of `spec["items"]`, one sentence per scope: the period's own first, then one
    for each run of months a figure covers ("12月，开展应急演练1次。"). Clauses are joined by
    the spec's `sep` ("；" unless told), an item's own `sep` starting a new group. Two or more
    items whose comparison is 基本持平 are said once ("…，均与上年同期基本持平"). Figures the
    opening already stated are not repeated; figures with gaps in their months are left out."""
    facts = ctx.facts
    headline = "headline" in spec or not judge
    default_sep = spec.get("sep", "；")
    groups: dict[str, list[list]] = {}
    for item in section_items(spec):
        dx = item["dx"]
        if dx not in facts.known or (dx in ctx.said and not headline):
            continue
        if not facts.stated(dx):
            ctx.notes.append(f"{item.get('label') or facts.name(dx)}有月份缺少数据")
            continue
        cur = facts.current(dx)
        if not n.has_value(cur) or (cur.value == 0 and not facts.is_rate(dx)):
            continue  # "急诊0人次" in a ward without an emergency room says nothing
        entry = _entry(ctx, item, dx, cur, compare=compare, judge=judge, sep=default_sep)
        groups.setdefault(facts.scope(dx).id, []).append(entry)
    sentences = []
    for scope_id, entries in groups.items():
        body = _join_entries(ctx, entries)
        scope = facts.scope(entries[0][5])
        words = facts.scope_words(entries[0][5])
        # "截至{end}" dates stock figures (签约人数) by the last month they cover: 11月底
        lead = ctx.words_in(spec.get("lead", ""), span=words, end=timeframe.end_words(scope))
        if scope_id != facts.period.id and not _dated(spec.get("lead", "")):
            lead = f"{words}，{lead}"
        sentences.append(cat([lead, *body, "。"]) if lead else n.sentence(tuple(body)))
    return cat([span for sentence in sentences for span in sentence])


def _dated(lead: str) -> bool:
    """The lead names its own time ("{span}，", "截至{end}，"): no scope words before it."""
    return "{span}" in lead or "{end}" in lead


def _entry(ctx: Context, item: dict, dx: str, cur, *, compare: bool, judge: bool, sep: str) -> list:
    """[separator before, clause, flat head, flat words, compared, dx]."""
    facts = ctx.facts
    # `compare: false` on an item: a count said without a change (锦旗和感谢信: praise is
    # counted, not compared with last year)
    prev = facts.before(dx) if compare and item.get("compare", True) else None
    direction = facts.direction(dx, item.get("direction"))
    label, verb = item.get("label") or facts.name(dx), item.get("joiner")
    if label.endswith("为") and verb is None:  # "满意度为" + the verb "为" would double it
        label, verb = label[:-1], "为"
    pe = comparison_period(facts, dx)
    clause = n.state(label, cur, prev, direction=direction, verb=verb, period=pe)
    whole = _as_part(ctx, item, dx, cur, compare=compare)
    if whole:  # "完成门急诊25.71万人次，同比增长1.5%，其中门诊23.07万人次"
        return [item.get("sep", sep), whole, None, "", True, dx]
    clause = _with_basis(ctx, item, dx, clause)
    clause = _with_whole(ctx, item, dx, clause)
    extra = record_clause(ctx, dx, direction) if prev is not None else None
    flat_head, flat_words = None, ""
    tail = n.plain(n.compare(cur, prev, period=pe)) if prev is not None else ""
    if tail.endswith("持平") and "（" not in tail and not extra and not item.get("basis"):
        flat_head = n.state(label, cur, None, direction=direction, verb=verb, period=pe)
        flat_words = tail
    if judge:
        judge_figure(ctx, dx, label, cur, prev, direction)
    # a clause with its own comparison ("参训2618人次，同比增长5%") ends its group: the next
    # figure follows after "；", not after one more "，"
    compared = bool(tail or extra)
    clause = n.join([clause, extra]) if extra else clause
    return [item.get("sep", sep), clause, flat_head, flat_words, compared, dx]


def _as_part(ctx: Context, item: dict, dx: str, cur, *, compare: bool) -> Text:
    """A figure said as part of the whole its target is set on: `whole: STAT_OPD_ER_VISITS,
    whole_label: 完成门急诊, part_label: 门诊` → "完成门急诊25.71万人次，同比增长1.5%，其中门诊
    23.07万人次" when the whole has a target for the period (the problems then weigh 门急诊
    against it: director read of 2026-12-07 23:30, "the opening prints 门诊23.07万人次 while
    the problems speak of 门急诊25.71万人次"); () otherwise."""
    facts = ctx.facts
    whole = item.get("whole")
    if not whole or whole not in facts.known or target_quantity(ctx, whole) is None:
        return ()
    total = facts.current(whole)
    if not n.has_value(total) or not facts.stated(whole):
        return ()
    before = facts.before(whole) if compare else None
    said = n.state(item["whole_label"], total, before, direction="up", period=comparison_period(facts, whole))  # fmt: skip
    ctx.said.add(whole)
    return n.join([said, cat(["其中", item["part_label"], n.fmt(cur)])])


def _with_basis(ctx: Context, item: dict, dx: str, clause: Text) -> Text:
    """A rate said with what it stands on: `basis: {of: 到期应完成整改, done: 按期完成}` →
    "到期应完成整改73份，按期完成56份，按期整改率为76.7%"; `sample: 份` → "（有效问卷512份）"."""
    facts = ctx.facts
    if dx not in facts.parts:
        return clause
    top, bottom = facts.parts[dx]
    basis = item.get("basis")
    if isinstance(basis, dict):
        of_q = facts.quantity(bottom, facts.scope(dx))
        done_q = facts.quantity(top, facts.scope(dx))
        if n.has_value(of_q) and n.has_value(done_q) and of_q.value:
            return cat(
                [basis["of"], n.fmt(of_q), "，", basis["done"], n.fmt(done_q), "，", *clause]
            )
    sample = item.get("sample")
    if sample:
        q = facts.quantity(bottom, facts.scope(dx))
        if n.has_value(q):
            q = n.Quantity(q.value, sample, q.source)
            head, _, rest = _split_after_value(clause)
            return cat([*head, "（有效问卷", n.fmt(q), "）", *rest])
    return clause


def _with_whole(ctx: Context, item: dict, dx: str, clause: Text) -> Text:
    """A count said with the count it is part of: `of: LG_COMPLAINTS, rate: 按时办结率, late:
    未按时办结` → "按时办结60件，按时办结率为93.8%，未按时办结4件" (60 of 64), instead of the
    count's own change on last year."""
    whole = item.get("of")
    if not whole or whole not in ctx.facts.known:
        return clause
    facts = ctx.facts
    said = n.done_in_time(
        facts.quantity(dx, facts.scope(dx)),
        facts.quantity(whole, facts.scope(dx)),
        rate=item.get("rate", "完成率"),
        late=item.get("late", "未完成"),
    )
    return n.join([clause, said]) if said else clause


def _split_after_value(clause: Text) -> tuple[list, None, list]:
    """The clause split after its first figure (the value), to put a note beside it."""
    for index, span in enumerate(clause):
        if isinstance(span, n.Figure):
            return list(clause[: index + 1]), None, list(clause[index + 1 :])
    return list(clause), None, []


def _join_entries(ctx: Context, entries: list[list]) -> list:
    facts = ctx.facts
    flats = [e for e in entries if e[2] is not None]
    if len(flats) >= 2:
        heads = n.join([e[2] for e in flats], sep="、")
        yearly = facts.period.type.name == "YEARLY"
        ref = "上年" if yearly else "上年同期"  # the composer compares 同比 only
        basically = "基本" if any("基本" in e[3] for e in flats) else ""
        grouped = n.join([heads, f"均与{ref}{basically}持平"])
        first = entries.index(flats[0])
        entries = [e for e in entries if e[2] is None]
        entries.insert(first, [flats[0][0], grouped, None, "", True, flats[0][5]])
    body: list = []
    for index, (sep, clause, _, _, _, _) in enumerate(entries):
        if index:
            body.append("；" if entries[index - 1][4] else sep)
        body.extend(clause)
    return body


def record_clause(ctx: Context, dx: str, direction: str | None) -> Text | None:
    facts = ctx.facts
    if direction is None or not facts.full(dx) or "~" in facts.period.id:
        return None
    history = [(p.id, facts.quantity(dx, p)) for p in facts.history]
    return n.record(history, facts.period.id, direction=direction)


def zero_clauses(ctx: Context, spec: dict) -> list[Text]:
    """ "全年未发生孕产妇死亡" for each `zero_events` entry whose count is zero and whose forms
    were all reported for the period; when it is not zero, the `instead` rate (the event is
    also a problem of the first rank, judgements.judge_events)."""
    from weijian.reporting.models import FormElement

    facts = ctx.facts
    clauses: list[Text] = []
    for entry in spec.get("zero_events") or []:
        dx = entry["dx"]
        if dx not in facts.known:
            continue
        count = facts.current(dx)
        if n.has_value(count) and count.value > 0:
            if entry.get("instead") in facts.known and n.has_value(facts.current(entry["instead"])):
                clauses.append(indicator_clause(ctx, entry["instead"], spec))
            continue
        forms = set(
            FormElement.objects.filter(element__code=dx.partition(".")[0]).values_list(
                "form__code", flat=True
            )
        )
        complete = ctx.reporting is not None and ctx.reporting.complete(forms)
        claim = n.zero_events(
            count, register_complete=complete, what=entry["what"], when=facts.scope_words(dx)
        )
        if claim:
            clauses.append(claim)
    return clauses


# indicators: one sentence per indicator (value, target, 同比, monthly threshold), best and
# worst among like sub-units, and a table


def indicators_section(ctx: Context, spec: dict) -> list:
    facts = ctx.facts
    codes = []
    for dx in (item_code(i) for i in spec.get("items") or []):
        if dx not in facts.known:
            continue
        if not facts.stated(dx):
            ctx.notes.append(f"{facts.name(dx)}有月份缺少数据")
            continue
        if n.has_value(facts.current(dx)):
            codes.append(dx)
    zeros = zero_clauses(ctx, spec)
    if not codes and not zeros:
        return []
    causes: dict[str, Text] = {}
    clauses = [indicator_clause(ctx, dx, spec, causes) for dx in codes]  # judges every one
    own = dict(zip(codes, _causes_once(ctx, codes, clauses, causes), strict=True))
    with_table = bool(spec.get("table")) or len(codes) > MAX_TOLD
    narrated = codes
    if with_table and len(codes) > 2:
        # the table carries the rows: the paragraph tells at most MAX_TOLD of the movements
        # that matter (a target, a cause, a problem, a strong change), the telling ones first
        order = ranked(ctx, codes, frozenset(causes))
        notable = [dx for dx in order if _notable(ctx, dx, spec, causes)]
        # nothing stands out: the largest movements still, never a paragraph that only
        # points at its table (read on the demo: "主要指标情况见下表。" alone under 慢病管理)
        narrated = (notable or [dx for dx in order if moved(ctx, dx)])[:MAX_TOLD]
    tolds = [told(ctx, dx, own[dx], dx in causes) for dx in narrated]
    rows = [dx for dx in codes if not any(t.dx == dx and t.whole for t in tolds)]
    if with_table and len(rows) == 1:
        rows = codes  # a table of one row: the whole table, rather
    rest = None
    if with_table and len(narrated) < len(codes):
        # "其余" only when the table holds none of the rows just told (read 2026-12-08: "其余指标
        # 情况见下表" above a table repeating them)
        others = narrated and not any(dx in rows for dx in narrated)
        rest = ("其余指标情况见下表",) if others else ("主要指标情况见下表",)
    text = paragraph_text(ctx, tolds, rest)
    if zeros:
        text = n.merge([*text, *n.sentence(n.join(zeros, sep="；"))]) if text else n.sentence(n.join(zeros, sep="；"))  # fmt: skip
    blocks: list = [Paragraph(text)] if text else []
    compare_units = spec.get("compare_units")
    if compare_units:
        # a list names the indicators fair to compare across units (process measures such as
        # 手卫生依从率; not 住院死亡率, where the ICU is "worst" by its case mix)
        fair = codes if compare_units is True else [c for c in codes if c in compare_units]
        # the overall rate the paragraph has just given is not given again in the comparison
        found = [
            s for s in (spread(ctx, dx, stated=dx in narrated) for dx in fair) if s is not None
        ]
        used = ctx.cache.setdefault("peer_leads", set())  # each group introduced once
        blocks.extend(Paragraph(text) for text in spread_sentences(found[:4], used))
    if with_table and len(rows) > 1:
        # a table the section grew for its many rows is named by the section (two tables of
        # one document are never both "主要指标完成情况")
        own_title = "主要指标完成情况" if spec.get("table") else f"{spec['title']}主要指标完成情况"
        title = ctx.words_in(spec.get("table_title") or own_title)
        blocks.append(indicator_table(ctx, rows, title))
    chart_dx = spec.get("unit_chart")
    if chart_dx and chart_dx in facts.known:
        blocks.extend(unit_chart(ctx, chart_dx))
    return blocks


def _notable(ctx: Context, dx: str, spec: dict, causes: dict) -> bool:
    """Worth a clause beside the table: a target, a cause, a monthly threshold, a handful of
    events said as counts, a problem it raised, or a strong or bad change (a rate that moved
    by a point and a fraction in the good direction is the table's)."""
    facts = ctx.facts
    if target_quantity(ctx, dx) is not None or dx in causes or few_events(facts, dx):
        return True
    if dx in contract_statuses(ctx):  # a 目标责任书's target, met or missed
        return True
    if dx in (spec.get("thresholds") or {}):
        return True
    if any(p.dx == dx for p in ctx.problems):
        return True
    move = movement_of(facts, dx)
    return move is None or move.strength >= 2 or move.polarity == "bad"


def _causes_once(
    ctx: Context, codes: list[str], clauses: list[Text], causes: dict[str, Text]
) -> list[Text]:
    """Each clause with its cause, a cause shared by several said once: 病床使用率 and 病床周转
    both up because the beds fell by 4.1 % (床日 and 床位 alike) → the last of them ends "，病床
    使用率和病床周转的变化主要是实有床位数减少4.1%所致", the first says no cause of its own."""
    by_change: dict[str, list[str]] = {}
    for dx, cause in causes.items():
        change = next((f.text for f in n.figures(cause)), "")
        word = "减少" if "减少" in n.plain(cause) else "增加"
        by_change.setdefault(f"{word}{change}", []).append(dx)
    out = list(clauses)
    for group in by_change.values():
        if len(group) == 1:
            index = codes.index(group[0])
            out[index] = n.merge([*out[index], *causes[group[0]]])
            continue
        last = group[-1]
        names = "和".join(ctx.facts.name(dx) for dx in group)
        tail = list(causes[last])
        tail[0] = tail[0].replace("，主要是", f"，{names}的变化主要是", 1)  # explain()'s lead
        index = codes.index(last)
        out[index] = n.merge([*out[index], *tail])
    return out


def indicator_clause(ctx: Context, dx: str, spec: dict, causes: dict | None = None) -> Text:
    facts = ctx.facts
    cur, prev = facts.current(dx), facts.before(dx)
    direction = facts.direction(dx)
    name = facts.name(dx)
    counts = few_events(facts, dx)
    if counts is not None:  # 9 falls against 8: the counts, not "0.118‰，高于…0.104‰"
        judge_figure(ctx, dx, name, cur, prev, direction)
        return event_counts(facts, dx, *counts)
    label = subject(name, cur.unit)
    if not facts.full(dx):
        label = f"{facts.scope_words(dx)}{label}"  # "3—6月手卫生依从率为…"
    parts: list[Text | None] = [n.state(label, cur, None, direction=direction)]
    goal = target_quantity(ctx, dx)
    if goal is not None and direction is not None and facts.full(dx):
        parts.append(n.target(cur, goal, direction=direction, elapsed=elapsed_share_of(ctx, dx)))
    said = n.compare(cur, prev, period=comparison_period(facts, dx), direction=direction)
    parts.append(said)
    if direction is None and said and "持平" not in n.plain(said):
        # a monitored rate that moved because its denominator did (周转 up, beds down)
        cause = explain(facts, dx, min_change=CAUSE_CHANGE, cases=False)
        if cause and causes is not None:  # said by the section, once for all it explains
            causes[dx] = cause
        elif cause:
            parts[-1] = n.merge([*said, *cause])
    threshold = (spec.get("thresholds") or {}).get(dx)
    if goal is not None or contract_statuses(ctx).get(dx) == "missed":
        # a set target (or a 责任书's, missed) is the bar: a lower monthly floor flatters the
        # result (read 2026-12-07: "各月均在80%以上" beside a missed 85% target)
        threshold = None
    if threshold is not None and facts.coverage(dx).full:
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


def event_counts(facts, dx: str, now: n.Quantity, before: n.Quantity) -> Text:
    """ "住院患者跌倒9例次，上年同期8例次" (or "与上年持平", "上年同期未发生"): a rate on a
    handful of events said by its events, each count a figure of the engine's."""
    top = facts.parts[dx][0]
    label = subject(facts.name(top), now.unit)
    ref = comparison_words(facts)
    if before.value == 0:
        return n.merge([label, n.fmt(now), f"，{ref}未发生"])
    if now.value == before.value:
        return n.merge([label, n.fmt(now), f"，与{ref}持平"])
    return n.merge([label, n.fmt(now), f"，{ref}", n.fmt(before)])


def comparison_words(facts) -> str:
    yearly = facts.period.type.name == "YEARLY" and not is_range(facts.period)
    return "上年" if yearly else "上年同期"


# reporting: 应报, 已报, 按时 across the unit's subtree


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


DATA_KINDS = {"figures", "indicators"}


BUILDERS = {
    "work_done": work_done_section,
    "party_reform": party_reform_section,
    "area": area_section,
    "district_reform": reform_section,
    "supervision": supervision_section,
    "plan_review": plan_review_section,
    "inspections": inspections_section,
    "figures": figures_section,
    "indicators": indicators_section,
    "reporting": reporting_section,
    "problems": problems_section,
    "next_steps": next_steps_section,
    "text": text_section,
    "plan_targets": plan_targets_section,
}
