"""The money core: shares always add up exactly to the pool (by hand and property-tested),
floors and caps hold, vetoes withhold, 预拨 and 结算 claw back."""

from decimal import Decimal as D
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from weijian.assessment.allocation import (
    AllocationError,
    Recipient,
    VetoPolicy,
    advance_amount,
    allocate,
    bounds_from_average,
    explain_share,
    quality_coefficient,
    score_weights,
    settle,
    why_no_weight,
    workload_weights,
)


def paid_plus_returned(result):
    return sum(result.amounts.values(), D(0)) + result.returned


def test_proportional_split_by_weight():
    # 100 000 over weights 3 : 2 → 60 000 and 40 000; 点值 = 100 000 ÷ 5 = 20 000
    result = allocate(D("100000.00"), [Recipient("A", D(3)), Recipient("B", D(2))])
    assert result.amounts == {"A": D("60000.00"), "B": D("40000.00")}
    assert result.point_value == Fraction(20000)
    assert result.returned == D(0)


def test_largest_remainder_hands_out_the_odd_fen():
    # 100.00 over three equal weights: 33.333… each → 33.33 × 3 = 99.99, the last fen goes to
    # the first key of the tie (weights equal) → 33.34, 33.33, 33.33
    result = allocate(D("100.00"), [Recipient(k, D(1)) for k in "ABC"])
    assert result.amounts == {"A": D("33.34"), "B": D("33.33"), "C": D("33.33")}
    assert paid_plus_returned(result) == D("100.00")


def test_largest_remainder_prefers_the_largest_fraction():
    # 10.00 over weights 1 : 2 : 4 (7 parts): 1.428571…, 2.857142…, 5.714285… → floors
    # 1.42 + 2.85 + 5.71 = 9.98; remainders .857, .714, .428 (in fen) → A and B get a fen:
    # 1.43, 2.86, 5.71 = 10.00
    result = allocate(
        D("10.00"), [Recipient("A", D(1)), Recipient("B", D(2)), Recipient("C", D(4))]
    )
    assert result.amounts == {"A": D("1.43"), "B": D("2.86"), "C": D("5.71")}


def test_each_share_rounded_alone_would_not_add_up():
    # the appraisal-server bug: round(100/3) × 3 = 99.99; ours adds up to 100.00
    shares = allocate(D("100.00"), [Recipient(k, D(1)) for k in "ABC"]).amounts
    assert sum(shares.values()) == D("100.00")
    assert sum(round(D(100) / 3, 2) for _ in range(3)) == D("99.99")


def test_score_times_base():
    # scores 90, 80; 人数 10, 20 → weights 900, 1600 (2500); 50 000 → 18 000 and 32 000
    weights = score_weights({"A": D(90), "B": D(80)}, {"A": D(10), "B": D(20)})
    assert weights == {"A": D(900), "B": D(1600)}
    result = allocate(D("50000.00"), [Recipient(k, w) for k, w in weights.items()])
    assert result.amounts == {"A": D("18000.00"), "B": D("32000.00")}


def test_grade_coefficients_multiply_the_weight():
    # 90 × 1 × 1.2 = 108; 70 × 1 × 0.8 = 56
    weights = score_weights({"A": D(90), "B": D(70)}, None, {"A": D("1.2"), "B": D("0.8")})
    assert weights == {"A": D("108.0"), "B": D("56.0")}


def test_workload_times_quality_with_a_threshold():
    # 质量系数 = score ÷ 100, 0 below 60: A 1000 × 0.9 = 900; B 2000 × 0 (55 < 60) = 0
    weights = workload_weights({"A": D(1000), "B": D(2000)}, {"A": D(90), "B": D(55)}, D(60))
    assert weights == {"A": D("900.0"), "B": D(0)}
    assert quality_coefficient(D(60), D(60)) == D("0.6")
    assert quality_coefficient(None, D(60)) == D(0)


def test_floors_are_met_from_the_others_shares():
    # 10 000 over weights 9 : 1 → 9 000 and 1 000; B's floor 2 000 lifts it, A takes the
    # rest 8 000
    result = allocate(
        D("10000.00"), [Recipient("A", D(9)), Recipient("B", D(1), floor=D("2000.00"))]
    )
    assert result.amounts == {"A": D("8000.00"), "B": D("2000.00")}
    assert result.shares["B"].at_floor


def test_caps_pass_the_excess_to_the_others():
    # 10 000 over 1 : 1 : 2 → 2 500, 2 500, 5 000; C capped at 4 000: the 1 000 goes to A
    # and B by weight → 3 000 each
    result = allocate(
        D("10000.00"),
        [Recipient("A", D(1)), Recipient("B", D(1)), Recipient("C", D(2), cap=D("4000.00"))],
    )
    assert result.amounts == {"A": D("3000.00"), "B": D("3000.00"), "C": D("4000.00")}
    assert result.shares["C"].at_cap


