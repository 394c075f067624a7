"""Explanations: why a problem's figure moved, said in one clause from the facts that
decompose it (causes.py weighs them): a rate's denominator or cases, the sub-unit or months
that carry a count's change, the component of an average (次均药品费用), the checklist items
failed again and again, the survey items scored lowest. Nothing is said where the data shows
no clear driver."""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from weijian import periods

from . import causes, timeframe
from . import narrative as n
from .facts import Facts
from .narrative import Quantity, Text

# An event rate moves on a few events: a change of fewer than MIN_EVENT_CHANGE cases is not
# carried by anything worth naming (and is no trend: judgements.py; no problem at all:
# causes.trivial_count_change).
MIN_EVENT_CHANGE = causes.MIN_COUNT_CHANGE
# counts that are samples (questionnaires), not events: no cause in "由…增至…"
SAMPLE_UNITS = frozenset({"份"})


def subject(name: str, unit: str) -> str:
    """ "门急诊人次" before "25.39万人次" reads twice: say "门急诊25.39万人次"."""
    if unit and len(name) > len(unit) and name.endswith(unit):
        return name[: -len(unit)]
    if name.endswith("病例数"):  # "切口感染病例数" → "切口感染病例由5例增至12例"
        return name[:-1]
    # "健康讲座次数52次", "印刷资料份数4.39万份": the count word says it again
    bare = unit.removeprefix("万")
    if bare and len(name) > len(bare) + 1 and name.endswith(bare + "数"):
        return name[: -len(bare) - 1]
    return name


class Why(NamedTuple):
    """A cause said in words (`text`, spans to append to the problem's clause) and kept as
    data (`cause`, for Problem.cause: the plan's task aims at it)."""

    text: Text
    cause: causes.Cause | None = None


NO_WHY = Why(())


def first_why(*found: Why) -> Why:
    """The first of several candidate explanations that says something."""
    return next((w for w in found if w.text), NO_WHY)


def explain(facts: Facts, dx: str, *, min_change: Decimal = Decimal(5), cases: bool = True) -> Text:
    """explain_why's words (the sections' use)."""
    return explain_why(facts, dx, min_change=min_change, cases=cases).text


def explain_why(facts: Facts, dx: str, *, min_change: Decimal = Decimal(5), cases: bool = True) -> Why:  # fmt: skip
    """Why a rate moved, where its parts show it (causes.py weighs them): "，主要是实际开放总
    床日数减少6.2%所致" when the denominator moved by `min_change` % or more and the numerator
    by less than half as much (病床周转 up with 出院 flat: the beds fell); else, with `cases`,
    the cases and what carries their change — "（切口感染病例由上年同期的5例增至19例），新增
    病例主要集中在外科（11例，上年同期无）", "（…），主要集中在5—6月"."""
    if dx not in facts.parts:
        return NO_WHY
    top, bottom = facts.parts[dx]
    scope = facts.scope(dx)
    last = facts.ranges[dx][1] if dx in facts.ranges else facts.last_year
    now_top, before_top = facts.value(top, scope), facts.value(top, last)
    now_bottom, before_bottom = facts.value(bottom, scope), facts.value(bottom, last)
    if None in (now_top, before_top, now_bottom, before_bottom) or not before_bottom:
        return NO_WHY
    found = causes.denominator_cause(
        causes.Change(now_top, before_top), causes.Change(now_bottom, before_bottom), min_move=min_change
    )  # fmt: skip
    if found is not None:
        bottom_change = found.pct
        word = "减少" if bottom_change < 0 else "增加"
        shown = n.fmt(Quantity(abs(bottom_change), "%", {}, is_rate=True, decimals=1)).text
        inputs = (facts.quantity(bottom, scope), facts.quantity(bottom, last))
        pct = n.derived(shown, bottom_change, "pct_change", *inputs)
        # the name in full: no figure follows it ("实际开放总床日数减少4.1%", not "…总减少")
        found = causes.Cause("denominator", found.share, label=facts.name(bottom), change=found.change, pct=found.pct)  # fmt: skip
        return Why(n.merge([f"，主要是{facts.name(bottom)}{word}", pct, "所致"]), found)
    if now_top == before_top or not cases:
        return NO_WHY
    if facts.unit_of(top) in SAMPLE_UNITS:
        return NO_WHY  # "满意问卷由213份降至192份" restates the rate, it explains nothing
    label = subject(facts.name(top), facts.unit_of(top))
    verb = "增至" if now_top > before_top else "降至"
    ref = "上年" if scope.type is periods.PeriodType.YEARLY and not timeframe.is_range(scope) else "上年同期"  # fmt: skip
    where = NO_WHY
    if abs(now_top - before_top) >= MIN_EVENT_CHANGE and facts.full(dx):
        where = carried_why(facts, top)
    counts = [f"（{label}由{ref}的", n.fmt(facts.quantity(top, last)), verb, n.fmt(facts.quantity(top, scope)), "）"]  # fmt: skip
    return Why(n.merge([*counts, *where.text, *unit_volume(facts, dx, where.cause)]), where.cause)


