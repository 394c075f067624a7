"""The year's political work from records (issue 11, the reads of 2026-12-07 23:30: every
hospital and bureau reader missed 八项规定学习教育, 四中全会, the 十五五 plan): the campaigns of
study (ledger STUDY) and the plans (ledger PLANNING) lead the party work, each its own
一是/二是 item, with the record's figures; a unit without records gets nothing (no
placeholder); a record outside the period stays out; the bureau's summary tells its own.
A clerk enters a campaign in Chinese, bad counts change nothing, and the outsider cannot."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.world import PASSWORD
from weijian.documents import timeframe
from weijian.documents.compose import compose
from weijian.documents.model import Paragraph, Section, walk
from weijian.documents.narrative import plain, stray_numbers
from weijian.ledger.actions import RecordInput, create_activity
from weijian.ledger.builtin import load_builtin
from weijian.ledger.models import Activity, ActivityType

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
