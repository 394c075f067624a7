"""POST/GET /api/dataValueSets: JSON and CSV, id schemes, strategies, atomic modes, dry runs,
locks and scope — every write goes through the reporting actions."""

from __future__ import annotations

import pytest

from weijian.orgs.models import OrgUnit
from weijian.reporting import actions
from weijian.reporting.models import (
    DataElement,
    DataValue,
    DataValueAudit,
    Form,
    FormElement,
    Submission,
)

CODE = {"idScheme": "CODE"}


def stored(world, unit=None) -> dict[tuple[str, str, str, str], str]:
    rows = DataValue.objects.select_related("element", "option", "org_unit")
    if unit is not None:
        rows = rows.filter(org_unit=unit)
    return {(v.element.code, v.option.code, v.org_unit.code, v.period_id): v.value for v in rows}


def med_rows(period="202601", **values):
    """JSON rows for 内科 by code: OPD split by sex, DIS not split."""
    rows = []
    for key, value in values.items():
        element, _, option = key.partition("_")
        row = {"dataElement": element, "period": period, "orgUnit": "MED", "value": value}
        if option:
            row["categoryOptionCombo"] = option
        rows.append(row)
    return {"dataValues": rows}


def summary(response) -> dict:
    return response.json()["response"]


def test_import_by_code_saves_values_and_audit_as_api(api, world):
    response = api.as_("alice").post(
        "/api/dataValueSets", med_rows(OPD_MALE="12", OPD_FEMALE=15, DIS="3"), CODE
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "OK" and body["httpStatusCode"] == 200
    assert summary(response)["status"] == "SUCCESS"
    assert summary(response)["importCount"] == {
        "imported": 3,
        "updated": 0,
        "ignored": 0,
        "deleted": 0,
    }
    assert stored(world) == {
        ("OPD", "MALE", "MED", "202601"): "12",
        ("OPD", "FEMALE", "MED", "202601"): "15",
        ("DIS", "default", "MED", "202601"): "3",
    }
    audits = DataValueAudit.objects.all()
    assert {a.source for a in audits} == {actions.Source.API}
    assert {a.changed_by for a in audits} == {world.alice}


def test_default_scheme_is_uid_and_root_period_and_org_unit_apply(api, world):
    payload = {
        "period": "202602",
        "orgUnit": world.medicine.uid,
        "dataValues": [
            {"dataElement": world.discharges.uid, "value": "7"},
            {"dataElement": world.visits.uid, "categoryOptionCombo": world.male.uid, "value": "1"},
        ],
    }
    response = api.as_("alice").post("/api/dataValueSets", payload)
    assert response.status_code == 200, response.json()
    assert stored(world) == {
        ("DIS", "default", "MED", "202602"): "7",
        ("OPD", "MALE", "MED", "202602"): "1",
    }
    # Codes are not uids: with the default scheme they are unknown.
    response = api.as_("alice").post("/api/dataValueSets", med_rows(DIS="9"))
    assert response.status_code == 409
    conflict = summary(response)["conflicts"][0]
    assert conflict["object"] == "DIS" and "找不到UID为“DIS”的数据元" in conflict["value"]


def test_scheme_in_payload_root_wins_over_query(api, world):
    payload = {"idScheme": "CODE", **med_rows(DIS="4")}
    response = api.as_("alice").post("/api/dataValueSets", payload, {"idScheme": "UID"})
    assert response.status_code == 200, response.json()
    assert stored(world) == {("DIS", "default", "MED", "202601"): "4"}


def test_specific_schemes_and_the_dhis2_default_combo(api, world):
    payload = {
        "dataValues": [
            {
                "dataElement": "出院人次",
                "period": "202601",
                "orgUnit": "MED",
                "categoryOptionCombo": "HllvX50cXC0",
                "attributeOptionCombo": "HllvX50cXC0",
                "value": "8",
            }
        ]
    }
    params = {"dataElementIdScheme": "NAME", "orgUnitIdScheme": "CODE"}
    response = api.as_("alice").post("/api/dataValueSets", payload, params)
    assert response.status_code == 200, response.json()
    assert stored(world) == {("DIS", "default", "MED", "202601"): "8"}


def test_ambiguous_names_are_conflicts(api, world):
    OrgUnit.objects.add_child(world.township, dict(code="MED2", name="内科", type="DEPARTMENT"))
    payload = {
        "dataValues": [{"dataElement": "DIS", "period": "202601", "orgUnit": "内科", "value": "1"}]
    }
    params = {"dataElementIdScheme": "CODE", "orgUnitIdScheme": "NAME"}
    response = api.as_("admin").post("/api/dataValueSets", payload, params)
    assert response.status_code == 409
    assert "名称为“内科”的组织机构有 2 个" in summary(response)["conflicts"][0]["value"]
    assert not DataValue.objects.exists()


def test_atomic_none_imports_good_rows_and_reports_each_bad_one(api, world):
    payload = med_rows(OPD_MALE="12", DIS="-1", OPD_FEMALE="abc")
    payload["dataValues"] += [
        {"dataElement": "NOPE", "period": "202601", "orgUnit": "MED", "value": "1"},
        # Both imported, as DHIS2 does with its strict* options off: a quarterly value of a
        # monthly element, and an element split by sex given without an option (default).
        {"dataElement": "DIS", "period": "2026Q1", "orgUnit": "MED", "value": "1"},
        {"dataElement": "OPD", "period": "202601", "orgUnit": "MED", "value": "1"},
    ]
    response = api.as_("alice").post("/api/dataValueSets", payload, CODE)
    assert response.status_code == 409
    body = summary(response)
    assert body["status"] == "WARNING"
    assert body["importCount"] == {"imported": 3, "updated": 0, "ignored": 3, "deleted": 0}
    reasons = {tuple(c["indexes"]): c["value"] for c in body["conflicts"]}
    assert reasons == {
        (1,): "出院人次：不能为负数（填了 -1）",
        (2,): "门急诊人次：“abc”不是数字",
        (3,): "找不到编码为“NOPE”的数据元",
    }
    assert body["rejectedIndexes"] == [1, 2, 3]
    assert stored(world) == {
        ("OPD", "MALE", "MED", "202601"): "12",
        ("DIS", "default", "MED", "2026Q1"): "1",
        ("OPD", "default", "MED", "202601"): "1",
    }


def test_atomic_all_imports_nothing_when_any_row_is_bad(api, world):
    payload = med_rows(OPD_MALE="12", DIS="-1")
    response = api.as_("alice").post("/api/dataValueSets", payload, {**CODE, "atomicMode": "ALL"})
    assert response.status_code == 409
    body = summary(response)
    assert body["status"] == "ERROR"
    assert body["importCount"] == {"imported": 0, "updated": 0, "ignored": 2, "deleted": 0}
    assert "atomicMode=ALL" in body["description"]
    assert not DataValue.objects.exists()
    # The same rows without the bad one go in.
    response = api.as_("alice").post(
        "/api/dataValueSets", med_rows(OPD_MALE="12"), {**CODE, "atomicMode": "ALL"}
    )
    assert response.status_code == 200
    assert stored(world) == {("OPD", "MALE", "MED", "202601"): "12"}


def test_atomic_all_rolls_back_groups_saved_before_a_refused_group(api, world):
    lock_report(world, world.surgery, "202601")
    payload = med_rows(DIS="777")
    payload["dataValues"].append(
        {"dataElement": "DIS", "period": "202601", "orgUnit": "SUR", "value": "2"}
    )
    before = stored(world)
    response = api.as_("admin").post("/api/dataValueSets", payload, {**CODE, "atomicMode": "ALL"})
    assert response.status_code == 409
    assert summary(response)["status"] == "ERROR"
    assert stored(world) == before
    assert not DataValueAudit.objects.filter(new_value="777").exists()


def test_dry_run_reports_what_would_happen_and_changes_nothing(api, world):
    actions.save_values(
        world.alice, world.form, world.medicine, "202601", {("DIS", "default"): "3"}
    )
    before = stored(world)
    audits = DataValueAudit.objects.count()
    payload = med_rows(DIS="4", OPD_MALE="5", OPD_FEMALE="x")
    response = api.as_("alice").post("/api/dataValueSets", payload, {**CODE, "dryRun": "true"})
    body = summary(response)
    assert body["importCount"] == {"imported": 1, "updated": 1, "ignored": 1, "deleted": 0}
    assert body["importOptions"]["dryRun"] is True
    assert "试运行" in body["description"]
    assert stored(world) == before
    assert DataValueAudit.objects.count() == audits
    assert Submission.objects.count() == 1  # only the one the real save made


def lock_report(world, unit, period):
    clerk = {world.medicine: world.alice, world.surgery: world.bob}[unit]
    full = {("OPD", "MALE"): "1", ("OPD", "FEMALE"): "2", ("DIS", "default"): "3"}
    actions.save_values(clerk, world.form, unit, period, full)
    submission = actions.submit(clerk, world.form, unit, period)
    return actions.approve(world.rita, submission)


def test_approved_reports_are_locked_against_imports(api, world):
    lock_report(world, world.medicine, "202601")
    before = stored(world)
    payload = med_rows(DIS="30", OPD_MALE="10")
    payload["dataValues"].append(
        {"dataElement": "DIS", "period": "202602", "orgUnit": "MED", "value": "5"}
    )
    response = api.as_("admin").post("/api/dataValueSets", payload, CODE)
    assert response.status_code == 409
    body = summary(response)
    assert body["importCount"]["imported"] == 1 and body["importCount"]["ignored"] == 2
    [conflict] = body["conflicts"]
    assert conflict["indexes"] == [0, 1]
    assert "审核通过" in conflict["value"] and "数据已锁定" in conflict["value"]
    assert stored(world, world.medicine) == {**before, ("DIS", "default", "MED", "202602"): "5"}


def test_returned_reports_need_a_reason_to_change(api, world):
    submission = lock_report(world, world.medicine, "202601")
    actions.unlock(world.rita, submission, "出院人次有误")
    response = api.as_("alice").post("/api/dataValueSets", med_rows(DIS="4"), CODE)
    assert response.status_code == 409
    assert "修改说明" in summary(response)["conflicts"][0]["value"]
    response = api.as_("alice").post(
        "/api/dataValueSets", med_rows(DIS="4"), {**CODE, "reason": "更正出院人次"}
    )
    assert response.status_code == 200, response.json()
    assert DataValueAudit.objects.filter(new_value="4").get().reason == "更正出院人次"


def test_the_outsider_cannot_import_into_the_hospital(api, world):
    actions.save_values(
        world.alice, world.form, world.medicine, "202601", {("DIS", "default"): "3"}
    )
    before = stored(world)
    response = api.as_("olivia").post("/api/dataValueSets", med_rows(DIS="99", OPD_MALE="1"), CODE)
    assert response.status_code == 409
    body = summary(response)
    assert body["importCount"] == {"imported": 0, "updated": 0, "ignored": 2, "deleted": 0}
    assert {c["value"] for c in body["conflicts"]} == {"您没有组织机构“MED”的填报权限"}
    assert stored(world) == before
    # The viewer and the reviewer cannot enter data either.
    for username in ("victor", "rita"):
        response = api.as_(username).post("/api/dataValueSets", med_rows(DIS="99"), CODE)
        assert response.status_code == 409
    assert stored(world) == before


def beds_on_the_township_form(world):
    beds = DataElement.objects.create(code="BEDS", name="床位数")
    form = Form.objects.create(code="BEDFORM", name="床位年报", period_type="YEARLY")
    FormElement.objects.create(form=form, element=beds)
    form.org_units.set([world.township])
    return form


BEDS_AT_MED = {"dataValues": [{"dataElement": "BEDS", "period": "2025", "orgUnit": "MED", "value": "30"}]}  # fmt: skip


def test_an_element_on_no_form_of_the_unit_is_imported_as_dhis2_does(api, world):
    """The issue's E7633: DHIS2 imports a value whose element is on no data set of the unit
    unless strictOrganisationUnits is set; so do we, audited, and analytics counts it."""
    beds_on_the_township_form(world)
    response = api.as_("admin").post("/api/dataValueSets", BEDS_AT_MED, CODE)
    assert response.status_code == 200, response.json()
    assert summary(response)["importCount"]["imported"] == 1
    assert stored(world) == {("BEDS", "default", "MED", "2025"): "30"}
    audit = DataValueAudit.objects.get()
    assert (audit.changed_by, audit.source, audit.new_value) == (world.admin, "接口", "30")
    assert not Submission.objects.exists()  # no form's report was opened for it
    # An element on no form at all goes in too.
    DataElement.objects.create(code="LOOSE", name="未入表数据元")
    rows = {"dataValues": [{"dataElement": "LOOSE", "period": "202601", "orgUnit": "SUR", "value": "4"}]}  # fmt: skip
    assert api.as_("admin").post("/api/dataValueSets", rows, CODE).status_code == 200
    # And it appears in analytics: the hospital's subtree holds MED's 30 beds.
    url = "/api/analytics?dimension=dx:BEDS;LOOSE&dimension=pe:2025;202601&dimension=ou:HOS&outputIdScheme=CODE"
    rows = api.as_("victor").get(url).json()["rows"]
    assert sorted((r[0], r[1], r[3]) for r in rows) == [
        ("BEDS", "2025", "30"),
        ("LOOSE", "202601", "4"),
    ]


def test_strict_organisation_units_refuses_it_in_dhis2s_words(api, world):
    beds_on_the_township_form(world)
    params = {**CODE, "strictOrganisationUnits": "true"}
    response = api.as_("admin").post("/api/dataValueSets", BEDS_AT_MED, params)
    assert response.status_code == 409
    body = summary(response)
    assert body["importOptions"]["strictOrganisationUnits"] is True
    [conflict] = body["conflicts"]
    assert conflict["errorCode"] == "E7636"
    assert conflict["value"].startswith("数据元“床位数”不在分配给组织机构“MED”的任何报表中")
    assert (
        "Data element: `BEDS` must be assigned through data sets to organisation unit: `MED`"
        in conflict["value"]
    )
    assert not DataValue.objects.exists()
    # The unit the form is assigned to takes it, strict or not.
    BEDS_AT_TWN = {"dataValues": [{**BEDS_AT_MED["dataValues"][0], "orgUnit": "TWN"}]}
    response = api.as_("admin").post("/api/dataValueSets", BEDS_AT_TWN, params)
    assert response.status_code == 200, response.json()
    assert Submission.objects.get().form.code == "BEDFORM"


def test_strict_periods_refuses_a_period_type_of_none_of_the_elements_forms(api, world):
    rows = {"dataValues": [{"dataElement": "DIS", "period": "2026Q1", "orgUnit": "MED", "value": "7"}]}  # fmt: skip
    response = api.as_("alice").post("/api/dataValueSets", rows, {**CODE, "strictPeriods": "true"})
    assert response.status_code == 409
    [conflict] = summary(response)["conflicts"]
    assert conflict["errorCode"] == "E7632"
    assert "季报期间" in conflict["value"] and "月报" in conflict["value"]
    assert "Period type of period: `2026Q1` not valid for data element: `DIS`" in conflict["value"]
    assert not DataValue.objects.exists()
    response = api.as_("alice").post("/api/dataValueSets", rows, CODE)
    assert response.status_code == 200
    assert stored(world) == {("DIS", "default", "MED", "2026Q1"): "7"}


def test_strict_category_option_combos_refuses_options_outside_the_category(api, world):
    rows = med_rows(DIS_MALE="3")
    rows["dataValues"].append(
        {"dataElement": "OPD", "period": "202601", "orgUnit": "MED", "value": "9"}
    )
    params = {**CODE, "strictCategoryOptionCombos": "true"}
    response = api.as_("alice").post("/api/dataValueSets", rows, params)
    assert response.status_code == 409
    conflicts = {c["indexes"][0]: c for c in summary(response)["conflicts"]}
    assert {c["errorCode"] for c in conflicts.values()} == {"E7634"}
    assert (
        "Category option combo: `MALE` must be part of category combo of data element: `DIS`"
        in conflicts[0]["value"]
    )
    assert "分类选项“default”不属于数据元“门急诊人次”的分类" in conflicts[1]["value"]
    assert not DataValue.objects.exists()
    response = api.as_("alice").post("/api/dataValueSets", rows, CODE)
    assert response.status_code == 200, response.json()
    assert stored(world) == {
        ("DIS", "MALE", "MED", "202601"): "3",
        ("OPD", "default", "MED", "202601"): "9",
    }


def test_strict_data_elements_needs_a_data_set_holding_the_element(api, world):
    params = {**CODE, "strictDataElements": "true"}
    response = api.as_("alice").post("/api/dataValueSets", med_rows(DIS="5"), params)
    assert response.status_code == 409
    body = summary(response)
    assert body["status"] == "ERROR"
    assert "A valid dataset is required" in body["conflicts"][0]["value"]
    beds_on_the_township_form(world)
    payload = {"dataSet": "WORK", **med_rows(DIS="5")}
    payload["dataValues"].append(
        {"dataElement": "BEDS", "period": "202601", "orgUnit": "MED", "value": "3"}
    )
    response = api.as_("alice").post("/api/dataValueSets", payload, params)
    [conflict] = summary(response)["conflicts"]
    assert conflict["errorCode"] == "E7633"
    assert f"Data element: `BEDS` is not part of dataset: `{world.form.uid}`" in conflict["value"]
    assert stored(world) == {("DIS", "default", "MED", "202601"): "5"}


def test_values_outside_the_forms_still_respect_the_locks_of_forms_holding_them(api, world):
    lock_report(world, world.medicine, "202601")
    before = stored(world)
    # A quarterly DIS overlaps the approved January; a default OPD is in January itself.
    rows = {"dataValues": [
        {"dataElement": "DIS", "period": "2026Q1", "orgUnit": "MED", "value": "7"},
        {"dataElement": "OPD", "period": "202601", "orgUnit": "MED", "value": "9"},
    ]}  # fmt: skip
    response = api.as_("admin").post("/api/dataValueSets", rows, CODE)
    assert response.status_code == 409
    values = [c["value"] for c in summary(response)["conflicts"]]
    assert len(values) == 2 and all("审核通过" in v and "数据已锁定" in v for v in values)
    assert stored(world) == before
    # The second quarter overlaps no locked report.
    rows["dataValues"][0]["period"] = "2026Q2"
    response = api.as_("admin").post(
        "/api/dataValueSets", {"dataValues": rows["dataValues"][:1]}, CODE
    )
    assert response.status_code == 200, response.json()


def test_values_outside_the_forms_of_a_returned_report_need_a_reason(api, world):
    submission = lock_report(world, world.medicine, "202601")
    actions.unlock(world.rita, submission, "出院人次有误")
    actions.save_values_outside_forms(
        world.alice, world.medicine, "202601", {("OPD", "default"): "1"}, reason="补"
    )
    rows = {"dataValues": [{"dataElement": "OPD", "period": "202601", "orgUnit": "MED", "value": "2"}]}  # fmt: skip
    response = api.as_("alice").post("/api/dataValueSets", rows, CODE)
    assert "修改说明" in summary(response)["conflicts"][0]["value"]
    response = api.as_("alice").post("/api/dataValueSets", rows, {**CODE, "reason": "更正"})
    assert response.status_code == 200, response.json()


def test_the_outsider_cannot_import_values_outside_the_forms(api, world):
    beds_on_the_township_form(world)
    response = api.as_("olivia").post("/api/dataValueSets", BEDS_AT_MED, CODE)
    assert response.status_code == 409
    assert summary(response)["conflicts"][0]["value"] == "您没有组织机构“MED”的填报权限"
    assert not DataValue.objects.exists()
    from weijian.reporting.actions import ReportingError

    with pytest.raises(ReportingError, match="填报权限"):
        actions.save_values_outside_forms(
            world.olivia, world.medicine, "2025", {("BEDS", "default"): "1"}
        )
    assert not DataValue.objects.exists()


def test_an_element_in_two_forms_goes_in_and_the_data_set_chooses_its_report(api, world):
    second = Form.objects.create(code="DIS2", name="出院专报")
    FormElement.objects.create(form=second, element=world.discharges)
    second.org_units.set([world.medicine])
    response = api.as_("alice").post("/api/dataValueSets", med_rows(DIS="5"), CODE)
    assert response.status_code == 200, response.json()
    assert stored(world) == {("DIS", "default", "MED", "202601"): "5"}
    assert not Submission.objects.exists()
    payload = {"dataSet": "DIS2", **med_rows(DIS="6")}
    response = api.as_("alice").post("/api/dataValueSets", payload, CODE)
    assert response.status_code == 200, response.json()
    assert Submission.objects.get().form == second
    # A data set that does not contain the element: imported unless strictDataElements.
    payload = {"dataSet": "DIS2", **med_rows(OPD_MALE="5")}
    response = api.as_("alice").post("/api/dataValueSets", payload, CODE)
    assert response.status_code == 200, response.json()
    response = api.as_("alice").post(
        "/api/dataValueSets", payload, {**CODE, "strictDataElements": "true"}
    )
    assert "报表“出院专报”不含数据元“门急诊人次”" in summary(response)["conflicts"][0]["value"]


def test_strategies_create_update_and_delete(api, world):
    actions.save_values(
        world.alice, world.form, world.medicine, "202601", {("DIS", "default"): "3"}
    )
    alice = api.as_("alice")
    payload = med_rows(DIS="4", OPD_MALE="5")
    response = alice.post("/api/dataValueSets", payload, {**CODE, "importStrategy": "CREATE"})
    body = summary(response)
    assert body["importCount"] == {"imported": 1, "updated": 0, "ignored": 1, "deleted": 0}
    assert "CREATE" in body["conflicts"][0]["value"]
    assert stored(world)[("DIS", "default", "MED", "202601")] == "3"

    payload = med_rows(DIS="4", OPD_FEMALE="6")
    response = alice.post("/api/dataValueSets", payload, {**CODE, "importStrategy": "UPDATE"})
    body = summary(response)
    assert body["importCount"] == {"imported": 0, "updated": 1, "ignored": 1, "deleted": 0}
    assert ("OPD", "FEMALE", "MED", "202601") not in stored(world)
    assert stored(world)[("DIS", "default", "MED", "202601")] == "4"

    payload = med_rows(DIS="", OPD_MALE="anything", OPD_FEMALE="")
    response = alice.post("/api/dataValueSets", payload, {**CODE, "importStrategy": "DELETE"})
    assert response.status_code == 200, response.json()
    body = summary(response)
    assert body["importCount"] == {"imported": 0, "updated": 0, "ignored": 1, "deleted": 2}
    assert stored(world) == {}


def test_an_empty_value_deletes_and_an_unchanged_value_is_ignored(api, world):
    alice = api.as_("alice")
    alice.post("/api/dataValueSets", med_rows(DIS="3", OPD_MALE="1"), CODE)
    response = alice.post("/api/dataValueSets", med_rows(DIS="3", OPD_MALE=""), CODE)
    assert summary(response)["importCount"] == {
        "imported": 0,
        "updated": 0,
        "ignored": 1,
        "deleted": 1,
    }
    assert stored(world) == {("DIS", "default", "MED", "202601"): "3"}


CSV = (
    "dataelement,period,orgunit,catoptcombo,attroptcombo,value,storedby,lastupdated,comment,followup\n"
    "OPD,202601,MED,MALE,,12,x,2026-02-01,说明,false\n"
    '"DIS","202601","MED","","","3"\n'
    "DIS,202601,SUR,,,4\n"
    "OPD,202601,MED,FEMALE,,-5\n"
)


@pytest.mark.parametrize("content_type", ["application/csv", "text/csv"])
def test_csv_import(api, world, content_type):
    response = api.as_("admin").post_raw("/api/dataValueSets", CSV, content_type, CODE)
    assert response.status_code == 409
    body = summary(response)
    assert body["importCount"] == {"imported": 3, "updated": 0, "ignored": 1, "deleted": 0}
    assert body["conflicts"][0]["indexes"] == [3]
    assert stored(world) == {
        ("OPD", "MALE", "MED", "202601"): "12",
        ("DIS", "default", "MED", "202601"): "3",
        ("DIS", "default", "SUR", "202601"): "4",
    }


def test_csv_saved_by_chinese_excel_in_gb18030(api, world):
    text = "数据元,期间,机构,分类,属性,值\n出院人次,202601,内科,,,6\n"
    params = {"dataElementIdScheme": "NAME", "orgUnitIdScheme": "NAME"}
    response = api.as_("alice").post_raw(
        "/api/dataValueSets", text.encode("gb18030"), "application/csv", params
    )
    assert response.status_code == 200, response.json()
    assert stored(world) == {("DIS", "default", "MED", "202601"): "6"}


@pytest.mark.parametrize(
    ("body", "params", "message"),
    [
        ("{not json", {}, "请求内容不是有效的 JSON"),
        ("[1, 2]", {}, "请求内容应为 JSON 对象"),
        ('{"dataValues": 5}', {}, "“dataValues”应为数组"),
        ('{"dataValues": []}', {"idScheme": "ATTRIBUTE:abc"}, "暂不支持按属性"),
        ('{"dataValues": []}', {"idScheme": "EMAIL"}, "应为 UID、CODE 或 NAME"),
        ('{"dataValues": []}', {"importStrategy": "MERGE"}, "参数“importStrategy”"),
        ('{"dataValues": []}', {"dryRun": "maybe"}, "参数“dryRun”应为 true 或 false"),
        ('{"dataValues": [{"value": "a\\u0000b"}]}', {}, "NUL"),
        ('{"dataSet": "NOPE", "dataValues": []}', {}, "找不到UID为“NOPE”的报表"),
    ],
)
def test_bad_requests_are_400_in_chinese_and_change_nothing(api, world, body, params, message):
    response = api.as_("admin").post_raw("/api/dataValueSets", body, "application/json", params)
    assert response.status_code == 400
    assert message in response.json()["message"]
    assert not DataValue.objects.exists()


def test_malformed_rows_are_conflicts_not_errors(api, world):
    payload = {
        "dataValues": [
            "OPD",
            {"dataElement": {"code": "DIS"}, "period": "202601", "orgUnit": "MED", "value": 1},
            {"dataElement": "DIS", "period": "202601", "orgUnit": "MED", "value": {"a": 1}},
            {"dataElement": "DIS", "period": "2026-01", "orgUnit": "MED", "value": "1"},
            {"dataElement": "DIS", "period": "202601", "orgUnit": "MED", "value": "1",
             "attributeOptionCombo": "PARTNER"},
        ]
    }  # fmt: skip
    response = api.as_("admin").post("/api/dataValueSets", payload, CODE)
    assert response.status_code == 409
    body = summary(response)
    assert body["importCount"]["ignored"] == 5
    assert len(body["conflicts"]) == 5
    assert not DataValue.objects.exists()


def test_duplicate_rows_keep_the_last(api, world):
    payload = med_rows(DIS="1")
    payload["dataValues"] += med_rows(DIS="2")["dataValues"]
    response = api.as_("alice").post("/api/dataValueSets", payload, CODE)
    body = summary(response)
    assert body["importCount"] == {"imported": 1, "updated": 0, "ignored": 1, "deleted": 0}
    assert body["conflicts"][0]["indexes"] == [0]
    assert stored(world) == {("DIS", "default", "MED", "202601"): "2"}


def test_a_hundred_rows_cost_a_bounded_number_of_queries(api, world, django_assert_max_num_queries):
    form = Form.objects.create(code="BIG", name="大报表")
    elements = DataElement.objects.bulk_create(
        DataElement(code=f"E{i:03d}", name=f"指标{i}") for i in range(100)
    )
    FormElement.objects.bulk_create(
        FormElement(form=form, element=e, sort_order=i) for i, e in enumerate(elements)
    )
    form.org_units.set([world.medicine])
    rows = [
        {"dataElement": e.code, "period": "202601", "orgUnit": "MED", "value": str(i)}
        for i, e in enumerate(elements)
    ]
    alice = api.as_("alice")
    # A bounded number, never one per row; the first import of a report nobody has started
    # also asks whether anything would change before making its draft (2 queries), and the
    # form's cells come through the per-process cache: the stamp, then the cells (1 more).
    with django_assert_max_num_queries(33):
        response = alice.post("/api/dataValueSets", {"dataValues": rows}, CODE)
    assert response.status_code == 200, response.json()
    assert summary(response)["importCount"]["imported"] == 100
    for row in rows:
        row["value"] = str(int(row["value"]) + 1)
    with django_assert_max_num_queries(30):
        response = alice.post("/api/dataValueSets", {"dataValues": rows}, CODE)
    assert summary(response)["importCount"]["updated"] == 100
    assert DataValue.objects.filter(org_unit=world.medicine).count() == 100


# -- reading ---------------------------------------------------------------------------------


@pytest.fixture
def values(world):
    full = {("OPD", "MALE"): "1", ("OPD", "FEMALE"): "2", ("DIS", "default"): "3"}
    actions.save_values(world.alice, world.form, world.medicine, "202601", full)
    actions.save_values(
        world.alice, world.form, world.medicine, "202602", {("DIS", "default"): "4"}
    )
    actions.save_values(world.bob, world.form, world.surgery, "202601", {("DIS", "default"): "5"})
    actions.save_values(
        world.olivia, world.form, world.township, "202601", {("DIS", "default"): "6"}
    )


def read(api, username, **params):
    response = api.as_(username).get("/api/dataValueSets", params)
    return response


def test_read_a_data_value_set(api, world, values):
    response = read(api, "victor", dataSet="WORK", period="202601", orgUnit="MED", idScheme="CODE")
    assert response.status_code == 200
    rows = response.json()["dataValues"]
    assert [(r["dataElement"], r["categoryOptionCombo"], r["value"]) for r in rows] == [
        ("DIS", "default", "3"),
        ("OPD", "FEMALE", "2"),
        ("OPD", "MALE", "1"),
    ]
    assert rows[0]["orgUnit"] == "MED" and rows[0]["storedBy"] == "alice"
    # By uid, the default.
    response = read(
        api, "victor", dataSet=world.form.uid, period="202601", orgUnit=world.medicine.uid
    )
    assert {r["dataElement"] for r in response.json()["dataValues"]} == {
        world.visits.uid,
        world.discharges.uid,
    }


def test_read_with_children_and_dates(api, world, values):
    response = read(api, "victor", dataSet="WORK", startDate="2026-01-01", endDate="2026-02-28",
                     orgUnit="HOS", children="true", idScheme="CODE")  # fmt: skip
    found = {
        (r["orgUnit"], r["period"], r["dataElement"], r["categoryOptionCombo"])
        for r in response.json()["dataValues"]
    }
    assert found == {
        ("MED", "202601", "DIS", "default"),
        ("MED", "202601", "OPD", "MALE"),
        ("MED", "202601", "OPD", "FEMALE"),
        ("MED", "202602", "DIS", "default"),
        ("SUR", "202601", "DIS", "default"),
    }
    response = read(
        api, "victor", dataElement="DIS", period="202601", orgUnit="HOS", idScheme="CODE"
    )
    assert response.json()["dataValues"] == []  # without children, HOS itself has none


def test_read_as_csv(api, world, values):
    response = api.as_("victor").get(
        "/api/dataValueSets.csv",
        {"dataSet": "WORK", "period": "202602", "orgUnit": "MED", "idScheme": "CODE"},
    )
    assert response.status_code == 200
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("dataelement,period,orgunit,catoptcombo")
    assert lines[1].startswith("DIS,202602,MED,default,default,4,alice,")


def test_the_outsider_cannot_read_the_hospital(api, world, values):
    response = read(api, "olivia", dataSet="WORK", period="202601", orgUnit="MED")
    assert response.status_code == 409
    assert "没有组织机构“MED”的查看权限" in response.json()["message"]
    response = read(api, "olivia", dataSet="WORK", period="202601", orgUnit="BUR", children="true")
    assert response.status_code == 409
    response = read(api, "olivia", dataSet="WORK", period="202601", orgUnit="TWN", idScheme="CODE")
    assert [r["value"] for r in response.json()["dataValues"]] == ["6"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"period": "202601", "orgUnit": "MED"}, "dataSet"),
        ({"dataSet": "WORK", "orgUnit": "MED"}, "期间"),
        ({"dataSet": "WORK", "period": "202601"}, "orgUnit"),
        ({"dataSet": "NOPE", "period": "202601", "orgUnit": "MED"}, "找不到报表：NOPE"),
        (
            {
                "dataSet": "WORK",
                "startDate": "2026-13-01",
                "endDate": "2026-02-01",
                "orgUnit": "MED",
            },
            "startDate",
        ),
    ],
)
def test_bad_reads(api, world, params, message):
    response = read(api, "admin", **params)
    assert response.status_code in (400, 409)
    assert message in response.json()["message"]


@pytest.mark.parametrize("path", ["/api/dataValueSets", "/api/dataValueSets.json"])
def test_a_form_post_is_refused_as_not_json_not_a_500(client, world, path):
    # A browser form or `curl -F` sends multipart, which the NUL check has parsed already:
    # reading the raw body after that raised RawPostDataException (a 500).
    from tests.api.conftest import basic_auth

    response = client.post(path, {"dataValues": "[]"}, **basic_auth("admin"))
    assert response.status_code == 415
    assert "multipart/form-data" in response.json()["message"]
    assert not DataValue.objects.exists()
