"""工作目标 of a plan, and the targets a summary restates: started from this year's result.

Targets never fall below a result already reached: a target already met is raised to a round
figure just beyond the result or held at it (with the reason said), a lower-is-better bound is
tightened to the result; a volume target states its base and growth."""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from weijian import periods

from . import narrative as n
from . import timeframe
from .context import Context, cat
from .model import Paragraph, Table
from .narrative import Quantity, Text
from .tables import cell_text


def target_goal(facts, dx: str, target) -> Quantity:
    return Quantity(
        target.value, facts.unit_of(dx),
        {"source": "目标", "query": f"Target {dx} · {facts.unit.code} · {target.period}"},
        is_rate=facts.is_rate(dx), decimals=facts.decimals(dx),
    )  # fmt: skip


def plan_targets_section(ctx: Context, spec: dict) -> list:
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
    basis = timeframe.label(facts.period)  # 2026年1—11月 while the year is not over
    clauses, rows = [], []
    kept = ctx.cache.setdefault("plan_targets", [])
    for dx, target in sorted(targets.items()):
        clause, row = plan_target(facts, dx, target, basis)
        clauses.append(clause)
        rows.append(row)
        goal = row[2][0] if row[2] and isinstance(row[2][0], n.Figure) else None  # the bare number
        kept.append(
            {"dx": dx, "value": goal.value if goal else target.value,
             "direction": facts.direction(dx) or "", "text": n.plain(clause)}
        )  # fmt: skip
    lead = ctx.words_in(spec.get("lead", ""))
    blocks: list = [Paragraph(cat([lead, *n.enumerate_points(clauses)]))]
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
            widths=[62, 52, 42],
        )  # fmt: skip
    )
    return blocks


def plan_target(facts, dx: str, target, basis: str) -> tuple[Text, list]:
    """One 工作目标: the set target, or this year's result where the target is already met
    (a plan never aims below what was reached), with the reason."""
    name = facts.name(dx)
    direction = facts.direction(dx)
    goal = target_goal(facts, dx, target)
    now = facts.current(dx)
    reached = beats_target(facts, dx, now, target.value, direction)
    if reached:
        # Said as an office writes it: the result and the target it beat, no slogan (readers
        # on 2026-12-07 marked "目标只升不降" as machine-written and asked for the old target).
        original = goal
        goal, same = held_goal(facts, dx, now, goal)
        verb, tail = ("控制在", "以内") if direction == "down" else ("保持在", "以上")
        if not same:  # a round target just beyond the result: "达到87%以上（…为86.79%，…）"
            verb = "控制在" if direction == "down" else "达到"
        beat = "优于" if direction == "down" else "超过"
        clause = n.fill(
            "{name}{verb}{goal}{tail}（{basis}为{now}，已{beat}原定目标{original}）",
            name=name, verb=verb, goal=n.fmt(goal), tail=tail, basis=basis, now=n.fmt(now),
            beat=beat, original=n.fmt(original),
        )  # fmt: skip
    elif facts.is_cumulative(dx):
        clause = _plan_volume(facts, dx, target, goal, now, basis)
    else:
        verb, tail = ("控制在", "以内") if direction == "down" else ("达到", "")
        clause = n.fill("{name}{verb}{goal}{tail}", name=name, verb=verb, goal=n.fmt(goal), tail=tail)  # fmt: skip
        if n.has_value(now):
            clause = cat([*clause, f"（{basis}为", n.fmt(now), "）"])
    unit = facts.unit_of(dx)
    label = f"{name}（{unit}）" if unit else name
    row = [(label,), cell_text(now), cell_text(goal)]
    return clause, row


def held_goal(facts, dx: str, now: Quantity, goal: Quantity | None = None) -> tuple[Quantity, bool]:
    """The target a result already better than the set one becomes: the result as printed,
    or a round figure just beyond it (86.79 % → 87 %); and whether it is the result itself."""
    direction = facts.direction(dx)
    places = facts.decimals(dx)
    shown = now.value.quantize(Decimal(1).scaleb(-(2 if places is None else places)), ROUND_HALF_UP)  # fmt: skip
    floor = round_target(shown, direction, facts.unit_of(dx))
    inputs = [now.source, *([goal.source] if goal is not None else [])]
    held = Quantity(
        floor if floor != shown else now.value, facts.unit_of(dx),
        {"derived": "plan_floor", "inputs": inputs},
        is_rate=facts.is_rate(dx), decimals=0 if abs(floor) >= 10 else places,
    )  # fmt: skip
    return held, floor == shown


