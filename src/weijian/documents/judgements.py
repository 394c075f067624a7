"""Judgements: what the figures say about the unit — a target missed, a rate below the
district's floor, a norm not met, a change for the worse, a death or a safety event — as the
problems under 存在问题 (ranked in ranking.py), each saying what happened and, where the data
shows it, why.

Rules that keep the judgements honest:
- A rate is judged on the cases it stands on: a trend is a problem only when its denominator is
  at least MIN_SAMPLE in both years (no "1 of 2 cases doubled").
- Survey floors are the district's rules kept with each questionnaire (surveys.queries.rules_for),
  named with their consequence and the number of questionnaires.
- A year's target is judged only on a figure that covers the whole period (facts.progress).
"""

from __future__ import annotations

from decimal import Decimal

from weijian import periods

from . import causes, timeframe, verdicts
from . import narrative as n
from .context import OVERDUE_CODE, Context, Problem
from .explanations import (  # noqa: F401  (explain, subject: the sections' too)
    MIN_EVENT_CHANGE,
    NO_WHY,
    carried_why,
    component_why,
    count_why,
    explain,
    explain_why,
    first_why,
    lag_why,
    subject,
    survey_items_why,
    unit_volume,
)
from .facts import Facts
from .narrative import Quantity, Text

MIN_SAMPLE = Decimal(30)  # cases a rate must stand on (both years) to be judged a trend
# An event rate (infections, falls per 1000 bed-days) moves on a few events: a trend needs at
# least MIN_EVENTS of them in one of the two years and a change of MIN_EVENT_CHANGE events
# (falls 8 → 9 is no trend, however small the denominator makes the rate).
MIN_EVENTS = Decimal(10)
SURGE_CHANGE = Decimal(100)  # % up: a rate that doubled is a safety event, not a trend
SURVEY_KINDS = {"SVY_INPAT_RATE": "INPAT", "SVY_OUTPAT_RATE": "OUTPAT", "SVY_STAFF_RATE": "STAFF"}


def comparison_period(facts: Facts, dx: str | None = None) -> str | None:
    """The period id the narrative names its comparison by (比上年 for a year, 同比 else)."""
    scope = facts.scope(dx) if dx else facts.period
    return None if timeframe.is_range(scope) else scope.id


def target_quantity(ctx: Context, dx: str) -> Quantity | None:
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


def elapsed_share_of(ctx: Context, dx: str) -> Decimal:
    facts = ctx.facts
    if not facts.is_cumulative(dx):
        return Decimal(1)
    year = periods.Period.parse(str(facts.period.end.year))
    from weijian.indicators.models import elapsed_share

    return elapsed_share(year, facts.covered_to())


def as_count(q: Quantity, unit: str) -> Quantity:
    return Quantity(q.value, q.unit or unit, q.source, q.is_rate, q.decimals)


def relative_change(cur: Quantity, prev: Quantity) -> Decimal | None:
    """The relative change in %, for counts and rates alike."""
    if not n.has_value(cur) or not n.has_value(prev) or not prev.value:
        return None
    return (cur.value - prev.value) / abs(prev.value) * 100


def movement_of(facts: Facts, dx: str, direction: str | None = None) -> verdicts.Movement | None:
    """What `dx` did against last year (and its target), for verdicts."""
    if dx not in facts.known or not facts.stated(dx):
        return None
    cur, prev = facts.current(dx), facts.before(dx)
    if not n.has_value(cur):
        return None
    direction = direction if direction is not None else facts.direction(dx)
    return verdicts.movement(
        cur.value,
        prev.value if n.has_value(prev) else None,
        kind=facts.kind(dx),
        direction=direction,
        percent=facts.unit_of(dx) == "%",
        target=facts.target_status(dx) if facts.target(dx) is not None else None,
        name=facts.name(dx),
    )


# -- judging one figure ---------------------------------------------------------------------


