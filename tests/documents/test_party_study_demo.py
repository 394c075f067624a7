"""The year's political work on the demo district (demo/party_study.py, documents/party_study.py):
the 区人民医院's 2025 and 2026S1 summaries and the bureau's 2025 open their party work with the
records' campaigns and plans and their figures; 内科 and a township hold none and get none; the
中医医院 its own. The small-world tests (bad input, outsider, periods) are in test_party_study.py."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType

from tests.documents.test_party_study import BUREAU_TITLE, PARTY_TITLE, TODAY, section_texts
from weijian.demo.load import load_demo, reset_all_data
from weijian.documents import timeframe
from weijian.documents.compose import compose
from weijian.documents.model import Section, walk
from weijian.documents.specs import builtin_specs
from weijian.orgs.models import OrgUnit

# -- the demo district -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_district(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_demo(today=TODAY)
        yield
        reset_all_data()
        ContentType.objects.clear_cache()


@pytest.fixture
def demo(demo_district, db):
    return {c: OrgUnit.objects.get(code=c) for c in ("DEMO", "RMYY", "RMYY_NK", "QSZ", "ZYY")}


def test_the_hospitals_2025_summary_opens_its_party_work_with_the_years_campaigns(demo):
    texts = section_texts(demo["RMYY"], "2025", builtin_specs()["HOSPITAL_ANNUAL"], PARTY_TITLE)
    # demo/party_study.py: the 八项规定 campaign from 17 March to 31 July 2025 with the 区人民
    # 医院's counts (读书班2, 党课3, 警示教育2, 研讨4, 查摆18 = 整改18 → 已全部整改)
    assert texts[0] == (
        "一是扎实开展深入贯彻中央八项规定精神学习教育。3月至7月，制定实施方案（区医院党发〔2025〕2号），"
        "举办读书班2期，讲授专题党课3次，开展警示教育2次、专题研讨交流4次，查摆问题18条，已全部整改。"
    )
    # the plenum of 20–23 October: studied from 28 October to 31 December
    assert texts[1] == (
        "二是深入学习贯彻党的二十届四中全会精神。10月至12月，举办读书班1期，开展集中宣讲2次、"
        "专题研讨2次。"
    )
    # the 十五五 plan's two 2025 steps; its adoption (24 March 2026) stays out of 2025
    assert texts[2] == (
        "三是科学谋划“十五五”发展。10月15日，启动《示范区人民医院“十五五”发展规划》编制，"
        "总结评估“十四五”规划实施情况，开展专题调研；12月17日，形成征求意见稿，广泛征求意见。"
    )
    assert "审议通过" not in "".join(texts)
    # the committee's counts follow, then reform, techniques, specialties: 7 items in all
    assert texts[3].startswith("四是坚持党建引领。全年，召开党委会24次")
    assert [t[:2] for t in texts] == ["一是", "二是", "三是", "四是", "五是", "六是", "七是"]


def test_the_half_year_tells_its_own_campaigns_and_the_plans_adoption(demo):
    spec = builtin_specs()["HOSPITAL_HALF_YEAR"]
    texts = section_texts(demo["RMYY"], "2026S1", spec, PARTY_TITLE)
    assert texts[0] == (  # 20 January – 30 June 2026: 党课1, 研讨2
        "一是持续深入学习贯彻党的二十届四中全会精神。1月至6月，开展集中宣讲1次、专题研讨2次。"
    )
    # 16–31 March: one month, ended → "3月", not "3月起"
    assert texts[1] == "二是深入学习贯彻全国两会精神。3月，开展专题研讨1次。"
    assert texts[2] == (
        "三是科学谋划“十五五”发展。3月24日，《示范区人民医院“十五五”发展规划》经院党委会审议通过；"
        "4月14日，正式印发实施（区医院发〔2026〕9号）。"
    )
    assert "八项规定" not in "".join(texts)  # 2025's campaign is outside the half-year


def test_units_without_records_get_no_campaign_and_no_placeholder(demo):
    spec = builtin_specs()["HOSPITAL_ANNUAL"]
    # the 中医医院 has its own 八项规定 record (its counts, its 文号), not the 区人民医院's
    zyy = section_texts(demo["ZYY"], "2025", spec, PARTY_TITLE)
    assert zyy[0].startswith("一是扎实开展深入贯彻中央八项规定精神学习教育。3月至7月，制定实施方案（区中医院党发〔2025〕2号），举办读书班1期")  # fmt: skip
    # 内科 (the hospital's child) and the township hold no STUDY or PLANNING record: the party
    # part is the committee's marked line only, no campaign sentence and no placeholder for one
    for code in ("RMYY_NK", "QSZ"):
        texts = section_texts(demo[code], "2025", spec, PARTY_TITLE)
        assert texts[0] == "一是坚持党建引领。（请填写：党建工作的主要做法和成效。）", code
        assert not any("学习教育" in t or "十五五" in t for t in texts), code


def test_the_bureaus_summary_tells_the_bureaus_own_campaigns(demo):
    spec = builtin_specs()["BUREAU_ANNUAL"]
    texts = section_texts(demo["DEMO"], "2025", spec, BUREAU_TITLE)
    # the bureau's own records (示卫党发), not the hospitals' below it: 2,2,2,3,12 = 12 fixed
    assert texts[0] == (
        "一是扎实开展深入贯彻中央八项规定精神学习教育。3月至7月，制定实施方案（示卫党发〔2025〕2号），"
        "举办读书班2期，讲授专题党课2次，开展警示教育2次、专题研讨交流3次，查摆问题12条，已全部整改。"
    )
    assert texts[2].startswith("三是科学谋划“十五五”发展。10月15日，启动《示范区卫生健康事业发展“十五五”规划》编制")  # fmt: skip
    assert len(texts) == 3 and "区医院" not in "".join(texts)


def test_the_demo_summaries_with_campaigns_pass_the_checker(demo):
    from weijian.documents.queries import check_document

    specs = builtin_specs()
    for code, period, template, title in (
        ("RMYY", "2025", "HOSPITAL_ANNUAL", PARTY_TITLE),
        ("RMYY", "2026S1", "HOSPITAL_HALF_YEAR", PARTY_TITLE),
        ("DEMO", "2025", "BUREAU_ANNUAL", BUREAU_TITLE),
    ):
        document = compose(demo[code], timeframe.parse(period), specs[template], TODAY)
        sections = [s for _, _, s in walk(document) if isinstance(s, Section) and s.title == title]
        document.opening, document.closing, document.sections = [], [], sections
        assert len(sections) == 1 and check_document(document) == [], (code, period)
