"""Training metrics counted from the events of a period: trainee-times, advanced level, pass rate,
certificates issued, partner agreements filed by the deadline.

Each record counts in the period of one date, said in its definition: an enrolment on the moment it was
completed (the city's days, period.bounds()), a certificate on the day it was issued, an agreement on the day
it was filed. The scope follows the record's brand where it has one (an enrolment's programme's brand, an
agreement's brands) and is otherwise stated per metric.
"""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

# Not `from laborbrand import metrics`: that imports the project package (the wiring, above every layer).
from laborbrand.metrics import COUNT, PERCENT, Metric, Period, Scope, register
from training.models import Certificate, Enrollment, PartnerAgreement, filing_deadline

# 高级工 is level 三级, rank 3 of the five national skill levels (rank 1 五级/初级工 .. rank 5 一级/高级技师).
ADVANCED_RANK = 3


def _scoped(records: QuerySet, scope: Scope, *, county: str, brand: str) -> QuerySet:
    """The records of the scope: `county` and `brand` are the lookups from a record to its county's and its
    brand's id."""
    if scope.brand_id is not None:
        return records.filter(**{brand: scope.brand_id})
    if scope.county_id is not None:
        return records.filter(**{county: scope.county_id})
    return records


def completed_enrollments(scope: Scope, period: Period) -> QuerySet:
    """Enrolments completed in the period (one trainee-time each), in programmes of the scope's brands."""
    first, after = period.bounds()
    completed = Enrollment.objects.completed().filter(completed_at__gte=first, completed_at__lt=after)
    return _scoped(completed, scope, county="program__brand__county_id", brand="program__brand_id")


def advanced_enrollments(scope: Scope, period: Period) -> QuerySet:
    return completed_enrollments(scope, period).filter(program__target_level__rank__gte=ADVANCED_RANK)


def passed_enrollments(scope: Scope, period: Period) -> QuerySet:
    return completed_enrollments(scope, period).filter(passed=True)


def certificates_issued(scope: Scope, period: Period) -> QuerySet:
    """Valid certificates issued in the period: a county's are those its institutions issued, a brand's those
    in one of its occupations (an occupation two brands share counts for both, as brand membership does)."""
    issued = Certificate.objects.valid().filter(issued_on__gte=period.start, issued_on__lte=period.end)
    # One row per certificate: a brand lists an occupation at most once.
    return _scoped(issued, scope, county="institution__county_id", brand="occupation__brands")


def agreements_filed_by_deadline(scope: Scope, period: Period) -> QuerySet:
    """Agreements filed in the period on or before the filing deadline of the year they were signed in.

    Filed by the deadline means filed in the year of signing (an agreement is filed after it is signed), so
    each year of the period contributes its own days up to its deadline."""
    on_time = Q()
    for year in range(period.start.year, period.end.year + 1):
        first = max(period.start, datetime.date(year, 1, 1))
        last = min(period.end, filing_deadline(year))
        if first <= last:
            on_time |= Q(signed_on__year=year, filed_on__gte=first, filed_on__lte=last)
    if not on_time:
        # Every day of the period is after its year's deadline.
        return PartnerAgreement.objects.none()
    # One row per agreement: an agreement names a brand at most once.
    return _scoped(PartnerAgreement.objects.filter(on_time), scope, county="county_id", brand="brands")


register(
    Metric(
        key="trainee_times",
        name=_("Trainee-times in brand programmes"),
        unit=COUNT,
        definition=_(
            "Enrolments in brand training programmes completed in the period, one trainee-time each: a "
            "worker who completes two programmes counts twice. An enrolment counts on the day it was "
            "completed (the day its class result was recorded). A county's are those in programmes of its "
            "brands, wherever the institution is; a brand's those in its own programmes."
        ),
        records=completed_enrollments,
        order=10,
    )
)

register(
    Metric(
        key="trainee_times_advanced",
        name=_("Trainee-times at advanced level (高级工) or above"),
        unit=COUNT,
        definition=_(
            "Of the trainee-times in brand programmes, those in programmes whose target level is 高级工 "
            "(三级) or higher (二级/技师, 一级/高级技师). Counted on the day the enrolment was completed; "
            "a county's are those in programmes of its brands, a brand's those in its own programmes."
        ),
        records=advanced_enrollments,
        order=20,
    )
)

register(
    Metric(
        key="pass_rate",
        name=_("Training pass rate"),
        unit=PERCENT,
        definition=_(
            "Of the enrolments in brand programmes completed in the period, the share that passed the final "
            "examination (theory and practical scores both at least 60). Counted on the day the enrolment "
            "was completed; a county's are those in programmes of its brands, a brand's those in its own "
            "programmes. No rate is shown when no enrolment was completed."
        ),
        records=passed_enrollments,
        base=completed_enrollments,
        order=30,
    )
)

register(
    Metric(
        key="certificates_issued",
        name=_("Skill-level certificates issued"),
        unit=COUNT,
        definition=_(
            "Skill-level certificates issued in the period, by the day of issue; certificates revoked since "
            "are not counted. A county's are those issued by institutions in the county; a brand's those in "
            "one of the brand's occupations, so a certificate in an occupation two brands share counts for "
            "both."
        ),
        records=certificates_issued,
        order=75,
    )
)

register(
    Metric(
        key="agreements_filed_by_deadline",
        name=_("Partner agreements filed by the deadline"),
        unit=COUNT,
        definition=_(
            "Partner agreements (签约备案) filed with the city on or before the filing deadline of the year "
            "they were signed in (30 June unless the city sets another day). An agreement counts on the day "
            "it was filed; one filed late is not counted. A county's are its own agreements; a brand's those "
            "that name the brand."
        ),
        records=agreements_filed_by_deadline,
        order=150,
    )
)
