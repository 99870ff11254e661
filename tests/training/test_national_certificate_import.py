"""The import of national certificates from Excel, through the engine's Importer directly: who imports into
what, each row judged by the record form's rules (a table of good and bad rows), what a row does to a
certificate already recorded, all-or-nothing commits, and importing the same rows twice changing nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import override

from laborbrand.accounts.models import Notification, User
from laborbrand.imports.engine import REGISTRY, Action, ImportRefused
from tests import factories
from tests.factories.training import NationalCertificateFactory
from tests.training.national_certificate_helpers import BODY, ID_NUMBER, LAST_YEAR, NAME, NUMBER, OTHER_NUMBER
from training.imports.certificates import NationalCertificateImporter
from training.models import Certificate

pytestmark = pytest.mark.django_db

Source, Status = Certificate.Source, Certificate.Status


def row(**overrides) -> dict[str, str]:
    """A sheet row as the engine reads it (every cell as text)."""
    values = {
        "number": NUMBER,
        "real_name": NAME,
        "id_number": ID_NUMBER,
        "occupation": factories.make_occupations(1)[0].name,
        "level": "三级/高级工",
        "evaluation_body": BODY,
        "issued_on": LAST_YEAR.isoformat(),
    }
    values.update(overrides)
    return values


def numbered(*rows) -> list[tuple[int, dict]]:
    return list(enumerate(rows, start=2))


@pytest.fixture
def institution_import(institution_staff, qualified_institution_a):
    return NationalCertificateImporter(user=institution_staff, target=qualified_institution_a)


@pytest.fixture
def city_import(city_admin):
    return NationalCertificateImporter(user=city_admin, target=None)


def validate(importer, *rows):
    with override("en"):
        return list(importer.validate(numbered(*rows)))


# --- Who imports into what ------------------------------------------------------------------------------


def test_the_import_is_registered_under_its_key():
    assert REGISTRY["national_certificates"] is NationalCertificateImporter


def test_its_columns_have_the_fixed_chinese_headers_and_drop_downs():
    columns = {column.field: column for column in NationalCertificateImporter.columns}
    assert [c.header for c in NationalCertificateImporter.columns] == [
        "证书编号",
        "姓名",
        "身份证号",
        "职业（工种）",
        "等级",
        "评价机构",
        "发证日期",
    ]
    assert columns["number"].text and columns["id_number"].text
    assert factories.make_occupations(1)[0].name in columns["occupation"].choices()
    assert columns["level"].choices() == [
        "五级/初级工",
        "四级/中级工",
        "三级/高级工",
        "二级/技师",
        "一级/高级技师",
    ]


def test_a_city_admin_imports_the_city_bureaus_list(city_admin):
    assert NationalCertificateImporter.target_for(city_admin, None) is None


def test_institution_staff_import_into_their_own_institution(institution_staff, qualified_institution_a):
    assert NationalCertificateImporter.target_for(institution_staff, qualified_institution_a.pk) == (
        qualified_institution_a
    )


@pytest.mark.parametrize(
    ("persona", "target"),
    [
        ("institution_staff", "institution_b"),  # another institution
        ("institution_staff", None),  # staff never import the city bureau's list
        ("institution_staff", 99_999_999),
        ("city_admin", "institution_a"),  # a city admin imports for the city bureau only
        ("official_a", None),
        ("official_a", "institution_a"),
        ("employer", None),
        ("worker", "institution_a"),
    ],
)
def test_anyone_else_gets_404(request, qualified_institution_a, institution_b_staff, persona, target):
    ids = {
        "institution_a": qualified_institution_a.pk,
        "institution_b": institution_b_staff.institutions.get().pk,
    }
    with pytest.raises(Http404):
        NationalCertificateImporter.target_for(request.getfixturevalue(persona), ids.get(target, target))


def test_an_institution_that_is_not_qualified_may_not_import(institution_staff, institution_a):
    with pytest.raises(PermissionDenied):
        NationalCertificateImporter.target_for(institution_staff, institution_a.pk)


# --- Each row by the record form's rules ----------------------------------------------------------------

BAD_ROWS = [
    ({"number": ""}, "证书编号: This field is required."),
    ({"number": "LA202600000121"}, "证书编号: Numbers starting with LA and a digit are the portal's own"),
    ({"number": "S0000/3400"}, "证书编号: A certificate number has only letters and digits"),
    ({"number": "S12"}, "证书编号: A certificate number has 6 to 30 characters; this one has 3."),
    ({"real_name": ""}, "姓名: This field is required."),
    ({"id_number": "34152419880312004"}, "身份证号: An ID number has 18 characters; this one has 17."),
    ({"id_number": ID_NUMBER[:-1] + "9"}, "身份证号: The last character of the ID number does not match"),
    ({"occupation": "火箭工程师"}, "职业（工种）: Choose an occupation from the template's drop-down list."),
    ({"occupation": "1"}, "职业（工种）: Choose an occupation from the template's drop-down list."),
    ({"level": "六级"}, "等级: Choose one of the five levels from the template's drop-down list"),
    ({"level": ""}, "等级: This field is required."),
    ({"evaluation_body": " "}, "评价机构: "),
    ({"issued_on": "2999-01-01"}, "发证日期: The date cannot be in the future."),
    ({"issued_on": "1998-05-01"}, "发证日期: Enter a date from 2000-01-01 on"),
    ({"issued_on": "2024-13-01"}, "发证日期: Enter a valid date."),
    ({"issued_on": "=TODAY()"}, "发证日期: Enter a valid date."),
]


@pytest.mark.parametrize(("overrides", "error"), BAD_ROWS)
def test_a_bad_row_is_refused_naming_its_column(institution_import, overrides, error):
    (result,) = validate(institution_import, row(**overrides))
    assert result.action == Action.REFUSED
    assert any(message.startswith(error) for message in result.errors), result.errors


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"number": "s0000-3400-0001-2323-00012"},
        {"level": "三级"},
        {"level": "高级工"},
        {"level": "三级 / 高级工"},
        {"issued_on": LAST_YEAR.strftime("%Y/%m/%d")},
        {"issued_on": f"{LAST_YEAR.year}年{LAST_YEAR.month}月{LAST_YEAR.day}日"},
        {"id_number": ID_NUMBER.lower()},
        {"real_name": " 王秀兰 "},
    ],
)
def test_a_good_row_would_create_a_certificate(institution_import, overrides):
    (result,) = validate(institution_import, row(**overrides))
    assert (result.action, result.errors) == (Action.CREATE, [])


def test_a_name_that_does_not_match_the_id_number_is_refused(institution_import, worker):
    (result,) = validate(institution_import, row(real_name="李四", id_number=worker.id_number))
    assert result.errors == ["姓名: The name does not match the name registered with this ID number."]


def test_a_second_row_with_the_same_number_is_refused(institution_import):
    results = validate(institution_import, row(), row(real_name="王秀兰"))
    assert [r.action for r in results] == [Action.CREATE, Action.REFUSED]
    assert results[1].errors == ["Row 3 is the same record as row 2 of this file."]


# --- A number recorded already ----------------------------------------------------------------------------


@pytest.fixture
def recorded(qualified_institution_a, worker):
    """worker's national certificate NUMBER, recorded by institution_a as row() prints it."""
    return NationalCertificateFactory(
        number=NUMBER,
        worker=worker,
        institution=qualified_institution_a,
        occupation=factories.make_occupations(1)[0],
        level=factories.make_level(3),
        issued_on=LAST_YEAR,
        evaluation_body=BODY,
    )


