"""Who may do what to an appeal. Each function takes the viewer's scope and the appeal."""

from __future__ import annotations

from django.db.models import Q

from jiayuan.core.scope import RUNS_COMPOUND_ROLES, Scope

from .models import Appeal, Category


def covers_compound(scope: Scope, appeal: Appeal) -> bool:
    return scope.covers_compound(appeal.compound)


def covers_community(scope: Scope, appeal: Appeal) -> bool:
    return scope.covers_community(appeal.compound)


def is_supervisor(scope: Scope, appeal: Appeal) -> bool:
    """Town or city staff over the appeal's compound: supervise, grant extensions, close."""
    return scope.supervises(appeal.compound)


def handles_in_compound(scope: Scope, appeal: Appeal) -> bool:
    """The compound's own posts that may handle this appeal, by what its category is about.

    The property company acts on repair orders only; a complaint about the property service is
    handled above the company, by the compound's party branch; every other matter is the business
    of the party branch and the owners' committee. A building head reports and follows, no more.
    """
    compound_id = appeal.compound_id
    kind = appeal.category.kind
    if kind == Category.Kind.PROPERTY_COMPLAINT:
        return scope.serves_branch(compound_id)
    if kind == Category.Kind.REPAIR:
        return scope.runs_compound(compound_id) or scope.manages_property(compound_id)
    return scope.runs_compound(compound_id)


def handles(scope: Scope, appeal: Appeal) -> bool:
    """The viewer works for the unit currently handling the appeal (or may step in above it)."""
    if appeal.level == Appeal.Level.DEPARTMENT:
        return scope.everything or appeal.unit_id in scope.department_ids
    if appeal.level == Appeal.Level.COMMUNITY:
        return covers_community(scope, appeal)
    return covers_community(scope, appeal) or handles_in_compound(scope, appeal)


def reveals_contact(scope: Scope, appeal: Appeal) -> bool:
    """Staff of the city department handling a dispatched order may have its reporter's phone shown in clear (to
    call them), each time on the audit trail; everyone else keeps the masking of selectors.shows_contact_data."""
    return appeal.level == Appeal.Level.DEPARTMENT and appeal.unit_id in scope.department_ids


def is_reporter(scope: Scope, appeal: Appeal, user) -> bool:
    return (appeal.reporter_account_id is not None and appeal.reporter_account_id == user.pk) or (
        appeal.reporter_id is not None and appeal.reporter_id == scope.person_id
    )


def _dispatches(scope: Scope, appeal: Appeal, user) -> bool:
    # The compound escalates to its community; the community (or above) whistles to a department.
    return handles(scope, appeal) if appeal.level == Appeal.Level.COMPOUND else covers_community(scope, appeal)


def _returns(scope: Scope, appeal: Appeal, user) -> bool:
    return appeal.level == Appeal.Level.DEPARTMENT and handles(scope, appeal)


def _merges(scope: Scope, appeal: Appeal, user) -> bool:
    # The unit holding the report folds it into the one being handled (many residents, one broken lift).
    return covers_community(scope, appeal) or handles(scope, appeal)


def _handler(scope: Scope, appeal: Appeal, user) -> bool:
    return handles(scope, appeal)


def _supervisor(scope: Scope, appeal: Appeal, user) -> bool:
    return is_supervisor(scope, appeal)


def _community(scope: Scope, appeal: Appeal, user) -> bool:
    return covers_community(scope, appeal)


# Who may take each action (the workflow says when).
ALLOWED = {
    "accept": _handler,
    "dispatch": _dispatches,
    "start": _handler,
    "return": _returns,
    "reassign": _community,
    "request_extension": _handler,
    "grant_extension": _supervisor,
    "refuse_extension": _supervisor,
    "resolve": _handler,
    "callback": _community,
    "close": _community,
    "reopen": is_reporter,
    "merge": _merges,
    "supervise": _supervisor,
    "rate": is_reporter,
}


def allowed(action: str, *, scope: Scope, appeal: Appeal, user) -> bool:
    """Whether the viewer may take `action` on the appeal; an action nobody declared is nobody's."""
    rule = ALLOWED.get(action)
    return rule is not None and rule(scope, appeal, user)


# --- The same rules as query filters, for the workbench's counts (test_rules keeps each equal to its rule) -----


def covers_community_q(scope: Scope) -> Q:
    """Appeals `covers_community` is true for: the city, or the town or community of the appeal's compound."""
    if scope.everything:
        return Q()
    return Q(compound__community_id__in=list(scope.community_ids)) | Q(
        compound__community__town_id__in=list(scope.town_ids)
    )


def supervises_q(scope: Scope) -> Q:
    """Appeals `is_supervisor` is true for: the city, or the town of the appeal's compound."""
    if scope.everything:
        return Q()
    return Q(compound__community__town_id__in=list(scope.town_ids))


def handles_q(scope: Scope) -> Q:
    """Appeals `handles` is true for."""
    if scope.everything:
        return Q()
    posts = scope.compound_posts
    runs = [pk for pk, role in posts if role in RUNS_COMPOUND_ROLES]
    repairs = runs + [pk for pk, role in posts if role == "property_manager"]
    in_compound = (
        Q(category__kind=Category.Kind.PROPERTY_COMPLAINT, compound_id__in=list(scope.branch_compound_ids))
        | Q(category__kind=Category.Kind.REPAIR, compound_id__in=repairs)
        | (Q(compound_id__in=runs) & ~Q(category__kind__in=[Category.Kind.PROPERTY_COMPLAINT, Category.Kind.REPAIR]))
    )
    above = covers_community_q(scope)
    return (
        Q(level=Appeal.Level.DEPARTMENT, unit_id__in=list(scope.department_ids))
        | (Q(level=Appeal.Level.COMMUNITY) & above)
        | (Q(level=Appeal.Level.COMPOUND) & (above | in_compound))
    )
