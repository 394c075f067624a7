from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from weijian.reporting.models import DataElement, DataValueAudit, Submission

from .common import form_unit_period

HISTORY_LIMIT = 500


@login_required
def history(request, form_code, unit_code, period_id):
    """Every change of the form's values for this unit and period, or of one value."""
    form, unit, period = form_unit_period(request.user, form_code, unit_code, period_id)
    audits = DataValueAudit.objects.filter(
        org_unit=unit, period_id=period.id, element__in=form.elements.all()
    ).select_related("element", "option", "changed_by")
    element = None
    if code := request.GET.get("element"):
        element = DataElement.objects.filter(code=code).first()
        audits = audits.filter(element=element)
        if option := request.GET.get("option"):
            audits = audits.filter(option__code=option)
    submission = Submission.objects.filter(form=form, org_unit=unit, period_id=period.id).first()
    context = {
        "form": form,
        "unit": unit,
        "period": period,
        "element": element,
        "audits": audits[:HISTORY_LIMIT],
        "events": submission.events.select_related("by") if submission else [],
    }
    return render(request, "web/history.html", context)
