"""The owners' general meeting: motions, the frozen electorate, voters, ballots and their choices, results."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .campaigns import Campaign, Candidate

# --- Owners' general meeting ---------------------------------------------------------------------


class GeneralMeeting(models.Model):
    """A meeting of the owners' general assembly (业主大会会议) and its voting window."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        ANNOUNCED = "announced", _("announced")
        COUNTED = "counted", _("counted")
        PUBLISHED = "published", _("published")
        CANCELLED = "cancelled", _("cancelled")

    compound = models.ForeignKey(
        "places.Compound", verbose_name=_("compound"), on_delete=models.PROTECT, related_name="general_meetings"
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("election"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="general_meetings",
    )
    title = models.CharField(_("title"), max_length=120)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    place = models.CharField(_("on-site voting place"), max_length=120, blank=True)
    voting_opens = models.DateTimeField(_("voting opens"))
    voting_closes = models.DateTimeField(_("voting closes"))
    announced_on = models.DateField(_("announced on"), null=True, blank=True)
    counted_at = models.DateTimeField(_("counted at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    total_area = models.DecimalField(_("total area (m²)"), max_digits=14, decimal_places=2, null=True, blank=True)
    total_heads = models.PositiveIntegerField(_("total owners (heads)"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("owners' general meeting")
        verbose_name_plural = _("owners' general meetings")
        ordering = ["-voting_opens", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(voting_closes__gt=F("voting_opens")), name="meeting_window_ordered"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(status="cancelled") | Q(announced_on__isnull=False),
                name="meeting_announced_has_date",
            ),
            # An election has one general meeting at a time; a called-off one may be followed by another.
            models.UniqueConstraint(
                fields=["campaign"], condition=~Q(status="cancelled"), name="one_live_meeting_per_election"
            ),
        ]

    def __str__(self):
        return self.title


class Motion(models.Model):
    """A motion typed by the Civil Code matter (art. 278, matters 1–9); an election motion elects the committee."""

    class Matter(models.IntegerChoices):
        RULES = 1, _("(1) rules of procedure of the general meeting")
        COVENANT = 2, _("(2) management covenant")
        COMMITTEE = 3, _("(3) electing or replacing owners' committee members")
        MANAGER = 4, _("(4) hiring or dismissing the property service company")
        FUND_USE = 5, _("(5) using the maintenance fund")
        FUND_RAISE = 6, _("(6) raising the maintenance fund")
        REBUILD = 7, _("(7) rebuilding or altering buildings and facilities")
        COMMON_USE = 8, _("(8) changing the use of common parts or running business on them")
        OTHER = 9, _("(9) other major matters")

    meeting = models.ForeignKey(
        GeneralMeeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="motions"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    matter = models.PositiveSmallIntegerField(_("Civil Code matter"), choices=Matter.choices)
    title = models.CharField(_("title"), max_length=120)
    text = models.TextField(_("text"), blank=True)
    is_election = models.BooleanField(_("elects the committee"), default=False)

    class Meta:
        verbose_name = _("motion")
        verbose_name_plural = _("motions")
        ordering = ["meeting_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="motion_number_unique"),
            models.CheckConstraint(condition=Q(matter__gte=1, matter__lte=9), name="motion_matter_1_to_9"),
            models.CheckConstraint(condition=Q(is_election=False) | Q(matter=3), name="election_motion_is_matter_3"),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"


class ElectorateRoom(models.Model):
    """A room of the compound as the electorate was frozen at announcement."""

    meeting = models.ForeignKey(GeneralMeeting, on_delete=models.PROTECT, related_name="electorate_rooms")
    voter = models.ForeignKey("Voter", on_delete=models.PROTECT, related_name="rooms")
    room = models.ForeignKey("places.Room", verbose_name=_("room"), on_delete=models.PROTECT, related_name="+")
    label = models.CharField(_("room"), max_length=60)
    area = models.DecimalField(_("area (m²)"), max_digits=10, decimal_places=2)
    area_source = models.CharField(_("area source"), max_length=16)
    developer_unsold = models.BooleanField(_("developer's unsold room"), default=False)
    # Who owned the room when the electorate was frozen: "p<person id>" per co-owner, "d<developer id>" for the
    # developer, "r<room id>" when no owner is registered; joined by ";". The rule engine's owner names.
    owners = models.CharField(max_length=400)

    class Meta:
        verbose_name = _("electorate room")
        verbose_name_plural = _("electorate rooms")
        ordering = ["meeting_id", "label"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "room"], name="electorate_room_once"),
            models.CheckConstraint(condition=Q(area__gt=0), name="electorate_room_area_positive"),
        ]


class Voter(models.Model):
    """One head of the frozen electorate: one owner's rooms, a co-owned room, or the developer's unsold rooms."""

    meeting = models.ForeignKey(GeneralMeeting, on_delete=models.PROTECT, related_name="voters")
    key = models.CharField(max_length=200)
    area = models.DecimalField(_("area (m²)"), max_digits=12, decimal_places=2)
    is_developer = models.BooleanField(_("developer"), default=False)
    label = models.CharField(_("voter"), max_length=200)

    class Meta:
        verbose_name = _("voter")
        verbose_name_plural = _("voters")
        ordering = ["meeting_id", "label"]
        constraints = [models.UniqueConstraint(fields=["meeting", "key"], name="voter_key_unique")]

    def __str__(self):
        return self.label


class VoterMember(models.Model):
    """A person who may cast a voter's ballot (an owner or co-owner of its rooms). One voter per person per meeting."""

    meeting = models.ForeignKey(GeneralMeeting, on_delete=models.PROTECT, related_name="+")
    voter = models.ForeignKey(Voter, on_delete=models.PROTECT, related_name="members")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="voter_member_once_per_meeting")]


class Ballot(models.Model):
    """One voter's ballot on one motion. The database holds one per voter per motion."""

    class Choice(models.TextChoices):
        AGREE = "agree", _("agree")
        AGAINST = "against", _("against")
        ABSTAIN = "abstain", _("abstain")

    class Channel(models.TextChoices):
        ONLINE = "online", _("online")
        PAPER = "paper", _("paper ballot")
        ON_SITE = "on_site", _("on site")

    motion = models.ForeignKey(Motion, verbose_name=_("motion"), on_delete=models.PROTECT, related_name="ballots")
    voter = models.ForeignKey(Voter, verbose_name=_("voter"), on_delete=models.PROTECT, related_name="ballots")
    choice = models.CharField(_("choice"), max_length=8, choices=Choice.choices, blank=True)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    cast_by = models.ForeignKey(
        "people.Person", verbose_name=_("cast by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    paper_number = models.CharField(_("ballot number"), max_length=30, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    cast_at = models.DateTimeField(_("cast at"))

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = ["motion_id", "cast_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["motion", "voter"], name="one_ballot_per_voter_per_motion"),
            models.UniqueConstraint(
                fields=["motion", "paper_number"], condition=~Q(paper_number=""), name="paper_ballot_number_unique"
            ),
            models.CheckConstraint(condition=~Q(channel="paper") | ~Q(paper_number=""), name="paper_ballot_has_number"),
            models.CheckConstraint(
                condition=Q(checked_by__isnull=True) | ~Q(checked_by=F("entered_by")),
                name="ballot_checked_by_second_person",
            ),
        ]

    @property
    def counts(self) -> bool:
        """Online and on-site ballots count at once; paper ballots once a second person has checked them."""
        return self.channel != self.Channel.PAPER or self.checked_by_id is not None


class CandidateChoice(models.Model):
    """On an election ballot: the voter's choice for one candidate (no row: abstain)."""

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="candidate_choices")
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(_("choice"), max_length=8, choices=Ballot.Choice.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ballot", "candidate"], name="candidate_choice_once")]


class Result(models.Model):
    """The counted result of one motion, or of one candidate on an election motion: every number behind the verdict."""

    motion = models.ForeignKey(Motion, on_delete=models.PROTECT, related_name="results")
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, null=True, blank=True, related_name="results")
    total_area = models.DecimalField(max_digits=14, decimal_places=2)
    total_heads = models.PositiveIntegerField()
    participating_area = models.DecimalField(max_digits=14, decimal_places=2)
    participating_heads = models.PositiveIntegerField()
    agree_area = models.DecimalField(max_digits=14, decimal_places=2)
    agree_heads = models.PositiveIntegerField()
    against_area = models.DecimalField(max_digits=14, decimal_places=2)
    against_heads = models.PositiveIntegerField()
    abstain_area = models.DecimalField(max_digits=14, decimal_places=2)
    abstain_heads = models.PositiveIntegerField()
    quorum_met = models.BooleanField()
    passed = models.BooleanField()
    threshold = models.CharField(max_length=12)
    rank = models.PositiveSmallIntegerField(null=True, blank=True)
    elected = models.BooleanField(default=False)
    # How many candidates share this one's rank across the last seat (a run-off decides); None: no such tie.
    tied_across_last_seat = models.PositiveSmallIntegerField(null=True, blank=True)

    @property
    def tie_note(self) -> str:
        """The tie rule's verdict in the reader's language."""
        if not self.tied_across_last_seat:
            return ""
        return gettext("Tied with %(count)s candidates across the last seat; a run-off decides.") % {
            "count": self.tied_across_last_seat
        }

    class Meta:
        ordering = ["motion_id", "rank", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["motion"], condition=Q(candidate__isnull=True), name="result_once_per_motion"
            ),
            models.UniqueConstraint(
                fields=["motion", "candidate"], condition=Q(candidate__isnull=False), name="result_once_per_candidate"
            ),
            models.CheckConstraint(condition=Q(participating_heads__lte=F("total_heads")), name="result_heads_bounded"),
            models.CheckConstraint(condition=Q(agree_heads__lte=F("participating_heads")), name="result_agree_bounded"),
        ]
