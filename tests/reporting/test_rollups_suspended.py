"""PostgreSQL: a bulk load (the demo) turns the rollup trigger off for its own transaction
only (rollups.suspended(), a transaction-local setting), so a clerk saving while it runs
neither waits for it nor goes uncounted; the load adds its own values' rollups at the end.
(It used to be ALTER TABLE … DISABLE TRIGGER: a table lock every save queued behind.)"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from tests.reporting.test_rollups import assert_verified, links, put, sums
from weijian.orgs.models import OrgUnit, OrgUnitType
from weijian.periods import Period
from weijian.reporting import actions, rollups
from weijian.reporting.models import AggregationType, DataElement
from weijian.reporting.models import Period as PeriodRow

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite: one writer at a time"),
]

WAIT = 120  # seconds: a lost thread fails the test instead of hanging it


def test_a_save_during_a_suspended_load_neither_waits_nor_goes_uncounted(world):
    beds = DataElement.objects.create(
        code="BEDS", name="床位", aggregation_type=AggregationType.LAST
    )
    put(beds, world.medicine, "202601", 20)  # before the load, by the trigger
    # The periods exist already (a period row the load creates would hold up the clerk's
    # insert of the same period until the load commits: a key lock, not the rollups').
    PeriodRow.for_period(Period.parse("202602"))
    loading, saved = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def demo_like_load():
        try:
            with transaction.atomic():
                ward = OrgUnit.objects.add_child(
                    OrgUnit.objects.get(pk=world.hospital.pk),
                    dict(code="WARD", name="新病区", type=OrgUnitType.DEPARTMENT),
                )
                with rollups.suspended(loaded_units=lambda: [ward.pk]):
                    put(world.discharges, ward, "202601", 5)
                    put(beds, ward, "202601", 3)
                    put(beds, ward, "202602", 4)
                    loading.set()
                    # The clerk's save commits while this transaction is still open.
                    if not saved.wait(WAIT):
                        raise AssertionError("the clerk's save did not finish during the load")
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    loader = threading.Thread(target=demo_like_load)
    loader.start()
    try:
        assert loading.wait(WAIT)
        with transaction.atomic():
            with connection.cursor() as cursor:  # a table lock would fail this, not hang it
                cursor.execute("SET LOCAL lock_timeout = '20s'")
            cells = {("DIS", "default"): "7", ("OPD", "MALE"): "1", ("OPD", "FEMALE"): "2"}
            actions.save_values(world.alice, world.form, world.medicine, "202601", cells)
            put(beds, world.medicine, "202602", 21)
        saved.set()
    finally:
        saved.set()
        loader.join(WAIT)
    assert errors == []
    assert_verified()
    # DIS 202601: the ward's 5 (added by the load) + medicine's 7 (the clerk's trigger).
    assert sums(world.discharges)[("HOS", "202601")] == (12_000_000, 2)
    assert sums(world.discharges)[("BUR", "202601")] == (12_000_000, 2)
    assert sums(world.discharges)[("WARD", "202601")] == (5_000_000, 1)
    # BEDS chains per unit: medicine 202601→202602 (20), 202602→end (21); the ward 3, 4.
    # At the hospital: 202601→202602 holds 20 + 3, 202602→'' holds 21 + 4.
    assert links(beds)[("HOS", "202601", "202602")] == (23_000_000, 2)
    assert links(beds)[("HOS", "202602", "")] == (25_000_000, 2)


def test_the_setting_ends_with_the_load(world):
    with rollups.suspended(loaded_units=list):
        put(world.discharges, world.medicine, "202601", 5)  # not a loaded unit: uncounted
        assert sums(world.discharges) == {}
    put(world.discharges, world.surgery, "202601", 1)  # the trigger is back on
    # Only surgery's 1: the suspended write at medicine was left out on purpose.
    assert sums(world.discharges)[("HOS", "202601")] == (1_000_000, 1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting(%s, true)", [rollups.SUSPEND_SETTING])
        assert cursor.fetchone()[0] in ("", "off", None)
