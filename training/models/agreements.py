"""Partner agreements (签约备案): a county's agreement with a qualified institution to train for its brands,
filed with the city by a yearly deadline."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from laborbrand.dates import DateWindow
from laborbrand.reference.models import ProgrammeYear, deadlines
from training.models.institutions import Institution


def agreement_upload_to(instance: PartnerAgreement, filename: str) -> str:
    return f"training/agreements/{instance.county_id}/{timezone.now():%Y%m%d%H%M%S%f}.pdf"


class PartnerAgreementQuerySet(models.QuerySet):
    def signed_in(self, year: int) -> PartnerAgreementQuerySet:
        return self.filter(signed_on__year=year)

    def with_deadline(self) -> PartnerAgreementQuerySet:
        """Each agreement with its year's own filing deadline, if the year has one, read in the list's query
        (`deadline` then needs no query per row)."""
        own = ProgrammeYear.objects.filter(year=ExtractYear(OuterRef("signed_on"))).values("filing_deadline")
        return self.annotate(own_filing_deadline=Subquery(own[:1]))


class PartnerAgreement(models.Model):
    """签约备案: a county's agreement with a qualified institution to train for its brands, filed with the
    city. Filed after the year's deadline (its ProgrammeYear, or settings.AGREEMENT_FILING_DEADLINE) is
    late."""

    county = models.ForeignKey(
        "reference.County",
        verbose_name=_("county/district"),
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="agreements"
    )
    brands = models.ManyToManyField("brands.Brand", verbose_name=_("brands"), related_name="agreements")
    signed_on = models.DateField(_("signed on"), validators=[DateWindow()])
    filed_on = models.DateField(_("filed on"), validators=[DateWindow()])
    document = models.FileField(_("signed agreement (PDF)"), upload_to=agreement_upload_to, max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(_("recorded"), default=timezone.now)

    objects = PartnerAgreementQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[brands])

    class Meta:
        ordering = ["-filed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(filed_on__gte=models.F("signed_on")), name="agreement_filed_after_signing"
            ),
        ]
        verbose_name = _("partner agreement")
        verbose_name_plural = _("partner agreements")

    def __str__(self):
        return f"{self.county} – {self.institution} ({self.signed_on:%Y-%m-%d})"

    @property
    def deadline(self) -> datetime.date:
        if not hasattr(self, "own_filing_deadline"):
            return filing_deadline(self.signed_on.year)
        return self.own_filing_deadline or ProgrammeYear.default(self.signed_on.year).filing_deadline

    @property
    def is_late(self) -> bool:
        return self.filed_on > self.deadline


def filing_deadline(year: int) -> datetime.date:
    """The year's filing deadline (its programme year's setting, 30 June by default)."""
    return deadlines(year).filing_deadline
