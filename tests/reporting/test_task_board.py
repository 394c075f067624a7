"""The task board routes each report to the nearest people who can act on it."""

import datetime as dt

import time_machine

from weijian.orgs.models import OrgUnit
from weijian.orgs.scope import Scope
from weijian.reporting import actions, queries

FULL = {("OPD", "MALE"): "1", ("OPD", "FEMALE"): "2", ("DIS", "default"): "3"}
TODAY = dt.date(2026, 3, 3)  # February's reports are due on 5 March; January's are overdue


def board_for(user):
    return queries.task_board(Scope(user), today=TODAY)


def keys(tasks):
    return sorted((t.org_unit.code, t.period.id) for t in tasks)


def test_a_clerk_sees_due_and_overdue_reports_of_their_unit_only(world):
    board = board_for(world.alice)
    assert ("MED", "202602") in keys(board.due)
    assert ("MED", "202601") in keys(board.overdue)
    assert {t.org_unit.code for t in board.due + board.overdue} == {"MED"}
    # The look-back window is a year: March 2025 is the oldest period listed.
    assert min(t.period.id for t in board.overdue) == "202503"


def test_submitted_reports_leave_the_clerks_list_and_reach_the_reviewer(world):
    with time_machine.travel(dt.datetime(2026, 2, 2, 9), tick=False):
        actions.save_values(world.alice, world.form, world.medicine, "202601", FULL)
        actions.submit(world.alice, world.form, world.medicine, "202601")
    assert ("MED", "202601") not in keys(board_for(world.alice).overdue)
    assert keys(board_for(world.rita).to_review) == [("MED", "202601")]


def test_returned_reports_come_back_to_the_clerk_with_the_reason(world):
    actions.save_values(world.alice, world.form, world.medicine, "202601", FULL)
    submission = actions.submit(world.alice, world.form, world.medicine, "202601")
    actions.return_for_correction(world.rita, submission, "出院人次偏低")
    returned = board_for(world.alice).returned
    assert keys(returned) == [("MED", "202601")]
    assert returned[0].submission.return_reason == "出院人次偏低"
    assert board_for(world.rita).to_review == []


def test_the_bureau_is_not_handed_what_a_closer_reviewer_or_clerk_handles(world):
    for user, unit in ((world.alice, world.medicine), (world.olivia, world.township)):
        actions.save_values(user, world.form, unit, "202601", FULL)
        actions.submit(user, world.form, unit, "202601")
    board = board_for(world.admin)
    # 内科 is reviewed by the hospital's Rita; the township has nobody between it and the bureau.
    assert keys(board.to_review) == [("TWN", "202601")]
    assert not {"MED", "SUR", "TWN"} & {t.org_unit.code for t in board.overdue + board.due}


def test_a_department_without_a_clerk_falls_to_the_next_level_up(world):
    lab = OrgUnit.objects.add_child(
        world.hospital, dict(code="LAB", name="检验科", type="DEPARTMENT")
    )
    world.form.org_units.add(lab)
    assert ("LAB", "202601") in keys(board_for(world.admin).overdue)
    assert "LAB" not in {t.org_unit.code for t in board_for(world.alice).overdue}


def test_a_deactivated_clerk_no_longer_holds_their_units_tasks(world):
    world.alice.is_active = False
    world.alice.save()
    # Nobody else enters for 内科 below the bureau, so its reports fall to the bureau admin.
    assert ("MED", "202601") in keys(board_for(world.admin).overdue)
