"""Shared API pieces: error format and helpers used by every router."""

from django.core.exceptions import ValidationError
from django.http import Http404


def validation_messages(exc: ValidationError) -> list[dict]:
    """[{field, message}] from a Django ValidationError, field '__all__' for non-field errors."""
    if hasattr(exc, "error_dict"):
        return [
            {"field": field, "message": str(message)}
            for field, errors in exc.message_dict.items()
            for message in errors
        ]
    return [{"field": "__all__", "message": str(message)} for message in exc.messages]


def register_error_handlers(api):
    @api.exception_handler(ValidationError)
    def on_validation_error(request, exc):
        return api.create_response(request, {"detail": validation_messages(exc)}, status=422)

    @api.exception_handler(Http404)
    def on_not_found(request, exc):
        return api.create_response(request, {"detail": "Not found"}, status=404)
