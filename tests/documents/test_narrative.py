"""The narrative rules on hand-made cases. Expected figures are computed by hand in comments."""

from decimal import Decimal as D

import pytest

from weijian.documents.narrative import (
    DERIVED_LABELS,
    Figure,
    Quantity,
    all_meet,
    breakdown,
    choose,
    compare,
    done_in_time,
    enumerate_points,
    figures,
    fmt,
    has_value,
    join,
    key_of,
    merge,
    missed_contract,
    plain,
    record,
    sentence,
    share_of,
    short_change,
    state,
    stray_numbers,
    streak,
    target,
    zero_events,
)


def q(value, unit="人次", *, dx="OPD", pe="2026S1", ou="HOS", rate=None, decimals=None):
    """A quantity from analytics; `rate` defaults to True for % and ‰."""
    if rate is None:
        rate = unit in ("%", "‰") or unit.startswith("/")
    v = None if value is None else D(str(value))
    return Quantity(v, unit, {"dx": dx, "pe": pe, "ou": ou}, is_rate=rate, decimals=decimals)


def last_year(value, unit="人次", **kw):
    kw.setdefault("pe", "2025S1")
    return q(value, unit, **kw)


def assert_sourced(text):
    """Every number printed is a Figure: no digit outside figures, each figure in the text."""
    assert stray_numbers(text) == [], plain(text)
    printed = plain(text)
    for figure in figures(text):
        assert figure.text in printed
        assert figure.source is not None
    for bad in ("None", "nan", "NaN", "inf", "增长0%", "0.0%"):
        assert bad not in printed, printed


# ---------------------------------------------------------------------------------------------
# Spans


def test_plain_and_figures_keep_order_and_source():
    fig = Figure("12.35万人次", D("123456"), {"dx": "OPD"})
    text = ("门急诊", fig, "。")
    assert plain(text) == "门急诊12.35万人次。"
    assert figures(text) == [fig]
    assert figures(text)[0].source == {"dx": "OPD"}


def test_stray_numbers_finds_digits_outside_figures():
    assert stray_numbers(("共", Figure("3次", D(3), {}), "。")) == []
    assert stray_numbers(("共3次",)) == ["3"]
    assert stray_numbers(("全角３次",)) == ["３"]


def test_join_and_sentence_skip_empty_clauses():
    a, b = ("甲",), ()
    assert plain(join([a, b, None, ("乙",)])) == "甲，乙"
    assert plain(sentence(("甲；",), ("乙。",))) == "甲，乙。"
    assert sentence((), None) == ()


# ---------------------------------------------------------------------------------------------
# fmt: magnitudes, rounding, units


@pytest.mark.parametrize(
    "value, unit, expected",
    [
        (8991, "人次", "8991人次"),  # below 1万: as is, no separator
        (9999, "人次", "9999人次"),
        (10000, "人次", "1万人次"),  # 10000/1e4 = 1
        (123456, "人次", "12.35万人次"),  # 12.3456 → 12.35 (half up)
        (123450, "人次", "12.35万人次"),  # 12.345 → 12.35: half UP, not banker's (12.34)
        (73000, "人次", "7.3万人次"),  # trailing zero dropped: 7.30 → 7.3
        (123456789, "人次", "1.23亿人次"),  # 1.23456789亿
        (235.6, "元", "235.60元"),  # 次均费用: two decimals kept
        (235, "元", "235元"),
        (7890000, "元", "789万元"),
        # 9999.9999万 would round to 10000万: promoted to 1亿, at two decimals since 0.99999999亿
        # is not exactly 1亿 (a round "1亿" is for an exact one)
        (99999999, "元", "1.00亿元"),
        (9999.996, "元", "1.00万元"),  # rounds to 10000.00元 → 1.00万 (not exactly 1万)
        (50000, "人次", "5万人次"),  # exactly 5万: the zeros dropped
        (49980, "人次", "5.00万人次"),  # 4.998万 → 5.00: rounded, so the decimals stay
        (55000, "人次", "5.5万人次"),  # 5.50 exactly: the zero dropped
        ("4.37", "万元", "4.37万元"),  # a 医保 违规金额 under 10万: two decimals, never 4.4万元
        ("1.86", "万元", "1.86万元"),
        ("3.3", "万元", "3.3万元"),  # exactly 3.30万: the zero dropped
        ("60.53", "万元", "60.5万元"),  # 10万 to 100万: one decimal
        (789, "万元", "789万元"),  # money already in 万元
        (12345, "万元", "1.23亿元"),  # 12345万 = 1.2345亿 → 1.23
        ("12.3456", "万人次", "12.35万人次"),  # given in 万人次: same as 123456人次
        (15000, "万人次", "1.5亿人次"),
        ("1.5", "亿元", "1.5亿元"),
        (0.5, "万元", "5000元"),
        (96.5, "%", "96.50%"),
        (100, "%", "100%"),  # exactly whole: no decimals
        (0, "%", "0%"),
        (3.5249, "‰", "3.52‰"),
        (12.345, "/10万", "12.35/10万"),  # per 100 000: never scaled
        (250000, "%", "250,000%"),  # rates never scaled; five digits grouped
        (86, "天", "86天"),
        (45, "", "45"),
    ],
)
def test_fmt(value, unit, expected):
    fig = fmt(q(value, unit))
    assert fig.text == expected
    assert fig.value == D(str(value))  # unrounded, in the unit given
    assert fig.source == {"dx": "OPD", "pe": "2026S1", "ou": "HOS"}


def test_fmt_uses_the_quantitys_decimals():
    assert fmt(q("8.62", "天", decimals=1)).text == "8.6天"
    assert fmt(q("96.456", "%", decimals=1)).text == "96.5%"
    assert fmt(q("96.45", "%", decimals=1)).text == "96.5%"  # half up


def test_fmt_refuses_no_value():
    with pytest.raises(ValueError):
        fmt(q(None))
    assert not has_value(q(None))
    assert not has_value(Quantity(D("NaN"), "%", {}))
    assert not has_value(Quantity(D("Infinity"), "%", {}))
    assert has_value(q(0))


# ---------------------------------------------------------------------------------------------
# compare


def test_count_growth_gives_the_percent_change_with_one_opener():
    # 123456 vs 117345: +6111 人次, 6111/117345 = 5.2077% → 5.2%; a count is said by its % only
    text = compare(q(123456), last_year(117345))
    assert plain(text) == "同比增长5.2%"
    assert_sourced(text)
    pct = next(f for f in figures(text) if f.text == "5.2%")
    assert pct.source["derived"] == "pct_change"
    assert pct.source["inputs"] == [{"dx": "OPD", "pe": "2026S1", "ou": "HOS"}] + [
        {"dx": "OPD", "pe": "2025S1", "ou": "HOS"}
    ]


def test_the_opener_follows_the_period_not_a_rotation():
    # a year is compared with 上年 ("比上年"), anything shorter with the same period (同比)
    assert plain(compare(q(110, pe="2025"), q(100, pe="2024"))) == "比上年增长10%"
    assert plain(compare(q(110, pe="2025Q3"), q(100, pe="2024Q3"))) == "同比增长10%"
    # every indicator of a half-year gets the same opener: no synonyms taking turns
    openers = {
        plain(compare(q(110, dx=f"X{i}"), last_year(100, dx=f"X{i}")))[:2] for i in range(20)
    }
    assert openers == {"同比"}


