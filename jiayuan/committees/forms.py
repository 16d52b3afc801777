"""Forms of the committee pages. They check the shape of the input; the services hold the rules."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import selectors
from .models import DutyItem, Evaluation, Filing, InspectionResult, RectificationTask, SelfInspection


def _label(model, name):
    return model._meta.get_field(name).verbose_name


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _today():
    return timezone.localdate()


class FilingForm(forms.Form):
    filed_on = forms.DateField(label=_label(Filing, "filed_on"), widget=DateInput(), initial=_today)
    filed_with_housing = forms.BooleanField(label=_label(Filing, "filed_with_housing"), required=False)
    filed_with_town = forms.BooleanField(
        label=_label(Filing, "filed_with_town"),
        required=False,
        help_text=_("The law asks for both; tick what has been done."),
    )
    reference = forms.CharField(
        label=_label(Filing, "reference"),
        max_length=50,
        required=False,
        help_text=_("The number on the filing receipt, if there is one."),
    )
    note = forms.CharField(label=_label(Filing, "note"), max_length=300, required=False)


class DutyItemForm(forms.Form):
    list = forms.ChoiceField(label=_label(DutyItem, "list"), choices=DutyItem.List.choices)
    text = forms.CharField(
        label=_label(DutyItem, "text"),
        max_length=200,
        help_text=_("One duty (what the committee must do) or one prohibition (what it must not)."),
    )
    position = forms.IntegerField(
        label=_label(DutyItem, "position"),
        min_value=0,
        max_value=32767,
        required=False,
        help_text=_("Leave empty to add it at the end of the list."),
    )


class DutyItemEditForm(forms.Form):
    text = forms.CharField(label=_label(DutyItem, "text"), max_length=200)
    position = forms.IntegerField(label=_label(DutyItem, "position"), min_value=0, max_value=32767)
    active = forms.BooleanField(
        label=_label(DutyItem, "active"),
        required=False,
        help_text=_("Items no longer in use are left out of new self-inspection rounds."),
    )


class InspectionStartForm(forms.Form):
    held_on = forms.DateField(label=_label(SelfInspection, "held_on"), widget=DateInput(), initial=_today)
    note = forms.CharField(label=_label(SelfInspection, "note"), max_length=300, required=False)


RESULT_CHOICES = [("", _("not answered yet")), *InspectionResult.Result.choices]


class InspectionAnswerForm(forms.Form):
    """One result choice and one note per item of the round: fields result_<item id> and note_<item id>."""

    def __init__(self, *args, results, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for result in results:
            item = result.item
            self.fields[f"result_{item.pk}"] = forms.ChoiceField(
                label=item.text, choices=RESULT_CHOICES, required=False, initial=result.result, widget=forms.RadioSelect
            )
            self.fields[f"note_{item.pk}"] = forms.CharField(
                label=_("note"),
                max_length=500,
                required=False,
                initial=result.note,
                widget=forms.TextInput(attrs={"placeholder": _("Required when not met")}),
            )
            self.rows.append((result, f"result_{item.pk}", f"note_{item.pk}"))

    def answers(self) -> dict[int, tuple[str, str]]:
        data = self.cleaned_data
        return {
            result.item_id: (data.get(result_field) or "", data.get(note_field) or "")
            for result, result_field, note_field in self.rows
        }

    def bound_rows(self):
        """(result, item, result field, note field) for the template."""
        return [
            (result, result.item, self[result_field], self[note_field])
            for result, result_field, note_field in self.rows
        ]


class InspectionCloseForm(forms.Form):
    due_on = forms.DateField(
        label=_("rectification due on"),
        widget=DateInput(),
        required=False,
        help_text=_("Each item not met becomes a rectification task due on this day."),
    )


class TaskCompleteForm(forms.Form):
    done_on = forms.DateField(label=_label(RectificationTask, "done_on"), widget=DateInput(), initial=_today)
    done_note = forms.CharField(
        label=_label(RectificationTask, "done_note"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, task=None, **kwargs):
        prefix = f"task{task.pk}" if task is not None else None
        super().__init__(*args, prefix=prefix, **kwargs)


class EvaluationForm(forms.Form):
    post = forms.ModelChoiceField(label=_label(Evaluation, "post"), queryset=None)
    outcome = forms.ChoiceField(
        label=_label(Evaluation, "outcome"),
        choices=Evaluation.Outcome.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Removal ends the member's post on the day decided. Ordered rectification "
            "sets the committee a task with a due date."
        ),
    )
    reason = forms.CharField(
        label=_label(Evaluation, "reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    decided_on = forms.DateField(label=_label(Evaluation, "decided_on"), widget=DateInput(), initial=_today)
    led_by = forms.CharField(
        label=_label(Evaluation, "led_by"),
        max_length=100,
        initial=_("the organisation department and the housing department"),
    )
    due_on = forms.DateField(
        label=_("rectification due on"),
        widget=DateInput(),
        required=False,
        help_text=_("Only for ordered rectification."),
    )
    task_description = forms.CharField(
        label=_("what must be put right"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only for ordered rectification; the reason is used if empty."),
    )

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = selectors.member_posts(committee=committee)
        self.fields["post"].label_from_instance = lambda post: f"{post.person.name} · {post.get_role_display()}"


class CityForm(forms.Form):
    city = forms.ModelChoiceField(label=_("city"), queryset=None, empty_label=None, required=False)

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = selectors.visible_cities(viewer=viewer)
