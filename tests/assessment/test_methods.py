"""Every scoring method of a 考核细则 item, by hand: the arithmetic is in the comments."""

import datetime as dt
from decimal import Decimal as D

import pytest

from weijian.assessment.methods import (
    ItemSpec,
    Method,
    MethodError,
    Missing,
    Observation,
    Status,
    check,
    check_manual,
    competition_ranks,
    score,
    score_ranked,
)


def spec(method, points="10", unit="", **params):
    on_missing = params.pop("on_missing", Missing.ZERO)
    on_zero = params.pop("on_zero", Missing.EXCLUDE)
    item = ItemSpec("1.1", "院感发病率", D(points), method, params, on_missing, on_zero, unit)
    check(item)
    return item


def earned(item, value=None, **kw):
    return score(item, Observation(value=None if value is None else D(str(value)), **kw))


# -- 是/否 ---------------------------------------------------------------------------------------


def test_yes_no_gives_the_points_for_the_expected_answer():
    item = spec(Method.YES_NO, expect="yes")
    assert earned(item, 1).earned == D(10)
    assert earned(item, 0).earned == D(0)
    assert earned(item, 0).text == "否，得 0 分"


def test_yes_no_expecting_no_scores_a_zero_count_full():
    # “全年未发生安全生产事故得满分”: 0 incidents → 10; 2 incidents → 0
    item = spec(Method.YES_NO, expect="no")
    assert earned(item, 0).earned == D(10)
    assert earned(item, 2).earned == D(0)


# -- 比例法 -------------------------------------------------------------------------------------------


def test_ratio_higher_is_points_times_actual_over_target():
    # 健康档案建档率 target ≥ 90%, actual 81% → 81 ÷ 90 = 0.9 → 10 × 0.9 = 9
    item = spec(Method.RATIO, unit="%", target="90", direction="higher")
    result = earned(item, "81")
    assert result.earned == D("9.00")
    assert result.text == "目标 ≥90%，完成率 = 实际 ÷ 目标 = 90%，得 9 分"


def test_ratio_over_the_target_is_capped_at_the_points():
    # 99 ÷ 90 = 110% → counted as 100% → 10
    item = spec(Method.RATIO, unit="%", target="90")
    result = earned(item, 99)
    assert result.earned == D(10)
    assert "超过100%按100%计" in result.text


def test_ratio_lower_is_target_over_actual():
    # 院感发病率 target ≤ 1.2%, actual 1.5% → 1.2 ÷ 1.5 = 0.8 → 8 points
    item = spec(Method.RATIO, unit="%", target="1.2", direction="lower")
    result = earned(item, "1.5")
    assert result.earned == D("8.00")
    assert result.text.startswith("目标 ≤1.20%，完成率 = 目标 ÷ 实际 = 80%")


def test_ratio_lower_with_zero_actual_is_full_marks():
    # nothing happened: best possible → 10
    item = spec(Method.RATIO, unit="%", target="1.2", direction="lower")
    assert earned(item, 0).earned == D(10)


def test_ratio_below_its_floor_scores_nothing():
    # floor 0.5: 40 ÷ 90 = 44.4% < 50% → 0; 45 ÷ 90 = 50% → 5
    item = spec(Method.RATIO, unit="%", target="90", floor="0.5")
    assert earned(item, 40).earned == D(0)
    assert earned(item, 45).earned == D("5.00")


def test_ratio_uses_the_units_own_target_when_given():
    # the unit's target 80: 72 ÷ 80 = 0.9 → 9 (the item's 90 would give 8)
    item = spec(Method.RATIO, target="90")
    assert score(item, Observation(value=D(72), target=D(80))).earned == D("9.00")


def test_ratio_rounds_half_up_to_the_cent():
    # 10 × 2 ÷ 3 = 6.666… → 6.67
    item = spec(Method.RATIO, target="3")
    assert earned(item, 2).earned == D("6.67")


# -- 门槛 + 线性 -------------------------------------------------------------------------------------


def test_linear_between_threshold_and_target():
    # threshold 80, target 95, value 90: 10 × (90 − 80) ÷ (95 − 80) = 6.666… → 6.67
    item = spec(Method.LINEAR, unit="%", threshold="80", target="95")
    result = earned(item, 90)
    assert result.earned == D("6.67")
    assert result.text == (
        "目标 ≥95%，门槛 80%，按线性计分 10 × (90% − 80%) ÷ (95% − 80%)，得 6.67 分"
    )


