from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .audit import audit_record, snapshot
from .models import AuditEntry, User


class AuditedAdmin(admin.ModelAdmin):
    """Back-office edits write the same audit trail as the services do."""

    def save_model(self, request, obj, form, change):
        before = None
        if change:
            before = snapshot(type(obj).objects.get(pk=obj.pk))
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action=AuditEntry.Action.UPDATE if change else AuditEntry.Action.CREATE,
            obj=obj,
            before=before,
            after=snapshot(obj),
            note="admin",
        )

    def delete_model(self, request, obj):
        audit_record(actor=request.user, action=AuditEntry.Action.DELETE, obj=obj, before=snapshot(obj), note="admin")
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(User)
class JiayuanUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("Jiayuan", {"fields": ("person",)}))
    raw_id_fields = ("person",)
    list_display = ("username", "person", "is_active", "is_superuser", "last_login")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never added, changed or deleted through the admin."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor_name", "action", "object_type", "object_repr", "note")
    list_filter = ("action", "object_type")
    search_fields = ("object_repr", "actor_name", "object_id")
    readonly_fields = [f.name for f in AuditEntry._meta.fields]
