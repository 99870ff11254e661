"""The job alerts (issue 15): the beat task tells each worker once about the open postings matching a due
saved search that were published since its last alert, in the site and by the channels the worker chose, with
a signed unsubscribe link that needs no sign-in."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail, signing
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from jobs import alerts
from jobs.forms.board import PostingSearchForm
from jobs.models import SavedSearch
from jobs.permissions import public_postings
from laborbrand import sms
from laborbrand.accounts.models import Notification, NotificationPreference
from tests import factories

pytestmark = pytest.mark.django_db

JOB_ALERT = Notification.Kind.JOB_ALERT
DAY = datetime.timedelta(days=1)


class Clock:
    def __init__(self):
        today = timezone.localdate() - datetime.timedelta(days=10)
        self.now = datetime.datetime.combine(today, datetime.time(10), tzinfo=timezone.get_current_timezone())

    def advance(self, delta: datetime.timedelta) -> datetime.datetime:
        self.now += delta
        return self.now


@pytest.fixture
def clock(monkeypatch):
    """The city's clock at 10:00 ten days ago (outside the SMS quiet hours), moved on by the tests."""
    clock = Clock()
    monkeypatch.setattr(timezone, "now", lambda: clock.now)
    return clock


def save(worker, query="q=焊工", *, name="焊工", frequency=SavedSearch.Frequency.DAILY) -> SavedSearch:
    return alerts.saved_search_create(worker=worker, name=name, query=query, frequency=frequency)


def post(title="焊工", *, minutes_after=0, clock=None, **fields):
    published_at = clock.now + datetime.timedelta(minutes=minutes_after) if clock else timezone.now()
    return factories.JobPostingFactory(title=title, published_at=published_at, **fields)


@pytest.fixture
def run(clock, django_capture_on_commit_callbacks):
    """Run the alerts a day (or `delta`) later; the e-mails and texts handed over on commit go out."""

    def run(delta=DAY) -> alerts.AlertRun:
        with django_capture_on_commit_callbacks(execute=True):
            return alerts.send_job_alerts(clock.advance(delta))

    return run


def alerts_of(worker):
    return list(Notification.objects.filter(recipient=worker, kind=JOB_ALERT).order_by("pk"))


def test_only_postings_published_after_saving_are_alerted(clock, run, worker):
    post("焊工（老岗位）", clock=clock, minutes_after=-5)
    saved = save(worker)
    post("电焊工", clock=clock, minutes_after=30)
    post("厨师", clock=clock, minutes_after=40)  # does not match

    result = run()

    [notification] = alerts_of(worker)
    assert "1" in notification.title and "焊工" in notification.title
    assert notification.url == reverse("jobs:saved_search_open", args=[saved.pk])
    assert result.notified == 1 and result.per_search == {saved.pk: 1}


def test_each_posting_is_alerted_once_and_the_watermark_moves(clock, run, worker):
    saved = save(worker)
    first = post(clock=clock, minutes_after=30)
    run()
    saved.refresh_from_db()
    # Past what it counted, and up to a few minutes before the run (a posting still committing is not lost).
    assert saved.last_alerted_at == clock.now - alerts.SETTLE > first.published_at

    run()  # the next day, nothing new
    assert len(alerts_of(worker)) == 1

    post(clock=clock, minutes_after=30)
    post(clock=clock, minutes_after=31)
    run()
    notifications = alerts_of(worker)
    assert len(notifications) == 2
    assert counted(notifications[-1]) == 2


def test_a_second_run_the_same_day_sends_nothing(clock, worker):
    save(worker)
    post(clock=clock, minutes_after=30)
    now = clock.advance(DAY)

    assert alerts.send_job_alerts(now).notified == 1
    assert alerts.send_job_alerts(now + datetime.timedelta(minutes=1)).due == 0
    assert len(alerts_of(worker)) == 1


def test_a_rerun_that_finds_the_search_due_again_counts_nothing_twice(clock, run, worker):
    saved = save(worker)
    post(clock=clock, minutes_after=30)
    run()
    SavedSearch.objects.filter(pk=saved.pk).update(checked_at=clock.now - 2 * DAY)  # as if never checked

    assert alerts.send_job_alerts(clock.now).notified == 0
    assert len(alerts_of(worker)) == 1


@pytest.mark.parametrize(
    "frequency, days, due",
    [
        ("daily", 0, False),
        ("daily", 1, True),
        ("daily", 3, True),
        ("weekly", 1, False),
        ("weekly", 6, False),
        ("weekly", 7, True),
        ("weekly", 9, True),
    ],
)
def test_due_by_city_days(frequency, days, due):
    checked = datetime.datetime(2026, 3, 2, 8, 5, 3, tzinfo=timezone.get_current_timezone())
    # A run a few seconds earlier in the day than the last one still counts the whole day.
    now = checked + datetime.timedelta(days=days, seconds=-2)
    assert alerts.is_due(frequency, checked, now) is due


