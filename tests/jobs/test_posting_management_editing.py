"""An employer creating and editing postings through the test client: drafts (also of an unverified
company), bad input refused with a clear message and nothing saved, escaped descriptions, and what may no
longer be edited."""

import datetime

import pytest

from jobs.models import JobPosting
from laborbrand.reference.models import Province
from tests import factories
from tests.jobs.posting_management_helpers import (
    NEXT_MONTH,
    TODAY,
    Status,
    messages_of,
    posting_data,
    snapshot,
    url,
)

pytestmark = pytest.mark.django_db


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
