"""Project-wide guarantees: the layers import only downwards and no module imports itself round a cycle,
migrations match the models, pages need a login unless public, deploy settings are sound and fail loudly,
security headers, error pages in the site's layout."""

import ast
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
    "accounts:code_sign_in",
    "accounts:password_reset_code",
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
SKIPPED_NAMES = {
    "set_language",
    # The code steps of public flows: without their first step they send back to it (tests/accounts).
    "register_worker_confirm",
    "code_sign_in_confirm",
    "password_reset_code_confirm",
    "captcha-refresh",  # django-simple-captcha's JSON for scripts (our pages use none): 404 otherwise
}


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


# The layers, lowest first (docs/decisions.md, "Where things live"): a module imports only from its own layer
# and the ones below. `laborbrand`'s own modules (pages, forms, dates …) are the foundation under reference
# data; the project's wiring (settings, URLs, the Celery app and the package that loads it, WSGI) sits on top
# and may import every layer.
LAYERS = [
    ["laborbrand"],
    ["laborbrand.reference"],
    ["laborbrand.accounts"],
    ["laborbrand.imports"],  # the Excel import engine: finds the importers of the apps above by autodiscovery
    ["brands"],
    ["training"],
    ["jobs"],
    ["targets"],
    ["demo", "bench"],
]
WIRING = {
    *("laborbrand", "laborbrand.settings", "laborbrand.urls", "laborbrand.celery"),
    *("laborbrand.wsgi", "laborbrand.asgi"),
    *("bench.settings", "bench.urls"),  # the benchmarks' settings: the portal's plus the bench app
}


def layer_of(module: str) -> int:
    """The layer of the longest prefix of `module` the table names; the wiring above them all."""
    if module in WIRING:
        return len(LAYERS)
    best, level = "", None
    for index, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > len(best):
                best, level = prefix, index
    assert level is not None, f"{module} is in no layer: add its package to LAYERS"
    return level


def project_modules() -> dict[str, Path]:
    """Every Python module of the application packages (migrations aside), by dotted name."""
    modules = {}
    packages = [prefix for prefixes in LAYERS for prefix in prefixes if "." not in prefix]
    for package in packages:
        for path in (BASE_DIR / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(BASE_DIR).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


MODULES = project_modules()


def imported_modules(module: str, path: Path) -> set[str]:
    """The project modules `module` imports, at the top or inside a function alike (a deferred import is
    still a dependency)."""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package[: len(package) - node.level + 1], *([base] if base else [])])
            imported = [f"{base}.{alias.name}" for alias in node.names]
            names.update(imported)
            # `from package import module` depends on the module, not on what the package's __init__ wires up.
            if not all(name in MODULES for name in imported):
                names.add(base)
    found = set()
    for name in names:
        while name and name not in MODULES:
            name = name.rpartition(".")[0]
        if name and name != module:
            found.add(name)
    return found


IMPORTS = {module: imported_modules(module, path) for module, path in MODULES.items()}


def test_every_application_package_has_a_layer():
    packages = {path.parent.name for path in BASE_DIR.glob("*/__init__.py")} - {"tests", "node_modules"}
    named = {prefix for prefixes in LAYERS for prefix in prefixes if "." not in prefix}
    assert packages <= named, f"packages without a layer: {sorted(packages - named)}"


def test_no_module_imports_from_a_layer_above_it():
    upward = [
        f"{module} imports {target}"
        for module, targets in sorted(IMPORTS.items())
        for target in sorted(targets)
        if layer_of(target) > layer_of(module)
    ]
    assert upward == []


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iteratively: the groups of modules that import each other round a cycle."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
    return groups


def test_no_import_cycles_between_modules():
    # A package's __init__ that re-exports its modules (a models package) is its interface, not a cycle.
    graph = {
        module: {t for t in targets if not (MODULES[t].name == "__init__.py" and module.startswith(t + "."))}
        for module, targets in IMPORTS.items()
    }
    assert strongly_connected(graph) == []


@pytest.mark.parametrize(
    ("graph", "cycles"),
    [
        ({"a": {"b"}, "b": set()}, []),
        ({"a": {"b"}, "b": {"a"}}, [["a", "b"]]),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),
        ({"a": {"a"}}, []),
    ],
)
def test_cycle_finder(graph, cycles):
    assert strongly_connected(graph) == cycles


@pytest.mark.parametrize(
    ("module", "level"),
    [
        ("laborbrand.pages", 0),
        ("laborbrand.reference.models", 1),
        ("laborbrand.accounts.views", 2),
        ("laborbrand.imports.services", 3),
        ("brands.services", 4),
        ("jobs.models", 6),
        ("targets.views", 7),
        ("demo", 8),
        ("laborbrand.urls", 9),
        ("laborbrand", 9),  # the package: it loads the Celery app
        ("bench.settings", 9),
        ("bench.runs", 8),
    ],
)
def test_layer_table(module, level):
    assert layer_of(module) == level


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
