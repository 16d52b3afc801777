import datetime as dt

from django.apps import apps
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def current_q(day: dt.date, prefix: str = "") -> Q:
    """Rows of a dated model (through `prefix`, e.g. "ownerships__") current on `day`: begun by then and not
    ended before it. An end date is the last day in force."""
    return Q(**{f"{prefix}start_date__lte": day}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": day})
    )


class PeriodQuerySet(models.QuerySet):
    def current_on(self, day: dt.date):
        return self.filter(current_q(day))


class Period(models.Model):
    """Something held from a date until a date (open-ended while it lasts): a post, an ownership, a residency,
    a service contract, a department's link to a compound."""

    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)

    objects = PeriodQuerySet.as_manager()

    class Meta:
        abstract = True


class User(AbstractUser):
    """A login. Its scope comes from the current posts of the person it belongs to."""

    person = models.OneToOneField(
        "people.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="account",
    )

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("audit entries are append-only")

    def delete(self):
        raise PermissionError("audit entries are append-only")


class AuditEntry(models.Model):
    """One change made through a service: who, when, what, before and after.

    Append-only: the model refuses updates and deletes, the admin is read-only, and
    database triggers (migration 0002) refuse UPDATE on both backends and DELETE on
    PostgreSQL.
    """

    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("changed")
        DELETE = "delete", _("deleted")
        IMPORT = "import", _("imported")
        END = "end", _("ended")
        VIEW = "view", _("viewed personal data")

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        User, verbose_name=_("actor"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=64)
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=200)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "-at"])]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("audit entries are append-only")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"

    @property
    def actor_label(self) -> str:
        """The person who acted (their name, not their login), the login if it has no person, or "system"."""
        if self.actor_id and self.actor.person_id:
            return self.actor.person.name
        return self.actor_name if self.actor_name != "system" else str(_("system"))

    @property
    def changes(self) -> list[tuple[str, object, object]]:
        """(field label, old value, new value) for each field that changed, in the reader's language."""
        before = self.before or {}
        after = self.after or {}
        model = _model_labelled(self.object_type)
        rows = []
        for key in dict.fromkeys([*before.keys(), *after.keys()]):
            old, new = before.get(key), after.get(key)
            if old == new:
                continue
            field = _field(model, key)
            rows.append((str(field.verbose_name) if field else key, _shown(field, old), _shown(field, new)))
        return rows


def _model_labelled(label: str):
    """The model whose audit rows carry `label`: its own label, or one it had before it moved between apps."""
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        pass
    for model in apps.get_models():
        if label in getattr(model, "audit_former_labels", ()):
            return model
    return None


def _field(model, name):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _shown(field, value):
    """A stored audit value as a person reads it: choice labels, yes/no."""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field is not None and field.choices and value not in (None, ""):
        return dict(field.flatchoices).get(value, value)
    return value


class Job(models.Model):
    """Work that can outgrow a request (a city-wide export, a 50,000-row import), run in the background.

    The row is the job's whole state: whoever claims it (`core.jobs`) runs it, reports progress here, and leaves
    the file or the report here for its page. A job whose runner died (no heartbeat) is claimed again.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting to start")
        RUNNING = "running", _("running")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("kind"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    owner = models.ForeignKey(User, verbose_name=_("started by"), on_delete=models.PROTECT, related_name="jobs")
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    params = models.JSONField(default=dict, blank=True)
    # The uploaded file of an import (bounded by the roster's row limit and the upload size limit).
    payload = models.BinaryField(blank=True, default=b"")
    phase = models.CharField(_("step"), max_length=60, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(null=True, blank=True)
    result = models.BinaryField(blank=True, default=b"")
    result_name = models.CharField(max_length=200, blank=True)
    report = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="job_status_heartbeat")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "done", "failed"]), name="job_status_known"
            ),
            models.CheckConstraint(
                condition=Q(total__isnull=True) | Q(done__lte=models.F("total")), name="job_done_le_total"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def percent(self) -> int | None:
        if self.status == self.Status.DONE:
            return 100
        if not self.total:
            return None
        return min(100, int(self.done * 100 / self.total))
