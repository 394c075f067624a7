"""Items bound to what the system holds: indicators through the engine (approved and locked
reports only), inspections, rectification, ledgers, surveys, contracts; veto triggers; and the
reports still under review that block a run."""

import datetime as dt
from decimal import Decimal as D

from weijian import periods
from weijian.assessment.bindings import Collector, referenced_elements, unreviewed_reports
from weijian.assessment.models import Node, Trigger, VetoRule
from weijian.indicators.analytics import analyse
from weijian.reporting.models import SubmissionStatus

from .helpers import answers, inspection, ledger_type, notice, record, report

MARCH = periods.parse("202603")


def item(setup, code):
    return Node.objects.get(version=setup.version, code=code)


def collect(setup, code, units=None, period=MARCH):
    world = setup.world
    collector = Collector(units or [world.medicine, world.surgery], period)
    node = item(setup, code)
    found = collector.measure([node])
    return {unit.code: found[(node.pk, unit.pk)] for unit in collector.units}


def test_indicator_counts_only_approved_or_locked_reports(setup):
    world = setup.world
    report(world, world.medicine, "202603", SubmissionStatus.APPROVED, OPD=1000, DIS=80)
    report(world, world.surgery, "202603", SubmissionStatus.SUBMITTED, OPD=500, DIS=60)
    found = collect(setup, "1.1")
    # 内科: 80 ÷ 1000 × 100 = 8%
    assert found["MED"].obs.value == D(8)
    assert (
        found["MED"].text
        == "出院人次占门急诊比例 = 出院人次 ÷ 门急诊人次 = 80 ÷ 1000 = 8%（已审核数据）"
    )
    # 外科's report is only submitted: nothing counts
    assert found["SUR"].obs.value is None
    assert found["SUR"].text == "出院人次占门急诊比例：无已审核数据"
    # …while the engine without the option counts it: 60 ÷ 500 × 100 = 12
    plain = analyse(["DIS_SHARE"], [MARCH], [world.surgery])
    assert plain.value("DIS_SHARE", "202603", "SUR") == D(12)
    assert (
        analyse(["DIS_SHARE"], [MARCH], [world.surgery], approved_only=True).value(
            "DIS_SHARE", "202603", "SUR"
        )
        is None
    )


def test_locked_reports_count_and_a_hospital_counts_its_departments(setup):
    world = setup.world
    report(world, world.medicine, "202603", SubmissionStatus.LOCKED, OPD=1000, DIS=80)
    report(world, world.surgery, "202603", SubmissionStatus.APPROVED, OPD=9600, DIS=43)
    found = collect(setup, "1.1", units=[world.hospital])
    # (80 + 43) ÷ (1000 + 9600) × 100 = 123 ÷ 10 600 = 1.160377…% → shown 1.16%
    assert found["HOS"].obs.value.quantize(D("0.0001")) == D("1.1604")
    assert "= 123 ÷ 10 600 = 1.16%" in found["HOS"].text


def test_zero_denominator_is_said(setup):
    world = setup.world
    report(world, world.medicine, "202603", SubmissionStatus.APPROVED, OPD=0, DIS=0)
    found = collect(setup, "1.1")["MED"]
    assert found.obs.zero_denominator and found.obs.value is None
    assert (
        found.text == "出院人次占门急诊比例 = 出院人次 ÷ 门急诊人次 = 0 ÷ 0，分母为0（已审核数据）"
    )


def test_an_items_own_formula_and_last_years_value(setup):
    world = setup.world
    report(world, world.medicine, "202603", SubmissionStatus.LOCKED, OPD=12345)
    report(world, world.medicine, "202503", SubmissionStatus.LOCKED, OPD=11000)
    found = collect(setup, "2.1")["MED"]
    assert found.obs.value == D(12345)
    assert found.obs.previous == D(11000)
    assert found.text == "门急诊人次 = 12 345人次（已审核数据）"


def test_inspection_average_and_findings(setup):
    world = setup.world
    inspection(world.admin, world.medicine, dt.date(2026, 3, 5), 90, findings=2)
    inspection(world.admin, world.medicine, dt.date(2026, 3, 20), 85, findings=1)
    inspection(world.admin, world.medicine, dt.date(2026, 4, 1), 10)  # April: not counted
    node = Node(
        version=setup.version, code="x", points=10, source="INSPECTION", binding={"template": "XF"}
    )
    node.save()
    collector = Collector([world.medicine, world.surgery], MARCH)
    found = collector.measure([node])
    # (90 + 85) ÷ 2 = 87.5
    assert found[(node.pk, world.medicine.pk)].obs.value == D("87.5")
    assert found[(node.pk, world.medicine.pk)].text == "消防安全检查表 2 次检查平均 87.50分"
    assert found[(node.pk, world.surgery.pk)].obs.value is None
    node.source = "FINDINGS"
    assert collector.measure([node])[(node.pk, world.medicine.pk)].obs.occurrences == 3


