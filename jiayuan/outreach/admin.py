from django.contrib import admin

from jiayuan.core.admin import AuditedAdmin
from jiayuan.organisations.models import DepartmentLink

from .models import DepartmentAction, Dispute, ReceptionIssue, ReceptionSession, ServiceRecord, Visitor


@admin.register(ReceptionSession)
class ReceptionSessionAdmin(AuditedAdmin):
    list_display = ("held_on", "starts_at", "ends_at", "leader", "compound", "place", "organiser")
    list_filter = ("held_on",)
    date_hierarchy = "held_on"
    raw_id_fields = ("leader", "compound", "organiser", "created_by")


@admin.register(Visitor)
class VisitorAdmin(AuditedAdmin):
    """The phone is entered through the outreach pages, which validate and hash it; here it is read-only."""

    list_display = ("name", "masked_phone", "people_count", "session")
    readonly_fields = ("phone",)
    exclude = ("phone_hash",)
    raw_id_fields = ("session", "person", "recorded_by")


@admin.register(ReceptionIssue)
class ReceptionIssueAdmin(AuditedAdmin):
    list_display = ("appeal", "session", "visitor")
    raw_id_fields = ("session", "visitor", "appeal")


@admin.register(DepartmentLink)
class DepartmentLinkAdmin(AuditedAdmin):
    list_display = ("department", "compound", "start_date", "end_date", "reason")
    list_filter = ("reason",)
    raw_id_fields = ("department", "compound")


@admin.register(DepartmentAction)
class DepartmentActionAdmin(AuditedAdmin):
    list_display = ("done_on", "link", "done_by")
    raw_id_fields = ("link", "recorded_by")


@admin.register(ServiceRecord)
class ServiceRecordAdmin(AuditedAdmin):
    list_display = ("served_on", "member", "compound", "kind", "hours")
    list_filter = ("kind",)
    raw_id_fields = ("member", "compound", "recorded_by")


@admin.register(Dispute)
class DisputeAdmin(AuditedAdmin):
    list_display = ("found_on", "compound", "category", "risk", "status")
    list_filter = ("risk", "status", "category")
    raw_id_fields = ("compound", "appeal", "recorded_by")
