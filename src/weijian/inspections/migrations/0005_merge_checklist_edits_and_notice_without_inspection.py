# Merge migration: main's 0004 (checklist edits + marked met) meets this branch's 0004
# (marked met + notices without an inspection). Neither side changes the schema here.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0004_merge_checklist_edits_and_marked_met"),
        ("inspections", "0004_merge_item_marked_met_and_notice_without_inspection"),
    ]

    operations = []
