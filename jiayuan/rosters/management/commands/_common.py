"""Shared by the roster commands: who the command acts as."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from jiayuan.core.scope import scope_for


def acting_user(username: str | None):
    """The account named by --user, or an unsaved "system" superuser (audit rows name "system")."""
    User = get_user_model()
    if not username:
        return User(username="system", is_superuser=True, is_active=True)
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"No active account named {username!r}.")
    if not scope_for(user).is_staff_scope:
        raise CommandError(f"The account {username!r} has no staff scope; it cannot import or export rosters.")
    return user
