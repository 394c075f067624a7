"""The hospital areas (行风/党风廉政, 安全生产, 医保, 人才) on the demo district (demo/areas.py,
documents/areas.py): the 区人民医院's 2025 summary writes each area from its records with the
records' counts; a department and a township hold none of them and get the marked lines.

The calendar of demo/areas.py fixes how many records a year has (hand-counted below); the
people and hazard figures are drawn, so they are compared with the records' sums."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType

from weijian.demo.load import load_demo, reset_all_data
from weijian.documents import timeframe
from weijian.documents.compose import compose
from weijian.documents.model import Paragraph, Section, walk
from weijian.documents.narrative import plain, stray_numbers
from weijian.documents.specs import builtin_specs
from weijian.ledger.models import Activity
from weijian.orgs.models import OrgUnit

TODAY = dt.date(2026, 11, 23)
AREA_SPEC = {
    "code": "T_AREAS",
    "name": "测试总结",
    "title": "{unit}{period}工作总结",
    "we": "我院",
    "sections": [
        {"title": part, "kind": "area", "part": part}
        for part in ("conduct", "safety", "insurance", "talent")
    ],
}


@pytest.fixture(scope="module")
def demo_district(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_demo(today=TODAY)
        yield
        reset_all_data()
        ContentType.objects.clear_cache()


@pytest.fixture
def demo(demo_district, db):
    return {code: OrgUnit.objects.get(code=code) for code in ("RMYY", "RMYY_NK", "QSZ", "ZYY")}


def area_texts(unit, period, spec):
    document = compose(unit, timeframe.parse(period), spec, TODAY)
    found = {}
    for _, _, block in walk(document):
        if isinstance(block, Section) and any(
            s.get("kind") == "area" and s["title"] == block.title for s in _sections(spec)
        ):
            part = next(s["part"] for s in _sections(spec) if s["title"] == block.title)
            found[part] = [b for b in block.blocks if isinstance(b, Paragraph)]
    return found


def _sections(spec):
    for section in spec["sections"]:
        yield section
        yield from _sections(section) if section.get("sections") else ()


def total(unit, code, year, key, **match):
    rows = Activity.objects.filter(
        type__code=code, org_unit__path__startswith=unit.path, start_date__year=year
    )
    rows = [r for r in rows if all(r.values.get(k) == v for k, v in match.items())]
    return sum(Decimal(str(r.values.get(key) or 0)) for r in rows), len(rows)


def test_the_hospitals_annual_summary_writes_each_area_from_its_records(demo):
    rmyy = demo["RMYY"]
    parts = area_texts(rmyy, "2025", builtin_specs()["HOSPITAL_ANNUAL"])
    assert set(parts) == {"conduct", "safety", "insurance", "talent"}
    conduct = "".join(plain(p.text) for p in parts["conduct"])
    pledged, _ = total(rmyy, "INTEGRITY", 2025, "PEOPLE", KIND="廉洁承诺")
    talked, talks = total(rmyy, "INTEGRITY", 2025, "PEOPLE", KIND="廉政谈话")
    # the calendar: a January and a July talk (27 January, 8 July 2025: Monday, Tuesday)
    assert talks == 2
    assert f"组织{pledged}名职工签订廉洁从业承诺书；开展廉政谈话2次、谈话{talked}人次（1月27日、7月8日）" in conduct  # fmt: skip
    assert "（区医院党发〔2025〕4号）" in conduct
    # the case of March 2025 (CASES: one year before 2026) is named with its result
    assert "三是严肃查处行风问题。3月12日，患者投诉门诊一名医师服务态度生硬" in conduct
    safety = plain(parts["safety"][0].text)
    # own checks in 2025: 消防 12 (monthly), 节前 2, 危化品 1, 用电和燃气 1 = 16
    found, own = total(rmyy, "SAFETY", 2025, "HAZARDS", BY="本院组织")
    fixed, _ = total(rmyy, "SAFETY", 2025, "FIXED", BY="本院组织")
    assert own == 16 and fixed == found  # all fixed in 2025 (the open one is November 2026's)
    assert safety.startswith("一是常态化开展安全检查。全年，开展消防检查12次、节前检查2次、")
    assert f"排查安全隐患{found}处，已全部整改。" in safety
    insurance = [plain(p.text) for p in parts["insurance"]]
    # the bureau's inspection of 16 September 2025 with its 文号, 6 issues, 4.37万元 (two decimals below 10万, never 4.4万元)
    assert insurance[0].startswith(
        "一是接受医保基金监管检查。9月16日，区医疗保障局对我院开展医保基金使用专项检查"
        "（区医保发〔2025〕21号），指出问题6条，涉及违规金额4.37万元"
    )
    issues, checks = total(rmyy, "INSURANCE", 2025, "ISSUES", KIND="自查自纠")
    assert checks == 4  # one a quarter
    assert f"开展医保基金使用自查自纠4次，查找问题{issues}条" in insurance[1]
    talent = "".join(plain(p.text) for p in parts["talent"])
    recruited, _ = total(rmyy, "TALENT", 2025, "PEOPLE", KIND="人才引进")
    promoted, _ = total(rmyy, "TALENT", 2025, "PEOPLE", KIND="职称晋升")
    assert f"引进医学专业技术人才{recruited}人" in talent
    assert f"{promoted}人通过评审晋升上一级专业技术职称" in talent
    for part in parts.values():
        for paragraph in part:
            assert not paragraph.review
            assert stray_numbers(paragraph.text) == [], plain(paragraph.text)


def test_a_department_and_a_township_get_only_the_marked_lines(demo):
    # the hospital's records sit at the hospital: 内科 (its child) claims none; the township
    # (an outsider to the hospital) holds none
    for code in ("RMYY_NK", "QSZ"):
        parts = area_texts(demo[code], "2025", AREA_SPEC)
        lines = [plain(p.text) for part in parts.values() for p in part]
        assert len(lines) == 4, code
        assert all(line.startswith("（请填写：") for line in lines), lines
        assert all(p.review for part in parts.values() for p in part)


def test_the_tcm_hospital_has_its_own_records_only(demo):
    parts = area_texts(demo["ZYY"], "2025", AREA_SPEC)
    conduct = "".join(plain(p.text) for p in parts["conduct"])
    assert "10月22日，患者反映康复科治疗项目收费与告知不符" in conduct
    assert "门诊一名医师服务态度生硬" not in conduct  # 区人民医院's case
    insurance = plain(parts["insurance"][0].text)
    assert "（区医保发〔2025〕23号），指出问题4条，涉及违规金额2.12万元" in insurance


def test_the_area_sections_pass_the_checker_and_fall_on_working_days(demo):
    from weijian.documents.queries import check_document

    spec = builtin_specs()["HOSPITAL_ANNUAL"]
    for code, period in (("RMYY", "2025"), ("RMYY", "2026"), ("ZYY", "2025")):
        document = compose(demo[code], timeframe.parse(period), spec, TODAY)
        titles = {s["title"] for s in _sections(spec) if s.get("kind") == "area"}
        sections = [s for _, _, s in walk(document) if isinstance(s, Section) and s.title in titles]
        assert len(sections) == 4, (code, period)
        document.opening, document.closing = [], []
        document.sections = sections
        assert check_document(document) == [], (code, period)
    # 2026 to 23 November: the November fire check still has a hazard being fixed (demo/areas.py)
    safety = area_texts(demo["RMYY"], "2026", AREA_SPEC)["safety"]
    assert "正在整改" in plain(safety[0].text) and "全年" not in plain(safety[0].text)
    days = Activity.objects.filter(
        type__code__in=["INTEGRITY", "SAFETY", "INSURANCE", "TALENT"]
    ).values_list("start_date", flat=True)
    assert days and all(day.weekday() < 5 for day in days)
