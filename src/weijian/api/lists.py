"""Metadata lists in DHIS2's shape: paging (`page`, `pageSize`, `paging=false`, a `pager`),
`fields=`, `filter=prop:op:value` (eq, !eq, like, ilike, !like, $like, like$, in, !in, gt, ge,
lt, le, null, !null; `rootJunction=OR`), `order=prop:asc|desc`, and `level=` for units."""

from __future__ import annotations

import math

from django.db.models import Q
from django.http import QueryDict

from .errors import bad_request, not_found
from .fields import parse_fields
from .resources import Ctx, Resource
from .value_import import parse_bool

DEFAULT_PAGE_SIZE = 50

_OPERATORS = {
    "eq": ("exact", False),
    "ieq": ("iexact", False),
    "!eq": ("exact", True),
    "ne": ("exact", True),
    "neq": ("exact", True),
    "like": ("icontains", False),
    "ilike": ("icontains", False),
    "!like": ("icontains", True),
    "!ilike": ("icontains", True),
    "$like": ("istartswith", False),
    "$ilike": ("istartswith", False),
    "like$": ("iendswith", False),
    "ilike$": ("iendswith", False),
    "in": ("in", False),
    "!in": ("in", True),
    "gt": ("gt", False),
    "ge": ("gte", False),
    "lt": ("lt", False),
    "le": ("lte", False),
    "null": ("isnull", False),
    "!null": ("isnull", True),
}


def _positive_int(value, param: str, default: int) -> int:
    if value in (None, ""):
        return default
    text = str(value).strip()
    if not text.isdigit() or int(text) < 1:
        raise bad_request(f"参数“{param}”应为正整数")
    return min(int(text), 1_000_000)


def _filter_q(resource: Resource, text: str) -> Q:
    prop, _, rest = text.partition(":")
    op, _, value = rest.partition(":")
    field = resource.filterable.get(prop)
    if field is None:
        allowed = "、".join(resource.filterable)
        raise bad_request(f"不支持按“{prop}”筛选（可用：{allowed}）")
    if op not in _OPERATORS:
        raise bad_request(f"不支持的筛选运算符“{op}”（可用：{'、'.join(_OPERATORS)}）")
    lookup, negate = _OPERATORS[op]
    if lookup == "isnull":
        condition = Q(**{f"{field}__isnull": True}) | Q(**{field: ""})
        return ~condition if negate else condition
    if lookup == "in":
        items = [v.strip() for v in value.strip().strip("[]").split(",") if v.strip()]
        argument = [resource.filter_value(prop, v) for v in items]
    else:
        argument = resource.filter_value(prop, value)
    condition = Q(**{f"{field}__{lookup}": argument})
    return ~condition if negate else condition


def _queryset(resource: Resource, user, params: QueryDict):
    qs = resource.queryset(user)
    filters = [_filter_q(resource, f) for f in params.getlist("filter") if f.strip()]
    if resource.key == "organisationUnits" and params.get("level"):
        level = params["level"].strip()
        filters.append(Q(depth=int(level)) if level.isdigit() and len(level) < 4 else Q(pk__in=[]))
    if filters:
        combined = filters[0]
        for condition in filters[1:]:
            if params.get("rootJunction", "").upper() == "OR":
                combined |= condition
            else:
                combined &= condition
        qs = qs.filter(combined)
    return qs.order_by(*_order(resource, params.get("order", "")), "pk")


def _order(resource: Resource, text: str) -> list[str]:
    result = []
    for part in text.split(","):
        prop, _, direction = part.strip().partition(":")
        field = resource.filterable.get(prop)
        if field:
            result.append(("-" if direction.lower().startswith("desc") else "") + field)
    return result or resource.order()


def list_objects(resource: Resource, request) -> dict:
    params = request.GET
    selection = parse_fields(params.get("fields"), resource.default_list_fields)
    qs = _queryset(resource, request.auth, params)
    paging = parse_bool(params.get("paging"), "paging", True)
    body: dict = {}
    if paging:
        page = _positive_int(params.get("page"), "page", 1)
        size = _positive_int(params.get("pageSize"), "pageSize", DEFAULT_PAGE_SIZE)
        total = qs.count()
        page_count = max(1, math.ceil(total / size))
        objs = list(qs[(page - 1) * size : page * size])
        pager = {"page": page, "pageCount": page_count, "total": total, "pageSize": size}
        if page < page_count:
            pager["nextPage"] = _page_url(request, page + 1)
        if page > 1:
            pager["prevPage"] = _page_url(request, min(page - 1, page_count))
        body["pager"] = pager
    else:
        objs = list(qs)
    ctx = Ctx()
    resource.prepare(objs, selection, ctx)
    body[resource.key] = [resource.render(obj, selection, ctx) for obj in objs]
    return body


def _page_url(request, page: int) -> str:
    params = request.GET.copy()
    params["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


def get_object(resource: Resource, request, uid: str) -> dict:
    uid = uid.removesuffix(".json")
    obj = resource.queryset(request.auth).filter(uid=uid).first()
    if obj is None:
        raise not_found(f"找不到 UID 为“{uid}”的对象")
    selection = parse_fields(request.GET.get("fields"), resource.default_item_fields)
    ctx = Ctx()
    resource.prepare([obj], selection, ctx)
    return resource.render(obj, selection, ctx)
