from django.contrib import admin

from jiayuan.core.admin import AuditedAdmin

from .models import DutyItem, Evaluation, Filing, InspectionResult, RectificationTask, SelfInspection, TermReminder


@admin.register(DutyItem)
class DutyItemAdmin(AuditedAdmin):
    """The city's duty list and negative list; items in use by past rounds are switched off, not deleted."""

    list_display = ("text", "list", "position", "active", "city")
    list_filter = ("list", "active", "city")
    list_editable = ("position", "active")
    search_fields = ("text",)
    ordering = ("city", "list", "position")


@admin.register(TermReminder)
class TermReminderAdmin(AuditedAdmin):
    list_display = ("committee", "term_end", "reminded_on", "expired", "recipient_count")
    list_filter = ("expired",)
    date_hierarchy = "reminded_on"
    raw_id_fields = ("committee",)


@admin.register(Filing)
class FilingAdmin(AuditedAdmin):
    list_display = ("committee", "filed_on", "filed_with_housing", "filed_with_town", "late", "reference")
    list_filter = ("late", "filed_with_housing", "filed_with_town")
    raw_id_fields = ("committee", "recorded_by")


class InspectionResultInline(admin.TabularInline):
    model = InspectionResult
    extra = 0
    raw_id_fields = ("item", "answered_by")
    can_delete = False


@admin.register(SelfInspection)
class SelfInspectionAdmin(AuditedAdmin):
    list_display = ("committee", "held_on", "status", "closed_on")
    list_filter = ("status",)
    raw_id_fields = ("committee", "conducted_by")
    inlines = [InspectionResultInline]


@admin.register(RectificationTask)
class RectificationTaskAdmin(AuditedAdmin):
    list_display = ("committee", "description", "due_on", "done_on")
    list_filter = ("done_on",)
    raw_id_fields = ("committee", "result", "evaluation", "done_by", "created_by")


@admin.register(Evaluation)
class EvaluationAdmin(AuditedAdmin):
    """Recorded through the committee pages, which end the member's post on removal; read here."""

    list_display = ("decided_on", "committee", "post", "outcome", "led_by")
    list_filter = ("outcome",)
    raw_id_fields = ("committee", "post", "recorded_by")

    def has_add_permission(self, request):
        return False
