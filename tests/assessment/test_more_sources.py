"""The sources and paths the workflow tests leave aside: evidence handed in within its window
(and the file's scope), contract targets, an indicator veto, a weighted scheme's items
converted by their weights, a staff split whose floors cannot be met, the command line."""

import datetime as dt
from decimal import Decimal as D

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from tests.world import PASSWORD
from weijian.assessment.actions import runs, schemes
from weijian.assessment.actions.common import AssessmentError
from weijian.assessment.actions.schemes import NodeInput, SchemeInput
from weijian.assessment.bindings import Collector
from weijian.assessment.models import (
    Cadence,
    Evidence,
    ItemResult,
    Node,
    Stage,
    Trigger,
    UnitResult,
    VetoRule,
)
from weijian.governance.models import Contract, ContractStatus, ContractTarget
from weijian.indicators.models import Indicator
from weijian.periods import Period
from weijian.reporting.models import SubmissionStatus

from .helpers import report

TODAY = dt.date(2026, 4, 15)


@pytest.fixture
def evidence_run(setup, settings, tmp_path):
    """The scheme with 2.1 replaced by 质控资料 (evidence due 5 days after the month)."""
    settings.MEDIA_ROOT = tmp_path
    world = setup.world
    draft = schemes.new_version(setup.hank, setup.scheme)
    schemes.save_node(
        setup.hank,
        draft,
        NodeInput("2.1", "质控资料报送", "40", parent="2", source="EVIDENCE", method="evidence",
                  binding={"due_days": 5}, params={"required": "1"}),
        draft.nodes.get(code="2.1"),
    )  # fmt: skip
    schemes.save_settings(
        setup.hank, draft, total="100", mode="points",
        grades=[("优秀", "90"), ("良好", "80"), ("合格", "60"), ("不合格", "0")],
        effective_from=dt.date(2026, 1, 1),
    )  # fmt: skip
    schemes.publish(setup.hank, draft)
    report(world, world.medicine, "202603", SubmissionStatus.LOCKED, OPD=1000, DIS=80)
    report(world, world.surgery, "202603", SubmissionStatus.LOCKED, OPD=60, DIS=3)
    run = runs.start_run(setup.hank, setup.scheme, "202603", today=TODAY)
    assert run.version == draft  # the later version in force at the period's end
    return runs.advance(setup.hank, run, Stage.COLLECT, today=TODAY)


def test_evidence_counts_within_its_window(setup, evidence_run):
    world = setup.world
    node = evidence_run.version.nodes.get(code="2.1")
    with time_machine.travel(dt.datetime(2026, 4, 3, 10, tzinfo=dt.UTC)):
        runs.upload_evidence(
            world.alice, evidence_run, world.medicine, node, "内科3月质控分析.pdf", b"%PDF-1.1 x"
        )
    with time_machine.travel(dt.datetime(2026, 4, 9, 10, tzinfo=dt.UTC)):
        runs.upload_evidence(
            world.bob, evidence_run, world.surgery, node, "外科3月质控分析.pdf", b"%PDF-1.1 y"
        )
    med = ItemResult.objects.get(run=evidence_run, org_unit=world.medicine, node=node)
    sur = ItemResult.objects.get(run=evidence_run, org_unit=world.surgery, node=node)
    # window 2026-03-01 … 2026-04-05: 内科 on the 3rd → 40; 外科 on the 9th → 0
    assert med.earned == D(40)
    assert sur.earned == D(0)
    assert (
        "应于 2026-03-01 至 2026-04-05 报送 1 份，按时报送 0 份（另有 1 份不在期限内）"
        in sur.explanation
    )


