"""How our objects look as DHIS2 metadata (organisationUnits, dataElements, dataSets,
indicators), with `fields=` selections rendered from a few prefetching queries per page.

Each Resource lists its fields; a nested field names the Resource of its objects, so
`dataSetElements[dataSet[id,periodType]]` renders through FormElement → Form. `prepare()`
fetches what the selected nested fields need for a whole page at once, level by level.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, prefetch_related_objects

from weijian.indicators.models import FACTORS, Indicator, IndicatorType
from weijian.orgs.models import OrgUnit
from weijian.orgs.scope import Can, get_scope
from weijian.reporting.models import (
    Category,
    CategoryMembership,
    DataElement,
    Form,
    FormElement,
)
from weijian.reporting.queries import default_option

from .fields import ALL, Selection
from .schemes import DEFAULT_CATEGORY_COMBO_UID

PERIOD_TYPES_OUT = {
    "MONTHLY": "Monthly",
    "QUARTERLY": "Quarterly",
    "SIXMONTHLY": "SixMonthly",
    "YEARLY": "Yearly",
}
PERIOD_TYPES_IN = {v.upper(): k for k, v in PERIOD_TYPES_OUT.items()}


def _iso(day) -> str | None:
    return day.isoformat() + "T00:00:00.000" if day else None


class Ctx(dict):
    """What `prepare` fetched for the page: ctx[name] is a dict keyed by object."""

    def table(self, name: str) -> dict:
        return self.setdefault(name, {})


@dataclass
class Field:
    get: Callable[[Any, Ctx], Any]
    resource: Resource | None = None
    many: bool = False


class Resource:
    key = ""  # the plural DHIS2 name, also the list's key in the answer
    klass = ""
    default_list_fields = "id,displayName"
    default_item_fields = "*"
    fields: dict[str, Field] = {}
    # How a nested object of this kind shows when no sub-fields are asked for.
    reference: Selection = {"id": None}

    # -- reading ------------------------------------------------------------------------
    def queryset(self, user):
        raise NotImplementedError

    def order(self) -> list[str]:
        return ["code"]

    # property name → ORM field for `filter=` and `order=`
    filterable: dict[str, str] = {
        "id": "uid",
        "code": "code",
        "name": "name",
        "displayName": "name",
    }

    def filter_value(self, prop: str, value: str):
        return value

    # -- rendering ----------------------------------------------------------------------
    def wanted(self, selection: Selection) -> list[str]:
        excluded = set(selection.get("!") or {})
        names = list(self.fields) if ALL in selection else []
        names += [n for n in selection if n not in (ALL, "!") and n not in names]
        return [n for n in names if n in self.fields and n not in excluded]

    def prefetch(self, objs: list, names: set[str], ctx: Ctx) -> None:
        """Fetch, for the whole list, what the named fields need."""

    def prepare(self, objs: list, selection: Selection, ctx: Ctx) -> None:
        if not objs:
            return
        names = self.wanted(selection)
        self.prefetch(objs, set(names), ctx)
        for name in names:
            field = self.fields[name]
            if field.resource is None:
                continue
            nested = []
            for obj in objs:
                value = field.get(obj, ctx)
                if field.many:
                    nested.extend(value or [])
                elif value is not None:
                    nested.append(value)
            field.resource.prepare(nested, _sub(selection, name, field.resource), ctx)

    def render(self, obj, selection: Selection, ctx: Ctx) -> dict:
        out: dict[str, Any] = {}
        for name in self.wanted(selection):
            field = self.fields[name]
            value = field.get(obj, ctx)
            if field.resource is not None:
                sub = _sub(selection, name, field.resource)
                if field.many:
                    value = [field.resource.render(v, sub, ctx) for v in value or []]
                elif value is not None:
                    value = field.resource.render(value, sub, ctx)
            out[name] = value
        return out


def _sub(selection: Selection, name: str, resource: Resource) -> Selection:
    return selection.get(name) or resource.reference


def _common(short_name: Callable | None = None) -> dict[str, Field]:
    short = short_name or (lambda o: getattr(o, "short_name", "") or o.name)
    return {
        "id": Field(lambda o, c: o.uid),
        "code": Field(lambda o, c: o.code),
        "name": Field(lambda o, c: o.name),
        "displayName": Field(lambda o, c: o.name),
        "shortName": Field(lambda o, c: short(o)),
        "displayShortName": Field(lambda o, c: short(o)),
    }


# -- category combos: our Category (or the default) seen as DHIS2's combo ---------------


@dataclass(frozen=True)
class Combo:
    category: Category | None

    @property
    def uid(self):
        return self.category.uid if self.category else DEFAULT_CATEGORY_COMBO_UID

    @property
    def code(self):
        return self.category.code if self.category else "default"

    @property
    def name(self):
        return self.category.name if self.category else "default"


class OptionResource(Resource):
    key = "categoryOptionCombos"
    klass = "org.hisp.dhis.category.CategoryOptionCombo"
    fields = _common()


class ComboResource(Resource):
    key = "categoryCombos"
    klass = "org.hisp.dhis.category.CategoryCombo"

    def __init__(self) -> None:
        self.fields = {
            **_common(),
            "categoryOptionCombos": Field(self._options, OptionResource(), many=True),
        }

    def prefetch(self, objs, names, ctx):
        if "categoryOptionCombos" not in names:
            return
        categories = [o.category for o in objs if o.category is not None]
        memberships = CategoryMembership.objects.select_related("option")
        prefetch_related_objects(
            list({c.pk: c for c in categories}.values()),
            Prefetch("categorymembership_set", queryset=memberships),
        )
        if any(o.category is None for o in objs):
            ctx["default_option"] = default_option()

    def _options(self, combo: Combo, ctx: Ctx):
        if combo.category is None:
            return [ctx.get("default_option") or default_option()]
        return [m.option for m in combo.category.categorymembership_set.all()]


COMBO = ComboResource()


# -- data sets, data elements and their link ---------------------------------------------


class DataSetElementResource(Resource):
    key = "dataSetElements"
    reference = {"dataSet": None, "dataElement": None}

    def __init__(self) -> None:
        self.fields = {}

    def bind(self, data_set: Resource, data_element: Resource) -> None:
        self.fields = {
            "dataSet": Field(lambda o, c: o.form, data_set),
            "dataElement": Field(lambda o, c: o.element, data_element),
        }


class DataElementResource(Resource):
    key = "dataElements"
    klass = "org.hisp.dhis.dataelement.DataElement"

    def __init__(self, link: DataSetElementResource) -> None:
        self.fields = {
            **_common(),
            "description": Field(lambda o, c: o.description),
            "formName": Field(lambda o, c: o.name),
            "valueType": Field(lambda o, c: o.value_type),
            "aggregationType": Field(lambda o, c: o.aggregation_type),
            "domainType": Field(lambda o, c: "AGGREGATE"),
            "zeroIsSignificant": Field(lambda o, c: True),
            "categoryCombo": Field(lambda o, c: Combo(o.category), COMBO),
            "dataSetElements": Field(lambda o, c: list(o.formelement_set.all()), link, many=True),
        }

    def queryset(self, user):
        return DataElement.objects.select_related("category")

    def prefetch(self, objs, names, ctx):
        if "dataSetElements" in names:
            prefetch_related_objects(
                objs, Prefetch("formelement_set", FormElement.objects.select_related("form"))
            )


class DataSetResource(Resource):
    key = "dataSets"
    klass = "org.hisp.dhis.dataset.DataSet"
    filterable = {**Resource.filterable, "periodType": "period_type"}

    def __init__(self, link: DataSetElementResource, units: Resource) -> None:
        self.fields = {
            **_common(),
            "description": Field(lambda o, c: o.description),
            "periodType": Field(lambda o, c: PERIOD_TYPES_OUT.get(o.period_type)),
            "timelyDays": Field(lambda o, c: o.due_days),
            "expiryDays": Field(lambda o, c: 0),
            "openFuturePeriods": Field(lambda o, c: 0),
            "categoryCombo": Field(lambda o, c: Combo(None), COMBO),
            "dataSetElements": Field(lambda o, c: list(o.form_elements.all()), link, many=True),
            "organisationUnits": Field(self._units, units, many=True),
        }

    def queryset(self, user):
        return Form.objects.all()

    def filter_value(self, prop, value):
        return PERIOD_TYPES_IN.get(value.upper(), value) if prop == "periodType" else value

    def prefetch(self, objs, names, ctx):
        if "dataSetElements" in names:
            prefetch_related_objects(
                objs, Prefetch("form_elements", FormElement.objects.select_related("element"))
            )
        if "organisationUnits" in names:
            prefetch_related_objects(objs, "org_units", "org_groups__members")

    def _units(self, form: Form, ctx: Ctx) -> list[OrgUnit]:
        units = {u.pk: u for u in form.org_units.all()}
        for group in form.org_groups.all():
            units.update({u.pk: u for u in group.members.all()})
        return sorted(units.values(), key=lambda u: u.path)


# -- organisation units -------------------------------------------------------------------


class OrgUnitResource(Resource):
    key = "organisationUnits"
    klass = "org.hisp.dhis.organisationunit.OrganisationUnit"
    filterable = {**Resource.filterable, "level": "depth", "shortName": "short_name"}

    def __init__(self) -> None:
        self.fields = {
            **_common(),
            "level": Field(lambda o, c: o.depth),
            "path": Field(self._path),
            "openingDate": Field(lambda o, c: _iso(o.opening_date)),
            "closedDate": Field(lambda o, c: _iso(o.closing_date)),
            "leaf": Field(lambda o, c: o.numchild == 0),
            "type": Field(lambda o, c: o.type),
            "parent": Field(self._parent, self),
            "children": Field(self._children, self, many=True),
            "ancestors": Field(self._ancestors, self, many=True),
        }

    def bind(self, data_sets: Resource) -> None:
        """`organisationUnits[dataSets]`: the forms assigned to a unit directly."""
        self.fields["dataSets"] = Field(lambda o, c: list(o.forms.all()), data_sets, many=True)

    def queryset(self, user):
        return get_scope(user).units(Can.VIEW)

    def order(self):
        return ["path"]

    def filter_value(self, prop, value):
        if prop == "level":
            text = value.strip()
            return int(text) if text.isdigit() and len(text) < 4 else -1
        return value

    def prefetch(self, objs, names, ctx):
        step = OrgUnit.steplen
        by_path = ctx.table("ou_by_path")
        by_path.update({o.path: o for o in objs})
        if names & {"parent", "path", "ancestors"}:
            wanted = {o.path[: step * k] for o in objs for k in range(1, o.depth)} - set(by_path)
            if wanted:
                by_path.update({u.path: u for u in OrgUnit.objects.filter(path__in=wanted)})
        if "dataSets" in names:
            prefetch_related_objects(objs, "forms")
        if "children" in names:
            children = ctx.table("ou_children")
            parents = [o for o in objs if o.path not in children]
            condition = Q(pk__in=[])
            for parent in parents:
                children[parent.path] = []
                if parent.numchild:
                    condition |= Q(path__startswith=parent.path, depth=parent.depth + 1)
            for child in OrgUnit.objects.filter(condition).order_by("path"):
                children[child.path[:-step]].append(child)

    def _chain(self, unit: OrgUnit, ctx: Ctx) -> list[OrgUnit]:
        step = OrgUnit.steplen
        by_path = ctx.table("ou_by_path")
        paths = [unit.path[: step * k] for k in range(1, unit.depth)]
        if any(p not in by_path for p in paths):
            by_path.update({u.path: u for u in OrgUnit.objects.filter(path__in=paths)})
        return [by_path[p] for p in paths if p in by_path]

    def _path(self, unit, ctx):
        return "/" + "/".join(u.uid for u in [*self._chain(unit, ctx), unit])

    def _parent(self, unit, ctx):
        chain = self._chain(unit, ctx) if unit.depth > 1 else []
        return chain[-1] if chain else None

    def _ancestors(self, unit, ctx):
        return self._chain(unit, ctx)

    def _children(self, unit, ctx):
        table = ctx.table("ou_children")
        if unit.path not in table:
            table[unit.path] = list(unit.get_children()) if unit.numchild else []
        return table[unit.path]


# -- indicators ----------------------------------------------------------------------------


def _stable_uid(text: str) -> str:
    digest = hashlib.sha1(text.encode()).hexdigest()
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    number = int(digest, 16)
    tail = ""
    for _ in range(9):
        number, rest = divmod(number, len(alphabet))
        tail += alphabet[rest]
    return "it" + tail


@dataclass(frozen=True)
class IndicatorTypeObj:
    code: str

    @property
    def uid(self):
        return _stable_uid(self.code)

    @property
    def name(self):
        return IndicatorType(self.code).label

    @property
    def factor(self):
        return FACTORS[self.code]


INDICATOR_TYPES = {code: IndicatorTypeObj(code) for code in IndicatorType.values}


class IndicatorTypeResource(Resource):
    key = "indicatorTypes"
    klass = "org.hisp.dhis.indicator.IndicatorType"
    fields = {
        **_common(),
        "factor": Field(lambda o, c: o.factor),
        "number": Field(lambda o, c: o.factor == 1),
    }


class IndicatorResource(Resource):
    key = "indicators"
    klass = "org.hisp.dhis.indicator.Indicator"

    def __init__(self) -> None:
        self.fields = {
            **_common(),
            "description": Field(lambda o, c: o.definition),
            "numerator": Field(lambda o, c: o.numerator),
            "numeratorDescription": Field(lambda o, c: o.numerator_description),
            "denominator": Field(lambda o, c: o.denominator),
            "denominatorDescription": Field(lambda o, c: o.denominator_description),
            "decimals": Field(lambda o, c: o.decimals),
            "annualized": Field(lambda o, c: False),
            "indicatorType": Field(lambda o, c: INDICATOR_TYPES[o.type], IndicatorTypeResource()),
        }

    def queryset(self, user):
        return Indicator.objects.all()


# -- the registry --------------------------------------------------------------------------

ORG_UNITS = OrgUnitResource()
_LINK = DataSetElementResource()
DATA_ELEMENTS = DataElementResource(_LINK)
DATA_SETS = DataSetResource(_LINK, ORG_UNITS)
_LINK.bind(DATA_SETS, DATA_ELEMENTS)
ORG_UNITS.bind(DATA_SETS)
INDICATORS = IndicatorResource()

RESOURCES: dict[str, Resource] = {
    r.key: r for r in (ORG_UNITS, DATA_ELEMENTS, DATA_SETS, INDICATORS)
}
