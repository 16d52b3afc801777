"""Forms of the appeal pages. They check the shape of the input; the services hold the rules."""

from ._common import STAFF_CHANNELS
from .actions import (
    ActionForm,
    CallbackForm,
    DepartmentForm,
    DispatchForm,
    ExtensionForm,
    MergeForm,
    NoteForm,
    RateForm,
    ReasonForm,
    ReassignForm,
    ResolveForm,
    SuperviseForm,
    plain,
)
from .filters import AppealFilterForm
from .intake import IntakeForm, MultipleFileInput, MultiplePhotoField, category_choices

__all__ = [
    "ActionForm",
    "AppealFilterForm",
    "CallbackForm",
    "DepartmentForm",
    "DispatchForm",
    "ExtensionForm",
    "IntakeForm",
    "MergeForm",
    "MultipleFileInput",
    "MultiplePhotoField",
    "NoteForm",
    "RateForm",
    "ReasonForm",
    "ReassignForm",
    "ResolveForm",
    "STAFF_CHANNELS",
    "SuperviseForm",
    "category_choices",
    "plain",
]
