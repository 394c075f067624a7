# PostgreSQL: reporting_datavalue becomes a table partitioned by the year of its period id,
# one partition per year found in the values plus this year's and next year's, and a DEFAULT
# partition (reporting/partitions.py says why and how). The rows, their ids, the id sequence,
# every index and constraint (by their old names; the primary key gains period_id) and the
# rollup triggers come across in one transaction; the rollups themselves are unchanged, as the
# values are. SQLite: nothing to do. Django's model is unchanged (it addresses rows by id).

from django.db import migrations
from django.utils import timezone


def partition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from weijian.reporting import partitions

    partitions.partition_table(timezone.localdate())


def unpartition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from weijian.reporting import partitions

    partitions.unpartition_table()


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0008_valuerollup_covering_key_postgres"),
    ]

    operations = [migrations.RunPython(partition, unpartition)]
