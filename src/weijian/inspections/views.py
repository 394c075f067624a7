"""Thin views over queries (reads) and actions (writes). Every object named by a URL is fetched
through the user's scope: outsiders get 404 and nothing changes. Refused actions come back as a
Chinese message on the page they were made from."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from weijian import periods
from weijian.once import guard as once
from weijian.orgs.models import OrgUnit, OrgUnitGroup, label_with_ancestors
from weijian.orgs.scope import Can, get_scope

from . import actions, documents, photos, queries, templates_io
from .actions import InspectionError, MarkInput
from .models import (
    ChecklistTemplate,
    Event,
    InspectionStatus,
    Item,
    ItemKind,
    ItemScore,
    Photo,
    Schedule,
    TemplateVersion,
)
from .scoring import fmt

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _date(text: str, what: str) -> dt.date:
    try:
        day = dt.date.fromisoformat((text or "").strip())
    except ValueError:
        raise InspectionError(f"{what}“{text}”不是有效日期（例：2026-03-31）") from None
    # Figures are published per month: a month outside the periods' years was a 500 later on.
    if not 2000 <= day.year <= 2100:
        raise InspectionError(f"{what}“{text}”超出范围（应在 2000–2100 年之间）")
    return day


def _pk(text) -> int:
    """An id from a POST body, or 404 (garbage like "abc" or "²" must not reach the ORM)."""
    try:
        return int(str(text).strip())
    except ValueError:
        raise Http404("编号无效") from None


def _attachment(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


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


def _inspectable_units(user, limit: int = 400):
    scope = get_scope(user)
    if not scope.has_any(Can.INSPECT):
        return []
    units = list(scope.units(Can.INSPECT).order_by("path")[:limit])
    label_with_ancestors(units)
    return units


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


# -- notices ----------------------------------------------------------------------------------------


@login_required
def notice_list(request):
    """Notices by status, unit (the unit and below), deadline period and text, paged."""
    from .models import NoticeStatus

    get = request.GET
    status = get.get("status", "")
    notices = queries.notices_for(request.user).select_related("org_unit", "issuer_unit")
    if status:
        notices = notices.filter(status=status)
    unit = _filter_unit(request.user, get.get("ou"))
    if unit is not None:
        notices = notices.filter(org_unit__path__startswith=unit.path)
    period = _filter_period(get.get("pe"))
    if period is not None:
        notices = notices.filter(deadline__gte=period.start, deadline__lte=period.end)
    text = get.get("q", "").strip()[:50]
    if text:
        notices = notices.filter(
            Q(org_unit__name__icontains=text)
            | Q(word__icontains=text)
            | Q(responsible__icontains=text)
        )
    page = Paginator(notices.order_by("-issued_at", "-pk"), 50).get_page(get.get("page"))
    label_with_ancestors([n.org_unit for n in page])
    today = timezone.localdate()
    for n in page:
        n.overdue_days = n.days_overdue(today)
    params = get.copy()
    params.pop("page", None)
    context = {
        "notices": list(page), "page": page, "status": status, "statuses": NoticeStatus.choices,
        "unit": unit, "period": period, "text": text, "query": params.urlencode(),
    }  # fmt: skip
    return render(request, "inspections/notice_list.html", context)


def _filter_unit(user, code: str | None):
    if not code:
        return None
    unit = OrgUnit.objects.filter(code=code).first()
    if unit is None or not get_scope(user).can(Can.VIEW, unit):
        raise Http404("不在您的权限范围内")
    return unit


def _filter_period(text: str | None):
    if not text:
        return None
    try:
        return periods.parse(text)
    except periods.PeriodError as exc:
        raise Http404(str(exc)) from None


@login_required
def notice(request, pk: int):
    found = queries.get_notice(request.user, pk)
    scope = get_scope(request.user)
    today = timezone.localdate()
    context = {
        "notice": found,
        "can_answer": scope.can(Can.ENTER, found.org_unit) and found.status in ("OPEN", "REOPENED"),
        "can_recheck": found.status == "ANSWERED"
        and scope.can(Can.INSPECT, found.org_unit)
        and (
            scope.can(Can.INSPECT, found.issuer_unit)
            or (
                found.inspection is not None
                and found.inspection.inspectors.filter(pk=request.user.pk).exists()
            )
        ),
        "overdue_days": found.days_overdue(today),
        "photos": found.photos.all(),
        "events": Event.objects.filter(notice=found).select_related("user"),
        "next_deadline": today + dt.timedelta(days=7),
    }
    return render(request, "inspections/notice.html", context)


@login_required
@require_POST
def answer(request, pk: int):
    found = queries.get_notice(request.user, pk)
    upload = request.FILES.get("photo")
    try:
        photo = None
        if upload is not None:
            if upload.size > photos.max_bytes():
                raise InspectionError(
                    f"照片“{upload.name}”太大（{upload.size / 1048576:.1f} MB），单张不能超过 "
                    f"{photos.max_bytes() / 1048576:.0f} MB"
                )
            photo = (upload.read(), upload.name)
        with once.claim(request) as claimed:
            actions.answer_notice(request.user, found, request.POST.get("answer", ""), photo=photo)
            claimed.url = reverse("inspections:notice", args=[pk])
        messages.success(request, "整改情况已反馈，等待检查单位复查")
    except once.Replayed as replay:
        return once.answer_replay(request, replay, "inspections:notice", pk)
    except InspectionError as exc:
        messages.error(request, exc.message)
    return redirect("inspections:notice", pk)


@login_required
@require_POST
def recheck(request, pk: int):
    found = queries.get_notice(request.user, pk)
    passed = request.POST.get("passed") == "1"
    try:
        deadline = None
        if not passed and request.POST.get("deadline"):
            deadline = _date(request.POST["deadline"], "新的整改期限")
        actions.recheck_notice(
            request.user,
            found,
            passed=passed,
            note=request.POST.get("note", ""),
            new_deadline=deadline,
        )
        messages.success(request, "复查通过，已销号" if passed else "复查未通过，已退回重新整改")
    except InspectionError as exc:
        messages.error(request, exc.message)
    return redirect("inspections:notice", pk)


@login_required
def notice_docx(request, pk: int):
    found = queries.get_notice(request.user, pk)
    return _attachment(documents.notice_docx(found), DOCX, f"整改通知书{found.number}.docx")


# -- plans -------------------------------------------------------------------------------------------


@login_required
def plan_list(request):
    plans = list(
        queries.plans_for(request.user)
        .select_related("template", "issuer_unit", "group", "institution")
        .prefetch_related("inspectors", "units")
    )
    return render(
        request,
        "inspections/plan_list.html",
        {"plans": plans, "can_plan": get_scope(request.user).has_any(Can.INSPECT)},
    )


@login_required
def plan_edit(request, pk: int | None = None):
    scope = get_scope(request.user)
    if not scope.has_any(Can.INSPECT):
        raise Http404("只有检查人员可以制定检查计划")
    plan = get_object_or_404(queries.plans_for(request.user), pk=pk) if pk else None
    if plan is not None and not scope.can(Can.INSPECT, plan.issuer_unit):
        raise Http404("不在您的权限范围内")
    units = _inspectable_units(request.user)
    issuers = scope.root_units(Can.INSPECT)
    inspector_choices = _inspector_choices(request.user)
    if request.method == "POST":
        post = request.POST
        try:
            data = _plan_input(request.user, post, units, issuers, inspector_choices)
            with once.claim(request) as claimed:  # a double click must not make two plans
                plan = actions.save_plan(request.user, data, plan)
                claimed.url = reverse("inspections:plans")
            messages.success(request, f"检查计划“{plan.name}”已保存")
            return redirect("inspections:plans")
        except once.Replayed as replay:
            return once.answer_replay(request, replay, "inspections:plans")
        except InspectionError as exc:
            messages.error(request, exc.message)
    context = {
        "plan": plan,
        "units": units,
        "issuers": issuers,
        "groups": OrgUnitGroup.objects.order_by("name"),
        "institutions": [u for u in units if u.type not in ("DEPARTMENT", "WARD")],
        "templates": ChecklistTemplate.objects.all(),
        "schedules": Schedule.choices,
        "inspector_choices": inspector_choices,
        "selected_units": {u.pk for u in plan.units.all()} if plan else set(),
        "selected_inspectors": {u.pk for u in plan.inspectors.all()} if plan else {request.user.pk},
        "post": request.POST if request.method == "POST" else None,
        "today": timezone.localdate(),
    }
    return render(request, "inspections/plan_edit.html", context)


def _inspector_choices(user):
    """People who may inspect somewhere inside the user's inspect scope (and the user)."""
    from weijian.orgs.models import Role, RoleAssignment

    scope = get_scope(user)
    holders = RoleAssignment.objects.filter(
        role__in=[Role.INSPECTOR, Role.BUREAU_ADMIN], user__is_active=True
    ).select_related("user", "org_unit")
    people = {user.pk: user}
    for row in holders:
        if scope.is_everything or any(
            row.org_unit.path.startswith(p) or p.startswith(row.org_unit.path)
            for p in scope.grant_paths(Can.INSPECT)
        ):
            people[row.user.pk] = row.user
    return sorted(people.values(), key=lambda u: u.username)


