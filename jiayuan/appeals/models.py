"""Residents' appeals (诉求) as work orders: intake, the handling ladder, replies, ratings."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jiayuan.core.crypto import EncryptedTextField
from jiayuan.core.identity import mask_phone

from . import workflow


class Category(models.Model):
    """A node of the three-level category catalogue (e.g. 设施设备 › 电梯 › 电梯故障)."""

    class Kind(models.TextChoices):
        # Who may handle it at the compound: the property company acts on repair orders only; a complaint
        # about the property service is handled above the company, by the compound's party branch or the
        # community; everything else is the compound's business (party branch and owners' committee).
        REPAIR = "repair", _("repair order")
        PROPERTY_COMPLAINT = "property_complaint", _("complaint about the property service")
        GENERAL = "general", _("compound matter")

    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=60)
    level = models.PositiveSmallIntegerField(_("level"), editable=False)
    deadline_days = models.PositiveSmallIntegerField(_("deadline (working days)"), default=5)
    active = models.BooleanField(_("active"), default=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.GENERAL)

    class Meta:
        verbose_name = _("appeal category")
        verbose_name_plural = _("appeal categories")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=3), name="category_level_1_to_3"),
            models.CheckConstraint(
                condition=Q(deadline_days__gte=1, deadline_days__lte=60), name="category_deadline_sane"
            ),
        ]

    def save(self, *args, **kwargs):
        self.level = 1 if self.parent_id is None else self.parent.level + 1
        super().save(*args, **kwargs)

    def __str__(self):
        return self.name

    @property
    def path(self) -> str:
        names, node = [], self
        while node is not None:
            names.append(node.name)
            node = node.parent
        return " › ".join(reversed(names))


class DispatchRule(models.Model):
    """Dispatch catalogue (派单目录): which department a category goes to, in an area.

    The most specific rule wins: a deeper category beats a shallower one, a community
    beats a town, a town beats the whole city.
    """

    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="rules")
    town = models.ForeignKey("places.Town", verbose_name=_("town"), on_delete=models.PROTECT, null=True, blank=True)
    community = models.ForeignKey(
        "places.Community", verbose_name=_("community"), on_delete=models.PROTECT, null=True, blank=True
    )
    department = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="dispatch_rules",
        limit_choices_to={"kind": "department"},
    )

    class Meta:
        verbose_name = _("dispatch rule")
        verbose_name_plural = _("dispatch catalogue")
        constraints = [
            models.UniqueConstraint(
                fields=["category", "town", "community"], name="dispatch_rule_unique", nulls_distinct=False
            ),
        ]

    def __str__(self):
        area = self.community or self.town or _("whole city")
        return f"{self.category} · {area} → {self.department}"


class Holiday(models.Model):
    """The admin holiday table: a day that is (or is not) a working day, overriding the built-in calendar."""

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("working day"), default=False)
    note = models.CharField(_("note"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("holiday or adjusted working day")
        verbose_name_plural = _("holiday table")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {self.note}"


class Appeal(models.Model):
    class Channel(models.TextChoices):
        RESIDENT = "resident", _("resident's own page")
        BUILDING_HEAD = "building_head", _("building head for a resident")
        GRID_WORKER = "grid_worker", _("grid worker for a resident")
        RECEPTION = "reception", _("reception desk")
        HOTLINE = "hotline", _("hotline operator")
        FOUR_PARTY = "four_party", _("four-party meeting")
        WECHAT = "wechat", _("WeChat group, relayed by staff")
        OPEN311 = "open311", _("Open311 client")

    class Status(models.TextChoices):
        RECEIVED = workflow.RECEIVED, _("received")
        ACCEPTED = workflow.ACCEPTED, _("accepted")
        DISPATCHED = workflow.DISPATCHED, _("dispatched")
        IN_PROGRESS = workflow.IN_PROGRESS, _("in progress")
        RETURNED = workflow.RETURNED, _("returned")
        REASSIGNED = workflow.REASSIGNED, _("reassigned")
        EXTENSION_REQUESTED = workflow.EXTENSION_REQUESTED, _("extension requested")
        EXTENSION_GRANTED = workflow.EXTENSION_GRANTED, _("extension granted")
        RESOLVED = workflow.RESOLVED, _("resolved")
        CALLED_BACK = workflow.CALLED_BACK, _("called back")
        CLOSED = workflow.CLOSED, _("closed")
        REOPENED = workflow.REOPENED, _("reopened")
        MERGED = workflow.MERGED, _("merged")

    class Level(models.TextChoices):
        COMPOUND = "compound", _("compound")
        COMMUNITY = "community", _("community")
        DEPARTMENT = "department", _("city department")

    class Rating(models.TextChoices):
        SATISFIED = "satisfied", _("satisfied")
        BASIC = "basic", _("basically satisfied")
        DISSATISFIED = "dissatisfied", _("dissatisfied")

    class Supervision(models.TextChoices):
        NONE = "", _("none")
        TOWN = "town", _("town")
        CITY = "city", _("city")

    number = models.CharField(_("number"), max_length=20, unique=True)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="appeals")
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), max_length=4000)
    compound = models.ForeignKey(
        "places.Compound", verbose_name=_("compound"), on_delete=models.PROTECT, related_name="appeals"
    )
    building = models.ForeignKey(
        "places.Building", verbose_name=_("building"), on_delete=models.PROTECT, null=True, blank=True
    )
    room = models.ForeignKey("places.Room", verbose_name=_("room"), on_delete=models.PROTECT, null=True, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    reporter = models.ForeignKey(
        "people.Person",
        verbose_name=_("reporter"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appeals",
    )
    reporter_account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reporter's account"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appeals_reported",
    )
    contact_name = models.CharField(_("contact name"), max_length=50, blank=True)
    contact_phone = EncryptedTextField(_("contact phone"), blank=True)
    contact_phone_hash = models.CharField(_("contact phone lookup hash"), max_length=64, blank=True, editable=False)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appeals_entered",
    )
    status = models.CharField(_("status"), max_length=24, choices=Status.choices, default=Status.RECEIVED)
    level = models.CharField(_("handling level"), max_length=12, choices=Level.choices, default=Level.COMPOUND)
    unit = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("handling unit"),
        on_delete=models.PROTECT,
        related_name="appeals_handling",
    )
    first_unit = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("first receiving unit"),
        on_delete=models.PROTECT,
        related_name="appeals_first",
    )
    received_at = models.DateTimeField(_("received at"), db_index=True)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    deadline = models.DateField(_("deadline"))
    extension_days = models.PositiveSmallIntegerField(_("extension (working days)"), default=0)
    contacted_at = models.DateTimeField(_("resident contacted at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_level = models.CharField(_("resolved at level"), max_length=12, choices=Level.choices, blank=True)
    via_four_party = models.BooleanField(_("solved through a four-party meeting"), default=False)
    # Open to anyone through Open311 without a key: marked by staff over the compound or by the reporter.
    # The public record shows the category, the compound and this summary, never the resident's own text.
    public = models.BooleanField(_("public"), default=False)
    public_summary = models.CharField(_("public summary"), max_length=200, blank=True)
    api_key = models.ForeignKey(
        "ApiKey",
        verbose_name=_("posted with API key"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appeals",
    )
    resolution = models.TextField(_("reply to the resident"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    rating = models.CharField(_("rating"), max_length=16, choices=Rating.choices, blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)
    rating_comment = models.CharField(_("rating comment"), max_length=500, blank=True)
    # The resident's answers with the rating (as the 12345 hotlines ask them): were you contacted by the
    # handling unit, and was the problem solved. Set together with the rating, cleared with it on reopening.
    rated_contacted = models.BooleanField(_("resident says they were contacted"), null=True, blank=True)
    rated_solved = models.BooleanField(_("resident says the problem was solved"), null=True, blank=True)
    supervision = models.CharField(_("supervision"), max_length=8, choices=Supervision.choices, blank=True, default="")
    overdue_since = models.DateField(_("overdue since"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "status", "deadline"], name="appeal_unit_open_work"),
            models.Index(fields=["status", "deadline"], name="appeal_status_deadline"),
            models.Index(fields=["compound", "received_at"], name="appeal_compound_time"),
            # The overdue job's work: late candidates it has not flagged or not escalated to the city yet.
            models.Index(
                fields=["deadline"],
                name="appeal_overdue_pending",
                condition=Q(status__in=sorted(workflow.WAITING_STATES))
                & (Q(overdue_since__isnull=True) | ~Q(supervision="city")),
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(rating="") | Q(rated_at__isnull=False), name="appeal_rating_has_time"),
            models.CheckConstraint(
                condition=Q(rating="", rated_contacted__isnull=True, rated_solved__isnull=True)
                | (~Q(rating="") & Q(rated_contacted__isnull=False, rated_solved__isnull=False)),
                name="appeal_rating_has_answers",
            ),
            models.CheckConstraint(condition=Q(extension_days__lte=10), name="appeal_extension_at_most_10"),
            models.CheckConstraint(
                condition=~Q(status=workflow.MERGED) | Q(merged_into__isnull=False), name="merged_appeal_names_target"
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def masked_contact_phone(self) -> str:
        return mask_phone(self.contact_phone)

    @property
    def is_open(self) -> bool:
        return self.status in workflow.OPEN_STATES


# The events that carry a number of working days (AppealEvent.days).
EXTENSION_ACTIONS = ("request_extension", "grant_extension")


class AppealEvent(models.Model):
    """Append-only history of an appeal: every transition, note and reply, in order."""

    appeal = models.ForeignKey(Appeal, verbose_name=_("appeal"), on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(_("time"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, null=True, blank=True
    )
    action = models.CharField(_("action"), max_length=24)
    from_status = models.CharField(_("from"), max_length=24, blank=True)
    to_status = models.CharField(_("to"), max_length=24, blank=True)
    unit = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("unit"), on_delete=models.PROTECT, null=True, blank=True
    )
    reason = models.TextField(_("reason"), blank=True)
    # The working days an extension asks for or grants; only extension events carry them.
    days = models.PositiveSmallIntegerField(_("working days"), null=True, blank=True)
    public = models.BooleanField(_("shown to the resident"), default=True)

    class Meta:
        verbose_name = _("appeal event")
        verbose_name_plural = _("appeal events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["appeal", "at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(days__isnull=True) | Q(action__in=EXTENSION_ACTIONS, days__gte=1),
                name="appeal_event_days_only_on_extensions",
            )
        ]

    def __str__(self):
        return f"{self.appeal.number} {self.action}"


class AppealPhoto(models.Model):
    class Kind(models.TextChoices):
        # The reporter's photos of the problem, sent with the report; and the handler's of the fixed problem,
        # attached when resolving it (处理后照片).
        BEFORE = "before", _("photo of the problem")
        AFTER = "after", _("photo after the fix")

    appeal = models.ForeignKey(Appeal, verbose_name=_("appeal"), on_delete=models.PROTECT, related_name="photos")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.BEFORE)
    image = models.FileField(_("photo"), upload_to="appeals/%Y/%m/")
    content_type = models.CharField(max_length=32)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["before", "after"]), name="appeal_photo_kind_known")
        ]


class Callback(models.Model):
    """A call back to the resident after the order was handled (回访)."""

    appeal = models.ForeignKey(Appeal, verbose_name=_("appeal"), on_delete=models.PROTECT, related_name="callbacks")
    at = models.DateTimeField(_("time"), auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT)
    reached = models.BooleanField(_("resident reached"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("callback")
        verbose_name_plural = _("callbacks")
        ordering = ["at"]


class Notification(models.Model):
    """An in-app message to a user about an appeal (also e-mailed where an address is known)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="notifications")
    message = models.CharField(max_length=300)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"])]


class ApiKey(models.Model):
    """An Open311 api_key. Only its hash is stored; the key itself is shown once."""

    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("key prefix"), max_length=8, db_index=True)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    # The town whose requests the key reads in full; none: the whole city.
    town = models.ForeignKey("places.Town", verbose_name=_("town"), on_delete=models.PROTECT, null=True, blank=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"
