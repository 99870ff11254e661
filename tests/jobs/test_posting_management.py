"""An employer's postings through the test client: its list in every status with applicant counts, creating
and editing (bad input refused with a clear message and nothing saved), publishing (only a verified
company), closing and marking filled along the allowed steps; a city admin taking a posting down with a
reason. Who may reach which page, another company's postings answering 404, escaped descriptions, and a
fixed number of queries on the list."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jobs.models import Application, JobPosting
from laborbrand.accounts.models import Notification
from laborbrand.reference.models import Province
from tests import factories

pytestmark = pytest.mark.django_db

Status = JobPosting.Status
AppStatus = Application.Status
TODAY = timezone.localdate()
NEXT_MONTH = TODAY + datetime.timedelta(days=30)
OTHER_ROLES = ["city_admin", "official_a", "institution_staff", "worker"]


def url(name, *args):
    return reverse(f"jobs:{name}", args=args)


def messages_of(response):
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


def logged_in(client, user):
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def snapshot(posting):
    posting.refresh_from_db()
    return {field.name: getattr(posting, field.name) for field in JobPosting._meta.concrete_fields}


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
def employer_b(db):
    user = factories.EmployerStaffFactory(username="employer_b")
    factories.VerifiedEmployerFactory(staff=[user], name="苏州另一家公司")
    return user


@pytest.fixture
def draft(company):
    return factories.JobPostingFactory(employer=company, draft=True, title="数控车工（草稿）")


@pytest.fixture
def open_posting(company):
    return factories.JobPostingFactory(employer=company, title="数控车工（招聘中）")


def posting_data(**overrides):
    data = {
        "title": "数控车床操作工",
        "occupation": factories.make_occupations(1)[0].pk,
        "min_level": factories.make_level(4).pk,
        "brand": "",
        "headcount": "12",
        "salary_min": "6000",
        "salary_max": "8500",
        "province": factories.make_province().pk,
        "city_name": "六安市",
        "county": factories.make_county().pk,
        "housing": "on",
        "meals": "",
        "social_insurance": "on",
        "description": "负责数控车床操作。\n两班倒。",
        "open_until": NEXT_MONTH.isoformat(),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value not in ("", None)}


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
    for method, path, data in employer_pages(open_posting):
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


# --- Creating -----------------------------------------------------------------------------------------------


def test_create_page_suggests_the_city(employer_client, company):
    response = employer_client.get(url("posting_create"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["province"] == factories.make_province().pk
    assert form.initial["city_name"] == "六安市"
    assert 'type="date"' in response.content.decode()


def test_create_saves_a_draft(employer_client, company, employer):
    brand = factories.RecognisedBrandFactory(name="金寨数控")
    response = employer_client.post(url("posting_create"), posting_data(brand=brand.pk))
    posting = JobPosting.objects.get()
    assert response.status_code == 302
    assert response.url == url("posting_manage_detail", posting.pk)
    assert posting.employer == company
    assert posting.status == Status.DRAFT
    assert posting.published_at is None
    assert (posting.title, posting.headcount, posting.salary_min, posting.salary_max) == (
        "数控车床操作工",
        12,
        6000,
        8500,
    )
    assert (posting.housing, posting.meals, posting.social_insurance) == (True, False, True)
    assert posting.brand == brand
    assert posting.county == factories.make_county()
    assert posting.open_until == NEXT_MONTH
    assert posting.history.count() == 1
    assert messages_of(response) == [("success", "Posting saved as a draft. Publish it when it is ready.")]


def test_unverified_company_may_prepare_a_draft(employer_client, unverified_company):
    response = employer_client.post(url("posting_create"), posting_data())
    assert response.status_code == 302
    assert JobPosting.objects.get().status == Status.DRAFT
    assert "once the city has verified your company" in messages_of(response)[0][1]


def assert_refused(response, field, text):
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert any(text in error for error in errors[field]), errors[field]
    assert text in response.content.decode()
    assert not JobPosting.objects.exists()


def test_salary_minimum_above_maximum_is_refused(employer_client, company):
    response = employer_client.post(url("posting_create"), posting_data(salary_min="9000", salary_max="6000"))
    assert_refused(response, "salary_max", "The maximum salary cannot be below the minimum")
    assert "Constraint" not in response.content.decode()


@pytest.mark.parametrize("headcount", ["0", "-3"])
def test_zero_or_negative_headcount_is_refused(employer_client, company, headcount):
    response = employer_client.post(url("posting_create"), posting_data(headcount=headcount))
    assert_refused(response, "headcount", "Enter how many people you hire: at least 1.")


@pytest.mark.parametrize("headcount", ["abc", "2.5"])
def test_headcount_that_is_not_a_number_is_refused(employer_client, company, headcount):
    response = employer_client.post(url("posting_create"), posting_data(headcount=headcount))
    assert_refused(response, "headcount", "Enter how many people you hire as a whole number.")


def test_open_until_in_the_past_is_refused(employer_client, company):
    yesterday = (TODAY - datetime.timedelta(days=1)).isoformat()
    response = employer_client.post(url("posting_create"), posting_data(open_until=yesterday))
    assert_refused(response, "open_until", "The open-until date cannot be in the past.")


def test_a_badly_typed_date_is_refused(employer_client, company):
    response = employer_client.post(url("posting_create"), posting_data(open_until="31/12/2099"))
    assert_refused(response, "open_until", "Enter a valid date.")


def test_salary_out_of_range_is_refused(employer_client, company):
    response = employer_client.post(url("posting_create"), posting_data(salary_min="500"))
    assert_refused(response, "salary_min", "greater than or equal to 1000")


def test_county_outside_the_province_is_refused(employer_client, company):
    jiangsu = Province.objects.get(code="320000")
    response = employer_client.post(
        url("posting_create"), posting_data(province=jiangsu.pk, city_name="苏州市")
    )
    assert_refused(response, "county", "is not in 江苏省")


def test_a_job_in_another_province_needs_no_county(employer_client, company):
    jiangsu = Province.objects.get(code="320000")
    response = employer_client.post(
        url("posting_create"), posting_data(province=jiangsu.pk, city_name="苏州市", county=None)
    )
    assert response.status_code == 302
    posting = JobPosting.objects.get()
    assert posting.county is None
    assert posting.province == jiangsu


def test_a_brand_that_is_not_public_cannot_be_chosen(employer_client, company):
    draft_brand = factories.DraftBrandFactory()
    response = employer_client.post(url("posting_create"), posting_data(brand=draft_brand.pk))
    assert_refused(response, "brand", "Select a valid choice.")


def test_missing_fields_are_refused(employer_client, company):
    response = employer_client.post(url("posting_create"), {"title": ""})
    assert response.status_code == 200
    assert {"title", "occupation", "headcount", "salary_min", "salary_max", "description"} <= set(
        response.context["form"].errors
    )
    assert not JobPosting.objects.exists()


def test_html_in_the_description_is_stored_as_text_and_escaped(employer_client, company):
    html = '<script>alert("x")</script><b>包住</b>\n第二行'
    employer_client.post(url("posting_create"), posting_data(description=html, title="<i>车工</i>"))
    posting = JobPosting.objects.get()
    assert posting.description == html
    for path in (url("posting_manage_detail", posting.pk), url("posting_manage_list")):
        content = employer_client.get(path).content.decode()
        assert "<script>alert" not in content
        assert "<i>车工</i>" not in content
        assert "&lt;i&gt;车工&lt;/i&gt;" in content
    detail = employer_client.get(url("posting_manage_detail", posting.pk)).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;包住&lt;/b&gt;<br>第二行" in detail


# --- Editing ------------------------------------------------------------------------------------------------


def test_edit_form_shows_the_stored_values(employer_client, open_posting):
    response = employer_client.get(url("posting_update", open_posting.pk))
    assert response.status_code == 200
    content = response.content.decode()
    assert open_posting.title in content
    assert f'value="{open_posting.open_until.isoformat()}"' in content


def test_edit_saves_the_changes(employer_client, open_posting):
    response = employer_client.post(
        url("posting_update", open_posting.pk), posting_data(title="数控车工（加急）", headcount="3")
    )
    assert response.status_code == 302
    assert response.url == url("posting_manage_detail", open_posting.pk)
    open_posting.refresh_from_db()
    assert (open_posting.title, open_posting.headcount, open_posting.status) == (
        "数控车工（加急）",
        3,
        Status.OPEN,
    )
    assert messages_of(response) == [("success", "Posting saved.")]


def test_edit_refuses_bad_input_and_changes_nothing(employer_client, open_posting):
    before = snapshot(open_posting)
    response = employer_client.post(
        url("posting_update", open_posting.pk), posting_data(salary_min="9000", salary_max="7000")
    )
    assert response.status_code == 200
    assert "salary_max" in response.context["form"].errors
    # The breadcrumb names the posting as stored, not as typed.
    assert response.context["title"] == before["title"]
    assert snapshot(open_posting) == before


def test_an_expired_posting_keeps_its_passed_date_when_edited(employer_client, company):
    posting = factories.JobPostingFactory(employer=company, expired=True)
    response = employer_client.post(
        url("posting_update", posting.pk),
        posting_data(title="改了标题", open_until=posting.open_until.isoformat()),
    )
    assert response.status_code == 302
    posting.refresh_from_db()
    assert posting.title == "改了标题"


def test_edit_refuses_moving_the_date_into_the_past(employer_client, open_posting):
    yesterday = (TODAY - datetime.timedelta(days=1)).isoformat()
    response = employer_client.post(
        url("posting_update", open_posting.pk), posting_data(open_until=yesterday)
    )
    assert "open_until" in response.context["form"].errors


@pytest.mark.parametrize("trait", ["filled", "taken_down"])
def test_filled_or_taken_down_postings_cannot_be_edited(employer_client, company, trait):
    posting = factories.JobPostingFactory(employer=company, **{trait: True})
    before = snapshot(posting)
    for method, data in (("get", {}), ("post", posting_data(title="改了"))):
        response = getattr(employer_client, method)(url("posting_update", posting.pk), data)
        assert response.status_code == 302
        assert response.url == url("posting_manage_detail", posting.pk)
        assert messages_of(response)[-1][0] == "error"
        assert "can no longer be changed" in messages_of(response)[-1][1]
    assert snapshot(posting) == before


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
