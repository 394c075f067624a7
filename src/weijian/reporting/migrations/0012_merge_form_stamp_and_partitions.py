# Two lines of migrations met here: the form stamp for cached cells (0009, rush4) and the
# year partitions with the per-transaction trigger switch (0009–0011, partitions2). They touch
# different tables; nothing to do but join them.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0009_form_stamp_for_cached_cells"),
        ("reporting", "0011_rollup_trigger_suspended_per_transaction"),
    ]

    operations = []
