"""Rectification notices: issue, answer, recheck, escalate."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from weijian.orgs.models import OrgUnit
from weijian.orgs.scope import Can, get_scope, holder_paths, nearest_holder

from .. import figures, photos
from ..models import (
    OPEN_NOTICE,
    EventAction,
    Inspection,
    InspectionStatus,
    ItemScore,
    NoticeStatus,
    RectificationNotice,
)
from ..scoring import (
    fmt,
)
from .common import InspectionError, _event, _now, _require, _require_team, escalate_after_days
from .inspecting import add_photo, sheet_of

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
