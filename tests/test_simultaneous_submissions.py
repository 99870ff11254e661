"""Two people submitting the same user name, ID number, phone, credit code or name at the same moment, each on
their own database connection. Both forms pass validation (neither value is taken yet); the database's unique
constraint refuses the second save, and the second person gets the form error a later, sequential submission
gets — never an IntegrityError (a 500). Where a service refuses instead of a form (one open admission
application, one application per job …), the second is refused with the sequential refusal.

PostgreSQL only: SQLite serialises whole-database writes, which says nothing about these races."""

from __future__ import annotations

import datetime
import threading
from contextlib import contextmanager
from unittest import mock

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from brands import services as brand_services
from brands.models import Brand, BrandStandard
from jobs import services as job_services
from jobs.matching import services as matching_services
from jobs.models import Application, Apprenticeship, Employer, MatchInvitation, PartnerRegion
from laborbrand.accounts import services as account_services
from laborbrand.accounts.models import User
from laborbrand.reference.models import Province
from laborbrand.uniqueness import save_or_form_errors, violated_columns
from tests import factories
from tests.accounts.sms_codes import last_code
from tests.jobs.factories_matching import RecommendationFactory
from tests.jobs.test_cooperation import partner_post
from tests.training.test_concurrency import at_once
from training.forms.institutions import InstitutionForm
from training.models import AdmissionApplication, Institution
from training.services import institutions as institution_services
from training.services.admission import application_create

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs concurrent transactions: PostgreSQL only (SQLite serialises whole-database writes)",
)

PASSWORD = "Str0ng#pass"
TODAY = timezone.localdate()


@contextmanager
def meeting_at(module, name: str, parties: int):
    """The service `module.name` waits until `parties` requests have reached it, so every one of them has
    passed form validation before any saves."""
    barrier = threading.Barrier(parties)
    original = getattr(module, name)

    def waiting(*args, **kwargs):
        barrier.wait(timeout=10)
        return original(*args, **kwargs)

    with mock.patch.object(module, name, waiting):
        yield


