"""The resident's answers with the rating (12345 style): contacted by the handling unit? problem solved?

Orders rated before the question was asked get the answers the old figures stood for: contacted
when the unit recorded a contact, solved when the order is resolved, called back or closed. So the
three rates of past months do not move; from now on they come from what the residents answer.
"""

from django.db import migrations, models
from django.db.models import Q

SOLVED_STATES = ("resolved", "called_back", "closed")


def backfill_answers(apps, schema_editor):
    Appeal = apps.get_model("appeals", "Appeal")
    rated = Appeal.objects.exclude(rating="")
    rated.update(rated_contacted=False, rated_solved=False)
    rated.filter(contacted_at__isnull=False).update(rated_contacted=True)
    rated.filter(resolved_at__isnull=False, status__in=SOLVED_STATES).update(rated_solved=True)


def clear_answers(apps, schema_editor):
    apps.get_model("appeals", "Appeal").objects.update(rated_contacted=None, rated_solved=None)


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0002_seed_categories"),
    ]

    operations = [
        migrations.AddField(
            model_name="appeal",
            name="rated_contacted",
            field=models.BooleanField(blank=True, null=True, verbose_name="resident says they were contacted"),
        ),
        migrations.AddField(
            model_name="appeal",
            name="rated_solved",
            field=models.BooleanField(blank=True, null=True, verbose_name="resident says the problem was solved"),
        ),
        migrations.RunPython(backfill_answers, clear_answers),
        migrations.AddConstraint(
            model_name="appeal",
            constraint=models.CheckConstraint(
                condition=Q(rating="", rated_contacted__isnull=True, rated_solved__isnull=True)
                | (~Q(rating="") & Q(rated_contacted__isnull=False, rated_solved__isnull=False)),
                name="appeal_rating_has_answers",
            ),
        ),
    ]
