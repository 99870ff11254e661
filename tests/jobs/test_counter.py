"""The service counter (issue 15, item 5): a county official registers a worker who is present, with the code
the worker reads out as consent, and applies to jobs on a worker's behalf, each time with a fresh code for
that job; every act is recorded and shown to the worker."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.db import IntegrityError, transaction
from django.db.models import F
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from jobs import counter
from jobs.models import Application, CounterAct
from laborbrand import sms
from laborbrand.accounts.models import PhoneCode, User
from laborbrand.exceptions import InvalidTransition
from laborbrand.sms import templates
from tests import factories
from tests.accounts.sms_codes import last_code
from tests.workbench import open_workbench, panel_html

pytestmark = pytest.mark.django_db

Role = User.Role
REGISTER = reverse("jobs:counter_register")
CONFIRM = reverse("jobs:counter_register_confirm")
RESEND = reverse("jobs:counter_register_resend")
CANCEL = reverse("jobs:counter_cancel")
FIND = reverse("jobs:counter_find_worker")
APPLY = reverse("jobs:counter_apply")
APPLY_CODE = reverse("jobs:counter_apply_code")
APPLY_CONFIRM = reverse("jobs:counter_apply_confirm")
ACTS = reverse("jobs:counter_acts")
DONE_FOR_ME = reverse("jobs:counter_done_for_me")
NEW_PHONE = "13712345678"


def age_codes(seconds: int = 61) -> None:
    """Let the resend wait pass (a new code for the same phone comes 60 s after the last)."""
    PhoneCode.objects.update(created=F("created") - datetime.timedelta(seconds=seconds))


def other_code(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


@pytest.fixture
def new_id_number():
    return factories.make_id_number(901, birth="19900315")


@pytest.fixture
def registration(official_a, new_id_number):
    return {
        "real_name": "李春花",
        "id_number": new_id_number,
        "phone": NEW_PHONE,
        "home_county": official_a.county.pk,
        "desired_occupations": [factories.make_occupations(1)[0].pk],
    }


@pytest.fixture
def official_client(client, official_a):
    client.force_login(official_a)
    return client


@pytest.fixture
def registered(official_client, registration, django_capture_on_commit_callbacks):
    """The whole registration at official_a's counter: the new worker."""
    with django_capture_on_commit_callbacks(execute=True):
        official_client.post(REGISTER, registration)
    with django_capture_on_commit_callbacks(execute=True):
        official_client.post(CONFIRM, {"code": last_code()})
    return User.objects.by_phone(NEW_PHONE).get()


@pytest.fixture
def applicant(worker):
    """worker_a (verified phone) with a complete profile."""
    factories.WorkerProfileFactory(user=worker)
    return worker


@pytest.fixture
def posting(db):
    return factories.JobPostingFactory(title="数控车工（柜台）")


@pytest.fixture
def other_posting(db):
    return factories.JobPostingFactory(title="电焊工（柜台）")


def choose_worker(client, worker) -> None:
    response = client.post(FIND, {"number": worker.phone})
    assert response.status_code == 302 and response.url == APPLY


def send_apply_code(client, posting, capture) -> str:
    with capture(execute=True):
        response = client.post(APPLY_CODE, {"posting": posting.pk})
    assert response.status_code == 302 and response.url == APPLY_CONFIRM
    return last_code()


# --- Registering a worker -----------------------------------------------------------------------------------