def judge_figure(ctx: Context, dx, name, cur: Quantity, prev: Quantity | None, direction) -> None:
    """Add the figure's problem, if it has one: a missed target, a breached survey floor,
    overdue rectifications, or a change for the worse."""
    name = subject(name, cur.unit)
    if dx in ctx.seen:
        return
    ctx.seen.add(dx)
    facts = ctx.facts
    if not n.has_value(cur):
        return
    if facts.unmet(dx):
        goal = target_quantity(ctx, dx)
        text = n.join([n.state(name, cur, None), n.target(cur, goal, direction=direction or "up", elapsed=elapsed_share_of(ctx, dx))])  # fmt: skip
        kind = "target"
        if goal is not None and facts.target_status(dx) == "missed" and near_miss(
            cur.value, goal.value, prev.value if prev is not None and n.has_value(prev) else None,
            direction or "up", decimals=facts.decimals(dx),
        ):  # fmt: skip
            kind = "near_target"
        why = NO_WHY
        if _worse_than_before(cur, prev, direction):  # why it moved away from the target
            why = _why(facts, dx)
        elif goal is not None:
            # a count behind its target though no worse than last year: where the shortfall is
            why = lag_why(facts, dx, goal.value, elapsed_share_of(ctx, dx))
        text = n.merge([*text, *why.text])
        ctx.problems.append(Problem(kind, dx, name, text, _shortfall(cur, goal, direction), cause=why.cause))  # fmt: skip
        return
    if dx == OVERDUE_CODE and cur.value and cur.value > 0:
        text = n.fill("部分督导检查发现问题整改不及时，{span}逾期未完成整改{n}", span=facts.scope_words(dx), n=n.fmt(as_count(cur, "项")))  # fmt: skip
        ctx.problems.append(Problem("overdue", dx, name, text, cur.value))
        return
    if has_norm(facts, dx):
        return  # a count with a service norm (宣传栏每年不少于6次) is judged by it: judge_norms
    if dx in SURVEY_KINDS:
        if not _judge_survey(ctx, dx, name, cur):
            # above its floor, a satisfaction that fell is still a trend for the worse
            _judge_trend(ctx, dx, name, cur, prev, direction)
        return
    _judge_trend(ctx, dx, name, cur, prev, direction)


def _worse_than_before(cur: Quantity, prev: Quantity | None, direction) -> bool:
    """The figure went the wrong way since last year: what carried that change explains a
    missed target (a target missed by a figure that improved has no such cause)."""
    if prev is None or not n.has_value(prev) or direction not in ("up", "down"):
        return False
    return cur.value > prev.value if direction == "down" else cur.value < prev.value


def _why(facts: Facts, dx: str):
    """Why a figure went the wrong way: its rate's parts, else the count's carrier, else the
    average's component (explanations.py)."""
    return first_why(explain_why(facts, dx), count_why(facts, dx), component_why(facts, dx))


# A target missed within the indicator's measurement noise is no problem to number (read
# 2026-12-07 23:30: 院感发病率 1.21 % against a 1.20 % cap, 0.01 point, was taken for a machine's
# tell): the section states the figure against its target and 存在的问题 leaves it out.
# Noise is less than NOISE_STEPS printed steps (2 decimals: < 0.05 point; a whole count: < 5),
# half of ten steps; or, while the figure improved on last year, less than NEAR_MISS_IMPROVING %
# of the target. A missed 责任书 target is never a near miss (it has consequences): work_done
# calls this without decimals or a previous figure, so neither rule can hold.
NOISE_STEPS = 5
NEAR_MISS_IMPROVING = Decimal(2)


def near_miss(cur: Decimal, goal: Decimal, prev: Decimal | None, direction: str, *, decimals: int | None = None) -> bool:  # fmt: skip
    """A target missed by less than NOISE_STEPS steps of the printed precision (`decimals`),
    or by less than NEAR_MISS_IMPROVING % of the target while the figure moved the right way
    since last year (`prev`): a mention, not a numbered problem."""
    if not goal:
        return False
    gap = abs(cur - goal)
    noise = decimals is not None and gap < NOISE_STEPS * Decimal(10) ** -decimals
    improving = prev is not None and ((cur < prev) if direction == "down" else (cur > prev))
    return noise or (improving and gap / abs(goal) * 100 < NEAR_MISS_IMPROVING)


