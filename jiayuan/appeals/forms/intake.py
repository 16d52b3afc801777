"""The intake form: the category picker, photos, the place of the problem."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jiayuan.places import selectors as place_selectors
from jiayuan.places.models import Building, Compound, Room

from .. import selectors, services
from ..models import Appeal
from ._common import STAFF_CHANNELS, _label

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

    def __init__(self, *args, viewer, staff: bool, choosing_place: bool = False, **kwargs):
        """`choosing_place`: the form is bound to the place choices of a half-filled page (the htmx refresh of the
        building and room fields), not to a report being sent."""
        super().__init__(*args, **kwargs)
        self.viewer, self.staff = viewer, staff
        self.choosing_place = choosing_place or not self.is_bound
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
        if not self.staff and building is not None and self.choosing_place:
            self._default_to_own_room(self.fields["room"].queryset)

    def _default_to_own_room(self, own_rooms) -> None:
        """A resident who picks a building they live in most often reports on their home: the room choice starts
        at their own room there, not at the common parts, which stay one choice away. A room already chosen in
        the building (or the common parts chosen in so many words) is kept."""
        source = self.data if self.is_bound else self.initial
        raw = source.get("room")
        if raw == "" and "room" in source:
            return  # the common parts, chosen
        if raw is not None and self._chosen("room", own_rooms) is not None:
            return
        home = own_rooms.first()
        if home is None:
            return
        if self.is_bound:
            self.data = self.data.copy()
            self.data["room"] = str(home.pk)
        else:
            self.initial["room"] = home.pk

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
