"""The configured database, dumped and restored whole.

SQLite: SQLite's online backup API copies the database in one step while holding only a read
snapshot, so the site keeps running (in WAL mode writers are not blocked) and the copy is
consistent to the page; restoring copies the file back through the same API into the
configured database, which replaces its content in one transaction. PostgreSQL: `pg_dump -Fc`
within an exported snapshot (the row counts in the manifest are taken in the same snapshot),
and `pg_restore` piped into `psql --single-transaction`, which first drops the target's tables:
the database ends up exactly as backed up, or unchanged if anything fails. Both keep every
value as stored, timestamps to the microsecond (`dumpdata` would round them to milliseconds).
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from contextlib import closing, suppress
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader

from .archive import BackupError

# What any use of the system creates and a fresh `weijian migrate` does not: a database with a
# row in any of these holds someone's data.
CONTENT_TABLES = {
    "auth_user": "个用户",
    "orgs_orgunit": "个机构",
    "reporting_datavalue": "个数据值",
}
KIND_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
CHUNK = 1024 * 1024


@dataclass
class Dump:
    file: Path
    kind: str
    server_version: str
    tables: dict[str, int]
    migrations: dict[str, list[str]]


def kind() -> str:
    if connection.vendor not in KIND_NAMES:
        raise BackupError(f"不支持备份 {connection.vendor} 数据库（只支持 SQLite 和 PostgreSQL）")
    return connection.vendor


def dump(folder: Path) -> Dump:
    """A consistent copy of the configured database in `folder`."""
    return _dump_sqlite(folder) if kind() == "sqlite" else _dump_postgres(folder)


def restore(file: Path) -> None:
    """Replace the configured database's content with the dump in `file`, all or nothing."""
    if kind() == "sqlite":
        _restore_sqlite(file)
    else:
        _restore_postgres(file)


# -- what a database holds -------------------------------------------------------------------


