from django.contrib import admin

from jiayuan.core.admin import AuditedAdmin

from .models import Organisation, PartyVenue, Post, ServiceContract


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ("name", "kind", "town", "community", "established_on", "term_end", "seats")
    list_filter = ("kind",)
    search_fields = ("name", "credit_code")
    raw_id_fields = ("city", "town", "community", "grid", "parent", "company")
    filter_horizontal = ("compounds",)


@admin.register(Post)
class PostAdmin(AuditedAdmin):
    list_display = ("person", "role", "organisation", "start_date", "end_date")
    list_filter = ("role",)
    raw_id_fields = ("person", "organisation", "building", "grid", "compound")


@admin.register(ServiceContract)
class ServiceContractAdmin(AuditedAdmin):
    list_display = ("company", "compound", "start_date", "end_date", "fallback")
    raw_id_fields = ("company", "compound")


@admin.register(PartyVenue)
class PartyVenueAdmin(AuditedAdmin):
    list_display = ("name", "compound", "feature", "opened_on")
    raw_id_fields = ("organisation", "compound")
