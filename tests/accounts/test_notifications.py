"""In-site notifications, their e-mail after commit, and opening them safely."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from laborbrand.accounts import services
from laborbrand.accounts.emails import send_notification
from laborbrand.accounts.models import Notification
from tests import factories

pytestmark = pytest.mark.django_db

LIST = reverse("accounts:notification_list")
MARK_ALL = reverse("accounts:notifications_mark_all_read")


def open_url(notification):
    return reverse("accounts:notification_open", args=[notification.pk])


def test_notify_creates_a_row_and_emails_after_commit(worker, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = services.notify(recipient=worker, title="培训报名成功", body="请按时参加。", url="/x/")
        assert mailoutbox == []  # nothing leaves before the transaction commits

    assert len(callbacks) == 1
    assert Notification.objects.get(pk=notification.pk).recipient == worker
    [mail] = mailoutbox
    assert mail.to == [worker.email]
    assert "培训报名成功" in mail.subject
    assert "请按时参加。" in mail.body
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    assert notification.read_at is None


def test_an_unreachable_task_queue_leaves_the_notification_unmailed_without_failing(
    worker, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    from kombu.exceptions import OperationalError

    from laborbrand.accounts.tasks import send_notification_email

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(send_notification_email, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = services.notify(recipient=worker, title="t")

    assert len(callbacks) == 1
    assert mailoutbox == []
    notification.refresh_from_db()
    assert notification.emailed_at is None


def test_email_links_to_the_site(worker, mailoutbox, django_capture_on_commit_callbacks, settings):
    settings.SITE_URL = "https://portal.example.gov.cn"
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipient=worker, title="t", url="/accounts/notifications/")

    assert "https://portal.example.gov.cn/accounts/notifications/" in mailoutbox[0].body


def test_no_email_unless_the_transaction_commits(worker, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.notify(recipient=worker, title="t")

    assert len(callbacks) == 1
    assert mailoutbox == []


def test_no_email_when_user_has_no_email(mailoutbox, django_capture_on_commit_callbacks):
    user = factories.WorkerFactory(email="")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = services.notify(recipient=user, title="t")

    assert callbacks == []
    assert mailoutbox == []
    assert Notification.objects.filter(pk=notification.pk).exists()


def test_no_email_when_asked_not_to(worker, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.notify(recipient=worker, title="t", email=False)

    assert callbacks == []
    assert mailoutbox == []


def test_no_email_for_notifications_made_while_unmailed_and_again_after(
    worker, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with services.notifications_unmailed():
            inside = services.notify(recipient=worker, title="演示数据")
        after = services.notify(recipient=worker, title="真实通知")

    assert len(callbacks) == 1
    [mail] = mailoutbox
    assert "真实通知" in mail.subject
    inside.refresh_from_db()
    after.refresh_from_db()
    assert (inside.emailed_at, after.emailed_at is not None) == (None, True)


def test_email_is_sent_once_even_if_the_task_runs_twice(worker, mailoutbox):
    notification = factories.NotificationFactory(recipient=worker)

    assert send_notification(notification.pk) is True
    assert send_notification(notification.pk) is False
    assert len(mailoutbox) == 1


def test_email_task_ignores_a_deleted_notification(mailoutbox):
    assert send_notification(999_999) is False
    assert mailoutbox == []


def test_list_shows_only_own_notifications(client, worker):
    factories.NotificationFactory(recipient=worker, title="给我的")
    factories.NotificationFactory(title="给别人的")
    client.force_login(worker)

    response = client.get(LIST)

    assert [n.title for n in response.context["page_obj"]] == ["给我的"]
    assert "给别人的" not in response.content.decode()


def test_list_is_paginated_newest_first(client, worker):
    created = [factories.NotificationFactory(recipient=worker) for _ in range(25)]
    client.force_login(worker)

    first = client.get(LIST).context["page_obj"]
    second = client.get(LIST, {"page": 2}).context["page_obj"]

    assert first.paginator.count == 25
    assert list(first) == created[::-1][:20]
    assert list(second) == created[::-1][20:]


def test_list_survives_a_bad_page_number(client, worker):
    factories.NotificationFactory(recipient=worker)
    client.force_login(worker)

    for page in ("abc", "999", "-1"):
        assert client.get(LIST, {"page": page}).status_code == 200


def test_list_query_count_does_not_grow_with_rows(client, worker, django_assert_max_num_queries):
    factories.NotificationFactory(recipient=worker)
    client.force_login(worker)
    with django_assert_max_num_queries(9) as few:
        client.get(LIST)

    factories.NotificationFactory.create_batch(40, recipient=worker, url="/accounts/workbench/")
    with django_assert_max_num_queries(9) as many:
        client.get(LIST)

    assert len(many.captured_queries) == len(few.captured_queries)


def test_opening_marks_read_and_follows_a_local_link(client, worker):
    notification = factories.NotificationFactory(recipient=worker, url="/accounts/workbench/")
    client.force_login(worker)

    response = client.post(open_url(notification))

    assert response.status_code == 302
    assert response.url == "/accounts/workbench/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_opening_without_link_returns_to_the_list(client, worker):
    notification = factories.NotificationFactory(recipient=worker, url="")
    client.force_login(worker)

    response = client.post(open_url(notification))

    assert response.url == LIST
    notification.refresh_from_db()
    assert notification.is_read


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/",
        "http://evil.example/accounts/workbench/",
        "//evil.example/",
        "///evil.example/",
        "\\\\evil.example/",
        "javascript:alert(1)",
        "https://testserver.evil.example/",
    ],
)
def test_opening_never_redirects_off_site(client, worker, url):
    notification = factories.NotificationFactory(recipient=worker, url=url)
    client.force_login(worker)

    response = client.post(open_url(notification))

    assert response.status_code == 302
    assert response.url == LIST
    notification.refresh_from_db()
    assert notification.is_read


def test_opening_keeps_the_first_read_time(client, worker):
    read_at = timezone.now() - datetime.timedelta(days=2)
    notification = factories.NotificationFactory(recipient=worker, read_at=read_at)
    client.force_login(worker)

    client.post(open_url(notification))

    notification.refresh_from_db()
    assert notification.read_at == read_at


def test_opening_is_post_only(client, worker):
    notification = factories.NotificationFactory(recipient=worker)
    client.force_login(worker)

    assert client.get(open_url(notification)).status_code == 405
    notification.refresh_from_db()
    assert not notification.is_read


def test_another_users_notification_is_404(client, worker):
    others = factories.NotificationFactory(url="/accounts/workbench/")
    client.force_login(worker)

    response = client.post(open_url(others))

    assert response.status_code == 404
    others.refresh_from_db()
    assert not others.is_read


def test_anonymous_open_goes_to_login(client, worker):
    notification = factories.NotificationFactory(recipient=worker)

    response = client.post(open_url(notification))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    notification.refresh_from_db()
    assert not notification.is_read


def test_mark_all_read_touches_only_own_unread(client, worker):
    mine = factories.NotificationFactory.create_batch(3, recipient=worker)
    earlier = timezone.now() - datetime.timedelta(days=1)
    already = factories.NotificationFactory(recipient=worker, read_at=earlier)
    others = factories.NotificationFactory()
    client.force_login(worker)

    response = client.post(MARK_ALL)

    assert response.status_code == 302
    assert response.url == LIST
    assert all(n.read_at for n in Notification.objects.filter(pk__in=[n.pk for n in mine]))
    already.refresh_from_db()
    assert already.read_at == earlier
    others.refresh_from_db()
    assert not others.is_read


def test_mark_all_read_is_post_only(client, worker):
    factories.NotificationFactory(recipient=worker)
    client.force_login(worker)

    assert client.get(MARK_ALL).status_code == 405
    assert worker.notifications.unread().count() == 1


def test_mark_all_read_service_returns_count(worker):
    factories.NotificationFactory.create_batch(2, recipient=worker)

    assert services.notifications_mark_all_read(user=worker) == 2
    assert services.notifications_mark_all_read(user=worker) == 0


def test_nav_shows_unread_count(client, worker):
    factories.NotificationFactory.create_batch(3, recipient=worker)
    client.force_login(worker)

    response = client.get(reverse("accounts:workbench"))

    assert response.context["unread_notification_count"] == 3


def test_a_link_in_a_notification_is_a_link_and_the_rest_stays_text(client):
    """A job alert's body carries its unsubscribe link: it is clickable, and wraps on a phone."""
    worker = factories.WorkerFactory()
    factories.NotificationFactory(
        recipient=worker,
        title="t",
        body="<script>x()</script> 退订：\nhttp://testserver/jobs/alerts/unsubscribe/1:a/",
    )
    client.force_login(worker)
    page = client.get(reverse("accounts:notification_list")).content.decode()
    assert '<a href="http://testserver/jobs/alerts/unsubscribe/1:a/"' in page
    assert "<script>x()" not in page and "&lt;script&gt;x()&lt;/script&gt;" in page
