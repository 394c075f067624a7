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
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_DOWN, ROUND_HALF_UP, Decimal

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
    """The targets in one sentence, each a round figure with no arithmetic ("签约率达到77%以上"),
    and the arithmetic in a table beside this year's results: 表N …年主要指标目标及测算依据
    (read 2026-12-07 20:35: "77.3%以上（2025年为75.89%，…按近两年年均提高1.4个百分点确定）"
    is a calculation, not a director's sentence)."""
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
        clause, row, goal = plan_target(facts, dx, target, basis)
        clauses.append(clause)
        rows.append(row)
        kept.append(
            {"dx": dx, "value": goal.value if n.has_value(goal) else target.value,
             "direction": facts.direction(dx) or "", "text": n.plain(clause)}
        )  # fmt: skip
    for dx in problem_codes(ctx, set(targets)):  # the problems' own targets, after the set ones
        found = problem_target(facts, dx)
        if found is None:
            continue
        clause, row, goal = found
        clauses.append(clause)
        rows.append(row)
        kept.append({"dx": dx, "value": goal.value, "direction": facts.direction(dx) or "", "text": n.plain(clause)})  # fmt: skip
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
            title=f"{year}年主要指标目标及测算依据",
            header=["指标", f"{basis}实际", f"{year}年目标", "测算依据"],
            rows=rows,
            widths=[34, 28, 20, 74],
        )  # fmt: skip
    )
    return blocks


def plan_target(facts, dx: str, target, basis: str) -> tuple[Text, list, Quantity]:
    """One 工作目标: its sentence (the round figure alone), its table row (指标, 实际, 目标,
    测算依据) and the goal: a rate by `aim`, a volume from the year's (projected) result and
    the growth of the years before."""
    name = facts.name(dx)
    direction = facts.direction(dx)
    goal = target_goal(facts, dx, target)
    now = facts.current(dx)
    if facts.is_cumulative(dx):
        clause, goal, why = _plan_volume(facts, dx, target, goal, now, basis)
    elif n.has_value(now) and direction in ("up", "down"):
        clause, goal, why = plan_rate(facts, dx, target, now, basis)
    else:
        verb, tail = ("控制在", "以内") if direction == "down" else ("达到", "")
        clause = n.fill("{name}{verb}{goal}{tail}", name=name, verb=verb, goal=n.fmt(goal), tail=tail)  # fmt: skip
        why = ("按原定目标确定",)
    unit = facts.unit_of(dx)
    label = f"{name}（{unit}）" if unit else name
    label, cells = in_wan(label, [cell_text(now), cell_text(goal)])
    if n.has_value(now) and not facts.full(dx):
        # a figure over fewer months than the column's (1—10月 under 2026年1—11月) says its own
        cells[0] = (*cells[0], f"（{scope_words(facts, dx)}）")
    row = [(label,), *cells, tuple(why)]
    return clause, row, goal


# the problems a plan sets a target for: a rate that went the wrong way (a surge, a rise in
# safety events, a trend); costs per visit are answered by their measure, not a level
PROBLEM_KINDS = {"surge", "safety", "trend", "rising", "declining"}


def problem_codes(ctx: Context, targeted: set[str]) -> list[str]:
    """The codes of the rates the year's summary ranks as problems (in its order) that no set
    target of the plan year covers (read 2026-12-08: "Ⅰ类切口感染率 up 3× gets no target; only
    indicators already met do")."""
    from .plan_review import year_summary

    summary = year_summary(ctx)
    codes = [t.dx for t in (summary.tasks if summary else []) if t.kind in PROBLEM_KINDS]
    facts = ctx.facts
    return [
        dx for dx in dict.fromkeys(codes)
        if dx and dx not in targeted and dx in facts.known and facts.unit_of(dx) == "%"
    ]  # fmt: skip


