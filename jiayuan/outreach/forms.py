"""Forms of the outreach pages. They check the shape of the input; the services hold the rules."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiayuan.appeals.models import Appeal
from jiayuan.appeals.selectors import category_tree
from jiayuan.core.forms import DescribedChoiceField
from jiayuan.organisations.models import DepartmentLink
from jiayuan.places.selectors import compound_list, town_list

from . import selectors
from .models import DepartmentAction, Dispute, ReceptionSession, ServiceRecord, Visitor


def _label(model, name):
    return model._meta.get_field(name).verbose_name


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


def _today():
    return timezone.localdate()


class MonthField(forms.CharField):
    """A month as YYYY-MM (the browser's month input); cleaned to the first day of the month."""

    widget = forms.TextInput(attrs={"type": "month"})

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return dt.datetime.strptime(value, "%Y-%m").date()
        except ValueError as exc:
            raise forms.ValidationError(_("Enter a month as YYYY-MM.")) from exc


# --- Reception days ------------------------------------------------------------------


class SessionFilterForm(forms.Form):
    town = forms.ModelChoiceField(label=_("town or subdistrict"), queryset=None, required=False, empty_label=_("all"))
    month = MonthField(label=_("month"), required=False)

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["town"].queryset = town_list(viewer=viewer).order_by("code")


class SessionForm(forms.Form):
    leader = DescribedChoiceField(label=_label(ReceptionSession, "leader"), queryset=None)
    compound = forms.ModelChoiceField(label=_label(ReceptionSession, "compound"), queryset=None)
    organiser = forms.ModelChoiceField(label=_label(ReceptionSession, "organiser"), queryset=None)
    held_on = forms.DateField(label=_label(ReceptionSession, "held_on"), widget=DateInput(), initial=_today)
    starts_at = forms.TimeField(label=_label(ReceptionSession, "starts_at"), widget=TimeInput(), initial=dt.time(9))
    ends_at = forms.TimeField(label=_label(ReceptionSession, "ends_at"), widget=TimeInput(), initial=dt.time(11, 30))
    place = forms.CharField(label=_label(ReceptionSession, "place"), max_length=100)
    note = forms.CharField(label=_label(ReceptionSession, "note"), max_length=200, required=False)

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        leaders = selectors.leader_candidates(viewer=viewer)
        self.fields["leader"].queryset = leaders
        self.fields["leader"].describe = selectors.posts_described(leaders)  # 丁玲 · 青阳街道办事处 副主任
        self.fields["compound"].queryset = compound_list(viewer=viewer)
        self.fields["organiser"].queryset = selectors.organiser_candidates(viewer=viewer)


class VisitorForm(forms.Form):
    name = forms.CharField(label=_label(Visitor, "name"), max_length=50)
    phone = forms.CharField(label=_label(Visitor, "phone"), max_length=20, required=False)
    people_count = forms.IntegerField(label=_label(Visitor, "people_count"), min_value=1, max_value=500, initial=1)
    issues = forms.CharField(
        label=_label(Visitor, "issues"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class IssueForm(forms.Form):
    visitor = forms.ModelChoiceField(label=_("visitor"), queryset=None, required=False, empty_label=_("none"))
    category = forms.ModelChoiceField(label=_("category"), queryset=None)
    title = forms.CharField(label=_("title"), max_length=100)
    description = forms.CharField(label=_("description"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visitor"].queryset = selectors.session_visitors(session=session)
        self.fields["category"].queryset = category_tree()
        self.fields["category"].label_from_instance = lambda category: category.path


# --- Linked departments ------------------------------------------------------------------


class LinkForm(forms.Form):
    department = forms.ModelChoiceField(label=_label(DepartmentLink, "department"), queryset=None)
    compound = forms.ModelChoiceField(label=_label(DepartmentLink, "compound"), queryset=None)
    start_date = forms.DateField(label=_label(DepartmentLink, "start_date"), widget=DateInput(), initial=_today)
    reason = forms.ChoiceField(label=_label(DepartmentLink, "reason"), choices=DepartmentLink.Reason.choices)
    note = forms.CharField(label=_label(DepartmentLink, "note"), max_length=200, required=False)

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = selectors.department_choices()
        self.fields["compound"].queryset = selectors.linkable_compounds(viewer=viewer)


class LinkEndForm(forms.Form):
    end_date = forms.DateField(label=_label(DepartmentLink, "end_date"), widget=DateInput(), initial=_today)


class ActionForm(forms.Form):
    done_on = forms.DateField(label=_label(DepartmentAction, "done_on"), widget=DateInput(), initial=_today)
    done_by = forms.CharField(label=_label(DepartmentAction, "done_by"), max_length=100)
    description = forms.CharField(
        label=_label(DepartmentAction, "description"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


# --- Service log ----------------------------------------------------------------------------


class ServiceFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_label(ServiceRecord, "kind"), required=False, choices=[("", _("all")), *ServiceRecord.Kind.choices]
    )
    month = MonthField(label=_("month"), required=False)


class ServiceRecordForm(forms.Form):
    member = forms.ModelChoiceField(label=_label(ServiceRecord, "member"), queryset=None)
    served_on = forms.DateField(label=_label(ServiceRecord, "served_on"), widget=DateInput(), initial=_today)
    hours = forms.DecimalField(label=_label(ServiceRecord, "hours"), max_digits=4, decimal_places=1)
    kind = forms.ChoiceField(label=_label(ServiceRecord, "kind"), choices=ServiceRecord.Kind.choices)
    description = forms.CharField(
        label=_label(ServiceRecord, "description"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = selectors.in_service_members(viewer=viewer)
        self.fields["member"].label_from_instance = lambda m: (
            f"{m.person.name} · {m.workplace or '—'} · {m.reports_to.name}"
        )


# --- Dispute register ---------------------------------------------------------------------------


class DisputeFilterForm(forms.Form):
    risk = forms.ChoiceField(
        label=_label(Dispute, "risk"), required=False, choices=[("", _("all")), *Dispute.Risk.choices]
    )
    status = forms.ChoiceField(
        label=_label(Dispute, "status"), required=False, choices=[("", _("all")), *Dispute.Status.choices]
    )


class DisputeForm(forms.Form):
    compound = forms.ModelChoiceField(label=_label(Dispute, "compound"), queryset=None)
    found_on = forms.DateField(label=_label(Dispute, "found_on"), widget=DateInput(), initial=_today)
    found_by = forms.CharField(label=_label(Dispute, "found_by"), max_length=50)
    parties = forms.CharField(
        label=_label(Dispute, "parties"), max_length=300, help_text=_("Names only: no ID or phone numbers.")
    )
    category = forms.ChoiceField(label=_label(Dispute, "category"), choices=Dispute.Category.choices)
    risk = forms.ChoiceField(label=_label(Dispute, "risk"), choices=Dispute.Risk.choices)
    description = forms.CharField(
        label=_label(Dispute, "description"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["compound"].queryset = compound_list(viewer=viewer)


class DisputeResolveForm(forms.Form):
    handled_on = forms.DateField(label=_label(Dispute, "handled_on"), widget=DateInput(), initial=_today)
    outcome = forms.CharField(
        label=_label(Dispute, "outcome"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class DisputeEscalateForm(forms.Form):
    category = forms.ModelChoiceField(label=_("appeal category"), queryset=None)
    channel = forms.ChoiceField(
        label=_("channel"),
        choices=[
            (Appeal.Channel.GRID_WORKER.value, Appeal.Channel.GRID_WORKER.label),
            (Appeal.Channel.RECEPTION.value, Appeal.Channel.RECEPTION.label),
        ],
    )
    title = forms.CharField(label=_("title"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = category_tree()
        self.fields["category"].label_from_instance = lambda category: category.path
