"""A run through the whole workflow on hand-computed figures: collect → 自评 → 初评 → 复核 →
公示 with an appeal and its ruling → 定稿; recomputation idempotent with its changes; vetoes;
scope; bad input changing nothing."""

import datetime as dt
import io
from decimal import Decimal as D

import pytest

from tests.assessment.conftest import build_scheme
from weijian.assessment.actions import runs, schemes
from weijian.assessment.actions.common import AssessmentError
from weijian.assessment.actions.schemes import VetoInput
from weijian.assessment.models import (
    Appeal,
    Computation,
    HitStatus,
    ItemResult,
    Node,
    Run,
    RunEvent,
    Stage,
    UnitResult,
)
from weijian.indicators.analytics import analyse
from weijian.periods import Period
from weijian.reporting.models import SubmissionStatus

from .helpers import ledger_type, record, report

TODAY = dt.date(2026, 4, 15)


@pytest.fixture
def data(setup):
    """内科: 门急诊 1000, 出院 80 → 8%; 外科: 门急诊 60, 出院 3 → 5% (both locked)."""
    world = setup.world
    report(world, world.medicine, "202603", SubmissionStatus.LOCKED, OPD=1000, DIS=80)
    report(world, world.surgery, "202603", SubmissionStatus.LOCKED, OPD=60, DIS=3)
    return setup


def start(setup, period="202603"):
    return runs.start_run(setup.hank, setup.scheme, period, today=TODAY)


def result(run, unit):
    return UnitResult.objects.get(run=run, org_unit=unit)


def item(run, unit, code):
    return ItemResult.objects.select_related("node").get(run=run, org_unit=unit, node__code=code)


def node(setup, code):
    return Node.objects.get(version=setup.version, code=code)


def to(setup, run, stage, today=TODAY):
    while run.stage != stage:
        run = runs.advance(setup.hank, run, run.stage, today=today)
    return run


def test_start_computes_every_unit_from_the_data(data):
    run = start(data)
    world = data.world
    med, sur = result(run, world.medicine), result(run, world.surgery)
    # 内科: 1.1 linear 0→10%: 20 × 8 ÷ 10 = 16; 1.2 待评 0; 2.1 1000 ≥ 100 → 40; total 56
    # 外科: 1.1 20 × 5 ÷ 10 = 10; 2.1 60 in [50, 100) → 20; total 30
    assert (med.total, med.pending, med.rank) == (D(56), 2, 1)
    assert (sur.total, sur.pending, sur.rank) == (D(30), 2, 2)
    row = item(run, world.medicine, "1.1")
    assert (
        row.measure == "出院人次占门急诊比例 = 出院人次 ÷ 门急诊人次 = 80 ÷ 1000 = 8%（已审核数据）"
    )
    assert row.explanation == "目标 ≥10%，门槛 0%，按线性计分 20 × (8% − 0%) ÷ (10% − 0%)，得 16 分"
    assert run.version.number == 1 and run.computations == 1


def test_a_run_on_unreviewed_data_is_refused(data):
    world = data.world
    report(world, world.surgery, "202603", SubmissionStatus.SUBMITTED, OPD=60, DIS=3)
    with pytest.raises(AssessmentError) as exc:
        start(data)
    assert exc.value.message == (
        "考核所用报表尚未全部审核或锁定，未做计算：外科202603《门急诊与住院工作量月报》（已上报）共 1 份。"
        "请先完成审核后再考核"
    )
    assert not Run.objects.exists()


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ("2026Q1", "本方案按月考核，期间“2026Q1”不符"),
        ("202604", "2026年4月尚未结束，数据不完整，暂不能考核"),
        ("202503", "本方案为2026年度方案，不能用于2025年3月"),
        ("2026-03", "考核期间“2026-03”无效"),
    ],
)
def test_bad_periods_are_refused(data, period, message):
    with pytest.raises(AssessmentError, match=message):
        start(data, period)
    assert not Run.objects.exists()


