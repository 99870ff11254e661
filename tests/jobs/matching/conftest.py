"""Fixtures shared by the split matching test modules; a module's own fixture of the same name takes
precedence."""

import pytest
from django.utils import translation

from tests.jobs.factories_engine import small_city

# --- The match run (test_match_run_*.py) ----------------------------------------------------------------


@pytest.fixture
def city(db):
    return small_city()


@pytest.fixture
def english():
    with translation.override("en"):
        yield
