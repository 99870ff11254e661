"""A posting's public page: what it shows, what each role may do there, who may see a posting the public
cannot (its employer and city admins, with a banner; everyone else gets 404), escaped descriptions, and the
brand page's list of the brand's open postings."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jobs.models import Application
from tests import factories

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def url(posting) -> str:
    return reverse("jobs:posting_detail", args=[posting.pk])


def page(client, posting, user=None):
    if user is not None:
        client.force_login(user)
    response = client.get(url(posting), HTTP_ACCEPT_LANGUAGE="en")
    return response, response.content.decode()


@pytest.fixture
def company(employer):
    """employer_a's company, verified."""
    company = employer.employers.get()
    company.verified_at = NOW
    company.save(update_fields=["verified_at"])
    return company


@pytest.fixture
def posting(company):
    return factories.JobPostingFactory(
        employer=company,
        title="数控车床操作工",
        min_level=factories.make_level(3),
        brand=factories.RecognisedBrandFactory(name="金寨数控"),
        headcount=12,
        salary_min=6500,
        salary_max=9000,
        housing=True,
        social_insurance=True,
        description="负责数控车床操作。\n两班倒，包住。",
        open_until=datetime.date(2099, 12, 31),
    )


NOT_PUBLIC = {
    "draft": {"draft": True},
    "closed": {"closed": True},
    "filled": {"filled": True},
    "expired": {"expired": True},
    "lapsed": {"lapsed": True},
    "taken_down": {"taken_down": True},
}


def test_anyone_sees_the_whole_posting(client, posting, company):
    response, content = page(client, posting)

    assert response.status_code == 200
    for text in (
        "数控车床操作工",
        company.name,
        "安徽省 六安市",
        "Verified by the city",
        posting.occupation.name,
        "三级/高级工",
        "金寨数控",
        "12",
        "¥6,500–9,000/month",
        "安徽省 六安市 金寨县",
        "Housing provided",
        "Social insurance",
        "2099-12-31",
        timezone.localtime(posting.published_at).strftime("%Y-%m-%d"),
        "负责数控车床操作。<br>两班倒，包住。",
    ):
        assert text in content, text
    assert "Meals provided" not in content
    assert reverse("brands:brand_detail", args=[posting.brand.slug]) in content
    assert "Not public" not in content


def test_a_posting_without_level_brand_or_benefits_says_so(client):
    posting = factories.JobPostingFactory(salary_min=5000, salary_max=5000)

    _response, content = page(client, posting)

    assert "No certificate required" in content
    assert "None listed" in content
    assert "¥5,000/month" in content
    assert "Labour brand</dt>" not in content


def test_a_brand_that_is_not_public_is_named_without_a_link(client):
    brand = factories.DraftBrandFactory(name="草稿品牌")
    posting = factories.JobPostingFactory(brand=brand)

    _response, content = page(client, posting)

    assert "草稿品牌" in content
    assert reverse("brands:brand_detail", args=[brand.slug]) not in content


def test_html_in_the_description_and_title_is_escaped(client):
    posting = factories.JobPostingFactory(
        title="<b>急招</b>", description='<script>alert("x")</script>\n<a href="http://evil">点此</a>'
    )

    _response, content = page(client, posting)

    assert "<script>alert" not in content
    assert '<a href="http://evil">' not in content
    assert (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<br>&lt;a href=&quot;http://evil&quot;&gt;"
        in content
    )
    assert "&lt;b&gt;急招&lt;/b&gt;" in content


def test_anonymous_visitors_are_asked_to_sign_in_and_come_back(client, posting):
    _response, content = page(client, posting)

    assert "Sign in to apply" in content
    assert f"{reverse('login')}?next={url(posting)}" in content
    assert reverse("jobs:apply", args=[posting.pk]) not in content


def test_a_worker_gets_the_apply_link(client, posting, worker):
    _response, content = page(client, posting, worker)

    assert f'href="{reverse("jobs:apply", args=[posting.pk])}"' in content
    assert "Sign in to apply" not in content


