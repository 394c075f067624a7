"""Totals over the dimension tree, reweighting, 加分/扣分, 一票否决 effects, grades, ranking ties."""

from decimal import Decimal as D

import pytest

from weijian.assessment.methods import MethodError
from weijian.assessment.scoring import (
    DEFAULT_GRADES,
    Effect,
    Grade,
    Mode,
    Node,
    Section,
    Veto,
    capped_grade,
    check_grades,
    check_tree,
    check_veto,
    grade_of,
    ranks,
    total,
    weights_to_points,
)


def tree():
    """100 points: 1 医疗质量 60 (1.1 30, 1.2 20, 1.3 10), 2 公共卫生 40 (2.1 25, 2.2 15);
    加分 B (cap 5: B.1 3, B.2 4), 扣分 P (cap 10: P.1 6, P.2 8)."""
    return Node(
        "ROOT",
        "总分",
        D(100),
        (
            Node(
                "1",
                "医疗质量",
                D(60),
                (Node("1.1", "a", D(30)), Node("1.2", "b", D(20)), Node("1.3", "c", D(10))),
            ),
            Node("2", "公共卫生", D(40), (Node("2.1", "d", D(25)), Node("2.2", "e", D(15)))),
            Node(
                "B", "加分项", D(5), (Node("B.1", "f", D(3)), Node("B.2", "g", D(4))), Section.BONUS
            ),
            Node(
                "P",
                "扣分项",
                D(10),
                (Node("P.1", "h", D(6)), Node("P.2", "i", D(8))),
                Section.PENALTY,
            ),
        ),
    )


FULL = {"1.1": D(30), "1.2": D(20), "1.3": D(10), "2.1": D(25), "2.2": D(15)}


def test_the_total_is_the_sum_of_the_items():
    # 28 + 18 + 9 + 20 + 15 = 90
    earned = {"1.1": D(28), "1.2": D(18), "1.3": D(9), "2.1": D(20), "2.2": D(15)}
    result = total(tree(), earned)
    assert result.nodes["1"].score == D(55)
    assert result.nodes["2"].score == D(35)
    assert result.total == D(90)
    assert result.grade == "优秀"


def test_an_excluded_item_rescales_its_dimension():
    # 1.3 excluded: dimension 1 = (28 + 18) ÷ (30 + 20) × 60 = 46 ÷ 50 × 60 = 55.2
    # total = 55.2 + 40 = 95.2
    earned = {**FULL, "1.1": D(28), "1.2": D(18), "1.3": None}
    result = total(tree(), earned)
    assert result.nodes["1"].score == D("55.20")
    assert result.nodes["1"].rescaled
    assert result.nodes["1.3"].score is None
    assert result.total == D("95.20")


def test_a_wholly_excluded_dimension_rescales_the_total():
    # 2.1 and 2.2 excluded → dimension 2 excluded; base = 54 ÷ 60 × 100 = 90
    earned = {"1.1": D(27), "1.2": D(18), "1.3": D(9), "2.1": None, "2.2": None}
    result = total(tree(), earned)
    assert result.nodes["2"].score is None
    assert result.base == D("90.00")
    assert result.total == D("90.00")


def test_nothing_applicable_has_no_total_and_no_grade():
    result = total(tree(), dict.fromkeys(FULL))
    assert result.total is None
    assert result.grade == ""


def test_bonus_and_penalty_sit_outside_the_hundred_with_caps():
    # base 100; bonus 3 + 4 = 7 capped at 5; penalty 6 + 8 = 14 capped at 10 → 100 + 5 − 10 = 95
    earned = {**FULL, "B.1": D(3), "B.2": D(4), "P.1": D(6), "P.2": D(8)}
    result = total(tree(), earned)
    assert (result.bonus, result.penalty) == (D(5), D(10))
    assert result.total == D(95)


def test_bonus_can_lift_the_total_above_the_hundred():
    # 100 + 3 = 103
    assert total(tree(), {**FULL, "B.1": D(3)}).total == D(103)


def test_the_total_never_goes_below_zero():
    # base 8 − penalty 10 → 0
    earned = {
        "1.1": D(8),
        "1.2": D(0),
        "1.3": D(0),
        "2.1": D(0),
        "2.2": D(0),
        "P.1": D(6),
        "P.2": D(6),
    }
    assert total(tree(), earned).total == D(0)


