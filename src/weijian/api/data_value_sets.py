"""GET/POST /api/dataValueSets: data values in bulk, JSON or CSV (DHIS2's shapes)."""

from __future__ import annotations

from django.http import HttpResponse
from ninja import Router

from . import value_export
from .errors import json_response, web_message
from .payloads import body_bytes, is_csv, read_json_object, refuse_nul
from .value_import import ImportOptions, import_values, parse_bool
from .value_rows import decode_csv, rows_from_csv, rows_from_json

router = Router(tags=["dataValueSets 数据值集"])

IMPORT_DOC = {
    "requestBody": {
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "dataSet": {"type": "string"},
                        "period": {"type": "string"},
                        "orgUnit": {"type": "string"},
                        "idScheme": {"type": "string", "enum": ["UID", "CODE", "NAME"]},
                        "dataValues": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "dataElement": {"type": "string"},
                                    "period": {"type": "string"},
                                    "orgUnit": {"type": "string"},
                                    "categoryOptionCombo": {"type": "string"},
                                    "value": {"type": "string"},
                                },
                            },
                        },
                    },
                }
            },
            "application/csv": {"schema": {"type": "string"}},
        }
    },
    "parameters": [
        {"name": n, "in": "query", "required": False, "schema": {"type": "string"}}
        for n in (
            "idScheme",
            "dataElementIdScheme",
            "orgUnitIdScheme",
            "categoryOptionComboIdScheme",
            "dataSetIdScheme",
            "dryRun",
            "importStrategy",
            "atomicMode",
            "reason",
            "strictPeriods",
            "strictDataElements",
            "strictCategoryOptionCombos",
            "strictOrganisationUnits",
        )
    ],
}

EXPORT_DOC = {
    "parameters": [
        {"name": n, "in": "query", "required": False, "schema": {"type": "string"}}
        for n in (
            "dataSet",
            "dataElement",
            "period",
            "startDate",
            "endDate",
            "orgUnit",
            "children",
            "idScheme",
            "limit",
        )
    ]
}


@router.post(
    "/dataValueSets",
    summary="导入数据值集（JSON 或 CSV）",
    description=(
        "按 DHIS2 的 dataValueSets 格式导入。每行自动匹配包含该数据元、分配给该机构、周期类型与期间一致的"
        "报表（或由 dataSet 指定），经与网页填报相同的权限、锁定和校验检查后保存。"
        "atomicMode=NONE（默认）导入正确的行并逐条报告冲突；ALL 时任何冲突都不导入。"
        "与 DHIS2 默认一致：数据元不在该机构的报表中、期间类型不同或分类选项不在其分类中的值也会导入"
        "（仍受包含该数据元的报表的锁定约束）；strictPeriods、strictDataElements、"
        "strictCategoryOptionCombos、strictOrganisationUnits 为 true 时按 DHIS2 的规则拒绝。"
    ),
    openapi_extra=IMPORT_DOC,
)
def post_data_value_sets(request):
    if is_csv(request):
        text = decode_csv(body_bytes(request))
        refuse_nul(text)
        options = ImportOptions.from_sources(request.GET)
        header = parse_bool(request.GET.get("firstRowIsHeader"), "firstRowIsHeader", True)
        rows = rows_from_csv(text, header)
    else:
        payload = read_json_object(request)
        options = ImportOptions.from_sources(request.GET, payload)
        rows = rows_from_json(payload)
    summary = import_values(request.auth, rows, options)
    status = 200 if summary.status == "SUCCESS" else 409
    messages = {
        "SUCCESS": "导入成功",
        "WARNING": "存在冲突，请查看导入摘要",
        "ERROR": "导入失败，请查看导入摘要",
    }
    body = web_message(
        status,
        messages[summary.status],
        "OK" if status == 200 else summary.status,
        response=summary.as_dict(),
    )
    return json_response(body, status=status)


@router.get("/dataValueSets", summary="读取数据值集", openapi_extra=EXPORT_DOC)
def get_data_value_sets(request):
    return _export(request, as_csv=_wants_csv(request))


@router.get("/dataValueSets.json", include_in_schema=False)
def get_data_value_sets_json(request):
    return _export(request, as_csv=False)


@router.post("/dataValueSets.json", include_in_schema=False)
def post_data_value_sets_json(request):
    return post_data_value_sets(request)


@router.get("/dataValueSets.csv", include_in_schema=False)
def get_data_value_sets_csv(request):
    return _export(request, as_csv=True)


def _export(request, as_csv: bool):
    query = value_export.ExportQuery.from_params(request.GET)
    values = value_export.find_values(request.auth, query)
    rows = value_export.as_rows(values, query.schemes)
    if as_csv:
        return HttpResponse(
            value_export.as_csv(rows), content_type="application/csv; charset=utf-8"
        )
    return json_response({"dataValues": rows})


def _wants_csv(request) -> bool:
    accept = request.headers.get("Accept", "")
    return "csv" in accept and "json" not in accept
