"""Next year's targets where this year's result already beat the set one: a round figure an
office would write, never less ambitious than the result (plan_targets.round_target)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from weijian.documents.plan_targets import round_target


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
