"""The sending rules (laborbrand/accounts/texting.py) and the task that sends
(accounts.tasks.send_sms_message): quiet hours, urgent codes, the daily budget, holding and releasing,
retries, a task queue or a provider that fails."""

import datetime

import pytest
from celery.exceptions import Retry as CeleryRetry
from kombu.exceptions import OperationalError

from laborbrand import sms
from laborbrand.accounts import codes, texting
from laborbrand.accounts.models import Notification, SmsMessage
from laborbrand.accounts.services import notify
from laborbrand.accounts.tasks import release_held_sms, send_sms_message
from tests.year_to_date import city_moment

Status = SmsMessage.Status
PHONE = "13800138000"
NOTICE = {"template": "notice", "params": {"title": "面试邀请"}}
CODE = {"template": "code", "params": {"code": "482916", "minutes": "5"}, "kind": "code", "urgent": True}
DAY = (2026, 3, 10)  # a Tuesday


@pytest.fixture
def clock(monkeypatch):
    """Set the portal's clock: clock(moment)."""
    from django.utils import timezone

    def set_clock(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    return set_clock


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """texting.send_sms as a page calls it: the task is handed over when the transaction commits."""

    def _send(phone=PHONE, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            message = texting.send_sms(phone=phone, **kwargs)
        message.refresh_from_db()
        return message

    return _send


def at(hour, minute=0, day=DAY):
    return city_moment(*day, hour, minute)


# --- Quiet hours --------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("time", "held_until"),
    [
        ((21, 59), None),
        ((22, 0), at(8, day=(2026, 3, 11))),
        ((23, 59), at(8, day=(2026, 3, 11))),
        ((0, 0), at(8)),
        ((3, 0), at(8)),
        ((7, 30), at(8)),  # 23:30 the day before in UTC: held till the city's morning, not UTC's
        ((7, 59), at(8)),
        ((8, 0), None),
        ((12, 0), None),
    ],
    ids=lambda value: f"{value[0]:02d}:{value[1]:02d}" if isinstance(value, tuple) else None,
)
def test_quiet_hours_hold_a_notification_till_eight(clock, send, time, held_until):
    clock(at(*time))
    message = send(**NOTICE)
    if held_until is None:
        assert message.status == Status.SENT
        assert [m.params["title"] for m in sms.outbox] == ["面试邀请"]
    else:
        assert message.status == Status.HELD
        assert message.not_before == held_until
        assert message.params == {"title": "面试邀请"}  # kept for the morning
        assert sms.outbox == []


@pytest.mark.parametrize(
    ("quiet", "hour", "ends"),
    [
        ((22, 8), 21, None),
        ((22, 8), 22, (11, 8)),
        ((22, 8), 5, (10, 8)),
        ((0, 6), 23, None),  # a window inside one day
        ((0, 6), 0, (10, 6)),
        ((0, 6), 5, (10, 6)),
        ((0, 6), 6, None),
    ],
)
def test_quiet_hours_end(settings, quiet, hour, ends):
    settings.SMS_QUIET_HOURS = quiet
    expected = None if ends is None else city_moment(2026, 3, ends[0], ends[1])
    assert texting.quiet_hours_end(at(hour)) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("hour", [22, 3, 7, 12])
def test_codes_are_never_held(clock, send, hour):
    clock(at(hour))
    message = send(**CODE)
    assert message.status == Status.SENT
    assert "482916" in sms.outbox[-1].text


@pytest.mark.django_db
def test_a_code_asked_for_at_three_in_the_morning_arrives(clock, worker, django_capture_on_commit_callbacks):
    clock(at(3))
    with django_capture_on_commit_callbacks(execute=True):
        codes.request_code(phone=worker.phone, purpose=codes.Purpose.SIGN_IN, address="203.0.113.9")
    assert sms.outbox[-1].phone == worker.phone
    assert SmsMessage.objects.get().status == Status.SENT


# --- The daily budget ---------------------------------------------------------------------------------------


@pytest.fixture
def budget_of_two(settings):
    settings.SMS_PRICE_FEN = 5
    settings.SMS_DAILY_BUDGET_FEN = 10


@pytest.mark.django_db
def test_beyond_the_budget_a_notification_is_not_sent(clock, send, budget_of_two, caplog):
    clock(at(10))
    assert [send(**NOTICE).status for _ in range(2)] == [Status.SENT, Status.SENT]
    over = send(**NOTICE)
    assert over.status == Status.OVER_BUDGET
    assert over.params == {}
    assert len(sms.outbox) == 2
    assert "daily budget" in caplog.text


@pytest.mark.django_db
def test_the_budget_is_per_city_day(clock, send, budget_of_two):
    clock(at(23, 0, day=(2026, 3, 9)))
    send(**CODE), send(**CODE)  # yesterday's spending
    clock(at(8))
    assert [send(**NOTICE).status for _ in range(3)] == [Status.SENT, Status.SENT, Status.OVER_BUDGET]


@pytest.mark.django_db
def test_codes_count_towards_the_budget_but_are_never_stopped_by_it(clock, send, budget_of_two):
    clock(at(10))
    assert [send(**CODE).status for _ in range(3)] == [Status.SENT] * 3
    assert send(**NOTICE).status == Status.OVER_BUDGET
    assert texting.spent_today_fen() == 15


@pytest.mark.django_db
def test_over_budget_the_notification_is_still_in_the_site(clock, worker, budget_of_two, send):
    clock(at(10))
    send(**CODE), send(**CODE)
    notify(recipient=worker, title="您被邀请面试", kind=Notification.Kind.INVITED_TO_INTERVIEW)
    assert worker.notifications.get().title == "您被邀请面试"
    assert SmsMessage.objects.get(recipient=worker).status == Status.OVER_BUDGET
    assert len(sms.outbox) == 2


# --- Releasing what the night held --------------------------------------------------------------------------


def held(not_before, title="面试邀请"):
    return SmsMessage.objects.create(
        phone=PHONE,
        template="notice",
        params={"title": title},
        status=Status.HELD,
        not_before=not_before,
        created=not_before - datetime.timedelta(hours=9),
    )


@pytest.mark.django_db
def test_release_held_sends_the_due_and_keeps_the_rest(clock, django_capture_on_commit_callbacks):
    due = [held(at(8), "一"), held(at(8), "二")]
    later = held(at(8, day=(2026, 3, 11)), "三")
    clock(at(8, 5))
    with django_capture_on_commit_callbacks(execute=True):
        assert texting.release_held() == 2
    assert [m.params["title"] for m in sms.outbox] == ["一", "二"]
    for message in due:
        message.refresh_from_db()
        assert (message.status, message.params) == (Status.SENT, {})
    later.refresh_from_db()
    assert later.status == Status.HELD
    assert later.params == {"title": "三"}


@pytest.mark.django_db
def test_release_held_stops_at_the_budget(clock, budget_of_two, send, django_capture_on_commit_callbacks):
    clock(at(7, 50))
    send(**CODE)  # a code at dawn spends a share of the day
    messages = [held(at(8), "一"), held(at(8), "二")]
    clock(at(8, 5))
    with django_capture_on_commit_callbacks(execute=True):
        assert release_held_sms() == 1
    statuses = []
    for message in messages:
        message.refresh_from_db()
        statuses.append(message.status)
    assert statuses == [Status.SENT, Status.OVER_BUDGET]
    assert messages[1].params == {}
    assert [m.template for m in sms.outbox] == ["code", "notice"]


# --- Retries and failures -----------------------------------------------------------------------------------


def queued(template="notice", params=None, **fields):
    return SmsMessage.objects.create(
        phone=PHONE, template=template, params=params or {"title": "面试邀请"}, **fields
    )


@pytest.fixture
def provider(settings):
    """provider("Unreachable" | "Refusing" | "Broken"): the backend fails that way (tests/sms/backends.py)."""

    def use(name):
        settings.SMS_BACKEND = f"tests.sms.backends.{name}"

    return use


@pytest.fixture
def as_worker(monkeypatch):
    """Run send_sms_message as a Celery worker would on its nth try (retries = n - 1): returns its status, or
    the countdown of the retry it asked for."""

    def run(message_id, retries):
        monkeypatch.setattr(
            send_sms_message, "retry", lambda countdown, **kw: CeleryRetry(when=countdown), raising=False
        )
        send_sms_message.push_request(retries=retries, is_eager=False)
        try:
            return send_sms_message.run(message_id)
        except CeleryRetry as retry:
            return retry.when
        finally:
            send_sms_message.pop_request()

    return run


@pytest.mark.django_db
def test_a_transient_failure_is_retried_then_failed_on_the_last_try(provider, as_worker):
    provider("Unreachable")
    message = queued()
    outcomes = []
    for retries in range(texting.MAX_RETRIES + 1):
        outcomes.append(as_worker(message.pk, retries))
        message.refresh_from_db()
        assert message.attempts == retries + 1
        assert "unreachable" in message.error
    assert outcomes == [60, 120, 240, Status.FAILED]
    assert message.status == Status.FAILED
    assert message.params == {}


@pytest.mark.django_db
def test_between_tries_the_message_stays_queued_with_its_params(provider, as_worker):
    provider("Unreachable")
    message = queued()
    as_worker(message.pk, 0)
    message.refresh_from_db()
    assert (message.status, message.params, message.attempts) == (Status.QUEUED, {"title": "面试邀请"}, 1)


@pytest.mark.django_db
def test_a_retry_that_succeeds_is_sent(provider, as_worker, settings):
    provider("Unreachable")
    message = queued()
    assert as_worker(message.pk, 0) == 60
    settings.SMS_BACKEND = "laborbrand.sms.backends.locmem.SmsBackend"
    assert as_worker(message.pk, 1) == Status.SENT
    message.refresh_from_db()
    assert (message.attempts, message.error, message.provider_id) == (2, "", "locmem-1")


@pytest.mark.django_db
@pytest.mark.parametrize("backend", ["Refusing", "Broken"])
def test_a_permanent_failure_fails_at_once(provider, as_worker, backend, caplog):
    provider(backend)
    message = queued(template="code", params={"code": "482916", "minutes": "5"})
    assert as_worker(message.pk, 0) == Status.FAILED
    message.refresh_from_db()
    assert (message.status, message.attempts, message.params) == (Status.FAILED, 1, {})
    assert message.error
    for text in (message.error, caplog.text):
        assert PHONE not in text and "482916" not in text


@pytest.mark.django_db
def test_in_process_one_transient_failure_fails_the_message(provider, send, clock):
    """The embedded default runs the task eagerly, inside the page: there is no waiting for a retry."""
    clock(at(10))
    provider("Unreachable")
    message = send(**NOTICE)
    assert (message.status, message.attempts, message.params) == (Status.FAILED, 1, {})


@pytest.mark.django_db
def test_a_message_is_sent_once_however_often_it_is_handed_over(clock):
    clock(at(10))
    message = queued()
    assert send_sms_message.delay(message.pk).get() == Status.SENT
    assert send_sms_message.delay(message.pk).get() == Status.SENT
    assert len(sms.outbox) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Status.HELD, Status.OVER_BUDGET, Status.FAILED])
