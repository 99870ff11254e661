"""The practitioner import's rules (brands/imports.py) through the engine's own calls: each row checked with
the register form's rules, what it would do (create, update, unchanged, refused with its reasons), a commit
that writes every row or none, a second import of the same rows that changes nothing, and who imports into
what."""

import datetime
import io

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import Workbook

from brands import imports, services
from brands.imports import PractitionerImporter
from brands.models import Brand, Practitioner
from laborbrand.accounts.models import User
from laborbrand.imports.engine import REGISTRY, Action, ImportRefused, open_sheet, sheet_rows
from laborbrand.reference.models import Township
from tests import factories

pytestmark = pytest.mark.django_db

HEADERS = {column.field: column.header for column in PractitionerImporter.columns}


def row(**changes) -> dict[str, str]:
    values = {
        "real_name": "张秀英",
        "id_number": factories.make_id_number(901),
        "contact_phone": "13912345678",
        "occupation": "家政服务员",
        "employer": "金寨县红嫂家政服务有限公司",
        "self_employed": "否",
        "township": "梅山镇",
        "since": "2019-05-01",
    }
    values.update(changes)
    return values


def numbered(*rows):
    return [(number, values) for number, values in enumerate(rows, start=2)]


@pytest.fixture
def importer(official_a, register_brand):
    return PractitionerImporter(user=official_a, target=register_brand)


def actions(importer, rows):
    return [(result.action, result.errors) for result in importer.validate(numbered(*rows))]


# --- What each row would do ------------------------------------------------------------------------------


def test_the_import_is_registered_under_its_key():
    assert REGISTRY["practitioners"] is PractitionerImporter


def test_a_new_person_is_created_and_a_known_one_too(importer, worker):
    rows = [row(), row(real_name=worker.real_name, id_number=worker.id_number)]

    assert actions(importer, rows) == [(Action.CREATE, []), (Action.CREATE, [])]


def test_a_person_on_the_register_is_unchanged_or_updated(importer, register_brand, worker):
    factories.PractitionerFactory(
        brand=register_brand,
        worker=worker,
        occupation=register_brand.occupations.get(name="家政服务员"),
        since=datetime.date(2019, 5, 1),
        township=Township.objects.get(county=register_brand.county, name="梅山镇"),
        contact_phone="13912345678",
    )
    same = row(real_name=worker.real_name, id_number=worker.id_number)

    assert actions(importer, [same]) == [(Action.UNCHANGED, [])]
    for change in (
        {"occupation": "育婴员"},
        {"contact_phone": ""},
        {"township": ""},
        {"since": "2019-05-02"},
        {"self_employed": "是", "employer": ""},
        {"employer": "另一家公司"},
    ):
        fresh = PractitionerImporter(user=importer.user, target=importer.target)
        assert actions(fresh, [{**same, **change}]) == [(Action.UPDATE, [])], change


def test_a_removed_entry_is_not_updated_the_person_is_added_again(importer, register_brand, worker):
    factories.PractitionerFactory(brand=register_brand, worker=worker, removed=True)

    assert actions(importer, [row(real_name=worker.real_name, id_number=worker.id_number)]) == [
        (Action.CREATE, [])
    ]


def _future():
    return (timezone.localdate() + datetime.timedelta(days=1)).isoformat()


BAD_ROWS = [
    ("no name", {"real_name": ""}, "姓名"),
    ("ID number mistyped", {"id_number": factories.make_id_number(901)[:-1] + "0"}, "身份证号"),
    ("ID number rounded by Excel", {"id_number": "3.41524200001019E+17"}, "身份证号"),
    ("too young", {"id_number": factories.make_id_number(3, birth="20150101")}, "身份证号"),
    ("phone not a mobile", {"contact_phone": "0564-123"}, "手机号"),
    ("an occupation of no brand's", {"occupation": "数控车工"}, "工种"),
    ("no occupation", {"occupation": ""}, "工种"),
    ("a township elsewhere", {"township": "衡山镇"}, "乡镇（街道）"),
    ("self-employed neither yes nor no", {"self_employed": "也许"}, "是否个体/自雇"),
    ("self-employed with an employer", {"self_employed": "是"}, "工作单位"),
    ("neither employed nor self-employed", {"employer": "", "self_employed": ""}, "工作单位"),
    ("a date that is none", {"since": "2019-02-30"}, "从业起始日期"),
    ("a date in words", {"since": "去年"}, "从业起始日期"),
    ("a start in the future", {"since": _future()}, "从业起始日期"),
    ("a formula as the name", {"real_name": "=1+1", "id_number": "=A1"}, "身份证号"),
]


@pytest.mark.parametrize(("case", "changes", "header"), BAD_ROWS, ids=[case for case, *_ in BAD_ROWS])
def test_a_bad_row_is_refused_naming_its_column(importer, case, changes, header):
    [(action, errors)] = actions(importer, [row(**changes)])

    assert action == Action.REFUSED
    assert any(error.startswith(f"{header}: ") for error in errors), errors


