"""Back office for the appeals catalogues: categories, dispatch rules, the holiday table, API keys.

Appeals themselves are changed only through the services (the work-order pages), so
here they are a read-only list for looking things up.
"""

from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jiayuan.core.admin import AuditedAdmin, ReadOnlyAdmin

from . import apikeys
from .models import ApiKey, Appeal, AppealEvent, Category, DispatchRule, Holiday


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = ("parent", "code", "name", "deadline_days", "kind", "active")

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        if parent is None:
            return parent
        if parent.level >= 3:
            raise forms.ValidationError(
                _("The catalogue has three levels; %(name)s is already on the third.") % {"name": parent.path}
            )
        node = parent
        while node is not None:
            if self.instance.pk and node.pk == self.instance.pk:
                raise forms.ValidationError(_("A category cannot be placed under itself or its own subcategory."))
            node = node.parent
        if self.instance.pk and self.instance.children.exists() and parent.level + 1 != self.instance.level:
            raise forms.ValidationError(
                _("This category has subcategories, so it must stay on level %(level)s.")
                % {"level": self.instance.level}
            )
        return parent

    def clean(self):
        cleaned = super().clean()
        if (
            self.instance.pk
            and "parent" in cleaned
            and cleaned["parent"] is None
            and self.instance.level != 1
            and self.instance.children.exists()
        ):
            self.add_error(
                "parent",
                _("This category has subcategories, so it must stay on level %(level)s.")
                % {"level": self.instance.level},
            )
        return cleaned


@admin.register(Category)
class CategoryAdmin(AuditedAdmin):
    form = CategoryForm
    list_display = ("tree_name", "code", "level", "deadline_days", "kind", "active")
    list_editable = ("deadline_days", "active")
    list_filter = ("level", "kind", "active")
    search_fields = ("code", "name")
    ordering = ("code",)
    list_select_related = ("parent",)
    list_per_page = 200

    @admin.display(description=_("category"), ordering="code")
    def tree_name(self, obj):
        return format_html('<span style="padding-left:{}em">{}</span>', 2 * (obj.level - 1), obj.name)


class DispatchRuleForm(forms.ModelForm):
    class Meta:
        model = DispatchRule
        fields = ("category", "town", "community", "department")

    def clean(self):
        cleaned = super().clean()
        town, community = cleaned.get("town"), cleaned.get("community")
        if town is not None and community is not None and community.town_id != town.pk:
            self.add_error("community", _("%(community)s is not in %(town)s.") % {"community": community, "town": town})
        return cleaned


@admin.register(DispatchRule)
class DispatchRuleAdmin(AuditedAdmin):
    form = DispatchRuleForm
    list_display = ("category_path", "area", "department")
    list_filter = ("category__parent__parent", "town")
    search_fields = ("category__name", "category__code", "department__name")
    raw_id_fields = ("town", "community")
    list_select_related = ("category__parent__parent", "town", "community", "department")
    ordering = ("category__code", "town", "community")

    @admin.display(description=_("category"), ordering="category__code")
    def category_path(self, obj):
        return obj.category.path

    @admin.display(description=_("area"))
    def area(self, obj):
        return obj.community or obj.town or gettext("whole city")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "category":
            kwargs["queryset"] = Category.objects.filter(active=True).select_related("parent__parent")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Holiday)
class HolidayAdmin(AuditedAdmin):
    list_display = ("date", "weekday", "is_workday", "note")
    list_editable = ("is_workday", "note")
    list_filter = ("is_workday",)
    date_hierarchy = "date"
    search_fields = ("note",)

    @admin.display(description=_("weekday"))
    def weekday(self, obj):
        return obj.date.strftime("%a")


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Keys are made by `jiayuan apikey create --name NAME` (the key is shown once); here they are listed and revoked."""

    list_display = ("name", "prefix", "created_at", "last_used_at", "revoked_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    search_fields = ("name", "prefix")
    readonly_fields = ("name", "prefix", "created_at", "last_used_at", "revoked_at")
    exclude = ("key_hash",)
    actions = ("revoke",)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Revoke the selected API keys"), permissions=["change"])
    def revoke(self, request, queryset):
        active = list(queryset.filter(revoked_at__isnull=True))
        for key in active:
            apikeys.apikey_revoke(actor=request.user, prefix=key.prefix)
        self.message_user(request, gettext("%(count)s API keys revoked.") % {"count": len(active)}, messages.SUCCESS)


class AppealEventInline(admin.TabularInline):
    model = AppealEvent
    fields = ("at", "action", "from_status", "to_status", "unit", "actor", "reason", "public")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    """Read only: appeals change through the services, which keep the history and the audit trail."""

    list_display = (
        "number",
        "title",
        "status",
        "level",
        "unit",
        "compound",
        "category",
        "received_at",
        "deadline",
        "overdue_since",
        "supervision",
        "rating",
    )
    list_filter = (
        "status",
        "level",
        "channel",
        "supervision",
        "rating",
        "rated_contacted",
        "rated_solved",
        ("overdue_since", admin.EmptyFieldListFilter),
        "category__parent__parent",
        "compound__community__town",
    )
    search_fields = ("number", "title")
    date_hierarchy = "received_at"
    list_select_related = ("unit", "compound", "category")
    exclude = ("contact_phone", "contact_phone_hash")
    inlines = (AppealEventInline,)

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Appeal._meta.fields if f.name not in self.exclude] + ["masked_contact_phone"]

    @admin.display(description=_("contact phone"))
    def masked_contact_phone(self, obj):
        return obj.masked_contact_phone
