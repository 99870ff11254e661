"""Saved searches and job alerts (issue 15): saving a board search, the signed unsubscribe link, and the beat
task's work — for each due saved search, the open postings matching it that were published since its last
alert, told to the worker once.

How the alert run stays fast (docs/benchmarks.md, "Job alerts"): saved searches asking the same (the same
normalised query) are grouped, each distinct search runs once over the postings published since its group's
oldest watermark, several distinct searches in one statement (UNION ALL), and the counts are split per saved
search in Python; the notifications are created in bulk (accounts.services.notify_many).
"""

from __future__ import annotations

import bisect
import copy
import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Greatest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jobs.forms.board import PostingSearchForm
from jobs.models import JobPosting, SavedSearch
from jobs.models.alerts import NAME_MAX_LENGTH
from jobs.search import search_terms
from laborbrand.accounts.models import Notification, User
from laborbrand.accounts.services import notify_many
from laborbrand.forms import parse_id

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "jobs.saved-search.unsubscribe"
# A posting is visible to the run only once its transaction commits; one published (its published_at set)
# less than this long before the run may still be on its way, so the watermark never passes now - SETTLE.
SETTLE = datetime.timedelta(minutes=5)
# Distinct filters run in one statement.
SEARCHES_PER_QUERY = 100

# --- The search a saved search keeps ------------------------------------------------------------------------


def normalise_query(form: PostingSearchForm) -> str:
    """A valid search form's filters as a query string in a fixed order, without the sort order and empty
    filters: the same search always gives the same string, and binding it to the form reruns the search."""
    data = form.cleaned_data
    query = QueryDict(mutable=True)
    for name in sorted(form.fields):
        value = data.get(name)
        if name == "sort" or value in (None, "", False):
            continue
        if name == "q":
            value = " ".join(value.split())
            if not value:
                continue
        query[name] = "on" if value is True else str(value)
    return query.urlencode()


def search_form(query: str) -> PostingSearchForm:
    return PostingSearchForm(QueryDict(query))


def suggested_name(form: PostingSearchForm) -> str:
    """A name for a valid search from its keyword and filters: 数控 · 金寨县 · ¥6000+."""
    data = form.cleaned_data
    labels = dict(_flat_choices(form.fields["loc"].choices))
    parts = []
    if data.get("q"):
        parts.append(" ".join(data["q"].split()))
    if data.get("occupation") is not None:
        parts.append(str(dict(_flat_choices(form.fields["occupation"].choices)).get(data["occupation"], "")))
    elif data.get("category"):
        parts.append(str(dict(form.fields["category"].choices).get(data["category"], "")))
    if data.get("loc"):
        parts.append(str(labels.get(data["loc"], "")))
    if data.get("salary_min") is not None:
        parts.append(f"¥{data['salary_min']}+")
    name = " · ".join(part for part in parts if part) or _("All jobs")
    return name[:NAME_MAX_LENGTH]


def _flat_choices(choices):
    for key, label in choices:
        if isinstance(label, list | tuple):
            yield from label
        else:
            yield key, label


def board_url(saved_search: SavedSearch) -> str:
    url = reverse("jobs:search")
    return f"{url}?{saved_search.query}" if saved_search.query else url


# --- Saving, changing, unsubscribing -----------------------------------------------------------------------


def saved_search_create(*, worker: User, name: str, query: str, frequency: str) -> SavedSearch:
    now = timezone.now()
    return SavedSearch.objects.create(
        worker=worker,
        name=name,
        query=query,
        frequency=frequency,
        created=now,
        last_alerted_at=now,
        checked_at=now,
    )


def _signer() -> signing.Signer:
    return signing.Signer(salt=UNSUBSCRIBE_SALT)


def unsubscribe_token(saved_search: SavedSearch | int) -> str:
    """The signed token of the unsubscribe link: the search's id and its signature (HMAC of SECRET_KEY with a
    salt of its own, so no other signed value of the site passes for it); altering the id breaks it."""
    pk = saved_search if isinstance(saved_search, int) else saved_search.pk
    return _signer().sign(str(pk))


def unsubscribe_url(saved_search: SavedSearch) -> str:
    return reverse("jobs:saved_search_unsubscribe", args=[unsubscribe_token(saved_search)])


def saved_search_for_token(token: str) -> SavedSearch | None:
    try:
        pk = parse_id(_signer().unsign(token))
    except signing.BadSignature:
        return None
    return SavedSearch.objects.filter(pk=pk).first() if pk is not None else None


def saved_search_unsubscribe(*, saved_search: SavedSearch) -> None:
    """No more alerts for this search; the worker keeps it and can switch alerts on again."""
    if saved_search.active:
        saved_search.active = False
        saved_search.save(update_fields=["active"])


# --- The alert run -----------------------------------------------------------------------------------------

