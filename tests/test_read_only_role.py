"""The leading group reads and changes nothing (issue 14): a table test over EVERY URL of the project.

A leading-group member POSTs to each URL (path converters filled with an existing object of the kind the URL
names) and gets 403, or 404 where the object is not theirs to see; pages that only read (public pages, the
dashboards and reports the role is for) may answer, but no request writes a row. The few URLs the member may
legitimately change something through (their own session, language and password) are skipped, each with its
reason. The member also GETs every page: other roles' workbenches answer 403/404.

A new URL with an `<int:pk>` must be added to OBJECT_OF (which object fills it), and a new page the role may
read to READ_PAGES: the test says so when it meets one."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from jobs.models import SavedSearch
from laborbrand.imports.models import ImportBatch
from targets import snapshots
from tests import factories
from tests.jobs.factories_coop import DockingFairFactory, PartnerRegionFactory
from tests.jobs.factories_matching import MatchRunFactory, RecommendationFactory

pytestmark = pytest.mark.django_db

# The URLs through which a leading-group member may change something of their own.
SKIPPED = {
    "login": "signing in (the test is signed in already)",
    "logout": "signing out ends their own session",
    "set_language": "i18n: the language of their own session",
    "password_change": "the password of their own account",
    "password_change_done": "the page after changing their own password",
    "accounts:notifications_mark_all_read": "marks their own notifications read",
    "admin:login": "the admin's sign-in page (a non-staff account is refused there)",
    "admin:logout": "the admin's sign-out ends their own session",
}

# Pages that only read: the member may get an answer (a page, a redirect), but nothing is written. Why each:
READ_PAGES = {
    # Public pages: anyone may read them.
    "home": "public home page",
    "privacy": "public privacy notice",
    "favicon.ico": "public icon (a URL without a name: known by its route)",
    "brands:showcase": "public brand showcase",
    "brands:news_list": "public brand news",
    "brands:news_detail": "public news item",
    "brands:logo": "public brand logo",
    "brands:brand_detail": "public brand page",
    "training:institution_public_list": "public list of institutions",
    "training:program_search": "public programme search",
    "training:program_public_detail": "public programme page",
    "training:certificate_verify": "public certificate check (a look-up, writes nothing)",
    "jobs:search": "public job search",
    "jobs:posting_detail": "public job posting",
    # Registration: a signed-in account is sent to its workbench.
    "accounts:register": "registration: a signed-in account is sent on",
    "accounts:register_worker": "registration: a signed-in account is sent on",
    "training:institution_register": "registration: a signed-in account is sent on",
    "jobs:employer_register": "registration: a signed-in account is sent on",
    # Forgotten password: anonymous; changes a password only with the token e-mailed to the account.
    "password_reset": "forgotten-password request: sends an e-mail, writes nothing",
    "password_reset_done": "forgotten-password page",
    "password_reset_confirm": "forgotten-password link: an invalid token changes nothing",
    "password_reset_complete": "forgotten-password page",
    # Codes by SMS: without a number in the form or a step begun in the session nothing is sent or written.
    "accounts:code_sign_in": "sign-in by code: an empty form sends nothing",
    "accounts:code_sign_in_confirm": "sign-in by code, second step: nothing begun, sent back",
    "accounts:password_reset_code": "reset by code: an empty form sends nothing",
    "accounts:password_reset_code_confirm": "reset by code, second step: nothing begun, sent back",
    "accounts:register_worker_confirm": "registration's code step: nothing begun, sent back",
    "accounts:code_resend": "a new code for a step begun in the session: none begun, sent back",
    "accounts:phone_change_confirm": "their own number's change, second step: none begun, sent back",
    "captcha-image": "the image challenge's picture (an unknown one is gone: 410)",
    "captcha-image-2x": "the image challenge's picture, twice the size",
    # Their own pages.
    "accounts:workbench": "their own workbench",
    "accounts:notification_list": "their own notifications",
    # What the role is for: the dashboards, drill-downs and reports (read-only).
    "targets:home": "dashboards",
    "targets:city": "city dashboard",
    "targets:county": "county dashboard",
    "targets:metric": "metric page",
    "targets:records": "records behind a figure",
    "targets:records_export": "records behind a figure, as Excel",
    "targets:plan_history": "history of target edits",
    "targets:reports": "monthly reports",
    "targets:report": "a monthly report",
    "targets:report_export": "a monthly report, as Excel",
    "targets:snapshot": "a snapshot taken on demand",
}

# Which object of the world fills an URL's <int:pk> (and its other object kwargs).
OBJECT_OF = {
    "accounts:notification_open": {"pk": "notification"},
    "jobs:saved_search_open": {"pk": "saved_search"},
    "jobs:saved_search_edit": {"pk": "saved_search"},
    "jobs:saved_search_delete": {"pk": "saved_search"},
    "accounts:official_update": {"pk": "official"},
    "accounts:official_deactivate": {"pk": "official"},
    "accounts:official_activate": {"pk": "official"},
    "accounts:leading_group_update": {"pk": "other_member"},
    "accounts:leading_group_deactivate": {"pk": "other_member"},
    "accounts:leading_group_activate": {"pk": "other_member"},
    "brands:news_detail": {"pk": "news"},
    "brands:logo": {"pk": "brand"},
    "brands:manage_detail": {"pk": "brand"},
    "brands:brand_update": {"pk": "brand"},
    "brands:brand_submit": {"pk": "draft_brand"},
    "brands:standard_create": {"pk": "brand"},
    "brands:standard_update": {"pk": "brand", "standard_pk": "standard"},
    "brands:standard_delete": {"pk": "brand", "standard_pk": "standard"},
    "brands:standard_move_up": {"pk": "brand", "standard_pk": "standard"},
    "brands:standard_move_down": {"pk": "brand", "standard_pk": "standard"},
    "brands:news_update": {"pk": "news"},
    "brands:news_publish": {"pk": "news"},
    "brands:news_unpublish": {"pk": "news"},
    "brands:review_detail": {"pk": "submitted_brand"},
    "brands:brand_accept": {"pk": "submitted_brand"},
    "brands:brand_return": {"pk": "submitted_brand"},
    "brands:brand_reject": {"pk": "submitted_brand"},
    "brands:brand_recognise": {"pk": "brand"},
    "brands:brand_retire": {"pk": "brand"},
    "training:application_detail": {"pk": "admission"},
    "training:application_update": {"pk": "admission"},
    "training:application_submit": {"pk": "admission"},
    "training:attachment_upload": {"pk": "admission"},
    "training:attachment_download": {"pk": "attachment"},
    "training:attachment_delete": {"pk": "attachment"},
    "training:review_detail": {"pk": "admission"},
    "training:review_start": {"pk": "admission"},
    "training:review_decide": {"pk": "admission"},
    "training:institution_suspend": {"pk": "institution"},
    "training:institution_reinstate": {"pk": "institution"},
    "training:agreement_document": {"pk": "agreement"},
    "training:program_public_detail": {"pk": "program"},
    "training:enrollment_apply": {"pk": "program"},
    "training:enrollment_withdraw": {"pk": "enrollment"},
    "training:enrollment_withdraw_confirm": {"pk": "enrollment"},
    "training:program_detail": {"pk": "program"},
    "training:program_update": {"pk": "program"},
    "training:program_open": {"pk": "program"},
    "training:program_start": {"pk": "program"},
    "training:program_complete": {"pk": "program"},
    "training:program_complete_early": {"pk": "program"},
    "training:enrollment_walk_in": {"pk": "program"},
    "training:program_results": {"pk": "program"},
    "training:enrollment_accept": {"pk": "enrollment"},
    "training:enrollment_decline": {"pk": "enrollment"},
    "training:ethics_detail": {"pk": "ethics"},
    "training:ethics_update": {"pk": "ethics"},
    "training:ethics_attendance_add": {"pk": "ethics"},
    "training:ethics_attendance_remove": {"pk": "ethics", "worker_pk": "worker"},
    "training:certificate_revoke": {"pk": "certificate"},
    "training:certificate_print": {"pk": "certificate"},
    "jobs:posting_detail": {"pk": "posting"},
    "jobs:posting_manage_detail": {"pk": "posting"},
    "jobs:posting_update": {"pk": "posting"},
    "jobs:posting_publish": {"pk": "posting"},
    "jobs:posting_close": {"pk": "posting"},
    "jobs:posting_fill": {"pk": "posting"},
    "jobs:posting_fill_confirm": {"pk": "posting"},
    "jobs:applicant_list": {"pk": "posting"},
    "jobs:applicant_export": {"pk": "posting"},
    "jobs:applicant_detail": {"pk": "application"},
    "jobs:applicant_mark_viewed": {"pk": "application"},
    "jobs:applicant_interview": {"pk": "application"},
    "jobs:applicant_offer": {"pk": "application"},
    "jobs:applicant_hire": {"pk": "application"},
    "jobs:applicant_hire_confirm": {"pk": "application"},
    "jobs:applicant_reject": {"pk": "application"},
    "jobs:applicant_reject_confirm": {"pk": "application"},
    "jobs:apply": {"pk": "posting"},
    "jobs:application_withdraw": {"pk": "application"},
    "jobs:application_withdraw_confirm": {"pk": "application"},
    "jobs:candidate_list": {"pk": "posting"},
    "jobs:candidate_invite": {"pk": "recommendation"},
    "jobs:match_run_progress": {"pk": "match_run"},
    "jobs:employer_verify": {"pk": "employer"},
    "jobs:employer_refuse": {"pk": "employer"},
    "jobs:posting_take_down": {"pk": "posting"},
    "jobs:partner_update": {"pk": "partner"},
    "jobs:fair_detail": {"pk": "fair"},
    "jobs:fair_update": {"pk": "fair"},
    "jobs:apprenticeship_complete": {"pk": "apprenticeship"},
    "jobs:apprenticeship_complete_confirm": {"pk": "apprenticeship"},
    "jobs:apprenticeship_end": {"pk": "apprenticeship"},
    "jobs:apprenticeship_end_confirm": {"pk": "apprenticeship"},
    "targets:snapshot": {"pk": "snapshot"},
    # Issue 16: the practitioner register and brand members.
    "brands:practitioner_list": {"pk": "brand"},
    "brands:practitioner_create": {"pk": "brand"},
    "brands:practitioner_update": {"pk": "brand", "practitioner_pk": "practitioner"},
    "brands:practitioner_remove": {"pk": "brand", "practitioner_pk": "practitioner"},
    "training:brand_members": {"pk": "brand"},
    "imports:batch": {"pk": "import_batch"},
    "imports:batch_status": {"pk": "import_batch"},
    "imports:batch_confirm": {"pk": "import_batch"},
    "imports:batch_undo": {"pk": "import_batch"},
    "imports:batch_errors": {"pk": "import_batch"},
}

# Tables a read may write to: the session (messages, the CSRF token) and the sign-in records.
WRITABLE_TABLES = ("django_session", "axes_")
WRITE = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


def _patterns(patterns, prefix="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _patterns(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield name, prefix + str(pattern.pattern), pattern


def project_urls() -> list[tuple[str, str, URLPattern]]:
    """(name, route, pattern) of every URL pattern, the admin's included."""
    return list(_patterns(get_resolver().url_patterns))


