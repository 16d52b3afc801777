from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "jiayuan.organisations"
    label = "organisations"
    verbose_name = _("Organisations")

    def ready(self):
        # The layers below read posts only through what is registered here: a login's scope (core) and the
        # post holders a staff scope may open (people).
        from jiayuan.core.scope import register_scope_source
        from jiayuan.people.selectors import register_person_reach

        from .scope import post_holders_reached, scope_from_posts

        register_scope_source(scope_from_posts)
        register_person_reach(post_holders_reached)
