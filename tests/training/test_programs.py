"""Training programmes: how long a programme runs, its check against the brand's measurable standards
(training months, practical-hours share, minimum level) when it is created or changed, who may run one, the
status flow planned → enrolling → running → completed, the programme forms, who sees which programme, and
the brand figure of trainees trained in the last 12 months."""

import datetime

import pytest
from django.http import Http404
from django.utils import timezone, translation

from brands.figures import Metric
from brands.models import BrandStandard
from tests import factories
from training import figures, permissions, services
from training.forms import ProgramForm, ProgramSearchForm, ResultsForm, WalkInForm
from training.models import Enrollment, TrainingProgram
from training.services import InvalidTransition

pytestmark = pytest.mark.django_db

Status = TrainingProgram.Status
Measure = BrandStandard.Measure
TODAY = timezone.localdate()
START = TODAY + datetime.timedelta(days=30)


def program_fields(brand, **overrides):
    """What the programme form hands the service: 3 months exactly (1st of a month to the end of the third),
    60% practical hours, level rank 3."""
    start = datetime.date(TODAY.year + 1, 3, 1)
    fields = {
        "title": "家政服务员（四级）培训班",
        "brand": brand,
        "occupation": brand.occupations.first(),
        "target_level": factories.make_level(3),
        "theory_hours": 40,
        "practical_hours": 40,
        "practice_hours": 20,
        "start_date": start,
        "end_date": datetime.date(start.year, 5, 31),
        "capacity": 30,
        "place": "金寨县梅山镇实训基地",
    }
    fields.update(overrides)
    return fields


def form_data(brand, **overrides):
    data = program_fields(brand, **overrides)
    for name, value in data.items():
        if hasattr(value, "pk"):
            data[name] = value.pk
        elif isinstance(value, datetime.date):
            data[name] = value.isoformat()
    return data


# --- Months ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        ("2026-03-01", "2026-05-31", 3),
        ("2026-03-01", "2026-05-30", 2),
        ("2026-03-15", "2026-06-14", 3),
        ("2026-03-15", "2026-06-13", 2),
        ("2026-01-31", "2026-02-27", 0),
        ("2026-01-01", "2026-01-31", 1),
        ("2026-11-01", "2027-02-28", 4),
        ("2026-03-01", "2026-03-01", 0),
    ],
)
def test_months_counts_whole_months_from_start_to_end_inclusive(start, end, months):
    program = TrainingProgram(
        start_date=datetime.date.fromisoformat(start), end_date=datetime.date.fromisoformat(end)
    )
    assert program.months == months


def test_practical_share_counts_practical_and_practice_hours():
    program = TrainingProgram(theory_hours=40, practical_hours=40, practice_hours=20)
    assert (program.total_hours, program.practical_share) == (100, 60.0)
    assert TrainingProgram(theory_hours=0, practical_hours=0, practice_hours=0).practical_share == 0.0


# --- Creating and changing: the brand's measurable standards --------------------------------------------


def test_program_meeting_the_standards_is_saved(qualified_institution_a, measured_brand):
    program = services.program_create(institution=qualified_institution_a, **program_fields(measured_brand))
    program.refresh_from_db()
    assert (program.institution, program.brand, program.status, program.months) == (
        qualified_institution_a,
        measured_brand,
        Status.PLANNED,
        3,
    )
    assert services.program_shortfalls(program) == []


def test_program_exactly_at_every_target_is_saved(qualified_institution_a, measured_brand):
    # 3 months, (30 + 20) / 100 = 50%, level rank 3: each exactly the target.
    fields = program_fields(measured_brand, theory_hours=50, practical_hours=30, practice_hours=20)
    services.program_create(institution=qualified_institution_a, **fields)
    assert TrainingProgram.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"end_date": datetime.date(TODAY.year + 1, 5, 30)}, "3 months of training; this one runs 2"),
        ({"theory_hours": 60, "practical_hours": 30, "practice_hours": 10}, "at least 50% practical hours"),
        ({"theory_hours": 51, "practical_hours": 30, "practice_hours": 19}, "this one has 49%"),
        ({"target_level": 2}, "training to 三级/高级工 or above"),
    ],
    ids=["too-short", "too-little-practice", "just-under-share", "level-too-low"],
)
def test_program_short_of_a_standard_is_refused_with_the_reason(
    qualified_institution_a, measured_brand, overrides, reason
):
    if "target_level" in overrides:
        overrides["target_level"] = factories.make_level(overrides["target_level"])
    with translation.override("en"), pytest.raises(InvalidTransition, match=reason):
        services.program_create(
            institution=qualified_institution_a, **program_fields(measured_brand, **overrides)
        )
    assert not TrainingProgram.objects.exists()


