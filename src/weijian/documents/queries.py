"""Reads for the 工作总结 pages, all through the user's scope."""

from __future__ import annotations

from weijian.orgs.models import OrgUnit
from weijian.orgs.scope import Can, Scope

from . import specs
from .models import GeneratedDocument, SummaryTemplate, TemplateChange, WordLayout

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


def template_changes(template: SummaryTemplate, limit: int = 50):
    """The template's audit trail, newest first (the caller has checked the user may see it)."""
    rows = TemplateChange.objects.filter(template_code=template.code)
    return rows.select_related("user")[:limit]