def unit_volume(facts: Facts, dx: str, cause: causes.Cause | None) -> Text:
    """For a rate's cases carried by one department, that department's own volume (the rate's
    denominator) beside them: deaths up with admissions up is case mix, not a rate that rose
    within the department (read 2026-12-07 23:30) — "，同期内科出院人次增长12.3%",
    "，同期外科Ⅰ类切口手术患者增长3.1%". What the data shows, no verdict on it. () for any
    other cause, or a volume not known in both years or unchanged at one decimal."""
    if cause is None or cause.kind != "unit" or dx not in facts.parts:
        return ()
    top, bottom = facts.parts[dx]
    found = facts.carrier(top)
    if found is None:
        return ()
    from weijian.indicators.analytics import analyse

    child = found[0]
    result = analyse([bottom], [facts.period, facts.last_year], [child])
    now = result.value(bottom, facts.period.id, child.code)
    before = result.value(bottom, facts.last_year.id, child.code)
    if not now or not before:
        return ()
    pct = (now - before) / before * 100
    shown = n.fmt(Quantity(abs(pct), "%", {}, is_rate=True, decimals=1)).text
    if not Decimal(shown.rstrip("%")):
        return ()
    unit = facts.unit_of(bottom)

    def volume(value: Decimal, period) -> Quantity:
        return Quantity(value, unit, {"dx": bottom, "pe": period.id, "ou": child.code})

    figure = n.derived(shown, pct, "pct_change", volume(now, facts.period), volume(before, facts.last_year))  # fmt: skip
    name = facts.name(bottom).removeprefix("护理单元同期").removesuffix("总数")
    word = "增长" if pct > 0 else "下降"
    return n.merge([f"，同期{cause.label}{name}{word}", figure, pace(cause.change, pct)])


def pace(cases: causes.Change | None, volume_pct: Decimal) -> str:
    """The conclusion a reader wants from the cases beside the volume (director reads of
    2026-12-08: "同期外科…增长10.8%" left them to infer it): cases up at least twice as fast as
    a rising volume, or up while it did not rise, "，增幅明显高于业务量增幅" (not case mix); up
    no more than 1.25 times as fast, "，与业务量增长基本同步"; in between, nothing said."""
    if cases is None or cases.delta <= 0:
        return ""
    case_pct = cases.pct()  # None: up from no case at all
    if volume_pct <= 0 or case_pct is None or case_pct >= 2 * volume_pct:
        return "，增幅明显高于业务量增幅"
    if case_pct <= Decimal("1.25") * volume_pct:
        return "，与业务量增长基本同步"
    return ""


def carried_by(facts: Facts, code: str, measure: str | None = None) -> list:
    """carried_why's words."""
    return list(carried_why(facts, code, measure).text)


# the measures whose counts are cases ("新增病例主要集中在外科")
CASE_UNITS = frozenset({"例", "例次"})