def test_when_everyone_is_capped_the_rest_is_returned():
    # total control: caps 3 000 + 4 000 = 7 000 of 10 000 → 3 000 returned (结余)
    result = allocate(
        D("10000.00"),
        [Recipient("A", D(1), cap=D("3000.00")), Recipient("B", D(5), cap=D("4000.00"))],
    )
    assert result.amounts == {"A": D("3000.00"), "B": D("4000.00")}
    assert result.returned == D("3000.00")
    assert "结余 3 000.00元" in result.notes[-1] or "结余" in result.notes[-1]


def test_floors_beyond_the_pool_are_refused():
    with pytest.raises(
        AllocationError, match="保底金额合计 12 000.00元 超过可分配金额 10 000.00元"
    ):
        allocate(
            D("10000.00"),
            [Recipient("A", D(1), floor=D("6000.00")), Recipient("B", D(1), floor=D("6000.00"))],
        )


def test_a_cap_below_the_floor_is_refused():
    with pytest.raises(AllocationError, match="封顶金额 100.00元 低于保底金额 200.00元"):
        allocate(D("1000.00"), [Recipient("A", D(1), floor=D("200.00"), cap=D("100.00"))])


def test_pool_must_be_in_fen():
    with pytest.raises(AllocationError, match="须精确到分"):
        allocate(D("100.001"), [Recipient("A", D(1))])


def test_veto_share_redistributed_to_the_others():
    # 9 000 over 1 : 1 : 1 → 3 000 each; C vetoed with 50% cut keeps 1 500; the other 7 500
    # goes to A and B by weight → 3 750 each
    result = allocate(
        D("9000.00"),
        [Recipient("A", D(1)), Recipient("B", D(1)), Recipient("C", D(1), cut=D("0.5"))],
        veto_policy=VetoPolicy.REDISTRIBUTE,
    )
    assert result.amounts == {"A": D("3750.00"), "B": D("3750.00"), "C": D("1500.00")}
    assert result.shares["C"].withheld == Fraction(1500)
    assert result.returned == D(0)


def test_veto_share_returned():
    # same, but the 1 500 withheld is returned: A 3 000, B 3 000, C 1 500, 结余 1 500
    result = allocate(
        D("9000.00"),
        [Recipient("A", D(1)), Recipient("B", D(1)), Recipient("C", D(1), cut=D("0.5"))],
        veto_policy=VetoPolicy.RETURN,
    )
    assert result.amounts == {"A": D("3000.00"), "B": D("3000.00"), "C": D("1500.00")}
    assert result.returned == D("1500.00")


def test_a_veto_cut_overrides_the_floor():
    # C's floor 2 000 would hold, but a 100% cut leaves it nothing; A and B share 9 000
    result = allocate(
        D("9000.00"),
        [
            Recipient("A", D(1)),
            Recipient("B", D(1)),
            Recipient("C", D(1), floor=D("2000.00"), cut=D(1)),
        ],
    )
    assert result.amounts == {"A": D("4500.00"), "B": D("4500.00"), "C": D("0.00")}


def test_zero_weights_take_only_their_floors():
    result = allocate(D("1000.00"), [Recipient("A", D(0), floor=D("100.00")), Recipient("B", D(1))])
    assert result.amounts == {"A": D("100.00"), "B": D("900.00")}


def test_nobody_with_weight_returns_the_pool():
    result = allocate(D("1000.00"), [Recipient("A", D(0)), Recipient("B", D(0))])
    assert result.amounts == {"A": D("0.00"), "B": D("0.00")}
    assert result.returned == D("1000.00")


def test_bounds_from_the_average_are_cut_to_the_fen():
    # 10 000 ÷ 3 = 3 333.333…; × 0.5 = 1 666.66(6) → 1 666.66; × 2 = 6 666.66(6) → 6 666.66
    assert bounds_from_average(D("10000.00"), 3, D("0.5"), D(2)) == (D("1666.66"), D("6666.66"))


def test_explanation_of_a_share():
    result = allocate(D("100000.00"), [Recipient("A", D(3)), Recipient("B", D(2))])
    assert explain_share(result.shares["A"], result.point_value) == (
        "权重 3 × 点值 20000 = 60 000.00元，实发 60 000.00元"
    )


