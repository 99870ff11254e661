"""Project-wide guarantees: migrations match the models, pages need a login unless public, deploy settings
are sound and fail loudly, security headers, error pages in the site's layout."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils.crypto import get_random_string

from tests import factories

pytestmark = pytest.mark.django_db

BASE_DIR = Path(settings.BASE_DIR)

# Pages anyone may open. Everything else with a name must send an anonymous visitor to the login page.
PUBLIC_URL_NAMES = {
    "home",
    "privacy",
    "login",
    "logout",  # POST only; signing out when not signed in is harmless
    "accounts:register",
    "accounts:register_worker",
    "training:institution_register",
    "jobs:employer_register",
    "password_reset",
    "password_reset_done",
    "password_reset_complete",
    "brands:showcase",
    "brands:news_list",
    "training:institution_public_list",
    "training:program_search",
    "training:certificate_verify",  # the public certificate check (throttled per client address)
    "jobs:search",
}
# Namespaces and names that are not pages of ours, or need arguments.
SKIPPED_NAMESPACES = {"admin"}
SKIPPED_NAMES = {"set_language"}


def named_url_entries(patterns=None, namespace=""):
    """Every (qualified name, URLPattern) of a named URL pattern in the project, following includes."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in SKIPPED_NAMESPACES:
                continue
            prefix = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from named_url_entries(entry.url_patterns, prefix)
        elif isinstance(entry, URLPattern) and entry.name and entry.name not in SKIPPED_NAMES:
            yield f"{namespace}{entry.name}", entry


def named_url_patterns():
    """Every qualified name of a named URL pattern in the project."""
    return (name for name, _entry in named_url_entries())


def urls_without_arguments():
    found = {}
    for name in named_url_patterns():
        try:
            found[name] = reverse(name)
        except NoReverseMatch:
            continue  # needs arguments (e.g. password_reset_confirm, notification_open)
    return found


URLS = urls_without_arguments()


def test_no_pending_migrations():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_system_checks_pass_with_the_test_settings():
    """The tests count rate limits in a local-memory cache they clear before each test, never in the shared
    Redis; django-ratelimit's warning about such a cache is silenced for them."""
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    call_command("check", fail_level="WARNING", verbosity=0)


def test_url_walk_finds_the_known_pages():
    assert {"home", "accounts:workbench", "accounts:official_list", "password_change"} <= set(URLS)
    assert set(URLS) >= PUBLIC_URL_NAMES, "an allow-listed page no longer exists"


@pytest.mark.parametrize("name", sorted(set(URLS) - PUBLIC_URL_NAMES))
def test_every_other_named_url_requires_login(client, name):
    url = URLS[name]

    for response in (client.get(url), client.post(url)):
        assert response.status_code == 302, f"{name} answered {response.status_code} to an anonymous visitor"
        assert response.url.startswith(reverse("login") + "?next="), name


@pytest.mark.parametrize("name", sorted(PUBLIC_URL_NAMES - {"logout"}))
def test_public_pages_open_without_login(client, name):
    assert client.get(URLS[name]).status_code == 200


# Variables a production process would not inherit from this test run (the browser tests set the last one).
NOT_INHERITED = {
    "SECRET_KEY",
    "FIELD_ENCRYPTION_SALT",
    "PII_HASH_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def subprocess_env(**overrides):
    env = {key: value for key, value in os.environ.items() if key not in NOT_INHERITED}
    env["DJANGO_SETTINGS_MODULE"] = "laborbrand.settings"
    env.update(overrides)
    return env


def run_manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_env():
    return subprocess_env(
        DEBUG="False",
        SECRET_KEY=get_random_string(
            60, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!@#%^&*(-_=+)"
        ),
        FIELD_ENCRYPTION_SALT=get_random_string(32),
        PII_HASH_KEY=get_random_string(50),
        ALLOWED_HOSTS="portal.example.gov.cn",
    )


def test_deploy_check_passes_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "FIELD_ENCRYPTION_SALT", "PII_HASH_KEY"])
def test_production_settings_without_a_secret_fail_loudly(missing):
    if missing == "SECRET_KEY" and (BASE_DIR / ".env").exists():
        pytest.skip(".env may supply SECRET_KEY; this test needs a clean environment")
    env = production_env()
    del env[missing]

    result = run_manage("check", env=env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"{missing} must be set" in result.stderr


def test_production_settings_with_an_empty_secret_key_fail_loudly():
    env = production_env()
    env["SECRET_KEY"] = ""

    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; settings.SECRET_KEY"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY must be set when DEBUG is False." in result.stderr


def test_production_defaults_are_secure():
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS, s.ALLOWED_HOSTS)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True True True 31536000 ['portal.example.gov.cn']"


def content_security_policy(response):
    header = response["Content-Security-Policy"]
    return {
        directive.split()[0]: directive.split()[1:] for directive in header.split(";") if directive.strip()
    }


def test_home_sends_a_strict_content_security_policy(client):
    response = client.get(reverse("home"))

    policy = content_security_policy(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


@pytest.mark.parametrize("name", ["home", "login", "accounts:register_worker", "privacy"])
def test_pages_carry_no_inline_scripts_or_styles(client, name):
    content = client.get(reverse(name)).content.decode()

    assert "<script>" not in content
    assert "<style" not in content
    assert " style=" not in content
    assert "onclick=" not in content


def test_security_headers_on_every_page(client):
    response = client.get(reverse("home"))

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_404_page_uses_the_site_layout(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    templates = [t.name for t in response.templates]
    assert "404.html" in templates
    assert "base.html" in templates
    content = response.content.decode()
    assert '<nav class="navbar' in content
    assert f'href="{reverse("login")}"' in content


def test_403_page_uses_the_site_layout_with_the_signed_in_user(client, worker):
    client.force_login(worker)

    response = client.get(reverse("accounts:official_list"))

    assert response.status_code == 403
    templates = [t.name for t in response.templates]
    assert "403.html" in templates
    assert "base.html" in templates
    content = response.content.decode()
    assert '<nav class="navbar' in content
    assert worker.display_name in content
    assert f'href="{reverse("accounts:workbench")}"' in content


def test_404_for_another_users_object_looks_like_any_404(client, city_admin):
    client.force_login(city_admin)
    worker = factories.WorkerFactory()

    response = client.get(reverse("accounts:official_update", args=[worker.pk]))

    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]
    assert worker.real_name not in response.content.decode()


def test_nav_shows_official_management_only_to_city_admin(client, personas):
    official_list = f'href="{reverse("accounts:official_list")}"'
    for role, user in personas.items():
        client.force_login(user)
        content = client.get(reverse("home")).content.decode()
        assert (official_list in content) == (role == "city_admin"), role
