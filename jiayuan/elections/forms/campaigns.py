"""Forms of the election campaign pages. They check the shape of the input; `services.campaign` holds the rules
(odd seats, owners only, enough co-nominators, a fail needs a reason…), and its errors appear beside these fields."""

from __future__ import annotations

from django import forms
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiayuan.core.forms import DescribedChoiceField, DescribedMultipleChoiceField
from jiayuan.organisations.models import Post
from jiayuan.people.models import Ownership, Person
from jiayuan.places.models import Compound

from .. import rules, workflow
from ..models import (
    Campaign,
    CampaignMeeting,
    Candidate,
    Interview,
    Objection,
    PreparatoryMember,
    Review,
    Speech,
)

PUBLISHABLE = workflow.CANDIDATE.moves["put_on_slate"].source  # who may go on the slate


def _label(model, name):
    return model._meta.get_field(name).verbose_name


def _today():
    return timezone.localdate()


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _text(rows=3, **attrs):
    return forms.Textarea(attrs={"rows": rows, **attrs})


# --- People to choose from -------------------------------------------------------------------------


def _room_text(room) -> str:
    return f"{room.unit.building.number} {room.unit.number} {room.number}"


def owner_rooms(compound, *, on=None) -> dict[int, list[str]]:
    """{person id: [room labels]} of the compound's current owners (people, not the developer)."""
    day = on or timezone.localdate()
    ownerships = (
        Ownership.objects.filter(room__unit__building__compound=compound, person__isnull=False)
        .current_on(day)
        .select_related("room__unit__building")
        .order_by("room__unit__building__number", "room__unit__number", "room__number")
    )
    rooms: dict[int, list[str]] = {}
    for ownership in ownerships:
        rooms.setdefault(ownership.person_id, []).append(_room_text(ownership.room))
    return rooms


def _owners_field_data(compound):
    """The compound's owners in the order of their first room (building, unit, room), and their rooms' labels."""
    rooms = owner_rooms(compound)
    describe = {pk: "、".join(labels) for pk, labels in rooms.items()}
    day = timezone.localdate()
    first = (
        Ownership.objects.filter(person=OuterRef("pk"), room__unit__building__compound=compound)
        .current_on(day)
        .order_by("room__unit__building__number", "room__unit__number", "room__number")
    )
    owners = (
        Person.objects.filter(pk__in=list(rooms))
        .annotate(
            first_building=Subquery(first.values("room__unit__building__number")[:1]),
            first_unit=Subquery(first.values("room__unit__number")[:1]),
            first_room=Subquery(first.values("room__number")[:1]),
        )
        .order_by("first_building", "first_unit", "first_room", "name", "pk")
    )
    return owners, describe


# --- Opening a campaign ------------------------------------------------------------------------------


class CampaignOpenForm(forms.Form):
    compound = forms.ModelChoiceField(label=_label(Campaign, "compound"), queryset=None)
    kind = forms.ChoiceField(
        label=_label(Campaign, "kind"),
        choices=Campaign.Kind.choices,
        initial=Campaign.Kind.RE_ELECTION,
        help_text=_(
            "A re-election replaces the owners' committee in office; a first election is for a compound that has none."
        ),
    )
    seats = forms.IntegerField(
        label=_label(Campaign, "seats"),
        min_value=1,
        max_value=99,
        initial=5,
        help_text=_("An odd number from 5 to 11. It can be changed when the slate is fixed."),
    )
    term_years = forms.IntegerField(label=_label(Campaign, "term_years"), min_value=1, max_value=99, initial=5)
    co_nominators_required = forms.IntegerField(
        label=_label(Campaign, "co_nominators_required"),
        min_value=0,
        max_value=500,
        initial=5,
        help_text=Campaign._meta.get_field("co_nominators_required").help_text,
    )
    notice_days = forms.IntegerField(
        label=_label(Campaign, "notice_days"),
        min_value=1,
        max_value=60,
        initial=7,
        help_text=_(
            "How long the slate is publicly announced before the campaign meeting; owners may object during this time."
        ),
    )
    opened_on = forms.DateField(label=_("Started on"), widget=DateInput(), initial=_today)

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["compound"].queryset = (
            Compound.objects.filter(rules.running_compounds_q(viewer))
            .select_related("community")
            .order_by("community__code", "code")
        )
        self.fields["compound"].label_from_instance = lambda c: f"{c.name} · {c.community.name}"


