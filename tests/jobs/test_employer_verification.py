"""The city admins' employer verification queue (verify, or refuse with a reason; the company's staff are
told either way) and the company's own details page (credit code checked by its check character; a
verified company's code is fixed). Who may reach which page, nothing changed on bad input, and a fixed
number of queries on the queue."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jobs.models import Employer
from laborbrand.accounts.models import Notification
from laborbrand.reference.models import Province
from tests import factories

pytestmark = pytest.mark.django_db

QUEUE = reverse("jobs:employer_queue")
EDIT = reverse("jobs:employer_edit")


def url(name, *args):
    return reverse(f"jobs:{name}", args=args)


def messages_of(response):
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


def logged_in(client, user):
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def snapshot(employer):
    employer.refresh_from_db()
    return {field.name: getattr(employer, field.name) for field in Employer._meta.concrete_fields}


@pytest.fixture
def admin_client(client, city_admin):
    return logged_in(client, city_admin)


@pytest.fixture
def company(employer):
    """employer_a's company, waiting for verification."""
    return employer.employers.get()


# --- The queue ----------------------------------------------------------------------------------------------


def test_queue_lists_waiting_companies_newest_first_with_what_to_check(admin_client, company, employer):
    older = factories.EmployerFactory(
        name="较早注册的公司", created=timezone.now() - datetime.timedelta(days=3)
    )
    factories.VerifiedEmployerFactory(name="已核验的公司")
    response = admin_client.get(QUEUE)
    assert response.status_code == 200
    assert [e.name for e in response.context["page_obj"]] == [company.name, older.name]
    content = response.content.decode()
    for text in (
        company.credit_code,
        "安徽省 六安市",
        company.industry,
        company.contact_name,
        company.contact_phone,
        timezone.localtime(company.created).strftime("%Y-%m-%d"),
        employer.username,
    ):
        assert text in content
    assert url("employer_verify", company.pk) in content
    assert url("employer_refuse", company.pk) in content


def test_queue_marks_refused_companies_with_the_reason(admin_client, company):
    company.rejection_reason = "信用代码与营业执照不一致"
    company.save(update_fields=["rejection_reason"])
    content = admin_client.get(QUEUE).content.decode()
    assert "Refused, waiting for corrections" in content
    assert "信用代码与营业执照不一致" in content


def test_queue_shows_recently_verified_companies(admin_client, city_admin):
    factories.VerifiedEmployerFactory(name="刚核验的公司", verified_by=city_admin)
    response = admin_client.get(QUEUE)
    assert [e.name for e in response.context["recent"]] == ["刚核验的公司"]
    assert [e.name for e in response.context["page_obj"]] == []
    assert "No company is waiting for verification." in response.content.decode()


def test_queue_query_count_does_not_grow_with_rows(admin_client, city_admin):
    def count():
        with CaptureQueriesContext(connection) as context:
            assert admin_client.get(QUEUE).status_code == 200
        return len(context)

    factories.EmployerFactory(staff=[factories.EmployerStaffFactory()])
    factories.EmployerFactory(staff=[factories.EmployerStaffFactory()], rejection_reason="请补充材料")
    factories.VerifiedEmployerFactory(staff=[factories.EmployerStaffFactory()], verified_by=city_admin)
    few = count()
    for _ in range(8):
        factories.EmployerFactory(
            staff=[factories.EmployerStaffFactory(), factories.EmployerStaffFactory()],
            rejection_reason="请补充材料",
        )
        factories.VerifiedEmployerFactory(staff=[factories.EmployerStaffFactory()], verified_by=city_admin)
    assert count() == few


def test_queue_is_paginated(admin_client):
    factories.EmployerFactory.create_batch(22)
    assert len(admin_client.get(QUEUE).context["page_obj"]) == 20
    assert len(admin_client.get(QUEUE, {"page": 2}).context["page_obj"]) == 2


@pytest.mark.parametrize("persona", ["employer", "official_a", "institution_staff", "worker"])
def test_only_city_admins_verify(client, request, company, persona):
    logged_in(client, request.getfixturevalue(persona))
    before = snapshot(company)
    assert client.get(QUEUE).status_code == 403
    assert client.post(url("employer_verify", company.pk)).status_code == 403
    assert client.get(url("employer_refuse", company.pk)).status_code == 403
    assert client.post(url("employer_refuse", company.pk), {"reason": "不行"}).status_code == 403
    assert snapshot(company) == before
    assert not Notification.objects.exists()


def test_anonymous_is_sent_to_sign_in(client, company):
    for response in (
        client.get(QUEUE),
        client.post(url("employer_verify", company.pk)),
        client.get(url("employer_refuse", company.pk)),
        client.get(EDIT),
        client.post(EDIT, {}),
    ):
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    assert snapshot(company)["verified_at"] is None


