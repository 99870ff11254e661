"""A posting's status through the test client: publishing (only a verified company, not with a passed
date), closing and marking filled along the allowed steps, and a city admin taking a posting down with a
reason the employer is told."""

import datetime

import pytest

from jobs.models import JobPosting
from laborbrand.accounts.models import Notification
from tests import factories
from tests.jobs.posting_management_helpers import (
    TODAY,
    Status,
    logged_in,
    messages_of,
    posting_data,
    snapshot,
    url,
)

pytestmark = pytest.mark.django_db


# --- Publishing, closing, marking filled --------------------------------------------------------------------


def test_verified_company_publishes_a_draft(employer_client, draft):
    response = employer_client.post(url("posting_publish", draft.pk))
    assert response.status_code == 302
    assert response.url == url("posting_manage_detail", draft.pk)
    draft.refresh_from_db()
    assert draft.status == Status.OPEN
    assert draft.published_at is not None
    assert messages_of(response) == [
        (
            "success",
            f"Published: the posting is on the public job board until {draft.open_until.isoformat()}.",
        )
    ]
    assert JobPosting.objects.public().filter(pk=draft.pk).exists()


def test_unverified_company_cannot_publish(employer_client, unverified_company):
    posting = factories.JobPostingFactory(employer=unverified_company, draft=True)
    before = snapshot(posting)
    response = employer_client.post(url("posting_publish", posting.pk))
    assert response.status_code == 302
    assert messages_of(response) == [
        ("error", "Postings are published once the city has verified your company.")
    ]
    assert snapshot(posting) == before
    # The page says why up front, and the button is not offered as if it would work.
    content = employer_client.get(url("posting_manage_detail", posting.pk)).content.decode()
    assert "Your company is not verified yet" in content
    assert 'disabled aria-describedby="verification-heading"' in content


def test_publish_needs_post(employer_client, draft):
    assert employer_client.get(url("posting_publish", draft.pk)).status_code == 405
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_a_draft_with_a_passed_date_is_not_published(employer_client, company):
    posting = factories.JobPostingFactory(
        employer=company, draft=True, open_until=TODAY - datetime.timedelta(days=2)
    )
    response = employer_client.post(url("posting_publish", posting.pk))
    assert messages_of(response) == [("error", "Set an open-until date from today on before publishing.")]
    posting.refresh_from_db()
    assert posting.status == Status.DRAFT


@pytest.mark.parametrize("trait", ["filled", "taken_down"])
def test_filled_or_taken_down_postings_cannot_be_published(employer_client, company, trait):
    posting = factories.JobPostingFactory(employer=company, **{trait: True})
    before = snapshot(posting)
    response = employer_client.post(url("posting_publish", posting.pk))
    assert messages_of(response)[-1][0] == "error"
    assert "cannot be published" in messages_of(response)[-1][1]
    assert snapshot(posting) == before


def test_a_closed_posting_can_be_published_again(employer_client, company):
    posting = factories.JobPostingFactory(employer=company, closed=True)
    employer_client.post(url("posting_publish", posting.pk))
    posting.refresh_from_db()
    assert posting.status == Status.OPEN


# The status an employer sets by hand, each by its own URL.
STATUS_URLS = {Status.CLOSED: "posting_close", Status.FILLED: "posting_fill"}


@pytest.mark.parametrize(
    ("trait", "to"),
    [(None, Status.CLOSED), (None, Status.FILLED), ("expired", Status.FILLED)],
)
def test_allowed_status_changes(employer_client, company, trait, to):
    posting = factories.JobPostingFactory(employer=company, **({trait: True} if trait else {}))
    response = employer_client.post(url(STATUS_URLS[to], posting.pk))
    assert response.status_code == 302
    assert response.url == url("posting_manage_detail", posting.pk)
    posting.refresh_from_db()
    assert posting.status == to
    assert messages_of(response)[-1][0] == "success"


@pytest.mark.parametrize(
    ("trait", "to"),
    [
        ("draft", Status.CLOSED),
        ("draft", Status.FILLED),
        ("closed", Status.CLOSED),
        ("filled", Status.CLOSED),
        ("expired", Status.CLOSED),
        ("taken_down", Status.FILLED),
    ],
)
def test_refused_status_changes_leave_the_posting_alone(employer_client, company, trait, to):
    posting = factories.JobPostingFactory(employer=company, **{trait: True})
    before = snapshot(posting)
    response = employer_client.post(url(STATUS_URLS[to], posting.pk))
    assert response.status_code == 302
    level, text = messages_of(response)[-1]
    assert level == "error"
    assert "cannot become" in text
    assert snapshot(posting) == before


