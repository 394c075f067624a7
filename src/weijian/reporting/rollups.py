"""Rollups of the data values, kept by the database itself on every write.

Two tables (models.ValueRollup, models.LastRollup) hold what the analytics engine needs per
element × option × stored period × unit *subtree*: Σ and count of the values, and for LAST
(stock) elements each unit's values chained in time. Row-level triggers on
reporting_datavalue keep them in the same transaction as the write, whatever wrote it: the
entry page, Excel, API imports and deletes, `publish_system_values`, the ORM, raw SQL. A value
at a unit counts towards the unit and each of its ancestors (its path's prefixes).

    rebuild()             # recompute both tables from the values (migrations, repairs)
    verify()              # recompute and compare: [] or the differing cells, named
    with suspended(): …   # bulk loads: no triggers while loading, the rollups added after

SQLite fires its AFTER triggers row by row; PostgreSQL fires AFTER row triggers only once the
whole statement is done, so there the work is a BEFORE trigger, which sees the rows the
statement processed before it and not the current one — the same view SQLite's AFTER trigger
has once the current row is left out, which every query below does (strict `<` and `>` on the
period's end). Writes that change a value's element, option, unit or period (the application
never does) are handled as a delete and an insert; on PostgreSQL, when such a change moves the
row to another year's partition (partitions.py), PostgreSQL itself fires the DELETE and INSERT
triggers too, and the UPDATE leaves the work to them. Moving a unit in the tree changes its
ancestors: whoever moves units rebuilds (api/metadata_import.py does).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction

from . import completeness_rollups as completeness
from . import partitions, rollup_slots
from .models import DataElement

STEPLEN = 4  # treebeard's path step (orgs.OrgUnit.steplen), asserted in the tests
MAX_DEPTH = 64

_KEYS = ("element_id", "option_id", "org_unit_id", "period_id")
_VALUE_KEY = "unit_id, period_id, element_id, option_id, slot"
_LAST_KEY = "unit_id, period_id, element_id, option_id, next_period_id, slot"
SLOT_SETTING = rollup_slots.SETTING


def _slot() -> str:
    """The rows of each cell this trigger writes: see rollup_slots.py."""
    return rollup_slots.expression()


def _micros(expr: str) -> str:
    """A stored number as integer millionths (stored numbers have at most 6 decimals)."""
    if connection.vendor == "postgresql":
        return f"ROUND({expr} * 1000000)::bigint"
    return f"CAST(ROUND({expr} * 1000000) AS INTEGER)"


def _ancestors(row: str) -> str:
    """FROM … WHERE that yields `a.id` for the unit of `row` and each of its ancestors."""
    return (
        "orgs_orgunit u JOIN reporting_rollup_levels s ON s.n <= u.depth "
        f"JOIN orgs_orgunit a ON a.path = substr(u.path, 1, {STEPLEN} * s.n) "
        f"WHERE u.id = {row}.org_unit_id"
    )


def _upsert(table: str, key: str) -> str:
    # The key includes the writer's slot: only this transaction writes these rows (until a
    # compaction folds them). SQLite's triggers' statements get conditions appended (_guard).
    return (
        f"ON CONFLICT ({key}) DO UPDATE SET micros = {table}.micros + excluded.micros, "
        f"n = {table}.n + excluded.n"
    )


def _value_change(row: str, micros: str, n: str) -> str:
    return (
        "INSERT INTO reporting_valuerollup "
        "(element_id, option_id, unit_id, period_id, slot, micros, n) "
        f"SELECT {row}.element_id, {row}.option_id, a.id, {row}.period_id, {_slot()}, "
        f"{micros}, {n} "
        f"FROM {_ancestors(row)} {_upsert('reporting_valuerollup', _VALUE_KEY)}"
    )


def _value_add(row: str, sign: int) -> str:
    return _value_change(row, f"{sign} * {_micros(row + '.number')}", str(sign))


def _value_delta() -> str:
    """Same cell, number changed (either side may be null)."""
    new, old = _micros("NEW.number"), _micros("OLD.number")
    micros = f"COALESCE({new}, 0) - COALESCE({old}, 0)"
    n = (
        "(CASE WHEN NEW.number IS NULL THEN 0 ELSE 1 END) - "
        "(CASE WHEN OLD.number IS NULL THEN 0 ELSE 1 END)"
    )
    return _value_change("NEW", micros, n)


def _neighbour(row: str, before: bool, column: str) -> str:
    """The unit's previous (or next) value of the same element, option and period type:
    `column` of it (d.period_id, or the number). The row itself never counts: when an update
    changes its period, PostgreSQL's BEFORE trigger still sees it at the old period, and
    SQLite's AFTER trigger already at the new one."""
    compare, order = ("<", "DESC") if before else (">", "ASC")
    return (
        f"SELECT {column} FROM reporting_datavalue d "
        "JOIN reporting_period q ON q.id = d.period_id "
        f"JOIN reporting_period rp ON rp.id = {row}.period_id "
        f"WHERE d.element_id = {row}.element_id AND d.option_id = {row}.option_id "
        f"AND d.org_unit_id = {row}.org_unit_id AND d.number IS NOT NULL AND d.id <> {row}.id "
        f"AND q.period_type = rp.period_type AND q.end_date {compare} rp.end_date "
        f"ORDER BY q.end_date {order} LIMIT 1"
    )


