"""Helpers every app's pages use: who may open a staff page, one page of a list, a form run through a service."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404

from .scope import scope_for

PAGE_SIZE = 50


def staff_required(view):
    """Logged in, and with a staff scope (places and people beyond one's own household); else 404."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not scope_for(request.user).is_staff_scope:
            raise Http404
        return view(request, *args, **kwargs)

    return login_required(wrapper)


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    """One page of 50 rows; a page number out of range shows the last page. `page.numbers` are the page numbers
    to offer (the first, the last and two either side of this one, with … between)."""
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    page.numbers = list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    return page


def apply_service_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError next to the fields it names, the rest above the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def save_form(request, form, write, message: str = ""):
    """Validate the form and run the service, `write(form.cleaned_data)`. The service's errors go beside the
    fields (through the form's own `apply_service_errors` when it has one) and nothing is saved. The service's
    result, or None when the form or the service refused."""
    if not form.is_valid():
        return None
    try:
        result = write(form.cleaned_data)
    except ValidationError as exc:
        if hasattr(form, "apply_service_errors"):
            form.apply_service_errors(exc)
        else:
            apply_service_errors(form, exc)
        return None
    if message:
        messages.success(request, message)
    return result


def sort_columns(keys, current: str) -> dict[str, dict]:
    """The state of each sortable column for a list sorted by `current` (a key, "-" first when reversed): how the
    column sorts the list now ("ascending", "descending" or "") and the sort its header asks for (this column;
    reversed when it already sorts the list). Drawn by the template "core/_sort_header.html"."""
    columns = {}
    for key in keys:
        if current == key:
            columns[key] = {"state": "ascending", "sort": f"-{key}"}
        elif current == f"-{key}":
            columns[key] = {"state": "descending", "sort": key}
        else:
            columns[key] = {"state": "", "sort": key}
    return columns


def sorted_by(queryset, sorts: dict, asked: str, default: str):
    """`queryset` ordered by the column `asked` for (a key of `sorts`, "-" first to reverse it; anything else:
    `default`), ties broken by primary key so pages hold every row once. Returns it and the sort in force."""
    current = asked if (asked or "").removeprefix("-") in sorts else default
    expression = sorts[current.removeprefix("-")]
    descending = current.startswith("-")
    ordering = [expression.desc() if descending else expression.asc(), "-pk" if descending else "pk"]
    return queryset.order_by(*ordering), current
