"""Many rows of one table written in plain SQL, for the save of a form (150 values and their
150 audit rows at a time).

Django's `bulk_create` and `bulk_update` resolve every value of every row through the ORM's
expression machinery, from model instances: for a 150-value save that was most of the
request's CPU (`bulk_update`'s CASE WHEN per row and column alone about 0.4 ms a value). These
take plain tuples, build the statement once and hand the database the rows, each value
prepared by its field as the ORM would (`get_db_prep_save`: decimals, time zones). Nothing is
returned: the callers need no ids.
"""

from __future__ import annotations

from django.db import connection, models

from .models import DataValue

# The columns (attribute names) of the tuples callers pass.
VALUE_COLUMNS = (
    "element_id", "option_id", "org_unit_id", "period_id", "value", "number", "comment",
    "stored_by_id", "updated_at",
)  # fmt: skip
AUDIT_COLUMNS = (
    "element_id", "option_id", "org_unit_id", "period_id", "action", "old_value", "new_value",
    "changed_by_id", "changed_at", "reason", "source",
)  # fmt: skip


def _fields(model: type[models.Model], attnames) -> list[models.Field]:
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    return [by_attname[name] for name in attnames]


# Values that a field's preparation hands back unchanged: a str for text columns (str() of
# it), an int for integer columns and keys to them (int() of it), and None. These skip
# `get_db_prep_save`: 2 of a 150-value save's 3 000 calls to it in 3 (about a fifth of the
# save's Python). Decimals, dates, booleans and every other field (a JSONField's str must be
# encoded) still go through the field.
def _unchanged_types(field: models.Field) -> tuple[type, ...]:
    target = field.target_field if isinstance(field, models.ForeignKey) else field
    if isinstance(target, models.JSONField):
        return ()
    if isinstance(target, (models.CharField, models.TextField)):
        return (str, type(None))
    if isinstance(target, models.IntegerField):
        return (int, type(None))
    return ()


def _preparer(field: models.Field):
    """The field's preparation, remembered per object for the rows of one statement: a save's
    300 rows carry one `now` (datetimes cost the most to prepare: a time-zone conversion and a
    str() each). Keyed by id(), which is safe while the rows hold every value alive, and
    never shared between calls."""
    prepare, unchanged = field.get_db_prep_save, _unchanged_types(field)
    prepared: dict[int, object] = {}

    def prepare_value(value):
        if type(value) in unchanged:
            return value
        key = id(value)
        if key not in prepared:
            prepared[key] = prepare(value, connection)
        return prepared[key]

    return prepare_value


def insert_rows(model: type[models.Model], attnames, rows: list[tuple]) -> None:
    """INSERT the rows (tuples in `attnames` order), as many per statement as the database
    takes parameters.

    A column that holds the very same object in every row (a save's unit, period, user,
    `now`, reason and source: 7 of an audit row's 11 columns) is sent once per statement, as
    `INSERT … SELECT <the rows' columns>, <the shared values> FROM (VALUES …)`: the driver
    adapts each parameter, and on PostgreSQL that adaptation was a fifth of a save's
    Python. Identity, not equality, so that 1, 1.0 and True, or Decimal("1.0") and
    Decimal("1.00"), are never taken for one another."""
    if not rows:
        return
    fields = _fields(model, attnames)
    shared = _shared_columns(rows) if len(rows) > 1 else []
    if not shared or len(shared) == len(fields):
        _insert_plain(model, fields, rows)
        return
    varying = [i for i in range(len(fields)) if i not in shared]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(fields[i].column) for i in varying + shared)
    cast = _casts([fields[i] for i in varying])
    first_row = "(" + ", ".join(f"%s{c}" for c in cast) + ")"
    other_row = "(" + ", ".join(["%s"] * len(varying)) + ")"
    picked = ", ".join(f"column{n}" for n in range(1, len(varying) + 1))
    constants = ", ".join(f"%s{c}" for c in _casts([fields[i] for i in shared]))
    head = [_preparer(fields[i])(rows[0][i]) for i in shared]
    preparers = [(i, _preparer(fields[i])) for i in varying]
    limit = connection.features.max_query_params
    batch = (limit - len(shared)) // len(varying) if limit else len(rows)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            values = ", ".join([first_row] + [other_row] * (len(chunk) - 1))
            params = head + [prepare(row[i]) for row in chunk for i, prepare in preparers]
            cursor.execute(
                f"INSERT INTO {quote(model._meta.db_table)} ({columns}) "
                f"SELECT {picked}, {constants} FROM (VALUES {values}) AS v",
                params,
            )


