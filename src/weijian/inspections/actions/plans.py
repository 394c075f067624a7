"""Inspection plans: which units are inspected in which months."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from weijian.orgs.models import OrgUnit
from weijian.orgs.scope import Can, get_scope

from .. import figures
from ..models import (
    ChecklistTemplate,
    InspectionPlan,
    Schedule,
)
from ..templates_io import too_long
from .common import InspectionError

# -- plans ------------------------------------------------------------------------------------


@dataclass
class PlanInput:
    name: str
    template: ChecklistTemplate
    issuer_unit: OrgUnit
    schedule: str
    start: dt.date
    end: dt.date
    units: list = None
    group: object = None
    institution: OrgUnit | None = None
    inspectors: list = None
    dates: list = None
    active: bool = True


# Saving a plan publishes INSP_PLANNED for every unit × month of its span: a typo such as
# 2099 for 2026 would mean minutes of work and thousands of rows.
MAX_PLAN_DAYS = 3 * 366


def save_plan(user, data: PlanInput, plan: InspectionPlan | None = None) -> InspectionPlan:
    scope = get_scope(user)
    if not scope.can(Can.INSPECT, data.issuer_unit):
        raise InspectionError(f"您无权以{data.issuer_unit.name}的名义制定检查计划")
    if not data.name.strip():
        raise InspectionError("请填写计划名称")
    if problem := too_long(InspectionPlan, "name", data.name.strip(), "计划名称"):
        raise InspectionError(problem)
    if data.schedule not in Schedule.values:
        raise InspectionError("请选择检查频次")
    if data.end < data.start:
        raise InspectionError("结束日期早于开始日期")
    if (data.end - data.start).days > MAX_PLAN_DAYS:
        raise InspectionError(
            f"计划期限不能超过 3 年（{data.start:%Y-%m-%d} 至 {data.end:%Y-%m-%d}），请检查日期"
        )
    dates = sorted(set(data.dates or []))
    if data.schedule == Schedule.DATES:
        if not dates:
            raise InspectionError("“指定日期”频次须列出检查日期")
        outside = [d for d in dates if not data.start <= d <= data.end]
        if outside:
            raise InspectionError(f"检查日期 {outside[0]:%Y-%m-%d} 不在计划起止日期之内")
    units = list(data.units or [])
    if not units and data.group is None and data.institution is None:
        raise InspectionError("请选择受检单位（单位、分组或某机构的全部科室）")
    members = list(data.group.members.order_by("path")) if data.group else []
    for unit in units + ([data.institution] if data.institution else []) + members:
        if not unit.path.startswith(data.issuer_unit.path):
            raise InspectionError(f"{unit.name}不在{data.issuer_unit.name}的检查范围内")
    inspectors = list(data.inspectors or [])
    if not inspectors:
        raise InspectionError("请至少选择一名检查人员")
    with transaction.atomic():
        old_units = plan_units(plan) if plan else []
        old_range = (plan.start, plan.end) if plan else None
        plan = plan or InspectionPlan(created_by=user)
        plan.name = data.name.strip()
        plan.template = data.template
        plan.issuer_unit = data.issuer_unit
        plan.schedule = data.schedule
        plan.dates = [d.isoformat() for d in dates] if data.schedule == Schedule.DATES else []
        plan.start, plan.end = data.start, data.end
        plan.group = data.group
        plan.institution = data.institution
        plan.active = data.active
        plan.save()
        plan.units.set(units)
        plan.inspectors.set(inspectors)
        first = min(plan.start, old_range[0]) if old_range else plan.start
        last = max(plan.end, old_range[1]) if old_range else plan.end
        touched = {u.pk: u for u in old_units + plan_units(plan)}
        figures.publish_planned(touched.values(), first, last)
    return plan


def plan_units(plan: InspectionPlan) -> list[OrgUnit]:
    return plan.unit_list()
