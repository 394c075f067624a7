"""Judgements: what the figures say about the unit (target met or not, a rate below the
district's floor, a change for the worse) — the problems that go under 存在问题."""

from __future__ import annotations

from decimal import Decimal

from weijian import periods

from . import narrative as n
from . import timeframe
from .context import (
    DECLINE_THRESHOLD,
    MAX_PROBLEMS,
    OVERDUE_CODE,
    RATE_DECLINE_THRESHOLD,
    SATISFACTION_CODES,
    SATISFACTION_FLOOR,
    Context,
    Problem,
)
from .facts import Facts
from .narrative import Quantity


def comparison_period(facts: Facts) -> str | None:
    return None if timeframe.is_range(facts.period) else facts.period.id


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


# -- judging: what goes under 存在问题 --------------------------------------------------------


def subject(name: str, unit: str) -> str:
    """ "门急诊人次" before "25.39万人次" reads twice: say "门急诊25.39万人次"."""
    if unit and len(name) > len(unit) and name.endswith(unit):
        return name[: -len(unit)]
    # "健康讲座次数52次", "印刷资料份数4.39万份": the count word says it again
    bare = unit.removeprefix("万")
    if bare and len(name) > len(bare) + 1 and name.endswith(bare + "数"):
        return name[: -len(bare) - 1]
    return name


def judge_figure(ctx, dx, name, cur: Quantity, prev: Quantity | None, direction) -> None:
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
        ctx.problems.append(Problem("unmet_target", dx, name, text))
        return
    if dx == OVERDUE_CODE and cur.value and cur.value > 0:
        text = n.fill("部分督导检查发现问题整改不及时，{span}逾期未完成整改{n}", span=ctx.words["span"], n=n.fmt(as_count(cur, "项")))  # fmt: skip
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
        change = relative_change(cur, prev)
        if change is None:
            return
        limit = (
            RATE_DECLINE_THRESHOLD if cur.is_rate or cur.unit in ("%", "‰") else DECLINE_THRESHOLD
        )
        worse = change <= -limit if direction == "up" else change >= limit
        if worse:
            text = n.state(name, cur, prev, direction=direction, period=comparison_period(facts))
            ctx.problems.append(Problem("declining", dx, name, text))


def as_count(q: Quantity, unit: str) -> Quantity:
    return Quantity(q.value, q.unit or unit, q.source, q.is_rate, q.decimals)


def relative_change(cur: Quantity, prev: Quantity) -> Decimal | None:
    """The relative change in %, for counts and rates alike."""
    if not prev.value:
        return None
    return (cur.value - prev.value) / abs(prev.value) * 100


def all_problems(ctx: Context) -> list[Problem]:
    problems = list(ctx.problems)
    found = ctx.reporting
    if found is not None and (found.late or found.missing):
        problems.append(Problem("late_reporting", "", "报表上报", found.problem_text(ctx.words)))
    order = ["overdue_rectification", "unmet_target", "low_satisfaction", "declining", "late_reporting"]  # fmt: skip
    problems.sort(key=lambda p: order.index(p.kind))
    return problems[:MAX_PROBLEMS]
