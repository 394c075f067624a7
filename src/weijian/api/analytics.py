"""GET /api/analytics: indicators and data elements × periods × units, DHIS2's answer shape."""

from __future__ import annotations

from ninja import Query, Router

from . import analytics_table, dimensions
from .errors import json_response
from .value_import import parse_bool

router = Router(tags=["analytics 分析"])


@router.get(
    "/analytics",
    summary="分析查询",
    description=(
        "dimension=dx:指标或数据元（UID 或编码，元素.选项 表示分组）;…、dimension=pe:期间;…"
        "（含 THIS_YEAR、LAST_12_MONTHS 等相对期间）、dimension=ou:机构;LEVEL-n|CHILDREN|"
        "OU_GROUP-分组|USER_ORGUNIT。filter= 与 dimension 写法相同，目前每个筛选维度只支持一个项目。"
        "outputIdScheme=UID（默认）|CODE|NAME；skipRounding=true 不按指标小数位取整。"
    ),
)
def get_analytics(
    request,
    dimension: Query[list[str]] = None,
    filter: Query[list[str]] = None,  # noqa: A002 - DHIS2's parameter name
    outputIdScheme: str = "",  # noqa: N803
    skipRounding: str = "",  # noqa: N803
    skipMeta: str = "",  # noqa: N803
):
    parsed = dimensions.parse_request(request.auth, dimension or [], filter or [])
    body = analytics_table.build(
        parsed,
        dimensions.parse_output_scheme(outputIdScheme),
        parse_bool(skipRounding, "skipRounding"),
        parse_bool(skipMeta, "skipMeta"),
    )
    return json_response(body)


@router.get("/analytics.json", include_in_schema=False)
def get_analytics_json(request):
    params = request.GET
    return get_analytics(
        request,
        params.getlist("dimension"),
        params.getlist("filter"),
        params.get("outputIdScheme", ""),
        params.get("skipRounding", ""),
        params.get("skipMeta", ""),
    )
