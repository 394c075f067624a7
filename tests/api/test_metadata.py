"""POST /api/metadata: DHIS2 metadata by code (or uid), per-object errors in Chinese."""

from __future__ import annotations

import pytest

from weijian.indicators.models import Indicator, IndicatorType, ValidationRule
from weijian.orgs.models import OrgUnit
from weijian.reporting.models import CategoryOption, DataElement, Form

PAYLOAD = {
    "system": {"version": "2.40.0"},
    "organisationUnits": [
        # The child comes first: its parent is created later in the same list.
        {"code": "NEW_DEPT", "name": "新院儿科", "shortName": "儿科", "parent": {"code": "NEW_HOS"},
         "openingDate": "2024-01-01T00:00:00.000"},
        {"code": "NEW_HOS", "name": "新区医院", "parent": {"code": "BUR"}, "type": "HOSPITAL"},
    ],
    "categoryOptions": [{"code": "AGE_U5", "name": "5岁以下"}, {"code": "AGE_5P", "name": "5岁及以上"}],
    "categories": [
        {"code": "AGE", "name": "年龄组", "categoryOptions": [{"code": "AGE_U5"}, {"code": "AGE_5P"}]}
    ],
    "categoryCombos": [{"id": "cmbAgeGroup1", "code": "AGE_COMBO", "name": "年龄组",
                        "categories": [{"code": "AGE"}]}],
    "dataElements": [
        {"code": "PED_VISITS", "name": "儿科门诊人次", "shortName": "儿科门诊", "valueType": "INTEGER_ZERO_OR_POSITIVE",
         "aggregationType": "SUM", "domainType": "AGGREGATE", "categoryCombo": {"id": "cmbAgeGroup1"}},
        {"id": "pedBedDays1", "code": "PED_BED_DAYS", "name": "儿科实际占用床日", "valueType": "INTEGER_POSITIVE",
         "aggregationType": "SUM"},
        {"code": "PED_BEDS", "name": "儿科编制床位", "valueType": "NUMBER", "aggregationType": "LAST",
         "categoryCombo": {"code": "default"}},
    ],
    "dataSets": [
        {"code": "PED_MONTHLY", "name": "儿科月报", "periodType": "Monthly", "timelyDays": 10,
         "dataSetElements": [{"dataElement": {"code": "PED_VISITS"}}, {"dataElement": {"id": "pedBedDays1"}}],
         "organisationUnits": [{"code": "NEW_DEPT"}]},
        {"code": "PED_YEARLY", "name": "儿科年报", "periodType": "Yearly",
         "dataSetElements": [{"dataElement": {"code": "PED_BEDS"}}],
         "organisationUnits": [{"code": "NEW_DEPT"}]},
    ],
    "indicatorTypes": [{"code": "PCT", "name": "Percent", "factor": 100}, {"id": "perThous01", "code": "PM", "factor": 1000}],
    "indicators": [
        {"code": "PED_BED_USE", "name": "儿科床位使用率", "numerator": "#{PED_BED_DAYS}",
         "denominator": "#{PED_BEDS} * 30", "indicatorType": {"code": "PCT"}, "decimals": 1},
        {"code": "PED_U5_SHARE", "name": "5岁以下占比", "numerator": "#{PED_VISITS.AGE_U5}",
         "denominator": "#{PED_VISITS}", "indicatorType": {"id": "perThous01"}},
    ],
    "validationRules": [
        {"code": "PED_U5_LE_ALL", "name": "5岁以下不超过合计", "leftSide": {"expression": "#{PED_VISITS.AGE_U5}",
         "missingValueStrategy": "NEVER_SKIP"}, "operator": "less_than_or_equal_to",
         "rightSide": {"expression": "#{PED_VISITS}"}, "importance": "HIGH"},
    ],
}  # fmt: skip


def post(api, username, payload, **params):
    return api.as_(username).post("/api/metadata", payload, params)


def report(response) -> dict:
    return response.json()["response"]


