"""Every write of inspections: one function per action, in a transaction, checking the user's
scope, leaving an Event, and republishing the figures of the affected unit × month
(`figures.publish`) so the indicator engine sees them at once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from weijian.orgs.models import OrgUnit
from weijian.orgs.scope import Can, get_scope, holder_paths, nearest_holder

from . import checklist_audit, figures, photos, templates_io
from .models import (
    EDITABLE,
    OPEN_NOTICE,
    ChecklistTemplate,
    Event,
    EventAction,
    Inspection,
    InspectionPlan,
    InspectionStatus,
    Item,
    ItemScore,
    NoticeStatus,
    Photo,
    RectificationNotice,
    Schedule,
    Section,
    TemplateVersion,
)
from .scoring import (
    ItemRule,
    Mark,
    ScoringError,
    fmt,
    missing_items,
    number,
    score_item,
    score_sheet,
)
from .templates_io import MAX_TOTAL, too_long


class InspectionError(Exception):
    """A refused action; `message` is the Chinese reason shown to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _now():
    return timezone.now()


def _event(
    action: str, user, *, inspection=None, notice=None, template=None, reason: str = ""
) -> None:
    Event.objects.create(
        inspection=inspection, notice=notice, template=template, action=action, user=user,
        at=_now(), reason=reason,
    )  # fmt: skip


def _require(user, capability: Can, unit: OrgUnit, what: str) -> None:
    if not get_scope(user).can(capability, unit):
        raise InspectionError(f"您无权{what}（{unit.name}）")


def _require_team(user, inspection: Inspection, what: str) -> None:
    """Doing an inspection belongs to its issuing office (INSPECT at the issuer unit) or to
    the inspectors on its team; another inspector who merely covers the inspected unit (the
    hospital's, below a bureau inspection) may not act in the issuer's name."""
    scope = get_scope(user)
    if scope.can(Can.INSPECT, inspection.issuer_unit):
        return
    on_team = inspection.inspectors.filter(pk=user.pk).exists()
    if on_team and scope.can(Can.INSPECT, inspection.org_unit):
        return
    raise InspectionError(
        f"只有检查单位（{inspection.issuer_unit.name}）或本次检查的检查组可以{what}"
    )


def issuer_for(user, unit: OrgUnit) -> OrgUnit:
    """The inspecting office's unit: the deepest unit above `unit` where the user may inspect."""
    scope = get_scope(user)
    paths = [p for p in scope.grant_paths(Can.INSPECT) if unit.path.startswith(p)]
    if paths:
        return OrgUnit.objects.get(path=max(paths, key=len))
    if scope.is_everything:
        return OrgUnit.get_first_root_node()
    raise InspectionError(f"您无权检查{unit.name}")


def escalate_after_days() -> int:
    return int(getattr(settings, "WEIJIAN_NOTICE_ESCALATE_DAYS", 7))


# -- inspections ------------------------------------------------------------------------


def start_inspection(
    user,
    version: TemplateVersion,
    unit: OrgUnit,
    date: dt.date,
    *,
    plan: InspectionPlan | None = None,
    inspectors=(),
    present: str = "",
    today: dt.date | None = None,
) -> Inspection:
    today = today or timezone.localdate()
    _require(user, Can.INSPECT, unit, "检查该单位")
    if date > today:
        raise InspectionError(f"检查日期 {date:%Y-%m-%d} 晚于今天，不能提前登记检查")
    if plan is not None and plan.template_id != version.template_id:
        raise InspectionError("所选考评表与检查计划不一致")
    if plan is not None and unit.pk not in {u.pk for u in plan.unit_list()}:
        raise InspectionError(f"{unit.name}不在检查计划“{plan.name}”的受检单位之内")
    if not version.items.exists():
        raise InspectionError(f"考评表“{version}”还没有任何考核项目")
    with transaction.atomic():
        inspection = Inspection.objects.create(
            plan=plan,
            version=version,
            org_unit=unit,
            issuer_unit=plan.issuer_unit if plan else issuer_for(user, unit),
            date=date,
            present=present.strip()[:300],
            created_by=user,
        )
        inspection.inspectors.set({user, *inspectors})
        _event(EventAction.CREATE, user, inspection=inspection)
    return inspection