def _shortfall(cur: Quantity, goal: Quantity | None, direction) -> Decimal:
    if goal is None or not goal.value:
        return Decimal(0)
    gap = (goal.value - cur.value) if direction != "down" else (cur.value - goal.value)
    return abs(gap) / abs(goal.value) * 100


def survey_rules(ctx: Context) -> dict:
    if "survey_rules" not in ctx.cache:
        from weijian.surveys.queries import rules_for

        ctx.cache["survey_rules"] = rules_for(ctx.facts.unit, ctx.facts.period)
    return ctx.cache["survey_rules"]


def survey_rule(ctx: Context, dx: str):
    return survey_rules(ctx).get(SURVEY_KINDS[dx])


def _judge_survey(ctx: Context, dx: str, name: str, cur: Quantity) -> bool:
    """A satisfaction below the district's floor for its kind of survey, named with the rule's
    consequence and the number of questionnaires; for a unit with institutions below it, each
    institution that breached it (the consequence falls on the institution). True when the
    floor was judged here (breached, or judged per institution)."""
    rule = survey_rule(ctx, dx)
    if rule is None:
        return False
    facts = ctx.facts
    below = _children_below(facts, dx, rule.threshold)
    if below is not None:
        for child, _ in below:
            q, sample, scope = _child_scope(facts, dx, child)
            label = f"{child.short_name or child.name}{name}"
            if scope.id != facts.period.id:  # surveyed part of the period: say which months
                label = f"{child.short_name or child.name}{timeframe.span(scope)}{name}"
            _add_breach(ctx, dx, label, q, sample, rule, scope, child)
        return True
    if cur.value >= rule.threshold:
        return False
    _add_breach(ctx, dx, name, cur, facts.sample(dx), rule, facts.scope(dx), facts.unit)
    return True


def _children_below(facts: Facts, dx: str, threshold: Decimal):
    """The sub-units (with this survey) below the floor, or None when the unit has none to
    speak of (its own figure is then judged)."""
    if facts.children_result is None:
        return None
    values = [(c, facts.children_result.value(dx, facts.period.id, c.code)) for c in facts.children]
    values = [(c, v) for c, v in values if v is not None]
    if not values:
        return None
    return [(c, v) for c, v in values if v < threshold]


def _child_scope(facts: Facts, dx: str, child):
    """A sub-unit's figure over the months it has data for (a survey begun in February is
    stated for 2—6月, with its own period), its sample, and that period."""
    from weijian.indicators.analytics import analyse

    found = facts.coverage(dx, child)
    if found.full or not found.contiguous:
        return facts.quantity(dx, unit=child), facts.child_sample(dx, child), facts.period
    scope = timeframe.coverage_span(
        timeframe.make_range(found.covered[0].start, found.covered[-1].end)
    )
    codes = [dx, *([facts.parts[dx][1]] if dx in facts.parts else [])]
    result = analyse(codes, [scope], [child])
    q = Quantity(
        result.value(dx, scope.id, child.code), facts.unit_of(dx),
        {"dx": dx, "pe": scope.id, "ou": child.code}, is_rate=facts.is_rate(dx),
        decimals=facts.decimals(dx),
    )  # fmt: skip
    sample = result.value(codes[1], scope.id, child.code) if len(codes) > 1 else None
    return q, sample, scope


def _add_breach(ctx: Context, dx, label, cur: Quantity, sample, rule, scope, unit) -> None:
    pe, ou = scope.id, unit.code
    floor = n.fmt(
        Quantity(rule.threshold, "%", {"source": "满意度调查规则", "query": rule.description}, is_rate=True)
    )  # fmt: skip
    parts: list = [*n.state(label, cur, None)]
    if sample is not None:
        code = ctx.facts.parts[dx][1]
        count = Quantity(sample, "份", {"dx": code, "pe": pe, "ou": ou})
        parts += ["（有效问卷", n.fmt(count), "）"]
    parts += ["，低于", floor, f"的底线，按规定将{rule.consequence}"]
    # what pulled it down: the items scored lowest, where enough answered them
    why = survey_items_why(unit, SURVEY_KINDS[dx], scope, cur.value)
    parts += why.text
    size = (rule.threshold - cur.value) / rule.threshold * 100
    if sample is not None and sample < MIN_SAMPLE:
        size = Decimal(0)  # a breach on a handful of questionnaires is named, last in its tier
    ctx.problems.append(Problem("threshold", dx, label, n.merge(parts), size, cause=why.cause))


