"""Targets: progress, 完成率 and a status against the share of the year already elapsed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from weijian import periods

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


def is_cumulative(indicator: Indicator) -> bool:
    """A count that accumulates over the year (门诊人次, 讲座次数), as opposed to a rate."""
    return indicator.type == "NUMBER" and indicator.denominator.strip() in ("", "1")


def progress(
    indicator: Indicator,
    target_value: Decimal | None,
    value: Decimal | None,
    target_period: periods.Period,
    today: dt.date,
) -> TargetProgress:
    share = elapsed_share(target_period, today)
    if target_value is None:
        return TargetProgress(None, value, None, share, Status.NO_TARGET)
    if value is None:
        return TargetProgress(target_value, None, None, share, Status.NO_VALUE)
    completion = value / target_value * 100 if target_value else None
    return TargetProgress(
        target_value, value, completion, share,
        _status(indicator, target_value, value, share),
    )  # fmt: skip


def _status(indicator: Indicator, target: Decimal, value: Decimal, share: Decimal) -> Status:
    lower_better = indicator.direction == Direction.LOWER_BETTER
    if is_cumulative(indicator) and share < 1:
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
