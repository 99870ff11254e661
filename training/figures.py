"""Brand figures that come from training records, registered with brands.figures (see that module)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from brands.figures import Metric, provides
from brands.models import Brand
from training.models import Enrollment


@provides(Metric.TRAINED_PER_YEAR)
def trained_last_12_months(brand: Brand) -> int:
    """Trainee-times (人次): enrolments in the brand's programmes completed in the last 12 months."""
    since = timezone.now() - datetime.timedelta(days=365)
    return Enrollment.objects.completed().filter(program__brand=brand, completed_at__gte=since).count()
