"""The cache and the task queue unreachable: every role's main pages and the main POSTs answer without a 5xx.

The cache and the broker are pointed at a closed port (the shared Redis is never stopped). Reads fall back to
the database, the throttled certificate check refuses with its own message (never a look-up uncounted),
e-mails stay unsent and "run now" says the queue is down. When the cache is back the same pages use it
again."""

from __future__ import annotations

import socket
import uuid
from contextlib import contextmanager

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from jobs.models import Application, MatchRun
from laborbrand.accounts.models import Notification, SmsMessage, User
from laborbrand.celery import app as celery_app
from laborbrand.reference.cached import REFERENCE_KEY
from laborbrand.settings import redis_cache
from tests import factories
from tests.jobs.factories_apps import verified_company
from tests.jobs.factories_matching import MatchRunFactory, RecommendationFactory
from tests.test_project import URLS

pytestmark = pytest.mark.django_db

CLOSED = "redis://127.0.0.1:6390/0"  # nothing listens here
ROLES = ["anonymous", *User.Role.values]
PAUSED = (
    "The certificate check cannot count look-ups at the moment, so it is paused to protect certificate "
    "holders. Please try again in a few minutes."
)


@pytest.fixture
def cache_down(settings):
    settings.CACHES = {"default": redis_cache(CLOSED)}


def _forget_connections() -> None:
    """Celery keeps its broker pool and result backend once made: drop them, so the next task reads the
    configuration again."""
    celery_app._pool = None
    if "amqp" in celery_app.__dict__:
        celery_app.amqp._producer_pool = None
    celery_app._backend_cache = None
    vars(celery_app._local).pop("backend", None)


@pytest.fixture
def broker_down():
    """Send tasks to a broker and result store that cannot be reached (the test settings run them eagerly).
    The result store gives up after half a second instead of the deployed five."""
    conf = celery_app.conf
    names = ("task_always_eager", "broker_url", "result_backend", "result_backend_transport_options")
    saved = {name: conf[name] for name in names}
    conf.update(
        task_always_eager=False,
        broker_url=CLOSED,
        result_backend=CLOSED,
        result_backend_transport_options={"retry_policy": {"timeout": 0.5}},
    )
    _forget_connections()
    yield
    conf.update(saved)
    _forget_connections()


@pytest.fixture
def city(personas, official_a):
    """Something on every main page: a verified employer's open posting of a public brand, a completed run
    recommending it to the worker, a certificate to check."""
    company = verified_company(personas[User.Role.EMPLOYER])
    brand = factories.CultivatingBrandFactory(county=official_a.county)
    posting = factories.JobPostingFactory(employer=company, brand=brand, title="数控车工（停机测试）")
    worker = personas[User.Role.WORKER]
    factories.WorkerProfileFactory(user=worker)
    RecommendationFactory(run=MatchRunFactory(), worker=worker, posting=posting)
    certificate = factories.CertificateFactory()
    return {"posting": posting, "brand": brand, "certificate": certificate, "worker": worker}


def client_for(client, role: str, personas):
    if role != "anonymous":
        client.force_login(personas[role])
    return client


def main_pages(role: str, city) -> list[str]:
    pages = [url for name, url in URLS.items() if name != "logout"]
    pages += [
        reverse("jobs:posting_detail", args=[city["posting"].pk]),
        reverse("brands:brand_detail", args=[city["brand"].slug]),
        reverse("jobs:search") + "?q=数控",
    ]
    if role == User.Role.EMPLOYER:
        pages += [
            reverse("jobs:candidate_list", args=[city["posting"].pk]),
            reverse("jobs:applicant_list", args=[city["posting"].pk]),
        ]
    if role == User.Role.WORKER:
        pages.append(reverse("jobs:apply", args=[city["posting"].pk]))
    # The dashboards: their figures cannot be recomputed with the queue down (tests run Celery eager
    # otherwise); the pages say so rather than fail.
    year = timezone.localdate().year
    brand = city["brand"]
    if role in (User.Role.CITY_ADMIN, User.Role.LEADING_GROUP):
        pages += [
            reverse("targets:city", args=[year]),
            reverse("targets:metric", args=[year, "trainee_times"]),
            reverse("targets:records", args=[year, "pass_rate"]),
            reverse("targets:reports"),
        ]
    if role in (User.Role.CITY_ADMIN, User.Role.LEADING_GROUP, User.Role.COUNTY_OFFICIAL):
        pages += [
            reverse("targets:county", args=[year, brand.county_id]),
            reverse("targets:records", args=[year, "ethics_coverage"]) + f"?brand={brand.pk}",
        ]
    return pages


def server_errors(client, pages) -> list[str]:
    failed = []
    for page in pages:
        status = client.get(page).status_code
        if status >= 500:
            failed.append(f"{page} → {status}")
    return failed


@pytest.mark.parametrize("role", ROLES)
def test_every_roles_main_pages_answer_with_the_cache_and_queue_down(
    client, role, personas, city, cache_down, broker_down
):
    client = client_for(client, role, personas)

    assert server_errors(client, main_pages(role, city)) == []


