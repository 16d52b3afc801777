import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0005_category_kind"),
        ("places", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="apikey",
            name="town",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                to="places.town",
                verbose_name="town",
            ),
        ),
        migrations.AddField(
            model_name="appeal",
            name="api_key",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="appeals",
                to="appeals.apikey",
                verbose_name="posted with API key",
            ),
        ),
        migrations.AddField(
            model_name="appeal",
            name="public",
            field=models.BooleanField(default=False, verbose_name="public"),
        ),
        migrations.AddField(
            model_name="appeal",
            name="public_summary",
            field=models.CharField(blank=True, max_length=200, verbose_name="public summary"),
        ),
    ]
