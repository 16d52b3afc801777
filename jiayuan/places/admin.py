from django.contrib import admin

from jiayuan.core.admin import AuditedAdmin

from .models import Building, City, Community, Compound, Grid, Room, Town, Unit


@admin.register(City)
class CityAdmin(AuditedAdmin):
    list_display = ("code", "name")


@admin.register(Town)
class TownAdmin(AuditedAdmin):
    list_display = ("code", "name", "kind", "city")
    list_filter = ("kind",)


@admin.register(Community)
class CommunityAdmin(AuditedAdmin):
    list_display = ("code", "name", "kind", "town")
    list_filter = ("town",)
    search_fields = ("name", "code")


@admin.register(Compound)
class CompoundAdmin(AuditedAdmin):
    list_display = ("code", "name", "community", "kind", "management", "year_built")
    list_filter = ("kind", "management", "community__town")
    search_fields = ("name", "code")
    raw_id_fields = ("community", "developer")


@admin.register(Building)
class BuildingAdmin(AuditedAdmin):
    list_display = ("compound", "number", "floors")
    search_fields = ("compound__name", "number")
    raw_id_fields = ("compound",)


@admin.register(Unit)
class UnitAdmin(AuditedAdmin):
    list_display = ("building", "number")
    raw_id_fields = ("building",)


@admin.register(Room)
class RoomAdmin(AuditedAdmin):
    list_display = ("unit", "number", "area", "area_source")
    raw_id_fields = ("unit",)
    search_fields = ("unit__building__compound__name", "number")


@admin.register(Grid)
class GridAdmin(AuditedAdmin):
    list_display = ("name", "community")
    filter_horizontal = ("compounds",)
