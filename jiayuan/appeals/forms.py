"""Forms of the appeal pages. They check the shape of the input; the services hold the rules."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jiayuan.core.scope import scope_for
from jiayuan.organisations import selectors as org_selectors
from jiayuan.organisations.models import Organisation
from jiayuan.places import selectors as place_selectors
from jiayuan.places.models import Building, Community, Compound, Room, Town

from . import scoring, selectors, services
from .models import Appeal

STAFF_CHANNELS = [
    (value, label)
    for value, label in Appeal.Channel.choices
    if value not in {Appeal.Channel.RESIDENT, Appeal.Channel.OPEN311}
]


def _label(name):
    return Appeal._meta.get_field(name).verbose_name


# --- Category picker --------------------------------------------------------------


def category_choices() -> list:
    """The usable categories grouped under their parents' path: a grouped select that works without JS."""
    groups: dict[str, list] = {}
    for node in selectors.usable_categories():
        parents = []
        parent = node.parent
        while parent is not None:
            parents.append(parent.name)
            parent = parent.parent
        group = " › ".join(reversed(parents)) or node.name
        groups.setdefault(group, []).append((node.pk, node.name))
    return [("", _("Choose the kind of problem")), *groups.items()]


# --- Multiple photos -------------------------------------------------------------------


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Up to six photos, each checked for content and size (services.checked) once: appeal_submit takes them as
    they are."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        items = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        files = [super(MultiplePhotoField, self).clean(item, initial) for item in items]
        files = [item for item in files if item]
        if len(files) > services.MAX_PHOTOS:
            raise ValidationError(_("At most %(count)s photos.") % {"count": services.MAX_PHOTOS})
        messages, photos = [], []
        for upload in files:
            try:
                photos.append(services.checked(upload))
            except ValidationError as exc:
                messages.extend(exc.message_dict.get("photos", exc.messages))
        if messages:
            raise ValidationError(messages)
        return photos


# --- Intake ----------------------------------------------------------------------------------


