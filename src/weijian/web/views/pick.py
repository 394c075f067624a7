from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from weijian import periods
from weijian.orgs.models import OrgUnit, label_with_ancestors
from weijian.orgs.scope import Can, get_scope
from weijian.reporting import queries
from weijian.reporting.models import Form


@login_required
def my_forms(request):
    """The forms the user can see, per unit, each linked to its latest ended period."""
    scope = get_scope(request.user)
    assigned = queries.assignments(units_q=scope.q(Can.VIEW))
    forms = Form.objects.filter(pk__in=[f for f, units in assigned.items() if units]).order_by(
        "code"
    )
    unit_ids = set().union(*assigned.values()) if assigned else set()
    units = {u.pk: u for u in OrgUnit.objects.filter(pk__in=unit_ids)}
    label_with_ancestors(units.values())
    today = timezone.localdate()
    rows = []
    for form in forms:
        latest = periods.last_ended(periods.PeriodType(form.period_type), today)
        form_units = sorted((units[i] for i in assigned[form.pk]), key=lambda u: u.path)
        rows.append({"form": form, "period": latest, "units": form_units})
    return render(request, "web/my_forms.html", {"rows": rows})
