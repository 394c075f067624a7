"""An inspection from start to a closed notice: scoring, submit, reopen, notice numbering,
answer, re-check, overdue, escalation — and the figures published on the way."""

import datetime as dt
from decimal import Decimal as D

import pytest
import time_machine

from tests.inspections.conftest import submit_complete
from tests.world import fresh, make_user
from weijian import periods
from weijian.indicators.analytics import analyse
from weijian.inspections import actions
from weijian.inspections.actions import InspectionError, MarkInput
from weijian.inspections.models import (
    Event,
    Inspection,
    InspectionStatus,
    ItemScore,
    NoticeStatus,
    RectificationNotice,
)
from weijian.orgs.models import Role
from weijian.reporting.models import DataValue


def item(w, code):
    return w.version.items.get(code=code)


def figures(unit, month):
    rows = DataValue.objects.filter(
        org_unit=unit, period_id=month, element__code__startswith="INSP_"
    )
    return {r.element.code: D(r.value) for r in rows}


@pytest.fixture
def done(insp):
    """Ivan inspects 内科 on 10 March 2026: 1.1 two occurrences (6 − 4 = 2), 2.1 failed (0),
    the rest marked 符合. Earned 2 + 4 + 0 + 5 = 11 of 20 → score 11, 不合格 (pass line 16);
    two findings."""
    w = insp
    with time_machine.travel(dt.datetime(2026, 3, 10, 9), tick=False):
        inspection = actions.start_inspection(w.ivan, w.version, w.medicine, dt.date(2026, 3, 10))
        actions.record_item(
            w.ivan,
            inspection,
            item(w, "1.1"),
            MarkInput(occurrences="2", finding="护士站2人未洗手"),
        )
        actions.record_item(
            w.ivan, inspection, item(w, "2.1"), MarkInput(failed=True, finding="未成立院感小组")
        )
        submit_complete(w.ivan, inspection, present="张主任、李护士长")
    w.inspection = Inspection.objects.get(pk=inspection.pk)
    return w


def test_a_submitted_inspection_keeps_its_score_and_publishes_figures(done):
    w = done
    assert (w.inspection.status, w.inspection.score, w.inspection.passed) == (
        "SUBMITTED",
        D(11),
        False,
    )
    assert w.inspection.findings == 2
    published = figures(w.medicine, "202603")
    assert (published["INSP_DONE"], published["INSP_SCORE_SUM"], published["INSP_FINDINGS"]) == (
        1,
        11,
        2,
    )
    result = analyse(["INSP_AVG_SCORE"], [periods.parse("202603")], [w.hospital])
    assert result.values[("INSP_AVG_SCORE", "202603", "HOS")] == D(11)


def test_a_submitted_inspection_cannot_be_edited(done):
    w = done
    with pytest.raises(InspectionError, match="该检查已提交，不能再修改"):
        actions.record_item(w.ivan, w.inspection, item(w, "1.2"), MarkInput(occurrences="1"))
    row = ItemScore.objects.get(inspection=w.inspection, item__code="1.2")
    assert (row.met, row.occurrences, row.earned) == (True, None, D(4))


def test_scores_out_of_range_are_refused_and_nothing_changes(insp):
    w = insp
    inspection = actions.start_inspection(w.ivan, w.version, w.medicine, dt.date(2026, 3, 10))
    for data, message in [
        (MarkInput(score="7"), "得分 7 超过分值 6"),
        (MarkInput(score="-1"), "得分不能为负数"),
        (MarkInput(score="abc"), "不是数字"),
        (MarkInput(occurrences="1.5"), "问题处数“1.5”应为 0 或正整数"),
        (MarkInput(occurrences="-2"), "问题处数不能为负数（“-2”）"),
        (MarkInput(occurrences="abc"), "问题处数“abc”应为 0 或正整数"),
        (MarkInput(occurrences="100000"), "问题处数 100000 过大（最多 9999）"),
        (MarkInput(met=True, occurrences="2"), "已标为符合，不能同时扣分"),
    ]:
        with pytest.raises(InspectionError, match=message):
            actions.record_item(w.ivan, inspection, item(w, "1.1"), data)
    assert not ItemScore.objects.filter(inspection=inspection).exists()