def problem_target(facts, dx: str) -> tuple[Text, list, Quantity] | None:
    """A problem's own target: the rate back to last year's level ("Ⅰ类切口感染率降至0.46%以下",
    按恢复到2025年水平确定) or to the national standard it falls short of; None when the result
    is not worse than either (nothing to recover: the problem's measure answers it)."""
    now = facts.current(dx)
    direction = facts.direction(dx)
    if facts.is_cumulative(dx) or not n.has_value(now) or direction not in ("up", "down"):
        return None
    indicator = facts.indicators.get(dx)
    places = facts.decimals(dx)
    found = aim(
        now.value, direction, standard=_standard(indicator, direction),
        last_year=facts.value(dx, facts.last_year), places=2 if places is None else places,
        unit=facts.unit_of(dx),
    )  # fmt: skip
    if found.basis not in ("recover", "standard"):
        return None
    goal = _aim_quantity(facts, dx, found, now, None, indicator)
    verb, tail = ("降至", "以下") if direction == "down" else ("回升至", "以上")
    clause = n.fill("{name}{verb}{goal}{tail}", name=facts.name(dx), verb=verb, goal=n.fmt(goal), tail=tail)  # fmt: skip
    why = _aim_reason(facts, dx, found, None, goal)
    unit = facts.unit_of(dx)
    label, cells = in_wan(f"{facts.name(dx)}（{unit}）", [cell_text(now), cell_text(goal)])
    if not facts.full(dx):
        cells[0] = (*cells[0], f"（{scope_words(facts, dx)}）")
    return clause, [(label,), *cells, tuple(why)], goal


def scope_words(facts, dx: str) -> str:
    """The months a figure covers, without its year ("1—10月")."""
    return timeframe.label(facts.scope(dx)).split("年", 1)[-1]


# -- a rate's target: the result, then a stated basis -------------------------------------


@dataclass(frozen=True)
class Aim:
    """A rate's target and why: `basis` one of "target" (the set target, not yet reached),
    "standard" (the national standard, not yet reached), "recover" (last year's level, lost),
    "step" (the result moved on by the years' average step), "hold" (the result kept).
    `raw` is the figure before it was rounded to a round target (the printed result plus the
    printed step; last year's printed level), for the table's 测算依据."""

    value: Decimal
    basis: str
    step: Decimal | None = None  # the average yearly step ("step")
    years: int = 0  # the years it is averaged over ("step")
    raw: Decimal | None = None  # before rounding ("step", "recover")


# A director writes "签约率达到77%以上", not "77.3%以上" (read 2026-12-07 20:35): a target that is
# not a set figure is rounded to a grid that fits its size and its step.
def target_grid(shown: Decimal, step: Decimal = Decimal(0)) -> Decimal:
    """The grid a computed target is rounded to: whole points from 10 on when the step is a
    point or more, else half points; tenths from 1 to 10 (院感发病率 1.1%); hundredths below
    1 (0.46%), as such small rates are printed."""
    size = abs(shown)
    if size >= 10:
        return Decimal(1) if abs(step) >= 1 else Decimal("0.5")
    return Decimal("0.1") if size >= 1 else Decimal("0.01")


def round_target(raw: Decimal, shown: Decimal, up: bool, grid: Decimal, cap: Decimal | None = None) -> Decimal:  # fmt: skip
    """`raw` to the nearest point of `grid` (halves away from the result), yet always beyond
    the printed result `shown` in the direction the figure improves: when the nearest point is
    not, the first grid point that is (87.01 + 0.2 = 87.21 → 87.0 is below 87.01 → 87.5).
    75.89 + 1.4 = 77.29 → 77; 86.79 + 3.6 = 90.39 → 90; 33.00 − 1.3 = 31.7 → 32 (lower is
    better, still below 33.00); 1.20 − 0.09 = 1.11 → 1.1. A share is capped at `cap` (100 %);
    None when no grid point beyond the result fits under the cap (hold the result)."""
    steps = raw / grid
    nearest = steps.to_integral_value(rounding=ROUND_HALF_UP if up else ROUND_HALF_DOWN) * grid
    if (nearest <= shown) if up else (nearest >= shown):
        beyond = (shown / grid).to_integral_value(rounding=ROUND_FLOOR if up else ROUND_CEILING)
        nearest = (beyond + (1 if up else -1)) * grid
    if cap is not None and up and nearest > cap:
        nearest = cap
    if (nearest <= shown) if up else (nearest >= shown):
        return None
    return nearest


