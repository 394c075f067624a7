"""Hostile or odd input never makes a 500 nor an English traceback, and changes nothing."""

from __future__ import annotations

import json

import pytest

from weijian.indicators.models import Indicator
from weijian.orgs.models import OrgUnit
from weijian.reporting.models import DataValue

GETS = [
    "/api/organisationUnits?level=99999999999999999999999",
    "/api/organisationUnits?filter=level:gt:99999999999999999999999",
    "/api/organisationUnits?page=99999999999999999999&pageSize=99999999999999",
    "/api/organisationUnits?fields=" + "a[" * 50,
    "/api/organisationUnits?fields=name~rename(x",
    "/api/dataElements?filter=name:in:",
    "/api/dataElements?filter=:::",
    "/api/dataElements?order=:desc,,name",
    "/api/dataSets/%E4%B8%AD%E6%96%87",
    "/api/analytics?dimension=dx:DIS&dimension=pe:202601&dimension=ou:HOS;LEVEL-99999999999999999999",
    "/api/analytics?dimension=dx:DIS&dimension=pe:99999Q9&dimension=ou:HOS",
    "/api/analytics?dimension=dx:DIS&dimension=pe:LAST_99999999999_MONTHS&dimension=ou:HOS",
    "/api/analytics?dimension=dx&dimension=pe:202601&dimension=ou:HOS",
    "/api/analytics?filter=pe:202601",
    "/api/analytics?dimension=dx:"
    + ";".join(f"X{i}" for i in range(500))
    + "&dimension=pe:2026&dimension=ou:HOS",
    "/api/dataValueSets?dataSet=WORK&period=202601&orgUnit=MED&limit=99999999999999999999999",
    "/api/dataValueSets?dataSet=WORK&startDate=x&endDate=y&orgUnit=MED",
    "/api/dataValues?de=DIS&pe=202601&ou=MED&co=%E2%80%AE",
    "/api/dataValues?de=&pe=&ou=",
]


@pytest.mark.parametrize("url", GETS)
def test_odd_reads_are_answered_in_chinese(api, world, url):
    response = api.as_("admin").get(url)
    assert response.status_code < 500, response.content
    assert response["Content-Type"].startswith("application/json")
    if response.status_code >= 400:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in response.json()["message"])


POSTS = [
    ("/api/dataValueSets", "[" * 100000 + "]" * 100000, "application/json"),
    (
        "/api/dataValueSets",
        '{"dataValues": [{"dataElement": "DIS", "period": "202601", "orgUnit": "MED", "value": "\\ud800"}]}',
        "application/json",
    ),
    (
        "/api/dataValueSets",
        '{"dataValues": [{"dataElement": "NOTE", "period": "202601", "orgUnit": "MED", "value": "'
        + "长" * 2000
        + '"}]}',
        "application/json",
    ),
    (
        "/api/dataValueSets",
        '{"dataValues": [{"dataElement": "DIS", "period": "202601", "orgUnit": "MED", "value": 1e400}]}',
        "application/json",
    ),
    (
        "/api/dataValueSets",
        '{"dataValues": [{"dataElement": ["DIS"], "period": 202601, "orgUnit": null, "value": true}]}',
        "application/json",
    ),
    ("/api/dataValueSets", 'a,b\n"unterminated', "application/csv"),
    ("/api/dataValueSets", "<dataValueSet/>", "application/xml"),
    ("/api/dataValues?de=DIS&pe=202601&ou=MED", '{"value": {"x": 1}}', "application/json"),
    (
        "/api/metadata",
        '{"organisationUnits": [{"code": "X", "name": "' + "名" * 300 + '"}]}',
        "application/json",
    ),
    (
        "/api/metadata",
        '{"indicators": [{"code": "I1", "name": "i", "numerator": "'
        + "1+" * 3000
        + '1", "indicatorType": "NUMBER"}]}',
        "application/json",
    ),
    ("/api/metadata", '{"indicatorTypes": [{"code": "T", "factor": "sNaN"}]}', "application/json"),
    (
        "/api/metadata",
        '{"dataSets": [{"code": "F1", "name": "f", "periodType": "Monthly", "timelyDays": 1e999}]}',
        "application/json",
    ),
    (
        "/api/metadata",
        '{"organisationUnits": [{"code": "Y", "name": "y", "openingDate": "2020-02-30"}]}',
        "application/json",
    ),
    ("/api/metadata", '{"organisationUnits": [1, "x", null]}', "application/json"),
    ("/api/metadata", '"just a string"', "application/json"),
]