def test_official_registers_a_worker_with_the_code_they_read_out(
    official_client, official_a, registration, new_id_number, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = official_client.post(REGISTER, registration)
    assert response.status_code == 302 and response.url == CONFIRM
    [code_sms] = sms.outbox
    assert code_sms.phone == NEW_PHONE and code_sms.template == "code"
    assert not User.objects.by_phone(NEW_PHONE).exists()  # nothing until the worker reads the code out

    page = official_client.get(CONFIRM, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert counter.registration_consent_text(official_a.county) in page  # what the official reads out
    assert "137****5678" in page and new_id_number not in page

    with django_capture_on_commit_callbacks(execute=True):
        response = official_client.post(CONFIRM, {"code": last_code()})
    assert response.status_code == 302 and response.url == APPLY
    worker = User.objects.by_phone(NEW_PHONE).get()
    assert worker.role == Role.WORKER
    assert worker.real_name == "李春花" and worker.id_number == new_id_number
    assert worker.phone_verified and worker.privacy_consent_at is not None
    assert not worker.has_usable_password()
    assert worker.profile.is_complete and worker.profile.home_county == official_a.county
    act = CounterAct.objects.get()
    assert (act.staff, act.worker, act.kind, act.county) == (
        official_a,
        worker,
        "registered",
        official_a.county,
    )
    assert act.posting is None and act.application is None
    welcome = sms.outbox[-1]
    assert welcome.template == "welcome" and welcome.phone == NEW_PHONE
    assert welcome.params["place"] == f"{official_a.county.name}服务窗口"
    assert welcome.params["site"] == counter.sms_site() == settings.SITE_URL.rstrip("/")
    assert len(welcome.params["site"]) <= templates.VARIABLE_MAX_LENGTH
    assert worker.notifications.count() == 1
    # The worker found is ready for an application.
    assert official_client.session["counter.worker"] == worker.pk


def test_worker_registered_at_the_counter_cannot_sign_in_with_a_password(registered, password_login):
    request = RequestFactory().post(reverse("login"))
    for password in ("", factories.TEST_PASSWORD):
        assert authenticate(request, username=registered.username, password=password) is None
        assert authenticate(request, username=NEW_PHONE, password=password) is None
    assert not password_login(registered.username)


def test_the_pending_registration_waits_encrypted_in_the_session(
    official_client, registration, new_id_number, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        official_client.post(REGISTER, registration)
    stored = official_client.session[counter.PENDING_REGISTRATION]
    assert new_id_number not in stored and NEW_PHONE not in stored
    assert counter.pending_registration(official_client.session)["id_number"] == new_id_number


@pytest.mark.parametrize("typed", ["", "12345", "1234567", "abcdef", "１２３４５６", "12 456"])
def test_a_malformed_code_is_refused_on_the_form(
    official_client, registration, typed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        official_client.post(REGISTER, registration)
    response = official_client.post(CONFIRM, {"code": typed})
    assert response.status_code == 400
    assert response.context["form"].errors["code"]
    assert not User.objects.by_phone(NEW_PHONE).exists()
    assert PhoneCode.objects.get().tries == 0  # a malformed code is not a guess


def test_a_wrong_code_opens_no_account_and_counts_a_try(
    official_client, registration, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        official_client.post(REGISTER, registration)
    response = official_client.post(CONFIRM, {"code": other_code(last_code())})
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert not User.objects.by_phone(NEW_PHONE).exists()
    assert not CounterAct.objects.exists()
    assert PhoneCode.objects.get().tries == 1
    assert counter.pending_registration(official_client.session) is not None  # the official may try again


def test_an_expired_registration_code_opens_no_account(
    official_client, registration, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        official_client.post(REGISTER, registration)
    PhoneCode.objects.update(expires=timezone.now() - datetime.timedelta(seconds=1))
    response = official_client.post(CONFIRM, {"code": last_code()})
    assert response.status_code == 400
    assert not User.objects.by_phone(NEW_PHONE).exists()


def test_a_registration_code_cannot_be_replayed(
    official_a, registration, new_id_number, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        counter.registration_request_code(staff=official_a, phone=NEW_PHONE, id_number=new_id_number)
    code = last_code()
    details = {
        "real_name": "李春花",
        "id_number": new_id_number,
        "phone": NEW_PHONE,
        "home_county": official_a.county,
        "desired_occupations": factories.make_occupations(1),
    }
    counter.worker_register_at_counter(staff=official_a, code=code, **details)
    with pytest.raises(counter.CodeRejected):
        counter.worker_register_at_counter(staff=official_a, code=code, **details)
    assert User.objects.by_phone(NEW_PHONE).count() == 1


def test_a_registration_code_is_bound_to_the_id_number(
    official_a, new_id_number, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        counter.registration_request_code(staff=official_a, phone=NEW_PHONE, id_number=new_id_number)
    with pytest.raises(counter.CodeRejected):
        counter.worker_register_at_counter(
            staff=official_a,
            code=last_code(),
            real_name="李春花",
            id_number=factories.make_id_number(902, birth="19900315"),
            phone=NEW_PHONE,
            home_county=official_a.county,
            desired_occupations=factories.make_occupations(1),
        )
    assert not User.objects.by_phone(NEW_PHONE).exists()


def test_new_code_waits_out_the_resend_time(
    official_client, registration, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        official_client.post(REGISTER, registration)
        response = official_client.post(RESEND, follow=True)
    assert len(sms.outbox) == 1
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    age_codes()
    with django_capture_on_commit_callbacks(execute=True):
        official_client.post(RESEND)
    assert len(sms.outbox) == 2
    with django_capture_on_commit_callbacks(execute=True):
        official_client.post(CONFIRM, {"code": last_code()})
    assert User.objects.by_phone(NEW_PHONE).exists()


def test_asking_again_within_the_resend_wait_is_refused_on_the_form(
    official_client, registration, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        official_client.post(REGISTER, registration)
    response = official_client.post(REGISTER, registration)  # the resend wait says why, on the form
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()


def test_confirm_without_a_pending_registration_starts_again(official_client):
    assert official_client.get(CONFIRM).url == REGISTER
    assert official_client.post(CONFIRM, {"code": "123456"}).url == REGISTER
    assert official_client.post(RESEND).url == REGISTER


def test_cancel_forgets_the_pending_registration(
    official_client, registration, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        official_client.post(REGISTER, registration)
    assert official_client.post(CANCEL).url == ACTS
    assert counter.PENDING_REGISTRATION not in official_client.session
    assert official_client.get(CONFIRM).url == REGISTER


def _taken(field):
    def make(data):
        factories.WorkerFactory(**{field: data[field]})

    return make


@pytest.mark.parametrize(
    ("change", "field", "fragment"),
    [
        ({"real_name": "   "}, "real_name", ""),
        ({"id_number": "34152419900315"}, "id_number", "18"),
        ({"id_number": "34152419900315901Z"}, "id_number", ""),
        ({"id_number": "wrong_check"}, "id_number", ""),
        ({"id_number": factories.make_id_number(5, birth="20200101")}, "id_number", "16"),
        ({"phone": "1371234567"}, "phone", "11"),
        ({"phone": "23712345678"}, "phone", "11"),
        ({"phone": "<script>alert(1)</script>"}, "phone", "11"),
        ({"home_county": "99999999999999999999999"}, "home_county", ""),
        ({"home_county": ""}, "home_county", ""),
        ({"desired_occupations": []}, "desired_occupations", ""),
        ({"desired_occupations": ["abc"]}, "desired_occupations", ""),
    ],
)
def test_bad_registration_input_sends_no_code(official_client, registration, change, field, fragment):
    data = {**registration, **change}
    if data["id_number"] == "wrong_check":
        right = registration["id_number"]
        data["id_number"] = right[:17] + ("1" if right[-1] == "0" else "0")
    response = official_client.post(REGISTER, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    errors = response.context["form"].errors[field]
    assert fragment in " ".join(errors)
    assert sms.outbox == [] and not PhoneCode.objects.exists()


def test_too_many_occupations_are_refused(official_client, registration):
    occupations = [o.pk for o in factories.make_occupations(6)]
    assert len(occupations) == 6
    response = official_client.post(REGISTER, {**registration, "desired_occupations": occupations})
    assert response.status_code == 400 and response.context["form"].errors["desired_occupations"]


@pytest.mark.parametrize("field", ["id_number", "phone"])
def test_a_duplicate_id_number_or_phone_is_refused_with_a_clear_message(official_client, registration, field):
    factories.WorkerFactory(**{field: registration[field]})
    response = official_client.post(REGISTER, registration, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    message = " ".join(response.context["form"].errors[field])
    assert "already" in message
    assert sms.outbox == []


def test_a_hostile_name_is_escaped_on_the_confirmation_page(
    official_client, registration, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        official_client.post(REGISTER, {**registration, "real_name": "<b>李</b>"})
    page = official_client.get(CONFIRM).content.decode()
    assert "<b>李</b>" not in page and "&lt;b&gt;李&lt;/b&gt;" in page


# --- Acting on a worker's behalf ----------------------------------------------------------------------------


def test_official_applies_for_a_worker_with_the_code_for_that_job(
    official_client, official_a, applicant, posting, django_capture_on_commit_callbacks
):
    choose_worker(official_client, applicant)
    page = official_client.get(APPLY, {"q": "柜台"}).content.decode()
    assert posting.title in page
    assert applicant.phone not in page and applicant.real_name not in page  # masked only
    assert applicant.masked_phone in page
    code = send_apply_code(official_client, posting, django_capture_on_commit_callbacks)
    assert sms.outbox[-1].phone == applicant.phone
    confirm = official_client.get(APPLY_CONFIRM, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert posting.employer.name in confirm  # the consent names the employer

    with django_capture_on_commit_callbacks(execute=True):
        response = official_client.post(APPLY_CONFIRM, {"code": code}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302 and response.url == APPLY
    application = Application.objects.get(posting=posting, worker=applicant)
    assert application.status == Application.Status.SUBMITTED
    assert posting.employer.name in application.consent_text
    assert official_a.display_name in application.consent_text  # given at the counter, to whom
    act = CounterAct.objects.get()
    assert (act.staff, act.worker, act.kind, act.posting, act.application, act.county) == (
        official_a,
        applicant,
        "applied",
        posting,
        application,
        official_a.county,
    )
    assert applicant.notifications.filter(title__contains=posting.title).exists()


def test_a_wrong_code_makes_no_application(
    official_client, applicant, posting, django_capture_on_commit_callbacks
):
    choose_worker(official_client, applicant)
    code = send_apply_code(official_client, posting, django_capture_on_commit_callbacks)
    response = official_client.post(APPLY_CONFIRM, {"code": other_code(code)})
    assert response.status_code == 400 and response.context["form"].non_field_errors()
    assert not Application.objects.exists() and not CounterAct.objects.exists()


def test_an_expired_code_makes_no_application(
    official_a, applicant, posting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        counter.apply_request_code(staff=official_a, worker=applicant, posting=posting)
    PhoneCode.objects.update(expires=timezone.now() - datetime.timedelta(seconds=1))
    with pytest.raises(counter.CodeRejected):
        counter.apply_at_counter(staff=official_a, worker=applicant, posting=posting, code=last_code())
    assert not Application.objects.exists()


def test_a_code_cannot_be_replayed(
    official_a, applicant, posting, other_posting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        counter.apply_request_code(staff=official_a, worker=applicant, posting=posting)
    code = last_code()
    application = counter.apply_at_counter(staff=official_a, worker=applicant, posting=posting, code=code)
    application.status = Application.Status.WITHDRAWN
    application.save(update_fields=["status"])
    for target in (posting, other_posting):
        with pytest.raises((counter.CodeRejected, InvalidTransition)):
            counter.apply_at_counter(staff=official_a, worker=applicant, posting=target, code=code)
    assert CounterAct.objects.count() == 1


def test_a_code_for_another_posting_fails(
    official_client, official_a, applicant, posting, other_posting, django_capture_on_commit_callbacks
):
    choose_worker(official_client, applicant)
    code = send_apply_code(official_client, posting, django_capture_on_commit_callbacks)
    with pytest.raises(counter.CodeRejected):
        counter.apply_at_counter(staff=official_a, worker=applicant, posting=other_posting, code=code)
    assert not Application.objects.exists()


def test_a_code_for_another_worker_fails(official_a, applicant, posting, django_capture_on_commit_callbacks):
    other = factories.WorkerProfileFactory().user
    with django_capture_on_commit_callbacks(execute=True):
        counter.apply_request_code(staff=official_a, worker=applicant, posting=posting)
    code = last_code()
    with pytest.raises(counter.CodeRejected):
        counter.apply_at_counter(staff=official_a, worker=other, posting=posting, code=code)
    assert not Application.objects.exists()


def test_a_registration_code_does_not_confirm_an_application(
    official_a, applicant, posting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        counter.codes.request_code(phone=applicant.phone, purpose=PhoneCode.Purpose.COUNTER, address=None)
    with pytest.raises(counter.CodeRejected):
        counter.apply_at_counter(staff=official_a, worker=applicant, posting=posting, code=last_code())


def test_an_official_of_another_county_needs_the_workers_code_too(
    client, registered, official_b, posting, django_capture_on_commit_callbacks
):
    """The worker was registered at 金寨县's counter; 霍山县's official finds them, but cannot apply without
    the code sent to the worker's phone, and can with it."""
    client.force_login(official_b)
    choose_worker(client, registered)
    # Without asking for a code, no code confirms anything.
    assert client.get(APPLY_CONFIRM).url == APPLY
    for guess in ("000000", "123456", "999999"):
        with pytest.raises(counter.CodeRejected):
            counter.apply_at_counter(staff=official_b, worker=registered, posting=posting, code=guess)
    age_codes()
    code = send_apply_code(client, posting, django_capture_on_commit_callbacks)
    for guess in {"000000", "123456"} - {code}:
        client.post(APPLY_CONFIRM, {"code": guess})
    assert not Application.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(APPLY_CONFIRM, {"code": code})
    act = CounterAct.objects.get(kind="applied")
    assert act.staff == official_b and act.county == official_b.county
    assert Application.objects.get().worker == registered


def test_a_worker_registered_at_the_counter_can_be_applied_for(
    official_client, registered, posting, django_capture_on_commit_callbacks
):
    age_codes()  # the registration code went to the same phone a moment ago
    code = send_apply_code(official_client, posting, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        official_client.post(APPLY_CONFIRM, {"code": code})
    assert Application.objects.filter(worker=registered, posting=posting).exists()


@pytest.mark.parametrize(
    ("number", "found"),
    [
        ("worker_phone", True),
        ("worker_id", True),
        ("worker_id_lower_x", True),
        ("+86 worker_phone", True),
        ("13900000", False),  # a part of a number finds nobody
        ("李", False),
        ("", False),
    ],
)
def test_finding_a_worker_takes_an_exact_number(official_client, applicant, number, found):
    typed = (
        number.replace("worker_phone", applicant.phone)
        .replace("worker_id_lower_x", applicant.id_number.lower())
        .replace("worker_id", applicant.id_number)
    )
    response = official_client.post(FIND, {"number": typed})
    if found:
        assert response.status_code == 302 and response.url == APPLY
        assert official_client.session["counter.worker"] == applicant.pk
    else:
        assert response.status_code == 400
        assert response.context["form"].errors["number"]
        assert "counter.worker" not in official_client.session


def test_an_unknown_number_finds_nobody_and_says_so(official_client, applicant):
    response = official_client.post(FIND, {"number": "13800000000"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "No worker" in " ".join(response.context["form"].errors["number"])


@pytest.mark.parametrize("persona", ["employer", "institution_staff", "official_b", "city_admin"])
def test_only_workers_are_found(official_client, request, persona):
    other = request.getfixturevalue(persona)
    if not other.phone:
        other.phone = "13600000001"
        other.save(update_fields=["phone"])
    response = official_client.post(FIND, {"number": other.phone})
    assert response.status_code == 400


def test_the_apply_page_needs_a_worker_found_first(official_client):
    assert official_client.get(APPLY).url == FIND
    assert official_client.post(APPLY_CODE, {"posting": "1"}).url == FIND
    assert official_client.get(APPLY_CONFIRM).url == FIND


@pytest.mark.parametrize("value", ["", "abc", "0", "-1", "99999999999999999999999", "٣"])
def test_a_bad_posting_choice_sends_no_code(official_client, applicant, value):
    choose_worker(official_client, applicant)
    response = official_client.post(APPLY_CODE, {"posting": value})
    assert response.status_code == 302 and response.url == APPLY
    assert sms.outbox == [] and not PhoneCode.objects.exists()


@pytest.mark.parametrize("trait", ["draft", "closed", "expired", "taken_down"])
def test_a_posting_not_open_sends_no_code(official_client, applicant, trait):
    posting = factories.JobPostingFactory(**{trait: True})
    choose_worker(official_client, applicant)
    official_client.post(APPLY_CODE, {"posting": posting.pk})
    assert sms.outbox == [] and not PhoneCode.objects.exists()


def test_no_code_for_a_job_already_applied_to(official_client, applicant, posting):
    factories.ApplicationFactory(worker=applicant, posting=posting)
    choose_worker(official_client, applicant)
    response = official_client.post(APPLY_CODE, {"posting": posting.pk}, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert sms.outbox == []


def test_no_code_for_a_worker_without_a_complete_profile(official_client, worker, posting):
    choose_worker(official_client, worker)
    response = official_client.post(APPLY_CODE, {"posting": posting.pk}, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert sms.outbox == []


def test_no_code_to_an_unverified_phone(official_client, applicant, posting):
    applicant.phone_verified_at = None
    applicant.save(update_fields=["phone_verified_at"])
    choose_worker(official_client, applicant)
    official_client.post(APPLY_CODE, {"posting": posting.pk})
    assert sms.outbox == []


@pytest.mark.parametrize("q", ["x" * 101, "<script>", "   "])
def test_bad_keywords_are_answered_without_error(official_client, applicant, q):
    choose_worker(official_client, applicant)
    response = official_client.get(APPLY, {"q": q})
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()


# --- The record ---------------------------------------------------------------------------------------------


@pytest.fixture
def acts(official_a, official_b, applicant, posting):
    a = CounterAct.objects.create(
        staff=official_a, worker=applicant, kind="registered", county=official_a.county
    )
    application = factories.ApplicationFactory(worker=applicant, posting=posting)
    b = CounterAct.objects.create(
        staff=official_b,
        worker=applicant,
        kind="applied",
        posting=posting,
        application=application,
        county=official_b.county,
    )
    return a, b


def test_the_worker_sees_what_was_done_for_them_with_the_staff_name(client, applicant, acts, posting):
    client.force_login(applicant)
    page = client.get(DONE_FOR_ME).content.decode()
    for act in acts:
        assert act.staff.display_name in page and act.county.name in page
    assert posting.title in page
    mine = client.get(reverse("jobs:my_applications")).content.decode()
    assert acts[1].staff.display_name in mine and DONE_FOR_ME in mine
    workbench = open_workbench(client, applicant)
    assert DONE_FOR_ME in panel_html(workbench, "panel-done-for-me")


def test_another_worker_sees_none_of_it(client, acts):
    other = factories.WorkerFactory()
    client.force_login(other)
    response = client.get(DONE_FOR_ME)
    assert list(response.context["page_obj"]) == []
    assert 'aria-labelledby="panel-done-for-me"' not in open_workbench(client, other).content.decode()


def test_an_official_sees_their_countys_acts_and_a_city_admin_all(client, official_a, city_admin, acts):
    client.force_login(official_a)
    assert list(client.get(ACTS).context["page_obj"]) == [acts[0]]
    client.force_login(city_admin)
    assert set(client.get(ACTS).context["page_obj"]) == set(acts)


def test_the_officials_workbench_links_to_the_counter(client, official_a):
    html = panel_html(open_workbench(client, official_a), "panel-service-counter")
    for url in (REGISTER, FIND, ACTS):
        assert url in html


def test_the_record_constraint_refuses_an_application_act_without_its_application(official_a, worker):
    with pytest.raises(IntegrityError), transaction.atomic():
        CounterAct.objects.create(staff=official_a, worker=worker, kind="applied", county=official_a.county)


# --- Roles --------------------------------------------------------------------------------------------------

COUNTER_PAGES = [REGISTER, CONFIRM, FIND, APPLY, APPLY_CONFIRM]
COUNTER_POSTS = [RESEND, CANCEL, APPLY_CODE]
ALL_ROLES = ["city_admin", "official_a", "institution_staff", "employer", "worker", "leading_member"]


@pytest.mark.parametrize("url", COUNTER_PAGES + COUNTER_POSTS)
@pytest.mark.parametrize("persona", ALL_ROLES)
def test_only_county_officials_work_the_counter(client, request, url, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    response = client.post(url, {}) if url in COUNTER_POSTS else client.get(url)
    if persona == "official_a":
        assert response.status_code in (200, 302)
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("url", COUNTER_POSTS)
def test_counter_posts_refuse_get(official_client, url):
    assert official_client.get(url).status_code == 405


@pytest.mark.parametrize(
    ("url", "allowed"),
    [(ACTS, {"city_admin", "official_a"}), (DONE_FOR_ME, {"worker"})],
)
@pytest.mark.parametrize("persona", ALL_ROLES)
def test_who_reads_the_record(client, request, url, allowed, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url).status_code == (200 if persona in allowed else 403)


@pytest.mark.parametrize("url", [*COUNTER_PAGES, *COUNTER_POSTS, ACTS, DONE_FOR_ME])
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.post(url) if url in COUNTER_POSTS else client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_services_refuse_anyone_but_a_county_official(city_admin, applicant, posting):
    with pytest.raises(counter.PermissionDenied):
        counter.apply_request_code(staff=city_admin, worker=applicant, posting=posting)
    with pytest.raises(counter.PermissionDenied):
        counter.apply_at_counter(staff=applicant, worker=applicant, posting=posting, code="123456")
    with pytest.raises(counter.PermissionDenied):
        counter.registration_request_code(staff=city_admin, phone=NEW_PHONE, id_number="x")
    assert sms.outbox == []
