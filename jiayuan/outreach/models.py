"""Outreach: leaders' reception days (接访), linked departments (挂钩联系), in-service party
members' service log (在职党员服务) and the dispute screening register (矛盾排查)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from jiayuan.core.crypto import EncryptedTextField
from jiayuan.core.identity import mask_phone

# --- Leaders' reception days (接访) ------------------------------------------------------


class ReceptionSession(models.Model):
    """A leader's reception desk in a compound on a day, from a time to a time.

    A leader cannot hold two sessions at overlapping times: the service checks the
    overlap under a lock on the leader's row; the database refuses two sessions of one
    leader starting at the same moment.
    """

    leader = models.ForeignKey(
        "people.Person", verbose_name=_("leader"), on_delete=models.PROTECT, related_name="reception_sessions"
    )
    compound = models.ForeignKey(
        "places.Compound", verbose_name=_("compound"), on_delete=models.PROTECT, related_name="reception_sessions"
    )
    held_on = models.DateField(_("date"))
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("until"))
    place = models.CharField(_("place"), max_length=100)
    organiser = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="reception_sessions_organised",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reception session")
        verbose_name_plural = _("reception sessions")
        ordering = ["-held_on", "-starts_at", "-id"]
        indexes = [
            models.Index(fields=["leader", "held_on"], name="reception_leader_day"),
            models.Index(fields=["compound", "held_on"], name="reception_compound_day"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="reception_session_ends_after_start"),
            models.UniqueConstraint(
                fields=["leader", "held_on", "starts_at"], name="reception_session_leader_start_unique"
            ),
        ]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.leader} @ {self.compound}"


class Visitor(models.Model):
    """A visitor (or a group of visitors) at a reception session. The phone is stored protected."""

    session = models.ForeignKey(
        ReceptionSession, verbose_name=_("reception session"), on_delete=models.PROTECT, related_name="visitors"
    )
    name = models.CharField(_("name"), max_length=50)
    phone = EncryptedTextField(_("phone"), blank=True)
    phone_hash = models.CharField(_("phone lookup hash"), max_length=64, blank=True, db_index=True, editable=False)
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("known resident"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reception_visits",
    )
    people_count = models.PositiveSmallIntegerField(_("number of people"), default=1)
    issues = models.TextField(_("issues raised"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("visitor")
        verbose_name_plural = _("visitors")
        ordering = ["session_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(people_count__gte=1, people_count__lte=500), name="visitor_people_count_1_to_500"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class ReceptionIssue(models.Model):
    """An issue raised at a reception session. Each one is an appeal (channel "reception")."""

    session = models.ForeignKey(
        ReceptionSession, verbose_name=_("reception session"), on_delete=models.PROTECT, related_name="issues"
    )
    visitor = models.ForeignKey(
        Visitor,
        verbose_name=_("visitor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="raised_issues",
    )
    appeal = models.OneToOneField(
        "appeals.Appeal", verbose_name=_("appeal"), on_delete=models.PROTECT, related_name="reception_issue"
    )

    class Meta:
        verbose_name = _("issue raised at a reception")
        verbose_name_plural = _("issues raised at receptions")
        ordering = ["session_id", "id"]

    def __str__(self):
        return str(self.appeal)


# --- What linked departments did (the link itself is organisations.DepartmentLink) ---------------


class DepartmentAction(models.Model):
    """What the linked department did for the compound, on a day, by whom."""

    link = models.ForeignKey(
        "organisations.DepartmentLink",
        verbose_name=_("linked department"),
        on_delete=models.PROTECT,
        related_name="actions",
    )
    done_on = models.DateField(_("date"))
    description = models.TextField(_("what was done"), max_length=2000)
    done_by = models.CharField(_("by whom"), max_length=100)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("department action")
        verbose_name_plural = _("department actions")
        ordering = ["-done_on", "-id"]

    def __str__(self):
        return f"{self.done_on:%Y-%m-%d} {self.link.department}"


# --- In-service party members' service log (在职党员服务) -----------------------------------


class ServiceRecord(models.Model):
    """Service an in-service party member gave in the compound they report to."""

    class Kind(models.TextChoices):
        HEALTH_TALK = "health_talk", _("health talk")
        TUTORING = "tutoring", _("tutoring")
        LEGAL_ADVICE = "legal_advice", _("legal advice")
        VOLUNTEER = "volunteer", _("volunteer work")
        OTHER = "other", _("other")

    member = models.ForeignKey(
        "people.PartyMembership",
        verbose_name=_("party member"),
        on_delete=models.PROTECT,
        related_name="service_records",
    )
    compound = models.ForeignKey(
        "places.Compound", verbose_name=_("compound"), on_delete=models.PROTECT, related_name="service_records"
    )
    served_on = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)
    kind = models.CharField(_("kind of service"), max_length=16, choices=Kind.choices)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("service record")
        verbose_name_plural = _("service records")
        ordering = ["-served_on", "-id"]
        indexes = [models.Index(fields=["compound", "served_on"], name="service_compound_day")]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0, hours__lte=24), name="service_hours_positive_within_a_day"),
            models.CheckConstraint(
                condition=Q(kind__in=["health_talk", "tutoring", "legal_advice", "volunteer", "other"]),
                name="service_kind_known",
            ),
        ]

    def __str__(self):
        return f"{self.served_on:%Y-%m-%d} {self.member} {self.hours}h"


# --- Dispute screening register (矛盾排查) -----------------------------------------------


class Dispute(models.Model):
    """A conflict found before anyone complained, with its risk, handling and outcome."""

    class Category(models.TextChoices):
        NEIGHBOURS = "neighbours", _("neighbours")
        PROPERTY_SERVICE = "property_service", _("property service and fees")
        OWNERS_COMMITTEE = "owners_committee", _("owners' committee")
        RENOVATION = "renovation", _("renovation and building work")
        PARKING = "parking", _("parking")
        FAMILY = "family", _("family")
        TENANCY = "tenancy", _("tenancy")
        WAGES = "wages", _("unpaid wages")
        OTHER = "other", _("other")

    class Risk(models.TextChoices):
        LOW = "low", _("low")
        MEDIUM = "medium", _("medium")
        HIGH = "high", _("high")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        MEDIATING = "mediating", _("being mediated")
        RESOLVED = "resolved", _("resolved")
        ESCALATED = "escalated", _("escalated to an appeal")

    compound = models.ForeignKey(
        "places.Compound", verbose_name=_("compound"), on_delete=models.PROTECT, related_name="disputes"
    )
    found_on = models.DateField(_("found on"))
    found_by = models.CharField(_("found by"), max_length=50)
    parties = models.CharField(_("parties"), max_length=300)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    description = models.TextField(_("description"), max_length=4000)
    risk = models.CharField(_("risk level"), max_length=8, choices=Risk.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    handled_on = models.DateField(_("handled on"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), max_length=2000, blank=True)
    appeal = models.OneToOneField(
        "appeals.Appeal",
        verbose_name=_("appeal"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dispute",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("dispute")
        verbose_name_plural = _("dispute register")
        ordering = ["-found_on", "-id"]
        indexes = [models.Index(fields=["compound", "status", "risk"], name="dispute_compound_status_risk")]
        constraints = [
            models.CheckConstraint(
                condition=Q(risk__in=["low", "medium", "high"]), name="dispute_risk_low_medium_high"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "mediating", "resolved", "escalated"]), name="dispute_status_known"
            ),
            models.CheckConstraint(
                condition=(Q(status="escalated") & Q(appeal__isnull=False))
                | (~Q(status="escalated") & Q(appeal__isnull=True)),
                name="dispute_escalated_iff_appeal",
            ),
            models.CheckConstraint(
                condition=~Q(status="resolved") | Q(handled_on__isnull=False), name="dispute_resolved_has_date"
            ),
            models.CheckConstraint(
                condition=Q(handled_on__isnull=True) | Q(handled_on__gte=F("found_on")),
                name="dispute_handled_after_found",
            ),
        ]

    def __str__(self):
        return f"{self.found_on:%Y-%m-%d} {self.get_category_display()} · {self.compound}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.OPEN, self.Status.MEDIATING)