def _shared_columns(rows: list[tuple]) -> list[int]:
    first = rows[0]
    return [i for i, value in enumerate(first) if all(row[i] is value for row in rows)]


def _casts(fields: list[models.Field]) -> list[str]:
    """PostgreSQL: the first row's cells cast to their columns' types. A VALUES column takes
    the type of its typed cells; one of NULLs and plain strings only would be text, which
    PostgreSQL does not assign to a numeric or timestamp column. The types go without their
    length or scale: an explicit cast to varchar(50) would cut a longer text silently where
    the INSERT refuses it, and the INSERT itself still applies the column's own. SQLite
    needs none."""
    if connection.vendor != "postgresql":
        return [""] * len(fields)
    return [f"::{_base_type(f.cast_db_type(connection))}" for f in fields]


def _base_type(db_type: str) -> str:
    base = db_type.split("(", 1)[0].strip()
    return "text" if base in ("varchar", "char") else base


def _insert_plain(model: type[models.Model], fields: list[models.Field], rows) -> None:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    one_row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    batch = max(connection.ops.bulk_batch_size(fields, rows), 1)
    preparers = [_preparer(f) for f in fields]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            params = [
                prepare(value)
                for row in chunk
                for prepare, value in zip(preparers, row, strict=True)
            ]
            cursor.execute(
                f"INSERT INTO {quote(model._meta.db_table)} ({columns}) "
                f"VALUES {', '.join([one_row] * len(chunk))}",
                params,
            )


def update_values(rows: list[tuple], user_id: int | None, now) -> None:
    """Set `value` and `number` of DataValues ((pk, value, number) tuples), stored by
    `user_id` at `now`. PostgreSQL: one UPDATE … FROM (VALUES …) per batch (one round trip;
    the rollup row trigger still fires per value); SQLite: one prepared UPDATE run per row. The report's row lock taken by the save
    already keeps two saves of the same values apart."""
    if not rows:
        return
    value, number, stored_by, updated_at = _fields(
        DataValue, ("value", "number", "stored_by_id", "updated_at")
    )
    by = stored_by.get_db_prep_save(user_id, connection)
    at = updated_at.get_db_prep_save(now, connection)
    prepare_text, prepare_number = _preparer(value), _preparer(number)
    prepared = [
        (pk, prepare_text(text), prepare_number(amount)) for pk, text, amount in sorted(rows)
    ]
    if connection.vendor == "postgresql":
        _update_values_postgres(prepared, by, at, (value, number, stored_by, updated_at))
        return
    quote = connection.ops.quote_name
    assignments = ", ".join(
        f"{quote(f.column)} = %s" for f in (value, number, stored_by, updated_at)
    )
    sql = f"UPDATE {quote(DataValue._meta.db_table)} SET {assignments} WHERE id = %s"
    with connection.cursor() as cursor:
        cursor.executemany(sql, [[text, amount, by, at, pk] for pk, text, amount in prepared])


UPDATE_BATCH = 5000  # rows per statement: 3 parameters each, well under PostgreSQL's 65 535


def _update_values_postgres(prepared, by, at, fields) -> None:
    value, number, stored_by, updated_at = (connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(DataValue._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(prepared), UPDATE_BATCH):
            chunk = prepared[start : start + UPDATE_BATCH]
            # Typed in every row: a VALUES list of only NULL numbers would be text otherwise.
            rows = ", ".join(["(%s::bigint, %s::text, %s::numeric)"] * len(chunk))
            cursor.execute(
                f"UPDATE {table} d SET {value} = v.value, {number} = v.number, "
                f"{stored_by} = %s, {updated_at} = %s "
                f"FROM (VALUES {rows}) AS v (id, value, number) WHERE d.id = v.id",
                [by, at, *(p for row in chunk for p in row)],
            )
