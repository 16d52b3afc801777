"""The compound map: city → town/subdistrict → community/village → compound → building → unit → room."""

from decimal import Decimal

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

region_code_validator = RegexValidator(r"^\d{6,15}$", _("A region code is 6 to 15 digits."))


class City(models.Model):
    code = models.CharField(_("code"), max_length=15, unique=True, validators=[region_code_validator])
    name = models.CharField(_("name"), max_length=50)

    class Meta:
        verbose_name = _("city")
        verbose_name_plural = _("cities")

    def __str__(self):
        return self.name


class Town(models.Model):
    """A town (镇) or subdistrict (街道)."""

    class Kind(models.TextChoices):
        TOWN = "town", _("town")
        SUBDISTRICT = "subdistrict", _("subdistrict")

    city = models.ForeignKey(City, verbose_name=_("city"), on_delete=models.PROTECT, related_name="towns")
    code = models.CharField(_("code"), max_length=15, unique=True, validators=[region_code_validator])
    name = models.CharField(_("name"), max_length=50)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)

    class Meta:
        verbose_name = _("town or subdistrict")
        verbose_name_plural = _("towns and subdistricts")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["city", "name"], name="town_name_unique_in_city")]

    def __str__(self):
        return self.name


class Community(models.Model):
    """A community (社区) or village (村)."""

    class Kind(models.TextChoices):
        COMMUNITY = "community", _("community")
        VILLAGE = "village", _("village")

    town = models.ForeignKey(Town, verbose_name=_("town"), on_delete=models.PROTECT, related_name="communities")
    code = models.CharField(_("code"), max_length=15, unique=True, validators=[region_code_validator])
    name = models.CharField(_("name"), max_length=50)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.COMMUNITY)

    class Meta:
        verbose_name = _("community or village")
        verbose_name_plural = _("communities and villages")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["town", "name"], name="community_name_unique_in_town")]

    def __str__(self):
        return self.name


class Compound(models.Model):
    """A residential compound (住宅小区): the basic governance unit."""

    class Kind(models.TextChoices):
        COMMERCIAL = "commercial", _("commercial housing")
        RESETTLEMENT = "resettlement", _("resettlement housing")
        OLD = "old", _("old compound")
        MIXED = "mixed", _("mixed commercial-residential")

    class Management(models.TextChoices):
        PROPERTY_COMPANY = "company", _("property company")
        SELF_MANAGED = "self", _("self-managed")
        STATE_FALLBACK = "state", _("state-owned fallback")
        UNMANAGED = "none", _("unmanaged")

    community = models.ForeignKey(
        Community, verbose_name=_("community"), on_delete=models.PROTECT, related_name="compounds"
    )
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=80)
    address = models.CharField(_("address"), max_length=200, blank=True)
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    year_built = models.PositiveSmallIntegerField(
        _("year built"), null=True, blank=True, validators=[MinValueValidator(1900)]
    )
    management = models.CharField(_("management status"), max_length=16, choices=Management.choices)
    developer = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("developer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="developed_compounds",
        limit_choices_to={"kind": "developer"},
    )

    class Meta:
        verbose_name = _("compound")
        verbose_name_plural = _("compounds")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="compound_name_unique_in_community"),
            models.CheckConstraint(
                condition=Q(year_built__isnull=True) | Q(year_built__gte=1900), name="compound_year_built_plausible"
            ),
        ]

    def __str__(self):
        return self.name


class Building(models.Model):
    compound = models.ForeignKey(
        Compound, verbose_name=_("compound"), on_delete=models.PROTECT, related_name="buildings"
    )
    number = models.CharField(_("building number"), max_length=20)
    floors = models.PositiveSmallIntegerField(_("floors"), null=True, blank=True)

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["compound_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["compound", "number"], name="building_number_unique_in_compound")
        ]

    def __str__(self):
        return f"{self.compound.name} {self.number}"


class Unit(models.Model):
    building = models.ForeignKey(Building, verbose_name=_("building"), on_delete=models.PROTECT, related_name="units")
    number = models.CharField(_("unit number"), max_length=20)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["building_id", "number"]
        constraints = [models.UniqueConstraint(fields=["building", "number"], name="unit_number_unique_in_building")]

    def __str__(self):
        return f"{self.building} {self.number}"


class Room(models.Model):
    """A household's exclusive part (专有部分). A room belongs to exactly one unit, so to one building."""

    class AreaSource(models.TextChoices):
        REGISTERED = "registered", _("registered")
        SURVEYED = "surveyed", _("surveyed")
        CONTRACT = "contract", _("contract")

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="rooms")
    number = models.CharField(_("room number"), max_length=20)
    floor = models.SmallIntegerField(_("floor"), null=True, blank=True)
    area = models.DecimalField(
        _("exclusive area (m²)"),
        max_digits=9,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    area_source = models.CharField(_("area source"), max_length=16, choices=AreaSource.choices)

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["unit_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "number"], name="room_number_unique_in_unit"),
            models.CheckConstraint(condition=Q(area__gt=0), name="room_area_positive"),
        ]

    def __str__(self):
        return f"{self.unit} {self.number}"


class Grid(models.Model):
    """A grid (网格) overlaying part of a community, looked after by a grid worker (a post)."""

    community = models.ForeignKey(
        Community, verbose_name=_("community"), on_delete=models.PROTECT, related_name="grids"
    )
    name = models.CharField(_("name"), max_length=50)
    compounds = models.ManyToManyField(Compound, verbose_name=_("compounds"), related_name="grids", blank=True)

    class Meta:
        verbose_name = _("grid")
        verbose_name_plural = _("grids")
        ordering = ["community_id", "name"]
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="grid_name_unique_in_community")]

    def __str__(self):
        return f"{self.community.name} {self.name}"
