"""Training metrics over brand members: ethics sessions held, ethics coverage of brand members, the
certificate-holding rate of brand members.

Brand membership is the rule of training/membership.py — on the brand's practitioner register, a passed
enrolment in one of the brand's programmes, or a valid certificate in one of the brand's occupations — read as
of the last day of the period: a practitioner registered by the end of that day and not removed by then, an
enrolment completed by the end of that day, a certificate issued by that day and not revoked by its end. For
the current period (ending today) that is the same as membership.py's "now". A county's members are those of
its brands in the programme (cultivating or recognised, as they stand today), the city's those of every brand
in the programme; a single brand's are its own whatever its status (its recognition is decided on them).
"""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brands.models import Brand, Practitioner
from laborbrand.accounts.models import User
from laborbrand.metrics import COUNT, PERCENT, Metric, Period, Scope, register
from training.models import Certificate, Enrollment, EthicsAttendance, EthicsSession


def _brands(scope: Scope) -> Q:
    """The brands whose members a scope counts, as a filter on Brand."""
    if scope.brand_id is not None:
        return Q(pk=scope.brand_id)
    public = Q(status__in=Brand.PUBLIC_STATUSES)
    return public & Q(county_id=scope.county_id) if scope.county_id is not None else public


def _end(period: Period) -> datetime.datetime:
    """The first moment after the period (city time)."""
    return period.bounds()[1]


def registered_ids(scope: Scope, period: Period) -> QuerySet:
    """Workers on the practitioner register of one of the scope's brands at the period's end: registered
    before it and not removed by then."""
    return (
        Practitioner.objects.registered_by(_end(period))
        .filter(brand__in=scope_brands(scope))
        .order_by()
        .values("worker_id")
    )


def trained_ids(scope: Scope, period: Period) -> QuerySet:
    """Workers with a passed enrolment, completed by the period's end, in a programme of the scope's
    brands."""
    return (
        Enrollment.objects.completed()
        .filter(
            passed=True,
            completed_at__lt=_end(period),
            program__brand__in=scope_brands(scope),
        )
        .order_by()
        .values("worker_id")
    )


def valid_certificates(period: Period) -> QuerySet:
    """Certificates valid on the period's last day: issued by then and not revoked by its end."""
    return Certificate.objects.filter(issued_on__lte=period.end).filter(
        Q(revoked_at__isnull=True) | Q(revoked_at__gte=_end(period))
    )


def certified_ids(scope: Scope, period: Period) -> QuerySet:
    """Workers holding, on the period's last day, a valid certificate in an occupation of the scope's
    brands."""
    occupations = Brand.occupations.through.objects.filter(brand__in=scope_brands(scope)).values(
        "occupation_id"
    )
    return valid_certificates(period).filter(occupation__in=occupations).order_by().values("worker_id")


def scope_brands(scope: Scope) -> QuerySet[Brand]:
    """The brands a scope counts: the brand itself whatever its status; for a county or the city, their
    brands being cultivated or recognised."""
    return Brand.objects.filter(_brands(scope))


def member_ids(scope: Scope, period: Period) -> QuerySet:
    """The ids of the scope's brand members as of the period's last day, each once (a UNION), for use as a
    subquery. Every metric over brand members — here and the job board's — counts these."""
    return registered_ids(scope, period).union(trained_ids(scope, period), certified_ids(scope, period))


def members(scope: Scope, period: Period) -> QuerySet[User]:
    """The scope's brand members as of the period's last day, each once."""
    return User.objects.filter(pk__in=member_ids(scope, period))


def _held_by(period: Period) -> datetime.date:
    """The last day whose sessions are held: the period's last, or today for a period not yet over (a
    session is recorded ahead of its date)."""
    return min(period.end, timezone.localdate())


def _attended_ids(period: Period) -> QuerySet:
    return (
        EthicsAttendance.objects.filter(session__held_on__lte=_held_by(period)).order_by().values("worker_id")
    )


def covered_members(scope: Scope, period: Period) -> QuerySet[User]:
    """Members who attended at least one ethics session held on or before the period's last day."""
    return members(scope, period).filter(pk__in=_attended_ids(period))


def uncovered_members(scope: Scope, period: Period) -> QuerySet[User]:
    """Members not yet covered: no ethics session attended by the period's last day (the list the city works
    through to reach 100 %)."""
    return members(scope, period).exclude(pk__in=_attended_ids(period))


def certified_members(scope: Scope, period: Period) -> QuerySet[User]:
    return User.objects.filter(pk__in=certified_ids(scope, period))


def ethics_sessions(scope: Scope, period: Period) -> QuerySet[EthicsSession]:
    sessions = EthicsSession.objects.filter(held_on__gte=period.start, held_on__lte=_held_by(period))
    if scope.brand_id is not None:
        return sessions.filter(brands=scope.brand_id)
    if scope.county_id is not None:
        return sessions.filter(Q(county_id=scope.county_id) | Q(institution__county_id=scope.county_id))
    return sessions


ETHICS_SESSIONS = register(
    Metric(
        key="ethics_sessions",
        name=_("Ethics sessions held"),
        unit=COUNT,
        definition=_(
            "Professional-ethics sessions held in the period, by the date the session was held (a session "
            "recorded for a day after today is not held yet). A county "
            "counts the sessions it organised and those organised by an institution of the county; sessions "
            "of the city bureau count for the city only. A brand counts the sessions that name it."
        ),
        records=ethics_sessions,
        order=40,
    )
)

ETHICS_COVERAGE = register(
    Metric(
        key="ethics_coverage",
        name=_("Ethics coverage of brand members"),
        unit=PERCENT,
        definition=_(
            "Brand members who attended at least one professional-ethics session held on or before the "
            "period's last day and not after today (any session, whoever organised it), over all brand "
            "members on the period's last day. A brand member is on the brand's practitioner register (from "
            "the day they were registered until the day they were removed), has completed one of the brand's "
            "programmes with a pass, or holds a valid certificate in one of the brand's occupations. A brand "
            "counts its own members, a county the members of its brands in the programme (cultivation "
            "targets and recognised brands), the city the members of every brand in the programme; a worker "
            "is counted once."
        ),
        records=covered_members,
        base=members,
        order=41,
    )
)

CERTIFICATE_HOLDING_RATE = register(
    Metric(
        key="certificate_holding_rate",
        name=_("Certificate-holding rate of brand members"),
        unit=PERCENT,
        definition=_(
            "Brand members holding a valid certificate in an occupation of the brands counted on the "
            "period's last day (issued by that day and not revoked by its end), over all brand members on "
            "that day. A brand member is on the brand's practitioner register (from the day they were "
            "registered until the day they were removed), has completed one of the brand's programmes with a "
            "pass, or holds such a certificate: a practitioner without one lowers the rate. A brand counts "
            "its own members, a county the members of its brands in the programme (cultivation targets and "
            "recognised brands), the city the members of every brand in the programme; a worker is counted "
            "once."
        ),
        records=certified_members,
        base=members,
        order=61,
    )
)
