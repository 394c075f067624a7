"""Targets: progress, 完成率 and a status against the share of the year already elapsed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from weijian import periods
from weijian.reporting.models import AggregationType, DataElement

from .expression import ElementRef
from .models import Direction, Indicator, Target, elapsed_share


class Status(StrEnum):
    MET = "达标"
    NOT_MET = "未达标"
    BEHIND = "进度滞后"
    ON_TRACK = "进度正常"
    NO_VALUE = "无数据"
    NO_TARGET = "无目标"


@dataclass(frozen=True)
class TargetProgress:
    target: Decimal | None
    value: Decimal | None
    completion: Decimal | None  # 完成率, %: value / target × 100
    expected_share: Decimal  # share of the target period elapsed, 0–1
    status: Status


def is_cumulative(indicator: Indicator, summed_codes: set[str] | None = None) -> bool:
    """A count that accumulates over the year (门诊人次, 讲座次数), as opposed to a rate or a
    stock (床位数, 护士人数): a plain number whose data elements all aggregate by SUM.

    `summed_codes` (codes of SUM elements) spares a query when called for many indicators."""
    if indicator.type != "NUMBER" or indicator.denominator.strip() not in ("", "1"):
        return False
    codes = {r.code for r in indicator.parsed()[0].items() if isinstance(r, ElementRef)}
    if summed_codes is None:
        summed_codes = set(
            DataElement.objects.filter(
                code__in=codes, aggregation_type=AggregationType.SUM
            ).values_list("code", flat=True)
        )
    return bool(codes) and codes <= summed_codes


def progress(
    indicator: Indicator,
    target_value: Decimal | None,
    value: Decimal | None,
    target_period: periods.Period,
    today: dt.date,
    *,
    cumulative: bool | None = None,
) -> TargetProgress:
    """`today` is the day the value reaches up to (for data up to October: 1 November)."""
    share = elapsed_share(target_period, today)
    if target_value is None:
        return TargetProgress(None, value, None, share, Status.NO_TARGET)
    if value is None:
        return TargetProgress(target_value, None, None, share, Status.NO_VALUE)
    completion = value / target_value * 100 if target_value else None
    return TargetProgress(
        target_value, value, completion, share,
        _status(indicator, target_value, value, share, cumulative),
    )  # fmt: skip


def _status(indicator, target: Decimal, value: Decimal, share: Decimal, cumulative) -> Status:
    lower_better = indicator.direction == Direction.LOWER_BETTER
    if cumulative is None:
        cumulative = is_cumulative(indicator)
    if cumulative and share < 1:
        # A yearly count part-way through the year: compare with the pro-rata target.
        if lower_better:
            return Status.ON_TRACK if value <= target else Status.NOT_MET
        if value >= target:
            return Status.MET
        return Status.BEHIND if value < target * share else Status.ON_TRACK
    met = value <= target if lower_better else value >= target
    return Status.MET if met else Status.NOT_MET


def target_for(indicator: Indicator, unit, period: periods.Period) -> Target | None:
    """The unit's target for the period itself, or for the year containing it."""
    ids = [period.id, str(period.year)]
    targets = {
        t.period: t
        for t in Target.objects.filter(indicator=indicator, org_unit=unit, period__in=ids)
    }
    return targets.get(period.id) or targets.get(str(period.year))