def _judge_trend(ctx: Context, dx, name, cur: Quantity, prev: Quantity | None, direction) -> None:
    facts = ctx.facts
    if direction not in ("up", "down") or prev is None or not n.has_value(prev):
        return
    move = verdicts.movement(
        cur.value, prev.value, kind=facts.kind(dx), direction=direction,
        percent=cur.unit == "%",
    )  # fmt: skip
    if move is None or move.polarity != "bad":
        return
    if not enough_cases(facts, dx):
        return
    change = relative_change(cur, prev)
    if change is None:
        return
    text = n.state(name, cur, prev, direction=direction, period=comparison_period(facts, dx))
    why = _why(facts, dx)
    if not why.text and dx in SURVEY_KINDS:
        # a satisfaction that fell: the items scored lowest, where enough answered them
        why = survey_items_why(facts.unit, SURVEY_KINDS[dx], facts.scope(dx), cur.value)
    if why.text:
        text = n.merge([*text, *why.text])
    kind = "surge" if is_surge(facts, dx, change, direction) else "trend"
    ctx.problems.append(Problem(kind, dx, name, text, abs(change), direction, cause=why.cause))


def is_surge(facts: Facts, dx: str, change: Decimal, direction: str) -> bool:
    """A rate that should fall and at least doubled (on enough cases, checked before): a
    safety event in its own right, ranked with deaths rather than among the trends."""
    return direction == "down" and facts.is_rate(dx) and change >= SURGE_CHANGE


def enough_cases(facts: Facts, dx: str) -> bool:
    if dx not in facts.parts:
        return True
    now, before = facts.sample(dx), facts.sample(dx, before=True)
    if now is None or before is None or min(now, before) < MIN_SAMPLE:
        return False
    top = facts.parts[dx][0]
    scope = facts.scope(dx)
    last = facts.ranges[dx][1] if dx in facts.ranges else facts.last_year
    events_now, events_before = facts.value(top, scope), facts.value(top, last)
    if events_now is None or events_before is None:
        return False
    if facts.unit_of(dx) != "%" or facts.unit_of(top) in ("例", "例次", "人", "人次"):
        return (
            max(events_now, events_before) >= MIN_EVENTS
            and abs(events_now - events_before) >= MIN_EVENT_CHANGE
        )
    return True


def few_events(facts: Facts, dx: str) -> tuple[Quantity, Quantity] | None:
    """The event counts behind a rate (falls, deaths, infections) when they are too few for
    the rate to mean anything (fewer than MIN_EVENTS in both years): (now, a year before), for
    the body to say the counts instead of a ‰ rate. None for any other rate."""
    if dx not in facts.parts or not facts.full(dx):
        return None
    top = facts.parts[dx][0]
    now, before = facts.quantity(top), facts.quantity(top, facts.last_year)
    if not (n.has_value(now) and n.has_value(before)):
        return None
    if max(now.value, before.value) >= MIN_EVENTS:
        return None
    return now, before


# -- events and norms ---------------------------------------------------------------------------


def judge_events(ctx: Context) -> None:
    """Deaths and safety events the template names (`events: [{dx, what}]`): any at all is a
    problem of the first rank, with the units where they happened."""
    facts = ctx.facts
    for entry in ctx.spec.get("events") or []:
        dx = entry["dx"]
        if dx not in facts.known:
            continue
        cur = facts.current(dx)
        if not n.has_value(cur) or cur.value <= 0:
            continue
        ctx.seen.add(dx)
        count = Quantity(cur.value, entry.get("unit") or "例", cur.source)
        gaps = facts.coverage(dx).missing if not facts.full(dx) else []
        if gaps and not facts.coverage(dx).contiguous:
            listed = "、".join(f"{m.start.month}月" for m in gaps[:3])
            when = f"{facts.scope_words(dx)}（{listed}报表未报）"
        else:
            when = facts.scope_words(dx)
        parts: list = [f"{when}发生{entry['what']}", n.fmt(count)]
        where = _where(facts, dx)
        if where:
            parts += [f"（{where}）"]
        ctx.problems.append(Problem("event", dx, entry["what"], n.merge(parts), cur.value))


