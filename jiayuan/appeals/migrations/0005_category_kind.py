from django.db import migrations, models


def seed_kinds(apps, schema_editor):
    from jiayuan.appeals.seeds import category_kind

    Category = apps.get_model("appeals", "Category")
    for node in Category.objects.all():
        node.kind = category_kind(node.code)
        node.save(update_fields=["kind"])


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0004_overdue_pending_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="category",
            name="kind",
            field=models.CharField(
                choices=[
                    ("repair", "repair order"),
                    ("property_complaint", "complaint about the property service"),
                    ("general", "compound matter"),
                ],
                default="general",
                max_length=20,
                verbose_name="kind",
            ),
        ),
        migrations.RunPython(seed_kinds, migrations.RunPython.noop),
    ]