def test_a_second_start_of_the_same_period_is_refused(data):
    start(data)
    with pytest.raises(AssessmentError, match="2026年3月的考核已经发起"):
        start(data)
    assert Run.objects.count() == 1


def test_only_the_owners_managers_start_runs(data):
    for user in (data.world.olivia, data.world.alice, data.ivan, data.world.rita):
        with pytest.raises(AssessmentError, match="只有人民医院的管理员可以发起考核"):
            runs.start_run(user, data.scheme, "202603", today=TODAY)


def test_recompute_is_idempotent_and_shows_what_changed(data):
    run = start(data)
    again = runs.recompute(data.hank, run)
    assert again.number == 2 and again.changes == []
    # 外科's March figures corrected: 出院 3 → 6: 6 ÷ 60 = 10% → 1.1 = 20; total 30 → 40
    world = data.world
    report(world, world.surgery, "202603", SubmissionStatus.LOCKED, OPD=60, DIS=6)
    third = runs.recompute(data.hank, run)
    assert third.changes == [
        {"unit": "外科", "what": "1.1 出院人次占比", "before": "10", "after": "20"},
        {"unit": "外科", "what": "总分", "before": "30", "after": "40"},
    ]
    assert result(run, world.surgery).total == D(40)
    assert Computation.objects.filter(run=run).count() == 3


