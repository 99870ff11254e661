"""A failing provider, or an unreachable task queue, never fails the page that sends a text message: the
notification stays in the site, the message is logged as failed or stays queued for later."""

import pytest
from kombu.exceptions import OperationalError

from laborbrand import sms
from laborbrand.accounts.models import Notification, SmsMessage
from laborbrand.accounts.tasks import send_sms_message
from tests.year_to_date import city_moment

Status = SmsMessage.Status
pytestmark = pytest.mark.urls("tests.sms.urls")


@pytest.fixture(autouse=True)
def daytime(committed_db, monkeypatch):
    """Rows really committed (the messages go out when the page's transaction commits), at 10:00."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: city_moment(2026, 3, 10, 10))


@pytest.mark.parametrize("page", ["invite", "code"])
def test_the_page_sends_its_message(client, worker, page):
    response = client.post(f"/{page}/{worker.pk}/")
    assert response.status_code == 200
    assert SmsMessage.objects.get().status == Status.SENT
    assert sms.outbox[-1].phone == worker.phone


@pytest.mark.parametrize("backend", ["Unreachable", "Refusing", "Broken"])
@pytest.mark.parametrize("page", ["invite", "code"])
def test_a_failing_provider_never_fails_the_page(client, worker, settings, backend, page):
    settings.SMS_BACKEND = f"tests.sms.backends.{backend}"
    response = client.post(f"/{page}/{worker.pk}/")
    assert response.status_code == 200
    message = SmsMessage.objects.get()
    assert message.status == Status.FAILED
    assert message.params == {}
    if page == "invite":
        assert Notification.objects.get(recipient=worker).title == "您被邀请面试"


@pytest.mark.parametrize("page", ["invite", "code"])
def test_an_unreachable_task_queue_never_fails_the_page(client, worker, monkeypatch, page, caplog):
    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(send_sms_message, "delay", refuse)
    response = client.post(f"/{page}/{worker.pk}/")
    assert response.status_code == 200
    assert SmsMessage.objects.get().status == Status.QUEUED
    assert "task queue is unreachable" in caplog.text
    assert sms.outbox == []
