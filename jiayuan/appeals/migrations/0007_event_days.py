"""Extension days get a column of their own.

Until now a request_extension event kept its days packed in the reason as "DAYS|reason" and a grant_extension
event kept them as the whole reason ("3"). The days move to AppealEvent.days and the reason keeps only the words.
"""

from django.db import migrations, models


def unpack_days(apps, schema_editor):
    AppealEvent = apps.get_model("appeals", "AppealEvent")
    changed = []
    for event in AppealEvent.objects.filter(action__in=("request_extension", "grant_extension"), days__isnull=True):
        days, separator, words = event.reason.partition("|")
        if event.action == "grant_extension" and event.reason.strip().isdigit():
            event.days, event.reason = int(event.reason), ""
        elif separator and days.strip().isdigit():
            event.days, event.reason = int(days), words.strip()
        else:
            continue
        changed.append(event)
    AppealEvent.objects.bulk_update(changed, ["days", "reason"], batch_size=1000)


def pack_days(apps, schema_editor):
    AppealEvent = apps.get_model("appeals", "AppealEvent")
    changed = []
    for event in AppealEvent.objects.filter(days__isnull=False):
        event.reason = str(event.days) if event.action == "grant_extension" else f"{event.days}|{event.reason}"
        event.days = None
        changed.append(event)
    AppealEvent.objects.bulk_update(changed, ["days", "reason"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0006_open311_privacy"),
    ]

    operations = [
        migrations.AddField(
            model_name="appealevent",
            name="days",
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="working days"),
        ),
        migrations.RunPython(unpack_days, pack_days),
        migrations.AddConstraint(
            model_name="appealevent",
            constraint=models.CheckConstraint(
                condition=models.Q(days__isnull=True)
                | models.Q(action__in=("request_extension", "grant_extension"), days__gte=1),
                name="appeal_event_days_only_on_extensions",
            ),
        ),
    ]