def carried_why(facts: Facts, code: str, measure: str | None = None) -> Why:
    """What carries the change of a count, the strongest of: the sub-unit that carries
    causes.CARRY_SHARE (60 %) or more of the change, said once, as an office writes it —
    "，新增病例主要集中在外科（11例，上年同期无）", "，增加主要集中在内科（37例，上年同期26例）"
    (not "其中外科由0例增至11例" after the total's own "由…增至…": a blind reader's tell) — or
    the months ("，主要集中在5—6月"); NO_WHY when neither carries it."""
    unit = facts.carrier(code)
    by_unit = None
    if unit is not None:
        child, now, before = unit
        total = causes.Change(facts.value(code, facts.period), facts.value(code, facts.last_year))
        name = child.short_name or child.name
        by_unit = causes.Cause("unit", (now - before) / total.delta, label=name, change=causes.Change(now, before))  # fmt: skip
    by_months = causes.months_cause(facts.month_changes(code))
    found = causes.strongest(by_unit, by_months)
    if found is None:
        return NO_WHY
    if found.kind == "months":
        return Why((f"，主要集中在{causes.months_words(found)}",), found)
    child, now, before = unit
    measure = measure or facts.unit_of(code)  # the caller's (deaths in 例, not the element's 人)
    source = {"dx": code, "ou": child.code}
    is_ = n.fmt(Quantity(now, measure, {**source, "pe": facts.period.id}))
    ref = "上年同期" if facts.period.type is not periods.PeriodType.YEARLY else "上年"
    if now > before and not before:
        noun = "病例" if measure in CASE_UNITS else ""
        return Why(n.merge([f"，新增{noun}主要集中在{found.label}（", is_, f"，{ref}无）"]), found)
    was = n.fmt(Quantity(before, measure, {**source, "pe": facts.last_year.id}))
    word = "增加" if now > before else "减少"
    return Why(n.merge([f"，{word}主要集中在{found.label}（", is_, f"，{ref}", was, "）"]), found)


def lag_why(facts: Facts, dx: str, goal: Decimal, elapsed: Decimal) -> Why:
    """A count behind its year's target although no worse than last year: the sub-unit whose
    shortfall carries causes.CARRY_SHARE (60 %) or more of the whole, each held to its own
    same period last year grown at the rate the schedule needs (序时目标 ÷ 上年同期) —
    "，差距主要在外科（560人次，上年同期600人次）". NO_WHY when the shortfall is spread."""
    if not facts.is_cumulative(dx) or facts.is_rate(dx) or not facts.full(dx):
        return NO_WHY
    now, before = facts.value(dx, facts.period), facts.value(dx, facts.last_year)
    schedule = goal * elapsed
    if now is None or not before or now >= schedule:
        return NO_WHY
    from weijian.indicators.analytics import analyse

    grown = schedule / before
    children = facts.sub_units()
    if not children:
        return NO_WHY
    result = analyse([dx], [facts.period, facts.last_year], children)
    names, shortfalls = {}, []
    for child in children:
        child_now = result.value(dx, facts.period.id, child.code)
        child_before = result.value(dx, facts.last_year.id, child.code)
        if child_now is None and child_before is None:
            continue
        names[child.code] = (child, child_now or Decimal(0), child_before or Decimal(0))
        shortfalls.append((child.code, causes.Change(child_now or Decimal(0), (child_before or Decimal(0)) * grown)))  # fmt: skip
    found = causes.unit_cause(causes.Change(now, schedule), shortfalls)
    if found is None:
        return NO_WHY
    child, child_now, child_before = names[found.label]
    name = child.short_name or child.name
    unit = facts.unit_of(dx)
    source = {"dx": dx, "ou": child.code}
    is_ = n.fmt(Quantity(child_now, unit, {**source, "pe": facts.period.id}))
    was = n.fmt(Quantity(child_before, unit, {**source, "pe": facts.last_year.id}))
    ref = "上年同期" if facts.period.type is not periods.PeriodType.YEARLY else "上年"
    cause = causes.Cause("unit", found.share, label=name, change=causes.Change(child_now, child_before))  # fmt: skip
    return Why(n.merge([f"，差距主要在{name}（", is_, f"，{ref}", was, "）"]), cause)