def stats(response) -> dict[str, dict]:
    return {t["klass"].rsplit(".", 1)[1]: t["stats"] for t in report(response)["typeReports"]}


def test_a_full_import_by_code(api, world):
    response = post(api, "admin", PAYLOAD)
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "OK"
    body = report(response)
    assert body["status"] == "OK"
    assert body["stats"] == {"created": 13, "updated": 0, "deleted": 0, "ignored": 3, "total": 16}
    assert stats(response)["OrganisationUnit"]["created"] == 2
    assert stats(response)["IndicatorType"] == {
        "created": 0, "updated": 0, "deleted": 0, "ignored": 2, "total": 2,
    }  # fmt: skip

    dept = OrgUnit.objects.get(code="NEW_DEPT")
    hospital = OrgUnit.objects.get(code="NEW_HOS")
    assert dept.get_parent() == hospital and hospital.get_parent() == world.bureau
    assert hospital.type == "HOSPITAL" and dept.type == "OTHER" and dept.short_name == "儿科"
    assert str(dept.opening_date) == "2024-01-01"
    visits = DataElement.objects.get(code="PED_VISITS")
    assert visits.category.code == "AGE"
    assert [m.option.code for m in visits.category.categorymembership_set.all()] == [
        "AGE_U5",
        "AGE_5P",
    ]
    bed_days = DataElement.objects.get(uid="pedBedDays1")
    assert bed_days.code == "PED_BED_DAYS" and bed_days.min_value == 1
    assert DataElement.objects.get(code="PED_BEDS").aggregation_type == "LAST"
    monthly = Form.objects.get(code="PED_MONTHLY")
    assert monthly.period_type == "MONTHLY" and monthly.due_days == 10
    assert [fe.element.code for fe in monthly.form_elements.all()] == ["PED_VISITS", "PED_BED_DAYS"]
    assert list(monthly.org_units.all()) == [dept]
    assert Form.objects.get(code="PED_YEARLY").period_type == "YEARLY"
    bed_use = Indicator.objects.get(code="PED_BED_USE")
    assert (bed_use.type, bed_use.decimals, bed_use.denominator) == (
        IndicatorType.PERCENT,
        1,
        "#{PED_BEDS} * 30",
    )
    assert Indicator.objects.get(code="PED_U5_SHARE").type == IndicatorType.PER_THOUSAND
    rule = ValidationRule.objects.get(code="PED_U5_LE_ALL")
    assert (rule.operator, rule.importance, rule.missing_value_strategy) == (
        "less_than_or_equal_to", "HIGH", "NEVER_SKIP",
    )  # fmt: skip


def test_importing_again_updates_by_code(api, world):
    post(api, "admin", PAYLOAD)
    changed = {
        "organisationUnits": [
            {"code": "NEW_DEPT", "name": "儿科（更名）", "parent": {"code": "HOS"}}
        ],
        "dataElements": [{"code": "PED_BEDS", "name": "儿科床位", "aggregationType": "AVERAGE"}],
        "dataSets": [
            {"code": "PED_MONTHLY", "dataSetElements": [{"dataElement": {"code": "PED_VISITS"}}]}
        ],
        "indicators": [
            {"code": "PED_BED_USE", "decimals": 2, "indicatorType": {"code": "PER_HUNDRED"}}
        ],
    }
    response = post(api, "admin", changed)
    assert response.status_code == 200, response.json()
    assert report(response)["stats"]["updated"] == 4
    dept = OrgUnit.objects.get(code="NEW_DEPT")
    assert dept.name == "儿科（更名）" and dept.get_parent() == world.hospital
    assert DataElement.objects.get(code="PED_BEDS").aggregation_type == "AVERAGE"
    assert [fe.element.code for fe in Form.objects.get(code="PED_MONTHLY").form_elements.all()] == [
        "PED_VISITS"
    ]
    assert (
        Form.objects.get(code="PED_MONTHLY").org_units.count() == 1
    )  # untouched: not in the payload
    bed_use = Indicator.objects.get(code="PED_BED_USE")
    assert (bed_use.decimals, bed_use.type, bed_use.numerator) == (
        2,
        "PER_HUNDRED",
        "#{PED_BED_DAYS}",
    )