def content() -> dict[str, int]:
    """Rows in the tables that only real use fills (empty for a fresh or merely migrated one)."""
    if kind() == "sqlite" and not connection.is_in_memory_db():
        # A fresh SQLite database is created on first use; its folder may not exist yet.
        Path(connection.settings_dict["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    present = set(connection.introspection.table_names())
    counts = {}
    with connection.cursor() as cursor:
        for table in CONTENT_TABLES.keys() & present:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return {table: n for table, n in counts.items() if n}


def describe_content(counts: dict[str, int]) -> str:
    return "、".join(f"{counts[t]} {label}" for t, label in CONTENT_TABLES.items() if t in counts)


def table_counts(cursor, tables: list[str]) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
    return counts


def _applied_migrations(cursor) -> dict[str, list[str]]:
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    applied: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        applied.setdefault(app, []).append(name)
    return applied


def unknown_migrations(applied: dict[str, list[str]]) -> list[str]:
    """Migrations the backed-up database had that this program does not know (a newer version)."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return [
        f"{app}.{name}"
        for app, names in applied.items()
        for name in names
        if (app, name) not in known
    ]


def pending_migrations() -> list[str]:
    """Migrations of this program the (restored) database has not applied yet."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    return [
        f"{app}.{name}"
        for app, name in loader.disk_migrations
        if (app, name) not in loader.applied_migrations
    ]


def current_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        return table_counts(cursor, connection.introspection.table_names(cursor))


# -- SQLite ----------------------------------------------------------------------------------


def _dump_sqlite(folder: Path) -> Dump:
    target = folder / "database.sqlite3"
    connection.ensure_connection()
    with closing(sqlite3.connect(target)) as copy:
        connection.connection.backup(copy)  # all pages in one step: one consistent snapshot
        if copy.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise BackupError("数据库自检（quick_check）未通过，数据库文件可能已损坏，未生成备份")
        # One self-contained file: no -wal file beside it.
        copy.execute("PRAGMA journal_mode=DELETE")
        cursor = copy.cursor()
        tables = [
            row[0]
            for row in cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        counts, migrations = table_counts(cursor, tables), _applied_migrations(cursor)
    return Dump(target, "sqlite", sqlite3.sqlite_version, counts, migrations)


def _restore_sqlite(file: Path) -> None:
    connection.ensure_connection()
    with closing(sqlite3.connect(file)) as source:
        try:
            healthy = source.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        except sqlite3.DatabaseError:
            healthy = False
        if not healthy:
            raise BackupError("备份中的数据库文件无法读取或未通过自检（quick_check），数据库未改动")
        # Into Django's own connection: the configured file (or the test database), with its
        # busy timeout; the backup replaces every page in one write transaction.
        source.backup(connection.connection)
    connection.close()  # the next connection starts from the restored schema


# -- PostgreSQL ------------------------------------------------------------------------------


def _dump_postgres(folder: Path) -> Dump:
    target = folder / "database.pgdump"
    pg_dump = postgres_tool("pg_dump")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
        snapshot, version = cursor.fetchone()
        counts = table_counts(cursor, connection.introspection.table_names(cursor))
        migrations = _applied_migrations(cursor)
        # pg_dump sees exactly what this transaction sees.
        _run(
            [
                pg_dump,
                "--format=custom",
                f"--snapshot={snapshot}",
                f"--file={target}",
                "--dbname",
                _conninfo(),
            ]
        )
    return Dump(target, "postgresql", version, counts, migrations)


def _restore_postgres(file: Path) -> None:
    """pg_restore's SQL, streamed into psql inside BEGIN … COMMIT after dropping the target's
    tables. COMMIT is sent only once pg_restore has finished without error: if it stops half-way
    (a dump it cannot read), psql reaches the end of its input inside the open transaction and
    the server rolls everything back, the old tables included."""
    pg_restore, psql = postgres_tool("pg_restore"), postgres_tool("psql")
    tables = connection.introspection.table_names()
    # Views only: table_names(include_views=True) also lists the data values' partitions
    # (reporting/partitions.py), which go with their table.
    with connection.cursor() as cursor:
        listed = connection.introspection.get_table_list(cursor)
    views = sorted(info.name for info in listed if info.type == "v")
    functions = _own_functions()
    connection.close()  # no session of ours holds a lock on the tables being replaced
    # The rollups' view and trigger functions belong to the schema, not to a table: the dump
    # recreates them, so they go too (in the same transaction, so a failed restore keeps them).
    drop = b"".join(f'DROP VIEW IF EXISTS "{v}" CASCADE;\n'.encode() for v in views)
    names = ", ".join(f'"{t}"' for t in tables)
    drop += f"DROP TABLE IF EXISTS {names} CASCADE;\n".encode() if tables else b""
    drop += b"".join(f"DROP FUNCTION IF EXISTS {f} CASCADE;\n".encode() for f in functions)
    with tempfile.TemporaryFile() as restore_errors, tempfile.TemporaryFile() as psql_errors:
        loader = subprocess.Popen(
            [psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "--dbname", _conninfo()],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=psql_errors,
            env=_password_env(),
        )
        script = subprocess.Popen(
            [pg_restore, "--no-owner", "--no-privileges", "--exit-on-error", "--file=-", str(file)],
            stdout=subprocess.PIPE,
            stderr=restore_errors,
        )
        try:
            loader.stdin.write(b"BEGIN;\n" + drop)
            shutil.copyfileobj(script.stdout, loader.stdin, CHUNK)
            if script.wait() == 0:
                loader.stdin.write(b"COMMIT;\n")
        except BrokenPipeError:  # psql stopped at an error; its message says which
            script.kill()
            script.wait()
        with suppress(BrokenPipeError):
            loader.stdin.close()
        loader.wait()
        for name, process, errors in (
            ("psql", loader, psql_errors),
            ("pg_restore", script, restore_errors),
        ):
            errors.seek(0)
            message = errors.read()
            if process.returncode != 0:
                raise BackupError(
                    f"恢复 PostgreSQL 数据库失败（{name}），数据库未改动：{_last_lines(message)}"
                )


def _own_functions() -> list[str]:
    """The current schema's functions (with their argument types, as DROP FUNCTION needs),
    leaving out those an extension owns."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT p.oid::regprocedure::text
            FROM pg_proc p
            WHERE p.pronamespace = current_schema()::regnamespace
              AND NOT EXISTS (
                SELECT 1 FROM pg_depend d
                WHERE d.objid = p.oid AND d.classid = 'pg_proc'::regclass AND d.deptype = 'e')
            ORDER BY 1
            """
        )
        return [row[0] for row in cursor.fetchall()]


def postgres_tool(name: str) -> str:
    """pg_dump / pg_restore / psql of the server's major version: WEIJIAN_PG_BIN, Debian's
    /usr/lib/postgresql/<major>/bin, then PATH; older than the server is refused."""
    major = connection.pg_version // 10000 if connection.pg_version else 0
    folders = [os.environ.get("WEIJIAN_PG_BIN", ""), f"/usr/lib/postgresql/{major}/bin"]
    candidates = [str(Path(f) / name) for f in folders if f] + [shutil.which(name) or ""]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            version = subprocess.run(
                [candidate, "--version"], capture_output=True, text=True
            ).stdout
            found = re.search(r"(\d+)(?:\.\d+)*", version)
            if found and int(found.group(1)) >= major:
                return candidate
    raise BackupError(
        f"找不到 PostgreSQL {major} 或更新版本的 {name}；请安装与数据库服务器相同主版本的客户端"
        f"（Debian：postgresql-client-{major}），或用环境变量 WEIJIAN_PG_BIN 指定其所在目录"
    )


def _conninfo() -> str:
    """The connection as a libpq string, without the password (that goes by environment)."""
    from psycopg import pq
    from psycopg.conninfo import make_conninfo

    keywords = {d.keyword.decode() for d in pq.Conninfo.get_defaults()} - {"password"}
    params = connection.get_connection_params()
    return make_conninfo(
        **{k: v for k, v in params.items() if k in keywords and v not in (None, "")}
    )


def _password_env() -> dict | None:
    password = connection.settings_dict.get("PASSWORD")
    return {**os.environ, "PGPASSWORD": password} if password else None


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, env=_password_env())
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} 失败：{_last_lines(done.stderr)}")


def _last_lines(data: bytes) -> str:
    return " ".join(data.decode("utf-8", "replace").strip().splitlines()[-3:]) or "（无输出）"
