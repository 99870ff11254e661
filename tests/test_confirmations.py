"""Every move a worker or an employer cannot undo is confirmed on a page of its own first: withdrawing a job
application or a programme enrolment, marking a posting filled, completing or ending an apprenticeship
(employer or institution), recording a hire and turning an applicant down. The page says what the move
means and holds the one POST that makes it; opening it changes nothing. Tested as a table of those moves:
who may open the page (the party: 200; another party of the same role: 404; other roles: 403; visitors: sign
in), what the page posts, that the POST then makes the move, and what the page says once the move is no
longer possible."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.urls import reverse

from jobs.models import Application, ApplicationEvent, Apprenticeship, JobPosting
from laborbrand.accounts.models import Notification
from tests import factories
from tests.jobs.factories_apps import apply, employer_b, move_to, verified_company
from training.models import Enrollment

pytestmark = pytest.mark.django_db

AppStatus = Application.Status


@dataclass
class Move:
    """One confirmed move, set up for its party: the confirmation page, the POST it makes (with its fields),
    the object and its state before and after, how to make the move impossible, and who else tries."""

    actor: Any
    confirm: str
    action: str
    obj: Any
    before: str
    after: str
    data: dict = field(default_factory=dict)
    finish: Any = None  # makes the move impossible (the object reaches a final state another way)
    same_role_other: Any = None  # a user of the party's role who is not the party: 404
    allowed_roles: tuple = ()


def _withdraw_application(request) -> Move:
    worker = request.getfixturevalue("worker")
    company = verified_company(request.getfixturevalue("employer"))
    application = apply(factories.JobPostingFactory(employer=company), worker)
    return Move(
        actor=worker,
        confirm=reverse("jobs:application_withdraw_confirm", args=[application.pk]),
        action=reverse("jobs:application_withdraw", args=[application.pk]),
        obj=application,
        before=AppStatus.SUBMITTED,
        after=AppStatus.WITHDRAWN,
        finish=lambda: move_to(application, AppStatus.HIRED),
        same_role_other=factories.WorkerFactory(),
        allowed_roles=("worker",),
    )


def _withdraw_enrolment(request) -> Move:
    worker = request.getfixturevalue("worker")
    enrollment = factories.EnrollmentFactory(program=request.getfixturevalue("program_a"), worker=worker)
    return Move(
        actor=worker,
        confirm=reverse("training:enrollment_withdraw_confirm", args=[enrollment.pk]),
        action=reverse("training:enrollment_withdraw", args=[enrollment.pk]),
        obj=enrollment,
        before=Enrollment.Status.APPLIED,
        after=Enrollment.Status.WITHDRAWN,
        finish=lambda: Enrollment.objects.filter(pk=enrollment.pk).update(status=Enrollment.Status.DECLINED),
        same_role_other=factories.WorkerFactory(),
        allowed_roles=("worker",),
    )


def _mark_filled(request) -> Move:
    employer = request.getfixturevalue("employer")
    posting = factories.JobPostingFactory(employer=verified_company(employer))
    to = JobPosting.Status.FILLED
    return Move(
        actor=employer,
        confirm=reverse("jobs:posting_fill_confirm", args=[posting.pk]),
        action=reverse("jobs:posting_fill", args=[posting.pk]),
        obj=posting,
        before=JobPosting.Status.OPEN,
        after=to,
        finish=lambda: JobPosting.objects.filter(pk=posting.pk).update(status=JobPosting.Status.CLOSED),
        same_role_other=employer_b(),
        allowed_roles=("employer",),
    )


APPRENTICESHIP_MOVES = {Apprenticeship.Status.COMPLETED: "complete", Apprenticeship.Status.ENDED: "end"}


def _apprenticeship(request, *, party: str, to: str) -> Move:
    employer = request.getfixturevalue("employer")
    institution_staff = request.getfixturevalue("institution_staff")
    institution = request.getfixturevalue("qualified_institution_a")
    institution.occupations.add(*factories.make_occupations(1))
    apprenticeship = factories.ApprenticeshipFactory(
        employer=verified_company(employer), institution=institution
    )
    if party == "employer":
        actor, other = employer, employer_b()
    else:
        actor, other = institution_staff, request.getfixturevalue("institution_b_staff")
    return Move(
        actor=actor,
        confirm=reverse(f"jobs:apprenticeship_{APPRENTICESHIP_MOVES[to]}_confirm", args=[apprenticeship.pk]),
        action=reverse(f"jobs:apprenticeship_{APPRENTICESHIP_MOVES[to]}", args=[apprenticeship.pk]),
        obj=apprenticeship,
        before=Apprenticeship.Status.ACTIVE,
        after=to,
        finish=lambda: Apprenticeship.objects.filter(pk=apprenticeship.pk).update(
            status=Apprenticeship.Status.ENDED if to == Apprenticeship.Status.COMPLETED else "completed"
        ),
        same_role_other=other,
        allowed_roles=("employer", "institution_staff"),
    )


FINAL_STEPS = {AppStatus.HIRED: "hire", AppStatus.REJECTED: "reject"}


def _final_step(request, *, to: str, start: str) -> Move:
    employer = request.getfixturevalue("employer")
    posting = factories.JobPostingFactory(employer=verified_company(employer))
    application = move_to(apply(posting, request.getfixturevalue("worker")), start)
    return Move(
        actor=employer,
        confirm=reverse(f"jobs:applicant_{FINAL_STEPS[to]}_confirm", args=[application.pk]),
        action=reverse(f"jobs:applicant_{FINAL_STEPS[to]}", args=[application.pk]),
        obj=application,
        before=start,
        after=to,
        data={"note": "面试表现很好。"},
        finish=lambda: (
            move_to(application, AppStatus.REJECTED)
            if to == AppStatus.HIRED
            else Application.objects.filter(pk=application.pk).update(status=AppStatus.HIRED)
        ),
        same_role_other=employer_b(),
        allowed_roles=("employer",),
    )


MOVES = {
    "withdraw an application": _withdraw_application,
    "withdraw an enrolment": _withdraw_enrolment,
    "mark a posting filled": _mark_filled,
    "complete an apprenticeship (employer)": lambda r: _apprenticeship(
        r, party="employer", to=Apprenticeship.Status.COMPLETED
    ),
    "end an apprenticeship early (institution)": lambda r: _apprenticeship(
        r, party="institution", to=Apprenticeship.Status.ENDED
    ),
    "record a hire": lambda r: _final_step(r, to=AppStatus.HIRED, start=AppStatus.OFFERED),
    "turn an applicant down": lambda r: _final_step(r, to=AppStatus.REJECTED, start=AppStatus.VIEWED),
}
PERSONAS = ("city_admin", "official_a", "institution_staff", "employer", "worker")


@pytest.fixture(params=list(MOVES), ids=list(MOVES))
def move(request) -> Move:
    return MOVES[request.param](request)


def state(move: Move) -> str:
    move.obj.refresh_from_db()
    return move.obj.status


def signed_in(client, user):
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def forms_on(content: str) -> list[str]:
    return re.findall(r'<form method="post" action="([^"]+)"', content)


def test_the_page_explains_the_move_and_opening_it_changes_nothing(client, move):
    events, notifications = ApplicationEvent.objects.count(), Notification.objects.count()
    response = signed_in(client, move.actor).get(move.confirm)
    assert response.status_code == 200
    content = response.content.decode()
    assert "data-confirm-consequences" in content
    assert "cannot be undone" in content or "final" in content
    assert move.action in forms_on(content)
    assert state(move) == move.before
    assert (ApplicationEvent.objects.count(), Notification.objects.count()) == (events, notifications)


def test_the_page_posts_the_move_and_the_move_is_made(client, move):
    signed_in(client, move.actor)
    content = client.get(move.confirm).content.decode()
    for name in move.data:
        assert f'name="{name}"' in content
    response = client.post(move.action, move.data)
    assert response.status_code == 302
    assert state(move) == move.after


def test_once_the_move_is_no_longer_possible_the_page_says_so_without_a_form(client, move):
    move.finish()
    finished = state(move)
    response = signed_in(client, move.actor).get(move.confirm)
    assert response.status_code == 200
    content = response.content.decode()
    assert "data-confirm-impossible" in content
    assert move.action not in forms_on(content)
    assert state(move) == finished


def test_another_party_of_the_same_role_gets_404(client, move):
    assert signed_in(client, move.same_role_other).get(move.confirm).status_code == 404
    assert state(move) == move.before


def test_other_roles_are_refused(client, request, move):
    for persona in set(PERSONAS) - set(move.allowed_roles):
        assert signed_in(client, request.getfixturevalue(persona)).get(move.confirm).status_code == 403, (
            persona
        )
    assert state(move) == move.before


def test_visitors_are_sent_to_sign_in(client, move):
    response = client.get(move.confirm)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login") + "?next=")


def test_the_confirmation_page_is_get_only(client, move):
    assert signed_in(client, move.actor).post(move.confirm, move.data).status_code == 405
    assert state(move) == move.before


@pytest.mark.parametrize(
    ("page", "path"),
    [
        ("jobs:posting_manage_detail", "close/confirm/"),  # closing can be undone: one tap
        ("jobs:posting_manage_detail", "publish/confirm/"),
        ("jobs:posting_manage_detail", "status/filled/confirm/"),
        ("jobs:posting_manage_detail", "nonsense/confirm/"),
        ("apprenticeship", "activate/confirm/"),
        ("apprenticeship", "nonsense/confirm/"),
        ("jobs:applicant_detail", "interview/confirm/"),  # the pipeline goes on: one tap
        ("jobs:applicant_detail", "offer/confirm/"),
        ("jobs:applicant_detail", "viewed/confirm/"),
        ("jobs:applicant_detail", "nonsense/confirm/"),
    ],
)
def test_moves_without_a_confirmation_page_are_404(client, employer, institution_staff, page, path):
    """Only the final moves have a confirmation page; any other move's is not found, whoever asks."""
    posting = factories.JobPostingFactory(employer=verified_company(employer))
    apprenticeship = factories.ApprenticeshipFactory(employer=posting.employer)
    bases = {
        "jobs:posting_manage_detail": reverse("jobs:posting_manage_detail", args=[posting.pk]),
        # An apprenticeship's moves sit beside its confirmation pages: /apprenticeships/<pk>/end/confirm/.
        "apprenticeship": reverse("jobs:apprenticeship_end", args=[apprenticeship.pk]).removesuffix("end/"),
        "jobs:applicant_detail": reverse(
            "jobs:applicant_detail", args=[apply(posting, factories.WorkerFactory()).pk]
        ),
    }
    assert signed_in(client, employer).get(bases[page] + path).status_code == 404


