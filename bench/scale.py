"""Scale benchmark (not a test): a synthetic county (≥ 2 million values), the library pivot on
it with `analyse()`, and DuckDB over the same data in Parquet as the near-limit reference.

    make bench-scale                                    # SQLite, then PostgreSQL when found
    .venv/bin/python bench/scale.py                     # SQLite only (temporary var/ folder)
    scripts/with-test-postgres .venv/bin/python bench/scale.py   # PostgreSQL
    .venv/bin/python bench/scale.py --scale city        # ≥ 20 million values (slow to build)

Generation: the demo district is loaded once (36 months); every institution is then cloned
(with its departments, group memberships, form assignments, submissions and values) under the
district, and every department is cloned under its institution. Clones carry their source's
values unchanged. Rows are copied with INSERT … SELECT inside the database, never per row.

The pivot is "all library indicators × the last 12 months × every depth-2 unit (institutions)";
the operand aggregation (`operands.fetch`) is timed alone as well. The rollups are compacted
before timing (`weijian analytics compact`, as cron keeps them). DuckDB then computes the
same operand aggregates (Σ value and count per element/option × institution subtree × month)
in the same process and run, from the values loaded once into its own columnar table, with
equality joins on two small mapping tables (unit → requested institution, stored period →
requested month), timed to Python tuples and to Arrow; every cell's Σ and count is checked
against the engine's. LAST and AVERAGE types derive from per-unit figures not recomputed here;
Σ and count are the inputs of SUM and AVERAGE and are compared for every element.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import secrets
import statistics
import sys
import tempfile
import time

import copy_load

# (institution copies, department copies): each copy count includes the original.
SCALES = {"county": (4, 10), "city": (40, 10)}
STEP_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEPLEN = 4


def ensure_postgres_database() -> None:
    """with-test-postgres names a database `weijian` it does not create: create it."""
    url = os.environ.get("WEIJIAN_DATABASE_URL", "")
    if not url.startswith("postgres"):
        return
    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    params = conninfo_to_dict(url)
    name = params.pop("dbname")
    with psycopg.connect(**params, dbname="postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(var_dir: str) -> None:
    os.environ["WEIJIAN_VAR_DIR"] = var_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weijian.settings")
    ensure_postgres_database()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def step(n: int) -> str:
    out = ""
    for _ in range(STEPLEN):
        n, r = divmod(n, len(STEP_ALPHABET))
        out = STEP_ALPHABET[r] + out
    return out


def plan_clones(institution_copies: int, department_copies: int) -> list[tuple]:
    """New org units as (path, depth, code, name, short_name, type, opening, closing, source id)."""
    from weijian.orgs.models import OrgUnit

    root = OrgUnit.objects.get(depth=1)
    units = list(OrgUnit.objects.order_by("path"))
    institutions = [u for u in units if u.depth == 2]
    departments = {
        i.pk: [u for u in units if u.path.startswith(i.path) and u.depth > 2] for i in institutions
    }
    new: list[tuple] = []
    next_child = root.numchild + 1

    def add(path, depth, code, unit, source_id):
        new.append(
            (path, depth, code, f"{unit.name}{code[-4:]}", unit.short_name, unit.type,
             unit.opening_date, unit.closing_date, source_id)
        )  # fmt: skip

    for copy in range(institution_copies):
        for inst in institutions:
            if copy == 0:
                inst_path, inst_code = inst.path, inst.code
            else:
                inst_path, inst_code = root.path + step(next_child), f"{inst.code}_I{copy}"
                next_child += 1
                add(inst_path, 2, inst_code, inst, inst.pk)
            depts = departments[inst.pk]
            dept_step = len(depts) + 1
            for dcopy in range(department_copies):
                for dept in depts:
                    if copy == 0 and dcopy == 0:
                        continue
                    if dcopy == 0:
                        path = inst_path + dept.path[len(inst.path) :]
                    else:
                        path = inst_path + step(dept_step)
                        dept_step += 1
                    suffix = (f"_I{copy}" if copy else "") + (f"_D{dcopy}" if dcopy else "")
                    add(path, 3, dept.code + suffix, dept, dept.pk)
    return new


def phase(label: str, rows: int | None = None) -> None:
    """A generation step done: wall seconds since the last step, and CPU (see cpu_seconds)."""
    wall, cpu = time.perf_counter(), cpu_seconds()
    if _PHASE:
        count = f", {rows:,} rows" if rows is not None else ""
        print(f"  {label}{count}: {wall - _PHASE[0]:.1f} s wall, {cpu - _PHASE[1]:.1f} s CPU",
              flush=True)  # fmt: skip
    _PHASE[:] = [wall, cpu]


_PHASE: list[float] = []


def generate(institution_copies: int, department_copies: int) -> dict[str, int]:
    from django.db import connection

    from weijian.demo.bulk import insert_rows
    from weijian.demo.load import load_demo
    from weijian.orgs.models import OrgUnit
    from weijian.reporting import rollups

    phase("start")
    load_demo(months=36)
    phase("demo loaded")
    plan = plan_clones(institution_copies, department_copies)
    # Bulk copies: the rollup triggers are off meanwhile, and one rebuild follows.
    with rollups.suspended():
        insert_rows(
            OrgUnit,
            ["path", "depth", "numchild", "code", "uid", "name", "short_name", "type",
             "opening_date", "closing_date", "leadership"],
            # leadership: only the top unit names it (units below inherit it).
            ((p, d, 0, c, secrets.token_hex(6)[:11], n, s, t, o, cl, "")
             for p, d, c, n, s, t, o, cl, _ in plan),
        )  # fmt: skip
        ids = dict(OrgUnit.objects.values_list("code", "pk"))
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE bench_unit_map (new_id bigint, source_id bigint)")
            cursor.executemany(
                "INSERT INTO bench_unit_map VALUES (%s, %s)",
                [(ids[row[2]], row[-1]) for row in plan],
            )
            # numchild, as treebeard would keep it.
            counts: dict[str, int] = {}
            for path in OrgUnit.objects.values_list("path", flat=True):
                counts[path[:-STEPLEN]] = counts.get(path[:-STEPLEN], 0) + 1
            cursor.executemany(
                "UPDATE orgs_orgunit SET numchild = %s WHERE path = %s",
                [(n, p) for p, n in counts.items() if p],
            )
            completeness_triggers(cursor, "DISABLE")
            phase("units planned and inserted", len(plan))
            for table, column in [
                ("orgs_orgunitgroup_members", "orgunit_id"),
                ("reporting_form_org_units", "orgunit_id"),
                ("reporting_submission", "org_unit_id"),
            ]:
                copy_rows(cursor, table, column)
            phase("memberships, assignments and submissions copied")
            rebuild_indexes: list[str] = []
            if connection.vendor == "postgresql" and copy_load.is_superuser(cursor):
                unit_map = [(ids[row[2]], row[-1]) for row in plan]
                copy_load.copy_values(cursor, unit_map, phase)
                # The rollups' indexes off for the rebuild that ends suspended(): see copy_load.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                for table in copy_load.ROLLUP_TABLES:
                    rebuild_indexes += copy_load.drop_indexes(cursor, table)
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            else:  # SQLite, or a PostgreSQL role that may not skip the foreign-key checks
                copy_rows(cursor, "reporting_datavalue", "org_unit_id")
                phase("values copied (INSERT … SELECT)")
            completeness_triggers(cursor, "ENABLE")
            cursor.execute("DROP TABLE bench_unit_map")
    phase("rollups rebuilt and committed")
    if rebuild_indexes:
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '1GB'")
            for statement in rebuild_indexes:
                cursor.execute(statement)
            cursor.execute("RESET maintenance_work_mem")
        phase("rollup indexes rebuilt", len(rebuild_indexes))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # What autovacuum does after a bulk load: statistics, and the visibility map that
            # lets the engine read the covering index without visiting the table.
            cursor.execute("VACUUM ANALYZE")
        phase("VACUUM ANALYZE")
    from weijian.reporting.models import DataValue

    return {"units": OrgUnit.objects.count(), "values": DataValue.objects.count()}


def completeness_triggers(cursor, action: str) -> None:
    """PostgreSQL: the completeness triggers off while the clones are copied (the rebuild at
    the end of rollups.suspended() recomputes those tables). Not in suspended() itself: the
    table locks would hold up every save during a demo load. SQLite's are dropped there."""
    from django.db import connection

    from weijian.reporting import completeness_rollups

    if connection.vendor != "postgresql":
        return
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE refuses pending checks
    for statement in completeness_rollups.drop_postgres_triggers():
        name, table = statement.removeprefix("DROP TRIGGER IF EXISTS ").split(" ON ")
        cursor.execute(f"ALTER TABLE {table} {action} TRIGGER {name}")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def copy_rows(cursor, table: str, unit_column: str) -> None:
    from django.db import connection

    columns = [
        c.name
        for c in connection.introspection.get_table_description(cursor, table)
        if c.name != "id"
    ]
    selected = ", ".join("m.new_id" if c == unit_column else f"t.{c}" for c in columns)
    cursor.execute(
        f"INSERT INTO {table} ({', '.join(columns)}) SELECT {selected} FROM {table} t "
        f"JOIN bench_unit_map m ON m.source_id = t.{unit_column}"
    )