class IntakeForm(forms.Form):
    """A new appeal: a resident's own report, or staff entering one for a resident (`staff=True`)."""

    category = forms.TypedChoiceField(
        label=_label("category"),
        coerce=int,
        error_messages={
            "invalid_choice": _("Choose a category from the list; that one is unknown or no longer used."),
            "required": _("Choose the kind of problem."),
        },
    )
    title = forms.CharField(
        label=_label("title"),
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. Water pipe leaking in the stairwell")}),
        error_messages={"required": _("A short title is required.")},
    )
    description = forms.CharField(
        label=_label("description"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Describe the problem.")},
    )
    compound = forms.ModelChoiceField(
        label=_label("compound"),
        queryset=Compound.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Choose a compound you may report for.")},
    )
    building = forms.ModelChoiceField(
        label=_label("building"),
        queryset=Building.objects.none(),
        required=False,
        empty_label=_("the whole compound"),
        error_messages={"invalid_choice": _("The building is not in the compound.")},
    )
    room = forms.ModelChoiceField(
        label=_label("room"),
        queryset=Room.objects.none(),
        required=False,
        empty_label=_("no particular room"),
        error_messages={"invalid_choice": _("The room is not in the compound or building.")},
    )
    photos = MultiplePhotoField(
        label=_("Photos"), required=False, help_text=_("Up to 6 photos (JPEG, PNG or WebP), at most 5 MB each.")
    )
    contact_phone = forms.CharField(
        label=_label("contact_phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        help_text=_("Optional. Stored encrypted and shown masked."),
    )

    def __init__(self, *args, viewer, staff: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.viewer, self.staff = viewer, staff
        self.fields["category"].choices = category_choices()
        if staff:
            compounds = selectors.reportable_compounds(viewer=viewer, resident=False).order_by("code")
            self.fields["compound"].queryset = compounds
            if len(compounds[:2]) == 1:
                self.initial.setdefault("compound", compounds[0].pk)
            else:
                self.fields["compound"].empty_label = _("Choose the compound")
            self.fields["channel"] = forms.ChoiceField(label=_label("channel"), choices=STAFF_CHANNELS)
            self.fields["contact_name"] = forms.CharField(label=_("Reporter's name"), max_length=50, required=False)
            self.fields["contact_phone"].label = _("Reporter's phone")
            self.order_fields(
                [
                    "channel",
                    "contact_name",
                    "contact_phone",
                    "category",
                    "title",
                    "description",
                    "compound",
                    "building",
                    "room",
                    "photos",
                ]
            )
        else:
            own_rooms = place_selectors.room_list(viewer=viewer)
            self.own_rooms = own_rooms
            self.fields["compound"].queryset = selectors.reportable_compounds(viewer=viewer, resident=True).order_by(
                "code"
            )
            self.fields["compound"].error_messages["invalid_choice"] = _(
                "You can only report problems in the compound where you live."
            )
            self.fields["room"].error_messages["invalid_choice"] = _(
                "Choose one of your own rooms, or no particular room."
            )
            first = own_rooms.select_related("unit__building").order_by("pk").first()
            if first is not None and not self.is_bound:
                self.initial.setdefault("compound", first.unit.building.compound_id)
                self.initial.setdefault("building", first.unit.building_id)
                self.initial.setdefault("room", first.pk)
        self._limit_places()
        places_url = reverse("appeals:intake_places")
        for name, include in (("compound", "[name=compound]"), ("building", "[name=compound],[name=building]")):
            self.fields[name].widget.attrs.update(
                {
                    "hx-get": places_url,
                    "hx-include": include,
                    "hx-target": "#intake-places",
                    "hx-swap": "outerHTML",
                    "hx-trigger": "change",
                }
            )
        self.fields["building"].label_from_instance = lambda building: building.number

    def _chosen(self, name, queryset):
        raw = self.data.get(name) if self.is_bound else self.initial.get(name)
        if raw in (None, ""):
            return None
        try:
            return queryset.filter(pk=int(getattr(raw, "pk", raw))).first()
        except (TypeError, ValueError):
            return None

    def _limit_places(self) -> None:
        """Buildings of the chosen compound; rooms of the chosen building (a resident's own rooms only)."""
        compound = self._chosen("compound", self.fields["compound"].queryset)
        if compound is None:
            return
        if self.staff:
            buildings = place_selectors.building_list(viewer=self.viewer, compound=compound)
        else:
            buildings = Building.objects.filter(compound=compound)
        self.fields["building"].queryset = buildings.order_by("number")
        building = self._chosen("building", buildings)
        rooms = place_selectors.room_list(viewer=self.viewer).filter(unit__building__compound=compound)
        if building is not None:
            rooms = rooms.filter(unit__building=building)
        self.fields["room"].queryset = rooms.select_related("unit__building").order_by(
            "unit__building__number", "unit__number", "floor", "number"
        )
        self.fields["room"].label_from_instance = lambda room: (
            f"{room.unit.building.number} {room.unit.number} {room.number}"
        )

    def clean_category(self):
        category = selectors.usable_categories().filter(pk=self.cleaned_data["category"]).first()
        if category is None:
            raise ValidationError(self.fields["category"].error_messages["invalid_choice"])
        return category

    def clean(self):
        data = super().clean()
        building, room = data.get("building"), data.get("room")
        if room is not None and building is not None and room.unit.building_id != building.pk:
            self.add_error("room", _("The room is not in the building."))
        return data

    def submit_arguments(self) -> dict:
        data = self.cleaned_data
        room = data.get("room")
        arguments = {
            "category": data["category"],
            "title": data["title"],
            "description": data["description"],
            "compound": data["compound"],
            "building": data.get("building") or (room.unit.building if room else None),
            "room": room,
            "photos": data.get("photos") or [],
            "contact_phone": data.get("contact_phone", ""),
        }
        if self.staff:
            arguments.update(channel=data["channel"], contact_name=data.get("contact_name", ""))
        else:
            arguments["channel"] = Appeal.Channel.RESIDENT
        return arguments


# --- Staff work list --------------------------------------------------------------------


def _yes_no_field(label, *, required: bool, empty_label=None, **kwargs) -> forms.TypedChoiceField:
    """A yes/no question: True, False, or (not required, unanswered) None."""
    choices = [("yes", _("yes")), ("no", _("no"))]
    if empty_label is not None:
        choices.insert(0, ("", empty_label))
    return forms.TypedChoiceField(
        label=label,
        choices=choices,
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=required,
        widget=forms.RadioSelect,
        **kwargs,
    )


def _flag_field(label, *, tri_state: bool = False) -> forms.TypedChoiceField:
    """A query-string flag: 1 (and, tri-state, 0); absent leaves the filter out (None)."""
    choices = [("", _("all")), ("1", _("yes"))] + ([("0", _("no"))] if tri_state else [])
    return forms.TypedChoiceField(
        label=label, choices=choices, coerce=lambda value: value == "1", empty_value=None, required=False
    )


class AppealFilterForm(forms.Form):
    """The work list's filters: the toolbar's own, and those the scores page links carry (see
    scoring.filter_appeals), shown as chips. Invalid input is an error naming the field, never ignored."""

    q = forms.CharField(label=_("Number or title"), required=False, max_length=100)
    status = forms.ChoiceField(label=_label("status"), required=False, choices=[("", _("all")), *Appeal.Status.choices])
    open_only = forms.BooleanField(label=_("Open only"), required=False)
    overdue = forms.BooleanField(label=_("Overdue"), required=False)
    compound = forms.ModelChoiceField(
        label=_label("compound"), queryset=Compound.objects.none(), required=False, empty_label=_("all")
    )
    unit = forms.ModelChoiceField(
        label=_label("unit"), queryset=Organisation.objects.none(), required=False, empty_label=_("all")
    )
    # The figures of the scores page (scoring.filter_appeals).
    month = forms.CharField(label=_("Received in"), required=False, max_length=20)
    town = forms.ModelChoiceField(label=_("Town"), queryset=Town.objects.none(), required=False)
    community = forms.ModelChoiceField(label=_("Community"), queryset=Community.objects.none(), required=False)
    level = forms.ChoiceField(label=_label("level"), required=False, choices=[("", _("all")), *Appeal.Level.choices])
    rated = _flag_field(_("Rated"), tri_state=True)
    contacted = _flag_field(_("Resident says they were contacted"), tri_state=True)
    solved = _flag_field(_("Resident says the problem was solved"), tri_state=True)
    rating = forms.CharField(label=_label("rating"), required=False, max_length=60)
    resolved = _flag_field(_("Resolved"))
    resolved_level = forms.ChoiceField(
        label=_label("resolved_level"), required=False, choices=[("", _("all")), *Appeal.Level.choices]
    )
    four_party = _flag_field(_("Solved through a four-party meeting"))
    returned_by = forms.ModelChoiceField(label=_("Returned by"), queryset=Organisation.objects.none(), required=False)

    FIGURE_FIELDS = (
        "month",
        "town",
        "community",
        "level",
        "rated",
        "contacted",
        "solved",
        "rating",
        "resolved",
        "resolved_level",
        "four_party",
        "returned_by",
    )
    # Shown as chips when set: the figure filters, and the compound and unit the scores page links name.
    CHIP_FIELDS = (
        "month",
        "town",
        "community",
        "compound",
        "unit",
        "level",
        "rated",
        "contacted",
        "solved",
        "rating",
        "resolved",
        "resolved_level",
        "four_party",
        "returned_by",
    )

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["compound"].queryset = place_selectors.compound_list(viewer=viewer).order_by("code")
        self.fields["town"].queryset = place_selectors.town_list(viewer=viewer)
        self.fields["community"].queryset = place_selectors.community_list(viewer=viewer)
        self.fields["unit"].queryset = (
            org_selectors.organisation_list(viewer=viewer)
            .filter(
                kind__in=[
                    Organisation.Kind.COMPOUND_BRANCH,
                    Organisation.Kind.COMMUNITY_PARTY,
                    Organisation.Kind.DEPARTMENT,
                ]
            )
            .order_by("kind", "name")
        )
        self.fields["returned_by"].queryset = org_selectors.organisation_list(
            viewer=viewer, kind=Organisation.Kind.DEPARTMENT
        ).order_by("name")

    def clean_month(self):
        raw = self.cleaned_data["month"].strip()
        if not raw:
            return None
        try:
            return scoring.Month.parse(raw)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["month"]) from None

    def clean_rating(self):
        values = tuple(value.strip() for value in self.cleaned_data["rating"].split(",") if value.strip())
        unknown = [value for value in values if value not in Appeal.Rating.values]
        if unknown:
            raise ValidationError(
                _("Unknown rating %(value)s; use satisfied, basic or dissatisfied, separated by commas.")
                % {"value": ", ".join(unknown)[:40]}
            )
        return values

    def filters(self) -> dict:
        """The arguments of selectors.appeal_list (empty when the form has errors: the view shows them)."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {
            "search": data.get("q") or "",
            "status": data.get("status") or None,
            "open_only": bool(data.get("open_only")),
            "overdue": bool(data.get("overdue")),
            "compound": data.get("compound"),
            "unit": data.get("unit"),
        }

    def figure_filters(self) -> dict:
        """The arguments of scoring.filter_appeals."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {
            "month": data.get("month"),
            "town": data.get("town"),
            "community": data.get("community"),
            "level": data.get("level") or "",
            "rated": data.get("rated"),
            "contacted": data.get("contacted"),
            "solved": data.get("solved"),
            "ratings": data.get("rating") or (),
            "resolved": bool(data.get("resolved")),
            "resolved_level": data.get("resolved_level") or "",
            "four_party": bool(data.get("four_party")),
            "returned_by": data.get("returned_by"),
        }

    def active_chips(self) -> list[tuple[str, str, str]]:
        """(parameter, label, value shown) of each chip filter in use."""
        if not (self.is_bound and self.is_valid()):
            return []
        data, chips = self.cleaned_data, []
        for name in self.CHIP_FIELDS:
            value = data.get(name)
            if value in (None, "", ()):
                continue
            field = self.fields[name]
            if name == "month":
                shown = str(value)
            elif name == "rating":
                shown = "、".join(str(Appeal.Rating(item).label) for item in value)
            elif name in ("level", "resolved_level"):
                shown = str(Appeal.Level(value).label)
            elif isinstance(value, bool):
                shown = str(_("yes") if value else _("no"))
            else:
                shown = getattr(value, "name", str(value))
            chips.append((name, str(field.label), shown))
        return chips


# --- Actions on one appeal ------------------------------------------------------------------


class ActionForm(forms.Form):
    """Every action carries the version of the appeal the viewer saw (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ReasonForm(ActionForm):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("A reason is required.")},
    )


class NoteForm(ActionForm):
    reason = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DepartmentForm(ActionForm):
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Organisation.objects.none(),
        error_messages={
            "required": _("Choose the department."),
            "invalid_choice": _("Choose a city department from the list."),
        },
    )
    reason = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, viewer, appeal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = (
            org_selectors.organisation_list(viewer=viewer, kind=Organisation.Kind.DEPARTMENT)
            .filter(dissolved_on__isnull=True)
            .order_by("name")
        )


class DispatchForm(DepartmentForm):
    """Escalate: to the community (the compound's only choice by default), or blow the whistle to a department."""

    def __init__(self, *args, viewer, appeal, **kwargs):
        super().__init__(*args, viewer=viewer, appeal=appeal, **kwargs)
        field = self.fields["department"]
        field.label = _("Send to")
        if appeal.level == Appeal.Level.COMPOUND:
            field.required = False
            field.empty_label = _("the community (escalate)")
        else:
            field.empty_label = None if field.queryset.exists() else "—"
            suggestion = services.department_for(category=appeal.category, compound=appeal.compound)
            self.suggestion = suggestion
            if suggestion is not None and not self.is_bound:
                self.initial["department"] = suggestion.pk
            field.help_text = (
                _("Suggested by the dispatch catalogue: %(name)s") % {"name": suggestion.name}
                if suggestion
                else _("The dispatch catalogue has no rule here; choose a department.")
            )


class ReassignForm(DepartmentForm):
    pass


class ExtensionForm(ActionForm):
    days = forms.IntegerField(label=_("Working days"), min_value=1, max_value=services.MAX_EXTENSION_DAYS)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("A reason is required.")},
    )

    def __init__(self, *args, viewer, appeal, **kwargs):
        super().__init__(*args, **kwargs)
        left = services.MAX_EXTENSION_DAYS - appeal.extension_days
        self.fields["days"].max_value = max(left, 1)
        self.fields["days"].widget.attrs["max"] = max(left, 1)
        self.fields["days"].help_text = _("At most %(left)s more working days.") % {"left": left}