def test_the_whole_workflow(data):
    world = data.world
    run = start(data)
    med, sur = world.medicine, world.surgery
    n12, nb1, n21 = node(data, "1.2"), node(data, "B.1"), node(data, "2.1")

    # 自评: each unit scores itself; another unit may not
    run = to(data, run, Stage.SELF)
    runs.record_self_score(world.alice, run, med, n12, "38", "手卫生培训已完成")
    with pytest.raises(AssessmentError, match="只有外科可以填写本单位的自评"):
        runs.record_self_score(world.alice, run, sur, n12, "40")
    assert result(run, med).self_total == D(38)

    # 初评: only 院感科's members score 院感 items
    run = to(data, run, Stage.INITIAL)
    with pytest.raises(AssessmentError, match="您不是该科室的考核人员"):
        runs.record_score(data.hank, run, med, n12, "36", "x")
    with pytest.raises(AssessmentError, match="得分 41 超过本项分值 40 分"):
        runs.record_score(data.ivan, run, med, n12, "41", "x")
    with pytest.raises(AssessmentError, match="扣分须说明理由"):
        runs.record_score(data.ivan, run, med, n12, "36")
    runs.record_score(data.ivan, run, med, n12, "36", "手卫生依从性 85%，未达 90%")
    runs.record_score(data.ivan, run, med, nb1, "3")  # 加分 needs no reason
    runs.record_score(data.ivan, run, sur, n12, "30", "无菌操作不规范 2 处")
    runs.record_score(data.ivan, run, sur, nb1, "0")
    # 内科 16 + 36 + 40 + 3 = 95 (优秀); 外科 10 + 30 + 20 + 0 = 60 (合格)
    assert (result(run, med).total, result(run, med).grade) == (D(95), "优秀")
    assert (result(run, sur).total, result(run, sur).grade) == (D(60), "合格")
    assert RunEvent.objects.filter(action="初评评分").count() == 4

    # 复核: a reviewer adjusts with a reason
    run = to(data, run, Stage.REVIEW)
    with pytest.raises(AssessmentError, match="只有方案制定单位的管理员或审核员可以复核调整得分"):
        runs.override_score(world.alice, run, sur, n21, "25", "核实")
    with pytest.raises(AssessmentError, match="复核调整得分须说明理由"):
        runs.override_score(world.rita, run, sur, n21, "25", "")
    runs.override_score(world.rita, run, sur, n21, "25", "门诊量含义诊，按 25 分计")
    # 外科 60 − 20 + 25 = 65
    assert result(run, sur).total == D(65)
    event = RunEvent.objects.get(action="复核调整")
    assert (event.before, event.after, event.user) == ("20", "25", world.rita)

    # 公示: five days from today
    run = to(data, run, Stage.PUBLICITY)
    assert (run.publicity_start, run.publicity_end) == (TODAY, dt.date(2026, 4, 19))
    with pytest.raises(AssessmentError, match="只有外科可以对本单位的考核结果提出申诉"):
        runs.file_appeal(world.alice, run, sur, n12, "外科的分数不对", today=TODAY)
    appeal = runs.file_appeal(
        world.bob, run, sur, n12, "无菌操作问题已当场整改，请复核", today=TODAY
    )
    with pytest.raises(AssessmentError, match="该项目的申诉已提交，正在等待裁定"):
        runs.file_appeal(world.bob, run, sur, n12, "无菌操作问题已当场整改，请复核", today=TODAY)
    with pytest.raises(AssessmentError, match="公示期已于 2026-04-19 截止"):
        runs.file_appeal(world.bob, run, sur, n21, "门急诊人次统计有误", today=dt.date(2026, 4, 20))
    with pytest.raises(AssessmentError, match="尚有 1 件申诉未裁定，不能定稿"):
        runs.advance(data.hank, run, Stage.PUBLICITY, today=dt.date(2026, 4, 20))
    with pytest.raises(AssessmentError, match="只有方案制定单位的管理员或审核员可以裁定申诉"):
        runs.rule_appeal(world.bob, appeal, True, "同意", "35")
    runs.rule_appeal(world.rita, appeal, True, "整改属实，扣分减半", "35")
    appeal.refresh_from_db()
    # 外科 65 − 30 + 35 = 70
    assert (appeal.status, appeal.old_score, appeal.new_score) == ("UPHELD", D(30), D(35))
    assert result(run, sur).total == D(70)
    with pytest.raises(AssessmentError, match="该申诉已裁定（申诉成立）"):
        runs.rule_appeal(world.rita, appeal, False, "驳回")

    # 定稿 after the window: locked, results published as figures
    with pytest.raises(AssessmentError, match="公示期至 2026-04-19，公示期满后才能定稿"):
        runs.advance(data.hank, run, Stage.PUBLICITY, today=dt.date(2026, 4, 19))
    run = runs.advance(data.hank, run, Stage.PUBLICITY, today=dt.date(2026, 4, 20))
    assert run.stage == Stage.FINAL and run.locked_by == data.hank
    figures = analyse(
        ["ASSESS_DEPT_SCORE", "ASSESS_DEPT_RANK"],
        [Period.parse("202603")],
        [med, sur, world.hospital],
    )
    assert figures.value("ASSESS_DEPT_SCORE", "202603", "MED") == D(95)
    assert figures.value("ASSESS_DEPT_RANK", "202603", "SUR") == D(2)
    # the hospital's subtree: the departments' average (95 + 70) ÷ 2 = 82.5
    assert figures.value("ASSESS_DEPT_SCORE", "202603", "HOS") == D("82.5")

    # locked: nothing changes any more
    with pytest.raises(AssessmentError, match="不能重新计算"):
        runs.recompute(data.hank, run)
    with pytest.raises(AssessmentError, match="不能评分"):
        runs.record_score(data.ivan, run, med, n12, "40")
    with pytest.raises(AssessmentError, match="考核已处于“定稿”环节"):
        runs.advance(data.hank, run, Stage.PUBLICITY, today=dt.date(2026, 4, 20))


def test_publicity_waits_for_every_manual_item(data):
    run = to(data, start(data), Stage.REVIEW)
    with pytest.raises(AssessmentError, match="尚有 2 个单位的 4 个项目未评分，不能公示"):
        runs.advance(data.hank, run, Stage.REVIEW, today=TODAY)
    assert Run.objects.get(pk=run.pk).stage == Stage.REVIEW


