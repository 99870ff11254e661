"""Notifications a worker must not miss, by SMS and e-mail as the worker chose: each kind triggered through
its real service (an application moved to interview, offer or hire; an invitation to apply; a certificate
issued or revoked) texts the worker's verified phone once, in the daytime, with a title that names nothing a
stranger reading the phone should not see; the worker's choices, an unverified or missing phone, other kinds,
the quiet hours and the daily budget; and the settings page where a worker chooses (workers only)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone, translation

from jobs import services as job_services
from jobs.matching import services as matching_services
from laborbrand import sms
from laborbrand.accounts import services, texting
from laborbrand.accounts.models import WORKER_KINDS, Notification, NotificationPreference, SmsMessage
from laborbrand.sms.templates import VARIABLE_MAX_LENGTH, render
from tests import factories
from tests.jobs.factories_apps import apply, move_to, verified_company
from tests.jobs.factories_matching import RecommendationFactory
from tests.training.test_concurrency import at_once
from training.services.certificates import assessment_record, certificate_revoke

pytestmark = pytest.mark.django_db

Kind = Notification.Kind
SETTINGS = reverse("accounts:notification_settings")
EMPLOYER_NAME = "宏达建筑"
JOB_TITLE = "钢筋工"
NOTE = "请带身份证原件到三楼面试"
REASON = "材料不实，予以撤销"


def city_time(hour: int, *, days: int = 0) -> datetime.datetime:
    today = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(today, datetime.time(hour)))


DAYTIME = city_time(10)


@pytest.fixture
def clock(monkeypatch):
    """Set the clock (city time); the default is 10:00 today, inside the hours texts are sent."""

    def set_to(moment: datetime.datetime) -> None:
        monkeypatch.setattr(timezone, "now", lambda: moment)

    set_to(DAYTIME)
    return set_to


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """Run `act()` and what it queued after commit (the SMS task, eager in the tests)."""

    def run(act):
        with django_capture_on_commit_callbacks(execute=True):
            return act()

    return run


def in_city_language(text, **parts) -> str:
    with translation.override(django_settings.LANGUAGE_CODE):
        return translation.gettext(text) % {name: str(value) for name, value in parts.items()}


# --- Each kind, triggered by its real service --------------------------------------------------------------
# A trigger prepares what comes before (never sent: only the callbacks inside `sent` run) and returns the act
# and the title the text should carry.


@pytest.fixture
def posting(employer):
    company = verified_company(employer)
    company.name = EMPLOYER_NAME
    company.save(update_fields=["name"])
    return factories.JobPostingFactory(employer=company, title=JOB_TITLE, headcount=2)


def moved(to: str, before: str | None):
    def trigger(request, worker):
        posting = request.getfixturevalue("posting")
        employer = request.getfixturevalue("employer")
        application = apply(posting, worker)
        if before:
            application = move_to(application, before)
        title = {
            Kind.INVITED_TO_INTERVIEW: "Interview invitation: %(title)s, %(employer)s",
            Kind.OFFERED: "Job offer: %(title)s, %(employer)s",
            Kind.HIRED: "Hired: %(title)s, %(employer)s",
        }[to]

        def act():
            job_services.application_move(
                application=application, actor=employer, to=status_of[to], note=NOTE
            )

        return act, in_city_language(title, title=JOB_TITLE, employer=EMPLOYER_NAME)

    return trigger


status_of = {
    Kind.INVITED_TO_INTERVIEW: "interview",
    Kind.OFFERED: "offered",
    Kind.HIRED: "hired",
}


def invited(request, worker):
    posting = request.getfixturevalue("posting")
    employer = request.getfixturevalue("employer")
    recommendation = RecommendationFactory(worker=worker, posting=posting)

    def act():
        matching_services.invitation_send(recommendation=recommendation, actor=employer)

    title = "%(employer)s invites you to apply for %(title)s"
    return act, in_city_language(title, employer=EMPLOYER_NAME, title=JOB_TITLE)


def _assess(request, worker):
    institution = request.getfixturevalue("qualified_institution_a")
    staff = request.getfixturevalue("institution_staff")
    occupation = institution.occupations.order_by("pk").first()
    level = factories.make_level(3)

    def act():
        return assessment_record(
            institution=institution,
            actor=staff,
            worker=worker,
            occupation=occupation,
            level=level,
            assessed_on=timezone.localdate() - datetime.timedelta(days=1),
            theory_score=Decimal("80"),
            practical_score=Decimal("75"),
        )

    return act, staff, occupation, level


def certificate_issued(request, worker):
    act, _staff, occupation, level = _assess(request, worker)
    return act, in_city_language(
        "Certificate issued: %(occupation)s, %(level)s", occupation=occupation, level=level
    )


def certificate_revoked(request, worker):
    issue, staff, occupation, level = _assess(request, worker)
    certificate = issue().certificate

    def act():
        certificate_revoke(certificate=certificate, actor=staff, reason=REASON)

    request.node.certificate_number = certificate.number
    return act, in_city_language(
        "Certificate revoked: %(occupation)s, %(level)s", occupation=occupation, level=level
    )


TRIGGERS = {
    Kind.INVITED_TO_INTERVIEW: moved(Kind.INVITED_TO_INTERVIEW, None),
    Kind.OFFERED: moved(Kind.OFFERED, "interview"),
    Kind.HIRED: moved(Kind.HIRED, "offered"),
    Kind.INVITED_TO_APPLY: invited,
    Kind.CERTIFICATE_ISSUED: certificate_issued,
    Kind.CERTIFICATE_REVOKED: certificate_revoked,
}
SMS_KINDS = list(TRIGGERS)


def test_every_kind_a_worker_must_not_miss_has_a_trigger():
    assert set(SMS_KINDS) == set(WORKER_KINDS) - {Kind.JOB_ALERT}  # job alerts are the saved searches'


@pytest.mark.parametrize("kind", SMS_KINDS)
def test_each_kind_texts_the_verified_phone_once_with_its_title(request, kind, worker, clock, sent):
    act, title = TRIGGERS[kind](request, worker)

    sent(act)

    [message] = sms.outbox
    assert message.phone == worker.phone
    assert message.template == "notice"
    assert message.text == render("notice", {"title": title})
    assert len(message.params["title"]) <= VARIABLE_MAX_LENGTH
    # Nothing a stranger reading the phone should not see: no ID number, no phone, no note or reason, no
    # certificate number.
    for secret in (
        worker.id_number,
        worker.phone,
        NOTE,
        REASON,
        getattr(request.node, "certificate_number", ""),
    ):
        assert not secret or secret not in message.text
    logged = SmsMessage.objects.get(kind=kind)
    assert (logged.recipient, logged.status, logged.params) == (worker, SmsMessage.Status.SENT, {})
    assert worker.notifications.filter(kind=kind).exists()


@pytest.mark.parametrize("kind", SMS_KINDS)
def test_sms_turned_off_for_the_kind_sends_none_but_it_is_in_the_site(request, kind, worker, clock, sent):
    NotificationPreference.objects.create(user=worker, kind=kind, sms=False, email=True)
    act, _title = TRIGGERS[kind](request, worker)

    sent(act)

    assert sms.outbox == []
    assert not SmsMessage.objects.filter(kind=kind).exists()
    assert worker.notifications.filter(kind=kind).exists()


@pytest.mark.parametrize(("choice", "mailed"), [(None, 1), (True, 1), (False, 0)])
def test_email_follows_the_choice_for_the_kind(request, choice, mailed, worker, clock, sent, mailoutbox):
    if choice is not None:
        NotificationPreference.objects.create(
            user=worker, kind=Kind.INVITED_TO_INTERVIEW, sms=True, email=choice
        )
    act, _title = TRIGGERS[Kind.INVITED_TO_INTERVIEW](request, worker)

    sent(act)

    assert len([m for m in mailoutbox if m.to == [worker.email]]) == mailed
    assert len(sms.outbox) == 1  # SMS is chosen apart from e-mail


@pytest.mark.parametrize(
    "phone_fields",
    [{"phone_verified_at": None}, {"phone": "", "phone_verified_at": None}],
    ids=["unverified", "no-phone"],
)
def test_no_sms_without_a_verified_phone(request, phone_fields, worker, clock, sent):
    for field, value in phone_fields.items():
        setattr(worker, field, value)
    worker.save(update_fields=list(phone_fields))
    act, _title = TRIGGERS[Kind.HIRED](request, worker)

    sent(act)

    assert sms.outbox == []
    assert not SmsMessage.objects.exists()
    assert worker.notifications.filter(kind=Kind.HIRED).exists()


@pytest.mark.parametrize("to", ["viewed", "rejected"])
def test_other_steps_are_general_and_never_texted(to, posting, employer, worker, clock, sent):
    application = apply(posting, worker)

    sent(lambda: job_services.application_move(application=application, actor=employer, to=to))

    assert sms.outbox == []
    assert worker.notifications.get().kind == Kind.GENERAL


def test_a_general_notification_is_never_texted_whatever_the_preferences(worker, clock, sent):
    NotificationPreference.objects.create(user=worker, kind=Kind.GENERAL, sms=True, email=True)

    sent(lambda: services.notify(recipient=worker, title="培训报名成功"))

    assert sms.outbox == []
    assert services.channels(worker, Kind.GENERAL) == (False, True)


def test_quiet_hours_hold_the_text_until_eight_then_it_is_sent(request, worker, clock, sent):
    act, title = TRIGGERS[Kind.OFFERED](request, worker)  # the interview, in the daytime
    clock(city_time(23))

    sent(act)

    held = SmsMessage.objects.get(kind=Kind.OFFERED)
    assert held.status == SmsMessage.Status.HELD
    assert held.not_before == city_time(8, days=1)
    assert sms.outbox == []
    assert worker.notifications.filter(kind=Kind.OFFERED).exists()

    assert sent(lambda: texting.release_held(city_time(7, days=1))) == 0  # not yet
    assert sent(lambda: texting.release_held(city_time(8, days=1))) == 1

    [message] = sms.outbox
    assert (message.phone, message.text) == (worker.phone, render("notice", {"title": title}))
    held.refresh_from_db()
    assert held.status == SmsMessage.Status.SENT


def test_over_the_daily_budget_nothing_is_texted_and_it_is_still_in_the_site(
    request, worker, clock, sent, settings
):
    settings.SMS_DAILY_BUDGET_FEN = settings.SMS_PRICE_FEN - 1
    act, _title = TRIGGERS[Kind.INVITED_TO_APPLY](request, worker)

    sent(act)

    assert SmsMessage.objects.get(kind=Kind.INVITED_TO_APPLY).status == SmsMessage.Status.OVER_BUDGET
    assert sms.outbox == []
    assert worker.notifications.filter(kind=Kind.INVITED_TO_APPLY).exists()


def test_an_employers_page_in_english_still_texts_the_city_language(request, worker, clock, sent):
    act, title = TRIGGERS[Kind.INVITED_TO_APPLY](request, worker)

    with translation.override("en"):
        sent(act)

    assert sms.outbox[0].text == render("notice", {"title": title})


def test_notify_reads_no_preference_when_no_channel_can_reach_the_user(django_assert_num_queries):
    user = factories.WorkerFactory(email="", phone="", phone_verified_at=None)

    with django_assert_num_queries(1):  # the notification's insert only
        services.notify(recipient=user, title="t", kind=Kind.HIRED)


# --- The title's shortening ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("employer", "title", "expected"),
    [
        ("宏达建筑", "钢筋工", "Hired: 钢筋工, 宏达建筑"),
        # Exactly 35 characters: kept whole.
        (
            "六安市金寨县宏达建筑劳务有限责任公司第二分公司",
            "钢筋工",
            "Hired: 钢筋工, 六安市金寨县宏达建筑劳务有限责任公司第二分公司",
        ),
        (
            # The longest part loses characters first, marked "…", until the whole fits 35 characters.
            "六安市金寨县宏达建筑劳务有限责任公司第二分公司第三项目部",
            "钢筋工",
            "Hired: 钢筋工, 六安市金寨县宏达建筑劳务有限责任公司第二分公…",
        ),
        ("A" * 40, "B" * 40, "Hired: BBBBBBBBBBBB…, AAAAAAAAAAAA…"),
        (
            "六安市金寨县宏达建筑劳务有限责任公司第二分公司",
            "数控车工（两班倒，包吃住，月薪八千以上）",
            "Hired: 数控车工（两班倒，包吃住…, 六安市金寨县宏达建筑劳务…",
        ),
    ],
)
def test_notice_sms_shortens_the_longest_part_to_fit(employer, title, expected):
    template, params = services.notice_sms("Hired: %(title)s, %(employer)s", title=title, employer=employer)

    assert (template, params) == ("notice", {"title": expected})
    assert len(expected) <= VARIABLE_MAX_LENGTH


# --- The settings page --------------------------------------------------------------------------------------


def login(client, user):
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def all_boxes(sms_on: bool, email_on: bool) -> dict[str, str]:
    data = {}
    for kind in WORKER_KINDS:
        if sms_on:
            data[f"sms_{kind}"] = "on"
        if email_on:
            data[f"email_{kind}"] = "on"
    return data


def test_a_worker_sees_one_labelled_row_per_kind_with_the_defaults(client, worker):
    response = login(client, worker).get(SETTINGS)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<caption" in html
    for kind in WORKER_KINDS:
        label = Kind(kind).label
        assert f'<th scope="row" class="fw-normal">{label}</th>' in html
        assert f'for="id_sms_{kind}"' in html and f'for="id_email_{kind}"' in html
        assert f"{label}: by SMS" in html
    form = response.context["form"]
    assert form["sms_hired"].initial is True and form["sms_job_alert"].initial is False
    assert all(form[f"email_{kind}"].initial for kind in WORKER_KINDS)
    assert "22:00" in html and "08:00" in html
    assert 'data-testid="no-phone"' not in html and 'data-testid="no-email"' not in html


@pytest.mark.parametrize(
    "persona", ["city_admin", "official_a", "institution_staff", "employer", "leading_member"]
)
def test_other_roles_are_refused(request, client, persona):
    response = login(client, request.getfixturevalue(persona)).get(SETTINGS)

    assert response.status_code == 403
    assert (
        login(client, request.getfixturevalue(persona)).post(SETTINGS, all_boxes(True, True)).status_code
        == 403
    )
    assert not NotificationPreference.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(SETTINGS)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_saving_writes_one_row_per_kind_and_saving_again_updates_them(client, worker):
    login(client, worker)
    data = all_boxes(sms_on=False, email_on=True)
    data["sms_hired"] = "on"

    response = client.post(SETTINGS, data)

    assert response.status_code == 302 and response.url == SETTINGS
    rows = {p.kind: (p.sms, p.email) for p in worker.notification_preferences.all()}
    assert rows == {kind: (kind == Kind.HIRED, True) for kind in WORKER_KINDS}
    assert services.channels(worker, Kind.OFFERED) == (False, True)

    client.post(SETTINGS, {})  # every box unticked

    assert worker.notification_preferences.count() == len(WORKER_KINDS)
    assert services.channel_choices(worker) == {kind: (False, False) for kind in WORKER_KINDS}
    assert login(client, worker).get(SETTINGS).context["form"]["sms_hired"].initial is False


@pytest.mark.parametrize(
    "tampered",
    [
        {"sms_general": "on", "email_general": "on"},  # not a worker's kind
        {"sms_nonsense": "on", "sms_": "on", "kind": "hired"},
        {"sms_hired": "<script>alert(1)</script>", "email_hired": ["a", "b"]},
        {"sms_hired": "x" * 10_000, "user": "1", "sms_offered[]": "on"},
    ],
)
def test_tampered_posts_save_only_the_known_boxes_and_never_fail(client, worker, tampered):
    response = login(client, worker).post(SETTINGS, tampered)

    assert response.status_code == 302
    kinds = set(worker.notification_preferences.values_list("kind", flat=True))
    assert kinds == set(WORKER_KINDS)  # general and unknown names saved nothing
    assert not NotificationPreference.objects.exclude(user=worker).exists()


def test_hostile_strings_are_escaped(client):
    worker = factories.WorkerFactory(real_name="<script>alert(1)</script>", email="")
    response = login(client, worker).get(SETTINGS)

    assert b"<script>alert(1)</script>" not in response.content


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        ({"phone": "", "phone_verified_at": None}, "you have no mobile number"),
        ({"phone_verified_at": None}, "your mobile number is not verified"),
    ],
    ids=["no-phone", "unverified"],
)
def test_the_page_says_when_sms_cannot_reach_the_worker(client, fields, says):
    worker = factories.WorkerFactory(**fields)

    html = login(client, worker).get(SETTINGS).content.decode()

    assert 'data-testid="no-phone"' in html and says in html
    assert "mobile number" in html


def test_the_page_says_when_there_is_no_email(client):
    worker = factories.WorkerFactory(email="")

    html = login(client, worker).get(SETTINGS).content.decode()

    assert 'data-testid="no-email"' in html


def test_the_notification_list_and_the_workbench_link_to_the_settings_for_workers_only(
    client, worker, employer
):
    login(client, worker)
    assert SETTINGS in client.get(reverse("accounts:notification_list")).content.decode()
    assert SETTINGS in client.get(reverse("accounts:workbench")).content.decode()

    login(client, employer)
    assert SETTINGS not in client.get(reverse("accounts:notification_list")).content.decode()
    assert SETTINGS not in client.get(reverse("accounts:workbench")).content.decode()


def test_two_tabs_saving_at_once_both_succeed_with_one_row_per_kind(committed_db):
    worker = factories.WorkerFactory()

    def saving(by_sms):
        def prepare():
            choices = {kind: (by_sms, True) for kind in WORKER_KINDS}
            return lambda: services.notification_preferences_save(user=worker, choices=choices)

        return prepare

    assert at_once(saving(True), saving(False)) == ["done", "done"]
    assert NotificationPreference.objects.filter(user=worker).count() == len(WORKER_KINDS)
    assert len(set(NotificationPreference.objects.filter(user=worker).values_list("sms", flat=True))) == 1
