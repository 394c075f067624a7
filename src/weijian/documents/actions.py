"""Every write of the documents app: generate (and keep) a summary, copy and edit a template,
upload a Word layout. Each checks the user's scope first; an outsider changes nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import time
import uuid
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from weijian import periods, replicas
from weijian.orgs.models import OrgUnit
from weijian.orgs.scope import Can, get_scope

from . import layouts, render_html, specs, timeframe
from .compose import compose, compose_plan, default_template, parent_of, resolve_spec
from .model import Document, provenance_json
from .models import (
    GeneratedDocument,
    PlanTask,
    PlanTaskLog,
    SummaryTemplate,
    TaskStatus,
    TemplateChange,
    WordLayout,
)
from .render_docx import chart_images, docx_bytes

MAX_LAYOUT_BYTES = 5 * 1024 * 1024


class DocumentError(Exception):
    """A request that cannot be carried out; `message` is Chinese, for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Composed:
    document: Document
    docx: bytes
    provenance: str
    seconds: float
    html: str = ""


def build(
    unit: OrgUnit,
    period_text: str,
    template_code: str | None,
    *,
    today: dt.date | None = None,
    layout: Path | None = None,
    date: dt.date | None = None,
    force: bool = False,
) -> Composed:
    """Compose and render, without saving anything (the CLI and the preview use this).
    `date` is the document's date (成文日期); by default compose.document_date."""
    started = time.monotonic()
    today = today or timezone.localdate()
    spec, period, plan_year = _resolve(unit, period_text, template_code, force)
    if layout is not None:  # a stored layout from before today's checks is refused first
        try:
            layouts.check(layout.read_bytes())
        except layouts.LayoutError as exc:
            raise DocumentError(exc.message) from None
    _refuse_without_data(unit, spec, period, plan_year, today)
    try:
        # Composition only reads: from a streaming replica when one is configured and current.
        with replicas.analytics_reads():
            if plan_year is not None:
                document = compose_plan(unit, plan_year, spec, today, date)
            else:
                document = compose(unit, period, spec, today, date)
    except specs.SpecError as exc:  # a template stored before today's checks, for one
        raise DocumentError(str(exc)) from None
    images = chart_images(document)
    try:
        data = docx_bytes(document, document.date or today, layout, images)
    except layouts.LayoutError as exc:  # a layout stored before today's checks, for one
        raise DocumentError(exc.message) from None
    html = render_html.render(document, images, display_names(document))
    return Composed(document, data, provenance_json(document), time.monotonic() - started, html)


def display_names(document: Document) -> dict[str, str]:
    """Names of the indicators, elements and units the document's figures cite."""
    from weijian.indicators.models import Indicator
    from weijian.reporting.models import DataElement

    from .model import all_figures

    dx, ou = set(), set()
    for figure in all_figures(document):
        source = dict(figure.source)
        for item in [source, *(source.get("inputs") or [])]:
            if isinstance(item, dict) and "dx" in item:
                dx.add(item["dx"])
                ou.add(item.get("ou"))
    names = dict(DataElement.objects.filter(code__in=dx).values_list("code", "name"))
    names.update(Indicator.objects.filter(code__in=dx).values_list("code", "name"))
    names.update(OrgUnit.objects.filter(code__in=ou).values_list("code", "name"))
    return names


def _resolve(unit, period_text: str, template_code: str | None, force: bool = False):
    try:
        spec = resolve_spec(
            template_code, unit, None if period_text is None else _peek(period_text)
        )
    except specs.SpecError as exc:
        raise DocumentError(str(exc)) from None
    kinds = spec.get("unit_types")
    if kinds and unit.type not in kinds and not force:
        default = specs.builtin_specs()[default_template(unit, _peek(period_text or ""))]
        raise DocumentError(
            f"模板“{spec['name']}”不适用于{unit.get_type_display()}“{unit.name}”，"
            f"该单位的默认模板为“{default['name']}”；如确需使用所选模板，请勾选“仍使用所选模板”"
            f"（命令行加 --any-unit-type）"
        )
    if spec.get("kind") == "plan":
        year = _plan_year(period_text)
        return spec, None, year
    try:
        period = timeframe.parse(period_text)
    except periods.PeriodError as exc:
        raise DocumentError(str(exc)) from None
    allowed = spec.get("period_types")
    if allowed and timeframe.kind(period) not in allowed:
        names = "、".join(PERIOD_NAMES.get(t, t) for t in allowed)
        raise DocumentError(f"模板“{spec['name']}”适用于{names}，期间“{period_text}”不适用")
    return spec, period, None