def test_a_double_clicked_advance_moves_one_stage(data):
    run = start(data)
    runs.advance(data.hank, run, Stage.COLLECT, today=TODAY)
    with pytest.raises(AssessmentError, match="考核已处于“单位自评”环节，未做改动"):
        runs.advance(data.hank, run, Stage.COLLECT, today=TODAY)
    assert Run.objects.get(pk=run.pk).stage == Stage.SELF


def test_a_resent_score_is_not_logged_twice(data):
    run = to(data, start(data), Stage.INITIAL)
    world = data.world
    for _ in range(2):
        runs.record_score(data.ivan, run, world.medicine, node(data, "1.2"), "36", "手卫生")
    assert RunEvent.objects.filter(action="初评评分").count() == 1


# -- vetoes ------------------------------------------------------------------------------------------


@pytest.fixture
def vetoed(world):
    """The same scheme with a data veto (a fire in the safety ledger zeroes the total) and a
    manual one (a medical accident entered and approved caps the grade)."""
    from tests.assessment.conftest import Setup
    from tests.world import make_user
    from weijian.indicators.models import Indicator
    from weijian.orgs.models import Role

    Indicator.objects.create(
        code="DIS_SHARE", name="出院人次占门急诊比例", numerator="#{DIS}", denominator="#{OPD}",
        type="PERCENT", numerator_description="出院人次", denominator_description="门急诊人次",
    )  # fmt: skip
    hank = make_user("hank", Role.INSTITUTION_ADMIN, world.hospital)
    ivan = make_user("ivan", Role.INSPECTOR, world.hospital)
    office = schemes.save_office(hank, world.hospital, "院感科", [ivan])
    ledger_type()
    scheme = build_scheme(world, hank, office, publish=False)
    version = scheme.versions.get()
    schemes.save_veto(
        hank, version,
        VetoInput("V1", "发生火灾事故", "LEDGER", "total_zero", {"type": "SAFE", "match": {"KIND": "火灾"}}),
    )  # fmt: skip
    schemes.save_veto(
        hank, version, VetoInput("V2", "发生重大医疗事故", "MANUAL", "grade_cap", grade="合格")
    )
    schemes.publish(hank, version)
    report(world, world.medicine, "202603", SubmissionStatus.LOCKED, OPD=1000, DIS=80)
    report(world, world.surgery, "202603", SubmissionStatus.LOCKED, OPD=60, DIS=3)
    return Setup(world, hank, ivan, office, scheme)


