"""The job-alert benchmark's data (bench_alerts): open postings as bench_load_postings writes them, and
workers with saved searches — a realistic mix of keywords, places, occupations, salary and benefit filters, a
share of them the same few popular searches — all saved a day ago, and a share of the postings published
since.

Every row is marked: the employers and postings as bench/postings.py marks them, the workers by their user
name (`bench-a0000001` …) and their address at bench.invalid; saved searches, notifications, preferences and
texts hang on those workers. `clear()` removes exactly those rows."""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from bench.marks import EMAIL_DOMAIN
from bench.postings import Loader, bench_employers, clear_bench_postings
from jobs.models import JobPosting, SavedSearch
from jobs.search import search_terms
from laborbrand.accounts import pii
from laborbrand.accounts.models import Notification, NotificationPreference, SmsMessage, User
from laborbrand.reference.models import County, Occupation, OccupationCategory, Province, SkillLevel

USERNAME = "bench-a{:07d}"
USERNAME_REGEX = r"^bench-a[0-9]{7}$"
SEARCHES_PER_WORKER = 5
BATCH = 5000
DAY = datetime.timedelta(days=1)
ALERT = Notification.Kind.JOB_ALERT

# What workers type: everyday job names and the benefits they look for (those bench_load_postings writes).
KEYWORDS = (
    "焊工",
    "电焊",
    "电工",
    "厨师",
    "保洁",
    "普工",
    "司机",
    "数控",
    "月嫂",
    "育婴",
    "保安",
    "叉车",
    "装配",
    "包吃住",
    "五险一金",
    "长白班",
    "学徒",
    "操作工",
    "家政",
    "养老护理",
    "服务员",
    "快递",
    "仓管",
    "CNC",
    "钳工",
    "木工",
    "瓦工",
    "水电",
    "挖掘机",
    "茶艺",
)
# Share of searches with each kind of filter.
KEYWORD, LOCATION, OCCUPATION, CATEGORY, SALARY, BENEFIT, LEVEL = 0.6, 0.6, 0.25, 0.15, 0.35, 0.15, 0.05
POPULAR = 300  # the popular searches that IDENTICAL of all searches repeat exactly
IDENTICAL = 0.35
WEEKLY = 0.2
SMS_SHARE, NO_EMAIL_SHARE = 0.1, 0.3


class OpenPostings(Loader):
    status_weights = {JobPosting.Status.OPEN: 1}
    lapsed_share = 0


def bench_workers():
    return User.objects.filter(Q(username__regex=USERNAME_REGEX) & Q(email__endswith=f"@{EMAIL_DOMAIN}"))


