"""Responsibility contracts: issuing, signing, 签订率 and results from the indicator engine."""

import datetime as dt
from decimal import Decimal

import pytest

from weijian.governance.actions import (
    GovernanceError,
    TargetSpec,
    issue_contracts,
    sign_contract,
)
from weijian.governance.models import Contract, ContractTarget
from weijian.governance.queries import contract_results, contracts_for, met_counts, signing_rates
from weijian.indicators.models import Direction, Indicator, IndicatorType
from weijian.reporting.actions import save_values

LAST_YEAR = dt.date.today().year - 1


@pytest.fixture
def indicators(world):
    Indicator.objects.create(
        code="T_OPD", name="门急诊人次", numerator="#{OPD}", type=IndicatorType.NUMBER,
        direction=Direction.HIGHER_BETTER, decimals=0,
    )  # fmt: skip
    Indicator.objects.create(
        code="T_DIS_RATE", name="出院人次占门急诊比例", numerator="#{DIS}",
        denominator="#{OPD}", type=IndicatorType.PERCENT, direction=Direction.HIGHER_BETTER,
    )  # fmt: skip
    Indicator.objects.create(
        code="T_DIS_LOW", name="出院比例（越低越好）", numerator="#{DIS}",
        denominator="#{OPD}", type=IndicatorType.PERCENT, direction=Direction.LOWER_BETTER,
    )  # fmt: skip
    return world


def issue(w, **kw):
    fields = dict(
        year=LAST_YEAR,
        title="医疗质量安全目标责任书",
        parties=[w.medicine, w.surgery],
        targets=[
            TargetSpec("T_OPD", "240"),
            TargetSpec("T_DIS_RATE", "12"),
            TargetSpec("T_DIS_LOW", "11"),
            TargetSpec(duty="落实十八项医疗质量安全核心制度"),
        ],
    )
    fields.update(kw)
    return issue_contracts(w.admin, w.hospital, **fields)


def test_targets_are_judged_on_the_partys_yearly_values(indicators):
    w = indicators
    save_values(
        w.alice,
        w.form,
        w.medicine,
        f"{LAST_YEAR}03",
        {("OPD", "MALE"): "100", ("OPD", "FEMALE"): "50", ("DIS", "default"): "10"},
    )
    save_values(w.alice, w.form, w.medicine, f"{LAST_YEAR}07",
                {("OPD", "MALE"): "60", ("OPD", "FEMALE"): "40", ("DIS", "default"): "15"})  # fmt: skip
    medicine, surgery = issue(w)
    results = contract_results([medicine, surgery], dt.date.today())
    # 内科 for the whole (ended) year: OPD 150 + 100 = 250 ≥ 240 → 达标;
    # 出院比例 (10 + 15) / 250 × 100 = 10.00% < 12 → 未达标; ≤ 11 (lower better) → 达标.
    rows = results[medicine.pk]
    assert [(r.progress.value if r.progress else None) for r in rows] == [
        Decimal(250),
        Decimal("10.00"),
        Decimal("10.00"),
        None,
    ]
    assert [r.verdict for r in rows] == ["达标", "未达标", "达标", ""]
    assert met_counts(rows) == (2, 3)
    # 外科 reported nothing: no value, never a made-up 0.
    assert [r.verdict for r in results[surgery.pk]] == ["无数据", "无数据", "无数据", ""]


def test_signing_and_the_signing_rate(indicators):
    w = indicators
    medicine, surgery = issue(w)
    sign_contract(
        w.admin, medicine, signed_on=dt.date(LAST_YEAR, 2, 10), responsible_person="刘主任"
    )
    (rate,) = signing_rates(Contract.objects.all())
    assert (rate.total, rate.signed, rate.rate) == (2, 1, Decimal("50.0"))  # 1 / 2 × 100
    medicine.refresh_from_db()
    assert (medicine.status, medicine.responsible_person) == ("SIGNED", "刘主任")
    with pytest.raises(GovernanceError, match="已于"):
        sign_contract(
            w.admin, medicine, signed_on=dt.date(LAST_YEAR, 2, 11), responsible_person="x"
        )
    with pytest.raises(GovernanceError, match="请填写第一责任人"):
        sign_contract(w.admin, surgery, signed_on=dt.date(LAST_YEAR, 2, 11), responsible_person=" ")
    with pytest.raises(GovernanceError, match="没有登记"):
        sign_contract(w.alice, surgery, signed_on=dt.date(LAST_YEAR, 2, 11), responsible_person="x")
    surgery.refresh_from_db()
    assert surgery.status == "PENDING"


@pytest.mark.parametrize(
    "change, message",
    [
        (dict(targets=[TargetSpec("NOPE", "1")]), "没有编码为“NOPE”的指标"),
        (dict(targets=[TargetSpec("T_OPD", "很多")]), "不是数字"),
        (dict(targets=[TargetSpec("T_OPD", "-5")]), "不能为负数"),
        (dict(targets=[TargetSpec("", "5")]), "没有选择指标"),
        (dict(targets=[]), "至少要有一项目标"),
        (dict(title=" "), "请填写责任书名称"),
        (dict(year=2001), "年度应在"),
        (dict(parties=[]), "至少一个责任单位"),
    ],
)
def test_bad_contracts_save_nothing(indicators, change, message):
    with pytest.raises(GovernanceError) as refused:
        issue(indicators, **change)
    assert message in refused.value.message + "".join(refused.value.problems)
    assert not Contract.objects.exists() and not ContractTarget.objects.exists()


def test_parties_must_be_below_the_issuer_and_not_duplicated(indicators):
    w = indicators
    with pytest.raises(GovernanceError, match="下属单位：城关卫生院"):
        issue(w, parties=[w.medicine, w.township])
    issue(w)
    with pytest.raises(GovernanceError, match="已与以下单位建立"):
        issue(w, parties=[w.medicine])
    assert Contract.objects.count() == 2


def test_a_department_sees_its_own_contract_only(indicators):
    w = indicators
    issue(w)
    assert [c.party.code for c in contracts_for(w.alice)] == ["MED"]
    assert contracts_for(w.victor).count() == 2
    assert contracts_for(w.olivia).count() == 0
