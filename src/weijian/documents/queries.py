"""Reads for the 工作总结 pages, all through the user's scope."""

from __future__ import annotations

from weijian.orgs.models import OrgUnit
from weijian.orgs.scope import Can, Scope

from . import specs
from .models import GeneratedDocument, PlanTask, SummaryTemplate, WordLayout

MAX_UNITS = 400


def unit_choices(scope: Scope) -> list[tuple[str, str]]:
    """(code, indented name) of the units the user may summarise, in tree order."""
    units = scope.units(Can.VIEW).order_by("path")[:MAX_UNITS]
    top = min((u.depth for u in units), default=1)
    return [(u.code, "　" * (u.depth - top) + u.name) for u in units]


def template_choices(scope: Scope) -> list[tuple[str, str]]:
    builtin = [(code, spec["name"]) for code, spec in specs.builtin_specs().items()]
    copies = [(t.code, f"{t.name}（本单位）") for t in template_rows(scope)]
    return builtin + copies


def template_rows(scope: Scope):
    return SummaryTemplate.objects.filter(scope.q(Can.VIEW, "org_unit__")).select_related(
        "org_unit", "updated_by"
    )


def layout_choices(scope: Scope):
    return WordLayout.objects.filter(scope.q(Can.VIEW, "org_unit__")).select_related(
        "org_unit", "uploaded_by"
    )


def history(scope: Scope, unit: OrgUnit | None = None, limit: int = 50):
    rows = GeneratedDocument.objects.filter(scope.q(Can.VIEW, "org_unit__"))
    if unit is not None:
        rows = rows.filter(org_unit__path__startswith=unit.path)
    return rows.select_related("org_unit", "created_by")[:limit]


def plan_tasks(scope: Scope, unit: OrgUnit, year: int):
    """The tasks a unit's plan for `year` saved (the caller checked VIEW on the unit)."""
    return PlanTask.objects.filter(org_unit=unit, year=year).select_related("updated_by")


def plan_years(scope: Scope, unit: OrgUnit) -> list[int]:
    return sorted(
        set(PlanTask.objects.filter(org_unit=unit).values_list("year", flat=True)), reverse=True
    )
