"""Organisations (party, owners' committees, property companies, departments) and the posts people hold in them."""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from jiayuan.core.models import Period

credit_code_validator = RegexValidator(
    r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$",
    _("A unified social credit code is 18 characters (digits and capital letters except I, O, S, V, Z)."),
)
# A number published to the residents an organisation serves: an office or duty line, a mobile or a landline.
public_phone_validator = RegexValidator(
    r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$",
    _("Give an 11-digit mobile number starting with 1, or a landline like 0595-85681234."),
)
COMMITTEE_SEATS = (5, 7, 9, 11)


class OrganisationQuerySet(models.QuerySet):
    def active_on(self, day):
        """Organisations existing on `day`; owners' committees only while their term runs."""
        return self.filter(
            Q(established_on__lte=day),
            Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=day),
            Q(term_end__isnull=True) | Q(term_end__gte=day),
        )


class Organisation(models.Model):
    class Kind(models.TextChoices):
        CITY_OFFICE = "city_office", _("city office")
        TOWN_OFFICE = "town_office", _("town or subdistrict office")
        COMMUNITY_PARTY = "community_party", _("community party committee")
        COMPOUND_BRANCH = "compound_branch", _("compound party branch")
        GRID_BRANCH = "grid_branch", _("grid party branch")
        COMPANY_PARTY = "company_party", _("property-company party organisation")
        OWNERS_COMMITTEE = "owners_committee", _("owners' committee")
        PROPERTY_COMPANY = "property_company", _("property service company")
        DEPARTMENT = "department", _("city department")
        DEVELOPER = "developer", _("property developer")

    PARTY_KINDS = (Kind.COMMUNITY_PARTY, Kind.COMPOUND_BRANCH, Kind.GRID_BRANCH, Kind.COMPANY_PARTY)

    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices, db_index=True)
    name = models.CharField(_("name"), max_length=100)
    city = models.ForeignKey("places.City", verbose_name=_("city"), on_delete=models.PROTECT, null=True, blank=True)
    town = models.ForeignKey("places.Town", verbose_name=_("town"), on_delete=models.PROTECT, null=True, blank=True)
    community = models.ForeignKey(
        "places.Community", verbose_name=_("community"), on_delete=models.PROTECT, null=True, blank=True
    )
    grid = models.ForeignKey("places.Grid", verbose_name=_("grid"), on_delete=models.PROTECT, null=True, blank=True)
    compounds = models.ManyToManyField(
        "places.Compound", verbose_name=_("compounds"), related_name="organisations", blank=True
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("higher organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    company = models.ForeignKey(
        "self",
        verbose_name=_("property company"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="party_organisations",
        limit_choices_to={"kind": "property_company"},
    )
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        null=True,
        blank=True,
        unique=True,
        validators=[credit_code_validator],
    )
    state_owned = models.BooleanField(_("state-owned"), default=False)
    established_on = models.DateField(_("established on"))
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    term_end = models.DateField(_("term ends"), null=True, blank=True)
    seats = models.PositiveSmallIntegerField(_("seats"), null=True, blank=True)
    public_phone = models.CharField(
        _("public phone"),
        max_length=20,
        blank=True,
        validators=[public_phone_validator],
        help_text=_("An office or duty line shown to the residents it serves; never a person's own number."),
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="owners_committee") | (Q(seats__in=COMMITTEE_SEATS) & Q(term_end__isnull=False)),
                name="committee_has_odd_seats_5_to_11_and_term",
            ),
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=F("established_on")),
                name="organisation_dates_ordered",
            ),
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gt=F("established_on")),
                name="organisation_term_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(kind="town_office") | Q(town__isnull=False), name="town_office_has_town"
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["community_party", "grid_branch"]) | Q(community__isnull=False),
                name="community_org_has_community",
            ),
        ]

    def __str__(self):
        return self.name