def _plan_input(user, post, units, issuers, inspector_choices) -> actions.PlanInput:
    by_code = {u.code: u for u in units}
    issuer = next((u for u in issuers if u.code == post.get("issuer")), None)
    if issuer is None:
        raise InspectionError("请选择检查单位")
    template = ChecklistTemplate.objects.filter(code=post.get("template", "")).first()
    if template is None:
        raise InspectionError("请选择考评表")
    chosen = [by_code[c] for c in post.getlist("units") if c in by_code]
    group = (
        OrgUnitGroup.objects.filter(code=post.get("group", "")).first()
        if post.get("group")
        else None
    )
    institution = by_code.get(post.get("institution", "")) if post.get("institution") else None
    allowed = {u.pk: u for u in inspector_choices}
    inspectors = [
        allowed[int(i)] for i in post.getlist("inspectors") if i.isdecimal() and int(i) in allowed
    ]
    dates = [
        _date(d, "检查日期")
        for d in post.get("dates", "").replace("，", ",").replace("\n", ",").split(",")
        if d.strip()
    ]
    return actions.PlanInput(
        name=post.get("name", ""),
        template=template,
        issuer_unit=issuer,
        schedule=post.get("schedule", ""),
        start=_date(post.get("start", ""), "开始日期"),
        end=_date(post.get("end", ""), "结束日期"),
        units=chosen,
        group=group,
        institution=institution,
        inspectors=inspectors,
        dates=dates,
        active=post.get("active", "1") == "1",
    )


