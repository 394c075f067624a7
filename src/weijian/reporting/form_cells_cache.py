"""The cells of a form (queries.form_cells), kept per worker process between requests.

Loading a 150-element form's cells (three queries and ~450 model instances) was a fifth of the
entry page's CPU and a fifth of its save's, on every request. The cells depend on the rows of
seven tables (the form, its sections and elements, the data elements, their categories and
options). A trigger on each of them gives `reporting_form_stamp`'s one row a new random stamp
in the transaction of any write — the admin, imports, the ORM's bulk operations, raw SQL —
so a cache entry is used only while the stamp it was loaded under is the one the database
shows: one small query instead of three large ones. The stamp is random rather than counted
so that a rolled-back change, which puts the earlier stamp back, also finds the earlier cells
(a count could come back to the same number with different rows; SQLite reuses ids after a
rollback).
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection

STAMP_TABLE = "reporting_form_stamp"
WATCHED_TABLES = (
    "reporting_form",
    "reporting_formsection",
    "reporting_formelement",
    "reporting_dataelement",
    "reporting_category",
    "reporting_categorymembership",
    "reporting_categoryoption",
)
# The stamp the cached cells were loaded under, and the cells by form id. A new stamp empties
# it: a change to any form's metadata reloads every form (they are rare; loading is cheap).
_cache: dict[str, object] = {"stamp": None, "forms": {}}


def _random() -> str:
    if connection.vendor == "postgresql":
        return "md5(random()::text || clock_timestamp()::text)"
    return "lower(hex(randomblob(16)))"


def trigger_statements() -> list[str]:
    """Create the stamp's table, its row and the triggers (idempotent)."""
    renew = f"UPDATE {STAMP_TABLE} SET stamp = {_random()} WHERE id = 1"
    statements = [
        f"CREATE TABLE IF NOT EXISTS {STAMP_TABLE} (id integer PRIMARY KEY, stamp varchar(40) NOT NULL)",
        f"INSERT INTO {STAMP_TABLE} (id, stamp) SELECT 1, {_random()} "
        f"WHERE NOT EXISTS (SELECT 1 FROM {STAMP_TABLE} WHERE id = 1)",
    ]
    if connection.vendor == "postgresql":
        statements.append(
            "CREATE OR REPLACE FUNCTION reporting_form_stamp() RETURNS trigger LANGUAGE plpgsql "
            f"AS $$ BEGIN {renew}; RETURN NULL; END $$"
        )
        for table in WATCHED_TABLES:
            statements += [
                f"DROP TRIGGER IF EXISTS form_stamp ON {table}",
                f"CREATE TRIGGER form_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION reporting_form_stamp()",
            ]
        return statements
    for table in WATCHED_TABLES:
        for event in ("INSERT", "UPDATE", "DELETE"):
            name = f"form_stamp_{table}_{event.lower()}"
            statements += [
                f"DROP TRIGGER IF EXISTS {name}",
                f"CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN {renew}; END",
            ]
    return statements


def drop_statements() -> list[str]:
    if connection.vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS form_stamp ON {t}" for t in WATCHED_TABLES] + [
            "DROP FUNCTION IF EXISTS reporting_form_stamp()",
            f"DROP TABLE IF EXISTS {STAMP_TABLE}",
        ]
    return [
        f"DROP TRIGGER IF EXISTS form_stamp_{t}_{e}"
        for t in WATCHED_TABLES
        for e in ("insert", "update", "delete")
    ] + [f"DROP TABLE IF EXISTS {STAMP_TABLE}"]


def current_stamp() -> str | None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT stamp FROM {STAMP_TABLE} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else None


def cells(form_pk: int, load: Callable[[], list]) -> list:
    """The form's cells: the cached list while the stamp is unchanged, else load() (and keep
    it). Callers get a new list of the shared, read-only Cell objects."""
    stamp = current_stamp()
    if stamp is None:  # no stamp row (a database restored without it): never cache
        return load()
    if _cache["stamp"] != stamp:
        _cache.update(stamp=stamp, forms={})
    forms = _cache["forms"]
    if form_pk not in forms:
        forms[form_pk] = load()
    return list(forms[form_pk])


def install() -> None:
    """(Re)create the stamp's table and triggers: the migration, and after every migrate (a
    migration that rebuilds one of the tables on SQLite drops its triggers)."""
    with connection.cursor() as cursor:
        for statement in trigger_statements():
            cursor.execute(statement)


def clear() -> None:
    """Forget every cached form (the tests, between tests)."""
    _cache.update(stamp=None, forms={})
