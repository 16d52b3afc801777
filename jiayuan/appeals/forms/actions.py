"""The forms of the actions on one appeal (appeals/actions.py says which action uses which)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jiayuan.core.scope import scope_for
from jiayuan.organisations.models import Organisation

from .. import selectors, services
from ..models import Appeal
from ._common import _yes_no_field
from .intake import MultiplePhotoField

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


class DepartmentField(forms.ModelChoiceField):
    """A department select whose catalogue suggestion says so in its label."""

    suggested_pk: int | None = None

    def label_from_instance(self, obj):
        if obj.pk == self.suggested_pk:
            return _("%(name)s (suggested by the catalogue)") % {"name": obj.name}
        return obj.name


class DepartmentForm(ActionForm):
    """Choose a city department. The select is ranked by `selectors.department_choices`: first the department the
    dispatch catalogue suggests for the appeal's category and place (marked "suggested by the catalogue"), then
    the other departments with a catalogue rule for that category (any area), then those with any rule in the
    catalogue, then the rest; by name within each group. Every unit is a city department to the model (bureaus,
    banks, hospitals and utilities alike), so the catalogue ranks them: units without a rule, such as the banks
    and hospitals, come last. The department the service would refuse (`refused`) is never suggested and comes
    last."""

    department = DepartmentField(
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
        ranked, suggestion = selectors.department_choices(viewer=viewer, appeal=appeal, excluding=self.refused(appeal))
        field = self.fields["department"]
        field.queryset = ranked
        field.suggested_pk = suggestion.pk if suggestion else None
        self.suggestion = suggestion

    def refused(self, appeal) -> tuple:
        """The departments the service refuses for this move."""
        return ()

    def suggest(self, field) -> None:
        """Preselect the catalogue's suggestion and say in the help text what the catalogue says."""
        if self.suggestion is not None and not self.is_bound:
            self.initial["department"] = self.suggestion.pk
        field.help_text = (
            _("Suggested by the dispatch catalogue: %(name)s") % {"name": self.suggestion.name}
            if self.suggestion
            else _("The dispatch catalogue has no rule here; choose a department.")
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
            self.suggest(field)

    def refused(self, appeal) -> tuple:
        return (appeal.unit_id,)  # already handling it


class ReassignForm(DepartmentForm):
    """After a return (退单): another department, and why it is the one."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why the order goes to this department.")},
    )

    def __init__(self, *args, viewer, appeal, **kwargs):
        super().__init__(*args, viewer=viewer, appeal=appeal, **kwargs)
        self.suggest(self.fields["department"])

    def refused(self, appeal) -> tuple:
        return (selectors.returned_by(appeal),)  # it has just sent the order back


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
    photos = MultiplePhotoField(
        label=_("Photos after the fix"),
        required=False,
        help_text=_("Optional: up to 6 photos of the fixed problem (JPEG, PNG or WebP), at most 5 MB each."),
    )


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
