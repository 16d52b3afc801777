"""Committee life (业委会履职): the life of an owners' committee between two elections.

Term reminders six months before a term ends, filing (备案) within 30 days of the election,
the city's duty list and negative list (履职清单/负面清单), self-inspection rounds (自查)
with item-by-item results and rectification tasks, and evaluations (履职评价) with their
three outcomes. The committee itself is `organisations.Organisation` (kind "owners_committee"),
its members are `organisations.Post` rows.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

COMMITTEE_ONLY = {"kind": "owners_committee"}


# --- Term reminders -------------------------------------------------------------------------


class TermReminder(models.Model):
    """A reminder that a committee's term ends within six months (or has ended).

    One per committee and term end, so the daily job can run any number of times; a
    committee whose term is extended gets a new reminder for the new end.
    """

    committee = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("owners' committee"),
        on_delete=models.PROTECT,
        related_name="term_reminders",
        limit_choices_to=COMMITTEE_ONLY,
    )
    term_end = models.DateField(_("term ends"))
    reminded_on = models.DateField(_("reminded on"))
    expired = models.BooleanField(_("term had already ended"), default=False)
    recipient_count = models.PositiveSmallIntegerField(_("people e-mailed"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("term reminder")
        verbose_name_plural = _("term reminders")
        ordering = ["-reminded_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "term_end"], name="term_reminder_once_per_term_end"),
            models.CheckConstraint(
                condition=Q(expired=False) | Q(reminded_on__gt=F("term_end")),
                name="term_reminder_expired_after_term_end",
            ),
        ]

    def __str__(self):
        return f"{self.committee} · {self.term_end:%Y-%m-%d}"


# --- Filing (备案) -------------------------------------------------------------------------------


class Filing(models.Model):
    """The committee's filing with the housing department and the town, due 30 days after the election."""

    committee = models.OneToOneField(
        "organisations.Organisation",
        verbose_name=_("owners' committee"),
        on_delete=models.PROTECT,
        related_name="filing",
        limit_choices_to=COMMITTEE_ONLY,
    )
    filed_on = models.DateField(_("filed on"))
    filed_with_housing = models.BooleanField(_("filed with the housing department"), default=False)
    filed_with_town = models.BooleanField(_("filed with the town or subdistrict"), default=False)
    reference = models.CharField(_("reference number"), max_length=50, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    late = models.BooleanField(_("filed late"), default=False)
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
        verbose_name = _("filing")
        verbose_name_plural = _("filings")
        ordering = ["-filed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(filed_with_housing=True) | Q(filed_with_town=True), name="filing_with_housing_or_town"
            ),
        ]

    def __str__(self):
        return f"{self.committee} · {self.filed_on:%Y-%m-%d}"


# --- Duty list and negative list (履职清单 / 负面清单) ---------------------------------------------


class DutyItem(models.Model):
    """One line of a city's duty list (what a committee must do) or negative list (what it must not)."""

    class List(models.TextChoices):
        DUTY = "duty", _("duty list")
        NEGATIVE = "negative", _("negative list")

    city = models.ForeignKey("places.City", verbose_name=_("city"), on_delete=models.PROTECT, related_name="duty_items")
    list = models.CharField(_("list"), max_length=8, choices=List.choices)
    text = models.CharField(_("item"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("duty list item")
        verbose_name_plural = _("duty list items")
        ordering = ["city_id", "list", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["city", "list", "text"], name="duty_item_text_once_per_list"),
            models.CheckConstraint(condition=Q(list__in=["duty", "negative"]), name="duty_item_list_known"),
            models.CheckConstraint(condition=~Q(text=""), name="duty_item_has_text"),
        ]

    def __str__(self):
        return self.text


# --- Self-inspection rounds (自查) -----------------------------------------------------------------


class SelfInspection(models.Model):
    """A round in which the committee checks itself against every item of its city's lists."""

    class Status(models.TextChoices):
        OPEN = "open", _("in progress")
        CLOSED = "closed", _("closed")

    committee = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("owners' committee"),
        on_delete=models.PROTECT,
        related_name="self_inspections",
        limit_choices_to=COMMITTEE_ONLY,
    )
    held_on = models.DateField(_("held on"))
    conducted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("conducted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("self-inspection round")
        verbose_name_plural = _("self-inspection rounds")
        ordering = ["-held_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee"], condition=Q(status="open"), name="self_inspection_one_open_round_per_committee"
            ),
            models.CheckConstraint(
                condition=Q(status="open", closed_on__isnull=True)
                | Q(status="closed", closed_on__isnull=False, closed_on__gte=F("held_on")),
                name="self_inspection_closed_on_matches_status",
            ),
        ]

    def __str__(self):
        return f"{self.committee} · {self.held_on:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class InspectionResult(models.Model):
    """The committee's answer for one item in one round: met or not met; a note is required when not met."""

    class Result(models.TextChoices):
        MET = "met", _("met")
        NOT_MET = "not_met", _("not met")

    inspection = models.ForeignKey(
        SelfInspection, verbose_name=_("self-inspection round"), on_delete=models.PROTECT, related_name="results"
    )
    item = models.ForeignKey(DutyItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="results")
    result = models.CharField(_("result"), max_length=8, choices=Result.choices, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("self-inspection result")
        verbose_name_plural = _("self-inspection results")
        ordering = ["inspection_id", "item__list", "item__position", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "item"], name="inspection_result_once_per_item"),
            models.CheckConstraint(condition=Q(result__in=["", "met", "not_met"]), name="inspection_result_known"),
            models.CheckConstraint(condition=~Q(result="not_met", note=""), name="inspection_result_not_met_has_note"),
        ]

    def __str__(self):
        return f"{self.item} · {self.get_result_display() or '—'}"