def test_bad_objects_are_ignored_whole_with_chinese_reasons(api, world):
    payload = {
        "dataElements": [
            {"code": "GOOD", "name": "好的数据元"},
            {"code": "BAD TYPE", "name": "坏编码"},
            {"code": "BAD_VT", "name": "坏类型", "valueType": "FILE_RESOURCE"},
        ],
        "indicators": [
            {"code": "IND_OK", "name": "好指标", "numerator": "#{GOOD}", "indicatorType": {"code": "NUMBER"}},
            {"code": "IND_SYNTAX", "name": "语法错", "numerator": "#{GOOD} +", "denominator": "1",
             "indicatorType": {"code": "NUMBER"}},
            {"code": "IND_REF", "name": "引用错", "numerator": "#{NOPE}", "indicatorType": {"code": "NUMBER"}},
            {"code": "IND_TYPE", "name": "类型错", "numerator": "#{GOOD}", "indicatorType": {"code": "WEIRD"}},
        ],
    }  # fmt: skip
    response = post(api, "admin", payload)
    assert response.status_code == 409
    body = report(response)
    assert body["status"] == "WARNING"
    assert body["stats"] == {"created": 2, "updated": 0, "deleted": 0, "ignored": 5, "total": 7}
    errors = {
        o["index"]: o["errorReports"][0]["message"]
        for t in body["typeReports"]
        for o in t["objectReports"]
        if t["klass"].endswith("Indicator")
    }
    assert errors[1].startswith("IND_SYNTAX：分子表达式有误：")
    assert errors[2] == "IND_REF：分子表达式引用了不存在的对象：数据元“NOPE”"
    assert "找不到指标类型“WEIRD”" in errors[3]
    element_errors = [
        o
        for t in body["typeReports"]
        if t["klass"].endswith("DataElement")
        for o in t["objectReports"]
    ]
    assert [o["index"] for o in element_errors] == [1, 2]
    assert "编码“BAD TYPE”无效" in element_errors[0]["errorReports"][0]["message"]
    assert "不支持的值类型“FILE_RESOURCE”" in element_errors[1]["errorReports"][0]["message"]
    assert set(DataElement.objects.values_list("code", flat=True)) == {"OPD", "DIS", "NOTE", "GOOD"}
    assert list(Indicator.objects.values_list("code", flat=True)) == ["IND_OK"]


def test_nothing_partial_within_one_object(api, world):
    payload = {"dataSets": [{"code": "HALF", "name": "半个报表", "periodType": "Monthly",
                             "dataSetElements": [{"dataElement": {"code": "DIS"}}, {"dataElement": {"code": "NOPE"}}]}]}  # fmt: skip
    response = post(api, "admin", payload)
    assert response.status_code == 409
    assert (
        "找不到数据元：NOPE"
        in report(response)["typeReports"][0]["objectReports"][0]["errorReports"][0]["message"]
    )
    assert not Form.objects.filter(code="HALF").exists()


def test_atomic_all_and_dry_run_keep_nothing(api, world):
    payload = {"categoryOptions": [{"code": "OK1", "name": "一"}, {"code": "", "name": "无编码"}]}
    response = post(api, "admin", payload, atomicMode="ALL")
    assert response.status_code == 409
    assert report(response)["status"] == "ERROR"
    assert report(response)["stats"]["created"] == 0
    assert not CategoryOption.objects.filter(code="OK1").exists()
    response = post(api, "admin", PAYLOAD, dryRun="true")
    assert response.status_code == 200
    assert report(response)["stats"]["created"] == 13
    assert not OrgUnit.objects.filter(code="NEW_HOS").exists()
    assert not Indicator.objects.exists()
    response = post(api, "admin", PAYLOAD, importMode="VALIDATE")
    assert not DataElement.objects.filter(code="PED_VISITS").exists()


