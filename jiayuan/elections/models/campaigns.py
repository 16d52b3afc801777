"""The election campaign: reviewing bodies and bars, the campaign and its steps, the preparatory group, candidates and co-nominations, reviews, interviews, objections, the campaign meeting and speeches."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from jiayuan.organisations.models import COMMITTEE_SEATS


class ReviewBody(models.Model):
    """One reviewer of the joint qualification review (资格联审): a city department, or a body
    relative to the compound (its community, its party branch). Configured per city."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("city department")
        COMMUNITY = "community", _("the compound's community")
        BRANCH = "branch", _("the compound's party branch")

    city = models.ForeignKey(
        "places.City", verbose_name=_("city"), on_delete=models.PROTECT, related_name="review_bodies"
    )
    name = models.CharField(_("name"), max_length=60)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    department = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="review_bodies",
        limit_choices_to={"kind__in": ["department", "city_office"]},
        help_text=_("Its reviews are decided by the people holding a post in this organisation."),
    )
    checks = models.CharField(_("what it checks"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("reviewing body")
        verbose_name_plural = _("reviewing bodies")
        ordering = ["city_id", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="department") & Q(department__isnull=False))
                | (~Q(kind="department") & Q(department__isnull=True)),
                name="review_body_department_iff_department_kind",
            ),
            models.UniqueConstraint(fields=["city", "name"], name="review_body_unique_name"),
        ]

    def __str__(self):
        return self.name


class EligibilityBar(models.Model):
    """A local bar to candidacy, shown to reviewers as a checklist item when enabled (DOMAIN.md §5)."""

    city = models.ForeignKey(
        "places.City", verbose_name=_("city"), on_delete=models.PROTECT, related_name="eligibility_bars"
    )
    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("bar"), max_length=200)
    note = models.CharField(_("note"), max_length=300, blank=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("eligibility bar")
        verbose_name_plural = _("eligibility bars")
        ordering = ["city_id", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["city", "code"], name="eligibility_bar_unique_code")]

    def __str__(self):
        return self.label


