"""Work ledgers over the demo's whole history: the people's hospital (院办 and every department)
and the township and community centres keep health-education events, trainings, drills,
meetings, publicity items and complaints/praise; a month without records of a kind is declared
empty (本月无投诉, 本月无演练…), as offices do, so every register is kept month by month and a
year's summary can speak of the whole year; the hospital and each centre have recurring duties
on the campaign calendar. Deterministic: seeded
random, dates relative to the demo's today. Figures are published per unit × month through
`reporting.actions.publish_system_values`, as the ledger actions do."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.utils import timezone

from weijian.ledger.actions import month_of
from weijian.ledger.builtin import load_builtin
from weijian.ledger.models import (
    Activity,
    ActivityType,
    Campaign,
    Frequency,
    NothingToReport,
)
from weijian.orgs.models import OrgUnit, OrgUnitType
from weijian.reporting.actions import SystemSource, publish_system_values
from weijian.reporting.models import DataElement, DataValue, DataValueAudit

from . import records
from .activity import rng, workday
from .tree import ALL_UNITS
from .users import clerk_for

HOSPITAL = "RMYY"
ENTERED = dt.time(16, 30)  # records are logged late in the afternoon of the day after
HE_THEMES = [
    ("高血压防治", "讲座"), ("糖尿病饮食指导", "讲座"), ("合理用药", "咨询"), ("慢阻肺康复", "讲座"),
    ("儿童常见病预防", "讲座"), ("流感防控", "室外宣传"), ("心肺复苏普及", "讲座"), ("骨质疏松预防", "义诊"),
    ("孕期保健", "讲座"), ("食品安全", "室外宣传"), ("口腔保健", "义诊"), ("中医养生", "咨询"),
    ("碘缺乏病防治", "室外宣传"), ("老年人防跌倒", "讲座"),
]  # fmt: skip
PLACES = ["门诊大厅", "住院部示教室", "社区广场", "集市", "村委会", "学校", "养老院"]
HEALTH_DAYS = [  # (month, day, title, theme, form)
    (3, 24, "世界防治结核病日宣传活动", "结核病防治", "室外宣传"),
    (4, 7, "世界卫生日义诊活动", "世界卫生日", "义诊"),
    (4, 15, "爱国卫生月环境卫生宣传", "爱国卫生", "室外宣传"),
    (4, 25, "全国预防接种日宣传", "预防接种", "咨询"),
    (5, 31, "世界无烟日控烟宣传", "无烟", "室外宣传"),
    (9, 1, "全民健康生活方式日宣传", "健康生活方式", "讲座"),
    (10, 8, "全国高血压日义诊", "高血压防治", "义诊"),
    (12, 1, "世界艾滋病日宣传活动", "艾滋病防治", "室外宣传"),
]
TRAININGS = [
    ("医院感染防控与手卫生", "全院"), ("医疗质量安全核心制度", "全院"), ("心肺复苏与急救技能", "全院"),
    ("消防安全知识", "全院"), ("传染病报告与管理", "全院"), ("抗菌药物合理使用", "全院"),
    ("医疗纠纷预防和处理条例", "全院"), ("病历书写规范", "科室"), ("护理核心制度", "科室"),
]  # fmt: skip
# The centres' quarterly training of the village doctors, each quarter on one 基本公卫 duty (a
# summary's 预防接种, 慢病 and 妇幼 sections say what was done from these: documents/measures.py)
CENTRE_TRAININGS = {
    3: "预防接种规范和冷链管理", 6: "高血压和糖尿病患者规范管理", 9: "孕产妇和儿童健康管理",
    12: "基本公共卫生服务规范",
}  # fmt: skip
# The hospital's service training (April and October, 院办 with 门诊部): its own random stream,
# so the other records of the month stay as they were
SERVICE_TRAINING = "医患沟通与服务礼仪"
DRILLS = ["消防", "疏散", "电梯困人", "停电停水", "批量伤员救治", "医院感染暴发"]
MEDIA = [("县区级", "区卫健局网站", 1), ("县区级", "区融媒体中心", 2), ("市级", "市卫生健康信息", 3),
         ("省级", "省卫生健康委网站", 5), ("系统内", "卫健工作简报", 1)]  # fmt: skip
CHANNELS = ["来电", "来访", "12345热线", "网络", "意见箱"]
COMPLAINTS = ["候诊时间长", "服务态度", "收费疑问", "检查结果等待时间", "停车难", "病房卫生"]
PRAISES = ["医术精湛", "服务热情", "抢救及时", "护理细心"]
EMPTY_NOTES = {
    "FEEDBACK": "本月无投诉", "DRILL": "本月无演练", "TRAIN": "本月无培训", "HE": "本月无健康教育活动",
    "MEET": "本月无会议", "PUB": "本月无报送信息",
}  # fmt: skip
PEOPLE = ["王建华", "李秀英", "张伟", "刘洋", "陈静", "杨帆", "赵丽", "黄磊", "周敏", "吴刚"]


def build_ledger(
    units: dict[str, OrgUnit], users: dict, today: dt.date, start: dt.date | None = None
) -> int:
    """Records from `start` (default: 12 months back) up to yesterday; returns how many."""
    load_builtin()
    types = {t.code: t for t in ActivityType.objects.all()}
    start = start or dt.date(today.year - 1, today.month, 1)
    days = [start + dt.timedelta(days=n) for n in range((today - start).days)]
    plan = _Plan(types, units, users, today)
    hospital = units[HOSPITAL]
    departments = [u for u in units.values() if u.code.startswith(HOSPITAL + "_")]
    centres = [u for u in units.values() if u.type in (OrgUnitType.TOWNSHIP, OrgUnitType.COMMUNITY)]
    for month_start in sorted({d.replace(day=1) for d in days}):
        plan.hospital_month(hospital, month_start)
        for dept in departments:
            if not dept.is_closed_on(month_start):
                plan.department_month(dept, month_start)
        for centre in centres:
            plan.centre_month(centre, month_start)
    for month, day, title, theme, form in HEALTH_DAYS:
        for year in range(start.year, today.year + 1):
            when = dt.date(year, month, day)
            if start <= when < today:
                plan.health_day(hospital, centres, when, title, theme, form)
    plan.nurses_day(hospital, start, today)
    plan.declare_empty_months(start)
    created = plan.save()
    _duties(types, hospital, centres)
    _publish(plan)
    _date_published(today)
    return created


class _Plan:
    def __init__(self, types, units, users, today):
        self.types, self.units, self.users, self.today = types, units, users, today
        self.rows: list[Activity] = []
        self.empty: list[NothingToReport] = []
        self.places: set[tuple[OrgUnit, str]] = set()
        self.default_clerk = users.get("tongji")
        self.clerks: dict = {}
        self.he_reported = _he_reported(units)
        self.health_day_form: dict[tuple[str, dt.date], str] = {}  # (centre, day) → 形式

    def clerk(self, unit):
        """The login that keeps the unit's ledgers: the hospital's office (院办, the institution
        administrator) for the hospital itself; else the unit's clerk or the nearest above."""
        if unit.code not in self.clerks:
            name = "yiyuan" if unit.code == HOSPITAL else clerk_for(ALL_UNITS[unit.code])
            self.clerks[unit.code] = self.users.get(name) or self.default_clerk
        return self.clerks[unit.code]

    def add(self, code, unit, day, title, **values):
        if day >= self.today:
            return
        clerk = self.clerk(unit)
        self.rows.append(records.record(self.types[code], unit, clerk, day, title, values, ENTERED))
        self.places.add((unit, month_of(day)))

    def _day(self, r, month_start, lo=3, hi=26):
        """A working day of the month near a random one in [lo, hi] (meetings, trainings,
        drills, lectures and publicity items are office work: never on a weekend)."""
        return workday(month_start.replace(day=r.randint(lo, hi)))

    def hospital_month(self, unit, m):
        r = rng("ledger", unit.code, m)
        self.add("MEET", unit, self._day(r, m, 3, 8), f"{m.month}月院务会", KIND="院务会",
                 CHAIR="院长", ATTEND=r.randint(18, 26), TOPICS="医疗质量、安全生产、重点工作推进")  # fmt: skip
        for _ in range(r.randint(1, 2)):
            theme, level = r.choice(TRAININGS[:7])
            attend = r.randint(60, 180)
            examined = attend - r.randint(0, 10)
            self.add("TRAIN", unit, self._day(r, m), f"{theme}培训", THEME=theme, LEVEL=level,
                     TRAINER=r.choice(PEOPLE), HOURS="2", ATTEND=attend, EXAMINED=examined,
                     PASSED=examined - r.randint(0, max(1, examined // 15)), CREDITS="0.5")  # fmt: skip
        if m.month in (3, 6, 9, 12) or r.random() < 0.2:
            kind = "消防" if m.month in (3, 6, 9, 12) else r.choice(DRILLS[1:])
            self.add("DRILL", unit, self._day(r, m, 10, 25), f"{kind}应急演练", KIND=kind,
                     SCOPE="全院", PEOPLE=r.randint(40, 120), GUIDE="区消防救援大队" if kind == "消防" else "",
                     RESULT=r.choice(["优秀", "良好", "良好", "合格"]))  # fmt: skip
        if m.month in (4, 10):
            s = rng("ledger", "service", unit.code, m)
            attend = s.randint(80, 160)
            self.add("TRAIN", unit, self._day(s, m), f"{SERVICE_TRAINING}培训", THEME=SERVICE_TRAINING,
                     LEVEL="全院", TRAINER=s.choice(PEOPLE), HOURS="2", ATTEND=attend,
                     EXAMINED=attend, PASSED=attend - s.randint(0, 4), CREDITS="0.5")  # fmt: skip
        for _ in range(r.randint(2, 6)):
            level, media, points = r.choice(MEDIA)
            theme, _ = r.choice(HE_THEMES)
            self.add("PUB", unit, self._day(r, m, 1, 28), f"区人民医院开展{theme}工作", GENRE="工作信息",
                     AUTHOR=[r.choice(PEOPLE)], MEDIA=media, LEVEL=level, POINTS=points)  # fmt: skip

    def department_month(self, unit, m):
        r = rng("ledger", unit.code, m)
        clinical = unit.code.split("_")[1] not in ("YWK", "HLB", "YGK", "CWK", "YB")
        self.add("MEET", unit, self._day(r, m, 2, 10), f"{unit.name}{m.month}月科务会", KIND="科务会",
                 CHAIR="科主任", ATTEND=r.randint(8, 30), TOPICS="本月医疗质量与安全分析")  # fmt: skip
        if r.random() < 0.7:
            theme, _ = r.choice(TRAININGS[6:])
            attend = r.randint(8, 30)
            self.add("TRAIN", unit, self._day(r, m), f"{unit.name}业务学习：{theme}", THEME=theme,
                     LEVEL="科室", HOURS="1", ATTEND=attend, EXAMINED=attend,
                     PASSED=attend - (1 if r.random() < 0.3 else 0))  # fmt: skip
        if clinical and r.random() < 0.5:
            theme, form = r.choice(HE_THEMES)
            reached = r.randint(30, 200)
            self.add("HE", unit, self._day(r, m), f"{theme}健康{'讲座' if form == '讲座' else '宣传'}",
                     THEME=theme, FORM=form, PLACE=r.choice(PLACES[:3]), STAFF=r.sample(PEOPLE, 2),
                     SESSIONS=1, REACHED=reached, LEAFLETS=reached * 2, BOARDS=r.randint(0, 2))  # fmt: skip
        if clinical:
            complaints = r.choices([0, 0, 0, 1, 1, 2], k=1)[0]
            for _ in range(complaints):
                self.add("FEEDBACK", unit, self._day(r, m, 1, 28), f"患者投诉：{r.choice(COMPLAINTS)}",
                         KIND="投诉", CHANNEL=r.choice(CHANNELS), SUBJECT=r.choice(COMPLAINTS),
                         RESULT="已调查核实并向患者反馈", ONTIME=r.random() < 0.9)  # fmt: skip
            for _ in range(r.randint(0, 2)):
                self.add("FEEDBACK", unit, self._day(r, m, 1, 28), f"患者赠送锦旗：{r.choice(PRAISES)}",
                         KIND="表扬", CHANNEL="锦旗", SUBJECT=r.choice(PRAISES))  # fmt: skip
            if complaints == 0 and m < self.today.replace(day=1):
                self.empty.append(self._nothing("FEEDBACK", unit, m, "本月无投诉"))

    def centre_month(self, unit, m):
        r = rng("ledger", unit.code, m)
        this_month = m == self.today.replace(day=1)
        skip_board = unit.code == "QSZ" and (
            this_month or m.month == (self.today.month - 2) % 12 + 1
        )
        if not skip_board:
            self.add("HE", unit, self._day(r, m, 1, 10), f"健康教育宣传栏更新（{m.month}月）",
                     THEME=r.choice(HE_THEMES)[0], FORM="室外宣传", PLACE="卫生院门前宣传栏",
                     SESSIONS=1, REACHED=r.randint(200, 600), BOARDS=2)  # fmt: skip
        self.centre_health_education(unit, m, r)
        if m.month % 3 == 0:
            attend = r.randint(15, 40)
            theme = CENTRE_TRAININGS[m.month]
            self.add("TRAIN", unit, self._day(r, m), "乡村医生业务培训", THEME=theme,
                     LEVEL="全院", HOURS="4", ATTEND=attend, EXAMINED=attend,
                     PASSED=attend - r.randint(0, 3), CREDITS="1")  # fmt: skip
        if m.month in (6, 11):
            self.add("DRILL", unit, self._day(r, m, 10, 25), "消防安全应急演练", KIND="消防",
                     SCOPE="全院", PEOPLE=r.randint(15, 40), RESULT="合格")  # fmt: skip
        if r.random() < 0.15:
            self.add("FEEDBACK", unit, self._day(r, m, 1, 28), "群众来电反映就诊问题", KIND="投诉",
                     CHANNEL="12345热线", SUBJECT="就诊等候", RESULT="已回复", ONTIME=True)  # fmt: skip
        elif not this_month:
            self.empty.append(self._nothing("FEEDBACK", unit, m, "本月无投诉"))

    def _nothing(self, code, unit, m, note):
        self.places.add((unit, month_of(m)))
        at = timezone.make_aware(dt.datetime.combine(m + dt.timedelta(days=32), dt.time(9)))
        return NothingToReport(type=self.types[code], org_unit=unit, period_id=month_of(m),
                               note=note, set_by=self.clerk(unit), set_at=at)  # fmt: skip

    def health_day(self, hospital, centres, when, title, theme, form):
        r = rng("ledger", "day", when)
        self.add("HE", hospital, when, f"{title}", THEME=theme, FORM=form, PLACE="门诊广场",
                 STAFF=r.sample(PEOPLE, 4), SESSIONS=1, REACHED=r.randint(200, 600),
                 LEAFLETS=r.randint(500, 1500), BOARDS=r.randint(4, 10), BANNERS=r.randint(1, 3))  # fmt: skip
        for centre in centres:
            kind = self.health_day_form.get((centre.code, when))
            if kind is None:
                continue  # the centre did not mark this day; the check page shows it
            c = rng("ledger", "day", when, centre.code)
            # on the day itself (a weekend too, as the campaign asks) or a working day near it,
            # in the day's own month: the month whose report counts it (centre_health_education)
            first = max(when - dt.timedelta(days=3), when.replace(day=1))
            last = min(when + dt.timedelta(days=3), month_end(when))
            day = min(max(when + dt.timedelta(days=c.randint(-2, 2)), first), last)
            if day != when:
                day = workday(day, first, last)
            self.add("HE", centre, day, title, THEME=theme, FORM=kind, PLACE=c.choice(PLACES[2:]),
                     SESSIONS=1, REACHED=c.randint(80, 300), LEAFLETS=c.randint(200, 800),
                     BOARDS=c.randint(2, 6), BANNERS=1)  # fmt: skip

    def centre_health_education(self, unit, m, r) -> None:
        """The centre's lectures and 公众健康咨询 of the month, as many as its 基本公卫 report
        says (HE_LECTURES, HE_CONSULTATIONS: the 台账 is what the report is counted from, so
        the summary's two sources agree). A health day the centre marks is one of the month's
        consultations while the report has some left; beyond that it is 室外宣传."""
        reported = self.he_reported.get((unit.pk, month_of(m)), {})
        consultations = reported.get("HE_CONSULTATIONS", 0)
        for month, day, *_ in HEALTH_DAYS:
            when = dt.date(m.year, month, day)
            if month != m.month or rng("ledger", "day", when, unit.code).random() >= 0.8:
                continue  # most centres mark each day; the check page shows the rest
            kind = "咨询" if consultations > 0 else "室外宣传"
            consultations -= kind == "咨询"
            self.health_day_form[(unit.code, when)] = kind
        lectures = reported.get("HE_LECTURES", 0)
        for form, count, people in (
            ("讲座", lectures, reported.get("HE_LECTURE_ATTENDEES", 0)),
            ("咨询", consultations, reported.get("HE_CONSULT_ATTENDEES", 0)),
        ):
            themes = [t for t, f in HE_THEMES if f == form] or [t for t, _ in HE_THEMES]
            for n in range(count):
                theme = r.choice(themes)
                reached = people // count + (n < people % count)  # the report's attendees, shared
                self.add("HE", unit, self._day(r, m, 8, 27), f"{theme}{'讲座' if form == '讲座' else '健康咨询'}",
                         THEME=theme, FORM=form, PLACE=r.choice(PLACES[2:]), STAFF=r.sample(PEOPLE, 3),
                         SESSIONS=1, REACHED=reached, LEAFLETS=reached * 3,
                         BOARDS=r.randint(0, 2), BANNERS=r.randint(0, 2))  # fmt: skip

    def declare_empty_months(self, start: dt.date) -> None:
        """本月无… for every kind a unit keeps and had nothing of in an ended month (the
        hospital's office its drills and meetings, a department its trainings…), unless the
        month was already declared."""
        kept = defaultdict(set)  # unit → the kinds it keeps
        done = set()
        for a in self.rows:
            kept[a.org_unit].add(a.type.code)
            done.add((a.org_unit.pk, a.period_id, a.type.code))
        for n in self.empty:
            done.add((n.org_unit.pk, n.period_id, n.type.code))
        this_month, months, m = self.today.replace(day=1), [], start.replace(day=1)
        while m < this_month:
            months.append(m)
            m = (m + dt.timedelta(days=32)).replace(day=1)
        for unit, codes in kept.items():
            for m in months:
                if unit.is_closed_on(m) or (unit.opening_date and unit.opening_date > m):
                    continue
                for code in sorted(codes):
                    if (unit.pk, month_of(m), code) not in done:
                        self.empty.append(
                            self._nothing(code, unit, m, EMPTY_NOTES.get(code, "本月无记录"))
                        )
                        done.add((unit.pk, month_of(m), code))

    def nurses_day(self, hospital, start, today):
        for year in range(start.year, today.year + 1):
            when = workday(dt.date(year, 5, 12))  # a meeting: on a working day near 5·12
            if start <= when < today:
                self.add("MEET", hospital, when, "庆祝“5·12”国际护士节暨优秀护士表彰大会",
                         KIND="专题会议", CHAIR="院长", ATTEND=160, TOPICS="表彰优秀护士")  # fmt: skip

    def save(self) -> int:
        created = records.save(self.rows, batch_size=1000)
        NothingToReport.objects.bulk_create(self.empty, batch_size=1000)
        return created


def _duties(types, hospital, centres) -> None:
    duties = [
        Campaign(code="RMYY_FIRE_DRILL", name="每季度消防演练", frequency=Frequency.QUARTERLY,
                 activity_type=types["DRILL"], keyword="消防", org_unit=hospital),
        Campaign(code="RMYY_MEETING", name="每月院务会", frequency=Frequency.MONTHLY,
                 activity_type=types["MEET"], keyword="院务会", org_unit=hospital),
    ]  # fmt: skip
    for centre in centres:
        duties.append(
            Campaign(
                code=f"{centre.code}_BOARD",
                name="每月健康教育宣传栏更新",
                frequency=Frequency.MONTHLY,
                activity_type=types["HE"],
                keyword="宣传栏",
                org_unit=centre,
            )  # fmt: skip
        )
    Campaign.objects.bulk_create(duties)


def _publish(plan: _Plan) -> None:
    """One publish per unit × month with every type's figures, computed as the actions compute
    them (`FigureSpec.compute` over the month's records; 0 for a month declared empty)."""
    records = defaultdict(list)
    for a in plan.rows:
        records[(a.org_unit.pk, a.period_id, a.type.code)].append(a.values)
    declared = {(n.org_unit.pk, n.period_id, n.type.code) for n in plan.empty}
    for unit, period_id in sorted(plan.places, key=lambda p: (p[0].path, p[1])):
        figures = {}
        for code, activity_type in plan.types.items():
            key = (unit.pk, period_id, code)
            for spec in activity_type.figure_specs():
                if key in records:
                    figures[spec.code] = spec.compute(records[key])
                elif key in declared:
                    figures[spec.code] = 0
        if figures:
            publish_system_values(SystemSource.LEDGER, unit, period_id, figures)


def _date_published(today: dt.date) -> None:
    """The published figures carry the demo's moment (noon of its today, or now), not the
    wall-clock time of loading, so a demo loaded for an earlier day has nothing in its future."""
    noon = timezone.make_aware(dt.datetime.combine(today, dt.time(12)))
    moment = min(noon, timezone.now())
    DataValueAudit.objects.filter(source=SystemSource.LEDGER).update(changed_at=moment)
    # Element ids first: an UPDATE … WHERE id IN (a join) is planned badly by PostgreSQL.
    elements = list(
        DataElement.objects.filter(code__startswith="LG_", system_managed=True).values_list(
            "pk", flat=True
        )
    )
    DataValue.objects.filter(element_id__in=elements).update(updated_at=moment)


def month_end(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


HE_REPORTED = ("HE_LECTURES", "HE_LECTURE_ATTENDEES", "HE_CONSULTATIONS", "HE_CONSULT_ATTENDEES")


def _he_reported(units: dict[str, OrgUnit]) -> dict[tuple[int, str], dict[str, int]]:
    """(unit, month) → the health-education counts its monthly 基本公卫 report holds."""
    centres = [
        u.pk for u in units.values() if u.type in (OrgUnitType.TOWNSHIP, OrgUnitType.COMMUNITY)
    ]
    rows = DataValue.objects.filter(
        org_unit_id__in=centres, element__code__in=HE_REPORTED
    ).values_list("org_unit_id", "period_id", "element__code", "value")
    reported: dict[tuple[int, str], dict[str, int]] = defaultdict(dict)
    for unit, period, code, value in rows:
        reported[(unit, period)][code] = int(Decimal(value))
    return reported