def _refuse_if_not_editable(inspection: Inspection) -> None:
    if inspection.status not in EDITABLE:
        raise InspectionError("该检查已提交，不能再修改；如需修改，请由检查单位退回修改")


@dataclass(frozen=True)
class MarkInput:
    na: bool = False
    occurrences: str = ""
    score: str = ""
    failed: bool = False
    finding: str = ""
    met: bool = False  # 符合 / 达标 / 无否决情形


MAX_OCCURRENCES = 9999  # far above any real count; the column is a 32-bit integer


def parse_mark(rule: ItemRule, data: MarkInput) -> Mark:
    """The typed mark, or a ScoringError naming the item: a count must be a whole number
    from 0 to MAX_OCCURRENCES (a negative, fractional or absurd count is refused, never
    dropped into "not marked")."""
    occurrences = None
    text = data.occurrences.strip()
    if text:
        try:
            occurrences = int(text)
        except ValueError:
            raise ScoringError(
                f"{rule.label}的问题处数“{data.occurrences}”应为 0 或正整数"
            ) from None
        if occurrences < 0:
            raise ScoringError(f"{rule.label}的问题处数不能为负数（“{text}”）")
        if occurrences > MAX_OCCURRENCES:
            raise ScoringError(
                f"{rule.label}的问题处数 {occurrences} 过大（最多 {MAX_OCCURRENCES}）"
            )
    score = number(data.score, f"{rule.label}的得分") if data.score.strip() else None
    return Mark(na=data.na, occurrences=occurrences, score=score, failed=data.failed, met=data.met)


def record_item(user, inspection: Inspection, item: Item, data: MarkInput) -> ItemScore:
    """Score one item of an inspection being done (draft or reopened)."""
    _require(user, Can.INSPECT, inspection.org_unit, "检查该单位")
    _require_team(user, inspection, "评分")
    _refuse_if_not_editable(inspection)
    if item.version_id != inspection.version_id:
        raise InspectionError("该项目不属于本次检查使用的考评表")
    rule = item.as_rule()
    try:
        mark = parse_mark(rule, data)
        result = score_item(rule, mark)
    except ScoringError as exc:
        raise InspectionError(str(exc)) from None
    with transaction.atomic():
        row, _ = ItemScore.objects.update_or_create(
            inspection=inspection,
            item=item,
            defaults=dict(
                na=mark.na,
                occurrences=mark.occurrences,
                score=mark.score,
                failed=mark.failed,
                met=mark.met,
                finding=data.finding.strip(),
                earned=result.earned,
            ),
        )
        _store_totals(inspection)
    return row


def marks_of(inspection: Inspection) -> dict[str, Mark]:
    rows = ItemScore.objects.filter(inspection=inspection).select_related("item")
    return {
        r.item.code: Mark(
            na=r.na, occurrences=r.occurrences, score=r.score, failed=r.failed, met=r.met
        )
        for r in rows
    }


def sheet_of(inspection: Inspection):
    version = inspection.version
    rules = [item.as_rule() for item in version.items.all()]
    return score_sheet(rules, marks_of(inspection), version.total_points, version.pass_score)


def _store_totals(inspection: Inspection):
    sheet = sheet_of(inspection)
    inspection.score = sheet.score
    inspection.passed = sheet.passed
    inspection.vetoed = sheet.vetoed
    inspection.findings = sheet.findings
    inspection.save(update_fields=["score", "passed", "vetoed", "findings"])
    return sheet


