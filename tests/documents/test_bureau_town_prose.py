"""The bureau's and a township's summaries as their directors read them (issue 11 items 6/7,
the reads of 2026-12-07 23:30, 4/10 each): the bureau's own work before the district's figures,
per-unit comparisons by exception in one clause (not "分别为a、b、c、d，分别低于…e、f、g、h"),
rates in tables rather than strings of "X为a%，比上年提高b个百分点", and the areas the system
keeps no record of in one marked line at the end. The demo (36 months up to October 2026) is
loaded once for the module; the checker's rule is tested on the read's own sentence."""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.contrib.contenttypes.models import ContentType

from weijian import periods
from weijian.demo.load import load_demo, reset_all_data
from weijian.documents import actions
from weijian.documents.checker import check
from weijian.documents.checker.unit_lists import unit_figure_lists
from weijian.documents.model import Paragraph, Section, Table, walk
from weijian.documents.narrative import Figure, plain
from weijian.indicators.analytics import analyse
from weijian.orgs.models import OrgUnit

TODAY = dt.date(2026, 11, 23)
CENT = Decimal("0.01")
# the bureau read's own sentence (j-bureau-2025-summary): four rates and four gaps in a row
DUMP = (
    "各乡镇卫生院之间，石坪乡卫生院电子建档率、老年人健康管理率、高血压规范管理率、糖尿病规范"
    "管理率分别为84.88%、64.22%、64.90%、62.89%，均为各乡镇卫生院最低，分别低于全区水平5.58、"
    "4.89、5.66、5.67个百分点。"
)


# -- the checker rule (pure) --------------------------------------------------------------------


def test_a_unit_set_against_the_district_with_four_figures_is_a_data_dump():
    (finding,) = unit_figure_lists(Paragraph((DUMP,)))
    assert finding.rule == "unit-figure-list" and "84.88%、64.22%、64.90%、62.89%" in finding.text


def test_one_clause_with_the_range_of_gaps_or_three_figures_passes():
    one = "石坪乡卫生院电子建档率、老年人健康管理率均为最低，低于全区水平4.89—5.67个百分点，需重点督导。"
    three = "石坪乡卫生院三项管理率分别为84.88%、64.22%、64.90%，均为最低。"
    # four figures with no unit set against others (a survey's items) is not this rule's
    survey = "问卷中四项满意率分别为74.7%、77.8%、80.1%、81.0%。"
    marked = Paragraph((DUMP,), review=True)  # the office's own text is not checked
    assert [unit_figure_lists(Paragraph((t,))) for t in (one, three, survey)] == [[], [], []]
    assert unit_figure_lists(marked) == []


# -- the demo -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_district(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_demo(today=TODAY)
        yield
        reset_all_data()
        ContentType.objects.clear_cache()


@pytest.fixture
def built(demo_district, db):
    """The bureau's and 青山镇's 2025 summaries, built once per test (the demo is the module's)."""

    def build(code):
        return actions.build(OrgUnit.objects.get(code=code), "2025", None, today=TODAY).document

    return build


def subsections(document) -> list[Section]:
    """一、's subsections, in order."""
    return [b for b in document.sections[0].blocks if isinstance(b, Section)]


def find(document, words) -> Section:
    return next(s for s in subsections(document) if words in s.title)


def prose(section: Section) -> list[Paragraph]:
    return [b for b in section.blocks if isinstance(b, Paragraph)]


def figures_in(paragraph: Paragraph) -> list[Figure]:
    return [span for span in paragraph.text if isinstance(span, Figure)]


def test_the_bureau_tells_its_own_work_before_the_districts_figures(built):
    # the director reads first what the bureau did (read 2026-12-07 23:30: "the bureau's own
    # work is buried under district figures"): leadership and contracts, the inspections it
    # carried out with their rectification, supervision and reform, then 医疗服务 and the rates
    titles = [s.title for s in subsections(built("DEMO"))]
    own = [i for i, t in enumerate(titles) if re.search("组织领导|督导检查|监督执法|体制改革", t)]
    figures = [i for i, t in enumerate(titles) if re.search("急诊|门诊|医疗质量|基本公共卫生|妇幼|疾病预防", t)]  # fmt: skip
    assert len(own) == 4 and len(figures) == 5, titles
    assert max(own) < min(figures), titles
    # the inspections paragraph carries its results and rectification, not counts alone
    text = plain(prose(find(built("DEMO"), "督导检查"))[0].text)
    assert "平均得分" in text and "按期整改率" in text


def test_the_lowest_centre_is_named_once_in_one_clause_with_its_gaps_from_analytics(built):
    document = built("DEMO")
    section = find(document, "基本公共卫生")
    named = [p for p in prose(section) if "石坪乡卫生院" in plain(p.text)]
    (clause,) = named
    text = plain(clause.text)
    assert text.count("石坪乡卫生院") == 1 and text.endswith("需重点督导。"), text
    # the range's ends are the smallest and largest gaps between the district's rate and the
    # centre's, each at the printed precision (90.46 − 84.88 = 5.58 …), from the engine
    rates = ["PHS_EHR_RATE", "PHS_ELDERLY_MGMT_RATE", "PHS_HTN_STANDARD_RATE", "PHS_T2D_STANDARD_RATE"]  # fmt: skip
    units = [OrgUnit.objects.get(code=c) for c in ("DEMO", "SPX")]
    result = analyse(rates, [periods.Period.parse("2025")], units)

    def printed(dx, code):
        return result.value(dx, "2025", code).quantize(CENT, rounding=ROUND_HALF_UP)

    gaps = sorted(printed(dx, "DEMO") - printed(dx, "SPX") for dx in rates)
    low, high = (f.value for f in figures_in(clause))
    assert (low, high) == (gaps[0], gaps[-1]), (text, gaps)
    # at most two figures in the clause; the rates themselves are the table's
    assert len(figures_in(clause)) == 2
    assert not [f for f in check(document) if f.rule == "unit-figure-list"]