# --- Preparatory group and nominations -----------------------------------------------------------------


class PreparatoryMemberForm(forms.Form):
    person = DescribedChoiceField(
        label=_label(PreparatoryMember, "person"),
        queryset=None,
        help_text=_(
            "Owners of the compound and people holding a post in its party branch, "
            "owners' committee, community or town."
        ),
    )
    role = forms.ChoiceField(
        label=_label(PreparatoryMember, "role"),
        choices=PreparatoryMember.Role.choices,
        initial=PreparatoryMember.Role.MEMBER,
    )
    represents = forms.CharField(
        label=_label(PreparatoryMember, "represents"),
        max_length=60,
        required=False,
        help_text=PreparatoryMember._meta.get_field("represents").help_text,
    )

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        compound = campaign.compound
        day = timezone.localdate()
        describe = {pk: "、".join(labels) for pk, labels in owner_rooms(compound).items()}
        posts = (
            Post.objects.current_on(day)
            .filter(
                Q(organisation__compounds=compound)
                | Q(compound=compound)
                | Q(building__compound=compound)
                | Q(organisation__community_id=compound.community_id)
                | Q(organisation__town_id=compound.community.town_id)
            )
            .exclude(role=Post.Role.PROPERTY_MANAGER)
            .select_related("organisation")
            .order_by("pk")
        )
        for post in posts:
            describe.setdefault(post.person_id, post.organisation.name)
        taken = campaign.preparatory_group.values("person_id")
        field = self.fields["person"]
        field.queryset = Person.objects.filter(pk__in=list(describe)).exclude(pk__in=taken).order_by("name", "pk")
        field.describe = describe


class NominationForm(forms.Form):
    person = DescribedChoiceField(
        label=_("owner nominated"),
        queryset=None,
        help_text=_(
            "Only owners of a room in the compound can stand; the rooms are checked against the room register."
        ),
    )
    route = forms.ChoiceField(label=_label(Candidate, "route"), choices=Candidate.Route.choices)
    co_nominators = DescribedMultipleChoiceField(
        label=_("co-nominating owners"), queryset=None, required=False, widget=forms.SelectMultiple(attrs={"size": 8})
    )
    statement = forms.CharField(label=_label(Candidate, "statement"), max_length=4000, required=False, widget=_text(3))

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        owners, describe = _owners_field_data(campaign.compound)
        self.fields["person"].queryset = owners.exclude(pk__in=campaign.candidates.values("person_id"))
        self.fields["person"].describe = describe
        self.fields["co_nominators"].queryset = owners
        self.fields["co_nominators"].describe = describe
        self.fields["co_nominators"].help_text = _(
            "Only for a joint nomination by owners: %(count)s co-nominating owners are required (hold Ctrl or ⌘ to "
            "choose several)."
        ) % {"count": campaign.co_nominators_required}


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("reason for the withdrawal"), max_length=300, required=False, widget=_text(2))


# --- Moving the campaign along --------------------------------------------------------------------


class StepForm(forms.Form):
    """A move with no data but an optional note (closing nominations, starting interviews, campaigning)."""

    note = forms.CharField(label=_("note"), max_length=300, required=False)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("reason for cancelling"), max_length=300, required=False, widget=_text(2))


# --- Joint qualification review ---------------------------------------------------------------------


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_label(Review, "outcome"),
        widget=forms.RadioSelect,
        choices=[(Review.Outcome.PASS, Review.Outcome.PASS.label), (Review.Outcome.FAIL, Review.Outcome.FAIL.label)],
    )
    reason = forms.CharField(
        label=_label(Review, "reason"),
        max_length=300,
        required=False,
        help_text=_(
            "Required for a fail (what the candidate does not meet) and to pass a flagged candidate (why the flag "
            "does not bar them)."
        ),
    )


