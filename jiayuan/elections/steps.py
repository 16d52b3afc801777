"""The moves of a campaign that need nothing but a note or a reason, each declared once: its slug on the campaign
page, its action name in the API, the service it calls with the arguments that service takes, and the message the
page shows once it is done. The page (views.campaign_steps) and the API (api.campaign_act) read this table."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .services import campaign as campaign_services


@dataclass(frozen=True)
class Step:
    page: str | None  # the slug in /campaigns/<pk>/steps/<slug>/ (None: cancelling has its own page form)
    api: str  # the action in POST /api/v1/elections/campaigns/{id}/actions/{action}
    service: Callable  # called with actor=, campaign= and the arguments below
    takes: tuple[str, ...] = ()
    done: Promise | None = None

    def run(self, *, actor, campaign, data) -> object:
        """Take the step with the arguments it takes from `data` (a form's cleaned data or the API body)."""
        read = data.get if isinstance(data, dict) else lambda name: getattr(data, name)
        return self.service(actor=actor, campaign=campaign, **{name: read(name) for name in self.takes})


STEPS = (
    Step(
        "review",
        "review_start",
        campaign_services.review_start,
        ("note",),
        _("Nominations are closed: every candidate went to the reviewing bodies."),
    ),
    Step(
        "interviews",
        "interviews_start",
        campaign_services.interviews_start,
        ("note",),
        _("The review is complete: interviews can be recorded."),
    ),
    Step(
        "campaigning",
        "campaigning_start",
        campaign_services.campaigning_start,
        (),
        _("The public notice is over: the campaign meeting can be recorded."),
    ),
    Step(None, "cancel", campaign_services.campaign_cancel, ("reason",)),
)
PAGE_STEPS = {step.page: step for step in STEPS if step.page}
API_STEPS = {step.api: step for step in STEPS}