def test_count_decline():
    # 9000 vs 10000: −1000 人次, −10.0% → "下降10%"
    assert plain(compare(q(9000), last_year(10000))) == "同比下降10%"


def test_income_is_said_by_its_amount_then_its_percent():
    # 业务收入 789 vs 569 万元: 增收220万元, 220/569 = 38.66% → 38.7% (seed 003 篇5's order)
    text = state("业务收入", q(789, "万元"), last_year(569, "万元"))
    assert plain(text) == "业务收入789万元，同比增收220万元，增长38.7%"


def test_large_absolute_change_is_scaled():
    # 15000万元 vs 12000万元: +3000万元 = 3000万元 (not 30000000元), +25%
    printed = plain(
        compare(q(15000, "万元"), last_year(12000, "万元"), change_words=("增收", "减收"))
    )
    assert printed == "同比增收3000万元，增长25%"
    # 1.5亿元 vs 1.2亿元 given in 元: the change is scaled too
    printed = plain(
        compare(q(150000000, "元"), last_year(120000000, "元"), change_words=("增收", "减收"))
    )
    assert "3000万元" in printed and "25%" in printed


def test_flat_within_threshold():
    # 10040 vs 10000: +0.4% < 0.5% → 基本持平, no figure at all
    text = compare(q(10040), last_year(10000))
    assert "持平" in plain(text)
    assert figures(text) == []
    # 10060 vs 10000: +0.6% → a real growth
    assert "0.6%" in plain(compare(q(10060), last_year(10000)))


def test_exactly_equal_is_持平_not_growth_zero():
    printed = plain(compare(q(500), last_year(500)))
    assert "持平" in printed or "相同" in printed
    assert "0" not in printed


def test_rates_compare_in_percentage_points_never_percent():
    # 96.5% vs 95.3%: +1.2 个百分点 (a relative +1.26% must not be printed)
    text = compare(q("96.5", "%"), last_year("95.3", "%"))
    printed = plain(text)
    assert "1.2个百分点" in printed
    assert "1.3%" not in printed and "%" not in printed.replace("个百分点", "")
    assert any(word in printed for word in ("上升", "提高"))
    assert_sourced(text)


def test_rate_decline_in_points():
    printed = plain(compare(q("28.4", "%"), last_year("31.6", "%")))
    # 28.4 − 31.6 = −3.2
    assert "3.2个百分点" in printed
    assert any(word in printed for word in ("下降", "降低"))


def test_permille_rates_compare_against_the_earlier_value_never_in_千分点():
    # 3.11‰ vs 3.52‰: lower; said against last year's value, no "个千分点"
    text = compare(q("3.11", "‰"), last_year("3.52", "‰"))
    assert plain(text) == "低于上年同期的3.52‰"
    assert_sourced(text)
    assert plain(compare(q("0.118", "‰", decimals=3), last_year("0.104", "‰", decimals=3))) == (
        "高于上年同期的0.104‰"
    )


def test_per_100k_rates_compare_against_the_earlier_value():
    # 孕产妇死亡率 12.35/10万 vs 15.10/10万: lower than last year's 15.10/10万
    printed = plain(compare(q("12.35", "/10万", pe="2025"), q("15.10", "/10万", pe="2024")))
    assert printed == "低于上年的15.10/10万"


def test_a_rate_that_should_rise_is_提高_one_that_should_fall_is_上升():
    up = compare(q("96.5", "%"), last_year("95.3", "%"), direction="up")
    down = compare(q("1.5", "%"), last_year("0.9", "%"), direction="down")
    assert plain(up) == "同比提高1.2个百分点"  # 96.5 − 95.3
    assert plain(down) == "同比上升0.6个百分点"  # 1.5 − 0.9


def test_a_percent_change_under_a_tenth_of_a_point_is_said_against_the_earlier_value():
    # 0.14% vs 0.11%: 0.03 points would print as 0.0 at the one-decimal rule
    assert plain(compare(q("0.14", "%"), last_year("0.11", "%"))) == "高于上年同期的0.11%"


def test_days_compare_by_absolute_change():
    # 平均住院日 8.2 vs 8.6 天: −0.4 天, "缩短" or "减少", never a % change
    printed = plain(compare(q("8.2", "天", dx="ALOS"), last_year("8.6", "天", dx="ALOS")))
    assert "0.4天" in printed
    assert "%" not in printed


def test_missing_or_zero_previous_gives_no_comparison():
    assert compare(q(100), last_year(None)) == ()
    assert compare(q(None), last_year(100)) == ()
    assert compare(q(100), last_year(0)) == ()
    assert compare(q("5", "%"), last_year("0", "%")) == ()


def test_yearly_period_says_上年_and_half_year_says_上年同期():
    year = plain(compare(q(1200, pe="2025"), q(1000, pe="2024"), key="k1"))
    half = plain(compare(q(1200, pe="2026S1"), q(1000, pe="2025S1"), key="k1"))
    assert "同期" not in year
    assert "上年同期" in half or half.startswith("同比")


def test_环比_names_the_previous_period():
    printed = plain(compare(q(1200, pe="202607"), q(1000, pe="202606"), kind="环比", key="a"))
    assert printed.startswith(("环比", "比上月", "较上月"))


def test_with_previous_prints_the_earlier_value_with_its_source():
    text = compare(q(123456), last_year(117345), with_previous=True)
    assert plain(text).endswith("（上年同期11.73万人次）")
    assert figures(text)[-1].source["pe"] == "2025S1"


# ---------------------------------------------------------------------------------------------
# target


def test_target_behind_schedule():
    # S1: 110000 of 250000 = 44% < 50% elapsed → 进度滞后, 6 个百分点 behind
    text = target(q(110000), q(250000, dx="OPD_TARGET"), direction="up", elapsed=D("0.5"))
    printed = plain(text)
    assert "44%" in printed and "滞后" in printed and "6个百分点" in printed
    assert_sourced(text)


def test_target_on_schedule():
    # 130000 / 250000 = 52% ≥ 50%
    printed = plain(target(q(130000), q(250000), direction="up", elapsed=D("0.5")))
    assert "52%" in printed and "滞后" not in printed


def test_target_exceeded_at_year_end():
    # 262000 / 250000 = 104.8%
    printed = plain(target(q(262000), q(250000), direction="up", elapsed=D(1)))
    assert "超额完成" in printed and "104.8%" in printed


def test_target_missed_at_year_end():
    # 240000 / 250000 = 96%; 10000 short = 1万人次
    seen = {plain(target(q(240000), q(250000), elapsed=D(1), key=f"k{i}")) for i in range(30)}
    assert seen == {"完成全年目标（25万人次）的96%，未完成全年目标任务"}  # one phrasing, any key


def test_lower_is_better_target_met_and_missed():
    ok = plain(target(q("7.2", "%"), q("8", "%"), direction="down", elapsed=D(1)))
    assert "8%" in ok and ("以内" in ok or "低于" in ok)
    # 8.6 − 8 = 0.6 个百分点 over
    miss = plain(target(q("8.6", "%"), q("8", "%"), direction="down", elapsed=D(1)))
    assert "0.6个百分点" in miss and "超出" in miss


