"""What the inspections views share: parsing, scoped filters, file answers."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.http import Http404, HttpResponse

from weijian import periods
from weijian.orgs.models import OrgUnit, label_with_ancestors
from weijian.orgs.scope import Can, get_scope

from ..actions import InspectionError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _date(text: str, what: str) -> dt.date:
    try:
        day = dt.date.fromisoformat((text or "").strip())
    except ValueError:
        raise InspectionError(f"{what}“{text}”不是有效日期（例：2026-03-31）") from None
    # Figures are published per month: a month outside the periods' years was a 500 later on.
    if not 2000 <= day.year <= 2100:
        raise InspectionError(f"{what}“{text}”超出范围（应在 2000–2100 年之间）")
    return day


def _pk(text) -> int:
    """An id from a POST body, or 404 (garbage like "abc" or "²" must not reach the ORM)."""
    try:
        return int(str(text).strip())
    except ValueError:
        raise Http404("编号无效") from None


def _attachment(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _inspectable_units(user, limit: int = 400):
    scope = get_scope(user)
    if not scope.has_any(Can.INSPECT):
        return []
    units = list(scope.units(Can.INSPECT).order_by("path")[:limit])
    label_with_ancestors(units)
    return units


def _filter_unit(user, code: str | None):
    if not code:
        return None
    unit = OrgUnit.objects.filter(code=code).first()
    if unit is None or not get_scope(user).can(Can.VIEW, unit):
        raise Http404("不在您的权限范围内")
    return unit


def _filter_period(text: str | None):
    if not text:
        return None
    try:
        return periods.parse(text)
    except periods.PeriodError as exc:
        raise Http404(str(exc)) from None


def _user_label(user: User) -> str:
    return user.first_name or user.username