def _refuse_without_data(unit: OrgUnit, spec: dict, period, plan_year, today: dt.date) -> None:
    """A period not yet begun (or whose first month has not ended), or one in which nothing
    was reported, recorded or inspected, is refused with a message saying so: otherwise the
    document would be template sentences about data that does not exist ("总体看，各项工作
    平稳有序", hundreds of reports "至今未报" from before the unit used the system)."""
    from weijian.inspections.models import Inspection
    from weijian.ledger.models import Activity
    from weijian.reporting.models import DataValue

    basis = periods.Period.parse(str(plan_year - 1)) if plan_year is not None else period
    name = timeframe.label(basis)
    if plan_year is not None:
        what, use = (
            f"{plan_year}年工作计划以{name}的实际完成情况为依据，",
            f"制订{plan_year}年工作计划",
        )
    else:
        what, use = "", "生成总结"
    first_of_month = today.replace(day=1)
    if basis.start > today:
        raise DocumentError(f"{what}{name}尚未开始，还不能{use}")
    if basis.start >= first_of_month:
        raise DocumentError(f"{what}{name}尚未结束，还没有已结束月份的数据，请在月末之后{use}")
    basis = timeframe.clip(basis, today)
    units = [unit]
    if spec.get("figures_of") == "parent" and (parent := parent_of(unit)) is not None:
        units.append(parent)
    for each in units:
        inside = each.path
        if (
            DataValue.objects.filter(
                org_unit__path__startswith=inside,
                period__start_date__gte=basis.start,
                period__end_date__lte=basis.end,
            ).exists()
            or Activity.objects.filter(
                org_unit__path__startswith=inside,
                start_date__lte=basis.end,
                end_date__gte=basis.start,
            ).exists()
            or Inspection.objects.filter(
                org_unit__path__startswith=inside, date__range=(basis.start, basis.end)
            ).exists()
        ):
            return
    raise DocumentError(
        f"{unit.name}{name}没有任何上报数据、工作台账或检查记录，无法{use}；"
        "请先补录数据，或选择有数据的期间"
    )


PERIOD_NAMES = {
    "YEARLY": "年度",
    "SIXMONTHLY": "半年",
    "QUARTERLY": "季度",
    "MONTHLY": "月度",
    "RANGE": "日期范围",
}


def _peek(period_text: str):
    try:
        return timeframe.parse(period_text)
    except periods.PeriodError:
        return None  # a plan's year, or an error reported once the template is known


def _plan_year(text: str) -> int:
    if not re.fullmatch(r"\s*\d{4}\s*", text or ""):
        raise DocumentError(f"工作计划请填写计划年度（如 2027），“{text}”不是年份")
    year = int(text)
    if not periods.MIN_YEAR < year <= periods.MAX_YEAR:
        raise DocumentError(f"计划年度“{text}”超出范围")
    return year


def generate(
    user,
    unit_code: str,
    period_text: str,
    template_code: str | None,
    layout_id: int | None = None,
    *,
    today: dt.date | None = None,
    date: dt.date | None = None,
    force: bool = False,
) -> GeneratedDocument:
    """Compose, render and keep a document for the unit (its .docx and provenance under
    MEDIA_ROOT/documents/<unit>/), recording who generated it and when. Read-only users read
    the documents kept; they do not make new ones."""
    unit = visible_unit(user, unit_code)
    if not can_author(user, unit):
        raise DocumentError(
            f"您对“{unit.name}”只有查看权限，不能生成工作总结；已生成的总结可在下方查看和下载"
        )
    layout = None
    if layout_id:
        layout = WordLayout.objects.filter(pk=layout_id).select_related("org_unit").first()
        if layout is None or not get_scope(user).can(Can.VIEW, layout.org_unit):
            raise DocumentError("找不到所选的 Word 版式")
    composed = build(
        unit, period_text, template_code, today=today, date=date, force=force,
        layout=Path(settings.MEDIA_ROOT) / layout.file if layout else None,
    )  # fmt: skip
    folder = Path("documents") / unit.code
    stem = f"{timezone.localtime():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:6]}"
    docx_path, prov_path = folder / f"{stem}.docx", folder / f"{stem}.provenance.json"
    html_path = folder / f"{stem}.html"
    root = Path(settings.MEDIA_ROOT)
    (root / folder).mkdir(parents=True, exist_ok=True)
    with transaction.atomic():
        row = GeneratedDocument.objects.create(
            org_unit=unit,
            period=composed.document.period_id,
            template_code=composed.document.template_code,
            title=composed.document.title,
            docx=str(docx_path),
            provenance=str(prov_path),
            preview=str(html_path),
            figures=composed.provenance.count('"text"'),
            seconds=Decimal(str(round(composed.seconds, 2))),
            layout=layout,
            created_by=user,
        )
        if composed.document.template_kind == "plan":
            save_plan_tasks(unit, int(composed.document.period_id), row, composed.document, user)
        (root / docx_path).write_bytes(composed.docx)
        (root / prov_path).write_text(composed.provenance, encoding="utf-8")
        (root / html_path).write_text(composed.html, encoding="utf-8")
    return row