def verify_sample(every: int) -> tuple[int, int]:
    """`weijian analytics verify` restricted to every `every`-th data element (by id): for
    those elements every Σ/count and LAST-chain rollup row, at every unit and ancestor, is
    recomputed from the stored values and compared (the same SELECTs as rollups.verify()),
    as is the whole completeness rollup. For a city, where the full verify runs for long.
    Returns (differing cells, elements checked)."""
    from django.db import connection, transaction

    from weijian.reporting import completeness_rollups, rollups
    from weijian.reporting.models import DataElement

    ids = sorted(DataElement.objects.values_list("pk", flat=True))[::every]
    listed = ", ".join(str(int(i)) for i in ids)
    checks = [
        ("reporting_valuerollup", rollups._value_select(f" AND dv.element_id IN ({listed})"),
         "''"),
        ("reporting_lastrollup", rollups._last_select(f" AND dv.element_id IN ({listed})"),
         "next_period_id"),
    ]  # fmt: skip
    differing = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for table, select, next_column in checks:
            chained = next_column != "''"
            group = ", next_period_id" if chained else ""
            stored = (
                f"SELECT element_id, option_id, unit_id, period_id, {next_column} AS next_id, "
                f"SUM(micros), SUM(n) FROM {table} WHERE element_id IN ({listed}) "
                f"GROUP BY element_id, option_id, unit_id, period_id{group} "
                "HAVING SUM(n) <> 0 OR SUM(micros) <> 0"
            )
            expected = select if chained else select.replace(
                "anc.anc_id, dv.period_id, SUM", "anc.anc_id, dv.period_id, '' AS next_id, SUM", 1
            )  # fmt: skip
            cursor.execute(
                f"SELECT COUNT(*) FROM (({stored}) EXCEPT ({expected})) x UNION ALL "
                f"SELECT COUNT(*) FROM (({expected}) EXCEPT ({stored})) y"
            )
            differing += sum(n for (n,) in cursor.fetchall())
        differing += len(completeness_rollups.differences(cursor))
    return differing, len(ids)


