"""Saved job searches and their alerts (issue 15). A worker saves a search of the public board; a beat task
(jobs/alerts.py) tells them, daily or weekly, about the open postings matching it that were published since
the last alert."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A worker keeps at most this many saved searches (the form says so beyond).
MAX_SAVED_SEARCHES = 20
NAME_MAX_LENGTH = 60


class SavedSearchQuerySet(models.QuerySet):
    def active(self) -> SavedSearchQuerySet:
        return self.filter(active=True)


class SavedSearch(models.Model):
    """A search of the job board a worker wants to hear about. `query` is the search's normalised query
    string (jobs.alerts.normalise_query): the cleaned filters of PostingSearchForm in a fixed order, so two
    saved searches asking the same have the same `query` and binding it to the form reruns the search exactly.

    `last_alerted_at` is the watermark: only postings published after it count (it starts at creation, and
    moves to the newest posting an alert counted). `checked_at` is when the alert task last looked at the
    search, which decides when it is due again (daily: another city day; weekly: seven days on)."""

    class Frequency(models.TextChoices):
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")

    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH)
    query = models.CharField(_("search"), max_length=1000, blank=True)
    frequency = models.CharField(
        _("how often"), max_length=10, choices=Frequency.choices, default=Frequency.DAILY
    )
    active = models.BooleanField(
        _("send alerts"), default=True, help_text=_("Untick to keep the search without alerts.")
    )
    created = models.DateTimeField(_("created"), default=timezone.now)
    last_alerted_at = models.DateTimeField(_("last alerted"), default=timezone.now)
    checked_at = models.DateTimeField(_("last checked"), default=timezone.now)

    objects = SavedSearchQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        indexes = [
            # The alert task reads the active searches grouped by their search.
            models.Index(fields=["query"], condition=models.Q(active=True), name="saved_search_active_idx"),
            models.Index(fields=["worker", "-created"], name="saved_search_worker_idx"),
        ]
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")

    def __str__(self):
        return self.name
