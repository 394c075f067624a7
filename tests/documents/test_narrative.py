"""The narrative rules on hand-made cases. Expected figures are computed by hand in comments."""

from decimal import Decimal as D

import pytest

from weijian.documents.narrative import (
    Figure,
    Quantity,
    all_meet,
    choose,
    compare,
    enumerate_points,
    figures,
    fmt,
    has_value,
    join,
    key_of,
    plain,
    record,
    sentence,
    state,
    stray_numbers,
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
        (99999999, "元", "1亿元"),  # 9999.9999万 would round to 10000万: promoted to 1亿
        (9999.996, "元", "1万元"),  # rounds to 10000.00元 → 1万元
        (789, "万元", "789万元"),  # money already in 万元
        (12345, "万元", "1.23亿元"),  # 12345万 = 1.2345亿 → 1.23
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


def test_count_growth_gives_percent_and_absolute_change():
    # 123456 vs 117345: +6111 人次, 6111/117345 = 5.2077% → 5.2%
    text = compare(q(123456), last_year(117345))
    printed = plain(text)
    assert "5.2%" in printed and "6111人次" in printed
    assert any(word in printed for word in ("增长", "增幅"))
    assert "增加" in printed
    assert "下降" not in printed and "减少" not in printed
    assert_sourced(text)
    pct = next(f for f in figures(text) if f.text == "5.2%")
    assert pct.source["derived"] == "pct_change"
    assert pct.source["inputs"] == [{"dx": "OPD", "pe": "2026S1", "ou": "HOS"}] + [
        {"dx": "OPD", "pe": "2025S1", "ou": "HOS"}
    ]


def test_count_decline():
    # 9000 vs 10000: −1000 人次, −10.0% → "下降10%"
    printed = plain(compare(q(9000), last_year(10000)))
    assert ("下降10%" in printed) or ("降幅10%" in printed)
    assert "减少1000人次" in printed
    assert "增" not in printed


def test_large_absolute_change_is_scaled():
    # 1 500 000 vs 1 200 000: +300 000 人次 = 30万人次, +25%
    printed = plain(compare(q(1500000), last_year(1200000)))
    assert "30万人次" in printed and "25%" in printed


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


def test_permille_rates_compare_in_千分点():
    printed = plain(compare(q("3.11", "‰"), last_year("3.52", "‰")))
    assert "0.41个千分点" in printed  # 3.11 − 3.52 = −0.41


def test_per_100k_rates_compare_by_absolute_change_in_their_unit():
    # 孕产妇死亡率 12.35/10万 vs 15.10/10万: −2.75, at the rate's own two decimals
    printed = plain(compare(q("12.35", "/10万", pe="2025"), q("15.10", "/10万", pe="2024")))
    assert "2.75/10万" in printed
    assert "较上年" in printed or "比上年" in printed or "同比" in printed


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
    # 240000 / 250000 = 96%
    printed = plain(target(q(240000), q(250000), direction="up", elapsed=D(1)))
    assert "96%" in printed and "未" in printed and "超额" not in printed


def test_lower_is_better_target_met_and_missed():
    ok = plain(target(q("7.2", "%"), q("8", "%"), direction="down", elapsed=D(1)))
    assert "8%" in ok and ("以内" in ok or "低于" in ok)
    # 8.6 − 8 = 0.6 个百分点 over
    miss = plain(target(q("8.6", "%"), q("8", "%"), direction="down", elapsed=D(1)))
    assert "0.6个百分点" in miss and "超出" in miss


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
