"""党风廉政和行风建设, 安全生产, 医保基金 and 人才 records over the demo's whole history for the
three hospitals (ledger types INTEGRITY, SAFETY, INSURANCE, TALENT), as their 纪检监察室,
保卫科, 医保办 and 人事科 log them, so the summaries' areas (documents/areas.py) are written from
records. Sized for district 二级 hospitals (区人民医院 ~520 staff, 中医医院 ~260, 妇幼 ~210);
every date a working day (activity.workday).

The calendar is the one such offices keep: 廉洁承诺 and a 集体廉政谈话 in January, 警示教育 in
April, 专项整治 in May, 重点岗位 talks in July, 医德医风考评 in December; a fire check each month,
checks before 春节 and 国庆, the 安全生产月 check by the bureau in June and the fire brigade's in
November; 医保 自查自纠 each quarter, policy training twice a year; recruitment in July,
进修 spread over the year, 职称 results in October. The adverse records a real district has are
here too: conduct cases found (问题查处), 医保 inspections whose violations were returned, and
hazards found at the latest checks still being fixed."""

from __future__ import annotations

import datetime as dt

from weijian.ledger.builtin import load_builtin
from weijian.ledger.models import Activity, ActivityType
from weijian.orgs.models import OrgUnit

from .activity import rng
from .records import adder, save
from .tree import ALL_UNITS
from .users import clerk_for

CODES = ("INTEGRITY", "SAFETY", "INSURANCE", "TALENT")
STAFF = {"RMYY": 520, "ZYY": 260, "FYBJY": 210}  # 在职职工 (承诺书 and 考评 cover all of them)
CADRES = {"RMYY": 48, "ZYY": 22, "FYBJY": 18}  # 中层干部 (the January talk)
KEY_POSTS = {"RMYY": 36, "ZYY": 17, "FYBJY": 14}  # 药剂、采购、基建、医保 key posts (July)
PARTY_DOC = {"RMYY": "区医院党发", "ZYY": "区中医院党发", "FYBJY": "区妇幼党发"}
DEPTS = {
    "RMYY": ["内科", "外科", "急诊科", "儿科", "重症医学科", "影像科", "麻醉科"],
    "ZYY": ["针灸推拿科", "骨伤科", "康复科", "内科"],
    "FYBJY": ["产科", "妇科", "儿童保健部"],
}
PLACES = ["市第一人民医院", "省人民医院", "市中心医院", "省中医院", "市妇幼保健院"]
HAZARDS = [
    "疏散通道堆放杂物", "灭火器压力不足", "应急照明灯损坏", "配电箱周边堆放可燃物",
    "消火栓箱门被遮挡", "安全出口指示灯不亮", "病房违规使用电器",
]  # fmt: skip

# Conduct cases found (问题查处): (code, years before today's year, month, day, theme, result)
CASES = [
    ("RMYY", 1, 3, 12, "患者投诉门诊一名医师服务态度生硬、解释病情不耐心",
     "经调查属实，对当事医师诫勉谈话、扣发当月绩效，并在全院通报"),
    ("RMYY", 0, 8, 19, "12345热线反映住院患者被推荐到院外药店购药",
     "经调查系个别医师违规推荐，责令向患者致歉，取消其年度评先评优资格"),
    ("ZYY", 1, 10, 22, "患者反映康复科治疗项目收费与告知不符",
     "经核查为收费录入错误，已退还患者多收费用，对相关人员批评教育"),
]  # fmt: skip
# Inspections by the 医保 departments: (code, years before, month, day, kind, inspector, title,
# doc number (year filled), issues, amount 万元, result)
INSURANCE_CHECKS = [
    ("RMYY", 2, 11, 14, "医保部门检查", "区医疗保障局", "定点医疗机构年度考核检查", "", 2, "0.86",
     "违规金额已全部退回并完成整改"),
    ("RMYY", 1, 9, 16, "医保部门检查", "区医疗保障局", "医保基金使用专项检查", "区医保发〔{y}〕21号", 6, "4.37",
     "主要为超标准收费、重复收费和串换项目收费，已全部退回并完成整改"),
    ("RMYY", 0, 6, 10, "飞行检查", "市医疗保障局", "医保基金使用飞行检查", "", 3, "1.86",
     "违规金额已全部退回，约谈相关科室负责人并完成整改"),
    ("ZYY", 1, 9, 23, "医保部门检查", "区医疗保障局", "医保基金使用专项检查", "区医保发〔{y}〕23号", 4, "2.12",
     "主要为理疗项目超频次收费，已全部退回并完成整改"),
    ("FYBJY", 0, 4, 21, "医保部门检查", "区医疗保障局", "定点医疗机构年度考核检查", "", 0, "", ""),
]  # fmt: skip


