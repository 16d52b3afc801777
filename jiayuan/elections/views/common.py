"""Small helpers shared by the election pages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError

from jiayuan.places.views import apply_service_errors


def run_service(request, form, write, message: str):
    """Validate the form, run the service with its data; service errors go beside the fields.

    Returns the service's result, or None when the form or the service refused (nothing was saved)."""
    if not form.is_valid():
        return None
    try:
        result = write(form.cleaned_data)
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return None
    messages.success(request, message)
    return result
