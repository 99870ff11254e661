"""The public list of qualified training institutions, with their admitted occupations and the public brands
they train for under partner agreements."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories
from training import permissions
from training.models import Institution
from training.services.institutions import institution_reinstate, institution_suspend

pytestmark = pytest.mark.django_db

URL = reverse("training:institution_public_list")
TODAY = timezone.localdate()


def query_count(client, url, params=None):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(context)


@pytest.fixture
def institutions():
    return {
        "qualified": factories.QualifiedInstitutionFactory(name="金寨县技工学校"),
        "last day": factories.QualifiedInstitutionFactory(name="霍山职业学校", qualified_until=TODAY),
        "date passed": factories.QualifiedInstitutionFactory(
            name="过期未处理学校", qualified_until=TODAY - datetime.timedelta(days=1)
        ),
        "suspended": factories.InstitutionFactory(name="暂停学校", suspended=True),
        "expired": factories.InstitutionFactory(name="已过期学校", expired=True),
        "registered": factories.InstitutionFactory(name="新登记学校"),
    }


def test_only_qualified_institutions_within_their_date_are_listed(client, institutions):
    response = client.get(URL)

    assert response.status_code == 200
    assert set(response.context["page_obj"]) == {institutions["qualified"], institutions["last day"]}
    content = response.content.decode()
    for key in ("qualified", "last day"):
        assert institutions[key].name in content
    for key in ("date passed", "suspended", "expired", "registered"):
        assert institutions[key].name not in content


def test_public_institutions_is_the_qualified_queryset(institutions):
    assert set(permissions.public_institutions()) == {institutions["qualified"], institutions["last day"]}


def test_the_list_is_public(client, institutions, worker):
    assert client.get(URL).status_code == 200
    client.force_login(worker)
    assert client.get(URL).status_code == 200


def test_each_institution_shows_its_occupations(client):
    occupations = factories.make_occupations(2)
    institution = factories.QualifiedInstitutionFactory(occupations=occupations)

    content = client.get(URL).content.decode()

    assert institution.name in content
    for occupation in occupations:
        assert occupation.name in content


def test_partner_brands_are_shown_once_and_only_when_public(client, official_a, official_b):
    institution = factories.QualifiedInstitutionFactory()
    recognised = factories.RecognisedBrandFactory(name="金寨红嫂家政", county=official_a.county)
    cultivating = factories.CultivatingBrandFactory(name="霍山茶艺", county=official_b.county)
    draft = factories.DraftBrandFactory(name="未公开品牌", county=official_a.county)
    retired = factories.RetiredBrandFactory(name="退出品牌", county=official_a.county)
    factories.PartnerAgreementFactory(
        county=official_a.county, institution=institution, brands=[recognised, draft]
    )
    factories.PartnerAgreementFactory(
        county=official_a.county,
        institution=institution,
        brands=[recognised, retired],
        signed_on=datetime.date(TODAY.year - 2, 3, 1),
    )
    factories.PartnerAgreementFactory(county=official_b.county, institution=institution, brands=[cultivating])

    response = client.get(URL)

    listed = next(i for i in response.context["page_obj"] if i == institution)
    assert [b.name for b in listed.partner_brands] == sorted(["金寨红嫂家政", "霍山茶艺"])
    content = response.content.decode()
    assert content.count(reverse("brands:brand_detail", args=[recognised.slug])) == 1
    assert reverse("brands:brand_detail", args=[cultivating.slug]) in content
    assert "未公开品牌" not in content
    assert "退出品牌" not in content


def test_an_institution_without_agreements_is_still_listed(client):
    institution = factories.QualifiedInstitutionFactory()

    response = client.get(URL)

    listed = next(i for i in response.context["page_obj"] if i == institution)
    assert listed.partner_brands == []


def test_nothing_qualified_shows_an_empty_list(client, institutions):
    Institution.objects.update(status=Institution.Status.REGISTERED)

    response = client.get(URL)

    assert response.status_code == 200
    assert list(response.context["page_obj"]) == []


def test_a_suspended_institution_leaves_the_list_and_comes_back_when_reinstated(client, city_admin):
    institution = factories.QualifiedInstitutionFactory(name="可恢复学校")
    institution_suspend(institution=institution, actor=city_admin, reason="整改")
    assert "可恢复学校" not in client.get(URL).content.decode()

    institution_reinstate(institution=institution, actor=city_admin)

    assert "可恢复学校" in client.get(URL).content.decode()


def test_query_count_does_not_grow_with_institutions_occupations_and_brands(client, official_a, official_b):
    brands = [
        factories.CultivatingBrandFactory(county=official_a.county),
        factories.RecognisedBrandFactory(county=official_b.county),
    ]

    def add_institution():
        institution = factories.QualifiedInstitutionFactory(occupations=factories.make_occupations(3))
        factories.PartnerAgreementFactory(
            county=official_a.county, institution=institution, brands=brands[:1]
        )
        factories.PartnerAgreementFactory(county=official_b.county, institution=institution, brands=brands)

    add_institution()
    few = query_count(client, URL)

    for _ in range(8):
        add_institution()

    assert query_count(client, URL) == few


@pytest.mark.parametrize("page", ["abc", "0", "-1", "99999", "2.5", "<script>"])
def test_a_bad_page_number_still_shows_a_page(client, institutions, page):
    assert client.get(URL, {"page": page}).status_code == 200


def test_the_list_is_paginated(client):
    for _ in range(21):
        factories.QualifiedInstitutionFactory()

    first = client.get(URL)
    second = client.get(URL, {"page": 2})

    assert len(first.context["page_obj"]) == 20
    assert len(second.context["page_obj"]) == 1