# --- Evaluation (履职评价) -----------------------------------------------------------------------------


class Evaluation(models.Model):
    """An evaluation of one committee member, led by the organisation and housing departments."""

    class Outcome(models.TextChoices):
        REMOVAL = "removal", _("termination and removal")
        ORDERED_RECTIFICATION = "ordered_rectification", _("ordered rectification")
        URGED_IMPROVEMENT = "urged_improvement", _("urged improvement")

    committee = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("owners' committee"),
        on_delete=models.PROTECT,
        related_name="evaluations",
        limit_choices_to=COMMITTEE_ONLY,
    )
    post = models.ForeignKey(
        "organisations.Post", verbose_name=_("member evaluated"), on_delete=models.PROTECT, related_name="evaluations"
    )
    outcome = models.CharField(_("outcome"), max_length=24, choices=Outcome.choices)
    reason = models.TextField(_("reason"), max_length=2000)
    decided_on = models.DateField(_("decided on"))
    led_by = models.CharField(_("led by"), max_length=100)
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
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-decided_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=["removal", "ordered_rectification", "urged_improvement"]),
                name="evaluation_outcome_known",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="evaluation_has_reason"),
            models.CheckConstraint(condition=~Q(led_by=""), name="evaluation_has_lead"),
        ]

    def __str__(self):
        return f"{self.decided_on:%Y-%m-%d} {self.post.person} · {self.get_outcome_display()}"


# --- Rectification tasks (整改) ------------------------------------------------------------------------


class RectificationTask(models.Model):
    """Something the committee must put right: from a not-met self-inspection result or an ordered rectification."""

    committee = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("owners' committee"),
        on_delete=models.PROTECT,
        related_name="rectification_tasks",
        limit_choices_to=COMMITTEE_ONLY,
    )
    result = models.OneToOneField(
        InspectionResult,
        verbose_name=_("self-inspection result"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="task",
    )
    evaluation = models.OneToOneField(
        Evaluation, verbose_name=_("evaluation"), on_delete=models.PROTECT, null=True, blank=True, related_name="task"
    )
    description = models.TextField(_("what must be put right"), max_length=2000)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_note = models.TextField(_("how it was put right"), max_length=2000, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("completed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_on = models.DateField(_("created on"))

    class Meta:
        verbose_name = _("rectification task")
        verbose_name_plural = _("rectification tasks")
        ordering = ["done_on", "due_on", "id"]
        indexes = [models.Index(fields=["committee", "done_on"], name="rectification_committee_done")]
        constraints = [
            models.CheckConstraint(
                condition=Q(result__isnull=False, evaluation__isnull=True)
                | Q(result__isnull=True, evaluation__isnull=False),
                name="rectification_from_result_or_evaluation",
            ),
            models.CheckConstraint(
                condition=Q(done_on__isnull=True, done_note="") | (Q(done_on__isnull=False) & ~Q(done_note="")),
                name="rectification_done_with_note",
            ),
            models.CheckConstraint(condition=Q(due_on__gte=F("created_on")), name="rectification_due_after_creation"),
            models.CheckConstraint(
                condition=Q(done_on__isnull=True) | Q(done_on__gte=F("created_on")),
                name="rectification_done_after_creation",
            ),
        ]

    def __str__(self):
        return f"{self.committee} · {self.description[:40]}"

    @property
    def is_open(self) -> bool:
        return self.done_on is None

    @property
    def source_label(self):
        return _("self-inspection") if self.result_id else _("evaluation")
