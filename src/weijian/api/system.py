"""GET /api/system/info and GET /api/me."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from ninja import Router

from weijian.orgs.models import OrgUnit, Role, RoleAssignment
from weijian.orgs.scope import Can, get_scope

from .errors import json_response

router = Router(tags=["system 系统"])

# DHIS2 clients check the server version before they talk to it; we answer as the 2.40 line,
# whose Web API shapes (import summaries, analytics, paging) this API follows.
DHIS2_VERSION = "2.40.0"
SYSTEM_NAME = "卫健工作台"


def _timestamp(moment) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}"


def system_info(request) -> dict:
    now = timezone.localtime()
    base = request.build_absolute_uri("/").rstrip("/")
    return {
        "version": DHIS2_VERSION,
        "revision": "weijian",
        "buildTime": _timestamp(now.replace(hour=0, minute=0, second=0, microsecond=0)),
        "serverDate": _timestamp(now),
        "serverTimeZoneId": settings.TIME_ZONE,
        "serverTimeZoneDisplayName": settings.TIME_ZONE,
        "lastAnalyticsTableGeneration": _timestamp(now),
        "intervalSinceLastAnalyticsTableGeneration": "0 秒（分析查询直接读取最新数据）",
        "calendar": "iso8601",
        "dateFormat": "yyyy-mm-dd",
        "contextPath": base,
        "instanceBaseUrl": base,
        "userAgent": request.headers.get("User-Agent", ""),
        "systemName": SYSTEM_NAME,
        "systemId": "weijian",
        "emailConfigured": False,
        "isMetadataVersionEnabled": False,
        "encryption": False,
    }


def user_uid(user) -> str:
    """Django users have integer keys; DHIS2 clients expect 11-character uids."""
    return f"U{user.pk:010d}"


def me(user) -> dict:
    scope = get_scope(user)
    assignments = list(
        RoleAssignment.objects.filter(user=user)
        .select_related("org_unit")
        .order_by("org_unit__path")
    )
    held = {a.org_unit.pk: a.org_unit for a in assignments}
    view_roots = (
        list(OrgUnit.get_root_nodes()) if scope.is_everything else scope.root_units(Can.VIEW)
    )
    authorities = ["ALL"] if user.is_superuser else []
    if user.is_superuser or any(a.role == Role.BUREAU_ADMIN for a in assignments):
        authorities.append("F_METADATA_IMPORT")
    if scope.has_any(Can.ENTER):
        authorities.append("F_DATAVALUE_ADD")
    units = list(held.values()) or (view_roots if user.is_superuser else [])
    return {
        "id": user_uid(user),
        "username": user.username,
        "name": user.get_full_name() or user.username,
        "displayName": user.get_full_name() or user.username,
        "firstName": user.first_name,
        "surname": user.last_name,
        "email": user.email,
        "superuser": user.is_superuser,
        "organisationUnits": [_unit(u) for u in units],
        "dataViewOrganisationUnits": [_unit(u) for u in view_roots],
        "userRoles": [
            {"name": a.get_role_display(), "code": a.role, "organisationUnit": a.org_unit.uid}
            for a in assignments
        ],
        "authorities": authorities,
        "settings": {"keyUiLocale": "zh_CN", "keyDbLocale": "zh_CN"},
    }


def _unit(unit: OrgUnit) -> dict:
    return {"id": unit.uid, "code": unit.code, "name": unit.name, "level": unit.depth}


@router.get("/system/info", summary="系统信息（含 DHIS2 版本号）")
def get_system_info(request):
    return json_response(system_info(request))


@router.get("/system/info.json", include_in_schema=False)
def get_system_info_json(request):
    return get_system_info(request)


@router.get("/me", summary="当前用户及其组织机构")
def get_me(request):
    return json_response(me(request.auth))


@router.get("/me.json", include_in_schema=False)
def get_me_json(request):
    return get_me(request)