@pytest.fixture
def world(official_a, institution_staff, employer, worker, city_admin):
    """One object of each kind a URL can name, in 金寨县 (the county of official_a)."""
    county = official_a.county
    brand = factories.RecognisedBrandFactory(county=county)
    program = factories.TrainingProgramFactory(brand=brand)
    enrollment = factories.EnrollmentFactory(program=program, worker=worker)
    posting = factories.JobPostingFactory()
    assessment = factories.AssessmentFactory(worker=worker)
    admission = factories.AdmissionApplicationFactory()
    partner = PartnerRegionFactory(created_by=city_admin)
    objects = {
        "notification": factories.NotificationFactory(recipient=worker),
        "saved_search": SavedSearch.objects.create(worker=worker, name="焊工", query="q=焊工"),
        "official": official_a,
        "other_member": factories.LeadingGroupMemberFactory(),
        "brand": brand,
        "draft_brand": factories.DraftBrandFactory(county=county),
        "submitted_brand": factories.SubmittedBrandFactory(county=county),
        "standard": factories.BrandStandardFactory(brand=brand),
        "news": factories.BrandNewsFactory(brand=brand),
        "admission": admission,
        "attachment": factories.ApplicationAttachmentFactory(application=admission),
        "institution": program.institution,
        "agreement": factories.PartnerAgreementFactory(county=county),
        "program": program,
        "enrollment": enrollment,
        "ethics": factories.EthicsSessionFactory(brands=[brand], attendees=[worker]),
        "worker": worker,
        "certificate": factories.CertificateFactory(assessment=assessment),
        "posting": posting,
        "application": factories.ApplicationFactory(posting=posting),
        "recommendation": RecommendationFactory(posting=posting),
        "match_run": MatchRunFactory(),
        "employer": posting.employer,
        "partner": partner,
        "fair": DockingFairFactory(partner=partner, county=county),
        "apprenticeship": factories.ApprenticeshipFactory(),
        "snapshot": snapshots.take_today(city_admin),
        "practitioner": factories.PractitionerFactory(brand=brand),
        "import_batch": ImportBatch.objects.create(
            importer="practitioners",
            target_id=brand.pk,
            target_label=brand.name,
            user=official_a,
            file_name="台账.xlsx",
            status=ImportBatch.Status.VALIDATED,
        ),
    }
    # The dashboards' figures, fresh: a dashboard opened with stale figures recomputes them (a cache, not a
    # change anyone made), which would hide a real write among them.
    snapshots.refresh(timezone.localdate().year)
    return objects