# --- Verifying ----------------------------------------------------------------------------------------------


def test_verify_records_who_and_when_and_tells_the_staff(
    admin_client, city_admin, company, employer, mailoutbox, django_capture_on_commit_callbacks
):
    company.rejection_reason = "旧的理由"
    company.save(update_fields=["rejection_reason"])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url("employer_verify", company.pk))
    assert response.status_code == 302
    assert response.url == QUEUE
    company.refresh_from_db()
    assert company.is_verified
    assert company.verified_by == city_admin
    assert company.rejection_reason == ""
    notification = Notification.objects.get(recipient=employer)
    assert company.name in notification.title
    assert notification.url == url("posting_manage_list")
    assert [m.to for m in mailoutbox] == [[employer.email]]
    assert messages_of(response) == [("success", f"{company.name} is verified and its staff are notified.")]
    # It leaves the queue for the "recently verified" list.
    queue = admin_client.get(QUEUE)
    assert list(queue.context["page_obj"]) == []
    assert [e.pk for e in queue.context["recent"]] == [company.pk]


def test_verified_company_publishes(client, employer, company, city_admin):
    posting = factories.JobPostingFactory(employer=company, draft=True)
    logged_in(client, employer)
    client.post(url("posting_publish", posting.pk))
    posting.refresh_from_db()
    assert posting.status == posting.Status.DRAFT
    logged_in(client, city_admin).post(url("employer_verify", company.pk))
    logged_in(client, employer).post(url("posting_publish", posting.pk))
    posting.refresh_from_db()
    assert posting.status == posting.Status.OPEN


def test_verifying_twice_is_refused_with_a_message(admin_client, city_admin):
    verified = factories.VerifiedEmployerFactory(verified_by=city_admin)
    before = snapshot(verified)
    response = admin_client.post(url("employer_verify", verified.pk))
    assert response.status_code == 302
    assert messages_of(response) == [("error", "This employer is already verified.")]
    assert snapshot(verified) == before


def test_verify_needs_post(admin_client, company):
    assert admin_client.get(url("employer_verify", company.pk)).status_code == 405
    assert snapshot(company)["verified_at"] is None


def test_verifying_a_missing_company_is_404(admin_client):
    assert admin_client.post(url("employer_verify", 999999)).status_code == 404
    assert admin_client.get(url("employer_refuse", 999999)).status_code == 404


# --- Refusing -----------------------------------------------------------------------------------------------


def test_refuse_page_shows_the_company_and_asks_for_a_reason(admin_client, company):
    response = admin_client.get(url("employer_refuse", company.pk))
    assert response.status_code == 200
    content = response.content.decode()
    assert company.name in content
    assert company.credit_code in content
    assert 'name="reason"' in content


@pytest.mark.parametrize("reason", ["", "   "])
def test_refuse_without_a_reason_changes_nothing(admin_client, company, reason):
    before = snapshot(company)
    response = admin_client.post(url("employer_refuse", company.pk), {"reason": reason})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert snapshot(company) == before
    assert not Notification.objects.exists()


def test_refuse_records_the_reason_and_tells_the_staff(
    admin_client, company, employer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            url("employer_refuse", company.pk), {"reason": "营业执照名称与填写的公司名称不一致。"}
        )
    assert response.status_code == 302
    assert response.url == QUEUE
    company.refresh_from_db()
    assert company.rejection_reason == "营业执照名称与填写的公司名称不一致。"
    assert not company.is_verified
    notification = Notification.objects.get(recipient=employer)
    assert notification.body == "营业执照名称与填写的公司名称不一致。"
    assert [m.to for m in mailoutbox] == [[employer.email]]
    assert messages_of(response)[-1][0] == "success"
    # Listed apart, marked, until the company corrects its details; not counted as waiting for the city.
    queue = admin_client.get(QUEUE)
    assert [e.pk for e in queue.context["refused"]] == [company.pk]
    assert list(queue.context["page_obj"]) == []
    assert "Refused, waiting for corrections" in queue.content.decode()


def test_a_verified_company_cannot_be_refused(admin_client, city_admin):
    verified = factories.VerifiedEmployerFactory(verified_by=city_admin)
    before = snapshot(verified)
    response = admin_client.post(url("employer_refuse", verified.pk), {"reason": "重新审核"})
    assert messages_of(response) == [("error", "This employer is already verified.")]
    assert snapshot(verified) == before


def test_the_reason_is_escaped(admin_client, company):
    admin_client.post(url("employer_refuse", company.pk), {"reason": "<b>请改</b>"})
    content = admin_client.get(QUEUE).content.decode()
    assert "<b>请改</b>" not in content
    assert "&lt;b&gt;请改&lt;/b&gt;" in content


