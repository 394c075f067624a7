"""The workflow: 填报 → 上报 → 审核通过 (or 退回) → 锁定, with unlock, all audited."""

import pytest

from weijian.reporting import actions
from weijian.reporting.models import (
    DataValue,
    DataValueAudit,
    Submission,
    SubmissionEvent,
    SubmissionStatus,
)

FULL = {("OPD", "MALE"): "120", ("OPD", "FEMALE"): "130", ("DIS", "default"): "40"}


def submitted(world, period="202601"):
    actions.save_values(world.alice, world.form, world.medicine, period, FULL)
    return actions.submit(world.alice, world.form, world.medicine, period)


def test_submit_then_approve_locks_the_data(world):
    submission = submitted(world)
    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.first_submitted_at is not None
    approved = actions.approve(world.rita, submission)
    assert approved.status == SubmissionStatus.APPROVED
    with pytest.raises(actions.ReportingError, match="数据已锁定"):
        actions.save_values(
            world.alice, world.form, world.medicine, "202601", {("DIS", "default"): "41"}
        )
    assert DataValue.objects.get(element=world.discharges).value == "40"
    assert [e.action for e in submission.events.all()] == ["SUBMIT", "APPROVE"]


def test_submitted_data_cannot_be_changed_while_under_review(world):
    submitted(world)
    with pytest.raises(actions.ReportingError, match="已上报"):
        actions.save_values(
            world.alice, world.form, world.medicine, "202601", {("DIS", "default"): "1"}
        )


def test_submit_is_refused_while_a_required_cell_is_empty(world):
    actions.save_values(
        world.alice, world.form, world.medicine, "202601", {("DIS", "default"): "40"}
    )
    with pytest.raises(actions.ReportingError) as caught:
        actions.submit(world.alice, world.form, world.medicine, "202601")
    assert "2 个必填项未填写" in caught.value.message
    assert {p.where for p in caught.value.problems} == {"门急诊人次（男）", "门急诊人次（女）"}
    assert Submission.objects.get().status == SubmissionStatus.DRAFT


def test_return_needs_a_reason_and_reopens_entry(world):
    submission = submitted(world)
    with pytest.raises(actions.ReportingError, match="请填写退回原因"):
        actions.return_for_correction(world.rita, submission, "  ")
    assert Submission.objects.get().status == SubmissionStatus.SUBMITTED
    actions.return_for_correction(world.rita, submission, "出院人次与病案室不符")
    submission.refresh_from_db()
    assert (submission.status, submission.return_reason) == ("RETURNED", "出院人次与病案室不符")
    # Changing what the reviewer saw now needs a reason for the audit trail.
    with pytest.raises(actions.ReportingError, match="请填写修改说明"):
        actions.save_values(
            world.alice, world.form, world.medicine, "202601", {("DIS", "default"): "42"}
        )
    assert DataValue.objects.get(element=world.discharges).value == "40"
    actions.save_values(
        world.alice,
        world.form,
        world.medicine,
        "202601",
        {("DIS", "default"): "42"},
        reason="按病案室核对",
    )
    assert DataValueAudit.objects.get(action="UPDATE").reason == "按病案室核对"
    first = submission.first_submitted_at
    resubmitted = actions.submit(world.alice, world.form, world.medicine, "202601")
    # Timeliness is judged by the first submission.
    assert resubmitted.first_submitted_at == first
    assert resubmitted.return_reason == ""


def test_only_the_parent_units_reviewer_may_approve(world):
    submission = submitted(world)
    for person in (world.alice, world.bob, world.olivia, world.victor):
        with pytest.raises(actions.ReportingError, match="没有审核"):
            actions.approve(person, submission)
    assert Submission.objects.get().status == SubmissionStatus.SUBMITTED
    assert SubmissionEvent.objects.filter(action="APPROVE").count() == 0