def url_of(name: str, route: str, pattern: URLPattern, world: dict) -> str:
    kwargs = {}
    objects = OBJECT_OF.get(name, {})
    for kwarg in re.findall(r"<(?:\w+:)?(\w+)>", route) + list(pattern.pattern.regex.groupindex):
        if kwarg in objects:
            kwargs[kwarg] = world[objects[kwarg]].pk
        elif kwarg == "year":
            kwargs[kwarg] = timezone.localdate().year
        elif kwarg == "month":
            kwargs[kwarg] = 1
        elif kwarg == "county":
            kwargs[kwarg] = world["official"].county_id
        elif kwarg in ("key", "metric"):
            kwargs[kwarg] = "trainee_times"
        elif kwarg == "slug":
            kwargs[kwarg] = world["brand"].slug
        elif kwarg == "flow":  # a code step's "send a new code"
            kwargs[kwarg] = "sign-in"
        elif kwarg in ("uidb64", "token"):
            kwargs[kwarg] = "x"
        elif kwarg in ("object_id", "content_type_id", "id"):  # the admin's
            kwargs[kwarg] = "1"
        elif kwarg == "app_label":
            kwargs[kwarg] = "accounts"
        elif kwarg == "url":  # the admin's catch-all
            kwargs[kwarg] = "nowhere/"
        else:
            raise AssertionError(f"{name or route}: add which object fills <{kwarg}> to OBJECT_OF")
    if name is None:
        return "/" + route
    positional = pattern.pattern.regex.groups - len(pattern.pattern.regex.groupindex)
    if positional and not kwargs:  # simple_history's admin pages
        return reverse(name, args=["1"] * positional)
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return reverse(name, kwargs={key: str(value) for key, value in kwargs.items()})