def test_only_a_queued_message_is_sent(status):
    message = queued(status=status)
    assert texting.deliver(message.pk, last_try=True) == status
    assert sms.outbox == []


def test_deliver_of_a_missing_message(db):
    assert texting.deliver(10**9, last_try=True) == ""


@pytest.mark.django_db
def test_sent_through_alibaba_cloud(fake_aliyun, clock, send):
    clock(at(10))
    message = send(**CODE)
    assert message.status == Status.SENT
    assert message.provider_id.startswith("000001^")
    assert message.params == {}
    assert fake_aliyun.accepted[0]["PhoneNumbers"] == PHONE


@pytest.mark.django_db
def test_alibaba_cloud_refusing_fails_the_message(fake_aliyun, clock, send):
    clock(at(10))
    fake_aliyun.answer("isv.BLACK_KEY_CONTROL_LIMIT")
    message = send(**NOTICE)
    assert message.status == Status.FAILED
    assert "isv.BLACK_KEY_CONTROL_LIMIT" in message.error


@pytest.mark.django_db
def test_missing_credentials_fail_the_message_not_the_caller(fake_aliyun, settings, clock, send, caplog):
    settings.SMS_ACCESS_KEY_SECRET = ""
    clock(at(10))
    message = send(**CODE)
    assert message.status == Status.FAILED
    assert "ImproperlyConfigured" in message.error
    assert "SMS_ACCESS_KEY_SECRET" in caplog.text


