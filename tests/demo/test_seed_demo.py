"""seed_demo: the ten demo accounts, each able to sign in, the job board's demo content and one match
run, the demo year spread over its months with targets scaled to it (one county behind) and its snapshots;
rerunning changes nothing.

The demo is seeded once for the whole module (about half a minute) inside a transaction that is rolled back
at the end; each test runs in a savepoint of it, as in Django's TestCase.setUpTestData."""

import datetime
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from brands.models import Brand
from demo.targets import BEHIND_COUNTY, BEHIND_METRIC
from jobs import figures
from jobs.matching.permissions import posting_candidates, worker_recommendations
from jobs.matching.runs import latest_run
from jobs.models import Application, DockingFair, Employer, JobPosting, MatchRun
from laborbrand import metrics
from laborbrand.accounts import pii
from laborbrand.accounts.models import Notification, User
from laborbrand.metrics import Period, Scope
from laborbrand.reference.models import County, deadlines
from laborbrand.reference.validators import validate_credit_code
from targets.board import figures_of
from targets.models import Snapshot, Target
from targets.plan import targets_for
from targets.progress import Status, judge
from targets.snapshots import latest
from training.membership import brand_members, certificate_rate, membership_counts
from training.models import Certificate, EthicsSession, Institution

# xdist_group: meant to keep the module's tests on one pytest-xdist worker, which then seeds once (not yet
# honoured: see pyproject.toml's addopts).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded"), pytest.mark.xdist_group("seeded")]

PASSWORD = "Seed#demo2026"
DEMO_ROLES = {
    "city_admin": User.Role.CITY_ADMIN,
    "official_a": User.Role.COUNTY_OFFICIAL,
    "official_b": User.Role.COUNTY_OFFICIAL,
    "leader_a": User.Role.LEADING_GROUP,
    "institution_a": User.Role.INSTITUTION_STAFF,
    "institution_b": User.Role.INSTITUTION_STAFF,
    "employer_a": User.Role.EMPLOYER,
    "employer_b": User.Role.EMPLOYER,
    "worker_a": User.Role.WORKER,
    "worker_b": User.Role.WORKER,
}


def seed(password=PASSWORD):
    out = StringIO()
    call_command("seed_demo", "--password", password, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The first seeding's output; the data lives until the module's tests are done."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield seed()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def snapshot():
    return (
        User.objects.count(),
        Institution.objects.count(),
        Employer.objects.count(),
        Notification.objects.count(),
        sorted(Institution.staff.through.objects.values_list("institution_id", "user_id")),
        sorted(Employer.staff.through.objects.values_list("employer_id", "user_id")),
        JobPosting.objects.count(),
        Application.objects.count(),
        DockingFair.objects.count(),
        list(Target.objects.order_by("metric", "county__code").values_list("metric", "county", "value")),
        sorted(Snapshot.objects.kept().values_list("kind", "year", "month", "taken_at")),
        sorted(EthicsSession.objects.values_list("pk", "held_on")),
        sorted(Application.objects.hired().values_list("pk", "status_changed")),
        sorted(Certificate.objects.values_list("number", "source", "status", "worker_id")),
    )


def test_seed_creates_the_ten_accounts_with_their_roles():
    demo = User.objects.filter(username__in=DEMO_ROLES)
    assert dict(demo.values_list("username", "role")) == DEMO_ROLES


def test_seed_prints_every_account_with_the_password(seeded):
    output = seeded

    for username in DEMO_ROLES:
        assert f"{username} / {PASSWORD}" in output


@pytest.mark.parametrize("username", DEMO_ROLES)
def test_each_demo_account_signs_in_and_lands_on_the_workbench(client, password_login, username):
    assert password_login(username, PASSWORD)
    response = client.get(reverse(settings.LOGIN_REDIRECT_URL))

    assert response.status_code == 200
    assert response.context["user"].username == username


@pytest.mark.parametrize("username", ["city_admin", "worker_a"])
def test_demo_accounts_sign_in_through_the_login_page(client, username):
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})

    assert response.status_code == 302
    assert response.url == reverse(settings.LOGIN_REDIRECT_URL)


def test_demo_worker_signs_in_with_mobile_number(client, password_login):
    assert password_login("13800000001", PASSWORD)