def test_a_miss_within_rounding_is_still_said_as_missed_with_its_gap():
    # director reads of 2026-12-07: "略高于1.20%的控制目标" softened a missed 责任书 target; a
    # miss is a miss: 1.21 − 1.20 = 0.01 个百分点 on the printed values
    near = target(q("1.21", "%", decimals=2), q("1.20", "%", decimals=2), direction="down")
    assert plain(near) == "超出1.20%的控制目标0.01个百分点"
    far = target(q("1.23", "%", decimals=2), q("1.20", "%", decimals=2), direction="down")
    assert plain(far) == "超出1.20%的控制目标0.03个百分点"
    # the same below a floor: 85 − 84.99 = 0.01
    low = target(q("84.99", "%", decimals=2), q("85", "%"), direction="up")
    assert plain(low) == "低于85%的目标值0.01个百分点"


def test_a_missed_contract_target_is_stated_as_missed_with_bound_and_gap():
    title = "2025年度医疗质量安全目标责任书"
    # 1.30 − 1.20 = 0.10 个百分点 over the cap; 85 − 83.23 = 1.77 below the floor
    over = missed_contract(q("1.30", "%", decimals=2), q("1.20", "%", decimals=2), title, direction="down")  # fmt: skip
    # (at the rates' two decimals, the zero kept: 0.10 beside 1.77, not 0.1)
    assert plain(over) == f"未完成《{title}》确定的控制目标（≤1.20%），差0.10个百分点"
    under = missed_contract(q("83.23", "%", decimals=2), q("85", "%"), title, direction="up")
    assert plain(under) == f"未完成《{title}》确定的目标（≥85%），差1.77个百分点"
    # met: nothing to say; the title stays a span of its own (braces are no template)
    assert missed_contract(q("1.10", "%"), q("1.20", "%"), title, direction="down") == ()
    odd = missed_contract(q("90", "%"), q("95", "%"), "{x}责任书", direction="up")
    assert plain(odd) == "未完成《{x}责任书》确定的目标（≥95%），差5个百分点"


def test_rate_target_reached_or_not():
    ok = plain(target(q("96.2", "%"), q("95", "%"), direction="up", elapsed=D("0.5")))
    assert "95%" in ok and "达到" in ok or "高于" in ok
    miss = plain(target(q("93.8", "%"), q("95", "%"), direction="up", elapsed=D("0.5")))
    assert "1.2个百分点" in miss  # 95 − 93.8


def test_target_without_values_says_nothing():
    assert target(q(None), q(100), elapsed=D(1)) == ()
    assert target(q(100), q(None), elapsed=D(1)) == ()


# ---------------------------------------------------------------------------------------------
# claims


def test_all_meet_only_when_every_month_meets():
    months = [q(v, "%", pe=f"20260{m}") for m, v in enumerate([96, "95.0", "98.5"], start=1)]
    text = all_meet(months, D(95))
    assert text is not None and "95%" in plain(text) and "均" in plain(text)
    assert all_meet([*months, q("94.9", "%", pe="202604")], D(95)) is None
    assert all_meet([*months, q(None, "%", pe="202604")], D(95)) is None
    assert all_meet([], D(95)) is None


def test_all_meet_below():
    months = [q(v, "%", pe=f"20260{m}") for m, v in enumerate([7, 8, "6.5"], start=1)]
    text = all_meet(months, D(8), above=False)
    assert text is not None and "8%" in plain(text)
    assert all_meet([*months, q("8.1", "%")], D(8), above=False) is None


def test_zero_events_only_when_register_complete():
    none = q(0, "例", pe="2026")
    text = zero_events(none, register_complete=True, what="医疗安全不良事件")
    assert text is not None
    assert plain(text).startswith("全年") and "医疗安全不良事件" in plain(text)
    assert zero_events(none, register_complete=False, what="医疗安全不良事件") is None
    assert zero_events(q(1, "例"), register_complete=True, what="医疗安全不良事件") is None
    assert zero_events(q(None, "例"), register_complete=True, what="医疗安全不良事件") is None


def test_record_only_when_history_shows_it():
    hist = [("2022", q(80000, pe="2022")), ("2023", q(90000, pe="2023"))]
    hist += [("2024", q(95000, pe="2024"))]
    # 101000 > 95000 and crosses 100000 for the first time
    text = record([*hist, ("2025", q(101000, pe="2025"))], "2025")
    assert text is not None and "首次突破" in plain(text) and "10万人次" in plain(text)
    # 98000: a new high, no milestone crossed (95000 < 98000 < 100000)
    text = record([*hist, ("2025", q(98000, pe="2025"))], "2025")
    assert text is not None and "历史" in plain(text)
    # not above the best
    assert record([*hist, ("2025", q(94000, pe="2025"))], "2025") is None
    # a gap in history (2023 missing) → no claim
    gap = [hist[0], hist[2], ("2025", q(101000, pe="2025"))]
    assert record(gap, "2025") is None
    # too little history
    assert record([hist[2], ("2025", q(101000, pe="2025"))], "2025") is None


# ---------------------------------------------------------------------------------------------
# enumerations and variety


def test_enumerate_points():
    text = enumerate_points([("加强领导。",), ("完善制度；",), ("强化培训",)])
    assert plain(text) == "一是加强领导；二是完善制度；三是强化培训。"
    assert plain(enumerate_points([("只有一项",)])) == "只有一项。"
    assert enumerate_points([]) == ()
    with pytest.raises(ValueError):
        enumerate_points([("x",)] * 11)


def test_choose_is_deterministic():
    variants = ["甲", "乙", "丙"]
    assert choose(variants, "OPD|2026S1") == choose(variants, "OPD|2026S1")
    picked = {choose(variants, f"K{i}") for i in range(50)}
    assert picked == set(variants)


def test_state_combines_value_and_comparison():
    text = state("门急诊", q(123456), last_year(117345))
    printed = plain(text)
    assert printed.startswith("门急诊12.35万人次，")
    assert "5.2%" in printed
    assert_sourced(text)
    assert state("门急诊", q(None), last_year(1)) == ()
    assert key_of(q(1)) == key_of(q(1))


# ---------------------------------------------------------------------------------------------
# Deeper cases: rounding and thresholds at their edges


def test_percent_change_rounds_half_up_and_drops_a_trailing_zero():
    # 10345 vs 10000: +3.45% → one decimal, half up → 3.5% (banker's rounding would give 3.4%)
    assert "3.5%" in plain(compare(q(10345), last_year(10000)))
    # 10996 vs 10000: +9.96% → 10.0% → printed "10%"
    printed = plain(compare(q(10996), last_year(10000)))
    assert "10%" in printed and "10.0%" not in printed


def test_flat_within_zero_still_never_prints_growth_zero():
    # 100001 vs 100000: +0.001% rounds to 0.0%; with no threshold at all the change of one is
    # not said at all (a change of one), never "增长0%"
    text = compare(q(100001), last_year(100000), flat_within=D(0))
    assert text == ()
    text = compare(q("100000.4"), last_year(100000), flat_within=D(0))
    assert "持平" in plain(text) and figures(text) == []


def test_flat_threshold_is_relative_for_rates_too():
    # 99.6% vs 99.2%: +0.4 points = +0.40% relative < 0.5 → 基本持平
    assert "持平" in plain(compare(q("99.6", "%"), last_year("99.2", "%")))
    # 0.12% vs 0.10%: +20% relative, a real rise; 0.02 points would print as 0.0 at the one
    # decimal every change is rounded to, so it is said against last year's value
    printed = plain(compare(q("0.12", "%"), last_year("0.10", "%")))
    assert printed == "高于上年同期的0.10%"