def timed(function, repeat: int, label: str) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds of each of `repeat` calls, after a warm-up call.

    CPU seconds are this process's (every thread: SQLite and DuckDB run in it) plus, on a
    local PostgreSQL, the server backend's serving this connection, read from /proc. On a
    shared, loaded machine the wall clock also counts the time spent waiting for a core; the
    CPU time is what the work costs on an idle one."""
    function()
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), cpu_seconds()
        function()
        walls.append(time.perf_counter() - wall)
        cpus.append(cpu_seconds() - cpu)
    # As measured, so that a long run (a city) interrupted late still says something.
    print(f"  {label}: wall {ms(walls)}, CPU {ms(cpus)} "
          f"(median of {repeat}), load {os.getloadavg()[0]:.1f}", flush=True)  # fmt: skip
    return walls, cpus


_BACKEND_PID: list[int | None] = []


def cpu_seconds() -> float:
    from django.db import connection

    total = time.process_time()
    if connection.vendor != "postgresql":
        return total
    if not _BACKEND_PID:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            _BACKEND_PID.append(cursor.fetchone()[0])
    try:
        with open(f"/proc/{_BACKEND_PID[0]}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:  # a remote server: its CPU time is not visible from here
        return float("nan")
    # utime and stime, the 14th and 15th fields, in clock ticks.
    return total + (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextlib.contextmanager
def decimal_evaluation():
    """analyse() with its int64 evaluation off (expression/integer.py): every indicator on
    the Decimal object path, as before it, for a comparison in the same run."""
    from weijian.indicators import analytics

    exact = analytics._exact_indicator_column
    analytics._exact_indicator_column = lambda *args: None
    try:
        yield
    finally:
        analytics._exact_indicator_column = exact


def pivot_request():
    from django.utils import timezone

    from weijian.indicators.models import Indicator
    from weijian.orgs.models import OrgUnit
    from weijian.periods import PeriodType, last_ended

    codes = list(Indicator.objects.values_list("code", flat=True))
    months = [last_ended(PeriodType.MONTHLY, timezone.localdate())]
    while len(months) < 12:
        months.insert(0, months[0].previous())
    units = list(OrgUnit.objects.filter(depth=2))
    return codes, months, units


def request_elements(codes):
    """The data elements the engine's single query reads for these indicators."""
    from weijian.indicators.analytics import _expressions, _resolve_dx
    from weijian.indicators.expression import ElementRef
    from weijian.reporting.models import DataElement

    indicators, _ = _resolve_dx(codes)
    refs = {
        ref for pair in _expressions(indicators).values() for side in pair for ref in side.items()
    }
    element_codes = {r.code for r in refs if isinstance(r, ElementRef)}
    return list(DataElement.objects.filter(code__in=element_codes))


