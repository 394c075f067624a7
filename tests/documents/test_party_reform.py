"""加强党建引领，推进改革发展 from the party and reform ledgers (issue 11, the 2026-12-07 reads:
every hospital reader called the blank placeholder section unsignable): the records of the
period are named with their dates, none outside it; a kind without records gets one short
marked line; a unit sees only its own subtree's records, and a clerk enters them in Chinese."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from tests.world import PASSWORD
from weijian.documents import timeframe
from weijian.documents.compose import compose
from weijian.documents.model import Paragraph, Section, provenance, walk
from weijian.documents.narrative import plain, stray_numbers
from weijian.ledger.actions import RecordInput, create_activity
from weijian.ledger.builtin import load_builtin
from weijian.ledger.models import Activity, ActivityType

TODAY = dt.date(2026, 11, 23)
SPEC = {
    "code": "T_PARTY",
    "name": "测试总结",
    "title": "{unit}{period}工作总结",
    "we": "我院",
    "sections": [
        {
            "title": "加强党建引领，推进改革发展",
            "kind": "party_reform",
            "parts": ["party", "reform", "new_tech", "specialties"],
        },
    ],
}


@pytest.fixture
def records(world):
    load_builtin()
    types = {t.code: t for t in ActivityType.objects.all()}

    def add(kind, unit, day, title, **values):
        return create_activity(
            world.alice if unit == world.medicine else world.admin,
            types[kind], unit, RecordInput(title, day, None, values), today=TODAY,
        )  # fmt: skip

    h, med = world.hospital, world.medicine
    # the half-year's records (2026S1)
    add("PARTY", h, "2026-01-16", "2025年度领导班子民主生活会", KIND="民主生活会", THEME="对照检视查摆问题")  # fmt: skip
    add("PARTY", h, "2026-03-05", "学雷锋志愿服务主题党日", KIND="主题党日", THEME="学雷锋志愿服务", ATTEND="40")  # fmt: skip
    add("PARTY", h, "2026-06-29", "“七一”专题党课", KIND="党课", THEME="坚守医者初心", SPEAKER="院党委书记")  # fmt: skip
    add("REFORM", h, "2026-03-02", "DRG/DIP支付方式改革", AREA="医保支付方式改革", STAGE="启动实施",
        MEASURES="成立工作专班", RESULTS="出院病例30个病组纳入付费")  # fmt: skip
    add("NEWTECH", med, "2026-03-18", "胸腔镜下肺楔形切除术", DEPT="外科", LEVEL="区内首次开展")
    add("NEWTECH", med, "2026-03-18", "经鼻高流量湿化氧疗", DEPT="儿科")
    # outside the half-year: 2025 and the second half of 2026
    add("PARTY", h, "2025-11-12", "党员义诊进乡村主题党日", KIND="主题党日", THEME="党员志愿服务进乡村")  # fmt: skip
    add("PARTY", h, "2026-07-01", "庆祝建党节主题党日", KIND="主题党日", THEME="重温入党誓词")
    add("NEWTECH", med, "2025-09-17", "经皮椎体后凸成形术", DEPT="骨科")
    add("SPECIALTY", h, "2026-09-07", "重症医学科", LEVEL="市级", STATUS="通过评审")
    return world


def section_paragraphs(unit, period):
    document = compose(unit, timeframe.parse(period), SPEC, TODAY)
    section = next(b for _, _, b in walk(document) if isinstance(b, Section) and "党建" in b.title)
    return document, [b for b in section.blocks if isinstance(b, Paragraph)]


def test_the_section_names_the_periods_records_and_none_outside_it(records):
    document, paragraphs = section_paragraphs(records.hospital, "2026S1")
    party, reform, new_tech, specialties = (plain(p.text) for p in paragraphs)
    assert party == (
        "一是坚持党建引领。上半年，开展学雷锋志愿服务主题党日活动；1月16日，召开2025年度领导班子"
        "民主生活会；6月29日，院党委书记以“坚守医者初心”为题讲授专题党课，以高质量党建引领医院高质量发展。"
    )
    assert reform == (
        "二是深化公立医院综合改革。3月2日，启动DRG/DIP支付方式改革，成立工作专班，出院病例30个病组纳入付费。"
    )
    # the department's techniques count for the hospital (its subtree); both named, 2 = 2 listed
    assert new_tech == (
        "三是推进新技术新项目。上半年，经医疗技术临床应用管理委员会审批，新开展胸腔镜下肺楔形切除术（外科）、"
        "经鼻高流量湿化氧疗（儿科）等2项新技术新项目，其中胸腔镜下肺楔形切除术为区内首次开展，"
        "进一步提升了诊疗服务能力。"
    )
    # the only specialty record is of September: outside the half-year, so the marked line
    assert specialties == "四是加强重点专科建设。（请填写：重点专科建设情况。）"
    assert [p.review for p in paragraphs] == [False, False, False, True]
    text = "".join(party + reform + new_tech)
    for outside in ("义诊进乡村", "重温入党誓词", "建党节", "椎体后凸", "重症医学科"):
        assert outside not in text, outside
    # every number printed is a Figure whose source is a ledger record or count
    for paragraph in paragraphs[:3]:
        assert stray_numbers(paragraph.text) == [], plain(paragraph.text)
    sources = {entry["text"]: entry for entry in provenance(document)}
    assert sources["出院病例30个病组纳入付费"]["value"] == 30
    assert sources["1月16日"]["query"].startswith("台账记录 ")


def test_a_year_still_running_is_not_called_the_whole_year(records):
    # today is 23 November: the year is clipped to its ended months and said 1—10月 (never 全年)
    _, paragraphs = section_paragraphs(records.hospital, "2026")
    party = plain(paragraphs[0].text)
    assert party.startswith(
        "一是坚持党建引领。1—10月，开展主题党日活动2次（学雷锋志愿服务、重温入党誓词）"
    )
    assert "全年" not in "".join(plain(p.text) for p in paragraphs)
    # the September review is now in the period
    assert (
        plain(paragraphs[3].text)
        == "四是加强重点专科建设。9月7日，重症医学科通过市级重点专科评审。"
    )


def test_a_unit_without_records_gets_only_the_short_marked_lines(records):
    # the township has no record of any kind (the hospital's are not its own)
    _, paragraphs = section_paragraphs(records.township, "2026S1")
    texts = [plain(p.text) for p in paragraphs]
    assert texts == [
        "一是坚持党建引领。（请填写：党建工作的主要做法和成效。）",
        "二是深化公立医院综合改革。（请填写：公立医院综合改革的主要举措和进展。）",
        "三是推进新技术新项目。（请填写：新技术新项目的开展情况。）",
        "四是加强重点专科建设。（请填写：重点专科建设情况。）",
    ]
    assert all(p.review for p in paragraphs) and not any(re.search(r"\d", t) for t in texts)


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_a_clerk_enters_party_work_in_chinese_and_the_outsider_cannot_see_or_enter_it(
    client, records
):
    w = records
    login(client, w.alice)
    url = reverse("ledger_new", args=["PARTY"])
    # bad input: the theme is required, the form is one of the listed Chinese options
    bad = {"unit": "MED", "title": "支部主题党日", "start": "2026-04-09", "f_KIND": "读书会"}
    response = client.post(url, bad)
    assert response.status_code == 400
    page = response.content.decode()
    assert "主题" in page and "读书会" in page
    before = Activity.objects.count()
    good = {"unit": "MED", "title": "内科党支部主题党日", "start": "2026-04-09",
            "f_KIND": "主题党日", "f_THEME": "学习身边先进典型", "f_ATTEND": "18"}  # fmt: skip
    assert client.post(url, good).status_code == 302
    created = Activity.objects.get(title="内科党支部主题党日")
    assert created.values == {"KIND": "主题党日", "THEME": "学习身边先进典型", "ATTEND": 18}
    assert Activity.objects.count() == before + 1
    # the outsider (Olivia, the township's clerk): the hospital's records are 404, her form
    # does not offer the hospital, and nothing changes
    login(client, w.olivia)
    party = Activity.objects.filter(type__code="PARTY", org_unit=w.hospital).first()
    assert client.get(reverse("ledger_detail", args=[party.pk])).status_code == 404
    assert client.get(reverse("ledger_list", args=["PARTY"]) + "?ou=HOS").status_code == 404
    listed = client.get(reverse("ledger_list", args=["PARTY"])).content.decode()
    assert "民主生活会" not in listed
    response = client.post(url, {**good, "unit": "HOS", "title": "冒名登记"})
    assert response.status_code == 400
    assert not Activity.objects.filter(title="冒名登记").exists()
    assert client.post(reverse("ledger_delete", args=[party.pk])).status_code == 404
    assert Activity.objects.count() == before + 1


def test_the_checker_names_a_blank_left_unmarked(records):
    from weijian.documents.checker import check
    from weijian.documents.model import Document

    def rules(paragraph):
        document = Document("人民医院2026年上半年工作总结", "HOS", "人民医院", "2026S1",
                            "2026年上半年", "T", "测试")  # fmt: skip
        document.sections = [Section("加强党建引领，推进改革发展", [paragraph])]
        return [f.rule for f in check(document)]

    blank = ("四是加强重点专科建设。（请填写：重点专科建设情况。）",)
    # a blank printed as plain text goes out unfilled: the office is not told to fill it
    assert rules(Paragraph(blank)) == ["blank-unmarked"]
    assert rules(Paragraph(blank, review=True)) == []
    # the composer marks every blank it leaves (the township: four of them)
    document = compose(records.township, timeframe.parse("2026S1"), SPEC, TODAY)
    assert "blank-unmarked" not in [f.rule for f in check(document)]


# -- the party committee's own work (issue 11, the reads of 2026-12-07 20:35: every hospital
# reader found the 党建 part thin: no 党委会, no “三重一大”, no 中心组, 主题党日 three a year) ----

PARTY_DAY_THEMES = ["走访慰问困难党员", "学雷锋志愿服务", "清明祭扫", "重温入党誓词"]


@pytest.fixture
def committee(world):
    load_builtin()
    party = ActivityType.objects.get(code="PARTY")

    def add(unit, day, title, **values):
        return create_activity(world.admin, party, unit, RecordInput(title, day, None, values), today=TODAY)  # fmt: skip

    h = world.hospital
    add(
        h,
        "2025-01-09",
        "院党委会",
        KIND="党委会",
        THEME="年度预算、大型医用设备采购",
        DECISIONS="2",
    )
    add(h, "2025-03-13", "院党委会", KIND="党委会", THEME="中层干部选拔任用、大型医用设备采购", DECISIONS="3")  # fmt: skip
    # a meeting that decided nothing: counted as a meeting, its subjects not among the items'
    add(h, "2025-05-08", "院党委会", KIND="党委会", THEME="传达学习上级文件精神", DECISIONS="0")
    add(h, "2025-02-26", "院党委理论学习中心组集中学习", KIND="中心组学习", THEME="学习《中国共产党章程》")  # fmt: skip
    add(h, "2025-04-16", "院党委理论学习中心组集中学习", KIND="中心组学习", THEME="党纪学习教育")
    add(h, "2025-01-15", "2024年度领导班子民主生活会", KIND="民主生活会", THEME="对照检视查摆问题")  # fmt: skip
    for month in range(1, 13):  # a 主题党日 on the 10th of every month of 2025
        theme = PARTY_DAY_THEMES[(month - 1) % 4]
        add(h, f"2025-{month:02}-10", f"{theme}主题党日", KIND="主题党日", THEME=theme)
    return world


def test_the_committees_meetings_studies_and_monthly_party_days_are_counted_from_records(committee):  # fmt: skip
    document, paragraphs = section_paragraphs(committee.hospital, "2025")
    # 3 meetings; items 2 + 3 + 0 = 5; subjects over the meetings that decided any:
    # 大型医用设备采购 twice, 中层干部选拔任用 and 年度预算 once each (ties in code-point order);
    # 2 studies, their leading 学习 not repeated after 重点学习; 12 party days, one in each of
    # the 12 months: 每月一次, the first three of the 4 distinct themes and 等
    assert plain(paragraphs[0].text) == (
        "一是坚持党建引领。全年，召开党委会3次，研究“三重一大”事项5项，涉及大型医用设备采购、"
        "中层干部选拔任用和年度预算；开展理论学习中心组学习2次，重点学习《中国共产党章程》和党纪学习"
        "教育；开展主题党日活动12次，做到每月一次，内容涵盖走访慰问困难党员、学雷锋志愿服务、清明祭扫等；"
        "1月15日，召开2024年度领导班子民主生活会，以高质量党建引领医院高质量发展。"
    )
    assert not paragraphs[0].review
    assert stray_numbers(paragraphs[0].text) == []
    sources = {entry["text"]: entry for entry in provenance(document)}
    assert sources["5项"]["query"] == "台账 PARTY HOS 2025-01-01~2025-12-31 形式=党委会 合计 DECISIONS"  # fmt: skip
    assert sources["12次"]["query"].endswith("形式=主题党日")
    from weijian.documents.checker import check

    assert check(document) == []
    # the half-year: 6 of its 6 months had one; its own meetings only (January and March)
    _, half = section_paragraphs(committee.hospital, "2025S1")
    text = plain(half[0].text)
    assert text.startswith("一是坚持党建引领。上半年，召开党委会3次，研究“三重一大”事项5项")
    assert "开展主题党日活动6次，做到每月一次" in text


def test_party_days_missing_a_month_are_not_called_monthly(committee):
    # June's party day was not held: 11 in 12 months is no 每月一次, and with 11 records and 4
    # themes the themes are not listed as if they were all
    Activity.objects.filter(type__code="PARTY", start_date=dt.date(2025, 6, 10)).delete()
    _, paragraphs = section_paragraphs(committee.hospital, "2025")
    text = plain(paragraphs[0].text)
    assert "每月" not in text
    assert "；开展主题党日活动11次；1月15日" in text


def test_a_department_and_the_outsider_do_not_get_the_hospitals_committee(client, committee):
    w = committee
    # the committee's records are the hospital's: the department's summary and the township's
    # print the short marked line (no 党委会, no count)
    for unit in (w.medicine, w.township):
        _, paragraphs = section_paragraphs(unit, "2025")
        assert (
            plain(paragraphs[0].text) == "一是坚持党建引领。（请填写：党建工作的主要做法和成效。）"
        )
        assert paragraphs[0].review
    # Olivia (the township's clerk) cannot open the hospital's meeting record nor list it
    login(client, w.olivia)
    meeting = Activity.objects.filter(type__code="PARTY", values__KIND="党委会").first()
    assert client.get(reverse("ledger_detail", args=[meeting.pk])).status_code == 404
    listed = client.get(reverse("ledger_list", args=["PARTY"]) + "?pe=2025").content.decode()
    assert "院党委会" not in listed
    # the hospital's own administrator lists them (the page shows the year's records)
    login(client, w.admin)
    listed = client.get(reverse("ledger_list", args=["PARTY"]) + "?pe=2025").content.decode()
    assert "院党委会" in listed


def test_the_checker_names_a_monthly_claim_with_fewer_counts_than_months():
    # the pattern behind the composer's guard: "做到每月一次" over a count smaller than the
    # months its period word claims (全年 = 12, 上半年 = 6) says a month that went without
    from weijian.documents.checker import check
    from weijian.documents.model import Document
    from weijian.documents.narrative import Figure

    def rules(period_id, *text):
        document = Document(f"人民医院{period_id}工作总结", "HOS", "人民医院", period_id, "", "T", "测试")  # fmt: skip
        document.sections = [Section("加强党建引领，推进改革发展", [Paragraph(text)])]
        return [f.rule for f in check(document) if f.rule == "monthly-count"]

    def times(n):
        return Figure(f"{n}次", n, {"source": "工作台账", "query": "台账 PARTY"})

    def party(word, n):
        return ("一是坚持党建引领。", f"{word}，召开党委会", times(24), "；开展主题党日活动", times(n),
                "，做到每月一次，内容涵盖学雷锋志愿服务等；1月15日，召开民主生活会。")  # fmt: skip

    assert rules("2025", *party("全年", 11)) == ["monthly-count"]  # 11 < 12
    assert rules("2025", *party("全年", 12)) == []
    assert rules("2025S1", *party("上半年", 6)) == []
    assert rules("2025S1", *party("上半年", 5)) == ["monthly-count"]  # 5 < 6
    # 24 meetings in the clause before do not stand for the party days' count
    assert rules("2025", "全年，召开党委会", times(24), "；开展主题党日活动", times(3), "，做到每月一次。") == ["monthly-count"]  # fmt: skip
    # no period word (今年以来): no number of months claimed, nothing to hold the count to
    assert rules("2026", "今年以来，开展主题党日活动", times(10), "，做到每月一次。") == []


def test_a_clerk_records_a_committee_meeting_and_bad_counts_change_nothing(client, committee):
    w = committee
    login(client, w.admin)
    url = reverse("ledger_new", args=["PARTY"])
    meeting = {"unit": "HOS", "title": "院党委会", "start": "2026-04-09", "f_KIND": "党委会",
               "f_THEME": "大型医用设备采购、基建维修项目"}  # fmt: skip
    before = Activity.objects.count()
    for bad in ("两项", "-1", "1.5"):  # the count of items is a whole number of 0 or more
        response = client.post(url, {**meeting, "f_DECISIONS": bad})
        assert response.status_code == 400, bad
        page = response.content.decode()  # the field named in the list of problems
        assert "<li>研究“三重一大”事项：" in page and "本次未保存任何内容" in page
    assert Activity.objects.count() == before
    assert client.post(url, {**meeting, "f_DECISIONS": "2"}).status_code == 302
    saved = Activity.objects.get(start_date=dt.date(2026, 4, 9), values__KIND="党委会")
    assert saved.values["DECISIONS"] == 2 and Activity.objects.count() == before + 1