def test_a_weekly_search_waits_seven_days(clock, run, worker):
    save(worker, frequency=SavedSearch.Frequency.WEEKLY)
    post(clock=clock, minutes_after=30)

    for _day in range(6):
        run()
    assert alerts_of(worker) == []

    run()
    [notification] = alerts_of(worker)
    assert counted(notification) == 1


@pytest.mark.parametrize(
    "trait", ["draft", "closed", "filled", "expired", "lapsed", "taken_down", "unverified"]
)
def test_postings_that_are_not_public_are_never_alerted(clock, run, worker, trait):
    save(worker)
    if trait == "unverified":
        post(clock=clock, minutes_after=30, employer=factories.EmployerFactory())
    elif trait == "draft":
        factories.JobPostingFactory(title="焊工", draft=True)
    else:
        post(clock=clock, minutes_after=30, **{trait: True})

    assert run().notified == 0
    assert alerts_of(worker) == []


def test_an_unsubscribed_search_gets_nothing(clock, run, worker):
    saved = save(worker)
    alerts.saved_search_unsubscribe(saved_search=saved)
    post(clock=clock, minutes_after=30)

    assert run().due == 0
    assert alerts_of(worker) == []


def test_identical_searches_run_once_and_each_worker_hears_of_their_own_new_postings(clock, run):
    early, late = factories.WorkerFactory(), factories.WorkerFactory()
    save(early, "loc=city&q=焊工")
    post(clock=clock, minutes_after=30)
    clock.advance(datetime.timedelta(hours=1))
    save(late, "loc=city&q=焊工")
    post(clock=clock, minutes_after=30)

    result = run()

    assert result.distinct == 1
    assert counted(alerts_of(early)[0]) == 2
    assert counted(alerts_of(late)[0]) == 1


def test_the_saved_filters_are_applied(clock, run, worker):
    save(worker, "salary_min=9000", name="高薪")
    post("焊工", clock=clock, minutes_after=30)  # ¥6,000–8,000
    post("焊工", clock=clock, minutes_after=31, salary_min=9000, salary_max=12000)

    run()

    assert counted(alerts_of(worker)[0]) == 1


def test_a_search_that_no_longer_reads_finds_nothing(clock, run, worker):
    save(worker, "brand=999999")
    post(clock=clock, minutes_after=30)

    result = run()

    assert result.skipped_invalid == 1 and result.notified == 0


# --- Channels ------------------------------------------------------------------------------------------


def test_by_default_an_alert_is_in_the_site_and_by_email_not_by_sms(clock, run, worker):
    saved = save(worker)
    post(clock=clock, minutes_after=30)
    run()

    assert sms.outbox == []
    [message] = mail.outbox
    assert message.to == [worker.email]
    assert saved.name in message.body
    assert reverse("jobs:saved_search_unsubscribe", args=[alerts.unsubscribe_token(saved)]) in message.body


def test_sms_when_the_worker_chose_it(clock, run, worker):
    NotificationPreference.objects.create(user=worker, kind=JOB_ALERT, sms=True, email=False)
    save(worker, name="焊工夜班")
    post(clock=clock, minutes_after=30)
    post(clock=clock, minutes_after=31)
    run()

    assert mail.outbox == []
    [text] = sms.outbox
    assert "焊工夜班" in text.text and "2个新岗位" in text.text
    assert len(alerts_of(worker)) == 1


def test_no_sms_to_an_unverified_phone(clock, run):
    worker = factories.WorkerFactory(phone_verified_at=None)
    NotificationPreference.objects.create(user=worker, kind=JOB_ALERT, sms=True, email=False)
    save(worker)
    post(clock=clock, minutes_after=30)
    run()

    assert sms.outbox == [] and mail.outbox == []
    assert len(alerts_of(worker)) == 1


def test_a_hostile_name_is_kept_as_text_and_escaped_in_the_site(clock, run, client, worker):
    hostile = '<script>alert("x")</script>'
    save(worker, name=hostile)
    post(clock=clock, minutes_after=30)
    run()

    client.force_login(worker)
    page = client.get(reverse("accounts:notification_list")).content.decode()
    assert hostile not in page
    assert "&lt;script&gt;" in page


# --- Unsubscribing -----------------------------------------------------------------------------------------


def unsubscribe_url(token: str) -> str:
    return reverse("jobs:saved_search_unsubscribe", args=[token])


def test_the_link_needs_no_sign_in_and_opening_it_changes_nothing(client, worker):
    saved = save(worker)
    url = unsubscribe_url(alerts.unsubscribe_token(saved))

    page = client.get(url)
    saved.refresh_from_db()
    assert page.status_code == 200 and saved.active
    assert b'<form method="post"' in page.content

    done = client.post(url)
    saved.refresh_from_db()
    assert done.status_code == 200 and not saved.active
    assert client.post(url).status_code == 200  # again: still unsubscribed, no error


def test_the_link_from_an_alert_works(clock, run, client, worker):
    saved = save(worker)
    post(clock=clock, minutes_after=30)
    run()
    path = re.search(r"/jobs/alerts/unsubscribe/[^/\s]+/", alerts_of(worker)[0].body).group()

    client.post(path)

    saved.refresh_from_db()
    assert not saved.active


