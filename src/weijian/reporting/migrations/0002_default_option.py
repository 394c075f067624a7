from django.db import migrations


def create_default_option(apps, schema_editor):
    # DHIS2's "default" category option combo: the single cell of an element that is not split.
    CategoryOption = apps.get_model("reporting", "CategoryOption")
    CategoryOption.objects.get_or_create(
        code="default", defaults={"name": "合计", "uid": "HllvX50cXC0"}
    )


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_initial")]
    operations = [migrations.RunPython(create_default_option, migrations.RunPython.noop)]