def submit_inspection(
    user, inspection: Inspection, *, present: str | None = None, summary: str = ""
):
    _require(user, Can.INSPECT, inspection.org_unit, "提交该检查")
    _require_team(user, inspection, "提交检查")
    _refuse_if_not_editable(inspection)
    original = inspection
    with transaction.atomic():
        inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
        _refuse_if_not_editable(inspection)
        if present is not None:
            inspection.present = present.strip()[:300]
        if not inspection.present:
            raise InspectionError("请填写受检科室在场人员")
        sheet = _store_totals(inspection)
        if not sheet.complete:
            raise InspectionError(
                f"还有 {len(sheet.unscored)} 项未评分，不能提交：{missing_items(sheet)}。"
                "请逐项评分（符合、扣分或不达标），或标为不适用"
            )
        if sheet.score is None:
            raise InspectionError("所有项目均标为不适用，无法计算得分")
        inspection.status = InspectionStatus.SUBMITTED
        inspection.submitted_at = _now()
        if summary.strip():
            inspection.summary = summary.strip()
        inspection.save(update_fields=["status", "submitted_at", "present", "summary"])
        inspection.inspectors.add(user)
        _event(EventAction.SUBMIT, user, inspection=inspection)
        figures.publish(inspection.org_unit, [inspection.date])
    original.refresh_from_db()
    return original


def reopen_inspection(user, inspection: Inspection, reason: str) -> Inspection:
    """Only the issuing office (someone who may inspect at the issuer unit) reopens; audited."""
    if not get_scope(user).can(Can.INSPECT, inspection.issuer_unit):
        raise InspectionError(
            f"只有检查单位（{inspection.issuer_unit.name}）可以退回修改已提交的检查"
        )
    if inspection.status != InspectionStatus.SUBMITTED:
        raise InspectionError("只有已提交的检查可以退回修改")
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise InspectionError("请填写退回修改的原因")
    with transaction.atomic():
        inspection.status = InspectionStatus.REOPENED
        inspection.save(update_fields=["status"])
        _event(EventAction.REOPEN, user, inspection=inspection, reason=reason)
        figures.publish(inspection.org_unit, [inspection.date])
    return inspection


def add_photo(user, upload_bytes: bytes, name: str, *, inspection=None, item=None, notice=None):
    """Attach a photo to an inspection (optionally one item) or to a notice's answer."""
    unit = inspection.org_unit if inspection else notice.org_unit
    if inspection is not None:
        _require(user, Can.INSPECT, unit, "为该检查上传照片")
        _require_team(user, inspection, "上传检查照片")
        _refuse_if_not_editable(inspection)
        if item is not None and item.version_id != inspection.version_id:
            raise InspectionError("该项目不属于本次检查使用的考评表")
    else:
        _require(user, Can.ENTER, unit, "为该整改通知上传佐证照片")
        if notice.status not in OPEN_NOTICE:
            raise InspectionError("该整改通知不在待整改状态，不能再上传佐证照片")
    try:
        clean = photos.clean_photo(upload_bytes, name)
    except photos.PhotoError as exc:
        raise InspectionError(str(exc)) from None
    path = photos.store(clean, timezone.localdate().year)
    return Photo.objects.create(
        inspection=inspection,
        item=item,
        notice=notice,
        org_unit=unit,
        path=path,
        width=clean.width,
        height=clean.height,
        uploaded_by=user,
    )


# -- rectification notices ----------------------------------------------------------------


def finding_lines(inspection: Inspection) -> list[dict]:
    """The notice's items: every item that lost points or failed, with the finding text."""
    sheet = sheet_of(inspection)
    rows = {
        r.item_id: r for r in ItemScore.objects.filter(inspection=inspection).select_related("item")
    }
    items = {i.code: i for i in inspection.version.items.all()}
    lines = []
    for result in sheet.items:
        if not result.is_finding:
            continue
        item = items[result.rule.code]
        row = rows.get(item.pk)
        lines.append(
            {
                "code": item.code,
                "content": item.content,
                "finding": (row.finding if row else "") or item.rule,
                "lost": "一票否决" if result.vetoed else fmt(result.lost),
            }
        )
    return lines


