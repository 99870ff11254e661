"""Someone who registers from a page (a job, a programme: any link with ?next=) comes back to that page, not
to the workbench: through the sign-in page's "create an account" link, the choice of account and each of the
three registration forms (worker, employer, institution). Only a page of this site is followed; anything
else leads to the workbench as before."""

import pytest
from django.urls import reverse

from laborbrand.accounts.models import User
from tests import factories
from tests.accounts.sms_codes import last_code
from tests.accounts.test_worker_registration import registration_data as worker_data
from tests.jobs.test_employer_registration import registration_data as employer_data
from tests.training.test_institution_registration import registration_data as institution_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("send_now")]

FORMS = {
    "worker": (reverse("accounts:register_worker"), worker_data),
    "employer": (reverse("jobs:employer_register"), employer_data),
    "institution": (reverse("training:institution_register"), institution_data),
}
WORKBENCH = reverse("accounts:workbench")


def submit(client, kind, data):
    """Post a registration form; a worker's then takes the code from the text message (step 2)."""
    response = client.post(FORMS[kind][0], data)
    if kind == "worker" and response.status_code == 302:
        assert response.url == reverse("accounts:register_worker_confirm")
        response = client.post(response.url, {"code": last_code()})
    return response


UNSAFE = [
    "https://evil.example/jobs/1/",
    "//evil.example/jobs/1/",
    "http://testserver.evil.example/",
    "javascript:alert(1)",
    "https:///evil.example/",
    "\\\\evil.example\\",
]


def back_to_a_job() -> str:
    return reverse("jobs:posting_detail", args=[factories.JobPostingFactory().pk]) + "?from=recommendation"


@pytest.mark.parametrize("kind", list(FORMS))
def test_registering_from_a_page_comes_back_to_it(client, kind):
    path, data = FORMS[kind]
    page = back_to_a_job()
    form = client.get(path, {"next": page}).content.decode()
    assert f'<input type="hidden" name="next" value="{page.replace("&", "&amp;")}">' in form
    response = submit(client, kind, {**data(), "next": page})
    assert response.status_code == 302
    assert response.url == page
    assert client.get(response.url).status_code == 200  # signed in, on the job page


@pytest.mark.parametrize("kind", list(FORMS))
def test_registering_without_a_page_goes_to_the_workbench(client, kind):
    response = submit(client, kind, FORMS[kind][1]())
    assert response.url == WORKBENCH


@pytest.mark.parametrize("kind", list(FORMS))
@pytest.mark.parametrize("unsafe", UNSAFE)
def test_a_page_off_this_site_is_never_followed(client, kind, unsafe):
    path, data = FORMS[kind]
    assert '<input type="hidden" name="next"' not in client.get(path, {"next": unsafe}).content.decode()
    response = submit(client, kind, {**data(), "next": unsafe})
    assert response.status_code == 302
    assert response.url == WORKBENCH


@pytest.mark.parametrize("kind", list(FORMS))
def test_a_failed_registration_keeps_the_page_to_come_back_to(client, kind):
    path, data = FORMS[kind]
    page = back_to_a_job()
    response = client.post(path, {**data(), "next": page, "real_name": "", "account-username": ""})
    assert response.status_code == 200
    assert response.context["next"] == page
    assert not User.objects.filter(
        role__in=[User.Role.WORKER, User.Role.EMPLOYER, User.Role.INSTITUTION_STAFF]
    )


@pytest.mark.parametrize("kind", list(FORMS))
def test_someone_signed_in_goes_straight_to_the_page(client, worker, kind):
    client.force_login(worker)
    page = back_to_a_job()
    assert client.get(FORMS[kind][0], {"next": page}).url == page
    assert client.get(FORMS[kind][0], {"next": UNSAFE[0]}).url == WORKBENCH


def test_the_page_is_carried_from_sign_in_through_the_choice_of_account(client):
    page = back_to_a_job()
    sign_in = client.get(reverse("login"), {"next": page}).content.decode()
    choice = f"{reverse('accounts:register')}?next="
    assert choice in sign_in
    content = client.get(reverse("accounts:register"), {"next": page}).content.decode()
    for path, _data in FORMS.values():
        assert f"{path}?next=" in content
    content = client.get(reverse("accounts:register"), {"next": UNSAFE[1]}).content.decode()
    for path, _data in FORMS.values():
        assert f"{path}?next=" not in content


def test_the_job_page_sends_a_visitor_to_register_and_back(client):
    posting = factories.JobPostingFactory()
    path = reverse("jobs:posting_detail", args=[posting.pk])
    content = client.get(path).content.decode()
    assert f'href="{reverse("accounts:register_worker")}?next={path}"' in content
    assert f'href="{reverse("login")}?next={path}"' in content
