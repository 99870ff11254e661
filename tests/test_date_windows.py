"""Every date a user types has a window (laborbrand/dates.py): nothing before the portal's records could
exist (RECORDS_START) and nothing absurdly far ahead. Checked four ways, field by field: the validator
itself, the inventory of date fields (a new date field without a window fails here), each form, and each
service a caller can reach without a form — a refused date writes nothing."""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import models
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import capfirst

from jobs import services as job_services
from jobs.forms.apprenticeships import ApprenticeshipForm
from jobs.forms.cooperation import DockingFairForm, PartnerRegionForm
from jobs.forms.postings import PostingForm
from jobs.models import Apprenticeship, DockingFair, JobPosting, PartnerRegion
from laborbrand.dates import RECORDS_START, DateWindow, add_years, windows_of
from laborbrand.exceptions import InvalidTransition
from laborbrand.reference.models import Province
from tests import factories
from tests.jobs.factories_coop import PartnerRegionFactory
from training.forms.admission import ReviewForm
from training.forms.agreements import AgreementForm
from training.forms.certificates import AssessmentForm
from training.forms.ethics import EthicsSessionForm
from training.forms.programs import ProgramForm
from training.models import (
    AdmissionApplication,
    ApplicationReview,
    Assessment,
    EthicsSession,
    Institution,
    PartnerAgreement,
    TrainingProgram,
)
from training.services.admission import application_decide
from training.services.agreements import agreement_record
from training.services.certificates import assessment_record
from training.services.ethics import ethics_session_create
from training.services.programs import program_create

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
WINDOW_CODES = {"too_early", "future", "too_late"}


def latest(years: int) -> datetime.date:
    return add_years(TODAY, years)


def too_late(years: int) -> datetime.date:
    return latest(years) + DAY


# Dates before the portal's records: the issue's examples (year 1, 1900) and the day before RECORDS_START.
TOO_EARLY = [datetime.date(1, 1, 1), datetime.date(1900, 1, 1), RECORDS_START - DAY]


# --- The validator ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("years_ahead", "value", "code"),
    [
        (0, datetime.date(1, 1, 1), "too_early"),
        (0, datetime.date(1900, 1, 1), "too_early"),
        (0, RECORDS_START - DAY, "too_early"),
        (0, RECORDS_START, None),
        (0, TODAY, None),
        (0, TODAY + DAY, "future"),
        (0, datetime.date(9999, 12, 31), "future"),
        (1, RECORDS_START - DAY, "too_early"),
        (1, TODAY + DAY, None),
        (1, latest(1), None),
        (1, too_late(1), "too_late"),
        (4, latest(4), None),
        (4, too_late(4), "too_late"),
        (5, too_late(5), "too_late"),
    ],
)
def test_a_date_window_refuses_dates_before_the_records_and_too_far_ahead(years_ahead, value, code):
    window = DateWindow(years_ahead=years_ahead)
    if code is None:
        window(value)
    else:
        with pytest.raises(Exception) as refused:
            window(value)
        assert refused.value.code == code


@pytest.mark.parametrize(
    ("day", "years", "expected"),
    [
        (datetime.date(2026, 3, 1), 1, datetime.date(2027, 3, 1)),
        (datetime.date(2028, 2, 29), 1, datetime.date(2029, 2, 28)),
        (datetime.date(2028, 2, 29), 4, datetime.date(2032, 2, 29)),
        (datetime.date(2026, 12, 31), 0, datetime.date(2026, 12, 31)),
    ],
)
def test_years_are_added_to_the_calendar_day(day, years, expected):
    assert add_years(day, years) == expected


def test_the_messages_say_what_is_allowed():
    with translation.override("en"):
        for value, message in (
            (datetime.date(1900, 1, 1), "Enter a date from 2000-01-01 on"),
            (too_late(1), f"on or before {latest(1).isoformat()}"),
        ):
            with pytest.raises(Exception, match=message):
                DateWindow(years_ahead=1)(value)


# --- Every date field has its window ------------------------------------------------------------------------

