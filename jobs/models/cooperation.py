"""劳务协作, labour cooperation: the partner regions the city has agreements with and the docking fairs held
with them."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from jobs.models.board import Employer, JobPosting
from laborbrand.dates import DateWindow


class PartnerRegion(models.Model):
    """劳务协作: a region the city has a labour-cooperation agreement with, and its yearly target."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    province = models.ForeignKey(
        "reference.Province", verbose_name=_("province"), on_delete=models.PROTECT, related_name="+"
    )
    agreement = models.TextField(_("agreement"), max_length=2000, help_text=_("What the agreement covers."))
    signed_on = models.DateField(_("signed on"), validators=[DateWindow()])
    target_placements = models.PositiveIntegerField(
        _("placement target per year"), validators=[MaxValueValidator(1000000)]
    )
    active = models.BooleanField(_("in force"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["province__code", "name"]
        verbose_name = _("partner region")
        verbose_name_plural = _("partner regions")

    def __str__(self):
        return self.name


class DockingFair(models.Model):
    """对接会: a fair where employers of a partner region meet the city's workers. Hires that follow are
    counted from the applications to the fair's postings."""

    title = models.CharField(_("title"), max_length=100)
    held_on = models.DateField(_("date"), validators=[DateWindow(years_ahead=1)])
    place = models.CharField(_("place"), max_length=200)
    partner = models.ForeignKey(
        PartnerRegion, verbose_name=_("partner region"), on_delete=models.PROTECT, related_name="fairs"
    )
    county = models.ForeignKey(
        "reference.County",
        verbose_name=_("organising county/district"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    employers = models.ManyToManyField(Employer, verbose_name=_("employers"), related_name="fairs")
    postings = models.ManyToManyField(
        JobPosting, verbose_name=_("postings"), related_name="fairs", blank=True
    )
    attendance = models.PositiveIntegerField(
        _("workers attending"), null=True, blank=True, validators=[MaxValueValidator(1000000)]
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords(m2m_fields=[employers, postings])

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("docking fair")
        verbose_name_plural = _("docking fairs")

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.title}"