def test_a_partly_scored_inspection_has_no_score_and_cannot_be_submitted(insp):
    w = insp
    inspection = actions.start_inspection(w.ivan, w.version, w.medicine, dt.date(2026, 3, 10))
    actions.record_item(w.ivan, inspection, item(w, "1.1"), MarkInput(occurrences="1"))
    actions.record_item(w.ivan, inspection, item(w, "2.1"), MarkInput(met=True))
    inspection.refresh_from_db()
    # 2 of 5 items scored: the 3 others are not full marks, so no score (not 18) and no verdict
    assert (inspection.score, inspection.passed, inspection.findings) == (None, None, 1)
    with pytest.raises(InspectionError) as refused:
        actions.submit_inspection(w.ivan, inspection, present="张主任")
    assert refused.value.message == (
        "还有 3 项未评分，不能提交：第1.2项“医疗废物”、第2.2项“院感培训”、第3.1项“院感暴发瞒报”。"
        "请逐项评分（符合、扣分或不达标），或标为不适用"
    )
    assert Inspection.objects.get(pk=inspection.pk).status == InspectionStatus.DRAFT
    assert not figures(w.medicine, "202603")  # nothing published for a refused submission
    # marking 1.2 不适用 and the two others completes the sheet:
    # applicable 6 + 5 + 5 = 16, earned 4 + 5 + 3 = 12 → 12 / 16 × 20 = 15 < 16: 不合格
    actions.record_item(w.ivan, inspection, item(w, "1.2"), MarkInput(na=True))
    actions.record_item(w.ivan, inspection, item(w, "2.2"), MarkInput(score="3"))
    actions.record_item(w.ivan, inspection, item(w, "3.1"), MarkInput(met=True))
    actions.submit_inspection(w.ivan, inspection, present="张主任")
    inspection.refresh_from_db()
    assert (inspection.status, inspection.score, inspection.passed) == ("SUBMITTED", D(15), False)