# How many years ahead each date a user types may lie (0: not in the future). The window's start is
# RECORDS_START for every field.
WINDOWS = {
    ("training", "Institution", "qualified_until"): 5,
    ("training", "ApplicationReview", "qualified_until"): 5,
    ("training", "PartnerAgreement", "signed_on"): 0,
    ("training", "PartnerAgreement", "filed_on"): 0,
    ("training", "TrainingProgram", "start_date"): 1,
    ("training", "TrainingProgram", "end_date"): 4,
    ("training", "EthicsSession", "held_on"): 1,
    ("training", "Assessment", "assessed_on"): 0,
    ("jobs", "Apprenticeship", "start_date"): 1,
    ("jobs", "Apprenticeship", "end_date"): 4,
    ("jobs", "JobPosting", "open_until"): 1,
    ("jobs", "PartnerRegion", "signed_on"): 0,
    ("jobs", "DockingFair", "held_on"): 1,
}
# Dates the portal sets itself, never typed: a certificate is issued on its assessment's date, a run scores
# as of the day it starts.
SET_BY_THE_PORTAL = {
    ("training", "Certificate", "issued_on"),
    ("jobs", "MatchRun", "scoring_date"),
    ("targets", "Snapshot", "as_of"),  # the last day a snapshot counts: today or a month's last day
}
# A year's deadlines, typed by city admins for a year of 2000–2100 (the URL's range): each must fall
# in its own year (ProgrammeYear.clean and the targets form, tests/targets/test_plan.py).
IN_THEIR_YEAR = {
    ("reference", "ProgrammeYear", "selection_deadline"),
    ("reference", "ProgrammeYear", "filing_deadline"),
}

# A person's own dates, bounded by the person: the day a practitioner started in the trade may lie decades
# before the portal's records, never in the future nor before the birth date in their ID number
# (brands/forms.py PractitionerForm, tests/brands/test_practitioner_*.py).
BOUNDED_BY_THE_PERSON = {("brands", "Practitioner", "since")}


def date_fields():
    for model in apps.get_models():
        if model.__name__.startswith("Historical"):
            continue
        for field in model._meta.concrete_fields:
            if type(field) is models.DateField:
                yield (model._meta.app_label, model.__name__, field.name), field


def test_every_date_field_is_windowed_or_set_by_the_portal():
    fields = dict(date_fields())
    assert set(fields) == set(WINDOWS) | SET_BY_THE_PORTAL | IN_THEIR_YEAR | BOUNDED_BY_THE_PERSON
    for key, years in WINDOWS.items():
        assert windows_of(fields[key]) == [DateWindow(years_ahead=years)], key


# --- Forms --------------------------------------------------------------------------------------------------


@pytest.fixture
def parties(db):
    official = factories.OfficialFactory(county=factories.make_county("341524"))
    staff = factories.InstitutionStaffFactory()
    institution = factories.QualifiedInstitutionFactory(staff=[staff])
    employer_staff = factories.EmployerStaffFactory()
    employer = factories.VerifiedEmployerFactory(staff=[employer_staff])
    return {
        "official": official,
        "city_admin": factories.CityAdminFactory(),
        "staff": staff,
        "institution": institution,
        "employer": employer,
        "employer_staff": employer_staff,
        "application": factories.AdmissionApplicationFactory(under_review=True),
    }


FORMS = {
    "review": lambda p, data: ReviewForm(data),
    "agreement": lambda p, data: AgreementForm(data, county=p["official"].county),
    "programme": lambda p, data: ProgramForm(data, institution=p["institution"]),
    "ethics": lambda p, data: EthicsSessionForm(data, user=p["city_admin"]),
    "assessment": lambda p, data: AssessmentForm(data, institution=p["institution"]),
    "posting": lambda p, data: PostingForm(data, creating=True),
    "partner": lambda p, data: PartnerRegionForm(data),
    "fair": lambda p, data: DockingFairForm(data),
    "apprenticeship": lambda p, data: ApprenticeshipForm(data, employer=p["employer"]),
}
# (form, field, years ahead, the code a date before the records gets: the posting form's own rule that a new
# posting's date is not in the past comes first)
FORM_FIELDS = [
    ("review", "qualified_until", 5, "past"),
    ("agreement", "signed_on", 0, "too_early"),
    ("agreement", "filed_on", 0, "too_early"),
    ("programme", "start_date", 1, "too_early"),
    ("programme", "end_date", 4, "too_early"),
    ("ethics", "held_on", 1, "too_early"),
    ("assessment", "assessed_on", 0, "too_early"),
    ("posting", "open_until", 1, "open_until_past"),
    ("partner", "signed_on", 0, "too_early"),
    ("fair", "held_on", 1, "too_early"),
    ("apprenticeship", "start_date", 1, "too_early"),
    ("apprenticeship", "end_date", 4, "too_early"),
]


