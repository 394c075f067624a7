"""PostgreSQL's fast path for the scale benchmark's clones of the data values: COPY.

The first city run copied 18 million values with one INSERT … SELECT: 25 of its 35 minutes,
most of it maintaining the table's three indexes row by row and queueing a deferred foreign-key
check per row and key (checked again at commit). Here, inside the generation's transaction:

- the table's secondary indexes and its unique constraint are dropped and rebuilt once at the
  end (a sorted build, not 20 million random insertions); the primary key stays (ids only grow);
- the transaction runs as a replica (`session_replication_role`, superuser only, as the
  benchmark's throwaway cluster is) to its end: no foreign-key or completeness trigger fires
  (the load's closing rebuild recomputes what those would maintain). The rows are the demo's own values with
  the unit id swapped for a clone's, and every clone exists: nothing there to check;
- the source values are read once with COPY TO (text format, already escaped), and each clone's
  rows are written with COPY FROM in batches: the unit id swapped in front of each line, the
  rest of the line reused as bytes.
The rollup tables' indexes are dropped the same way before the one rebuild that ends the load
(`rollups.suspended()`) and rebuilt after it (ROLLUP_TABLES): the first COPY run spent over 25
minutes inserting the city's 28 million rollup rows into a key index ten times the size of
shared_buffers, in an order unlike its own. Benchmark only: the application never drops its
indexes.
"""

from __future__ import annotations

from collections import defaultdict

TABLE = "reporting_datavalue"
ROLLUP_TABLES = ("reporting_valuerollup", "reporting_lastrollup")
BATCH_BYTES = 8 << 20  # one COPY write per ≈ 8 MB of lines


def is_superuser(cursor) -> bool:
    cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    return bool(cursor.fetchone()[0])


def _columns(cursor) -> list[str]:
    """The table's columns but id, org_unit_id first (so a line's unit is its first field)."""
    cursor.execute(
        "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 "
        "AND NOT attisdropped AND attname NOT IN ('id', 'org_unit_id') ORDER BY attnum",
        [TABLE],
    )
    return ["org_unit_id", *(row[0] for row in cursor.fetchall())]


def drop_indexes(cursor, table: str = TABLE) -> list[str]:
    """Drop the table's unique constraints and plain indexes (not its primary key); returns the
    statements that rebuild them."""
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'u'",
        [table],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary AND NOT EXISTS "
        "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
        [table],
    )
    indexes = cursor.fetchall()
    for name, _ in constraints:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _ in indexes:
        cursor.execute(f"DROP INDEX {name}")
    return [f'ALTER TABLE {table} ADD CONSTRAINT "{n}" {d}' for n, d in constraints] + [
        d for _, d in indexes
    ]


def _source_lines(cursor, columns: list[str]) -> dict[int, list[bytes]]:
    """Every stored value as a COPY text line without its unit id, by unit."""
    by_unit: dict[int, list[bytes]] = defaultdict(list)
    buffer = b""
    with cursor.copy(f"COPY (SELECT {', '.join(columns)} FROM {TABLE}) TO STDOUT") as copy:
        for chunk in copy:
            buffer += bytes(chunk)
            *lines, buffer = buffer.split(b"\n")
            for line in lines:
                unit, rest = line.split(b"\t", 1)
                by_unit[int(unit)].append(rest)
    return by_unit


def copy_values(cursor, unit_map: list[tuple[int, int]], phase) -> int:
    """Give every new unit (new id, source id) its source's values; returns the rows written."""
    columns = _columns(cursor)
    sources = _source_lines(cursor, columns)
    cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
    cursor.execute("SET LOCAL session_replication_role = replica")
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE refuses pending checks
    rebuild = drop_indexes(cursor)
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    written = 0
    with cursor.copy(f"COPY {TABLE} ({', '.join(columns)}) FROM STDIN") as copy:
        batch: list[bytes] = []
        size = 0
        for new_id, source_id in unit_map:
            rests = sources.get(source_id)
            if not rests:
                continue
            prefix = b"%d\t" % new_id
            block = prefix + (b"\n" + prefix).join(rests) + b"\n"
            batch.append(block)
            size += len(block)
            written += len(rests)
            if size >= BATCH_BYTES:
                copy.write(b"".join(batch))
                batch, size = [], 0
        copy.write(b"".join(batch))
    phase("values copied", written)
    for statement in rebuild:
        cursor.execute(statement)
    # The role stays a replica's to the end of the transaction: the rebuild that ends the
    # load (rollups.suspended()) refills AssignedUnit, whose triggers would upsert expected and
    # reported rows per assignment (over six minutes at city scale) only for the rebuild to
    # empty and recompute those tables right after.
    phase("indexes rebuilt", len(rebuild))
    return written