def test_an_item_cannot_earn_more_than_its_points():
    # a method bug must not let 1.1 count 35 of its 30: 30 + 20 + 10 + 25 + 15 = 100
    assert total(tree(), {**FULL, "1.1": D(35)}).total == D(100)


def test_shown_figures_add_up_after_rounding():
    # dimension 1 with 1.3 excluded: (10 + 10) ÷ 50 × 60 = 24; dimension 2 with 2.2 excluded:
    # 12.34 ÷ 25 × 40 = 19.744 → 19.74; total = 24 + 19.74 = 43.74 (the sum of what is shown)
    earned = {"1.1": D(10), "1.2": D(10), "1.3": None, "2.1": D("12.34"), "2.2": None}
    result = total(tree(), earned)
    assert result.nodes["2"].score == D("19.74")
    assert result.total == result.nodes["1"].score + result.nodes["2"].score == D("43.74")


# -- vetoes -------------------------------------------------------------------------------------------


def test_veto_total_zero_sets_the_total_to_zero_and_the_lowest_grade():
    veto = Veto("安全生产事故", Effect.TOTAL_ZERO, reason="2025-06-03 发生火灾")
    result = total(tree(), FULL, vetoes=[veto])
    assert result.total == D(0)
    assert result.grade == "不合格"
    assert result.honours_revoked
    assert result.notes == ("一票否决，总分计0分（原得分 100 分）",)


def test_veto_section_zero_zeroes_one_dimension():
    # dimension 2 → 0: total = 60
    result = total(tree(), FULL, vetoes=[Veto("消防检查不合格", Effect.SECTION_ZERO, section="2")])
    assert result.nodes["2"].score == D(0)
    assert result.total == D(60)
    assert result.grade == "合格"


def test_veto_grade_cap_keeps_the_score_and_caps_the_grade():
    # 100 points would be 优秀; capped at 合格
    result = total(tree(), FULL, vetoes=[Veto("满意度低于90%", Effect.GRADE_CAP, grade="合格")])
    assert result.total == D(100)
    assert result.grade == "合格"


def test_veto_grade_cap_without_a_grade_caps_at_the_lowest():
    result = total(tree(), FULL, vetoes=[Veto("x", Effect.GRADE_CAP)])
    assert result.grade == "不合格"


def test_a_grade_cap_never_raises_a_grade():
    assert capped_grade("不合格", "合格", DEFAULT_GRADES) == "不合格"
    assert capped_grade("优秀", "良好", DEFAULT_GRADES) == "良好"


def test_revoke_honours_changes_neither_score_nor_grade():
    result = total(tree(), FULL, vetoes=[Veto("满意度", Effect.REVOKE_HONOURS)])
    assert (result.total, result.grade, result.honours_revoked) == (D(100), "优秀", True)


def test_pay_cut_takes_the_largest_share():
    vetoes = [Veto("a", Effect.PAY_CUT, share=D("0.2")), Veto("b", Effect.PAY_CUT, share=D("0.5"))]
    result = total(tree(), FULL, vetoes=vetoes)
    assert result.pay_cut == D("0.5")
    assert result.total == D(100)


def test_bad_vetoes_are_refused():
    with pytest.raises(MethodError, match="须指定被计0分的考核维度"):
        check_veto(Veto("x", Effect.SECTION_ZERO, section="9"), tree(), DEFAULT_GRADES)
    with pytest.raises(MethodError, match="扣减比例应大于 0 且不超过 100%"):
        check_veto(Veto("x", Effect.PAY_CUT, share=D("1.5")), tree(), DEFAULT_GRADES)
    with pytest.raises(MethodError, match="封顶等次“特优”不在方案的等次之中"):
        check_veto(Veto("x", Effect.GRADE_CAP, grade="特优"), tree(), DEFAULT_GRADES)


# -- grades --------------------------------------------------------------------------------------------


def test_grades_include_their_lower_bound():
    assert grade_of(D(90), DEFAULT_GRADES) == "优秀"
    assert grade_of(D("89.99"), DEFAULT_GRADES) == "良好"
    assert grade_of(D(60), DEFAULT_GRADES) == "合格"
    assert grade_of(D("59.99"), DEFAULT_GRADES) == "不合格"


