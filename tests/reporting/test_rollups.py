"""The rollup tables the database keeps on every write of data values (reporting/rollups.py).

Units (tests/world.py): 示范局 BUR > 人民医院 HOS > 内科 MED, 外科 SUR; BUR > 城关卫生院 TWN.
"""

from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from weijian.orgs.models import OrgUnit
from weijian.periods import Period
from weijian.reporting import actions, rollups
from weijian.reporting.models import (
    AggregationType,
    DataElement,
    DataValue,
    LastRollup,
    ValueRollup,
)
from weijian.reporting.models import Period as PeriodRow
from weijian.reporting.queries import default_option


def put(element, unit, period_id, value):
    return DataValue.objects.create(
        element=element, option=default_option(), org_unit=unit,
        period=PeriodRow.for_period(Period.parse(period_id)), value=str(value),
        number=None if value is None else Decimal(str(value)), updated_at=timezone.now(),
    )  # fmt: skip


def sums(element) -> dict[tuple[str, str], tuple[int, int]]:
    """(unit code, period) → (micros, count) of the element's rows that hold values."""
    codes = dict(OrgUnit.objects.values_list("pk", "code"))
    found: dict[tuple[str, str], tuple[int, int]] = {}
    for r in ValueRollup.objects.filter(element_id=element.pk):  # each writer's slot added
        micros, n = found.get((codes[r.unit_id], r.period_id), (0, 0))
        found[(codes[r.unit_id], r.period_id)] = (micros + r.micros, n + r.n)
    return {key: pair for key, pair in found.items() if pair[1]}


def links(element) -> dict[tuple[str, str, str], tuple[int, int]]:
    codes = dict(OrgUnit.objects.values_list("pk", "code"))
    found: dict[tuple[str, str, str], tuple[int, int]] = {}
    for r in LastRollup.objects.filter(element_id=element.pk):
        key = (codes[r.unit_id], r.period_id, r.next_period_id)
        micros, n = found.get(key, (0, 0))
        found[key] = (micros + r.micros, n + r.n)
    return {key: pair for key, pair in found.items() if pair[1]}


def assert_verified():
    count, differences = rollups.verify()
    assert (count, [d.describe() for d in differences]) == (0, [])


def test_the_path_step_is_treebeards():
    assert OrgUnit.steplen == rollups.STEPLEN


def test_a_value_counts_at_its_unit_and_every_ancestor(world):
    visits = DataElement.objects.create(code="V", name="V")
    put(visits, world.medicine, "202601", "12.5")
    put(visits, world.surgery, "202601", 3)
    put(visits, world.township, "202601", 4)
    # 内科 12.5 and 外科 3 make 人民医院 15.5; the bureau adds 城关 4: 19.5. In millionths.
    assert sums(visits) == {
        ("MED", "202601"): (12_500_000, 1),
        ("SUR", "202601"): (3_000_000, 1),
        ("TWN", "202601"): (4_000_000, 1),
        ("HOS", "202601"): (15_500_000, 2),
        ("BUR", "202601"): (19_500_000, 3),
    }
    assert_verified()


def test_updates_and_deletes_move_the_sums_and_text_values_do_not_count(world):
    visits = DataElement.objects.create(code="V", name="V")
    medicine = put(visits, world.medicine, "202601", 10)
    surgery = put(visits, world.surgery, "202601", 5)
    put(visits, world.surgery, "202602", None)  # a value without a number
    medicine.number, medicine.value = Decimal("7.25"), "7.25"
    medicine.save()
    surgery.delete()
    # 人民医院 is now 内科's 7.25 alone; 外科's row stays with n = 0 until a rebuild.
    assert sums(visits) == {
        ("MED", "202601"): (7_250_000, 1),
        ("HOS", "202601"): (7_250_000, 1),
        ("BUR", "202601"): (7_250_000, 1),
    }
    assert_verified()


def test_last_values_are_chained_per_unit(world):
    beds = DataElement.objects.create(
        code="BEDS", name="床位", aggregation_type=AggregationType.LAST
    )
    put(beds, world.medicine, "202601", 30)
    put(beds, world.medicine, "202603", 32)
    put(beds, world.surgery, "202602", 20)
    # Inserted between January and March, February re-points January's link.
    put(beds, world.medicine, "202602", 31)
    assert links(beds) == {
        ("MED", "202601", "202602"): (30_000_000, 1),
        ("MED", "202602", "202603"): (31_000_000, 1),
        ("MED", "202603", ""): (32_000_000, 1),
        ("SUR", "202602", ""): (20_000_000, 1),
        ("HOS", "202601", "202602"): (30_000_000, 1),
        ("HOS", "202602", "202603"): (31_000_000, 1),
        ("HOS", "202603", ""): (32_000_000, 1),
        ("HOS", "202602", ""): (20_000_000, 1),
        ("BUR", "202601", "202602"): (30_000_000, 1),
        ("BUR", "202602", "202603"): (31_000_000, 1),
        ("BUR", "202603", ""): (32_000_000, 1),
        ("BUR", "202602", ""): (20_000_000, 1),
    }
    # Deleting February hands January's link on to March.
    DataValue.objects.filter(element=beds, org_unit=world.medicine, period_id="202602").delete()
    assert links(beds)[("MED", "202601", "202603")] == (30_000_000, 1)
    assert ("MED", "202602", "202603") not in links(beds)
    assert_verified()


