"""Forms of the people pages."""

from django import forms
from django.utils.translation import gettext_lazy as _


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"), required=False, max_length=50, help_text=_("Part of a name, or a whole ID or phone number.")
    )