def test_a_known_number_under_another_name_is_refused_without_the_name(importer, worker):
    [(action, errors)] = actions(importer, [row(real_name="王五", id_number=worker.id_number)])

    assert action == Action.REFUSED
    assert errors and worker.real_name not in " ".join(errors)


def test_a_staff_accounts_number_is_refused(importer):
    staff = factories.InstitutionStaffFactory(real_name="赵老师", id_number=factories.make_id_number(950))

    [(action, errors)] = actions(importer, [row(real_name="赵老师", id_number=staff.id_number)])

    assert action == Action.REFUSED and errors[0].startswith("身份证号: ")


def test_the_same_person_twice_in_a_file_is_refused_the_second_time(importer):
    number = factories.make_id_number_ending_in_x()

    results = list(importer.validate(numbered(row(id_number=number), row(id_number=f" {number.lower()} "))))

    assert [r.action for r in results] == [Action.CREATE, Action.REFUSED]
    assert "2" in results[1].errors[0]


def test_a_blank_self_employed_cell_means_employed_and_dates_as_counties_write_them(importer):
    rows = [
        row(self_employed="", since="2019/5/1"),
        row(id_number=factories.make_id_number(902), since="2019.05.01"),
        row(id_number=factories.make_id_number(903), since="2019年5月1日"),
        row(id_number=factories.make_id_number(904), self_employed="是", employer="", township=""),
    ]

    assert [action for action, _errors in actions(importer, rows)] == [Action.CREATE] * 4


# --- Commit: all or nothing, and twice is once ------------------------------------------------------------


def test_commit_writes_every_row_and_returns_what_it_wrote(importer, register_brand, official_a, worker):
    results = importer.commit(
        numbered(
            row(),
            row(real_name=worker.real_name, id_number=worker.id_number, self_employed="是", employer=""),
        )
    )

    new, known = results
    assert new.action == known.action == Action.CREATE
    opened = User.objects.by_id_number(factories.make_id_number(901)).get()
    entry = Practitioner.objects.get(worker=opened)
    assert new.written == [(opened, True), (entry, True)]
    assert opened.registered is False
    assert known.written == [(Practitioner.objects.get(worker=worker), True)]
    for practitioner in register_brand.practitioners.all():
        assert practitioner.source == Practitioner.Source.IMPORTED
        assert practitioner.created_by == official_a
    assert entry.contact_phone == "13912345678"
    assert entry.township.name == "梅山镇"


def test_one_refused_row_writes_nothing_at_all(importer, register_brand):
    users = User.objects.count()

    with pytest.raises(ImportRefused) as refused:
        importer.commit(numbered(row(), row(id_number=factories.make_id_number(902), occupation="数控车工")))

    assert [r.action for r in refused.value.results] == [Action.CREATE, Action.REFUSED]
    assert not Practitioner.objects.exists()
    assert User.objects.count() == users  # nor the worker record the first row opened


def test_importing_the_same_rows_twice_changes_nothing_the_second_time(official_a, register_brand):
    rows = numbered(row(), row(id_number=factories.make_id_number(902), real_name="李桂芳", contact_phone=""))
    PractitionerImporter(user=official_a, target=register_brand).commit(rows)
    before = (
        list(Practitioner.objects.values_list("pk", "worker_id", "occupation_id", "contact_phone")),
        User.objects.count(),
        Practitioner.history.count(),
    )

    again = PractitionerImporter(user=official_a, target=register_brand)
    assert [r.action for r in again.validate(rows)] == [Action.UNCHANGED, Action.UNCHANGED]
    results = PractitionerImporter(user=official_a, target=register_brand).commit(rows)

    assert [r.written for r in results] == [[], []]
    after = (
        list(Practitioner.objects.values_list("pk", "worker_id", "occupation_id", "contact_phone")),
        User.objects.count(),
        Practitioner.history.count(),
    )
    assert after == before


def test_an_update_keeps_the_entry_and_its_registration(official_a, register_brand, worker):
    entry = factories.PractitionerFactory(brand=register_brand, worker=worker)
    created = entry.created

    [result] = PractitionerImporter(user=official_a, target=register_brand).commit(
        numbered(row(real_name=worker.real_name, id_number=worker.id_number, occupation="育婴员"))
    )

    assert result.action == Action.UPDATE
    assert result.written == [(entry, False)]
    entry.refresh_from_db()
    assert (entry.occupation.name, entry.created, entry.source) == (
        "育婴员",
        created,
        Practitioner.Source.ENTERED,
    )


# --- Reading a real sheet --------------------------------------------------------------------------------


