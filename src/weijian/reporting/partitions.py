"""PostgreSQL: reporting_datavalue partitioned by year (declarative partitioning).

A province keeps decades of values; one partition per year lets an operator take an old year
out of the live table in one statement (`ALTER TABLE reporting_datavalue DETACH PARTITION
reporting_datavalue_y2015`, then archive or drop that table) instead of deleting millions of
rows, and keeps each year's indexes the size of a year.

The key is the period id itself, RANGE FROM ('2025') TO ('2026'): every period id starts with
its four-digit year (periods.py: 2025, 2025S1, 2025Q3, 202507, 2025W05, 20250701) followed by
more characters, so it sorts at or after '2025' and before '2026' in any collation. A weekly
period belongs to its ISO year (2026W01 starts on 2025-12-29 and lives in 2026's partition),
which is how its id is written. A DEFAULT partition takes the values of a year that has no
partition yet, so no write ever fails for want of one; `ensure()` (`weijian analytics
partitions`, daily cron) creates this year's and next year's partitions and moves any rows the
DEFAULT partition holds into partitions of their own.

The primary key is (id, period_id): PostgreSQL requires the partition key in every unique
index. Django still addresses a row by id alone, which stays safe because every id comes from
the one identity sequence shared by all partitions (restores bring back the ids they saved),
so no two rows have the same id even though the database no longer checks that by itself.
The rollup triggers (rollups.py) are defined on the parent and cloned onto every partition,
including the ones created later. SQLite is left as it is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection, transaction

from weijian import periods

PARENT = "reporting_datavalue"
DEFAULT = "reporting_datavalue_default"
_OLD = "reporting_datavalue_unpartitioned"
# A partition created while saves are running waits for them; a cron run that cannot get the
# lock in this time fails (the next run retries) rather than queue every save behind it.
LOCK_TIMEOUT = "5s"


def partition_name(year: int) -> str:
    return f"{PARENT}_y{year:04d}"


def _bounds(year: int) -> str:
    return f"FROM ('{year:04d}') TO ('{year + 1:04d}')"


def is_partitioned() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [PARENT])
        row = cursor.fetchone()
    return bool(row) and row[0] == "p"


def partitions() -> list[str]:
    """The partitions' names, in order (DEFAULT first)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = to_regclass(%s) ORDER BY c.relname",
            [PARENT],
        )
        return [name for (name,) in cursor.fetchall()]


