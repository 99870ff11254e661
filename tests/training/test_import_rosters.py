"""Class rosters from Excel (training/imports/rosters.py, RosterImporter): each row is a walk-in trainee named
by real name and ID number, checked as the walk-in form and service check one (ID number, name of a registered
worker, the programme enrolling or running, a place left); someone unknown gets a worker record without a
sign-in; someone already taking a place is unchanged. The commit writes every row or none, and a second
import of the same sheet writes nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from laborbrand.accounts.models import User
from laborbrand.exceptions import InvalidTransition
from laborbrand.imports.engine import Action, ImportRefused
from tests import factories
from tests.training.import_helpers import counts, only, person, read, refusals, rows, stranger, xlsx
from training.forms.enrollment import RosterRowForm
from training.imports.rosters import ResultsImporter, RosterImporter
from training.models import Enrollment, TrainingProgram
from training.services.enrollment import enrollment_add_named

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

Status = TrainingProgram.Status
EStatus = Enrollment.Status


def importer(program, user=None):
    return RosterImporter(user=user, target=program)


@pytest.fixture
def registered(db):
    return factories.WorkerFactory(real_name="王小明")


def set_status(program, status):
    TrainingProgram.objects.filter(pk=program.pk).update(status=status)
    program.refresh_from_db()


# --- One row at a time: the preview ---------------------------------------------------------------------


def enrolled(status):
    def make(program, registered):
        factories.EnrollmentFactory(program=program, worker=registered, status=status)
        return person(registered)

    return make


def staff_number(program, registered):
    staff = program.institution.staff.get()
    staff.id_number = factories.make_id_number(650_001)
    staff.save()
    return {"real_name": staff.real_name, "id_number": staff.id_number}


ROW_CASES = {
    # name: (row builder, action, the start of the refusal)
    "a registered worker": (lambda p, w: person(w), Action.CREATE, None),
    "a registered worker, name spaced and ID number lower-case": (
        lambda p, w: {"real_name": " 王 小明 ", "id_number": f" {w.id_number.lower()} "},
        Action.CREATE,
        None,
    ),
    "someone unknown": (lambda p, w: stranger(), Action.CREATE, None),
    "already accepted": (enrolled(EStatus.ACCEPTED), Action.UNCHANGED, None),
    "already completed": (enrolled(EStatus.COMPLETED), Action.UNCHANGED, None),
    "applied online": (enrolled(EStatus.APPLIED), Action.REFUSED, "This worker has applied"),
    "withdrawn": (enrolled(EStatus.WITHDRAWN), Action.REFUSED, "This worker's enrolment"),
    "declined": (enrolled(EStatus.DECLINED), Action.REFUSED, "This worker's enrolment"),
    "name of someone else": (
        lambda p, w: person(w, real_name="王大明"),
        Action.REFUSED,
        "姓名: The name does not match",
    ),
    "a staff account's ID number": (
        staff_number,
        Action.REFUSED,
        "身份证号: This ID number belongs to a staff",
    ),
    "ID number too short": (
        lambda p, w: stranger(id_number="34152419900101001"),
        Action.REFUSED,
        "身份证号: An ID number has 18 characters",
    ),
    "ID number mistyped": (
        lambda p, w: stranger(id_number="341524199001010012"),
        Action.REFUSED,
        "身份证号: The last character",
    ),
    "ID number of no region": (
        lambda p, w: stranger(id_number="991524199001010015"),
        Action.REFUSED,
        "身份证号: The first six digits",
    ),
    "ID number with letters": (
        lambda p, w: stranger(id_number="34152419900101A015"),
        Action.REFUSED,
        "身份证号: An ID number is 17 digits",
    ),
    "no ID number": (
        lambda p, w: stranger(id_number=""),
        Action.REFUSED,
        "身份证号: This field is required.",
    ),
    "no name": (lambda p, w: stranger(name="  "), Action.REFUSED, "姓名:"),
    "a name too long": (lambda p, w: stranger(name="张" * 51), Action.REFUSED, "姓名: Ensure"),
}


@pytest.mark.parametrize("case", list(ROW_CASES))
def test_each_row_is_judged_as_the_walk_in_form_judges_it(program_a, registered, case):
    build, action, refusal = ROW_CASES[case]
    values = build(program_a, registered)
    result = only(importer(program_a).validate(rows(values)))
    assert result.action == action, result.errors
    if refusal is None:
        assert result.errors == []
    else:
        assert any(error.startswith(refusal) for error in result.errors), result.errors
    assert Enrollment.objects.filter(status=EStatus.ACCEPTED).count() == (
        1 if case == "already accepted" else 0
    )


@pytest.mark.parametrize("status", [Status.PLANNED, Status.COMPLETED])
def test_no_row_is_taken_while_the_programme_takes_no_walk_ins(program_a, registered, status):
    set_status(program_a, status)
    results = list(importer(program_a).validate(rows(person(registered), stranger())))
    assert counts(results) == {Action.REFUSED: 2}
    for errors in refusals(results).values():
        assert "Trainees can be added only while the programme is enrolling or running." in errors


@pytest.mark.parametrize("status", [Status.ENROLLING, Status.RUNNING])
def test_rows_are_taken_while_the_programme_is_enrolling_or_running(program_a, registered, status):
    set_status(program_a, status)
    assert counts(importer(program_a).validate(rows(person(registered), stranger()))) == {Action.CREATE: 2}


def test_rows_past_the_last_place_are_refused_in_the_sheets_order(program_a, registered):
    TrainingProgram.objects.filter(pk=program_a.pk).update(capacity=3)
    program_a.refresh_from_db()
    factories.EnrollmentFactory(program=program_a, worker=registered, accepted=True)
    factories.EnrollmentFactory(program=program_a)  # an application waiting takes no place
    sheet = rows(stranger("甲"), person(registered), stranger("乙"), stranger("丙"), stranger("丁"))
    results = list(importer(program_a).validate(sheet))
    assert [r.action for r in results] == [
        Action.CREATE,
        Action.UNCHANGED,  # already taking a place: takes no other
        Action.CREATE,
        Action.REFUSED,
        Action.REFUSED,
    ]
    assert refusals(results) == {
        5: ["The programme is full (3 places)."],
        6: ["The programme is full (3 places)."],
    }


def test_the_same_person_twice_in_a_sheet_is_refused_the_second_time(program_a, registered):
    twice = factories.make_id_number_ending_in_x()
    sheet = rows(
        {"real_name": "赵六", "id_number": twice},
        person(registered),
        {"real_name": "赵六", "id_number": twice.lower()},
    )
    results = list(importer(program_a).validate(sheet))
    assert [r.action for r in results] == [Action.CREATE, Action.CREATE, Action.REFUSED]
    assert refusals(results) == {4: ["Row 4 is the same record as row 2 of this file."]}


def test_the_preview_writes_nothing(program_a, registered):
    users = User.objects.count()
    list(importer(program_a).validate(rows(person(registered), stranger())))
    assert not Enrollment.objects.exists()
    assert User.objects.count() == users


# --- The commit -----------------------------------------------------------------------------------------


def test_the_commit_enrols_everyone_and_opens_records_for_the_unknown(program_a, registered):
    unknown = stranger("钱七")
    results = importer(program_a).commit(rows(person(registered), unknown))
    assert counts(results) == {Action.CREATE: 2}

    record = User.objects.by_id_number(unknown["id_number"]).get()
    assert (record.real_name, record.role, record.registered, record.phone, record.has_usable_password()) == (
        "钱七",
        User.Role.WORKER,
        False,
        None,
        False,
    )
    enrollments = {e.worker: e for e in Enrollment.objects.filter(program=program_a)}
    assert set(enrollments) == {registered, record}
    for enrollment in enrollments.values():
        assert (enrollment.status, enrollment.walk_in) == (EStatus.ACCEPTED, True)
    first, second = results
    assert first.written == [(enrollments[registered], True)]
    assert second.written == [(record, True), (enrollments[record], True)]


def test_one_refused_row_writes_nothing_at_all(program_a, registered):
    users = User.objects.count()
    sheet = rows(stranger(), person(registered), person(registered, real_name="别人"))
    with pytest.raises(ImportRefused) as refused:
        importer(program_a).commit(sheet)
    assert refusals(refused.value.results) == {
        4: ["姓名: The name does not match the name registered with this ID number."]
    }
    assert not Enrollment.objects.exists()
    assert User.objects.count() == users


def test_a_full_programme_refuses_the_commit_too(program_a):
    TrainingProgram.objects.filter(pk=program_a.pk).update(capacity=1)
    program_a.refresh_from_db()
    with pytest.raises(ImportRefused):
        importer(program_a).commit(rows(stranger("甲"), stranger("乙")))
    assert not Enrollment.objects.exists()


def test_importing_the_same_sheet_twice_writes_nothing_the_second_time(program_a, registered):
    sheet = xlsx(
        ["姓名", "身份证号"],
        [[registered.real_name, registered.id_number], ["孙八", factories.make_id_number(720_001)]],
    )
    importer(program_a).commit(read(RosterImporter, sheet))
    users, enrollments = User.objects.count(), list(Enrollment.objects.values_list("pk", "status"))

    again = importer(program_a).commit(read(RosterImporter, sheet))
    assert counts(again) == {Action.UNCHANGED: 2}
    assert all(result.written == [] for result in again)
    assert User.objects.count() == users
    assert list(Enrollment.objects.values_list("pk", "status")) == enrollments


def test_an_importer_counts_places_afresh_for_each_pass(program_a):
    TrainingProgram.objects.filter(pk=program_a.pk).update(capacity=2)
    program_a.refresh_from_db()
    sheet = rows(stranger("甲"), stranger("乙"))
    once = importer(program_a)
    assert counts(once.validate(sheet)) == {Action.CREATE: 2}
    assert counts(once.commit(sheet)) == {Action.CREATE: 2}
    assert Enrollment.objects.filter(program=program_a).count() == 2


# --- The sheet ------------------------------------------------------------------------------------------


def test_a_sheet_with_marked_headers_a_phone_column_and_numbers_typed_as_numbers_is_read(
    program_a, registered
):
    number = factories.make_id_number(720_101)
    sheet = xlsx(
        ["序号", "姓名*", "身份证号*", "手机号"],
        [
            [1, registered.real_name, registered.id_number, "13800000000"],
            [2, "周九", number, 13900000000],  # a phone typed as a number
            [None, None, None, None],
        ],
    )
    assert read(RosterImporter, sheet) == [
        (2, {"real_name": registered.real_name, "id_number": registered.id_number}),
        (3, {"real_name": "周九", "id_number": number}),
    ]
    importer(program_a).commit(read(RosterImporter, sheet))
    record = User.objects.by_id_number(number).get()
    assert record.phone is None  # the sheet's phones are not kept
    registered.refresh_from_db()
    assert registered.phone not in ("13800000000", None)


def test_an_id_number_excel_rounded_to_a_number_is_refused_not_imported(program_a):
    # Excel keeps 15 significant digits: an 18-digit ID number typed into a number cell loses its last ones.
    number = "341524199001010015"
    sheet = xlsx(["姓名", "身份证号"], [["吴十", int(number)]])
    (row,) = read(RosterImporter, sheet)
    assert row[1]["id_number"] != number
    assert only(importer(program_a).validate([row])).action == Action.REFUSED


def test_a_formula_in_a_name_is_read_as_its_text_and_kept_as_text(program_a):
    sheet = xlsx(["姓名", "身份证号"], [['=HYPERLINK("x")', factories.make_id_number(720_201)]])
    importer(program_a).commit(read(RosterImporter, sheet))
    assert User.objects.filter(real_name='=HYPERLINK("x")', registered=False).exists()


# --- Who imports into which programme -------------------------------------------------------------------


@pytest.mark.parametrize("importer_class", [RosterImporter, ResultsImporter])
def test_institution_staff_import_into_their_own_programmes_only(
    importer_class, program_a, institution_staff, institution_b_staff
):
    assert importer_class.target_for(institution_staff, program_a.pk) == program_a
    other = factories.TrainingProgramFactory(
        institution=factories.QualifiedInstitutionFactory(), enrolling=True
    )
    for user, target in [(institution_staff, other.pk), (institution_b_staff, program_a.pk)]:
        with pytest.raises(Http404):
            importer_class.target_for(user, target)


@pytest.mark.parametrize("importer_class", [RosterImporter, ResultsImporter])
@pytest.mark.parametrize("persona", ["city_admin", "official_a", "employer", "worker", "leading_member"])
def test_no_one_else_imports_into_a_programme(request, importer_class, program_a, persona):
    with pytest.raises(Http404):
        importer_class.target_for(request.getfixturevalue(persona), program_a.pk)


@pytest.mark.parametrize("importer_class", [RosterImporter, ResultsImporter])
@pytest.mark.parametrize("target_id", [None, 999_999])
def test_a_missing_programme_is_404(importer_class, institution_staff, qualified_institution_a, target_id):
    with pytest.raises(Http404):
        importer_class.target_for(institution_staff, target_id)


def test_the_import_leads_back_to_the_programme(program_a, institution_staff):
    expected = reverse("training:program_detail", args=[program_a.pk])
    assert importer(program_a, institution_staff).back_url() == expected


# --- The service a row is written with ------------------------------------------------------------------


def test_the_named_walk_in_service_opens_a_record_only_for_someone_unknown(program_a, registered):
    enrollment, opened = enrollment_add_named(
        program=program_a, real_name=registered.real_name, id_number=registered.id_number
    )
    assert (enrollment.worker, opened) == (registered, False)
    unknown = stranger("陶五")
    enrollment, opened = enrollment_add_named(program=program_a, **unknown)
    assert (enrollment.worker.real_name, enrollment.worker.registered, opened) == ("陶五", False, True)


def test_the_named_walk_in_service_refuses_another_name_as_a_refused_move(program_a, registered):
    with pytest.raises(InvalidTransition, match="The name does not match"):
        enrollment_add_named(program=program_a, real_name="别人", id_number=registered.id_number)
    assert not Enrollment.objects.exists()


def test_the_named_walk_in_service_opens_no_record_when_the_walk_in_is_refused(program_a):
    set_status(program_a, Status.PLANNED)
    unknown = stranger()
    with pytest.raises(InvalidTransition):
        enrollment_add_named(program=program_a, **unknown)
    assert not User.objects.by_id_number(unknown["id_number"]).exists()


def test_a_place_taken_between_the_check_and_the_write_refuses_the_row_and_opens_no_record(program_a):
    TrainingProgram.objects.filter(pk=program_a.pk).update(capacity=1)
    program_a.refresh_from_db()
    unknown = stranger()
    form = RosterRowForm(data=unknown, program=program_a, places_taken=0)
    assert form.is_valid(), form.errors
    factories.EnrollmentFactory(program=program_a, accepted=True)  # meanwhile, on the programme's page
    with pytest.raises(ValidationError, match=r"The programme is full \(1 place\)\."):
        importer(program_a).write(form.cleaned_data, None)
    assert not User.objects.by_id_number(unknown["id_number"]).exists()
