"""How the engine reads the value rollup (indicators/rollup_operands.py): rows as stored,
without a GROUP BY, where each requested period is one stored period; a cell's writer slots
added up only when some row lies outside slot 0; cells whose values were all deleted not
answered. Always the reference path's answer, in the same number of queries.

Units (tests/world.py): 示范局 BUR > 人民医院 HOS > 内科 MED, 外科 SUR; BUR > 城关卫生院 TWN.
"""

from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from weijian.indicators import operands, rollup_operands
from weijian.periods import Period
from weijian.reporting import rollups
from weijian.reporting.models import DataElement, DataValue, ValueRollup
from weijian.reporting.models import Period as PeriodRow
from weijian.reporting.queries import default_option

JAN, FEB, Q1 = (Period.parse(p) for p in ("202601", "202602", "2026Q1"))

# (table, element, option, unit, requested position, micros, n, slot)


def test_rows_of_slot_zero_are_their_cells_and_emptied_cells_are_dropped():
    rows = [
        (0, 7, 1, 10, 0, 12_000_000, 1, 0),
        (0, 7, 1, 11, 0, 0, 0, 0),  # all its values deleted, not yet compacted
        (0, 7, 1, 12, 1, -5_500_000, 2, 0),  # negative figures are figures
    ]
    assert rollup_operands.add_slots(rows) == [
        (0, 7, 1, 10, 0, 12_000_000, 1),
        (0, 7, 1, 12, 1, -5_500_000, 2),
    ]


def test_a_cells_slots_are_added_up_and_a_cell_left_with_no_value_is_dropped():
    rows = [
        (0, 7, 1, 10, 0, 10_000_000, 1, 0),
        (0, 7, 1, 11, 0, 3_000_000, 1, 0),
        # Another writer changed unit 10's value from 10 to 12: +2, no new value (n 0).
        (0, 7, 1, 10, 0, 2_000_000, 0, 4242),
        # Another wrote unit 13's value (4) and a third deleted it: nothing left.
        (0, 7, 1, 13, 0, 4_000_000, 1, 51),
        (0, 7, 1, 13, 0, -4_000_000, -1, 52),
        # Same unit, next requested period: a cell of its own.
        (0, 7, 1, 10, 1, 1_000_000, 1, 52),
    ]
    assert sorted(rollup_operands.add_slots(rows)) == [
        (0, 7, 1, 10, 0, 12_000_000, 1),  # 10 + 2
        (0, 7, 1, 10, 1, 1_000_000, 1),
        (0, 7, 1, 11, 0, 3_000_000, 1),
    ]


def put(element, unit, period, value):
    return DataValue.objects.create(
        element=element, option=default_option(), org_unit=unit,
        period=PeriodRow.for_period(period), value=str(value), number=Decimal(str(value)),
        updated_at=timezone.now(),
    )  # fmt: skip


def write_in_slot(slot: int | None) -> None:
    """PostgreSQL: the writes that follow land in `slot`, as another connection's would."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config(%s, %s, false)",
            [rollups.SLOT_SETTING, "" if slot is None else str(slot)],
        )


def cells(figures: dict) -> dict:
    """(unit, period id) → value, as the element's total and its one (default) option."""
    option = default_option().code
    return {
        ("V", o, unit.pk, period): Decimal(value)
        for (unit, period), value in figures.items()
        for o in (None, option)
    }


def read(units, months, queries):
    visits = DataElement.objects.get(code="V")
    with queries(3):  # stored periods, the rollup rows, the option codes
        found = rollup_operands.fetch_values([visits], units, months)
    return found.cells()


def test_an_emptied_cell_is_not_answered_before_or_after_compaction(
    world, django_assert_num_queries
):
    visits = DataElement.objects.create(code="V", name="V")
    put(visits, world.medicine, JAN, 10)
    put(visits, world.township, FEB, 4)
    DataValue.objects.filter(org_unit=world.township).delete()
    # February's rows of 城关卫生院 and the bureau stay, with n 0, until compacted.
    assert ValueRollup.objects.filter(element_id=visits.pk, period_id="202602", n=0).count() == 2
    units = [world.bureau, world.hospital, world.medicine, world.township]
    expected = cells(
        {
            (world.bureau, "202601"): "10.000000",
            (world.hospital, "202601"): "10.000000",
            (world.medicine, "202601"): "10.000000",
        }
    )
    assert read(units, [JAN, FEB], django_assert_num_queries) == expected
    assert operands.fetch_values([visits], units, [JAN, FEB]) == expected
    rollups.compact()
    assert read(units, [JAN, FEB], django_assert_num_queries) == expected


def test_a_request_with_no_value_anywhere_answers_no_cell(world):
    # PostgreSQL's packed-column read (rollup_columns.fill) once indexed the first row of an
    # empty answer: every township summary asking for an element nobody had reported failed
    # with IndexError (found by CI on PostgreSQL). No value → no cell, as the reference says.
    visits = DataElement.objects.create(code="V", name="V")
    put(visits, world.township, JAN, 4)  # January is stored; the hospital has no value in it
    units = [world.hospital, world.medicine, world.surgery]
    assert rollup_operands.fetch_values([visits], units, [JAN]).cells() == {}
    assert operands.fetch_values([visits], units, [JAN]) == {}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="one writer, one slot on SQLite")