def judge_safety(ctx: Context) -> None:
    """Safety rates the template names (`safety: [{dx, what, unit}]`: deaths, falls, pressure
    injuries, adverse events) whose events rose while the rate did not fall: a problem of the
    first rank, however few the events (2 falls becoming 5 is what a director must read first),
    said as counts ("住院患者跌倒由上年同期的2例增至5例"); the rate follows only when it stands on
    MIN_SAMPLE cases in both years (the sample floor is for rates, never for events)."""
    facts = ctx.facts
    for entry in ctx.spec.get("safety") or []:
        dx = entry["dx"]
        if dx not in facts.known or dx not in facts.parts or not facts.full(dx):
            continue
        top, bottom = facts.parts[dx]
        now, before = facts.quantity(top), facts.quantity(top, facts.last_year)
        if not (n.has_value(now) and n.has_value(before)) or now.value <= before.value:
            continue
        cur, prev = facts.current(dx), facts.before(dx)
        if n.has_value(cur) and n.has_value(prev) and cur.value < prev.value:
            continue  # more events on more patients at a lower rate: no safety problem
        ctx.seen.add(dx)
        unit = entry.get("unit") or "例"
        # one or two more (8 → 9 falls) is no problem: a blind reader took "跌倒由8例增至9例"
        # among the problems for a machine's list (dropped from the list: all_problems)
        minor = causes.trivial_count_change(before.value, now.value)
        ref = "上年" if facts.period.type is periods.PeriodType.YEARLY else "上年同期"
        counts = n.merge([
            f"{entry['what']}由{ref}的", n.fmt(Quantity(before.value, unit, before.source)),
            "增至", n.fmt(Quantity(now.value, unit, now.source)),
        ])  # fmt: skip
        where = NO_WHY
        if not minor and now.value - before.value >= MIN_EVENT_CHANGE:
            # the department or months that carry the rise, after the rate (the rate's
            # "高于上年的…" reads its own figures): "…），增加主要集中在ICU（21例，上年12例）"
            where = carried_why(facts, top, measure=unit)
        text = counts
        sample_now, sample_before = facts.sample(dx), facts.sample(dx, before=True)
        if not minor and None not in (sample_now, sample_before) and min(sample_now, sample_before) >= MIN_SAMPLE:  # fmt: skip
            rate = n.state(subject(facts.name(dx), cur.unit), cur, prev, direction="down",
                           period=comparison_period(facts, dx))  # fmt: skip
            text = n.merge([*counts, "（", *rate, "）"])
        text = n.merge([*text, *where.text, *unit_volume(facts, dx, where.cause)])
        rise = (now.value - before.value) / before.value * 100 if before.value else Decimal(100)
        found = Problem("safety", dx, entry["what"], text, rise, "down", minor=minor, cause=where.cause)  # fmt: skip
        ctx.problems.append(found)


def _where(facts: Facts, dx: str) -> str:
    if facts.children_result is None:
        return ""
    found = [
        c.short_name or c.name
        for c in facts.children
        if (facts.children_result.value(dx, facts.period.id, c.code) or 0) > 0
    ]
    return "、".join(found[:4])


