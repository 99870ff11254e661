"""Brand figures that come from training records, registered with brands.figures (see that module).

Certified members and the certificate-holding rate (the recognition criteria) are the certificate-holding
metric of training/metrics/members.py for the brand as of today, so the criteria and the dashboards give one
number; the brand page's membership counts (membership.py) apply the same rule to today's records and agree
with it (tests/metrics/test_training_members.py)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from brands.figures import Metric, provides, provides_membership
from brands.models import Brand
from laborbrand.metrics import Figure, Period, Scope
from training.membership import certificate_rate, membership_counts
from training.metrics.members import CERTIFICATE_HOLDING_RATE
from training.models import Enrollment

provides_membership(membership_counts)


@provides(Metric.TRAINED_PER_YEAR)
def trained_last_12_months(brand: Brand) -> int:
    """Trainee-times (人次): enrolments in the brand's programmes completed in the last 12 months."""
    since = timezone.now() - datetime.timedelta(days=365)
    return Enrollment.objects.completed().filter(program__brand=brand, completed_at__gte=since).count()


def _today() -> Period:
    """Membership counts as of today: a period ending today (the brand page's 12 months)."""
    return Period.last_days(365)


@provides(Metric.CERTIFIED_MEMBERS)
def certified_members(brand: Brand) -> int:
    metric = CERTIFICATE_HOLDING_RATE
    return metric.count(metric.records(Scope.brand(brand), _today()))


@provides(Metric.CERTIFICATE_RATE)
def certificate_holding_rate(brand: Brand) -> int:
    """A whole percentage, 0 without members, as the criteria's thresholds are written."""
    figure: Figure = CERTIFICATE_HOLDING_RATE.figure(Scope.brand(brand), _today())
    return certificate_rate({"certified": figure.numerator, "members": figure.denominator})