def test_lock_and_unlock_are_audited(world):
    submission = actions.approve(world.rita, submitted(world))
    actions.lock(world.rita, submission)
    assert Submission.objects.get().status == SubmissionStatus.LOCKED
    with pytest.raises(actions.ReportingError, match="请填写解锁原因"):
        actions.unlock(world.rita, submission, "")
    with pytest.raises(actions.ReportingError, match="没有审核"):
        actions.unlock(world.alice, submission, "我想改")
    actions.unlock(world.rita, submission, "财务科更正出院人次")
    event = SubmissionEvent.objects.get(action="UNLOCK")
    assert (event.by, event.reason) == (world.rita, "财务科更正出院人次")
    actions.save_values(
        world.alice, world.form, world.medicine, "202601", {("DIS", "default"): "39"}, reason="更正"
    )
    audit = DataValueAudit.objects.get(action="UPDATE")
    assert (audit.old_value, audit.new_value, audit.changed_by, audit.reason) == (
        "40",
        "39",
        world.alice,
        "更正",
    )


def test_approving_twice_is_refused(world):
    submission = actions.approve(world.rita, submitted(world))
    with pytest.raises(actions.ReportingError, match="当前状态为“审核通过”，不能审核通过"):
        actions.approve(world.rita, submission)


def test_nobody_approves_their_own_report(world):
    actions.save_values(world.admin, world.form, world.medicine, "202601", FULL)
    submission = actions.submit(world.admin, world.form, world.medicine, "202601")
    with pytest.raises(actions.ReportingError, match="填报或上报过该报表"):
        actions.approve(world.admin, submission)
    assert Submission.objects.get().status == SubmissionStatus.SUBMITTED
    assert actions.approve(world.rita, submission).status == SubmissionStatus.APPROVED


def test_who_entered_a_value_and_someone_else_resubmitted_cannot_approve(world):
    """The issue's case: the admin (a reviewer above MED) enters and submits, Rita returns it,
    Alice resubmits it unchanged; the admin still took part, so the admin cannot approve."""
    actions.save_values(world.admin, world.form, world.medicine, "202601", FULL)
    submission = actions.submit(world.admin, world.form, world.medicine, "202601")
    actions.return_for_correction(world.rita, submission, "请核对")
    submission = actions.submit(world.alice, world.form, world.medicine, "202601")
    assert submission.submitted_by == world.alice
    with pytest.raises(actions.ReportingError, match="填报或上报过该报表"):
        actions.approve(world.admin, submission)
    assert Submission.objects.get().status == SubmissionStatus.SUBMITTED
    assert actions.approve(world.rita, submission).status == SubmissionStatus.APPROVED


def test_who_only_saved_one_value_cannot_approve(world):
    """Entering any value of the report counts, even when someone else filled the rest and
    submitted it."""
    actions.save_values(
        world.admin, world.form, world.medicine, "202601", {("DIS", "default"): "1"}
    )
    actions.save_values(world.alice, world.form, world.medicine, "202601", FULL)
    submission = actions.submit(world.alice, world.form, world.medicine, "202601")
    with pytest.raises(actions.ReportingError, match="填报或上报过该报表"):
        actions.approve(world.admin, submission)
    assert actions.approve(world.rita, submission).status == SubmissionStatus.APPROVED


def test_who_only_submitted_an_earlier_version_cannot_approve(world):
    """Submitting counts on its own: the admin submits Alice's values (entering none), Rita
    returns the report, Alice resubmits it unchanged; the admin still may not approve."""
    actions.save_values(world.alice, world.form, world.medicine, "202601", FULL)
    submission = actions.submit(world.admin, world.form, world.medicine, "202601")
    assert not DataValueAudit.objects.filter(changed_by=world.admin).exists()
    actions.return_for_correction(world.rita, submission, "请核对")
    submission = actions.submit(world.alice, world.form, world.medicine, "202601")
    with pytest.raises(actions.ReportingError, match="填报或上报过该报表"):
        actions.approve(world.admin, submission)
    assert Submission.objects.get().status == SubmissionStatus.SUBMITTED


def test_values_of_another_unit_or_period_do_not_bar_a_reviewer(world):
    """Only this report's values count: the admin's values for SUR or for February do not."""
    world.form.org_units.add(world.surgery)
    actions.save_values(world.admin, world.form, world.surgery, "202601", FULL)
    actions.save_values(world.admin, world.form, world.medicine, "202602", FULL)
    submission = submitted(world)
    assert actions.approve(world.admin, submission).status == SubmissionStatus.APPROVED
