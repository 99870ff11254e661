"""Saving a job-board search (issue 15): the board's "Save this search", the worker's saved searches (list,
change, delete, open on the board), who may do it, and bad input."""

from __future__ import annotations

import pytest
from django.http import QueryDict
from django.urls import reverse

from jobs import alerts
from jobs.forms.board import PostingSearchForm
from jobs.models import JobPosting, SavedSearch
from jobs.models.alerts import MAX_SAVED_SEARCHES
from jobs.permissions import public_postings
from laborbrand.accounts.models import User
from tests import factories
from tests.jobs.posting_management_helpers import logged_in

pytestmark = pytest.mark.django_db

Role = User.Role
HOSTILE = '<script>alert("x")</script>'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
CREATE = reverse("jobs:saved_search_create")
LIST = reverse("jobs:saved_search_list")
OTHER_ROLES = [
    Role.CITY_ADMIN,
    Role.COUNTY_OFFICIAL,
    Role.INSTITUTION_STAFF,
    Role.EMPLOYER,
    Role.LEADING_GROUP,
]


@pytest.fixture
def worker_client(client, worker):
    return logged_in(client, worker)


def saved(worker, name="焊工", query="q=焊工", **fields) -> SavedSearch:
    search = alerts.saved_search_create(worker=worker, name=name, query=query, frequency="daily")
    for key, value in fields.items():
        setattr(search, key, value)
    search.save()
    return search


def valid_post(**overrides):
    return {"name": "焊工 · 金寨县", "frequency": "weekly", "query": "q=焊工&loc=county:341524", **overrides}


# --- The board's button -------------------------------------------------------------------------------------


def test_the_board_offers_a_worker_to_save_the_search(worker_client):
    page = worker_client.get(reverse("jobs:search"), {"q": "焊工", "page": "1"}).content.decode()
    assert f'href="{CREATE}?q=%E7%84%8A%E5%B7%A5"' in page
    assert f'href="{LIST}"' in page


def test_the_board_sends_a_visitor_to_sign_in_and_back_to_saving(client, db):
    page = client.get(reverse("jobs:search"), {"q": "焊工"}).content.decode()
    back = "%2Fjobs%2Fsaved-searches%2Fnew%2F%3Fq%3D%25E7%2584%258A%25E5%25B7%25A5"
    assert f'href="/accounts/login/?next={back}"' in page


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_the_board_offers_no_saving_to_other_roles(client, personas, role):
    page = logged_in(client, personas[role]).get(reverse("jobs:search"), {"q": "焊工"}).content.decode()
    assert "data-save-search" not in page


def test_no_saving_of_a_search_that_cannot_be_read(worker_client):
    page = worker_client.get(reverse("jobs:search"), {"salary_min": "-5"}).content.decode()
    assert "data-save-search" not in page


# --- Who may save and see saved searches --------------------------------------------------------------------


@pytest.mark.parametrize("url", [CREATE, LIST])
def test_a_visitor_is_sent_to_sign_in(client, db, url):
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert client.post(CREATE, valid_post()).status_code == 302
    assert not SavedSearch.objects.exists()


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_other_roles_are_refused(client, personas, role):
    client = logged_in(client, personas[role])
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, valid_post()).status_code == 403
    assert client.get(LIST).status_code == 403
    mine = saved(personas[Role.WORKER])
    for name in ("saved_search_open", "saved_search_edit", "saved_search_delete"):
        assert client.get(reverse(f"jobs:{name}", args=[mine.pk])).status_code == 403
    assert not SavedSearch.objects.exclude(pk=mine.pk).exists()