def issue_notice(
    user,
    inspection: Inspection,
    *,
    measures: str,
    responsible: str,
    deadline: dt.date,
) -> RectificationNotice:
    _require(user, Can.INSPECT, inspection.org_unit, "下发整改通知")
    _require_team(user, inspection, "下发整改通知书")
    if inspection.status != InspectionStatus.SUBMITTED:
        raise InspectionError("检查提交后才能下发整改通知书")
    if deadline < inspection.date:
        raise InspectionError(
            f"整改期限 {deadline:%Y-%m-%d} 早于检查日期 {inspection.date:%Y-%m-%d}"
        )
    if not measures.strip():
        raise InspectionError("请填写整改要求")
    if not responsible.strip():
        raise InspectionError("请填写整改责任人")
    lines = finding_lines(inspection)
    if not lines:
        raise InspectionError("本次检查没有发现问题，无需下发整改通知书")
    with transaction.atomic():
        # Lock the inspection before asking: two taps of 下发 must not both see "none yet".
        Inspection.objects.select_for_update().get(pk=inspection.pk)
        if inspection.notices.exists():
            raise InspectionError("本次检查已下发整改通知书")
        issuer = OrgUnit.objects.select_for_update().get(pk=inspection.issuer_unit_id)
        word = inspection.version.template.notice_word
        year = timezone.localdate().year
        notice = RectificationNotice.objects.create(
            issuer_unit=issuer,
            word=word,
            year=year,
            seq=_next_seq(issuer, word, year),
            inspection=inspection,
            org_unit=inspection.org_unit,
            items=lines,
            measures_required=measures.strip(),
            responsible=responsible.strip()[:100],
            deadline=deadline,
            issued_by=user,
            issued_at=_now(),
        )
        _event(EventAction.ISSUE, user, notice=notice)
        figures.publish(notice.org_unit, [timezone.localdate(), deadline])
    return notice


def _next_seq(issuer: OrgUnit, word: str, year: int) -> int:
    """The next number of the issuer's notices of the year (the issuer row is locked)."""
    last = RectificationNotice.objects.filter(issuer_unit=issuer, word=word, year=year).aggregate(
        m=Max("seq")
    )["m"]
    return (last or 0) + 1


def issue_notice_for_findings(
    user,
    *,
    issuer_unit: OrgUnit,
    org_unit: OrgUnit,
    lines: list[dict],
    measures: str,
    responsible: str,
    deadline: dt.date,
    origin: str,
    word: str = "考核整改",
    today: dt.date | None = None,
) -> RectificationNotice:
    """A notice for problems found outside an inspection (an assessment's deductions, `lines`
    as finding_lines gives them): same numbering, answer, re-check and figures as any notice.
    The issuer inspects or manages the unit."""
    today = today or timezone.localdate()
    scope = get_scope(user)
    if not (scope.can(Can.INSPECT, org_unit) or scope.can(Can.MANAGE, org_unit)):
        raise InspectionError(f"您无权向{org_unit.name}下发整改通知")
    if not org_unit.path.startswith(issuer_unit.path):
        raise InspectionError(f"{org_unit.name}不在{issuer_unit.name}的管理范围内")
    if deadline < today:
        raise InspectionError(f"整改期限 {deadline:%Y-%m-%d} 早于今天")
    if not measures.strip():
        raise InspectionError("请填写整改要求")
    if not responsible.strip():
        raise InspectionError("请填写整改责任人")
    if not lines:
        raise InspectionError("没有需要整改的问题")
    with transaction.atomic():
        issuer = OrgUnit.objects.select_for_update().get(pk=issuer_unit.pk)
        notice = RectificationNotice.objects.create(
            issuer_unit=issuer,
            word=word,
            year=today.year,
            seq=_next_seq(issuer, word, today.year),
            inspection=None,
            origin=origin[:200],
            org_unit=org_unit,
            items=lines,
            measures_required=measures.strip(),
            responsible=responsible.strip()[:100],
            deadline=deadline,
            issued_by=user,
            issued_at=_now(),
        )
        _event(EventAction.ISSUE, user, notice=notice, reason=origin[:200])
        figures.publish(notice.org_unit, [today, deadline])
    return notice


