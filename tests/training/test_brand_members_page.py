"""A brand's members page: each member with the ways they are one (registered practitioner, trained under
the brand, certified), the counts and rate, keyword search and the Excel export of what is shown; for the
officials of the brand's county and city admins."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def members(program_a, measured_brand):
    """Three members of measured_brand (金寨县): one trained and certified, one on the register only, one on
    the register and certified; and someone removed from the register, no longer a member."""
    occupation = measured_brand.occupations.get()
    institution = factories.QualifiedInstitutionFactory(occupations=[occupation])
    trained = factories.EnrollmentFactory(
        program=program_a, completed=True, worker=factories.WorkerFactory(real_name="王秀兰")
    ).worker
    factories.CertificateFactory(assessment__institution=institution, assessment__worker=trained)
    listed = factories.PractitionerFactory(
        brand=measured_brand, worker=factories.WorkerRecordFactory(real_name="李桂芳")
    ).worker
    both = factories.PractitionerFactory(
        brand=measured_brand, worker=factories.WorkerFactory(real_name="张玉梅")
    )
    factories.CertificateFactory(assessment__institution=institution, assessment__worker=both.worker)
    factories.PractitionerFactory(
        brand=measured_brand, worker=factories.WorkerFactory(real_name="刘春燕"), removed=True
    )
    return {"trained": trained, "listed": listed, "both": both.worker}


def url(brand, query=""):
    return reverse("training:brand_members", args=[brand.pk]) + query


@pytest.mark.parametrize("who", ["official_a", "city_admin"])
def test_each_member_is_shown_with_the_ways_they_are_one(client, request, measured_brand, members, who):
    client.force_login(request.getfixturevalue(who))

    response = client.get(url(measured_brand), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    rows = {
        m.real_name: (m.is_registered, m.is_trained, m.is_certified) for m in response.context["page_obj"]
    }
    assert rows == {
        "王秀兰": (False, True, True),
        "李桂芳": (True, False, False),
        "张玉梅": (True, False, True),
    }
    assert response.context["counts"] == {"members": 3, "registered": 2, "trained": 1, "certified": 2}
    assert response.context["rate"] == 67
    html = response.content.decode()
    assert "registered practitioner" in html and "trained under the brand" in html
    assert members["both"].masked_id_number in html and members["both"].id_number not in html
    assert "刘春燕" not in html


def test_the_keyword_and_the_export_show_the_same_members(client, official_a, measured_brand, members):
    client.force_login(official_a)

    assert [m.real_name for m in client.get(url(measured_brand, "?q=李")).context["page_obj"]] == ["李桂芳"]
    export = client.get(url(measured_brand, "?q=李&export=xlsx"), HTTP_ACCEPT_LANGUAGE="en")
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][0] == "李桂芳"
    assert "*" in rows[1][1]
    assert rows[1][2] == "registered practitioner"
    assert rows[1][3] == "no"


def test_another_countys_official_gets_404(client, official_b, measured_brand, members):
    client.force_login(official_b)

    assert client.get(url(measured_brand)).status_code == 404


@pytest.mark.parametrize("who", ["institution_staff", "employer", "worker", "leading_member"])
def test_other_roles_get_403(client, request, measured_brand, who):
    client.force_login(request.getfixturevalue(who))

    assert client.get(url(measured_brand)).status_code == 403


def test_the_page_costs_the_same_queries_for_more_members(
    client, official_a, measured_brand, members, django_assert_max_num_queries
):
    client.force_login(official_a)
    with django_assert_max_num_queries(30) as few:
        client.get(url(measured_brand))
    for _ in range(5):
        factories.PractitionerFactory(brand=measured_brand)

    with django_assert_max_num_queries(len(few)):
        response = client.get(url(measured_brand))
    assert len(response.context["page_obj"]) == 8