def _next_id(row: str) -> str:
    return f"COALESCE(({_neighbour(row, False, 'd.period_id')}), '')"


_LAST_INSERT = (
    "INSERT INTO reporting_lastrollup "
    "(element_id, option_id, unit_id, period_id, next_period_id, slot, micros, n) "
)


def _link(row: str, sign: int, micros: str | None = None, n: str | None = None) -> str:
    """The value's own link (period → next): added (+1) or removed (-1)."""
    micros = micros or f"{sign} * {_micros(row + '.number')}"
    return (
        f"{_LAST_INSERT}SELECT {row}.element_id, {row}.option_id, a.id, {row}.period_id, "
        f"{_next_id(row)}, {_slot()}, {micros}, {n or sign} FROM {_ancestors(row)} "
        f"{_upsert('reporting_lastrollup', _LAST_KEY)}"
    )


def _relink_previous(row: str, target: str, sign: int) -> str:
    """The previous value's link to `target` added (+1) or removed (-1): a new value between
    it and its old next re-points it; a deleted one hands it on."""
    previous = _neighbour(row, True, f"d.period_id AS pid, {_micros('d.number')} AS pm")
    return (
        f"{_LAST_INSERT}SELECT {row}.element_id, {row}.option_id, a.id, prev.pid, {target}, "
        f"{_slot()}, {sign} * prev.pm, {sign} FROM ({previous}) prev CROSS JOIN {_ancestors(row)} "
        f"{_upsert('reporting_lastrollup', _LAST_KEY)}"
    )


def _chain_insert(row: str) -> list[str]:
    return [
        _relink_previous(row, _next_id(row), -1),
        _relink_previous(row, f"{row}.period_id", 1),
        _link(row, 1),
    ]


def _chain_delete(row: str) -> list[str]:
    return [
        _link(row, -1),
        _relink_previous(row, f"{row}.period_id", -1),
        _relink_previous(row, _next_id(row), 1),
    ]


def _chain_delta() -> str:
    micros = f"{_micros('NEW.number')} - {_micros('OLD.number')}"
    return _link("NEW", 1, micros, "0")


def _is_last(row: str) -> str:
    return (
        f"(SELECT aggregation_type FROM reporting_dataelement WHERE id = {row}.element_id) = 'LAST'"
    )


def _same_cell() -> str:
    return " AND ".join(f"NEW.{k} = OLD.{k}" for k in _KEYS)


# -- rebuilding, in one set-based statement per table ----------------------------------

_ANCESTOR_PAIRS = (
    "SELECT u.id AS unit_id, a.id AS anc_id FROM orgs_orgunit u "
    "JOIN reporting_rollup_levels s ON s.n <= u.depth "
    f"JOIN orgs_orgunit a ON a.path = substr(u.path, 1, {STEPLEN} * s.n)"
)


def _value_select(where: str = "") -> str:
    return (
        f"SELECT dv.element_id, dv.option_id, anc.anc_id, dv.period_id, "
        f"SUM({_micros('dv.number')}), COUNT(*) "
        f"FROM reporting_datavalue dv JOIN ({_ANCESTOR_PAIRS}) anc "
        f"ON anc.unit_id = dv.org_unit_id WHERE dv.number IS NOT NULL{where} "
        "GROUP BY dv.element_id, dv.option_id, anc.anc_id, dv.period_id"
    )


