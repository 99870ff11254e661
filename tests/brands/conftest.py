"""Fixtures shared by the split brand test modules; a module's own fixture of the same name takes
precedence."""

import pytest

from laborbrand.reference.models import Occupation
from tests import factories

# --- The brand services (test_services_*.py) -------------------------------------------------------------


@pytest.fixture
def brand(official_a):
    """A brand of official_a's county with one standard per dimension, so it may be submitted."""
    return factories.DraftBrandFactory(county=official_a.county, created_by=official_a, standards=True)


# --- The county officials' brand pages (test_views_official_*.py) -----------------------------------------


@pytest.fixture
def client_a(client, official_a):
    client.force_login(official_a)
    return client


@pytest.fixture
def public_brand_a(official_a):
    return factories.CultivatingBrandFactory(name="金寨茶艺", county=official_a.county, created_by=official_a)


# --- The practitioner register (issue 16) ----------------------------------------------------------------


@pytest.fixture
def register_brand(official_a):
    """金寨红嫂家政: a cultivating brand of official_a's county (金寨县) for 家政服务员 and 育婴员."""
    return factories.CultivatingBrandFactory(
        name="金寨红嫂家政",
        county=official_a.county,
        created_by=official_a,
        category=factories.make_category("domestic"),
        occupations=list(Occupation.objects.filter(name__in=["家政服务员", "育婴员"])),
    )
