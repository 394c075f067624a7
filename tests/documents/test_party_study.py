"""The year's political work from records (issue 11, the reads of 2026-12-07 23:30: every
hospital and bureau reader missed 八项规定学习教育, 四中全会, the 十五五 plan): the campaigns of
study (ledger STUDY) and the plans (ledger PLANNING) lead the party work, each its own
一是/二是 item, with the record's figures; a unit without records gets nothing (no
placeholder); a record outside the period stays out; the bureau's summary tells its own.
A clerk enters a campaign in Chinese, bad counts change nothing, and the outsider cannot."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from tests.world import PASSWORD
from weijian.demo.load import load_demo, reset_all_data
from weijian.documents import timeframe
from weijian.documents.compose import compose
from weijian.documents.model import Paragraph, Section, walk
from weijian.documents.narrative import plain, stray_numbers
from weijian.documents.specs import builtin_specs
from weijian.ledger.actions import RecordInput, create_activity
from weijian.ledger.builtin import load_builtin
from weijian.ledger.models import Activity, ActivityType
from weijian.orgs.models import OrgUnit

TODAY = dt.date(2026, 11, 23)
PARTY_TITLE = "加强党建引领，推进改革发展"
BUREAU_TITLE = "坚持党建引领，加强政治建设"


def section_texts(unit, period, spec, title, today=TODAY):
    """The plain paragraphs of the section titled `title`; None when the section is left out."""
    document = compose(unit, timeframe.parse(period), spec, today)
    for _, _, block in walk(document):
        if isinstance(block, Section) and block.title == title:
            paragraphs = [b for b in block.blocks if isinstance(b, Paragraph)]
            for paragraph in paragraphs:  # every printed number has its source
                assert stray_numbers(paragraph.text) == [], plain(paragraph.text)
            return [plain(p.text) for p in paragraphs]
    return None


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


# -- a small world -----------------------------------------------------------------------------

SPEC = {
    "code": "T_STUDY",
    "name": "测试总结",
    "title": "{unit}{period}工作总结",
    "we": "我局",
    "sections": [{"title": BUREAU_TITLE, "kind": "party_reform", "parts": ["campaigns"]}],
}


@pytest.fixture
def studies(world):
    load_builtin()
    study = ActivityType.objects.get(code="STUDY")

    def add(day, end, title, **values):
        return create_activity(world.admin, study, world.hospital,
                               RecordInput(title, day, end, values), today=TODAY)  # fmt: skip

    add("2025-03-18", "2025-07-31", "深入贯彻中央八项规定精神学习教育", KIND="专题学习教育",
        CLASSES="1", ISSUES="5", FIXED="3")  # fmt: skip
    add("2024-04-15", "2024-07-31", "党纪学习教育", KIND="专题学习教育", CLASSES="2")
    add("2026-10-10", "2026-12-31", "学习贯彻党的二十届四中全会精神", KIND="学习贯彻会议精神", SEMINARS="2")  # fmt: skip
    return world


def test_one_campaign_is_told_without_an_ordinal_and_a_record_outside_the_period_stays_out(studies):  # fmt: skip
    texts = section_texts(studies.hospital, "2025", SPEC, BUREAU_TITLE)
    # the 2024 campaign is outside 2025; one item alone reads without "一是"; 5 found, 3 fixed
    assert texts == [
        "扎实开展深入贯彻中央八项规定精神学习教育。3月至7月，举办读书班1期，查摆问题5条，已整改3条。"
    ]


def test_a_campaign_still_running_is_told_from_its_start(studies):
    # 10 October – 31 December 2026, read on 23 November 2026: "10月起", no end claimed
    texts = section_texts(studies.hospital, "2026", SPEC, BUREAU_TITLE)
    assert texts == ["深入学习贯彻党的二十届四中全会精神。10月起，开展专题研讨2次。"]


def test_a_period_without_records_leaves_the_section_out(studies):
    assert section_texts(studies.hospital, "2023", SPEC, BUREAU_TITLE) is None
    assert section_texts(studies.medicine, "2025", SPEC, BUREAU_TITLE) is None


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_a_clerk_enters_a_campaign_bad_counts_change_nothing_and_the_outsider_cannot(client, world):  # fmt: skip
    load_builtin()
    w = world
    login(client, w.admin)
    url = reverse("ledger_new", args=["STUDY"])
    good = {"unit": "HOS", "title": "深入贯彻中央八项规定精神学习教育", "start": "2025-03-18",
            "end": "2025-07-31", "f_KIND": "专题学习教育", "f_DOCNO": "院党发〔2025〕2号",
            "f_CLASSES": "2", "f_ISSUES": "6", "f_FIXED": "6"}  # fmt: skip
    before = Activity.objects.count()
    bad_cases = [
        ({"f_FIXED": "7"}, "已整改问题"),  # more put right than found
        ({"f_CLASSES": "两期"}, "读书班"),  # a count is a whole number
        ({"f_KIND": "读书会"}, "读书会"),  # not one of the listed kinds
        ({"end": "2025-03-01"}, "结束日期"),  # ends before it starts
    ]
    for change, named in bad_cases:
        response = client.post(url, {**good, **change})
        assert response.status_code == 400, change
        page = response.content.decode()
        assert named in page and "本次未保存任何内容" in page, change
    assert Activity.objects.count() == before
    assert client.post(url, good).status_code == 302
    saved = Activity.objects.get(type__code="STUDY", org_unit=w.hospital)
    assert (saved.start_date, saved.end_date) == (dt.date(2025, 3, 18), dt.date(2025, 7, 31))
    assert saved.values == {"KIND": "专题学习教育", "DOCNO": "院党发〔2025〕2号", "CLASSES": 2, "ISSUES": 6, "FIXED": 6}  # fmt: skip
    # the outsider (Olivia, the township's clerk): the hospital's record is 404, her form does
    # not take the hospital, and nothing changes
    login(client, w.olivia)
    assert client.get(reverse("ledger_detail", args=[saved.pk])).status_code == 404
    assert client.get(reverse("ledger_list", args=["STUDY"]) + "?ou=HOS").status_code == 404
    assert "八项规定" not in client.get(reverse("ledger_list", args=["STUDY"])).content.decode()
    response = client.post(url, {**good, "title": "冒名登记"})
    assert response.status_code == 400
    assert client.post(reverse("ledger_delete", args=[saved.pk])).status_code == 404
    assert Activity.objects.count() == before + 1 and not Activity.objects.filter(title="冒名登记").exists()  # fmt: skip


def test_the_checker_names_political_work_told_without_a_record():
    # the pattern behind "must never invent it": a campaign told as done with no figure from a
    # record (template text, an edited paragraph), and more problems put right than found
    from weijian.documents.checker import check
    from weijian.documents.model import Document
    from weijian.documents.narrative import Figure

    def rules(*paragraphs, title="加强党建引领，推进改革发展", review=False):
        document = Document("人民医院2025年工作总结", "HOS", "人民医院", "2025", "", "T", "测试")
        document.sections = [Section(title, [Paragraph(p, review=review) for p in paragraphs])]
        return [f.rule for f in check(document) if f.rule == "campaign-unrecorded"]

    def count(n, unit):
        return Figure(f"{n}{unit}", n, {"source": "工作台账", "query": "台账记录 1"})

    invented = (
        "一是扎实开展深入贯彻中央八项规定精神学习教育。举办读书班两期，查摆问题并全部整改。",
    )
    recorded = ("一是扎实开展深入贯彻中央八项规定精神学习教育。3月至7月，举办读书班", count(2, "期"),
                "，查摆问题", count(18, "条"), "，已全部整改。")  # fmt: skip
    assert rules(invented) == ["campaign-unrecorded"]
    assert rules(recorded) == []
    # marked for the office to check, or a plan for next year: not a claim of work done
    assert rules(invented, review=True) == []
    assert rules(("深入学习贯彻党的二十届四中全会精神，举办读书班，开展专题党课。",), title="2026年工作打算") == []  # fmt: skip
    # 20 put right of 18 found
    over = ("一是扎实开展深入贯彻中央八项规定精神学习教育。查摆问题", count(18, "条"), "，已整改", count(20, "条"), "。")  # fmt: skip
    assert rules(over) == ["campaign-unrecorded"]


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