def target_places(value: Decimal, fallback: int | None) -> int | None:
    """The decimals a rounded target prints with: none for a whole figure (77%), else as many
    as its grid point has (87.5%, 1.1%, 0.46%)."""
    if value == value.to_integral_value():
        return 0
    exponent = value.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) else fallback


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
    level where the result fell back from it (rounded to a round figure the improving way);
    else the result moved on by the average yearly step of `history` (the years before, oldest
    first, then the result) when it improved over two or three years, rounded to a round
    figure (`round_target`); else the result held (as printed)."""
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
    cap = Decimal(100) if unit == "%" else None
    if short_of(last_year):
        grid = target_grid(last_year)
        level = (last_year / grid).to_integral_value(rounding=ROUND_CEILING if up else ROUND_FLOOR) * grid  # fmt: skip
        if cap is not None and up:
            level = min(level, cap)
        return Aim(level, "recover", raw=last_year)
    known = [v for v in history if v is not None]
    if len(known) >= 3:  # two or three yearly steps
        years = min(len(known), 4) - 1
        said = 1 if abs(now) >= 10 else places  # the step as printed
        step = ((known[-1] - known[-1 - years]) / years).quantize(Decimal(1).scaleb(-said), ROUND_HALF_UP)  # fmt: skip
        if (step > 0) if up else (step < 0):
            # the printed result plus the printed step, as a reader checks it (read
            # 2026-12-07: "93.12+1.4 gives 94.52"), then a round figure a director writes
            raw = shown + step
            moved = round_target(raw, shown, up, target_grid(shown, step), cap)
            if moved is not None:
                return Aim(moved, "step", abs(step), years, raw=raw)
    return Aim(shown, "hold")


def plan_rate(facts, dx: str, target, now: Quantity, basis: str) -> tuple[Text, Quantity, Text]:
    """ "手卫生依从率达到90%以上" and its 测算依据 ("已超过原定目标85%；近两年年均提高3.6个百分点，
    86.79+3.6=90.39，确定为90%"): the sentence says the target, the table how it was set."""
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
    clause = n.fill("{name}{verb}{goal}{tail}", name=facts.name(dx), verb=verb, goal=n.fmt(goal), tail=tail)  # fmt: skip
    return clause, goal, _aim_reason(facts, dx, found, target, goal)


def rate_with_reason(facts, dx: str, target, now: Quantity, basis: str) -> Text:
    """A summary's coming target with its reason in a short bracket, no arithmetic (a summary
    has no target table): "手卫生依从率达到90%以上（2026年为86.79%，已超过原定目标85%）"."""
    clause, goal, _ = plan_rate(facts, dx, target, now, basis)
    beat = _beat_words(facts, dx, target)
    return cat([*clause, "（", *n.fill("{basis}为{now}", basis=basis, now=n.fmt(now)), *beat, "）"])


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
    decimals = facts.decimals(dx)
    if found.basis == "standard":
        source = {"source": "国家标准", "query": f"{dx} 参考值 {getattr(indicator, 'benchmark_comparator', '')} {found.value}"}  # fmt: skip
    elif found.basis == "recover":
        source = {"source": "计算", "query": f"{dx} {facts.last_year.id} 实际 {found.raw}，向目标方向取整"}  # fmt: skip
        decimals = target_places(found.value, decimals)
    elif found.basis == "step":
        source = {"source": "计算", "query": f"{dx} 本期 + 近{found.years}年年均变化 {found.step} = {found.raw}，取整"}  # fmt: skip
        decimals = target_places(found.value, decimals)
    else:
        source = {"derived": "plan_floor", "inputs": [now.source]}
    return Quantity(found.value, facts.unit_of(dx), source, is_rate=facts.is_rate(dx), decimals=decimals)  # fmt: skip


def _beat_words(facts, dx: str, target) -> list:
    """ "，已超过原定目标85%" (达到 when equal as printed, 优于 for lower-is-better)."""
    down = facts.direction(dx) == "down"
    shown = facts.current(dx).value.quantize(Decimal(1).scaleb(-(facts.decimals(dx) or 0)), ROUND_HALF_UP)  # fmt: skip
    if (shown > target.value) if down else (shown < target.value):
        return ["，尚未达到原定目标", n.fmt(target_goal(facts, dx, target))]
    beat = "达到" if shown == target.value else ("优于" if down else "超过")
    return [f"，已{beat}原定目标", n.fmt(target_goal(facts, dx, target))]


def _calc(text: str, value: Decimal, dx: str, what: str) -> n.Figure:
    return n.Figure(text, value, {"source": "计算", "query": f"{dx} {what}"})


def _aim_reason(facts, dx: str, found: Aim, target, goal: Quantity) -> Text:
    """The table's 测算依据 of a rate's target: what the result stands against, and the
    arithmetic of a computed target (the printed result and step, their sum, the round figure)."""
    down = facts.direction(dx) == "down"
    unit = facts.unit_of(dx)
    if found.basis == "target":
        return ("尚未达到原定目标，按原定目标确定",)
    if found.basis == "standard":
        return ("尚未达到国家标准，按国家标准确定",)
    if found.basis == "recover":
        year = facts.last_year.start.year
        before = n.fmt(facts.quantity(dx, facts.last_year))
        return (f"比{year}年的", before, "有所" + ("上升" if down else "下降"), f"，按恢复到{year}年水平确定")  # fmt: skip
    said = [w.lstrip("，") if i == 0 else w for i, w in enumerate(_beat_words(facts, dx, target))]
    if found.basis != "step":
        return (*said, "，巩固现有水平")
    places = facts.decimals(dx) or 0
    shown = facts.current(dx).value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    words = "个百分点" if unit == "%" else unit
    sign = "−" if down else "+"
    change = "下降" if down else "提高"
    return (
        *said, f"；近{_years(found.years)}年年均{change}",
        _calc(f"{found.step:f}{words}", found.step, dx, f"近{found.years}年年均变化"), "，",
        _calc(f"{shown:f}", shown, dx, "本期（按打印位数）"), sign,
        _calc(f"{found.step:f}", found.step, dx, f"近{found.years}年年均变化"), "=",
        _calc(f"{found.raw:f}", found.raw, dx, "本期 + 年均变化"),
        *_rounded_to(_calc(f"{found.raw:f}", found.raw, dx, ""), n.fmt(goal)),
    )  # fmt: skip


def _rounded_to(computed: n.Figure, goal: n.Figure) -> list:
    """ "，确定为90%" after a computation whose printed result is not the goal already ("取整"
    is wrong of 1.1 or 53.9, read 2026-12-07 23:40)."""
    if computed.text.removesuffix("万人次") == goal.text.removesuffix("万人次") or Decimal(computed.value) == Decimal(goal.value):  # fmt: skip
        return []
    return ["，确定为", goal]


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
) -> tuple[Text, Quantity, Text]:
    """A plan's volume target, built on this year's result: the whole year's when it is over,
    else the whole year projected from the months covered, raised by the average growth of the
    last two or three years (the same months each year), rounded half up to three significant
    figures and never below it: "门急诊人次力争达到53.9万人次", its 测算依据 in the table
    ("1—11月48.15万人次×12÷11=52.53万人次（全年预计）；近两年年均增长2.6%，52.53万×1.026=
    53.90万，确定为53.9万人次"). A part-year count was never a base, nor is a target (read
    2026-12-07: "比2026年目标增长5%" built 57.92万 on a target the hospital did not reach)."""
    name = facts.name(dx)
    complete = n.has_value(now) and facts.full(dx) and _complete_year(facts)
    months = 12 if complete else _months(facts.period)
    if not n.has_value(now) or not now.value or not facts.full(dx) or not months:
        return n.fill("{name}达到{goal}", name=name, goal=n.fmt(goal)), goal, ("按原定目标确定",)
    year = int(str(target.period)[:4])
    history = [facts.value(dx, p) for p in facts.history[:-1]] + [now.value]
    growth, years = average_growth(history)
    # from the count as printed (5.00万 × 12 ÷ 11 = 5.45万, not the exact count's 5.46万: the
    # reader's own arithmetic must agree, read 2026-12-07 23:40)
    projected_value, goal_value = projected_goal(_as_printed(now), months, growth)
    scope = _scope_words(name)
    if complete:
        projected = now
        base: list = [f"{year - 1}年{scope}", n.fmt(now)]
    else:
        source = {"source": "计算", "query": f"{dx} {facts.period.id} 实际 × 12 ÷ {months}（全年预计）"}  # fmt: skip
        projected = Quantity(projected_value, facts.unit_of(dx), source, decimals=facts.decimals(dx))  # fmt: skip
        span = basis.split("年", 1)[-1]
        base = [
            f"{span}{scope}", n.fmt(now), "×", _calc("12", Decimal(12), dx, "月数"), "÷",
            _calc(str(months), Decimal(months), dx, "已报月数"), "=", n.fmt(projected), "（全年预计）",
        ]  # fmt: skip
    if growth is None or growth <= 0:  # no growth in the years before: hold the year's level
        floor = {"source": "计算", "query": f"{dx} 全年预计，向上取整"}
        held = Quantity(goal_value, facts.unit_of(dx), floor, decimals=facts.decimals(dx))
        # the sentence says the year it holds and rises from (no arithmetic): "出院人次力争在
        # 2025年960人次的基础上稳中有升"
        when = f"{year - 1}年" if complete else f"{year - 1}年全年预计"
        clause = n.fill(
            "{name}力争在{when}{base}的基础上稳中有升", name=name, when=when, base=n.fmt(projected)
        )
        return clause, held, (*base, "；近年未见增长，按稳中有升确定")
    query = f"{dx} 全年预计 ×（1 + 近{years}年年均增幅 {growth:.4f}），向上取三位有效数字"
    planned = Quantity(goal_value, facts.unit_of(dx), {"source": "计算", "query": query}, decimals=facts.decimals(dx))  # fmt: skip
    pct = _printed_growth(growth)
    # the printed projection times the printed growth, as a reader recomputes it (52.53万 ×
    # 1.026 = 53.90万, where the exact projection gives 53.89万)
    raised = Quantity(_as_printed(projected) * (1 + pct / 100), facts.unit_of(dx), {"source": "计算", "query": f"{dx} 全年预计（按打印值）×（1 + {pct}%）"})  # fmt: skip
    clause = n.fill("{name}力争达到{goal}", name=name, goal=n.fmt(planned))
    why = (
        *base, f"；近{_years(years)}年年均增长", _calc(f"{pct.normalize():f}%", pct, dx, f"近{years}年年均增幅"),
        "，", n.fmt(projected), "×（1+", _calc(f"{pct.normalize():f}%", pct, dx, f"近{years}年年均增幅"), "）=",
        n.fmt(raised), *_rounded_to(n.fmt(raised), n.fmt(planned)),
    )  # fmt: skip
    return clause, planned, why


