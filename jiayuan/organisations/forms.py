"""Forms of the organisation pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Organisation


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("kind"), required=False, choices=[("", _("all")), *Organisation.Kind.choices])
    history = forms.BooleanField(label=_("Include past owners' committees"), required=False)
