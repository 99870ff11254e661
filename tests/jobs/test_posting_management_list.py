"""An employer's postings through the test client: who may reach which page (another company's postings
answer 404), the list in every status with applicant counts and a fixed number of queries, the verification
banner, and a posting's page with its applicants and the actions of its status."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jobs.models import Application, JobPosting
from tests import factories
from tests.jobs.posting_management_helpers import Status, logged_in, posting_data, snapshot, url

pytestmark = pytest.mark.django_db

AppStatus = Application.Status
OTHER_ROLES = ["city_admin", "official_a", "institution_staff", "worker"]


@pytest.fixture
def employer_b(db):
    user = factories.EmployerStaffFactory(username="employer_b")
    factories.VerifiedEmployerFactory(staff=[user], name="苏州另一家公司")
    return user


# --- Who may come in ----------------------------------------------------------------------------------------


def employer_pages(posting):
    return [
        ("get", url("posting_manage_list"), {}),
        ("get", url("posting_create"), {}),
        ("post", url("posting_create"), posting_data()),
        ("get", url("posting_manage_detail", posting.pk), {}),
        ("get", url("posting_update", posting.pk), {}),
        ("post", url("posting_update", posting.pk), posting_data()),
        ("post", url("posting_publish", posting.pk), {}),
        ("post", url("posting_close", posting.pk), {}),
        ("post", url("posting_fill", posting.pk), {}),
        ("get", url("posting_fill_confirm", posting.pk), {}),
    ]


def test_anonymous_is_sent_to_sign_in(client, open_posting):
    before = snapshot(open_posting)
    for method, path, data in [
        *employer_pages(open_posting),
        ("get", url("posting_take_down", open_posting.pk), {}),
    ]:
        response = getattr(client, method)(path, data)
        assert response.status_code == 302, path
        assert response.url.startswith(reverse("login")), path
    assert snapshot(open_posting) == before
    assert JobPosting.objects.count() == 1


@pytest.mark.parametrize("persona", OTHER_ROLES)
def test_other_roles_are_refused_the_employer_pages(client, request, open_posting, persona):
    logged_in(client, request.getfixturevalue(persona))
    before = snapshot(open_posting)
    pages = employer_pages(open_posting)
    if persona == "city_admin":  # city admins read the list of every company's postings (the rest is refused)
        pages = [page for page in pages if page[1] != url("posting_manage_list")]
    for method, path, data in pages:
        assert getattr(client, method)(path, data).status_code == 403, path
    assert snapshot(open_posting) == before
    assert JobPosting.objects.count() == 1


def test_employer_b_gets_404_on_employer_a_postings(client, employer_b, draft, open_posting):
    logged_in(client, employer_b)
    before = {p.pk: snapshot(p) for p in (draft, open_posting)}
    factories.ApplicationFactory(posting=open_posting)
    for posting in (draft, open_posting):
        for method, path, data in employer_pages(posting)[3:]:
            assert getattr(client, method)(path, data).status_code == 404, path
        assert client.get(url("applicant_list", posting.pk)).status_code == 404
    assert {p.pk: snapshot(p) for p in (draft, open_posting)} == before
    listing = client.get(url("posting_manage_list")).content.decode()
    assert draft.title not in listing
    assert open_posting.title not in listing


def test_an_employer_account_without_a_company_cannot_create(client):
    logged_in(client, factories.EmployerStaffFactory())
    assert client.get(url("posting_create")).status_code == 403
    assert client.post(url("posting_create"), posting_data()).status_code == 403
    assert client.get(url("posting_manage_list")).status_code == 200
    assert not JobPosting.objects.exists()


@pytest.mark.parametrize("persona", ["employer", "official_a", "institution_staff", "worker"])
def test_only_city_admins_take_postings_down(client, request, open_posting, persona):
    logged_in(client, request.getfixturevalue(persona))
    before = snapshot(open_posting)
    path = url("posting_take_down", open_posting.pk)
    assert client.get(path).status_code == 403
    assert client.post(path, {"reason": "虚假信息"}).status_code == 403
    assert snapshot(open_posting) == before


# --- The list -----------------------------------------------------------------------------------------------


def test_list_shows_own_postings_in_every_status_with_applicant_counts(employer_client, company, employer_b):
    other = factories.JobPostingFactory(employer=employer_b.employers.get(), title="别家的岗位")
    postings = {
        trait: factories.JobPostingFactory(employer=company, title=f"岗位-{trait}", **{trait: True})
        for trait in ("draft", "closed", "filled", "expired", "taken_down", "lapsed")
    }
    busy = postings["closed"]
    for status in (AppStatus.SUBMITTED, AppStatus.SUBMITTED, AppStatus.HIRED):
        factories.ApplicationFactory(posting=busy, status=status)
    factories.ApplicationFactory(posting=other)

    response = employer_client.get(url("posting_manage_list"))
    content = response.content.decode()
    assert response.status_code == 200
    for posting in postings.values():
        assert posting.title in content
        assert url("posting_manage_detail", posting.pk) in content
    assert other.title not in content
    page = list(response.context["page_obj"])
    counted = {p.pk: (p.applicant_count, p.new_count) for p in page}
    assert counted[busy.pk] == (3, 2)
    assert counted[postings["draft"].pk] == (0, 0)
    assert url("applicant_list", busy.pk) in content
    assert "2 new" in content
    # An open posting whose date has passed shows as expired before the nightly task records it.
    assert 'data-posting-status="expired"' in content


def test_list_filters_by_status_with_counts_on_the_chips(employer_client, company):
    factories.JobPostingFactory(employer=company, draft=True, title="草稿岗位")
    factories.JobPostingFactory(employer=company, title="招聘中岗位甲")
    factories.JobPostingFactory(employer=company, title="招聘中岗位乙")

    response = employer_client.get(url("posting_manage_list"), {"status": Status.OPEN})
    content = response.content.decode()
    assert [p.title for p in response.context["page_obj"]] == ["招聘中岗位乙", "招聘中岗位甲"]
    assert "草稿岗位" not in content
    counts = {value: count for value, _label, count in response.context["status_counts"]}
    assert counts[Status.OPEN] == 2
    assert counts[Status.DRAFT] == 1
    assert 'href="?status=open" aria-current="page"' in content
    # A bad status value is ignored rather than failing.
    assert employer_client.get(url("posting_manage_list"), {"status": "nonsense"}).status_code == 200


def test_list_is_paginated(employer_client, company):
    factories.JobPostingFactory.create_batch(23, employer=company)
    first = employer_client.get(url("posting_manage_list"))
    assert len(first.context["page_obj"]) == 20
    second = employer_client.get(url("posting_manage_list"), {"page": 2})
    assert len(second.context["page_obj"]) == 3


def test_list_query_count_does_not_grow_with_rows(employer_client, company):
    def count():
        with CaptureQueriesContext(connection) as context:
            assert employer_client.get(url("posting_manage_list")).status_code == 200
        return len(context)

    posting = factories.JobPostingFactory(employer=company, brand=factories.RecognisedBrandFactory())
    factories.ApplicationFactory(posting=posting)
    few = count()
    for _ in range(12):
        posting = factories.JobPostingFactory(employer=company, county=None)
        factories.ApplicationFactory(posting=posting)
        factories.ApplicationFactory(posting=posting, status=AppStatus.HIRED)
    assert count() == few


def test_unverified_company_sees_a_banner_with_the_way_to_act(employer_client, unverified_company):
    content = employer_client.get(url("posting_manage_list")).content.decode()
    assert "Your company is not verified yet" in content
    assert url("employer_edit") in content


def test_refused_company_sees_the_reason(employer_client, unverified_company):
    unverified_company.rejection_reason = "营业执照名称与信用代码不符"
    unverified_company.save(update_fields=["rejection_reason"])
    posting = factories.JobPostingFactory(employer=unverified_company, draft=True)
    for path in (url("posting_manage_list"), url("posting_manage_detail", posting.pk)):
        content = employer_client.get(path).content.decode()
        assert "The city could not verify your company yet" in content
        assert "营业执照名称与信用代码不符" in content
        assert url("employer_edit") in content


def test_verified_company_sees_no_banner(employer_client, company):
    content = employer_client.get(url("posting_manage_list")).content.decode()
    assert "not verified yet" not in content
    assert "could not verify" not in content


# --- The posting's page -------------------------------------------------------------------------------------


def test_detail_shows_applicants_by_status_and_links_to_them(employer_client, open_posting):
    for status in (AppStatus.SUBMITTED, AppStatus.INTERVIEW, AppStatus.INTERVIEW, AppStatus.HIRED):
        factories.ApplicationFactory(posting=open_posting, status=status)
    factories.ApplicationFactory(status=AppStatus.HIRED)  # another posting's
    response = employer_client.get(url("posting_manage_detail", open_posting.pk))
    content = response.content.decode()
    assert response.status_code == 200
    assert response.context["applicant_total"] == 4
    counts = {value: count for value, _label, count in response.context["applicant_counts"]}
    assert (counts[AppStatus.SUBMITTED], counts[AppStatus.INTERVIEW], counts[AppStatus.HIRED]) == (1, 2, 1)
    assert url("applicant_list", open_posting.pk) in content


def actions_of(content, posting):
    return {
        "publish": url("posting_publish", posting.pk) in content,
        "close": f'action="{url("posting_close", posting.pk)}"' in content,
        # Marking filled cannot be undone: the button leads to its confirmation page.
        "fill": f'href="{url("posting_fill_confirm", posting.pk)}"' in content,
        "edit": url("posting_update", posting.pk) in content,
    }


@pytest.mark.parametrize(
    ("trait", "expected"),
    [
        ("draft", {"publish": True, "close": False, "fill": False, "edit": True}),
        (None, {"publish": False, "close": True, "fill": True, "edit": True}),
        ("closed", {"publish": True, "close": False, "fill": False, "edit": True}),
        ("expired", {"publish": True, "close": False, "fill": True, "edit": True}),
        ("filled", {"publish": False, "close": False, "fill": False, "edit": False}),
        ("taken_down", {"publish": False, "close": False, "fill": False, "edit": False}),
    ],
)
def test_detail_offers_the_actions_of_its_status(employer_client, company, trait, expected):
    posting = factories.JobPostingFactory(employer=company, **({trait: True} if trait else {}))
    content = employer_client.get(url("posting_manage_detail", posting.pk)).content.decode()
    assert actions_of(content, posting) == expected


def test_detail_of_a_taken_down_posting_shows_the_reason(employer_client, company):
    posting = factories.JobPostingFactory(employer=company, taken_down=True)
    content = employer_client.get(url("posting_manage_detail", posting.pk)).content.decode()
    assert "The city took this posting down" in content
    assert "虚假招聘信息。" in content
