"""The scoring core on hand-worked sheets (arithmetic in the comments)."""

from decimal import Decimal as D

import pytest

from weijian.inspections.scoring import (
    ItemRule,
    Kind,
    Mark,
    ScoringError,
    fmt,
    missing_items,
    score_item,
    score_sheet,
)

# A 20-point sheet:
#   1.1 deduct 6 points, 2 per occurrence, cap 4 (“每处扣2分，最多扣4分”)
#   1.2 deduct 4 points, 1 per occurrence (cap = points)
#   2.1 pass/fail 5 points
#   2.2 graded 5 points: 5/3/1/0
#   3.1 veto (0 points)
RULES = [
    ItemRule("1.1", "手卫生", D(6), Kind.DEDUCT, per_occurrence=D(2), cap=D(4)),
    ItemRule("1.2", "医疗废物", D(4), Kind.DEDUCT, per_occurrence=D(1), na_allowed=True),
    ItemRule("2.1", "院感小组", D(5), Kind.PASSFAIL, na_allowed=True),
    ItemRule("2.2", "培训", D(5), Kind.GRADED, grades=(D(5), D(3), D(1), D(0))),
    ItemRule("3.1", "重大院感暴发瞒报", D(0), Kind.VETO),
]
TOTAL = D(20)


def sheet(marks, pass_score=D(16)):
    return score_sheet(RULES, marks, TOTAL, pass_score)


def complete(**marks):
    """`marks` by code (1_1 for "1.1"); every other item marked 符合 (met)."""
    given = {code.replace("_", "."): mark for code, mark in marks.items()}
    return {rule.code: given.get(rule.code, Mark(met=True)) for rule in RULES}


def test_an_unmarked_sheet_has_no_score_and_no_verdict():
    result = sheet({})
    assert (result.score, result.passed, result.verdict) == (None, None, "")
    assert (result.scored, result.complete, result.findings) == (0, False, 0)
    assert [r.code for r in result.unscored] == ["1.1", "1.2", "2.1", "2.2", "3.1"]


def test_a_partly_scored_sheet_counts_what_was_marked_but_gives_no_score_yet():
    # 1.1 one occurrence (6 − 2 = 4) and 2.1 met (5): 2 of 5 scored, 2 points deducted so far;
    # the other 3 items are not “full marks”, so no score (not 18/20) and no verdict
    result = sheet({"1.1": Mark(occurrences=1), "2.1": Mark(met=True)})
    assert (result.scored, result.complete, result.lost) == (2, False, D(2))
    assert (result.earned, result.applicable_points) == (D(9), D(11))
    assert (result.score, result.passed, result.verdict) == (None, None, "")
    assert missing_items(result) == "第1.2项“医疗废物”、第2.2项“培训”、第3.1项“重大院感暴发瞒报”"


def test_a_sheet_marked_met_throughout_earns_full_points():
    # 1.1 met 6, 1.2 zero occurrences 4 − 0 = 4, 2.1 met 5, 2.2 graded 5, 3.1 no veto:
    # 20 of 20 → 20 ≥ 16: 合格
    marks = complete(**{"1_2": Mark(occurrences=0), "2_2": Mark(score=D(5))})
    result = sheet(marks)
    assert (result.score, result.passed, result.verdict, result.complete) == (
        D(20),
        True,
        "合格",
        True,
    )
    assert (result.scored, result.findings) == (5, 0)


def test_the_missing_list_is_cut_after_ten_items():
    rules = [ItemRule(str(n), f"项{n}", D(1), Kind.PASSFAIL) for n in range(1, 13)]
    result = score_sheet(rules, {}, D(12))
    assert missing_items(result) == "、".join(f"第{n}项“项{n}”" for n in range(1, 11)) + "等 12 项"


def test_deductions_per_occurrence_stop_at_the_cap():
    # 1.1: 1 occurrence → 6 − 2 = 4; 3 occurrences → 6 − min(6, cap 4) = 2
    assert score_item(RULES[0], Mark(occurrences=1)).earned == D(4)
    assert score_item(RULES[0], Mark(occurrences=3)).earned == D(2)
    # 1.2: no cap given → cap = points 4; 9 occurrences → 4 − min(9, 4) = 0
    assert score_item(RULES[1], Mark(occurrences=9)).earned == D(0)


def test_a_mixed_sheet_adds_up_and_fails_the_pass_line():
    # 1.1: 2 occurrences → 6 − 4 = 2;  1.2: 1 occurrence → 4 − 1 = 3;  2.1 failed → 0;
    # 2.2 graded 3;  3.1 passed.  Earned 2 + 3 + 0 + 3 = 8 of 20 → 8 / 20 × 20 = 8 < 16
    result = sheet(
        complete(
            **{
                "1_1": Mark(occurrences=2),
                "1_2": Mark(occurrences=1),
                "2_1": Mark(failed=True),
                "2_2": Mark(score=D(3)),
            }
        )
    )
    assert (result.earned, result.score, result.passed, result.findings) == (D(8), D(8), False, 4)
    assert result.verdict == "不合格"