def test_a_ledger_record_vetoes_the_unit(vetoed):
    world = vetoed.world
    record(
        world.bob,
        world.surgery,
        dt.date(2026, 3, 8),
        "库房电线短路起火",
        ledger_type(),
        KIND="火灾",
    )
    run = start(vetoed)
    sur = result(run, world.surgery)
    # 外科 would have 30; the veto makes it 0, 不合格, honours revoked
    assert (sur.total, sur.grade, sur.vetoed, sur.honours_revoked) == (D(0), "不合格", True, True)
    assert sur.notes == [
        "一票否决，总分计0分（原得分 30 分）",
        "一票否决：发生火灾事故（2026-03-08 外科“库房电线短路起火”（安全生产事故台账））",
    ]
    assert result(run, world.medicine).vetoed is False
    # the 公示 names this version's veto rules and their effects, and marks the vetoed unit
    from docx import Document

    from weijian.assessment import outputs

    doc = Document(io.BytesIO(outputs.publicity_docx(run, TODAY)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "一票否决事项：发生火灾事故（总分计0分）；发生重大医疗事故（等次不高于合格）。" in text
    cells = [[c.text for c in row.cells] for t in doc.tables for row in t.rows]
    assert ["2", "人民医院 / 外科", "0", "不合格", "一票否决"] in cells


def test_a_manual_veto_needs_evidence_and_another_persons_approval(vetoed):
    world = vetoed.world
    run = start(vetoed)
    rule = run.version.vetoes.get(code="V2")
    with pytest.raises(AssessmentError, match="请写明事实与依据"):
        runs.propose_veto(vetoed.ivan, run, world.medicine, rule, "")
    hit = runs.propose_veto(
        vetoed.ivan, run, world.medicine, rule, "2026-03-12 输错血型，经医疗事故鉴定为二级医疗事故"
    )
    with pytest.raises(AssessmentError, match="已录入，未重复录入"):
        runs.propose_veto(vetoed.ivan, run, world.medicine, rule, "再次录入同一事项")
    with pytest.raises(AssessmentError, match="只有方案制定单位的管理员或审核员可以确认一票否决"):
        runs.decide_veto(vetoed.ivan, hit, True)
    hit.proposed_by = vetoed.hank  # the same rule for a manager who entered it himself
    hit.save()
    with pytest.raises(AssessmentError, match="录入人不能确认自己录入的一票否决"):
        runs.decide_veto(vetoed.hank, hit, True)
    assert result(run, world.medicine).vetoed is False  # not yet approved
    runs.decide_veto(world.rita, hit, True, "鉴定书已核")
    hit.refresh_from_db()
    assert hit.status == HitStatus.APPROVED
    med = result(run, world.medicine)
    assert med.vetoed and med.grade == "不合格"  # 56 points is 不合格 anyway; the cap holds
    with pytest.raises(AssessmentError, match="由数据自动触发，不能人工录入"):
        runs.propose_veto(
            vetoed.hank, run, world.surgery, run.version.vetoes.get(code="V1"), "火灾"
        )


def score_all(setup, run):
    for unit in (setup.world.medicine, setup.world.surgery):
        for code in ("1.2", "B.1"):
            runs.record_score(
                setup.ivan, run, unit, node(setup, code), str(node(setup, code).points)
            )


def test_outsiders_cannot_touch_a_run(data):
    world = data.world
    run = to(data, start(data), Stage.INITIAL)
    score_all(data, run)
    run = to(data, run, Stage.PUBLICITY)
    with pytest.raises(AssessmentError):
        runs.file_appeal(world.olivia, run, world.medicine, None, "我要申诉内科的结果", today=TODAY)
    with pytest.raises(AssessmentError):
        runs.advance(world.olivia, run, Stage.PUBLICITY, today=dt.date(2026, 5, 1))
    assert not Appeal.objects.exists()


def test_recompute_runs_in_a_bounded_number_of_queries(data, django_assert_max_num_queries):
    run = start(data)
    with django_assert_max_num_queries(40):
        runs.recompute(data.hank, run)


# -- who sees what ---------------------------------------------------------------------------------


def test_units_see_their_own_results_and_the_ranking_once_public(data):
    from weijian.assessment import queries

    world = data.world
    run = start(data)
    assert queries.is_insider(data.hank, data.scheme) and queries.is_insider(data.ivan, data.scheme)
    assert queries.own_units(world.alice, run) == [world.medicine]
    assert queries.can_see_run(world.alice, run)
    assert not queries.can_see_ranking(world.alice, run)  # not yet public
    assert not queries.can_see_run(world.olivia, run)
    assert queries.own_units(world.olivia, run) == []
    assert queries.schemes_for(world.olivia) == []
    assert queries.schemes_for(world.alice) == [data.scheme]
    run = to(data, run, Stage.INITIAL)
    score_all(data, run)
    run = to(data, run, Stage.PUBLICITY)
    assert queries.can_see_ranking(world.alice, run)
    assert not queries.can_see_ranking(world.olivia, run)


def test_the_standing_sentence(data):
    from weijian.assessment import queries

    world = data.world
    run = to(data, start(data), Stage.INITIAL)
    score_all(data, run)
    run = to(data, run, Stage.PUBLICITY)
    runs.advance(data.hank, run, Stage.PUBLICITY, today=dt.date(2026, 5, 1))
    # 内科 16 + 40 + 40 + 5 = 101
    standing = queries.latest_standing(world.medicine, 2026)
    assert standing.sentence == "在2026年3月临床科室考核中得分101分，位列第1"
