"""GET /api/analytics: hand-computed values through the engine, DHIS2's answer shape, scope."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from weijian.indicators.analytics import analyse
from weijian.indicators.models import Indicator, IndicatorType
from weijian.orgs.models import OrgUnitGroup
from weijian.periods import Period
from weijian.reporting import actions


@pytest.fixture
def figures(world):
    def save(clerk, unit, period, male, female, discharges):
        values = {("OPD", "MALE"): male, ("OPD", "FEMALE"): female, ("DIS", "default"): discharges}
        actions.save_values(clerk, world.form, unit, period, values)

    save(world.alice, world.medicine, "202601", 60, 40, 5)  # 5 / 100 = 5 %
    save(world.bob, world.surgery, "202601", 30, 20, 10)  # 10 / 50 = 20 %
    save(world.alice, world.medicine, "202602", 25, 25, 3)
    save(world.olivia, world.township, "202601", 10, 10, 1)
    return Indicator.objects.create(
        code="DIS_PER_VISIT", name="每百门急诊出院人次", numerator="#{DIS}", denominator="#{OPD}",
        type=IndicatorType.PERCENT, decimals=1,
    )  # fmt: skip


def analytics(api, username, *dimensions, **params):
    return api.as_(username).get("/api/analytics", {"dimension": list(dimensions), **params})


def test_a_percent_indicator_over_two_units_is_summed_before_dividing(api, world, figures):
    response = analytics(api, "victor", "dx:DIS_PER_VISIT", "pe:202601;2026Q1", "ou:MED;SUR;HOS",
                         outputIdScheme="CODE")  # fmt: skip
    assert response.status_code == 200, response.json()
    assert response.json()["rows"] == [
        ["DIS_PER_VISIT", "202601", "MED", "5"],
        ["DIS_PER_VISIT", "202601", "SUR", "20"],
        # (5 + 10) × 100 / (100 + 50) = 10, not the mean of 5 % and 20 %
        ["DIS_PER_VISIT", "202601", "HOS", "10"],
        # Q1 of 内科: (5 + 3) × 100 / (100 + 50) = 5.333… → 5.3 (one decimal)
        ["DIS_PER_VISIT", "2026Q1", "MED", "5.3"],
        ["DIS_PER_VISIT", "2026Q1", "SUR", "20"],
        # (5 + 3 + 10) × 100 / (150 + 50) = 9
        ["DIS_PER_VISIT", "2026Q1", "HOS", "9"],
    ]


def test_skip_rounding_gives_the_engines_exact_value(api, world, figures):
    response = analytics(
        api, "victor", "dx:DIS_PER_VISIT", "pe:2026Q1", "ou:MED", skipRounding="true"
    )
    [[_dx, _pe, _ou, value]] = response.json()["rows"]
    exact = analyse(["DIS_PER_VISIT"], [Period.parse("2026Q1")], [world.medicine]).value(
        "DIS_PER_VISIT", "2026Q1", "MED"
    )
    assert Decimal(value) == exact
    assert value.startswith("5.33333333")


def test_the_answer_has_dhis2s_shape_with_uids_by_default(api, world, figures):
    body = analytics(api, "victor", f"dx:{figures.uid};OPD.MALE", "pe:202601", "ou:HOS").json()
    assert [h["name"] for h in body["headers"]] == ["dx", "pe", "ou", "value"]
    assert body["headers"][3]["valueType"] == "NUMBER"
    assert body["width"] == body["headerWidth"] == 4 and body["height"] == 2
    operand = f"{world.visits.uid}.{world.male.uid}"
    assert body["rows"] == [
        [figures.uid, "202601", world.hospital.uid, "10"],
        [operand, "202601", world.hospital.uid, "90"],
    ]
    meta = body["metaData"]
    assert meta["dimensions"] == {
        "dx": [figures.uid, operand],
        "pe": ["202601"],
        "ou": [world.hospital.uid],
        "co": [],
    }
    assert meta["items"][figures.uid]["name"] == "每百门急诊出院人次"
    assert meta["items"][operand]["name"] == "门急诊人次（男）"
    assert meta["items"]["202601"]["name"] == "2026年1月"
    assert meta["items"][world.hospital.uid]["name"] == "人民医院"
    # dx, pe and ou may be given by uid too.
    by_uid = analytics(
        api, "victor", f"dx:{operand}", "pe:202601", f"ou:{world.hospital.uid}"
    ).json()
    assert by_uid["rows"] == [[operand, "202601", world.hospital.uid, "90"]]


def test_output_by_name(api, world, figures):
    body = analytics(api, "victor", "dx:OPD", "pe:202601", "ou:SUR", outputIdScheme="NAME").json()
    assert body["rows"] == [["门急诊人次", "202601", "外科", "50"]]


def test_levels_children_groups_and_user_units(api, world, figures):
    def units(username, ou):
        body = analytics(
            api, username, "dx:OPD", "pe:202601", f"ou:{ou}", outputIdScheme="CODE"
        ).json()
        return body["metaData"]["dimensions"]["ou"], {r[2]: r[3] for r in body["rows"]}

    assert units("admin", "BUR;LEVEL-3") == (["MED", "SUR"], {"MED": "100", "SUR": "50"})
    assert units("admin", "BUR;LEVEL-2") == (["HOS", "TWN"], {"HOS": "150", "TWN": "20"})
    assert units("admin", "HOS;CHILDREN")[0] == ["MED", "SUR"]
    assert units("admin", "LEVEL-2")[0] == ["HOS", "TWN"]  # inside the user's own units
    assert units("victor", "USER_ORGUNIT") == (["HOS"], {"HOS": "150"})
    assert units("victor", "USER_ORGUNIT_CHILDREN")[0] == ["MED", "SUR"]
    assert units("admin", "HOS;TWN")[0] == ["HOS", "TWN"]
    group = OrgUnitGroup.objects.create(code="SURGICAL", name="外科类")
    group.members.set([world.surgery])
    assert units("admin", "BUR;OU_GROUP-SURGICAL") == (["SUR"], {"SUR": "50"})


def test_filters_aggregate_away_a_single_item(api, world, figures):
    body = (
        api.as_("victor")
        .get(
            "/api/analytics",
            {
                "dimension": ["dx:DIS;OPD", "ou:MED;SUR"],
                "filter": "pe:2026Q1",
                "outputIdScheme": "CODE",
            },
        )
        .json()
    )
    assert [h["name"] for h in body["headers"]] == ["dx", "ou", "value"]
    assert body["rows"] == [
        ["DIS", "MED", "8"],
        ["DIS", "SUR", "10"],
        ["OPD", "MED", "150"],
        ["OPD", "SUR", "50"],
    ]
    assert body["metaData"]["dimensions"]["pe"] == ["2026Q1"]
    body = (
        api.as_("victor")
        .get(
            "/api/analytics",
            {
                "dimension": ["pe:202601;202602"],
                "filter": ["dx:DIS", "ou:HOS"],
                "outputIdScheme": "CODE",
            },
        )
        .json()
    )
    assert body["rows"] == [["202601", "15"], ["202602", "3"]]
    response = api.as_("victor").get(
        "/api/analytics", {"dimension": ["dx:DIS", "ou:HOS"], "filter": "pe:202601;202602"}
    )
    assert response.status_code == 409
    assert "只支持一个项目" in response.json()["message"]


@time_machine.travel(dt.datetime(2026, 3, 15, 12, tzinfo=dt.UTC), tick=False)
def test_relative_periods(api, world, figures):
    def periods(pe):
        body = analytics(api, "victor", "dx:DIS", f"pe:{pe}", "ou:HOS").json()
        return body["metaData"]["dimensions"]["pe"]

    assert periods("LAST_MONTH") == ["202602"]
    assert periods("THIS_QUARTER") == ["2026Q1"]
    assert periods("LAST_3_MONTHS") == ["202512", "202601", "202602"]
    assert periods("THIS_YEAR;LAST_YEAR") == ["2026", "2025"]
    assert periods("QUARTERS_THIS_YEAR") == ["2026Q1", "2026Q2", "2026Q3", "2026Q4"]
    assert len(periods("LAST_12_MONTHS")) == 12
    assert periods("LAST_SIX_MONTH") == ["2025S2"]


def test_the_outsider_cannot_query_the_hospital(api, world, figures):
    for ou in ("HOS", "MED", "BUR;LEVEL-3", world.hospital.uid):
        response = analytics(api, "olivia", "dx:DIS", "pe:202601", f"ou:{ou}")
        assert response.status_code == 409, ou
        assert "查看权限" in response.json()["message"]
        assert "rows" not in response.json()
    body = analytics(
        api, "olivia", "dx:DIS", "pe:202601", "ou:USER_ORGUNIT", outputIdScheme="CODE"
    ).json()
    assert body["rows"] == [["DIS", "202601", "TWN", "1"]]


@pytest.mark.parametrize(
    ("dimensions", "message"),
    [
        (["dx:NOPE;DIS", "pe:202601", "ou:HOS"], "找不到指标或数据元：NOPE"),
        (["dx:OPD.NOPE", "pe:202601", "ou:HOS"], "找不到指标或数据元：OPD.NOPE"),
        (["dx:DIS", "pe:2026-01", "ou:HOS"], "不是有效的期间编码"),
        (["dx:DIS", "pe:202601", "ou:NOWHERE"], "找不到组织机构：NOWHERE"),
        (["dx:DIS", "pe:202601", "ou:HOS;LEVEL-x"], "不是有效的层级"),
        (["dx:DIS", "pe:202601"], "缺少维度“ou”"),
        (["dx:DIS", "pe:202601", "ou:HOS", "co:x"], "不支持的维度“co”"),
        (["dx:DIS", "pe:", "ou:HOS"], "维度“pe”没有指定任何项目"),
        (["dx:DIS", "dx:OPD", "pe:202601", "ou:HOS"], "维度“dx”重复出现"),
        (["dx:DIS", "pe:202601", "ou:MED;LEVEL-2"], "没有得到任何机构"),
    ],
)
def test_bad_queries_are_409_in_chinese(api, world, dimensions, message):
    response = analytics(api, "admin", *dimensions)
    assert response.status_code == 409
    assert message in response.json()["message"]


def test_a_broken_stored_indicator_is_a_409_not_a_500(api, world):
    Indicator.objects.create(
        code="LOOP1", name="环1", numerator="N{LOOP2}", type=IndicatorType.NUMBER
    )
    Indicator.objects.create(
        code="LOOP2", name="环2", numerator="N{LOOP1}", type=IndicatorType.NUMBER
    )
    response = analytics(api, "admin", "dx:LOOP1", "pe:202601", "ou:HOS")
    assert response.status_code == 409
    assert "循环" in response.json()["message"]