def test_a_worker_who_applied_sees_when_and_the_status_instead(client, posting, worker):
    factories.ApplicationFactory(
        posting=posting,
        worker=worker,
        status=Application.Status.INTERVIEW,
        created=NOW - datetime.timedelta(days=3),
    )

    _response, content = page(client, posting, worker)

    applied_on = timezone.localdate(NOW - datetime.timedelta(days=3)).strftime("%Y-%m-%d")
    assert f"You applied on {applied_on}. Status: <strong>Interview</strong>." in content
    assert reverse("jobs:apply", args=[posting.pk]) not in content
    assert reverse("jobs:my_applications") in content


def test_another_workers_application_does_not_count(client, posting, worker):
    factories.ApplicationFactory(posting=posting)

    _response, content = page(client, posting, worker)

    assert reverse("jobs:apply", args=[posting.pk]) in content


@pytest.mark.parametrize("role", ["official", "institution", "other_employer"])
def test_other_roles_cannot_apply_nor_manage(client, posting, role, official_a, institution_staff):
    user = {
        "official": official_a,
        "institution": institution_staff,
        "other_employer": factories.EmployerStaffFactory(),
    }[role]
    if role == "other_employer":
        factories.VerifiedEmployerFactory(staff=[user])

    response, content = page(client, posting, user)

    assert response.status_code == 200
    assert "Workers apply with a worker account." in content
    assert reverse("jobs:apply", args=[posting.pk]) not in content
    assert reverse("jobs:posting_manage_detail", args=[posting.pk]) not in content
    assert reverse("jobs:posting_take_down", args=[posting.pk]) not in content


def test_the_postings_employer_gets_a_manage_link(client, posting, employer):
    _response, content = page(client, posting, employer)

    assert reverse("jobs:posting_manage_detail", args=[posting.pk]) in content
    assert reverse("jobs:posting_take_down", args=[posting.pk]) not in content


def test_a_city_admin_gets_a_take_down_link(client, posting, city_admin):
    _response, content = page(client, posting, city_admin)

    assert reverse("jobs:posting_take_down", args=[posting.pk]) in content
    assert f'href="{reverse("jobs:posting_manage_detail", args=[posting.pk])}"' not in content


@pytest.mark.parametrize("state", NOT_PUBLIC)
def test_a_posting_the_public_cannot_see_is_404_for_anonymous_workers_and_other_employers(
    client, company, state
):
    posting = factories.JobPostingFactory(employer=company, **NOT_PUBLIC[state])
    other_employer = factories.EmployerStaffFactory()
    factories.VerifiedEmployerFactory(staff=[other_employer])

    assert client.get(url(posting)).status_code == 404
    for user in (factories.WorkerFactory(), other_employer, factories.OfficialFactory()):
        client.force_login(user)
        assert client.get(url(posting)).status_code == 404


def test_a_posting_of_an_unverified_employer_is_404_for_the_public(client, worker):
    posting = factories.JobPostingFactory(employer=factories.EmployerFactory())

    assert client.get(url(posting)).status_code == 404
    client.force_login(worker)
    assert client.get(url(posting)).status_code == 404


def test_a_missing_posting_is_404(client):
    assert client.get(reverse("jobs:posting_detail", args=[999999])).status_code == 404


@pytest.mark.parametrize("state", NOT_PUBLIC)
def test_the_employer_previews_its_posting_in_any_state_with_a_banner(client, company, employer, state):
    posting = factories.JobPostingFactory(employer=company, **NOT_PUBLIC[state])

    response, content = page(client, posting, employer)

    assert response.status_code == 200
    assert "Not public: this posting is" in content
    assert "This job is not taking applications." in content
    assert reverse("jobs:posting_manage_detail", args=[posting.pk]) in content


def test_the_banner_says_why(client, company, employer):
    lapsed = factories.JobPostingFactory(employer=company, lapsed=True)
    taken_down = factories.JobPostingFactory(
        employer=company, taken_down=True, taken_down_reason="<i>虚假</i>信息"
    )

    _response, content = page(client, lapsed, employer)
    assert "has passed" in content
    _response, content = page(client, taken_down, employer)
    assert "Taken down by the city: &lt;i&gt;虚假&lt;/i&gt;信息" in content