# -- scores and ranking ------------------------------------------------------------------------------


def _ranking_args(request):
    templates = list(ChecklistTemplate.objects.all())
    template = next((t for t in templates if t.code == request.GET.get("template")), None)
    latest = None
    if template is None:  # open on the checklist the user's latest inspection used
        latest = queries.latest_submitted(request.user)
        template = next(
            (t for t in templates if latest and t.pk == latest.version.template_id), None
        )
        template = template or (templates[0] if templates else None)
    try:
        month = periods.parse(request.GET["month"]) if request.GET.get("month") else None
    except periods.PeriodError:
        month = None
    if month is None or month.type != periods.PeriodType.MONTHLY:
        # the latest month with a submitted inspection of that checklist, else this month
        latest = queries.latest_submitted(request.user, template) if template else None
        month = queries.default_month(latest.date if latest else None)
    return templates, template, month


@login_required
def scores(request):
    templates, template, month = _ranking_args(request)
    rows = queries.ranking(request.user, template, month) if template else []
    months = [month]
    for _ in range(11):
        months.append(months[-1].previous())
    return render(
        request,
        "inspections/scores.html",
        {
            "templates": templates,
            "template": template,
            "month": month,
            "rows": rows,
            "months": months,
        },
    )


@login_required
def scores_xlsx(request):
    _, template, month = _ranking_args(request)
    if template is None:
        raise Http404("没有考评表")
    rows = queries.ranking(request.user, template, month)
    data = documents.ranking_xlsx(template.name, month.label, rows)
    return _attachment(data, XLSX, f"{month.label}{template.name}公示.xlsx")


@login_required
def scores_docx(request):
    _, template, month = _ranking_args(request)
    if template is None:
        raise Http404("没有考评表")
    rows = queries.ranking(request.user, template, month)
    issuer = get_scope(request.user).home_unit()
    data = documents.ranking_docx(
        template.name, issuer.name if issuer else "", month.label, rows, timezone.localdate()
    )
    return _attachment(data, DOCX, f"{month.label}{template.name}公示.docx")


@login_required
def unit_history(request, code: str):
    unit = get_object_or_404(OrgUnit, code=code)
    scope = get_scope(request.user)
    if not (scope.can(Can.VIEW, unit) or scope.can(Can.INSPECT, unit)):
        raise Http404("不在您的权限范围内")
    chart, inspections, open_notices = queries.unit_history(request.user, unit)
    today = timezone.localdate()
    for n in open_notices:
        n.overdue_days = n.days_overdue(today)
    return render(
        request,
        "inspections/unit.html",
        {
            "unit": unit,
            "chart": chart,
            "has_chart": bool(chart["series"]),
            "inspections": inspections,
            "open_notices": open_notices,
        },
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


def _user_label(user: User) -> str:
    return user.first_name or user.username
