from django.contrib import admin

from jiayuan.core.admin import AuditedAdmin

from .models import Kinship, Ownership, PartyMembership, Person, Residency


@admin.register(Person)
class PersonAdmin(AuditedAdmin):
    """Personal data is edited through the people pages, which validate and hash it; here it is read-only."""

    list_display = ("id", "name", "masked_id_number", "masked_phone", "gender", "birth_date")
    search_fields = ("name",)
    readonly_fields = ("id_number", "phone", "gender", "birth_date")
    exclude = ("id_number_hash", "phone_hash")


@admin.register(Ownership)
class OwnershipAdmin(AuditedAdmin):
    list_display = ("room", "person", "developer", "start_date", "end_date")
    raw_id_fields = ("room", "person", "developer")


@admin.register(Residency)
class ResidencyAdmin(AuditedAdmin):
    list_display = ("room", "person", "relation", "start_date", "end_date")
    raw_id_fields = ("room", "person")


@admin.register(PartyMembership)
class PartyMembershipAdmin(AuditedAdmin):
    list_display = ("person", "organisation", "in_service", "reports_to", "joined_on")
    raw_id_fields = ("person", "organisation", "reports_to")


@admin.register(Kinship)
class KinshipAdmin(AuditedAdmin):
    list_display = ("person", "relation", "relative")
    raw_id_fields = ("person", "relative")