def test_an_unverified_employer_previews_its_open_posting(client, employer):
    posting = factories.JobPostingFactory(employer=employer.employers.get())

    response, content = page(client, posting, employer)

    assert response.status_code == 200
    assert "It will be listed once the city has verified the company." in content
    assert "Not verified yet" in content


@pytest.mark.parametrize("state", NOT_PUBLIC)
def test_a_city_admin_sees_any_posting_and_may_take_down_all_but_taken_down_ones(client, city_admin, state):
    posting = factories.JobPostingFactory(**NOT_PUBLIC[state])

    response, content = page(client, posting, city_admin)

    assert response.status_code == 200
    assert "Not public" in content
    take_down = reverse("jobs:posting_take_down", args=[posting.pk])
    assert (take_down in content) == (state != "taken_down")


def queries(client, posting) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url(posting)).status_code == 200
    return len(context)


def test_the_page_runs_a_fixed_number_of_queries(client, posting, worker):
    other = factories.JobPostingFactory()
    assert queries(client, posting) <= 2  # is it public, then the posting with all it shows

    client.force_login(worker)
    not_applied = queries(client, other)
    factories.ApplicationFactory(posting=posting, worker=worker)
    assert queries(client, posting) == not_applied


# --- The brand page -----------------------------------------------------------------------------------------


def test_the_brand_page_lists_its_five_newest_open_postings_and_links_to_all(client):
    brand = factories.RecognisedBrandFactory(name="金寨数控")
    for n in range(7):
        factories.JobPostingFactory(
            brand=brand, title=f"品牌岗位{n}", published_at=NOW - datetime.timedelta(hours=n), salary_min=7000
        )
    factories.JobPostingFactory(brand=brand, title="已关闭品牌岗位", closed=True)
    factories.JobPostingFactory(brand=brand, title="未认证品牌岗位", employer=factories.EmployerFactory())
    factories.JobPostingFactory(title="别的品牌岗位", brand=factories.RecognisedBrandFactory())

    response = client.get(reverse("brands:brand_detail", args=[brand.slug]), HTTP_ACCEPT_LANGUAGE="en")

    content = response.content.decode()
    assert [p.title for p in response.context["postings"]] == [f"品牌岗位{n}" for n in range(5)]
    assert "品牌岗位5" not in content
    assert "已关闭品牌岗位" not in content
    assert "未认证品牌岗位" not in content
    assert "别的品牌岗位" not in content
    assert "¥7,000–8,000/month" in content
    assert f"{reverse('jobs:search')}?brand={brand.pk}" in content
    assert reverse("jobs:posting_detail", args=[response.context["postings"][0].pk]) in content


def brand_page_queries(client, brand) -> int:
    with CaptureQueriesContext(connection) as context:
        client.get(reverse("brands:brand_detail", args=[brand.slug]))
    return len(context)


def test_the_brand_pages_job_section_is_one_query(client):
    brand = factories.RecognisedBrandFactory()
    without = brand_page_queries(client, brand)
    for employer in factories.VerifiedEmployerFactory.create_batch(3):
        factories.JobPostingFactory(brand=brand, employer=employer, county=factories.make_county("341525"))

    assert brand_page_queries(client, brand) == without


def test_a_brand_without_open_postings_says_so(client):
    brand = factories.RecognisedBrandFactory()

    content = client.get(
        reverse("brands:brand_detail", args=[brand.slug]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()

    assert "No job for this brand's workers is open at the moment." in content


def test_the_search_link_of_the_brand_page_lists_its_postings(client):
    brand = factories.RecognisedBrandFactory()
    factories.JobPostingFactory(brand=brand, title="品牌岗位")
    factories.JobPostingFactory(title="其他岗位")

    response = client.get(reverse("jobs:search"), {"brand": brand.pk})

    assert [p.title for p in response.context["page_obj"]] == ["品牌岗位"]
