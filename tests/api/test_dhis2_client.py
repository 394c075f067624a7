"""DHIS2's own Python client (dhis2-client from PyPI) against a live server: what a DHIS2
script does — read system info, page through units and elements, import a data value set by
code, read and write single values, fetch analytics — must work unchanged."""

from __future__ import annotations

import pytest
from dhis2_client import DHIS2Client, DHIS2HTTPError

from tests.world import PASSWORD
from weijian.indicators.models import Indicator, IndicatorType
from weijian.orgs.models import OrgUnit
from weijian.reporting.models import DataValue

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def connect(live_server):
    clients = []

    def make(username: str, page_size: int = 50) -> DHIS2Client:
        client = DHIS2Client(
            live_server.url,
            username=username,
            password=PASSWORD,
            default_page_size=page_size,
            retries=0,
        )
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


def test_system_info_and_me(connect, world):
    client = connect("victor")
    info = client.get_system_info()
    assert info["version"] == "2.40.0" and info["systemName"] == "卫健工作台"
    me = client.get_current_user(fields="id,username,organisationUnits[id,code]")
    assert me["username"] == "victor"
    assert [u["code"] for u in me["organisationUnits"]] == ["HOS"]


def test_paging_through_units_and_elements(connect, world):
    for i in range(7):
        OrgUnit.objects.add_child(
            world.township, dict(code=f"VIL{i}", name=f"村卫生室{i}", type="OTHER")
        )
    client = connect("admin", page_size=3)
    units = list(client.get_organisation_units(fields="id,code,level"))
    assert len(units) == 12 and len({u["id"] for u in units}) == 12
    assert {u["code"] for u in units if u["level"] == 3} >= {"MED", "SUR", "VIL0", "VIL6"}
    elements = client.get_data_elements(fields="id,code,valueType", pageSize=2)
    assert sorted(e["code"] for e in elements) == ["DIS", "NOTE", "OPD"]
    one = client.get_data_element(
        world.visits.uid, fields="id,name,categoryCombo[categoryOptionCombos[id,code]]"
    )
    assert [c["code"] for c in one["categoryCombo"]["categoryOptionCombos"]] == ["MALE", "FEMALE"]
    # The outsider pages through her own units only.
    assert [u["code"] for u in connect("olivia").get_organisation_units(fields="code")][:1] == [
        "TWN"
    ]


def test_import_by_code_read_a_value_and_fetch_analytics(connect, world):
    Indicator.objects.create(
        code="DIS_PER_VISIT", name="每百门急诊出院人次", numerator="#{DIS}", denominator="#{OPD}",
        type=IndicatorType.PERCENT, decimals=1,
    )  # fmt: skip
    client = connect("admin")
    payload = {
        "idScheme": "CODE",
        "period": "202601",
        "dataValues": [
            {"dataElement": "OPD", "categoryOptionCombo": "MALE", "orgUnit": "MED", "value": "60"},
            {
                "dataElement": "OPD",
                "categoryOptionCombo": "FEMALE",
                "orgUnit": "MED",
                "value": "40",
            },
            {"dataElement": "DIS", "orgUnit": "MED", "value": "5"},
            {"dataElement": "OPD", "categoryOptionCombo": "MALE", "orgUnit": "SUR", "value": "50"},
            {"dataElement": "DIS", "orgUnit": "SUR", "value": "10"},
        ],
    }
    answer = client.post_data_value_set(payload)
    assert answer["status"] == "OK"
    assert answer["response"]["importCount"] == {
        "imported": 5,
        "updated": 0,
        "ignored": 0,
        "deleted": 0,
    }

    value = client.get_data_value(world.visits.uid, "202601", world.medicine.uid, co=world.male.uid)
    assert value == ["60"]

    data = client.get_analytics_data(
        dx=["DIS_PER_VISIT", "DIS"], pe=["202601"], ou=[world.hospital.uid], outputIdScheme="CODE"
    )
    headers = [h["name"] for h in data["headers"]]
    rows = {
        (r[headers.index("dx")], r[headers.index("ou")]): r[headers.index("value")]
        for r in data["rows"]
    }
    # (5 + 10) × 100 / (100 + 50) = 10
    assert rows == {("DIS_PER_VISIT", "HOS"): "10", ("DIS", "HOS"): "15"}
    assert data["metaData"]["items"]["HOS"]["name"] == "人民医院"

    data = client.get_analytics_data(
        dimension=["dx:OPD", "pe:202601", f"ou:{world.hospital.uid};LEVEL-3"]
    )
    assert sorted(r[2:] for r in data["rows"]) == sorted(
        [[world.medicine.uid, "100"], [world.surgery.uid, "50"]]
    )


