"""Verdicts: the words a heading uses are chosen from what the figures did. Each case states
the change by hand."""

import dataclasses
from decimal import Decimal as D

import pytest

from weijian.documents.verdicts import aspect, heading, joined_names, movement, overall, split


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
    # one grows 3 %, the other +0.5 % (flat): 稳步增长 is not true of the flat one (read
    # 2026-12-07: "门诊和住院业务量稳步增长" above 门诊 +3.9 %, 出院 +0.6 %) → no single word
    assert aspect("手术量", [count(103, 100), count(100.5, 100)]) is None


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


# -- headings from the figures a section prints (issue 11, read 2026-12-07) ------------------

VOLUMES = ["门诊人次", "急诊人次", "出院人次"]


def test_rising_volumes_all_beyond_flat_are_稳步增长_under_the_aspect_label():
    # 门诊 +3 %, 急诊 +4.7 % (1868 vs 1784), 出院 +2.2 % (2334 vs 2284): every one ≥ 2 %
    moves = [count(103, 100), count(1868, 1784), count(2334, 2284)]
    found = split("门急诊和住院业务量", moves, VOLUMES)
    assert [v.text for v in found] == ["门急诊和住院业务量稳步增长"]


def test_mixed_volumes_name_which_grew_and_which_held():
    # neike 2026S1: 门诊 5.58 vs 5.37万 (+3.9 %), 入院 2478 vs 2458 (+0.8 %), 出院 2483 vs 2468
    # (+0.6 %): only 门诊 grew beyond 2 %; the heading says so and says the others held
    moves = [count("5.58", "5.37"), count(2478, 2458), count(2483, 2468)]
    found = split("门诊和住院业务量", moves, ["门诊人次", "入院人次", "出院人次"])
    assert [v.text for v in found] == ["门诊人次稳步增长", "入院和出院人次基本持平"]
    assert heading(found) == "门诊人次稳步增长，入院和出院人次基本持平"


def test_flat_volumes_are_基本持平_and_a_fall_leaves_the_template_title():
    # +0.3 %, −0.5 %, +1.0 %: all under 2 % → 基本持平
    flat = split("门急诊和住院业务量", [count("100.3", 100), count("99.5", 100), count(101, 100)], VOLUMES)  # fmt: skip
    assert heading(flat) == "门急诊和住院业务量基本持平"
    # 门诊 −3 % beside 急诊 +5 %: a fall is no achievement heading → the template's title (None)
    falling = split("门急诊和住院业务量", [count(97, 100), count(105, 100), None], VOLUMES)
    assert [v.polarity for v in falling] == ["bad", "good"]
    assert heading(falling) is None
    assert heading(falling, lead="做好医疗服务") == "做好医疗服务"


def test_a_heading_speaks_only_of_the_figures_printed_below():
    # qingshan 2025: 门诊 is said in the opening only; the section prints 急诊 +4.7 % and
    # 出院 +2.2 % → the heading names those two, not "基本医疗服务量"
    moves = [None, count(1868, 1784), count(2334, 2284)]
    found = split("基本医疗服务量", moves, VOLUMES)
    assert heading(found) == "急诊和出院人次稳步增长"
    assert split("基本医疗服务量", [None, None, None], VOLUMES) == []


def test_a_rate_that_slipped_in_print_is_not_保持稳定():
    # qingshan 2025 接种率 98.54 % vs 98.91 %: −0.37 points is flat by the verdict's bands
    # (< 1 point and < 10 %), but the paragraph prints "下降0.37个百分点": not 保持稳定
    held = rate("98.54", "98.91", "up")
    assert aspect("免疫规划疫苗接种率", [held]).phrase == "保持稳定"
    slipped = dataclasses.replace(held, slipped=True)
    verdict = aspect("免疫规划疫苗接种率", [slipped])
    assert (verdict.phrase, verdict.polarity) == ("有所下降", "bad")
    assert heading([verdict], lead="做好预防接种") == "做好预防接种"


def test_names_share_their_ending_once():
    assert joined_names(["急诊人次", "出院人次"]) == "急诊和出院人次"
    assert joined_names(["入院人次", "出院人次"]) == "入院和出院人次"  # not "入和出院人次"
    assert joined_names(["门诊人次", "急诊人次", "出院人次"]) == "门诊、急诊和出院人次"
    assert joined_names(["急诊人次", "手术量"]) == "急诊人次和手术量"


def test_with_a_lead_the_improvement_is_named_before_a_figure_that_held():
    # rmyy 2025: 住院死亡率 0.84 vs 0.92 % (−0.08 points: flat), 跌倒 0.070 vs 0.108 ‰ and
    # 压力性损伤 0.12 vs 0.18 % (−35 %, −33 % of the earlier value: strong falls, good)
    moves = [rate("0.84", "0.92"), rate("0.070", "0.108"), rate("0.12", "0.18")]
    found = split("死亡、跌倒和压力性损伤发生率", moves, ["住院死亡率", "跌倒发生率", "压力性损伤发生率"])  # fmt: skip
    assert [v.text for v in found] == ["住院死亡率保持平稳", "跌倒和压力性损伤发生率明显下降"]
    text = heading(found, lead="加强医疗质量管理")
    assert text == "加强医疗质量管理，跌倒和压力性损伤发生率明显下降"
