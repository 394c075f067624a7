"""The inspections home and one inspection: start, mark, photos, submit, reopen, notice."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from weijian.once import guard as once
from weijian.orgs.models import OrgUnit, label_with_ancestors
from weijian.orgs.scope import Can, get_scope

from .. import actions, photos, queries
from ..actions import InspectionError, MarkInput
from ..models import (
    ChecklistTemplate,
    Event,
    InspectionStatus,
    Item,
    ItemKind,
    ItemScore,
    Photo,
)
from ..scoring import fmt
from .common import (
    _date,
    _filter_period,
    _filter_unit,
    _inspectable_units,
    _pk,
)

# -- home -------------------------------------------------------------------------------------


@login_required
def home(request):
    scope = get_scope(request.user)
    listed = queries.inspections_for(request.user).select_related("org_unit", "version__template")
    unit = _filter_unit(request.user, request.GET.get("ou"))
    if unit is not None:
        listed = listed.filter(org_unit__path__startswith=unit.path)
    period = _filter_period(request.GET.get("pe"))
    if period is not None:
        listed = listed.filter(date__gte=period.start, date__lte=period.end)
    checklist = request.GET.get("checklist", "")
    if checklist:
        listed = listed.filter(version__template__code=checklist)
    status = request.GET.get("status", "")
    if status not in InspectionStatus.values:
        status = ""
    if status:
        listed = listed.filter(status=status)
    page = Paginator(listed.order_by("-date", "-id"), 30).get_page(request.GET.get("page"))
    recent = list(page)
    label_with_ancestors([i.org_unit for i in recent])
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "board": queries.board(request.user),
        "recent": recent,
        "page": page,
        "unit": unit,
        "period": period,
        "checklist": checklist,
        "status": status,
        "statuses": InspectionStatus.choices,
        "query": params.urlencode(),
        "can_inspect": scope.has_any(Can.INSPECT),
        "templates": ChecklistTemplate.objects.all(),
        "units": _inspectable_units(request.user),
        "today": timezone.localdate(),
    }
    return render(request, "inspections/home.html", context)


@login_required
@require_POST
def start(request):
    post = request.POST
    scope = get_scope(request.user)
    unit = OrgUnit.objects.filter(code=post.get("unit", "")).first()
    if unit is None or not scope.can(Can.INSPECT, unit):
        raise Http404("不在您的权限范围内")
    plan = None
    if post.get("plan"):
        plan = get_object_or_404(queries.plans_for(request.user), pk=_pk(post["plan"]))
        template = plan.template
    else:
        template = get_object_or_404(ChecklistTemplate, code=post.get("template", ""))
    version = template.current_version()
    try:
        day = _date(post.get("date") or timezone.localdate().isoformat(), "检查日期")
        if version is None:
            raise InspectionError("该考评表还没有版本")
        with once.claim(request) as claimed:  # a double tap must not start two inspections
            inspection = actions.start_inspection(request.user, version, unit, day, plan=plan)
            claimed.url = reverse("inspections:detail", args=[inspection.pk])
    except once.Replayed as replay:
        return once.answer_replay(request, replay, "inspections:home")
    except InspectionError as exc:
        messages.error(request, exc.message)
        return redirect("inspections:home")
    return redirect("inspections:detail", inspection.pk)


# -- one inspection -------------------------------------------------------------------------------


def _item_rows(inspection):
    """(section, [(item, score row, item result, photos)]) for the page."""
    sheet = actions.sheet_of(inspection)
    results = {r.rule.code: r for r in sheet.items}
    rows = {r.item_id: r for r in ItemScore.objects.filter(inspection=inspection)}
    photo_rows: dict[int | None, list] = {}
    for photo in Photo.objects.filter(inspection=inspection):
        photo_rows.setdefault(photo.item_id, []).append(photo)
    sections = []
    for section in inspection.version.sections.prefetch_related("items"):
        items = [
            {
                "item": item,
                "row": rows.get(item.pk),
                "result": results[item.code],
                "photos": photo_rows.get(item.pk, []),
            }
            for item in section.items.all()
        ]
        sections.append({"section": section, "items": items})
    return sheet, sections, photo_rows.get(None, [])


@login_required
def detail(request, pk: int):
    inspection = queries.get_inspection(request.user, pk)
    scope = get_scope(request.user)
    sheet, sections, loose_photos = _item_rows(inspection)
    can_inspect = scope.can(Can.INSPECT, inspection.org_unit)
    context = {
        "inspection": inspection,
        "sheet": sheet,
        "sections": sections,
        "loose_photos": loose_photos,
        "editing": inspection.editable and can_inspect,
        "can_inspect": can_inspect,
        "can_reopen": scope.can(Can.INSPECT, inspection.issuer_unit)
        and inspection.status == "SUBMITTED",
        "notice": inspection.notices.first(),
        "events": Event.objects.filter(inspection=inspection).select_related("user"),
        "inspectors": inspection.inspectors.all(),
        "default_deadline": inspection.date + dt.timedelta(days=14),
        "kinds": ItemKind,
    }
    return render(request, "inspections/detail.html", context)


@login_required
@require_POST
def score_item(request, pk: int, item_pk: int):
    inspection = queries.get_inspection(request.user, pk)
    item = get_object_or_404(Item, pk=item_pk, version=inspection.version)
    post = request.POST
    verdict = post.get("verdict", "")  # the 符合 / 不达标 (否决) choice of pass/fail and veto items
    data = MarkInput(
        na=post.get("na") == "1",
        occurrences=post.get("occurrences", ""),
        score=post.get("score", ""),
        failed=post.get("failed") == "1" or verdict == "failed",
        finding=post.get("finding", ""),
        met=post.get("met") == "1" or verdict == "met",
    )
    error = ""
    try:
        actions.record_item(request.user, inspection, item, data)
    except InspectionError as exc:
        error = exc.message
        if not request.headers.get("HX-Request"):
            messages.error(request, error)
    inspection.refresh_from_db()
    if request.headers.get("HX-Request"):
        sheet, sections, _ = _item_rows(inspection)
        entry = next(e for s in sections for e in s["items"] if e["item"].pk == item.pk)
        return render(
            request,
            "inspections/_score_response.html",
            {
                "inspection": inspection,
                "entry": entry,
                "sheet": sheet,
                "editing": True,
                "error": error,
                "oob": True,
            },
        )
    return redirect(reverse("inspections:detail", args=[pk]) + f"#item-{item.pk}")


@login_required
@require_POST
def upload_photo(request, pk: int):
    inspection = queries.get_inspection(request.user, pk)
    item = None
    if request.POST.get("item"):
        item = get_object_or_404(Item, pk=_pk(request.POST["item"]), version=inspection.version)
    upload = request.FILES.get("photo")
    back = reverse("inspections:detail", args=[pk]) + (f"#item-{item.pk}" if item else "")
    try:
        if upload is None:
            raise InspectionError("请选择要上传的照片")
        if upload.size > photos.max_bytes():
            raise InspectionError(
                f"照片“{upload.name}”太大（{upload.size / 1048576:.1f} MB），单张不能超过 "
                f"{photos.max_bytes() / 1048576:.0f} MB"
            )
        with once.claim(request) as claimed:  # a resent upload must not add the photo twice
            actions.add_photo(
                request.user, upload.read(), upload.name, inspection=inspection, item=item
            )
            claimed.url = back
        messages.success(request, "照片已上传")
    except once.Replayed as replay:
        return once.answer_replay(request, replay, "inspections:detail", pk)
    except InspectionError as exc:
        messages.error(request, exc.message)
    return redirect(back)


@login_required
def photo(request, pk: int):
    found = get_object_or_404(Photo, pk=pk)
    scope = get_scope(request.user)
    if not (scope.can(Can.VIEW, found.org_unit) or scope.can(Can.INSPECT, found.org_unit)):
        raise Http404("不在您的权限范围内")
    path = Path(photos.media_root()) / found.path
    if not path.exists():
        raise Http404("照片文件不存在")
    return FileResponse(path.open("rb"), content_type="image/jpeg")


@login_required
@require_POST
def submit(request, pk: int):
    inspection = queries.get_inspection(request.user, pk)
    try:
        actions.submit_inspection(
            request.user,
            inspection,
            present=request.POST.get("present", ""),
            summary=request.POST.get("summary", ""),
        )
        messages.success(request, f"检查已提交，得分 {fmt(inspection.score)} 分")
    except InspectionError as exc:
        messages.error(request, exc.message)
    return redirect("inspections:detail", pk)


@login_required
@require_POST
def reopen(request, pk: int):
    inspection = queries.get_inspection(request.user, pk)
    try:
        actions.reopen_inspection(request.user, inspection, request.POST.get("reason", ""))
        messages.success(request, "已退回修改，修改后请重新提交")
    except InspectionError as exc:
        messages.error(request, exc.message)
    return redirect("inspections:detail", pk)


@login_required
@require_POST
def issue_notice(request, pk: int):
    inspection = queries.get_inspection(request.user, pk)
    try:
        deadline = _date(request.POST.get("deadline", ""), "整改期限")
        with once.claim(request) as claimed:
            notice = actions.issue_notice(
                request.user,
                inspection,
                measures=request.POST.get("measures", ""),
                responsible=request.POST.get("responsible", ""),
                deadline=deadline,
            )
            claimed.url = reverse("inspections:notice", args=[notice.pk])
    except once.Replayed as replay:
        return once.answer_replay(request, replay, "inspections:detail", pk)
    except InspectionError as exc:
        messages.error(request, exc.message)
        return redirect("inspections:detail", pk)
    messages.success(request, f"已下发整改通知书 {notice.number}")
    return redirect("inspections:notice", notice.pk)
