"""Every write to the ledgers: one function per action, each in a transaction, each checking the
user's scope (ENTER on the record's unit; MANAGE for types), each audited, and each publishing
the affected unit × month's figures through `reporting.actions.publish_system_values`."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from weijian.orgs.models import OrgUnit
from weijian.orgs.scope import Can, get_scope
from weijian.reporting.actions import SystemSource, ensure_system_elements, publish_system_values
from weijian.uploads import Limits

from . import excel
from .attachments import AttachmentProblem, clean_upload
from .builtin import system_elements
from .models import (
    Activity,
    ActivityType,
    Attachment,
    AuditAction,
    LedgerAudit,
    NothingToReport,
)
from .schema import KEY, Problem, clean_record, default_figures, parse_field_lines

MAX_ATTACHMENTS = 20


class LedgerSource:
    WEB = "网页"
    EXCEL = "Excel"
    DEMO = "演示数据"


class LedgerError(Exception):
    """A refused action: `message` in Chinese, `problems` field by field (or row by row)."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems or []


def month_of(day: dt.date) -> str:
    return f"{day.year}{day.month:02d}"


def _require(user, capability: Can, unit: OrgUnit) -> None:
    if not get_scope(user).can(capability, unit):
        raise LedgerError(f"您没有在“{unit.name}”登记台账的权限")


def _snapshot(activity: Activity) -> dict[str, Any]:
    return {
        "unit": activity.org_unit.code,
        "title": activity.title,
        "start": activity.start_date.isoformat(),
        "end": activity.end_date.isoformat(),
        "values": activity.values,
    }


def _audit(
    activity, action, user, source, before=None, after=None, *, type=None, unit=None, title=""
):
    LedgerAudit.objects.create(
        activity_id=activity.pk if activity else None,
        type=type or activity.type,
        org_unit=unit or activity.org_unit,
        action=action,
        title=title or (activity.title if activity else ""),
        before=before,
        after=after,
        by=user,
        at=timezone.now(),
        source=source,
    )


# -- publishing the counts ------------------------------------------------------------------


def figures_for(activity_type: ActivityType, unit_id: int, period_id: str) -> dict[str, object]:
    """The type's figures for one unit and month: computed from its records; zero for a month
    declared empty (本月无…); None (no value) for a month with neither."""
    specs = activity_type.figure_specs()
    records = list(
        Activity.objects.filter(
            type=activity_type, org_unit_id=unit_id, period_id=period_id
        ).values_list("values", flat=True)
    )
    if records:
        return {spec.code: spec.compute(records) for spec in specs}
    declared = NothingToReport.objects.filter(
        type=activity_type, org_unit_id=unit_id, period_id=period_id
    ).exists()
    return {spec.code: 0 if declared else None for spec in specs}


def publish(activity_type: ActivityType, places: Iterable[tuple[OrgUnit, str]]) -> None:
    """Republish the type's figures for each affected (unit, month)."""
    for unit, period_id in sorted(set(places), key=lambda p: (p[0].pk, p[1])):
        figures = figures_for(activity_type, unit.pk, period_id)
        if figures:
            publish_system_values(SystemSource.LEDGER, unit, period_id, figures)


# -- records ----------------------------------------------------------------------------------


@dataclass
class RecordInput:
    title: Any
    start: Any
    end: Any
    values: Mapping[str, Any] = field(default_factory=dict)


def _clean(activity_type: ActivityType, data: RecordInput, today: dt.date | None):
    today = today or timezone.localdate()
    return clean_record(
        activity_type.field_specs(),
        data.title,
        data.start,
        data.end,
        data.values,
        today=today,
        checks=activity_type.check_pairs(),
    )


