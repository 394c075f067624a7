"""The causes core (documents/causes.py): which fact explains a problem, by hand arithmetic."""

from decimal import Decimal as D

from weijian.documents import causes
from weijian.documents.causes import Cause, Change


def test_denominator_moved_and_numerator_flat_is_the_cause():
    # 实际占用床日 36000 → 36180 (+0.5 %), 实际开放床日 45000 → 42000 (−6.67 %):
    # 0.5 < 6.67 / 2, the beds fell — occupancy rose because of them
    found = causes.denominator_cause(Change(D(36180), D(36000)), Change(D(42000), D(45000)))
    assert found is not None and found.kind == "denominator"
    assert round(found.pct, 2) == D("-6.67")


def test_denominator_is_no_cause_when_the_numerator_moved_as_much():
    # cases 100 → 110 (+10 %), patients 1000 → 940 (−6 %): 10 ≥ 6 / 2, the cases drive it
    assert causes.denominator_cause(Change(D(110), D(100)), Change(D(940), D(1000))) is None


def test_denominator_below_the_move_floor_is_no_cause():
    # patients 1000 → 960 (−4 %) < 5 %: too small to name
    assert causes.denominator_cause(Change(D(50), D(50)), Change(D(960), D(1000))) is None


def test_denominator_from_zero_numerator_still_names_the_denominator():
    # no case last year (0 → 0) and beds −10 %: the numerator did not move at all
    found = causes.denominator_cause(Change(D(0), D(0)), Change(D(900), D(1000)))
    assert found is not None and found.pct == D(-10)


def test_unit_carrying_a_rise():
    # total 5 → 19 (+14); 外科 0 → 11 carries 11/14 = 0.786 ≥ 0.6; 内科 3 → 5 carries 2/14
    found = causes.unit_cause(
        Change(D(19), D(5)), [("内科", Change(D(5), D(3))), ("外科", Change(D(11), D(0)))]
    )
    assert found.label == "外科" and round(found.share, 3) == D("0.786")


def test_unit_carrying_a_fall():
    # 门急诊 100 → 90 (−10); 儿科 40 → 32 (−8) carries −8/−10 = 0.8; 内科 60 → 58 carries 0.2
    found = causes.unit_cause(
        Change(D(90), D(100)), [("内科", Change(D(58), D(60))), ("儿科", Change(D(32), D(40)))]
    )
    assert found.label == "儿科" and found.share == D("0.8")


def test_unit_moving_the_other_way_is_no_cause():
    # total fell by 10; 外科 rose by 20 (share −2) and 内科 fell by 30 (share 3): 内科 named
    found = causes.unit_cause(
        Change(D(90), D(100)), [("外科", Change(D(40), D(20))), ("内科", Change(D(50), D(80)))]
    )
    assert found.label == "内科"


def test_spread_change_has_no_unit_cause():
    # +10 spread 5 / 5: each carries 0.5 < 0.6
    assert (
        causes.unit_cause(
            Change(D(20), D(10)), [("甲", Change(D(10), D(5))), ("乙", Change(D(10), D(5)))]
        )
        is None
    )


def test_no_change_has_no_unit_cause():
    assert causes.unit_cause(Change(D(10), D(10)), [("甲", Change(D(10), D(5)))]) is None


def _months(*deltas):
    return [(m, Change(D(10 + d), D(10))) for m, d in enumerate(deltas, start=1)]


def test_two_months_carry_the_rise():
    # +1 +0 +0 +0 +6 +5 = +12; May–June carry 11/12 = 0.917; June alone 5/12 < 0.6, May 6/12
    found = causes.months_cause(_months(1, 0, 0, 0, 6, 5))
    assert (found.first, found.last) == (5, 6)
    assert round(found.share, 3) == D("0.917")
    assert causes.months_words(found) == "5—6月"
    assert found.change == Change(D(31), D(20))  # (10+6)+(10+5) vs 10+10


def test_one_month_is_preferred_to_a_run():
    # +1 +1 +8 +0 +0 +0 = +10: March alone carries 0.8 — "3月", not "2—3月" (0.9)
    found = causes.months_cause(_months(1, 1, 8, 0, 0, 0))
    assert causes.months_words(found) == "3月"