def _last_select(where: str = "") -> str:
    chain = (
        "SELECT dv.element_id, dv.option_id, dv.org_unit_id, dv.period_id, "
        "COALESCE(LEAD(dv.period_id) OVER (PARTITION BY dv.element_id, dv.option_id, "
        "dv.org_unit_id, p.period_type ORDER BY p.end_date), '') AS next_id, "
        f"{_micros('dv.number')} AS m "
        "FROM reporting_datavalue dv JOIN reporting_period p ON p.id = dv.period_id "
        "JOIN reporting_dataelement e ON e.id = dv.element_id "
        f"WHERE e.aggregation_type = 'LAST' AND dv.number IS NOT NULL{where}"
    )
    return (
        "SELECT c.element_id, c.option_id, anc.anc_id, c.period_id, c.next_id, SUM(c.m), "
        f"COUNT(*) FROM ({chain}) c JOIN ({_ANCESTOR_PAIRS}) anc ON anc.unit_id = c.org_unit_id "
        "GROUP BY c.element_id, c.option_id, anc.anc_id, c.period_id, c.next_id"
    )


_VALUE_COLUMNS = "(element_id, option_id, unit_id, period_id, micros, n)"
_LAST_COLUMNS = "(element_id, option_id, unit_id, period_id, next_period_id, micros, n)"


def _element_relast(element: str) -> list[str]:
    """An element's aggregation type changed: its chains rebuilt (or dropped)."""
    return [
        f"DELETE FROM reporting_lastrollup WHERE element_id = {element}",
        f"INSERT INTO reporting_lastrollup {_LAST_COLUMNS} "
        f"{_last_select(f' AND dv.element_id = {element}')}",
    ]


# -- installing the triggers -----------------------------------------------------------

SQLITE_TRIGGERS = (
    "rollup_dv_insert",
    "rollup_dv_insert_last",
    "rollup_dv_delete",
    "rollup_dv_delete_last",
    "rollup_dv_update",
    "rollup_dv_update_last",
    "rollup_dv_move",
    "rollup_dv_move_last",
    "rollup_element_type",
)


def _sqlite_triggers() -> list[str]:
    def trigger(name, event, when, statements):
        body = "".join(f"  {s};\n" for s in statements)
        return f"CREATE TRIGGER {name} AFTER {event} FOR EACH ROW WHEN {when}\nBEGIN\n{body}END"

    same, number_changed = _same_cell(), "NEW.number IS NOT OLD.number"
    update_last = [
        _guard(_chain_delta(), "OLD.number IS NOT NULL AND NEW.number IS NOT NULL"),
        *(_guard(s, "OLD.number IS NULL") for s in _chain_insert("NEW")),
        *(_guard(s, "NEW.number IS NULL") for s in _chain_delete("OLD")),
    ]
    move = [
        *(_guard(s, "OLD.number IS NOT NULL") for s in [_value_add("OLD", -1)]),
        *(_guard(s, "NEW.number IS NOT NULL") for s in [_value_add("NEW", 1)]),
    ]
    move_last = [
        *(_guard(s, f"OLD.number IS NOT NULL AND {_is_last('OLD')}") for s in _chain_delete("OLD")),
        *(_guard(s, f"NEW.number IS NOT NULL AND {_is_last('NEW')}") for s in _chain_insert("NEW")),
    ]
    dv = "ON reporting_datavalue"
    return [
        trigger("rollup_dv_insert", f"INSERT {dv}", "NEW.number IS NOT NULL", [_value_add("NEW", 1)]),
        trigger(
            "rollup_dv_insert_last", f"INSERT {dv}",
            f"NEW.number IS NOT NULL AND {_is_last('NEW')}", _chain_insert("NEW"),
        ),
        trigger("rollup_dv_delete", f"DELETE {dv}", "OLD.number IS NOT NULL", [_value_add("OLD", -1)]),
        trigger(
            "rollup_dv_delete_last", f"DELETE {dv}",
            f"OLD.number IS NOT NULL AND {_is_last('OLD')}", _chain_delete("OLD"),
        ),
        trigger("rollup_dv_update", f"UPDATE {dv}", f"{same} AND {number_changed}", [_value_delta()]),
        trigger(
            "rollup_dv_update_last", f"UPDATE {dv}",
            f"{same} AND {number_changed} AND {_is_last('NEW')}", update_last,
        ),
        trigger("rollup_dv_move", f"UPDATE {dv}", f"NOT ({same})", move),
        trigger("rollup_dv_move_last", f"UPDATE {dv}", f"NOT ({same})", move_last),
        trigger(
            "rollup_element_type", "UPDATE OF aggregation_type ON reporting_dataelement",
            "OLD.aggregation_type IS NOT NEW.aggregation_type", _element_relast("NEW.id"),
        ),
    ]  # fmt: skip


