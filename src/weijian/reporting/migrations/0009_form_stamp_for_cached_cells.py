# The entry page and the save keep a form's cells per worker process (form_cells_cache.py),
# used while reporting_form_stamp shows the stamp they were loaded under; triggers on the
# seven tables the cells come from give it a new random stamp on every write. The SQL lives
# in form_cells_cache.py (the app's post_migrate reinstalls it after later migrations).

from django.db import migrations


def install(apps, schema_editor):
    from weijian.reporting import form_cells_cache

    form_cells_cache.install()


def drop(apps, schema_editor):
    from weijian.reporting import form_cells_cache

    with schema_editor.connection.cursor() as cursor:
        for statement in form_cells_cache.drop_statements():
            cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0008_valuerollup_covering_key_postgres"),
    ]

    operations = [migrations.RunPython(install, drop)]
