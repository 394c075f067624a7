"""The NinjaAPI instance: authentication, error handling in DHIS2's shape, the routers.

Every endpoint module keeps its view functions thin; the logic lives in the helper modules
(schemes, fields, resources, value_import, value_export, dimensions, analytics_table,
metadata_import).
"""

from __future__ import annotations

import logging

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from . import analytics, data_value_sets, data_values, listing, metadata, system
from .auth import BasicAuth, SessionAuth, TokenAuth, www_authenticate
from .errors import ApiError, error_response, json_response, web_message
from .openapi import declare_answers

logger = logging.getLogger(__name__)


class WeijianApi(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        return declare_answers(super().get_openapi_schema(**kwargs))


api = WeijianApi(
    title="卫健工作台 API（兼容 DHIS2）",
    version="2.40",
    description=(
        "与 DHIS2 Web API 兼容的接口：系统信息、元数据导入与查询、单个数据值、数据值集"
        "（JSON/CSV）导入导出、分析查询。认证：个人访问令牌（Authorization: ApiToken …，"
        "在“我的账户”页面创建）、HTTP Basic 或网页登录会话（会话调用的写操作须带 X-CSRFToken）；"
        "来自其他网站页面的写操作会被拒绝。"
    ),
    openapi_url="/openapi.json",
    docs_url="/docs",
    auth=[TokenAuth(), BasicAuth(), SessionAuth()],
    urls_namespace="api",
)

for module in (system, metadata, listing, data_values, data_value_sets, analytics):
    api.add_router("", module.router)


@api.exception_handler(ApiError)
def _api_error(request, exc: ApiError):
    return error_response(exc)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    body = web_message(
        401, "需要认证：请使用个人访问令牌、HTTP Basic（用户名和密码）或先在网页登录", "ERROR"
    )
    return json_response(body, status=401, headers=www_authenticate(request))


_PYDANTIC_REASONS = {
    "missing": "缺少必填参数",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
    "string_type": "应为文本",
    "list_type": "应为列表",
    "dict_type": "应为对象",
    "json_invalid": "不是有效的 JSON",
}


@api.exception_handler(ValidationError)
def _invalid_params(request, exc: ValidationError):
    parts = []
    for error in exc.errors:
        where = ".".join(str(p) for p in error.get("loc", ())[1:]) or "请求"
        reason = _PYDANTIC_REASONS.get(error.get("type", ""), "格式不正确")
        parts.append(f"参数“{where}”{reason}")
    return error_response(ApiError(400, "；".join(parts) or "请求参数不正确"))


@api.exception_handler(Http404)
def _not_found(request, exc):
    return error_response(ApiError(404, "找不到请求的对象"))


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    messages = {400: "请求无效", 403: "没有权限", 404: "找不到请求的对象", 405: "不支持该请求方法"}
    return error_response(ApiError(exc.status_code, messages.get(exc.status_code, "请求无效")))


@api.exception_handler(Exception)
def _unexpected(request, exc):
    logger.exception("API error on %s", request.path)
    return error_response(ApiError(500, "服务器内部错误，请求未完成；请联系管理员查看日志"))
