"""Who leads the answer to a problem (documents/offices.yaml): one test per mapping, each with
the reason (readers of 2026-12-07 17:00 marked 院感科 leading 抗菌药物 and 院办 leading 次均费用
and 消防 as wrong). The map is data; these tests read it through next_steps.office_for."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from weijian.documents.context import Problem
from weijian.documents.next_steps import office_for
from weijian.orgs.models import OrgUnitType


def ctx(kind=OrgUnitType.HOSPITAL, children=(), spec=None):
    # the sub-units' names as next_steps.sub_unit_names finds them, without a database
    owner = SimpleNamespace(type=kind)
    return SimpleNamespace(owner=owner, spec=spec or {}, cache={"sub_unit_names": set(children)})


def lead(dx, problem="trend", **kw):
    return office_for(ctx(**kw), Problem(problem, dx, dx, ()))


@pytest.mark.parametrize(
    ("dx", "office"),
    [
        # antibiotics: the pharmacy (DDDs monitoring, 处方点评) leads, the medical office
        # (prescribing rights) supports; not the infection-control office
        ("PERF3_DDDS", "药剂科、医务科"),
        ("HAI_ABX_USE_RATE", "药剂科、医务科"),
        ("RX_OPD_ABX_RATIO", "药剂科、医务科"),
        # infection control: the infection-control office
        ("HAI_SSI_I_RATE", "医院感染管理科"),
        ("HAI_HAND_HYGIENE", "医院感染管理科"),
        # nursing quality: the nursing department
        ("NUR_FALLS", "护理部"),
        # cost per visit or discharge: the insurance office and finance, with the medical office
        # (not 院办)
        ("PERF3_OPD_COST_PER_VISIT", "医保办、财务科、医务科"),
        ("PERF3_IP_COST_PER_DISCHARGE", "医保办、财务科、医务科"),
        ("PERF3_OPD_DRUG_COST_PER_VISIT", "医保办、财务科、医务科"),
        # patient satisfaction: the conduct office (行风建设, seed 003) with the medical office
        ("SVY_OUTPAT_RATE", "行风办、医务科"),
        # staff satisfaction: the party office with the union
        ("SVY_STAFF_RATE", "党办、工会"),
        # volumes and mortality: the medical office
        ("STAT_OPD_ER_VISITS", "医务科"),
    ],
)
def test_a_hospitals_problem_is_led_by_the_office_whose_work_it_is(dx, office):
    assert lead(dx) == office


def test_late_statistical_reports_are_the_statistics_offices():
    # the statistics office with the medical-records room (the 病案首页 the reports draw on)
    assert lead("", problem="reporting") == "统计室、病案室"


@pytest.mark.parametrize(
    ("dx", "children", "office"),
    [
        # chronic disease management: the family-doctor teams of 全科 with public health
        ("PHS_HTN_STANDARD_RATE", (), "公共卫生科、全科"),
        ("PHS_EHR_RATE", (), "公共卫生科"),
        # family-doctor contracting: public health organises it, the 全科 teams sign (not 院办公室)
        ("FDS_KEY_SIGN_RATE", (), "公共卫生科、全科"),
        # outpatient volume: 全科 sees the patients (not 院办公室)
        ("STAT_OPD_ER_VISITS", (), "全科"),
        # a centre with a 妇女保健科: it answers maternal care; without one, public health does
        ("MCH_POSTPARTUM_VISIT_RATE", ("全科", "公共卫生科", "妇女保健科"), "妇女保健科"),
        ("MCH_POSTPARTUM_VISIT_RATE", ("全科", "公共卫生科", "预防接种门诊"), "公共卫生科"),
        ("IMM_COVERAGE", ("全科", "公共卫生科", "预防接种门诊"), "预防接种门诊"),
    ],
)
def test_a_township_centres_problem_is_led_by_an_office_it_has(dx, children, office):
    assert lead(dx, kind=OrgUnitType.TOWNSHIP, children=children) == office


def test_a_templates_own_map_comes_first():
    # the 院感 special: its hand-hygiene task is the infection-control office's with nursing
    spec = {"offices": {"HAI_HAND_HYGIENE": "医院感染管理科、护理部、各临床科室"}}
    assert lead("HAI_HAND_HYGIENE", spec=spec) == "医院感染管理科、护理部、各临床科室"
