"""Causes kept as data on each problem (Problem.cause: the plan's task aims at it without
reading it back out of the words), said once as an office writes it, and targets missed within
their noise left out of the numbered problems (issue 11, director reads of 2026-12-07 23:30).

The small world of tests/world.py (内科 MED and 外科 SUR under 人民医院 HOS) for each rule, the
demo for one judgement per cause kind (deaths, infections, costs, inspections, satisfaction)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal as D

import pytest
from django.contrib.contenttypes.models import ContentType

from weijian.demo.load import load_demo, reset_all_data
from weijian.documents import actions, ranking
from weijian.documents.context import Problem
from weijian.documents.narrative import Figure, plain
from weijian.documents.problems import paragraph_text
from weijian.indicators.models import Direction, Indicator, IndicatorType, Target
from weijian.orgs.models import OrgUnit

from .test_compose import SPEC, put, section, summary, text_of


@pytest.fixture
def judged(monkeypatch):
    """The Contexts of the compositions run in the test, to read their problems."""
    seen = []
    original = ranking.all_problems

    def capture(ctx):
        seen.append(ctx)
        return original(ctx)

    monkeypatch.setattr(ranking, "all_problems", capture)
    return seen


def _spec(*codes, indicators=()):
    sections = [{"title": "医疗质量", "kind": "indicators", "items": [{"dx": c} for c in indicators]}]  # fmt: skip
    return {
        **SPEC,
        "judge": list(codes),
        "sections": [
            *(sections if indicators else []),
            {"title": "存在的问题", "kind": "problems", "none": "暂无。"},
        ],
    }


def _discharges_indicator():
    return Indicator.objects.create(
        code="T_DIS", name="出院人次（指标）", numerator="#{DIS}", type=IndicatorType.NUMBER,
        decimals=0, unit="人次", direction=Direction.HIGHER_BETTER,
    )  # fmt: skip


def _problem(judged, dx):
    return next(p for ctx in judged for p in ctx.problems if p.dx == dx)


# -- the cause as data ------------------------------------------------------------------------


def test_the_department_carrying_a_fall_is_the_problems_cause(world, judged):
    # 内科 600 → 600, 外科 600 → 420 (100 → 70 a month): all 180 of the fall is 外科's
    # (share 180/180 = 1 ≥ 0.6). The cause is data (kind, label, counts) and said once, with
    # no second "由…降至…" after the total's
    for month in range(1, 7):
        put(world.discharges, world.medicine, f"2025{month:02d}", 100)
        put(world.discharges, world.medicine, f"2026{month:02d}", 100)
        put(world.discharges, world.surgery, f"2025{month:02d}", 100)
        put(world.discharges, world.surgery, f"2026{month:02d}", 70)
    _discharges_indicator()
    problems = text_of(section(summary(world, _spec("T_DIS")), "存在的问题"))
    cause = _problem(judged, "T_DIS").cause
    assert (cause.kind, cause.label) == ("unit", "外科")
    assert (cause.change.before, cause.change.now) == (600, 420)
    assert "减少主要集中在外科（420人次，上年同期600人次）" in problems, problems


def test_the_months_carrying_a_fall_are_the_problems_cause(world, judged):
    # both departments 100 a month, 60 in May and June 2026: the 160 fall is split 80/80
    # (share 0.5 < 0.6: no department) and all in May–June (share 1)
    for month in range(1, 7):
        for unit in (world.medicine, world.surgery):
            put(world.discharges, unit, f"2025{month:02d}", 100)
            put(world.discharges, unit, f"2026{month:02d}", 60 if month in (5, 6) else 100)
    _discharges_indicator()
    summary(world, _spec("T_DIS"))
    cause = _problem(judged, "T_DIS").cause
    assert (cause.kind, cause.first, cause.last) == ("months", 5, 6)


def test_a_fall_spread_evenly_has_no_cause(world, judged):
    # each department 100 → 90 every month: 1200 → 1080, half the fall in each, no month
    # carrying more than 1/6: no cause is invented
    for month in range(1, 7):
        for unit in (world.medicine, world.surgery):
            put(world.discharges, unit, f"2025{month:02d}", 100)
            put(world.discharges, unit, f"2026{month:02d}", 90)
    _discharges_indicator()
    problems = text_of(section(summary(world, _spec("T_DIS")), "存在的问题"))
    assert _problem(judged, "T_DIS").cause is None
    assert "主要" not in problems, problems


# -- near misses ------------------------------------------------------------------------------


def _infection_rate(world, cases_2026: int, cap: str):
    """An infection rate (visits ÷ discharges as the world has them) of cases_2026 per 10 000
    discharges in 2026S1 (131 in 2025S1), against a 2026 cap of `cap` %."""
    for month in range(1, 7):
        for unit in (world.medicine, world.surgery):
            put(world.discharges, unit, f"2025{month:02d}", 1000 if month < 6 else 0)
            put(world.discharges, unit, f"2026{month:02d}", 1000 if month < 6 else 0)
        put(world.visits, world.medicine, f"2025{month:02d}", 131 if month == 1 else 0)
        put(world.visits, world.medicine, f"2026{month:02d}", cases_2026 if month == 1 else 0)
    rate = Indicator.objects.create(
        code="T_HAI", name="医院感染发病率", numerator="#{OPD}", denominator="#{DIS}",
        type=IndicatorType.PERCENT, decimals=2, unit="%", direction=Direction.LOWER_BETTER,
    )  # fmt: skip
    Target.objects.create(indicator=rate, org_unit=world.hospital, period="2026", value=D(cap))


def test_a_target_missed_within_its_noise_is_stated_in_its_section_not_numbered(world, judged):
    # 121 cases on 10 000 discharges = 1.21 % against a 1.20 % cap: 0.01 point, under five
    # printed steps (0.05): the section says it against its target, 存在的问题 does not
    _infection_rate(world, 121, "1.20")
    document = summary(world, _spec("T_HAI", indicators=["T_HAI"]))
    assert "超出1.20%的控制目标0.01个百分点" in text_of(section(document, "医疗质量"))
    assert "医院感染发病率" not in text_of(section(document, "存在的问题"))
    assert [p.dx for p in ranking.near_misses(judged[0])] == ["T_HAI"]


def test_a_target_missed_by_more_than_its_noise_is_a_numbered_problem(world):
    # 130 cases: 1.30 % against 1.20 %, 0.10 point ≥ 0.05 and 8.3 % of the cap (≥ 2 % even
    # though it improved on 1.31 %): a problem
    _infection_rate(world, 130, "1.20")
    problems = text_of(section(summary(world, _spec("T_HAI", indicators=["T_HAI"])), "存在的问题"))
    assert "医院感染发病率为1.30%，超出1.20%的控制目标0.10个百分点" in problems, problems


# -- costs said once --------------------------------------------------------------------------


def _cost(name, now, rise, drug_before, drug_now, word="上升"):
    from weijian.documents.causes import Cause, Change

    fig = lambda text: Figure(text, D(text.rstrip("元%")), {})  # noqa: E731
    text = (
        f"{name}", fig(now), "，同比增长", fig(rise),
        f"，主要是非药品费用{word}（次均药品费用由", fig(drug_before),
        "降至" if D(drug_now.rstrip("元")) < D(drug_before.rstrip("元")) else "增至", fig(drug_now), "）",
    )  # fmt: skip
    change = Change(D(drug_now.rstrip("元")), D(drug_before.rstrip("元")))
    return Problem("trend", name, name, text, D(1), "down", cause=Cause("component", D(1), label="非药品费用", change=change))  # fmt: skip


def test_two_costs_carried_by_the_non_drug_part_say_it_once():
    # the 2026S1 read: "主要是非药品费用上升" twice in one paragraph
    inpatient = _cost("住院次均费用", "8031.18元", "3.4%", "1785.03元", "1778.80元")
    outpatient = _cost("门诊次均费用", "295.60元", "2.7%", "106.42元", "106.86元")
    said = plain(paragraph_text("五是", "医疗费用控制压力较大", [inpatient, outpatient]))
    assert said == (
        "五是医疗费用控制压力较大。住院次均费用8031.18元，同比增长3.4%；门诊次均费用295.60元，"
        "同比增长2.7%，两项费用的上升均主要来自非药品费用（次均药品费用分别由1785.03元降至"
        "1778.80元、由106.42元增至106.86元）。"
    )
    assert said.count("非药品费用") == 1


def test_costs_whose_non_drug_part_moved_apart_keep_their_own_words():
    up = _cost("住院次均费用", "8031.18元", "3.4%", "1785.03元", "1778.80元")
    down = _cost("门诊次均费用", "295.60元", "2.7%", "106.42元", "106.86元", word="下降")
    said = plain(paragraph_text("五是", "医疗费用控制压力较大", [up, down]))
    assert said.count("非药品费用") == 2 and "两项" not in said


# -- checker rules ----------------------------------------------------------------------------


def test_checker_flags_a_department_drilldown_after_the_totals_own_counts():
    from weijian.documents.checker import check
    from weijian.documents.model import Paragraph, Section

    from .test_checker import doc

    twice = Section("存在的问题", [Paragraph((
        "Ⅰ类切口感染率为1.56%（切口感染病例由上年同期的5例增至19例，其中外科由0例增至11例）。",
    ))])  # fmt: skip
    assert [f.rule for f in check(doc(twice))] == ["drilldown-twice"]
    once = Section("存在的问题", [Paragraph((
        "Ⅰ类切口感染率为1.56%（切口感染病例由上年同期的5例增至19例），新增病例主要集中在外科"
        "（11例，上年同期无）。",
    ))])  # fmt: skip
    assert check(doc(once)) == []


def test_checker_flags_a_numbered_near_miss_but_not_a_missed_contract():
    from weijian.documents.checker import check
    from weijian.documents.model import Paragraph, Section

    from .test_checker import doc

    near = Section("存在的问题", [Paragraph(("医院感染发病率为1.21%，超出1.20%的控制目标0.01个百分点。",))])  # fmt: skip
    assert [f.rule for f in check(doc(near))] == ["near-miss-problem"]
    # 0.10 point at two decimals: 10 steps, not noise
    far = Section("存在的问题", [Paragraph(("医院感染发病率为1.30%，超出1.20%的控制目标0.10个百分点。",))])  # fmt: skip
    assert check(doc(far)) == []
    contract = Section("存在的问题", [Paragraph((
        "医院感染发病率为1.21%，未完成《2026年度医疗质量安全目标责任书》确定的控制目标（≤1.20%），差0.01个百分点。",
    ))])  # fmt: skip
    assert check(doc(contract)) == []


def test_the_department_carrying_the_cases_has_its_own_volume_beside_them(world, judged):
    # cases 6 → 15 (3 a year in 内科 both years; 外科 3 → 12 carries 9 of the 9 more); 外科's
    # discharges 300 → 360 (50 → 60 a month, +20 %), 内科's 300 → 300: the reader sees whether
    # the cases rose with the department's volume (case mix) or within it
    for month in range(1, 7):
        put(world.discharges, world.medicine, f"2025{month:02d}", 50)
        put(world.discharges, world.medicine, f"2026{month:02d}", 50)
        put(world.discharges, world.surgery, f"2025{month:02d}", 50)
        put(world.discharges, world.surgery, f"2026{month:02d}", 60)
        put(world.visits, world.medicine, f"2025{month:02d}", 3 if month == 3 else 0)
        put(world.visits, world.medicine, f"2026{month:02d}", 3 if month == 3 else 0)
        put(world.visits, world.surgery, f"2025{month:02d}", 3 if month == 3 else 0)
        put(world.visits, world.surgery, f"2026{month:02d}", 12 if month == 3 else 0)
    Indicator.objects.create(
        code="T_SSI", name="切口感染率", numerator="#{OPD}", denominator="#{DIS}",
        type=IndicatorType.PERCENT, decimals=2, unit="%", direction=Direction.LOWER_BETTER,
    )  # fmt: skip
    problems = text_of(section(summary(world, _spec("T_SSI", indicators=["T_SSI"])), "存在的问题"))
    # and what the two say together: cases +300 % (3 → 12) against discharges +20 % — at least
    # twice as fast, so not case mix
    assert re.search(r"增加主要集中在外科（12人次，上年同期3人次），同期外科出院人次增长20(\.0)?%，增幅明显高于业务量增幅", problems), problems  # fmt: skip
    cause = _problem(judged, "T_SSI").cause
    assert (cause.kind, cause.label, cause.change.before, cause.change.now) == (
        "unit",
        "外科",
        3,
        12,
    )


def test_a_count_behind_its_target_names_the_department_the_shortfall_is_in(world, judged):
    # a 2026 target of 3000: by June (181 of 365 days) the schedule is 3000 × 181/365 = 1487.7,
    # 1.2398 × last year's 1200. 内科 600 → 700 (held to 743.9: 43.9 short), 外科 600 → 560
    # (held to 743.9: 183.9 short): 183.9 of the 227.7 shortfall is 外科's (81 % ≥ 60 %),
    # although the hospital rose (1200 → 1260) and no department fell much
    for month in range(1, 7):
        put(world.discharges, world.medicine, f"2025{month:02d}", 100)
        put(world.discharges, world.medicine, f"2026{month:02d}", 700 // 6 + (1 if month <= 700 % 6 else 0))  # fmt: skip
        put(world.discharges, world.surgery, f"2025{month:02d}", 100)
        put(world.discharges, world.surgery, f"2026{month:02d}", 560 // 6 + (1 if month <= 560 % 6 else 0))  # fmt: skip
    volume = _discharges_indicator()
    Target.objects.create(indicator=volume, org_unit=world.hospital, period="2026", value=3000)
    problems = text_of(section(summary(world, _spec("T_DIS")), "存在的问题"))
    assert "进度滞后，差距主要在外科（560人次，上年同期600人次）" in problems, problems
    cause = _problem(judged, "T_DIS").cause
    assert (cause.kind, cause.label) == ("unit", "外科")


def test_a_shortfall_spread_over_departments_names_none(world):
    # both departments 600 → 630: each carries half the shortfall (50 % < 60 %)
    for month in range(1, 7):
        for unit in (world.medicine, world.surgery):
            put(world.discharges, unit, f"2025{month:02d}", 100)
            put(world.discharges, unit, f"2026{month:02d}", 105)
    volume = _discharges_indicator()
    Target.objects.create(indicator=volume, org_unit=world.hospital, period="2026", value=3000)
    problems = text_of(section(summary(world, _spec("T_DIS")), "存在的问题"))
    assert "进度" in problems and "差距主要在" not in problems, problems


# -- one judgement per cause kind on the demo (last in the module: its module-scoped demo stays
# loaded until the module ends, and the small world's fixtures would collide with it) --------

TODAY = dt.date(2026, 12, 8)  # the demo the 2026-12-07 23:30 reads were made on, a day later


@pytest.fixture(scope="module")
def demo_district(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_demo(today=TODAY)
        yield
        reset_all_data()
        ContentType.objects.clear_cache()


def _judged_on_demo(judged, code, period):
    actions.build(OrgUnit.objects.get(code=code), period, None, today=TODAY)
    ctx = judged[-1]
    return ctx, {p.name: p for p in ctx.problems}


def test_each_cause_kind_on_the_demo(demo_district, db, judged):
    ctx, found = _judged_on_demo(judged, "RMYY", "2026S1")
    listed = ranking.all_problems(ctx)
    # deaths 87 → 104: 内科 26 → 37 carries 11 of the 17 more (65 % ≥ 60 %)
    deaths = found["住院患者死亡"].cause
    assert (deaths.kind, deaths.label) == ("unit", "内科")
    assert (deaths.change.before, deaths.change.now) == (26, 37)
    # Ⅰ类切口 infections 5 → 19: 外科 0 → 11 carries 11 of the 14 more (79 %)
    infection = next(p for p in ctx.problems if p.kind == "surge").cause
    assert (infection.kind, infection.label) == ("unit", "外科")
    # both average costs rose with the drugs flat: the rest of the cost carries them
    costs = [p.cause for p in ctx.problems if "次均费用" in p.name]
    assert {(c.kind, c.label) for c in costs} == {("component", "非药品费用")}
    # 医院感染发病率 1.21 % against 1.20 %: a mention in its section, not a numbered problem
    assert [p.name for p in ranking.near_misses(ctx)] == ["医院感染发病率"]
    assert all("医院感染发病率" not in p.name for p in listed)

    ctx, found = _judged_on_demo(judged, "RMYY", "2025")
    # “急救技能” lost points in 4 of the 7 inspections below the pass mark
    failed = next(p for p in ctx.problems if p.kind == "inspection")
    assert (failed.cause.kind, failed.cause.labels) == ("items", ("急救技能",))
    # the 责任书's 医院感染发病率 (1.30 % against 1.20 %) stays a problem
    assert any(p.kind == "target" and "医院感染发病率" in p.name for p in ctx.problems)

    ctx, found = _judged_on_demo(judged, "DEMO", "2025")
    # 石坪乡卫生院 79.8 % on 99 questionnaires, below the 80 % floor: its lowest items
    breach = next(p for p in ctx.problems if p.kind == "threshold")
    assert breach.cause.kind == "survey"
    assert breach.cause.labels == ("医生的问诊和解释", "挂号、缴费、取药的便捷程度")


def test_the_pace_of_cases_beside_volume_is_concluded_only_when_clear():
    from weijian.documents.causes import Change
    from weijian.documents.explanations import pace

    # 3 → 12 cases (+300 %) against +20 % volume: ≥ 2 × → not case mix
    assert pace(Change(D(12), D(3)), D(20)) == "，增幅明显高于业务量增幅"
    # 0 → 3 (from no case) or volume down: the same
    assert pace(Change(D(3), D(0)), D("1.9")) == "，增幅明显高于业务量增幅"
    assert pace(Change(D(5), D(4)), D("-2")) == "，增幅明显高于业务量增幅"
    # 100 → 111 cases (+11 %) against +10 % volume: ≤ 1.25 × → in step
    assert pace(Change(D(111), D(100)), D(10)) == "，与业务量增长基本同步"
    # 100 → 115 (+15 %) against +10 %: 1.5 ×, between the two bounds → nothing said
    assert pace(Change(D(115), D(100)), D(10)) == ""
    # cases that fell, or no cases known: nothing
    assert pace(Change(D(8), D(9)), D(10)) == ""
    assert pace(None, D(10)) == ""
