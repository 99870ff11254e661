"""The home page: a job search box, the newest open jobs, and the city's name in every page's title."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories

pytestmark = pytest.mark.django_db

HOME = reverse("home")
NOW = timezone.now()


def html(client, url=HOME, **headers) -> str:
    response = client.get(url, **headers)
    assert response.status_code == 200
    return response.content.decode()


def latest_titles(content: str) -> list[str]:
    section = content.split('id="latest-jobs"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'href="/jobs/\d+/">([^<]+)</a>', section)


def test_the_search_box_sends_the_words_to_the_job_search(client):
    content = html(client, HTTP_ACCEPT_LANGUAGE="en")

    assert f'<form method="get" action="{reverse("jobs:search")}" role="search"' in content
    assert re.search(r'<input type="search" [^>]*id="home-search" name="q" maxlength="50"', content)
    assert '<label class="form-label fw-semibold" for="home-search">Find a job</label>' in content


def test_the_search_box_leads_to_the_results(client, db):
    factories.JobPostingFactory(title="电焊工", description="苏州工业园区。")
    factories.JobPostingFactory(title="厨师", description="六安市。")

    response = client.get(reverse("jobs:search"), {"q": "焊工 苏州"})

    assert [posting.title for posting in response.context["page_obj"]] == ["电焊工"]


def test_the_latest_open_jobs_are_listed_newest_first_and_only_public_ones(client, db):
    employer = factories.VerifiedEmployerFactory(name="合力机械有限公司")
    for hours in range(8):
        factories.JobPostingFactory(
            employer=employer, title=f"岗位{hours}", published_at=NOW - datetime.timedelta(hours=hours)
        )
    hidden = [
        factories.JobPostingFactory(title="草稿岗位", draft=True),
        factories.JobPostingFactory(title="关闭岗位", closed=True),
        factories.JobPostingFactory(title="过期岗位", lapsed=True),
        factories.JobPostingFactory(title="下架岗位", taken_down=True),
        factories.JobPostingFactory(title="未认证企业岗位", employer=factories.EmployerFactory()),
    ]

    content = html(client, HTTP_ACCEPT_LANGUAGE="en")

    assert latest_titles(content) == [f"岗位{hours}" for hours in range(6)]
    assert "合力机械有限公司" in content
    assert "¥6,000–8,000/month" in content
    assert "安徽省 六安市 金寨县" in content
    for posting in hidden:
        assert posting.title not in content


def test_no_open_job_says_so(client, db):
    factories.JobPostingFactory(title="草稿岗位", draft=True)

    content = html(client, HTTP_ACCEPT_LANGUAGE="en")

    assert latest_titles(content) == []
    assert "No job is open right now." in content


def test_the_latest_jobs_cost_one_query_however_many_there_are(client, db):
    def home_queries() -> int:
        with CaptureQueriesContext(connection) as context:
            html(client)
        return len(context)

    empty = home_queries()
    for _ in range(10):
        factories.JobPostingFactory()

    assert home_queries() == empty


@pytest.mark.parametrize("role", [None, "worker", "employer", "city_admin"])
def test_every_role_sees_the_search_and_the_latest_jobs(client, request, role):
    factories.JobPostingFactory(title="焊工")
    if role:
        client.force_login(request.getfixturevalue(role))

    content = html(client)

    assert 'id="home-search"' in content
    assert latest_titles(content) == ["焊工"]


@pytest.mark.parametrize("url", [HOME, reverse("jobs:search"), reverse("login"), reverse("privacy")])
def test_the_title_and_brand_carry_the_citys_name(client, url):
    content = html(client, url, HTTP_ACCEPT_LANGUAGE="en")

    title = re.search(r"<title>(.*?)</title>", content, re.S).group(1)
    assert "六安市 labour-brand portal" in title
    brand = re.search(r'<a class="navbar-brand[^"]*"[^>]*>(.*?)</a>', content, re.S).group(1)
    assert "六安市" in brand


def test_the_citys_name_is_a_setting(client, settings):
    settings.SITE_CITY_NAME = "安庆市"

    content = html(client, HTTP_ACCEPT_LANGUAGE="en")

    assert "<title>" in content
    title = re.search(r"<title>(.*?)</title>", content, re.S).group(1)
    assert "安庆市 labour-brand portal" in title
    assert "六安市 labour-brand portal" not in content
