"""Helpers for the application tests (profiles, applying, the employer's pipeline, the export): the
employer personas' verified companies, postings, applications and their steps through the services."""

from __future__ import annotations

from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from jobs import services
from jobs.models import Application, Employer, JobPosting
from laborbrand.accounts.models import User
from tests import factories

Status = Application.Status
PIPELINE = {  # the employer's steps, in order, to reach each status from "submitted"
    Status.SUBMITTED: [],
    Status.VIEWED: [Status.VIEWED],
    Status.INTERVIEW: [Status.INTERVIEW],
    Status.OFFERED: [Status.INTERVIEW, Status.OFFERED],
    Status.HIRED: [Status.INTERVIEW, Status.OFFERED, Status.HIRED],
    Status.REJECTED: [Status.REJECTED],
}


def url(name: str, *args) -> str:
    return reverse(f"jobs:{name}", args=args)


def logged_in(client, user: User):
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def messages_of(response) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


def verified_company(user: User) -> Employer:
    company = user.employers.get()
    if not company.is_verified:
        company.verified_at = timezone.now()
        company.save(update_fields=["verified_at"])
    return company


def employer_b() -> User:
    """Staff of another verified company."""
    user = factories.EmployerStaffFactory(username="employer_b")
    factories.VerifiedEmployerFactory(staff=[user], name="别家制造有限公司")
    return user


def worker_with_profile(**worker_fields) -> User:
    return factories.WorkerProfileFactory(user=factories.WorkerFactory(**worker_fields)).user


def apply(posting: JobPosting, worker: User) -> Application:
    """An application through the service (consent text and the submitted event included)."""
    if not hasattr(worker, "profile"):
        factories.WorkerProfileFactory(user=worker)
    return services.application_submit(posting=posting, worker=worker, consent=True)


def move_to(application: Application, status: str, *, note: str = "") -> Application:
    """Move an application along the employer's steps (as the posting's first staff member)."""
    actor = application.posting.employer.staff.order_by("pk").first()
    for step in PIPELINE[status]:
        application = services.application_move(application=application, actor=actor, to=step, note=note)
    return application