def test_demo_organisations_are_linked_to_their_staff():
    assert User.objects.get(username="institution_a").institutions.get().county.code == "341524"
    assert User.objects.get(username="institution_b").institutions.get().county.code == "341525"
    assert User.objects.get(username="employer_a").employers.count() == 1
    assert User.objects.get(username="employer_b").employers.count() == 1
    assert User.objects.get(username="official_a").county.code == "341524"
    assert User.objects.get(username="official_b").county.code == "341525"


def test_demo_identifiers_pass_the_portals_own_validation():
    for worker in User.objects.filter(role=User.Role.WORKER):
        pii.validate_id_number(worker.id_number)
        # Registered workers agreed to the privacy notice; the records staff lists open (practitioner
        # registers, national certificates of people trained elsewhere) consented to nothing yet: their owners
        # agree when they claim them.
        assert (worker.privacy_consent_at is not None) == worker.registered
    codes = [
        *Institution.objects.values_list("credit_code", flat=True),
        *Employer.objects.values_list("credit_code", flat=True),
    ]
    assert len(codes) == 22  # eight institutions and fourteen employers
    for code in codes:
        validate_credit_code(code)


def test_every_demo_account_gets_a_welcome_notification():
    assert set(Notification.objects.values_list("recipient__username", flat=True)) >= {
        "city_admin",
        "official_a",
        "official_b",
        "worker_a",
        "worker_b",
    }


def test_national_certificates_of_people_trained_elsewhere_make_them_brand_members():
    national = Certificate.objects.exclude(source=Certificate.Source.PORTAL).select_related("institution")
    by_source = {
        (c.source, c.institution.name if c.institution else None, c.recorded_by.username) for c in national
    }
    institution_a = User.objects.get(username="institution_a").institutions.get()

    assert national.count() == 7
    assert by_source == {("recorded", institution_a.name, "institution_a"), ("imported", None, "city_admin")}
    assert all(c.is_valid and not c.worker.registered for c in national)
    members = set().union(*(brand_members(brand) for brand in Brand.objects.public()))
    assert {c.worker for c in national} <= members


def test_rerunning_changes_nothing():
    first = snapshot()

    seed()

    assert snapshot() == first


def test_rerunning_with_another_password_keeps_existing_passwords(password_login):
    seed(password="Other#pass2026")

    assert password_login("city_admin", PASSWORD)


@pytest.mark.parametrize("name", ["金寨红嫂家政", "霍山黄芽茶艺师"])
def test_the_demo_counties_brands_keep_practitioner_registers(name):
    brand = Brand.objects.get(name=name)
    entries = brand.practitioners.all()

    assert entries.count() == 12
    assert entries.removed().count() == 1
    assert entries.active().filter(worker__registered=False).count() == 7
    counts = membership_counts(brand)
    assert counts["registered"] == 11
    # Some were members already (trained or certified); most of the others hold no certificate.
    assert counts["members"] < counts["registered"] + counts["trained"] + counts["certified"]
    assert 0 < certificate_rate(counts) < 100
    months = months_so_far()
    by_month = [
        metrics.get("certificate_holding_rate").figure(Scope.brand(brand), period).denominator
        for period in months
    ]
    assert by_month[-1] > by_month[0] or len(months) == 1  # the register grows over the year


def test_demo_job_board_has_employers_postings_and_applications_in_every_state():
    assert Employer.objects.filter(verified_at__isnull=False).count() >= 10
    assert Employer.objects.filter(verified_at__isnull=True).exists()
    assert Employer.objects.exclude(province__code="340000").filter(verified_at__isnull=False).exists()
    assert JobPosting.objects.count() >= 200
    assert set(JobPosting.objects.values_list("status", flat=True)) == set(JobPosting.Status.values)
    assert JobPosting.objects.public().count() >= 150
    assert set(Application.objects.values_list("status", flat=True)) == set(Application.Status.values)
    worker_a = User.objects.get(username="worker_a")
    statuses = set(worker_a.job_applications.values_list("status", flat=True))
    assert {Application.Status.SUBMITTED, Application.Status.INTERVIEW, Application.Status.HIRED} <= statuses
    assert Application.objects.filter(posting__employer__staff__username="employer_a").count() >= 6
    assert DockingFair.objects.count() == 2
    assert all(figures.fair_hires(fair).exists() for fair in DockingFair.objects.all())
    assert figures.cross_province(Application.objects.hired()).exists()