def test_not_applicable_items_rescale_the_total():
    # 1.2 (4) and 2.1 (5) N/A → applicable 6 + 5 = 11.  1.1 one occurrence → 4; 2.2 met → 5.
    # Earned 9 of 11 → 9 / 11 × 20 = 16.3636… → 16.36 ≥ 16: passed
    result = sheet(
        complete(**{"1_2": Mark(na=True), "2_1": Mark(na=True), "1_1": Mark(occurrences=1)})
    )
    assert (result.applicable_points, result.earned) == (D(11), D(9))
    assert result.score == D("16.36")
    assert result.passed is True
    assert result.findings == 1


def test_a_failed_veto_zeroes_the_whole_score():
    # Everything else full (20 of 20) but 3.1 failed → 0 and 不合格
    result = sheet(complete(**{"3_1": Mark(failed=True)}))
    assert (result.score, result.passed, result.vetoed, result.vetoed_by) == (
        D(0),
        False,
        True,
        ("3.1",),
    )
    assert result.verdict == "不合格（一票否决）"
    assert result.findings == 1


def test_a_failed_veto_decides_the_verdict_before_the_sheet_is_complete():
    # 0 whatever the other items earn: the verdict is certain after this one mark
    result = sheet({"3.1": Mark(failed=True)})
    assert (result.complete, result.score, result.passed) == (False, D(0), False)
    assert result.verdict == "不合格（一票否决）"


def test_everything_not_applicable_has_no_score():
    rules = [RULES[1], RULES[2]]
    result = score_sheet(rules, {"1.2": Mark(na=True), "2.1": Mark(na=True)}, D(9))
    assert result.score is None and result.passed is None


def test_rounding_is_half_up_to_two_decimals():
    # 1 of 3 applicable points (two 1.5-point items... use 3-point item with 2 deducted):
    # earned 1 / 3 × 100 = 33.333… → 33.33; 2 / 3 × 100 = 66.666… → 66.67
    rules = [ItemRule("1", "一", D(3), Kind.DEDUCT, per_occurrence=D(1))]
    assert score_sheet(rules, {"1": Mark(occurrences=2)}, D(100)).score == D("33.33")
    assert score_sheet(rules, {"1": Mark(occurrences=1)}, D(100)).score == D("66.67")


def test_typed_scores_within_the_rules_are_accepted():
    assert score_item(RULES[0], Mark(score=D("2.5"))).earned == D("2.5")  # deducted 3.5 ≤ cap 4
    assert score_item(RULES[2], Mark(score=D(5))).earned == D(5)
    assert score_item(RULES[3], Mark(score=D(1))).earned == D(1)


@pytest.mark.parametrize(
    "rule, mark, message",
    [
        (RULES[0], Mark(score=D(7)), "第1.1项“手卫生”的得分 7 超过分值 6"),
        (RULES[0], Mark(score=D(-1)), "得分不能为负数"),
        (RULES[0], Mark(score=D(1)), "最多扣 4 分，得分不能低于 2"),
        (RULES[0], Mark(na=True), "不允许标为不适用"),
        (RULES[0], Mark(occurrences=-1), "问题处数不能为负数"),
        (RULES[2], Mark(score=D(3)), "得分只能是 5 或 0"),
        (RULES[3], Mark(score=D(4)), "得分只能是 5、3、1、0 之一"),
        (RULES[3], Mark(occurrences=1), "不是按处扣分的项目"),
        (RULES[3], Mark(failed=True), "不是达标/不达标项目"),
        (RULES[2], Mark(met=True, failed=True), "已标为符合，不能同时扣分或标为不达标"),
        (RULES[0], Mark(met=True, occurrences=2), "已标为符合"),
        (RULES[4], Mark(occurrences=1), "只能选择“无否决情形”或“存在否决情形”"),
    ],
)
def test_bad_marks_are_refused_with_a_precise_reason(rule, mark, message):
    with pytest.raises(ScoringError, match=message):
        score_item(rule, mark)


@pytest.mark.parametrize(
    "rule, message",
    [
        (ItemRule("1", "甲", D(0), Kind.DEDUCT, per_occurrence=D(1)), "分值应大于 0"),
        (ItemRule("1", "甲", D(3), Kind.DEDUCT), "须填写每处扣分"),
        (ItemRule("1", "甲", D(3), Kind.DEDUCT, per_occurrence=D(1), cap=D(4)), "扣分上限"),
        (ItemRule("1", "甲", D(2), Kind.VETO), "分值应为 0"),
        (ItemRule("1", "甲", D(5), Kind.GRADED, grades=(D(4), D(0))), "分档最高应等于分值"),
        (ItemRule("1", "甲", D(5), "bonus"), "计分方式“bonus”无效"),
    ],
)
def test_inconsistent_item_definitions_are_refused(rule, message):
    with pytest.raises(ScoringError, match=message):
        rule.check_definition()


def test_scores_print_without_trailing_zeros():
    assert [fmt(D("3.00")), fmt(D("2.50")), fmt(D("97.14")), fmt(None)] == ["3", "2.5", "97.14", ""]
