"""Photos say whether they show the problem (the report's, as every photo so far) or the fixed problem (处理后照片,
attached when resolving)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0007_event_days"),
    ]

    operations = [
        migrations.AddField(
            model_name="appealphoto",
            name="kind",
            field=models.CharField(
                choices=[("before", "photo of the problem"), ("after", "photo after the fix")],
                default="before",
                max_length=8,
                verbose_name="kind",
            ),
        ),
        migrations.AddConstraint(
            model_name="appealphoto",
            constraint=models.CheckConstraint(
                condition=models.Q(("kind__in", ["before", "after"])), name="appeal_photo_kind_known"
            ),
        ),
    ]