def test_a_zero_weight_says_why():
    assert why_no_weight(D("84.81"), D(12000), threshold=D(85)) == (
        "得分 84.81 低于门槛 85 分，质量系数为 0"
    )
    assert why_no_weight(D(85), D(12000), threshold=D(85)) == ""  # the threshold itself counts
    assert why_no_weight(D(90), None) == "未列入分配基数"
    assert why_no_weight(None, D(10)) == "无考核得分"
    assert why_no_weight(D(0), D(10)) == "得分为 0"  # e.g. 一票否决 总分计0分
    assert why_no_weight(D(90), D(0)) == "分配基数为 0"
    assert why_no_weight(D(90), D(10)) == ""


# -- 预拨 and 结算 --------------------------------------------------------------------------------------


def test_advance_then_settle_with_clawback():
    # 预拨 60% of 100 000 = 60 000 by population 1 : 1 → 30 000 each; assessment gives A 70 000
    # and B 30 000 → A gets 40 000 more, B has 0 to pay back; with B at 20 000 it repays 10 000
    assert advance_amount(D("100000.00"), D("0.6")) == D("60000.00")
    advanced = allocate(D("60000.00"), [Recipient("A", D(1)), Recipient("B", D(1))]).amounts
    result = settle({"A": D("80000.00"), "B": D("20000.00")}, advanced)
    assert result["A"].balance == D("50000.00")
    assert result["B"].balance == D("-10000.00")
    assert result["B"].clawback
    assert sum(s.balance for s in result.values()) == D("100000.00") - D("60000.00")


def test_advance_ratio_must_be_a_share():
    with pytest.raises(AllocationError, match="预拨比例"):
        advance_amount(D("100.00"), D("1.5"))


# -- properties ------------------------------------------------------------------------------------------

cents = st.integers(min_value=0, max_value=10_000_000_00)
weights = st.decimals(
    min_value=0, max_value=100_000, places=2, allow_nan=False, allow_infinity=False
)


@st.composite
def cases(draw):
    pool = D(draw(cents)) / 100
    n = draw(st.integers(min_value=1, max_value=12))
    recipients = []
    budget = pool
    for i in range(n):
        w = draw(weights)
        floor = cap = None
        if draw(st.booleans()) and budget > 0:
            floor = D(draw(st.integers(min_value=0, max_value=int(budget * 100) // n))) / 100
            budget -= floor
        if draw(st.booleans()):
            low = int((floor or 0) * 100)
            cap = D(draw(st.integers(min_value=low, max_value=low + 5_000_000_00))) / 100
        cut = D(draw(st.sampled_from(["0", "0", "0", "0.3", "1"])))
        recipients.append(Recipient(f"U{i:02d}", w, floor, cap, cut))
    policy = draw(st.sampled_from(list(VetoPolicy)))
    return pool, recipients, policy


@settings(max_examples=400, deadline=None)
@given(cases())
def test_shares_and_returned_always_add_up_to_the_pool(case):
    pool, recipients, policy = case
    result = allocate(pool, recipients, veto_policy=policy)
    assert paid_plus_returned(result) == pool
    for amount in result.amounts.values():
        assert amount == amount.quantize(D("0.01"))
        assert amount >= 0
    assert result.returned >= 0


@settings(max_examples=400, deadline=None)
@given(cases())
def test_floors_and_caps_hold_after_rounding(case):
    pool, recipients, policy = case
    result = allocate(pool, recipients, veto_policy=policy)
    for r in recipients:
        amount = result.amounts[r.key]
        if r.cap is not None:
            assert amount <= r.cap
        if r.floor is not None and r.cut == 0:
            assert amount >= r.floor


@settings(max_examples=300, deadline=None)
@given(cases())
def test_rounding_moves_each_share_by_less_than_a_fen(case):
    pool, recipients, policy = case
    result = allocate(pool, recipients, veto_policy=policy)
    for share in result.shares.values():
        assert abs(Fraction(share.amount) - share.exact) < Fraction(1, 100)


@settings(max_examples=200, deadline=None)
@given(cases())
def test_allocation_is_deterministic(case):
    pool, recipients, policy = case
    first = allocate(pool, recipients, veto_policy=policy).amounts
    assert allocate(pool, list(recipients), veto_policy=policy).amounts == first


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=1, max_value=10_000_000_00),
    st.lists(st.integers(min_value=1, max_value=1000), min_size=1, max_size=10),
)
def test_without_bounds_a_larger_weight_never_gets_less(pool_cents, ws):
    result = allocate(D(pool_cents) / 100, [Recipient(f"U{i}", D(w)) for i, w in enumerate(ws)])
    amounts = [result.amounts[f"U{i}"] for i in range(len(ws))]
    for i in range(len(ws)):
        for j in range(len(ws)):
            if ws[i] > ws[j]:
                assert amounts[i] >= amounts[j]
    assert result.returned == 0
