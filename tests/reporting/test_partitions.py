"""reporting_datavalue partitioned by year on PostgreSQL (reporting/partitions.py, migration
0009), and `weijian analytics partitions`. SQLite keeps one plain table.

Units (tests/world.py): 示范局 BUR > 人民医院 HOS > 内科 MED, 外科 SUR; BUR > 城关卫生院 TWN.
"""

import datetime as dt
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from tests.reporting.test_rollups import assert_verified, links, put, sums
from weijian.periods import Period
from weijian.reporting import partitions, rollups
from weijian.reporting.models import AggregationType, DataElement, DataValue
from weijian.reporting.models import Period as PeriodRow

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="declarative partitioning is PostgreSQL's"
)


def where(value: DataValue) -> str:
    """The partition that holds the row."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tableoid::regclass::text FROM reporting_datavalue WHERE id = %s", [value.pk]
        )
        return cursor.fetchone()[0]


def analytics(*args) -> str:
    out = StringIO()
    call_command("analytics", *args, stdout=out)
    return out.getvalue()


def keys_and_indexes() -> tuple[set, set]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'reporting_datavalue'::regclass"
        )
        constraints = set(cursor.fetchall())
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'reporting_datavalue'")
        return constraints, {name for (name,) in cursor.fetchall()}


@postgres_only
def test_the_table_is_partitioned_by_year_with_a_default(db):
    this_year = timezone.localdate().year
    held = set(partitions.partitions())
    # The migration ran on an empty table: this year, next year and DEFAULT. A demo load earlier
    # in the same test database commits partitions for the years it loads (partitions.ensure
    # runs in its own short transaction, so the load takes no table lock): those are year
    # partitions too, and nothing else is.
    made = {partitions.partition_name(this_year), partitions.partition_name(this_year + 1)}
    assert made | {partitions.DEFAULT} <= held
    others = held - made - {partitions.DEFAULT}
    assert all(re.fullmatch(r"reporting_datavalue_y\d{4}", name) for name in others), others
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_partkeydef('reporting_datavalue'::regclass), "
            "pg_get_expr(relpartbound, oid) FROM pg_class WHERE relname = %s",
            [partitions.partition_name(this_year)],
        )
        assert cursor.fetchone() == (
            "RANGE (period_id)",
            f"FOR VALUES FROM ('{this_year}') TO ('{this_year + 1}')",
        )
    constraints, indexes = keys_and_indexes()
    names = {name for name, _ in constraints}
    assert ("reporting_datavalue_pkey", "PRIMARY KEY (id, period_id)") in constraints
    assert (
        "unique_data_value",
        "UNIQUE (element_id, option_id, org_unit_id, period_id)",
    ) in constraints
    # Element, option, unit, period, stored_by: Django's five foreign keys, kept.
    assert sum("_fk_" in name for name in names) == 5
    assert "datavalue_unit_period_cover" in indexes
    with connection.cursor() as cursor:  # nothing references data values (partitions.py)
        cursor.execute(
            "SELECT count(*) FROM pg_constraint WHERE contype = 'f' "
            "AND confrelid = 'reporting_datavalue'::regclass"
        )
        assert cursor.fetchone()[0] == 0


@postgres_only
def test_every_period_type_lands_in_its_years_partition(world):
    partitions.ensure(dt.date(2025, 6, 1))  # 2025's and 2026's partitions
    assert {"reporting_datavalue_y2025", "reporting_datavalue_y2026"} <= set(
        partitions.partitions()
    )
    visits = DataElement.objects.create(code="V", name="V")
    ids_2025 = ["2025", "2025S2", "2025Q4", "202512", "2025W52", "20251231"]
    for period_id in ids_2025:
        assert where(put(visits, world.medicine, period_id, 1)) == "reporting_datavalue_y2025"
    # ISO week 1 of 2026 starts on Monday 2025-12-29: its id, and partition, say 2026.
    assert where(put(visits, world.medicine, "2026W01", 1)) == "reporting_datavalue_y2026"
    assert where(put(visits, world.medicine, "202601", 1)) == "reporting_datavalue_y2026"
    assert_verified()


@postgres_only
def test_a_year_without_partition_lands_in_default_and_the_command_moves_it(world):
    beds = DataElement.objects.create(
        code="BEDS", name="床位", aggregation_type=AggregationType.LAST
    )
    put(beds, world.medicine, "209012", 30)
    far = put(beds, world.medicine, "209101", 32)
    assert where(far) == partitions.DEFAULT
    assert_verified()

    out = analytics("partitions")
    # 2091 had no partition: created, its row moved out of DEFAULT (2090 likewise).
    assert "已新建数据值分区：" in out and "2091 年" in out and "2090 年" in out
    assert "默认分区 0 行" in out
    assert where(far) == "reporting_datavalue_y2091"
    assert DataValue.objects.get(pk=far.pk).value == "32"  # same row, same id
    # Moved by a delete and an insert through the triggers: the chain is as it was.
    assert links(beds)[("BUR", "209012", "209101")] == (30_000_000, 1)
    assert links(beds)[("BUR", "209101", "")] == (32_000_000, 1)
    assert_verified()
    # Idempotent: a second run creates nothing.
    again = analytics("partitions")
    assert "已新建" not in again and "默认分区 0 行" in again


@postgres_only
def test_a_bulk_load_asks_for_its_years_before_it_starts(world):
    # demo/load.py passes the years it loads: 2019 gets a partition of its own, not DEFAULT.
    done = partitions.ensure(timezone.localdate(), years={2019, 10_000})
    assert done.created == [2019]  # 10000 is no period's year (periods.MAX_YEAR): ignored
    visits = DataElement.objects.create(code="V", name="V")
    assert where(put(visits, world.medicine, "201903", 1)) == "reporting_datavalue_y2019"
    assert partitions.ensure(timezone.localdate(), years={2019}).created == []


@postgres_only
def test_saves_deletes_and_moves_across_partitions_keep_the_rollups_exact(world):
    partitions.ensure(dt.date(2025, 6, 1))
    beds = DataElement.objects.create(
        code="BEDS", name="床位", aggregation_type=AggregationType.LAST
    )
    december = put(beds, world.medicine, "202512", 30)  # y2025
    put(beds, world.medicine, "202601", 31)  # y2026
    far = put(beds, world.surgery, "209001", 5)  # DEFAULT
    assert_verified()
    december.number, december.value = 29, "29"
    december.save()
    DataValue.objects.filter(period_id="202601").delete()
    assert_verified()
    # A change of period that moves the row to another partition: PostgreSQL fires the
    # UPDATE, DELETE and INSERT triggers; counted once (without the guard: twice).
    for period_id in ("202602", "209201"):
        PeriodRow.for_period(Period.parse(period_id))
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE reporting_datavalue SET period_id = '202602' WHERE id = %s", [far.pk]
        )
    assert where(DataValue.objects.get(pk=far.pk)) == "reporting_datavalue_y2026"
    # 内科 29 at 202512 and 外科 5 at 202602: 人民医院's Σ per month, in millionths.
    assert sums(beds) == {
        ("MED", "202512"): (29_000_000, 1),
        ("HOS", "202512"): (29_000_000, 1),
        ("BUR", "202512"): (29_000_000, 1),
        ("SUR", "202602"): (5_000_000, 1),
        ("HOS", "202602"): (5_000_000, 1),
        ("BUR", "202602"): (5_000_000, 1),
    }
    assert_verified()
    # A move inside DEFAULT (two years with no partition) is an ordinary UPDATE.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE reporting_datavalue SET period_id = '209001' WHERE id = %s", [far.pk]
        )
        cursor.execute(
            "UPDATE reporting_datavalue SET period_id = '209201' WHERE id = %s", [far.pk]
        )
    assert where(DataValue.objects.get(pk=far.pk)) == partitions.DEFAULT
    assert sums(beds)[("BUR", "209201")] == (5_000_000, 1)
    assert_verified()


def test_the_unique_constraint_still_refuses_duplicates(world):
    visits = DataElement.objects.create(code="V", name="V")
    for period_id in ("202601", "209001"):  # a year's partition, and DEFAULT on PostgreSQL
        put(visits, world.medicine, period_id, 1)
        with pytest.raises(IntegrityError), transaction.atomic():
            put(visits, world.medicine, period_id, 2)
    assert DataValue.objects.count() == 2
    assert_verified()


@postgres_only
def test_converting_a_table_with_values_keeps_rows_ids_keys_and_rollups(world):
    visits = DataElement.objects.create(code="V", name="V")
    kept = [
        put(visits, world.medicine, p, n) for n, p in enumerate(["202412", "202501", "20900101"])
    ]
    put(visits, world.surgery, "202502", 9).delete()  # its id must not come back
    before = keys_and_indexes()

    partitions.unpartition_table()
    assert not partitions.is_partitioned()
    constraints, indexes = keys_and_indexes()
    assert ("reporting_datavalue_pkey", "PRIMARY KEY (id)") in constraints

    partitions.partition_table(dt.date(2025, 3, 1))
    assert keys_and_indexes() == before
    # Years found in the values (2024, 2025, 2090), next year (2026), and DEFAULT.
    assert set(partitions.partitions()) == {
        "reporting_datavalue_y2024", "reporting_datavalue_y2025",
        "reporting_datavalue_y2026", "reporting_datavalue_y2090", partitions.DEFAULT,
    }  # fmt: skip
    assert [where(v) for v in kept] == [
        "reporting_datavalue_y2024", "reporting_datavalue_y2025", "reporting_datavalue_y2090",
    ]  # fmt: skip
    assert list(DataValue.objects.order_by("pk").values_list("pk", flat=True)) == [
        v.pk for v in kept
    ]
    # The sequence goes on after the deleted row's id; the triggers are back.
    newest = put(visits, world.surgery, "202503", 4)
    assert newest.pk == kept[-1].pk + 2
    assert sums(visits)[("SUR", "202503")] == (4_000_000, 1)
    assert_verified()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's answer")
def test_sqlite_keeps_one_table_and_the_command_says_so(db):
    assert not partitions.is_partitioned()
    assert partitions.ensure(dt.date(2026, 1, 1)) == partitions.Maintained([], 0)
    assert analytics("partitions") == "数据值表未分区（SQLite 不分区），无需操作\n"


@postgres_only
def test_a_detached_year_leaves_the_live_table_and_a_rebuild_forgets_it(world):
    partitions.ensure(dt.date(2025, 6, 1))
    visits = DataElement.objects.create(code="V", name="V")
    put(visits, world.medicine, "202512", 3)
    put(visits, world.medicine, "202601", 4)
    with connection.cursor() as cursor:  # the README's year-end recipe
        cursor.execute("ALTER TABLE reporting_datavalue DETACH PARTITION reporting_datavalue_y2025")
        cursor.execute("SELECT count(*) FROM reporting_datavalue_y2025")
        assert cursor.fetchone()[0] == 1  # kept aside, to archive
    assert list(DataValue.objects.values_list("period_id", flat=True)) == ["202601"]
    count, _ = rollups.verify()
    assert count == 3  # 202512 at MED, HOS, BUR: still in the rollups until …
    rollups.rebuild()  # … `weijian analytics rebuild`
    assert sums(visits) == {
        ("MED", "202601"): (4_000_000, 1),
        ("HOS", "202601"): (4_000_000, 1),
        ("BUR", "202601"): (4_000_000, 1),
    }
    assert_verified()