def export_parquet(path: str) -> int:
    """The numeric values, streamed to Parquet in batches (a city does not fit in memory as
    Python tuples): ids only, as the database stores them."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    from django.db import connection, transaction

    schema = pa.schema(
        [
            ("element_id", pa.int64()),
            ("option_id", pa.int64()),
            ("unit_id", pa.int64()),
            ("period_id", pa.string()),
            # Stored numbers have ≤ 6 decimals: integer millionths sum exactly.
            ("micros", pa.int64()),
        ]
    )
    exported = 0
    # chunked_cursor(): a server-side cursor on PostgreSQL, so rows arrive in batches.
    with (
        transaction.atomic(),
        connection.chunked_cursor() as cursor,
        pq.ParquetWriter(path, schema) as writer,
    ):
        cursor.execute(
            "SELECT element_id, option_id, org_unit_id, period_id, number "
            "FROM reporting_datavalue WHERE number IS NOT NULL"
        )
        while rows := cursor.fetchmany(500_000):
            columns = list(zip(*rows, strict=True))
            batch = [*(list(c) for c in columns[:4]), [round(float(v) * 1e6) for v in columns[4]]]
            writer.write_table(pa.table(batch, schema=schema))
            exported += len(rows)
    return exported


# The set-based formulation: the values are joined on plain ids to two small mapping tables,
# unit → requested institution (every unit of its subtree) and stored period → requested
# month, both equality joins DuckDB runs as hash joins. (The first version of this benchmark
# joined `starts_with(path, prefix)` and a date range, which DuckDB can only run as nested
# loops over every row × prefix and every row × month: ten times slower, an unfair reference.)
DUCKDB_SQL = """
SELECT d.element_id, d.option_id, u.ou_key, m.pe_key, SUM(d.micros) AS micros, COUNT(*) AS n
FROM dv d
JOIN ou_map u ON u.unit_id = d.unit_id
JOIN pe_map m ON m.period_id = d.period_id
WHERE d.element_id IN (SELECT id FROM elements)
GROUP BY ALL
"""


def stored_periods_within(months) -> list[tuple[str, str]]:
    """(stored period id, requested period id) for every stored period inside a requested one,
    as the engine's pe_map (start and end inside the requested period)."""
    from weijian.reporting.models import Period

    rows = Period.objects.values_list("id", "start_date", "end_date")
    return [(pid, m.id) for m in months for pid, s, e in rows if s >= m.start and e <= m.end]


def duckdb_reference(parquet: str, elements, units, months, repeat: int):
    """DuckDB's best: the values loaded once into its own columnar table, the same aggregates
    timed to Python tuples and to Arrow. Returns both timings and the cells by key."""
    import duckdb

    from weijian.indicators import operands

    con = duckdb.connect()
    con.execute("CREATE TABLE dv AS SELECT * FROM read_parquet(?)", [parquet])
    con.execute("CREATE TABLE ou_map (unit_id BIGINT, ou_key BIGINT)")
    con.executemany("INSERT INTO ou_map VALUES (?, ?)", operands.subtree_pairs(units))
    con.execute("CREATE TABLE pe_map (period_id VARCHAR, pe_key VARCHAR)")
    con.executemany("INSERT INTO pe_map VALUES (?, ?)", stored_periods_within(months))
    con.execute("CREATE TABLE elements (id BIGINT)")
    con.executemany("INSERT INTO elements VALUES (?)", [(e.pk,) for e in elements])
    to_tuples = timed(lambda: con.sql(DUCKDB_SQL).fetchall(), repeat, "DuckDB to tuples")
    to_arrow = timed(lambda: con.sql(DUCKDB_SQL).to_arrow_table(), repeat, "DuckDB to Arrow")
    rows = con.sql(DUCKDB_SQL).fetchall()
    cells = {(e, o, u, p): (micros, n) for e, o, u, p, micros, n in rows}
    return to_tuples, to_arrow, cells


