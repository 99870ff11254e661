"""Helpers for the admission service tests (tests/training/test_admission_services_*.py): deciding with every
criterion filled in, setting a status directly, and a snapshot of everything a refused move must leave
alone."""

import datetime

from django.utils import timezone

from laborbrand.accounts.models import Notification
from training.models import AdmissionApplication, ApplicationEvent, ApplicationReview, Institution
from training.services.admission import application_decide

Status = AdmissionApplication.Status
Decision = ApplicationReview.Decision
Verdict = ApplicationReview.Verdict
InstitutionStatus = Institution.Status

REASON = "师资和实训设备符合准入条件。"
TODAY = timezone.localdate()
NEXT_YEAR = TODAY + datetime.timedelta(days=365)


def decide(application, actor, decision=Decision.APPROVE, **overrides):
    data = {
        "application": application,
        "actor": actor,
        "decision": decision,
        "reason": REASON,
        "faculty_verdict": Verdict.MEETS,
        "faculty_comment": "双师型教师占比 60%。",
        "facilities_verdict": Verdict.PARTLY,
        "facilities_comment": "实训场地略小。",
        "employment_verdict": Verdict.MEETS,
        "employment_comment": "",
        "qualified_until": NEXT_YEAR if decision == Decision.APPROVE else None,
    }
    data.update(overrides)
    return application_decide(**data)


def set_status(application, status):
    AdmissionApplication.objects.filter(pk=application.pk).update(status=status)
    application.refresh_from_db()


def snapshot(application):
    """Everything a refused move could have changed."""
    application = AdmissionApplication.objects.get(pk=application.pk)
    institution = Institution.objects.get(pk=application.institution_id)
    return (
        application.status,
        application.round,
        application.submitted_at,
        application.decided_at,
        institution.status,
        institution.qualified_until,
        sorted(institution.occupations.values_list("pk", flat=True)),
        ApplicationEvent.objects.count(),
        ApplicationReview.objects.count(),
        Notification.objects.count(),
    )