def test_every_shortfall_is_listed(qualified_institution_a, measured_brand):
    program = TrainingProgram(
        institution=qualified_institution_a,
        **program_fields(
            measured_brand,
            end_date=datetime.date(TODAY.year + 1, 3, 31),
            theory_hours=90,
            practical_hours=10,
            practice_hours=0,
            target_level=factories.make_level(1),
        ),
    )
    assert len(services.program_shortfalls(program)) == 3


def test_standards_without_a_target_and_ethics_hours_do_not_limit_programmes(qualified_institution_a):
    brand = factories.CultivatingBrandFactory()  # one standard per dimension, none measurable
    factories.BrandStandardFactory(brand=brand, measure=Measure.MIN_ETHICS_HOURS, target=20)
    fields = program_fields(
        brand,
        end_date=datetime.date(TODAY.year + 1, 3, 2),
        theory_hours=100,
        practical_hours=0,
        practice_hours=0,
        target_level=factories.make_level(1),
    )
    services.program_create(institution=qualified_institution_a, **fields)
    assert TrainingProgram.objects.count() == 1


def test_standards_of_another_brand_do_not_apply(qualified_institution_a, measured_brand):
    other = factories.CultivatingBrandFactory(standards=False)
    factories.add_measured_standards(other, months=12)
    services.program_create(institution=qualified_institution_a, **program_fields(measured_brand))
    assert TrainingProgram.objects.count() == 1


@pytest.mark.parametrize("trait", [None, "suspended", "expired"])
def test_only_a_qualified_institution_can_create_a_program(measured_brand, trait):
    institution = factories.InstitutionFactory(**({trait: True} if trait else {}))
    with pytest.raises(InvalidTransition):
        services.program_create(institution=institution, **program_fields(measured_brand))
    assert not TrainingProgram.objects.exists()


@pytest.mark.parametrize("status", ["draft", "submitted", "returned", "rejected", "retired"])
def test_programs_only_for_public_brands(qualified_institution_a, status):
    brand = factories.BrandFactory(status=status, standards=False)
    with pytest.raises(InvalidTransition):
        services.program_create(institution=qualified_institution_a, **program_fields(brand))
    assert not TrainingProgram.objects.exists()


def test_recognised_brand_takes_programs(qualified_institution_a):
    brand = factories.RecognisedBrandFactory()
    services.program_create(institution=qualified_institution_a, **program_fields(brand))
    assert TrainingProgram.objects.count() == 1


def test_update_that_falls_short_is_refused_and_nothing_changes(program_a):
    before = program_a.end_date
    with pytest.raises(InvalidTransition):
        services.program_update(
            program=program_a, end_date=program_a.start_date + datetime.timedelta(days=20)
        )
    program_a.refresh_from_db()
    assert program_a.end_date == before


def test_update_within_the_standards_is_saved(program_a):
    services.program_update(program=program_a, capacity=35, place="金寨县技工学校")
    program_a.refresh_from_db()
    assert (program_a.capacity, program_a.place) == (35, "金寨县技工学校")


def test_a_completed_program_cannot_be_changed(program_a):
    TrainingProgram.objects.filter(pk=program_a.pk).update(status=Status.COMPLETED)
    with pytest.raises(InvalidTransition):
        services.program_update(program=program_a, capacity=35)
    program_a.refresh_from_db()
    assert program_a.capacity == 20


def test_a_suspended_institution_cannot_change_its_program(program_a):
    program_a.institution.status = program_a.institution.Status.SUSPENDED
    program_a.institution.save(update_fields=["status"])
    with pytest.raises(InvalidTransition):
        services.program_update(program=program_a, capacity=35)
    program_a.refresh_from_db()
    assert program_a.capacity == 20


# --- Status ---------------------------------------------------------------------------------------------


def test_program_moves_planned_enrolling_running_completed(qualified_institution_a, measured_brand):
    program = factories.TrainingProgramFactory(institution=qualified_institution_a, brand=measured_brand)
    for status in (Status.ENROLLING, Status.RUNNING, Status.COMPLETED):
        services.program_advance(program=program, to=status)
        program.refresh_from_db()
        assert program.status == status


