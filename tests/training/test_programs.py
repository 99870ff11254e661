"""Training programmes: how long a programme runs, its check against the brand's measurable standards
(training months, practical-hours share, minimum level) when it is created or changed, who may run one, the
status flow planned → enrolling → running → completed, the programme forms, who sees which programme, and
the brand figure of trainees trained in the last 12 months."""

import datetime

import pytest
from django.http import Http404
from django.utils import timezone, translation

from brands.figures import Metric, brand_figure
from brands.models import BrandStandard
from laborbrand.exceptions import InvalidTransition
from tests import factories
from training import permissions
from training.forms.enrollment import ResultsForm, WalkInForm
from training.forms.programs import ProgramForm, ProgramSearchForm
from training.models import Enrollment, TrainingProgram
from training.services.programs import program_advance, program_create, program_shortfalls, program_update

pytestmark = pytest.mark.django_db

Status = TrainingProgram.Status
Measure = BrandStandard.Measure
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def first_of_month(day: datetime.date, months_on: int) -> datetime.date:
    year, month = divmod(day.month - 1 + months_on, 12)
    return datetime.date(day.year + year, month + 1, 1)


# Programmes start on the first of the month after next (well inside the window of a year ahead).
START = first_of_month(TODAY, 2)


def month_end(months: int) -> datetime.date:
    """The last day of the `months`-th month from START."""
    return first_of_month(START, months) - DAY


def program_fields(brand, **overrides):
    """What the programme form hands the service: 3 months exactly (1st of a month to the end of the third),
    60% practical hours, level rank 3, no ethics hours."""
    fields = {
        "title": "家政服务员（四级）培训班",
        "brand": brand,
        "occupation": brand.occupations.first(),
        "target_level": factories.make_level(3),
        "theory_hours": 40,
        "ethics_hours": 0,
        "practical_hours": 40,
        "practice_hours": 20,
        "start_date": START,
        "end_date": month_end(3),
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
    program = program_create(institution=qualified_institution_a, **program_fields(measured_brand))
    program.refresh_from_db()
    assert (program.institution, program.brand, program.status, program.months) == (
        qualified_institution_a,
        measured_brand,
        Status.PLANNED,
        3,
    )
    assert program_shortfalls(program) == []


def test_program_exactly_at_every_target_is_saved(qualified_institution_a, measured_brand):
    # 3 months, (30 + 20) / 100 = 50%, level rank 3: each exactly the target.
    fields = program_fields(measured_brand, theory_hours=50, practical_hours=30, practice_hours=20)
    program_create(institution=qualified_institution_a, **fields)
    assert TrainingProgram.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"end_date": month_end(3) - DAY}, "3 months of training; this one runs 2"),
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
        program_create(institution=qualified_institution_a, **program_fields(measured_brand, **overrides))
    assert not TrainingProgram.objects.exists()


def test_every_shortfall_is_listed(qualified_institution_a, measured_brand):
    program = TrainingProgram(
        institution=qualified_institution_a,
        **program_fields(
            measured_brand,
            end_date=month_end(1),
            theory_hours=90,
            practical_hours=10,
            practice_hours=0,
            target_level=factories.make_level(1),
        ),
    )
    assert len(program_shortfalls(program)) == 3


def test_standards_without_a_target_do_not_limit_programmes(qualified_institution_a):
    brand = factories.CultivatingBrandFactory()  # one standard per dimension, none measurable
    fields = program_fields(
        brand,
        end_date=START + DAY,
        theory_hours=100,
        practical_hours=0,
        practice_hours=0,
        target_level=factories.make_level(1),
    )
    program_create(institution=qualified_institution_a, **fields)
    assert TrainingProgram.objects.count() == 1


@pytest.mark.parametrize(("target", "wording"), [(1, "at least 1 hour of"), (2, "at least 2 hours of")])
def test_the_ethics_hours_refusal_counts_in_words(qualified_institution_a, target, wording):
    brand = factories.CultivatingBrandFactory()
    factories.BrandStandardFactory(brand=brand, measure=Measure.MIN_ETHICS_HOURS, target=target)
    with translation.override("en"), pytest.raises(InvalidTransition, match=wording):
        program_create(institution=qualified_institution_a, **program_fields(brand, ethics_hours=0))