def ms(times: list[float]) -> str:
    return f"{statistics.median(times) * 1000:.0f} ms"


def ratio(a: list[float], b: list[float]) -> str:
    return f"{statistics.median(a) / statistics.median(b):.1f}×"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=SCALES, default="county")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--keep", metavar="DIR",
        help="use DIR as the var/ folder and keep it; a second run reuses the generated data "
        "(SQLite in DIR; on PostgreSQL the database itself must be kept)",
    )  # fmt: skip
    parser.add_argument(
        "--verify-every", type=int, default=1, metavar="N",
        help="verify the rollups of every N-th data element only (1: the full verify)",
    )  # fmt: skip
    parser.add_argument(
        "--reference-repeat", type=int, metavar="N",
        help="time the on-the-fly reference path N times (default: --repeat; 0: run it once, "
        "untimed, for the cell check); a city's takes tens of seconds a run",
    )  # fmt: skip
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        if args.keep:
            os.makedirs(args.keep, exist_ok=True)
            var_dir = args.keep
        else:
            var_dir = stack.enter_context(tempfile.TemporaryDirectory())
        setup_django(var_dir)
        from django.db import connection

        from weijian.indicators import operands, rollup_operands
        from weijian.indicators.analytics import analyse
        from weijian.reporting import rollups

        backend = connection.vendor
        if backend == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SHOW server_version")
                backend += " " + cursor.fetchone()[0]
        else:
            import sqlite3

            backend += " " + sqlite3.sqlite_version
        import duckdb

        print(
            f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
            f"Python {sys.version.split()[0]}, {backend}, DuckDB {duckdb.__version__}"
        )
        print(f"command: {' '.join(sys.argv)} (WEIJIAN_DATABASE_URL "
              f"{'set' if os.environ.get('WEIJIAN_DATABASE_URL') else 'unset'})")  # fmt: skip
        start, start_cpu = time.perf_counter(), cpu_seconds()
        marker = os.path.join(var_dir, f"generated-{args.scale}")
        if args.keep and os.path.exists(marker):
            from weijian.orgs.models import OrgUnit
            from weijian.reporting.models import DataValue

            sizes = {"units": OrgUnit.objects.count(), "values": DataValue.objects.count()}
        else:
            sizes = generate(*SCALES[args.scale])
            open(marker, "w").close()
        generation = time.perf_counter() - start
        generation_cpu = cpu_seconds() - start_cpu
        print(f"generate {args.scale}: {sizes['values']:,} values, {sizes['units']} units, "
              f"{generation:.1f} s wall, {generation_cpu:.1f} s CPU "
              "(demo load and rollup rebuild included)")  # fmt: skip
        start = time.perf_counter()
        if args.verify_every > 1:
            differences, checked = verify_sample(args.verify_every)
            print(f"weijian analytics verify on a sample (every {args.verify_every}th element, "
                  f"{checked} elements, all units and periods; completeness in full): "
                  f"{differences} differences ({time.perf_counter() - start:.1f} s)")  # fmt: skip
        else:
            differences, _ = rollups.verify()
            print(f"weijian analytics verify: {differences} differences "
                  f"({time.perf_counter() - start:.1f} s)")  # fmt: skip

        # The steady state: cron runs `weijian analytics compact` every few minutes, so the
        # rollups are one row per cell in slot 0 (a generated county is already: the rebuild
        # writes slot 0) and, on PostgreSQL, vacuumed (the generation ends with VACUUM
        # ANALYZE), so the engine's read is index-only.
        start = time.perf_counter()
        folded = rollups.compact()
        print(f"weijian analytics compact before timing: {folded:,} rows folded "
              f"({time.perf_counter() - start:.1f} s)")  # fmt: skip
        # A shared machine: the load average says how much the wall-clock times below suffer.
        print("load average before timing (1, 5, 15 min):", *(f"{x:.1f}" for x in os.getloadavg()))
        codes, months, units = pivot_request()
        elements = request_elements(codes)
        cells = len(codes) * len(months) * len(units)
        # No request-size cap: the city pivot (131 × 12 × 480 cells) is past the web cap.
        pivot = timed(lambda: analyse(codes, months, units, max_cells=0), args.repeat, "analyse()")
        with decimal_evaluation():
            decimal_pivot = timed(
                lambda: analyse(codes, months, units, max_cells=0),
                args.repeat,
                "analyse(), every indicator on the Decimal evaluator",
            )
        # analyse()'s own read (fetch_values: the columns over the grid), not fetch()'s
        # Aggregates (a Decimal each), which only the cell check below needs.
        query = timed(
            lambda: rollup_operands.fetch_values(elements, units, months),
            args.repeat,
            "rollup_operands.fetch_values",
        )
        slow_repeat = args.repeat if args.reference_repeat is None else args.reference_repeat
        old_pivot = old_query = None
        if slow_repeat:
            old_pivot = timed(
                lambda: analyse(codes, months, units, max_cells=0, reference=True),
                slow_repeat,
                "analyse(reference=True)",
            )
            old_query = timed(
                lambda: operands.fetch(elements, units, months), slow_repeat, "operands.fetch"
            )
        result = analyse(codes, months, units, max_cells=0)
        old_result = analyse(codes, months, units, max_cells=0, reference=True)
        engine = {
            k: (int(a.total * 1_000_000), a.count)
            for k, a in rollup_operands.fetch(elements, units, months).items()
            if a.count
        }
        old_engine = {k: (int(a.total * 1_000_000), a.count)
                      for k, a in operands.fetch(elements, units, months).items()
                      if a.count} if slow_repeat else None  # fmt: skip

        new_cells, old_cells = result.cells(), old_result.cells()
        differ = [k for k in new_cells.keys() | old_cells.keys()
                  if repr(new_cells.get(k)) != repr(old_cells.get(k))]  # fmt: skip
        print(f"checked {len(old_cells):,} pivot cells, rollups against the reference path "
              f"(Decimal for Decimal): {len(differ)} differ")  # fmt: skip
        failures = [("pivot", k, new_cells.get(k), old_cells.get(k)) for k in differ[:5]]

        parquet = os.path.join(var_dir, "values.parquet")
        start = time.perf_counter()
        exported = export_parquet(parquet)
        export = time.perf_counter() - start
        duck, arrow, reference = duckdb_reference(parquet, elements, units, months, args.repeat)
        print("load average after timing (1, 5, 15 min):", *(f"{x:.1f}" for x in os.getloadavg()))

        for label, found in [("rollups", engine), ("on-the-fly reference", old_engine or {})]:
            if not found:
                continue
            differ = [
                k for k in found.keys() | reference.keys() if found.get(k) != reference.get(k)
            ]
            print(f"checked {len(found):,} operand cells (Σ and count) of the {label} against "
                  f"DuckDB: {len(differ)} differ")  # fmt: skip
            failures += [(label, k, found.get(k), reference.get(k)) for k in differ[:5]]
        print()
        print(f"| {args.scale}, {sizes['values']:,} values, {backend} | wall, median of "
              f"{args.repeat} | CPU, median of {args.repeat} |")  # fmt: skip
        print("|---|---|---|")
        rows = [
            (f"pivot {len(codes)} indicators × 12 months × {len(units)} institutions "
             f"({cells:,} cells), analyse() on the rollups", pivot),
            (f"of which the operands from the rollups ({len(elements)} elements, "
             "fetch_values)", query),
            ("the same pivot, every indicator on the Decimal evaluator (no int64 path)",
             decimal_pivot),
            ("pivot on the on-the-fly reference path, analyse(reference=True)", old_pivot),
            ("of which the on-the-fly aggregation, operands.fetch", old_query),
            (f"DuckDB, same Σ/count aggregates ({len(reference):,} cells), to Python tuples", duck),
            ("DuckDB, the same, to Arrow", arrow),
        ]  # fmt: skip
        for label, (wall, cpu) in [(label, times) for label, times in rows if times]:
            print(f"| {label} | {ms(wall)} | {ms(cpu)} |")
        print(f"| analyse() / DuckDB to tuples | {ratio(pivot[0], duck[0])} "
              f"| {ratio(pivot[1], duck[1])} |")  # fmt: skip
        print(f"| analyse() / DuckDB to Arrow | {ratio(pivot[0], arrow[0])} "
              f"| {ratio(pivot[1], arrow[1])} |")  # fmt: skip
        print(f"| Parquet export ({exported:,} rows) | {export:.1f} s | |")
        print(f"| generation | {generation:.1f} s | |")
        if failures or differences:
            print("MISMATCH, e.g.", failures[:10])
            sys.exit(1)


if __name__ == "__main__":
    main()
