from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .definitions import ROSTERS

DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def max_upload_bytes() -> int:
    return getattr(settings, "ROSTER_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES)


class RosterUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Roster"), choices=[(kind, roster.title) for kind, roster in ROSTERS.items()])
    file = forms.FileField(label=_("Excel file (.xlsx)"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > max_upload_bytes():
            raise forms.ValidationError(
                _("The file is larger than %(max)s; split it into several files.")
                % {"max": filesizeformat(max_upload_bytes())}
            )
        return upload
