"""Completeness and timeliness on a hand-made case.

Form WORK, period 2026-01, due 5 days after the month ends = 2026-02-05 (Asia/Shanghai).

    unit   how assigned   what happened                               counts as
    MED    directly       submitted 2026-02-03, approved              on time
    SUR    directly       submitted 2026-02-08                        late
    TWN    directly       values saved, never submitted (draft)       missing
    NEW    via group      submitted 2026-02-05 23:30 local, returned  missing (returned)
    OLD    via group      closed 2025-12-31                           not expected

    expected = 4 (MED, SUR, TWN, NEW); reported = 2 (MED, SUR); on time = 1 (MED)
    reporting rate = 2 / 4 = 50.0 %; on-time rate = 1 / 4 = 25.0 %
"""

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine

from weijian.orgs.models import OrgUnit, OrgUnitGroup, Role, RoleAssignment
from weijian.orgs.scope import Scope
from weijian.periods import Period
from weijian.reporting import actions, queries

SHANGHAI = ZoneInfo("Asia/Shanghai")
FULL = {("OPD", "MALE"): "1", ("OPD", "FEMALE"): "2", ("DIS", "default"): "3"}


def submit_at(user, form, unit, moment):
    with time_machine.travel(moment, tick=False):
        actions.save_values(user, form, unit, "202601", FULL)
        return actions.submit(user, form, unit, "202601")


def build_case(world):
    new = OrgUnit.objects.add_child(
        world.bureau, dict(code="NEW", name="新区卫生院", type="TOWNSHIP")
    )
    old = OrgUnit.objects.add_child(
        world.bureau,
        dict(code="OLD", name="旧区卫生院", type="TOWNSHIP", closing_date=dt.date(2025, 12, 31)),
    )
    group = OrgUnitGroup.objects.create(code="THC", name="乡镇卫生院")
    group.members.set([new, old])
    world.form.org_groups.add(group)
    RoleAssignment.objects.create(user=world.olivia, org_unit=new, role=Role.CLERK)
    olivia = type(world.olivia).objects.get(pk=world.olivia.pk)

    med = submit_at(
        world.alice, world.form, world.medicine, dt.datetime(2026, 2, 3, 10, tzinfo=SHANGHAI)
    )
    actions.approve(world.rita, med)
    submit_at(world.bob, world.form, world.surgery, dt.datetime(2026, 2, 8, 9, tzinfo=SHANGHAI))
    with time_machine.travel(dt.datetime(2026, 2, 1, 9, tzinfo=SHANGHAI), tick=False):
        actions.save_values(olivia, world.form, world.township, "202601", {("DIS", "default"): "3"})
    # 23:30 on the due day in Shanghai is 15:30 UTC: still on time by the local calendar.
    returned = submit_at(olivia, world.form, new, dt.datetime(2026, 2, 5, 23, 30, tzinfo=SHANGHAI))
    actions.return_for_correction(world.admin, returned, "请核对")
    return new, old


def test_the_bureau_sees_the_hand_computed_figures(world):
    new, old = build_case(world)
    c = queries.completeness(world.form, Period.parse("202601"), Scope(world.admin))
    assert c.due_date == dt.date(2026, 2, 5)
    assert sorted(u.code for u in c.expected) == ["MED", "NEW", "SUR", "TWN"]
    assert (c.expected_count, c.reported_count, c.on_time_count) == (4, 2, 1)
    assert (c.reporting_rate, c.on_time_rate) == (50.0, 25.0)
    assert [u.code for u, _ in c.on_time] == ["MED"]
    assert [u.code for u, _ in c.late] == ["SUR"]
    assert sorted(u.code for u, _ in c.missing) == ["NEW", "TWN"]
    assert old not in c.expected


def test_a_resubmission_after_return_is_on_time_if_the_first_was(world):
    new, _ = build_case(world)
    olivia = type(world.olivia).objects.get(pk=world.olivia.pk)
    with time_machine.travel(dt.datetime(2026, 2, 20, 9, tzinfo=SHANGHAI), tick=False):
        actions.submit(olivia, world.form, new, "202601")
    c = queries.completeness(world.form, Period.parse("202601"), Scope(world.admin))
    assert sorted(u.code for u, _ in c.on_time) == ["MED", "NEW"]
    assert c.on_time_count == 2


def test_the_hospital_reviewer_counts_only_the_hospitals_units(world):
    build_case(world)
    c = queries.completeness(world.form, Period.parse("202601"), Scope(world.rita))
    assert (c.expected_count, c.reported_count, c.on_time_count) == (2, 2, 1)


def test_an_outsider_counts_nothing_of_others(world):
    build_case(world)
    c = queries.completeness(world.form, Period.parse("202601"), Scope(world.bob))
    assert [u.code for u in c.expected] == ["SUR"]
