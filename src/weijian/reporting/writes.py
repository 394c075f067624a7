"""Many rows of one table written in plain SQL, for the save of a form (150 values and their
150 audit rows at a time).

Django's `bulk_create` and `bulk_update` resolve every value of every row through the ORM's
expression machinery: for a 150-value save that was most of the request's CPU (`bulk_update`'s
CASE WHEN per row and column alone about 0.4 ms a value). These build the statement once and
hand the database the rows, each value prepared by its field as the ORM would
(`get_db_prep_save`: decimals, time zones). Nothing is returned: the callers need no ids.
"""

from __future__ import annotations

from django.db import connection, models

from .models import DataValue


def insert_rows(model: type[models.Model], objects: list[models.Model]) -> None:
    """INSERT the objects' rows, as many per statement as the database takes parameters."""
    if not objects:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    one_row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    batch = max(connection.ops.bulk_batch_size(fields, objects), 1)
    with connection.cursor() as cursor:
        for start in range(0, len(objects), batch):
            chunk = objects[start : start + batch]
            params = [
                f.get_db_prep_save(f.pre_save(obj, add=True), connection)
                for obj in chunk
                for f in fields
            ]
            cursor.execute(
                f"INSERT INTO {quote(model._meta.db_table)} ({columns}) "
                f"VALUES {', '.join([one_row] * len(chunk))}",
                params,
            )


def update_values(values, user, now) -> None:
    """Write `value` and `number` of each DataValue (by pk), stored by `user` at `now`: one
    prepared UPDATE run per row, in id order (the rollup triggers fire per row either way)."""
    if not values:
        return
    columns = ("value", "number", "stored_by", "updated_at")
    fields = [DataValue._meta.get_field(name) for name in columns]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    sql = f"UPDATE {quote(DataValue._meta.db_table)} SET {assignments} WHERE id = %s"
    user_id, updated_at = (
        fields[2].get_db_prep_save(user.pk if user else None, connection),
        fields[3].get_db_prep_save(now, connection),
    )
    rows = [
        [
            fields[0].get_db_prep_save(v.value, connection),
            fields[1].get_db_prep_save(v.number, connection),
            user_id,
            updated_at,
            v.pk,
        ]
        for v in sorted(values, key=lambda value: value.pk)
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
