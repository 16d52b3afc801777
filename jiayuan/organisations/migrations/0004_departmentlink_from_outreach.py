"""DepartmentLink moves here from outreach (organisational data both outreach and appeals read).

The table is kept, rows and ids untouched: the model enters this app's state on outreach's table, which is then
renamed to this app's name. outreach 0002 takes the model out of outreach's state.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0003_post_appointed_by"),
        ("places", "0001_initial"),
        ("outreach", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="DepartmentLink",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("start_date", models.DateField(verbose_name="from")),
                        ("end_date", models.DateField(blank=True, null=True, verbose_name="until")),
                        (
                            "reason",
                            models.CharField(
                                choices=[
                                    ("poorly_managed", "poorly managed compound"),
                                    ("unmanaged", "compound without a manager"),
                                    ("complaints", "many residents' complaints"),
                                    ("other", "other"),
                                ],
                                default="poorly_managed",
                                max_length=16,
                                verbose_name="reason",
                            ),
                        ),
                        ("note", models.CharField(blank=True, max_length=200, verbose_name="note")),
                        (
                            "compound",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="department_links",
                                to="places.compound",
                                verbose_name="compound",
                            ),
                        ),
                        (
                            "department",
                            models.ForeignKey(
                                limit_choices_to={"kind": "department"},
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="compound_links",
                                to="organisations.organisation",
                                verbose_name="department",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "linked department",
                        "verbose_name_plural": "linked departments",
                        "ordering": ["-start_date", "-id"],
                        "db_table": "outreach_departmentlink",
                        "constraints": [
                            models.UniqueConstraint(
                                condition=models.Q(("end_date__isnull", True)),
                                fields=("compound",),
                                name="department_link_one_current_per_compound",
                            ),
                            models.UniqueConstraint(
                                condition=models.Q(("end_date__isnull", True)),
                                fields=("department",),
                                name="department_link_one_current_per_department",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("end_date__isnull", True),
                                    ("end_date__gte", models.F("start_date")),
                                    _connector="OR",
                                ),
                                name="department_link_dates_ordered",
                            ),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="departmentlink", table=None),
    ]
