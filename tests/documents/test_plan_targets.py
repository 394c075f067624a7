"""Next year's targets from this year's result and a stated basis (plan_targets.aim and the
volume's growth), never less ambitious than the result; and the deadline of a live safety
signal."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from weijian.documents.next_steps import urgent_deadline
from weijian.documents.plan_targets import (
    aim,
    average_growth,
    projected_goal,
    round_target,
    target_grid,
    target_places,
)


def test_a_volume_goal_starts_from_the_year_projected_from_its_months():
    # 481 500 人次 in 11 months: 481 500 × 12 ÷ 11 = 525 272.7 for the year; with the years'
    # average growth of 2.6 %: the projection as printed, 52.53万, × 1.026 = 538 957.8, rounded
    # half up to three significant figures → 539 000 (53.9万)
    projected, goal = projected_goal(Decimal(481500), 11, Decimal("0.026"))
    assert projected.quantize(Decimal("0.1")) == Decimal("525272.7")
    assert goal == Decimal(539000)
    # a small count: 500 in 10 months → 600 for the year, × 1.05 = 630 (whole 人次)
    assert projected_goal(Decimal(500), 10, Decimal("0.05")) == (Decimal(600), Decimal(630))
    # no growth known, or a fall: never below the projection (600 → 600)
    assert projected_goal(Decimal(500), 10, None)[1] == Decimal(600)
    assert projected_goal(Decimal(500), 10, Decimal("-0.1"))[1] == Decimal(600)
    # three significant figures at every size, half up: 1 150 000 × 1.034 = 1 189 100 →
    # 1 190 000 (119万); 5.25万 (52 480 printed) × 1.041 = 54 652.5 → 54 700 (5.47万); 5.45万 ×
    # 1.041 = 56 734.5 → 56 700 (5.67万: half up, not 5.68万 as rounding up gave)
    assert projected_goal(Decimal(1150000), 12, Decimal("0.034"))[1] == Decimal(1190000)
    assert projected_goal(Decimal(52480), 12, Decimal("0.041"))[1] == Decimal(54700)
    assert projected_goal(Decimal(54540), 12, Decimal("0.041"))[1] == Decimal(56700)
    # the reader's arithmetic on printed figures: 5.00万 in 11 months (50 040 人次) is
    # 5.00 × 12 ÷ 11 = 5.45万 printed; × 1.041 = 5.673… → 5.67万 (read 2026-12-07 23:40: the
    # exact count gave 5.46万 and "5.68，取整为5.69")
    projected, goal = projected_goal(Decimal(50000), 11, Decimal("0.041"))
    assert goal == Decimal(56700)


D = Decimal


def test_a_rate_short_of_its_set_target_or_the_standard_aims_at_the_more_demanding():
    # hand hygiene 83.23 % against a target of 85 %: the target (not 83.23 rounded up to 84)
    found = aim(D("83.23"), "up", target=D(85), history=[D(80), D(82), D("83.23")])
    assert (found.value, found.basis) == (D(85), "target")
    # DDDs 42 over the national ≤ 40 and a set 41: the standard, 40 (the more demanding)
    found = aim(D(42), "down", target=D(41), standard=D(40))
    assert (found.value, found.basis) == (D(40), "standard")
    # judged as printed: 1.2049 % prints 1.20 %, the 1.20 % target is reached, not missed
    assert aim(D("1.2049"), "down", target=D("1.20")).basis != "target"


def test_a_rate_that_fell_back_aims_at_last_years_level():
    # the Ⅰ类切口 rate 1.56 % after 0.46 % last year (the target 2 % is met): back to 0.46 %
    found = aim(D("1.56"), "down", target=D(2), last_year=D("0.46"))
    assert (found.value, found.basis) == (D("0.46"), "recover")
    # last year's level as printed: 1.1951 % printed 1.20 %, no fall-back from 1.20 %
    assert aim(D("1.2049"), "down", last_year=D("1.1951")).basis == "hold"


def test_a_met_rate_moves_on_by_the_average_step_of_the_years_before_to_a_round_figure():
    # 89.19 → 90.99 → 93.12 (two yearly steps): (93.12 − 89.19) ÷ 2 = 1.965 → 2.0 points as
    # printed (one decimal from 10 on); 93.12 + 2.0 = 95.12, a step of a point or more → the
    # nearest whole point, 95 (read 2026-12-07 20:35: a director writes "95%", not "95.1%")
    found = aim(D("93.12"), "up", target=D(90), history=[None, D("89.19"), D("90.99"), D("93.12")])
    assert (found.value, found.basis, found.step, found.years) == (D(95), "step", D("2.0"), 2)
    assert found.raw == D("95.12")  # the arithmetic the table shows
    # DDDs 35.6 → 34.3 → 33.0: (33.0 − 35.6) ÷ 2 = −1.3; 33.00 − 1.3 = 31.70 → 32 (nearest
    # whole point, still below the 33.00 reached)
    found = aim(D(33), "down", target=D(40), history=[D("35.6"), D("34.3"), D(33)])
    assert (found.value, found.step, found.raw) == (D(32), D("1.3"), D("31.70"))
    # under 10 the step keeps the figure's places and the grid is a tenth: 1.38 → 1.29 → 1.20,
    # (1.20 − 1.38) ÷ 2 = −0.09; 1.20 − 0.09 = 1.11 → 1.1
    found = aim(D("1.20"), "down", history=[D("1.38"), D("1.29"), D("1.20")])
    assert (found.value, found.step) == (D("1.1"), D("0.09"))
    # a share never aims past 100 %: 99.2 → 99.6 → 99.9, step 0.35 → 0.4 (half up);
    # 99.9 + 0.4 = 100.3 → half points → 100.5, capped at 100
    assert aim(D("99.9"), "up", history=[D("99.2"), D("99.6"), D("99.9")], unit="%").value == 100


@pytest.mark.parametrize(
    ("raw", "shown", "up", "step", "expected"),
    [
        # the readers' case: 75.89 + 1.4 = 77.29, a step of a point or more → whole points → 77
        (D("77.29"), D("75.89"), True, D("1.4"), D(77)),
        # 86.79 + 3.6 = 90.39 → 90
        (D("90.39"), D("86.79"), True, D("3.6"), D(90)),
        # a tie goes away from the result: 74.50 → 75 up, 31.50 → 31 down
        (D("74.50"), D("73.10"), True, D("1.4"), D(75)),
        (D("31.50"), D("33.00"), False, D("1.5"), D(31)),
        # a step under a point → half points: 86.79 + 0.4 = 87.19 → 87.0 (beyond 86.79)
        (D("87.19"), D("86.79"), True, D("0.4"), D(87)),
        # the nearest point is not beyond the result: 87.01 + 0.2 = 87.21 → 87.0 ≤ 87.01 → the
        # first half point beyond it, 87.5 (never below the result + the step's sign)
        (D("87.21"), D("87.01"), True, D("0.2"), D("87.5")),
        # the same downwards: 33.00 − 0.2 = 32.80 → 33.0 ≥ 33.00 → 32.5
        (D("32.80"), D("33.00"), False, D("0.2"), D("32.5")),
        # tenths from 1 to 10: 1.20 − 0.09 = 1.11 → 1.1; 1.15 − 0.04 = 1.11 → 1.1
        (D("1.11"), D("1.20"), False, D("0.09"), D("1.1")),
        # hundredths below 1: 0.46 − 0.03 = 0.43
        (D("0.43"), D("0.46"), False, D("0.03"), D("0.43")),
    ],
)
def test_a_computed_target_rounds_to_a_round_figure_beyond_the_result(
    raw, shown, up, step, expected
):
    assert round_target(raw, shown, up, target_grid(shown, step)) == expected


def test_a_share_at_its_cap_has_no_round_target_beyond_it():
    # 100 % reached: nothing beyond under the cap → None (the result is held)
    assert round_target(D("100.4"), D(100), True, D("0.5"), cap=D(100)) is None
    # 99.9 + 0.4 = 100.3 → 100.5, capped at 100 (still beyond 99.9)
    assert round_target(D("100.3"), D("99.9"), True, D("0.5"), cap=D(100)) == D(100)


def test_a_round_target_prints_without_trailing_places():
    # 77 → "77%", 87.5 → one place, 1.1 → one, 0.43 → two
    assert [target_places(v, 2) for v in (D(77), D("87.5"), D("1.1"), D("0.43"))] == [0, 1, 1, 2]


def test_a_met_rate_with_no_improving_years_is_held_not_raised_by_rounding():
    # 86.79 % with the years flat or worse (88 → 87 → 86.79): held at 86.79, never "87" for
    # rounding's sake (read 2026-12-07 17:00: "this year's result rounded up")
    found = aim(D("86.79"), "up", target=D(85), history=[D(88), D(87), D("86.79")])
    assert (found.value, found.basis) == (D("86.79"), "hold")
    # one year only is no trend
    assert aim(D("86.79"), "up", history=[D(80), D("86.79")]).basis == "hold"


@pytest.mark.parametrize(
    ("values", "growth", "years"),
    [
        # 100 → 110 → 121: +10 %, +10 % → 10 % over two years
        ([None, D(100), D(110), D(121)], D("0.10"), 2),
        # 100 → 110 → 99 → 108.9: +10 %, −10 %, +10 % → 3.33 % over three
        ([D(100), D(110), D(99), D("108.9")], D("0.1") / 3, 3),
        ([None, None, D(100), D(110)], None, 0),  # one year: no average
    ],
)
def test_a_volume_grows_by_the_average_growth_of_the_last_two_or_three_years(values, growth, years):
    found, count = average_growth(values)
    assert count == years
    assert found == growth if growth is None else abs(found - growth) < D("0.0000001")


@pytest.mark.parametrize(
    ("day", "plan_year", "expected"),
    [
        (dt.date(2026, 12, 8), 2027, "2027年1月底前"),  # the plan written in December
        (dt.date(2026, 7, 10), None, "2026年8月底前"),  # the half-year summary's next steps
        (dt.date(2026, 10, 20), 2027, "2027年1月底前"),  # a plan is not due before its year
    ],
)
def test_a_live_safety_signal_is_due_by_the_end_of_the_next_month(day, plan_year, expected):
    assert urgent_deadline(day, plan_year) == expected


def test_a_row_of_figures_in_wan_says_wan_once_in_its_label():
    # read 2026-12-07: "门急诊人次（人次） | 5万 | 5.69万" — the unit said 人次, the cells 万
    from weijian.documents.narrative import Figure
    from weijian.documents.tables import in_wan

    cells = [(Figure("48.15万", D(481500), {}),), (Figure("53.91万", D(539100), {}),)]
    label, bare = in_wan("门急诊人次（人次）", cells)
    assert label == "门急诊人次（万人次）"
    assert [c[0].text for c in bare] == ["48.15", "53.91"]
    assert [c[0].value for c in bare] == [D(481500), D(539100)]  # the values stay exact
    # one figure below 万 (9 800): the row keeps its unit and its figures as printed
    mixed = [(Figure("9800", D(9800), {}),), (Figure("1.02万", D(10200), {}),)]
    assert in_wan("门急诊人次（人次）", mixed) == ("门急诊人次（人次）", mixed)
    # no figure at all ("—"): nothing to say
    assert in_wan("门急诊人次（人次）", [("—",)]) == ("门急诊人次（人次）", [("—",)])


# -- the whole coming year's health days (read 2026-12-07 20:35: "the list stops at May"; since
# 2026-12-08 a plan counts them in one sentence: test_plan_structure.py) -----------------------


def test_a_hospitals_year_of_health_days_runs_through_the_whole_year():
    from weijian.documents.health_days import unit_health_days
    from weijian.orgs.models import OrgUnitType

    said = [day["name"] for day in unit_health_days(OrgUnitType.HOSPITAL)]
    # days after May are counted: 10月8日, 11月14日 and 12月1日
    assert "全国高血压日" in said and "世界艾滋病日" in said and "联合国糖尿病日" in said
    # a hospital's topics, not a township's: no 全国预防接种日 or 世界母乳喂养周
    assert "全国预防接种日" not in said and "世界母乳喂养周" not in said
    assert "国际护士节" not in said and "安全生产月" not in said  # no health-education days


def test_a_townships_year_of_health_days_is_its_own_topics():
    from weijian.documents.health_days import HEALTH_DAYS, unit_health_days, year_health_days
    from weijian.orgs.models import OrgUnitType

    said = [day["name"] for day in unit_health_days(OrgUnitType.TOWNSHIP)]
    assert "全国预防接种日" in said and "世界母乳喂养周" in said and "全国高血压日" in said
    assert "全国爱眼日" not in said and "世界献血者日" not in said  # hospital topics
    assert unit_health_days(OrgUnitType.COMMUNITY) == unit_health_days(OrgUnitType.TOWNSHIP)
    # the bureau organises every day; a department marks none of its own
    assert unit_health_days(OrgUnitType.BUREAU) == HEALTH_DAYS
    assert year_health_days(OrgUnitType.DEPARTMENT) == ()
    # the calendar is well formed: a month each, no day twice, every day for some kind of unit
    names = [day["name"] for day in HEALTH_DAYS]
    assert len(names) == len(set(names)) and all(1 <= day["month"] <= 12 for day in HEALTH_DAYS)
    assert all(set(day["for"]) <= {"hospital", "mch", "primary", "cdc"} and day["for"] for day in HEALTH_DAYS)  # fmt: skip


# -- measures from the problem's cause (read 2026-12-07 20:35: "each task says HOW") ------------


@pytest.mark.parametrize(
    ("problem", "kind", "focus"),
    [
        # the sub-unit that carries a rise (explanations.explain's words)
        (
            "Ⅰ类切口感染率为1.19%，同比上升0.7个百分点（Ⅰ类切口手术部位感染病例由上年同期的11例增至27例，其中外科由2例增至13例）",
            "surge",
            "以外科为重点，",
        ),  # fmt: skip
        # checklist items lost again (explanations.repeated_findings_cause)
        (
            "1—11月督导检查中有8次得分低于考评表合格线，其中“急救技能”在4次检查中均被扣分",
            "inspection",
            "针对“急救技能”等反复失分项开展专项培训，",
        ),  # fmt: skip
        (
            "有3次得分低于合格线，其中“病历书写”“交接班”分别在3次、2次检查中被扣分",
            "inspection",
            "针对“病历书写”“交接班”等反复失分项开展专项培训，",
        ),  # fmt: skip
        # the survey items scored lowest (explanations.survey_items_cause)
        (
            "职工满意度为64.3%，低于80%的要求，问卷中“绩效分配的公平性”“工作环境和条件”两项满意率最低（分别为58.1%、60.3%）",
            "staff",
            "针对问卷中“绩效分配的公平性”“工作环境和条件”等满意率最低的方面逐项整改，",
        ),  # fmt: skip
        # a cost's part (explanations.component_cause)
        (
            "门诊次均费用296.45元，同比增长3.6%，主要是非药品费用上升（次均药品费用由105.29元增至106.62元）",
            "rising",
            "以检查、检验和卫生材料等非药品费用为重点，",
        ),  # fmt: skip
        (
            "住院次均费用，同比增长5.1%，主要是次均药品费用由1764.78元增至1955.59元所致",
            "rising",
            "以药品费用为重点，加强处方点评，",
        ),  # fmt: skip
        # a safety signal's months, but not a volume's (its months are no case review)
        (
            "住院患者跌倒由11例增至19例，主要集中在5—6月",
            "safety",
            "以5—6月集中发生的病例为重点，",
        ),  # fmt: skip
        ("门急诊人次同比下降3.1%，减少主要集中在5—6月", "declining", ""),
        # no cause known: no focus (the measure stays as it was)
        ("门诊患者满意度为86.2%，同比下降3.3个百分点", "declining", ""),
    ],
)
def test_a_problems_cause_gives_its_measure_a_focus(problem, kind, focus):
    from weijian.documents.tasks import cause_focus

    assert cause_focus(problem, kind) == focus


def test_with_no_cause_known_a_topic_measure_replaces_the_generic_words_once():
    # "深入查找原因，采取针对性措施" says no HOW (read 2026-12-07 20:35); the topic's measure
    # (plan_measures.yaml) replaces it, and a measure is used once in a document
    from weijian.documents.next_steps import MEASURES
    from weijian.documents.plan_measures import TOPIC_MEASURES, topic_how, with_how

    declining = (MEASURES["declining"].format(name="产后访视率"),)
    how = topic_how(["PHS_POSTPARTUM_VISIT_RATE"], set())
    assert how.startswith("落实产妇出院信息")
    said = with_how(declining, how)[0]
    assert said == f"针对产后访视率下降的情况，{how}，按季度跟踪进展，力争扭转下滑势头。"
    # used already: none for the same topic again (the generic words stay)
    assert topic_how(["PHS_POSTPARTUM_VISIT_RATE"], {how}) == ""
    # the norm measure ("严格按照服务规范要求开展…") gives way, its object moving to the check
    norm = (MEASURES["norm"].format(name="健康讲座"),)
    he = topic_how(["PHS_HE_LECTURES"], set())
    assert with_how(norm, he)[0] == f"{he}，逐月检查健康讲座落实情况，确保达到规范要求。"
    # no topic measure for a code the yaml does not know
    assert topic_how(["LG_COMPLAINTS"], set()) == ""
    # every measure names an action without figures (a number in it would have no source)
    assert all(not re.search(r"[0-9]", e["how"]) for e in TOPIC_MEASURES["measures"])
