from .scope import scope_for


def viewer(request):
    return {"scope": scope_for(getattr(request, "user", None))}