# --- Interviews, slate, objections ------------------------------------------------------------------

YES_NO = [("yes", _("passed")), ("no", _("not chosen"))]


def _yes(value) -> bool:
    return value == "yes"


class InterviewForm(forms.Form):
    held_on = forms.DateField(label=_label(Interview, "held_on"), widget=DateInput(), initial=_today)
    panel = forms.CharField(
        label=_label(Interview, "panel"),
        max_length=200,
        help_text=_("Who interviewed, e.g. town office, community, party branch."),
    )
    notes = forms.CharField(label=_label(Interview, "notes"), max_length=4000, widget=_text(3))
    passed = forms.TypedChoiceField(label=_("outcome"), choices=YES_NO, coerce=_yes, widget=forms.RadioSelect)


class SlateForm(forms.Form):
    candidates = forms.ModelMultipleChoiceField(
        label=_("candidates on the slate"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Candidates who passed both the review and the interview."),
    )
    seats = forms.IntegerField(
        label=_label(Campaign, "seats"),
        min_value=1,
        max_value=99,
        help_text=_("An odd number from 5 to 11; at least as many candidates as seats."),
    )
    notice_starts = forms.DateField(label=_label(Campaign, "notice_starts"), widget=DateInput(), initial=_today)

    def __init__(self, *args, campaign, **kwargs):
        kwargs.setdefault("initial", {"seats": campaign.seats})
        super().__init__(*args, **kwargs)
        field = self.fields["candidates"]
        field.queryset = (
            campaign.candidates.filter(status__in=PUBLISHABLE, interview__passed=True)
            .select_related("person")
            .order_by("pk")
        )
        field.label_from_instance = lambda c: c.person.name
        field.help_text = _(
            "Candidates who passed both the review and the interview. The public notice lasts %(days)s days."
        ) % {"days": campaign.notice_days}


class ObjectionLodgeForm(forms.Form):
    candidate = forms.ModelChoiceField(label=_label(Objection, "candidate"), queryset=None)
    text = forms.CharField(
        label=_label(Objection, "text"),
        max_length=4000,
        widget=_text(4),
        help_text=_(
            "Say what is wrong and how you know it. It is lodged in your own name and "
            "must be answered before the campaign meeting."
        ),
    )

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["candidate"]
        field.queryset = (
            campaign.candidates.filter(status=Candidate.Status.ON_SLATE).select_related("person").order_by("pk")
        )
        field.label_from_instance = lambda c: c.person.name


UPHELD = [
    ("no", _("not upheld: the candidate stays on the slate")),
    ("yes", _("upheld: the candidate is struck off the slate")),
]


class ObjectionAnswerForm(forms.Form):
    answer = forms.CharField(label=_label(Objection, "answer"), max_length=4000, widget=_text(3))
    upheld = forms.TypedChoiceField(
        label=_label(Objection, "upheld"), choices=UPHELD, coerce=_yes, widget=forms.RadioSelect
    )


# --- Campaign meeting -------------------------------------------------------------------------------


class CampaignMeetingForm(forms.Form):
    held_at = forms.DateTimeField(
        label=_label(CampaignMeeting, "held_at"),
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )
    place = forms.CharField(label=_label(CampaignMeeting, "place"), max_length=120)
    livestream_url = forms.URLField(
        label=_label(CampaignMeeting, "livestream_url"),
        required=False,
        assume_scheme="https",
        help_text=_("Owners who cannot come watch the meeting here."),
    )
    attendance = forms.IntegerField(label=_label(CampaignMeeting, "attendance"), min_value=0, required=False)


class SpeechForm(forms.Form):
    summary = forms.CharField(label=_label(Speech, "summary"), max_length=4000, widget=_text(3))
    pledge = forms.CharField(
        label=_label(Speech, "pledge"),
        max_length=4000,
        widget=_text(3),
        help_text=_("The performance pledge the candidate signed."),
    )
    pledge_signed_on = forms.DateField(label=_label(Speech, "pledge_signed_on"), widget=DateInput(), initial=_today)
