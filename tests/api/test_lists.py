"""GET /api/organisationUnits|dataElements|dataSets|indicators: paging, fields, filters, scope."""

from __future__ import annotations

import pytest

from weijian.indicators.models import Indicator, IndicatorType
from weijian.orgs.models import OrgUnit
from weijian.reporting.models import DataElement


@pytest.fixture
def many_departments(world):
    for i in range(12):
        OrgUnit.objects.add_child(
            world.hospital, dict(code=f"D{i:02d}", name=f"科室{i:02d}", type="DEPARTMENT")
        )


def test_paging_with_a_pager(api, world, many_departments):
    admin = api.as_("admin")
    first = admin.get("/api/organisationUnits", {"pageSize": 5, "fields": "code"}).json()
    assert first["pager"] == {
        "page": 1,
        "pageCount": 4,
        "total": 17,
        "pageSize": 5,
        "nextPage": "http://testserver/api/organisationUnits?pageSize=5&fields=code&page=2",
    }
    assert [u["code"] for u in first["organisationUnits"]] == ["BUR", "HOS", "D00", "D01", "D02"]
    last = admin.get("/api/organisationUnits", {"pageSize": 5, "page": 4, "fields": "code"}).json()
    assert "nextPage" not in last["pager"] and "page=3" in last["pager"]["prevPage"]
    assert len(last["organisationUnits"]) == 2
    seen = []
    for page in range(1, 5):
        body = admin.get(
            "/api/organisationUnits", {"pageSize": 5, "page": page, "fields": "code"}
        ).json()
        seen += [u["code"] for u in body["organisationUnits"]]
    assert len(seen) == len(set(seen)) == 17
    beyond = admin.get("/api/organisationUnits", {"pageSize": 5, "page": 9}).json()
    assert beyond["organisationUnits"] == []


def test_default_page_size_and_paging_false(api, world):
    DataElement.objects.bulk_create(
        DataElement(code=f"X{i:03d}", name=f"元素{i}") for i in range(60)
    )
    admin = api.as_("admin")
    body = admin.get("/api/dataElements").json()
    assert body["pager"]["pageSize"] == 50 and body["pager"]["total"] == 63
    assert len(body["dataElements"]) == 50
    assert set(body["dataElements"][0]) == {"id", "displayName"}
    body = admin.get("/api/dataElements", {"paging": "false"}).json()
    assert "pager" not in body and len(body["dataElements"]) == 63


def test_org_units_are_scoped(api, world):
    def codes(username, **params):
        body = api.as_(username).get(
            "/api/organisationUnits", {"fields": "code", "paging": "false", **params}
        )
        return [u["code"] for u in body.json()["organisationUnits"]]

    assert codes("admin") == ["BUR", "HOS", "MED", "SUR", "TWN"]
    assert codes("victor") == ["HOS", "MED", "SUR"]
    assert codes("alice") == ["MED"]
    assert codes("olivia") == ["TWN"]
    assert codes("olivia", filter="code:eq:MED") == []
    response = api.as_("olivia").get(f"/api/organisationUnits/{world.medicine.uid}")
    assert response.status_code == 404
    response = api.as_("alice").get(f"/api/organisationUnits/{world.medicine.uid}")
    assert response.json()["code"] == "MED"


def test_fields_nested_and_presets(api, world):
    victor = api.as_("victor")
    body = victor.get(
        "/api/organisationUnits",
        {
            "fields": "id,code,level,path,parent[id,code],children[code],dataSets[code]",
            "filter": "code:eq:HOS",
        },
    ).json()
    [hos] = body["organisationUnits"]
    assert hos == {
        "id": world.hospital.uid,
        "code": "HOS",
        "level": 2,
        "path": f"/{world.bureau.uid}/{world.hospital.uid}",
        "parent": {"id": world.bureau.uid, "code": "BUR"},
        "children": [{"code": "MED"}, {"code": "SUR"}],
        "dataSets": [],
    }
    med = victor.get(
        f"/api/organisationUnits/{world.medicine.uid}.json", {"fields": ":all,!children"}
    ).json()
    assert med["name"] == "内科" and med["parent"] == {"id": world.hospital.uid}
    assert med["dataSets"] == [{"id": world.form.uid}] and "children" not in med
    element = victor.get(f"/api/dataElements/{world.visits.uid}").json()
    assert element["valueType"] == "INTEGER_ZERO_OR_POSITIVE"
    assert element["aggregationType"] == "SUM" and element["domainType"] == "AGGREGATE"
    assert element["categoryCombo"] == {"id": world.visits.category.uid}