def _guard(statement: str, condition: str) -> str:
    """Add a condition to one of the INSERT … SELECT … WHERE statements above."""
    head, upsert = statement.split(" ON CONFLICT ", 1)
    return f"{head} AND {condition} ON CONFLICT {upsert}"


def _plpgsql(statements: list[str], indent: str) -> str:
    return "".join(f"{indent}{s};\n" for s in statements)


SUSPEND_SETTING = "weijian.rollups_suspended"
# A bulk load (suspended()) turns the data-value trigger off for its own transaction only.
_SUSPENDED_GUARD = (
    f"IF current_setting('{SUSPEND_SETTING}', true) = 'on' THEN "
    "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END IF;"
)


def _postgres_triggers() -> list[str]:
    same = _same_cell()
    body = f"""
BEGIN
  {_SUSPENDED_GUARD}
  IF TG_OP = 'INSERT' THEN
    IF NEW.number IS NOT NULL THEN
{_plpgsql([_value_add("NEW", 1)], "      ")}      IF {_is_last("NEW")} THEN
{_plpgsql(_chain_insert("NEW"), "        ")}      END IF;
    END IF;
    RETURN NEW;
  ELSIF TG_OP = 'DELETE' THEN
    IF OLD.number IS NOT NULL THEN
{_plpgsql([_value_add("OLD", -1)], "      ")}      IF {_is_last("OLD")} THEN
{_plpgsql(_chain_delete("OLD"), "        ")}      END IF;
    END IF;
    RETURN OLD;
  END IF;
  IF {same} THEN
    IF NEW.number IS DISTINCT FROM OLD.number THEN
{_plpgsql([_value_delta()], "      ")}      IF {_is_last("NEW")} THEN
        IF OLD.number IS NULL THEN
{_plpgsql(_chain_insert("NEW"), "          ")}        ELSIF NEW.number IS NULL THEN
{_plpgsql(_chain_delete("OLD"), "          ")}        ELSE
{_plpgsql([_chain_delta()], "          ")}        END IF;
      END IF;
    END IF;
    RETURN NEW;
  END IF;
  IF {partitions.moves_partition("NEW")} THEN
    RETURN NEW;
  END IF;
  IF OLD.number IS NOT NULL THEN
{_plpgsql([_value_add("OLD", -1)], "    ")}    IF {_is_last("OLD")} THEN
{_plpgsql(_chain_delete("OLD"), "      ")}    END IF;
  END IF;
  IF NEW.number IS NOT NULL THEN
{_plpgsql([_value_add("NEW", 1)], "    ")}    IF {_is_last("NEW")} THEN
{_plpgsql(_chain_insert("NEW"), "      ")}    END IF;
  END IF;
  RETURN NEW;
END"""
    element_body = f"""
BEGIN
{_plpgsql(_element_relast("NEW.id"), "  ")}  RETURN NEW;
END"""
    return [
        f"CREATE OR REPLACE FUNCTION rollup_datavalue() RETURNS trigger LANGUAGE plpgsql AS $${body}$$",
        "CREATE TRIGGER rollup_datavalue BEFORE INSERT OR UPDATE OR DELETE ON reporting_datavalue "
        "FOR EACH ROW EXECUTE FUNCTION rollup_datavalue()",
        f"CREATE OR REPLACE FUNCTION rollup_element_type() RETURNS trigger LANGUAGE plpgsql AS $${element_body}$$",
        "CREATE TRIGGER rollup_element_type AFTER UPDATE OF aggregation_type "
        "ON reporting_dataelement FOR EACH ROW "
        "WHEN (OLD.aggregation_type IS DISTINCT FROM NEW.aggregation_type) "
        "EXECUTE FUNCTION rollup_element_type()",
    ]  # fmt: skip


