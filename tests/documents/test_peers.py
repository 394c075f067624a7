"""Per-unit comparisons said by what they mean: close units named by none, a laggard with its
gap to the overall rate, never the same formula twice in one paragraph (pure: Spread in, text out)."""

from __future__ import annotations

from dataclasses import replace
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
    text = (f"{unit}最低（", fig(value), "），低于全院水平（", fig(overall), "）", fig(gap))
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
        "从各科室看，病原学送检率儿科最低（64.13%），低于全院水平（69.30%）5.17个百分点；"
        "另有手卫生依从率口腔科最低（80.10%），低于全院水平（85.10%）5个百分点。"
    )
    assert "中位数" not in words
    # the hospital's rate is not an average of its departments: never "平均水平"
    assert "平均" not in words


def test_a_unit_lagging_on_two_indicators_is_named_once():
    # 高血压 64.90 under the hospital's 68.40 (3.50 points), 糖尿病 62.89 under 66.40 (3.51):
    # one clause, the shared ending 规范管理率 said once, the gaps as a range (3.5—3.51), not
    # its rates and gaps one by one (read 2026-12-07 23:30: a data dump)
    lag = [
        laggard("高血压规范管理率", "石坪乡卫生院", "64.90%", "3.5个百分点", "68.40%"),
        laggard("糖尿病规范管理率", "石坪乡卫生院", "62.89%", "3.51个百分点", "66.40%"),
    ]
    words = plain(spread_sentences(lag)[0])
    assert words == (
        "从各科室看，石坪乡卫生院高血压和糖尿病规范管理率均为最低，"
        "低于全院水平3.5—3.51个百分点，需重点关注。"
    )
    assert words.count("石坪乡卫生院") == 1


def test_a_group_is_introduced_once_per_document():
    lag = [laggard("电子建档率", "石坪乡卫生院", "84.88%", "5.58个百分点", "90.46%")]
    used: set[str] = set()
    first = plain(spread_sentences(lag, used)[0])
    second = plain(spread_sentences(lag, used)[0])
    assert first.startswith("从各科室看，") and second.startswith("各科室之间，")


def test_institutions_close_together_are_not_said():
    # a bureau names the centre that lags; "平均住院日较为接近（6.40天—6.51天）" among its
    # centres told the director nothing (read 2026-12-07 23:30). Departments still are.
    close = [Spread("各乡镇卫生院", "close", "平均住院日", ("较为接近（6.40天—6.51天）",))]
    assert spread_sentences(close) == []


def test_a_unit_leading_on_two_indicators_stands_first_not_best():
    # "均为各乡镇卫生院最好" said nothing a reader can check: the unit stands first (居首位)
    lead = [
        Spread("各科室", "leader", name, ("x",), "妇产科", fig(v), end="最高")
        for name, v in (("手卫生依从率", "92.88%"), ("病原学送检率", "71.20%"))
    ]
    words = plain(spread_sentences(lead)[0])
    assert (
        words == "从各科室看，妇产科手卫生依从率（92.88%）、病原学送检率（71.20%）均居各科室首位。"
    )
    assert "最好" not in words


def test_institutions_are_named_only_when_one_lags():
    # the bureau's director acts on the centre that lags; "电子建档率以青山镇中心卫生院最高
    # （92.63%），其余在87.62%—90.63%之间" beside it asked nothing of anyone (read 2026-12-07)
    lead = Spread("各乡镇卫生院", "leader", "电子建档率", ("以青山镇中心卫生院最高",), "青山镇中心卫生院", fig("92.63%"), end="最高")  # fmt: skip
    lag = replace(
        laggard("高血压规范管理率", "白沙乡卫生院", "64.90%", "3.7个百分点"), who="各乡镇卫生院"
    )
    (text,) = spread_sentences([lag, lead])
    assert "青山镇" not in plain(text) and "白沙乡卫生院" in plain(text)
    assert spread_sentences([lead]) == []


def test_a_centre_lowest_on_four_rates_is_one_clause_for_the_bureau():
    # the bureau's 2025 read: "石坪乡卫生院电子建档率、老年人健康管理率、…分别为84.88%、64.22%、…
    # 均为最低，分别低于全区水平5.58、4.89、…个百分点" (8 figures). Now one clause: the names with
    # the shared ending 规范管理率 once, the range of gaps (smallest 4.89, largest 5.67), and
    # what the bureau does about it
    def stated(name, value, gap):
        text = ("石坪乡卫生院最低（", fig(value), "），低于全区水平", fig(gap))
        return Spread("各乡镇卫生院", "laggard", name, text, "石坪乡卫生院", fig(value), fig(gap), "最低", "全区", None)  # fmt: skip

    lag = [
        stated("电子建档率", "84.88%", "5.58个百分点"),
        stated("老年人健康管理率", "64.22%", "4.89个百分点"),
        stated("高血压规范管理率", "64.90%", "5.66个百分点"),
        stated("糖尿病规范管理率", "62.89%", "5.67个百分点"),
    ]
    (text,) = spread_sentences(lag)
    assert plain(text) == (
        "从各乡镇卫生院看，石坪乡卫生院电子建档率、老年人健康管理率、高血压和糖尿病规范管理率"
        "均为最低，低于全区水平4.89—5.67个百分点，需重点督导。"
    )
    assert [f.text for f in text if isinstance(f, Figure)] == ["4.89", "5.67个百分点"]


def test_one_laggard_keeps_its_rate_and_gap():
    lag = [laggard("电子建档率", "石坪乡卫生院", "84.88%", "5.58个百分点", "90.46%")]
    assert plain(spread_sentences(lag)[0]) == (
        "从各科室看，电子建档率石坪乡卫生院最低（84.88%），低于全院水平（90.46%）5.58个百分点。"
    )