def test_grade_bands_must_descend_and_end_at_zero():
    with pytest.raises(MethodError, match="从高到低"):
        check_grades([Grade("合格", D(60)), Grade("优秀", D(90)), Grade("不合格", D(0))])
    with pytest.raises(MethodError, match="最低一档的分数线应为 0"):
        check_grades([Grade("优秀", D(90)), Grade("合格", D(60))])
    with pytest.raises(MethodError, match="等次名称重复"):
        check_grades([Grade("合格", D(60)), Grade("合格", D(0))])


# -- definitions ----------------------------------------------------------------------------------------


def test_a_tree_whose_dimensions_do_not_add_up_is_refused():
    bad = Node("ROOT", "总分", D(100), (Node("1", "a", D(60)), Node("2", "b", D(30))))
    with pytest.raises(MethodError, match="各考核维度分值合计 90 分，与方案总分 100 分不符"):
        check_tree(bad)


def test_a_dimension_whose_items_do_not_add_up_is_refused():
    bad = Node(
        "ROOT", "总分", D(100),
        (Node("1", "医疗质量", D(100), (Node("1.1", "a", D(60)), Node("1.2", "b", D(50)))),),
    )  # fmt: skip
    with pytest.raises(
        MethodError, match="“1 医疗质量”下各项分值合计 110 分，与该维度分值 100 分不符"
    ):
        check_tree(bad)


def test_bonus_items_may_exceed_their_cap():
    check_tree(tree())  # B.1 + B.2 = 7 > cap 5 is allowed


def test_duplicate_codes_are_refused():
    bad = Node("ROOT", "总分", D(100), (Node("1", "a", D(50)), Node("1", "b", D(50))))
    with pytest.raises(MethodError, match="序号“1”重复"):
        check_tree(bad)


def test_weights_become_points():
    # 100 × 40% = 40; 40 × 25% = 10 and 40 × 75% = 30; 100 × 60% = 60
    weighted = Node(
        "ROOT", "总分", D(100),
        (
            Node("1", "a", D(40), (Node("1.1", "x", D(25)), Node("1.2", "y", D(75)))),
            Node("2", "b", D(60)),
        ),
    )  # fmt: skip
    points = weights_to_points(weighted)
    assert [c.points for c in points.children] == [D(40), D(60)]
    assert [c.points for c in points.children[0].children] == [D(10), D(30)]
    check_tree(points, Mode.POINTS)


def test_weights_over_a_hundred_or_not_adding_up_are_refused():
    over = Node("ROOT", "总分", D(100), (Node("1", "a", D(120)),))
    with pytest.raises(MethodError, match="权重 120% 应在 0 到 100 之间"):
        weights_to_points(over)
    short = Node("ROOT", "总分", D(100), (Node("1", "a", D(40)), Node("2", "b", D(50))))
    with pytest.raises(MethodError, match="各项权重合计 90%，应为 100%"):
        weights_to_points(short)


# -- ranking ---------------------------------------------------------------------------------------------


def test_ranks_share_ties_and_skip():
    # 92.5, 92.5, 90, 88 → 1, 1, 3, 4
    result = ranks({"A": D("92.5"), "B": D("92.5"), "C": D(90), "D": D(88)})
    assert {k: r for k, (r, _) in result.items()} == {"A": 1, "B": 1, "C": 3, "D": 4}
    assert result["A"][1] == 4


def test_ranks_within_peer_groups():
    totals = {"H1": D(92), "H2": D(95), "T1": D(80), "T2": D(85), "T3": D(85)}
    groups = {"H1": "医院", "H2": "医院", "T1": "卫生院", "T2": "卫生院", "T3": "卫生院"}
    result = ranks(totals, groups)
    assert result["H2"] == (1, 2)
    assert result["H1"] == (2, 2)
    assert result["T2"] == (1, 3)
    assert result["T3"] == (1, 3)
    assert result["T1"] == (3, 3)


def test_units_without_a_total_are_unranked():
    assert "X" not in ranks({"A": D(1), "X": None})