def test_changing_a_values_period_relinks_the_chain_without_the_row_itself(world):
    beds = DataElement.objects.create(
        code="BEDS", name="床位", aggregation_type=AggregationType.LAST
    )
    moving = put(beds, world.medicine, "202601", 30)
    put(beds, world.medicine, "202603", 32)
    PeriodRow.for_period(Period.parse("202602"))
    # The application never does this; raw SQL may. The row is its own nearest neighbour at
    # either end of the move (PostgreSQL's trigger sees it at 202601, SQLite's at 202602).
    DataValue.objects.filter(pk=moving.pk).update(period_id="202602")
    assert {k: v for k, v in links(beds).items() if k[0] == "MED"} == {
        ("MED", "202602", "202603"): (30_000_000, 1),
        ("MED", "202603", ""): (32_000_000, 1),
    }
    assert_verified()


def test_changing_an_elements_type_rebuilds_its_chains(world):
    beds = DataElement.objects.create(code="BEDS", name="床位")
    put(beds, world.medicine, "202601", 30)
    put(beds, world.medicine, "202602", 31)
    assert links(beds) == {}
    beds.aggregation_type = AggregationType.LAST
    beds.save()
    assert links(beds)[("HOS", "202601", "202602")] == (30_000_000, 1)
    assert_verified()
    beds.aggregation_type = AggregationType.SUM
    beds.save()
    assert links(beds) == {}


def test_saves_through_the_entry_action_keep_the_rollups(world):
    def save(values):
        actions.save_values(world.alice, world.form, world.medicine, "202601", values)

    save({("OPD", "MALE"): "10", ("OPD", "FEMALE"): "11", ("DIS", "default"): "3"})
    save({("OPD", "MALE"): "12", ("OPD", "FEMALE"): "", ("DIS", "default"): "3"})
    assert sums(world.visits) == {
        ("MED", "202601"): (12_000_000, 1),
        ("HOS", "202601"): (12_000_000, 1),
        ("BUR", "202601"): (12_000_000, 1),
    }
    assert_verified()


def test_verify_names_a_wrong_cell_and_a_rebuild_repairs_it(world):
    visits = DataElement.objects.create(code="V", name="V")
    put(visits, world.medicine, "202601", 10)
    ValueRollup.objects.filter(element_id=visits.pk, unit_id=world.hospital.pk).update(micros=1)
    count, differences = rollups.verify()
    assert count == 1
    assert differences[0].describe() == (
        "[Σ/计数] V.default · HOS · 202601：汇总表为 合计 0.000001，计数 1，按数据值应为 合计 10，计数 1"
    )
    rollups.rebuild()
    assert_verified()


def test_bulk_loads_suspend_the_triggers_and_rebuild_once(world):
    visits = DataElement.objects.create(code="V", name="V")
    with rollups.suspended():
        put(visits, world.medicine, "202601", 10)
        assert sums(visits) == {}  # nothing maintained while suspended…
    assert sums(visits)[("BUR", "202601")] == (10_000_000, 1)  # …one rebuild after
    put(visits, world.surgery, "202601", 1)  # and the triggers are back
    assert sums(visits)[("BUR", "202601")] == (11_000_000, 2)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's statement order")
def test_one_statement_writing_a_whole_chain(world):
    beds = DataElement.objects.create(
        code="BEDS", name="床位", aggregation_type=AggregationType.LAST
    )
    option, now = default_option(), timezone.now()
    DataValue.objects.bulk_create(
        DataValue(element=beds, option=option, org_unit=world.medicine,
                  period=PeriodRow.for_period(Period.parse(p)), value=v, number=Decimal(v),
                  updated_at=now)
        for p, v in [("202603", "3"), ("202601", "1"), ("202602", "2")]
    )  # fmt: skip
    assert_verified()


def write_in_slot(slot: int | None) -> None:
    """PostgreSQL: the writes that follow land in `slot`, as another connection's would."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config(%s, %s, false)",
            [rollups.SLOT_SETTING, "" if slot is None else str(slot)],
        )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="one writer, one slot on SQLite")
def test_writers_add_to_their_own_slots_and_a_compaction_folds_them(world):
    visits = DataElement.objects.create(code="V", name="V")
    try:
        write_in_slot(1)
        medicine = put(visits, world.medicine, "202601", 10)
        write_in_slot(2)
        put(visits, world.surgery, "202601", 3)
        medicine.number, medicine.value = Decimal(12), "12"  # slot 2 moves slot 1's value
        medicine.save()
        write_in_slot(3)
        put(visits, world.township, "202602", 4)
        DataValue.objects.filter(org_unit=world.township).delete()  # nothing left in February
    finally:
        write_in_slot(None)
    slots = set(ValueRollup.objects.filter(element_id=visits.pk).values_list("slot", flat=True))
    assert slots == {1, 2, 3}
    # 内科 12 (10 in slot 1, +2 in slot 2) and 外科 3: 人民医院 and the bureau 15.
    expected = {
        ("MED", "202601"): (12_000_000, 1),
        ("SUR", "202601"): (3_000_000, 1),
        ("HOS", "202601"): (15_000_000, 2),
        ("BUR", "202601"): (15_000_000, 2),
    }
    assert sums(visits) == expected
    assert_verified()

    # Rows folded: slot 1 MED HOS BUR (3); slot 2 SUR HOS BUR and MED's change (4); slot 3
    # February's TWN BUR (2): 9.
    assert rollups.compact() == 9
    rows = ValueRollup.objects.filter(element_id=visits.pk)
    # One row per cell, in slot 0; February's cells (TWN, BUR), emptied, are gone.
    assert sorted(rows.values_list("slot", flat=True)) == [0, 0, 0, 0]
    assert sums(visits) == expected
    assert_verified()