def judge_norms(ctx: Context) -> None:
    """Service norms kept with the indicator (its benchmark: 健康知识讲座每年不少于12次) for the
    codes the template lists under `norms`: a count is held to its share of the year, and a
    yearly norm of 12 (or a multiple) also month by month (每月至少1次)."""
    facts = ctx.facts
    for dx in ctx.spec.get("norms") or []:
        indicator = facts.indicators.get(dx)
        if indicator is None or indicator.benchmark_value is None or not facts.full(dx):
            continue
        cur = facts.current(dx)
        if not n.has_value(cur):
            continue
        norm, months = norm_for(facts, dx)
        if norm is None:
            continue
        low = indicator.benchmark_comparator in (">=", ">")
        name = subject(facts.name(dx), cur.unit)
        label = subject(indicator.name, cur.unit)
        if (cur.value < norm) if low else (cur.value > norm):
            ctx.seen.add(dx)
            text = n.merge([*n.state(label, cur, None), "，", *norm_words(facts, dx, norm, months)])
            size = abs(norm - cur.value) / norm * 100 if norm else Decimal(0)
            ctx.problems.append(Problem("norm", dx, name, text, size))
            continue
        short = _months_short(facts, dx) if low and facts.is_cumulative(dx) else []
        if short:
            ctx.seen.add(dx)
            per_month = indicator.benchmark_value / 12
            source = {"source": "服务规范", "query": f"{indicator.code} 月度要求 {indicator.benchmark_value}÷12；未达到的月份 {','.join(m.id for m in short)}"}  # fmt: skip
            months_fig = n.fmt(Quantity(Decimal(len(short)), "个月", source))
            need = n.fmt(Quantity(per_month, cur.unit, source))
            listed = "、".join(f"{m.start.month}月" for m in short[:3])
            text = n.merge([*n.state(label, cur, None), "，但有", months_fig, f"（{listed}）未达到每月不少于", need, "的服务规范要求"])  # fmt: skip
            ctx.problems.append(Problem("norm", dx, name, text, Decimal(len(short)) * 100 / months))


def has_norm(facts: Facts, dx: str) -> bool:
    """A count the system holds a service norm for (its indicator's benchmark: 健康教育宣传栏
    更新每年不少于6次): judged as a count against the norm, never as a trend — 15 updates
    against 16 last year is no decline when 6 a year is the rule."""
    indicator = facts.indicators.get(dx)
    return (
        indicator is not None
        and indicator.benchmark_value is not None
        and not facts.is_rate(dx)
        and facts.is_cumulative(dx)
    )


def _months_short(facts: Facts, dx: str) -> list[periods.Period]:
    """Months below a yearly norm's monthly share, when the norm is a whole number a month."""
    indicator = facts.indicators[dx]
    per_month = indicator.benchmark_value / 12
    if per_month < 1 or per_month != per_month.to_integral_value():
        return []
    return [m for m in facts.data_months() if (facts.value(dx, m) or Decimal(0)) < per_month]


def norm_for(facts: Facts, dx: str) -> tuple[Decimal | None, int]:
    """The norm for the period: the yearly norm of a count pro rata to the months covered."""
    indicator = facts.indicators[dx]
    months = len(facts.coverage(dx).expected)
    if not months:
        return None, 0
    if facts.is_cumulative(dx):
        return indicator.benchmark_value * months / 12, months
    return indicator.benchmark_value, months


def norm_words(facts: Facts, dx: str, norm: Decimal, months: int) -> Text:
    """ "少于服务规范每年不少于9次的要求" (a year); "少于服务规范要求（每年不少于12次，6个月应不少于6次）"."""
    indicator = facts.indicators[dx]
    source = {"source": "服务规范", "query": f"{indicator.code} 参考值 {indicator.benchmark_comparator} {indicator.benchmark_value}（{indicator.benchmark_basis}）"}  # fmt: skip
    unit = facts.unit_of(dx)
    yearly = n.fmt(Quantity(indicator.benchmark_value, unit, source))
    low = indicator.benchmark_comparator in (">=", ">")
    bound = "不少于" if low else "不超过"
    if facts.is_cumulative(dx) and months < 12:
        part = n.fmt(Quantity(norm, unit, {**source, "months": months}, decimals=1))
        word = "少于" if low else "多于"
        return n.merge([f"{word}服务规范要求（每年{bound}", yearly, f"，{months}个月应{bound}", part, "）"])  # fmt: skip
    if facts.is_cumulative(dx):
        return n.merge([f"{'少于' if low else '多于'}服务规范每年{bound}", yearly, "的要求"])
    return n.merge(["未达到" if low else "超出", "服务规范要求（", yearly, "）"])