def sheet(*rows, headers=None):
    book = Workbook()
    ws = book.active
    ws.append(
        headers
        or [
            f"{HEADERS[field]}*" if field in {"real_name", "id_number"} else HEADERS[field]
            for field in HEADERS
        ]
    )
    for values in rows:
        ws.append([values[field] for field in HEADERS])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def test_a_sheet_is_read_and_validated_row_by_row(importer):
    file = sheet(row(), row(id_number=factories.make_id_number(902), occupation="数控车工"))

    _book, worksheet = open_sheet(file)
    results = list(
        importer.validate(sheet_rows(worksheet.iter_rows(values_only=True), importer.columns, max_rows=100))
    )

    assert [(r.number, r.action) for r in results] == [(2, Action.CREATE), (3, Action.REFUSED)]


# --- Who imports into what -------------------------------------------------------------------------------


def test_an_official_imports_into_their_countys_brands(official_a, register_brand):
    assert PractitionerImporter.target_for(official_a, register_brand.pk) == register_brand


@pytest.mark.parametrize("who", ["official_b", "city_admin", "institution_staff", "worker", "leading_member"])
def test_nobody_else_imports_into_a_brand(request, register_brand, who):
    with pytest.raises(Http404):
        PractitionerImporter.target_for(request.getfixturevalue(who), register_brand.pk)


@pytest.mark.parametrize("target_id", [None, 0, 2**62])
def test_no_brand_or_a_missing_one_is_404(official_a, target_id):
    with pytest.raises(Http404):
        PractitionerImporter.target_for(official_a, target_id)


def test_a_retired_brand_takes_no_import(official_a, register_brand):
    Brand.objects.filter(pk=register_brand.pk).update(status=Brand.Status.RETIRED)

    with pytest.raises(Http404):
        PractitionerImporter.target_for(official_a, register_brand.pk)


def test_the_templates_drop_downs_are_the_brands_occupations_and_the_countys_townships(
    importer, register_brand
):
    choices = {column.field: importer.column_choices(column) for column in importer.columns}

    assert choices["occupation"] == sorted(["家政服务员", "育婴员"])
    assert choices["township"] == sorted(
        Township.objects.filter(county=register_brand.county).values_list("name", flat=True)
    )
    assert tuple(choices["self_employed"]) == ("是", "否")
    assert choices["real_name"] is None
    assert {c.field for c in importer.columns if c.text} == {"id_number", "contact_phone"}
    assert importer.back_url().endswith(f"/manage/{register_brand.pk}/practitioners/")
    assert register_brand.name in importer.target_label()


# --- A thousand rows at a time ---------------------------------------------------------------------------


def many(count, start=1000):
    return numbered(
        *(row(id_number=factories.make_id_number(start + n), real_name=f"张{n}") for n in range(count))
    )


def test_rows_are_read_ahead_and_written_a_chunk_at_a_time(monkeypatch, official_a, register_brand, worker):
    monkeypatch.setattr(imports, "CHUNK", 2)
    rows = [*many(4), (6, row(real_name=worker.real_name, id_number=worker.id_number))]

    results = PractitionerImporter(user=official_a, target=register_brand).commit(rows)

    assert [r.action for r in results] == [Action.CREATE] * 5
    assert register_brand.practitioners.active().count() == 5
    assert all(obj.pk for result in results for obj, _created in result.written)
    assert User.objects.filter(registered=False).count() == 4
    assert Practitioner.history.count() == 5
    assert User.history.filter(registered=False).count() == 4


def test_new_rows_cost_no_queries_of_their_own(official_a, register_brand):
    def commit_counting(rows):
        with CaptureQueriesContext(connection) as queries:
            PractitionerImporter(user=official_a, target=register_brand).commit(rows)
        return len(queries)

    few = commit_counting(many(10))
    more = commit_counting(many(40, start=2000))

    assert more <= few  # the first import also reads the brand's occupations for the checks


def test_someone_adding_a_person_meanwhile_turns_the_row_into_an_update(
    monkeypatch, official_a, register_brand
):
    rows = many(3)
    save = services.practitioners_save

    def someone_else_first(**kwargs):
        services.practitioner_add(
            brand=register_brand,
            actor=official_a,
            real_name="张1",
            id_number=factories.make_id_number(1001),
            occupation=register_brand.occupations.get(name="育婴员"),
            since=datetime.date(2020, 1, 1),
            self_employed=True,
        )
        return save(**kwargs)

    monkeypatch.setattr(services, "practitioners_save", someone_else_first)

    results = PractitionerImporter(user=official_a, target=register_brand).commit(rows)

    assert register_brand.practitioners.active().count() == 3
    assert User.objects.filter(registered=False).count() == 3
    entry = Practitioner.objects.get(worker__real_name="张1")
    assert entry.occupation.name == "家政服务员"  # the row's, written over what was added meanwhile
    assert results[1].written == [(entry, False)]
    assert [len(results[0].written), len(results[2].written)] == [2, 2]