def test_linear_at_or_past_the_target_is_full_and_below_the_threshold_nothing():
    item = spec(Method.LINEAR, threshold="80", target="95")
    assert earned(item, 95).earned == D(10)
    assert earned(item, 99).earned == D(10)
    assert earned(item, 80).earned == D(0)  # at the threshold with base 0: 10 × 0 = 0
    assert earned(item, "79.9").earned == D(0)


def test_linear_with_a_base_at_the_threshold():
    # base 4 at threshold 80: 4 + (10 − 4) × (85 − 80) ÷ (95 − 80) = 4 + 2 = 6
    item = spec(Method.LINEAR, threshold="80", target="95", base="4")
    assert earned(item, 85).earned == D("6.00")
    assert earned(item, 80).earned == D("4.00")


def test_linear_lower_better_is_every_point_worse_deducting():
    # “每高0.1个百分点扣2分，扣完为止”: target 1.0, zero at 1.5 (10 ÷ 2 × 0.1 = 0.5 above)
    # value 1.2: 10 × (1.2 − 1.5) ÷ (1.0 − 1.5) = 10 × 0.6 = 6
    item = spec(Method.LINEAR, unit="%", threshold="1.5", target="1.0")
    assert earned(item, "1.2").earned == D("6.00")
    assert earned(item, "0.9").earned == D(10)
    assert earned(item, "1.6").earned == D(0)
    assert earned(item, "1.2").text.startswith("目标 ≤1%，门槛 1.50%")


# -- 区间法 --------------------------------------------------------------------------------------------


def test_bands_step_with_left_closed_intervals():
    # ≥95 → 10; [90, 95) → 6; [80, 90) → 3; < 80 → 0
    item = spec(
        Method.BANDS, unit="%", bands=[[95, None, 10], [90, 95, 6], [80, 90, 3], [None, 80, 0]]
    )
    assert earned(item, 95).earned == D(10)
    assert earned(item, "94.99").earned == D(6)
    assert earned(item, 90).earned == D(6)
    assert earned(item, 85).earned == D(3)
    assert earned(item, 10).earned == D(0)
    assert earned(item, 90).text == "落在区间 [90%, 95%)，得 6 分"


def test_bands_right_closed_for_lower_better_rates():
    # 院感发病率 ≤1% → 10; (1, 1.5] → 6; (1.5, 2] → 3; > 2 → 0
    item = spec(
        Method.BANDS,
        unit="%",
        closed="right",
        bands=[[None, 1, 10], [1, "1.5", 6], ["1.5", 2, 3], [2, None, 0]],
    )
    assert earned(item, 1).earned == D(10)
    assert earned(item, "1.01").earned == D(6)
    assert earned(item, "1.5").earned == D(6)
    assert earned(item, "2.5").earned == D(0)


def test_bands_with_interpolation():
    # [90, 100] scores 6 → 10 linearly: 92.5 → 6 + 4 × 2.5 ÷ 10 = 7
    # [80, 90) scores 0 → 6: 85 → 0 + 6 × 5 ÷ 10 = 3
    item = spec(Method.BANDS, bands=[[80, 90, 0, 6], [90, 100, 6, 10]])
    assert earned(item, "92.5").earned == D("7.00")
    assert earned(item, 85).earned == D("3.00")
    assert earned(item, 70).earned == D(0)  # in no band
    assert earned(item, 70).text == "不在任何计分区间内，得 0 分"


def test_bands_that_overlap_are_refused():
    with pytest.raises(MethodError, match="区间有重叠"):
        spec(Method.BANDS, bands=[[80, 92, 5], [90, 100, 10]])


def test_a_band_score_above_the_points_is_refused():
    with pytest.raises(MethodError, match="得分应在 0 到分值 10 之间"):
        spec(Method.BANDS, bands=[[80, 100, 12]])


# -- 按次加减分 -----------------------------------------------------------------------------------------


def test_per_occurrence_deducts_until_nothing_is_left():
    # 2 points per finding, cap = the 10 points: 3 → 10 − 6 = 4; 7 → 14 capped at 10 → 0
    item = spec(Method.PER_OCCURRENCE, per="2")
    assert score(item, Observation(occurrences=3)).earned == D(4)
    assert score(item, Observation(occurrences=7)).earned == D(0)
    assert "已达上限" in score(item, Observation(occurrences=7)).text