# --- The company's own details ------------------------------------------------------------------------------


@pytest.fixture
def employer_client(client, employer):
    return logged_in(client, employer)


def company_data(company, **overrides):
    data = {
        "name": company.name,
        "credit_code": company.credit_code,
        "province": company.province_id,
        "city_name": company.city_name,
        "industry": company.industry,
        "contact_name": company.contact_name,
        "contact_phone": company.contact_phone,
    }
    data.update(overrides)
    return data


def test_employer_sees_its_details_and_status(employer_client, company):
    response = employer_client.get(EDIT)
    assert response.status_code == 200
    content = response.content.decode()
    assert company.credit_code in content
    assert "Waiting for verification by the city." in content


def test_employer_corrects_its_details(employer_client, company):
    jiangsu = Province.objects.get(code="320000")
    new_code = factories.make_credit_code(777)
    response = employer_client.post(
        EDIT,
        company_data(
            company,
            name="六安精工有限公司",
            credit_code=new_code.lower(),
            province=jiangsu.pk,
            city_name="苏州市",
        ),
    )
    assert response.status_code == 302
    assert response.url == EDIT
    company.refresh_from_db()
    assert (company.name, company.credit_code, company.province, company.city_name) == (
        "六安精工有限公司",
        new_code,
        jiangsu,
        "苏州市",
    )
    assert messages_of(response) == [("success", "Company details saved.")]


def test_a_wrong_check_character_is_refused(employer_client, company):
    before = snapshot(company)
    good = factories.make_credit_code(778)
    wrong = good[:-1] + ("0" if good[-1] != "0" else "1")
    response = employer_client.post(EDIT, company_data(company, credit_code=wrong, name="改名"))
    assert response.status_code == 200
    assert "The last character of the code does not match the others" in response.content.decode()
    assert snapshot(company) == before


def test_another_company_s_credit_code_is_refused(employer_client, company):
    other = factories.EmployerFactory()
    before = snapshot(company)
    response = employer_client.post(EDIT, company_data(company, credit_code=other.credit_code))
    assert response.status_code == 200
    assert "credit_code" in response.context["form"].errors
    assert snapshot(company) == before


def test_a_verified_company_cannot_change_its_credit_code(employer_client, company):
    company.verified_at = timezone.now()
    company.save(update_fields=["verified_at"])
    response = employer_client.get(EDIT)
    assert response.context["form"].fields["credit_code"].disabled
    assert "Verified by the city on" in response.content.decode()
    original = company.credit_code
    response = employer_client.post(
        EDIT, company_data(company, credit_code=factories.make_credit_code(779), contact_name="李经理")
    )
    assert response.status_code == 302
    company.refresh_from_db()
    assert company.credit_code == original
    assert company.contact_name == "李经理"
    assert company.is_verified


def test_a_refused_company_correcting_goes_back_to_the_queue(employer_client, company):
    company.rejection_reason = "名称不符"
    company.save(update_fields=["rejection_reason"])
    content = employer_client.get(EDIT).content.decode()
    assert "名称不符" in content
    response = employer_client.post(EDIT, company_data(company, name="更正后的名称"))
    assert messages_of(response) == [
        ("success", "Company details saved. The city will review your company again.")
    ]
    company.refresh_from_db()
    assert company.rejection_reason == ""
    assert company.name == "更正后的名称"


def test_missing_fields_are_refused(employer_client, company):
    before = snapshot(company)
    response = employer_client.post(EDIT, company_data(company, name="", contact_phone=""))
    assert response.status_code == 200
    assert {"name", "contact_phone"} <= set(response.context["form"].errors)
    assert snapshot(company) == before


@pytest.mark.parametrize("persona", ["city_admin", "official_a", "institution_staff", "worker"])
def test_only_employers_edit_their_company(client, request, company, persona):
    logged_in(client, request.getfixturevalue(persona))
    before = snapshot(company)
    assert client.get(EDIT).status_code == 403
    assert client.post(EDIT, company_data(company, name="别人改的")).status_code == 403
    assert snapshot(company) == before


def test_an_employer_edits_only_its_own_company(client, company):
    other_staff = factories.EmployerStaffFactory()
    other = factories.EmployerFactory(staff=[other_staff])
    logged_in(client, other_staff)
    before = snapshot(company)
    client.post(EDIT, company_data(other, name="另一家改名"))
    other.refresh_from_db()
    assert other.name == "另一家改名"
    assert snapshot(company) == before


def test_an_employer_account_without_a_company_is_refused(client):
    logged_in(client, factories.EmployerStaffFactory())
    assert client.get(EDIT).status_code == 403
