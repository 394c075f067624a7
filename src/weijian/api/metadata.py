"""POST /api/metadata: import organisation units, data elements, category options and
categories, data sets, indicator types, indicators and validation rules (DHIS2's format)."""

from __future__ import annotations

from ninja import Router

from .errors import bad_request, json_response, web_message
from .metadata_import import MetadataOptions, MetadataStrategy, import_metadata
from .payloads import read_json_object
from .value_import import AtomicMode, parse_bool, parse_choice

router = Router(tags=["metadata 元数据导入"])

DOC = {
    "requestBody": {
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {
                        key: {"type": "array", "items": {"type": "object"}}
                        for key in (
                            "organisationUnits",
                            "categoryOptions",
                            "categories",
                            "categoryCombos",
                            "dataElements",
                            "dataSets",
                            "indicatorTypes",
                            "indicators",
                            "validationRules",
                        )
                    },
                }
            }
        }
    },
    "parameters": [
        {"name": n, "in": "query", "required": False, "schema": {"type": "string"}}
        for n in ("importStrategy", "atomicMode", "dryRun", "importMode")
    ],
}


@router.post(
    "/metadata",
    summary="导入元数据（DHIS2 格式，按编码或 UID 引用）",
    description=(
        "对象按 id（UID）或 code 匹配：已存在则更新，否则新增。每个对象单独保存：有错误的对象整体忽略并在"
        " typeReports 中说明原因（atomicMode=NONE，默认）；atomicMode=ALL 时有任何错误都不保存。"
        "dryRun=true 或 importMode=VALIDATE 只检查不保存。仅局管理员或超级用户可用。"
    ),
    openapi_extra=DOC,
)
def post_metadata(request):
    params = request.GET
    strategy = (params.get("importStrategy") or MetadataStrategy.CREATE_AND_UPDATE).upper()
    if strategy == "NEW_AND_UPDATES":
        strategy = MetadataStrategy.CREATE_AND_UPDATE
    if strategy not in MetadataStrategy.ALL:
        raise bad_request(
            f"参数“importStrategy”的值“{strategy}”无效，应为 {' | '.join(MetadataStrategy.ALL)}"
            "（元数据暂不支持 DELETE）"
        )
    options = MetadataOptions(
        dry_run=parse_bool(params.get("dryRun"), "dryRun")
        or (params.get("importMode", "").upper() == "VALIDATE"),
        strategy=strategy,
        atomic=parse_choice(AtomicMode, params.get("atomicMode"), "atomicMode", AtomicMode.NONE),
    )
    payload = read_json_object(request)
    report = import_metadata(request.auth, payload, options)
    status = 200 if report.status == "OK" else 409
    message = {
        "OK": "导入成功" + ("（试运行，未保存）" if options.dry_run else ""),
        "WARNING": "部分对象有错误未导入，请查看导入报告",
        "ERROR": "导入失败，请查看导入报告",
    }[report.status]
    body = web_message(status, message, report.status, response=report.as_dict())
    return json_response(body, status=status)
