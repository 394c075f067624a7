"""Reading request bodies: JSON (with Chinese errors), CSV detection, NUL refusal."""

from __future__ import annotations

import json
from decimal import Decimal

from django.http.request import RawPostDataException

from .errors import ApiError, bad_request

MAX_BODY_BYTES = 50 * 1024 * 1024


def content_type(request) -> str:
    return (request.content_type or "").split(";")[0].strip().lower()


def is_csv(request) -> bool:
    return content_type(request) in ("application/csv", "text/csv")


def body_bytes(request) -> bytes:
    try:
        raw = request.body
    except RawPostDataException:
        # A form post (multipart) was parsed by the NUL check, which consumes the stream:
        # it was never JSON or CSV, so it gets the same answer as any other foreign type.
        raise _unsupported(content_type(request)) from None
    if len(raw) > MAX_BODY_BYTES:
        raise ApiError(413, "请求内容过大")
    return raw


def read_json(request, *, required: bool = True):
    """The parsed JSON body. Decimals stay exact (12.50 stays 12.50)."""
    raw = body_bytes(request)
    if not raw.strip():
        if required:
            raise bad_request("请求内容为空，应为 JSON")
        return None
    kind = content_type(request)
    if kind and "json" not in kind and kind != "text/plain":
        raise _unsupported(kind)
    try:
        text = raw.decode("utf-8-sig")
        data = json.loads(text, parse_float=Decimal)
    except (UnicodeDecodeError, ValueError) as exc:
        raise bad_request(f"请求内容不是有效的 JSON：{_json_reason(exc)}") from None
    except RecursionError:
        raise bad_request("请求内容嵌套层次过深") from None
    refuse_nul(data)
    return data


def _unsupported(kind: str) -> ApiError:
    return ApiError(415, f"不支持的内容类型“{kind}”，请使用 application/json")


def read_json_object(request) -> dict:
    data = read_json(request)
    if not isinstance(data, dict):
        raise bad_request("请求内容应为 JSON 对象（{…}）")
    return data


def _json_reason(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"第 {exc.lineno} 行第 {exc.colno} 列附近格式错误"
    return "编码应为 UTF-8"


def refuse_nul(data) -> None:
    """PostgreSQL cannot store NUL characters nor lone surrogates (JSON's "\\ud800"); refuse
    them before anything is written."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                raise bad_request("提交的内容包含无效字符（NUL），未做任何修改")
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                raise bad_request("提交的内容包含无效的 Unicode 字符，未做任何修改") from None
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
