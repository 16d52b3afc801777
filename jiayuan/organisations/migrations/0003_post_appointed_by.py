import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0002_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="post",
            name="appointed_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="appointments",
                to="organisations.post",
                verbose_name="appointed by",
            ),
        ),
    ]
