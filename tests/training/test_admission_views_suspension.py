"""The city's institution pages through the test client: the list of every institution, suspending (with
a reason) and reinstating. Refused moves give a clear message and change nothing; the list runs a fixed
number of queries."""

import pytest

from laborbrand.accounts.models import Notification
from tests import factories
from tests.training.admission_views_helpers import NEXT_YEAR, messages_of, query_count, url
from training.models import Institution

pytestmark = pytest.mark.django_db


# --- City: institutions ---------------------------------------------------------------------------------


def test_institution_admin_list_shows_every_institution(admin_client):
    institutions = [
        factories.InstitutionFactory(),
        factories.QualifiedInstitutionFactory(),
        factories.InstitutionFactory(suspended=True),
        factories.InstitutionFactory(expired=True),
    ]

    response = admin_client.get(url("institution_admin_list"))

    assert response.status_code == 200
    assert set(response.context["page_obj"]) == set(institutions)
    content = response.content.decode()
    assert url("institution_suspend", institutions[1].pk) in content
    assert url("institution_reinstate", institutions[2].pk) in content
    assert url("institution_suspend", institutions[0].pk) not in content


def test_institution_admin_list_query_count_does_not_grow(admin_client):
    factories.QualifiedInstitutionFactory()
    few = query_count(admin_client, url("institution_admin_list"))

    for _ in range(4):
        factories.QualifiedInstitutionFactory()
        factories.InstitutionFactory(suspended=True)

    assert query_count(admin_client, url("institution_admin_list")) == few


def test_suspending_and_reinstating_an_institution(admin_client, institution_a, institution_staff):
    Institution.objects.filter(pk=institution_a.pk).update(
        status=Institution.Status.QUALIFIED, qualified_until=NEXT_YEAR
    )

    response = admin_client.post(url("institution_suspend", institution_a.pk), {"reason": "安全检查不合格"})

    assert response.status_code == 302
    assert response.url == url("institution_admin_list")
    assert messages_of(response)[-1][0] == "success"
    institution_a.refresh_from_db()
    assert institution_a.status == Institution.Status.SUSPENDED
    assert Notification.objects.filter(recipient=institution_staff, body="安全检查不合格").exists()

    response = admin_client.post(url("institution_reinstate", institution_a.pk))

    assert response.status_code == 302
    institution_a.refresh_from_db()
    assert institution_a.status == Institution.Status.QUALIFIED


@pytest.mark.parametrize("reason", ["", "   "])
def test_suspending_without_a_reason_is_refused_with_a_message(admin_client, institution_a, reason):
    Institution.objects.filter(pk=institution_a.pk).update(
        status=Institution.Status.QUALIFIED, qualified_until=NEXT_YEAR
    )

    response = admin_client.post(url("institution_suspend", institution_a.pk), {"reason": reason})

    assert response.status_code == 302
    assert messages_of(response) == [("error", "Please give the reason for the decision.")]
    institution_a.refresh_from_db()
    assert institution_a.status == Institution.Status.QUALIFIED


def test_suspending_an_institution_that_is_not_qualified_is_refused_with_a_message(
    admin_client, institution_a
):
    response = admin_client.post(url("institution_suspend", institution_a.pk), {"reason": "原因"})

    assert response.status_code == 302
    assert messages_of(response) == [("error", "Only a qualified institution can be suspended.")]
    institution_a.refresh_from_db()
    assert institution_a.status == Institution.Status.REGISTERED


def test_reinstating_an_institution_that_is_not_suspended_is_refused_with_a_message(
    admin_client, institution_a
):
    response = admin_client.post(url("institution_reinstate", institution_a.pk))

    assert response.status_code == 302
    assert messages_of(response) == [("error", "Only a suspended institution can be reinstated.")]
    institution_a.refresh_from_db()
    assert institution_a.status == Institution.Status.REGISTERED


@pytest.mark.parametrize("name", ["institution_suspend", "institution_reinstate"])
def test_suspend_and_reinstate_are_post_only(admin_client, institution_a, name):
    assert admin_client.get(url(name, institution_a.pk)).status_code == 405
