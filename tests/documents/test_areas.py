"""The areas a hospital summary reports besides medical work (issue 11, the 2026-12-07 17:00
reads: every hospital reader missed 行风/党风廉政, 安全生产, 医保 and 人才): written from the
offices' ledgers (INTEGRITY, SAFETY, INSURANCE, TALENT; documents/areas.py). The counts equal
the records' (hand-counted below); a unit without records gets the short marked line, never
invented text; a department claims only its own records; the outsider sees none of them."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from tests.world import PASSWORD
from weijian.documents import timeframe
from weijian.documents.compose import compose
from weijian.documents.model import Paragraph, Section, walk
from weijian.documents.narrative import plain, stray_numbers
from weijian.documents.specs import SpecError, check
from weijian.ledger.actions import RecordInput, create_activity
from weijian.ledger.builtin import load_builtin
from weijian.ledger.models import ActivityType

TODAY = dt.date(2026, 11, 23)
TITLES = {
    "conduct": "落实全面从严治党，加强行风建设",
    "safety": "抓实安全生产，排查整治隐患",
    "insurance": "规范医保基金使用管理",
    "talent": "加强人才队伍建设",
}
SPEC = {
    "code": "T_AREAS",
    "name": "测试总结",
    "title": "{unit}{period}工作总结",
    "we": "我院",
    "sections": [{"title": t, "kind": "area", "part": p} for p, t in TITLES.items()],
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
    # 党风廉政/行风 in 2026S1: a pledge, a talk at the hospital and one in 内科, a case found
    add("INTEGRITY", h, "2026-01-20", "2026年度全员廉洁从业承诺书签订", KIND="廉洁承诺", PEOPLE="500")  # fmt: skip
    add("INTEGRITY", h, "2026-01-27", "新年度中层干部集体廉政谈话", KIND="廉政谈话", PEOPLE="40")
    add("INTEGRITY", med, "2026-02-10", "科室廉政谈话", KIND="廉政谈话", PEOPLE="8")
    add("INTEGRITY", h, "2026-03-12", "行风问题查处", KIND="问题查处",
        THEME="患者投诉门诊一名医师服务态度生硬", RESULT="经调查属实，对当事医师诫勉谈话")  # fmt: skip
    # outside the half-year
    add("INTEGRITY", h, "2026-07-08", "重点岗位人员廉政谈话", KIND="廉政谈话", PEOPLE="36")
    # 安全生产: the hospital's own checks and one by the bureau
    add("SAFETY", h, "2026-01-06", "1月消防安全检查", KIND="消防安全检查", BY="本院组织", HAZARDS="3", FIXED="3")  # fmt: skip
    add("SAFETY", h, "2026-02-05", "2月消防安全检查", KIND="消防安全检查", BY="本院组织", HAZARDS="2", FIXED="1")  # fmt: skip
    add("SAFETY", h, "2026-01-20", "春节前安全检查", KIND="节前安全检查", BY="本院组织", HAZARDS="1", FIXED="1")  # fmt: skip
    add("SAFETY", h, "2026-06-17", "安全生产月安全生产大检查", KIND="安全生产大检查", BY="上级部门",
        INSPECTOR="区卫生健康局", HAZARDS="2", FIXED="2", NOTE="疏散通道堆放杂物、灭火器压力不足")  # fmt: skip
    add("SAFETY", h, "2025-12-05", "12月消防安全检查", KIND="消防安全检查", BY="本院组织", HAZARDS="5", FIXED="5")  # fmt: skip
    # 医保: an inspection whose violation money was returned, two self-checks
    add("INSURANCE", h, "2026-06-10", "医保基金使用专项检查", KIND="医保部门检查", INSPECTOR="区医疗保障局",
        DOCNO="区医保发〔2026〕21号", ISSUES="6", AMOUNT="4.37", RESULT="已全部退回并完成整改")  # fmt: skip
    add("INSURANCE", h, "2026-03-20", "第1季度自查自纠", KIND="自查自纠", ISSUES="2", AMOUNT="0.5")  # fmt: skip
    add("INSURANCE", h, "2026-06-22", "第2季度自查自纠", KIND="自查自纠", ISSUES="3")
    # no TALENT record at all
    return world


def section_paragraphs(unit, period):
    document = compose(unit, timeframe.parse(period), SPEC, TODAY)
    found = {}
    for _, _, block in walk(document):
        if isinstance(block, Section) and block.title in TITLES.values():
            part = next(p for p, t in TITLES.items() if t == block.title)
            found[part] = [b for b in block.blocks if isinstance(b, Paragraph)]
    return document, found


def texts(paragraphs):
    return [plain(p.text) for p in paragraphs]


def test_each_area_is_written_from_the_periods_records_with_their_counts(records):
    _, parts = section_paragraphs(records.hospital, "2026S1")
    # conduct: 承诺 500人; talks 2 (1月27日 hospital + 2月10日 内科, its subtree), 40 + 8 = 48人次;
    # the July talk is outside the half-year; the case is named with its result
    assert texts(parts["conduct"]) == [
        "一是落实党风廉政建设责任。上半年，组织500名职工签订廉洁从业承诺书；开展廉政谈话2次、谈话48人次"
        "（1月27日、2月10日），筑牢拒腐防变的思想防线。",
        "二是严肃查处行风问题。3月12日，患者投诉门诊一名医师服务态度生硬，经调查属实，对当事医师诫勉谈话。",
    ]
    # safety: own checks 消防 2 + 节前 1; hazards 3 + 2 + 1 = 6, fixed 3 + 1 + 1 = 5, 1 open;
    # the December 2025 check (5 hazards) is not in the half-year
    assert texts(parts["safety"]) == [
        "一是常态化开展安全检查。上半年，开展消防检查2次、节前检查1次，排查安全隐患6处，"
        "已整改5处，其余1处正在整改。",
        "二是配合上级部门安全检查。6月17日，区卫生健康局对我院开展安全生产大检查，指出隐患2处"
        "（疏散通道堆放杂物、灭火器压力不足），已全部整改。",
    ]
    # insurance: the inspection with its 文号, 6 issues, 4.37万元 returned (printed with the
    # ledger's two decimals below 10万: 4.37万元, not 4.4万元); self-checks 2, issues 2 + 3 = 5, 0.5万元 returned
    # (under 1万 printed in 元: 5000元)
    assert texts(parts["insurance"]) == [
        "一是接受医保基金监管检查。6月10日，区医疗保障局对我院开展医保基金使用专项检查"
        "（区医保发〔2026〕21号），指出问题6条，涉及违规金额4.37万元，已全部退回并完成整改。",
        "二是开展自查自纠。上半年，开展医保基金使用自查自纠2次，查找问题5条，主动退回医保基金5000元，"
        "逐条制定整改措施。",
    ]
    # talent: no record → the marked line only
    assert texts(parts["talent"]) == ["（请填写：人才引进和培养情况，系统中尚无相关台账记录。）"]
    assert [p.review for p in parts["talent"]] == [True]
    for part in ("conduct", "safety", "insurance"):
        for paragraph in parts[part]:
            assert not paragraph.review
            assert stray_numbers(paragraph.text) == [], plain(paragraph.text)


def test_a_department_claims_only_its_own_records(records):
    # 内科 holds one talk (8人); the hospital's pledge, case, checks and 医保 are not its own
    _, parts = section_paragraphs(records.medicine, "2026S1")
    assert texts(parts["conduct"]) == [
        "2月10日，开展科室廉政谈话，谈话对象8人，筑牢拒腐防变的思想防线。"
    ]
    for part in ("safety", "insurance", "talent"):
        assert [p.review for p in parts[part]] == [True], part
        assert "尚无相关台账记录" in texts(parts[part])[0]


def test_the_outsider_gets_only_the_marked_lines_and_cannot_open_the_records(client, records):
    w = records
    _, parts = section_paragraphs(w.township, "2026S1")
    lines = [t for part in parts.values() for t in texts(part)]
    assert len(lines) == 4 and all(t.startswith("（请填写：") for t in lines)
    assert not any(re.search(r"\d", t) for t in lines)
    # the township's clerk cannot list or open the hospital's 医保 and 行风 records
    assert client.login(username=w.olivia.username, password=PASSWORD)
    listed = client.get(reverse("ledger_list", args=["INSURANCE"])).content.decode()
    assert "医保基金使用专项检查" not in listed
    listed = client.get(reverse("ledger_list", args=["INTEGRITY"])).content.decode()
    assert "行风问题查处" not in listed


def test_a_year_still_running_names_its_passed_months(records):
    # today is 23 November: 2026 is written over 1—10月 and the July talk now counts
    _, parts = section_paragraphs(records.hospital, "2026")
    conduct = texts(parts["conduct"])[0]
    assert "全年" not in conduct
    # talks: 1月27日 (40), 2月10日 (8), 7月8日 (36) = 3次, 84人次; three talks are not dated
    assert "开展廉政谈话3次、谈话84人次，" in conduct


def test_a_template_naming_an_unknown_area_is_refused_in_chinese():
    bad = {**SPEC, "sections": [{"title": "财务", "kind": "area", "part": "finance"}]}
    with pytest.raises(SpecError, match="part 无法识别"):
        check(bad)


def test_talent_names_departments_and_places_and_counts_people(records):
    w = records

    def add(kind, day, title, **values):
        types = {t.code: t for t in ActivityType.objects.all()}
        create_activity(w.admin, types[kind], w.hospital, RecordInput(title, day, None, values), today=TODAY)  # fmt: skip

    add("TALENT", "2026-03-16", "公开招聘（内科）", KIND="人才引进", DEPT="内科", PEOPLE="2")
    add("TALENT", "2026-03-16", "公开招聘（外科）", KIND="人才引进", DEPT="外科", PEOPLE="1")
    add("TALENT", "2026-04-01", "内科骨干赴省人民医院进修", KIND="外出进修", DEPT="内科",
        PLACE="省人民医院", PEOPLE="2")  # fmt: skip
    add("TALENT", "2026-05-20", "职称评审", KIND="职称晋升", PEOPLE="5", NOTE="其中晋升副高级以上职称1人")  # fmt: skip
    add("TALENT", "2026-09-01", "住院医师规范化培训", KIND="规范化培训", PEOPLE="3")  # September
    _, parts = section_paragraphs(w.hospital, "2026S1")
    # recruited 2 + 1 = 3 人 into both departments (named with 和, no 等); 进修 2人次; the
    # September 规培 is outside the half-year
    assert texts(parts["talent"]) == [
        "一是引进急需紧缺人才。上半年，引进医学专业技术人才3人，充实到内科和外科。",
        "二是加强骨干人才培养。选派骨干医务人员赴省人民医院进修2人次。",
        "三是做好职称晋升工作。5人通过评审晋升上一级专业技术职称（其中晋升副高级以上职称1人）。",
    ]
    for paragraph in parts["talent"]:
        assert stray_numbers(paragraph.text) == [], plain(paragraph.text)
