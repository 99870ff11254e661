"""The worker's side of the job board through the test client: the job-seeking profile, applying with the
separate consent (once per posting, only to postings taking applications, only with a complete profile),
"my applications" with its timeline, and withdrawing. Who may reach which page, refusals as messages with
nothing saved, no 500s, and a fixed number of queries on the list."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jobs import services
from jobs.models import Application, ApplicationEvent, JobPosting, WorkerProfile
from laborbrand.accounts.models import Notification
from laborbrand.reference.models import Province
from tests import factories
from tests.jobs.factories_apps import (
    apply,
    employer_b,
    logged_in,
    messages_of,
    move_to,
    url,
    verified_company,
    worker_with_profile,
)

pytestmark = pytest.mark.django_db

Status = Application.Status
PostingStatus = JobPosting.Status


@pytest.fixture
def company(employer):
    return verified_company(employer)


@pytest.fixture
def posting(company):
    return factories.JobPostingFactory(employer=company, title="数控车工（两班倒）")


@pytest.fixture
def profile(worker):
    return factories.WorkerProfileFactory(user=worker)


@pytest.fixture
def worker_client(client, worker):
    return logged_in(client, worker)


# --- The profile --------------------------------------------------------------------------------------------


def profile_post(**overrides):
    occupations = factories.make_occupations(2)
    data = {
        "home_county": factories.make_county("341524").pk,
        "desired_occupations": [o.pk for o in occupations],
        "experience_years": "4",
        "experience": "在苏州一家机械厂做过三年数控车工。",
        "preferred_provinces": [Province.objects.get(code="320000").pk],
        "accepts_other_province": "on",
        "expected_salary": "7000",
        "seeking": "on",
    }
    data.update(overrides)
    return data


def test_worker_sees_their_own_full_id_and_phone_on_the_profile_page(worker_client, worker):
    response = worker_client.get(url("profile_edit"))
    page = response.content.decode()
    assert response.status_code == 200
    assert worker.id_number in page
    assert worker.phone in page
    assert worker.real_name in page


def test_occupations_are_grouped_by_category(worker_client):
    page = worker_client.get(url("profile_edit")).content.decode()
    assert "机械加工" in page  # a category heading
    assert 'name="desired_occupations"' in page


def test_saving_the_profile_stores_it_through_the_service(worker_client, worker):
    data = profile_post()
    response = worker_client.post(url("profile_edit"), data)
    assert response.status_code == 302
    assert response.url == url("profile_edit")
    profile = WorkerProfile.objects.get(user=worker)
    assert profile.is_complete
    assert sorted(profile.desired_occupations.values_list("pk", flat=True)) == sorted(
        data["desired_occupations"]
    )
    assert list(profile.preferred_provinces.values_list("code", flat=True)) == ["320000"]
    assert (profile.experience_years, profile.expected_salary, profile.accepts_other_province) == (
        4,
        7000,
        True,
    )
    assert ("success", "Your job-seeking profile is saved.") in messages_of(response)


def test_editing_an_existing_profile_changes_it(worker_client, profile):
    worker_client.post(url("profile_edit"), profile_post(seeking="", expected_salary=""))
    profile.refresh_from_db()
    assert profile.seeking is False
    assert profile.expected_salary is None


def test_saving_returns_to_a_safe_next_page(worker_client, posting):
    apply_url = url("apply", posting.pk)
    response = worker_client.post(url("profile_edit"), {**profile_post(), "next": apply_url})
    assert response.url == apply_url


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_saving_ignores_a_next_page_elsewhere(worker_client, next_url):
    response = worker_client.post(url("profile_edit"), {**profile_post(), "next": next_url})
    assert response.url == url("profile_edit")


def test_next_page_is_kept_in_the_form(worker_client, posting):
    apply_url = url("apply", posting.pk)
    page = worker_client.get(url("profile_edit"), {"next": apply_url}).content.decode()
    assert f'name="next" value="{apply_url}"' in page


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"desired_occupations": []}, "desired_occupations"),
        ({"home_county": ""}, "home_county"),
        ({"expected_salary": "500"}, "expected_salary"),
        ({"experience_years": "99"}, "experience_years"),
        ({"experience_years": "-1"}, "experience_years"),
        ({"home_county": "999999"}, "home_county"),
        ({"experience": "x" * 2001}, "experience"),
    ],
)
def test_bad_profile_input_shows_the_error_and_saves_nothing(worker_client, worker, overrides, field):
    response = worker_client.post(url("profile_edit"), profile_post(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not WorkerProfile.objects.filter(user=worker).exists()


def test_more_than_five_desired_occupations_are_refused(worker_client, worker):
    six = [o.pk for o in factories.make_occupations(6)]
    response = worker_client.post(url("profile_edit"), profile_post(desired_occupations=six))
    assert response.context["form"].errors["desired_occupations"] == ["Choose at most 5 occupations."]
    assert not WorkerProfile.objects.filter(user=worker).exists()


@pytest.mark.parametrize("persona", ["employer", "official_a", "institution_staff", "city_admin"])
def test_only_workers_have_a_job_seeking_profile(client, request, persona):
    logged_in(client, request.getfixturevalue(persona))
    assert client.get(url("profile_edit")).status_code == 403
    assert client.post(url("profile_edit"), profile_post()).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in_for_the_profile(client):
    response = client.get(url("profile_edit"))
    assert response.status_code == 302
    assert response.url.startswith(f"{reverse('login')}?next=")


# --- Applying -----------------------------------------------------------------------------------------------


def test_apply_page_shows_the_posting_and_the_consent_naming_the_employer(worker_client, posting, profile):
    response = worker_client.get(url("apply", posting.pk))
    page = response.content.decode()
    assert response.status_code == 200
    assert posting.title in page
    assert posting.employer.name in page
    assert posting.employer.credit_code in page
    assert "mobile number, masked ID number" in page  # the data the employer will see
    assert 'name="consent"' in page


def test_apply_page_with_an_incomplete_profile_links_to_the_profile_and_back(worker_client, posting):
    response = worker_client.get(url("apply", posting.pk))
    page = response.content.decode()
    assert "Complete your profile first" in page
    assert f"{url('profile_edit')}?next=%2Fjobs%2F{posting.pk}%2Fapply%2F" in page
    assert 'name="consent"' not in page


def test_applying_stores_the_consent_and_tells_the_employer(
    worker_client, worker, employer, posting, profile
):
    response = worker_client.post(url("apply", posting.pk), {"consent": "on"})
    assert response.status_code == 302
    assert response.url == url("my_applications")
    application = Application.objects.get()
    assert (application.posting, application.worker, application.status) == (
        posting,
        worker,
        Status.SUBMITTED,
    )
    assert posting.employer.name in application.consent_text
    assert posting.employer.credit_code in application.consent_text
    assert application.consent_at is not None
    assert application.recommendation is False
    assert list(application.events.values_list("new_status", "actor")) == [(Status.SUBMITTED, worker.pk)]
    assert Notification.objects.filter(recipient=employer, url=url("applicant_list", posting.pk)).exists()
    assert messages_of(response)[-1][0] == "success"


def test_a_claimed_recommendation_the_portal_never_made_is_not_recorded(worker_client, posting, profile):
    page = worker_client.get(url("apply", posting.pk), {"recommendation": "1"}).content.decode()
    assert 'name="recommendation" value="True"' in page
    worker_client.post(url("apply", posting.pk), {"consent": "on", "recommendation": "True"})
    assert Application.objects.get().recommendation is False  # see test_matching_pages for when it is


def test_applying_without_consent_is_refused_and_saves_nothing(worker_client, posting, profile):
    response = worker_client.post(url("apply", posting.pk), {})
    assert response.status_code == 400
    assert "Applying needs your consent" in response.content.decode()
    assert not Application.objects.exists()


def test_a_double_post_makes_one_application(worker_client, posting, profile):
    first = worker_client.post(url("apply", posting.pk), {"consent": "on"})
    second = worker_client.post(url("apply", posting.pk), {"consent": "on"})
    assert Application.objects.count() == 1
    assert ApplicationEvent.objects.count() == 1
    assert first.url == second.url == url("my_applications")
    assert ("error", "You have already applied to this job.") in messages_of(second)


def test_opening_the_apply_page_again_leads_to_my_applications(worker_client, worker, posting, profile):
    apply(posting, worker)
    response = worker_client.get(url("apply", posting.pk))
    assert response.url == url("my_applications")
    assert "You applied to “数控车工（两班倒）”" in messages_of(response)[-1][1]


def test_applying_with_an_incomplete_profile_is_refused(worker_client, posting):
    response = worker_client.post(url("apply", posting.pk), {"consent": "on"})
    assert response.url == url("apply", posting.pk)
    assert "Complete your profile" in messages_of(response)[-1][1]
    assert not Application.objects.exists()


@pytest.mark.parametrize("trait", ["closed", "filled", "expired", "lapsed", "taken_down"])
def test_postings_not_taking_applications_are_refused(worker_client, company, profile, trait):
    posting = factories.JobPostingFactory(employer=company, **{trait: True})
    shown = worker_client.get(url("apply", posting.pk))
    assert shown.url == url("search")
    assert ("error", "This job is no longer taking applications.") in messages_of(shown)
    posted = worker_client.post(url("apply", posting.pk), {"consent": "on"})
    assert posted.url == url("search")
    assert "This job is no longer taking applications." in messages_of(posted)[-1][1]
    assert not Application.objects.exists()


def test_a_posting_of_an_unverified_employer_takes_no_applications(worker_client, employer, profile):
    posting = factories.JobPostingFactory(employer=employer.employers.get())
    worker_client.post(url("apply", posting.pk), {"consent": "on"})
    assert not Application.objects.exists()


def test_a_draft_posting_is_not_found(worker_client, company, profile):
    posting = factories.JobPostingFactory(employer=company, draft=True)
    assert worker_client.get(url("apply", posting.pk)).status_code == 404
    assert worker_client.post(url("apply", posting.pk), {"consent": "on"}).status_code == 404
    assert worker_client.get(url("apply", 999999)).status_code == 404


@pytest.mark.parametrize("persona", ["employer", "official_a", "institution_staff", "city_admin"])
def test_only_workers_apply(client, request, posting, persona):
    logged_in(client, request.getfixturevalue(persona))
    assert client.get(url("apply", posting.pk)).status_code == 403
    assert client.post(url("apply", posting.pk), {"consent": "on"}).status_code == 403
    assert not Application.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in_to_apply(client, posting):
    response = client.post(url("apply", posting.pk), {"consent": "on"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert not Application.objects.exists()


# --- My applications ----------------------------------------------------------------------------------------


def test_my_applications_lists_the_workers_own_newest_first(worker_client, worker, company):
    older = apply(factories.JobPostingFactory(employer=company, title="焊工"), worker)
    Application.objects.filter(pk=older.pk).update(created=timezone.now() - datetime.timedelta(days=2))
    apply(factories.JobPostingFactory(employer=company, title="钳工"), worker)
    apply(factories.JobPostingFactory(employer=company, title="别人的岗位"), worker_with_profile())
    response = worker_client.get(url("my_applications"))
    page = response.content.decode()
    assert [a.posting.title for a in response.context["page_obj"]] == ["钳工", "焊工"]
    assert "别人的岗位" not in page
    assert company.name in page
    assert f'href="{url("posting_detail", older.posting.pk)}"' in page


def test_timeline_shows_each_step_and_the_interview_note_but_not_other_notes(worker_client, worker, posting):
    application = apply(posting, worker)
    move_to(application, Status.INTERVIEW, note="周三上午9点到厂区人事部面试。")
    other = apply(factories.JobPostingFactory(employer=posting.employer, title="焊工"), worker)
    move_to(other, Status.REJECTED, note="内部备注：经验不足。")
    page = worker_client.get(url("my_applications")).content.decode()
    assert "周三上午9点到厂区人事部面试。" in page
    assert "内部备注" not in page
    assert "Interview" in page
    assert "Not successful" in page


def test_a_closed_postings_title_is_shown_without_a_link(worker_client, worker, posting):
    apply(posting, worker)
    JobPosting.objects.filter(pk=posting.pk).update(status=PostingStatus.CLOSED)
    page = worker_client.get(url("my_applications")).content.decode()
    assert posting.title in page
    assert f'href="{url("posting_detail", posting.pk)}"' not in page


def test_withdraw_button_only_while_withdrawable(worker_client, worker, company):
    open_one = apply(factories.JobPostingFactory(employer=company), worker)
    hired = move_to(apply(factories.JobPostingFactory(employer=company), worker), Status.HIRED)
    page = worker_client.get(url("my_applications")).content.decode()
    # The button leads to the confirmation page; nothing on the list withdraws in one tap.
    assert f'href="{url("application_withdraw_confirm", open_one.pk)}"' in page
    assert url("application_withdraw", hired.pk) not in page
    assert f'action="{url("application_withdraw", open_one.pk)}"' not in page


def test_my_applications_without_any_says_so(worker_client):
    response = worker_client.get(url("my_applications"))
    assert "You have not applied to a job yet." in response.content.decode()


def _count_queries(client) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url("my_applications")).status_code == 200
    return len(context)


def test_my_applications_query_count_does_not_grow_with_rows(worker_client, worker, company):
    for _ in range(2):
        move_to(apply(factories.JobPostingFactory(employer=company), worker), Status.INTERVIEW, note="面试")
    few = _count_queries(worker_client)
    for _ in range(6):
        move_to(apply(factories.JobPostingFactory(employer=company), worker), Status.OFFERED, note="录用")
    assert _count_queries(worker_client) == few


@pytest.mark.parametrize("persona", ["employer", "official_a", "institution_staff", "city_admin"])
def test_only_workers_have_my_applications(client, request, persona):
    logged_in(client, request.getfixturevalue(persona))
    assert client.get(url("my_applications")).status_code == 403


# --- Withdrawing --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.VIEWED, Status.INTERVIEW, Status.OFFERED])
def test_worker_withdraws_an_open_application(worker_client, worker, posting, status):
    application = move_to(apply(posting, worker), status)
    response = worker_client.post(url("application_withdraw", application.pk))
    assert response.url == url("my_applications")
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN
    assert application.events.latest("pk").actor == worker
    assert messages_of(response)[-1][0] == "success"


@pytest.mark.parametrize("status", [Status.HIRED, Status.REJECTED])
def test_a_decided_application_cannot_be_withdrawn(worker_client, worker, posting, status):
    application = move_to(apply(posting, worker), status)
    response = worker_client.post(url("application_withdraw", application.pk))
    application.refresh_from_db()
    assert application.status == status
    assert ("error", "This application can no longer be withdrawn.") in messages_of(response)


def test_withdrawing_twice_is_a_message(worker_client, worker, posting):
    application = apply(posting, worker)
    worker_client.post(url("application_withdraw", application.pk))
    response = worker_client.post(url("application_withdraw", application.pk))
    assert messages_of(response)[-1][0] == "error"
    assert application.events.count() == 2


def test_withdrawing_needs_a_post(worker_client, worker, posting):
    application = apply(posting, worker)
    assert worker_client.get(url("application_withdraw", application.pk)).status_code == 405
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_worker_b_cannot_see_or_withdraw_worker_as_applications(client, worker, posting):
    application = apply(posting, worker)
    logged_in(client, factories.WorkerFactory(username="worker_b"))
    page = client.get(url("my_applications")).content.decode()
    assert posting.title not in page
    assert client.post(url("application_withdraw", application.pk)).status_code == 404
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


@pytest.mark.parametrize("persona", ["employer", "official_a", "city_admin"])
def test_others_cannot_withdraw(client, request, worker, posting, persona):
    application = apply(posting, worker)
    logged_in(client, request.getfixturevalue(persona))
    assert client.post(url("application_withdraw", application.pk)).status_code == 403
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


# --- Personal data ------------------------------------------------------------------------------------------


def test_the_applicants_phone_is_not_in_the_employers_notification(worker, employer, posting):
    apply(posting, worker)
    notification = Notification.objects.get(recipient=employer)
    assert worker.phone not in f"{notification.title} {notification.body} {notification.url}"
    assert worker.id_number not in f"{notification.title} {notification.body} {notification.url}"


def test_public_pages_never_show_an_applicants_phone(client, worker, posting):
    apply(posting, worker)
    for path in (url("search"), url("posting_detail", posting.pk)):
        response = client.get(path)
        assert response.status_code == 200
        assert worker.phone not in response.content.decode()
        assert worker.masked_phone not in response.content.decode()


def test_another_employer_never_sees_the_applicant(client, worker, posting):
    application = apply(posting, worker)
    logged_in(client, employer_b())
    for path in (url("applicant_list", posting.pk), url("applicant_detail", application.pk)):
        assert client.get(path).status_code == 404


def test_posting_without_consent_to_a_closed_posting_says_it_is_closed(worker_client, company, profile):
    posting = factories.JobPostingFactory(employer=company, closed=True)
    response = worker_client.post(url("apply", posting.pk), {})
    assert response.url == url("search")
    assert ("error", "This job is no longer taking applications.") in messages_of(response)


def test_posting_without_consent_after_applying_says_already_applied(worker_client, worker, posting):
    apply(posting, worker)
    response = worker_client.post(url("apply", posting.pk), {})
    assert response.url == url("my_applications")
    assert ("error", "You have already applied to this job.") in messages_of(response)
    assert Application.objects.count() == 1


def test_withdrawing_tells_the_employer_staff(db):
    staff = factories.EmployerStaffFactory()
    posting = factories.JobPostingFactory(employer=factories.VerifiedEmployerFactory(staff=[staff]))
    application = factories.ApplicationFactory(posting=posting)
    services.application_withdraw(application=application, worker=application.worker)
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN
    assert staff.notifications.filter(title__contains=posting.title).count() == 1