@pytest.mark.parametrize(
    "path", ["open/", "taken-down/", "expired/", "nonsense/", "status/closed/", "status/filled/"]
)
def test_other_targets_are_not_found(employer_client, open_posting, path):
    """Each status an employer sets has its own URL beside the posting's page; no other is found."""
    before = snapshot(open_posting)
    response = employer_client.post(url("posting_manage_detail", open_posting.pk) + path)
    assert response.status_code == 404
    assert snapshot(open_posting) == before


@pytest.mark.parametrize("name", STATUS_URLS.values())
def test_set_status_needs_post(employer_client, open_posting, name):
    assert employer_client.get(url(name, open_posting.pk)).status_code == 405


# --- Taking down --------------------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, city_admin):
    return logged_in(client, city_admin)


def test_take_down_page_asks_for_a_reason(admin_client, open_posting):
    response = admin_client.get(url("posting_take_down", open_posting.pk))
    assert response.status_code == 200
    content = response.content.decode()
    assert open_posting.title in content
    assert 'name="reason"' in content


@pytest.mark.parametrize("reason", ["", "   "])
def test_take_down_without_a_reason_changes_nothing(admin_client, open_posting, reason):
    before = snapshot(open_posting)
    response = admin_client.post(url("posting_take_down", open_posting.pk), {"reason": reason})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert snapshot(open_posting) == before
    assert not Notification.objects.exists()


def test_take_down_records_the_reason_and_tells_the_employer(
    admin_client, open_posting, employer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            url("posting_take_down", open_posting.pk), {"reason": "  薪资与实际不符，多名求职者投诉。 "}
        )
    assert response.status_code == 302
    assert response.url == url("posting_detail", open_posting.pk)
    open_posting.refresh_from_db()
    assert open_posting.status == Status.TAKEN_DOWN
    assert open_posting.taken_down_reason == "薪资与实际不符，多名求职者投诉。"
    notification = Notification.objects.get(recipient=employer)
    assert open_posting.title in notification.title
    assert notification.body == "薪资与实际不符，多名求职者投诉。"
    assert notification.url == url("posting_manage_detail", open_posting.pk)
    assert [m.to for m in mailoutbox] == [[employer.email]]
    assert messages_of(response)[-1][0] == "success"
    # The posting's page stays viewable for the city admin, and it has left the public board.
    page = admin_client.get(response.url)
    assert page.status_code == 200
    assert "Taken down by the city:" in page.content.decode()
    assert not JobPosting.objects.public().filter(pk=open_posting.pk).exists()


def test_a_draft_can_be_taken_down_too(admin_client, draft):
    admin_client.post(url("posting_take_down", draft.pk), {"reason": "违规内容"})
    draft.refresh_from_db()
    assert draft.status == Status.TAKEN_DOWN


def test_taking_down_twice_is_refused_with_a_message(admin_client, company):
    posting = factories.JobPostingFactory(employer=company, taken_down=True)
    assert "already taken down" in admin_client.get(url("posting_take_down", posting.pk)).content.decode()
    response = admin_client.post(url("posting_take_down", posting.pk), {"reason": "再次下架"})
    assert response.status_code == 302
    assert messages_of(response) == [("error", "This posting is already taken down.")]
    posting.refresh_from_db()
    assert posting.taken_down_reason == "虚假招聘信息。"


def test_take_down_of_a_missing_posting_is_404(admin_client):
    assert admin_client.get(url("posting_take_down", 999999)).status_code == 404


def test_taken_down_postings_cannot_be_published_or_edited_by_the_employer(client, employer, company):
    posting = factories.JobPostingFactory(employer=company, taken_down=True)
    logged_in(client, employer)
    client.post(url("posting_publish", posting.pk))
    client.post(url("posting_update", posting.pk), posting_data())
    posting.refresh_from_db()
    assert posting.status == Status.TAKEN_DOWN
    assert posting.title != "数控车床操作工"
