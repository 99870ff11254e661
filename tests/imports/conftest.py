import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from laborbrand.imports.engine import REGISTRY
from laborbrand.imports.models import ImportBatch
from tests import factories

# The browser tests' fixtures (a checked page per viewport, the live site), for test_browser.py.
from tests.browser.conftest import (  # noqa: F401
    browser,
    console_errors,
    html_checker,
    page,
    site,
    viewport,
)
from tests.imports.importer import KEY, StandardsImporter, workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def standards_import(monkeypatch):
    """The tests' import, registered for the test only."""
    monkeypatch.setitem(REGISTRY, KEY, StandardsImporter)
    return StandardsImporter


@pytest.fixture
def brand(official_a):
    return factories.DraftBrandFactory(name="金寨红嫂家政", county=official_a.county, created_by=official_a)


@pytest.fixture
def official_client(client, official_a):
    client.force_login(official_a)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks):
    """Run what a move hands to Celery (after its transaction commits; eagerly, as without a broker)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def upload_file(content: bytes, name: str = "名单.xlsx", content_type: str = XLSX) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def start_url(brand) -> str:
    return f"{reverse('imports:start', args=[KEY])}?target={brand.pk}"


@pytest.fixture
def upload(official_client, brand, run_tasks):
    """Upload `rows` (or a file's bytes) as official_a into the brand; the batch, checked."""

    def do(rows=None, *, content: bytes | None = None, client=None, name="名单.xlsx"):
        content = workbook(rows) if content is None else content
        with run_tasks():
            response = (client or official_client).post(
                start_url(brand), {"file": upload_file(content, name)}
            )
        assert response.status_code == 302, response.content.decode()[:2000]
        batch = ImportBatch.objects.latest("pk")
        batch.refresh_from_db()
        return batch

    return do


@pytest.fixture
def confirm(official_client, run_tasks):
    def do(batch, client=None):
        with run_tasks():
            response = (client or official_client).post(reverse("imports:batch_confirm", args=[batch.pk]))
        batch.refresh_from_db()
        return response

    return do