def install_triggers(*, with_completeness: bool = True) -> None:
    """Create the triggers (dropping older versions first). Called by the migrations (those
    before the completeness tables existed pass with_completeness=False)."""
    drop_triggers(with_completeness=with_completeness)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            statements = _postgres_triggers()
            statements += completeness.postgres_triggers() if with_completeness else []
        else:
            statements = _sqlite_triggers()
            statements += completeness.sqlite_triggers() if with_completeness else []
        for statement in statements:
            cursor.execute(statement)


def drop_triggers(*, with_completeness: bool = True) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER IF EXISTS rollup_datavalue ON reporting_datavalue")
            cursor.execute("DROP TRIGGER IF EXISTS rollup_element_type ON reporting_dataelement")
            for statement in completeness.drop_postgres_triggers() if with_completeness else []:
                cursor.execute(statement)
        else:
            extra = completeness.SQLITE_TRIGGERS if with_completeness else ()
            for name in SQLITE_TRIGGERS + extra:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def create_levels_view() -> None:
    """The integers 1…MAX_DEPTH: the depths at which a unit's path has an ancestor's path as
    its prefix. The triggers join it (SQLite allows no recursive query in a trigger); a view,
    not a table, so a test database's flush between tests cannot empty it."""
    rows = ", ".join(f"({n})" for n in range(1, MAX_DEPTH + 1))
    with connection.cursor() as cursor:
        cursor.execute("DROP VIEW IF EXISTS reporting_rollup_levels")
        cursor.execute(f"CREATE VIEW reporting_rollup_levels (n) AS VALUES {rows}")


# -- rebuild, verify, bulk loads -------------------------------------------------------