def test_rectification_on_time_rate(setup):
    world = setup.world
    notice(world.admin, world.medicine, dt.date(2026, 3, 10), closed_on=dt.date(2026, 3, 9), seq=1)
    notice(world.admin, world.medicine, dt.date(2026, 3, 20), closed_on=dt.date(2026, 3, 25), seq=2)
    notice(world.admin, world.medicine, dt.date(2026, 3, 30), seq=3)
    node = Node.objects.create(version=setup.version, code="x", points=10, source="RECTIFICATION")
    found = Collector([world.medicine, world.surgery], MARCH).measure([node])
    # 1 on time of 3 due = 33.33%; 外科 had none due → zero denominator
    assert (
        found[(node.pk, world.medicine.pk)].text
        == "按期整改率 = 按期完成 ÷ 到期应整改 = 1 ÷ 3 = 33.33%"
    )
    assert found[(node.pk, world.surgery.pk)].obs.zero_denominator


def test_ledger_counts_and_sums_with_a_filter(setup):
    world = setup.world
    kind = ledger_type()
    record(
        world.alice, world.medicine, dt.date(2026, 3, 3), "配电室起火", kind, KIND="火灾", PEOPLE=3
    )
    record(
        world.alice, world.medicine, dt.date(2026, 3, 9), "手机被盗", kind, KIND="盗窃", PEOPLE=1
    )
    node = Node.objects.create(
        version=setup.version,
        code="x",
        points=10,
        source="LEDGER",
        binding={"type": "SAFE", "match": {"KIND": "火灾"}},
    )
    found = Collector([world.medicine], MARCH).measure([node])[(node.pk, world.medicine.pk)]
    assert (found.obs.value, found.text) == (D(1), "安全生产事故台账 1 条")
    node.binding = {"type": "SAFE", "field": "PEOPLE", "match": {}}
    found = Collector([world.medicine], MARCH).measure([node])[(node.pk, world.medicine.pk)]
    # 3 + 1 = 4
    assert (found.obs.value, found.text) == (D(4), "安全生产事故台账 2 条，合计 4")


def test_survey_satisfaction_against_the_district_threshold(setup):
    world = setup.world
    answers(world.medicine, "202603", 40, 35)
    node = Node.objects.create(
        version=setup.version, code="x", points=10, source="SURVEY", binding={"kind": "INPAT"}
    )
    found = Collector([world.medicine], MARCH).measure([node])[(node.pk, world.medicine.pk)]
    # 35 ÷ 40 × 100 = 87.5% < 90%
    assert found.obs.value == D("87.5")
    assert found.text == "住院患者满意度 = 满意 35 ÷ 有效问卷 40 = 87.5%，低于区定底线 90%"


def test_veto_triggers_from_ledger_inspection_and_survey(setup):
    world = setup.world
    version = setup.version
    kind = ledger_type()
    record(
        world.alice, world.medicine, dt.date(2026, 3, 3), "配电室起火", kind, KIND="火灾", PEOPLE=0
    )
    inspection(world.admin, world.surgery, dt.date(2026, 3, 12), 72, passed=False)
    inspection(world.admin, world.medicine, dt.date(2026, 3, 12), 95, passed=True)
    answers(world.surgery, "202603", 10, 8)
    rules = [
        VetoRule.objects.create(version=version, code="V1", name="安全事故", trigger=Trigger.LEDGER,
                                condition={"type": "SAFE", "match": {"KIND": "火灾"}, "min": 1}, effect="total_zero"),
        VetoRule.objects.create(version=version, code="V2", name="消防不合格", trigger=Trigger.INSPECTION,
                                condition={"template": "XF"}, effect="section_zero", section="1"),
        VetoRule.objects.create(version=version, code="V3", name="满意度", trigger=Trigger.SURVEY,
                                condition={"kind": "INPAT"}, effect="revoke_honours"),
    ]  # fmt: skip
    hits = Collector([world.medicine, world.surgery], MARCH).vetoes(rules)
    assert hits == {
        (rules[0].pk, world.medicine.pk): "2026-03-03 内科“配电室起火”（安全生产事故台账）",
        (rules[1].pk, world.surgery.pk): "2026-03-12 外科消防安全检查表 72分，不合格",
        # 8 ÷ 10 = 80% < the district's 90%
        (rules[2].pk, world.surgery.pk): "住院患者满意度 80%（满意 8 ÷ 有效问卷 10），低于 90%",
    }


def test_reports_still_under_review_are_listed(setup):
    world = setup.world
    report(world, world.medicine, "202603", SubmissionStatus.LOCKED, OPD=1)
    report(world, world.surgery, "202603", SubmissionStatus.RETURNED, OPD=1)
    report(world, world.township, "202603", SubmissionStatus.DRAFT, OPD=1)  # not in the run
    codes = referenced_elements([item(setup, "1.1"), item(setup, "2.1")], [])
    assert codes == {"DIS", "OPD"}
    rows, total = unreviewed_reports(codes, [world.medicine, world.surgery], MARCH)
    assert total == 1
    assert rows == [("门急诊与住院工作量月报", "外科", "202603", "已退回")]


def test_bindings_read_with_a_bounded_number_of_queries(setup, django_assert_max_num_queries):
    world = setup.world
    report(world, world.medicine, "202603", SubmissionStatus.LOCKED, OPD=1000, DIS=80)
    nodes = list(Node.objects.filter(version=setup.version).exclude(method=""))
    collector = Collector([world.medicine, world.surgery], MARCH)
    with django_assert_max_num_queries(12):
        collector.measure(nodes)
