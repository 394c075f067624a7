"""The demo's leading groups (founded and adjusted over the years), each year's responsibility
contracts and the satisfaction surveys over the demo's whole history.

Everything is written through the apps' actions (so the demo exercises the same checks) except
the survey responses, which are bulk-inserted and then published once per unit × kind × month.
Deterministic: seeded generators, dates relative to the demo's `today`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.contrib.auth.models import User
from django.utils import timezone

from weijian import periods
from weijian.governance.actions import (
    TargetSpec,
    adjust_group,
    create_group,
    issue_contracts,
    parse_members,
    sign_contract,
)
from weijian.orgs.models import OrgUnit
from weijian.reporting.actions import SystemSource
from weijian.reporting.models import DataElement, DataValue, DataValueAudit
from weijian.surveys.actions import (
    create_survey,
    ensure_builtin_questionnaires,
    ensure_survey_metadata,
    publish_month,
)
from weijian.surveys.models import QuestionType, Response

from .activity import rng, workday

HEALTH_PROMOTION = "创建健康促进医院工作领导小组"
SAFETY = "安全生产工作领导小组"

# (unit, kind, share of satisfied respondents, responses a month (low, high), months before
# the demo's last month the survey began, None: from the start of the history)
SURVEYS = [
    ("RMYY", "INPAT", 0.94, (40, 60), None),
    ("RMYY", "OUTPAT", 0.87, (30, 45), None),
    ("RMYY", "STAFF", 0.78, (8, 14), None),  # below 80%: the results page flags 约谈
    ("ZYY", "INPAT", 0.92, (15, 25), 9),  # begun late: its summaries say since when
    ("QSZ", "OUTPAT", 0.90, (10, 16), None),
    ("HXZ", "OUTPAT", 0.84, (8, 12), None),
    ("SPX", "OUTPAT", 0.74, (6, 10), None),  # below 80%: loses 评先 eligibility
    ("DCSQ", "OUTPAT", 0.88, (10, 15), None),
]

PRAISE = ["护士很耐心，谢谢！", "医生解释得很清楚。", "环境干净整洁。", "导医热情，流程方便。"]
COMPLAINTS = [
    "候诊时间太长。",
    "停车不方便。",
    "缴费窗口排队久。",
    "夜间病房有些吵。",
    "希望增加周末门诊。",
]
STAFF_PRAISE = ["科室氛围很好。", "今年培训机会多了。", "食堂改善明显。"]
STAFF_COMPLAINTS = ["夜班太多，人手不足。", "绩效分配希望更透明。", "希望增加进修名额。"]


def build_governance(today: dt.date, now: dt.datetime, start: dt.date | None = None) -> None:
    admin = User.objects.get(username="admin")
    office = User.objects.get(username="yiyuan")
    units = {u.code: u for u in OrgUnit.objects.filter(depth__lte=2)}
    start = start or dt.date(today.year, 1, 1)
    ensure_survey_metadata()
    _groups(admin, office, units, today)
    _older_groups(admin, office, units, today, start)
    # contracts of last year and this one (the contract action takes no older years)
    for year in range(max(start.year, today.year - 1), today.year + 1):
        _contracts(admin, office, units, today, year)
    _surveys(admin, units, today, now, start)


def _groups(admin, office, units, today: dt.date) -> None:
    founded = workday(today - dt.timedelta(days=600))
    group = create_group(
        office,
        units["RMYY"],
        name=HEALTH_PROMOTION,
        duties="统筹全院健康促进医院创建工作，研究制定创建方案和年度计划。\n"
        "组织开展全院职工和患者健康教育，推进无烟医院建设。\n"
        "定期检查各科室健康教育工作，督促整改，纳入科室年度考核。",
        document_number=f"区医院发〔{founded.year}〕11号",  # after March's 8号 (numbers follow dates)
        founded_on=founded,
        members=parse_members(
            "组长，吴志明，院长\n副组长，陈明，副院长\n副组长，杨雪梅，党总支副书记\n"
            "成员，刘芳，医务科科长\n成员，高秀英，护理部主任\n成员，何丽，院办主任\n"
            "成员，罗建华，院感科科长\n成员，谢文，健康教育专干"
        ),
        office_location="院办公室",
        office_director="何丽",
    )
    adjusted = workday(today - dt.timedelta(days=75))
    adjust_group(
        office,
        group,
        effective_on=adjusted,
        document_number=f"区医院发〔{adjusted.year}〕27号",
        reason="因人事变动",
        members=parse_members(
            "组长，吴志明，院长\n副组长，陈明，副院长\n副组长，郭立新，党总支副书记\n"
            "成员，刘芳，医务科科长\n成员，高秀英，护理部主任\n成员，何丽，院办主任\n"
            "成员，罗建华，院感科科长\n成员，谢文，健康教育专干\n成员，潘静，门诊部主任"
        ),
    )
    started = workday(today - dt.timedelta(days=200))
    create_group(
        admin,
        units["DEMO"],
        name=SAFETY,
        duties="贯彻落实安全生产法律法规，研究部署全区卫生健康系统安全生产工作。\n"
        "组织开展安全生产大检查和隐患排查整治，督促各单位限期整改。\n"
        "与各医疗卫生单位签订安全生产目标责任书，年终进行考核。",
        document_number=f"示卫发〔{started.year}〕12号",
        founded_on=started,
        members=parse_members(
            "组长，周建国，局长\n副组长，宋卫东，副局长\n成员，李文静，医政科科长\n"
            "成员，赵志刚，综合监督科科长\n成员，孙晓燕，局办公室主任\n"
            "成员，吴志明，区人民医院院长\n成员，钱立群，区中医医院院长"
        ),
        office_location="局办公室",
        office_director="孙晓燕",
    )


def _older_groups(admin, office, units, today: dt.date, start: dt.date) -> None:
    """Groups with a history: the hospital's infection-control committee (founded before the
    demo, adjusted each spring), the bureau's public-health project group (founded in the
    first year, adjusted the next) and a township's health-education group. With a short
    history (tests load a few months) only what has already happened is written."""
    founded = workday(dt.date(start.year, 2, 20))
    if founded >= today:
        return
    committee = create_group(
        office,
        units["RMYY"],
        name="医院感染管理委员会",
        duties="贯彻医院感染管理法规，制定全院医院感染管理制度和年度计划。\n"
        "组织医院感染监测、督导检查和全员培训，研究解决医院感染管理中的重大问题。",
        document_number=f"区医院发〔{start.year}〕3号",
        founded_on=founded,
        members=parse_members(
            "组长，吴志明，院长\n副组长，陈明，副院长\n成员，罗建华，院感科科长\n"
            "成员，刘芳，医务科科长\n成员，高秀英，护理部主任"
        ),
        office_location="质控院感科",
        office_director="罗建华",
    )
    rosters = {
        start.year + 1: "组长，吴志明，院长\n副组长，陈明，副院长\n成员，罗建华，院感科科长\n"
        "成员，刘芳，医务科科长\n成员，高秀英，护理部主任\n成员，潘静，门诊部主任",
        start.year + 2: "组长，吴志明，院长\n副组长，陈明，副院长\n成员，罗建华，院感科科长\n"
        "成员，刘芳，医务科科长\n成员，高秀英，护理部主任\n成员，潘静，门诊部主任\n"
        "成员，韩冬，重症医学科主任",
    }
    for number, year in ((9, start.year + 1), (8, start.year + 2)):
        day = workday(dt.date(year, 3, 10))
        if day < today:
            adjust_group(
                office, committee, effective_on=day, document_number=f"区医院发〔{year}〕{number}号",
                reason="因科室负责人调整", members=parse_members(rosters[year]),
            )  # fmt: skip
    project_founded = workday(dt.date(start.year + 1, 2, 18))
    if project_founded >= today:
        return
    project = create_group(
        admin,
        units["DEMO"],
        name="基本公共卫生服务项目工作领导小组",
        duties="统筹全区基本公共卫生服务项目实施，制定年度实施方案和绩效评价办法。",
        document_number=f"示卫发〔{start.year + 1}〕5号",
        founded_on=project_founded,
        members=parse_members(
            "组长，周建国，局长\n副组长，宋卫东，副局长\n成员，李文静，医政科科长"
        ),
        office_location="基层卫生健康科",
        office_director="李文静",
    )
    adjusted = workday(dt.date(start.year + 2, 2, 26))
    if adjusted < today:
        adjust_group(
            admin, project, effective_on=adjusted, document_number=f"示卫发〔{adjusted.year}〕4号",
            reason="因人事变动",
            members=parse_members("组长，周建国，局长\n副组长，宋卫东，副局长\n成员，赵志刚，综合监督科科长"),
        )  # fmt: skip
    create_group(
        admin,
        units["QSZ"],
        name="健康教育工作领导小组",
        duties="制定年度健康教育工作计划，组织开展健康知识讲座、咨询和宣传栏更新。",
        document_number=f"青卫发〔{start.year + 1}〕2号",
        founded_on=workday(dt.date(start.year + 1, 1, 15)),
        members=parse_members("组长，许平，院长\n成员，马丽，公卫科科长"),
    )


def _sign_day(year: int, today: dt.date, offset: int) -> dt.date:
    """A working day `offset` days into the year, not after today."""
    day = min(dt.date(year, 1, 1) + dt.timedelta(days=offset), today)
    return workday(day, dt.date(year, 1, 2), today)


def _contracts(admin, office, units, today: dt.date, year: int) -> None:
    """The year's contracts; all signed in past years, a few still unsigned this year."""
    random = rng("contracts", year)
    hospitals = [units[c] for c in ("RMYY", "ZYY", "FYBJY")]
    centres = [units[c] for c in ("QSZ", "HXZ", "LTZ", "DZZ", "SPX", "BSX", "DCSQ", "XCSQ")]
    quality = issue_contracts(
        admin,
        units["DEMO"],
        year=year,
        title=f"{year}年度医疗质量安全目标责任书",
        parties=hospitals,
        targets=[
            TargetSpec("HAI_HAND_HYGIENE", "85"),
            TargetSpec("PERF3_DDDS", "40"),
            TargetSpec("HAI_INCIDENCE", "1.2"),
            TargetSpec("SVY_INPAT_RATE", "90", "出院患者满意度不低于90%"),
            TargetSpec(duty="落实十八项医疗质量安全核心制度，全年无重大医疗事故"),
        ],
    )
    public_health = issue_contracts(
        admin,
        units["DEMO"],
        year=year,
        title=f"{year}年度基本公共卫生服务目标责任书",
        parties=centres,
        targets=[
            TargetSpec("PHS_EHR_RATE", "90"),
            TargetSpec("PHS_HTN_STANDARD_RATE", "65"),
            TargetSpec("SVY_OUTPAT_RATE", "80", "门诊患者满意度不低于80%"),
            TargetSpec(duty="按季度开展健康教育讲座，每月更换健康教育宣传栏"),
        ],
    )
    departments = list(
        OrgUnit.objects.filter(path__startswith=units["RMYY"].path, depth=3).order_by("path")
    )
    safety = issue_contracts(
        office,
        units["RMYY"],
        year=year,
        title=f"{year}年度科室安全生产目标责任书",
        parties=departments,
        targets=[
            TargetSpec(duty="科主任、护士长为本科室安全生产第一责任人，指定一名安全员"),
            TargetSpec(duty="每月开展一次科室消防安全自查，发现隐患及时整改上报"),
            TargetSpec(duty="全体人员参加医院组织的消防演练，做到“四懂四会”"),
        ],
    )
    heads = ["吴志明", "钱立群", "林淑芬"] + [f"{u.display_name[:2]}院长" for u in centres]
    # 签订率 9 / 11 bureau-wide this year: two centres have not signed yet
    unsigned = {"BSX", "XCSQ"} if year == today.year else set()
    for contract, head in zip([*quality, *public_health], heads, strict=True):
        if contract.party.code in unsigned:
            continue
        day = _sign_day(year, today, random.randint(8, 40))
        sign_contract(admin, contract, signed_on=day, responsible_person=head)
    for index, contract in enumerate(safety):
        if index % 7 == 6 and year == today.year:  # a few departments still to sign
            continue
        day = _sign_day(year, today, random.randint(15, 60))
        sign_contract(office, contract, signed_on=day, responsible_person="科主任")


