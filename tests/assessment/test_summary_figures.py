"""A locked run's figures reach the 工作总结: a summary template names ASSESS_DEPT_SCORE and
ASSESS_DEPT_RANK (ASSESS_SCORE / ASSESS_RANK for institutions) in a figures section, and the
composer reads them through the engine like any other published figure."""

import datetime as dt

from weijian.assessment.actions import runs
from weijian.assessment.models import Stage
from weijian.documents import timeframe
from weijian.documents.compose import compose
from weijian.documents.model import plain_text

from .test_runs import data, score_all, start, to  # noqa: F401  (the workflow's fixtures)

SPEC = {
    "code": "T_DEPT",
    "name": "科室总结",
    "title": "{unit}{period}工作总结",
    "we": "我科",
    "opening": [{"text": "现将工作总结如下："}],
    "sections": [
        {
            "title": "目标考核",
            "kind": "figures",
            "lead": "{span}，{we}",
            "compare": False,
            "sep": "，",
            "items": [
                {"dx": "ASSESS_DEPT_SCORE", "label": "在科室月度考核中平均得分", "direction": "up"},
                {"dx": "ASSESS_DEPT_RANK", "label": "平均名次为第", "direction": "down"},
            ],
        }
    ],
}


def test_a_summary_reads_the_locked_runs_figures(data):  # noqa: F811  (the fixture)
    run = to(data, start(data), Stage.INITIAL)
    score_all(data, run)
    run = to(data, run, Stage.PUBLICITY)
    runs.advance(data.hank, run, Stage.PUBLICITY, today=dt.date(2026, 5, 1))
    # 内科 16 + 40 + 40 + 5 = 101, first; 外科 10 + 40 + 20 + 5 = 75, second. Only March has a
    # locked run, so the sentence says 3月份, not 上半年 (coverage before claims, issue 11)
    assert said(data.world.medicine, "2026S1") == (
        "3月份，我科在科室月度考核中平均得分为101分，平均名次为第1名。"
    )
    assert said(data.world.surgery, "2026S1") == (
        "3月份，我科在科室月度考核中平均得分为75分，平均名次为第2名。"
    )
    # no locked run in the half-year: the section is left out, no “0分”
    assert said(data.world.medicine, "2025S2") is None


def said(unit, period):
    document = compose(unit, timeframe.parse(period), SPEC, dt.date(2026, 7, 10))
    text = plain_text(document)
    return next((line for line in text.splitlines() if "考核" in line and "得分" in line), None)


def test_the_shipped_department_template_prints_the_locked_runs_figures(data):  # noqa: F811
    from weijian.documents import specs

    run = to(data, start(data), Stage.INITIAL)
    score_all(data, run)
    run = to(data, run, Stage.PUBLICITY)
    runs.advance(data.hank, run, Stage.PUBLICITY, today=dt.date(2026, 5, 1))
    spec = specs.builtin_specs()["DEPARTMENT"]
    document = compose(data.world.medicine, timeframe.parse("2026S1"), spec, dt.date(2026, 7, 10))
    lines = plain_text(document).splitlines()
    # 内科 16 + 40 + 40 + 5 = 101, first of two (as above); only March is locked: 3月份
    assert "3月份，我科在科室综合目标考核中平均得分为101分，平均名次为第1名。" in lines
    assert "一、科室综合目标考核" in lines  # the section's heading (nothing else in this world)


def test_the_hospital_year_prints_the_bureaus_annual_assessment(world):
    """What a locked run of the bureau's annual scheme publishes (assessment/figures.py), read
    by the shipped hospital template; a year without it leaves the section out."""
    from decimal import Decimal

    from weijian.assessment import figures
    from weijian.assessment.models import FigureCodes
    from weijian.documents import specs
    from weijian.reporting.actions import ensure_system_elements, publish_system_values

    ensure_system_elements(figures.elements(FigureCodes.INSTITUTION))
    scores = {"ASSESS_SCORE": Decimal("92.5"), "ASSESS_RANK": 2, "ASSESS_RANK_SIZE": 5}
    publish_system_values(figures.SOURCE, world.hospital, "2025", scores)
    spec = specs.builtin_specs()["HOSPITAL_ANNUAL"]

    def lines(year):
        document = compose(world.hospital, timeframe.parse(year), spec, dt.date(2026, 1, 10))
        return [line for line in plain_text(document).splitlines() if "目标管理考核中" in line]

    # the year's figure covers the whole year: 全年; scores print with two decimals
    assert lines("2025") == ["全年，我院在全区医疗卫生机构目标管理考核中得分为92.50分，位列第2名。"]
    assert lines("2024") == []
