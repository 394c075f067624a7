"""Next year's targets where this year's result already beat the set one: a round figure an
office would write, never less ambitious than the result (plan_targets.round_target)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from weijian.documents.plan_targets import planned_growth, projected_goal, round_target


@pytest.mark.parametrize(
    ("value", "direction", "unit", "expected"),
    [
        ("86.79", "up", "%", "87"),  # hand hygiene reached 86.79 %: aim for 87 %, not 86.79
        ("86.00", "up", "%", "86.00"),  # already round: kept
        ("33.40", "down", "DDDs/百人天", "33"),  # lower is better: floor, 33 ≤ 33.40
        ("33.00", "down", "DDDs/百人天", "33.00"),
        ("99.78", "up", "%", "99.78"),  # a share would round up to 100 %: kept as reached
        ("1.18", "down", "%", "1.18"),  # under 10: a whole point would be a leap (1.18 → 1)
        ("0.07", "down", "‰", "0.07"),
        ("57.2", "up", "万人次", "58"),
    ],
)
def test_a_reached_result_becomes_a_round_target_no_less_ambitious(
    value, direction, unit, expected
):
    got = round_target(Decimal(value), direction, unit)
    assert got == Decimal(expected)
    # never below (up) or above (down) the result already reached
    assert got >= Decimal(value) if direction == "up" else got <= Decimal(value)


def test_a_volume_goal_starts_from_the_year_projected_from_its_months():
    # 481 500 人次 in 11 months: 481 500 × 12 ÷ 11 = 525 272.7 for the year; the district
    # planned +5 % (57.92 on 55.16 万人次: 579 200 ÷ 551 600 − 1 = 0.05004); 525 272.7 ×
    # 1.05004 = 551 555.4, rounded up to 100 人次 → 551 600 (55.16万)
    growth = planned_growth(Decimal(579200), Decimal(551600))
    assert abs(growth - Decimal("0.05004")) < Decimal("0.00001")
    projected, goal = projected_goal(Decimal(481500), 11, growth)
    assert projected.quantize(Decimal("0.1")) == Decimal("525272.7")
    assert goal == Decimal(551600)
    # a small count: 500 in 10 months → 600 for the year, × 1.05 = 630 (whole 人次)
    assert projected_goal(Decimal(500), 10, Decimal("0.05")) == (Decimal(600), Decimal(630))
    # no planned growth known, or a cut: never below the projection (600 → 600)
    assert projected_goal(Decimal(500), 10, None)[1] == Decimal(600)
    assert projected_goal(Decimal(500), 10, Decimal("-0.1"))[1] == Decimal(600)
    assert planned_growth(Decimal(1000), None) is None