def test_the_hire_page_counts_the_hires_against_the_openings(client, employer, worker):
    posting = factories.JobPostingFactory(employer=verified_company(employer), headcount=3)
    move_to(apply(posting, factories.WorkerFactory()), AppStatus.HIRED)
    application = move_to(apply(posting, worker), AppStatus.OFFERED)
    response = signed_in(client, employer).get(reverse("jobs:applicant_hire_confirm", args=[application.pk]))
    assert response.context["hired"] == 1
    assert "1 of 3 openings" in response.content.decode()


def test_the_fill_page_counts_applications_still_in_progress(client, employer):
    posting = factories.JobPostingFactory(employer=verified_company(employer))
    for status in (AppStatus.SUBMITTED, AppStatus.INTERVIEW, AppStatus.HIRED, AppStatus.REJECTED):
        move_to(apply(posting, factories.WorkerFactory()), status)
    response = signed_in(client, employer).get(reverse("jobs:posting_fill_confirm", args=[posting.pk]))
    assert response.context["still_open"] == 2
    assert "2 applications are still in progress" in response.content.decode()


def test_the_rejection_note_stays_with_the_employer(client, employer, worker):
    posting = factories.JobPostingFactory(employer=verified_company(employer))
    application = apply(posting, worker)
    signed_in(client, employer).post(
        reverse("jobs:applicant_reject", args=[application.pk]), {"note": "经验不足。"}
    )
    event = application.events.get(new_status=AppStatus.REJECTED)
    assert event.note == "经验不足。"
    assert "经验不足" not in Notification.objects.filter(recipient=worker).latest("pk").body