class Post(Period):
    """A person holding a role in an organisation from a date to a date; history is kept."""

    class Role(models.TextChoices):
        CITY_ADMIN = "city_admin", _("city administrator")
        TOWN_CLERK = "town_clerk", _("town clerk")
        COMMUNITY_SECRETARY = "community_secretary", _("community party secretary")
        TWO_COMMITTEE_MEMBER = "two_committee_member", _("community two-committee member")
        GRID_WORKER = "grid_worker", _("grid worker")
        BRANCH_SECRETARY = "branch_secretary", _("compound branch secretary")
        BRANCH_DEPUTY = "branch_deputy", _("compound branch deputy secretary")
        BRANCH_COMMITTEE = "branch_committee", _("compound branch committee member")
        BUILDING_HEAD = "building_head", _("party-member building head")
        COMMITTEE_DIRECTOR = "committee_director", _("owners' committee director")
        COMMITTEE_DEPUTY = "committee_deputy", _("owners' committee deputy director")
        COMMITTEE_MEMBER = "committee_member", _("owners' committee member")
        PROPERTY_MANAGER = "property_manager", _("property manager")
        DEPARTMENT_STAFF = "department_staff", _("department staff")
        PARTY_SECRETARY = "party_secretary", _("party organisation secretary")

    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="posts"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="posts"
    )
    role = models.CharField(_("post"), max_length=32, choices=Role.choices)
    building = models.ForeignKey(
        "places.Building",
        verbose_name=_("building"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="posts",
    )
    grid = models.ForeignKey(
        "places.Grid", verbose_name=_("grid"), on_delete=models.PROTECT, null=True, blank=True, related_name="posts"
    )
    compound = models.ForeignKey(
        "places.Compound",
        verbose_name=_("compound"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="posts",
    )
    # The post by whose authority this one was assigned (None: by an election, an import of the platform's
    # operator, or the system that built the record).
    appointed_by = models.ForeignKey(
        "self",
        verbose_name=_("appointed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointments",
    )

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["organisation_id", "role", "start_date"]
        indexes = [models.Index(fields=["person", "end_date"]), models.Index(fields=["role", "end_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")), name="post_dates_ordered"
            ),
            models.UniqueConstraint(
                fields=["organisation", "role"],
                condition=Q(
                    end_date__isnull=True,
                    role__in=["branch_secretary", "committee_director", "community_secretary", "party_secretary"],
                ),
                name="single_post_one_current_holder",
            ),
            models.UniqueConstraint(
                fields=["building"],
                condition=Q(end_date__isnull=True, role="building_head"),
                name="one_current_building_head_per_building",
            ),
            models.UniqueConstraint(
                fields=["grid"],
                condition=Q(end_date__isnull=True, role="grid_worker"),
                name="one_current_grid_worker_per_grid",
            ),
            models.CheckConstraint(
                condition=~Q(role="building_head") | Q(building__isnull=False), name="building_head_has_building"
            ),
            models.CheckConstraint(
                condition=~Q(role="grid_worker") | Q(grid__isnull=False), name="grid_worker_has_grid"
            ),
            models.CheckConstraint(
                condition=~Q(role="property_manager") | Q(compound__isnull=False), name="property_manager_has_compound"
            ),
        ]

    def __str__(self):
        return f"{self.person} · {self.get_role_display()} · {self.organisation}"


class ServiceContract(Period):
    """A property service contract between a company and a compound."""

    company = models.ForeignKey(
        Organisation,
        verbose_name=_("property company"),
        on_delete=models.PROTECT,
        related_name="contracts",
        limit_choices_to={"kind": "property_company"},
    )
    compound = models.ForeignKey(
        "places.Compound", verbose_name=_("compound"), on_delete=models.PROTECT, related_name="contracts"
    )
    fallback = models.BooleanField(_("state fallback (enjoy first, pay later)"), default=False)
    service_desk_phone = models.CharField(
        _("service desk phone"),
        max_length=20,
        blank=True,
        validators=[public_phone_validator],
        help_text=_("The property service desk's number at this compound, shown to its residents."),
    )

    class Meta:
        verbose_name = _("service contract")
        verbose_name_plural = _("service contracts")
        ordering = ["compound_id", "-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=F("start_date")), name="contract_dates_ordered"
            ),
        ]

    def __str__(self):
        return f"{self.company} — {self.compound}"


class PartyVenue(models.Model):
    """A party-and-people activity venue (党群活动阵地), one per branch, each with its feature."""

    class Feature(models.TextChoices):
        ELDERLY = "elderly", _("elderly care")
        CHILDREN = "children", _("child-friendly space")
        READING = "reading", _("reading room")
        HEALTH = "health", _("health station")
        CULTURE = "culture", _("culture and sports")
        TEA = "tea", _("neighbourhood tea corner")
        SERVICE = "service", _("volunteer service")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("party organisation"), on_delete=models.PROTECT, related_name="venues"
    )
    compound = models.ForeignKey(
        "places.Compound", verbose_name=_("compound"), on_delete=models.PROTECT, related_name="venues"
    )
    name = models.CharField(_("name"), max_length=100)
    feature = models.CharField(_("feature"), max_length=16, choices=Feature.choices)
    area = models.DecimalField(_("area (m²)"), max_digits=8, decimal_places=2, null=True, blank=True)
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("party venue")
        verbose_name_plural = _("party venues")
        ordering = ["compound_id", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(area__isnull=True) | Q(area__gt=0), name="venue_area_positive"),
        ]

    def __str__(self):
        return self.name


# --- Linked departments (挂钩联系) -------------------------------------------------------


class DepartmentLink(Period):
    """A city department answerable for a poorly managed compound. One current link per compound and per department.

    Outreach records what the department did (outreach.DepartmentAction); appeals let it read the compound's
    appeals while the link runs."""

    # The audit trail is append-only: rows written before the model moved here keep the label they had.
    audit_former_labels = ("outreach.departmentlink",)

    class Reason(models.TextChoices):
        POORLY_MANAGED = "poorly_managed", _("poorly managed compound")
        UNMANAGED = "unmanaged", _("compound without a manager")
        COMPLAINTS = "complaints", _("many residents' complaints")
        OTHER = "other", _("other")

    department = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="compound_links",
        limit_choices_to={"kind": "department"},
    )
    compound = models.ForeignKey(
        "places.Compound", verbose_name=_("compound"), on_delete=models.PROTECT, related_name="department_links"
    )
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices, default=Reason.POORLY_MANAGED)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("linked department")
        verbose_name_plural = _("linked departments")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["compound"], condition=Q(end_date__isnull=True), name="department_link_one_current_per_compound"
            ),
            models.UniqueConstraint(
                fields=["department"],
                condition=Q(end_date__isnull=True),
                name="department_link_one_current_per_department",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="department_link_dates_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.department} ↔ {self.compound}"

    @property
    def is_current(self) -> bool:
        return self.end_date is None
