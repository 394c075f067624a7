"""Authentication (HTTP Basic, session with CSRF), system info, me, OpenAPI, errors."""

from __future__ import annotations

import json

from django.test import Client

from tests.api.conftest import basic_auth
from tests.world import PASSWORD
from weijian.reporting.models import DataValue


def test_unauthenticated_requests_get_401_with_a_basic_challenge(client, world):
    for url in ("/api/system/info", "/api/me", "/api/organisationUnits", "/api/analytics"):
        response = client.get(url)
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Basic ")
        assert response.json()["message"].startswith("需要认证")
    response = client.post("/api/dataValueSets", "{}", content_type="application/json")
    assert response.status_code == 401


def test_a_wrong_password_or_inactive_user_is_401(client, world):
    response = client.get("/api/me", **basic_auth("alice", "wrong"))
    assert response.status_code == 401
    response = client.get("/api/me", HTTP_AUTHORIZATION="Basic !!!notbase64")
    assert response.status_code == 401
    world.alice.is_active = False
    world.alice.save()
    response = client.get("/api/me", **basic_auth("alice"))
    assert response.status_code == 401
    # A wrong Basic header does not fall back to a session.
    client.login(username="bob", password=PASSWORD)
    response = client.get("/api/me", **basic_auth("bob", "wrong"))
    assert response.status_code == 401


def test_system_info_says_a_dhis2_version(api, world):
    info = api.as_("victor").get("/api/system/info").json()
    assert info["version"] == "2.40.0"
    assert info["systemName"] == "卫健工作台"
    assert info["calendar"] == "iso8601"
    assert len(info["serverDate"]) == len("2026-01-01T00:00:00.000")
    assert api.as_("victor").get("/api/system/info.json").json()["version"] == "2.40.0"


def test_me_lists_the_units_of_the_users_roles(api, world):
    me = api.as_("alice").get("/api/me").json()
    assert me["username"] == "alice"
    assert len(me["id"]) == 11 and me["id"][0].isalpha()
    assert [u["code"] for u in me["organisationUnits"]] == ["MED"]
    assert [u["id"] for u in me["dataViewOrganisationUnits"]] == [world.medicine.uid]
    assert me["userRoles"][0]["name"] == "科室填报员"
    assert "F_METADATA_IMPORT" not in me["authorities"]
    admin = api.as_("admin").get("/api/me").json()
    assert [u["code"] for u in admin["organisationUnits"]] == ["BUR"]
    assert "F_METADATA_IMPORT" in admin["authorities"]


def test_session_auth_reads_freely_and_writes_only_with_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.get("/login/")  # sets the CSRF cookie, as the web pages do
    client.login(username="alice", password=PASSWORD)
    assert client.get("/api/me").json()["username"] == "alice"
    body = json.dumps(
        {"dataValues": [{"dataElement": "DIS", "period": "202601", "orgUnit": "MED", "value": "5"}]}
    )
    url = "/api/dataValueSets?idScheme=CODE"
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["message"]
    assert not DataValue.objects.exists()
    token = client.cookies["csrftoken"].value
    response = client.post(url, body, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200, response.json()
    assert DataValue.objects.get().value == "5"


def test_basic_auth_needs_no_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    body = json.dumps(
        {"dataValues": [{"dataElement": "DIS", "period": "202601", "orgUnit": "MED", "value": "5"}]}
    )
    response = client.post(
        "/api/dataValueSets?idScheme=CODE",
        body,
        content_type="application/json",
        **basic_auth("alice"),
    )
    assert response.status_code == 200


def test_openapi_is_served(client, world):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    for path in ("/api/dataValueSets", "/api/analytics", "/api/metadata", "/api/system/info",
                 "/api/organisationUnits", "/api/organisationUnits/{uid}", "/api/dataValues"):  # fmt: skip
        assert path in spec["paths"], path
    assert "/api/dataValueSets.json" not in spec["paths"]
    schemes = spec["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"http", "apiKey"}


def test_wrong_parameter_types_are_400_in_chinese(api, world):
    admin = api.as_("admin")
    for url, message in [
        ("/api/organisationUnits?page=abc", "参数“page”应为正整数"),
        ("/api/organisationUnits?pageSize=0", "参数“pageSize”应为正整数"),
        ("/api/organisationUnits?paging=perhaps", "参数“paging”应为 true 或 false"),
        ("/api/dataElements?fields=id,parent[id", "缺少右括号"),
        ("/api/dataElements?filter=colour:eq:red", "不支持按“colour”筛选"),
        ("/api/dataElements?filter=code:approx:x", "不支持的筛选运算符"),
        (
            "/api/analytics?dimension=dx:OPD&dimension=pe:202601&dimension=ou:MED&outputIdScheme=X",
            "outputIdScheme",
        ),
        (
            "/api/analytics?dimension=dx:OPD&dimension=pe:202601&dimension=ou:MED&skipRounding=2",
            "skipRounding",
        ),
    ]:
        response = admin.get(url)
        assert response.status_code == 400, url
        assert message in response.json()["message"], url


def test_unknown_objects_are_404_in_chinese(api, world):
    response = api.as_("admin").get("/api/dataElements/abcdefghijk")
    assert response.status_code == 404
    assert response.json()["message"] == "找不到 UID 为“abcdefghijk”的对象"
