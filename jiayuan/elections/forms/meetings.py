"""Forms of the owners' general meeting pages. They check the shape of the input; the services hold the rules
(the voting window, the frozen electorate, one ballot per voter per motion, the second-person check)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jiayuan.people.models import Person
from jiayuan.places.models import Compound

from .. import rules
from ..models import Ballot, Campaign, Motion, VoterMember
from ..tally import threshold_for

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
NOT_MARKED = ""


class DateTimeLocalInput(forms.DateTimeInput):
    """The browser's date-and-time picker; the value is read in the site's time zone (Asia/Shanghai)."""

    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def threshold_text(matter: int) -> str:
    """The agreeing share a matter needs, as the law writes it: "≥ 3/4" (matters 6–8) or "> 1/2"."""
    threshold = threshold_for(int(matter))
    return f"{'>' if threshold.strict else '≥'} {threshold.fraction}"


def threshold_words(matter: int) -> str:
    if threshold_for(int(matter)).strict:
        return gettext(
            "more than half of the participating area and of the participating owners (exactly half is not enough)"
        )
    return gettext(
        "at least three quarters of the participating area and of the participating owners "
        "(exactly three quarters is enough)"
    )


def matter_choices() -> list[tuple[int, str]]:
    return [
        (value, f"{label} · {gettext('passes with')} {threshold_text(value)}") for value, label in Motion.Matter.choices
    ]


def _now_local():
    return timezone.localtime().replace(second=0, microsecond=0)


def _today():
    return timezone.localdate()


# --- Calling the meeting ----------------------------------------------------------------------------


class MeetingForm(forms.Form):
    compound = forms.ModelChoiceField(label=_("compound"), queryset=Compound.objects.none(), required=False)
    campaign = forms.ModelChoiceField(
        label=_("election"),
        queryset=Campaign.objects.none(),
        required=False,
        empty_label=_("none: this meeting decides other matters"),
        help_text=_("An election meeting gets motion 1, electing the committee from the published slate."),
    )
    title = forms.CharField(label=_("title"), max_length=120)
    voting_opens = forms.DateTimeField(
        label=_("voting opens"),
        widget=DateTimeLocalInput(),
        input_formats=DATETIME_FORMATS,
        help_text=_("Beijing time. The meeting must be announced at least 15 days before voting opens."),
    )
    voting_closes = forms.DateTimeField(
        label=_("voting closes"),
        widget=DateTimeLocalInput(),
        input_formats=DATETIME_FORMATS,
        help_text=_("Beijing time."),
    )
    place = forms.CharField(
        label=_("on-site voting place"),
        max_length=120,
        required=False,
        help_text=_("Where owners may also vote in person, e.g. the property service centre."),
    )

    def __init__(self, *args, viewer, campaign: Campaign | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["compound"].queryset = (
            Compound.objects.filter(rules.running_compounds_q(viewer))
            .select_related("community")
            .order_by("community__name", "name")
        )
        self.fields["compound"].label_from_instance = lambda c: f"{c.name} · {c.community.name}"
        campaigns = Campaign.objects.filter(rules.running_compounds_q(viewer, "compound__"), status="campaigning")
        if campaign is not None:
            campaigns = campaigns | Campaign.objects.filter(pk=campaign.pk)
        self.fields["campaign"].queryset = campaigns.select_related("compound").order_by("-opened_on")

    def clean(self):
        data = super().clean()
        campaign = data.get("campaign")
        if data.get("compound") is None:
            if campaign is not None:  # the election names its compound
                data["compound"] = campaign.compound
            elif "compound" not in self.errors:
                self.add_error("compound", gettext("Choose the compound whose owners meet."))
        return data


class MotionForm(forms.Form):
    matter = forms.TypedChoiceField(
        label=_("Civil Code matter"),
        coerce=int,
        choices=(),
        help_text=_(
            "Civil Code art. 278. Quorum for every matter: owners holding 2/3 of the area and 2/3 of the "
            "owners take part. Matters 6–8 pass with ≥ 3/4 of those taking part agreeing, by area and by "
            "owners; the others with more than 1/2."
        ),
    )
    title = forms.CharField(label=_("title"), max_length=120)
    text = forms.CharField(
        label=_("text"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the owners are asked to decide, as it will be printed on the ballot."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["matter"].choices = [("", "—")] + matter_choices()


class AnnounceForm(forms.Form):
    on = forms.DateField(
        label=_("announced on"),
        widget=DateInput(),
        initial=_today,
        help_text=_("Announcing freezes the electorate from the room register of this day."),
    )


class ActionForm(forms.Form):
    """A button with no fields (count, publish); it only carries the service's refusal."""


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=200)