def default_rows() -> int:
    """Rows waiting in DEFAULT for a partition of their year (none, normally)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {DEFAULT}")
        return cursor.fetchone()[0]


def moves_partition(new: str) -> str:
    """SQL for the rollup trigger (rollups.py): true when an UPDATE that fired it on the
    partition it runs on (TG_TABLE_NAME) sends the row to another partition. PostgreSQL then
    deletes the row and inserts it again, firing the row's DELETE and INSERT triggers as well
    as its UPDATE trigger: the change must be counted by the former only. False on the plain
    table (SQLite has none of this; PostgreSQL before migration 0009)."""
    target = (
        "COALESCE((SELECT c.relname::text FROM pg_inherits i JOIN pg_class c "
        f"ON c.oid = i.inhrelid WHERE i.inhparent = to_regclass('{PARENT}') "
        f"AND c.relname = '{PARENT}_y' || left({new}.period_id, 4)), '{DEFAULT}')"
    )
    return f"(TG_TABLE_NAME <> '{PARENT}' AND TG_TABLE_NAME <> {target})"


# -- converting the table (migration 0009) ----------------------------------------------


def partition_table(today: dt.date) -> None:
    """Replace the plain table by a partitioned one holding the same rows, ids, sequence,
    indexes, constraints and triggers: a partition per year found in the values, plus this
    year's and next year's, plus DEFAULT."""
    _replace_table(partitioned=True, today=today)


def unpartition_table() -> None:
    """The reverse: one plain table again, primary key on id alone."""
    _replace_table(partitioned=False, today=None)


@dataclass
class _Definitions:
    constraints: list[tuple[str, str, str]] = field(default_factory=list)  # name, type, SQL
    indexes: list[str] = field(default_factory=list)  # CREATE INDEX statements


def _replace_table(*, partitioned: bool, today: dt.date | None) -> None:
    from . import rollups

    with transaction.atomic(), connection.cursor() as cursor:
        # Foreign-key checks still pending in this transaction (deferred, as Django makes
        # them) would forbid dropping the old table: run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"LOCK TABLE {PARENT} IN ACCESS EXCLUSIVE MODE")
        _refuse_incoming_keys(cursor)
        definitions = _definitions(cursor)
        rollups.drop_triggers()
        cursor.execute(f"ALTER TABLE {PARENT} RENAME TO {_OLD}")
        scheme = " PARTITION BY RANGE (period_id)" if partitioned else ""
        cursor.execute(
            f"CREATE TABLE {PARENT} (LIKE {_OLD} INCLUDING DEFAULTS INCLUDING IDENTITY "
            f"INCLUDING STORAGE INCLUDING COMMENTS){scheme}"
        )
        if partitioned:
            years = _years(cursor, _OLD) | {today.year, today.year + 1}
            for year in sorted(years):
                cursor.execute(
                    f"CREATE TABLE {partition_name(year)} PARTITION OF {PARENT} "
                    f"FOR VALUES {_bounds(year)}"
                )
            cursor.execute(f"CREATE TABLE {DEFAULT} PARTITION OF {PARENT} DEFAULT")
        cursor.execute(f"INSERT INTO {PARENT} SELECT * FROM {_OLD}")
        _carry_sequence_on(cursor)
        cursor.execute(f"DROP TABLE {_OLD}")
        _recreate(cursor, definitions, partitioned)
        rollups.install_triggers()
        cursor.execute(f"ANALYZE {PARENT}")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _refuse_incoming_keys(cursor) -> None:
    """No table references data values (they are leaves); if one ever does, replacing the
    table would drop its foreign key, so stop instead."""
    cursor.execute(
        "SELECT conrelid::regclass::text, conname FROM pg_constraint "
        "WHERE contype = 'f' AND confrelid = to_regclass(%s) AND conrelid <> confrelid",
        [PARENT],
    )
    incoming = cursor.fetchall()
    if incoming:
        raise RuntimeError(f"{PARENT} is referenced by {incoming}: convert those keys first")


def _definitions(cursor) -> _Definitions:
    found = _Definitions()
    cursor.execute(
        "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = to_regclass(%s) AND contype IN ('p', 'u', 'f', 'c', 'x') "
        "ORDER BY contype DESC, conname",
        [PARENT],
    )
    found.constraints = list(cursor.fetchall())
    cursor.execute(
        "SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i WHERE i.indrelid = to_regclass(%s) "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid "
        "AND c.conrelid = i.indrelid) ORDER BY i.indexrelid::regclass::text",
        [PARENT],
    )
    # A partitioned table's index reads "ON ONLY t" (its partitions' indexes apart); the
    # statement for the new table creates them all.
    found.indexes = [row[0].replace(" ON ONLY ", " ON ") for row in cursor.fetchall()]
    return found


def _recreate(cursor, definitions: _Definitions, partitioned: bool) -> None:
    """The old table's constraints and indexes, under their old names (Django's migrations
    refer to them by name); the primary key gains the partition key."""
    for name, kind, sql in definitions.constraints:
        if kind == "p":
            sql = "PRIMARY KEY (id, period_id)" if partitioned else "PRIMARY KEY (id)"
        cursor.execute(f'ALTER TABLE {PARENT} ADD CONSTRAINT "{name}" {sql}')
    for statement in definitions.indexes:
        cursor.execute(statement)


def _carry_sequence_on(cursor) -> None:
    """The new identity sequence continues where the old one stopped (never reusing an id a
    deleted row had), and takes its name once the old table and sequence are gone."""
    cursor.execute(
        "SELECT GREATEST(COALESCE(pg_sequence_last_value(pg_get_serial_sequence(%s, 'id')::regclass), 0), "
        f"COALESCE((SELECT max(id) FROM {_OLD}), 0))",
        [_OLD],
    )
    last = cursor.fetchone()[0]
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [PARENT])
    sequence = cursor.fetchone()[0]
    if last:
        cursor.execute("SELECT setval(%s, %s, true)", [sequence, last])
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [_OLD])
    old_name = cursor.fetchone()[0]
    cursor.execute(f"ALTER TABLE {_OLD} ALTER COLUMN id DROP IDENTITY")  # frees the old name
    cursor.execute(f"ALTER SEQUENCE {sequence} RENAME TO {old_name.split('.')[-1]}")


def _years(cursor, table: str) -> set[int]:
    cursor.execute(
        f"SELECT DISTINCT left(period_id, 4) FROM {table} WHERE left(period_id, 4) ~ '^[0-9]{{4}}$'"
    )
    # Only years a period id can have (periods.py): a stray id stays in DEFAULT rather than
    # ask for a range such as FROM ('9999') TO ('10000'), which sorts backwards.
    years = {int(year) for (year,) in cursor.fetchall()}
    return {year for year in years if periods.MIN_YEAR <= year <= periods.MAX_YEAR}


# -- new years (weijian analytics partitions) -------------------------------------------


@dataclass(frozen=True)
class Maintained:
    created: list[int]  # years given a partition now
    moved: int  # rows moved out of DEFAULT into them


def ensure(today: dt.date, years: Iterable[int] = ()) -> Maintained:
    """Idempotent: partitions for this year and next year, for `years` (a bulk load's, before
    it starts: see demo/load.py) and for every year the DEFAULT partition holds rows of, whose
    rows move into it. A no-op on SQLite or an unpartitioned table. The moved rows are deleted
    and inserted again through the parent, so the rollup triggers take them out and put them
    back: the rollups stay exact throughout."""
    if not is_partitioned():
        return Maintained([], 0)
    created, moved = [], 0
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext('weijian.partitions'))")
        existing = set(partitions())
        wanted = _years(cursor, DEFAULT) | {today.year, today.year + 1}
        wanted |= {year for year in years if periods.MIN_YEAR <= year <= periods.MAX_YEAR}
        for year in sorted(wanted):
            if partition_name(year) in existing:
                continue
            moved += _create_moving_rows(cursor, year)
            created.append(year)
    return Maintained(created, moved)


def _create_moving_rows(cursor, year: int) -> int:
    """PostgreSQL refuses a new partition while DEFAULT holds rows that belong in it: those
    rows are set aside, the partition created, and the rows inserted again."""
    lower, upper = f"{year:04d}", f"{year + 1:04d}"
    cursor.execute(f"CREATE TEMPORARY TABLE partition_move (LIKE {PARENT}) ON COMMIT DROP")
    cursor.execute(
        f"WITH gone AS (DELETE FROM {DEFAULT} WHERE period_id >= %s AND period_id < %s "
        "RETURNING *) INSERT INTO partition_move SELECT * FROM gone",
        [lower, upper],
    )
    moved = cursor.rowcount
    cursor.execute(
        f"CREATE TABLE {partition_name(year)} PARTITION OF {PARENT} FOR VALUES {_bounds(year)}"
    )
    cursor.execute(f"INSERT INTO {PARENT} SELECT * FROM partition_move")
    cursor.execute("DROP TABLE partition_move")
    return moved