def bind(parties, form, field, value):
    # Only the date is given: the window is checked on its own, whatever else the form misses.
    data = QueryDict(mutable=True)
    data[field] = value.isoformat()
    if form == "review":
        data["decision"] = "approve"
    return FORMS[form](parties, data)


@pytest.mark.parametrize("value", TOO_EARLY, ids=["year-1", "1900", "day-before-records"])
@pytest.mark.parametrize(("form", "field", "years", "early_code"), FORM_FIELDS)
def test_each_form_refuses_a_date_before_the_records(parties, form, field, years, early_code, value):
    bound = bind(parties, form, field, value)
    assert not bound.is_valid()
    assert bound.has_error(field, early_code), bound.errors.get(field)


@pytest.mark.parametrize(("form", "field", "years", "early_code"), FORM_FIELDS)
def test_each_form_refuses_a_date_too_far_ahead(parties, form, field, years, early_code):
    bound = bind(parties, form, field, too_late(years))
    assert not bound.is_valid()
    assert bound.has_error(field, "future" if years == 0 else "too_late"), bound.errors.get(field)


@pytest.mark.parametrize(("form", "field", "years", "early_code"), FORM_FIELDS)
def test_each_form_takes_the_last_day_of_its_window_and_offers_the_window_to_the_date_picker(
    parties, form, field, years, early_code
):
    bound = bind(parties, form, field, latest(years))
    bound.is_valid()
    assert not any(bound.has_error(field, code) for code in WINDOW_CODES), bound.errors.get(field)
    attrs = bound.fields[field].widget.attrs
    assert (attrs["min"], attrs["max"]) == (RECORDS_START.isoformat(), latest(years).isoformat())


