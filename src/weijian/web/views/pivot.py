"""数据透视: indicators × periods × units as tables and a chart, the API's numbers laid out."""

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from weijian.api.errors import ApiError

from .. import pickers
from ..pivot_table import (
    DEFAULT_PERIODS,
    LAYOUT_NAMES,
    PivotError,
    build_pivot,
    chart_specs,
    read_query,
)
from ..pivot_xlsx import build_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _answer(request):
    """(query, pivot, error message): the error is set when the request cannot be answered."""
    query = pivot = None
    try:
        query = read_query(request.user, request.GET)
        if query.dx:
            pivot = build_pivot(request.user, query)
    except (ApiError, PivotError) as exc:
        return query, None, exc.message
    return query, pivot, ""


@login_required
def pivot_page(request):
    return _render(request, *_answer(request))


def _render(request, query, pivot, error):
    chosen = query.dx if query else request.GET.getlist("dx")
    indicator_picker = pickers.indicator_groups(request.user, chosen)
    known = indicator_picker["known"]
    params = request.GET.copy()
    params.pop("ous", None)

    def drill(code: str) -> str:
        params["ou"] = f"{code};CHILDREN"
        return "?" + params.urlencode(safe=";")

    today = timezone.localdate()
    pe = query.pe if query else DEFAULT_PERIODS
    period_groups = pickers.period_groups(today, relative=True)
    offered = {value for g in period_groups for value, _ in g.options}
    ou_text = request.GET.get("ou") or (query.ou if query else "")
    unit = pickers.unit_choice(request.user, ou_text)
    scope_word = (request.GET.get("ous") or unit.scope).upper()

    tables = []
    for table in pivot.tables if pivot else []:
        rows = [
            (
                item,
                drill(item.unit_code) if item.has_children else "",
                [(v, (r, c) in table.impossible) for c, v in enumerate(values)],
            )
            for r, (item, values) in enumerate(table.rows)
        ]
        columns = [
            (item, drill(item.unit_code) if item.has_children else "") for item in table.columns
        ]
        tables.append(
            {"title": table.title, "columns": columns, "rows": rows, "impossible": table.impossible}
        )
    context = {
        "query": query,
        "pivot": pivot,
        "tables": tables,
        "error": error,
        "indicator_picker": indicator_picker,
        "unit": unit,
        "scope_word": scope_word,
        "unit_scopes": [*pickers.UNIT_SCOPES.items(), *pickers.level_words(request.user)],
        "period_groups": period_groups,
        "pe": pe,
        "pe_extra": "" if pe in offered else pickers.period_words(pe, today),
        "free_codes": ";".join(c for c in (query.dx if query else []) if c not in known),
        "layouts": LAYOUT_NAMES.items(),
        "charts": chart_specs(pivot) if pivot else [],
        "export_query": request.GET.urlencode(),
    }
    return render(request, "web/pivot.html", context, status=400 if error else 200)


@login_required
def pivot_xlsx(request):
    query, pivot, error = _answer(request)
    if pivot is None:
        return _render(request, query, None, error or "请至少选择一个指标或填写数据元编码")
    response = HttpResponse(build_workbook(pivot), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote('数据透视.xlsx')}"
    return response