def test_create_and_update_strategies(api, world):
    payload = {
        "categoryOptions": [{"code": "MALE", "name": "男性"}, {"code": "NEWOPT", "name": "新"}]
    }
    response = post(api, "admin", payload, importStrategy="CREATE")
    assert report(response)["stats"]["created"] == 1 and report(response)["stats"]["ignored"] == 1
    assert CategoryOption.objects.get(code="MALE").name == "男"
    payload = {
        "categoryOptions": [{"code": "MALE", "name": "男性"}, {"code": "OTHER", "name": "其他"}]
    }
    response = post(api, "admin", payload, importStrategy="UPDATE")
    assert report(response)["stats"]["updated"] == 1 and report(response)["stats"]["ignored"] == 1
    assert CategoryOption.objects.get(code="MALE").name == "男性"
    assert not CategoryOption.objects.filter(code="OTHER").exists()
    response = post(api, "admin", payload, importStrategy="DELETE")
    assert response.status_code == 400


def test_uid_references_in_expressions_become_codes(api, world):
    numerator = f"#{{{world.visits.uid}.{world.male.uid}}}"
    payload = {"indicators": [{"code": "MALE_SHARE", "name": "男性占比", "numerator": numerator,
                               "denominator": f"#{{{world.visits.uid}}}", "indicatorType": {"code": "PERCENT"}}]}  # fmt: skip
    response = post(api, "admin", payload)
    assert response.status_code == 200, response.json()
    indicator = Indicator.objects.get(code="MALE_SHARE")
    assert (indicator.numerator, indicator.denominator) == ("#{OPD.MALE}", "#{OPD}")


def test_indicator_cycles_are_refused(api, world):
    payload = {"indicators": [
        {"code": "A", "name": "甲", "numerator": "#{DIS}", "indicatorType": {"code": "NUMBER"}},
        {"code": "B", "name": "乙", "numerator": "N{A}", "indicatorType": {"code": "NUMBER"}},
    ]}  # fmt: skip
    assert post(api, "admin", payload).status_code == 200
    response = post(api, "admin", {"indicators": [{"code": "A", "numerator": "N{B}"}]})
    assert response.status_code == 409
    assert (
        "循环"
        in report(response)["typeReports"][0]["objectReports"][0]["errorReports"][0]["message"]
    )
    assert Indicator.objects.get(code="A").numerator == "#{DIS}"


def test_elements_with_data_keep_their_category_and_type(api, world):
    from weijian.reporting import actions

    actions.save_values(
        world.alice, world.form, world.medicine, "202601", {("DIS", "default"): "3"}
    )
    payload = {
        "dataElements": [
            {"code": "DIS", "valueType": "TEXT"},
            {"code": "DIS", "categoryCombo": {"code": "SEX"}},
        ]
    }
    response = post(api, "admin", payload)
    messages = [
        o["errorReports"][0]["message"] for o in report(response)["typeReports"][0]["objectReports"]
    ]
    assert messages == ["DIS：数据元已有数据，不能更改值类型", "DIS：数据元已有数据，不能更改分类"]
    assert DataElement.objects.get(code="DIS").value_type == "INTEGER_ZERO_OR_POSITIVE"


def test_unsupported_types_are_reported(api, world):
    response = post(api, "admin", {"programs": [{"code": "P"}], "system": {"id": "x"}})
    assert response.status_code == 409
    [type_report] = report(response)["typeReports"]
    assert "暂不支持导入“programs”" in type_report["objectReports"][0]["errorReports"][0]["message"]


@pytest.mark.parametrize("username", ["alice", "rita", "victor", "olivia"])
def test_only_bureau_admins_may_import(api, world, username):
    response = post(api, username, PAYLOAD)
    assert response.status_code == 403
    assert "局管理员" in response.json()["message"]
    assert not OrgUnit.objects.filter(code="NEW_HOS").exists()