def holders_row(worker, **overrides):
    return row(real_name=worker.real_name, id_number=worker.id_number, **overrides)


def test_the_same_certificate_again_is_unchanged(institution_import, recorded, worker):
    (result,) = validate(institution_import, holders_row(worker))
    assert (result.action, result.errors) == (Action.UNCHANGED, [])


def test_other_printed_facts_update_ones_own_certificate(institution_import, recorded, worker):
    (result,) = validate(
        institution_import, holders_row(worker, level="四级/中级工", evaluation_body="安徽省认定中心")
    )
    assert result.action == Action.UPDATE

    institution_import.commit(
        numbered(holders_row(worker, level="四级/中级工", evaluation_body="安徽省认定中心"))
    )

    recorded.refresh_from_db()
    assert (recorded.level.rank, recorded.evaluation_body, recorded.source) == (
        2,
        "安徽省认定中心",
        Source.RECORDED,
    )
    assert recorded.history.count() == 2


def test_the_number_of_another_persons_certificate_is_refused_without_saying_whose(
    institution_import, recorded
):
    (result,) = validate(institution_import, row())
    assert result.action == Action.REFUSED
    assert result.errors == ["证书编号: This certificate number is already recorded for another person."]
    assert recorded.worker.real_name not in " ".join(result.errors)


def test_another_institutions_certificate_is_left_alone_when_the_same_and_refused_otherwise(recorded, worker):
    staff = factories.InstitutionStaffFactory()
    other = NationalCertificateImporter(
        user=staff, target=factories.QualifiedInstitutionFactory(staff=[staff])
    )

    (same,) = validate(other, holders_row(worker))
    (changed,) = validate(other, holders_row(worker, level="二级/技师"))

    assert (same.action, changed.action) == (Action.UNCHANGED, Action.REFUSED)
    assert changed.errors == [
        "证书编号: This certificate was recorded by someone else with other details; ask them or the city "
        "bureau to correct it."
    ]


def test_a_city_admin_corrects_any_recorded_certificate(city_import, recorded, worker):
    (result,) = validate(city_import, holders_row(worker, level="二级/技师"))
    assert result.action == Action.UPDATE


def test_a_revoked_certificate_is_not_changed_by_a_list(institution_import, recorded, worker, city_admin):
    recorded.status, recorded.revoked_at, recorded.revoked_by = (
        Status.REVOKED,
        recorded.recorded_at,
        city_admin,
    )
    recorded.save()

    unchanged, changed = validate(
        institution_import, holders_row(worker), holders_row(worker, number=OTHER_NUMBER)
    )
    assert unchanged.action == Action.UNCHANGED
    assert (
        changed.action == Action.CREATE
    )  # a new certificate for the same qualification, as the first is revoked
    (refused,) = validate(institution_import, holders_row(worker, level="二级/技师"))
    assert refused.action == Action.REFUSED
    assert "is revoked on the portal" in refused.errors[0]


