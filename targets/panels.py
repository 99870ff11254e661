"""The workbench's way to the dashboards: city readers to the city's, an official to their county's."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from laborbrand.accounts.workbench import Panel, panel
from targets.permissions import READERS, sees_city


@panel(*READERS, order=15)
def dashboard(user):
    year = timezone.localdate().year
    if sees_city(user):
        return Panel("targets/includes/_panel.html", {"url": reverse("targets:city", args=[year])})
    if user.county_id is None:
        return None
    return Panel(
        "targets/includes/_panel.html",
        {"url": reverse("targets:county", args=[year, user.county_id]), "county": user.county},
    )
