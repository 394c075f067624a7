"""The demo's inspections: checks from plans over the demo's whole history, with findings, rectification notices
(most closed on time, some late, a few overdue and escalated) and so monthly rankings.

    区人民医院 质控院感科 (zhikong)   院感质量考核 YGGL, monthly, the 12 clinical departments
    区人民医院 护理部 (hulibu)        病区护理质量检查 HLZL, monthly, the 8 largest wards
    区卫健局 督查 (jiancha)            消防与治安安全 XFAQ and 健康促进与控烟 JKCJ, quarterly,
                                      the 6 township and 2 community centres

The inspectors' logins are in users.LOGINS. Deterministic: every choice comes from `rng(...)` keyed by plan, unit and month; dates are
relative to the demo's "today". Records are written in bulk (the actions are for people);
the published INSP_ figures are tallied by the same `figures.tally` the actions use.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils import timezone

from weijian import periods
from weijian.inspections import figures, templates_io
from weijian.inspections.models import (
    ChecklistTemplate,
    Event,
    EventAction,
    Inspection,
    InspectionPlan,
    InspectionStatus,
    ItemScore,
    NoticeStatus,
    RectificationNotice,
)
from weijian.inspections.schedule import planned_per_month, windows
from weijian.inspections.scoring import Kind, Mark, fmt, score_sheet
from weijian.orgs.models import OrgUnit
from weijian.reporting.actions import Source
from weijian.reporting.models import AuditAction, DataElement, DataValue, DataValueAudit, Period
from weijian.reporting.queries import default_option

from .activity import rng, workday
from .bulk import insert_rows

CLINICAL = ["RMYY_NK", "RMYY_WK", "RMYY_FCK", "RMYY_EK", "RMYY_GK", "RMYY_JZK", "RMYY_ICU",
            "RMYY_YEBH", "RMYY_KQK", "RMYY_ZYK", "RMYY_GRK", "RMYY_LNBK"]  # fmt: skip
WARDS = ["RMYY_NK", "RMYY_WK", "RMYY_FCK", "RMYY_EK", "RMYY_GK", "RMYY_ICU", "RMYY_GRK", "RMYY_ZYK"]
CENTRES = ["QSZ", "HXZ", "LTZ", "DZZ", "SPX", "BSX", "DCSQ", "XCSQ"]
PLANS = (
    # name, template, issuer, inspector, schedule, units, quality spread per unit
    ("区人民医院院感质量月度考核", "YGGL", "RMYY", "zhikong", "MONTHLY", CLINICAL),
    ("区人民医院病区护理质量月度检查", "HLZL", "RMYY", "hulibu", "MONTHLY", WARDS),
    ("基层医疗机构消防与治安安全季度检查", "XFAQ", "DEMO", "jiancha", "QUARTERLY", CENTRES),
    ("基层医疗机构健康促进与控烟季度检查", "JKCJ", "DEMO", "jiancha", "QUARTERLY", CENTRES),
)


def build_inspections(
    units: dict[str, OrgUnit], users: dict[str, User], today: dt.date, start: dt.date | None = None
) -> dict:
    """Load the built-in templates and write the inspections from `start` (default: a year back)
    up to `today`."""
    templates_io.load_builtin()
    start = start or dt.date(today.year - 1, today.month, 1)
    plans = _plans(units, users, start, today)
    rows = _inspections(plans, units, users, today)
    notices = _notices(rows, users, today)
    _publish(plans, units, start, today)
    return {"plans": len(plans), "inspections": len(rows), "notices": notices}


def _plans(units, users, start, today) -> list[InspectionPlan]:
    templates = {t.code: t for t in ChecklistTemplate.objects.all()}
    plans = []
    for name, code, issuer, inspector, schedule, codes in PLANS:
        plan = InspectionPlan.objects.create(
            name=name,
            template=templates[code],
            issuer_unit=units[issuer],
            schedule=schedule,
            start=start,
            end=dt.date(today.year, 12, 31),
            created_by=users[inspector],
        )
        plan.units.set([units[c] for c in codes if c in units and not units[c].closing_date])
        plan.inspectors.set([users[inspector]])
        plan.demo_inspector = users[inspector]
        plans.append(plan)
    return plans


def _marks(version_items, r, quality: float, veto: bool) -> tuple[dict, dict]:
    """Random marks for one inspection: most items met, a few deductions; findings text.
    Every item gets a mark (a submitted sheet has no unscored item)."""
    marks, texts = {}, {}
    for item in version_items:
        roll = r.random()
        problem = 0.10 - quality
        if item.na_allowed and roll < 0.05:
            marks[item.code] = Mark(na=True)
        elif item.kind == Kind.DEDUCT and roll < problem:
            marks[item.code] = Mark(occurrences=r.choice((1, 1, 1, 2, 3)))
        elif item.kind == Kind.PASSFAIL and roll < problem / 2:
            marks[item.code] = Mark(failed=True)
        elif item.kind == Kind.GRADED and roll < problem * 2:
            grades = [Decimal(str(g)) for g in item.grades]
            marks[item.code] = Mark(score=grades[1] if len(grades) > 1 else grades[0])
        elif item.kind == Kind.VETO and veto:
            marks[item.code] = Mark(failed=True)
            veto = False  # one failed veto item is enough to show
        if item.code in marks and not marks[item.code].na:
            texts[item.code] = _finding(item, r)
        else:
            marks.setdefault(item.code, Mark(met=True))  # checked, no problem: 符合
    return marks, texts


def _finding(item, r) -> str:
    """What an inspector writes: the requirement not met, as the method found it."""
    parts = [p for p in re.split(r"[；;。]", item.requirement) if p.strip()]
    requirement = r.choice(parts).strip() if parts else item.content
    how = {"查资料": "查阅资料", "现场查看": "现场查看", "提问": "现场提问"}.get(
        item.method, "检查"
    )
    return f"{how}发现{item.content}不符合要求：未做到“{requirement}”"[:200]


def _inspections(plans, units, users, today) -> list[tuple]:
    """(inspection, items, sheet, texts) for every window of every plan up to today."""
    made = []
    score_rows = []
    for plan in plans:
        version = plan.template.current_version()
        items = list(version.items.all())
        rules = [i.as_rule() for i in items]
        by_code = {i.code: i for i in items}
        plan_windows = windows(plan.schedule, plan.dates, plan.start, plan.end, plan.start, today)
        for w_index, window in enumerate(plan_windows):
            for code in plan.units.values_list("code", flat=True):
                r = rng("inspection", plan.template.code, code, window.start.isoformat())
                last_day = min(window.end, today - dt.timedelta(days=1))
                if last_day < window.start:
                    continue
                current = window.contains(today)
                if current and r.random() < 0.5:
                    continue  # this month's round is under way: some units still due
                day = window.start + dt.timedelta(days=r.randint(0, (last_day - window.start).days))
                day = workday(day, window.start, last_day)  # inspectors come on working days
                quality = (hash_unit(code) - 0.5) * 0.08
                # one 一票否决 in the year: 白沙乡卫生院's fire check two quarters ago
                veto = (plan.template.code, code, w_index) == ("XFAQ", "BSX", len(plan_windows) - 3)
                marks, texts = _marks(items, r, quality, veto)
                sheet = score_sheet(rules, marks, version.total_points, version.pass_score)
                submitted = timezone.make_aware(dt.datetime.combine(day, dt.time(16, 30)))
                inspection = Inspection(
                    plan=plan,
                    version=version,
                    org_unit=units[code],
                    issuer_unit=plan.issuer_unit,
                    date=day,
                    present=f"{units[code].name}负责人、质控员",
                    status=InspectionStatus.SUBMITTED,
                    score=sheet.score,
                    passed=sheet.passed,
                    vetoed=sheet.vetoed,
                    findings=sheet.findings,
                    created_by=plan.demo_inspector,
                    submitted_at=submitted,
                )
                made.append((inspection, plan, marks, texts, sheet, by_code))
    Inspection.objects.bulk_create([m[0] for m in made], batch_size=1000)
    through = Inspection.inspectors.through
    through.objects.bulk_create(
        [through(inspection_id=m[0].pk, user_id=m[1].demo_inspector.pk) for m in made],
        batch_size=2000,
    )
    for inspection, _plan, marks, texts, sheet, by_code in made:
        results = {res.rule.code: res for res in sheet.items}
        for code, mark in marks.items():
            score_rows.append(
                ItemScore(
                    inspection=inspection,
                    item=by_code[code],
                    na=mark.na,
                    occurrences=mark.occurrences,
                    score=mark.score,
                    failed=mark.failed,
                    met=mark.met,
                    finding=texts.get(code, ""),
                    earned=results[code].earned,
                )
            )
    ItemScore.objects.bulk_create(score_rows, batch_size=2000)
    events = []
    for inspection, plan, *_ in made:
        at = inspection.submitted_at
        events.append(
            Event(
                inspection=inspection,
                action=EventAction.CREATE,
                user=plan.demo_inspector,
                at=at - dt.timedelta(hours=2),
            )
        )
        events.append(
            Event(inspection=inspection, action=EventAction.SUBMIT, user=plan.demo_inspector, at=at)
        )
    Event.objects.bulk_create(events, batch_size=2000)
    return made


def hash_unit(code: str) -> float:
    """A stable 0–1 quality of a unit (some departments do better all year)."""
    return rng("quality", code).random()


def _notices(made, users, today) -> int:
    """A notice for inspections with findings that lost 3+ points or failed a veto; outcomes
    by deadline: on time, late, overdue (recent ones), answered awaiting re-check, open."""
    answerer = {"RMYY": users["tongji"], "DEMO": None}
    centre_clerks = {"QSZ": "qingshan", "HXZ": "hexi", "LTZ": "liutang", "DZZ": "dazhuang",
                     "SPX": "shiping", "BSX": "baisha", "DCSQ": "dongcheng", "XCSQ": "xicheng"}  # fmt: skip
    dept_clerks = {"RMYY_NK": "neike", "RMYY_WK": "waike", "RMYY_EK": "erke"}
    seq: dict[tuple, int] = {}
    notices, events = [], []
    managers = {"RMYY": OrgUnit.objects.get(code="RMYY"), "DEMO": OrgUnit.objects.get(code="DEMO")}
    for inspection, plan, _marks, texts, sheet, by_code in sorted(made, key=lambda m: m[0].date):
        lost = sheet.total_points - (sheet.score or 0)
        if not sheet.findings or (lost < 3 and not sheet.vetoed):
            continue
        # keyed by what the inspection is, never its database id (sequences differ per run)
        r = rng("notice", plan.template.code, inspection.org_unit.code, inspection.date.isoformat())
        # the next working day (an inspection on a Friday: the notice on Monday)
        next_day = inspection.date + dt.timedelta(days=1)
        issued_day = workday(next_day, next_day, next_day + dt.timedelta(days=3))
        if issued_day >= today:
            continue
        deadline = issued_day + dt.timedelta(days=r.choice((7, 14, 14, 21)))
        word = plan.template.notice_word
        key = (plan.issuer_unit.pk, word, issued_day.year)
        seq[key] = seq.get(key, 0) + 1
        code = inspection.org_unit.code
        clerk = users.get(dept_clerks.get(code) or centre_clerks.get(code, "")) or answerer["RMYY"]
        inspector = plan.demo_inspector
        lines = []
        for res in sheet.items:
            if res.is_finding:
                item = by_code[res.rule.code]
                lines.append({"code": item.code, "content": item.content,
                              "finding": texts.get(item.code) or item.rule,
                              "lost": "一票否决" if res.vetoed else fmt(res.lost)})  # fmt: skip
        notice = RectificationNotice(
            issuer_unit=plan.issuer_unit, word=word, year=issued_day.year, seq=seq[key],
            inspection=inspection, org_unit=inspection.org_unit, items=lines,
            measures_required="针对检查发现的问题逐项整改，落实责任人，整改完成后报送整改报告及佐证照片。",
            responsible=f"{inspection.org_unit.name}负责人", deadline=deadline,
            issued_by=inspector, issued_at=_at(issued_day, 10),
        )  # fmt: skip
        roll = r.random()
        recent = (today - deadline).days <= 45
        if deadline < today:
            if roll < (0.45 if recent else 0.78):
                _close(
                    notice,
                    clerk,
                    inspector,
                    deadline - dt.timedelta(days=r.randint(0, 5)),
                    r,
                    today,
                )
            elif roll < 0.62 or not recent:
                _close(
                    notice,
                    clerk,
                    inspector,
                    deadline + dt.timedelta(days=r.randint(2, 9)),
                    r,
                    today,
                )
            else:  # overdue, still open; escalated to the issuer's manager after 7 days
                if (today - deadline).days >= 7:
                    notice.escalated_to = managers[plan.issuer_unit.code]
                    notice.escalated_at = _at(deadline + dt.timedelta(days=7), 8)
        elif roll < 0.35 and issued_day + dt.timedelta(days=2) < today:
            notice.status = NoticeStatus.ANSWERED
            notice.answer = "已组织科室学习相关制度，逐项落实整改，附整改照片。"
            notice.answered_by = clerk
            notice.completed_on = workday(
                min(today - dt.timedelta(days=1), issued_day + dt.timedelta(days=2)),
                issued_day,
                today - dt.timedelta(days=1),
            )
            notice.answered_at = _at(notice.completed_on, 15)
        notices.append(notice)
    RectificationNotice.objects.bulk_create(notices, batch_size=1000)
    for n in notices:
        events.append(Event(notice=n, action=EventAction.ISSUE, user=n.issued_by, at=n.issued_at))
        if n.answered_at:
            events.append(
                Event(notice=n, action=EventAction.ANSWER, user=n.answered_by, at=n.answered_at)
            )
        if n.status == NoticeStatus.CLOSED:
            events.append(
                Event(
                    notice=n,
                    action=EventAction.CLOSE,
                    user=n.rechecked_by,
                    at=n.rechecked_at,
                    reason=n.recheck_note,
                )
            )
        if n.escalated_at:
            events.append(Event(notice=n, action=EventAction.ESCALATE, at=n.escalated_at,
                                reason=f"逾期 7 天，升级至{n.escalated_to.name}督办"))  # fmt: skip
    Event.objects.bulk_create(events, batch_size=2000)
    return len(notices)


def _close(notice, clerk, inspector, answered_on: dt.date, r, today) -> None:
    answered_on = min(answered_on, today - dt.timedelta(days=2))
    answered_on = max(answered_on, notice.issued_at.date())
    answered_on = workday(answered_on, notice.issued_at.date(), today - dt.timedelta(days=2))
    notice.status = NoticeStatus.CLOSED
    notice.answer = r.choice(
        (
            "已对相关人员进行培训，完善制度和记录，问题已整改到位。",
            "已补齐缺失记录，指定专人每日检查，整改完成。",
            "已维修更换相关设施，组织全科学习，整改到位。",
        )
    )
    notice.answered_by = clerk
    notice.completed_on = answered_on
    notice.answered_at = _at(answered_on, 15)
    notice.rechecked_by = inspector
    recheck = answered_on + dt.timedelta(days=1)
    latest = min(recheck + dt.timedelta(days=3), today - dt.timedelta(days=1))
    notice.rechecked_at = _at(workday(recheck, answered_on, latest), 10)
    notice.recheck_note = "现场复查，整改到位，同意销号。"


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


# The columns the loader writes values and their audits with (load.py's, which imports us).
VALUE_FIELDS = ("element", "option", "org_unit", "period", "value", "number", "comment",
                "stored_by", "updated_at")  # fmt: skip
AUDIT_FIELDS = ("element", "option", "org_unit", "period", "action", "old_value", "new_value",
                "changed_by", "changed_at", "reason", "source")  # fmt: skip


def _publish(plans, units, start: dt.date, today: dt.date) -> None:
    """The INSP_ figures of every inspected unit and month, written in bulk."""
    elements = {e.code: e.pk for e in DataElement.objects.filter(code__in=figures.CODES)}
    option = default_option().pk
    month_list = periods.periods_between(periods.PeriodType.MONTHLY, start, today)
    for month in month_list:
        Period.for_period(month)
    planned: dict[tuple[int, str], int] = {}
    for plan in plans:
        per_month = planned_per_month(plan.schedule, plan.dates, plan.start, plan.end, start, today)
        for unit_id in plan.units.values_list("pk", flat=True):
            for month, n in per_month.items():
                planned[(unit_id, month)] = planned.get((unit_id, month), 0) + n
    unit_ids = sorted({u for u, _ in planned})
    # the moment the demo history ends, as the loader's: now, or noon of the given day
    now = timezone.localtime()
    if today != timezone.localdate():
        now = _at(today, 12)
    rows = []
    computed = figures.compute_many(unit_ids, month_list, today)
    for unit_id in unit_ids:
        for month in month_list:
            values = computed[(unit_id, month.id)]
            values["INSP_PLANNED"] = planned.get((unit_id, month.id), 0)
            if not any(values.values()):
                continue
            for code, value in values.items():
                number = Decimal(value)
                text = format(number.normalize(), "f") if number != 0 else "0"
                rows.append(
                    (elements[code], option, unit_id, month.id, text, number, "", None, now)
                )
    insert_rows(DataValue, VALUE_FIELDS, rows)
    # each published figure's CREATE, as every demo value has (the actions' audits say 督查考评)
    audits = [(e, o, u, p, AuditAction.CREATE, "", text, None, now, "", Source.DEMO)
              for e, o, u, p, text, _n, _c, _s, _t in rows]  # fmt: skip
    insert_rows(DataValueAudit, AUDIT_FIELDS, audits)
