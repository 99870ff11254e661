"""The error pages with DEBUG off: 400, 403 (and a refused form token), 404, 429 and 500, each in the site's
layout and in Chinese by default; the 500 page without a request context or the database."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory
from django.urls import get_resolver, reverse
from django.utils import translation
from django.utils.translation import gettext
from django_ratelimit.exceptions import Ratelimited

from laborbrand import errors
from tests import factories

pytestmark = pytest.mark.django_db

MESSAGES = {
    400: "Sorry, this request could not be understood. Please go back and try again.",
    403: "Sorry, you do not have permission to open this page.",
    "csrf": (
        "Your form could not be sent: the page was open too long or you signed out meanwhile. Please go "
        "back, reload the page and send the form again."
    ),
    404: "Sorry, this page does not exist or is not available to you.",
    429: "Too many checks from your network. Please wait a minute and try again.",
}


@pytest.fixture(autouse=True)
def _debug_off(settings):
    settings.DEBUG = False


def zh(text: str) -> str:
    with translation.override("zh-hans"):
        return gettext(text)


def assert_site_page(response, status: int, message: str) -> str:
    assert response.status_code == status
    content = response.content.decode()
    assert '<html lang="zh-hans">' in content
    assert '<nav class="navbar' in content  # the site's layout: menu, footer, the way home
    assert "<footer" in content
    assert f'<p class="display-6 mb-1">{status}</p>' in content
    assert zh(message) in content
    assert zh("Back to the home page") in content
    return content


def test_400_for_a_request_the_site_cannot_take(client):
    response = client.get(reverse("home"), HTTP_HOST="not-our-site.example")

    assert "400.html" in [t.name for t in response.templates]
    assert_site_page(response, 400, MESSAGES[400])


def test_403_for_a_page_of_another_role(client, worker):
    client.force_login(worker)

    response = client.get(reverse("accounts:official_list"))

    content = assert_site_page(response, 403, MESSAGES[403])
    assert "抱歉，您无权访问此页面。" in content
    assert worker.display_name in content  # still signed in, the menu says so


def test_403_for_a_form_sent_without_its_token_says_what_to_do(worker):
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("login"), {"username": worker.username, "password": "x"})

    assert "403.html" in [t.name for t in response.templates]
    content = assert_site_page(response, 403, MESSAGES["csrf"])
    assert zh(MESSAGES[403]) not in content


def test_404_for_a_missing_page(client):
    response = client.get("/no-such-page/")

    content = assert_site_page(response, 404, MESSAGES[404])
    assert "抱歉，该页面不存在或您无权查看。" in content
    assert f'href="{reverse("login")}"' in content


def test_429_when_the_certificate_check_is_throttled(client, settings):
    settings.CERTIFICATE_VERIFY_RATE = "1/m"
    certificate = factories.CertificateFactory()
    data = {"number": certificate.number, "holder_name": certificate.worker.real_name}
    client.post(reverse("training:certificate_verify"), data)

    response = client.post(reverse("training:certificate_verify"), data)

    content = assert_site_page(response, 429, MESSAGES[429])
    assert "您所在网络的查验次数过多，请一分钟后再试。" in content
    assert response["Retry-After"] == "60"
    assert certificate.worker.real_name not in content


def test_429_page_without_a_reason_in_english_when_asked():
    request = RequestFactory().get("/", HTTP_ACCEPT_LANGUAGE="en")
    request.user = AnonymousUser()
    with translation.override("en"):
        response = errors.too_many_requests(request, Ratelimited())

    assert response.status_code == 429
    content = response.content.decode()
    assert "Too many requests from your network. Please wait a minute and try again." in content


@pytest.fixture
def broken_home(monkeypatch):
    def fail():
        raise RuntimeError("boom")

    monkeypatch.setattr("laborbrand.views._service_links", fail)


def test_500_page_for_a_fault(client, broken_home):
    client.raise_request_exception = False

    response = client.get(reverse("home"))

    assert response.status_code == 500
    content = response.content.decode()
    assert '<html lang="zh-hans">' in content
    assert '<nav class="navbar' in content
    assert "<footer" in content
    assert "抱歉，系统出现错误，我们已记录此问题，请稍后再试。" in content
    assert "Sorry, something went wrong on our side." in content
    assert 'href="/"' in content


def test_500_page_needs_no_request_context_and_no_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = errors.server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    assert "抱歉，系统出现错误" in response.content.decode()


def test_500_page_falls_back_to_bare_html_when_its_template_fails(monkeypatch):
    def missing_manifest(name):
        raise ValueError("Missing staticfiles manifest entry for 'css/site.css'")

    monkeypatch.setattr("laborbrand.errors.loader.get_template", missing_manifest)

    response = errors.server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    assert response.content.decode() == errors.BARE_SERVER_ERROR


@pytest.mark.parametrize(
    ("status", "view"),
    [
        (400, errors.bad_request),
        (403, errors.permission_denied),
        (404, errors.page_not_found),
        (500, errors.server_error),
    ],
)
def test_the_handlers_are_wired(status, view):
    assert get_resolver().resolve_error_handler(status) is view
