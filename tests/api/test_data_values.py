"""GET/POST/DELETE /api/dataValues: one value, by uid or code, through the reporting actions."""

from __future__ import annotations

from weijian.reporting import actions
from weijian.reporting.models import DataValue, DataValueAudit


def value_of(world, element="DIS", option="default", unit="MED", period="202601"):
    row = DataValue.objects.filter(
        element__code=element, option__code=option, org_unit__code=unit, period_id=period
    ).first()
    return row.value if row else None


def test_post_by_query_parameters_then_read_and_delete(api, world):
    alice = api.as_("alice")
    key = {"de": "DIS", "pe": "202601", "ou": "MED"}
    response = alice.post("/api/dataValues", None, {**key, "value": "12"})
    assert response.status_code == 201, response.json()
    assert value_of(world) == "12"
    assert DataValueAudit.objects.get().source == actions.Source.API

    response = alice.get("/api/dataValues", key)
    assert response.status_code == 200
    assert response.json() == ["12"]

    response = alice.delete("/api/dataValues", key)
    assert response.status_code == 204
    assert value_of(world) is None
    response = alice.get("/api/dataValues", key)
    assert response.status_code == 409
    assert response.json()["message"] == "数据值不存在"
    response = alice.delete("/api/dataValues", key)
    assert response.status_code == 409
    assert "不存在" in response.json()["message"]


def test_post_a_json_body_by_uid_with_an_option(api, world):
    body = {
        "dataElement": world.visits.uid,
        "categoryOptionCombo": world.female.uid,
        "period": "202601",
        "orgUnit": world.medicine.uid,
        "value": 33,
    }
    response = api.as_("alice").post("/api/dataValues", body)
    assert response.status_code == 201, response.json()
    assert value_of(world, "OPD", "FEMALE") == "33"
    response = api.as_("alice").get(
        "/api/dataValues",
        {"de": world.visits.uid, "pe": "202601", "ou": world.medicine.uid, "co": "FEMALE"},
    )
    assert response.json() == ["33"]


def test_without_co_the_default_option_is_meant_as_in_dhis2(api, world):
    """DHIS2 reads and writes the default option combo when `co` is left out, even for an
    element split by sex (its strictCategoryOptionCombos is off by default)."""
    alice = api.as_("alice")
    response = alice.post(
        "/api/dataValues", None, {"de": "OPD", "pe": "202601", "ou": "MED", "value": "2"}
    )
    assert response.status_code == 201, response.json()
    assert alice.get("/api/dataValues", {"de": "OPD", "pe": "202601", "ou": "MED"}).json() == ["2"]
    assert DataValue.objects.get().option.code == "default"


def test_bad_values_and_missing_options_are_409_in_chinese(api, world):
    alice = api.as_("alice")
    response = alice.post(
        "/api/dataValues", None, {"de": "DIS", "pe": "202601", "ou": "MED", "value": "-2"}
    )
    assert response.status_code == 409
    assert response.json()["message"] == "出院人次：不能为负数（填了 -2）"
    response = alice.get("/api/dataValues", {"de": "OPD", "pe": "202601", "ou": "MED"})
    assert response.status_code == 409
    assert response.json()["message"] == "数据值不存在"
    response = alice.post("/api/dataValues", None, {"de": "DIS", "ou": "MED", "value": "2"})
    assert response.status_code == 409
    assert "缺少参数：pe" in response.json()["message"]
    response = alice.post(
        "/api/dataValues", None, {"de": "DIS", "pe": "2026-01", "ou": "MED", "value": "2"}
    )
    assert response.status_code == 409
    assert "不是有效的期间编码" in response.json()["message"]
    assert not DataValue.objects.exists()


def test_the_outsider_can_neither_read_nor_write_the_hospital(api, world):
    actions.save_values(
        world.alice, world.form, world.medicine, "202601", {("DIS", "default"): "3"}
    )
    olivia = api.as_("olivia")
    key = {"de": "DIS", "pe": "202601", "ou": "MED"}
    response = olivia.get("/api/dataValues", key)
    assert response.status_code == 409
    assert "3" not in response.content.decode()
    response = olivia.post("/api/dataValues", None, {**key, "value": "99"})
    assert response.status_code == 409
    assert response.json()["message"] == "您没有组织机构“MED”的填报权限"
    response = olivia.delete("/api/dataValues", key)
    assert response.status_code == 409
    assert value_of(world) == "3"
    # The viewer reads but cannot write.
    victor = api.as_("victor")
    assert victor.get("/api/dataValues", key).json() == ["3"]
    assert victor.post("/api/dataValues", None, {**key, "value": "4"}).status_code == 409
    assert value_of(world) == "3"


def test_locked_values_cannot_be_changed_or_deleted(api, world):
    full = {("OPD", "MALE"): "1", ("OPD", "FEMALE"): "2", ("DIS", "default"): "3"}
    actions.save_values(world.alice, world.form, world.medicine, "202601", full)
    submission = actions.submit(world.alice, world.form, world.medicine, "202601")
    actions.approve(world.rita, submission)
    key = {"de": "DIS", "pe": "202601", "ou": "MED"}
    for response in (
        api.as_("alice").post("/api/dataValues", None, {**key, "value": "9"}),
        api.as_("admin").delete("/api/dataValues", key),
    ):
        assert response.status_code == 409
        assert "数据已锁定" in response.json()["message"]
    assert value_of(world) == "3"
