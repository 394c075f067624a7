"""The completeness rollups the database keeps (reporting/completeness_rollups.py), read by
R{} (indicators/reporting_metrics.py) and checked against the on-the-fly reference.

Units (tests/world.py): 示范局 BUR > 人民医院 HOS > 内科 MED, 外科 SUR; BUR > 城关卫生院 TWN.
Form WORK is monthly, due 5 days after the month's end, assigned directly to MED, SUR, TWN.
January 2026 is due 2026-02-05; on time = first submitted before 2026-02-06 00:00 Shanghai
(= 2026-02-05 16:00 UTC).
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from tests.reporting.test_completeness import build_case
from weijian.indicators import reporting_metrics
from weijian.indicators.expression import ReportingMetric, ReportingRef
from weijian.orgs.models import OrgUnit, OrgUnitGroup
from weijian.periods import Period
from weijian.reporting import actions, completeness_rollups, rollups
from weijian.reporting.models import Period as PeriodRow
from weijian.reporting.models import Submission

SHANGHAI = ZoneInfo("Asia/Shanghai")
FULL = {("OPD", "MALE"): "1", ("OPD", "FEMALE"): "2", ("DIS", "default"): "3"}
REF = {ReportingRef("WORK", ReportingMetric.EXPECTED_REPORTS)}


def counts(world, units=None, period="202601"):
    """unit code → (expected, actual, on time) of WORK from the rollups, after checking that
    the on-the-fly reference gives the same and that verify finds nothing."""
    units = units or [world.bureau, world.hospital, world.medicine, world.township]
    period_list = [Period.parse(period)]
    fast = reporting_metrics.count_reports(REF, units, period_list)
    reference = reporting_metrics.count_reports(REF, units, period_list, reference=True)
    assert fast == reference
    assert rollups.verify() == (0, [])
    codes = {u.pk: u.code for u in units}
    return {codes[u]: figures for (u, _p), figures in fast["WORK"].items()}


def submit_at(user, unit, moment, world, month="202601"):
    with time_machine.travel(moment, tick=False):
        actions.save_values(user, world.form, unit, month, FULL)
        return actions.submit(user, world.form, unit, month)


def test_the_hand_case_from_the_rollups(world):
    build_case(world)
    # See test_completeness.py: BUR expects MED, SUR, TWN, NEW (OLD closed 2025-12-31);
    # reported MED (on time), SUR (late); NEW's report was returned. HOS: MED, SUR.
    assert counts(world) == {
        "BUR": (4, 2, 1),
        "HOS": (2, 2, 1),
        "MED": (1, 1, 1),
        "TWN": (1, 0, 0),
    }


def test_the_due_days_end_at_local_midnight(world):
    # 23:59 on 2026-02-05 in Shanghai is on time; 00:01 on 2026-02-06 is late.
    submit_at(world.alice, world.medicine, dt.datetime(2026, 2, 5, 23, 59, tzinfo=SHANGHAI), world)
    submit_at(world.bob, world.surgery, dt.datetime(2026, 2, 6, 0, 1, tzinfo=SHANGHAI), world)
    assert counts(world)["HOS"] == (2, 2, 1)


def test_every_workflow_step_moves_the_counts(world):
    march = dt.datetime(2026, 3, 1, 9, tzinfo=SHANGHAI)  # late for January
    report = submit_at(world.alice, world.medicine, march, world)
    assert counts(world)["HOS"] == (2, 1, 0)
    report = actions.approve(world.rita, report)
    assert counts(world)["HOS"] == (2, 1, 0)
    report = actions.lock(world.admin, report)
    assert counts(world)["HOS"] == (2, 1, 0)
    report = actions.unlock(world.admin, report, "数据有误，解锁更正")  # → RETURNED
    assert counts(world)["HOS"] == (2, 0, 0)
    report = actions.submit(world.alice, world.form, world.medicine, "202601")
    assert counts(world)["HOS"] == (2, 1, 0)  # still late: the first submission counts
    actions.return_for_correction(world.rita, report, "请核对")
    assert counts(world)["HOS"] == (2, 0, 0)


def test_assignments_directly_and_through_groups_count_each_unit_once(world):
    submit_at(world.alice, world.medicine, dt.datetime(2026, 2, 1, tzinfo=SHANGHAI), world)
    group = OrgUnitGroup.objects.create(code="DEP", name="科室")
    group.members.set([world.medicine, world.hospital])
    world.form.org_groups.add(group)
    # HOS is now assigned through the group: 3 expected below HOS (HOS, MED, SUR); MED both
    # directly and through the group still counts once.
    assert counts(world)["HOS"] == (3, 1, 1)
    world.form.org_units.remove(world.medicine)  # still assigned through the group
    assert counts(world)["HOS"] == (3, 1, 1)
    group.members.remove(world.medicine)  # no longer assigned: its report no longer counts
    assert counts(world)["HOS"] == (2, 0, 0)
    world.form.org_units.add(world.medicine)
    assert counts(world)["HOS"] == (3, 1, 1)
    world.form.org_groups.remove(group)  # HOS leaves
    assert counts(world)["HOS"] == (2, 1, 1)


def test_opening_and_closing_a_unit(world):
    submit_at(world.alice, world.medicine, dt.datetime(2026, 2, 1, tzinfo=SHANGHAI), world)
    OrgUnit.objects.filter(pk=world.medicine.pk).update(closing_date=dt.date(2025, 12, 31))
    assert counts(world)["HOS"] == (1, 0, 0)  # MED closed before January: not expected
    medicine = OrgUnit.objects.get(pk=world.medicine.pk)
    medicine.closing_date, medicine.opening_date = None, dt.date(2026, 1, 20)
    medicine.save()
    assert counts(world)["HOS"] == (2, 1, 1)  # opened during January: expected again
    # A quarter: MED expected in January, February and March (opened 2026-01-20), SUR too.
    assert counts(world, period="2026Q1")["HOS"] == (6, 1, 1)


def test_changing_the_due_days_moves_the_on_time_counts(world):
    submit_at(world.alice, world.medicine, dt.datetime(2026, 2, 8, 9, tzinfo=SHANGHAI), world)
    assert counts(world)["MED"] == (1, 1, 0)  # due 2026-02-05: late
    world.form.due_days = 10  # due 2026-02-10
    world.form.save()
    assert counts(world)["MED"] == (1, 1, 1)


def test_rows_written_outside_the_actions_count_too(world):
    # As an import or repair script might write them, bypassing the workflow.
    report = Submission.objects.create(
        form=world.form, org_unit=world.surgery, period=PeriodRow.for_period(Period.parse("202601")),
        status="SUBMITTED", first_submitted_at=dt.datetime(2026, 2, 2, tzinfo=SHANGHAI),
    )  # fmt: skip
    assert counts(world)["HOS"] == (2, 1, 1)
    Submission.objects.filter(pk=report.pk).update(status="LOCKED")
    assert counts(world)["HOS"] == (2, 1, 1)
    report.delete()
    assert counts(world)["HOS"] == (2, 0, 0)


def test_verify_names_a_wrong_completeness_cell_and_rebuild_repairs_it(world):
    submit_at(world.alice, world.medicine, dt.datetime(2026, 2, 1, tzinfo=SHANGHAI), world)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE reporting_reportrollup SET actual = 7 WHERE unit_id = %s AND period_id = %s",
            [world.hospital.pk, "202601"],
        )
    count, differences = rollups.verify()
    assert count == 1
    assert differences[0].describe() == (
        "[上报完整性·实报] WORK · HOS · 202601：汇总表为 实报 7，及时 1，按上报记录应为 实报 1，及时 1"
    )
    written = rollups.rebuild()
    assert written["completeness"] > 0
    assert rollups.verify() == (0, [])


def test_sqlite_refuses_a_zone_with_daylight_saving():
    assert completeness_rollups.fixed_offset_minutes("Asia/Shanghai") == 480
    assert completeness_rollups.fixed_offset_minutes("UTC") == 0
    with pytest.raises(ImproperlyConfigured, match="夏令时"):
        completeness_rollups.fixed_offset_minutes("Europe/Berlin")


def test_one_change_moving_several_reports_of_one_ancestor(world):
    # Both departments of HOS report January; a new due day moves both in one statement
    # (PostgreSQL refuses an upsert touching one rollup row twice: the rows are grouped).
    submit_at(world.alice, world.medicine, dt.datetime(2026, 2, 8, tzinfo=SHANGHAI), world)
    submit_at(world.bob, world.surgery, dt.datetime(2026, 2, 9, tzinfo=SHANGHAI), world)
    assert counts(world)["HOS"] == (2, 2, 0)  # both late (due 2026-02-05)
    world.form.due_days = 10
    world.form.save()
    assert counts(world)["HOS"] == (2, 2, 2)  # both on time by 2026-02-10
    world.form.org_units.remove(world.medicine, world.surgery)
    world.form.org_units.add(world.medicine, world.surgery)
    assert counts(world)["HOS"] == (2, 2, 2)
    OrgUnit.objects.filter(code__in=["MED", "SUR"]).update(opening_date=dt.date(2026, 1, 2))
    assert counts(world)["HOS"] == (2, 2, 2)