def test_institution_admins_are_not_enough(api, world):
    from weijian.orgs.models import Role, RoleAssignment

    RoleAssignment.objects.create(
        user=world.bob, org_unit=world.hospital, role=Role.INSTITUTION_ADMIN
    )
    assert post(api, "bob", PAYLOAD).status_code == 403
    world.bob.is_superuser = True
    world.bob.save()
    assert post(api, "bob", {"categoryOptions": [{"code": "X1", "name": "x"}]}).status_code == 200


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"organisationUnits": [{"code": "LOOP", "name": "x", "parent": {"code": "NOWHERE"}}]}, "找不到上级机构“NOWHERE”"),
        ({"organisationUnits": [{"code": "HOS", "parent": {"code": "MED"}}]}, "上级机构不能是本机构或其下级机构"),
        ({"organisationUnits": [{"id": "bad", "code": "X2", "name": "x"}]}, "UID“bad”无效"),
        ({"organisationUnits": [{"id": "abcdefghijk", "code": "HOS", "name": "x"}]}, "与导入的“abcdefghijk”不一致"),
        ({"dataSets": [{"code": "W2", "name": "x", "periodType": "Weekly"}]}, "不支持的报告周期“Weekly”"),
        ({"dataElements": [{"code": "E2", "name": "x", "aggregationType": "MAX"}]}, "不支持的汇总方式“MAX”"),
        ({"indicatorTypes": [{"code": "T", "factor": 7}]}, "不支持的指标系数“7”"),
        ({"categoryCombos": [{"code": "C2", "categories": [{"code": "SEX"}, {"code": "SEX2"}]}]}, "找不到分类"),
        ({"validationRules": [{"code": "R1", "name": "r", "leftSide": {"expression": "#{DIS}"},
                               "rightSide": {"expression": "#{OPD}"}, "operator": "approx"}]}, "运算符“approx”无效"),
        ({"validationRules": [{"code": "R1", "name": "r", "leftSide": {"expression": "#{DIS}"},
                               "operator": "equal_to"}]}, "缺少右侧表达式"),
        ({"dataElements": "nope"}, "“dataElements”应为数组"),
    ],
)  # fmt: skip
def test_bad_metadata_messages(api, world, payload, message):
    response = post(api, "admin", payload)
    assert response.status_code == 409, response.json()
    messages = [
        e["message"]
        for t in report(response)["typeReports"]
        for o in t["objectReports"]
        for e in o["errorReports"]
    ]
    assert any(message in m for m in messages), messages


def test_bad_json_is_400(api, world):
    response = api.as_("admin").post_raw("/api/metadata", "{oops", "application/json")
    assert response.status_code == 400
    assert "不是有效的 JSON" in response.json()["message"]


def test_imported_metadata_is_usable_for_data_entry_and_analytics(api, world):
    post(api, "admin", PAYLOAD)
    rows = {"dataValues": [
        {"dataElement": "PED_BED_DAYS", "period": "202601", "orgUnit": "NEW_DEPT", "value": "45"},
        {"dataElement": "PED_BEDS", "period": "2025", "orgUnit": "NEW_DEPT", "value": "2"},
        {"dataElement": "PED_VISITS", "categoryOptionCombo": "AGE_U5", "period": "202601", "orgUnit": "NEW_DEPT", "value": "30"},
        {"dataElement": "PED_VISITS", "categoryOptionCombo": "AGE_5P", "period": "202601", "orgUnit": "NEW_DEPT", "value": "70"},
    ]}  # fmt: skip
    response = api.as_("admin").post("/api/dataValueSets", rows, {"idScheme": "CODE"})
    assert response.status_code == 200, response.json()
    response = api.as_("admin").get(
        "/api/analytics",
        {
            "dimension": ["dx:PED_U5_SHARE;PED_VISITS", "pe:202601", "ou:NEW_HOS"],
            "outputIdScheme": "CODE",
        },
    )
    # 30 / (30 + 70) × 1000 = 300 ‰
    assert sorted(response.json()["rows"]) == [
        ["PED_U5_SHARE", "202601", "NEW_HOS", "300"],
        ["PED_VISITS", "202601", "NEW_HOS", "100"],
    ]