@pytest.mark.parametrize(
    ("target", "ethics_hours", "saved"),
    [(20, 0, False), (20, 19, False), (20, 20, True), (20, 40, True), (1, 0, False), (1, 1, True)],
)
def test_the_ethics_hours_standard_is_enforced_like_the_others(
    qualified_institution_a, target, ethics_hours, saved
):
    brand = factories.CultivatingBrandFactory()
    factories.BrandStandardFactory(brand=brand, measure=Measure.MIN_ETHICS_HOURS, target=target)
    fields = program_fields(brand, ethics_hours=ethics_hours)
    if saved:
        program = program_create(institution=qualified_institution_a, **fields)
        assert program_shortfalls(program) == []
    else:
        with (
            translation.override("en"),
            pytest.raises(InvalidTransition, match=r"hours? of professional ethics"),
        ):
            program_create(institution=qualified_institution_a, **fields)
    assert TrainingProgram.objects.count() == int(saved)


def test_an_edit_that_cuts_the_ethics_hours_below_the_standard_is_refused(program_a):
    factories.BrandStandardFactory(brand=program_a.brand, measure=Measure.MIN_ETHICS_HOURS, target=8)
    TrainingProgram.objects.filter(pk=program_a.pk).update(ethics_hours=8)
    with pytest.raises(InvalidTransition):
        program_update(program=program_a, ethics_hours=7)
    program_a.refresh_from_db()
    assert program_a.ethics_hours == 8


@pytest.mark.parametrize(("theory", "ethics", "saved"), [(40, 40, True), (40, 41, False), (0, 1, False)])
def test_ethics_hours_are_part_of_the_theory_hours(
    qualified_institution_a, measured_brand, theory, ethics, saved
):
    fields = program_fields(
        measured_brand, theory_hours=theory, ethics_hours=ethics, practical_hours=60, practice_hours=40
    )
    if saved:
        program_create(institution=qualified_institution_a, **fields)
    else:
        with pytest.raises(InvalidTransition):
            program_create(institution=qualified_institution_a, **fields)
    assert TrainingProgram.objects.count() == int(saved)


@pytest.mark.parametrize("admitted", [[], ["other"], ["other", "brand"]])
def test_programmes_only_for_an_occupation_the_institution_is_admitted_for(measured_brand, admitted):
    """The institution's admitted occupations decide; the brand's occupation must be among them."""
    brand_occupation = measured_brand.occupations.get()
    other = factories.make_occupations(3, category="domestic")[-1]
    institution = factories.QualifiedInstitutionFactory(
        occupations=[{"other": other, "brand": brand_occupation}[name] for name in admitted]
    )
    fields = program_fields(measured_brand)
    if "brand" in admitted:
        program_create(institution=institution, **fields)
        assert TrainingProgram.objects.count() == 1
    else:
        with translation.override("en"), pytest.raises(InvalidTransition, match="not admitted to train"):
            program_create(institution=institution, **fields)
        assert not TrainingProgram.objects.exists()


def test_an_edit_to_an_occupation_the_institution_is_not_admitted_for_is_refused(program_a):
    other = factories.make_occupations(2)[-1]
    program_a.brand.occupations.add(other)
    with pytest.raises(InvalidTransition):
        program_update(program=program_a, occupation=other)
    program_a.refresh_from_db()
    assert program_a.occupation != other


def test_standards_of_another_brand_do_not_apply(qualified_institution_a, measured_brand):
    other = factories.CultivatingBrandFactory(standards=False)
    factories.add_measured_standards(other, months=12)
    program_create(institution=qualified_institution_a, **program_fields(measured_brand))
    assert TrainingProgram.objects.count() == 1


@pytest.mark.parametrize("trait", [None, "suspended", "expired"])
def test_only_a_qualified_institution_can_create_a_program(measured_brand, trait):
    institution = factories.InstitutionFactory(**({trait: True} if trait else {}))
    with pytest.raises(InvalidTransition):
        program_create(institution=institution, **program_fields(measured_brand))
    assert not TrainingProgram.objects.exists()