def test_set_and_delete_a_single_value(connect, world):
    client = connect("alice")
    client.set_data_value(world.discharges.uid, "202602", world.medicine.uid, 7, co="HllvX50cXC0")
    assert DataValue.objects.get(element=world.discharges).value == "7"
    assert client.get_data_value(world.discharges.uid, "202602", world.medicine.uid) == ["7"]
    client.delete_data_value(world.discharges.uid, "202602", world.medicine.uid, co="HllvX50cXC0")
    assert not DataValue.objects.exists()


def test_refusals_reach_the_client_as_dhis2_errors_in_chinese(connect, world):
    olivia = connect("olivia")
    with pytest.raises(DHIS2HTTPError) as caught:
        olivia.post_data_value_set(
            {
                "idScheme": "CODE",
                "dataValues": [
                    {"dataElement": "DIS", "period": "202601", "orgUnit": "MED", "value": "9"}
                ],
            }
        )
    assert caught.value.status_code == 409
    assert "您没有组织机构“MED”的填报权限" in str(caught.value)
    with pytest.raises(DHIS2HTTPError) as caught:
        olivia.get_analytics_data(dx=["DIS"], pe=["202601"], ou=["HOS"])
    assert caught.value.status_code == 409 and "查看权限" in str(caught.value)
    with pytest.raises(DHIS2HTTPError) as caught:
        olivia.set_data_value(
            world.discharges.uid, "202601", world.medicine.uid, 9, co="HllvX50cXC0"
        )
    assert caught.value.status_code == 409
    assert not DataValue.objects.exists()
    with pytest.raises(DHIS2HTTPError) as caught:
        DHIS2Client(
            connect("olivia").base_url, username="olivia", password="wrong", retries=0
        ).get_system_info()
    assert caught.value.status_code == 401


def test_the_clients_latest_period_helper(connect, world):
    """A helper of the client that combines metadata, nested fields, levels and dataValueSets."""
    admin = connect("admin")
    admin.post_data_value_set(
        {"idScheme": "CODE", "dataValues": [
            {"dataElement": "DIS", "period": p, "orgUnit": "MED", "value": "1"} for p in ("202601", "202603")
        ]}
    )  # fmt: skip
    found = admin.analytics_latest_period_for_level(world.discharges.uid, 2)
    assert found["meta"]["periodType"] == "MONTHLY"
    assert found["existing"]["id"] == "202603"
    assert found["next"]["id"] == "202604"


def test_a_plain_metadata_and_values_payload_gets_in(connect, world):
    """What a DHIS2 script sends first: metadata by uid (no codes, no data sets), then values
    for it by uid. DHIS2 imports both with its defaults (strict* off); so must we."""
    admin = connect("admin")
    metadata = {
        "organisationUnits": [
            {"id": "Vil00000001", "name": "东山村卫生室", "shortName": "东山村",
             "openingDate": "2020-01-01", "parent": {"id": world.township.uid}},
        ],
        "dataElements": [
            {"id": "DeMalaria01", "name": "疟疾病例数", "shortName": "疟疾",
             "valueType": "INTEGER_ZERO_OR_POSITIVE", "aggregationType": "SUM",
             "domainType": "AGGREGATE", "categoryCombo": {"id": "bjDvmb4bfuf"}},
        ],
    }  # fmt: skip
    answer = admin.post("/api/metadata", json=metadata)
    assert answer["status"] == "OK", answer
    assert answer["response"]["stats"]["created"] == 2
    values = {
        "dataValues": [
            {"dataElement": "DeMalaria01", "period": "202601", "orgUnit": "Vil00000001", "value": "3"},
            {"dataElement": "DeMalaria01", "period": "202602", "orgUnit": world.township.uid, "value": "2"},
        ]
    }  # fmt: skip
    answer = admin.post_data_value_set(values)
    assert answer["status"] == "OK", answer
    assert answer["response"]["importCount"]["imported"] == 2
    data = admin.get_analytics_data(
        dx=["DeMalaria01"], pe=["2026"], ou=[world.township.uid], outputIdScheme="UID"
    )
    assert [row[-1] for row in data["rows"]] == ["5"]  # 3 at the village + 2 at the centre
