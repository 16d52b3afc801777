from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from .scope import CITY, COMMUNITY, COMPOUND, TOWN, scope_for


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


@login_required
def home(request):
    """Send each role to the page it starts from."""
    scope = scope_for(request.user)
    if scope.role in {CITY, TOWN, COMMUNITY, COMPOUND}:
        return redirect("dashboard:coverage")
    from jiayuan.places.views import home_context

    return render(request, "core/home.html", home_context(request.user))


@login_required
def history(request, object_type, object_id):
    from .selectors import history_visible

    entries = history_visible(viewer=request.user, object_type=object_type, object_id=object_id)
    return render(request, "core/history.html", {"entries": entries})