@pytest.mark.parametrize(("url", "body", "content_type"), POSTS)
def test_odd_writes_change_nothing_and_answer_in_chinese(api, world, url, body, content_type):
    units, indicators = OrgUnit.objects.count(), Indicator.objects.count()
    response = api.as_("admin").post_raw(url, body.encode("utf-8", "surrogatepass"), content_type)
    assert response.status_code < 500, response.content
    assert response.status_code >= 400
    body = response.json()
    text = json.dumps(body, ensure_ascii=False)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text)
    assert "Traceback" not in text
    assert not DataValue.objects.exists()
    assert (OrgUnit.objects.count(), Indicator.objects.count()) == (units, indicators)


def test_csv_in_an_unknown_encoding_is_400(api, world):
    response = api.as_("admin").post_raw("/api/dataValueSets", b"a,b\n\xff\xff\xff", "text/csv")
    assert response.status_code == 400
    assert "编码无法识别" in response.json()["message"]


def test_a_wrong_method_is_405(api, world):
    response = api.as_("admin").client.put("/api/dataValueSets", **api.as_("admin").headers)
    assert response.status_code == 405


def test_update_by_uid_alone_keeps_the_code(api, world):
    response = api.as_("admin").post(
        "/api/metadata", {"organisationUnits": [{"id": world.surgery.uid, "name": "外科（新）"}]}
    )
    assert response.status_code == 200, response.json()
    world.surgery.refresh_from_db()
    assert (world.surgery.code, world.surgery.name) == ("SUR", "外科（新）")


def test_a_power_beyond_the_number_range_is_refused_in_chinese_when_imported(api, world):
    payload = {
        "indicators": [
            {"code": "HUGE", "name": "巨大", "numerator": "2^99999999", "denominator": "1",
             "indicatorType": "NUMBER"}
        ]
    }  # fmt: skip
    response = api.as_("admin").post("/api/metadata", payload)
    assert response.status_code == 409
    report = response.json()["response"]["typeReports"][0]["objectReports"][0]
    assert "“2^99999999”的结果超出数值范围" in report["errorReports"][0]["message"]
    assert not Indicator.objects.filter(code="HUGE").exists()


def test_huge_or_wide_results_answer_analytics_without_a_500(api, world):
    from weijian.indicators.models import IndicatorType
    from weijian.reporting import actions

    actions.save_values(
        world.alice, world.form, world.medicine, "202601", {("DIS", "default"): "9"}
    )
    # 10^(9 × 999999): a finite Decimal far beyond the range, so no value (it was a 500).
    Indicator.objects.create(code="POW", name="乘方", numerator="10 ^ (#{DIS} * 999999)",
                             denominator="1", type=IndicatorType.NUMBER)  # fmt: skip
    # 9 × 10^24 with 10 decimals: 35 digits, more than Python's default 28 when rounded.
    Indicator.objects.create(code="WIDE", name="宽", numerator="#{DIS} * 10 ^ 24",
                             denominator="1", type=IndicatorType.NUMBER, decimals=10)  # fmt: skip
    url = "/api/analytics?dimension=dx:POW;WIDE&dimension=pe:202601&dimension=ou:MED&outputIdScheme=CODE"
    response = api.as_("admin").get(url)
    assert response.status_code == 200, response.content
    rows = response.json()["rows"]
    assert [(r[0], r[-1]) for r in rows] == [("WIDE", "9000000000000000000000000")]
