"""Reference data shared by every app: the city and its divisions, occupations, skill levels, provinces.

Loaded by data migrations; codes follow GB/T 2260 (divisions) and the national occupational classification
(occupations, only where the code is certain — otherwise left blank rather than invented).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Province(models.Model):
    code = models.CharField(_("code"), max_length=6, unique=True, help_text=_("GB/T 2260 six-digit code"))
    name = models.CharField(_("name"), max_length=30, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self):
        return self.name


class City(models.Model):
    code = models.CharField(_("code"), max_length=6, unique=True)
    name = models.CharField(_("name"), max_length=30)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="cities")

    class Meta:
        ordering = ["code"]
        verbose_name = _("city")
        verbose_name_plural = _("cities")

    def __str__(self):
        return self.name


class County(models.Model):
    """A county, county-level city or district (县/区) of the city."""

    code = models.CharField(_("code"), max_length=6, unique=True)
    name = models.CharField(_("name"), max_length=30)
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="counties")

    class Meta:
        ordering = ["code"]
        verbose_name = _("county/district")
        verbose_name_plural = _("counties/districts")

    def __str__(self):
        return self.name


class Township(models.Model):
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="townships")
    name = models.CharField(_("name"), max_length=30)

    class Meta:
        ordering = ["county__code", "name"]
        constraints = [models.UniqueConstraint(fields=["county", "name"], name="unique_township_per_county")]
        verbose_name = _("township")
        verbose_name_plural = _("townships")

    def __str__(self):
        return self.name


class OccupationCategory(models.Model):
    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=50, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("occupation category")
        verbose_name_plural = _("occupation categories")

    def __str__(self):
        return self.name


class Occupation(models.Model):
    """A 工种. `code` is from the national occupational classification (2022); blank unless certain."""

    category = models.ForeignKey(OccupationCategory, on_delete=models.PROTECT, related_name="occupations")
    name = models.CharField(_("name"), max_length=50, unique=True)
    code = models.CharField(_("classification code"), max_length=12, blank=True)

    class Meta:
        ordering = ["category__order", "name"]
        verbose_name = _("occupation")
        verbose_name_plural = _("occupations")

    def __str__(self):
        return self.name


class SkillLevel(models.Model):
    """The five national vocational skill levels; rank 1 (五级/初级工) .. 5 (一级/高级技师)."""

    rank = models.PositiveSmallIntegerField(_("rank"), unique=True)
    grade = models.CharField(_("grade"), max_length=10, help_text=_("e.g. 三级"))
    name = models.CharField(_("name"), max_length=20)

    class Meta:
        ordering = ["rank"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rank__gte=1, rank__lte=5), name="skill_level_rank_1_to_5"
            ),
        ]
        verbose_name = _("skill level")
        verbose_name_plural = _("skill levels")

    def __str__(self):
        return f"{self.grade}/{self.name}"

    @classmethod
    def by_rank(cls) -> dict[int, SkillLevel]:
        return {level.rank: level for level in cls.objects.all()}


class ProgrammeYear(models.Model):
    """A year of the programme and its deadlines, set by city admins with the year's targets: the day by which
    the city selects the counties' brands (design.md: 31 May) and the day by which partner agreements signed
    that year are filed (30 June). A year without a row keeps the defaults in settings
    (BRAND_SELECTION_DEADLINE, AGREEMENT_FILING_DEADLINE); `deadlines(year)` is the one reader."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    selection_deadline = models.DateField(_("brand selection deadline"))
    filing_deadline = models.DateField(_("partner agreement filing deadline"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("programme year")
        verbose_name_plural = _("programme years")

    def __str__(self):
        return str(self.year)

    def clean(self):
        for field in ("selection_deadline", "filing_deadline"):
            day = getattr(self, field)
            if day is not None and self.year is not None and day.year != self.year:
                raise ValidationError({field: _("The deadline must fall in %(year)s.") % {"year": self.year}})

    @classmethod
    def default(cls, year: int) -> ProgrammeYear:
        """The year as it stands without a row of its own (not saved)."""
        return cls(
            year=year,
            selection_deadline=datetime.date(year, *settings.BRAND_SELECTION_DEADLINE),
            filing_deadline=datetime.date(year, *settings.AGREEMENT_FILING_DEADLINE),
        )


def deadlines(year: int) -> ProgrammeYear:
    """The year's deadlines: its own row, or the defaults."""
    return ProgrammeYear.objects.filter(year=year).first() or ProgrammeYear.default(year)