def test_evidence_bad_files_and_other_units_are_refused(setup, evidence_run):
    world = setup.world
    node = evidence_run.version.nodes.get(code="2.1")
    with pytest.raises(AssessmentError, match="只有外科可以报送本单位的资料"):
        runs.upload_evidence(world.alice, evidence_run, world.surgery, node, "x.pdf", b"x")
    with pytest.raises(AssessmentError, match="只能报送 PDF、图片、Word 或 Excel 文件"):
        runs.upload_evidence(world.alice, evidence_run, world.medicine, node, "x.exe", b"x")
    with pytest.raises(AssessmentError, match="文件是空的"):
        runs.upload_evidence(world.alice, evidence_run, world.medicine, node, "x.pdf", b"")
    # the content must be what the name says: a renamed program, a PDF named .png, a fake
    # .docx, a zip bomb named .xlsx, a text file named .doc
    from tests import crafted
    from weijian.assessment import excel

    sheet = excel.export_xlsx(evidence_run.version)
    for name, data, message in (
        ("质控.pdf", b"MZ\x90\x00 a program", "不是图片（JPG、PNG、WebP）或 PDF"),
        ("质控.png", b"%PDF-1.4 x", "内容与扩展名不符"),
        ("质控.docx", sheet, "不是有效的 Word（.docx）文件"),
        ("质控.xlsx", crafted.with_bomb(sheet, "xl/worksheets/sheet1.xml"), "压缩炸弹"),
        ("质控.doc", b"just text", "不是有效的 Word 或 Excel 文件"),
    ):
        with pytest.raises(AssessmentError, match=message):
            runs.upload_evidence(world.alice, evidence_run, world.medicine, node, name, data)
    assert not Evidence.objects.exists()
    # a real workbook is taken as it is
    runs.upload_evidence(world.alice, evidence_run, world.medicine, node, "质控.xlsx", sheet)
    assert Evidence.objects.get().size == len(sheet)


def test_an_evidence_file_is_seen_by_its_unit_and_the_owner_only(client, setup, evidence_run):
    world = setup.world
    node = evidence_run.version.nodes.get(code="2.1")
    evidence = runs.upload_evidence(
        world.alice, evidence_run, world.medicine, node, "内科质控.pdf", b"%PDF-1.4 x"
    )
    url = reverse("assessment:evidence", args=[evidence_run.pk, evidence.pk])
    for user, status in (
        (world.alice, 200),
        (setup.hank, 200),
        (world.bob, 404),
        (world.olivia, 404),
    ):
        client.login(username=user.username, password=PASSWORD)
        assert client.get(url).status_code == status, user
        client.logout()


def test_contract_targets_met(setup):
    world = setup.world
    ind = Indicator.objects.get(code="DIS_SHARE")
    contract = Contract.objects.create(
        year=2026, issuer=world.hospital, party=world.medicine, title="2026年科室目标责任书",
        status=ContractStatus.SIGNED,
    )  # fmt: skip
    ContractTarget.objects.create(contract=contract, indicator=ind, target_value=D(5), sort_order=1)
    ContractTarget.objects.create(
        contract=contract, indicator=ind, target_value=D(10), sort_order=2
    )
    report(world, world.medicine, "202603", SubmissionStatus.LOCKED, OPD=1000, DIS=80)
    node = Node.objects.create(version=setup.version, code="x", points=10, source="CONTRACT")
    found = Collector([world.medicine, world.surgery], Period.parse("2026")).measure([node])
    # 8% against 5 (met) and 10 (not met): 1 of 2 = 50%
    assert found[(node.pk, world.medicine.pk)].text == "目标责任书指标目标达标 1 项 ÷ 2 项 = 50%"
    assert found[(node.pk, world.surgery.pk)].obs.zero_denominator  # no contract to judge


def test_an_indicator_veto(setup):
    world = setup.world
    report(world, world.medicine, "202603", SubmissionStatus.LOCKED, OPD=1000, DIS=80)
    report(world, world.surgery, "202603", SubmissionStatus.LOCKED, OPD=60, DIS=3)
    rule = VetoRule.objects.create(
        version=setup.version, code="V9", name="出院占比过高", trigger=Trigger.INDICATOR,
        condition={"indicator": "DIS_SHARE", "op": ">", "value": "6"}, effect="revoke_honours",
    )  # fmt: skip
    hits = Collector([world.medicine, world.surgery], Period.parse("202603")).vetoes([rule])
    # 内科 8% > 6%; 外科 5% is not
    assert hits == {(rule.pk, world.medicine.pk): "出院人次占门急诊比例 8%，高于 6%"}


