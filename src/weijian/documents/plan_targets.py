"""工作目标 of a plan, and the targets a summary restates: started from this year's result.

A plan's rate target starts from the result and says its basis in a short clause (`aim`):
the set target or the national standard where the result falls short of it, last year's level
where the figure went the wrong way, else the step the last two or three years took; held at
the result only where none of these gives a better figure (never "raised" by rounding alone,
never below a result reached). A volume target grows the year's (projected) result by the
average growth of the years before. Readers of 2026-12-07 (17:00): "targets are this year's
result rounded up: no ambition, no reason"."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from weijian import periods

from . import narrative as n
from . import timeframe
from .context import Context, cat
from .model import Paragraph, Table
from .narrative import Quantity, Text
from .tables import cell_text, in_wan


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
    """One 工作目标 from this year's result and its basis: a rate by `aim`, a volume from the
    year's (projected) result and the growth of the years before."""
    name = facts.name(dx)
    direction = facts.direction(dx)
    goal = target_goal(facts, dx, target)
    now = facts.current(dx)
    if facts.is_cumulative(dx):
        clause, goal = _plan_volume(facts, dx, target, goal, now, basis)
    elif n.has_value(now) and direction in ("up", "down"):
        clause, goal = plan_rate(facts, dx, target, now, basis)
    else:
        verb, tail = ("控制在", "以内") if direction == "down" else ("达到", "")
        clause = n.fill("{name}{verb}{goal}{tail}", name=name, verb=verb, goal=n.fmt(goal), tail=tail)  # fmt: skip
    unit = facts.unit_of(dx)
    label = f"{name}（{unit}）" if unit else name
    label, cells = in_wan(label, [cell_text(now), cell_text(goal)])
    row = [(label,), *cells]
    return clause, row


# -- a rate's target: the result, then a stated basis -------------------------------------


@dataclass(frozen=True)
class Aim:
    """A rate's target and why: `basis` one of "target" (the set target, not yet reached),
    "standard" (the national standard, not yet reached), "recover" (last year's level, lost),
    "step" (the result moved on by the years' average step), "hold" (the result kept)."""

    value: Decimal
    basis: str
    step: Decimal | None = None  # the average yearly step ("step")
    years: int = 0  # the years it is averaged over ("step")


def aim(
    now: Decimal,
    direction: str,
    *,
    target: Decimal | None = None,
    standard: Decimal | None = None,
    last_year: Decimal | None = None,
    history: list[Decimal] = (),
    places: int = 2,
    unit: str = "",
) -> Aim:
    """The target a rate's result calls for, never less than the result reached: the first of
    the set target and the standard the result falls short of (the more demanding); last year's
    level where the result fell back from it; else the result moved on by the average yearly
    step of `history` (the years before, oldest first, then the result) when it improved over
    two or three years; else the result held (as printed)."""
    up = direction == "up"
    shown = now.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)  # judged as printed

    def short_of(bar: Decimal | None) -> bool:
        return bar is not None and (shown < bar if up else shown > bar)

    if last_year is not None:  # last year's level as it was printed
        last_year = last_year.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)

    bars = [(bar, name) for bar, name in ((target, "target"), (standard, "standard")) if short_of(bar)]  # fmt: skip
    if bars:
        bar, name = (max if up else min)(bars, key=lambda pair: pair[0])
        return Aim(bar, name)
    if short_of(last_year):
        return Aim(last_year, "recover")
    known = [v for v in history if v is not None]
    if len(known) >= 3:  # two or three yearly steps
        years = min(len(known), 4) - 1
        said = 1 if abs(now) >= 10 else places  # the step as printed, and the goal on it
        step = ((known[-1] - known[-1 - years]) / years).quantize(Decimal(1).scaleb(-said), ROUND_HALF_UP)  # fmt: skip
        if (step > 0) if up else (step < 0):
            # the goal is the printed result plus the printed step, as a reader checks it
            # (read 2026-12-07: "93.12+1.4 gives 94.52, not 94.6" when rounded up)
            moved = (shown + step).quantize(Decimal(1).scaleb(-said), ROUND_HALF_UP)
            if up and unit == "%":
                moved = min(moved, Decimal(100))
            if (moved > shown) if up else (moved < shown):
                return Aim(moved, "step", abs(step), years)
    return Aim(shown, "hold")