def test_category_combos_give_the_option_ids_to_send(api, world):
    body = (
        api.as_("victor")
        .get(
            "/api/dataElements",
            {
                "fields": "code,categoryCombo[code,categoryOptionCombos[id,code,name]]",
                "paging": "false",
            },
        )
        .json()
    )
    combos = {e["code"]: e["categoryCombo"] for e in body["dataElements"]}
    assert combos["OPD"]["categoryOptionCombos"] == [
        {"id": world.male.uid, "code": "MALE", "name": "男"},
        {"id": world.female.uid, "code": "FEMALE", "name": "女"},
    ]
    assert combos["DIS"]["code"] == "default"
    assert [o["code"] for o in combos["DIS"]["categoryOptionCombos"]] == ["default"]


def test_data_sets_with_their_elements_and_units(api, world):
    body = (
        api.as_("victor")
        .get(
            "/api/dataSets",
            {
                "fields": "code,periodType,timelyDays,dataSetElements[dataElement[code]],organisationUnits[code]"
            },
        )
        .json()
    )
    assert body["dataSets"] == [
        {
            "code": "WORK",
            "periodType": "Monthly",
            "timelyDays": 5,
            "dataSetElements": [{"dataElement": {"code": c}} for c in ("OPD", "DIS", "NOTE")],
            "organisationUnits": [{"code": c} for c in ("MED", "SUR", "TWN")],
        }
    ]
    body = api.as_("victor").get("/api/dataSets", {"filter": "periodType:eq:Yearly"}).json()
    assert body["dataSets"] == []
    body = (
        api.as_("victor")
        .get(
            f"/api/dataElements/{world.discharges.uid}",
            {"fields": "dataSetElements[dataSet[id,name,periodType]]"},
        )
        .json()
    )
    assert body == {
        "dataSetElements": [
            {"dataSet": {"id": world.form.uid, "name": world.form.name, "periodType": "Monthly"}}
        ]
    }


def test_indicators_with_their_type(api, world):
    Indicator.objects.create(
        code="DIS_RATE", name="出院率", numerator="#{DIS}", denominator="#{OPD}",
        type=IndicatorType.PER_THOUSAND, decimals=1,
    )  # fmt: skip
    body = (
        api.as_("victor")
        .get(
            "/api/indicators",
            {"fields": "code,numerator,denominator,decimals,indicatorType[name,factor]"},
        )
        .json()
    )
    assert body["indicators"] == [
        {
            "code": "DIS_RATE",
            "numerator": "#{DIS}",
            "denominator": "#{OPD}",
            "decimals": 1,
            "indicatorType": {"name": "千分率（×1000，‰）", "factor": 1000},
        }
    ]


def test_filters_and_order(api, world):
    admin = api.as_("admin")

    def codes(resource, **params):
        body = admin.get(f"/api/{resource}", {"fields": "code", **params}).json()
        return [o["code"] for o in body[resource]]

    assert codes("organisationUnits", filter="level:eq:3") == ["MED", "SUR"]
    assert codes("organisationUnits", level="2") == ["HOS", "TWN"]
    assert codes("organisationUnits", filter="name:like:医院") == ["HOS"]
    assert codes("organisationUnits", filter=["level:ge:2", "code:!eq:HOS"]) == [
        "MED",
        "SUR",
        "TWN",
    ]
    assert codes("organisationUnits", filter=["code:eq:MED", "code:eq:TWN"], rootJunction="OR") == [
        "MED",
        "TWN",
    ]
    assert codes("dataElements", filter="code:in:[OPD,NOTE]") == ["NOTE", "OPD"]
    assert codes("dataElements", filter=f"id:eq:{world.visits.uid}") == ["OPD"]
    assert codes("dataElements", order="code:desc") == ["OPD", "NOTE", "DIS"]
    assert codes("organisationUnits", order="code:desc") == ["TWN", "SUR", "MED", "HOS", "BUR"]


def test_list_queries_do_not_grow_with_the_page(
    api, world, many_departments, django_assert_max_num_queries
):
    admin = api.as_("admin")
    fields = "id,code,path,parent[id,code],children[id],dataSets[id],ancestors[code]"
    with django_assert_max_num_queries(10):
        body = admin.get("/api/organisationUnits", {"fields": fields, "paging": "false"}).json()
    assert len(body["organisationUnits"]) == 17
