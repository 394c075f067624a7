"""Per-unit comparisons said by what they mean: close units named by none, a laggard with its
gap to the median, never the same formula twice in one paragraph (pure: Spread in, text out)."""

from __future__ import annotations

from decimal import Decimal as D

from weijian.documents.narrative import Figure, plain
from weijian.documents.peers import Spread, spread_sentences


def test_close_indicators_are_grouped_and_name_no_unit():
    close = [
        Spread("各科室", "close", "手卫生依从率", ("较为接近（84%—86%）",)),
        Spread("各科室", "close", "病原学送检率", ("较为接近（64%—66%）",)),
    ]
    (text,) = spread_sentences(close)
    assert plain(text) == "从各科室看，手卫生依从率、病原学送检率各科室之间差距不大。"
    assert "最好" not in plain(text) and "较差" not in plain(text)


def fig(text):
    return Figure(text, D(text.rstrip("%个百分点")), {"source": "test", "query": "q"})


def laggard(name, unit, value, gap, overall="69.30%"):
    text = (f"{unit}最低（", fig(value), "），低于全院", fig(overall), "的平均水平", fig(gap))
    return Spread(
        "各科室", "laggard", name, text, unit, fig(value), fig(gap), "最低", "全院", fig(overall)
    )


def test_two_laggards_are_not_said_with_the_same_formula():
    lag = [
        # 69.30 − 64.13 = 5.17 and 85.10 − 80.10 = 5 points: the rates' own precision
        laggard("病原学送检率", "儿科", "64.13%", "5.17个百分点"),
        laggard("手卫生依从率", "口腔科", "80.10%", "5个百分点", "85.10%"),
    ]
    words = plain(spread_sentences(lag)[0])
    # the yardstick is the hospital's own overall rate, never a median no office computes
    assert words == (
        "从各科室看，病原学送检率儿科最低（64.13%），低于全院69.30%的平均水平5.17个百分点；"
        "另有手卫生依从率口腔科最低（80.10%），低于全院85.10%的平均水平5个百分点。"
    )
    assert "中位数" not in words


def test_a_unit_lagging_on_two_indicators_is_named_once():
    # 高血压 64.90 under the district's 68.40 (3.50 points), 糖尿病 62.89 under 66.40 (3.51):
    # one clause, the shared suffix 规范管理率 said once, each overall rate beside its gap
    lag = [
        laggard("高血压规范管理率", "石坪乡卫生院", "64.90%", "3.5个百分点", "68.40%"),
        laggard("糖尿病规范管理率", "石坪乡卫生院", "62.89%", "3.51个百分点", "66.40%"),
    ]
    words = plain(spread_sentences(lag)[0])
    assert words == (
        "从各科室看，石坪乡卫生院高血压、糖尿病规范管理率分别为64.90%、62.89%，"
        "均为各科室最低，分别低于全院平均水平（68.40%、66.40%）3.5、3.51个百分点。"
    )
    assert words.count("石坪乡卫生院") == 1


def test_a_group_is_introduced_once_per_document():
    close = [Spread("各乡镇卫生院", "close", "平均住院日", ("较为接近（6.40天—6.51天）",))]
    used: set[str] = set()
    first = plain(spread_sentences(close, used)[0])
    second = plain(spread_sentences(close, used)[0])
    assert first.startswith("从各乡镇卫生院看，") and second.startswith("各乡镇卫生院之间，")


def test_a_unit_leading_on_two_indicators_stands_first_not_best():
    # "均为各乡镇卫生院最好" said nothing a reader can check: the unit stands first (居首位)
    lead = [
        Spread("各乡镇卫生院", "leader", name, ("x",), "青山镇中心卫生院", fig(v), end="最高")
        for name, v in (("电子建档率", "92.88%"), ("老年人健康管理率", "71.20%"))
    ]
    words = plain(spread_sentences(lead)[0])
    assert words == (
        "从各乡镇卫生院看，青山镇中心卫生院电子建档率（92.88%）、老年人健康管理率（71.20%）"
        "均居各乡镇卫生院首位。"
    )
    assert "最好" not in words
