"""Rates whose numerator is a part of their denominator (infections among discharges): the
library says so, a validation rule numerator ≤ denominator is derived from it and flags the
report on entry and in 数据校验, and the dashboard and pivot flag a value above 100 %."""

import datetime as dt

import pytest
import time_machine

from tests.indicators.test_library_files import indicator, refused, write
from tests.world import PASSWORD
from weijian.indicators.library import read_library
from weijian.indicators.library.files import bound_rule_code
from weijian.indicators.library_sync import load_library
from weijian.indicators.models import Indicator, ValidationRule
from weijian.reporting import actions

# Percentage indicators of the shipped library that may honestly pass 100 %, with the reason.
# A new percentage indicator must be added here or declare numerator_within_denominator.
MAY_PASS_100 = {
    "HAI_INCIDENCE_EPISODES": "例次：一名患者可多次感染",
    "HAI_PREVALENCE_EPISODES": "例次",
    "STAT_BED_OCCUPANCY": "加床时占用床日可超过开放床日",
    "MCH_SYS_MGMT_RATE": "孕产妇人数比活产数：双胎、死产使两者不是部分与整体",
    "PHS_EARLY_PREGNANCY_REG_RATE": "同上",
    "PHS_POSTPARTUM_VISIT_RATE": "同上",
    "NUR_TURNOVER_RATE": "离职护士不在期末护士数之内",
    "PHS_HTN_MGMT_RATE": "分母是按患病率估算的人数",
    "PHS_T2D_MGMT_RATE": "分母是按患病率估算的人数",
    "PERF2_MED_SERVICE_RATIO": "分子是分母减去几项收入，规则只能检查各项非负，不是上限",
    "PERF3_MED_SERVICE_RATIO": "分子引用指标 N{…}，规则只比较数据元",
}


def test_every_percentage_of_the_library_is_decided_either_way():
    library = read_library()
    percent = {s.code for s in library.indicators if s.type == "PERCENT"}
    reporting_rates = {c for c in percent if c.startswith("RPT_")}  # R{…}: computed, ≤ 100 %
    bounded = {s.code for s in library.indicators if s.numerator_within_denominator}
    assert bounded <= percent
    assert percent - reporting_rates - bounded == set(MAY_PASS_100)
    # 63 before family_doctor.yaml, whose two rates (签约覆盖率: signed ÷ residents; 重点人群签约率:
    # signed key-group people ÷ key-group people) are parts of their wholes: 63 + 2 = 65
    assert len(bounded) == 65
    assert {"FDS_SIGN_RATE", "FDS_KEY_SIGN_RATE"} <= bounded


def test_every_bounded_rate_is_checked_by_a_rule_written_or_derived():
    library = read_library()
    checked = {
        ("".join(r.left.split()), "".join(r.right.split()))
        for r in library.validation_rules
        if r.operator == "less_than_or_equal_to"
    }
    for spec in library.indicators:
        if spec.numerator_within_denominator:
            pair = ("".join(spec.numerator.split()), "".join(spec.denominator.split()))
            assert pair in checked, spec.code


def test_a_rule_is_derived_once_per_pair_and_not_where_one_is_written(tmp_path):
    written = {"code": "VR_A_LE_B", "name": "甲不大于乙", "left": "#{A}",
               "operator": "less_than_or_equal_to", "right": "#{B}", "importance": "HIGH"}  # fmt: skip
    path = write(
        tmp_path,
        indicators=[
            indicator(code="T_AB", numerator_within_denominator=True),  # written rule: none
            indicator(
                code="T_CD", numerator="#{C}", denominator="#{D}", numerator_within_denominator=True
            ),  # fmt: skip
            indicator(
                code="T_CD2",
                numerator="#{C} ",
                denominator=" #{D}",
                numerator_within_denominator=True,
            ),  # fmt: skip  # same pair: one rule
            indicator(code="T_EF", numerator="#{E}", denominator="#{F}"),  # not declared
        ],
        rules=[written],
    )
    rules = {r.code: r for r in read_library([path]).validation_rules}
    assert set(rules) == {"VR_A_LE_B", bound_rule_code("T_CD")}
    derived = rules["VR_T_CD_NUM_LE_DEN"]
    assert (derived.left, derived.operator, derived.right, derived.importance) == (
        "#{C}",
        "less_than_or_equal_to",
        "#{D}",
        "MEDIUM",
    )
    assert derived.name == "测试率不超过100%（分子不大于分母）"
    assert derived.description.startswith("甲大于乙，测试率将超过100%")