def test_old_submitted_sheets_keep_their_meaning_when_marks_become_explicit(insp):
    """The migration that introduced 符合: unmarked items of inspections submitted under the
    old rule (unmarked = met) are recorded as met; a draft's stay unscored."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("weijian.inspections.migrations.0003_item_marked_met")
    w = insp
    old = actions.start_inspection(w.ivan, w.version, w.medicine, dt.date(2026, 3, 10))
    actions.record_item(w.ivan, old, item(w, "1.1"), MarkInput(occurrences="1"))
    ItemScore.objects.create(inspection=old, item=item(w, "1.2"), finding="只写了问题，未评分")
    Inspection.objects.filter(pk=old.pk).update(status=InspectionStatus.SUBMITTED)
    draft = actions.start_inspection(w.ivan, w.version, w.surgery, dt.date(2026, 3, 10))
    actions.record_item(w.ivan, draft, item(w, "1.1"), MarkInput(occurrences="1"))

    migration.mark_old_sheets_met(apps, None)

    old_sheet = actions.sheet_of(Inspection.objects.get(pk=old.pk))
    # as scored before: 1.1 one occurrence 6 − 2 = 4, everything else full: 18 of 20
    assert (old_sheet.complete, old_sheet.score) == (True, D(18))
    assert ItemScore.objects.get(inspection=old, item__code="1.2").finding == "只写了问题，未评分"
    draft_sheet = actions.sheet_of(Inspection.objects.get(pk=draft.pk))
    assert (draft_sheet.scored, draft_sheet.score) == (1, None)


def test_a_veto_zeroes_the_inspection_at_once(insp):
    # even on an incomplete sheet: a failed veto decides the result whatever the rest earns
    w = insp
    inspection = actions.start_inspection(w.ivan, w.version, w.medicine, dt.date(2026, 3, 10))
    actions.record_item(w.ivan, inspection, item(w, "3.1"), MarkInput(failed=True))
    inspection.refresh_from_db()
    assert (inspection.score, inspection.vetoed, inspection.passed) == (D(0), True, False)


def test_only_the_issuer_reopens_with_a_reason_and_it_is_audited(done):
    w = done
    with pytest.raises(InspectionError, match="只有检查单位"):
        actions.reopen_inspection(w.alice, w.inspection, "打错了")
    with pytest.raises(InspectionError, match="请填写退回修改的原因"):
        actions.reopen_inspection(w.ivan, w.inspection, " ")
    assert Inspection.objects.get(pk=w.inspection.pk).status == "SUBMITTED"
    actions.reopen_inspection(w.ivan, w.inspection, "1.1 处数录错")
    assert Inspection.objects.get(pk=w.inspection.pk).status == InspectionStatus.REOPENED
    event = Event.objects.get(inspection=w.inspection, action="退回修改")
    assert (event.user, event.reason) == (w.ivan, "1.1 处数录错")
    # reopened: it no longer counts as done until submitted again
    assert figures(w.medicine, "202603")["INSP_DONE"] == 0
    actions.record_item(w.ivan, w.inspection, item(w, "1.1"), MarkInput(occurrences="1"))
    submit_complete(w.ivan, w.inspection)
    # 6 − 2 = 4; earned 4 + 4 + 0 + 5 = 13
    assert Inspection.objects.get(pk=w.inspection.pk).score == D(13)


def test_an_outsider_cannot_inspect(insp):
    w = insp
    with pytest.raises(InspectionError, match="您无权检查该单位"):
        actions.start_inspection(w.ivan, w.version, w.township, dt.date(2026, 3, 10))
    with pytest.raises(InspectionError, match="您无权"):
        actions.start_inspection(w.alice, w.version, w.medicine, dt.date(2026, 3, 10))
    assert not Inspection.objects.exists()


def issue(w, deadline=dt.date(2026, 3, 31)):
    with time_machine.travel(dt.datetime(2026, 3, 11, 9), tick=False):
        return actions.issue_notice(
            w.ivan,
            w.inspection,
            measures="立即整改，组织手卫生培训",
            responsible="张主任",
            deadline=deadline,
        )


def test_notices_are_numbered_per_issuer_word_and_year(done):
    w = done
    first = issue(w)
    assert first.number == "院感整改〔2026〕1号"
    assert [line["code"] for line in first.items] == ["1.1", "2.1"]
    assert first.items[0]["finding"] == "护士站2人未洗手" and first.items[0]["lost"] == "4"
    with pytest.raises(InspectionError, match="已下发整改通知书"):
        issue(w)
    # a second inspection (外科) by the same office the same year → 2号
    with time_machine.travel(dt.datetime(2026, 3, 12, 9), tick=False):
        other = actions.start_inspection(w.ivan, w.version, w.surgery, dt.date(2026, 3, 12))
        actions.record_item(w.ivan, other, item(w, "1.2"), MarkInput(occurrences="1"))
        submit_complete(w.ivan, other, present="王主任")
        second = actions.issue_notice(
            w.ivan, other, measures="整改", responsible="王主任", deadline=dt.date(2026, 4, 5)
        )
    assert second.number == "院感整改〔2026〕2号"
    # the bureau is another issuer: its own sequence starts at 1
    with time_machine.travel(dt.datetime(2027, 1, 5, 9), tick=False):
        third = actions.start_inspection(w.admin, w.version, w.township, dt.date(2027, 1, 5))
        actions.record_item(w.admin, third, item(w, "2.1"), MarkInput(failed=True))
        submit_complete(w.admin, third, present="院长")
        notice = actions.issue_notice(
            w.admin, third, measures="整改", responsible="院长", deadline=dt.date(2027, 1, 31)
        )
    assert (notice.issuer_unit, notice.number) == (w.bureau, "院感整改〔2027〕1号")


def test_a_deadline_before_the_inspection_is_refused(done):
    with pytest.raises(InspectionError, match="整改期限 2026-03-09 早于检查日期 2026-03-10"):
        issue(done, deadline=dt.date(2026, 3, 9))
    assert not RectificationNotice.objects.exists()


def test_the_notice_lifecycle_answered_rechecked_closed_on_time(done):
    w = done
    notice = issue(w)
    with pytest.raises(InspectionError, match="您无权反馈"):
        actions.answer_notice(w.bob, notice, "已整改完毕")
    actions.answer_notice(
        w.alice, notice, "已组织全科手卫生培训并成立院感小组", today=dt.date(2026, 3, 25)
    )
    # the rectifying unit cannot re-check itself, even holding an inspector role there
    alice_inspector = make_user("alice2", Role.INSPECTOR, w.medicine)
    with pytest.raises(InspectionError, match="整改单位不能复查本单位的整改"):
        actions.recheck_notice(alice_inspector, notice, passed=True)
    assert RectificationNotice.objects.get(pk=notice.pk).status == NoticeStatus.ANSWERED
    actions.recheck_notice(w.ivan, notice, passed=True, note="复查合格", today=dt.date(2026, 3, 28))
    notice.refresh_from_db()
    assert (notice.status, notice.on_time) == (NoticeStatus.CLOSED, True)
    published = figures(w.medicine, "202603")
    assert (
        published["INSP_RECT_DUE"],
        published["INSP_RECT_ONTIME"],
        published["INSP_RECT_OVERDUE"],
    ) == (1, 1, 0)
    result = analyse(["INSP_RATE_ONTIME"], [periods.parse("202603")], [w.medicine])
    assert result.values[("INSP_RATE_ONTIME", "202603", "MED")] == D(100)


def test_a_failed_recheck_reopens_with_a_new_deadline(done):
    w = done
    notice = issue(w)
    actions.answer_notice(w.alice, notice, "已培训", today=dt.date(2026, 3, 25))
    with pytest.raises(InspectionError, match="须给出新的整改期限"):
        actions.recheck_notice(
            w.ivan, notice, passed=False, note="仍有人未洗手", today=dt.date(2026, 3, 28)
        )
    with pytest.raises(InspectionError, match="早于今天"):
        actions.recheck_notice(
            w.ivan,
            notice,
            passed=False,
            note="仍有人未洗手",
            new_deadline=dt.date(2026, 3, 1),
            today=dt.date(2026, 3, 28),
        )
    assert RectificationNotice.objects.get(pk=notice.pk).status == NoticeStatus.ANSWERED
    actions.recheck_notice(
        w.ivan,
        notice,
        passed=False,
        note="仍有人未洗手",
        new_deadline=dt.date(2026, 4, 10),
        today=dt.date(2026, 3, 28),
    )
    notice.refresh_from_db()
    assert (notice.status, notice.deadline) == (NoticeStatus.REOPENED, dt.date(2026, 4, 10))
    event = Event.objects.get(notice=notice, action="复查未通过")
    assert "2026-03-31 改为 2026-04-10" in event.reason
    # the notice moved to April's figures; March has none due now
    assert figures(w.medicine, "202603")["INSP_RECT_DUE"] == 0
    assert figures(w.medicine, "202604")["INSP_RECT_DUE"] == 1
    # answered late (after 10 April), then closed: due 1, on time 0
    actions.answer_notice(w.alice, notice, "再次培训并考核", today=dt.date(2026, 4, 15))
    actions.recheck_notice(w.ivan, notice, passed=True, today=dt.date(2026, 4, 16))
    april = figures(w.medicine, "202604")
    assert (april["INSP_RECT_DUE"], april["INSP_RECT_ONTIME"], april["INSP_RECT_OVERDUE"]) == (
        1,
        0,
        0,
    )


def test_overdue_notices_escalate_to_the_issuers_manager_after_n_days(done, settings):
    w = done
    settings.WEIJIAN_NOTICE_ESCALATE_DAYS = 7
    manager = make_user("mia", Role.INSTITUTION_ADMIN, w.hospital)
    notice = issue(w)  # deadline 31 March
    # 6 April: overdue 6 days, not yet escalated; the overdue figure is published
    assert actions.escalate_overdue(today=dt.date(2026, 4, 6)) == []
    assert figures(w.medicine, "202603")["INSP_RECT_OVERDUE"] == 1
    # 7 April: 7 days → escalated to the hospital (where Mia manages), once
    escalated = actions.escalate_overdue(today=dt.date(2026, 4, 7))
    assert [n.pk for n in escalated] == [notice.pk]
    notice.refresh_from_db()
    assert notice.escalated_to == w.hospital and notice.escalated_at is not None
    assert actions.escalate_overdue(today=dt.date(2026, 4, 8)) == []
    assert Event.objects.filter(notice=notice, action="逾期升级督办").count() == 1
    # it shows on the manager's board
    from weijian.inspections.queries import board

    tasks = board(fresh(manager), today=dt.date(2026, 4, 8))
    shown = tasks.overdue + tasks.escalated
    assert [(n.pk, n.days_late, n.escalated_at is not None) for n in shown] == [
        (notice.pk, 8, True)
    ]