def test_per_occurrence_with_a_cap_below_the_points():
    # cap 6: 5 findings × 2 = 10 → 6 deducted → 10 − 6 = 4
    item = spec(Method.PER_OCCURRENCE, per="2", cap="6")
    assert score(item, Observation(occurrences=5)).earned == D(4)


def test_per_occurrence_adding():
    # 加分: 1.5 per 省级表彰, cap 3: 1 → 1.5; 4 → 6 capped → 3
    item = spec(Method.PER_OCCURRENCE, points="3", mode="add", per="1.5")
    assert score(item, Observation(occurrences=1)).earned == D("1.50")
    assert score(item, Observation(occurrences=4)).earned == D("3.00")


def test_per_occurrence_reads_a_count_from_the_value():
    item = spec(Method.PER_OCCURRENCE, per="2")
    assert earned(item, 1).earned == D(8)


# -- 名次法 --------------------------------------------------------------------------------------------


def test_rank_steps_with_ties():
    # values 95, 95, 90, 80 → ranks 1, 1, 3, 4 → 10, 10, 10 − 2 × 2 = 6, 10 − 3 × 2 = 4
    item = spec(Method.RANK, mode="steps", step="2")
    out = score_ranked(item, {"A": D(95), "B": D(95), "C": D(90), "D": D(80)})
    assert [out[k].earned for k in "ABCD"] == [D(10), D(10), D(6), D(4)]
    assert out["C"].text == "4 个单位中列第 3 名，每低一名减 2 分，得 6 分"


def test_rank_steps_never_go_below_zero():
    # rank 7 with step 2: 10 − 12 → 0
    item = spec(Method.RANK, mode="steps", step="2")
    values = {str(i): D(100 - i) for i in range(7)}
    assert score_ranked(item, values)["6"].earned == D(0)


def test_rank_proportional_to_the_best():
    # higher better, best 80: 60 → 10 × 60 ÷ 80 = 7.5
    item = spec(Method.RANK, mode="proportional")
    out = score_ranked(item, {"A": D(80), "B": D(60)})
    assert out["A"].earned == D(10)
    assert out["B"].earned == D("7.50")


def test_rank_proportional_lower_better():
    # best (lowest) 1.2: 1.6 → 10 × 1.2 ÷ 1.6 = 7.5
    item = spec(Method.RANK, mode="proportional", direction="lower")
    out = score_ranked(item, {"A": D("1.2"), "B": D("1.6")})
    assert out["B"].earned == D("7.50")


def test_rank_leaves_units_without_a_value_to_the_missing_rule():
    item = spec(Method.RANK, mode="steps", step="1", on_missing=Missing.EXCLUDE)
    out = score_ranked(item, {"A": D(3), "B": None})
    assert out["A"].earned == D(10)
    assert out["B"].earned is None
    assert out["B"].status == Status.MISSING


def test_competition_ranks_share_and_skip():
    assert competition_ranks({"a": D(92), "b": D(92), "c": D(90)}) == {"a": 1, "b": 1, "c": 3}
    assert competition_ranks({"a": D(1), "b": D(2)}, higher_better=False) == {"a": 1, "b": 2}


# -- 达标与改善取高 ---------------------------------------------------------------------------------------


def better_of():
    return spec(
        Method.BETTER_OF,
        unit="%",
        direction="higher",
        achievement={"method": "linear", "threshold": "80", "target": "95"},
        improvement={"method": "linear", "threshold": "0", "target": "5"},
    )


def test_better_of_takes_improvement_when_it_is_higher():
    # value 86 (last year 82): achievement 10 × (86 − 80) ÷ 15 = 4;
    # improvement +4 points: 10 × 4 ÷ 5 = 8 → 8
    result = score(better_of(), Observation(value=D(86), previous=D(82)))
    assert result.earned == D("8.00")
    assert "取较高者（改善计分）8 分" in result.text
    assert "改善 +4个百分点" in result.text


def test_better_of_takes_achievement_when_it_is_higher():
    # value 94 (last year 93.5): achievement 10 × 14 ÷ 15 = 9.33; improvement 0.5 → 1 → 9.33
    result = score(better_of(), Observation(value=D(94), previous=D("93.5")))
    assert result.earned == D("9.33")


def test_better_of_without_last_period_uses_achievement():
    result = score(better_of(), Observation(value=D(86)))
    assert result.earned == D("4.00")
    assert "上期无数据" in result.text


def test_better_of_needs_both_sub_methods():
    with pytest.raises(MethodError, match="须给出改善计分方法"):
        spec(Method.BETTER_OF, achievement={"method": "ratio", "target": "90"})


