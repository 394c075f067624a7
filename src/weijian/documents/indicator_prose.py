"""An indicator section told as an office writer tells it (issue 11 items 5 and 9; director
reads of 2026-12-07 23:30: "（五）（六） print 5–8 indicators in a row, each 'X为a%，同比上升b个
百分点'"): at most MAX_TOLD indicators in the prose, chosen by what matters — a target missed,
then a target met, then the largest relative changes — and the rest left to the table.

Each told indicator is phrased by what it did, not by one formula:
- against its target: "手卫生依从率提高到85.72%，达到85%的目标要求" (the level and the bar);
- worse than last year: "Ⅰ类切口感染率由上年同期的0.42%升至1.56%" (both years, so the table
  need not repeat the row);
- better than last year: "病原学送检率同比提高8.09个百分点" (the change; the level is the table's);
- held, a monitored rate, a handful of events, a rate moved by its denominator: the section's
  own clause (sections.indicator_clause).
Where the unit's ledger holds work on the indicator's own topic (measures.yaml `indicators`),
the sentence goes measure → result ("通过组织医院感染防控与手卫生培训2次，手卫生依从率提高
到…") only before an improvement; otherwise the work stays with the section's own account of
what was done (measures.yaml topics), never said as the cause of a change."""

from __future__ import annotations

from dataclasses import dataclass

from . import narrative as n
from .context import Context
from .judgements import comparison_period, few_events, relative_change, target_quantity
from .measures import indicator_measure
from .narrative import Text
from .timeframe import is_range
from .work_done import contract_statuses

MAX_TOLD = 3  # indicators a section's prose tells; a fourth reads as a data dump

MISSED_WORDS = ("超出", "低于", "未完成", "滞后")


@dataclass
class Told:
    """One indicator as the prose tells it: its clause (`head`), the 目标责任书's verdict said
    after it (`bar`, shared by neighbours that have the same), the work on its own topic that
    may go before an improvement (`measure`), and whether it printed both this year's and last
    year's figure (`whole`: the table then leaves the row out)."""

    dx: str
    head: Text
    whole: bool = False
    bar: str | None = None
    measure: Text | None = None
    # a change in points said alone ("比上年提高", Figure): neighbours of the same words are
    # said together ("…分别比上年提高3.42、1.74、1.47个百分点"), not three times in a row
    gain: tuple[str, n.Figure] | None = None


def ranked(ctx: Context, codes: list[str], explained: frozenset[str] = frozenset()) -> list[str]:
    """The codes in the order they deserve telling: a missed target, a met target, a change the
    data explains (`explained`: "…主要是实有床位数减少4.1%所致", a judgement the table cannot
    carry), then by the size of the relative change (a rate that tripled before one up by 2 %)."""
    facts = ctx.facts

    contracts = contract_statuses(ctx)

    def key(dx: str):
        goal = target_quantity(ctx, dx)
        if goal is not None and facts.full(dx) and facts.direction(dx) is not None:
            words = n.plain(n.target(facts.current(dx), goal, direction=facts.direction(dx)))
            rank = 0 if any(w in words for w in MISSED_WORDS) else 1
        else:  # a 目标责任书's target, judged after the year (work_done.contract_statuses)
            rank = {"missed": 0, "met": 1}.get(contracts.get(dx, ""), 2 if dx in explained else 3)
        change = relative_change(facts.current(dx), facts.before(dx))
        if rank == 2:  # explained changes in the template's order: a shared cause is said
            # after its last figure ("病床使用率…；病床周转…，…主要是实有床位数减少4.1%所致"),
            # never before a figure it explains (blind read of 2026-12-08)
            return (rank, 0, codes.index(dx))
        return (rank, -abs(change) if change is not None else 0, codes.index(dx))

    return sorted(codes, key=key)


def moved(ctx: Context, dx: str) -> bool:
    """The figure changed on last year by more than the prose calls 持平."""
    facts = ctx.facts
    said = n.compare(facts.current(dx), facts.before(dx), period=comparison_period(facts, dx))
    return bool(said) and "持平" not in n.plain(said)