def answer_notice(
    user,
    notice: RectificationNotice,
    answer: str,
    today: dt.date | None = None,
    photo: tuple[bytes, str] | None = None,
) -> RectificationNotice:
    """The rectifying unit reports the measures taken, optionally with an evidence photo
    (checked before anything is recorded: a bad photo changes nothing)."""
    today = today or timezone.localdate()
    _require(user, Can.ENTER, notice.org_unit, "反馈该整改通知")
    if notice.status not in OPEN_NOTICE:
        raise InspectionError(f"该整改通知当前为“{notice.get_status_display()}”，不能反馈")
    if len((answer or "").strip()) < 2:
        raise InspectionError("请填写已采取的整改措施")
    if photo is not None:
        try:
            photos.clean_photo(*photo)
        except photos.PhotoError as exc:
            raise InspectionError(str(exc)) from None
    with transaction.atomic():
        if photo is not None:
            add_photo(user, photo[0], photo[1], notice=notice)
        notice.status = NoticeStatus.ANSWERED
        notice.answer = answer.strip()
        notice.answered_by = user
        notice.answered_at = _now()
        notice.completed_on = today
        notice.save()
        _event(EventAction.ANSWER, user, notice=notice)
        figures.publish(notice.org_unit, [notice.deadline])
    return notice


def recheck_notice(
    user,
    notice: RectificationNotice,
    *,
    passed: bool,
    note: str = "",
    new_deadline: dt.date | None = None,
    today: dt.date | None = None,
) -> RectificationNotice:
    """复查 by the inspector: closed (销号), or reopened with a new deadline. The rectifying unit
    never re-checks itself."""
    today = today or timezone.localdate()
    _require(user, Can.INSPECT, notice.org_unit, "复查该整改通知")
    inside = [
        p for p in get_scope(user).grant_paths(Can.VIEW) if p.startswith(notice.org_unit.path)
    ]
    if inside or notice.answered_by_id == user.pk:
        raise InspectionError("整改单位不能复查本单位的整改，须由检查单位复查")
    if notice.inspection is not None:
        _require_team(user, notice.inspection, "复查")
    elif not get_scope(user).can(Can.INSPECT, notice.issuer_unit):
        raise InspectionError(f"只有下发单位（{notice.issuer_unit.name}）可以复查")
    if notice.status != NoticeStatus.ANSWERED:
        raise InspectionError("整改单位反馈整改情况后才能复查")
    with transaction.atomic():
        old_deadline = notice.deadline
        notice.rechecked_by = user
        notice.rechecked_at = _now()
        notice.recheck_note = (note or "").strip()
        if passed:
            notice.status = NoticeStatus.CLOSED
            _event(EventAction.CLOSE, user, notice=notice, reason=notice.recheck_note)
        else:
            if new_deadline is None:
                raise InspectionError("复查未通过时须给出新的整改期限")
            if new_deadline < today:
                raise InspectionError(f"新的整改期限 {new_deadline:%Y-%m-%d} 早于今天")
            if not notice.recheck_note:
                raise InspectionError("复查未通过时请写明复查意见")
            notice.status = NoticeStatus.REOPENED
            notice.deadline = new_deadline
            notice.completed_on = None
            notice.escalated_at = None
            notice.escalated_to = None
            _event(
                EventAction.RECHECK_FAIL,
                user,
                notice=notice,
                reason=f"{notice.recheck_note}（整改期限由 {old_deadline:%Y-%m-%d} 改为 "
                f"{new_deadline:%Y-%m-%d}）",
            )
        notice.save()
        figures.publish(notice.org_unit, [old_deadline, notice.deadline])
    return notice