def save_plan_tasks(unit: OrgUnit, year: int, row, document: Document, user) -> list[PlanTask]:
    """Keep a plan's targets and tasks as trackable items (the year's summary reports on
    them). A plan generated again replaces them; a task whose wording is unchanged keeps the
    status and note its office recorded."""
    from .narrative import plain

    old = {t.text: t for t in PlanTask.objects.filter(org_unit=unit, year=year)}
    fresh = []
    for target in document.plan_targets:
        fresh.append(
            PlanTask(
                org_unit=unit, year=year, document=row, text=target["text"][:500],
                indicator=target["dx"], target_value=target["value"],
                direction=target["direction"],
            )
        )  # fmt: skip
    for task in document.tasks:
        if task.review:
            continue  # the template's standing wording is not a task of this year
        fresh.append(
            PlanTask(
                org_unit=unit, year=year, document=row, text=plain(task.text)[:500],
                office=task.office, deadline=task.deadline,
            )
        )  # fmt: skip
    for index, task in enumerate(fresh):
        task.sort_order = index
        kept = old.get(task.text)
        if kept is not None:
            task.status, task.note = kept.status, kept.note
        task.updated_by = user
    PlanTask.objects.filter(org_unit=unit, year=year).delete()
    return PlanTask.objects.bulk_create(fresh)


def set_task_status(user, task_id: int, status: str, note: str = "") -> PlanTask:
    """An office records how a plan task went; all or nothing, in Chinese when refused."""
    task = PlanTask.objects.filter(pk=task_id).select_related("org_unit").first()
    if task is None or not get_scope(user).can(Can.VIEW, task.org_unit):
        raise Http404("不在您的权限范围内")
    if not get_scope(user).can(Can.MANAGE, task.org_unit):
        raise DocumentError("只有本单位的管理员可以填写任务完成情况")
    if status not in TaskStatus.values:
        raise DocumentError("请选择任务完成情况（已完成、推进中、未完成或未反馈）")
    note = (note or "").strip()
    if len(note) > 300:
        raise DocumentError("说明不能超过300字")
    with transaction.atomic():
        task.status, task.note, task.updated_by = status, note, user
        task.save(update_fields=["status", "note", "updated_by", "updated_at"])
        PlanTaskLog.objects.create(task=task, user=user, status=status, note=note)
    return task


def parse_date(text: str) -> dt.date | None:
    """成文日期 as typed (2026-07-10 or 2026年7月10日); None when empty. DocumentError (Chinese)
    when it is not a date."""
    text = (text or "").strip()
    if not text:
        return None
    match = re.fullmatch(r"(\d{4})[-年/.](\d{1,2})[-月/.](\d{1,2})日?", text)
    try:
        if match is None:
            raise ValueError
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        raise DocumentError(f"成文日期“{text}”不是有效的日期（例：2026-07-10）") from None


# Writing a summary belongs to those who work on the unit's figures: its clerks and offices
# (ENTER, MANAGE), its inspectors (专项总结 of 院感, INSPECT) and reviewers above it (REVIEW).
# A read-only role (VIEW alone) reads what they wrote.
AUTHOR_CAPABILITIES = (Can.ENTER, Can.MANAGE, Can.INSPECT, Can.REVIEW)


def can_author(user, unit: OrgUnit | None = None) -> bool:
    """May the user generate documents (for `unit`, or anywhere when None)?"""
    scope = get_scope(user)
    if unit is None:
        return any(scope.has_any(c) for c in AUTHOR_CAPABILITIES)
    return any(scope.can(c, unit) for c in AUTHOR_CAPABILITIES)


def visible_unit(user, code: str, capability: Can = Can.VIEW) -> OrgUnit:
    unit = OrgUnit.objects.filter(code=code).first()
    if unit is None or not get_scope(user).can(capability, unit):
        raise Http404("不在您的权限范围内")
    return unit


