"""Checklist templates: import, versions, items."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from weijian.orgs.models import OrgUnit
from weijian.orgs.scope import Can, get_scope

from .. import checklist_audit, templates_io
from ..models import (
    ChecklistTemplate,
    EventAction,
    Item,
    Section,
    TemplateVersion,
)
from ..scoring import (
    ItemRule,
    ScoringError,
    fmt,
    number,
)
from ..templates_io import MAX_TOTAL, too_long
from .common import InspectionError, _event

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
