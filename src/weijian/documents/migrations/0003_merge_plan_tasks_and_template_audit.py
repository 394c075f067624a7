# Merge migration: plan tasks (branch summaries) beside the template audit (main).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0002_plan_tasks"),
        ("documents", "0002_template_change_audit"),
    ]

    operations = []