def test_small_bases_are_compared_by_absolute_change_only():
    # 医疗纠纷 8 vs 3 起: "+166.7%" says nothing; the model texts write "比上年增加5起"
    text = compare(q(8, "起", pe="2025"), q(3, "起", pe="2024"))
    assert "5起" in plain(text) and "%" not in plain(text)
    # the base can be chosen: with small_base=1 the % comes back (5/3 = 166.67% → 166.7%)
    assert "166.7%" in plain(compare(q(8, "起", pe="2025"), q(3, "起", pe="2024"), small_base=D(1)))


def test_negative_counts_are_not_compared():
    assert compare(q(-5, "元"), last_year(100, "元")) == ()
    assert compare(q(5, "元"), last_year(-100, "元")) == ()


def test_different_units_are_not_compared():
    assert compare(q(5, "%"), last_year(5, "人次")) == ()


def test_nan_and_infinity_are_no_value():
    nan = Quantity(D("NaN"), "%", {"dx": "X"}, is_rate=True)
    assert compare(nan, last_year(5, "%")) == ()
    assert compare(q(5, "%"), nan) == ()
    assert target(nan, q(5, "%"), elapsed=D(1)) == ()
    assert state("某率", nan) == ()


def test_float_and_int_values_are_accepted():
    fig = fmt(Quantity(96.5, "%", {"dx": "X"}, is_rate=True))  # type: ignore[arg-type]
    assert fig.text == "96.50%" and fig.value == D("96.5")
    assert fmt(Quantity(8991, "人次", {})).text == "8991人次"  # type: ignore[arg-type]


def test_negative_values_print_with_a_minus_and_never_minus_zero():
    assert fmt(q(-12345, "元")).text == "-1.23万元"  # money below 10万: two decimals
    assert fmt(q("-0.001", "%")).text == "0.00%"


# ---------------------------------------------------------------------------------------------
# Periods in the wording


@pytest.mark.parametrize(
    "pe, prev_pe, words",
    [
        ("2026S1", "2025S2", ("上年下半年",)),
        ("2026S2", "2026S1", ("上半年",)),
        ("2026Q3", "2026Q2", ("上季度",)),
        ("2026", "2025", ("上年",)),
        ("2026W05", "2026W04", ("上周",)),
    ],
)
def test_环比_wording_by_period_type(pe, prev_pe, words):
    for i in range(12):  # every opener names the previous period or says 环比
        printed = plain(compare(q(1200, pe=pe), q(1000, pe=prev_pe), kind="环比", key=f"k{i}"))
        assert printed.startswith("环比") or any(w in printed for w in words), printed


def test_explicit_period_overrides_the_source():
    # the source says a half-year, the caller says it is the year's figure: 比上年, no 同期
    for i in range(12):
        printed = plain(compare(q(1200), last_year(1000), period="2026", key=f"k{i}"))
        assert "同期" not in printed


def test_unparseable_period_falls_back_to_上年同期():
    cur = Quantity(D(1200), "人次", {"pe": "20260101-20260531"})
    prev = Quantity(D(1000), "人次", {"pe": "20250101-20250531"})
    for i in range(12):
        printed = plain(compare(cur, prev, key=f"k{i}"))
        assert printed.startswith("同比") or "上年同期" in printed


def test_kind_must_be_同比_or_环比():
    with pytest.raises(ValueError):
        compare(q(2), last_year(1), kind="定基")  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------
# Targets in depth


def test_exactly_on_schedule_is_not_behind():
    # 125000 / 250000 = 50% = the elapsed half
    printed = plain(target(q(125000), q(250000), elapsed=D("0.5")))
    assert "50%" in printed and "滞后" not in printed


def test_时间过半任务过半_only_at_the_half_year():
    seen = set()
    for i in range(60):
        seen.add(plain(target(q(140000), q(250000), elapsed=D("0.75"), key=f"k{i}")))
    # 140000/250000 = 56% < 75% → behind at three quarters; never the half-year slogan
    assert all("时间过半" not in text and "滞后" in text for text in seen)
    half = {plain(target(q(140000), q(250000), elapsed=D("0.5"), key=f"k{i}")) for i in range(60)}
    assert any("时间过半、任务过半" in text for text in half)


def test_target_figures_carry_their_sources():
    goal = q(250000, dx="OPD_TARGET", pe="2026")
    text = target(q(110000), goal, elapsed=D("0.5"))
    assert_sourced(text)
    done = next(f for f in figures(text) if f.text == "44%")  # 110000 / 250000
    assert done.source["derived"] == "completion"
    assert done.source["inputs"][1] == {"dx": "OPD_TARGET", "pe": "2026", "ou": "HOS"}
    assert done.value == D(44)
    goal_figs = [f for f in figures(text) if f.text == "25万人次"]
    assert all(f.source == goal.source for f in goal_figs)


def test_no_schedule_judgement_without_elapsed_time():
    printed = plain(target(q(20000), q(250000), elapsed=D(0)))
    assert printed == "完成全年目标的8%"  # 20000 / 250000 = 8%


def test_target_refuses_nonsense():
    assert target(q(100), q(0), elapsed=D(1)) == ()
    assert target(q(-100), q(250), elapsed=D(1)) == ()
    with pytest.raises(ValueError):
        target(q(1), q(2), direction="sideways", elapsed=D(1))  # type: ignore[arg-type]


def test_level_target_is_a_bound_not_a_share():
    # 床位周转次数 is a level: 31.5 次 against ≥ 30 次 is met, not "完成全年目标的105%"
    turnover = Quantity(D("31.5"), "次", {"dx": "BED_TURNOVER"}, cumulative=False)
    goal = Quantity(D(30), "次", {"dx": "BED_TURNOVER_T"}, cumulative=False)
    printed = plain(target(turnover, goal, elapsed=D("0.5")))
    assert "30次" in printed and "完成全年目标" not in printed and "%" not in printed
    low = Quantity(D("27.5"), "次", {"dx": "BED_TURNOVER"}, cumulative=False)
    assert "2.50次" in plain(target(low, goal, elapsed=D("0.5")))  # 30 − 27.5


def test_lower_is_better_counts_and_days():
    # 医疗纠纷 ≤ 5 起: 4 is within; 平均住院日 ≤ 9 天: 9.4 is 0.4 天 over
    assert "5起" in plain(target(q(4, "起"), q(5, "起"), direction="down", elapsed=D(1)))
    miss = plain(target(q("9.4", "天"), q(9, "天"), direction="down", elapsed=D(1)))
    assert "0.4天" in miss and "超出" in miss


def test_goal_name_is_used():
    printed = plain(target(q(60000), q(120000), elapsed=D(1), goal_name="半年目标"))
    assert "半年目标" in printed and "全年" not in printed


# ---------------------------------------------------------------------------------------------
# Claims in depth


def test_all_meet_includes_the_bound_and_carries_a_threshold_source():
    months = [q(95, "%", pe="202601"), q("95.00", "%", pe="202602")]
    text = all_meet(months, D(95), threshold_source={"source": "目标", "query": "满意度≥95%"})
    assert text is not None  # "以上" includes 95 itself (民法典 第一千二百五十九条)
    assert figures(text)[0].source == {"source": "目标", "query": "满意度≥95%"}
    default = all_meet(months, D(95))
    assert default is not None and figures(default)[0].source["derived"] == "threshold"
    assert_sourced(default)


def test_all_meet_with_every_month_missing_says_nothing():
    assert all_meet([q(None, "%"), q(None, "%")], D(95)) is None


def test_all_meet_uses_the_span_word():
    text = all_meet([q(99, "%")], D(95), over="各季度")
    assert text is not None and plain(text).startswith("各季度")


