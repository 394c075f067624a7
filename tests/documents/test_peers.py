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


def laggard(name, unit, value, gap):
    text = (f"{unit}最低（", fig(value), "），比各科室中位数低", fig(gap))
    return Spread("各科室", "laggard", name, text, unit, fig(value), fig(gap), "最低")


def test_two_laggards_are_not_said_with_the_same_formula():
    lag = [
        laggard("病原学送检率", "儿科", "64.13%", "5.6个百分点"),
        laggard("手卫生依从率", "口腔科", "80.1%", "5个百分点"),
    ]
    words = plain(spread_sentences(lag)[0])
    assert words == (
        "从各科室看，病原学送检率儿科最低（64.13%），比各科室中位数低5.6个百分点；"
        "另有手卫生依从率口腔科最低（80.1%），比各科室中位数低5个百分点。"
    )


def test_a_unit_lagging_on_two_indicators_is_named_once():
    # 高血压 64.90 and 糖尿病 62.89, each 3.5 points under its median: one clause, the shared
    # suffix 规范管理率 said once, the equal gap said once
    lag = [
        laggard("高血压规范管理率", "石坪乡卫生院", "64.90%", "3.5个百分点"),
        laggard("糖尿病规范管理率", "石坪乡卫生院", "62.89%", "3.5个百分点"),
    ]
    words = plain(spread_sentences(lag)[0])
    assert words == (
        "从各科室看，石坪乡卫生院高血压、糖尿病规范管理率分别为64.90%、62.89%，"
        "均为各科室最低，都比中位数低3.5个百分点。"
    )
    assert words.count("石坪乡卫生院") == 1


def test_a_group_is_introduced_once_per_document():
    close = [Spread("各乡镇卫生院", "close", "平均住院日", ("较为接近（6.40天—6.51天）",))]
    used: set[str] = set()
    first = plain(spread_sentences(close, used)[0])
    second = plain(spread_sentences(close, used)[0])
    assert first.startswith("从各乡镇卫生院看，") and second.startswith("各乡镇卫生院之间，")