def create_activity(
    user,
    activity_type: ActivityType,
    unit: OrgUnit,
    data: RecordInput,
    source: str = LedgerSource.WEB,
    today: dt.date | None = None,
) -> Activity:
    _require(user, Can.ENTER, unit)
    clean = _clean(activity_type, data, today)
    if clean.problems:
        raise LedgerError("记录有误，未保存", clean.problems)
    now = timezone.now()
    with transaction.atomic():
        activity = Activity.objects.create(
            type=activity_type,
            org_unit=unit,
            title=clean.title,
            start_date=clean.start,
            end_date=clean.end,
            period_id=month_of(clean.start),
            values=clean.values,
            created_by=user,
            created_at=now,
            updated_by=user,
            updated_at=now,
            source=source,
        )
        _clear_nothing(activity_type, unit, activity.period_id)
        _audit(activity, AuditAction.CREATE, user, source, after=_snapshot(activity))
        publish(activity_type, [(unit, activity.period_id)])
    return activity


def update_activity(
    user,
    activity: Activity,
    data: RecordInput,
    unit: OrgUnit | None = None,
    today: dt.date | None = None,
) -> Activity:
    """Change a record (and possibly move it to another unit); both the old and the new unit ×
    month are republished."""
    unit = unit or activity.org_unit
    _require(user, Can.ENTER, activity.org_unit)
    _require(user, Can.ENTER, unit)
    clean = _clean(activity.type, data, today)
    if clean.problems:
        raise LedgerError("记录有误，未保存", clean.problems)
    before = _snapshot(activity)
    old_place = (activity.org_unit, activity.period_id)
    with transaction.atomic():
        activity.org_unit = unit
        activity.title = clean.title
        activity.start_date = clean.start
        activity.end_date = clean.end
        activity.period_id = month_of(clean.start)
        activity.values = clean.values
        activity.updated_by = user
        activity.updated_at = timezone.now()
        activity.save()
        _clear_nothing(activity.type, unit, activity.period_id)
        after = _snapshot(activity)
        if after != before:
            _audit(activity, AuditAction.UPDATE, user, LedgerSource.WEB, before, after)
        publish(activity.type, [old_place, (unit, activity.period_id)])
    return activity


def delete_activity(user, activity: Activity) -> None:
    _require(user, Can.ENTER, activity.org_unit)
    with transaction.atomic():
        before = _snapshot(activity)
        before["attachments"] = [a.name for a in activity.attachments.all()]
        files = [a.file for a in activity.attachments.all()]
        _audit(activity, AuditAction.DELETE, user, LedgerSource.WEB, before=before)
        place = (activity.org_unit, activity.period_id)
        activity.delete()
        publish(activity.type, [place])
        transaction.on_commit(lambda: [f.delete(save=False) for f in files])


# -- attachments -------------------------------------------------------------------------------


def add_attachment(user, activity: Activity, name: str, data: bytes) -> Attachment:
    _require(user, Can.ENTER, activity.org_unit)
    if activity.attachments.count() >= MAX_ATTACHMENTS:
        raise LedgerError(f"每条记录最多 {MAX_ATTACHMENTS} 个附件")
    name = (name or "附件").replace("/", "_").replace("\\", "_")[-100:]
    try:
        clean = clean_upload(name, data)
    except AttachmentProblem as problem:
        raise LedgerError(str(problem)) from None
    with transaction.atomic():
        attachment = Attachment(
            activity=activity,
            name=name,
            content_type=clean.content_type,
            size=len(clean.content),
            uploaded_by=user,
            uploaded_at=timezone.now(),
        )
        attachment.file.save(
            f"{uuid.uuid4().hex}.{clean.extension}", ContentFile(clean.content), save=False
        )
        stored = attachment.file
        try:
            attachment.save()
            _audit(activity, AuditAction.ATTACH, user, LedgerSource.WEB, after={"file": name})
        except Exception:
            stored.delete(save=False)
            raise
    return attachment


def delete_attachment(user, attachment: Attachment) -> None:
    activity = attachment.activity
    _require(user, Can.ENTER, activity.org_unit)
    with transaction.atomic():
        _audit(
            activity, AuditAction.DETACH, user, LedgerSource.WEB, before={"file": attachment.name}
        )
        stored = attachment.file
        attachment.delete()
        transaction.on_commit(lambda: stored.delete(save=False))