# -- 资料按时报送 ----------------------------------------------------------------------------------------


def test_evidence_within_the_window():
    window = (dt.date(2026, 10, 1), dt.date(2026, 10, 10))
    item = spec(Method.EVIDENCE, required="2")
    on_time = Observation(dates=(dt.date(2026, 10, 3), dt.date(2026, 10, 10)), window=window)
    late = Observation(dates=(dt.date(2026, 10, 3), dt.date(2026, 10, 11)), window=window)
    assert score(item, on_time).earned == D(10)
    assert score(item, late).earned == D(0)
    assert "另有 1 份不在期限内" in score(item, late).text


def test_evidence_partial_credit():
    # 1 of 3 on time with partial: 10 × 1 ÷ 3 = 3.33
    window = (dt.date(2026, 10, 1), dt.date(2026, 10, 10))
    item = spec(Method.EVIDENCE, required="3", partial=True)
    assert score(item, Observation(dates=(dt.date(2026, 10, 2),), window=window)).earned == D(
        "3.33"
    )


# -- 人工评分 -----------------------------------------------------------------------------------------


def test_manual_score_with_reason():
    item = spec(Method.MANUAL)
    result = score(item, Observation(manual=D("7.5"), reason="台账不全"))
    assert result.earned == D("7.50")
    assert result.text == "评分 7.5 分（台账不全）"


def test_manual_not_yet_scored_is_pending():
    result = score(spec(Method.MANUAL), Observation())
    assert result.status == Status.PENDING
    assert result.earned == D(0)


def test_manual_above_the_points_is_refused():
    item = spec(Method.MANUAL)
    with pytest.raises(MethodError, match="得分 12 超过本项分值 10 分"):
        check_manual(item, D(12), "优秀")


def test_manual_deduction_needs_a_reason():
    with pytest.raises(MethodError, match="扣分须说明理由"):
        check_manual(spec(Method.MANUAL), D(8), "")
    check_manual(spec(Method.MANUAL), D(10), "")  # full marks need none


# -- missing data and zero denominators ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "expected"), [(Missing.ZERO, D(0)), (Missing.FULL, D(10)), (Missing.EXCLUDE, None)]
)
def test_missing_value_follows_the_items_rule(rule, expected):
    item = spec(Method.RATIO, target="90", on_missing=rule)
    result = earned(item, None)
    assert result.earned == expected
    assert result.status == Status.MISSING


@pytest.mark.parametrize(
    ("rule", "expected"), [(Missing.ZERO, D(0)), (Missing.FULL, D(10)), (Missing.EXCLUDE, None)]
)
def test_zero_denominator_follows_its_own_rule(rule, expected):
    item = spec(Method.RATIO, target="1.2", direction="lower", on_zero=rule)
    result = score(item, Observation(zero_denominator=True))
    assert result.earned == expected
    assert result.status == Status.ZERO_DENOMINATOR
    assert result.text.startswith("分母为0")


def test_missing_and_zero_denominator_rules_are_independent():
    # no surgeries (zero denominator) excluded; no report at all → 0
    item = spec(
        Method.RATIO,
        target="1",
        direction="lower",
        on_missing=Missing.ZERO,
        on_zero=Missing.EXCLUDE,
    )
    assert score(item, Observation(zero_denominator=True)).earned is None
    assert earned(item, None).earned == D(0)


# -- definitions -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "params", "message"),
    [
        ("nonsense", {}, "计分方法“nonsense”无效"),
        (Method.LINEAR, {"threshold": "90", "target": "90"}, "门槛值与目标值不能相同"),
        (Method.LINEAR, {"threshold": "x", "target": "90"}, "门槛值“x”不是数字"),
        (Method.RATIO, {"target": "0"}, "目标值应大于 0"),
        (Method.PER_OCCURRENCE, {"per": "2", "cap": "12"}, "上限应大于 0 且不超过分值 10"),
        (Method.RANK, {"mode": "steps"}, "须填写每名次递减分值"),
        (Method.EVIDENCE, {"required": "1.5"}, "应报送份数应为正整数"),
    ],
)
def test_bad_definitions_are_refused_in_chinese(method, params, message):
    with pytest.raises(MethodError, match=message):
        check(ItemSpec("1.1", "院感发病率", D(10), method, params))


def test_points_must_be_positive():
    with pytest.raises(MethodError, match="分值应大于 0"):
        check(ItemSpec("1", "x", D(0), Method.MANUAL))
