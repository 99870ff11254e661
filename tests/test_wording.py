"""What the pages say, as a user reads it: a person's name is headed "Full name" (姓名), not an organisation's
"Name" (名称); counts in messages agree with their number; a label with a number in it is set apart from the
words around it; no page names the portal's internal technology to the city's staff; the employer
verification queue counts only the companies waiting for the city."""

from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from jobs import services as job_services
from jobs.models import Employer
from jobs.models import MatchRun as Run
from laborbrand.exceptions import InvalidTransition
from tests import factories
from tests.jobs.factories_apps import logged_in, messages_of, verified_company
from tests.jobs.factories_matching import MatchRunFactory, RecommendationFactory
from training.services.enrollment import enrollment_accept

pytestmark = pytest.mark.django_db

INTERNAL = ("Celery", "celery", "Redis", "redis", "RabbitMQ", "broker", "task queue", "kombu", "PostgreSQL")


# --- A person's name ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_trainee_list_heads_a_persons_name_as_such(client, institution_staff, program_a, language):
    """Its own source string, "Full name" in the context of a person (the catalogue gives 姓名); never the
    organisation's "Name" (名称)."""
    factories.EnrollmentFactory(program=program_a, accepted=True)
    client.force_login(institution_staff)
    page = client.get(
        reverse("training:program_detail", args=[program_a.pk]), HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    trainees = page.split('id="trainees-heading"', 1)[1].split("</thead>", 1)[0]
    with translation.override(language):
        heading = translation.pgettext("a person's name", "Full name")
    assert f'<th scope="col">{heading}</th>' in trainees
    assert '<th scope="col">Name</th>' not in trainees
    assert '<th scope="col">名称</th>' not in trainees


def test_a_persons_name_and_an_organisations_name_are_different_source_strings():
    with translation.override("en"):
        assert translation.pgettext("a person's name", "Full name") != translation.gettext("Name")


# --- Counts and labels with numbers -------------------------------------------------------------------------


@pytest.mark.parametrize(("capacity", "text"), [(1, "(1 place)"), (2, "(2 places)")])
def test_a_full_programme_counts_its_places(program_a, capacity, text):
    program_a.capacity = capacity
    program_a.save(update_fields=["capacity"])
    factories.EnrollmentFactory.create_batch(capacity, program=program_a, accepted=True)
    pending = factories.EnrollmentFactory(program=program_a)
    with translation.override("en"), pytest.raises(InvalidTransition) as refused:
        enrollment_accept(enrollment=pending)
    assert text in str(refused.value)


@pytest.mark.parametrize(("count", "text"), [(1, "1 attendee recorded."), (2, "2 attendees recorded.")])
def test_recording_attendance_counts_the_attendees(client, official_a, count, text):
    session = factories.EthicsSessionFactory(county=official_a.county, created_by=official_a)
    workers = [factories.WorkerFactory() for _ in range(count)]
    logged_in(client, official_a)
    response = client.post(
        reverse("training:ethics_attendance_add", args=[session.pk]),
        {"identifiers": "\n".join(worker.phone for worker in workers)},
    )
    assert ("success", text) in messages_of(response)


@pytest.mark.parametrize(
    ("recommendations", "text"),
    [(1, "1 recommendation; users now see it."), (40, "40 recommendations; users now see them.")],
)
def test_a_completed_run_counts_its_recommendations(client, city_admin, recommendations, text):
    def completed(run):
        Run.objects.filter(pk=run.pk).update(
            status=Run.Status.COMPLETED,
            active=False,
            finished_at=timezone.now(),
            recommendations=recommendations,
        )

    logged_in(client, city_admin)
    with mock.patch("jobs.matching.tasks.dispatch", side_effect=completed):
        response = client.post(reverse("jobs:match_run_start"))
    assert text in messages_of(response)[-1][1]


def test_a_candidates_label_is_set_apart_in_the_invitation_message(client, employer):
    posting = factories.JobPostingFactory(employer=verified_company(employer))
    worker = factories.WorkerProfileFactory().user
    rec = RecommendationFactory(posting=posting, worker=worker, posting_rank=3)
    response = logged_in(client, employer).post(reverse("jobs:candidate_invite", args=[rec.pk]))
    assert messages_of(response)[-1] == (
        "success",
        "“Candidate 3” is invited to apply and has been notified.",
    )


# --- No internal technology on the city's pages -------------------------------------------------------------


def test_the_matching_pages_name_no_internal_technology(client, city_admin):
    MatchRunFactory()
    failed = MatchRunFactory(
        failed=True,
        error="OperationalError: Error 111 connecting to redis:6379 (Celery broker). Connection refused.",
    )
    logged_in(client, city_admin)
    for name in ("jobs:match_runs", "jobs:match_weights", "accounts:workbench"):
        content = client.get(reverse(name)).content.decode()
        main = content.split("<main", 1)[1].split("</main>", 1)[0]
        # The recorded exception is kept for the site's technical staff, folded away in a <details>.
        shown = "".join(part.split("</details>", 1)[-1] for part in main.split("<details"))
        for word in INTERNAL:
            assert word not in shown, (name, word)
    runs = client.get(reverse("jobs:match_runs")).content.decode()
    assert "Connection refused" in runs.split(f'data-run-error="{failed.pk}"', 1)[1].split("</details>", 1)[0]


def test_an_unreachable_matching_service_is_told_in_plain_words(client, city_admin):
    logged_in(client, city_admin)
    with mock.patch("jobs.matching.tasks.dispatch", side_effect=OSError("Connection refused")):
        response = client.post(reverse("jobs:match_run_start"))
    [(level, text)] = messages_of(response)
    assert level == "error"
    for word in INTERNAL:
        assert word not in text


# --- The employer verification queue counts those waiting for the city --------------------------------------


def refused_then(corrected: bool) -> Employer:
    employer = factories.EmployerFactory(staff=[factories.EmployerStaffFactory()])
    admin = factories.CityAdminFactory()
    job_services.employer_refuse(employer=employer, actor=admin, reason="营业执照照片不清晰。")
    if corrected:
        job_services.employer_update(employer=employer, name=employer.name + "（已更正）")
    return employer


STATES = {
    "new": lambda: factories.EmployerFactory(staff=[factories.EmployerStaffFactory()]),
    "refused": lambda: refused_then(corrected=False),
    "corrected after a refusal": lambda: refused_then(corrected=True),
    "verified": lambda: factories.VerifiedEmployerFactory(staff=[factories.EmployerStaffFactory()]),
}
WAITING_FOR_THE_CITY = {"new", "corrected after a refusal"}


@pytest.mark.parametrize(
    "present",
    [
        ["new"],
        ["refused"],
        ["new", "refused", "refused", "verified"],
        ["corrected after a refusal", "refused", "verified"],
        ["new", "corrected after a refusal", "refused", "verified"],
        [],
    ],
)
def test_the_queue_and_its_panel_count_only_companies_waiting_for_the_city(client, city_admin, present):
    made = [(state, STATES[state]()) for state in present]
    waiting = {e.pk for state, e in made if state in WAITING_FOR_THE_CITY}
    refused = {e.pk for state, e in made if state == "refused"}
    assert set(Employer.objects.awaiting_verification().values_list("pk", flat=True)) == waiting
    assert set(Employer.objects.refused().values_list("pk", flat=True)) == refused

    logged_in(client, city_admin)
    queue = client.get(reverse("jobs:employer_queue"))
    assert queue.context["page_obj"].paginator.count == len(waiting)
    assert {e.pk for e in queue.context["page_obj"]} == waiting
    assert {e.pk for e in queue.context["refused"]} == refused
    content = queue.content.decode()
    assert f"data-count>{len(waiting)}</span>" in content.split('data-queue="waiting"', 1)[1]
    assert ('data-queue="refused"' in content) is bool(refused)

    workbench = client.get(reverse("accounts:workbench")).content.decode()
    panel = workbench.split('id="panel-employers"', 1)[1].split("</section>", 1)[0]
    assert f"{len(waiting)} employer" in panel