DAILY, WEEKLY = SavedSearch.Frequency.DAILY, SavedSearch.Frequency.WEEKLY


def due_before(now: datetime.datetime) -> dict[str, datetime.datetime]:
    """A search is due when the run last looked at it before these moments: daily, on an earlier city day;
    weekly, seven or more city days ago. By days, not hours, so a run a few seconds earlier than last week's
    still counts."""
    midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return {
        SavedSearch.Frequency.DAILY: midnight,
        # A wall-clock date, then its midnight: right across a change of UTC offset too.
        SavedSearch.Frequency.WEEKLY: timezone.make_aware(
            datetime.datetime.combine(midnight.date() - datetime.timedelta(days=6), datetime.time())
        ),
    }


def is_due(frequency: str, checked_at: datetime.datetime, now: datetime.datetime) -> bool:
    return checked_at < due_before(now)[frequency]


@dataclass
class AlertRun:
    due: int = 0
    distinct: int = 0
    queries: int = 0
    notified: int = 0
    postings: int = 0
    seconds: float = 0.0
    skipped_invalid: int = 0
    per_search: dict[int, int] = field(default_factory=dict)


class _Filters:
    """What each single filter of the board's search selects among the candidate postings, each found once.

    PostingSearchForm.filter narrows the postings by one condition per filter (and per keyword term), all
    of them required: a search selects exactly the postings every one of its filters selects. So each
    distinct filter (`loc=city`, `salary_min=6000`, the term 焊工) runs once, through the form itself — its
    own SQL, the keyword index included — over the candidates, and a saved search is the intersection of its
    filters' postings. 50,000 saved searches use about a thousand distinct filters; building and compiling a
    query per distinct search cost more than everything else (docs/benchmarks.md, "Job alerts")."""

    def __init__(self, candidates, run: AlertRun):
        self.candidates = candidates
        self.run = run
        self.template = PostingSearchForm()
        self.names = set(self.template.fields) - {"sort"}
        # (name, value) → whether it reads; (name, value) or ("q", term) → the candidates it selects.
        self.readable: dict[tuple[str, str], bool] = {}
        self.found: dict[tuple[str, str], frozenset[int]] = {}

    def _form(self, name: str, value: str) -> PostingSearchForm:
        # The form reads the brands and builds its choice lists when made: one is made, and each filter gets a
        # shallow copy bound to it (cleaning does not change the fields).
        form = copy.copy(self.template)
        form.data = QueryDict(mutable=True)
        form.data[name] = value
        form.is_bound = True
        form._errors = None
        form._bound_fields_cache = {}
        form.__dict__.pop("cleaned_data", None)
        return form

    def parse(self, query: str) -> list[tuple[str, str]] | None:
        """The filters a query's postings must each pass (the keyword split into its terms), or None when one
        of its values does not read (the board then lists nothing)."""
        pairs = parse_qsl(query, keep_blank_values=True)
        values = {name: value for name, value in pairs if name in self.names}
        filters = []
        for name, value in values.items():
            if (name, value) not in self.readable:
                self.readable[(name, value)] = self._form(name, value).is_valid()
            if not self.readable[(name, value)]:
                return None
            if name == "q":
                filters += [("q", term) for term in search_terms(value)]
            elif value:
                filters.append((name, value))
        return filters

    def run_all(self, filters: set[tuple[str, str]]) -> None:
        """Find what each filter selects: the filters' queries in statements of SEARCHES_PER_QUERY."""
        todo = [key for key in filters if key not in self.found]
        for start in range(0, len(todo), SEARCHES_PER_QUERY):
            chunk = todo[start : start + SEARCHES_PER_QUERY]
            parts = []
            for index, (name, value) in enumerate(chunk):
                form = self._form(name, value)
                form.is_valid()
                self.found[(name, value)] = frozenset()
                parts.append(
                    form.filter(self.candidates)
                    .order_by()
                    .annotate(filter_index=Value(index))
                    .values_list("filter_index", "pk")
                )
            first, *rest = parts
            selected: dict[int, set[int]] = defaultdict(set)
            for index, pk in first.union(*rest, all=True) if rest else first:
                selected[index].add(pk)
            for index, pks in selected.items():
                self.found[chunk[index]] = frozenset(pks)
            self.run.queries += 1

    def select(self, filters: list[tuple[str, str]], everything: frozenset[int]) -> frozenset[int]:
        if not filters:
            return everything
        sets = sorted((self.found[key] for key in filters), key=len)
        return sets[0].intersection(*sets[1:])