def plan_rate(facts, dx: str, target, now: Quantity, basis: str) -> tuple[Text, Quantity]:
    """ "手卫生依从率达到87.7%以上（2026年1—11月为86.79%，已超过原定目标85%，按近三年年均提高
    0.9个百分点确定）": the result, then the basis the target rests on."""
    direction = facts.direction(dx)
    indicator = facts.indicators.get(dx)
    standard = _standard(indicator, direction)
    history = [facts.value(dx, p) for p in facts.history[:-1]] + [now.value]
    places = facts.decimals(dx)
    places = 2 if places is None else places
    found = aim(
        now.value, direction, target=target.value, standard=standard,
        last_year=facts.value(dx, facts.last_year), history=history, places=places,
        unit=facts.unit_of(dx),
    )  # fmt: skip
    goal = _aim_quantity(facts, dx, found, now, target, indicator)
    down = direction == "down"
    verb, tail = ("控制在", "以内") if down else ("达到", "以上")
    if found.basis == "hold":
        verb = "继续控制在" if down else "保持在"
    clause = n.fill(
        "{name}{verb}{goal}{tail}（{basis}为{now}", name=facts.name(dx), verb=verb,
        goal=n.fmt(goal), tail=tail, basis=basis, now=n.fmt(now),
    )  # fmt: skip
    return cat([*clause, *_aim_reason(facts, dx, found, target, indicator), "）"]), goal


def _standard(indicator, direction: str | None) -> Decimal | None:
    """The national standard kept with the indicator (its benchmark, e.g. DDDs ≤ 40) when it
    bounds the same way the figure is judged."""
    if indicator is None or indicator.benchmark_value is None:
        return None
    bound = indicator.benchmark_comparator or ""
    if (direction == "down" and bound.startswith("<")) or (direction == "up" and bound.startswith(">")):  # fmt: skip
        return indicator.benchmark_value
    return None


def _aim_quantity(facts, dx, found: Aim, now: Quantity, target, indicator) -> Quantity:
    if found.basis == "target":
        return target_goal(facts, dx, target)
    if found.basis == "standard":
        source = {"source": "国家标准", "query": f"{dx} 参考值 {getattr(indicator, 'benchmark_comparator', '')} {found.value}"}  # fmt: skip
    elif found.basis == "recover":
        source = {"dx": dx, "pe": facts.last_year.id, "ou": facts.unit.code}
    elif found.basis == "step":
        source = {"source": "计算", "query": f"{dx} 本期 + 近{found.years}年年均变化 {found.step}，向目标方向取整"}  # fmt: skip
    else:
        source = {"derived": "plan_floor", "inputs": [now.source]}
    decimals = facts.decimals(dx)
    if found.basis == "step":
        decimals = 1 if abs(found.value) >= 10 else decimals
    return Quantity(found.value, facts.unit_of(dx), source, is_rate=facts.is_rate(dx), decimals=decimals)  # fmt: skip


def _aim_reason(facts, dx: str, found: Aim, target, indicator) -> list:
    """The short clause a target rests on, after the result it starts from."""
    down = facts.direction(dx) == "down"
    original = n.fmt(target_goal(facts, dx, target))
    if found.basis == "target":
        return ["，尚未达到原定目标"]
    if found.basis == "standard":
        return ["，按国家标准要求确定"]
    if found.basis == "recover":
        before = n.fmt(facts.quantity(dx, facts.last_year))
        year = facts.last_year.start.year
        return [f"，比{year}年同期的", before, "有所" + ("上升" if down else "下降"), f"，力争恢复到{year}年水平"]  # fmt: skip
    shown = facts.current(dx).value.quantize(Decimal(1).scaleb(-(facts.decimals(dx) or 0)), ROUND_HALF_UP)  # fmt: skip
    beat = "达到" if shown == target.value else ("优于" if down else "超过")
    said = [f"，已{beat}原定目标", original]
    if found.basis == "step":
        unit = facts.unit_of(dx)
        words = "个百分点" if unit == "%" else unit
        change = "下降" if down else "提高"
        step = n.Figure(f"{found.step:f}{words}", found.step, {"source": "计算", "query": f"{dx} 近{found.years}年年均变化"})  # fmt: skip
        return [*said, f"，按近{_years(found.years)}年年均{change}", step, "确定"]
    return [*said, "，巩固现有水平"]


def _years(count: int) -> str:
    return {2: "两", 3: "三"}.get(count, str(count))


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