@pytest.mark.parametrize(
    "pe, word",
    [("2026", "全年"), ("2026S1", "上半年"), ("2026S2", "下半年"), ("2026Q3", "三季度")],
)
def test_zero_events_names_the_period(pe, word):
    text = zero_events(q(0, "例", pe=pe), register_complete=True, what="孕产妇死亡")
    assert text is not None and plain(text).startswith(word)
    assert stray_numbers(text) == []


def test_zero_events_decimal_zero_and_explicit_wording():
    text = zero_events(q("0.00", "例"), register_complete=True, what="输血不良反应", when="1—5月")
    assert text is not None and plain(text).startswith("1—5月")
    assert zero_events(q(-1, "例"), register_complete=True, what="x") is None


def _years(values, unit="人次", suffix=""):
    return [
        (f"{2020 + i}{suffix}", q(v, unit, pe=f"{2020 + i}{suffix}")) for i, v in enumerate(values)
    ]


def test_record_needs_a_strict_new_high():
    hist = _years([80000, 95000, 90000, 95000])  # 2023 equals the 2021 best: not a record
    assert record(hist, "2023") is None


def test_record_ignores_input_order_and_later_periods():
    hist = _years([80000, 90000, 95000, 98000, 120000])  # 2024 is after the current 2023
    shuffled = [hist[3], hist[0], hist[4], hist[2], hist[1]]
    text = record(shuffled, "2023")
    assert text is not None and "历史" in plain(text)  # 98000 > 95000, no milestone crossed


def test_record_with_a_missing_year_says_nothing():
    hist = _years([80000, None, 95000, 101000])
    assert record(hist, "2023") is None


def test_record_for_half_years_is_历史同期():
    hist = _years([80000, 90000, 95000, 98000], suffix="S1")
    text = record(hist, "2023S1")
    assert text is not None and "同期" in plain(text)


def test_record_for_consecutive_months():
    hist = [
        (f"2026{m:02d}", q(v, pe=f"2026{m:02d}")) for m, v in [(1, 10), (2, 12), (3, 13), (4, 15)]
    ]
    text = record(hist, "202604")
    assert text is not None and "同期" not in plain(text)


def test_record_mixed_period_types_or_bad_ids_say_nothing():
    hist = [*_years([80000, 90000, 95000]), ("2023S1", q(99000, pe="2023S1"))]
    assert record(hist, "2023S1") is None
    assert record([("garbage", q(1))], "2023") is None


@pytest.mark.parametrize(
    "best, now, milestone",
    [
        (95000, 101000, "10万人次"),  # 100000 in (95000, 101000]
        (18000, 21000, "2万人次"),
        (45000, 52000, "5万人次"),
        (480, 510, "500人次"),
    ],
)
def test_record_milestones(best, now, milestone):
    hist = _years([best - 3, best - 2, best, now])
    text = record(hist, "2023")
    assert text is not None and plain(text).endswith(
        (f"首次突破{milestone}", f"首次突破{milestone}大关")
    )
    mark = figures(text)[0]
    assert mark.source["derived"] == "milestone"


def test_record_no_milestone_below_one_hundred_or_for_rates():
    text = record(_years([10, 15, 18, 21], "例"), "2023")  # crossing 20 is not worth a sentence
    assert text is not None and "突破" not in plain(text)
    rates = record(_years(["80.5", "85.1", "88.2", "90.3"], "%"), "2023")
    assert rates is not None and "突破" not in plain(rates)


def test_record_lower_is_better():
    hist = _years(["3.1", "2.8", "2.5", "2.1"], "%")
    text = record(hist, "2023", direction="down")
    assert text is not None and "最低" in plain(text)
    assert record(hist, "2023") is None  # 2.1 is not a high


def test_record_min_history():
    hist = _years([90000, 95000, 98000])
    assert record(hist, "2022") is None  # two earlier years < 3
    assert record(hist, "2022", min_history=2) is not None


# ---------------------------------------------------------------------------------------------
# Enumerations, shares, breakdowns


def test_enumerate_ten_points_and_keep_figures():
    fig = Figure("3次", D(3), {"dx": "DRILL"})
    points = [("开展应急演练", fig, "，")] + [(f"措施{'甲乙丙丁戊己庚辛壬'[i]}",) for i in range(9)]
    text = enumerate_points(points)
    printed = plain(text)
    assert printed.startswith("一是开展应急演练3次；二是措施甲；")
    assert printed.endswith("十是措施壬。")
    assert figures(text) == [fig]


def test_enumerate_skips_blank_points():
    printed = plain(enumerate_points([("加强领导",), (), ("。",), ("严格考核；",)]))
    assert printed == "一是加强领导；二是严格考核。"


def test_share_of():
    # 35200 / 100000 = 35.2%
    text = share_of(q(35200), q(100000, dx="ALL"), whole_label="全院门急诊量")
    assert "占全院门急诊量" in plain(text) and "35.2%" in plain(text)
    assert_sourced(text)
    assert share_of(q(1), q(0), whole_label="x") == ()
    assert share_of(q(None), q(3), whole_label="x") == ()


def test_breakdown():
    total = q(62, "起")
    parts = [("国家级", q(13, "起")), ("省级", q(11, "起")), ("市县级", q(38, "起"))]
    assert plain(breakdown(total, parts)) == "共62起，其中国家级13起、省级11起、市县级38起"
    # zero and missing parts are left out
    parts2 = [("国家级", q(0, "起")), ("省级", q(None, "起")), ("市县级", q(38, "起"))]
    assert plain(breakdown(total, parts2)) == "共62起，其中市县级38起"
    # parts that add up to more than the total are not printed (13 + 11 + 48 = 72 > 62)
    parts3 = [*parts[:2], ("市县级", q(48, "起"))]
    assert plain(breakdown(total, parts3)) == "共62起"
    assert breakdown(q(None, "起"), parts) == ()


# ---------------------------------------------------------------------------------------------
# One wording per meaning: the key no longer picks among synonyms


@pytest.mark.parametrize(
    "make",
    [
        lambda k: compare(q(123456), last_year(117345), key=k),
        lambda k: compare(q(9000), last_year(10000), key=k),
        lambda k: compare(q(10040), last_year(10000), key=k),
        lambda k: compare(q("96.5", "%"), last_year("95.3", "%"), key=k),
        lambda k: target(q(110000), q(250000), elapsed=D("0.5"), key=k),
        lambda k: target(q(130000), q(250000), elapsed=D("0.5"), key=k),
        lambda k: target(q("7.2", "%"), q(8, "%"), direction="down", elapsed=D(1), key=k),
        lambda k: all_meet([q(96, "%")], D(95), key=k),
        lambda k: zero_events(q(0, "例"), register_complete=True, what="x", key=k),
    ],
)
def test_one_wording_per_meaning_whatever_the_key_and_each_is_sourced(make):
    texts = {}
    for i in range(100):
        text = make(f"key-{i}")
        texts[plain(text)] = text
    assert len(texts) == 1, sorted(texts)
    for text in texts.values():
        assert_sourced(text)


def test_same_input_same_text_across_calls_and_processes():
    a = compare(q(123456), last_year(117345))
    b = compare(q(123456), last_year(117345))
    assert a == b
    # SHA-256 based, so pinned: a change here means every generated document changes wording
    assert choose(["甲", "乙", "丙"], "OPD|2026S1|HOS") == choose(
        ["甲", "乙", "丙"], "OPD|2026S1|HOS"
    )
    assert [choose("ABCDE", f"k{i}") for i in range(8)] == _PINNED