@pytest.mark.parametrize(
    ("current", "to"),
    [
        (Status.PLANNED, Status.RUNNING),
        (Status.PLANNED, Status.COMPLETED),
        (Status.PLANNED, Status.PLANNED),
        (Status.ENROLLING, Status.PLANNED),
        (Status.ENROLLING, Status.COMPLETED),
        (Status.RUNNING, Status.ENROLLING),
        (Status.RUNNING, Status.PLANNED),
        (Status.COMPLETED, Status.RUNNING),
        (Status.COMPLETED, Status.PLANNED),
    ],
)
def test_other_status_moves_are_refused(current, to):
    program = factories.TrainingProgramFactory(status=current)
    with pytest.raises(InvalidTransition):
        services.program_advance(program=program, to=to)
    program.refresh_from_db()
    assert program.status == current


# --- ProgramForm ----------------------------------------------------------------------------------------


def test_program_form_accepts_a_sound_programme(measured_brand):
    form = ProgramForm(form_data(measured_brand))
    assert form.is_valid(), form.errors


def test_program_form_refuses_an_end_before_the_start(measured_brand):
    form = ProgramForm(form_data(measured_brand, end_date=datetime.date(TODAY.year + 1, 2, 28)))
    assert not form.is_valid()
    assert form.has_error("end_date", "ends_before_start")


def test_program_form_refuses_zero_hours(measured_brand):
    form = ProgramForm(form_data(measured_brand, theory_hours=0, practical_hours=0, practice_hours=0))
    assert not form.is_valid()
    assert form.has_error("theory_hours", "no_hours")


def test_program_form_refuses_an_occupation_the_brand_does_not_have(measured_brand):
    other = factories.make_occupations(3)[-1]
    assert other not in measured_brand.occupations.all()
    form = ProgramForm(form_data(measured_brand, occupation=other))
    assert not form.is_valid()
    assert form.has_error("occupation", "not_a_brand_occupation")


@pytest.mark.parametrize("status", ["draft", "submitted", "rejected", "retired"])
def test_program_form_offers_only_public_brands(status):
    brand = factories.BrandFactory(status=status, standards=False)
    form = ProgramForm(form_data(brand))
    assert not form.is_valid()
    assert form.has_error("brand", "invalid_choice")


@pytest.mark.parametrize(
    ("field", "value"), [("capacity", 0), ("capacity", 501), ("theory_hours", -1), ("practice_hours", 2001)]
)
def test_program_form_refuses_out_of_range_numbers(measured_brand, field, value):
    form = ProgramForm(form_data(measured_brand, **{field: value}))
    assert not form.is_valid()
    assert field in form.errors


# --- Search, walk-in and results forms ------------------------------------------------------------------


def test_search_form_refuses_a_brand_that_is_not_public():
    draft = factories.DraftBrandFactory()
    form = ProgramSearchForm({"brand": draft.pk})
    assert not form.is_valid()
    assert "brand" in form.errors


@pytest.mark.parametrize("by", ["id_number", "phone", "id_number_lower_x"])
def test_walk_in_form_finds_the_worker_by_id_or_mobile(by):
    worker = factories.WorkerFactory(id_number=factories.make_id_number_ending_in_x())
    value = {
        "id_number": worker.id_number,
        "phone": worker.phone,
        "id_number_lower_x": worker.id_number.lower(),
    }[by]
    form = WalkInForm({"identifier": f" {value} "})
    assert form.is_valid(), form.errors
    assert form.worker == worker


@pytest.mark.parametrize("who", ["unknown", "inactive", "staff"])
def test_walk_in_form_refuses_anyone_but_an_active_worker(who, institution_staff):
    worker = factories.WorkerFactory()
    if who == "inactive":
        worker.is_active = False
        worker.save(update_fields=["is_active"])
        identifier = worker.phone
    elif who == "staff":
        institution_staff.phone = "13900009999"
        institution_staff.save()
        identifier = "13900009999"
    else:
        identifier = "13811112222"
    form = WalkInForm({"identifier": identifier})
    assert not form.is_valid()
    assert form.has_error("identifier", "not_found")