def build_areas(units: dict[str, OrgUnit], users: dict, today: dt.date, start: dt.date) -> int:
    """The records from `start` up to yesterday for each hospital; returns how many."""
    load_builtin()
    types = {t.code: t for t in ActivityType.objects.filter(code__in=CODES)}
    rows: list[Activity] = []
    for code in STAFF:
        unit = units[code]
        name = "yiyuan" if code == "RMYY" else clerk_for(ALL_UNITS[code])
        clerk = users.get(name) or users.get("tongji")
        add = adder(rows, types, unit, clerk, start, today, entered=dt.time(9, 30))
        for year in range(start.year, today.year + 1):
            _integrity_year(add, code, year)
            _safety_year(add, code, year, today)
            _insurance_year(add, code, year)
            _talent_year(add, code, year)
        for case in CASES:
            if case[0] == code:
                _, years, month, day, theme, result = case
                add("INTEGRITY", dt.date(today.year - years, month, day), "行风问题查处",
                    KIND="问题查处", THEME=theme, RESULT=result)  # fmt: skip
        for check in INSURANCE_CHECKS:
            if check[0] == code:
                _, years, month, day, kind, who, title, doc, issues, amount, result = check
                year = today.year - years
                add("INSURANCE", dt.date(year, month, day), title, KIND=kind, INSPECTOR=who,
                    DOCNO=doc.format(y=year), ISSUES=issues, AMOUNT=amount, RESULT=result)  # fmt: skip
    return save(rows)