def escalate_overdue(
    today: dt.date | None = None, days: int | None = None
) -> list[RectificationNotice]:
    """Escalate notices overdue by `days` or more to the issuer's manager (the nearest unit at
    or above the issuer where someone holds MANAGE). Run daily (`weijian inspections escalate`);
    also republishes the overdue figures of the affected months. Idempotent."""
    today = today or timezone.localdate()
    days = escalate_after_days() if days is None else days
    limit = today - dt.timedelta(days=days)
    managers = holder_paths(Can.MANAGE)
    escalated = []
    with transaction.atomic():
        due = RectificationNotice.objects.filter(
            status__in=OPEN_NOTICE, deadline__lte=limit, escalated_at__isnull=True
        ).select_related("issuer_unit", "org_unit")
        for notice in due:
            path = nearest_holder(notice.issuer_unit.path, managers, Can.MANAGE)
            notice.escalated_to = OrgUnit.objects.get(path=path) if path else notice.issuer_unit
            notice.escalated_at = _now()
            notice.save(update_fields=["escalated_to", "escalated_at"])
            _event(
                EventAction.ESCALATE,
                None,
                notice=notice,
                reason=f"逾期 {(today - notice.deadline).days} 天，升级至{notice.escalated_to.name}督办",
            )
            escalated.append(notice)
        for unit_id, deadlines in _by_unit(
            RectificationNotice.objects.filter(status__in=OPEN_NOTICE, deadline__lt=today)
        ).items():
            figures.publish(OrgUnit.objects.get(pk=unit_id), deadlines, today=today)
    return escalated


def _by_unit(notices) -> dict[int, list[dt.date]]:
    result: dict[int, list[dt.date]] = {}
    for unit_id, deadline in notices.values_list("org_unit_id", "deadline"):
        result.setdefault(unit_id, []).append(deadline)
    return result


# -- plans ------------------------------------------------------------------------------------


@dataclass
class PlanInput:
    name: str
    template: ChecklistTemplate
    issuer_unit: OrgUnit
    schedule: str
    start: dt.date
    end: dt.date
    units: list = None
    group: object = None
    institution: OrgUnit | None = None
    inspectors: list = None
    dates: list = None
    active: bool = True


# Saving a plan publishes INSP_PLANNED for every unit × month of its span: a typo such as
# 2099 for 2026 would mean minutes of work and thousands of rows.
MAX_PLAN_DAYS = 3 * 366


def save_plan(user, data: PlanInput, plan: InspectionPlan | None = None) -> InspectionPlan:
    scope = get_scope(user)
    if not scope.can(Can.INSPECT, data.issuer_unit):
        raise InspectionError(f"您无权以{data.issuer_unit.name}的名义制定检查计划")
    if not data.name.strip():
        raise InspectionError("请填写计划名称")
    if problem := too_long(InspectionPlan, "name", data.name.strip(), "计划名称"):
        raise InspectionError(problem)
    if data.schedule not in Schedule.values:
        raise InspectionError("请选择检查频次")
    if data.end < data.start:
        raise InspectionError("结束日期早于开始日期")
    if (data.end - data.start).days > MAX_PLAN_DAYS:
        raise InspectionError(
            f"计划期限不能超过 3 年（{data.start:%Y-%m-%d} 至 {data.end:%Y-%m-%d}），请检查日期"
        )
    dates = sorted(set(data.dates or []))
    if data.schedule == Schedule.DATES:
        if not dates:
            raise InspectionError("“指定日期”频次须列出检查日期")
        outside = [d for d in dates if not data.start <= d <= data.end]
        if outside:
            raise InspectionError(f"检查日期 {outside[0]:%Y-%m-%d} 不在计划起止日期之内")
    units = list(data.units or [])
    if not units and data.group is None and data.institution is None:
        raise InspectionError("请选择受检单位（单位、分组或某机构的全部科室）")
    members = list(data.group.members.order_by("path")) if data.group else []
    for unit in units + ([data.institution] if data.institution else []) + members:
        if not unit.path.startswith(data.issuer_unit.path):
            raise InspectionError(f"{unit.name}不在{data.issuer_unit.name}的检查范围内")
    inspectors = list(data.inspectors or [])
    if not inspectors:
        raise InspectionError("请至少选择一名检查人员")
    with transaction.atomic():
        old_units = plan_units(plan) if plan else []
        old_range = (plan.start, plan.end) if plan else None
        plan = plan or InspectionPlan(created_by=user)
        plan.name = data.name.strip()
        plan.template = data.template
        plan.issuer_unit = data.issuer_unit
        plan.schedule = data.schedule
        plan.dates = [d.isoformat() for d in dates] if data.schedule == Schedule.DATES else []
        plan.start, plan.end = data.start, data.end
        plan.group = data.group
        plan.institution = data.institution
        plan.active = data.active
        plan.save()
        plan.units.set(units)
        plan.inspectors.set(inspectors)
        first = min(plan.start, old_range[0]) if old_range else plan.start
        last = max(plan.end, old_range[1]) if old_range else plan.end
        touched = {u.pk: u for u in old_units + plan_units(plan)}
        figures.publish_planned(touched.values(), first, last)
    return plan


