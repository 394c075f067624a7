"""Doing an inspection: start, mark items, submit, reopen, photos."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from weijian.orgs.models import OrgUnit
from weijian.orgs.scope import Can, get_scope

from .. import figures, photos
from ..models import (
    EDITABLE,
    OPEN_NOTICE,
    EventAction,
    Inspection,
    InspectionPlan,
    InspectionStatus,
    Item,
    ItemScore,
    Photo,
    TemplateVersion,
)
from ..scoring import (
    ItemRule,
    Mark,
    ScoringError,
    missing_items,
    number,
    score_item,
    score_sheet,
)
from .common import InspectionError, _event, _now, _require, _require_team, issuer_for

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
