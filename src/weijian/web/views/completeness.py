"""应报 / 已报 / 按时 per form and period, with the late and missing units."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from weijian import periods, tables
from weijian.orgs.scope import Can, get_scope
from weijian.periods import neighbours
from weijian.reminders import queries as reminders
from weijian.reporting import queries
from weijian.reporting.models import Form, PeriodType

from .. import pickers


def _period_or_last(period_id: str | None, ptype: str) -> periods.Period:
    """The asked period, or the latest one of the type that has ended. A period of another
    type — the month still in the box when 季报 is chosen — becomes the period of the type
    that holds its last day, or the latest ended one if that has not ended yet (it was a 404)."""
    today = timezone.localdate()
    latest = periods.last_ended(periods.PeriodType(ptype), today)
    if not period_id:
        return latest
    try:
        period = periods.parse(period_id)
    except periods.PeriodError as exc:
        raise Http404(str(exc)) from None
    if period.type == ptype:
        return period
    holding = periods.Period.containing(periods.PeriodType(ptype), period.end)
    return holding if holding.end < today else latest


def _type_of(period_id: str | None) -> str | None:
    try:
        return periods.parse(period_id).type.value if period_id else None
    except periods.PeriodError:
        return None


@login_required
def overview(request):
    """Every form of one period type, for one period: the district's reporting at a glance."""
    period_id = request.GET.get("period")
    ptype = request.GET.get("type") or _type_of(period_id) or PeriodType.MONTHLY
    if ptype not in PeriodType.values:
        raise Http404("未知的报告周期")
    period = _period_or_last(period_id, ptype)
    scope = get_scope(request.user)
    forms = list(Form.objects.filter(period_type=ptype).order_by("code"))
    rows = queries.completeness_of_forms(forms, period, scope)
    context = {
        "period": period,
        "rows": [r for r in rows if r.expected_count],
        "period_types": PeriodType.choices,
        "ptype": ptype,
        "period_groups": pickers.period_groups(timezone.localdate()),
        "previous": neighbours(period)[0],
        "next": neighbours(period)[1],
    }
    return render(request, "web/completeness.html", context)


@login_required
def detail(request, form_code, period_id):
    form = get_object_or_404(Form, code=form_code)
    period = _period_or_last(period_id, form.period_type)
    result = queries.completeness(form, period, get_scope(request.user))
    previous, following = neighbours(period)
    scope = get_scope(request.user)
    can_urge = scope.has_any(Can.REVIEW) and result.due_date < timezone.localdate()
    urged = reminders.last_urged(form.code, period.id) if can_urge else {}
    context = {
        "c": result, "previous": previous, "next": following,
        # 催报 once the due date has passed, by a reviewer above the late units
        "can_urge": can_urge,
        "missing": [(unit, s, urged.get(unit.pk)) for unit, s in result.missing],
    }  # fmt: skip
    return render(request, "web/completeness_detail.html", context)


@login_required
def detail_xlsx(request, form_code, period_id):
    """The late and missing units as a sheet (for a meeting, a 通报)."""
    form = get_object_or_404(Form, code=form_code)
    period = _period_or_last(period_id, form.period_type)
    c = queries.completeness(form, period, get_scope(request.user))
    rows = [
        (u.ancestor_names(), "未报", s.get_status_display() if s else "未填报", None)
        for u, s in c.missing
    ]
    rows += [
        (u.ancestor_names(), "逾期上报", s.get_status_display(), _local(s.first_submitted_at))
        for u, s in c.late
    ]
    rows += [
        (u.ancestor_names(), "按时上报", s.get_status_display(), _local(s.first_submitted_at))
        for u, s in c.on_time
    ]
    note = (
        f"应报 {c.expected_count}，已报 {c.reported_count}，按时 {c.on_time_count}；"
        f"上报率 {c.reporting_rate if c.reporting_rate is not None else '—'}%，"
        f"及时率 {c.on_time_rate if c.on_time_rate is not None else '—'}%；截止日期 {c.due_date:%Y-%m-%d}"
    )
    book = tables.sheet(
        None,
        "上报情况",
        f"{form.name} · {period.label} 上报情况",
        ["单位", "情况", "状态", "首次上报时间"],
        rows,
        note,
    )
    response = HttpResponse(tables.xlsx_bytes(book), content_type=tables.XLSX)
    response["Content-Disposition"] = tables.disposition(f"{form.name}{period.label}上报情况.xlsx")
    return response


def _local(moment):
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None