# --- The task queue unreachable -----------------------------------------------------------------------------


@pytest.fixture
def queue_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(send_sms_message, "delay", refuse)
    return monkeypatch


@pytest.mark.django_db
def test_with_the_queue_unreachable_the_message_stays_queued(clock, send, queue_down, caplog):
    clock(at(10))
    message = send(**NOTICE)
    assert message.status == Status.QUEUED
    assert message.params == {"title": "面试邀请"}
    assert "task queue is unreachable" in caplog.text
    assert sms.outbox == []


@pytest.mark.django_db
def test_a_stalled_message_is_handed_over_again(clock, send, queue_down, django_capture_on_commit_callbacks):
    clock(at(10))
    message = send(**NOTICE)
    queue_down.undo()
    clock(at(10, 10))
    with django_capture_on_commit_callbacks(execute=True):
        assert texting.requeue_stalled() == 0  # not yet: it may still be on its way
    clock(at(10, 20))
    with django_capture_on_commit_callbacks(execute=True):
        assert release_held_sms() == 1
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert len(sms.outbox) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("template", "created", "now", "status"),
    [
        ("notice", at(10), at(10, 20), Status.SENT),
        ("notice", at(21, 50), at(22, 10), Status.HELD),  # the night came meanwhile
        ("code", at(10), at(10, 20), Status.FAILED),  # expired long since
        ("notice", at(10, day=(2026, 3, 9)), at(10, 20), Status.FAILED),  # a day late
        ("notice", at(10, 10), at(10, 20), Status.QUEUED),  # may still be on its way
    ],
)
def test_requeue_stalled(clock, django_capture_on_commit_callbacks, template, created, now, status):
    message = queued(template=template, created=created)
    clock(now)
    with django_capture_on_commit_callbacks(execute=True):
        texting.requeue_stalled()
    message.refresh_from_db()
    assert message.status == status
    if status == Status.HELD:
        assert message.not_before == at(8, day=(2026, 3, 11))
    if status == Status.FAILED:
        assert message.params == {}
    assert len(sms.outbox) == (status == Status.SENT)


@pytest.mark.django_db
def test_a_released_message_is_not_stalled_by_its_age(clock, django_capture_on_commit_callbacks, queue_down):
    """A message held overnight counts its waiting from the morning, not from the evening it was written."""
    message = held(at(8))
    clock(at(8, 5))
    with django_capture_on_commit_callbacks(execute=True):
        texting.release_held()  # the queue is down: it stays queued
    queue_down.undo()
    clock(at(8, 15))
    with django_capture_on_commit_callbacks(execute=True):
        assert texting.requeue_stalled() == 0
    clock(at(8, 25))
    with django_capture_on_commit_callbacks(execute=True):
        assert texting.requeue_stalled() == 1
    message.refresh_from_db()
    assert message.status == Status.SENT
