"""Inspection plans: list and edit."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from weijian.once import guard as once
from weijian.orgs.models import OrgUnitGroup
from weijian.orgs.scope import Can, get_scope

from .. import actions, queries
from ..actions import InspectionError
from ..models import (
    ChecklistTemplate,
    Schedule,
)
from .common import (
    _date,
    _inspectable_units,
)

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