OTHER_COSTS = "非药品费用"  # the rest of an average cost, beside the drugs the data keeps


def component_why(facts: Facts, dx: str) -> Why:
    """The component (次均药品费用) that carries CARRY_SHARE or more of an average's change,
    where the data keeps it, or the rest of it (非药品费用: the data breaks it down no further);
    NO_WHY otherwise."""
    components = causes.COMPONENTS.get(dx)
    if not components or not facts.full(dx):
        return NO_WHY
    now, before = facts.value(dx, facts.period), facts.value(dx, facts.last_year)
    if now is None or before is None:
        return NO_WHY
    changes = []
    for code, _label in components:
        part_now, part_before = facts.value(code, facts.period), facts.value(code, facts.last_year)
        if part_now is not None and part_before is not None:
            changes.append((code, causes.Change(part_now, part_before)))
    total = causes.Change(now, before)
    # the rest of the average (药品以外的费用) is a component too: it carries a rise the
    # drugs do not
    rest = total.delta - sum((c.delta for _, c in changes), Decimal(0))
    found = causes.unit_cause(total, [*changes, ("", causes.Change(rest, Decimal(0)))])
    if found is None or not changes:
        return NO_WHY
    unit = facts.unit_of(dx)

    def figure(code: str, value: Decimal, period) -> n.Figure:
        return n.fmt(Quantity(value, unit, {"dx": code, "pe": period.id, "ou": facts.unit.code}, decimals=2))  # fmt: skip

    if found.label == "":  # "，主要是非药品费用上升（次均药品费用由102.55元增至105.44元）"
        code, change = changes[0]
        word = "上升" if total.delta > 0 else "下降"
        verb = "增至" if change.delta > 0 else "降至"
        label = dict(components)[code]
        cause = causes.Cause("component", found.share, label=OTHER_COSTS, change=change)
        return Why(n.merge([
            f"，主要是{OTHER_COSTS}{word}（{label}由",
            figure(code, change.before, facts.last_year), verb, figure(code, change.now, facts.period), "）",
        ]), cause)  # fmt: skip
    label = dict(components)[found.label]
    verb = "增至" if found.change.delta > 0 else "降至"
    cause = causes.Cause("component", found.share, label=label, change=found.change)
    return Why(n.merge([
        f"，主要是{label}由", figure(found.label, found.change.before, facts.last_year), verb,
        figure(found.label, found.change.now, facts.period), "所致",
    ]), cause)  # fmt: skip


def count_why(facts: Facts, dx: str) -> Why:
    """Why a count (门急诊人次, 出院人次) went the wrong way, where the data shows it: the
    sub-unit or the months that carry the change, "，减少主要集中在儿科（3.21万人次，上年
    4.10万人次）", "，减少主要集中在5—6月". NO_WHY for a rate, a partial period or no clear
    carrier."""
    if dx in facts.parts or facts.is_rate(dx) or not facts.is_cumulative(dx) or not facts.full(dx):
        return NO_WHY
    found = carried_why(facts, dx)
    if found.cause is not None and found.cause.kind == "months":
        now, before = facts.value(dx, facts.period), facts.value(dx, facts.last_year)
        word = "增加" if now is not None and before is not None and now > before else "减少"
        return Why((f"，{word}{found.text[0][1:]}",), found.cause)
    return found


# -- surveys and inspections --------------------------------------------------------------------

MIN_ITEM_ANSWERS = 30  # answers an item's satisfaction must stand on to be named


def item_name(text: str) -> str:
    """ "您对绩效分配的公平性是否满意？" → "绩效分配的公平性"."""
    text = text.strip().rstrip("？?")
    text = text.removeprefix("您对").removesuffix("是否满意")
    return text.strip()


