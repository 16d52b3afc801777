"""Forms of the compound pages. They check the shape of the input; the services hold the rules."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import selectors
from .models import Compound, Room


def _label(model, name):
    return model._meta.get_field(name).verbose_name


class CompoundFilterForm(forms.Form):
    """Search and filters of the compound list; the place choices hold only what the viewer may see."""

    q = forms.CharField(label=_("Search"), required=False, max_length=80)
    town = forms.ModelChoiceField(label=_("town or subdistrict"), queryset=None, required=False, empty_label=_("all"))
    community = forms.ModelChoiceField(
        label=_("community or village"), queryset=None, required=False, empty_label=_("all")
    )
    kind = forms.ChoiceField(
        label=_label(Compound, "kind"), required=False, choices=[("", _("all")), *Compound.Kind.choices]
    )
    management = forms.ChoiceField(
        label=_label(Compound, "management"), required=False, choices=[("", _("all")), *Compound.Management.choices]
    )

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        towns = selectors.town_list(viewer=viewer)
        communities = selectors.community_list(viewer=viewer)
        self.fields["town"].queryset = towns
        self.fields["community"].queryset = communities
        # A filter with nothing to choose from is left out (e.g. compound staff see one compound).
        if not towns.exists():
            del self.fields["town"]
        if not communities.exists():
            del self.fields["community"]
        if "community" in self.fields:
            self.fields["community"].label_from_instance = lambda c: f"{c.town.name} · {c.name}"

    def filters(self) -> dict:
        """Arguments for places.selectors.compound_search from the fields that are valid."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "search": data.get("q") or "",
            "town": data.get("town"),
            "community": data.get("community"),
            "kind": data.get("kind") or "",
            "management": data.get("management") or "",
        }


class CompoundForm(forms.Form):
    """The facts of a compound its community or town may correct; saved through places.services.compound_update."""

    name = forms.CharField(label=_label(Compound, "name"), max_length=80)
    kind = forms.ChoiceField(label=_label(Compound, "kind"), choices=Compound.Kind.choices)
    year_built = forms.IntegerField(
        label=_label(Compound, "year_built"),
        required=False,
        min_value=1900,
        error_messages={"min_value": _("The year built must be 1900 or later.")},
    )
    management = forms.ChoiceField(label=_label(Compound, "management"), choices=Compound.Management.choices)
    address = forms.CharField(label=_label(Compound, "address"), max_length=200, required=False)
    reason = forms.CharField(
        label=_("Reason for the change"), max_length=200, help_text=_("Goes on the compound's record with the change.")
    )

    def clean_year_built(self):
        year = self.cleaned_data["year_built"]
        if year is not None and year > timezone.localdate().year:
            raise forms.ValidationError(_("The year built cannot be in the future."))
        return year


class RoomAreaForm(forms.Form):
    """A correction of a room's exclusive area; places.services.room_update_area checks it is positive."""

    area = forms.DecimalField(label=_label(Room, "area"), max_digits=9, decimal_places=2)
    area_source = forms.ChoiceField(label=_label(Room, "area_source"), choices=Room.AreaSource.choices)
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=200,
        help_text=_("Goes on the room's record with the change, e.g. the survey report's number."),
    )
