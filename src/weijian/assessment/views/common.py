"""What the assessment views share: scoped lookups (outsiders get 404, never a glimpse),
input parsing that refuses garbage before the ORM sees it, file responses."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404

from weijian.orgs.models import OrgUnit

from .. import queries
from ..actions.common import AssessmentError
from ..models import Node, Run, Scheme

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def pk_of(text) -> int:
    try:
        return int(str(text).strip())
    except ValueError:
        raise Http404("编号无效") from None


def date_of(text: str, what: str) -> dt.date:
    try:
        day = dt.date.fromisoformat((text or "").strip())
    except ValueError:
        raise AssessmentError(f"{what}“{text}”不是有效日期（例：2026-03-31）") from None
    if not 2000 <= day.year <= 2100:
        raise AssessmentError(f"{what}“{text}”超出范围")
    return day


def attachment(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def scheme_for(user, code: str) -> Scheme:
    scheme = get_object_or_404(Scheme.objects.select_related("owner"), code=code)
    if scheme not in queries.schemes_for(user):
        raise Http404("不在您的权限范围内")
    return scheme


def run_for(user, pk: int) -> Run:
    run = get_object_or_404(Run.objects.select_related("scheme__owner", "version"), pk=pk)
    if not queries.can_see_run(user, run):
        raise Http404("不在您的权限范围内")
    return run


def unit_of_run(user, run: Run, code: str) -> OrgUnit:
    """A unit of the run whose details the user may see."""
    for unit in queries.own_units(user, run):
        if unit.code == code:
            return unit
    raise Http404("不在您的权限范围内")


def node_of_run(run: Run, pk) -> Node:
    return get_object_or_404(Node, pk=pk_of(pk), version=run.version)
