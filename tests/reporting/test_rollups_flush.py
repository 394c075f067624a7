"""A flush (`weijian flush`, the demo's reset, the tests' reset between transactional tests)
leaves the rollup tables empty, as it leaves the values: on SQLite the flush is one DELETE
per table in an order that changes from one process to the next, and the triggers of the
tables deleted after their rollups put rows back into them.

Units (tests/world.py): 示范局 BUR > 人民医院 HOS > 内科 MED, 外科 SUR; BUR > 城关卫生院 TWN."""

import pytest
from django.core.management import call_command
from django.db import connection

from tests.reporting.test_completeness_rollups import FULL
from tests.world import make_world
from weijian.reporting import actions, rollups
from weijian.reporting.models import (
    AssignedUnit,
    ExpectedRollup,
    LastRollup,
    ReportRollup,
    ValueRollup,
)

ROLLUPS = (ValueRollup, LastRollup, AssignedUnit, ExpectedRollup, ReportRollup)


def save_and_submit(world, value: str) -> None:
    actions.save_values(
        world.alice, world.form, world.medicine, "202601", {**FULL, ("DIS", "default"): value}
    )
    actions.submit(world.alice, world.form, world.medicine, "202601")


def rollups_first(monkeypatch) -> None:
    """Django lists the tables from a set; list the rollup tables before their sources, the
    order that left rows behind."""
    listed = connection.introspection.django_table_names
    derived = {m._meta.db_table for m in ROLLUPS}

    def ordered(*args, **kwargs):
        tables = listed(*args, **kwargs)
        return sorted(tables, key=lambda table: table not in derived)

    monkeypatch.setattr(connection.introspection, "django_table_names", ordered)


@pytest.mark.django_db(transaction=True)
def test_a_flush_empties_the_rollups_whatever_order_it_deletes_the_tables_in(monkeypatch):
    save_and_submit(make_world(), "3")
    # (No LAST element in this world: its chains stay empty.)
    assert all(m.objects.exists() for m in ROLLUPS if m is not LastRollup)
    rollups_first(monkeypatch)

    call_command("flush", interactive=False, verbosity=0)

    assert {m.__name__: m.objects.count() for m in ROLLUPS} == dict.fromkeys(
        (m.__name__ for m in ROLLUPS), 0
    )
    # The same world again, numbered from 1 again (the flush reset the sequences): its sums
    # start from nothing. 内科 discharges 5: 5 at 内科, 人民医院 and the bureau.
    world = make_world()
    save_and_submit(world, "5")
    assert rollups.verify() == (0, [])
    discharges = ValueRollup.objects.filter(element_id=world.discharges.pk, n__gt=0)
    assert sorted(discharges.values_list("unit_id", "micros", "n")) == sorted(
        (unit.pk, 5_000_000, 1) for unit in (world.bureau, world.hospital, world.medicine)
    )
