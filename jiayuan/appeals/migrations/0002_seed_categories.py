"""Load the seeded appeal category catalogue (idempotent: by code)."""

from django.db import migrations


def load_categories(apps, schema_editor):
    from jiayuan.appeals.seeds import seed_categories

    seed_categories(apps.get_model("appeals", "Category"), update=True)


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load_categories, migrations.RunPython.noop),
    ]