@pytest.mark.parametrize("status", ["draft", "submitted", "returned", "rejected", "retired"])
def test_programs_only_for_public_brands(qualified_institution_a, status):
    brand = factories.BrandFactory(status=status, standards=False)
    with pytest.raises(InvalidTransition):
        program_create(institution=qualified_institution_a, **program_fields(brand))
    assert not TrainingProgram.objects.exists()


def test_recognised_brand_takes_programs(qualified_institution_a):
    brand = factories.RecognisedBrandFactory()
    program_create(institution=qualified_institution_a, **program_fields(brand))
    assert TrainingProgram.objects.count() == 1


def test_update_that_falls_short_is_refused_and_nothing_changes(program_a):
    before = program_a.end_date
    with pytest.raises(InvalidTransition):
        program_update(program=program_a, end_date=program_a.start_date + datetime.timedelta(days=20))
    program_a.refresh_from_db()
    assert program_a.end_date == before


def test_update_within_the_standards_is_saved(program_a):
    program_update(program=program_a, capacity=35, place="金寨县技工学校")
    program_a.refresh_from_db()
    assert (program_a.capacity, program_a.place) == (35, "金寨县技工学校")


def test_a_completed_program_cannot_be_changed(program_a):
    TrainingProgram.objects.filter(pk=program_a.pk).update(status=Status.COMPLETED)
    with pytest.raises(InvalidTransition):
        program_update(program=program_a, capacity=35)
    program_a.refresh_from_db()
    assert program_a.capacity == 20


def test_a_suspended_institution_cannot_change_its_program(program_a):
    program_a.institution.status = program_a.institution.Status.SUSPENDED
    program_a.institution.save(update_fields=["status"])
    with pytest.raises(InvalidTransition):
        program_update(program=program_a, capacity=35)
    program_a.refresh_from_db()
    assert program_a.capacity == 20


# --- Status ---------------------------------------------------------------------------------------------


def test_program_moves_planned_enrolling_running_completed(
    qualified_institution_a, measured_brand, institution_staff
):
    program = factories.TrainingProgramFactory(
        institution=qualified_institution_a,
        brand=measured_brand,
        start_date=TODAY - 120 * DAY,
        end_date=TODAY,
    )
    for status in (Status.ENROLLING, Status.RUNNING, Status.COMPLETED):
        program_advance(program=program, to=status, actor=institution_staff)
        program.refresh_from_db()
        assert program.status == status
    events = list(program.events.order_by("created", "pk").values_list("old_status", "new_status", "actor"))
    assert events == [
        (Status.PLANNED, Status.ENROLLING, institution_staff.pk),
        (Status.ENROLLING, Status.RUNNING, institution_staff.pk),
        (Status.RUNNING, Status.COMPLETED, institution_staff.pk),
    ]


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
def test_other_status_moves_are_refused(current, to, institution_staff):
    program = factories.TrainingProgramFactory(status=current)
    with pytest.raises(InvalidTransition):
        program_advance(program=program, to=to, actor=institution_staff)
    program.refresh_from_db()
    assert program.status == current
    assert not program.events.exists()


# --- ProgramForm ----------------------------------------------------------------------------------------


def test_program_form_accepts_a_sound_programme(measured_brand, qualified_institution_a):
    form = ProgramForm(form_data(measured_brand), institution=qualified_institution_a)
    assert form.is_valid(), form.errors


def test_program_form_refuses_an_end_before_the_start(measured_brand, qualified_institution_a):
    form = ProgramForm(form_data(measured_brand, end_date=START - DAY), institution=qualified_institution_a)
    assert not form.is_valid()
    assert form.has_error("end_date", "ends_before_start")


def test_program_form_refuses_zero_hours(measured_brand, qualified_institution_a):
    form = ProgramForm(
        form_data(measured_brand, theory_hours=0, practical_hours=0, practice_hours=0),
        institution=qualified_institution_a,
    )
    assert not form.is_valid()
    assert form.has_error("theory_hours", "no_hours")


