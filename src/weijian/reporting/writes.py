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


def insert_rows(model: type[models.Model], attnames, rows: list[tuple]) -> None:
    """INSERT the rows (tuples in `attnames` order), as many per statement as the database
    takes parameters."""
    if not rows:
        return
    fields = _fields(model, attnames)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    one_row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    batch = max(connection.ops.bulk_batch_size(fields, rows), 1)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            params = [
                f.get_db_prep_save(value, connection)
                for row in chunk
                for f, value in zip(fields, row, strict=True)
            ]
            cursor.execute(
                f"INSERT INTO {quote(model._meta.db_table)} ({columns}) "
                f"VALUES {', '.join([one_row] * len(chunk))}",
                params,
            )


def update_values(rows: list[tuple], user_id: int | None, now) -> None:
    """Set `value` and `number` of DataValues ((pk, value, number) tuples), stored by
    `user_id` at `now`: one prepared UPDATE run per row, in id order (the rollup triggers fire
    per row either way)."""
    if not rows:
        return
    value, number, stored_by, updated_at = _fields(
        DataValue, ("value", "number", "stored_by_id", "updated_at")
    )
    quote = connection.ops.quote_name
    assignments = ", ".join(
        f"{quote(f.column)} = %s" for f in (value, number, stored_by, updated_at)
    )
    sql = f"UPDATE {quote(DataValue._meta.db_table)} SET {assignments} WHERE id = %s"
    by = stored_by.get_db_prep_save(user_id, connection)
    at = updated_at.get_db_prep_save(now, connection)
    params = [
        [
            value.get_db_prep_save(text, connection),
            number.get_db_prep_save(amount, connection),
            by,
            at,
            pk,
        ]
        for pk, text, amount in sorted(rows)
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
