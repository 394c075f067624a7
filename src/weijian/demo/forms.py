"""Turns the catalogue into report-form rows: categories, elements, forms, sections, assignments."""

from __future__ import annotations

from dataclasses import dataclass

from weijian.orgs.models import OrgUnit, OrgUnitGroup
from weijian.reporting.models import (
    DEFAULT_OPTION_CODE,
    Category,
    CategoryMembership,
    CategoryOption,
    DataElement,
    Form,
    FormElement,
    FormSection,
)

from .catalogue import CATEGORIES, ELEMENTS, FORMS
from .tree import stable_uid

# The uid the reporting migration gives the default option; kept if it has to be recreated.
DEFAULT_OPTION_UID = "HllvX50cXC0"


@dataclass
class Metadata:
    elements: dict[str, DataElement]
    options: dict[str, CategoryOption]  # includes the default option
    forms: dict[str, Form]


def existing_codes() -> list[str]:
    """Catalogue codes already taken in the database (the demo cannot load over them)."""
    taken = []
    for model, codes in (
        (DataElement, [e.code for e in ELEMENTS]),
        (Form, [f.code for f in FORMS]),
        (Category, [c.code for c in CATEGORIES]),
        (CategoryOption, [o.code for c in CATEGORIES for o in c.options]),
    ):
        taken += model.objects.filter(code__in=codes).values_list("code", flat=True)
    return sorted(taken)


def build_metadata(units: dict[str, OrgUnit], groups: dict[str, OrgUnitGroup]) -> Metadata:
    options = _build_categories()
    elements = _build_elements()
    forms = _build_forms(elements)
    _assign(forms, units, groups)
    return Metadata(elements=elements, options=options, forms=forms)


def _build_categories() -> dict[str, CategoryOption]:
    default, _ = CategoryOption.objects.get_or_create(
        code=DEFAULT_OPTION_CODE, defaults={"name": "合计", "uid": DEFAULT_OPTION_UID}
    )
    options = CategoryOption.objects.bulk_create(
        CategoryOption(code=o.code, uid=stable_uid("co", o.code), name=o.name)
        for c in CATEGORIES
        for o in c.options
    )
    by_code = {o.code: o for o in options}
    categories = Category.objects.bulk_create(
        Category(code=c.code, uid=stable_uid("cat", c.code), name=c.name) for c in CATEGORIES
    )
    CategoryMembership.objects.bulk_create(
        CategoryMembership(category=category, option=by_code[o.code], sort_order=i)
        for category, spec in zip(categories, CATEGORIES, strict=True)
        for i, o in enumerate(spec.options, start=1)
    )
    by_code[DEFAULT_OPTION_CODE] = default
    return by_code


def _build_elements() -> dict[str, DataElement]:
    categories = {c.code: c for c in Category.objects.filter(code__in=[c.code for c in CATEGORIES])}
    elements = DataElement.objects.bulk_create(
        DataElement(
            code=e.code,
            uid=stable_uid("de", e.code),
            name=e.name,
            description=e.description,
            value_type=e.value_type,
            aggregation_type=e.aggregation,
            unit=e.unit,
            category=categories[e.category] if e.category else None,
        )
        for e in ELEMENTS
    )
    return {e.code: e for e in elements}


def _build_forms(elements: dict[str, DataElement]) -> dict[str, Form]:
    forms = Form.objects.bulk_create(
        Form(
            code=f.code,
            uid=stable_uid("ds", f.code),
            name=f.name,
            description=f.description,
            due_days=f.due_days,
        )
        for f in FORMS
    )
    sections = FormSection.objects.bulk_create(
        FormSection(form=form, name=section.name, sort_order=i)
        for form, spec in zip(forms, FORMS, strict=True)
        for i, section in enumerate(spec.sections, start=1)
    )
    section_iter = iter(sections)
    rows = []
    for form, spec in zip(forms, FORMS, strict=True):
        order = 0
        for section_spec in spec.sections:
            section = next(section_iter)
            for code in section_spec.elements:
                order += 1
                rows.append(
                    FormElement(
                        form=form, element=elements[code], section=section, sort_order=order
                    )
                )
    FormElement.objects.bulk_create(rows)
    return {f.code: f for f in forms}


def _assign(
    forms: dict[str, Form], units: dict[str, OrgUnit], groups: dict[str, OrgUnitGroup]
) -> None:
    ByUnit, ByGroup = Form.org_units.through, Form.org_groups.through
    ByUnit.objects.bulk_create(
        ByUnit(form_id=forms[f.code].pk, orgunit_id=units[code].pk)
        for f in FORMS
        for code in f.units
    )
    ByGroup.objects.bulk_create(
        ByGroup(form_id=forms[f.code].pk, orgunitgroup_id=groups[code].pk)
        for f in FORMS
        for code in f.groups
    )