# -- the "nothing to report" marker -------------------------------------------------------------


def _clear_nothing(activity_type: ActivityType, unit: OrgUnit, period_id: str) -> None:
    """A record in a month declared empty withdraws the declaration."""
    NothingToReport.objects.filter(type=activity_type, org_unit=unit, period_id=period_id).delete()


def declare_nothing(
    user, activity_type: ActivityType, unit: OrgUnit, period_id: str, note: str = "", today=None
) -> NothingToReport:
    """本月无…: the register was kept and had nothing this month; its figures become 0."""
    _require(user, Can.ENTER, unit)
    today = today or timezone.localdate()
    if not (len(period_id) == 6 and period_id.isdigit()) or not 1 <= int(period_id[4:]) <= 12:
        raise LedgerError(f"月份“{period_id}”无效，应如 202603")
    if period_id > month_of(today):
        raise LedgerError("不能为尚未到来的月份声明无记录")
    if Activity.objects.filter(type=activity_type, org_unit=unit, period_id=period_id).exists():
        raise LedgerError(f"{unit.name}本月已有{activity_type.name}记录，不能声明“本月无记录”")
    with transaction.atomic():
        marker, _ = NothingToReport.objects.update_or_create(
            type=activity_type,
            org_unit=unit,
            period_id=period_id,
            defaults={"note": note[:200], "set_by": user, "set_at": timezone.now()},
        )
        _audit(None, AuditAction.NOTHING, user, LedgerSource.WEB, after={"month": period_id},
               type=activity_type, unit=unit, title=f"{period_id} 本月无{activity_type.name}")  # fmt: skip
        publish(activity_type, [(unit, period_id)])
    return marker


def withdraw_nothing(user, activity_type: ActivityType, unit: OrgUnit, period_id: str) -> None:
    _require(user, Can.ENTER, unit)
    with transaction.atomic():
        deleted, _ = NothingToReport.objects.filter(
            type=activity_type, org_unit=unit, period_id=period_id
        ).delete()
        if deleted:
            _audit(None, AuditAction.UNDO_NOTHING, user, LedgerSource.WEB, before={"month": period_id},
                   type=activity_type, unit=unit, title=f"{period_id} 撤销无记录声明")  # fmt: skip
            publish(activity_type, [(unit, period_id)])


# -- Excel import --------------------------------------------------------------------------------


def import_xlsx(
    user, activity_type: ActivityType, data: bytes, today: dt.date | None = None
) -> list[Activity]:
    """Every row of a filled template, all or nothing: any bad row (each reported with its row
    number) saves nothing."""
    fields = activity_type.field_specs()
    try:
        rows = excel.read_rows(data, fields, Limits.from_settings(settings))
    except excel.SheetProblem as problem:
        raise LedgerError(str(problem)) from None
    scope = get_scope(user)
    codes = {str(r.cells.get("UNIT") or "").strip() for r in rows}
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=codes)}
    problems: list[Problem] = []
    cleaned = []
    for row in rows:
        where = f"第 {row.number} 行"
        code = str(row.cells.get("UNIT") or "").strip()
        unit = units.get(code)
        if not code:
            problems.append(Problem(f"{where} · 单位编码", "不能为空"))
        elif unit is None or not scope.can(Can.VIEW, unit):
            problems.append(Problem(f"{where} · 单位编码", f"单位“{code}”不存在"))
        elif not scope.can(Can.ENTER, unit):
            problems.append(Problem(f"{where} · 单位编码", f"您没有在“{unit.name}”登记台账的权限"))
        values = {f.key: row.cells.get(f.key) for f in fields}
        clean = _clean(
            activity_type,
            RecordInput(
                row.cells.get("TITLE"), row.cells.get("START"), row.cells.get("END"), values
            ),
            today,
        )
        problems += [Problem(f"{where} · {p.where}", p.reason) for p in clean.problems]
        cleaned.append((unit, clean))
    if problems:
        raise LedgerError(f"导入文件有 {len(problems)} 处错误，未导入任何记录", problems)
    now = timezone.now()
    with transaction.atomic():
        created = Activity.objects.bulk_create(
            [
                Activity(
                    type=activity_type,
                    org_unit=unit,
                    title=clean.title,
                    start_date=clean.start,
                    end_date=clean.end,
                    period_id=month_of(clean.start),
                    values=clean.values,
                    created_by=user,
                    created_at=now,
                    updated_by=user,
                    updated_at=now,
                    source=LedgerSource.EXCEL,
                )
                for unit, clean in cleaned
            ]
        )
        # bulk_create sets primary keys on PostgreSQL and SQLite; re-read to be safe elsewhere.
        places = {(a.org_unit, a.period_id) for a in created}
        for unit, period_id in places:
            _clear_nothing(activity_type, unit, period_id)
        LedgerAudit.objects.bulk_create(
            [
                LedgerAudit(
                    activity_id=a.pk,
                    type=activity_type,
                    org_unit=a.org_unit,
                    action=AuditAction.CREATE,
                    title=a.title,
                    after=_snapshot(a),
                    by=user,
                    at=now,
                    source=LedgerSource.EXCEL,
                )
                for a in created
            ]
        )
        publish(activity_type, places)
    return created