class PaperCheckForm(forms.Form):
    paper_number = forms.CharField(label=_("ballot number"), max_length=30)


# --- Ballots ----------------------------------------------------------------------------------------


class VoteFieldsMixin:
    """One field per motion ("motion_<n>"), or per slate candidate on the election motion ("motion_<n>_c<id>").

    `online`: the owner's own ballot, where every motion must be answered and candidates start at abstain.
    Otherwise a ballot entered by staff, where an unmarked motion is left out of the ballot and, on the
    election motion, an unmarked candidate counts as abstain."""

    def add_vote_fields(self, motions, slates: dict[int, list], *, online: bool):
        self.vote_motions = list(motions)
        self.slates = slates
        self.online = online
        self.group_errors: dict[str, list[str]] = {}
        staff_choices = [(NOT_MARKED, gettext("— not marked")), *Ballot.Choice.choices]
        for motion in self.vote_motions:
            key = f"motion_{motion.number}"
            self.group_errors[key] = []
            if motion.is_election:
                for candidate in slates.get(motion.number, []):
                    if online:
                        field = forms.ChoiceField(
                            label=candidate.person.name,
                            choices=Ballot.Choice.choices,
                            widget=forms.RadioSelect,
                            initial=Ballot.Choice.ABSTAIN,
                        )
                    else:
                        field = forms.ChoiceField(label=candidate.person.name, choices=staff_choices, required=False)
                    self.fields[f"{key}_c{candidate.pk}"] = field
            elif online:
                self.fields[key] = forms.ChoiceField(
                    label=motion.title,
                    choices=Ballot.Choice.choices,
                    widget=forms.RadioSelect,
                    error_messages={"required": gettext("Choose agree, against or abstain.")},
                )
            else:
                self.fields[key] = forms.ChoiceField(label=motion.title, choices=staff_choices, required=False)

    def votes(self) -> dict[int, object]:
        """The `votes=` argument of the ballot services."""
        data = self.cleaned_data
        votes: dict[int, object] = {}
        for motion in self.vote_motions:
            key = f"motion_{motion.number}"
            if motion.is_election:
                picks = {c.pk: data.get(f"{key}_c{c.pk}") for c in self.slates.get(motion.number, [])}
                picks = {pk: choice for pk, choice in picks.items() if choice}
                if self.online or picks:
                    votes[motion.number] = picks
            elif data.get(key):
                votes[motion.number] = data[key]
        return votes

    @property
    def vote_groups(self) -> list[dict]:
        """Per motion: its field (or its candidates' fields on the election motion) and its errors."""
        groups = []
        for motion in self.vote_motions:
            key = f"motion_{motion.number}"
            candidates = (
                [(c, self[f"{key}_c{c.pk}"]) for c in self.slates.get(motion.number, [])] if motion.is_election else []
            )
            field = None if motion.is_election else self[key]
            errors = list(self.group_errors.get(key, []))
            if field is not None:
                errors = list(field.errors) + errors
            for _candidate, bound in candidates:
                errors += [e for e in bound.errors if e not in errors]
            groups.append({"motion": motion, "field": field, "candidates": candidates, "errors": errors, "key": key})
        return groups

    def apply_service_errors(self, exc: ValidationError) -> None:
        """The service's refusal beside the field or motion it names; the rest above the form."""
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc)
            return
        for key, errors in exc.error_dict.items():
            if key in self.fields:
                self.add_error(key, errors)
            elif key in self.group_errors:
                self.group_errors[key].extend(m for error in errors for m in error.messages)
            else:
                self.add_error(None, errors)

    @property
    def has_group_errors(self) -> bool:
        return any(self.group_errors.values())