def post_together(service: tuple, posts: list[tuple[Client, str, dict]]):
    """POST each (client, url, data) in its own thread at the same moment; return the responses in order.
    A view that raised (an IntegrityError, say) fails the test: the test client re-raises it."""
    responses, failures = [None] * len(posts), []

    def run(index, client, url, data):
        try:
            responses[index] = client.post(url, data)
        except BaseException as exc:  # reported below
            failures.append(exc)
        finally:
            connections.close_all()

    with meeting_at(*service, parties=len(posts)):
        threads = [threading.Thread(target=run, args=(i, *post)) for i, post in enumerate(posts)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    assert failures == []
    return responses


def form_errors(response) -> dict:
    return {
        name: response.context[name].errors.get_json_data()
        for name in ("form", "account_form", "org_form")
        if name in response.context
    }


def one_saved_one_refused_as_in_sequence(responses, client: Client, url: str, posted: list[dict]):
    """Exactly one submission was saved; the other shows the errors that submitting it again now shows.
    Returns those errors."""
    assert sorted(r.status_code for r in responses) == [200, 302]
    loser = next(i for i, r in enumerate(responses) if r.status_code == 200)
    errors = form_errors(responses[loser])
    assert errors, "the refused submission shows no form error"
    later = client.post(url, posted[loser])
    assert later.status_code == 200
    assert form_errors(later) == errors
    return errors


def error_codes(errors: dict) -> set[tuple[str, str]]:
    return {(field, e["code"]) for form in errors.values() for field, found in form.items() for e in found}


# --- Registrations ------------------------------------------------------------------------------------------

WORKER_URL = reverse("accounts:register_worker")


def worker_data(n: int, **same) -> dict:
    data = {
        "username": f"worker_{n}",
        "real_name": "张伟",
        "id_number": factories.make_id_number(n, birth="19900101"),
        "phone": f"1371234567{n}",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "privacy_consent": "on",
    }
    return {**data, **same}


SAME_ID = factories.make_id_number(9, birth="19850505", region="342426")
# The same phone cannot race: its second code waits a minute, and only a phone's newest code counts.
WORKER_CASES = {
    "same ID number": ({"id_number": SAME_ID}, {"id_number": SAME_ID.lower()}),
    "same user name": ({"username": "zhang_wei"}, {"username": "zhang_wei"}),
}
CONFIRM_URL = reverse("accounts:register_worker_confirm")


@pytest.mark.parametrize(("first", "second"), WORKER_CASES.values(), ids=WORKER_CASES.keys())
def test_two_workers_confirming_the_same_details_at_once(committed_db, first, second):
    """Both pass the first step and type their codes at the same moment: one account is opened, the other
    registration is sent back to the form with a message, never a 500."""
    posted = [worker_data(1, **first), worker_data(2, **second)]
    clients = [Client(), Client()]
    confirms = []
    for client, data in zip(clients, posted, strict=True):
        assert client.post(WORKER_URL, data).url == CONFIRM_URL
        confirms.append((client, CONFIRM_URL, {"code": last_code(data["phone"])}))

    responses = post_together((account_services, "worker_register"), confirms)

    assert sorted(r.url for r in responses) == sorted([reverse("accounts:workbench"), WORKER_URL])
    assert User.objects.filter(role=User.Role.WORKER).count() == 1


INSTITUTION_URL = reverse("training:institution_register")


def institution_data(n: int, **same) -> dict:
    data = {
        "org-name": f"第{n}技工学校",
        "org-kind": Institution.Kind.TECHNICAL_SCHOOL,
        "org-county": factories.make_county("341524").pk,
        "org-credit_code": factories.make_credit_code(700 + n),
        "org-contact_name": "周明",
        "org-contact_phone": "0564-7012345",
        "account-username": f"school_{n}",
        "account-password1": PASSWORD,
        "account-password2": PASSWORD,
    }
    return {**data, **same}


EMPLOYER_URL = reverse("jobs:employer_register")


def employer_data(n: int, **same) -> dict:
    data = {
        "org-name": f"苏州精密机械{n}有限公司",
        "org-credit_code": factories.make_credit_code(800 + n),
        "org-province": Province.objects.get(code="320000").pk,
        "org-city_name": "苏州市",
        "org-industry": "通用设备制造",
        "org-contact_name": "钱敏",
        "org-contact_phone": "0512-65432100",
        "account-username": f"company_{n}",
        "account-password1": PASSWORD,
        "account-password2": PASSWORD,
    }
    return {**data, **same}


SAME_CODE = factories.make_credit_code(4242)
ORGANISATION_CASES = {
    "institution, same user name": (
        "institution",
        {"account-username": "jinzhai_school"},
        {"account-username": "jinzhai_school"},
        ("username", "unique"),
    ),
    "institution, same credit code": (
        "institution",
        {"org-credit_code": SAME_CODE},
        {"org-credit_code": " " + SAME_CODE.lower()},
        ("credit_code", "unique"),
    ),
    "institution, same name": (
        "institution",
        {"org-name": "金寨县技工学校"},
        {"org-name": "金寨县技工学校"},
        ("name", "unique"),
    ),
    "employer, same user name": (
        "employer",
        {"account-username": "suzhou_precision"},
        {"account-username": "suzhou_precision"},
        ("username", "unique"),
    ),
    "employer, same credit code": (
        "employer",
        {"org-credit_code": SAME_CODE},
        {"org-credit_code": SAME_CODE},
        ("credit_code", "unique"),
    ),
}
ORGANISATIONS = {
    "institution": (
        INSTITUTION_URL,
        institution_data,
        (institution_services, "institution_register"),
        Institution,
    ),
    "employer": (EMPLOYER_URL, employer_data, (job_services, "employer_register"), Employer),
}


@pytest.mark.parametrize(
    ("kind", "first", "second", "error"), ORGANISATION_CASES.values(), ids=ORGANISATION_CASES.keys()
)
def test_two_organisations_registering_the_same_details_at_once(committed_db, kind, first, second, error):
    url, data, service, model = ORGANISATIONS[kind]
    posted = [data(1, **first), data(2, **second)]

    responses = post_together(service, [(Client(), url, d) for d in posted])

    errors = one_saved_one_refused_as_in_sequence(responses, Client(), url, posted)
    assert error in error_codes(errors)
    assert model.objects.count() == 1
    assert User.objects.count() == 1  # the refused registration left no account behind


# --- Accounts the city creates ------------------------------------------------------------------------------

OFFICIAL_URL = reverse("accounts:official_create")


def official_data(n: int, **same) -> dict:
    data = {
        "username": f"official_{n}",
        "real_name": "赵敏",
        "county": factories.make_county("341502").pk,
        "phone": f"1365555666{n}",
        "password1": "Init#pass2026",
        "password2": "Init#pass2026",
    }
    return {**data, **same}


@pytest.mark.parametrize(
    ("same", "error"),
    [
        ({"username": "official_c"}, ("username", "unique")),
        ({"phone": "13655556666"}, ("phone", "phone_taken")),
    ],
    ids=["same user name", "same phone"],
)
def test_two_admins_creating_the_same_official_at_once(committed_db, same, error):
    admins = [factories.CityAdminFactory(), factories.CityAdminFactory()]
    clients = [Client(), Client()]
    for client, admin in zip(clients, admins, strict=True):
        client.force_login(admin)
    posted = [official_data(1, **same), official_data(2, **same)]

    responses = post_together(
        (account_services, "official_create"),
        [(client, OFFICIAL_URL, data) for client, data in zip(clients, posted, strict=True)],
    )

    errors = one_saved_one_refused_as_in_sequence(responses, clients[0], OFFICIAL_URL, posted)
    assert error in error_codes(errors)
    assert User.objects.officials().count() == 1


def test_two_officials_given_the_same_phone_at_once(committed_db):
    admin = factories.CityAdminFactory()
    officials = factories.OfficialFactory.create_batch(2, phone="")
    client = Client()
    client.force_login(admin)
    urls = [reverse("accounts:official_update", args=[o.pk]) for o in officials]
    posted = [
        {"real_name": o.real_name, "county": o.county_id, "email": "", "phone": "+86 136 5555 6666"}
        for o in officials
    ]
    clients = [Client(), Client()]
    for c in clients:
        c.force_login(admin)

    responses = post_together(
        (account_services, "official_update"),
        [(c, url, data) for c, url, data in zip(clients, urls, posted, strict=True)],
    )

    assert sorted(r.status_code for r in responses) == [200, 302]
    loser = next(i for i, r in enumerate(responses) if r.status_code == 200)
    assert ("phone", "phone_taken") in error_codes(form_errors(responses[loser]))
    assert form_errors(client.post(urls[loser], posted[loser])) == form_errors(responses[loser])
    assert User.objects.filter(phone_hash__isnull=False).count() == 1


# --- Brands and their standards -----------------------------------------------------------------------------


def brand_data(name: str) -> dict:
    return {
        "name": name,
        "category": factories.make_category("domestic").pk,
        "occupations": [o.pk for o in factories.make_occupations(2, "domestic")],
        "slogan": "",
        "description": "大别山区的家政服务品牌。",
        "township": "",
    }


def official_client(county: str) -> Client:
    client = Client()
    client.force_login(factories.OfficialFactory(county=factories.make_county(county)))
    return client


def test_two_officials_creating_the_same_brand_at_once(committed_db):
    clients = [official_client("341524"), official_client("341524")]
    url = reverse("brands:brand_create")
    posted = [brand_data("金寨红嫂家政"), brand_data("金寨红嫂家政")]

    responses = post_together(
        (brand_services, "brand_create"), [(c, url, d) for c, d in zip(clients, posted, strict=True)]
    )

    errors = one_saved_one_refused_as_in_sequence(responses, clients[0], url, posted)
    assert error_codes(errors) == {("name", "duplicate_name")}
    assert Brand.objects.count() == 1


def test_brands_of_the_same_name_in_two_counties_at_once_both_get_a_web_address(committed_db):
    clients = [official_client("341524"), official_client("341525")]
    url = reverse("brands:brand_create")

    responses = post_together(
        (brand_services, "brand_create"), [(c, url, brand_data("大别山家政")) for c in clients]
    )

    assert [r.status_code for r in responses] == [302, 302]
    slugs = sorted(Brand.objects.values_list("slug", flat=True))
    assert len(slugs) == 2
    assert slugs[0] == "大别山家政"
    assert slugs[1].startswith("大别山家政-3415")


def test_two_brands_renamed_to_the_same_name_at_once(committed_db):
    client = official_client("341524")
    brands = [
        factories.DraftBrandFactory(name=f"品牌{n}", county=factories.make_county("341524")) for n in (1, 2)
    ]
    urls = [reverse("brands:brand_update", args=[b.pk]) for b in brands]
    clients = [client, official_client("341524")]

    responses = post_together(
        (brand_services, "brand_update"),
        [(c, u, brand_data("金寨茶艺")) for c, u in zip(clients, urls, strict=True)],
    )

    assert sorted(r.status_code for r in responses) == [200, 302]
    loser = next(i for i, r in enumerate(responses) if r.status_code == 200)
    assert error_codes(form_errors(responses[loser])) == {("name", "duplicate_name")}
    assert Brand.objects.filter(name="金寨茶艺").count() == 1


def test_the_same_measured_standard_added_twice_at_once(committed_db):
    client = official_client("341524")
    brand = factories.DraftBrandFactory(county=factories.make_county("341524"))
    url = reverse("brands:standard_create", args=[brand.pk])
    data = {
        "dimension": BrandStandard.Dimension.SKILL,
        "requirement": "培训不少于3个月",
        "measure": "min_training_months",
    }
    posted = [{**data, "target": "3"}, {**data, "target": "4"}]
    clients = [client, official_client("341524")]

    responses = post_together(
        (brand_services, "standard_add"), [(c, url, d) for c, d in zip(clients, posted, strict=True)]
    )

    errors = one_saved_one_refused_as_in_sequence(responses, client, url, posted)
    assert error_codes(errors) == {("measure", "duplicate_measure")}
    assert brand.standards.count() == 1


# --- Employers and partner regions --------------------------------------------------------------------------


def test_two_employers_changing_to_the_same_credit_code_at_once(committed_db):
    staff = [factories.EmployerStaffFactory(), factories.EmployerStaffFactory()]
    companies = [factories.EmployerFactory(staff=[user]) for user in staff]
    clients = [Client(), Client()]
    for client, user in zip(clients, staff, strict=True):
        client.force_login(user)
    url = reverse("jobs:employer_edit")
    posted = [
        {
            "name": company.name,
            "credit_code": SAME_CODE,
            "province": company.province_id,
            "city_name": company.city_name,
            "industry": company.industry,
            "contact_name": company.contact_name,
            "contact_phone": company.contact_phone,
        }
        for company in companies
    ]

    responses = post_together(
        (job_services, "employer_update"), [(c, url, d) for c, d in zip(clients, posted, strict=True)]
    )

    assert sorted(r.status_code for r in responses) == [200, 302]
    loser = next(i for i, r in enumerate(responses) if r.status_code == 200)
    assert error_codes(form_errors(responses[loser])) == {("credit_code", "unique")}
    assert form_errors(clients[loser].post(url, posted[loser])) == form_errors(responses[loser])
    assert Employer.objects.filter(credit_code=SAME_CODE).count() == 1


def test_two_admins_adding_the_same_partner_region_at_once(committed_db):
    clients = [Client(), Client()]
    for client in clients:
        client.force_login(factories.CityAdminFactory())
    url = reverse("jobs:partner_create")
    data = partner_post()

    responses = post_together((job_services, "partner_region_save"), [(c, url, data) for c in clients])

    errors = one_saved_one_refused_as_in_sequence(responses, clients[0], url, [data, data])
    assert error_codes(errors) == {("name", "unique")}
    assert PartnerRegion.objects.count() == 1


# --- Refusals by services: the second is refused as it would be a moment later ------------------------------


def test_two_colleagues_starting_an_admission_application_at_once_start_one(committed_db):
    staff = [factories.InstitutionStaffFactory(), factories.InstitutionStaffFactory()]
    institution = factories.InstitutionFactory(staff=staff)
    fields = {
        "teacher_count": 40,
        "double_qualified_share": 60,
        "senior_title_count": 8,
        "training_space_m2": 3200,
        "equipment": "数控车床 12 台",
        "partner_employers": "安徽合力股份有限公司",
        "placement_rate": 92,
        "occupations": factories.make_occupations(1),
    }

    def starting():
        seen = Institution.objects.get(pk=institution.pk)
        return lambda: application_create(institution=seen, **fields)

    outcomes = at_once(starting, starting)

    assert sorted(outcomes) == ["done", "refused"]
    assert AdmissionApplication.objects.filter(institution=institution).count() == 1


def test_a_double_click_on_apply_makes_one_application(committed_db):
    posting = factories.JobPostingFactory()
    worker = factories.WorkerProfileFactory().user

    def applying():
        return lambda: job_services.application_submit(posting=posting, worker=worker, consent=True)

    outcomes = at_once(applying, applying)

    assert sorted(outcomes) == ["done", "refused"]
    assert Application.objects.filter(posting=posting, worker=worker).count() == 1


def test_both_parties_recording_an_apprentice_at_once_record_one(committed_db):
    employer_staff, institution_staff = factories.EmployerStaffFactory(), factories.InstitutionStaffFactory()
    employer = factories.VerifiedEmployerFactory(staff=[employer_staff])
    institution = factories.QualifiedInstitutionFactory(staff=[institution_staff])
    worker = factories.WorkerFactory()

    def recording(actor):
        def prepare():
            return lambda: job_services.apprenticeship_record(
                actor=actor,
                employer=employer,
                institution=institution,
                worker=worker,
                occupation=institution.occupations.first(),
                target_level=factories.make_level(3),
                start_date=TODAY,
                end_date=TODAY + datetime.timedelta(days=365),
            )

        return prepare

    outcomes = at_once(recording(employer_staff), recording(institution_staff))

    assert sorted(outcomes) == ["done", "refused"]
    assert Apprenticeship.objects.filter(worker=worker).count() == 1


def test_two_invitations_to_the_same_candidate_at_once_send_one(committed_db):
    recommendation = RecommendationFactory()
    staff = factories.EmployerStaffFactory()
    recommendation.posting.employer.staff.add(staff)

    def inviting():
        return lambda: matching_services.invitation_send(recommendation=recommendation, actor=staff)

    outcomes = at_once(inviting, inviting)

    assert sorted(outcomes) == ["done", "refused"]
    assert MatchInvitation.objects.count() == 1


# --- The shared idiom ---------------------------------------------------------------------------------------


def test_a_unique_violation_the_form_does_not_check_lands_on_the_field_of_that_name(db):
    existing = factories.InstitutionFactory()
    form = InstitutionForm(
        {
            "name": "新学校",
            "kind": Institution.Kind.TECHNICAL_SCHOOL,
            "county": existing.county_id,
            "credit_code": factories.make_credit_code(99),
            "contact_name": "周明",
            "contact_phone": "0564-7012345",
        }
    )
    assert form.is_valid()

    def save_taken_code():
        return Institution.objects.create(**{**form.cleaned_data, "credit_code": existing.credit_code})

    assert save_or_form_errors(form, save_taken_code) is None
    assert [e.code for e in form.errors.as_data()["credit_code"]] == ["duplicate"]
    assert Institution.objects.count() == 1


def test_other_integrity_errors_are_not_swallowed(db):
    form = InstitutionForm({})

    def break_a_check_constraint():
        User.objects.create(username="nowhere", role=User.Role.COUNTY_OFFICIAL, county=None)

    with pytest.raises(IntegrityError):
        save_or_form_errors(form, break_a_check_constraint)


def test_violated_columns_names_the_constraint_columns(db):
    existing = factories.InstitutionFactory()
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        Institution.objects.create(
            name=existing.name,
            kind=existing.kind,
            county=existing.county,
            credit_code=factories.make_credit_code(97),
        )

    assert violated_columns(excinfo.value) == {"name"}


def test_violated_columns_reads_sqlite_messages():
    error = IntegrityError("UNIQUE constraint failed: brands_brand.county_id, brands_brand.name")

    assert violated_columns(error) == {"county_id", "name"}