def test_demo_has_one_match_run_with_recommendations_for_worker_a_and_candidates_for_employer_a():
    run = latest_run()
    assert run is not None and run.status == MatchRun.Status.COMPLETED
    worker_a = User.objects.get(username="worker_a")
    employer_a = User.objects.get(username="employer_a")

    assert worker_recommendations(worker_a).count() >= 5
    candidates = [
        posting_candidates(employer_a, posting).count()
        for posting in JobPosting.objects.public().filter(employer__staff=employer_a)
    ]
    assert sum(candidates) >= 10
    assert Application.objects.filter(recommendation=True, status=Application.Status.HIRED).exists()


# --- The demo year: its months, targets and snapshots ------------------------------------------------------


def months_so_far() -> list[Period]:
    today = timezone.localdate()
    return [
        Period(period.start, min(period.end, today))
        for period in (Period.month(today.year, month) for month in range(1, today.month + 1))
    ]


@pytest.mark.parametrize("key", ["ethics_sessions", "published_news", "placements"])
def test_every_month_of_the_year_so_far_has_records(key):
    metric = metrics.get(key)
    by_month = [metric.figure(Scope.city(), period).value for period in months_so_far()]

    assert all(by_month), by_month


@pytest.mark.parametrize(
    "key", ["trainee_times", "certificates_issued", "apprenticeships_started", "cross_province_placements"]
)
def test_the_years_records_are_spread_over_several_months_up_to_this_one(key):
    metric = metrics.get(key)
    by_month = [metric.figure(Scope.city(), period).value for period in months_so_far()]

    assert sum(1 for value in by_month if value) >= min(3, len(by_month)), by_month
    assert sum(by_month) == metric.figure(Scope.city(), Period.year(timezone.localdate().year)).value


def test_brands_are_selected_and_agreements_filed_before_their_deadlines():
    today = timezone.localdate()
    year = Period(datetime.date(today.year, 1, 1), min(today, deadlines(today.year).filing_deadline))
    for key in ["brands_selected", "agreements_filed_by_deadline"]:
        assert metrics.get(key).figure(Scope.city(), year).value > 0, key


def test_there_is_one_monthly_snapshot_per_month_of_the_year_that_is_over():
    today = timezone.localdate()
    months = Snapshot.objects.monthly().filter(year=today.year).values_list("month", flat=True)

    assert sorted(months) == list(range(1, today.month))
    assert latest(today.year).kind == Snapshot.Kind.CURRENT
    assert latest(today.year).as_of == today


def test_every_metric_has_a_city_target_scaled_to_the_demo():
    year = timezone.localdate().year
    city = dict(Target.objects.filter(year=year, county=None).values_list("metric", "value"))

    assert set(city) == {metric.key for metric in metrics.defined()}
    assert city["trainee_times"] < 1000  # not the real city's 15,000


def statuses(scope: Scope) -> dict[str, Status]:
    snapshot = latest(timezone.localdate().year)
    plan = targets_for(snapshot.year)
    figures = figures_of(snapshot)[(scope.county_id, scope.brand_id)]
    return {
        key: judge(
            metrics.get(key), figure.year_value, plan.get(key, scope), year=plan.year, as_of=snapshot.as_of
        ).status
        for key, figure in figures.items()
    }


def test_the_city_is_on_track_on_every_target():
    assert set(statuses(Scope.city()).values()) <= {Status.ON_TRACK, Status.NO_DATA}


def test_one_county_is_behind_on_one_target_and_the_others_are_on_track():
    behind = {}
    for county in County.objects.all():
        for key, status in statuses(Scope.county(county)).items():
            assert status != Status.NO_TARGET, (county.code, key)
            if status not in (Status.ON_TRACK, Status.NO_DATA):
                behind[(county.code, key)] = status

    assert list(behind) == [(BEHIND_COUNTY, BEHIND_METRIC)]
    assert behind[(BEHIND_COUNTY, BEHIND_METRIC)] in (Status.BEHIND, Status.AT_RISK)


def test_the_leading_group_account_is_a_read_only_member_from_the_finance_bureau():
    leader = User.objects.get(username="leader_a")

    assert leader.role == User.Role.LEADING_GROUP
    assert leader.department == "市财政局"
    assert leader.real_name and leader.county is None