_PINNED = ["E", "C", "C", "A", "A", "C", "B", "B"]


def test_the_same_numbers_read_the_same_for_every_indicator():
    # no rotation by indicator or period: the reader meets one formula for one meaning
    texts = {
        plain(compare(q(123456, dx=f"DX{i}"), last_year(117345, dx=f"DX{i}"))) for i in range(30)
    }
    assert texts == {"同比增长5.2%"}


def test_figures_are_hashable_despite_their_mapping_source():
    fig = Figure("3次", D(3), {"dx": "A"})
    assert len({fig, Figure("3次", D(3), {"dx": "A"})}) == 1


def test_stray_numbers_can_ignore_calendar_years():
    text = ("2027年门急诊量力争达到", Figure("25万人次", D(250000), {}), "。")
    assert stray_numbers(text) == ["2027"]
    assert stray_numbers(text, ignore_years=True) == []
    assert stray_numbers(("共15年",), ignore_years=True) == ["15"]


def test_sentence_with_semicolons_is_a_run_of_indicator_clauses():
    a = state("门急诊", q(123456), last_year(117345), key="a")
    b = state("出院", q(8120), last_year(7900), key="b")
    text = sentence(a, b, sep="；")
    printed = plain(text)
    assert printed.count("；") == 1 and printed.endswith("。")
    assert_sourced(text)
    assert merge(["从科室看，", *a])[0].startswith("从科室看，门急诊")


# ---------------------------------------------------------------------------------------------
# A sweep: whatever the numbers, the text is sourced, signed right, and never says nonsense

_GRID = [None, 0, "0.004", 1, 3, "9.5", 10, "99.99", 100, "9999.5", 10000, "123456.789", 100000000]
_UNITS = ["人次", "元", "万元", "%", "‰", "/10万", "天", "起"]
_UP_WORDS = ("增长", "增加", "上升", "提高", "延长", "增幅")
_DOWN_WORDS = ("下降", "减少", "降低", "缩短", "降幅")


@pytest.mark.parametrize("unit", _UNITS)
def test_sweep_compare(unit):
    for a in _GRID:
        for b in _GRID:
            cur, prev = q(a, unit), last_year(b, unit)
            text = compare(cur, prev)
            if a is None or b is None or D(str(b)) == 0:
                assert text == (), (a, b)
                continue
            printed = plain(text)
            assert_sourced(text)
            now, before = D(str(a)), D(str(b))
            if any(w in printed for w in _UP_WORDS):
                assert now > before, printed
            if any(w in printed for w in _DOWN_WORDS):
                assert now < before, printed
            if now == before:
                assert "持平" in printed
            for fig in figures(text):
                assert not fig.text.startswith("-"), printed  # direction is in the words
                assert not fig.text.startswith(("0%", "0个", "0人次", "0元", "0天")), printed


@pytest.mark.parametrize("unit", ["人次", "元", "%", "天"])
@pytest.mark.parametrize("direction", ["up", "down"])
@pytest.mark.parametrize("elapsed", ["0", "0.5", "0.75", "1"])
def test_sweep_target(unit, direction, elapsed):
    for a in _GRID:
        for b in _GRID:
            text = target(q(a, unit), q(b, unit, dx="T"), direction=direction, elapsed=D(elapsed))
            if a is None or b is None:
                assert text == ()
                continue
            assert_sourced(text)
            printed = plain(text)
            if "超额" in printed:
                assert D(str(a)) > D(str(b))
            if "提前完成" in printed:
                assert D(str(a)) >= D(str(b)) and D(elapsed) < 1
            if "滞后" in printed:
                assert D(str(a)) / D(str(b)) < D(elapsed)


def test_sweep_state_and_claims():
    for unit in _UNITS:
        for a in _GRID:
            text = state("某项", q(a, unit), last_year(5, unit))
            if a is None:
                assert text == ()
            else:
                assert_sourced(text)
            for claim in (
                all_meet([q(a, unit), q(96, unit)], D(95)),
                zero_events(q(a, unit), register_complete=True, what="某事件"),
                record(_years([1, 2, 3, a], unit), "2023"),
            ):
                if claim is not None:
                    assert a is not None
                    assert_sourced(claim)


def test_a_change_that_prints_as_zero_is_持平():
    # 0.003 vs 0.002 元: +50%, but the change prints as "0.00元" → 持平, no figures
    text = compare(q("0.003", "元"), last_year("0.002", "元"), small_base=D(0))
    assert "持平" in plain(text) and figures(text) == []


# ---------------------------------------------------------------------------------------------
# Streaks and income wording


def test_streak_of_rises_counts_years_and_sources_them():
    hist = _years([5, 6, 7, 8, 9])  # 2020…2024, four rises in a row
    text = streak(hist, "2024")
    assert text is not None and plain(text).startswith("连续四年")
    count = figures(text)[0]
    assert count.value == 4 and count.source["derived"] == "streak"
    assert [s["pe"] for s in count.source["inputs"]] == ["2020", "2021", "2022", "2023", "2024"]
    assert stray_numbers(text) == []


def test_streak_stops_at_the_first_non_rise():
    hist = _years([9, 6, 7, 8, 9])  # 2021 fell: rises 2022, 2023, 2024 = three
    assert plain(streak(hist, "2024")).startswith("连续三年")
    flat = _years([5, 6, 7, 7, 9])  # 2023 equal: only one rise before 2024
    assert streak(flat, "2024") is None


def test_streak_of_falls_and_same_period_of_years():
    hist = _years([9, 8, 7, 6], suffix="S1")
    text = streak(hist, "2023S1")
    assert text is not None and "连续三年同期" in plain(text) and "下降" in plain(text)


def test_streak_of_months():
    hist = [(f"2026{m:02d}", q(v, pe=f"2026{m:02d}")) for m, v in [(1, 1), (2, 2), (3, 3), (4, 4)]]
    assert plain(streak(hist, "202604")).startswith("连续三个月")


def test_streak_needs_the_history():
    assert streak(_years([5, 6, 7]), "2022") is None  # two rises < 3
    assert streak(_years([5, None, 7, 8, 9]), "2024") is None  # 2021 missing: two rises
    assert streak(_years([5, 6, 7, 8]), "2030") is None
    assert streak(_years([5, 6, 7, 8]), "bad") is None


def test_income_is_增收_and_减收():
    # 789万 vs 569万: +220万元 (+38.66% → 38.7%)
    text = state("业务收入", q(7890000, "元"), last_year(5690000, "元"))
    assert "增收220万元" in plain(text) and "38.7%" in plain(text)
    down = state("药品收入", q(5000000, "元"), last_year(6000000, "元"))
    assert "减收100万元" in plain(down)
    visits = state("门急诊", q(123456), last_year(117345))
    assert "增收" not in plain(visits)


def test_records_and_streaks_must_show_in_the_printed_figures():
    # 96.501% vs 96.499%: higher, but both print as 96.50% → no record, no streak step
    hist = _years(["90", "92", "96.499", "96.501"], "%")
    assert record(hist, "2023") is None
    assert streak(hist, "2023") is None
    assert streak(_years(["90", "92", "94", "96.501"], "%"), "2023") is not None


# ---------------------------------------------------------------------------------------------
# Printed figures agree with each other (the reader's subtraction must come out)


