from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from weijian import periods
from weijian.indicators.validation import run_for_subtree
from weijian.orgs.models import label_with_ancestors
from weijian.orgs.scope import get_scope

from .. import pickers
from .common import visible_unit


@login_required
def validation_results(request):
    """Every validation-rule violation in a unit's subtree for a period (default: last month)."""
    home = get_scope(request.user).home_unit()
    code = request.GET.get("ou") or (home.code if home else None)
    if code is None:
        return render(request, "web/validation.html", {"unit": None})
    unit = visible_unit(request.user, code)
    period = _period(request.GET.get("pe"))
    violations = run_for_subtree(unit, period)
    label_with_ancestors([v.org_unit for v in violations])
    label_with_ancestors([unit])
    context = {
        "unit": unit, "period": period, "violations": violations,
        "unit_choice": pickers.UnitChoice(unit.code, unit.ancestor_names()),
        "period_groups": pickers.period_groups(timezone.localdate(), current=True),
    }  # fmt: skip
    return render(request, "web/validation.html", context)


def _period(text: str | None) -> periods.Period:
    if not text:
        today = timezone.localdate()
        return periods.last_ended(periods.PeriodType.MONTHLY, today)
    try:
        return periods.parse(text)
    except periods.PeriodError as exc:
        raise Http404(str(exc)) from None
