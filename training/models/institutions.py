"""Training institutions and their admission status (准入): registered, qualified until a date, suspended or
expired."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from laborbrand.dates import DateWindow
from laborbrand.reference.validators import validate_credit_code

# An admission is granted for at most this many years at a time.
QUALIFICATION_YEARS = 5


class InstitutionQuerySet(models.QuerySet):
    def qualified(self, on: datetime.date | None = None) -> InstitutionQuerySet:
        on = on or timezone.localdate()
        return self.filter(status=Institution.Status.QUALIFIED, qualified_until__gte=on)


class Institution(models.Model):
    """A training institution. It is qualified (准入) once the city approves an admission application, until
    `qualified_until`; the city can suspend it, and it expires by itself when the date passes."""

    class Kind(models.TextChoices):
        VOCATIONAL_COLLEGE = "vocational_college", _("Vocational college")
        TECHNICAL_SCHOOL = "technical_school", _("Technical school")
        ENTERPRISE_CENTRE = "enterprise_centre", _("Enterprise training centre")
        PRIVATE = "private", _("Private training organisation")

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered, not yet admitted")
        QUALIFIED = "qualified", _("Qualified")
        SUSPENDED = "suspended", _("Suspended")
        EXPIRED = "expired", _("Expired")

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    county = models.ForeignKey(
        "reference.County",
        verbose_name=_("county/district"),
        on_delete=models.PROTECT,
        related_name="institutions",
    )
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    contact_name = models.CharField(_("contact person"), max_length=50)
    contact_phone = models.CharField(_("contact telephone"), max_length=20)
    address = models.CharField(_("address"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REGISTERED)
    qualified_until = models.DateField(
        _("qualified until"), null=True, blank=True, validators=[DateWindow(years_ahead=QUALIFICATION_YEARS)]
    )
    occupations = models.ManyToManyField(
        "reference.Occupation",
        verbose_name=_("admitted occupations"),
        related_name="institutions",
        blank=True,
    )
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="institutions", blank=True)
    created = models.DateTimeField(_("registered"), default=timezone.now)

    objects = InstitutionQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[occupations])

    class Meta:
        ordering = ["name"]
        verbose_name = _("training institution")
        verbose_name_plural = _("training institutions")

    def __str__(self):
        return self.name

    @property
    def is_qualified(self) -> bool:
        return (
            self.status == self.Status.QUALIFIED
            and self.qualified_until is not None
            and self.qualified_until >= timezone.localdate()
        )