def test_average_change_is_the_difference_of_the_printed_values():
    # 8.62 → "8.6天", 9.05 → "9.1天" (half up): the change printed is 0.5天, not 0.43 → 0.4
    text = compare(q("8.62", "天", decimals=1), last_year("9.05", "天", decimals=1))
    assert "0.5天" in plain(text)
    change = next(f for f in figures(text) if f.text == "0.5天")
    assert change.value == D("-0.5")


def test_rate_change_is_the_difference_of_the_printed_rates():
    # 96.504 → "96.50%", 95.296 → "95.30%": 1.20 points printed as 1.2 (raw 1.208 also 1.2)
    text = compare(q("96.504", "%"), last_year("95.296", "%"))
    assert "1.2个百分点" in plain(text)
    # 3.115‰ → "3.12‰" (half up), 3.524‰ → "3.52‰": lower, said against the printed 3.52‰
    assert plain(compare(q("3.115", "‰"), last_year("3.524", "‰"))) == "低于上年同期的3.52‰"


def test_rates_that_print_the_same_are_持平():
    # 96.501 and 96.499 both print 96.50% (and are 0.002% apart): never "上升0个百分点"
    text = compare(q("96.501", "%"), last_year("96.499", "%"), flat_within=D(0))
    assert "持平" in plain(text) and figures(text) == []


def test_a_rate_printed_as_the_target_meets_it():
    # 94.999% prints as 95.00%: the reader sees the target met, so the text says so
    printed = plain(target(q("94.999", "%"), q(95, "%"), elapsed=D(1)))
    assert "低于" not in printed and "相差" not in printed


def test_completion_just_under_the_goal_never_prints_100():
    # 249900 / 250000 = 99.96% → would round to 100.0%; printed 99.9% with 未完成
    printed = plain(target(q(249900), q(250000), elapsed=D(1)))
    assert "99.9%" in printed and "100%" not in printed and ("未" in printed or "尚差" in printed)


def test_lag_is_the_difference_of_the_printed_shares():
    # 123375 / 250000 = 49.35% → printed 49.4% (half up); lag 50 − 49.4 = 0.6, not 0.65 → 0.7
    printed = plain(target(q(123375), q(250000), elapsed=D("0.5")))
    assert "49.4%" in printed and "0.6个百分点" in printed


def test_仅_only_when_well_behind():
    slight = {plain(target(q(123456), q(250000), elapsed=D("0.5"), key=f"k{i}")) for i in range(40)}
    assert not any(text.startswith("仅") for text in slight)  # 49.4%: 0.6 points behind
    far = {plain(target(q(75000), q(250000), elapsed=D("0.5"), key=f"k{i}")) for i in range(40)}
    assert any(text.startswith("仅") for text in far)  # 30%: 20 points behind


# ---------------------------------------------------------------------------------------------
# A whole paragraph, pinned: how the pieces read together in a half-year summary


def test_a_half_year_paragraph_reads_like_the_model_texts():
    def h1(value, unit="人次", dx="OPD", **kw):
        return q(value, unit, dx=dx, **kw)

    def h0(value, unit="人次", dx="OPD", **kw):
        return q(value, unit, dx=dx, pe="2025S1", **kw)

    months = [
        q(v, "%", dx="SAT", pe=f"20260{i}") for i, v in enumerate([95.8, 96.1, 96.9, 97.2], 1)
    ]
    body = sentence(
        join(
            [
                # 123456 vs 117345: +6111 (+5.21%); 123456 / 250000 = 49.38% → 49.4%, 0.6 behind
                state("全院门急诊", h1(123456), h0(117345)),
                target(h1(123456), h1(250000, dx="OPD_T", pe="2026"), elapsed=D("0.5")),
            ]
        ),
        # 78900000 vs 69100000 元: +980万元, 980/6910 = 14.18% → 14.2%
        state("业务收入", h1(78900000, "元", dx="REV"), h0(69100000, "元", dx="REV")),
        # 8.62 → 8.6天, 9.05 → 9.1天: 0.5天 shorter
        state(
            "平均住院日",
            h1("8.62", "天", dx="ALOS", decimals=1),
            h0("9.05", "天", dx="ALOS", decimals=1),
        ),
        # 96.5% vs 95.3%: +1.2 个百分点; every month ≥ 95%
        join(
            [
                state("病人满意度", h1("96.5", "%", dx="SAT"), h0("95.3", "%", dx="SAT")),
                all_meet(months, D(95)),
            ]
        ),
        sep="；",
    )
    text = merge(["上半年，", *body])
    assert plain(text) == (
        "上半年，全院门急诊12.35万人次，同比增长5.2%，"
        "完成全年目标（25万人次）的49.4%，低于序时进度（50%）0.6个百分点，进度滞后；"
        "业务收入7890万元，同比增收980万元，增长14.2%；"
        "平均住院日为8.6天，同比缩短0.5天；"
        "病人满意度为96.50%，同比上升1.2个百分点，各月均在95%以上。"
    )
    assert_sourced(text)
    # 6 in the first clause (value, %, goal, share, schedule, lag), 3 + 2 + 3 after
    assert len(figures(text)) == 14


# ---------------------------------------------------------------------------------------------
# Table cells agree with the prose


@pytest.mark.parametrize(
    "cur, prev, expected",
    [
        (q(123456), last_year(117345), "+5.2%"),  # 6111 / 117345 = 5.21%
        (q(9000), last_year(10000), "−10%"),
        (q("96.5", "%"), last_year("95.3", "%"), "+1.2个百分点"),
        # a ‰ rate's change in ‰ (3.11 − 3.52 = −0.41), never 下降 alone nor 个千分点
        (q("3.11", "‰"), last_year("3.52", "‰"), "−0.41‰"),
        (q("0.118", "‰", decimals=3), last_year("0.104", "‰", decimals=3), "+0.014‰"),
        # a % rate moving under 0.05 points: two decimals (0.14 − 0.11), not 上升
        (q("0.14", "%", decimals=2), last_year("0.11", "%", decimals=2), "+0.03个百分点"),
        (q("8.62", "天", decimals=1), last_year("9.05", "天", decimals=1), "−0.5天"),  # 8.6 − 9.1
        (q(8, "起"), last_year(3, "起"), "+5起"),
        (q(10000), last_year(10000), "持平"),
        (q("96.501", "%"), last_year("96.499", "%"), "持平"),  # both print 96.50%
        # 95.51 → 95.50: printed −0.01个百分点, but 0.01 / 95.51 = 0.01% < 0.5%: the prose
        # says 基本持平, so the cell must not print a change
        (q("95.50", "%"), last_year("95.51", "%"), "持平"),
        (q(100300), last_year(100000), "持平"),  # +0.3% < 0.5%: 基本持平 in the prose
    ],
)
def test_short_change_for_tables(cur, prev, expected):
    cell = short_change(cur, prev)
    assert plain(cell) == expected
    assert stray_numbers(cell) == []


def test_short_change_flat_threshold_follows_compare():
    cur, prev = q("95.50", "%"), last_year("95.51", "%")
    assert "基本持平" in plain(compare(cur, prev))
    assert plain(short_change(cur, prev)) == "持平"
    # with no flat band both show the change: 0.01 points print as 0.0 at one decimal, so
    # the prose says it against the earlier value, the cell in points at two decimals
    assert plain(short_change(cur, prev, flat_within=D(0))) == "−0.01个百分点"
    assert plain(compare(cur, prev, flat_within=D(0))) == "低于上年同期的95.51%"