def _surveys(admin, units, today: dt.date, now: dt.datetime, start: dt.date) -> None:
    questionnaires = ensure_builtin_questionnaires()
    responses: list[Response] = []
    history = periods.periods_between(periods.PeriodType.MONTHLY, start, today)
    for code, kind, satisfied_share, (low, high), begun in SURVEYS:
        unit = units[code]
        questionnaire = questionnaires[kind]
        survey = create_survey(admin, questionnaire, unit)
        random = rng("survey", code, kind)
        survey.token = "".join(random.choice("abcdefghijkmnpqrstuvwxyz23456789") for _ in range(22))
        survey.save(update_fields=["token"])
        questions = list(questionnaire.questions.all())
        months = history if begun is None else history[-begun - 1 :]
        for period in months:
            first = period.start
            last_day = (
                today.day
                if first.year == today.year and first.month == today.month
                else period.end.day
            )
            for _ in range(random.randint(low, high)):
                day = first.replace(day=random.randint(1, last_day))
                at = timezone.make_aware(
                    dt.datetime(
                        day.year, day.month, day.day, random.randint(8, 17), random.randint(0, 59)
                    )
                )
                if at > now:
                    at = now - dt.timedelta(minutes=random.randint(1, 300))
                satisfied = random.random() < satisfied_share
                answers = _answers(random, questions, satisfied, staff=kind == "STAFF")
                local = timezone.localtime(at)
                responses.append(
                    Response(
                        survey=survey,
                        org_unit=unit,
                        kind=kind,
                        submitted_at=at,
                        month=f"{local:%Y%m}",
                        satisfied=satisfied,
                        answers=answers,
                        fill_seconds=random.randint(40, 240),
                    )
                )
    Response.objects.bulk_create(responses, batch_size=500)
    for unit_id, kind, month in sorted(
        Counter((r.org_unit_id, r.kind, r.month) for r in responses)
    ):
        publish_month(_unit(units, unit_id), kind, month)
    # Publishing stamps the real clock; the demo's history ends at its own `now`.
    # Element ids first: an UPDATE … WHERE id IN (a join) is planned badly by PostgreSQL.
    elements = list(
        DataElement.objects.filter(code__startswith="SVY_").values_list("pk", flat=True)
    )
    DataValue.objects.filter(updated_at__gt=now, element_id__in=elements).update(updated_at=now)
    DataValueAudit.objects.filter(changed_at__gt=now, source=SystemSource.SURVEYS).update(
        changed_at=now
    )


def _unit(units, pk):
    return next(u for u in units.values() if u.pk == pk)


def _answers(random, questions, satisfied: bool, *, staff: bool) -> dict[str, object]:
    overall = random.choice([4, 5, 5]) if satisfied else random.choice([1, 2, 3, 3, 3])
    answers: dict[str, object] = {}
    for q in questions:
        key = str(q.pk)
        if q.type == QuestionType.SCALE:
            score = overall if q.overall else overall + random.choice([-1, 0, 0, 1])
            answers[key] = max(1, min(5, score))
        elif q.type == QuestionType.SINGLE:
            answers[key] = 0 if random.random() < 0.85 else random.randrange(len(q.options))
            if "红包" in q.text:
                answers[key] = 0
        elif q.type == QuestionType.MULTI:
            picked = random.sample(range(len(q.options)), k=random.choice([0, 0, 1, 1, 2]))
            if picked:
                answers[key] = sorted(picked)
        elif random.random() < 0.18:
            pool = (STAFF_PRAISE, STAFF_COMPLAINTS) if staff else (PRAISE, COMPLAINTS)
            answers[key] = random.choice(pool[0] if satisfied else pool[1])
    return answers
