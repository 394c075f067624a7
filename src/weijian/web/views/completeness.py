"""应报 / 已报 / 按时 per form and period, with the late and missing units."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from weijian import periods
from weijian.orgs.scope import get_scope
from weijian.periods import neighbours
from weijian.reporting import queries
from weijian.reporting.models import Form, PeriodType


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


@login_required
def overview(request):
    """Every form of one period type, for one period: the district's reporting at a glance."""
    ptype = request.GET.get("type", PeriodType.MONTHLY)
    if ptype not in PeriodType.values:
        raise Http404("未知的报告周期")
    period = _period_or_last(request.GET.get("period"), ptype)
    scope = get_scope(request.user)
    forms = list(Form.objects.filter(period_type=ptype).order_by("code"))
    rows = queries.completeness_of_forms(forms, period, scope)
    context = {
        "period": period,
        "rows": [r for r in rows if r.expected_count],
        "period_types": PeriodType.choices,
        "ptype": ptype,
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
    context = {"c": result, "previous": previous, "next": following}
    return render(request, "web/completeness_detail.html", context)