def writes(queries) -> list[str]:
    found = []
    for query in queries:
        match = WRITE.match(query["sql"])
        if match and not match.group(2).startswith(WRITABLE_TABLES):
            found.append(query["sql"][:120])
    return found


def history_rows() -> int:
    return sum(
        model.objects.count() for model in apps.get_models() if model.__name__.startswith("Historical")
    )


def _check(client, method: str, world: dict) -> list[str]:
    failures = []
    for found, route, pattern in project_urls():
        name = found or route  # a URL without a name is known by its route
        if name in SKIPPED:
            continue
        url = url_of(found, route, pattern, world)
        with CaptureQueriesContext(connection) as queries:
            response = getattr(client, method)(url, {})
        status = response.status_code
        if writes(queries.captured_queries):
            failures.append(f"{method.upper()} {url} ({name}) wrote: {writes(queries.captured_queries)}")
        if (name and name.startswith("admin:")) or route.startswith("admin/"):
            if status != 302 or "/admin/login/" not in response.url:
                failures.append(f"{method.upper()} {url} ({name}): {status}, not sent to the admin sign-in")
        elif name in READ_PAGES:
            if status >= 500:
                failures.append(f"{method.upper()} {url} ({name}): {status}")
        elif status not in (403, 404, 405):
            failures.append(f"{method.upper()} {url} ({name}): {status}, expected 403 or 404")
    assert "_auth_user_id" in client.session, "a request signed the member out: the rest proves nothing"
    return failures


@pytest.fixture
def member_client(client, leading_member):
    client.force_login(leading_member)
    client.raise_request_exception = False
    return client


def test_skips_and_read_pages_name_real_urls():
    names = {name for name, _route, _pattern in project_urls()}
    assert set(SKIPPED) <= names
    assert {name for name in OBJECT_OF if name not in names} == set()


def test_leading_group_posts_to_every_url_and_changes_nothing(member_client, world, leading_member):
    assert not leading_member.is_staff
    before = history_rows()

    failures = _check(member_client, "post", world)

    assert not failures, "\n".join(failures)
    assert history_rows() == before


def test_leading_group_opens_no_other_roles_workbench(member_client, world):
    failures = _check(member_client, "get", world)

    assert not failures, "\n".join(failures)
