"""The records behind a figure (the drill-down): which records a metric's figure counts, and how each kind of
record is listed on the page and in its export.

A metric names its records (laborbrand/metrics.py): `records(scope, period)` are what a count counts, or a
rate's numerator; `base(scope, period)` a rate's denominator. The drill-down lists exactly those querysets, so
its count is the figure. A rate has three parts: the records counted, its base, and the base records not
counted (for ethics coverage: the members not yet covered). A metric counting distinct values of a field
(match success counts workers, not applications) lists those distinct workers.

Personal data: a person is shown by a masked name only (laborbrand.accounts.pii.mask_name), to every role
that reads the drill-down, on the page and in the export; no ID number, phone number or certificate number.
"""

from __future__ import annotations

from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from brands.models import Brand, BrandNews
from jobs.models import Application, Apprenticeship, DockingFair
from laborbrand.accounts.models import User
from laborbrand.accounts.pii import mask_name
from laborbrand.listings import Column, Listing
from laborbrand.metrics import Metric, Period, Scope
from training.models import Certificate, Enrollment, EthicsSession, PartnerAgreement


class Part(models.TextChoices):
    COUNTED = "counted", _("Counted")
    BASE = "base", _("All in the base")
    NOT_COUNTED = "not_counted", _("Not counted")


def parts_of(metric: Metric) -> list[Part]:
    """The parts a metric's records can be listed in: a count has one, a rate three."""
    if metric.base is None:
        return [Part.COUNTED]
    return [Part.COUNTED, Part.BASE, Part.NOT_COUNTED]


def part_label(metric: Metric, part: Part) -> str:
    """What a part lists, in the words of the metric's figure."""
    if metric.base is None:
        return str(_("Records counted"))
    return {
        Part.COUNTED: _("Counted (numerator)"),
        Part.BASE: _("All in the base (denominator)"),
        Part.NOT_COUNTED: _("In the base, not counted"),
    }[part]


def _distinct_model(metric: Metric, queryset: QuerySet) -> type[models.Model]:
    """The model whose rows a `distinct` field points at (match success: the worker of an application)."""
    return queryset.model._meta.get_field(metric.distinct).related_model


def _distinct(metric: Metric, queryset: QuerySet) -> QuerySet:
    return queryset.order_by().values(metric.distinct)


def records(metric: Metric, part: Part, scope: Scope, period: Period) -> QuerySet:
    """The records of one part of a figure; their count is the figure's (numerator, denominator, or the
    difference of the two). The base of every rate holds its counted records, so the difference is the base
    without them."""
    counted = metric.records(scope, period)
    if part == Part.COUNTED:
        chosen = counted
    else:
        if metric.base is None:
            raise ValueError(f"{metric.key} is a count: it has no base")
        chosen = metric.base(scope, period)
    if metric.distinct:
        model = _distinct_model(metric, chosen)
        listed = model.objects.filter(pk__in=_distinct(metric, chosen))
        if part == Part.NOT_COUNTED:
            listed = listed.exclude(pk__in=_distinct(metric, counted))
        return listed
    if part == Part.NOT_COUNTED:
        return chosen.exclude(pk__in=counted.order_by().values("pk"))
    return chosen


def expected_count(figure, part: Part) -> int:
    """The number a part's list holds, from the figure: a count's value, a rate's numerator, denominator or
    their difference."""
    if figure.numerator is None:
        return figure.value or 0
    if part == Part.COUNTED:
        return figure.numerator
    if part == Part.BASE:
        return figure.denominator
    return figure.denominator - figure.numerator


# --- How each kind of record is listed ----------------------------------------------------------------------


def _person(user: User | None) -> str:
    return mask_name(user.display_name) if user is not None else ""


def _name(value) -> str | None:
    return str(value) if value is not None else None


def _yes_no(value: bool | None) -> str | None:
    if value is None:
        return None
    return str(_("Yes") if value else _("No"))


def _organiser(record) -> str:
    """A session's or a fair's organiser: an institution, a county, or the city bureau."""
    institution = getattr(record, "institution", None)
    if institution is not None:
        return str(institution)
    if record.county is not None:
        return str(record.county)
    return str(_("City bureau"))


def _names(related) -> str:
    """The names of a prefetched many-to-many relation, in order."""
    return "、".join(sorted(str(item) for item in related.all()))


PERSON = Column(_("Name (masked)"), lambda record: _person(record.worker))

