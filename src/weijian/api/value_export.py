"""Reading data values as DHIS2 data value sets (GET /api/dataValueSets), scoped to VIEW."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from weijian.orgs.models import OrgUnit
from weijian.orgs.scope import Can, get_scope
from weijian.reporting.models import DataElement, DataValue, Form

from .errors import bad_request, conflict
from .schemes import DEFAULT_COC_UID, IdScheme, Schemes, lookup_any
from .value_import import parse_bool
from .value_rows import CSV_COLUMNS


@dataclass
class ExportQuery:
    data_sets: list[str]
    data_elements: list[str]
    periods: list[str]
    start: dt.date | None
    end: dt.date | None
    org_units: list[str]
    children: bool
    schemes: Schemes
    limit: int | None

    @classmethod
    def from_params(cls, params) -> ExportQuery:
        def many(name):
            return [
                v.strip() for value in params.getlist(name) for v in value.split(",") if v.strip()
            ]

        limit = params.get("limit")
        if limit not in (None, ""):
            if not str(limit).isdigit():
                raise bad_request("参数“limit”应为非负整数")
            limit = min(int(str(limit)[:12]), 10**9)
        return cls(
            data_sets=many("dataSet"),
            data_elements=many("dataElement"),
            periods=many("period"),
            start=_date(params.get("startDate"), "startDate"),
            end=_date(params.get("endDate"), "endDate"),
            org_units=many("orgUnit"),
            children=parse_bool(params.get("children"), "children"),
            schemes=Schemes.from_sources(params),
            limit=limit or None,
        )


def _date(value, param: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise bad_request(f"参数“{param}”应为日期，如 2026-01-31") from None


def find_values(user, query: ExportQuery) -> list[DataValue]:
    if not (query.data_sets or query.data_elements):
        raise conflict("须指定至少一个报表（dataSet）或数据元（dataElement）")
    if not (query.periods or (query.start and query.end)):
        raise conflict("须指定期间（period），或同时指定开始和结束日期（startDate、endDate）")
    if not query.org_units:
        raise conflict("须指定至少一个组织机构（orgUnit）")
    elements = _elements(query)
    units = _units(user, query)
    values = DataValue.objects.filter(element__in=elements).select_related(
        "element", "option", "org_unit", "period", "stored_by"
    )
    if query.children:
        values = values.filter(_subtrees(units))
    else:
        values = values.filter(org_unit__in=units)
    if query.periods:
        values = values.filter(period_id__in=[p.upper() for p in query.periods])
    else:
        values = values.filter(period__start_date__gte=query.start, period__end_date__lte=query.end)
    values = values.order_by(
        "org_unit__path", "period__start_date", "element__code", "option__code"
    )
    return list(values[: query.limit] if query.limit else values)


def _elements(query: ExportQuery) -> list[DataElement]:
    elements: dict[int, DataElement] = {}
    if query.data_sets:
        forms = lookup_any(Form, query.data_sets)
        missing = [i for i in query.data_sets if i not in forms]
        if missing:
            raise conflict(f"找不到报表：{'、'.join(missing)}")
        for element in DataElement.objects.filter(forms__in=forms.values()):
            elements[element.pk] = element
    if query.data_elements:
        found = lookup_any(DataElement, query.data_elements)
        missing = [i for i in query.data_elements if i not in found]
        if missing:
            raise conflict(f"找不到数据元：{'、'.join(missing)}")
        elements.update({e.pk: e for e in found.values()})
    return list(elements.values())


def _units(user, query: ExportQuery) -> list[OrgUnit]:
    found = lookup_any(OrgUnit, query.org_units)
    missing = [i for i in query.org_units if i not in found]
    if missing:
        raise conflict(f"找不到组织机构：{'、'.join(missing)}")
    scope = get_scope(user)
    refused = [i for i, unit in found.items() if not scope.can(Can.VIEW, unit)]
    if refused:
        raise conflict(f"您没有组织机构“{'、'.join(refused)}”的查看权限", error_code="E2040")
    return list(found.values())


def _subtrees(units: list[OrgUnit]) -> Q:
    condition = Q(pk__in=[])
    for unit in units:
        condition |= Q(org_unit__path__startswith=unit.path)
    return condition


def _id(obj, scheme: IdScheme) -> str:
    return scheme.of(obj)


def as_rows(values: list[DataValue], schemes: Schemes) -> list[dict]:
    default_aoc = {
        IdScheme.UID: DEFAULT_COC_UID,
        IdScheme.CODE: "default",
        IdScheme.NAME: "default",
    }
    return [
        {
            "dataElement": _id(v.element, schemes.data_element),
            "period": v.period_id,
            "orgUnit": _id(v.org_unit, schemes.org_unit),
            "categoryOptionCombo": _id(v.option, schemes.option),
            "attributeOptionCombo": default_aoc[schemes.option],
            "value": v.value,
            "storedBy": v.stored_by.username if v.stored_by else "",
            "created": _timestamp(v.updated_at),
            "lastUpdated": _timestamp(v.updated_at),
            "comment": v.comment,
            "followup": False,
        }
        for v in values
    ]


def _timestamp(moment) -> str:
    return (
        timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M:%S.")
        + f"{moment.microsecond // 1000:03d}"
    )


def as_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        writer.writerow(
            [
                r["dataElement"],
                r["period"],
                r["orgUnit"],
                r["categoryOptionCombo"],
                r["attributeOptionCombo"],
                r["value"],
                r["storedBy"],
                r["lastUpdated"],
                r["comment"],
                "false",
            ]
        )
    return out.getvalue()
