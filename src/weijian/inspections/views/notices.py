"""Rectification notices: the list, one notice, answer, re-check, the .docx."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from weijian.once import guard as once
from weijian.orgs.models import label_with_ancestors
from weijian.orgs.scope import Can, get_scope

from .. import actions, documents, photos, queries
from ..actions import InspectionError
from ..models import (
    Event,
)
from .common import (
    DOCX,
    _attachment,
    _date,
    _filter_period,
    _filter_unit,
)

# -- notices ----------------------------------------------------------------------------------------


@login_required
def notice_list(request):
    """Notices by status, unit (the unit and below), deadline period and text, paged."""
    from ..models import NoticeStatus

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
