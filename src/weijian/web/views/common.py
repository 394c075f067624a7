"""Lookups shared by the views: every object a URL names is fetched through the user's scope,
so an outsider gets 404 (the page does not exist for them), never someone else's data."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from weijian import periods
from weijian.orgs.models import OrgUnit
from weijian.orgs.scope import Can, get_scope
from weijian.reporting.models import Form


def visible_unit(user, code: str, capability: Can = Can.VIEW) -> OrgUnit:
    unit = get_object_or_404(OrgUnit, code=code)
    if not get_scope(user).can(capability, unit):
        raise Http404("不在您的权限范围内")
    return unit


def form_unit_period(user, form_code: str, unit_code: str, period_id: str):
    """(form, unit, period) for a form page; 404 for anything outside the user's scope."""
    unit = visible_unit(user, unit_code)
    form = get_object_or_404(Form, code=form_code)
    try:
        period = form.parse_period(period_id)
    except periods.PeriodError as exc:
        raise Http404(str(exc)) from None
    return form, unit, period
