"""The staff work list's filters."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jiayuan.organisations import selectors as org_selectors
from jiayuan.organisations.models import Organisation
from jiayuan.places import selectors as place_selectors
from jiayuan.places.models import Community, Compound, Town

from .. import selectors
from ..models import Appeal, Category
from ..scores import scoring
from ._common import _flag_field, _label

# --- Staff work list --------------------------------------------------------------------


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
    received_from = forms.DateField(
        label=_("Received from"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    received_to = forms.DateField(
        label=_("Received to"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    # Any level of the catalogue: a category lists its children's appeals too.
    category = forms.ModelChoiceField(
        label=_label("category"), queryset=Category.objects.none(), required=False, empty_label=_("all")
    )
    channel = forms.ChoiceField(
        label=_label("channel"), required=False, choices=[("", _("all")), *Appeal.Channel.choices]
    )
    # A column of the list (selectors.APPEAL_SORTS), "-" first to reverse it. An unknown one is no error: the
    # list falls back to its default order, newest first.
    sort = forms.CharField(label=_("Sort by"), required=False)
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
        self.fields["category"].queryset = selectors.category_catalogue()
        self.fields["category"].label_from_instance = lambda category: category.path

    def clean_sort(self) -> str:
        raw = self.cleaned_data["sort"].strip()
        return raw if selectors.sort_known(raw) else ""

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("received_from"), cleaned.get("received_to")
        if first and last and last < first:
            self.add_error("received_to", _("It is before the first day, %(day)s.") % {"day": first.isoformat()})
        return cleaned

    def current_sort(self) -> str:
        """The order the list is in: the valid sort asked for, or the default (newest first)."""
        data = getattr(self, "cleaned_data", None) or {}
        return data.get("sort") or selectors.DEFAULT_SORT

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
            "channel": data.get("channel") or "",
            "category": data.get("category"),
            "received_from": data.get("received_from"),
            "received_to": data.get("received_to"),
            "order": data.get("sort") or "",
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
