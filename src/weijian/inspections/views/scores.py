"""Scores and ranking: the page, 公示 .xlsx/.docx, one unit's history."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from weijian import periods
from weijian.orgs.models import OrgUnit
from weijian.orgs.scope import Can, get_scope

from .. import documents, queries
from ..models import (
    ChecklistTemplate,
)
from .common import (
    DOCX,
    XLSX,
    _attachment,
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
