# The rollup triggers' LAST chains (reporting/rollups.py, _neighbour) no longer take the row
# being written for its own neighbour: an UPDATE that changed a value's period (raw SQL; the
# application never does) relinked the chain through the row itself. On PostgreSQL they also
# leave a row moving to another year's partition to the DELETE and INSERT triggers PostgreSQL
# fires for it (0009). The new trigger text, installed on both databases; the rollups are
# left as they are (`weijian analytics verify` says whether an earlier move left a difference,
# `rebuild` repairs it).

from django.db import migrations


def install(apps, schema_editor):
    from weijian.reporting import rollups

    rollups.install_triggers()


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0009_datavalue_partitioned_by_year_postgres"),
    ]

    operations = [migrations.RunPython(install, install)]
