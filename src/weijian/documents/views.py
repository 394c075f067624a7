"""工作总结 pages: compose a summary (unit, period, template), preview it with each number's
source, download the .docx, see what was generated before; copy and edit templates; upload a
Word layout. Every object goes through the user's scope (outsiders get 404)."""

from __future__ import annotations

import io
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from weijian import periods
from weijian.once import guard as once
from weijian.orgs.models import OrgUnit
from weijian.orgs.scope import Can, get_scope

from . import actions, docx, queries, specs
from .models import PlanTask, SummaryTemplate, TaskStatus

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
def summaries(request):
    return _page(request, dict(request.GET.items()))


def _page(request, chosen: dict, error: str = "", status: int = 200):
    scope = get_scope(request.user)
    home = scope.home_unit()
    today = timezone.localdate()
    half = periods.last_ended(periods.PeriodType.SIXMONTHLY, today)
    ou = chosen.get("ou") or (home.code if home else "")
    chosen_unit = OrgUnit.objects.filter(code=ou).first()
    if chosen_unit is not None and not scope.can(Can.VIEW, chosen_unit):
        chosen_unit = None  # a code outside the scope is not even named back
    context = {
        "chosen_unit": chosen_unit,
        "templates": queries.template_choices(scope),
        "layouts": queries.layout_choices(scope),
        "history": queries.history(scope),
        "chosen": {
            "ou": chosen.get("ou") or (home.code if home else ""),
            "pe": chosen.get("pe") or half.id,
            "template": chosen.get("template", ""),
            "layout": chosen.get("layout", ""),
            "date": chosen.get("date", ""),
        },
        "suggested": [half.id, str(today.year - 1), str(today.year + 1)],
        "error": error,
        "can_author": actions.can_author(request.user),
    }
    return render(request, "documents/summaries.html", context, status=status)


@login_required
@require_POST
def generate(request):
    post = request.POST
    layout = post.get("layout") or None
    try:
        row = actions.generate(
            request.user, post.get("ou", ""), post.get("pe", ""), post.get("template") or None,
            int(layout) if layout and layout.isdigit() else None,
            date=actions.parse_date(post.get("date", "")), force=post.get("force") == "1",
        )  # fmt: skip
    except actions.DocumentError as exc:
        if request.headers.get("HX-Request"):
            return render(request, "documents/_error.html", {"error": exc.message}, status=200)
        return _page(request, dict(post.items()), exc.message, status=400)
    if request.headers.get("HX-Request"):  # the preview in place, and the list refreshed
        context = {**_detail_context(row), "oob": True, "history": queries.history(get_scope(request.user))}  # fmt: skip
        return render(request, "documents/_result.html", context)
    return redirect("document_detail", pk=row.pk)


@login_required
def detail(request, pk: int):
    row = actions.visible_document(request.user, pk)
    return render(request, "documents/detail.html", _detail_context(row))


def _detail_context(row) -> dict:
    preview = _media(row.preview) if row.preview else None
    html = preview.read_text(encoding="utf-8") if preview and preview.exists() else ""
    return {"doc": row, "preview": mark_safe(html)}  # our own escaped rendering


def _media(relative: str) -> Path:
    root = Path(settings.MEDIA_ROOT).resolve()
    path = (root / relative).resolve()
    if root not in path.parents:
        raise Http404("文件不存在")
    return path


@login_required
def download(request, pk: int):
    """定稿, what 下载 gives: the document without the yellow review marks. The page's preview
    is where the office reviews (marks, sources); a file that leaves the page is forwarded,
    printed and signed, and every reader found the highlighted copy unsignable."""
    row = actions.visible_document(request.user, pk)
    path = _media(row.docx)
    if not path.exists():
        raise Http404("文件不存在")
    data = docx.final_copy(path.read_bytes())
    return FileResponse(io.BytesIO(data), as_attachment=True, filename=f"{row.title}.docx", content_type=DOCX)  # fmt: skip


@login_required
def download_review(request, pk: int):
    """审阅稿: the document as generated, template text and passages to check in yellow."""
    row = actions.visible_document(request.user, pk)
    path = _media(row.docx)
    if not path.exists():
        raise Http404("文件不存在")
    return FileResponse(path.open("rb"), as_attachment=True, filename=f"{row.title}（审阅稿）.docx", content_type=DOCX)  # fmt: skip


@login_required
def provenance(request, pk: int):
    row = actions.visible_document(request.user, pk)
    path = _media(row.provenance)
    if not path.exists():
        raise Http404("文件不存在")
    return FileResponse(path.open("rb"), as_attachment=True, filename=f"{row.title}.provenance.json", content_type="application/json")  # fmt: skip