class OnlineBallotForm(VoteFieldsMixin, forms.Form):
    """The owner's ballot: every motion not yet voted on."""

    def __init__(self, *args, motions, slates, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_vote_fields(motions, slates, online=True)


class PaperBallotForm(VoteFieldsMixin, forms.Form):
    room = forms.CharField(
        label=_("room"),
        max_length=60,
        help_text=_("Any room of the voter, as in the electorate list, e.g. 1号楼 1单元 101."),
        widget=forms.TextInput(attrs={"list": "electorate-rooms", "autocomplete": "off"}),
    )
    paper_number = forms.CharField(
        label=_("ballot number"), max_length=30, help_text=_("The number printed on the paper ballot.")
    )
    received_at = forms.DateTimeField(
        label=_("received at"),
        widget=DateTimeLocalInput(),
        input_formats=DATETIME_FORMATS,
        initial=_now_local,
        help_text=_("When the ballot box received it; it must be within the window."),
    )

    def __init__(self, *args, motions, slates, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_vote_fields(motions, slates, online=False)


class OnsiteBallotForm(VoteFieldsMixin, forms.Form):
    person = forms.ModelChoiceField(
        label=_("owner"),
        queryset=Person.objects.none(),
        help_text=_("Check the owner's identity document before recording."),
    )

    def __init__(self, *args, meeting, motions, slates, **kwargs):
        super().__init__(*args, **kwargs)
        members = (
            VoterMember.objects.filter(meeting=meeting)
            .select_related("person", "voter")
            .prefetch_related("voter__rooms")
            .order_by("person__name", "person_id")
        )
        rooms_of = {m.person_id: "、".join(r.label for r in m.voter.rooms.all()) for m in members}
        self.fields["person"].queryset = Person.objects.filter(pk__in=[m.person_id for m in members]).order_by(
            "name", "pk"
        )
        self.fields["person"].label_from_instance = lambda p: f"{p.name} · {rooms_of.get(p.pk, '')}"
        self.add_vote_fields(motions, slates, online=False)


class CorrectionForm(VoteFieldsMixin, forms.Form):
    reason = forms.CharField(
        label=_("reason for the correction"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Recorded in the audit log with the ballot before and after."),
    )

    def __init__(self, *args, motion, slate, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_vote_fields([motion], {motion.number: slate}, online=False)
        self.order_fields([f for f in self.fields if f != "reason"] + ["reason"])

    def vote(self):
        motion = self.vote_motions[0]
        return self.votes().get(motion.number, {} if motion.is_election else "")


class OfficersForm(forms.Form):
    director = forms.ModelChoiceField(label=_("director"), queryset=Person.objects.none())
    deputies = forms.ModelMultipleChoiceField(
        label=_("deputy directors"), queryset=Person.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    held_on = forms.DateField(
        label=_("first committee meeting held on"),
        widget=DateInput(),
        initial=_today,
        help_text=_("Within 7 days of the election."),
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        people = Person.objects.filter(pk__in=[p.pk for p in members]).order_by("name", "pk")
        self.fields["director"].queryset = people
        self.fields["deputies"].queryset = people

    def clean(self):
        data = super().clean()
        if data.get("director") and data.get("director") in (data.get("deputies") or []):
            self.add_error("deputies", gettext("The director cannot also be a deputy."))
        return data
