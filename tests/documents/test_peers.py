"""Per-unit comparisons said by what they mean: close units named by none, a laggard with its
gap to the median, never the same formula twice in one paragraph (pure: Spread in, text out)."""

from __future__ import annotations

from weijian.documents.narrative import plain
from weijian.documents.peers import Spread, spread_sentences


def test_close_indicators_are_grouped_and_name_no_unit():
    close = [
        Spread("各科室", "close", "手卫生依从率", ("较为接近（84%—86%）",)),
        Spread("各科室", "close", "病原学送检率", ("较为接近（64%—66%）",)),
    ]
    (text,) = spread_sentences(close)
    assert plain(text) == "从各科室看，手卫生依从率、病原学送检率各科室之间差距不大。"
    assert "最好" not in plain(text) and "较差" not in plain(text)


def test_two_laggards_are_not_said_with_the_same_formula():
    lag = [
        Spread(
            "各科室",
            "laggard",
            "病原学送检率",
            ("儿科最低（64.13%），比各科室中位数低5.6个百分点",),
            "儿科",
        ),  # fmt: skip
        Spread(
            "各科室",
            "laggard",
            "手卫生依从率",
            ("口腔科最低（80.1%），比各科室中位数低5个百分点",),
            "口腔科",
        ),  # fmt: skip
        Spread(
            "各科室",
            "laggard",
            "送检及时率",
            ("口腔科最低（70%），比各科室中位数低9个百分点",),
            "口腔科",
        ),  # fmt: skip
    ]
    words = plain(spread_sentences(lag)[0])
    assert words.startswith("从各科室看，病原学送检率儿科最低")
    assert "；另有手卫生依从率口腔科最低" in words  # a second laggard
    assert "；送检及时率也是口腔科最低" in words  # the same unit again