def visible_document(user, pk: int) -> GeneratedDocument:
    row = GeneratedDocument.objects.filter(pk=pk).select_related("org_unit", "created_by").first()
    if row is None or not get_scope(user).can(Can.VIEW, row.org_unit):
        raise Http404("不在您的权限范围内")
    return row


# -- templates -----------------------------------------------------------------------------


def copy_template(user, source_code: str, unit_code: str) -> SummaryTemplate:
    """An office's own copy of a template (built-in or another copy it can see), to edit."""
    unit = visible_unit(user, unit_code, Can.MANAGE)
    spec = _template_spec(user, source_code)
    with transaction.atomic():
        code = _free_code(f"{spec['code']}_{unit.code}")
        copied = {**spec, "code": code, "name": f"{spec['name']}（{unit.name}）"}
        row = SummaryTemplate.objects.create(
            code=code, name=copied["name"], org_unit=unit, based_on=spec["code"], spec=copied,
            updated_by=user,
        )  # fmt: skip
        TemplateChange.objects.create(
            user=user, org_unit=unit, action=TemplateChange.Action.COPY, template_code=code,
            name_after=row.name, spec_after=copied, detail=f"复制自 {spec['code']}",
        )  # fmt: skip
        return row


def _template_spec(user, code: str) -> dict:
    builtin = specs.builtin_specs()
    if code in builtin:
        return builtin[code]
    row = SummaryTemplate.objects.filter(code=code).select_related("org_unit").first()
    if row is None or not get_scope(user).can(Can.VIEW, row.org_unit):
        raise Http404("找不到该模板")
    return row.spec


def _free_code(base: str) -> str:
    base = re.sub(r"[^A-Za-z0-9_]", "_", base)[:50]
    code, n = base, 1
    while SummaryTemplate.objects.filter(code=code).exists() or code in specs.builtin_specs():
        n += 1
        code = f"{base}_{n}"
    return code


def update_template(user, template: SummaryTemplate, name: str, yaml_text: str) -> SummaryTemplate:
    """Replace a copied template's content; all or nothing, with the problems in Chinese."""
    if not get_scope(user).can(Can.MANAGE, template.org_unit):
        raise Http404("不在您的权限范围内")
    name = (name or "").strip()
    if not name:
        raise DocumentError("请填写模板名称")
    try:
        spec = specs.parse_yaml(yaml_text)
    except specs.SpecError as exc:
        raise DocumentError(str(exc)) from None
    spec["code"] = template.code  # the code names the row; it is not edited in the text
    spec["name"] = name
    with transaction.atomic():
        before = SummaryTemplate.objects.select_for_update().get(pk=template.pk)
        if (before.name, before.spec) == (name, spec):
            return template  # saved again unchanged: nothing to record
        template.name = name
        template.spec = spec
        template.updated_by = user
        template.save()
        TemplateChange.objects.create(
            user=user, org_unit=template.org_unit, action=TemplateChange.Action.EDIT,
            template_code=template.code, name_before=before.name, name_after=name,
            spec_before=before.spec, spec_after=spec,
        )  # fmt: skip
    return template


def upload_layout(user, unit_code: str, name: str, upload) -> WordLayout:
    """Keep an office's Word layout: a .docx containing the `{{ body }}` placeholder."""
    unit = visible_unit(user, unit_code, Can.MANAGE)
    name = (name or "").strip() or "本单位版式"
    data = upload.read(MAX_LAYOUT_BYTES + 1)
    if len(data) > MAX_LAYOUT_BYTES:
        raise DocumentError("版式文件不能超过 5 MB")
    check_layout(data)
    folder = Path("documents") / unit.code / "layouts"
    path = folder / f"{uuid.uuid4().hex[:10]}.docx"
    root = Path(settings.MEDIA_ROOT)
    (root / folder).mkdir(parents=True, exist_ok=True)
    with transaction.atomic():
        layout = WordLayout.objects.create(
            name=name[:100], org_unit=unit, file=str(path), uploaded_by=user
        )
        TemplateChange.objects.create(
            user=user, org_unit=unit, action=TemplateChange.Action.UPLOAD_LAYOUT, layout=layout,
            name_after=layout.name, detail=_file_note(upload, data),
        )  # fmt: skip
        (root / path).write_bytes(data)
    return layout


def _file_note(upload, data: bytes) -> str:
    name = (getattr(upload, "name", "") or "版式.docx")[:120]
    return f"{name}，{len(data) / 1024:.0f} KB，sha256 {hashlib.sha256(data).hexdigest()}"


def check_layout(data: bytes) -> None:
    try:
        layouts.check(data)
    except layouts.LayoutError as exc:
        raise DocumentError(exc.message) from None