@pytest.mark.parametrize(
    "overrides, reason",
    [
        (
            {"numerator_within_denominator": "yes"},
            "numerator_within_denominator 应为 true 或 false",
        ),
        (
            {"numerator_within_denominator": True, "numerator": "R{WORK.ACTUAL_REPORTS}"},
            "只适用于分子、分母都由数据元组成的指标（此处含 R{WORK.ACTUAL_REPORTS}）",
        ),
    ],
)
def test_the_declaration_is_refused_where_it_cannot_be_checked(tmp_path, overrides, reason):
    error = refused(write(tmp_path, indicators=[indicator(**overrides)]))
    assert reason in str(error) and "T_RATE" in str(error)


@pytest.fixture
def bounded(world, tmp_path):
    """出院率 = 出院人次 (DIS) ÷ 门急诊人次 (OPD), declared a part of the whole (for the test),
    loaded as the library is: the indicator flagged, the rule derived."""
    path = write(
        tmp_path,
        indicators=[
            indicator(
                code="T_DIS_SHARE",
                name="出院占比",
                numerator="#{DIS}",
                denominator="#{OPD}",
                numerator_description="出院人次",
                denominator_description="门急诊人次",
                numerator_within_denominator=True,
                decimals=1,
            ),  # fmt: skip
        ],
    )
    load_library(read_library([path]))
    # 202611 at 内科: 9 discharges of 1 + 1 visits → 9 / 2 × 100 = 450 %
    bad = {("OPD", "MALE"): "1", ("OPD", "FEMALE"): "1", ("DIS", "default"): "9"}
    actions.save_values(world.alice, world.form, world.medicine, "202611", bad)
    return world


def test_the_derived_rule_is_loaded_with_the_flag(bounded):
    assert Indicator.objects.get(code="T_DIS_SHARE").numerator_within_denominator
    rule = ValidationRule.objects.get(code="VR_T_DIS_SHARE_NUM_LE_DEN")
    assert (rule.left, rule.right, rule.importance) == ("#{DIS}", "#{OPD}", "MEDIUM")


def test_the_entry_page_flags_the_report(client, bounded):
    client.login(username="alice", password=PASSWORD)
    page = client.get("/forms/WORK/MED/202611/").content.decode()
    assert "出院占比不超过100%（分子不大于分母）" in page
    client.login(username="olivia", password=PASSWORD)
    assert client.get("/forms/WORK/MED/202611/").status_code == 404


def test_data_validation_lists_it(client, bounded):
    client.login(username="rita", password=PASSWORD)
    page = client.get("/validation/?ou=HOS&pe=202611").content.decode()
    assert "出院占比不超过100%（分子不大于分母）" in page and "人民医院 / 内科" in page
    client.login(username="olivia", password=PASSWORD)
    assert client.get("/validation/?ou=HOS&pe=202611").status_code == 404


@time_machine.travel(dt.datetime(2026, 12, 7, 9, 0))
def test_the_dashboard_flags_a_rate_above_100_percent(client, bounded):
    client.login(username="alice", password=PASSWORD)
    page = client.get("/dashboard/").content.decode()
    # November and the year so far: 9 / 2 × 100 = 450.0 % — shown, and flagged
    assert "450.0%" in page
    assert page.count("超过100%，数据待核") == 2
    assert "1 项比率超过 100%" in page  # one indicator, flagged in both columns
    assert "/validation/?ou=MED&pe=202611" in page
    actions.save_values(
        bounded.alice, bounded.form, bounded.medicine, "202611", {("DIS", "default"): "1"}
    )
    assert "超过100%" not in client.get("/dashboard/").content.decode()  # 1 / 2 = 50 %


def test_the_pivot_flags_a_cell_above_100_percent(client, bounded):
    client.login(username="rita", password=PASSWORD)
    page = client.get("/pivot/?dx=T_DIS_SHARE&pe=202610;202611&ou=HOS").content.decode()
    assert page.count("超过100%</span>") == 1  # November only (October has no value)
