"""Who may reach which programme page (other institutions get 404, other roles 403, visitors are sent to
log in), the public search of enrolling and running programmes with its filters, and a fixed number of
queries on list pages."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tests.training.program_views_helpers import TODAY, EStatus, Status, logged_in, url
from training.models import Enrollment, TrainingProgram

pytestmark = pytest.mark.django_db


def query_count(client, path, params=None):
    with CaptureQueriesContext(connection) as context:
        response = client.get(path, params or {})
    assert response.status_code == 200
    return len(context)


# --- Access ---------------------------------------------------------------------------------------------


def management_requests(program, enrollment):
    return [
        ("get", url("program_detail", program.pk), {}),
        ("get", url("program_update", program.pk), {}),
        ("post", url("program_update", program.pk), {"title": "x"}),
        ("post", url("program_start", program.pk), {}),
        ("post", url("enrollment_walk_in", program.pk), {"identifier": enrollment.worker.phone}),
        ("get", url("program_results", program.pk), {}),
        ("post", url("program_results", program.pk), {}),
        ("post", url("program_complete_early", program.pk), {"reason": "提前结业"}),
        ("post", url("enrollment_accept", enrollment.pk), {}),
        ("post", url("enrollment_decline", enrollment.pk), {}),
    ]


def test_institution_b_gets_404_on_institution_as_programmes(client, institution_b_staff, program_a):
    enrollment = factories.EnrollmentFactory(program=program_a)
    logged_in(client, institution_b_staff)
    for method, path, data in management_requests(program_a, enrollment):
        assert getattr(client, method)(path, data).status_code == 404, path
    program_a.refresh_from_db()
    enrollment.refresh_from_db()
    assert (program_a.status, program_a.title, enrollment.status) == (
        Status.ENROLLING,
        "金寨家政培训班",
        EStatus.APPLIED,
    )
    assert program_a not in client.get(url("program_list")).context["page_obj"].object_list


@pytest.mark.parametrize("persona", ["official_a", "employer", "worker"])
def test_other_roles_get_403_on_management_pages(client, request, program_a, persona):
    enrollment = factories.EnrollmentFactory(program=program_a)
    logged_in(client, request.getfixturevalue(persona))
    requests = [("get", url("program_list"), {}), ("get", url("program_create"), {})]
    for method, path, data in requests + management_requests(program_a, enrollment):
        assert getattr(client, method)(path, data).status_code == 403, path
    enrollment.refresh_from_db()
    assert enrollment.status == EStatus.APPLIED


@pytest.mark.parametrize("persona", ["city_admin", "official_a", "employer", "institution_staff"])
def test_only_workers_have_my_training(client, request, program_a, persona):
    enrollment = factories.EnrollmentFactory(program=program_a)
    logged_in(client, request.getfixturevalue(persona))
    assert client.get(url("my_training")).status_code == 403
    assert client.post(url("enrollment_withdraw", enrollment.pk)).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in_except_on_the_search(client, program_a):
    enrollment = factories.EnrollmentFactory(program=program_a)
    login = reverse("login")
    requests = [
        ("get", url("program_list"), {}),
        ("get", url("program_create"), {}),
        ("get", url("my_training"), {}),
        ("post", url("enrollment_apply", program_a.pk), {}),
        ("post", url("enrollment_withdraw", enrollment.pk), {}),
    ]
    for method, path, data in requests + management_requests(program_a, enrollment):
        response = getattr(client, method)(path, data)
        assert response.status_code == 302, path
        assert response.url.startswith(login), path
    assert client.get(url("program_search")).status_code == 200
    assert Enrollment.objects.count() == 1


# --- Public search --------------------------------------------------------------------------------------


def listed(response):
    return list(response.context["page_obj"].object_list)


def test_search_lists_only_enrolling_and_running_programmes_of_public_brands(client, program_a):
    running = factories.TrainingProgramFactory(running=True, brand=factories.RecognisedBrandFactory())
    factories.TrainingProgramFactory(title="计划中")
    factories.TrainingProgramFactory(completed=True, title="已结束")
    retired = factories.TrainingProgramFactory(enrolling=True, title="退出品牌")
    retired.brand.status = "retired"
    retired.brand.save(update_fields=["status"])
    response = client.get(url("program_search"))
    assert response.status_code == 200
    assert set(listed(response)) == {program_a, running}
    content = response.content.decode()
    assert "计划中" not in content and "已结束" not in content and "退出品牌" not in content


def test_search_links_each_programme_to_its_page_and_marks_where_the_worker_applied(
    worker_client, worker, program_a
):
    other = factories.TrainingProgramFactory(enrolling=True)
    factories.EnrollmentFactory(program=other, worker=worker)
    content = worker_client.get(url("program_search")).content.decode()
    assert url("program_public_detail", program_a.pk) in content
    assert url("program_public_detail", other.pk) in content
    # Enrolling happens on the programme's page, never in one tap from the list.
    assert url("enrollment_apply", program_a.pk) not in content
    assert content.count(url("my_training")) >= 2  # the header link and the "applied" mark


def test_search_filters(client, program_a):
    other_county = factories.make_county("341525")
    b_brand = factories.CultivatingBrandFactory(
        county=other_county, occupations=factories.make_occupations(2)[1:]
    )
    later = factories.TrainingProgramFactory(
        enrolling=True,
        brand=b_brand,
        target_level=factories.make_level(4),
        start_date=program_a.start_date + datetime.timedelta(days=60),
    )
    for params, expected in (
        ({}, {program_a, later}),
        ({"brand": program_a.brand.pk}, {program_a}),
        ({"brand": b_brand.pk}, {later}),
        ({"occupation": later.occupation.pk}, {later}),
        ({"occupation": program_a.occupation.pk}, {program_a}),
        ({"county": other_county.pk}, {later}),
        ({"county": program_a.brand.county.pk}, {program_a}),
        ({"level": factories.make_level(4).pk}, {later}),
        ({"level": factories.make_level(5).pk}, set()),
        ({"starts_from": (program_a.start_date + datetime.timedelta(days=1)).isoformat()}, {later}),
        ({"starts_until": program_a.start_date.isoformat()}, {program_a}),
        (
            {
                "starts_from": program_a.start_date.isoformat(),
                "starts_until": later.start_date.isoformat(),
                "county": other_county.pk,
            },
            {later},
        ),
    ):
        response = client.get(url("program_search"), params)
        assert response.status_code == 200
        assert set(listed(response)) == expected, params


@pytest.mark.parametrize(
    "params",
    [
        {"brand": "999999"},
        {"brand": "x"},
        {"starts_from": "yesterday"},
        {"level": "0"},
        {"page": "999"},
        {"page": "-1"},
        {"county": "'; drop table"},
    ],
)
def test_bad_search_input_never_gives_a_500(client, program_a, params):
    assert client.get(url("program_search"), params).status_code == 200


def test_search_pages_by_twenty_and_keeps_the_filters(client, measured_brand):
    factories.TrainingProgramFactory.create_batch(23, enrolling=True, brand=measured_brand)
    first = client.get(url("program_search"), {"brand": measured_brand.pk})
    assert len(listed(first)) == 20
    assert first.context["page_obj"].paginator.count == 23
    assert f"brand={measured_brand.pk}" in first.context["query"]
    second = client.get(url("program_search"), {"brand": measured_brand.pk, "page": 2})
    assert len(listed(second)) == 3
    assert not set(listed(first)) & set(listed(second))


# --- Query counts ---------------------------------------------------------------------------------------


def test_search_runs_a_fixed_number_of_queries(worker_client, worker, measured_brand):
    def add(n):
        for program in factories.TrainingProgramFactory.create_batch(n, enrolling=True, brand=measured_brand):
            factories.EnrollmentFactory(program=program, accepted=True)
            factories.EnrollmentFactory(program=program, worker=worker)

    add(2)
    few = query_count(worker_client, url("program_search"))
    add(10)
    assert query_count(worker_client, url("program_search")) == few


def test_programme_list_runs_a_fixed_number_of_queries(staff_client, qualified_institution_a, measured_brand):
    def add(n):
        for program in factories.TrainingProgramFactory.create_batch(
            n, institution=qualified_institution_a, brand=measured_brand, enrolling=True
        ):
            factories.EnrollmentFactory(program=program)
            factories.EnrollmentFactory(program=program, accepted=True)

    add(2)
    few = query_count(staff_client, url("program_list"))
    add(10)
    assert query_count(staff_client, url("program_list")) == few


def test_my_training_runs_a_fixed_number_of_queries(worker_client, worker):
    factories.EnrollmentFactory.create_batch(2, worker=worker)
    few = query_count(worker_client, url("my_training"))
    factories.EnrollmentFactory.create_batch(5, worker=worker, completed=True)
    factories.EnrollmentFactory.create_batch(5, worker=worker, declined=True)
    assert query_count(worker_client, url("my_training")) == few


def test_programme_detail_runs_a_fixed_number_of_queries(staff_client, program_a):
    def add(n):
        for status in (EStatus.APPLIED, EStatus.ACCEPTED, EStatus.COMPLETED, EStatus.DECLINED):
            factories.EnrollmentFactory.create_batch(n, program=program_a, status=status)

    add(1)
    few = query_count(staff_client, url("program_detail", program_a.pk))
    add(8)
    assert query_count(staff_client, url("program_detail", program_a.pk)) == few


def test_results_page_runs_a_fixed_number_of_queries(staff_client, program_a):
    TrainingProgram.objects.filter(pk=program_a.pk).update(status=Status.COMPLETED, capacity=100)
    factories.EnrollmentFactory.create_batch(2, program=program_a, accepted=True)
    few = query_count(staff_client, url("program_results", program_a.pk))
    factories.EnrollmentFactory.create_batch(10, program=program_a, accepted=True)
    assert query_count(staff_client, url("program_results", program_a.pk)) == few


def test_programme_list_is_ordered_latest_start_first(staff_client, qualified_institution_a, measured_brand):
    starts = [TODAY + datetime.timedelta(days=d) for d in (40, 10, 70)]
    for start in starts:
        factories.TrainingProgramFactory(
            institution=qualified_institution_a, brand=measured_brand, start_date=start
        )
    response = staff_client.get(url("program_list"))
    assert response.context["page_obj"].paginator.object_list.ordered
    assert [p.start_date for p in response.context["page_obj"]] == sorted(starts, reverse=True)
