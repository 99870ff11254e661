"""Placement figures from the job board: brand placements (registered with brands.figures) and
cross-province placements. A placement is a hire through the portal, dated by the hire."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from brands.figures import Metric, provides
from brands.models import Brand
from jobs.models import Application, home_province_id
from training.membership import brand_members


def hires(since: datetime.datetime | None = None) -> QuerySet[Application]:
    hired = Application.objects.hired()
    return hired if since is None else hired.filter(status_changed__gte=since)


def cross_province(applications: QuerySet[Application]) -> QuerySet[Application]:
    """Hires into jobs in another province than the city's (劳务输出)."""
    return applications.exclude(posting__province_id=home_province_id())


@provides(Metric.PLACEMENTS)
def brand_placements_last_12_months(brand: Brand) -> int:
    """Hires in the last 12 months of workers who are members of the brand."""
    since = timezone.now() - datetime.timedelta(days=365)
    return hires(since).filter(worker__in=brand_members(brand).values("pk")).count()
