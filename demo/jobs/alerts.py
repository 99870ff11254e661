"""worker_a saved a search for electronics jobs two weeks ago and has had the alert of the jobs posted since:
a saved search on "My saved searches" and a job alert among the notifications, made by the alert task."""

from __future__ import annotations

import datetime

from django.utils import timezone

from jobs.alerts import normalise_query, saved_search_create, search_form, send_job_alerts
from jobs.models import SavedSearch
from laborbrand.accounts.models import User


def seed_saved_searches() -> None:
    worker = User.objects.get(username="worker_a")
    if SavedSearch.objects.filter(worker=worker).exists():
        return
    form = search_form("q=电子")
    form.is_valid()
    saved = saved_search_create(
        worker=worker, name="电子 · 岗位", query=normalise_query(form), frequency=SavedSearch.Frequency.DAILY
    )
    two_weeks_ago = timezone.now() - datetime.timedelta(days=14)
    SavedSearch.objects.filter(pk=saved.pk).update(
        created=two_weeks_ago, last_alerted_at=two_weeks_ago, checked_at=two_weeks_ago
    )
    send_job_alerts()
