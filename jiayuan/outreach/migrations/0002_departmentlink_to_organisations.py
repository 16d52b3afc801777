"""DepartmentLink now lives in organisations (its 0004 took over and renamed the table): outreach's state lets
it go and DepartmentAction.link points there. Nothing changes in the database."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0004_departmentlink_from_outreach"),
        ("outreach", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="departmentaction",
                    name="link",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="actions",
                        to="organisations.departmentlink",
                        verbose_name="linked department",
                    ),
                ),
                migrations.DeleteModel(
                    name="DepartmentLink",
                ),
            ],
            database_operations=[],
        ),
    ]
