"""同比, 环比, 百分点 and rank among siblings, on top of the analytics engine.

Rates (percentages) change by 百分点: 12.5 % → 14.0 % is "上升 1.5 个百分点". Counts and
amounts change by a relative percentage: 120 → 150 is "增长 25%".
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from weijian import periods
from weijian.orgs.models import OrgUnit

from .analytics import analyse
from .models import Direction, Indicator


@dataclass(frozen=True)
class Change:
    value: Decimal | None  # the difference: 百分点 for rates, % for everything else
    in_points: bool  # True: 百分点; False: relative %

    @property
    def unit(self) -> str:
        return "个百分点" if self.in_points else "%"


@dataclass(frozen=True)
class Comparison:
    dx: str
    ou: str
    period: periods.Period
    value: Decimal | None
    last_year: Decimal | None
    previous: Decimal | None
    year_on_year: Change  # 同比
    period_on_period: Change  # 环比


def change(current: Decimal | None, before: Decimal | None, in_points: bool) -> Change:
    if current is None or before is None:
        return Change(None, in_points)
    if in_points:
        return Change(current - before, True)
    if before == 0:
        return Change(None, False)  # growth from zero has no percentage
    return Change((current - before) / abs(before) * 100, False)


def compare(dx: list[str], period: periods.Period, units: list[OrgUnit]) -> dict:
    """(dx, unit code) → Comparison for the period against last year and the period before."""
    last_year, previous = period.same_period_last_year(), period.previous()
    result = analyse(dx, [period, last_year, previous], units)
    comparisons = {}
    for code in dx:
        in_points = _in_points(result.indicators.get(code))
        for unit in units:
            now = result.value(code, period.id, unit.code)
            ly = result.value(code, last_year.id, unit.code)
            prev = result.value(code, previous.id, unit.code)
            comparisons[(code, unit.code)] = Comparison(
                code, unit.code, period, now, ly, prev,
                change(now, ly, in_points), change(now, prev, in_points),
            )  # fmt: skip
    return comparisons


def _in_points(indicator: Indicator | None) -> bool:
    return indicator is not None and indicator.is_rate


def rank(values: dict[str, Decimal | None], direction: str) -> dict[str, int]:
    """Competition ranking (1, 2, 2, 4) of units by value, best first; units without a
    value are not ranked. 越低越好 ranks the lowest first; otherwise the highest."""
    present = {code: v for code, v in values.items() if v is not None}
    descending = direction != Direction.LOWER_BETTER
    ordered = sorted(present.values(), reverse=descending)
    return {code: ordered.index(v) + 1 for code, v in present.items()}


def rank_among_siblings(dx: str, period: periods.Period, unit: OrgUnit) -> tuple[int | None, int]:
    """(rank of the unit among its parent's children, how many were ranked)."""
    parent = unit.get_parent()
    siblings = list(parent.get_children()) if parent else [unit]
    result = analyse([dx], [period], siblings)
    values = {s.code: result.value(dx, period.id, s.code) for s in siblings}
    indicator = result.indicators.get(dx)
    ranks = rank(values, indicator.direction if indicator else Direction.HIGHER_BETTER)
    return ranks.get(unit.code), len(ranks)
