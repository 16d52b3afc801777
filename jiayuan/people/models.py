"""Persons, ownership, residence and party membership."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jiayuan.core.crypto import EncryptedTextField
from jiayuan.core.identity import mask_id_number, mask_phone
from jiayuan.core.models import Period


class Person(models.Model):
    """A natural person. ID and phone numbers are encrypted; `*_hash` columns find them."""

    class Gender(models.TextChoices):
        MALE = "M", _("male")
        FEMALE = "F", _("female")

    name = models.CharField(_("full name"), max_length=50)
    id_number = EncryptedTextField(_("ID number"), blank=True)
    id_number_hash = models.CharField(
        _("ID number lookup hash"), max_length=64, null=True, blank=True, unique=True, editable=False
    )
    phone = EncryptedTextField(_("phone"), blank=True)
    phone_hash = models.CharField(_("phone lookup hash"), max_length=64, blank=True, db_index=True, editable=False)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["id"]

    def __str__(self):
        return self.name

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class Ownership(Period):
    """An owner (业主) of a room: a person, or the developer for unsold/undelivered rooms.

    Several current rows for one room are co-owners; the room still casts one vote.
    """

    room = models.ForeignKey("places.Room", verbose_name=_("room"), on_delete=models.PROTECT, related_name="ownerships")
    person = models.ForeignKey(
        Person, verbose_name=_("owner"), on_delete=models.PROTECT, null=True, blank=True, related_name="ownerships"
    )
    developer = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("developer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="unsold_rooms",
    )

    class Meta:
        verbose_name = _("ownership")
        verbose_name_plural = _("ownerships")
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(developer__isnull=True))
                | (Q(person__isnull=True) & Q(developer__isnull=False)),
                name="ownership_person_xor_developer",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="ownership_dates_ordered",
            ),
            models.UniqueConstraint(
                fields=["room", "person"], condition=Q(end_date__isnull=True), name="ownership_one_current_per_person"
            ),
            models.UniqueConstraint(
                fields=["room"],
                condition=Q(end_date__isnull=True, developer__isnull=False),
                name="ownership_one_current_developer",
            ),
        ]

    def __str__(self):
        return f"{self.person or self.developer} — {self.room}"


class Residency(Period):
    """A resident who is not (only) an owner: family member or tenant."""

    class Relation(models.TextChoices):
        FAMILY = "family", _("family member")
        TENANT = "tenant", _("tenant")
        OTHER = "other", _("other")

    room = models.ForeignKey(
        "places.Room", verbose_name=_("room"), on_delete=models.PROTECT, related_name="residencies"
    )
    person = models.ForeignKey(Person, verbose_name=_("resident"), on_delete=models.PROTECT, related_name="residencies")
    relation = models.CharField(_("relation"), max_length=16, choices=Relation.choices)

    class Meta:
        verbose_name = _("residency")
        verbose_name_plural = _("residencies")
        constraints = [
            models.UniqueConstraint(
                fields=["room", "person"], condition=Q(end_date__isnull=True), name="residency_one_current_per_person"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="residency_dates_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.person} @ {self.room}"


class PartyMembership(models.Model):
    """Membership of the Communist Party, with the organisation that holds it.

    In-service members (在职党员) belong to their workplace organisation and also
    report to the compound where they live (`reports_to`), where they log service.
    """

    person = models.OneToOneField(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="party_membership"
    )
    joined_on = models.DateField(_("joined on"))
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("party organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    in_service = models.BooleanField(_("in-service member"), default=False)
    workplace = models.CharField(_("workplace"), max_length=100, blank=True)
    reports_to = models.ForeignKey(
        "places.Compound",
        verbose_name=_("reports to compound"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reporting_members",
    )
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        verbose_name = _("party membership")
        verbose_name_plural = _("party memberships")
        constraints = [
            models.CheckConstraint(
                condition=Q(in_service=False) | Q(reports_to__isnull=False),
                name="in_service_member_reports_to_compound",
            ),
        ]

    def __str__(self):
        return str(self.person)


class Kinship(models.Model):
    """A close family tie recorded in the register (spouse, parent, child, sibling).

    Recorded once per pair; `relatives_of` reads it in both directions. Used, for example, to put a
    candidate's family ties to the compound's property company beside the qualification review.
    """

    class Relation(models.TextChoices):
        SPOUSE = "spouse", _("spouse")
        PARENT = "parent", _("parent")
        CHILD = "child", _("child")
        SIBLING = "sibling", _("sibling")
        OTHER = "other", _("other close relative")

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="kinships")
    relative = models.ForeignKey(Person, verbose_name=_("relative"), on_delete=models.PROTECT, related_name="+")
    relation = models.CharField(_("relation"), max_length=8, choices=Relation.choices)

    class Meta:
        verbose_name = _("family tie")
        verbose_name_plural = _("family ties")
        constraints = [
            models.UniqueConstraint(fields=["person", "relative"], name="kinship_once_per_pair"),
            models.CheckConstraint(condition=~Q(person=models.F("relative")), name="kinship_not_self"),
        ]

    def __str__(self):
        return f"{self.person} — {self.get_relation_display()} — {self.relative}"