def test_short_change_says_nothing_where_compare_says_nothing():
    assert short_change(q(1), last_year(0)) == ()
    assert short_change(q(None), last_year(3)) == ()
    assert short_change(q(5, "%"), last_year(5, "人次")) == ()


def test_every_derived_op_has_a_label():
    ops = set()
    texts = [
        compare(q(123456), last_year(117345)),
        compare(q("96.5", "%"), last_year("95.3", "%")),
        target(q(110000), q(250000), elapsed=D("0.5")),
        target(q(262000), q(250000), elapsed=D(1)),
        target(q("8.6", "%"), q(8, "%"), direction="down", elapsed=D(1)),
        target(q("93.8", "%"), q(95, "%"), elapsed=D(1)),
        share_of(q(35200), q(100000), whole_label="x"),
        all_meet([q(96, "%")], D(95)),
        record(_years([95000, 96000, 97000, 101000]), "2023"),
        streak(_years([5, 6, 7, 8]), "2023"),
        short_change(q(8, "起"), last_year(3, "起")),
    ]
    texts += [target(q(240000), q(250000), elapsed=D(1), key=f"k{i}") for i in range(10)]
    texts += [target(q(110000), q(250000), elapsed=D("0.5"), key=f"k{i}") for i in range(10)]
    for text in texts:
        ops |= {f.source["derived"] for f in figures(text or ()) if "derived" in f.source}
    assert ops <= set(DERIVED_LABELS)
    assert {"pct_change", "completion", "behind_schedule", "streak"} <= ops


@pytest.mark.parametrize("unit", _UNITS)
def test_sweep_short_change_agrees_with_compare(unit):
    for a in _GRID:
        for b in _GRID:
            cur, prev = q(a, unit), last_year(b, unit)
            cell, prose = short_change(cur, prev), compare(cur, prev)
            assert (cell == ()) == (prose == ()), (a, b)
            if not cell:
                continue
            assert stray_numbers(cell) == []
            if plain(cell) == "持平":
                assert "持平" in plain(prose), (a, b, plain(prose))
            elif plain(prose).startswith(("高于", "低于")):  # the prose names the earlier
                # value, the cell the change itself (a figure, never 上升 alone): same sign
                word = "高于" if plain(cell).startswith("+") else "低于"
                assert plain(prose).startswith(word), (a, b, plain(cell), plain(prose))
                assert plain(cell)[1:][0].isdigit(), plain(cell)
            else:
                assert "持平" not in plain(prose), (a, b, plain(cell), plain(prose))
                # the same figure text appears in the prose (the sign aside)
                assert plain(cell)[1:] in plain(prose), (plain(cell), plain(prose))


def test_a_change_of_one_or_two_on_a_count_is_not_said():
    # blind read 2: "按时办结60件，同比增长1.7%" (59 → 60); director read 6: "受理群众投诉64件，
    # 同比减少1件；…收到锦旗和感谢信101件，同比增加1件": a change of one or two says nothing
    assert compare(q(60, "件"), last_year(59, "件")) == ()
    assert compare(q(101, "件"), last_year(100, "件")) == ()
    assert compare(q(64, "件"), last_year(66, "件")) == ()
    assert short_change(q(64, "件"), last_year(66, "件")) == ()
    # on a small base (deaths 1 → 3) the count's change is the news: said as a count
    assert plain(compare(q(3, "例"), last_year(1, "例"))) == "同比增加2例"
    # three or more keeps its % (120 vs 100: +20 %), and a large count's tiny change is 持平
    assert plain(compare(q(120, "件"), last_year(100, "件"))) == "同比增长20%"
    assert plain(compare(q(230701), last_year(230700))) == "与上年同期基本持平"


def test_points_are_printed_as_precisely_as_the_rates_are():
    # blind read 2: 住院死亡率 0.99 % vs 0.83 % said "上升0.2个百分点"; 0.99 − 0.83 = 0.16, and
    # the rates print two decimals, so the change does too
    text = compare(q("0.99", "%", decimals=2), last_year("0.83", "%", decimals=2), direction="down")
    assert plain(text) == "同比上升0.16个百分点"
    # a change of a point or more keeps one decimal: 85.72 − 82.22 = 3.50 → 3.5
    text = compare(q("85.72", "%", decimals=2), last_year("82.22", "%", decimals=2), direction="up")
    assert plain(text) == "同比提高3.5个百分点"
    # director read 6: 9.54 % vs 7.69 % said "上升1.9个百分点"; 9.54 − 7.69 = 1.85, printed so
    text = compare(q("9.54", "%", decimals=2), last_year("7.69", "%", decimals=2), direction="down")
    assert plain(text) == "同比上升1.85个百分点"
    # rates printed at one decimal change at one decimal: 1.5 − 0.9 = 0.6
    assert (
        plain(compare(q("1.5", "%", decimals=1), last_year("0.9", "%", decimals=1)))
        == "同比上升0.6个百分点"
    )


def test_money_is_rounded_by_size_and_keeps_its_exact_value():
    # 6 051 500元 = 605.15万 → whole 万 from 100万 up: "605万元"; 605 150元 = 60.515万 → one
    # decimal below 100万: "60.5万元"; 1.5345亿 keeps two decimals; the value stays exact
    big = fmt(q(6051500, "元"))
    assert (big.text, big.value) == ("605万元", D(6051500))
    assert fmt(q(605150, "元")).text == "60.5万元"
    assert fmt(q(153450000, "元")).text == "1.53亿元"
    assert fmt(q("295.60", "元")).text == "295.60元"  # a cost per visit keeps its fen
    assert fmt(q(6051500, "人次")).text == "605.15万人次"  # counts keep two decimals
    # the income clause: 1.53亿 vs 1.47亿 → 增收605万元 (exact 6 051 500元 in provenance)
    said = compare(q(153450000, "元"), q(147398500, "元"), change_words=("增收", "减收"))
    amount = next(s for s in said if isinstance(s, Figure) and s.source["derived"] == "abs_change")
    assert (amount.text, amount.value) == ("605万元", D(6051500))


def test_complaints_done_in_time_are_said_as_a_rate_and_the_late_ones_counted():
    # director read 6: "按时办结60件，同比增加1件" says nothing; 60 of 64 is 93.75 → 93.8 %, and
    # 64 − 60 = 4 were late
    text = done_in_time(q(60, "件"), q(64, "件"), rate="按时办结率", late="未按时办结")
    assert plain(text) == "按时办结率为93.8%，未按时办结4件"
    assert stray_numbers(text) == []
    # all in time: the rate alone; more done than received would contradict: nothing
    assert (
        plain(done_in_time(q(64, "件"), q(64, "件"), rate="按时办结率", late="x"))
        == "按时办结率为100%"
    )
    assert done_in_time(q(65, "件"), q(64, "件"), rate="按时办结率", late="x") == ()


def test_a_table_change_keeps_a_short_unit_and_drops_a_long_one():
    from weijian.documents.tables import change_cell

    # 平均住院日 7.23 → 7.37: "−0.14天" (readers asked "−0.14 what?"); 抗菌药物使用强度
    # 32.95 → 35.19: "−2.24", DDDs/百人天 standing in the row's label (it would not fit)
    stay = change_cell(q("7.23", "天", decimals=2), last_year("7.37", "天", decimals=2))
    assert plain(stay) == "−0.14天"
    ddd = change_cell(q("32.95", "DDDs/百人天", decimals=2), last_year("35.19", "DDDs/百人天", decimals=2))  # fmt: skip
    assert plain(ddd) == "−2.24"