def plan_units(plan: InspectionPlan) -> list[OrgUnit]:
    return plan.unit_list()


# -- templates ----------------------------------------------------------------------------------


def can_edit_template(user, template: ChecklistTemplate) -> bool:
    """An office's checklist: its inspectors and managers. A built-in (district-wide) one:
    the managers of the top of the tree, since every institution's plans may use it."""
    scope = get_scope(user)
    if template.owner_id is None:
        return any(scope.can(Can.MANAGE, root) for root in OrgUnit.get_root_nodes())
    return scope.can(Can.INSPECT, template.owner) or scope.can(Can.MANAGE, template.owner)


def _require_author(user, template: ChecklistTemplate) -> None:
    if not can_edit_template(user, template):
        owner = template.owner.name if template.owner_id else "区卫生健康局"
        raise InspectionError(f"考评表“{template.name}”属于{owner}，您没有修改权限")


def import_template(user, spec: templates_io.TemplateSpec) -> templates_io.Loaded:
    """An uploaded 考评表: a new one belongs to the uploader's topmost inspecting unit; one
    that exists is replaced only by those who may edit it."""
    existing = ChecklistTemplate.objects.filter(code=spec.code).first()
    owner = None
    if existing is not None:
        _require_author(user, existing)
    else:
        inspecting = get_scope(user).root_units(Can.INSPECT)
        if not inspecting:
            raise InspectionError("只有检查人员可以导入考评表")
        owner = inspecting[0]
    with transaction.atomic():
        loaded = templates_io.write_spec(spec, owner=owner)
        if loaded.status in ("新建", "已更新"):
            template = ChecklistTemplate.objects.get(code=spec.code)
            reason = f"{spec.version}版{loaded.status}：{len(spec.items())} 个项目，总分 {fmt(spec.total_points)}"
            _event(EventAction.TEMPLATE_IMPORT, user, template=template, reason=reason)
    return loaded


def new_version(user, template: ChecklistTemplate, label: str) -> TemplateVersion:
    """A copy of the current version under a new label, ready to edit."""
    _require_author(user, template)
    label = (label or "").strip()
    if not label:
        raise InspectionError("请填写新版本的名称（如 2027）")
    if problem := too_long(TemplateVersion, "label", label, "版本名称"):
        raise InspectionError(problem)
    if template.versions.filter(label=label).exists():
        raise InspectionError(f"版本“{label}”已存在")
    current = template.current_version()
    with transaction.atomic():
        version = TemplateVersion.objects.create(
            template=template,
            label=label,
            total_points=current.total_points if current else Decimal(100),
            pass_score=current.pass_score if current else None,
            citation=current.citation if current else "",
        )
        if current:
            for section in current.sections.all():
                copy = Section.objects.create(
                    version=version, name=section.name, sort_order=section.sort_order
                )
                for item in section.items.all():
                    item.pk = None
                    item.version, item.section = version, copy
                    item.save()
        based_on = f"（复制自“{current.label}”版）" if current else ""
        _event(
            EventAction.TEMPLATE_VERSION,
            user,
            template=template,
            reason=f"新建“{label}”版{based_on}",
        )
    return version