def _matches(groups: dict[str, datetime.datetime], today, run: AlertRun) -> dict[str, list]:
    """For each distinct query, the publication times (oldest first) of the public postings matching it that
    were published after its group's watermark."""
    if not groups:
        return {}
    since = min(groups.values())
    candidates = JobPosting.objects.public(today).filter(published_at__gt=since)
    published = dict(candidates.order_by().values_list("pk", "published_at"))
    run.queries += 1
    filters = _Filters(candidates, run)
    parsed = {query: filters.parse(query) for query in groups}
    run.skipped_invalid = sum(1 for found in parsed.values() if found is None)
    filters.run_all({key for found in parsed.values() if found for key in found})
    everything = frozenset(published)
    matches = {}
    for query, group_since in groups.items():
        if parsed[query] is None:
            matches[query] = []
            continue
        ids = filters.select(parsed[query], everything)
        matches[query] = sorted(t for t in map(published.__getitem__, ids) if t > group_since)
    return matches


def alert_title(name: str, count: int) -> str:
    return ngettext(
        "%(count)s new job for your saved search “%(name)s”",
        "%(count)s new jobs for your saved search “%(name)s”",
        count,
    ) % {"count": count, "name": name}


class _Links:
    """The alerts' links, each made by formatting the id into a pattern reversed once (reverse() per
    notification cost seconds at 50,000 searches)."""

    PLACEHOLDER = 987654321

    def __init__(self):
        self.open = reverse("jobs:saved_search_open", args=[self.PLACEHOLDER])
        self.unsubscribe = settings.SITE_URL + reverse("jobs:saved_search_unsubscribe", args=["TOKEN"])

    def open_url(self, pk: int) -> str:
        return self.open.replace(str(self.PLACEHOLDER), str(pk))

    def unsubscribe_url(self, pk: int) -> str:
        return self.unsubscribe.replace("TOKEN", unsubscribe_token(pk))


def alert_body(name: str, link: str) -> str:
    """The alert's text, the unsubscribe link on a line of its own (so the site shows it as a link)."""
    text = _(
        "Open the link to see the new jobs. To stop the alerts for “%(name)s”, open this link (no sign-in "
        "needed):"
    ) % {"name": name}
    return f"{text}\n{link}"


def send_job_alerts(now: datetime.datetime | None = None) -> AlertRun:
    """Tell each worker, once, about the new postings matching each of their due saved searches. Safe to run
    twice: a search looked at today is not due again, and its watermark has moved past what it counted."""
    import time

    started = time.monotonic()
    now = now or timezone.now()
    today = timezone.localdate(now)
    run = AlertRun()
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        before = due_before(now)
        due = list(
            SavedSearch.objects.active()
            .filter(
                Q(frequency=SavedSearch.Frequency.DAILY, checked_at__lt=before[SavedSearch.Frequency.DAILY])
                | Q(
                    frequency=SavedSearch.Frequency.WEEKLY,
                    checked_at__lt=before[SavedSearch.Frequency.WEEKLY],
                )
            )
            .select_for_update(skip_locked=True, of=("self",))
            .values_list("pk", "worker_id", "name", "query", "frequency", "checked_at", "last_alerted_at")
        )
        run.queries += 1
        run.due = len(due)
        groups: dict[str, datetime.datetime] = {}
        for _pk, _worker, _name, query, _freq, _checked, watermark in due:
            if query not in groups or watermark < groups[query]:
                groups[query] = watermark
        run.distinct = len(groups)
        found = _matches(groups, today, run)
        notices = []
        links = _Links()
        moved: dict[datetime.datetime, list[int]] = defaultdict(list)
        floor = now - SETTLE
        for pk, worker_id, name, query, _freq, _checked, watermark in due:
            times = found.get(query) or []
            # times are oldest first: those after this search's watermark are the tail.
            count = len(times) - bisect.bisect_right(times, watermark)
            if not count:
                continue
            run.per_search[pk] = count
            run.postings += count
            if times[-1] > floor:
                moved[times[-1]].append(pk)
            notices.append(
                (
                    worker_id,
                    alert_title(name, count)[:200],
                    alert_body(name, links.unsubscribe_url(pk)),
                    links.open_url(pk),
                    ("alert", {"name": name, "count": str(count)}),
                )
            )
        due_ids = [row[0] for row in due]
        for start in range(0, len(due_ids), 10_000):
            SavedSearch.objects.filter(pk__in=due_ids[start : start + 10_000]).update(
                checked_at=now, last_alerted_at=Greatest(F("last_alerted_at"), Value(floor))
            )
            run.queries += 1
        for newest, pks in moved.items():
            SavedSearch.objects.filter(pk__in=pks).update(last_alerted_at=newest)
            run.queries += 1
        notify_many(notices=notices, kind=Notification.Kind.JOB_ALERT)
        run.notified = len(notices)
    run.seconds = time.monotonic() - started
    logger.info(
        "job alerts: %s due searches (%s distinct), %s notifications in %.1f s",
        run.due,
        run.distinct,
        run.notified,
        run.seconds,
    )
    return run
