# PostgreSQL: the data-value rollup trigger function returns at once when the transaction set
# weijian.rollups_suspended = 'on' (reporting/rollups.py, suspended()): bulk loads such as the
# demo no longer take a table lock with ALTER TABLE … DISABLE TRIGGER, and add their own
# values' rollups at the end instead. The new function text must be installed before a load
# uses the setting, or the old function would count the loaded values twice. SQLite's
# triggers are re-created unchanged. The rollups themselves are left as they are.

from django.db import migrations


def install(apps, schema_editor):
    from weijian.reporting import rollups

    rollups.install_triggers()


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0010_rollup_triggers_skip_the_moving_row"),
    ]

    operations = [migrations.RunPython(install, install)]