class Searches:
    """Random board searches as query strings in the board's own form (the saved search normalises them)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.locations = ["city"] * 6 + ["other"] * 2
        self.locations += [f"county:{c}" for c in County.objects.values_list("code", flat=True)] * 2
        self.locations += [f"province:{c}" for c in Province.objects.values_list("code", flat=True)[:12]]
        occupations = list(Occupation.objects.values_list("pk", flat=True))
        rng.shuffle(occupations)
        self.occupations = occupations
        self.occupation_weights = [1 / (rank + 1) ** 0.9 for rank in range(len(occupations))]
        self.categories = list(OccupationCategory.objects.values_list("slug", flat=True))
        self.levels = list(SkillLevel.objects.values_list("rank", flat=True))
        self.popular = [self.fresh() for _ in range(POPULAR)]

    def fresh(self) -> str:
        rng = self.rng
        parts = []
        if rng.random() < KEYWORD:
            words = rng.sample(KEYWORDS, k=1 if rng.random() < 0.85 else 2)
            parts.append(("q", " ".join(search_terms(" ".join(words)))))
        if rng.random() < LOCATION:
            parts.append(("loc", rng.choice(self.locations)))
        if rng.random() < OCCUPATION:
            parts.append(("occupation", rng.choices(self.occupations, weights=self.occupation_weights)[0]))
        elif self.categories and rng.random() < CATEGORY:
            parts.append(("category", rng.choice(self.categories)))
        if rng.random() < SALARY:
            parts.append(("salary_min", rng.randrange(3000, 9001, 500)))
        if rng.random() < BENEFIT:
            parts.append((rng.choice(("housing", "meals", "social_insurance")), "on"))
        if self.levels and rng.random() < LEVEL:
            parts.append(("level", rng.choice(self.levels)))
        from django.http import QueryDict

        query = QueryDict(mutable=True)
        for key, value in parts:
            query[key] = str(value)
        return query.urlencode()

    def next(self) -> str:
        return self.rng.choice(self.popular) if self.rng.random() < IDENTICAL else self.fresh()


def build(*, postings: int, searches: int, new: int, seed: int, out) -> datetime.datetime:
    """Load the postings and the saved searches; returns the moment the searches were saved."""
    from jobs.alerts import normalise_query, search_form, suggested_name

    rng = random.Random(seed)  # noqa: S311  (a repeatable dataset, nothing secret)
    now = timezone.now()
    saved_at = now - datetime.timedelta(days=1)
    with transaction.atomic():
        loader = OpenPostings(rng)
        employers = loader.create_employers(max(1, min(300, postings // 30)))
        loader.create_postings(employers, postings)
        # The new ones: published since the searches were saved (up to ten minutes before now).
        ids = list(JobPosting.objects.filter(employer__in=bench_employers()).values_list("pk", flat=True))
        fresh = rng.sample(ids, min(new, len(ids)))
        span = (now - saved_at - datetime.timedelta(minutes=10)).total_seconds()
        rows = JobPosting.objects.in_bulk(fresh)
        for posting in rows.values():
            posting.published_at = saved_at + datetime.timedelta(seconds=rng.uniform(1, span))
        JobPosting.objects.bulk_update(rows.values(), ["published_at"], batch_size=BATCH)
        # Older ones: published before the searches were saved.
        JobPosting.objects.filter(employer__in=bench_employers(), published_at__gt=saved_at).exclude(
            pk__in=fresh
        ).update(published_at=saved_at - datetime.timedelta(hours=2))
    out(f"built {postings} open postings ({len(fresh)} new since the searches were saved)")

    workers = max(1, -(-searches // SEARCHES_PER_WORKER))
    maker = Searches(rng)
    normal: dict[str, str] = {}
    names: dict[str, str] = {}
    with transaction.atomic():
        users = []
        for n in range(1, workers + 1):
            texted = rng.random() < SMS_SHARE
            phone = f"139{n:08d}" if texted else None
            users.append(
                User(
                    username=USERNAME.format(n),
                    email=f"{USERNAME.format(n)}@{EMAIL_DOMAIN}",
                    role=User.Role.WORKER,
                    real_name=f"测试{n}",
                    password="!",  # noqa: S106  (unusable: nobody signs in as the benchmark)
                    phone=phone,
                    phone_hash=pii.pii_hash(phone) if phone else None,
                    phone_verified_at=saved_at if phone else None,
                    date_joined=saved_at,
                )
            )
        users = User.objects.bulk_create(users, batch_size=BATCH)
        preferences = []
        for user in users:
            if user.phone:
                preferences.append(NotificationPreference(user=user, kind=ALERT, sms=True, email=False))
            elif rng.random() < NO_EMAIL_SHARE:
                preferences.append(NotificationPreference(user=user, kind=ALERT, sms=False, email=False))
        NotificationPreference.objects.bulk_create(preferences, batch_size=BATCH)
        rows = []
        for i in range(searches):
            raw = maker.next()
            if raw not in normal:
                form = search_form(raw)
                form.is_valid()
                normal[raw], names[raw] = normalise_query(form), suggested_name(form)
            weekly = rng.random() < WEEKLY
            rows.append(
                SavedSearch(
                    worker=users[i // SEARCHES_PER_WORKER],
                    name=names[raw],
                    query=normal[raw],
                    frequency="weekly" if weekly else "daily",
                    created=saved_at - datetime.timedelta(days=rng.randint(0, 60)),
                    last_alerted_at=saved_at,
                    checked_at=saved_at,
                )
            )
        SavedSearch.objects.bulk_create(rows, batch_size=BATCH)
        reset(saved_at)
    distinct = len(set(normal.values()))
    out(f"built {workers} workers with {searches} saved searches ({distinct} distinct searches)")
    return saved_at


def reset(saved_at: datetime.datetime) -> None:
    """The searches as saved, before any alert run: every daily search due, half the weekly ones (last looked
    at a week ago; the others three days ago); no alerts or texts yet. Undoes a run, so runs repeat."""
    workers = bench_workers()
    now = timezone.now()
    searches = SavedSearch.objects.filter(worker__in=workers).annotate(parity=F("pk") % 2)
    searches.filter(frequency="daily").update(last_alerted_at=saved_at, checked_at=now - DAY)
    searches.filter(frequency="weekly", parity=0).update(last_alerted_at=saved_at, checked_at=now - 7 * DAY)
    searches.filter(frequency="weekly", parity=1).update(last_alerted_at=saved_at, checked_at=now - 3 * DAY)
    Notification.objects.filter(recipient__in=workers)._raw_delete(Notification.objects.db)
    SmsMessage.objects.filter(recipient__in=workers)._raw_delete(SmsMessage.objects.db)


def saved_moment() -> datetime.datetime | None:
    first = SavedSearch.objects.filter(worker__in=bench_workers()).order_by("last_alerted_at").first()
    return first.last_alerted_at if first else None


def clear() -> str:
    workers = bench_workers()
    with transaction.atomic():
        counts = {}
        for label, queryset in (
            ("notifications", Notification.objects.filter(recipient__in=workers)),
            ("texts", SmsMessage.objects.filter(recipient__in=workers)),
            ("preferences", NotificationPreference.objects.filter(user__in=workers)),
            ("saved searches", SavedSearch.objects.filter(worker__in=workers)),
        ):
            counts[label] = queryset._raw_delete(queryset.db)
        counts["workers"] = workers._raw_delete(workers.db)
        counts["postings"], _employers = clear_bench_postings()
    return "removed " + ", ".join(f"{n:,} {label}" for label, n in counts.items())