def test_another_workers_search_is_404(worker_client):
    theirs = saved(factories.WorkerFactory())
    for name in ("saved_search_open", "saved_search_edit", "saved_search_delete"):
        url = reverse(f"jobs:{name}", args=[theirs.pk])
        assert worker_client.get(url).status_code == 404
        assert worker_client.post(url, {"name": "x", "frequency": "daily"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.name == "焊工"
    assert theirs.name not in worker_client.get(LIST).content.decode()


# --- Saving -------------------------------------------------------------------------------------------------


def test_the_save_page_suggests_a_name_from_the_search(worker_client):
    page = worker_client.get(CREATE, {"q": " 焊工  夜班 ", "loc": "county:341524", "salary_min": "6000"})
    form = page.context["form"]
    assert form.initial["name"] == "焊工 夜班 · 金寨县 · ¥6000+"
    assert page.status_code == 200


def test_the_save_page_names_an_empty_search(worker_client):
    assert worker_client.get(CREATE).context["form"].initial["name"] == "All jobs"


def test_saving_keeps_the_search_normalised(worker_client, worker):
    response = worker_client.post(CREATE, valid_post(query="sort=salary&q=%20焊工&loc=county:341524&page=3"))

    assert response.status_code == 302 and response.url == LIST
    search = worker.saved_searches.get()
    assert search.query == "loc=county%3A341524&q=%E7%84%8A%E5%B7%A5"
    assert (search.name, search.frequency, search.active) == ("焊工 · 金寨县", "weekly", True)
    assert search.last_alerted_at == search.created


@pytest.mark.parametrize(
    "first, second",
    [
        ("q=焊工&loc=city", "loc=city&q=焊工"),
        ("q=焊工&sort=salary", "q=++焊工++&page=2"),
        ("q=焊工&housing=on", "housing=1&q=焊工&meals="),
        ("salary_min=06000", "salary_min=6000"),
    ],
)
def test_the_same_search_is_saved_the_same_way(first, second):
    forms = [alerts.search_form(first), alerts.search_form(second)]
    assert all(form.is_valid() for form in forms)
    assert alerts.normalise_query(forms[0]) == alerts.normalise_query(forms[1])


def test_a_saved_search_reruns_the_board_search_exactly(worker):
    factories.JobPostingFactory(title="电焊工", salary_min=9000, salary_max=9500)
    factories.JobPostingFactory(title="电焊工")
    factories.JobPostingFactory(title="厨师", salary_min=9000, salary_max=9500)
    board = PostingSearchForm(QueryDict("q=焊工&salary_min=9000&sort=salary"))
    board.is_valid()
    again = alerts.search_form(alerts.normalise_query(board))

    expected = list(board.filter(public_postings()).values_list("pk", flat=True))
    assert list(again.filter(public_postings()).values_list("pk", flat=True)) == expected
    assert JobPosting.objects.filter(pk__in=expected).get().title == "电焊工"


@pytest.mark.parametrize(
    "data, field",
    [
        ({"name": "x" * 61}, "name"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"frequency": "hourly"}, "frequency"),
        ({"frequency": ""}, "frequency"),
        ({"query": "salary_min=-1"}, "query"),
        ({"query": "salary_min=99999999999999999999"}, "query"),
        ({"query": "brand=999999"}, "query"),
        ({"query": "q=" + "焊" * 51}, "query"),
        ({"query": "x" * 1001}, "query"),
    ],
)
def test_bad_input_is_a_form_error(worker_client, worker, data, field):
    response = worker_client.post(CREATE, valid_post(**data))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not worker.saved_searches.exists()


def test_sixty_characters_are_enough(worker_client, worker):
    worker_client.post(CREATE, valid_post(name="焊" * 60))
    assert worker.saved_searches.get().name == "焊" * 60


def test_at_most_so_many_saved_searches(worker_client, worker):
    for i in range(MAX_SAVED_SEARCHES):
        saved(worker, name=f"搜索{i}")

    response = worker_client.post(CREATE, valid_post())

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert worker.saved_searches.count() == MAX_SAVED_SEARCHES


def test_a_hostile_name_is_escaped_on_every_page(worker_client, worker):
    worker_client.post(CREATE, valid_post(name=HOSTILE))
    search = worker.saved_searches.get()
    assert search.name == HOSTILE

    pages = [
        worker_client.get(LIST),
        worker_client.get(reverse("jobs:saved_search_edit", args=[search.pk])),
        worker_client.get(reverse("jobs:saved_search_delete", args=[search.pk])),
        worker_client.get(reverse("jobs:saved_search_unsubscribe", args=[alerts.unsubscribe_token(search)])),
        worker_client.post(CREATE, valid_post(name=HOSTILE, frequency="never")),
    ]
    for page in pages:
        content = page.content.decode()
        assert HOSTILE not in content
        assert ESCAPED in content or "&lt;script&gt;" in content


# --- My saved searches --------------------------------------------------------------------------------------


def test_the_list_shows_the_workers_searches_with_their_links(worker_client, worker):
    search = saved(worker, name="焊工", query="q=%E7%84%8A%E5%B7%A5&loc=city", frequency="weekly")
    page = worker_client.get(LIST).content.decode()

    assert "焊工" in page and "Weekly" in page
    assert 'href="/jobs/?q=%E7%84%8A%E5%B7%A5&amp;loc=city"' in page
    assert reverse("jobs:saved_search_edit", args=[search.pk]) in page
    assert reverse("jobs:saved_search_delete", args=[search.pk]) in page


def test_opening_a_search_goes_to_the_board_with_it(worker_client, worker):
    search = saved(worker, query="loc=city&q=%E7%84%8A%E5%B7%A5")
    response = worker_client.get(reverse("jobs:saved_search_open", args=[search.pk]))
    assert response.status_code == 302 and response.url == "/jobs/?loc=city&q=%E7%84%8A%E5%B7%A5"


def test_renaming_changing_frequency_and_switching_alerts_off(worker_client, worker):
    search = saved(worker)
    url = reverse("jobs:saved_search_edit", args=[search.pk])

    response = worker_client.post(url, {"name": "  夜班焊工 ", "frequency": "weekly"})

    assert response.status_code == 302
    search.refresh_from_db()
    assert (search.name, search.frequency, search.active) == ("夜班焊工", "weekly", False)


@pytest.mark.parametrize(
    "data", [{"name": "", "frequency": "daily"}, {"name": "x" * 61, "frequency": "daily"}, {"name": "a"}]
)
def test_bad_changes_are_form_errors(worker_client, worker, data):
    search = saved(worker)
    response = worker_client.post(reverse("jobs:saved_search_edit", args=[search.pk]), data)
    assert response.status_code == 200 and response.context["form"].errors
    search.refresh_from_db()
    assert search.name == "焊工"


def test_deleting_asks_first(worker_client, worker):
    search = saved(worker)
    url = reverse("jobs:saved_search_delete", args=[search.pk])

    assert worker_client.get(url).status_code == 200
    assert worker.saved_searches.exists()
    assert worker_client.post(url).status_code == 302
    assert not worker.saved_searches.exists()