# -- templates and layouts ---------------------------------------------------------------


@login_required
def templates(request):
    scope = get_scope(request.user)
    context = {
        "builtin": list(specs.builtin_specs().values()),
        "copies": queries.template_rows(scope),
        "layouts": queries.layout_choices(scope),
        "manageable": list(scope.units(Can.MANAGE).order_by("path")[:200]),
    }
    return render(request, "documents/templates.html", context)


@login_required
@require_POST
def copy_template(request):
    try:
        with once.claim(request) as claimed:  # a double click must not make two copies
            row = actions.copy_template(
                request.user, request.POST.get("source", ""), request.POST.get("ou", "")
            )
            claimed.url = reverse("document_template_edit", kwargs={"code": row.code})
    except once.Replayed as replay:
        return once.answer_replay(request, replay, "document_templates")
    except actions.DocumentError as exc:
        messages.error(request, exc.message)
        return redirect("document_templates")
    messages.success(request, f"已复制为“{row.name}”，可在下方修改。")
    return redirect("document_template_edit", code=row.code)


@login_required
def edit_template(request, code: str):
    row = get_object_or_404(SummaryTemplate.objects.select_related("org_unit"), code=code)
    if not get_scope(request.user).can(Can.MANAGE, row.org_unit):
        raise Http404("不在您的权限范围内")
    error, text, name = "", specs.dump_yaml(row.spec), row.name
    if request.method == "POST":
        text, name = request.POST.get("spec", ""), request.POST.get("name", "")
        try:
            actions.update_template(request.user, row, name, text)
        except actions.DocumentError as exc:
            error = exc.message
        else:
            messages.success(request, "模板已保存。")
            return redirect("document_template_edit", code=row.code)
    changes = queries.template_changes(row)
    context = {"row": row, "text": text, "name": name, "error": error, "changes": changes}
    return render(request, "documents/template_edit.html", context, status=400 if error else 200)


@login_required
@require_POST
def upload_layout(request):
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "请选择要上传的 Word 版式文件（.docx）")
        return redirect("document_templates")
    try:
        with once.claim(request) as claimed:
            actions.upload_layout(
                request.user, request.POST.get("ou", ""), request.POST.get("name", ""), upload
            )
            claimed.url = reverse("document_templates")
    except once.Replayed as replay:
        return once.answer_replay(request, replay, "document_templates")
    except actions.DocumentError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "版式已上传，生成总结时可选用。")
    return redirect("document_templates")


# -- plan tasks ----------------------------------------------------------------------------


@login_required
def plan_tasks(request):
    """A unit's plan tasks for a year, with the status its office records."""
    scope = get_scope(request.user)
    home = scope.home_unit()
    code = request.GET.get("ou") or (home.code if home else "")
    unit = actions.visible_unit(request.user, code) if code else None
    years = queries.plan_years(scope, unit) if unit else []
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() else (years[0] if years else None)
    context = {
        "unit": unit,
        "units": queries.unit_choices(scope),
        "years": years,
        "year": year,
        "tasks": queries.plan_tasks(scope, unit, year) if unit and year else [],
        "statuses": TaskStatus.choices,
        "can_manage": bool(unit) and scope.can(Can.MANAGE, unit),
    }
    return render(request, "documents/tasks.html", context)


@login_required
@require_POST
def plan_task_status(request, pk: int):
    try:
        task = actions.set_task_status(
            request.user, pk, request.POST.get("status", ""), request.POST.get("note", "")
        )
    except actions.DocumentError as exc:
        messages.error(request, exc.message)
        task = get_object_or_404(PlanTask.objects.select_related("org_unit"), pk=pk)
    else:
        messages.success(request, "已保存任务完成情况。")
    return redirect(f"{reverse('document_tasks')}?ou={task.org_unit.code}&year={task.year}")


@login_required
def history(request):
    """Every generated document the user may see, by unit (picker), period and title, paged."""
    from django.core.paginator import Paginator

    scope = get_scope(request.user)
    unit = None
    if request.GET.get("ou"):
        unit = OrgUnit.objects.filter(code=request.GET["ou"]).first()
        if unit is None or not scope.can(Can.VIEW, unit):
            raise Http404("不在您的权限范围内")
    listed = queries.history(scope, unit, limit=None)
    period = request.GET.get("pe", "").strip()[:30]
    if period:
        listed = listed.filter(period=period)
    text = request.GET.get("q", "").strip()[:50]
    if text:
        listed = listed.filter(title__icontains=text)
    page = Paginator(listed, 30).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "history": list(page), "page": page, "unit": unit, "period": period, "text": text,
        "query": params.urlencode(),
    }  # fmt: skip
    return render(request, "documents/history.html", context)