def test_results_form_needs_a_result_and_a_score_between_0_and_100_for_everyone(program_a):
    enrollments = factories.EnrollmentFactory.create_batch(2, program=program_a, accepted=True)
    a, b = enrollments
    form = ResultsForm(
        {f"result_{a.pk}": "pass", f"score_{a.pk}": "88.5", f"result_{b.pk}": "fail", f"score_{b.pk}": "0"},
        enrollments=enrollments,
    )
    assert form.is_valid(), form.errors
    assert form.results() == {a.pk: (True, pytest.approx(88.5)), b.pk: (False, 0)}

    for score in ("101", "-1", "100.05", "abc"):
        form = ResultsForm(
            {
                f"result_{a.pk}": "pass",
                f"score_{a.pk}": score,
                f"result_{b.pk}": "fail",
                f"score_{b.pk}": "50",
            },
            enrollments=enrollments,
        )
        assert not form.is_valid()
        assert f"score_{a.pk}" in form.errors
    form = ResultsForm({f"result_{a.pk}": "pass", f"score_{a.pk}": "90"}, enrollments=enrollments)
    assert not form.is_valid()
    assert {f"result_{b.pk}", f"score_{b.pk}"} <= set(form.errors)
    form = ResultsForm(
        {f"result_{a.pk}": "maybe", f"score_{a.pk}": "90", f"result_{b.pk}": "fail", f"score_{b.pk}": "50"},
        enrollments=enrollments,
    )
    assert not form.is_valid()
    assert f"result_{a.pk}" in form.errors


# --- Who sees which programme ---------------------------------------------------------------------------


def test_institution_staff_see_only_their_own_programs(program_a, institution_staff, institution_b_staff):
    other = factories.TrainingProgramFactory(institution=institution_b_staff.institutions.get())
    assert list(permissions.visible_programs(institution_staff)) == [program_a]
    assert list(permissions.visible_programs(institution_b_staff)) == [other]
    assert permissions.get_program_for(institution_staff, program_a.pk) == program_a
    with pytest.raises(Http404):
        permissions.get_program_for(institution_b_staff, program_a.pk)


def test_city_admin_oversees_all_programs(program_a, city_admin):
    other = factories.TrainingProgramFactory()
    assert set(permissions.visible_programs(city_admin)) == {program_a, other}


def test_other_roles_and_anonymous_see_no_programs_to_manage(program_a, official_a, employer, worker):
    from django.contrib.auth.models import AnonymousUser

    for user in (official_a, employer, worker, AnonymousUser()):
        assert not permissions.visible_programs(user).exists()
    for user in (official_a, employer, worker):
        with pytest.raises(Http404):
            permissions.get_program_for(user, program_a.pk)


def test_only_the_programs_institution_reaches_its_enrolments(
    program_a, institution_staff, institution_b_staff, city_admin, worker
):
    enrollment = factories.EnrollmentFactory(program=program_a, worker=worker)
    assert permissions.get_enrollment_for_institution(institution_staff, enrollment.pk) == enrollment
    for user in (institution_b_staff, city_admin, worker):
        with pytest.raises(Http404):
            permissions.get_enrollment_for_institution(user, enrollment.pk)


def test_a_worker_reaches_only_their_own_enrolments(program_a, worker):
    own = factories.EnrollmentFactory(program=program_a, worker=worker)
    other = factories.EnrollmentFactory(program=program_a)
    assert permissions.get_own_enrollment(worker, own.pk) == own
    with pytest.raises(Http404):
        permissions.get_own_enrollment(worker, other.pk)


def test_listed_programs_are_enrolling_or_running_of_public_brands():
    enrolling = factories.TrainingProgramFactory(enrolling=True)
    running = factories.TrainingProgramFactory(running=True, brand=factories.RecognisedBrandFactory())
    factories.TrainingProgramFactory()  # planned
    factories.TrainingProgramFactory(completed=True)
    retired = factories.TrainingProgramFactory(enrolling=True)
    retired.brand.status = "retired"
    retired.brand.save(update_fields=["status"])
    assert set(TrainingProgram.objects.listed()) == {enrolling, running}


# --- Brand figure ---------------------------------------------------------------------------------------


def test_trained_last_12_months_counts_completed_enrolments_of_the_brands_programs(program_a):
    now = timezone.now()
    other_program = factories.TrainingProgramFactory(brand=program_a.brand, completed=True)
    factories.EnrollmentFactory.create_batch(2, program=program_a, completed=True)
    days = datetime.timedelta(days=1)
    factories.EnrollmentFactory(program=other_program, completed=True, completed_at=now - 300 * days)
    # Not counted: completed over a year ago, not completed, another brand's programme.
    factories.EnrollmentFactory(program=other_program, completed=True, completed_at=now - 400 * days)
    factories.EnrollmentFactory(program=program_a, accepted=True)
    factories.EnrollmentFactory(program=program_a)
    factories.EnrollmentFactory(completed=True)

    assert figures.trained_last_12_months(program_a.brand) == 3
    assert Enrollment.objects.completed().count() == 5


def test_brand_figure_for_trainees_comes_from_training_records(program_a):
    from brands.figures import brand_figure

    factories.EnrollmentFactory(program=program_a, completed=True)
    assert brand_figure(program_a.brand, Metric.TRAINED_PER_YEAR) == 1
