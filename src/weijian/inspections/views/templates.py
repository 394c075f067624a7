"""Checklist templates (考评表): list, versions, items, .xlsx out and in."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from weijian.once import guard as once
from weijian.orgs.scope import Can, get_scope

from .. import actions, queries, templates_io
from ..actions import InspectionError
from ..models import (
    ChecklistTemplate,
    Item,
    ItemKind,
    TemplateVersion,
)
from .common import (
    XLSX,
    _attachment,
)

# -- templates (考评表) -----------------------------------------------------------------------------------


@login_required
def template_list(request):
    templates = ChecklistTemplate.objects.prefetch_related("versions")
    return render(
        request,
        "inspections/template_list.html",
        {"templates": templates, "can_edit": get_scope(request.user).has_any(Can.INSPECT)},
    )


def _version(code: str, label: str | None) -> TemplateVersion:
    template = get_object_or_404(ChecklistTemplate, code=code)
    if label:
        return get_object_or_404(TemplateVersion, template=template, label=label)
    version = template.current_version()
    if version is None:
        raise Http404("该考评表还没有版本")
    return version


@login_required
def template_detail(request, code: str):
    version = _version(code, request.GET.get("version"))
    return render(
        request,
        "inspections/template_detail.html",
        {
            "version": version,
            "template": version.template,
            "versions": version.template.versions.order_by("-created_at"),
            "sections": version.sections.prefetch_related("items"),
            "in_use": version.in_use(),
            "can_edit": actions.can_edit_template(request.user, version.template),
            "events": queries.template_events(version.template),
        },
    )


@login_required
@require_POST
def template_new_version(request, code: str):
    template = get_object_or_404(ChecklistTemplate, code=code)
    try:
        with once.claim(request) as claimed:
            version = actions.new_version(request.user, template, request.POST.get("label", ""))
            claimed.url = reverse("inspections:template", args=[code]) + f"?version={version.label}"
    except once.Replayed as replay:
        return once.answer_replay(request, replay, "inspections:template", code)
    except InspectionError as exc:
        messages.error(request, exc.message)
        return redirect("inspections:template", code)
    messages.success(request, f"已新建版本“{version.label}”，可修改其中的项目")
    return redirect(reverse("inspections:template", args=[code]) + f"?version={version.label}")


@login_required
def item_edit(request, code: str, label: str, item_pk: int | None = None):
    if not get_scope(request.user).has_any(Can.INSPECT):
        raise Http404("只有检查人员可以编辑考评表")
    version = _version(code, label)
    item = get_object_or_404(Item, pk=item_pk, version=version) if item_pk else None
    if request.method == "POST":
        post = request.POST
        data = actions.ItemInput(
            section=post.get("section", ""),
            code=post.get("code", ""),
            content=post.get("content", ""),
            points=post.get("points", ""),
            kind=post.get("kind", ""),
            requirement=post.get("requirement", ""),
            method=post.get("method", ""),
            rule=post.get("rule", ""),
            per_occurrence=post.get("per_occurrence", ""),
            cap=post.get("cap", ""),
            grades=post.get("grades", ""),
            na_allowed=post.get("na_allowed") == "1",
        )
        back = reverse("inspections:template", args=[code]) + f"?version={label}"
        try:
            with once.claim(request) as claimed:
                actions.save_item(request.user, version, data, item)
                claimed.url = back
            messages.success(request, "项目已保存")
            return redirect(back)
        except once.Replayed as replay:
            return once.answer_replay(request, replay, "inspections:template", code)
        except InspectionError as exc:
            messages.error(request, exc.message)
    return render(
        request,
        "inspections/item_edit.html",
        {
            "version": version,
            "item": item,
            "post": request.POST if request.method == "POST" else None,
            "kinds": ItemKind.choices,
            "sections": version.sections.all(),
        },
    )


@login_required
def template_xlsx(request, code: str, label: str):
    version = _version(code, label)
    return _attachment(
        templates_io.export_xlsx(version),
        XLSX,
        f"{version.template.name}（{version.label}版）.xlsx",
    )


@login_required
@require_POST
def template_import(request):
    if not get_scope(request.user).has_any(Can.INSPECT):
        raise Http404("只有检查人员可以导入考评表")
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise templates_io.TemplateFileError("请选择要导入的 .xlsx 文件")
        if upload.size > 5 * 1024 * 1024:
            raise templates_io.TemplateFileError("文件太大（不能超过 5 MB）")
        overrides = {
            k: request.POST.get(k, "").strip() for k in ("code", "name", "version", "category")
        }
        spec = templates_io.import_xlsx(upload.read(), overrides)
        with once.claim(request) as claimed:
            loaded = actions.import_template(request.user, spec)
            claimed.url = (
                reverse("inspections:template", args=[loaded.code]) + f"?version={loaded.version}"
            )
    except once.Replayed as replay:
        return once.answer_replay(request, replay, "inspections:templates")
    except (templates_io.TemplateFileError, InspectionError) as exc:
        messages.error(request, str(exc))
        return redirect("inspections:templates")
    messages.success(request, f"考评表 {loaded.code}（{loaded.version}版）：{loaded.status}")
    return redirect(
        reverse("inspections:template", args=[loaded.code]) + f"?version={loaded.version}"
    )