def rebuild(*, with_completeness: bool = True) -> dict[str, int]:
    """Recompute the rollup tables from the data values, submissions and assignments, in one
    transaction. Returns the rows written per table ("values", "last", "completeness")."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM reporting_valuerollup")
        cursor.execute(f"INSERT INTO reporting_valuerollup {_VALUE_COLUMNS} {_value_select()}")
        values = cursor.rowcount
        cursor.execute("DELETE FROM reporting_lastrollup")
        cursor.execute(f"INSERT INTO reporting_lastrollup {_LAST_COLUMNS} {_last_select()}")
        last = cursor.rowcount
        written = completeness.rebuild(cursor) if with_completeness else {}
        return {"values": values, "last": last, "completeness": sum(written.values())}


def add_values_of(unit_ids: list[int]) -> dict[str, int]:
    """PostgreSQL: add the Σ/count rollups and the LAST chains of the values at these units to
    this connection's slot — for a bulk load whose triggers were off (suspended()) and that
    alone wrote values at these units (units it created: nobody else sees them before it
    commits). Each unit's chains lie within the unit, and the values' contributions to
    ancestors shared with other writers are added, never recomputed, so the others' saves in
    the meantime stay counted and nobody waits: only rows of this connection's slot are
    written. Returns the rows written per table."""
    where = " AND dv.org_unit_id = ANY(%s)"
    written = {}
    with connection.cursor() as cursor:
        for label, table, columns, key, select in (
            ("values", "reporting_valuerollup", _VALUE_COLUMNS, _VALUE_KEY, _value_select),
            ("last", "reporting_lastrollup", _LAST_COLUMNS, _LAST_KEY, _last_select),
        ):
            cursor.execute(
                f"INSERT INTO {table} {columns[:-1]}, slot) SELECT s.*, {_slot()} "
                f"FROM ({select(where)}) s {_upsert(table, key)}",
                [list(unit_ids)],
            )
            written[label] = cursor.rowcount
    return written


@contextmanager
def suspended(*, loaded_units: Callable[[], list[int]] | None = None) -> Iterator[None]:
    """For bulk loads (the demo, the benchmarks): the data-value triggers are off while the
    block runs and the rollups are brought up to date after it, all in one transaction.

    PostgreSQL: a setting local to this transaction makes the trigger return at once for this
    connection only; it takes no lock, so other connections save (with their triggers) while
    the load runs. Afterwards, given `loaded_units` (the units whose values the block wrote,
    and nobody else could: see add_values_of), their rollups are added; without it one full
    rebuild follows, which deletes every rollup row and so holds up every concurrent save
    that touches one until commit — for loads with no other writer (bench/scale.py).
    SQLite (one writer at a time) drops the triggers, rebuilds and re-creates them."""
    with transaction.atomic():
        postgres = connection.vendor == "postgresql"
        if postgres:
            _set_suspended(True)
        else:
            drop_triggers()
        yield
        if not postgres:
            rebuild()
            install_triggers()
            return
        _set_suspended(False)
        if loaded_units is None:
            rebuild()
        else:
            add_values_of(loaded_units())


def _set_suspended(on: bool) -> None:
    with connection.cursor() as cursor:  # set_config(…, true): SET LOCAL
        cursor.execute("SELECT set_config(%s, %s, true)", [SUSPEND_SETTING, "on" if on else "off"])


# (table, key columns without the slot, the upsert key, the count columns)
_FOLDS = (
    (
        "reporting_valuerollup",
        "element_id, option_id, unit_id, period_id",
        _VALUE_KEY,
        ("micros", "n"),
    ),
    (
        "reporting_lastrollup",
        "element_id, option_id, unit_id, period_id, next_period_id",
        _LAST_KEY,
        ("micros", "n"),
    ),
    (
        "reporting_reportrollup",
        "form_id, unit_id, period_id",
        completeness.REPORT_KEY,
        ("actual", "on_time"),
    ),
)


def compact(batch: int = 50_000) -> int:
    """Fold the writers' slots into slot 0 and drop the cells left with nothing (all their
    values deleted); returns the rows folded. Readers add the slots up, so this changes no
    answer, only how many rows they read: run it every few minutes (`weijian analytics
    compact`, cron), as PostgreSQL's autovacuum runs. Each batch is one statement that
    deletes slot rows and adds exactly the rows it deleted to slot 0 (DELETE … RETURNING),
    skipping rows an open save holds, so it never waits for a writer nor makes one wait for
    long; compactions queue behind one another (an advisory lock). SQLite's writers use slot
    0 already: only the empty cells go. On PostgreSQL, outside a transaction, the tables are
    vacuumed after a compaction that folded rows (see _vacuum)."""
    folded = 0
    for table, columns, key, counts in _FOLDS:
        while True:
            with transaction.atomic(), connection.cursor() as cursor:
                moved = _fold_batch(cursor, table, columns, key, counts, batch)
            folded += moved
            if moved < batch:
                break
        empty = " AND ".join(f"{c} = 0" for c in counts)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE slot = 0 AND {empty}")
    if folded and connection.vendor == "postgresql" and not connection.in_atomic_block:
        _vacuum()
    return folded


def _vacuum() -> None:
    """PostgreSQL: the engine reads reporting_valuerollup by index only (migration 0008), which
    skips the table only on pages the visibility map marks all-visible, and a compaction's
    deletes and upserts clear the marks of the pages they touch. Autovacuum would come back
    only once a fifth of the table has changed; a plain VACUUM visits just the pages not
    marked, takes no lock a writer waits for, and cannot run inside a transaction (callers
    inside one, the tests, leave it to autovacuum)."""
    with connection.cursor() as cursor:
        for table, *_ in _FOLDS:
            cursor.execute(f"VACUUM {table}")


def _fold_batch(cursor, table: str, columns: str, key: str, counts, batch: int) -> int:
    if connection.vendor != "postgresql":
        return 0
    cursor.execute("SELECT pg_advisory_xact_lock(hashtext('weijian.rollups.compact'))")
    keys = ", ".join(f"t.{c.strip()}" for c in columns.split(","))
    sums = ", ".join(f"SUM({c})" for c in counts)
    adds = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in counts)
    cursor.execute(
        f"WITH taken AS (SELECT id FROM {table} WHERE slot <> 0 LIMIT {int(batch)} "
        "FOR UPDATE SKIP LOCKED), "
        f"gone AS (DELETE FROM {table} t USING taken WHERE t.id = taken.id "
        f"RETURNING {keys}, {', '.join('t.' + c for c in counts)}), "
        f"folded AS (INSERT INTO {table} ({columns}, slot, {', '.join(counts)}) "
        f"SELECT {columns}, 0, {sums} FROM gone GROUP BY {columns} "
        f"ON CONFLICT ({key}) DO UPDATE SET {adds}) "
        "SELECT count(*) FROM gone"
    )
    return cursor.fetchone()[0]


@dataclass(frozen=True)
class Difference:
    """One rollup cell that disagrees with the values (micros and count; None = no row)."""

    table: str  # "Σ/计数" or "期末值"
    element: str
    option: str
    unit: str
    period: str
    next_period: str
    stored: tuple[int, int] | None
    expected: tuple[int, int] | None

    def describe(self) -> str:
        def show(pair):
            if pair is None:
                return "无"
            total = format(Decimal(pair[0]).scaleb(-6), "f").rstrip("0").rstrip(".")
            return f"合计 {total or '0'}，计数 {pair[1]}"

        chain = f" → {self.next_period or '（最新）'}" if self.table == "期末值" else ""
        return (
            f"[{self.table}] {self.element}.{self.option} · {self.unit} · {self.period}{chain}："
            f"汇总表为 {show(self.stored)}，按数据值应为 {show(self.expected)}"
        )


def verify(limit: int = 1000) -> tuple[int, list[Difference | completeness.Difference]]:
    """Recompute the tables from the values (and the completeness tables from the
    submissions and assignments) and compare them with what is stored. Returns the number of
    differing cells and (up to `limit` of) them, named by codes."""
    checks = [
        ("Σ/计数", "reporting_valuerollup", _value_select(), "'' AS next_period_id"),
        ("期末值", "reporting_lastrollup", _last_select(), "next_period_id"),
    ]
    total, found = 0, []
    with transaction.atomic(), connection.cursor() as cursor:
        for label, table, select, next_column in checks:
            cursor.execute(
                "CREATE TEMPORARY TABLE rollup_expected "
                "(element_id bigint, option_id bigint, unit_id bigint, period_id varchar(10), "
                "next_period_id varchar(10), micros bigint, n bigint)"
            )
            chained = not next_column.startswith("''")
            columns = _LAST_COLUMNS if chained else _VALUE_COLUMNS
            group = ", next_period_id" if chained else ""
            cursor.execute(f"INSERT INTO rollup_expected {columns} {select}")
            # A cell's slots added up (see models.ValueRollup); cells of no values left out.
            stored = (
                f"SELECT element_id, option_id, unit_id, period_id, {next_column}, "
                f"SUM(micros) AS micros, SUM(n) AS n FROM {table} "
                f"GROUP BY element_id, option_id, unit_id, period_id{group} "
                "HAVING SUM(n) <> 0 OR SUM(micros) <> 0"
            )
            expected = (
                "SELECT element_id, option_id, unit_id, period_id, "
                "COALESCE(next_period_id, '') AS next_period_id, micros, n FROM rollup_expected"
            )
            cursor.execute(
                f"SELECT 's', x.* FROM ({stored} EXCEPT {expected}) x UNION ALL "
                f"SELECT 'e', y.* FROM ({expected} EXCEPT {stored}) y"
            )
            rows = cursor.fetchall()
            cursor.execute("DROP TABLE rollup_expected")
            total += len(_pair_up(rows))
            found += _describe(label, _pair_up(rows))[: max(0, limit - len(found))]
        reports = completeness.differences(cursor)
    total += len(reports)
    found += completeness.describe(reports[: max(0, limit - len(found))])
    return total, found


def _pair_up(rows) -> dict[tuple, dict[str, tuple[int, int]]]:
    cells: dict[tuple, dict[str, tuple[int, int]]] = {}
    for side, element, option, unit, period, next_period, micros, n in rows:
        key = (element, option, unit, period, next_period or "")
        cells.setdefault(key, {})[side] = (int(micros), int(n))
    return cells


def _describe(label: str, cells) -> list[Difference]:
    from weijian.orgs.models import OrgUnit

    from .models import CategoryOption

    keys = sorted(cells)
    elements = dict(
        DataElement.objects.filter(pk__in={k[0] for k in keys}).values_list("pk", "code")
    )
    options = dict(
        CategoryOption.objects.filter(pk__in={k[1] for k in keys}).values_list("pk", "code")
    )
    units = dict(OrgUnit.objects.filter(pk__in={k[2] for k in keys}).values_list("pk", "code"))
    return [
        Difference(
            label,
            elements.get(e, str(e)),
            options.get(o, str(o)),
            units.get(u, str(u)),
            p,
            q,
            cells[(e, o, u, p, q)].get("s"),
            cells[(e, o, u, p, q)].get("e"),
        )  # fmt: skip
        for e, o, u, p, q in keys
    ]
