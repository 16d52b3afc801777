"""The actions on an appeal, each declared once: its button, the message after it, its line in the timeline, the
page's form, whether it needs only a click, the service it calls and the arguments that service takes.

The detail page, its templates and the API read this table; the workflow (`workflow.APPEAL`) says in which states
a move may be taken and `rules.allowed` who may take it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from . import forms, services, workflow
from .models import Appeal


@dataclass(frozen=True)
class Action:
    name: str
    label: Promise  # the button
    done: Promise  # the message once it is done
    event: Promise  # its line in the timeline
    form: type  # the page's form
    service: Callable[..., Appeal]  # called with actor=, appeal=, version= and the arguments below
    takes: tuple[str, ...] = ()  # the service's other arguments, by name; the API's body has fields of these names
    page_fields: tuple[tuple[str, str], ...] = ()  # (argument, form field) where the page's form names it otherwise
    uploads: tuple[str, ...] = ()  # the service's file arguments: file fields of the page's form (not in the JSON API)
    one_click: bool = False  # nothing to fill in: a button beside the others, not a form

    def arguments(self, cleaned_data: dict) -> dict:
        """The service's arguments from the page form's cleaned data; a field the form left out (a callback's
        answers for a resident who rates personally) leaves the service's default."""
        renamed = dict(self.page_fields)
        fields = {name: renamed.get(name, name) for name in (*self.takes, *self.uploads)}
        return {name: cleaned_data[field] for name, field in fields.items() if field in cleaned_data}

    def run(self, *, actor, appeal: Appeal, version: int, **arguments) -> Appeal:
        return self.service(actor=actor, appeal=appeal, version=version, **arguments)


def _merge(*, actor, appeal: Appeal, version: int, into: Appeal) -> Appeal:
    return services.appeal_merge(actor=actor, duplicate=appeal, into=into, version=version)


_DECLARED = (
    Action(
        "accept",
        _("Accept"),
        _("Accepted."),
        _("Accepted"),
        forms.plain(forms.ActionForm),
        services.appeal_accept,
        one_click=True,
    ),
    Action(
        "dispatch",
        _("Escalate or dispatch"),
        _("Sent on."),
        _("Sent on"),
        forms.DispatchForm,
        services.appeal_dispatch,
        takes=("department", "reason"),
    ),
    Action(
        "start",
        _("Start handling"),
        _("Handling started."),
        _("Handling started"),
        forms.plain(forms.ActionForm),
        services.appeal_start,
        one_click=True,
    ),
    Action(
        "return",
        _("Return the order"),
        _("Returned to the dispatcher."),
        _("Returned"),
        forms.plain(forms.ReasonForm),
        services.appeal_return,
        takes=("reason",),
    ),
    Action(
        "reassign",
        _("Reassign to a department"),
        _("Reassigned."),
        _("Reassigned"),
        forms.ReassignForm,
        services.appeal_reassign,
        takes=("department", "reason"),
    ),
    Action(
        "request_extension",
        _("Request an extension"),
        _("Extension requested."),
        _("Extension requested"),
        forms.ExtensionForm,
        services.appeal_request_extension,
        takes=("days", "reason"),
    ),
    Action(
        "grant_extension",
        _("Grant the extension"),
        _("Extension granted."),
        _("Extension granted"),
        forms.plain(forms.ActionForm),
        services.appeal_grant_extension,
        one_click=True,
    ),
    Action(
        "refuse_extension",
        _("Refuse the extension"),
        _("Extension refused."),
        _("Extension refused"),
        forms.plain(forms.ReasonForm),
        services.appeal_refuse_extension,
        takes=("reason",),
    ),
    Action(
        "resolve",
        _("Resolve and reply"),
        _("Resolved; the resident has been told."),
        _("Resolved"),
        forms.plain(forms.ResolveForm),
        services.appeal_resolve,
        takes=("resolution", "via_four_party"),
        uploads=("photos",),
    ),
    Action(
        "callback",
        _("Record a callback"),
        _("Callback recorded."),
        _("Called back"),
        forms.CallbackForm,
        services.appeal_callback,
        takes=("reached", "note", "contacted", "solved", "rating"),
        page_fields=(("note", "reason"),),
    ),
    Action(
        "close",
        _("Close"),
        _("Closed."),
        _("Closed"),
        forms.plain(forms.NoteForm),
        services.appeal_close,
        takes=("reason",),
    ),
    Action(
        "reopen",
        _("Reopen"),
        _("Reopened; it will be handled again."),
        _("Reopened"),
        forms.plain(forms.ReasonForm),
        services.appeal_reopen,
        takes=("reason",),
    ),
    Action(
        "merge",
        _("Merge into another appeal"),
        _("Merged."),
        _("Merged"),
        forms.MergeForm,
        _merge,
        takes=("into",),
    ),
    Action(
        "supervise",
        _("Supervise"),
        _("Under supervision."),
        _("Under supervision"),
        forms.SuperviseForm,
        services.appeal_supervise,
        takes=("level", "note"),
        page_fields=(("note", "reason"),),
    ),
    Action(
        "rate",
        _("Rate the result"),
        _("Thank you for your rating."),
        _("Rated"),
        forms.plain(forms.RateForm),
        services.appeal_rate,
        takes=("contacted", "solved", "rating", "comment"),
    ),
)

# In the order the action panel shows them: the workflow's moves, then supervision and the resident's rating.
ACTIONS: dict[str, Action] = {action.name: action for action in _DECLARED}
assert list(ACTIONS) == [*workflow.APPEAL.moves, *workflow.OTHER_ACTIONS], "declare every action once, in order"

# Timeline lines of the events that are not actions someone takes.
OTHER_EVENTS = {"submit": _("Reported"), "overdue": _("Overdue")}


def event_label(action: str):
    if action in ACTIONS:
        return ACTIONS[action].event
    return OTHER_EVENTS.get(action, action)