def told(ctx: Context, dx: str, own: Text, cause: bool) -> Told:
    """How the prose tells `dx`; `own` is the section's clause for it (the fallback), `cause`
    whether that clause explains the change by its denominator."""
    facts = ctx.facts
    cur, prev = facts.current(dx), facts.before(dx)
    direction = facts.direction(dx)
    plain_rate = (
        not cause
        and few_events(facts, dx) is None
        and facts.full(dx)
        and direction is not None
        and (facts.is_rate(dx) or cur.unit in ("%", "‰") or cur.unit in n.AVERAGE_UNITS)
    )
    if not plain_rate:
        return Told(dx, own)
    name = facts.name(dx)
    up = n.has_value(prev) and cur.value > prev.value
    said = n.compare(cur, prev, period=comparison_period(facts, dx), direction=direction)
    moved = bool(said) and "持平" not in n.plain(said)
    better = moved and (up == (direction == "up"))
    # the work on the figure's own topic goes before an improvement only: before a change for
    # the worse it would claim the work made it worse (it stays with the section's own account
    # of what was done, measures.yaml topics)
    measure = indicator_measure(ctx, dx) if better else None
    if measure is not None and not sustained(measure):
        measure = None  # told with the section's other work, not as the change's cause
    verb = (
        "为" if not moved else ("提高到" if up and direction == "up" else "升至" if up else "降至")
    )
    level = n.merge([name, verb, n.fmt(cur)])
    goal = target_quantity(ctx, dx)
    contract = contract_statuses(ctx).get(dx)
    if goal is None and contract is not None:
        # the 责任书's bound and gap are said in 存在的问题 (work_done.contract_problem); here
        # the verdict beside the level
        return Told(dx, level, bar=contract, measure=measure)
    if goal is not None:
        reached = n.target(cur, goal, direction=direction)
        if better and any(w in n.plain(reached) for w in MISSED_WORDS):
            # "降至1.21%，超出1.20%的控制目标" read as two verdicts at odds (director reads of
            # 2026-12-08): the level, its improvement, then the miss — "为1.21%，同比下降0.06个
            # 百分点，但超出1.20%的控制目标0.01个百分点"
            head = n.merge([name, "为", n.fmt(cur), "，", *said, "，但", *reached])
            return Told(dx, head, measure=measure)
        return Told(dx, n.join([level, reached]), measure=measure)
    if not moved:
        return Told(dx, own)
    if better and "个百分点" in n.plain(said):
        words = "".join(span for span in said if isinstance(span, str))
        figure = n.figures(said)[0]
        gain = (words, figure) if n.plain(said) == words + figure.text else None
        return Told(dx, n.merge([name, *said]), measure=measure, gain=gain)  # level: the table's
    yearly = facts.scope(dx).type.name == "YEARLY" and not is_range(facts.scope(dx))
    ref = "上年" if yearly else "上年同期"
    head = n.merge([name, "由", ref, "的", n.fmt(prev), verb, n.fmt(cur)])
    return Told(dx, head, whole=True, measure=measure)


def sustained(measure: Text) -> bool:
    """Work enough to stand before a result as "通过…": two events or more ("培训2次"). One
    training said to have raised a year's hand hygiene by 3.54 points read as not credible, and
    as publishing that the year had one (director read of 2026-12-08)."""
    counts = [f.value for f in n.figures(measure) if f.text.endswith("次")]
    return bool(counts) and sum(counts) >= 2


BARS = {"met": "达到目标责任书确定的目标", "missed": "未达到目标责任书确定的目标"}


def paragraph_text(ctx: Context, tolds: list[Told], rest: Text | None) -> Text:
    """The told figures joined by "；", then the pointer to the table. Neighbours with the same
    责任书 verdict share it ("医院感染发病率降至1.30%，手卫生依从率提高到83.23%，但均未达到…"),
    and then no work goes before either (it would read as the cause of both)."""
    clauses: list[Text] = []
    index = 0
    while index < len(tolds):
        item = tolds[index]
        group = [item]
        while index + len(group) < len(tolds) and _together(item, tolds[index + len(group)]):
            group.append(tolds[index + len(group)])
        index += len(group)
        if len(group) > 1 and item.gain:
            clauses.append(_gains(ctx, group))
            continue
        if len(group) > 1:
            lead = "但均" if item.bar == "missed" else "均"
            clauses.append(n.merge([*n.join([t.head for t in group]), "，", lead, BARS[item.bar]]))
            continue
        clause = item.head
        if item.bar:
            clause = n.merge([*clause, "，", "仍" if item.bar == "missed" else "", BARS[item.bar]])
        if item.measure:
            indicator_measure(ctx, item.dx, tell=True)  # told here, not again in the section
            clause = n.merge(["通过", *item.measure, "，", *clause])
        clauses.append(clause)
    if rest:
        clauses.append(rest)
    return n.sentence(n.join(clauses, sep="；")) if clauses else ()


def _together(first: Told, other: Told) -> bool:
    """Said in one clause: the same 责任书 verdict, or changes in points of the same words with
    no work before either."""
    if first.bar:
        return other.bar == first.bar
    return (
        first.gain is not None
        and other.gain is not None
        and first.gain[0] == other.gain[0]
        and not first.measure
        and not other.measure
    )


def _gains(ctx: Context, group: list[Told]) -> Text:
    """ "产后访视率、孕产妇系统管理率和早孕建册率比上年分别提高3.42、1.74、1.47个百分点"."""
    names = [ctx.facts.name(t.dx) for t in group]
    words = group[0].gain[0]
    verb = next(v for v in ("提高", "上升", "下降", "降低") if words.endswith(v))
    figures: list = []
    for position, told_one in enumerate(group):
        figure = told_one.gain[1]
        last = position == len(group) - 1
        if not last:  # "3.42、1.74、1.47个百分点": the unit once, after the last
            figure = n.Figure(figure.text.removesuffix("个百分点"), figure.value, figure.source)
        figures += [figure] if last else [figure, "、"]
    head = "、".join(names[:-1]) + "和" + names[-1]
    return n.merge([head, words.removesuffix(verb), "分别", verb, *figures])
