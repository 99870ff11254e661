"""The project's own database settings: PostgreSQL's JIT compiler is off on every connection
(docs/decisions.md, "Speed at city scale")."""

import subprocess
import sys

import pytest
from django.db import connection

from tests.test_project import BASE_DIR, subprocess_env


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
def test_jit_is_off_on_the_connection_whatever_the_server_says(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT setting, boot_val FROM pg_settings WHERE name = 'jit'")
        setting, server_default = cursor.fetchone()
    assert setting == "off"
    assert server_default == "on"  # PostgreSQL's own default: the project turns it off, not the server


def database_options(url: str) -> str:
    code = "from django.conf import settings; print(settings.DATABASES['default'].get('OPTIONS', {}))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=subprocess_env(DATABASE_URL=url),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize(
    ("url", "options"),
    [
        ("postgres://u@127.0.0.1:5432/laborbrand", "{'options': '-c jit=off'}"),
        (
            "postgres://u@127.0.0.1:5432/laborbrand?options=-c%20statement_timeout%3D5000",
            "{'options': '-c statement_timeout=5000 -c jit=off'}",
        ),
        ("postgresql://u@127.0.0.1:5432/laborbrand?sslmode=require", "'-c jit=off'"),
        ("sqlite:////tmp/laborbrand.sqlite3", "{}"),
    ],
)
def test_jit_off_joins_the_options_of_database_url(url, options):
    assert options in database_options(url)
