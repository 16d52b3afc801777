"""What the appeal forms share: the staff channels, model labels, yes/no fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Appeal

STAFF_CHANNELS = [
    (value, label)
    for value, label in Appeal.Channel.choices
    if value not in {Appeal.Channel.RESIDENT, Appeal.Channel.OPEN311}
]


def _label(name):
    return Appeal._meta.get_field(name).verbose_name


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