def test_search_recommendations_and_candidates_read_the_database(client, personas, city, cache_down):
    posting = city["posting"]
    found = client.get(reverse("jobs:search"), {"q": "数控"})
    client.force_login(city["worker"])
    recommended = client.get(reverse("jobs:recommended"))
    client.force_login(personas[User.Role.EMPLOYER])
    candidates = client.get(reverse("jobs:candidate_list", args=[posting.pk]))

    for response in (found, recommended):
        assert response.status_code == 200
        assert posting.title in response.content.decode()
    assert candidates.status_code == 200
    assert city["worker"].profile.home_county.name in candidates.content.decode()


def test_sign_in_works_with_the_cache_down(client, worker, cache_down, broker_down):
    response = client.post(
        reverse("login"), {"username": worker.username, "password": factories.TEST_PASSWORD}
    )

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == worker.pk


def test_applying_and_moving_an_applicant_work_and_the_worker_is_told_in_the_site(
    client, personas, city, cache_down, broker_down, django_capture_on_commit_callbacks
):
    worker, employer = city["worker"], personas[User.Role.EMPLOYER]
    client.force_login(worker)
    applied = client.post(reverse("jobs:apply", args=[city["posting"].pk]), {"consent": "on"})
    application = Application.objects.get()
    client.force_login(employer)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        moved = client.post(reverse("jobs:applicant_interview", args=[application.pk]))

    assert (applied.status_code, moved.status_code) == (302, 302)
    assert application.posting == city["posting"]
    assert Notification.objects.filter(recipient=employer).exists()
    assert callbacks  # the worker's e-mail was handed to the (unreachable) queue
    told = Notification.objects.get(recipient=worker)
    assert told.emailed_at is None


def test_registration_works_and_the_welcome_stays_in_the_site(
    client, cache_down, broker_down, django_capture_on_commit_callbacks
):
    """With the broker down the code's text waits in the queue (sent again when the broker is back, see
    texting.requeue_stalled); the pages answer, and once the code arrives the account opens."""
    data = {
        "username": "zhang_wei",
        "real_name": "张伟",
        "id_number": factories.make_id_number(7, birth="19990315"),
        "phone": "13712345678",
        "email": "zhang.wei@example.com",
        "password1": "Str0ng#pass",
        "password2": "Str0ng#pass",
        "privacy_consent": "on",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:register_worker"), data)
    assert response.url == reverse("accounts:register_worker_confirm")
    waiting = SmsMessage.objects.get()
    assert waiting.status == SmsMessage.Status.QUEUED

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(response.url, {"code": waiting.params["code"]})

    assert response.status_code == 302
    user = User.objects.get(username="zhang_wei")
    assert not user.notifications.exclude(emailed_at=None).exists()


def test_run_now_says_the_queue_is_down_and_keeps_the_previous_run(client, city_admin, city, broker_down):
    previous = MatchRun.objects.get()
    client.force_login(city_admin)

    response = client.post(reverse("jobs:match_run_start"), follow=True, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert "The background service that runs matching could not be reached" in response.content.decode()
    failed = MatchRun.objects.exclude(pk=previous.pk).get()
    assert (failed.status, failed.active) == (MatchRun.Status.FAILED, False)


def verify(client, certificate, **extra):
    return client.post(
        reverse("training:certificate_verify"),
        {"number": certificate.number, "holder_name": certificate.worker.real_name},
        **extra,
    )


def test_the_certificate_check_refuses_while_it_cannot_count(client, city, cache_down):
    certificate = city["certificate"]

    for _ in range(3):
        response = verify(client, certificate)
        assert response.status_code == 429
        assert "429.html" in [t.name for t in response.templates]
        content = response.content.decode()
        with translation.override("zh-hans"):
            assert gettext(PAUSED) in content
        assert certificate.worker.real_name not in content  # no look-up was made
    assert client.get(reverse("training:certificate_verify")).status_code == 200  # the form still opens


@pytest.fixture
def silent_redis():
    """A port that accepts connections and never answers: a Redis that hangs rather than refuses."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield f"redis://127.0.0.1:{listener.getsockname()[1]}/0"


def test_a_redis_that_hangs_is_given_up_on(client, settings, city, silent_redis):
    settings.CACHES = {"default": redis_cache(silent_redis)}

    response = client.get(reverse("jobs:search"))

    assert response.status_code == 200
    assert city["posting"].title in response.content.decode()


@contextmanager
def real_cache(settings):
    """The deployed cache on the real Redis, under a key prefix of this test's own (deleted afterwards)."""
    if not django_settings.REDIS_URL:
        pytest.skip("no Redis configured (set REDIS_URL)")
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {"default": {**redis_cache(django_settings.REDIS_URL), "KEY_PREFIX": prefix}}
    try:
        yield
    finally:
        cache.delete_pattern("*")  # django-redis: only this prefix's keys


def test_pages_use_the_cache_again_when_it_is_back(client, settings, city):
    certificate = city["certificate"]
    settings.CACHES = {"default": redis_cache(CLOSED)}
    assert client.get(reverse("jobs:search")).status_code == 200
    assert verify(client, certificate).status_code == 429

    with real_cache(settings):
        searched = client.get(reverse("jobs:search"))
        assert searched.status_code == 200
        assert city["posting"].title in searched.content.decode()
        assert cache.get(REFERENCE_KEY) is not None  # read once, kept in Redis again
        checked = verify(client, certificate)
        assert checked.status_code == 200
        assert checked.context["certificate"] == certificate