def test_a_weighted_scheme_scores_items_out_of_a_hundred(setup):
    world = setup.world
    scheme = schemes.create_scheme(
        setup.hank,
        SchemeInput(
            "W",
            "权重制方案",
            world.hospital,
            2026,
            "科室",
            Cadence.MONTHLY,
            institution=world.hospital,
        ),
    )
    version = scheme.versions.get()
    schemes.save_settings(
        setup.hank, version, total="100", mode="weights", grades=[("合格", "60"), ("不合格", "0")],
        effective_from=dt.date(2026, 1, 1),
    )  # fmt: skip
    add = schemes.save_node
    add(setup.hank, version, NodeInput("1", "质量", "60", kind="dimension"))
    add(setup.hank, version, NodeInput("1.1", "出院占比", "50", parent="1", source="INDICATOR",
                                       binding={"indicator": "DIS_SHARE"}, method="linear",
                                       params={"threshold": "0", "target": "10"}))  # fmt: skip
    add(
        setup.hank,
        version,
        NodeInput("1.2", "院感", "50", parent="1", method="manual", office=setup.office),
    )
    add(setup.hank, version, NodeInput("2", "工作量", "40", kind="dimension"))
    add(setup.hank, version, NodeInput("2.1", "门急诊", "100", parent="2", source="INDICATOR",
                                       binding={"numerator": "#{OPD}"}, method="ratio", params={"target": "2000"}))  # fmt: skip
    schemes.publish(setup.hank, version)
    report(world, world.medicine, "202603", SubmissionStatus.LOCKED, OPD=1000, DIS=80)
    report(world, world.surgery, "202603", SubmissionStatus.LOCKED, OPD=60, DIS=3)
    run = runs.start_run(setup.hank, scheme, "202603", today=TODAY)
    run = runs.advance(
        setup.hank,
        runs.advance(setup.hank, run, Stage.COLLECT, today=TODAY),
        Stage.SELF,
        today=TODAY,
    )
    runs.record_score(
        setup.ivan, run, world.medicine, version.nodes.get(code="1.2"), "90", "制度执行欠缺"
    )
    # 内科: 1.1 scores 80 of 100 (8 ÷ 10) → weight 60% × 50% = 30 points → 24; 1.2 90 of 100 →
    # 27; 2.1 1000 ÷ 2000 = 50 of 100 → 40% → 20. Total 24 + 27 + 20 = 71
    result = UnitResult.objects.get(run=run, org_unit=world.medicine)
    assert result.total == D(71)
    item = ItemResult.objects.get(run=run, org_unit=world.medicine, node__code="1.1")
    assert (item.computed, item.earned) == (D(80), D(24))


def test_staff_floors_that_cannot_be_met_are_refused(setup):
    from tests.assessment.test_money import lock, pool
    from tests.world import make_user
    from weijian.assessment.actions import money
    from weijian.assessment.actions.money import LineInput
    from weijian.assessment.models import PoolShare
    from weijian.orgs.models import Role

    run = lock(setup)
    p = pool(setup, run)
    money.calculate_pool(setup.hank, p)
    money.approve_pool(make_user("fay", Role.INSTITUTION_ADMIN, setup.world.hospital), p)
    share = PoolShare.objects.get(pool=p, org_unit=setup.world.surgery)
    lines = [LineInput("张医生", "", "", "1", "10"), LineInput("李护士", "", "", "1", "10")]
    with pytest.raises(
        AssessmentError,
        match="保底金额合计 8964.14元 超过可分配金额 5976.10元，无法满足保底，未做分配",
    ):
        money.propose_distribution(setup.world.bob, share, lines, floor_ratio="1.5")
    assert not hasattr(PoolShare.objects.get(pk=share.pk), "distribution")


def test_the_command_line(setup, capsys, tmp_path):
    world = setup.world
    report(world, world.medicine, "202603", SubmissionStatus.LOCKED, OPD=1000, DIS=80)
    report(world, world.surgery, "202603", SubmissionStatus.LOCKED, OPD=60, DIS=3)
    runs.start_run(setup.hank, setup.scheme, "202603", today=TODAY)
    call_command("assessment", "recompute", scheme="HOSP_DEPT", period="202603", user="hank")
    assert "第2次计算：0 处变化" in capsys.readouterr().out
    call_command("assessment", "ranking", scheme="HOSP_DEPT", period="202603", user="hank")
    assert "临床科室\t1\t内科\t56" in capsys.readouterr().out
    with pytest.raises(CommandError, match="找不到方案“HOSP_DEPT”（或不在您的权限范围内）"):
        call_command("assessment", "ranking", scheme="HOSP_DEPT", period="202603", user="olivia")
    with pytest.raises(CommandError, match="考核结果尚未公示"):
        call_command("assessment", "ranking", scheme="HOSP_DEPT", period="202603", user="alice")
    out = tmp_path / "考评表.xlsx"
    call_command("assessment", "export", scheme="HOSP_DEPT", out=str(out), user="hank")
    call_command("assessment", "import", str(out), scheme="HOSP_DEPT", user="hank")
    assert setup.scheme.versions.count() == 2