def _integrity_year(add, code: str, year: int) -> None:
    r = rng("areas", "integrity", code, year)
    shift = list(STAFF).index(code)  # the three hospitals do not hold their talks on one day
    staff = STAFF[code] + r.randint(-8, 8)
    add("INTEGRITY", dt.date(year, 1, 20 + shift), f"{year}年度全员廉洁从业承诺书签订", KIND="廉洁承诺",
        PEOPLE=staff)  # fmt: skip
    add("INTEGRITY", dt.date(year, 1, 27 + shift), "新年度中层干部集体廉政谈话", KIND="廉政谈话",
        PEOPLE=CADRES[code])  # fmt: skip
    add("INTEGRITY", dt.date(year, 7, 8 + shift), "重点岗位人员廉政谈话", KIND="廉政谈话",
        THEME="药剂、采购、基建、医保等重点岗位", PEOPLE=KEY_POSTS[code] + r.randint(-3, 3))  # fmt: skip
    add("INTEGRITY", dt.date(year, 4, 16 + shift), "组织观看医疗领域腐败问题警示教育片", KIND="警示教育",
        THEME="以案为鉴、以案促改", PEOPLE=r.randint(staff * 6 // 10, staff * 8 // 10))  # fmt: skip
    add("INTEGRITY", dt.date(year, 5, 13 + shift), "医药领域腐败问题和不正之风专项整治", KIND="专项整治",
        DOCNO=f"{PARTY_DOC[code]}〔{year}〕4号",
        RESULT="聚焦收受红包回扣、违规收费等问题开展自查，建立问题和整改清单")  # fmt: skip
    excellent = staff * r.randint(12, 16) // 100
    add("INTEGRITY", dt.date(year, 12, 15 + shift), f"{year}年度医德医风考评", KIND="医德医风考评",
        PEOPLE=staff, RESULT=f"考评优秀{excellent}人，无考评不合格人员")  # fmt: skip


def _safety_year(add, code: str, year: int, today: dt.date) -> None:
    r = rng("areas", "safety", code, year)
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    for month in range(1, 13):
        found = r.choice([0, 1, 1, 2, 2, 3, 4])
        day = dt.date(year, month, r.randint(3, 8))
        # the latest month's check found hazards and one is still being fixed (a real
        # register's state: the summary says 其余1处正在整改, not 已全部整改)
        latest = (day.year, day.month) == (last_month.year, last_month.month)
        found = max(found, 2) if latest else found
        fixed = found - 1 if latest else found
        note = "、".join(r.sample(HAZARDS, found)) if found else ""
        add("SAFETY", day, f"{month}月消防安全检查", KIND="消防安全检查", BY="本院组织",
            HAZARDS=found, FIXED=fixed, NOTE=note)  # fmt: skip
    for month, day, title in ((1, 20, "春节前安全检查"), (9, 24, "国庆节前安全检查")):
        found = r.randint(1, 4)
        add("SAFETY", dt.date(year, month, day), title, KIND="节前安全检查", BY="本院组织",
            HAZARDS=found, FIXED=found, NOTE="、".join(r.sample(HAZARDS, found)))  # fmt: skip
    found = r.randint(0, 3)
    add("SAFETY", dt.date(year, 7, 15), "夏季用电和燃气安全检查", KIND="用电和燃气安全检查",
        BY="本院组织", HAZARDS=found, FIXED=found, NOTE="、".join(r.sample(HAZARDS, found)))  # fmt: skip
    add("SAFETY", dt.date(year, 4, 9), "危险化学品和压力容器安全检查", KIND="危化品和特种设备检查",
        BY="本院组织", HAZARDS=1, FIXED=1, NOTE="检验科危化品柜双人双锁管理不到位")  # fmt: skip
    found = r.randint(2, 3)
    add("SAFETY", dt.date(year, 6, 17), "安全生产月安全生产大检查", KIND="安全生产大检查",
        BY="上级部门", INSPECTOR="区卫生健康局", HAZARDS=found, FIXED=found,
        NOTE="、".join(r.sample(HAZARDS, found)))  # fmt: skip
    found = r.randint(1, 3)
    add("SAFETY", dt.date(year, 11, 11), "消防安全检查", KIND="消防安全检查", BY="上级部门",
        INSPECTOR="区消防救援大队", HAZARDS=found, FIXED=found,
        NOTE="、".join(r.sample(HAZARDS, found)))  # fmt: skip


def _insurance_year(add, code: str, year: int) -> None:
    r = rng("areas", "insurance", code, year)
    for month in (3, 6, 9, 12):
        issues = r.randint(1, 5)
        amount = f"{r.randint(12, 150) / 100:.2f}" if r.random() < 0.7 else ""
        add("INSURANCE", dt.date(year, month, 20), f"第{month // 3}季度医保基金使用自查自纠",
            KIND="自查自纠", ISSUES=issues, AMOUNT=amount,
            RESULT="对照负面清单逐条整改")  # fmt: skip
    for month, day in ((3, 26), (10, 22)):
        add("INSURANCE", dt.date(year, month, day), "医保政策和DRG付费培训", KIND="政策培训",
            PEOPLE=r.randint(STAFF[code] // 4, STAFF[code] // 3))  # fmt: skip


def _talent_year(add, code: str, year: int) -> None:
    r = rng("areas", "talent", code, year)
    depts = DEPTS[code]
    hired = r.sample(depts, min(len(depts), r.randint(2, 4)))
    for dept in hired:
        add("TALENT", dt.date(year, 7, 14), f"{year}年公开招聘医学专业技术人员（{dept}）",
            KIND="人才引进", DEPT=dept, PEOPLE=r.randint(1, 4 if code == "RMYY" else 2))  # fmt: skip
    for month in r.sample([2, 3, 4, 5, 6, 8, 9, 10, 11], 5 if code == "RMYY" else 3):
        dept = r.choice(depts)
        place = r.choice(PLACES[:3] if code == "RMYY" else PLACES)
        add("TALENT", dt.date(year, month, r.randint(1, 10)), f"{dept}骨干赴{place}进修",
            KIND="外出进修", DEPT=dept, PLACE=place, PEOPLE=r.randint(1, 3))  # fmt: skip
    add("TALENT", dt.date(year, 9, 1), "住院医师规范化培训", KIND="规范化培训",
        PEOPLE=r.randint(1, 4 if code == "RMYY" else 2))  # fmt: skip
    promoted = r.randint(STAFF[code] // 40, STAFF[code] // 25)
    senior = max(1, promoted // 4)
    add("TALENT", dt.date(year, 10, 28), f"{year}年度专业技术职称评审", KIND="职称晋升",
        PEOPLE=promoted, NOTE=f"其中晋升副高级以上职称{senior}人")  # fmt: skip
