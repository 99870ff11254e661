"""laborbrand/pages.py: the list pages' shared paginator (a list that grows with the city counts only a few
pages past the one shown, says there are more, and still reaches every row page by page) and the one way a
view shows a refused move."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory
from django.urls import reverse

from laborbrand import pages
from laborbrand.accounts.models import Notification
from laborbrand.exceptions import InvalidTransition
from tests import factories

pytestmark = pytest.mark.django_db

ROWS = 45  # pages of 20: 20, 20, 5


@pytest.fixture
def one_page_ahead(monkeypatch):
    monkeypatch.setattr(pages, "PAGES_AHEAD", 1)


@pytest.fixture
def notifications(worker):
    Notification.objects.bulk_create(Notification(recipient=worker, title=f"通知{n}") for n in range(ROWS))
    return worker.notifications.all()


@pytest.mark.parametrize(
    ("page", "number", "capped", "num_pages", "rows"),
    [
        (None, 1, True, 2, 20),  # counts 40 rows at most: more than 2 pages
        ("2", 2, False, 3, 20),  # counts up to 60: all 45, exactly
        ("3", 3, False, 3, 5),
        ("4", 3, False, 3, 5),  # past the end: the last page
        ("99999999999999999999", 3, False, 3, 5),  # a number no count could use: the last page, no error
        ("0", 2, True, 2, 20),  # Django's answer to 0: the last page counted
        ("abc", 1, True, 2, 20),
        ("²", 1, True, 2, 20),  # a digit int() refuses
    ],
)
def test_an_open_ended_list_counts_only_a_page_ahead(
    one_page_ahead, notifications, page, number, capped, num_pages, rows
):
    request = RequestFactory().get("/", {"page": page} if page is not None else {})
    page_obj = pages.paginate(request, notifications, open_ended=True)
    assert (page_obj.number, page_obj.paginator.capped, page_obj.paginator.num_pages) == (
        number,
        capped,
        num_pages,
    )
    assert len(page_obj.object_list) == rows
    assert page_obj.paginator.open_ended


def test_a_list_not_open_ended_counts_every_row(one_page_ahead, notifications):
    paginator = pages.paginate(RequestFactory().get("/"), notifications).paginator
    assert (paginator.count, paginator.num_pages, getattr(paginator, "capped", False)) == (ROWS, 3, False)


def test_the_page_links_say_there_are_more_pages(one_page_ahead, notifications, client, worker):
    client.force_login(worker)
    url = reverse("accounts:notification_list")

    first = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Page 1 of more than 2" in first and "page=2" in first
    last = client.get(url, {"page": 3}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Page 3 of 3" in last and "more than" not in last


def test_the_assessment_list_says_more_than_it_counted(monkeypatch, city_admin, client):
    monkeypatch.setattr(pages, "PAGES_AHEAD", 0)
    institution = factories.QualifiedInstitutionFactory()
    factories.AssessmentFactory.create_batch(21, institution=institution)
    client.force_login(city_admin)

    content = client.get(reverse("training:assessment_list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "More than 20 assessments, newest first." in content
    assert content.count('class="cell-name"') == 20


# refusals_shown: the one way a view shows a refused move.


class _Form(forms.Form):
    name = forms.CharField(required=False)


def _refuse():
    raise InvalidTransition("已经结束")


@pytest.mark.parametrize(
    ("with_form", "action", "form_errors", "messages_shown", "finished"),
    [
        (True, _refuse, ["已经结束"], [], False),
        (False, _refuse, None, ["已经结束"], False),
        (True, lambda: None, [], [], True),
        (False, lambda: None, None, [], True),
    ],
    ids=["refused-on-a-form", "refused-as-a-message", "allowed-with-a-form", "allowed"],
)
def test_refusals_shown(with_form, action, form_errors, messages_shown, finished):
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    form = _Form({}) if with_form else None
    if form is not None:
        assert form.is_valid()
    done = False

    with pages.refusals_shown(request, form):
        action()
        done = True

    assert done is finished
    if form is not None:
        assert form.non_field_errors() == form_errors
    assert [str(message) for message in get_messages(request)] == messages_shown


def test_refusals_shown_lets_other_errors_through():
    request = RequestFactory().post("/")
    with pytest.raises(ValueError), pages.refusals_shown(request):
        raise ValueError