def test_program_form_refuses_more_ethics_than_theory_hours(measured_brand, qualified_institution_a):
    form = ProgramForm(
        form_data(measured_brand, theory_hours=10, ethics_hours=11), institution=qualified_institution_a
    )
    assert not form.is_valid()
    assert form.has_error("ethics_hours", "more_than_theory")


def test_program_form_refuses_an_occupation_the_brand_does_not_have(measured_brand, qualified_institution_a):
    other = factories.make_occupations(3)[-1]
    qualified_institution_a.occupations.add(other)
    assert other not in measured_brand.occupations.all()
    form = ProgramForm(form_data(measured_brand, occupation=other), institution=qualified_institution_a)
    assert not form.is_valid()
    assert form.has_error("occupation", "not_a_brand_occupation")


def test_program_form_offers_only_the_institutions_admitted_occupations_and_their_brands(measured_brand):
    admitted = factories.make_occupations(2)[-1]
    institution = factories.QualifiedInstitutionFactory(occupations=[admitted])
    other_brand = factories.CultivatingBrandFactory(occupations=[admitted])
    form = ProgramForm(form_data(measured_brand), institution=institution)
    assert list(form.fields["occupation"].queryset) == [admitted]
    assert list(form.fields["brand"].queryset) == [other_brand]
    assert not form.is_valid()
    assert form.has_error("brand", "invalid_choice")
    assert form.has_error("occupation", "invalid_choice")


@pytest.mark.parametrize("status", ["draft", "submitted", "rejected", "retired"])
def test_program_form_offers_only_public_brands(status, qualified_institution_a):
    brand = factories.BrandFactory(status=status, standards=False)
    form = ProgramForm(form_data(brand), institution=qualified_institution_a)
    assert not form.is_valid()
    assert form.has_error("brand", "invalid_choice")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("capacity", 0),
        ("capacity", 501),
        ("theory_hours", -1),
        ("practice_hours", 2001),
        ("ethics_hours", -1),
    ],
)
def test_program_form_refuses_out_of_range_numbers(measured_brand, qualified_institution_a, field, value):
    form = ProgramForm(form_data(measured_brand, **{field: value}), institution=qualified_institution_a)
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


def test_results_form_needs_both_scores_between_0_and_100_for_everyone(program_a):
    enrollments = factories.EnrollmentFactory.create_batch(2, program=program_a, accepted=True)
    a, b = enrollments

    def data(**overrides):
        values = {
            f"theory_{a.pk}": "88.5",
            f"practical_{a.pk}": "60",
            f"theory_{b.pk}": "0",
            f"practical_{b.pk}": "100",
        }
        values.update(overrides)
        return {name: value for name, value in values.items() if value is not None}

    form = ResultsForm(data(), enrollments=enrollments)
    assert form.is_valid(), form.errors
    assert form.results() == {a.pk: (pytest.approx(88.5), 60), b.pk: (0, 100)}

    for field in (f"theory_{a.pk}", f"practical_{b.pk}"):
        for score in ("101", "-1", "100.05", "abc", "", None):
            form = ResultsForm(data(**{field: score}), enrollments=enrollments)
            assert not form.is_valid()
            assert set(form.errors) == {field}


def test_results_form_has_no_pass_or_fail_to_type_in(program_a):
    """The pass follows from the scores (results_record); a typed-in result is ignored."""
    enrollment = factories.EnrollmentFactory(program=program_a, accepted=True)
    form = ResultsForm(
        {
            f"result_{enrollment.pk}": "pass",
            f"theory_{enrollment.pk}": "30",
            f"practical_{enrollment.pk}": "20",
        },
        enrollments=[enrollment],
    )
    assert form.is_valid()
    assert form.results() == {enrollment.pk: (30, 20)}


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

    assert brand_figure(program_a.brand, Metric.TRAINED_PER_YEAR) == 3
    assert Enrollment.objects.completed().count() == 5


def test_brand_figure_for_trainees_comes_from_training_records(program_a):
    factories.EnrollmentFactory(program=program_a, completed=True)
    assert brand_figure(program_a.brand, Metric.TRAINED_PER_YEAR) == 1