def _as_printed(q: Quantity) -> Decimal:
    """A volume's value as its figure prints it ("52.53万人次" → 525 300)."""
    text = n.fmt(q).text.removesuffix(q.unit) if q.unit else n.fmt(q).text
    if text.endswith("万"):
        return Decimal(text[:-1].replace(",", "")) * 10000
    return Decimal(text.replace(",", ""))


def _printed_growth(growth: Decimal | None) -> Decimal:
    """The growth as printed, one decimal of a percent (0.02618 → 2.6)."""
    return (max(growth or Decimal(0), Decimal(0)) * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)


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
    on it: × (1 + growth as printed), rounded half up to three significant figures (53.9万, 5.68万,
    124万: a figure a director writes; whole ones below 1 000), never below the projection."""
    projected = done * 12 / months
    # the projection and the growth as printed (0.01万, one decimal of a percent), so that base ×
    # (1 + growth) is the figure a reader recomputes (read 2026-12-07: "52.53×1.026=53.90, not
    # 53.91"), and the goal that figure rounded half up, never up past it ("5.68…取整为5.69 is
    # not rounding at all", 23:40)
    raised = _printed_volume(projected) * (1 + _printed_growth(growth) / 100)
    digits = len(str(int(raised))) if raised >= 1 else 1
    step = Decimal(10) ** max(digits - 3, 0)
    goal = (raised / step).to_integral_value(rounding=ROUND_HALF_UP) * step
    return projected, max(goal, projected)


def _printed_volume(value: Decimal) -> Decimal:
    """A volume as a figure prints it: to 0.01万 from 10 000 up (52.53万), whole below."""
    if abs(value) >= 10000:
        return (value / 10000).quantize(Decimal("0.01"), ROUND_HALF_UP) * 10000
    return value.quantize(Decimal(1), ROUND_HALF_UP)


def _months(period) -> int:
    """The months a period covers (2026年1—11月 → 11)."""
    return (period.end.year - period.start.year) * 12 + period.end.month - period.start.month + 1


def _complete_year(facts) -> bool:
    period = facts.period
    return period.type is periods.PeriodType.YEARLY and "—" not in timeframe.label(period)
