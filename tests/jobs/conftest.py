"""Fixtures shared by the split jobs test modules; a module's own fixture of the same name takes
precedence."""

import pytest
from django.utils import timezone

from tests import factories
from tests.jobs.posting_management_helpers import logged_in

# --- An employer's postings (test_posting_management_*.py) ------------------------------------------------


@pytest.fixture
def company(employer):
    """employer_a's company, verified."""
    company = employer.employers.get()
    company.verified_at = timezone.now()
    company.save(update_fields=["verified_at"])
    return company


@pytest.fixture
def unverified_company(employer):
    """employer_a's company, still waiting for verification."""
    return employer.employers.get()


@pytest.fixture
def employer_client(client, employer):
    return logged_in(client, employer)


@pytest.fixture
def draft(company):
    return factories.JobPostingFactory(employer=company, draft=True, title="数控车工（草稿）")


@pytest.fixture
def open_posting(company):
    return factories.JobPostingFactory(employer=company, title="数控车工（招聘中）")
