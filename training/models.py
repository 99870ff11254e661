from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from laborbrand.reference.validators import validate_credit_code


class Institution(models.Model):
    """A training institution. Admission (准入), suspension and expiry arrive with the admission workflow."""

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
    qualified_until = models.DateField(_("qualified until"), null=True, blank=True)
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="institutions", blank=True)
    created = models.DateTimeField(_("registered"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("training institution")
        verbose_name_plural = _("training institutions")

    def __str__(self):
        return self.name