def _plan_volume(
    facts, dx: str, target, goal: Quantity, now: Quantity, basis: str
) -> tuple[Text, Quantity]:
    """A plan's volume target, built on this year's result: the whole year's when it is over,
    else the whole year projected from the months covered (said as such), raised by the average
    growth of the last two or three years (the same months each year) and never below it:
    "门急诊人次力争达到55.16万人次，比2026年全年预计数（按1—11月完成48.15万人次推算为52.53万
    人次）增长5%，增幅按近三年年均增幅确定". A part-year count was never a base, nor is a target
    (read 2026-12-07: "比2026年目标增长5%" built 57.92万 on a target the hospital did not
    reach; 17:00: a growth with no reason is no target)."""
    name = facts.name(dx)
    complete = n.has_value(now) and facts.full(dx) and _complete_year(facts)
    months = 12 if complete else _months(facts.period)
    if not n.has_value(now) or not now.value or not facts.full(dx) or not months:
        return n.fill("{name}达到{goal}", name=name, goal=n.fmt(goal)), goal
    year = int(str(target.period)[:4])
    history = [facts.value(dx, p) for p in facts.history[:-1]] + [now.value]
    growth, years = average_growth(history)
    projected_value, goal_value = projected_goal(now.value, months, growth)
    if complete:
        projected, said = now, n.fill("{scope}{now}", scope=_scope_words(name), now=n.fmt(now))
        base = f"{year - 1}年"
    else:
        source = {"source": "计算", "query": f"{dx} {facts.period.id} 实际 × 12 ÷ {months}（全年预计）"}  # fmt: skip
        projected = Quantity(projected_value, facts.unit_of(dx), source, decimals=facts.decimals(dx))  # fmt: skip
        said = n.fill(
            "按{basis}{scope}完成{now}推算为{projected}", basis=basis.split("年", 1)[-1],
            scope=_scope_words(name), now=n.fmt(now), projected=n.fmt(projected),
        )  # fmt: skip
        base = f"{year - 1}年全年预计数"
    if growth is None or growth <= 0:  # no growth in the years before: hold the year's level
        held = cat([
            *n.fill("{name}力争在{base}", name=name, base=base), "（", *said, "）的基础上稳中有升",
        ])  # fmt: skip
        floor = {"source": "计算", "query": f"{dx} 全年预计，向上取整"}
        return held, Quantity(goal_value, facts.unit_of(dx), floor, decimals=facts.decimals(dx))
    query = f"{dx} 全年预计 ×（1 + 近{years}年年均增幅 {growth:.4f}），向上取整"
    planned = Quantity(goal_value, facts.unit_of(dx), {"source": "计算", "query": query}, decimals=facts.decimals(dx))  # fmt: skip
    clause = cat([
        *n.fill("{name}力争达到{goal}，比{base}", name=name, goal=n.fmt(planned), base=base),
        "（", *said, "）增长", _growth(planned, projected), f"，增幅按近{_years(years)}年年均增幅确定",
    ])  # fmt: skip
    return clause, planned


def average_growth(values: list[Decimal | None]) -> tuple[Decimal | None, int]:
    """The average yearly growth of the last two or three years (values oldest first, the
    latest last; 100 → 110 → 121 → 0.10 over 2 years) and how many years; (None, 0) with
    fewer than two years to average."""
    known = [v for v in values[-4:] if v]
    rates = [later / earlier - 1 for earlier, later in zip(known, known[1:], strict=False)]
    if len(rates) < 2:
        return None, 0
    return sum(rates) / len(rates), len(rates)


def projected_goal(done: Decimal, months: int, growth: Decimal | None) -> tuple[Decimal, Decimal]:
    """The whole year projected from `months` months (done × 12 ÷ months) and next year's goal
    on it (× (1 + growth), rounded up to a figure an office writes: 100 人次 from 10 000 on, else
    a whole one), never below the projection."""
    projected = done * 12 / months
    # the growth as printed (one decimal of a percent), so that base × (1 + growth) is the goal
    # a reader recomputes (read 2026-12-07: "52.53×1.026=53.90, not 53.91")
    said = (max(growth or Decimal(0), Decimal(0)) * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)
    raised = projected * (1 + said / 100)
    step = Decimal(100) if raised >= 10000 else Decimal(1)
    goal = (raised / step).to_integral_value(rounding=ROUND_CEILING) * step
    return projected, max(goal, projected)


def _months(period) -> int:
    """The months a period covers (2026年1—11月 → 11)."""
    return (period.end.year - period.start.year) * 12 + period.end.month - period.start.month + 1


def _complete_year(facts) -> bool:
    period = facts.period
    return period.type is periods.PeriodType.YEARLY and "—" not in timeframe.label(period)