def survey_items_why(unit, kind: str, scope: periods.Period, overall: Decimal) -> Why:
    """For a satisfaction below its floor, the survey items scored lowest (their share of
    satisfied answers), those below the overall figure: "，问卷中“绩效分配的公平性”“工作环境和
    条件”两项满意率最低（分别为58.1%、60.3%）". () without such items or answers enough."""
    from weijian.surveys.models import SATISFIED_FROM, Question, QuestionType, Response
    from weijian.surveys.queries import in_period

    responses = in_period(
        Response.objects.filter(org_unit__path__startswith=unit.path, kind=kind), scope
    ).values_list("survey__questionnaire_id", "answers")
    rows = list(responses)
    if not rows:
        return NO_WHY
    questions = Question.objects.filter(
        questionnaire_id__in={q for q, _ in rows}, type=QuestionType.SCALE, overall=False
    )
    tallies: dict[str, list[int]] = {}
    for question in questions:
        key, name = str(question.pk), item_name(question.text)
        given = [a[key] for q, a in rows if q == question.questionnaire_id and key in a]
        if len(given) >= MIN_ITEM_ANSWERS:
            counts = tallies.setdefault(name, [0, 0])
            counts[0] += sum(1 for v in given if v >= SATISFIED_FROM)
            counts[1] += len(given)
    shares = {name: Decimal(ok) * 100 / Decimal(total) for name, (ok, total) in tallies.items()}
    lowest = causes.lowest_items(shares, overall)
    if not lowest:
        return NO_WHY
    source = {"source": "满意度调查", "query": f"{unit.code} {kind} {scope.id} 各题满意（≥{SATISFIED_FROM}分）比例"}  # fmt: skip
    names = "".join(f"“{name}”" for name, _ in lowest)
    figures = n.join([(n.fmt(Quantity(share, "%", source, is_rate=True, decimals=1)),) for _, share in lowest], sep="、")  # fmt: skip
    both = ("两项", "分别为") if len(lowest) > 1 else ("", "")
    cause = causes.Cause("survey", Decimal(1), labels=tuple(name for name, _ in lowest))
    return Why(n.merge([f"，问卷中{names}{both[0]}满意率最低（{both[1]}", *figures, "）"]), cause)


def repeated_findings_cause(inspections: list, query: str) -> Text:
    """repeated_findings_why's words."""
    return repeated_findings_why(inspections, query).text


def repeated_findings_why(inspections: list, query: str) -> Why:
    """For inspections scored below their pass mark, the checklist items that lost points in
    two or more of them and stand out (causes.repeated_items): "，其中“急救技能”在4次检查中均
    被扣分" — the same defect found again. () when none does."""
    from django.db.models import F, Q

    from weijian.inspections.models import ItemScore

    failed: dict[str, set[int]] = {}
    lost = Q(failed=True) | Q(earned__lt=F("item__points")) | Q(score__lt=F("item__points"))
    scores = ItemScore.objects.filter(lost, inspection__in=inspections, na=False).values_list(
        "item__content", "inspection_id"
    )
    for content, inspection in scores:
        failed.setdefault(content, set()).add(inspection)
    found = causes.repeated_items({item: len(ids) for item, ids in failed.items()})
    if not found:
        return NO_WHY
    cause = causes.Cause("items", Decimal(1), labels=tuple(item for item, _ in found))
    source = {"source": "督导检查", "query": f"{query} 扣分项目"}
    names = "".join(f"“{item}”" for item, _ in found)
    figures = [n.fmt(Quantity(Decimal(count), "次", {**source, "item": item})) for item, count in found]  # fmt: skip
    if len(found) == 1:
        return Why(n.merge([f"，其中{names}在", figures[0], "检查中均被扣分"]), cause)
    return Why(
        n.merge([f"，其中{names}分别在", figures[0], "、", figures[1], "检查中被扣分"]), cause
    )
