"""seed_demo without --password gives every demo account the documented default password (a fresh
database of its own, unlike test_seed_demo.py's shared seeding)."""

from io import StringIO

import pytest
from django.core.management import call_command

from laborbrand.accounts.management.commands.seed_demo import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db


def test_default_password_works(password_login):
    call_command("seed_demo", stdout=StringIO())

    assert password_login("worker_b", DEFAULT_PASSWORD)