def round_target(value: Decimal, direction: str | None, unit: str) -> Decimal:
    """A target an office would write, never less ambitious than the result it starts from:
    86.79 % reached → 87 %, 33.4 DDDs → 33; values under 10 (1.18 %, 0.07 ‰) are kept as they
    are (a whole unit would be a leap), as is a share that would round up to 100 %."""
    if abs(value) < 10:
        return value
    if direction == "down":
        return value.to_integral_value(rounding=ROUND_FLOOR)
    ceiling = value.to_integral_value(rounding=ROUND_CEILING)
    return value if unit == "%" and ceiling >= 100 else ceiling


def beats_target(facts, dx: str, now: Quantity, target: Decimal, direction: str | None) -> bool:
    """This year's result is better than the target (a count over part of the year is not
    compared with a whole year's target)."""
    if not n.has_value(now) or direction not in ("up", "down") or facts.is_cumulative(dx):
        return False
    places = facts.decimals(dx)
    shown = now.value.quantize(Decimal(1).scaleb(-(2 if places is None else places)), ROUND_HALF_UP)
    return shown > target if direction == "up" else shown < target


# -- volume targets: said from their base ----------------------------------------------------

# what a total adds up, where the body reports its parts apart (门诊 and 急诊 in 医疗服务情况)
SCOPES = {"门急诊": "门诊、急诊合计"}


def _scope_words(name: str) -> str:
    return next((words for head, words in SCOPES.items() if name.startswith(head)), "")


def _growth(goal: Quantity, base: Quantity) -> n.Figure:
    """The growth from base to goal in %, one decimal, trailing zero dropped (55.16 on 52.53
    万人次 → 5%)."""
    pct = (goal.value - base.value) / base.value * 100
    text = f"{pct.quantize(Decimal('0.1'), ROUND_HALF_UP).normalize():f}%"
    return n.Figure(text, pct, {"source": "计算", "query": f"({goal.source.get('query', '目标')} − 基数) ÷ 基数"})  # fmt: skip


def volume_goal(facts, dx: str, goal: Quantity, base: Quantity | None) -> Text:
    """A full year's volume target from this year's result: "门急诊人次力争达到55.16万人次，比
    2025年（门诊、急诊合计52.53万人次）增长5%"; a target not above the result is held at it."""
    name = facts.name(dx)
    if not n.has_value(base) or not base.value:
        return n.fill("{name}力争达到{goal}", name=name, goal=n.fmt(goal))
    basis = timeframe.label(facts.period)
    scope = _scope_words(name)
    if goal.value <= base.value:  # the set target is already reached: aim above the result
        return n.fill(
            "{name}力争在{basis}{scope}{base}的基础上稳中有升（已完成原定目标{goal}）",
            name=name, basis=basis, scope=scope, base=n.fmt(base), goal=n.fmt(goal),
        )  # fmt: skip
    return n.fill(
        "{name}力争达到{goal}，比{basis}（{scope}{base}）增长{growth}",
        name=name, goal=n.fmt(goal), basis=basis, scope=scope, base=n.fmt(base),
        growth=_growth(goal, base),
    )  # fmt: skip


def _plan_volume(facts, dx: str, target, goal: Quantity, now: Quantity, basis: str) -> Text:
    """A plan's volume target: from this year's result when the year is complete, else from
    this year's target (a part-year count is no base for a whole year's), with the count so far:
    "门急诊人次达到57.92万人次，比2026年目标（55.16万人次）增长5%（2026年1—11月已完成48.15万人次）"."""
    name = facts.name(dx)
    year = str(int(str(target.period)[:4]) - 1)
    complete = n.has_value(now) and facts.full(dx) and _complete_year(facts)
    if complete:
        return volume_goal(facts, dx, goal, now)
    before = facts.targets.get((dx, year))
    clause = n.fill("{name}达到{goal}", name=name, goal=n.fmt(goal))
    if before is not None and before.value and before.value < goal.value:
        base = target_goal(facts, dx, before)
        clause = cat([*clause, f"，比{year}年目标（", n.fmt(base), "）增长", _growth(goal, base)])
    if n.has_value(now):
        scope = _scope_words(name)
        clause = cat([*clause, f"（{basis}{scope or '已'}完成", n.fmt(now), "）"])
    return clause


def _complete_year(facts) -> bool:
    period = facts.period
    return period.type is periods.PeriodType.YEARLY and "—" not in timeframe.label(period)