# -- types ---------------------------------------------------------------------------------------


def save_type(
    user,
    owner: OrgUnit,
    name: str,
    field_text: str,
    description: str = "",
    code: str = "",
    existing: ActivityType | None = None,
) -> ActivityType:
    """Create (or change) a ledger type an office defined: its fields from the editor's lines;
    it publishes its record count and each counter's sum (LG_<CODE>_EVENTS, LG_<CODE>_<KEY>)."""
    if existing is not None:
        if existing.builtin:
            raise LedgerError("系统内置的台账类型不能修改")
        owner = existing.owner
        code = existing.code
    if not get_scope(user).can(Can.MANAGE, owner):
        raise LedgerError(f"您没有在“{owner.name}”管理台账类型的权限")
    problems: list[Problem] = []
    name = (name or "").strip()
    code = (code or "").strip().upper()
    if not name:
        problems.append(Problem("名称", "不能为空"))
    elif len(name) > 60:
        problems.append(Problem("名称", "不能超过 60 个字"))
    elif ActivityType.objects.filter(name=name).exclude(pk=getattr(existing, "pk", None)).exists():
        problems.append(Problem("名称", f"已有名为“{name}”的台账类型"))
    if not KEY.fullmatch(code):
        problems.append(
            Problem("编码", "应为大写英文字母开头的字母、数字或“_”，最长 20 位，如 VISIT")
        )
    elif existing is None and ActivityType.objects.filter(code=code).exists():
        problems.append(Problem("编码", f"编码“{code}”已被使用"))
    fields, field_problems = parse_field_lines(
        field_text, existing.field_specs() if existing else ()
    )
    problems += [Problem("字段", p) for p in field_problems]
    if existing is not None:
        dropped = {f.key for f in existing.field_specs()} - {f.key for f in fields}
        if dropped and existing.activities.exists():
            labels = [f.label for f in existing.field_specs() if f.key in dropped]
            problems.append(Problem("字段", f"已有记录，不能删除字段：{'、'.join(labels)}"))
    if problems:
        raise LedgerError("台账类型有误，未保存", problems)
    figures = default_figures(code, name, fields)
    with transaction.atomic():
        ensure_system_elements(system_elements(figures))
        activity_type = existing or ActivityType(code=code, owner=owner, builtin=False)
        activity_type.name = name
        activity_type.description = (description or "").strip()[:300]
        activity_type.fields = [f.as_json() for f in fields]
        activity_type.figures = [f.as_json() for f in figures]
        activity_type.save()
    return activity_type
