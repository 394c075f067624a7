"""Items are scored explicitly: an ItemScore may now say 符合 (met), and an item without a
mark is unscored instead of counting as full points.

Inspections submitted before this change were scored under the old rule ("an item nobody
marked counts as met", as on the paper sheets), and their stored scores say so. To keep them
meaning what they meant, their unmarked items are recorded as met here; drafts are left as
they are, so their inspectors now mark every item before submitting.
"""

from django.db import migrations, models

WAS_SUBMITTED = ("SUBMITTED", "REOPENED")


def mark_old_sheets_met(apps, schema_editor):
    Inspection = apps.get_model("inspections", "Inspection")
    Item = apps.get_model("inspections", "Item")
    ItemScore = apps.get_model("inspections", "ItemScore")
    blank = dict(na=False, occurrences=None, score=None, failed=False)
    old = Inspection.objects.filter(status__in=WAS_SUBMITTED)
    ItemScore.objects.filter(inspection__in=old, **blank).update(met=True)
    items_by_version: dict[int, list] = {}
    rows = []
    for inspection_id, version_id in old.values_list("pk", "version_id").iterator():
        if version_id not in items_by_version:
            items_by_version[version_id] = list(
                Item.objects.filter(version_id=version_id).values_list("pk", "kind", "points")
            )
        marked = set(
            ItemScore.objects.filter(inspection_id=inspection_id).values_list("item_id", flat=True)
        )
        for item_id, kind, points in items_by_version[version_id]:
            if item_id not in marked:
                earned = 0 if kind == "veto" else points
                rows.append(
                    ItemScore(inspection_id=inspection_id, item_id=item_id, met=True, earned=earned)
                )
        if len(rows) >= 2000:
            ItemScore.objects.bulk_create(rows)
            rows = []
    ItemScore.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0002_template_owner"),
    ]

    operations = [
        migrations.AddField(
            model_name="itemscore",
            name="met",
            field=models.BooleanField(default=False, verbose_name="符合"),
        ),
        migrations.RunPython(mark_old_sheets_met, migrations.RunPython.noop),
    ]
