"""Brand figures that come from training records, registered with brands.figures (see that module)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from brands.figures import Metric, provides, provides_membership
from brands.models import Brand
from training.membership import certificate_rate, membership_counts
from training.models import Enrollment

provides_membership(membership_counts)


@provides(Metric.TRAINED_PER_YEAR)
def trained_last_12_months(brand: Brand) -> int:
    """Trainee-times (人次): enrolments in the brand's programmes completed in the last 12 months."""
    since = timezone.now() - datetime.timedelta(days=365)
    return Enrollment.objects.completed().filter(program__brand=brand, completed_at__gte=since).count()


@provides(Metric.CERTIFIED_MEMBERS)
def certified_members(brand: Brand) -> int:
    return membership_counts(brand)["certified"]


@provides(Metric.CERTIFICATE_RATE)
def certificate_holding_rate(brand: Brand) -> int:
    return certificate_rate(membership_counts(brand))