def test_a_second_valid_certificate_for_the_same_qualification_is_refused(
    institution_import, recorded, worker
):
    (result,) = validate(institution_import, holders_row(worker, number=OTHER_NUMBER))
    assert result.action == Action.REFUSED
    assert "already holds a valid certificate" in result.errors[0]


# --- Committing -----------------------------------------------------------------------------------------


def test_committing_opens_records_without_sign_in_and_tells_no_one(
    institution_import, qualified_institution_a, worker
):
    results = institution_import.commit(
        numbered(row(), holders_row(worker, number=OTHER_NUMBER, occupation="铣工", level="四级"))
    )

    new_person = User.objects.by_id_number(ID_NUMBER).get()
    assert new_person.registered is False
    first, second = (Certificate.objects.get(number=n) for n in (NUMBER, OTHER_NUMBER))
    assert results[0].written == [(new_person, True), (first, True)]
    assert results[1].written == [(second, True)]
    assert (second.worker, second.source, second.institution) == (
        worker,
        Source.IMPORTED,
        qualified_institution_a,
    )
    assert second.occupation.name == "铣工" and second.level.rank == 2
    assert not Notification.objects.exists()


def test_importing_the_same_rows_twice_changes_nothing_the_second_time(city_import, worker):
    rows = numbered(row(), holders_row(worker, number=OTHER_NUMBER))
    city_import.commit(rows)
    before = (
        User.objects.count(),
        list(Certificate.objects.values_list("pk", "number", "worker", "level", "issued_on")),
    )

    again = city_import.commit(rows)

    assert [r.action for r in again] == [Action.UNCHANGED, Action.UNCHANGED]
    assert all(r.written == [] for r in again)
    after = (
        User.objects.count(),
        list(Certificate.objects.values_list("pk", "number", "worker", "level", "issued_on")),
    )
    assert after == before
    assert all(c.institution is None for c in Certificate.objects.all())


def test_one_refused_row_writes_nothing_at_all(city_import, worker):
    users = User.objects.count()

    with override("en"), pytest.raises(ImportRefused) as refused:
        city_import.commit(numbered(row(), holders_row(worker, number=OTHER_NUMBER, issued_on="2999-01-01")))

    assert [r.action for r in refused.value.results] == [Action.CREATE, Action.REFUSED]
    assert not Certificate.objects.exists()
    assert User.objects.count() == users


def test_two_rows_for_one_persons_qualification_commit_nothing(city_import):
    """The preview cannot see the first row written; the commit, writing in order, refuses the second."""
    rows = numbered(row(), row(number=OTHER_NUMBER))
    assert [r.action for r in validate(city_import, *[values for _n, values in rows])] == [Action.CREATE] * 2

    with override("en"), pytest.raises(ImportRefused) as refused:
        city_import.commit(rows)

    assert "already holds a valid certificate" in refused.value.results[1].errors[0]
    assert not Certificate.objects.exists()
    assert not User.objects.by_id_number(ID_NUMBER).exists()


def test_an_institutions_list_replaces_its_own_portal_certificates(
    institution_import, qualified_institution_a, worker
):
    portal = factories.CertificateFactory(
        assessment__institution=qualified_institution_a, assessment__worker=worker
    )

    (result,) = institution_import.commit(
        numbered(holders_row(worker, occupation=portal.occupation.name, level=str(portal.level)))
    )

    national = Certificate.objects.get(number=NUMBER)
    portal.refresh_from_db()
    assert (national.replaces, portal.status) == (portal, Status.REPLACED)
    assert national.source == Source.IMPORTED
    # The replaced certificate is written as changed, so undoing the import puts it back.
    assert result.written == [(portal, False), (national, True)]


def test_a_refusal_at_the_last_moment_refuses_the_row_as_a_form_error_would(city_import, worker):
    """A number recorded by someone else between the row's check and its write: the engine refuses a row
    whose write raises ValidationError."""
    (_number, values), *_ = numbered(holders_row(worker))
    form = city_import.form_class(data=values, **city_import.form_kwargs())
    assert form.is_valid(), form.errors
    NationalCertificateFactory(number=NUMBER)

    with override("en"), pytest.raises(ValidationError, match="already recorded on the portal"):
        city_import.write(form.cleaned_data, None)
    assert Certificate.objects.filter(worker=worker).count() == 0


def test_correcting_a_recorded_certificate_onto_an_own_portal_certificates_qualification_is_refused(
    institution_import, qualified_institution_a, recorded, worker
):
    portal = factories.CertificateFactory(
        assessment__institution=qualified_institution_a,
        assessment__worker=worker,
        assessment__level=factories.make_level(4),
    )

    (result,) = validate(institution_import, holders_row(worker, level=str(portal.level)))

    assert result.action == Action.REFUSED
    assert "already holds a valid certificate" in result.errors[0]