def test_the_issues_example_an_ethics_session_in_year_1_is_refused_on_the_page(client, city_admin):
    brand = factories.CultivatingBrandFactory()
    client.force_login(city_admin)
    response = client.post(
        reverse("training:ethics_create"),
        {
            "held_on": "0001-01-01",
            "topic": "职业道德与诚信服务",
            "speaker": "张师傅",
            "speaker_title": "全国劳动模范",
            "place": "金寨县人社局报告厅",
            "hours": "2",
            "brands": [brand.pk],
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "Enter a date from 2000-01-01 on: the portal keeps no records from before then." in (
        response.content.decode()
    )
    assert not EthicsSession.objects.exists()


# --- Services called directly -------------------------------------------------------------------------------


def programme(p, field, value):
    start = value if field == "start_date" else TODAY + 30 * DAY
    end = value if field == "end_date" else start + 90 * DAY
    brand = factories.CultivatingBrandFactory()
    program_create(
        institution=p["institution"],
        brand=brand,
        occupation=brand.occupations.get(),
        target_level=factories.make_level(3),
        title="数控车工培训班",
        theory_hours=40,
        ethics_hours=0,
        practical_hours=40,
        practice_hours=20,
        start_date=start,
        end_date=end,
        capacity=20,
        place="金寨县实训基地",
    )


def agreement(p, field, value):
    dates = {"signed_on": TODAY, "filed_on": TODAY, field: value}
    agreement_record(
        actor=p["official"],
        institution=p["institution"],
        brands=[factories.CultivatingBrandFactory(county=p["official"].county)],
        document=factories.pdf_file(),
        **dates,
    )


def ethics(p, field, value):
    ethics_session_create(
        actor=p["city_admin"],
        brands=[factories.CultivatingBrandFactory()],
        held_on=value,
        topic="职业道德",
        speaker="张师傅",
        speaker_title="劳动模范",
        place="报告厅",
        hours=Decimal(2),
    )


def assessment(p, field, value):
    assessment_record(
        institution=p["institution"],
        actor=p["staff"],
        worker=factories.WorkerFactory(),
        occupation=p["institution"].occupations.first(),
        level=factories.make_level(3),
        assessed_on=value,
        theory_score=Decimal(80),
        practical_score=Decimal(80),
    )


def approval(p, field, value):
    application_decide(
        application=p["application"],
        actor=p["city_admin"],
        decision="approve",
        reason="符合要求",
        faculty_verdict="meets",
        facilities_verdict="meets",
        employment_verdict="meets",
        qualified_until=value,
    )


def apprenticeship(p, field, value):
    start = value if field == "start_date" else TODAY
    end = value if field == "end_date" else start + 365 * DAY
    job_services.apprenticeship_record(
        actor=p["employer_staff"],
        employer=p["employer"],
        institution=p["institution"],
        worker=factories.WorkerFactory(),
        occupation=p["institution"].occupations.first(),
        target_level=factories.make_level(3),
        start_date=start,
        end_date=end,
    )


def posting(p, field, value):
    built = factories.JobPostingFactory.build(employer=p["employer"])
    fields = ["title", "occupation", "min_level", "brand", "headcount", "salary_min", "salary_max"]
    fields += ["province", "city_name", "county", "description"]
    job_services.posting_create(
        employer=p["employer"],
        actor=p["employer_staff"],
        open_until=value,
        **{name: getattr(built, name) for name in fields},
    )


def partner_region(p, field, value):
    job_services.partner_region_save(
        actor=p["city_admin"],
        name="苏州工业园区",
        province=Province.objects.get(code="320000"),
        agreement="劳务协作协议",
        signed_on=value,
        target_placements=300,
        active=True,
    )


def fair(p, field, value):
    job_services.docking_fair_save(
        actor=p["city_admin"],
        employers=[p["employer"]],
        postings=[],
        title="长三角对接会",
        held_on=value,
        place="六安市人力资源市场",
        partner=PartnerRegionFactory(),
        attendance=None,
    )


# (service, the model and field the date ends up in, years ahead, what a refusal must leave as it was)
SERVICE_FIELDS = [
    (programme, TrainingProgram, "start_date", 1, lambda: TrainingProgram.objects.count()),
    (programme, TrainingProgram, "end_date", 4, lambda: TrainingProgram.objects.count()),
    (agreement, PartnerAgreement, "signed_on", 0, lambda: PartnerAgreement.objects.count()),
    (agreement, PartnerAgreement, "filed_on", 0, lambda: PartnerAgreement.objects.count()),
    (ethics, EthicsSession, "held_on", 1, lambda: EthicsSession.objects.count()),
    (assessment, Assessment, "assessed_on", 0, lambda: Assessment.objects.count()),
    (
        approval,
        ApplicationReview,
        "qualified_until",
        5,
        lambda: (
            list(AdmissionApplication.objects.values_list("status", flat=True)),
            ApplicationReview.objects.count(),
            Institution.objects.filter(status=Institution.Status.QUALIFIED).count(),
        ),
    ),
    (apprenticeship, Apprenticeship, "start_date", 1, lambda: Apprenticeship.objects.count()),
    (apprenticeship, Apprenticeship, "end_date", 4, lambda: Apprenticeship.objects.count()),
    (posting, JobPosting, "open_until", 1, lambda: JobPosting.objects.count()),
    (partner_region, PartnerRegion, "signed_on", 0, lambda: PartnerRegion.objects.count()),
    (fair, DockingFair, "held_on", 1, lambda: DockingFair.objects.count()),
]
SERVICE_IDS = [f"{service.__name__}-{field}" for service, _model, field, *_ in SERVICE_FIELDS]


@pytest.mark.parametrize("when", ["year-1", "1900", "day-before-records", "past-the-window"])
@pytest.mark.parametrize(("service", "model", "field", "years", "state"), SERVICE_FIELDS, ids=SERVICE_IDS)
def test_each_service_refuses_a_date_outside_its_window_and_writes_nothing(
    parties, service, model, field, years, state, when
):
    value = dict(zip(["year-1", "1900", "day-before-records"], TOO_EARLY, strict=True)).get(when)
    value = value or too_late(years)
    before = state()
    with translation.override("en"):
        with pytest.raises(InvalidTransition) as refused:
            service(parties, field, value)
        label = f"{capfirst(model._meta.get_field(field).verbose_name)}: "
    assert state() == before
    if service is approval and when != "past-the-window":
        # An approval's own rule comes first: the admission must run until a day in the future.
        label = "An approval needs a qualification end date in the future"
    assert str(refused.value).startswith(label), str(refused.value)


@pytest.mark.parametrize(("service", "model", "field", "years", "state"), SERVICE_FIELDS, ids=SERVICE_IDS)
def test_each_service_takes_the_last_day_of_its_window(parties, service, model, field, years, state):
    before = state()
    service(parties, field, latest(years))
    assert state() != before