@dataclass
class ItemInput:
    section: str
    code: str
    content: str
    points: str
    kind: str
    requirement: str = ""
    method: str = ""
    rule: str = ""
    per_occurrence: str = ""
    cap: str = ""
    grades: str = ""
    na_allowed: bool = False


def save_item(user, version: TemplateVersion, data: ItemInput, item: Item | None = None) -> Item:
    """Add or edit an item of a version nobody has used yet; the total follows the items."""
    _require_author(user, version.template)
    if version.in_use():
        raise InspectionError("该版本已被检查使用，不能修改；请先新建版本再修改")
    try:
        rule = item_rule_from(data)
        rule.check_definition()
    except ScoringError as exc:
        raise InspectionError(str(exc)) from None
    if not data.content.strip():
        raise InspectionError("请填写工作内容")
    if not data.section.strip():
        raise InspectionError("请填写所属项目")
    for model, name, value, what in [
        (Item, "code", rule.code, "项目序号"),
        (Item, "content", data.content.strip(), "工作内容"),
        (Item, "method", data.method.strip(), "考核方法"),
        (Section, "name", data.section.strip(), "所属项目名称"),
    ]:
        if problem := too_long(model, name, value, what):
            raise InspectionError(problem)
    others = version.items.exclude(pk=item.pk if item else None)
    total = sum((i.points for i in others), rule.points)
    if total > MAX_TOTAL:
        raise InspectionError(f"各项分值合计 {fmt(total)} 分，超过 {fmt(MAX_TOTAL)}")
    clash = version.items.filter(code=rule.code).exclude(pk=item.pk if item else None)
    if clash.exists():
        raise InspectionError(f"序号“{rule.code}”已被其他项目使用")
    with transaction.atomic():
        before = checklist_audit.item_fields(item) if item else None
        section, _ = Section.objects.get_or_create(
            version=version,
            name=data.section.strip(),
            defaults={"sort_order": version.sections.count() + 1},
        )
        item = item or Item(version=version, sort_order=version.items.count() + 1)
        item.section = section
        item.code = rule.code
        item.content = data.content.strip()
        item.requirement = data.requirement.strip()
        item.method = data.method.strip()
        item.rule = data.rule.strip()
        item.points = rule.points
        item.kind = rule.kind
        item.per_occurrence = rule.per_occurrence
        item.cap = rule.cap
        item.grades = [fmt(g) for g in rule.grades]
        item.na_allowed = rule.na_allowed
        item.save()
        Section.objects.filter(version=version, items__isnull=True).delete()
        version.total_points = sum((i.points for i in version.items.all()), Decimal(0))
        version.save(update_fields=["total_points"])
        change = checklist_audit.item_change(version, item, before)
        if change is not None:
            _event(change[0], user, template=version.template, reason=change[1])
    return item


def item_rule_from(data: ItemInput) -> ItemRule:
    code = data.code.strip()
    if not code:
        raise ScoringError("请填写项目序号")
    points = number(data.points, f"第{code}项的分值")
    per = (
        number(data.per_occurrence, f"第{code}项的每处扣分")
        if data.per_occurrence.strip()
        else None
    )
    cap = number(data.cap, f"第{code}项的扣分上限") if data.cap.strip() else None
    grades = tuple(
        number(g, f"第{code}项的分档")
        for g in data.grades.replace("，", ",").replace("、", ",").split(",")
        if g.strip()
    )
    kind = data.kind.strip()
    if kind == "deduct" and per is None:
        per = points  # “未做到扣全分”
    return ItemRule(code, data.content.strip(), points, kind, per, cap, grades, data.na_allowed)
