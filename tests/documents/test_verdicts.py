"""Verdicts: the words a heading uses are chosen from what the figures did. Each case states
the change by hand."""

from decimal import Decimal as D

import pytest

from weijian.documents.verdicts import aspect, heading, movement, overall


def count(cur, prev, direction="up", **kw):
    return movement(D(cur), D(prev), kind="count", direction=direction, **kw)


def rate(cur, prev, direction="down", **kw):
    return movement(D(cur), D(prev), kind="rate", direction=direction, percent=True, **kw)


@pytest.mark.parametrize(
    ("cur", "prev", "phrase"),
    [
        (22.78, 22.85, "基本持平"),  # −0.3 %: under 2 %
        (103, 100, "稳步增长"),  # +3 %
        (125, 100, "较快增长"),  # +25 %: from 20 % a count grows fast
        (97, 100, "有所下降"),  # −3 %
        (70, 100, "明显下降"),  # −30 %
    ],
)
def test_a_volume_is_judged_by_its_relative_change(cur, prev, phrase):
    assert aspect("业务量", [count(cur, prev)]).phrase == phrase


def test_an_aspect_takes_the_word_all_its_figures_share():
    # 门诊 −0.3 %, 出院 +0.5 %, 急诊 +0.8 %: every one under 2 % → 基本持平
    moves = [count(22.78, 22.85), count(1.05, 1.045), count(2.65, 2.63)]
    verdict = aspect("门急诊和住院业务量", moves)
    assert verdict.text == "门急诊和住院业务量基本持平" and verdict.polarity == "flat"
    # one grows 3 %, the others are flat: 稳步增长 is true of the aspect (none fell)
    assert aspect("手术量", [count(103, 100), count(100.5, 100)]).phrase == "稳步增长"


def test_figures_that_disagree_give_no_verdict_rather_than_an_average():
    # +5 % and −5 %: neither 增长 nor 下降 is true of both
    assert aspect("业务量", [count(105, 100), count(95, 100)]) is None


def test_a_risk_rate_that_more_than_doubled_is_明显上升_and_bad():
    # I类切口感染率 0.99 % vs 0.39 %: +0.6 points but +154 % of the earlier value → strong
    verdict = aspect("I类切口感染率", [rate("0.99", "0.39")])
    assert (verdict.phrase, verdict.polarity) == ("明显上升", "bad")


def test_small_moves_of_a_rate_are_flat_by_points_and_by_share():
    # 85.7 % vs 85.1 %: +0.6 points (< 1) and +0.7 % of the value (< 10 %) → 保持稳定
    assert aspect("手卫生依从率", [rate("85.7", "85.1", "up")]).phrase == "保持稳定"
    # 86.0 % vs 82.5 %: +3.5 points → 有所提高
    assert aspect("手卫生依从率", [rate("86.0", "82.5", "up")]).phrase == "有所提高"


def test_costs_that_should_fall_and_rose_are_有所上升():
    # 门诊次均费用 299.29 vs 287.73 元: +4.0 %
    move = movement(D("299.29"), D("287.73"), kind="level", direction="down")
    verdict = aspect("次均费用", [move])
    assert (verdict.phrase, verdict.polarity) == ("有所上升", "bad")


def test_targets_decide_before_trends():
    # 院感发病率 1.16 % (≤ 1.20 % target) though 0.1 points above last year: the target speaks
    met = rate("1.16", "1.26", target="met")
    assert aspect("院感发病率", [met]).text == "院感发病率控制在目标以内"
    behind = count(46, 50, target="behind")
    assert aspect("门急诊量", [behind]).text == "门急诊量进度滞后"
    missed = rate("72", "75", "up", target="missed")
    assert aspect("满意度", [missed]).text == "满意度未达到目标"


def test_a_heading_merges_like_phrases():
    flat = aspect("业务量", [count(100.3, 100)])
    growth = aspect("手术量", [count(103, 100)])
    assert heading([flat, growth]) == "业务量基本持平，手术量稳步增长"
    also_flat = aspect("收入", [movement(D(101), D(100), kind="money", direction="up")])
    assert heading([flat, also_flat]) == "业务量和收入基本持平"
    assert heading([None, None]) is None


def test_a_heading_under_成效_names_the_work_never_a_bad_result():
    # blind read 2: "（四）强化院感防控，院感发病率超出控制目标" and "…次均费用有所上升" under
    # 主要工作及成效 — a bad result belongs to 存在的问题, the heading names the work
    flat = aspect("业务量", [count(100.3, 100)])
    bad = aspect("I类切口感染率", [rate("1.56", "0.46")])  # 0.46 → 1.56 %: 明显上升, bad
    assert bad.polarity == "bad"
    # director read 6: a heading that picks the one improving figure beside a worse one
    # misleads — beside a bad verdict the heading names the work only (or the template's title)
    assert heading([flat, bad]) is None
    good = aspect("多重耐药菌检出率", [rate("22.02", "24.42")])  # −2.4 points of 24.42: 有所下降
    assert heading([good], lead="强化院感防控") == "强化院感防控，多重耐药菌检出率有所下降"
    missed = aspect("院感发病率", [rate("1.21", "1.31", target="missed")])
    assert heading([missed, bad, good], lead="强化院感防控") == "强化院感防控"
    # a problem among the section's other indicators (a maternal death) holds it back too
    assert heading([good], lead="强化院感防控", worse=True) == "强化院感防控"
    # only bad results: the lead alone, or the template's title (None) without a lead
    assert heading([missed, bad], lead="强化院感防控") == "强化院感防控"
    cost = aspect("次均费用", [movement(D("295.60"), D("287.83"), kind="level", direction="down")])
    assert heading([cost]) is None
    for text in (heading([flat]), heading([missed, bad, good], lead="强化院感防控")):
        assert not any(w in text for w in ("上升", "超出", "未达到", "滞后", "下滑"))


def test_a_heading_longer_than_the_seeds_is_shortened_or_refused():
    long_a = aspect("门诊急诊住院和日间手术业务量", [count(100.3, 100)])
    long_b = aspect("三四级手术和微创手术占比", [count(130, 100)])
    text = heading([long_a, long_b])
    assert text == "门诊急诊住院和日间手术业务量基本持平"  # 18 + 11 characters exceed 26


def test_overall_verdicts():
    assert overall(["good", "flat"]) == "good"
    assert overall(["good", "bad"]) == "mixed"
    assert overall(["flat", "bad"]) == "bad"
    assert overall(["flat", "up"]) == "flat"
    assert overall([]) == "none"


def test_no_movement_without_both_values():
    assert movement(None, D(3), kind="count", direction="up") is None
    # a count from nothing is a strong rise, not a division by zero
    assert count(5, 0).strength == 2


def test_a_mixed_part_makes_the_whole_mixed():
    # one section improved, another both improved and worsened: the document is mixed
    assert overall(["good", "mixed"]) == "mixed"


def test_like_minded_figures_of_both_directions_share_a_general_word():
    # 平均住院日 (lower is better) −3 % and 病床周转 (higher is better) +4 %: both improved
    shorter = movement(D("7.1"), D("7.33"), kind="level", direction="down")
    faster = movement(D("45.5"), D("43.78"), kind="level", direction="up")
    verdict = aspect("运行效率", [shorter, faster])
    assert (verdict.phrase, verdict.polarity) == ("持续改善", "good")
