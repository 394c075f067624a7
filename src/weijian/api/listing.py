"""GET /api/organisationUnits|dataElements|dataSets|indicators (and /{uid}): DHIS2 lists.

Units are scoped: a user lists and reads only the units of their VIEW scope.
"""

from __future__ import annotations

from ninja import Router

from . import lists
from .errors import json_response
from .resources import RESOURCES

router = Router(tags=["metadata 元数据查询"])

LIST_PARAMS = [
    {"name": n, "in": "query", "required": False, "schema": {"type": "string"}}
    for n in ("fields", "filter", "page", "pageSize", "paging", "order", "rootJunction")
]
ITEM_PARAMS = [{"name": "fields", "in": "query", "required": False, "schema": {"type": "string"}}]


def _register(key: str) -> None:
    resource = RESOURCES[key]

    def list_view(request):
        return json_response(lists.list_objects(resource, request))

    def item_view(request, uid: str):
        return json_response(lists.get_object(resource, request, uid))

    list_view.__name__ = f"list_{key}"
    item_view.__name__ = f"get_{key}"
    router.get(f"/{key}", summary=f"{key} 列表", openapi_extra={"parameters": LIST_PARAMS})(
        list_view
    )
    router.get(f"/{key}.json", include_in_schema=False)(list_view)
    router.get(
        f"/{key}/{{uid}}", summary=f"{key} 单个对象", openapi_extra={"parameters": ITEM_PARAMS}
    )(item_view)


for _key in RESOURCES:
    _register(_key)