def test_spread_months_have_no_cluster():
    # +2 each month over six: any two carry 4/12 = 0.33
    assert causes.months_cause(_months(2, 2, 2, 2, 2, 2)) is None


def test_a_short_period_has_no_cluster():
    # three months: two of three carrying a change says nothing
    assert causes.months_cause(_months(0, 5, 5)) is None


def test_a_fall_concentrated_in_months():
    # −1 0 0 −4 −5 0 0 0 = −10: April–May carry −9/−10 = 0.9
    found = causes.months_cause(_months(-1, 0, 0, -4, -5, 0, 0, 0))
    assert causes.months_words(found) == "4—5月"


def test_strongest_prefers_the_denominator():
    unit = Cause("unit", D("0.9"), label="外科")
    beds = Cause("denominator", D(1), pct=D(-6))
    assert causes.strongest(unit, None, beds) is beds


def test_strongest_takes_the_larger_share_and_a_unit_on_a_tie():
    unit = Cause("unit", D("0.7"), label="外科")
    months = Cause("months", D("0.9"), first=5, last=6)
    assert causes.strongest(unit, months) is months
    tied = Cause("months", D("0.7"), first=5, last=6)
    assert causes.strongest(tied, unit) is unit
    assert causes.strongest(None, None) is None


def test_repeated_items_most_often_first_at_least_twice():
    failed = {"手卫生": 4, "病历书写": 1, "消毒隔离": 3, "危急值": 2}
    # 病历书写 once: not a repeat; 4 then 3, the third (2) below them: both named
    assert causes.repeated_items(failed) == [("手卫生", 4), ("消毒隔离", 3)]
    assert causes.repeated_items({"病历书写": 1}) == []


def test_repeated_items_tied_with_the_first_left_out_are_not_named():
    # 急救技能 4, then five items at 3: only 急救技能 stands out
    failed = {"急救技能": 4, "跌倒坠床防范": 3, "书写规范": 3, "护士手卫生": 3, "药品管理": 3}
    assert causes.repeated_items(failed) == [("急救技能", 4)]
    # six items each twice: none stands out
    assert causes.repeated_items({f"项目{i}": 2 for i in range(6)}) == []
    # two tied items and nothing else at their count: both named (order by name)
    assert causes.repeated_items({"乙": 3, "甲": 3, "丙": 1}) == [("乙", 3), ("甲", 3)]


def test_lowest_items_below_the_overall_only():
    items = {"候诊时间": D("61.2"), "就医环境": D("70.0"), "医生态度": D("92.0"), "收费": D("79.5")}
    # overall 79.8: 候诊 61.2 and 就医环境 70.0 lowest; 收费 79.5 also below but third
    assert causes.lowest_items(items, D("79.8")) == [
        ("候诊时间", D("61.2")),
        ("就医环境", D("70.0")),
    ]
    assert causes.lowest_items({"医生态度": D("92")}, D("79.8")) == []


def test_a_count_up_by_one_or_two_is_trivial_whatever_its_base():
    # 跌倒 8 → 9 (+1), 2 → 3 (+1), 40 → 42 (+2): under MIN_COUNT_CHANGE 3, no problem
    assert causes.trivial_count_change(D(8), D(9))
    assert causes.trivial_count_change(D(2), D(3))
    assert causes.trivial_count_change(D(40), D(42))
    assert causes.trivial_count_change(D(5), D(5))  # no change at all


def test_a_count_up_by_three_or_more_is_a_problem_even_on_a_small_or_large_base():
    # 压力性损伤 2 → 5 (+3): the floor exactly; 住院患者死亡 87 → 104 (+17) stays a problem
    # although a Poisson floor 2·√87 ≈ 18.7 would call it chance (why the rule is on cases)
    assert not causes.trivial_count_change(D(2), D(5))
    assert not causes.trivial_count_change(D(87), D(104))
    assert not causes.trivial_count_change(D(9), D(6))  # a fall of three is not trivial either