LISTINGS: dict[type[models.Model], Listing] = {
    Enrollment: Listing(
        columns=(
            PERSON,
            Column(_("Programme"), lambda e: e.program.title),
            Column(_("Brand"), lambda e: _name(e.program.brand)),
            Column(_("Institution"), lambda e: _name(e.program.institution)),
            Column(_("Target level"), lambda e: _name(e.program.target_level)),
            Column(_("Completed"), lambda e: e.completed_at),
            Column(_("Passed"), lambda e: _yes_no(e.passed)),
        ),
        related=("worker", "program__brand", "program__institution", "program__target_level"),
        ordering=("-completed_at", "-pk"),
    ),
    Certificate: Listing(
        columns=(
            PERSON,
            Column(_("Occupation"), lambda c: _name(c.occupation)),
            Column(_("Level"), lambda c: _name(c.level)),
            Column(_("Issued by"), lambda c: c.evaluation_body),
            Column(_("Issued on"), lambda c: c.issued_on),
        ),
        related=("worker", "occupation", "level", "institution"),
        ordering=("-issued_on", "-pk"),
    ),
    EthicsSession: Listing(
        columns=(
            Column(_("Date"), lambda s: s.held_on),
            Column(_("Topic"), lambda s: s.topic),
            Column(_("Organised by"), _organiser),
            Column(_("Place"), lambda s: s.place),
            Column(_("Hours"), lambda s: s.hours),
            Column(_("Brands"), lambda s: _names(s.brands)),
        ),
        related=("county", "institution"),
        prefetch=("brands",),
        ordering=("-held_on", "-pk"),
    ),
    User: Listing(
        columns=(
            Column(_("Name (masked)"), _person),
            Column(
                _("Home county"), lambda u: _name(getattr(getattr(u, "profile", None), "home_county", None))
            ),
        ),
        related=("profile__home_county",),
        ordering=("pk",),
    ),
    Apprenticeship: Listing(
        columns=(
            PERSON,
            Column(_("Employer"), lambda a: _name(a.employer)),
            Column(_("Institution"), lambda a: _name(a.institution)),
            Column(_("Occupation"), lambda a: _name(a.occupation)),
            Column(_("Target level"), lambda a: _name(a.target_level)),
            Column(_("Starts"), lambda a: a.start_date),
            Column(_("Status"), lambda a: a.get_status_display()),
        ),
        related=("worker", "employer", "institution", "occupation", "target_level"),
        ordering=("-start_date", "-pk"),
    ),
    Application: Listing(
        columns=(
            PERSON,
            Column(_("Job"), lambda a: a.posting.title),
            Column(_("Employer"), lambda a: _name(a.posting.employer)),
            Column(_("Brand of the posting"), lambda a: _name(a.posting.brand)),
            Column(_("Province"), lambda a: _name(a.posting.province)),
            Column(_("Applied"), lambda a: a.created),
            Column(_("Status"), lambda a: a.get_status_display()),
            Column(_("Status since"), lambda a: a.status_changed),
        ),
        related=("worker", "posting__employer", "posting__brand", "posting__province"),
        ordering=("-status_changed", "-pk"),
    ),
    DockingFair: Listing(
        columns=(
            Column(_("Date"), lambda f: f.held_on),
            Column(_("Title"), lambda f: f.title),
            Column(_("Organised by"), _organiser),
            Column(_("Partner region"), lambda f: _name(f.partner)),
            Column(_("Place"), lambda f: f.place),
            Column(_("Attendance"), lambda f: f.attendance),
        ),
        related=("county", "partner"),
        ordering=("-held_on", "-pk"),
    ),
    BrandNews: Listing(
        columns=(
            Column(_("Title"), lambda n: n.title),
            Column(_("Brand"), lambda n: _name(n.brand)),
            Column(_("County"), lambda n: _name(n.brand.county)),
            Column(_("Published"), lambda n: n.published_at),
        ),
        related=("brand__county",),
        ordering=("-published_at", "-pk"),
    ),
    Brand: Listing(
        columns=(
            Column(_("Brand"), lambda b: b.name),
            Column(_("County"), lambda b: _name(b.county)),
            Column(_("Category"), lambda b: _name(b.category)),
            Column(_("Status"), lambda b: b.get_status_display()),
        ),
        related=("county", "category"),
        ordering=("county__code", "name", "pk"),
    ),
    PartnerAgreement: Listing(
        columns=(
            Column(_("County"), lambda a: _name(a.county)),
            Column(_("Institution"), lambda a: _name(a.institution)),
            Column(_("Brands"), lambda a: _names(a.brands)),
            Column(_("Signed on"), lambda a: a.signed_on),
            Column(_("Filed on"), lambda a: a.filed_on),
        ),
        related=("county", "institution"),
        prefetch=("brands",),
        ordering=("-filed_on", "-pk"),
    ),
}


def listing_for(queryset: QuerySet) -> Listing:
    return LISTINGS[queryset.model]


def listed(metric: Metric, part: Part, scope: Scope, period: Period) -> tuple[Listing, QuerySet]:
    """The listing and the ordered records, with their related rows, of one part of a figure."""
    queryset = records(metric, part, scope, period)
    listing = listing_for(queryset)
    return listing, listing.queryset(queryset)