def tamper(token: str) -> str:
    value, signature = token.split(":", 1)
    return value[:-1] + ("A" if value[-1] != "A" else "B") + ":" + signature


@pytest.mark.parametrize(
    "forge",
    [
        lambda saved: "nonsense",
        lambda saved: tamper(alerts.unsubscribe_token(saved)),
        lambda saved: alerts.unsubscribe_token(saved)[:-2],
        # Signed by the site, but not for this purpose (another salt).
        lambda saved: signing.dumps(saved.pk),
        lambda saved: signing.dumps(saved.pk, salt="accounts.something-else"),
        # The right salt, but not an id.
        lambda saved: signing.dumps(str(saved.pk), salt=alerts.UNSUBSCRIBE_SALT),
        lambda saved: signing.dumps(2**70, salt=alerts.UNSUBSCRIBE_SALT),
    ],
)
def test_a_forged_or_altered_link_is_404_and_changes_nothing(client, worker, forge):
    saved = save(worker)

    for response in (client.get(unsubscribe_url(forge(saved))), client.post(unsubscribe_url(forge(saved)))):
        assert response.status_code == 404
    saved.refresh_from_db()
    assert saved.active


def test_a_link_unsubscribes_only_its_own_search(client, worker):
    mine, other = save(worker), save(factories.WorkerFactory())
    token = alerts.unsubscribe_token(mine)

    client.post(unsubscribe_url(token))

    mine.refresh_from_db()
    other.refresh_from_db()
    assert not mine.active and other.active
    # Its id changed to the other search's does not verify.
    _value, signature = token.split(":", 1)
    forged = signing.dumps(other.pk, salt=alerts.UNSUBSCRIBE_SALT).split(":", 1)[0] + ":" + signature
    assert client.post(unsubscribe_url(forged)).status_code == 404
    other.refresh_from_db()
    assert other.active


def test_the_unsubscribe_page_escapes_the_name(client, worker):
    saved = save(worker, name="<b>bold</b>")
    page = client.get(unsubscribe_url(alerts.unsubscribe_token(saved))).content.decode()
    assert "<b>bold</b>" not in page and "&lt;b&gt;bold&lt;/b&gt;" in page


def test_the_task_is_scheduled_after_the_quiet_hours(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["job-alerts"]
    assert entry["task"] == "jobs.tasks.send_job_alerts"
    assert entry["schedule"].hour == {8} and entry["schedule"].minute == {5}
    assert settings.SMS_QUIET_HOURS[1] <= 8


# --- The run finds what the board finds ------------------------------------------------------------------


@pytest.fixture
def varied_board(db):
    """Postings differing in every filter the board has."""
    other_province = factories.make_province("320000")
    level = factories.make_level()
    occupations = factories.make_occupations(2)
    brand = factories.BrandFactory(recognised=True)
    rows = [
        {"title": "电焊工", "housing": True},
        {"title": "焊工学徒", "salary_min": 9000, "salary_max": 12000, "meals": True},
        {"title": "厨师", "description": "包吃住，五险一金", "county": factories.make_county("341524")},
        {"title": "CNC操机员", "province": other_province, "county": None, "city_name": "苏州市"},
        {"title": "普工", "min_level": level, "occupation": occupations[1], "social_insurance": True},
        {"title": "Welder", "description": "night shift 焊接"},
    ]
    rows.append({"title": "月嫂", "brand": brand})
    return [factories.JobPostingFactory(**row) for row in rows]


BOARD_SEARCHES = [
    "",
    "q=焊",
    "q=焊工",
    "q=焊工 学徒",
    "q=welder",
    "q=WELD&housing=on",
    "q=五险一金",
    "loc=city",
    "loc=other",
    "loc=county:341524",
    "loc=province:320000",
    "salary_min=8500",
    "salary_max=7000",
    "salary_min=6000&salary_max=9000&q=焊",
    "meals=on&q=焊工",
    "social_insurance=on",
    "level=1",
    "level=5&loc=city",
    "q=焊 工&loc=city&salary_min=1000",
    "q=焊&brand={brand}",
]


@pytest.mark.parametrize("query", BOARD_SEARCHES)
def test_the_run_finds_exactly_what_the_board_finds(varied_board, query):
    brand = next(posting.brand for posting in varied_board if posting.brand)
    board = PostingSearchForm(QueryDict(query.format(brand=brand.pk)))
    assert board.is_valid(), board.errors
    expected = set(board.filter(public_postings()).values_list("pk", flat=True))
    run = alerts.AlertRun()
    candidates = public_postings()
    filters = alerts._Filters(candidates, run)

    wanted = filters.parse(alerts.normalise_query(board))
    filters.run_all(set(wanted))
    found = filters.select(wanted, frozenset(candidates.values_list("pk", flat=True)))

    assert set(found) == expected


def counted(notification) -> int:
    """How many new postings an alert's title counts (whatever the language)."""
    return int(re.search(r"\d+", notification.title).group())
