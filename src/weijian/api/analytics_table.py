"""The DHIS2 analytics answer (headers, rows, metaData, height, width) from the engine.

    {"headers": [{"name": "dx", "column": "数据", …}, …, {"name": "value", …}],
     "rows": [["<dx>", "202601", "<ou>", "34.1"], …],
     "metaData": {"items": {"<id>": {"name": "…"}}, "dimensions": {"dx": […], "pe": […], "ou": […]}},
     "height": 1, "width": 4, "headerWidth": 4}

Values come from `weijian.indicators.analytics.analyse` (one SQL aggregation for every
operand), rounded to each indicator's decimals unless skipRounding. Filter dimensions hold one
item and have no column, as in DHIS2.
"""

from __future__ import annotations

from decimal import Decimal

from weijian.indicators.analytics import AnalyticsError, analyse
from weijian.indicators.expression import ExpressionError

from .dimensions import DIMENSION_NAMES, Request
from .errors import conflict
from .schemes import IdScheme


def _header(name: str) -> dict:
    return {
        "name": name,
        "column": DIMENSION_NAMES[name],
        "valueType": "TEXT",
        "type": "java.lang.String",
        "hidden": False,
        "meta": True,
    }


VALUE_HEADER = {
    "name": "value",
    "column": "数值",
    "valueType": "NUMBER",
    "type": "java.lang.Double",
    "hidden": False,
    "meta": False,
}


def number_text(value: Decimal) -> str:
    """A value as DHIS2 writes it: 34.1, 1234, 0.5 (no exponent, no trailing zeros)."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def build(request: Request, scheme: IdScheme, skip_rounding: bool, skip_meta: bool) -> dict:
    try:
        result = analyse([d.code for d in request.dx], request.pe, request.ou)
    except (AnalyticsError, ExpressionError) as exc:
        raise conflict(getattr(exc, "message", str(exc)), error_code="E7144") from None
    ids = {
        "dx": {d.code: d.output_id(scheme) for d in request.dx},
        "pe": {p.id: p.id for p in request.pe},
        "ou": {u.code: scheme.of(u) for u in request.ou},
    }
    columns = request.order
    rows = []
    for dx in request.dx:
        for period in request.pe:
            for unit in request.ou:
                value = (
                    result.value(dx.code, period.id, unit.code)
                    if skip_rounding
                    else result.rounded(dx.code, period.id, unit.code)
                )
                if value is None:
                    continue
                keys = {"dx": dx.code, "pe": period.id, "ou": unit.code}
                rows.append([ids[c][keys[c]] for c in columns] + [number_text(value)])
    headers = [_header(c) for c in columns] + [VALUE_HEADER]
    body = {
        "headers": headers,
        "metaData": {} if skip_meta else _meta(request, ids),
        "rows": rows,
        "height": len(rows),
        "width": len(headers),
        "headerWidth": len(headers),
    }
    return body


def _meta(request: Request, ids) -> dict:
    items: dict[str, dict] = {name: {"name": label} for name, label in DIMENSION_NAMES.items()}
    items["value"] = {"name": "数值"}
    for dx in request.dx:
        items[ids["dx"][dx.code]] = {"name": dx.name, "code": dx.code}
    for period in request.pe:
        items[period.id] = {"name": period.label}
    for unit in request.ou:
        items[ids["ou"][unit.code]] = {"name": unit.name, "code": unit.code}
    return {
        "items": items,
        "dimensions": {
            "dx": [ids["dx"][d.code] for d in request.dx],
            "pe": [p.id for p in request.pe],
            "ou": [ids["ou"][u.code] for u in request.ou],
            "co": [],
        },
    }