class ResolveForm(ActionForm):
    resolution = forms.CharField(
        label=_("Reply to the resident"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Tell the resident what was done.")},
    )
    via_four_party = forms.BooleanField(label=_("Solved through a four-party meeting"), required=False)


class CallbackForm(ActionForm):
    """The call back (回访). For a resident without an account the caller may record the resident's three
    answers (all three, or none); a resident with an account rates personally, so the questions are left out."""

    reached = forms.TypedChoiceField(
        label=_("Resident reached?"),
        coerce=lambda value: value == "yes",
        choices=[("yes", _("yes")), ("no", _("no"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, viewer, appeal, **kwargs):
        super().__init__(*args, **kwargs)
        self.asks_answers = not services.reporter_has_account(appeal)
        if self.asks_answers:
            self.fields["contacted"] = _yes_no_field(
                _("The resident's answer: were you contacted by the handling unit?"),
                required=False,
                empty_label=_("not asked"),
            )
            self.fields["solved"] = _yes_no_field(
                _("The resident's answer: was the problem solved?"), required=False, empty_label=_("not asked")
            )
            self.fields["rating"] = forms.ChoiceField(
                label=_("The resident's answer: how satisfied are you with the result?"),
                required=False,
                choices=[("", _("not asked")), *Appeal.Rating.choices],
                widget=forms.RadioSelect,
            )


class MergeForm(ActionForm):
    into = forms.CharField(
        label=_("Merge into appeal number"),
        max_length=20,
        error_messages={"required": _("Give the number of the appeal to merge into.")},
    )

    def __init__(self, *args, viewer, appeal, **kwargs):
        super().__init__(*args, **kwargs)
        self.viewer = viewer

    def clean_into(self):
        number = self.cleaned_data["into"].strip()
        target = selectors.appeal_list(viewer=self.viewer).filter(number=number).first()
        if target is None:
            raise ValidationError(_("No appeal numbered %(number)s that you can see.") % {"number": number})
        return target


class SuperviseForm(ActionForm):
    level = forms.ChoiceField(label=_("Supervision by"), choices=[])
    reason = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, viewer, appeal, **kwargs):
        super().__init__(*args, **kwargs)
        levels = [Appeal.Supervision.CITY] if scope_for(viewer).everything else [Appeal.Supervision.TOWN]
        self.fields["level"].choices = [(level.value, level.label) for level in levels]


class RateForm(ActionForm):
    """The three questions of the 12345 hotlines' return visit, answered by the resident."""

    contacted = _yes_no_field(
        _("Were you contacted by the handling unit?"),
        required=True,
        error_messages={"required": _("Say whether the handling unit contacted you (yes or no).")},
    )
    solved = _yes_no_field(
        _("Was the problem solved?"),
        required=True,
        error_messages={"required": _("Say whether the problem was solved (yes or no).")},
    )
    rating = forms.ChoiceField(
        label=_("How satisfied are you with the result?"),
        choices=Appeal.Rating.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose satisfied, basically satisfied or dissatisfied.")},
    )
    comment = forms.CharField(
        label=_("Comment"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


def plain(cls):
    """Forms with no viewer-dependent fields still accept (and ignore) viewer= and appeal=."""

    class Plain(cls):
        def __init__(self, *args, viewer=None, appeal=None, **kwargs):
            super().__init__(*args, **kwargs)

    Plain.__name__ = cls.__name__
    return Plain
