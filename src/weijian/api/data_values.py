"""GET/POST/DELETE /api/dataValues: one data value, as DHIS2 (de, pe, ou, co, value)."""

from __future__ import annotations

from django.http import HttpResponse
from ninja import Router

from .errors import json_response, web_message
from .payloads import content_type, read_json
from .single_value import ValueKey, read_value, write_value

router = Router(tags=["dataValues 单个数据值"])

KEY_PARAMS = [
    {"name": n, "in": "query", "required": n in ("de", "pe", "ou"), "schema": {"type": "string"}}
    for n in ("de", "pe", "ou", "co", "ds")
]
WRITE_PARAMS = [
    *[{**p, "required": False} for p in KEY_PARAMS],
    {"name": "value", "in": "query", "required": False, "schema": {"type": "string"}},
    {"name": "reason", "in": "query", "required": False, "schema": {"type": "string"}},
]


@router.get(
    "/dataValues",
    summary="读取一个数据值",
    description='返回 DHIS2 的格式：只含该值的 JSON 数组，如 ["12"]。',
    openapi_extra={"parameters": KEY_PARAMS},
)
def get_data_value(request):
    return json_response([read_value(request.auth, ValueKey.from_sources(request.GET))])


@router.post(
    "/dataValues",
    summary="保存一个数据值",
    description="参数可放在查询字符串（de、pe、ou、co、value）或 JSON 请求体（dataElement、period、orgUnit、categoryOptionCombo、value）中。",
    openapi_extra={"parameters": WRITE_PARAMS},
)
def post_data_value(request):
    # Only a JSON body is read: a form post's body (multipart) has been parsed already and
    # its parameters count from the query string, as in DHIS2.
    is_json = content_type(request) in ("application/json", "")
    body = read_json(request, required=False) if is_json and request.body.strip() else None
    body = body if isinstance(body, dict) else {}
    key = ValueKey.from_sources(request.GET, body)
    value = body.get("value", request.GET.get("value"))
    reason = str(body.get("reason") or request.GET.get("reason") or "")[:500]
    write_value(request.auth, key, value, reason=reason)
    return json_response(web_message(201, "数据值已保存"), status=201)


@router.delete("/dataValues", summary="删除一个数据值", openapi_extra={"parameters": KEY_PARAMS})
def delete_data_value(request):
    key = ValueKey.from_sources(request.GET)
    write_value(request.auth, key, "", delete=True, reason=request.GET.get("reason", "")[:500])
    return HttpResponse(status=204)
