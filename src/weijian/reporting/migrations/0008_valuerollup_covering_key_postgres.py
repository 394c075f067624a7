# The analytics engine reads, per requested unit and month, every element's Σ and count from
# reporting_valuerollup (indicators/rollup_operands.py). On PostgreSQL the key index found the
# rows but each one was fetched from the table: a county pivot's 43 000 rows lie on 30 000
# different pages (rows are written as values arrive), 0.25 s of the backend's CPU. With the
# two figures in the key's index (INCLUDE, not part of the key) the read is an index-only scan
# (≈ 10 ms). Writes lose nothing they had: each writer inserts its own slot's rows (see
# rollup_slots.py), which add index entries anyway. SQLite has no INCLUDE and Django would
# drop a UniqueConstraint with `include` there, which the triggers' upserts need: so the
# model's constraint stays as it is and PostgreSQL's index gets the columns here.

from django.db import migrations

KEY = "unit_id, period_id, element_id, option_id, slot"


def covering(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE reporting_valuerollup DROP CONSTRAINT valuerollup_key, "
        f"ADD CONSTRAINT valuerollup_key UNIQUE ({KEY}) INCLUDE (micros, n)"
    )


def plain(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE reporting_valuerollup DROP CONSTRAINT valuerollup_key, "
        f"ADD CONSTRAINT valuerollup_key UNIQUE ({KEY})"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0007_rollup_slots_per_writer"),
    ]

    operations = [migrations.RunPython(covering, plain)]
