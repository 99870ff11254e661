"""Helpers for the admission page tests (tests/training/test_admission_views_*.py): URLs, messages, query
counts, the forms' POST data and the state of an application a refused request must leave alone."""

import datetime

from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories
from training.models import AdmissionApplication, ApplicationReview

Status = AdmissionApplication.Status
Decision = ApplicationReview.Decision
TODAY = timezone.localdate()
NEXT_YEAR = TODAY + datetime.timedelta(days=365)


def url(name, *args):
    return reverse(f"training:{name}", args=args)


def messages_of(response):
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


def query_count(client, path, params=None):
    with CaptureQueriesContext(connection) as context:
        response = client.get(path, params or {})
    assert response.status_code == 200
    return len(context)


def application_data(**overrides):
    data = {
        "teacher_count": "40",
        "double_qualified_share": "60",
        "senior_title_count": "8",
        "training_space_m2": "3200",
        "equipment": "数控车床 12 台\n工业机器人 4 台",
        "partner_employers": "安徽合力股份有限公司",
        "placement_rate": "92",
        "occupations": [o.pk for o in factories.make_occupations(2)],
    }
    data.update(overrides)
    return data


def state(application):
    """Everything about an application a refused request could have changed."""
    application = AdmissionApplication.objects.get(pk=application.pk)
    institution = application.institution
    return (
        application.status,
        application.round,
        application.teacher_count,
        sorted(application.occupations.values_list("pk", flat=True)),
        list(application.attachments.order_by("pk").values_list("pk", "round")),
        application.events.count(),
        application.reviews.count(),
        institution.status,
        institution.qualified_until,
    )


def upload(content, name="evidence.pdf", content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)