def test_several_writers_slots_read_as_one_cell_before_compaction(world, django_assert_num_queries):
    visits = DataElement.objects.create(code="V", name="V")
    try:
        write_in_slot(1)
        medicine = put(visits, world.medicine, JAN, 10)
        write_in_slot(2)
        put(visits, world.surgery, JAN, 3)
        medicine.number, medicine.value = Decimal(12), "12"  # slot 2 moves slot 1's value
        medicine.save()
        write_in_slot(3)
        put(visits, world.township, FEB, 4)
        DataValue.objects.filter(org_unit=world.township).delete()  # nothing left in February
    finally:
        write_in_slot(None)
    units = [world.bureau, world.hospital, world.medicine, world.surgery, world.township]
    # 内科 12 (10 in slot 1, +2 with no new value in slot 2) and 外科 3: 人民医院 and the
    # bureau 15; February's cells (城关卫生院, the bureau) hold slot 3's +4 and -4: no value.
    expected = cells(
        {
            (world.bureau, "202601"): "15.000000",
            (world.hospital, "202601"): "15.000000",
            (world.medicine, "202601"): "12.000000",
            (world.surgery, "202601"): "3.000000",
        }
    )
    assert read(units, [JAN, FEB], django_assert_num_queries) == expected
    assert operands.fetch_values([visits], units, [JAN, FEB]) == expected
    # A quarter (several stored months) is added up by the database: the same figures.
    quarter = {(c, o, u, "2026Q1"): v for (c, o, u, _), v in expected.items()}
    assert read(units, [Q1], django_assert_num_queries) == quarter
    assert rollups.compact() > 0
    assert set(ValueRollup.objects.values_list("slot", flat=True)) == {0}
    assert read(units, [JAN, FEB], django_assert_num_queries) == expected


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no INCLUDE")
def test_postgresql_reads_the_figures_from_the_key_index(db):
    # Migration 0008: micros and n in the key's index, so the engine's read is index-only.
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'valuerollup_key'")
        (definition,) = cursor.fetchone()
    assert definition.endswith(
        "(unit_id, period_id, element_id, option_id, slot) INCLUDE (micros, n)"
    )


def vacuums_of(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = %s", [table])
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="one writer, one slot on SQLite")
@pytest.mark.django_db(transaction=True)
def test_a_compaction_outside_a_transaction_vacuums_the_rollups(world):
    # The index-only read skips the table only on pages the visibility map marks, which the
    # compaction's deletes and upserts clear: `weijian analytics compact` vacuums after.
    visits = DataElement.objects.create(code="V", name="V")
    try:
        write_in_slot(1)
        put(visits, world.medicine, JAN, 10)
    finally:
        write_in_slot(None)
    before = vacuums_of("reporting_valuerollup")
    assert rollups.compact() == 3  # 内科, 人民医院, the bureau: slot 1 → slot 0
    assert vacuums_of("reporting_valuerollup") == before + 1
    assert rollups.compact() == 0  # nothing folded: no vacuum
    assert vacuums_of("reporting_valuerollup") == before + 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the packed read is PostgreSQL's")
def test_the_one_bigint_key_and_the_five_columns_read_the_same_cells(
    world, monkeypatch, django_assert_num_queries
):
    # rollup_columns.read() packs element, option and cell into one bigint when the ids fit
    # the radix; a row whose option does not fit answers -1 and the five columns are read
    # instead. All three ways give the same cells, values and exponents.
    from weijian.indicators import rollup_columns

    visits = DataElement.objects.create(code="V", name="V")
    put(visits, world.medicine, JAN, "10.5")
    put(visits, world.surgery, JAN, -3)
    put(visits, world.township, FEB, 4)
    units = [world.bureau, world.hospital, world.medicine, world.surgery, world.township]
    # 内科 10.5 + 外科 -3 = 7.5 in 人民医院 in January; the bureau 7.5 then 4 in February.
    expected = cells(
        {
            (world.bureau, "202601"): "7.500000",
            (world.hospital, "202601"): "7.500000",
            (world.medicine, "202601"): "10.500000",
            (world.surgery, "202601"): "-3.000000",
            (world.bureau, "202602"): "4.000000",
            (world.township, "202602"): "4.000000",
        }
    )
    assert read(units, [JAN, FEB], django_assert_num_queries) == expected  # the one key
    spans = rollup_columns._key_spans
    # An option span of 1 fits no option id (they start at 1): every key is -1, read again.
    monkeypatch.setattr(rollup_columns, "_key_spans", lambda *a: (1, spans(*a)[1]))
    with django_assert_num_queries(4):  # the -1 keys, then the five columns
        found = rollup_operands.fetch_values([visits], units, [JAN, FEB])
    assert found.cells() == expected
    monkeypatch.setattr(rollup_columns, "_key_spans", lambda *a: None)  # ids past 63 bits
    assert read(units, [JAN, FEB], django_assert_num_queries) == expected
    assert operands.fetch_values([visits], units, [JAN, FEB]) == expected
