"""The published OpenAPI document states every answer an operation can give: besides its
success, the DHIS2 WebMessage errors (400 bad parameters, 401 no or wrong credentials, 403
refused, 404 not found, 409 conflict or import summary with conflicts, 413 body too large,
429 locked out after failed logins). The schemathesis run (tests/api/test_openapi_fuzz.py)
holds the API to it."""

from __future__ import annotations

WEB_MESSAGE = {
    "type": "object",
    "description": "DHIS2 WebMessage：httpStatus、httpStatusCode、status、message，导入时另有 response",
    "properties": {
        "httpStatus": {"type": "string"},
        "httpStatusCode": {"type": "integer"},
        "status": {"type": "string", "enum": ["OK", "WARNING", "ERROR"]},
        "message": {"type": "string"},
        "errorCode": {"type": "string"},
        "response": {"type": "object"},
    },
    "required": ["httpStatus", "httpStatusCode", "status"],
}

ERRORS = {
    "400": "请求参数或内容不正确",
    "401": "需要认证，或令牌、用户名密码不正确",
    "403": "没有权限、CSRF 校验失败或跨站写入被拒绝",
    "404": "找不到请求的对象",
    "409": "冲突：数据被拒绝，或导入摘要含冲突",
    "413": "请求内容过大",
    "429": "登录失败次数过多，已被暂时锁定",
}

# Successes other than 200, by (path, method).
OTHER_SUCCESS = {
    ("/api/dataValues", "post"): ("201", "数据值已保存"),
    ("/api/dataValues", "delete"): ("204", "数据值已删除"),
}


def declare_answers(schema: dict) -> dict:
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["WebMessage"] = WEB_MESSAGE
    ref = {"$ref": "#/components/schemas/WebMessage"}
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            success = OTHER_SUCCESS.get((path, method))
            if success:
                code, description = success
                responses.pop("200", None)
                responses[code] = {"description": description}
                if code == "201":
                    responses[code]["content"] = {"application/json": {"schema": ref}}
            for code, description in ERRORS.items():
                responses.setdefault(
                    code,
                    {"description": description, "content": {"application/json": {"schema": ref}}},
                )
    return schema
