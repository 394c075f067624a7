"""One active leading group of a name per unit, held by the database.

Before the constraint, a double click on 成立 could found the same group twice. Such copies
are resolved first: the earliest stays, each later copy is marked dissolved on the day it was
founded (its members and history are kept, and the log says why), so the constraint can hold.
"""

from django.db import migrations, models


def dissolve_double_clicked_copies(apps, schema_editor):
    LeadingGroup = apps.get_model("governance", "LeadingGroup")
    GovernanceLog = apps.get_model("governance", "GovernanceLog")
    seen = set()
    for group in LeadingGroup.objects.filter(dissolved_on=None).order_by("created_at", "pk"):
        key = (group.org_unit_id, group.name)
        if key not in seen:
            seen.add(key)
            continue
        group.dissolved_on = group.founded_on
        group.save(update_fields=["dissolved_on"])
        GovernanceLog.objects.create(
            user=None,
            action="dissolve",
            object_type="LeadingGroup",
            object_id=group.pk,
            detail="重复成立的同名小组（重复提交），保留最早一条，本条标为撤销",
        )


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(dissolve_double_clicked_copies, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="leadinggroup",
            constraint=models.UniqueConstraint(
                condition=models.Q(("dissolved_on", None)),
                fields=("org_unit", "name"),
                name="unique_active_group_name",
            ),
        ),
    ]