def test_district_rates_are_a_table_and_the_prose_carries_at_most_three(built):
    # "电子建档率为90.46%，比上年提高1.51个百分点；老年人健康管理率为…" six times over read as a
    # string of indicators: every paragraph of the rate sections carries at most three figures
    # in prose, and 基本公卫's six rates stand in its table
    for code, words in (("DEMO", "基本公共卫生"), ("QSZ", "慢性病"), ("QSZ", "妇幼")):
        section = find(built(code), words)
        for paragraph in prose(section):  # the work records (培训1次) are not indicators
            rates = [f for f in figures_in(paragraph) if "dx" in dict(f.source)]
            assert len(rates) <= 3, plain(paragraph.text)
        (table,) = [b for b in section.blocks if isinstance(b, Table)]
        # (a rate the prose printed with both years, "由上年的a%升至b%", is not repeated in
        # the table: indicator_prose)
        assert len(table.rows) >= 4, (code, words)


def test_institutions_close_together_are_not_said_in_the_bureau(built):
    # "从各乡镇卫生院看，平均住院日较为接近（6.40天—6.51天）" told the director nothing
    text = "".join(plain(p.text) for _, _, p in walk(built("DEMO")) if isinstance(p, Paragraph))
    assert "较为接近" not in text and "差距不大" not in text


def test_the_areas_without_records_are_one_marked_line_at_the_end(built):
    # the placeholder inside 疾病预防控制 was the first line the director struck: the areas
    # the system keeps no record of (传染病网络直报, 爱国卫生) are one marked line, in the last
    # subsection of 一、, and no other marked line is in the sections' body
    document = built("DEMO")
    disease = find(document, "疾病预防控制")
    assert all(not p.review for p in prose(disease))
    last = subsections(document)[-1]
    (line,) = prose(last)
    assert line.review and "传染病" in plain(line.text) and "爱国卫生" in plain(line.text)
    marked = [
        plain(p.text)
        for section in subsections(document)
        for p in prose(section)
        if p.review and section is not last
    ]
    assert marked == []


def test_the_townships_health_education_is_held_to_its_norms_not_to_last_year(built):
    # "均与上年基本持平"、"比上年减少2次" for counts the district holds to the 基本公卫 norms (read
    # 2026-12-07 23:30): each count beside its norm, the indicators' benchmarks (讲座 ≥ 12,
    # 宣传栏 ≥ 6, 咨询 ≥ 9 a year), met or not by the engine's own figure
    (paragraph,) = prose(find(built("QSZ"), "健康教育"))
    text = plain(paragraph.text)
    assert "上年" not in text and "持平" not in text, text
    result = analyse(
        ["PHS_HE_LECTURES", "PHS_HE_CONSULTATIONS", "PHS_HE_BOARD_UPDATES"],
        [periods.Period.parse("2025")],
        [OrgUnit.objects.get(code="QSZ")],
    )
    # "服务规范" said once, with the first norm
    for dx, act, norm, basis in (
        ("PHS_HE_LECTURES", "举办健康知识讲座", 12, "服务规范"),
        ("PHS_HE_BOARD_UPDATES", "更新健康教育宣传栏", 6, ""),
        ("PHS_HE_CONSULTATIONS", "开展公众健康咨询活动", 9, ""),
    ):
        value = result.value(dx, "2025", "QSZ")
        verdict = "达到" if value >= norm else "少于"
        said = f"{act}{value.normalize():f}次，{verdict}{basis}每年不少于{norm}次的要求"
        assert said in text, (said, text)
    # the demo's 青山镇 (loaded to 2026-11-23) held 8 consultations against 9: the miss is said
    # in the section too, not only in 存在的问题
    assert "开展公众健康咨询活动8次，少于每年不少于9次的要求" in text


def test_the_township_marks_what_it_keeps_no_record_of_once_and_signing_is_said_once(built):
    # the read's "家庭医生签约 thin, no village-doctor work": the system holds no record of the
    # centre's 村卫生室/乡村医生 management or its signing work, so one marked line at the end of
    # 一、 asks for them (never an invented sentence), and no other line of the body is marked
    document = built("QSZ")
    last = subsections(document)[-1]
    (line,) = prose(last)
    assert line.review and "乡村医生" in plain(line.text) and "家庭医生签约" in plain(line.text)
    assert not [p for s in subsections(document)[:-1] for p in prose(s) if p.review]
    # signing: the persons as they stand, the change said once by the rate beside them
    (signing,) = prose(find(document, "家庭医生签约"))
    text = plain(signing.text)
    assert re.search(r"签约居民[\d.]+万人，签约覆盖率为", text), text
    assert re.search(r"重点人群签约[\d.]+万人，重点人群签约率为", text), text


def test_a_half_years_health_education_is_held_to_half_the_yearly_norm(demo_district, db):
    # 2026S1: six months of a yearly norm of 12 lectures is 6 (12 × 6 ÷ 12) and of 9
    # consultations 4.5 (9 × 6 ÷ 12): the words say both the yearly norm and the half-year's share
    unit = OrgUnit.objects.get(code="QSZ")
    document = actions.build(unit, "2026S1", None, today=TODAY).document
    (paragraph,) = prose(find(document, "健康教育"))
    text = plain(paragraph.text)
    assert text.startswith("上半年，我院举办健康知识讲座"), text
    assert "服务规范要求（每年不少于12次，6个月应不少于6次）" in text, text
    assert "要求（每年不少于9次，6个月应不少于4.5次）" in text, text