class Campaign(models.Model):
    """The election of one compound's owners' committee, first election or re-election."""

    class Kind(models.TextChoices):
        FIRST = "first", _("first election")
        RE_ELECTION = "re_election", _("re-election")

    class Status(models.TextChoices):
        NOMINATING = "nominating", _("nominating")
        REVIEWING = "reviewing", _("joint qualification review")
        INTERVIEWING = "interviewing", _("interviews")
        NOTICE = "notice", _("public notice of the slate")
        CAMPAIGNING = "campaigning", _("campaign meeting")
        VOTING = "voting", _("owners' general meeting")
        ELECTED = "elected", _("elected")
        CANCELLED = "cancelled", _("cancelled")

    compound = models.ForeignKey(
        "places.Compound", verbose_name=_("compound"), on_delete=models.PROTECT, related_name="campaigns"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.NOMINATING)
    predecessor = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("outgoing committee"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="successor_campaigns",
        limit_choices_to={"kind": "owners_committee"},
    )
    seats = models.PositiveSmallIntegerField(_("seats"))
    term_years = models.PositiveSmallIntegerField(_("term (years)"), default=5)
    co_nominators_required = models.PositiveSmallIntegerField(
        _("co-nominating owners required"),
        default=5,
        help_text=_("How many owners must jointly nominate a candidate."),
    )
    notice_days = models.PositiveSmallIntegerField(_("public notice (days)"), default=7)
    notice_starts = models.DateField(_("notice starts"), null=True, blank=True)
    notice_ends = models.DateField(_("notice ends"), null=True, blank=True)
    committee = models.OneToOneField(
        "organisations.Organisation",
        verbose_name=_("elected committee"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="election",
        limit_choices_to={"kind": "owners_committee"},
    )
    opened_on = models.DateField(_("opened on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("election campaign")
        verbose_name_plural = _("election campaigns")
        ordering = ["-opened_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(seats__in=COMMITTEE_SEATS), name="campaign_odd_seats_5_to_11"),
            models.CheckConstraint(
                condition=Q(term_years__gte=1, term_years__lte=5), name="campaign_term_1_to_5_years"
            ),
            models.CheckConstraint(condition=Q(co_nominators_required__gte=1), name="campaign_co_nominators_positive"),
            models.CheckConstraint(
                condition=Q(notice_ends__isnull=True) | Q(notice_ends__gte=F("notice_starts")),
                name="campaign_notice_dates_ordered",
            ),
            # One running campaign per compound.
            models.UniqueConstraint(
                fields=["compound"],
                condition=~Q(status__in=["elected", "cancelled"]),
                name="one_open_campaign_per_compound",
            ),
        ]

    def __str__(self):
        return f"{self.compound} · {self.get_kind_display()} · {self.opened_on:%Y}"

    @property
    def general_meeting(self):
        """The election's general meeting (the latest one not called off), or None."""
        return self.general_meetings.exclude(status="cancelled").order_by("-pk").first()


class CampaignStep(models.Model):
    """Append-only history of a campaign's status: who moved it, when, from what, to what, why."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="steps")
    source = models.CharField(_("from"), max_length=16, blank=True)
    target = models.CharField(_("to"), max_length=16)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    at = models.DateTimeField(_("time"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("campaign step")
        verbose_name_plural = _("campaign steps")
        ordering = ["campaign_id", "at", "id"]


class PreparatoryMember(models.Model):
    """A member of the preparatory group (筹备组) that runs the election."""

    class Role(models.TextChoices):
        LEADER = "leader", _("group leader")
        MEMBER = "member", _("member")

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="preparatory_group")
    person = models.ForeignKey("people.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=8, choices=Role.choices, default=Role.MEMBER)
    represents = models.CharField(
        _("represents"), max_length=60, blank=True, help_text=_("e.g. town office, community, party branch, owners")
    )

    class Meta:
        verbose_name = _("preparatory group member")
        verbose_name_plural = _("preparatory group members")
        ordering = ["campaign_id", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "person"], name="preparatory_member_once"),
            models.UniqueConstraint(fields=["campaign"], condition=Q(role="leader"), name="preparatory_one_leader"),
        ]


class Candidate(models.Model):
    class Route(models.TextChoices):
        PARTY_EXAMPLE = "party", _("party-member example")
        COMMUNITY = "community", _("community recommendation")
        JOINT_OWNERS = "owners", _("joint nomination by owners")

    class Status(models.TextChoices):
        NOMINATED = "nominated", _("nominated")
        UNDER_REVIEW = "under_review", _("under review")
        QUALIFIED = "qualified", _("qualified")
        DISQUALIFIED = "disqualified", _("disqualified")
        INTERVIEW_FAILED = "interview_failed", _("not chosen at interview")
        ON_SLATE = "on_slate", _("on the slate")
        STRUCK_OFF = "struck_off", _("struck off after an objection")
        WITHDRAWN = "withdrawn", _("withdrawn")
        ELECTED = "elected", _("elected")
        NOT_ELECTED = "not_elected", _("not elected")

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="candidates"
    )
    person = models.ForeignKey(
        "people.Person", verbose_name=_("candidate"), on_delete=models.PROTECT, related_name="candidacies"
    )
    route = models.CharField(_("nominated by"), max_length=12, choices=Route.choices)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.NOMINATED)
    statement = models.TextField(_("nomination statement"), blank=True)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    nominated_at = models.DateTimeField(_("nominated at"), auto_now_add=True)
    rooms = models.ManyToManyField("places.Room", verbose_name=_("rooms owned in the compound"), related_name="+")

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["campaign_id", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "person"], name="candidate_once_per_campaign")]

    def __str__(self):
        return str(self.person)


class CoNomination(models.Model):
    """An owner who joins a joint nomination."""

    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="co_nominations")
    person = models.ForeignKey(
        "people.Person", verbose_name=_("co-nominating owner"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("co-nomination")
        verbose_name_plural = _("co-nominations")
        constraints = [models.UniqueConstraint(fields=["candidate", "person"], name="co_nomination_once")]


class Review(models.Model):
    """One reviewing body's verdict on one candidate."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("pending")
        PASS = "pass", _("pass")
        FAIL = "fail", _("fail")

    candidate = models.ForeignKey(
        Candidate, verbose_name=_("candidate"), on_delete=models.PROTECT, related_name="reviews"
    )
    body = models.ForeignKey(
        ReviewBody, verbose_name=_("reviewing body"), on_delete=models.PROTECT, related_name="reviews"
    )
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices, default=Outcome.PENDING)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("qualification review")
        verbose_name_plural = _("qualification reviews")
        ordering = ["candidate_id", "body__position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "body"], name="review_once_per_body"),
            models.CheckConstraint(condition=~Q(outcome="fail") | ~Q(reason=""), name="review_fail_has_reason"),
            models.CheckConstraint(
                condition=Q(outcome="pending") | Q(reviewed_at__isnull=False), name="review_decided_has_time"
            ),
        ]


class Interview(models.Model):
    candidate = models.OneToOneField(
        Candidate, verbose_name=_("candidate"), on_delete=models.PROTECT, related_name="interview"
    )
    held_on = models.DateField(_("held on"))
    panel = models.CharField(_("interview panel"), max_length=200)
    notes = models.TextField(_("notes"))
    passed = models.BooleanField(_("passed"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")


class Objection(models.Model):
    """An owner's objection to a slate candidate during the public notice, and its answer."""

    candidate = models.ForeignKey(
        Candidate, verbose_name=_("candidate"), on_delete=models.PROTECT, related_name="objections"
    )
    lodged_by = models.ForeignKey(
        "people.Person", verbose_name=_("lodged by"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("objection"))
    lodged_at = models.DateTimeField(_("lodged at"), auto_now_add=True)
    answer = models.TextField(_("answer"), blank=True)
    upheld = models.BooleanField(_("upheld"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["lodged_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(answered_at__isnull=True) & Q(upheld__isnull=True) & Q(answer=""))
                | (Q(answered_at__isnull=False) & Q(upheld__isnull=False) & ~Q(answer="")),
                name="objection_answer_complete",
            ),
        ]


class CampaignMeeting(models.Model):
    """The public campaign meeting (公开竞选) where candidates speak and sign pledges."""

    campaign = models.OneToOneField(Campaign, on_delete=models.PROTECT, related_name="campaign_meeting")
    held_at = models.DateTimeField(_("held at"))
    place = models.CharField(_("place"), max_length=120)
    livestream_url = models.URLField(_("livestream link"), blank=True)
    attendance = models.PositiveIntegerField(_("attendance"), null=True, blank=True)

    class Meta:
        verbose_name = _("campaign meeting")
        verbose_name_plural = _("campaign meetings")


class Speech(models.Model):
    candidate = models.OneToOneField(Candidate, on_delete=models.PROTECT, related_name="speech")
    summary = models.TextField(_("speech summary"))
    pledge = models.TextField(_("performance pledge"))
    pledge_signed_on = models.DateField(_("pledge signed on"))

    class Meta:
        verbose_name = _("speech and pledge")
        verbose_name_plural = _("speeches and pledges")
