"""A certificate to show (issue 15): the holder's printable page with a QR code that opens the public check,
who may open it, what it never shows, and the public check opened from a link or a scanned QR code (the
number filled in; with the number's check key, checked at once, still throttled)."""

import re
from urllib.parse import urlencode

import pytest
import segno
from django.urls import reverse
from django.utils import timezone

from tests import factories
from training.models import certificate_number
from training.permissions import CHECK_KEY_LENGTH, certificate_check_key, is_certificate_check_key
from training.services.certificates import certificate_revoke
from training.views.certificates import QR_ERROR, QR_SVG

pytestmark = pytest.mark.django_db

SITE = "https://portal.example.gov.cn"
TOO_MANY = "Too many checks from your network."
NOT_FOUND_BY_NAME = "No certificate matches this number and name"


def url(name, *args):
    return reverse(f"training:{name}", args=args)


def logged_in(client, user):
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE + "/"  # a trailing slash is not doubled


@pytest.fixture
def holder():
    return factories.WorkerFactory(real_name="李建国")


@pytest.fixture
def certificate(holder):
    return factories.CertificateFactory(assessment__worker=holder)


@pytest.fixture
def revoked(certificate):
    certificate_revoke(
        certificate=certificate, actor=certificate.institution.staff.get(), reason="材料造假，内部原因"
    )
    certificate.refresh_from_db()
    return certificate


def expected_check_url(number):
    query = urlencode({"number": number, "key": certificate_check_key(number)})
    return f"{SITE}{url('certificate_verify')}?{query}"


def qr_paths(html):
    """The drawing (the `d` of each path) of every QR code on a page."""
    return re.findall(r'<svg[^>]*class="certificate-qr"[^>]*>.*?<path[^>]*\sd="([^"]+)"', html, re.S)


def expected_qr_path(text):
    svg = segno.make(text, error=QR_ERROR).svg_inline(**QR_SVG)
    return re.search(r'\sd="([^"]+)"', svg)[1]


def print_page(client, certificate):
    return client.get(url("certificate_print", certificate.pk))


# --- The page -----------------------------------------------------------------------------------------------


def test_the_holder_sees_their_certificate_with_every_field(client, holder, certificate):
    response = print_page(logged_in(client, holder), certificate)
    assert response.status_code == 200
    assert "training/certificate_print.html" in [t.name for t in response.templates]
    content = response.content.decode()
    for shown in (
        "李建国",
        certificate.occupation.name,
        str(certificate.level),
        certificate.number,
        certificate.institution.name,
        certificate.issued_on.isoformat(),
        certificate.assessment.assessed_on.isoformat(),
        "Valid",
    ):
        assert shown in content, shown
    assert "REVOKED" not in content
    assert 'data-certificate-status="valid"' in content


def test_the_page_uses_the_print_stylesheet(client, holder, certificate):
    content = print_page(logged_in(client, holder), certificate).content.decode()
    assert re.search(r'<link rel="stylesheet" href="[^"]*css/print\.css" media="print">', content)


def test_the_qr_code_opens_the_public_check_with_the_number_and_its_key(client, holder, certificate):
    response = print_page(logged_in(client, holder), certificate)
    content = response.content.decode()
    check_url = expected_check_url(certificate.number)
    assert response.context["check_url"] == check_url
    assert check_url.startswith(f"{SITE}/training/certificates/verify/?number={certificate.number}&key=")
    # The same URL printed in text under the code ("&" escaped in HTML), and the code draws exactly that URL.
    assert check_url.replace("&", "&amp;") in content
    assert qr_paths(content) == [expected_qr_path(check_url)]


def test_the_qr_code_is_inline_svg_labelled_and_the_same_each_time(client, holder, certificate):
    client = logged_in(client, holder)
    first, second = (print_page(client, certificate).content.decode() for _ in range(2))
    svg = re.search(r'<svg[^>]*class="certificate-qr"[^>]*>', first)[0]
    assert 'role="img"' in svg
    assert f'aria-label="QR code: check certificate {certificate.number} on the portal"' in svg
    assert 'width="49mm"' in svg  # one module a millimetre, at any screen or printer resolution
    assert qr_paths(first) == qr_paths(second)
    assert "<img" not in first.split('class="certificate-sheet')[1]  # nothing fetched: it works from paper


def test_the_page_and_the_code_hold_no_id_number_or_phone(client, holder, certificate):
    response = print_page(logged_in(client, holder), certificate)
    content = response.content.decode()
    assert holder.id_number not in content
    assert holder.phone not in content
    assert holder.id_number not in response.context["check_url"]
    assert holder.phone not in response.context["check_url"]
    assert "李建国" not in response.context["check_url"]


def test_a_revoked_certificate_says_so_and_its_code_still_opens_the_check(client, holder, revoked):
    response = print_page(logged_in(client, holder), revoked)
    assert response.status_code == 200
    content = response.content.decode()
    assert 'data-certificate-status="revoked"' in content
    assert "REVOKED" in content
    assert "no longer valid" in content
    assert f"on {timezone.localdate(revoked.revoked_at).isoformat()} and is no longer valid" in content
    assert "材料造假" not in content  # the reason is for the holder's notification, not for showing around
    assert qr_paths(content) == [expected_qr_path(expected_check_url(revoked.number))]
    scanned = client.get(response.context["check_url"].removeprefix(SITE))
    assert 'data-certificate-status="revoked"' in scanned.content.decode()


def test_hostile_names_are_escaped(client):
    worker = factories.WorkerFactory(real_name="<script>x</script>")
    certificate = factories.CertificateFactory(assessment__worker=worker)
    content = print_page(logged_in(client, worker), certificate).content.decode()
    assert "<script>x</script>" not in content
    assert "&lt;script&gt;x&lt;/script&gt;" in content


# --- Who may open it ----------------------------------------------------------------------------------------


def test_another_worker_gets_404(client, certificate):
    assert print_page(logged_in(client, factories.WorkerFactory()), certificate).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, certificate):
    response = print_page(client, certificate)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_issuing_institution_may_print_it_for_the_holder(client, certificate):
    staff = certificate.institution.staff.get()
    response = print_page(logged_in(client, staff), certificate)
    assert response.status_code == 200
    content = response.content.decode()
    assert certificate.number in content
    assert "as staff of the issuing institution" in content
    listing = client.get(url("assessment_list")).content.decode()
    assert url("certificate_print", certificate.pk) in listing


@pytest.mark.parametrize(
    "who",
    ["institution_b_staff", "city_admin", "official_a", "employer", "leading_member"],
)
def test_everyone_else_gets_404(client, request, certificate, who):
    user = request.getfixturevalue(who)
    assert print_page(logged_in(client, user), certificate).status_code == 404


def test_an_unknown_certificate_is_404(client, holder):
    assert client.get(url("certificate_print", 999_999)).status_code == 302
    assert logged_in(client, holder).get(url("certificate_print", 999_999)).status_code == 404


def test_the_page_only_reads(client, holder, certificate):
    response = logged_in(client, holder).post(url("certificate_print", certificate.pk))
    assert response.status_code == 405


def test_the_holder_finds_it_on_my_training(client, holder, revoked):
    other = factories.CertificateFactory(assessment__worker=holder)
    content = logged_in(client, holder).get(url("my_training")).content.decode()
    for certificate in (revoked, other):
        assert url("certificate_print", certificate.pk) in content
    assert "Print / show certificate" in content


# --- The check key ------------------------------------------------------------------------------------------


def test_the_key_is_short_hex_and_differs_by_number():
    first, second = certificate_number(2026, 1), certificate_number(2026, 2)
    assert re.fullmatch(rf"[0-9a-f]{{{CHECK_KEY_LENGTH}}}", certificate_check_key(first))
    assert certificate_check_key(first) != certificate_check_key(second)
    assert is_certificate_check_key(first, certificate_check_key(first))
    assert is_certificate_check_key(first.lower(), certificate_check_key(first).upper())
    assert not is_certificate_check_key(second, certificate_check_key(first))


def test_a_key_made_with_a_rotated_out_secret_still_works_from_its_fallback(settings):
    number = certificate_number(2026, 7)
    old_key = certificate_check_key(number)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-for-the-rotation-test-0123456789"
    assert certificate_check_key(number) != old_key
    assert is_certificate_check_key(number, old_key)
    settings.SECRET_KEY_FALLBACKS = []
    assert not is_certificate_check_key(number, old_key)


# --- The public check from a link ---------------------------------------------------------------------------


def verify(client, **query):
    return client.get(url("certificate_verify"), query, HTTP_ACCEPT_LANGUAGE="en")


def result_section(response):
    content = response.content.decode()
    return content[content.index('aria-live="polite"') : content.index("</main>")]


def test_a_number_alone_fills_the_form_and_checks_nothing(client, certificate):
    response = verify(client, number=certificate.number.lower())
    assert response.status_code == 200
    assert response.context["checked"] is False
    assert "certificate" not in response.context
    assert response.context["form"]["number"].value() == certificate.number  # normalised
    assert f'value="{certificate.number}"' in response.content.decode()
    assert certificate.occupation.name not in result_section(response)


@pytest.mark.parametrize(
    "case, status, shown",
    [
        ("valid", "valid", "Valid certificate"),
        ("revoked", "revoked", "Revoked certificate"),
        ("unknown", "not_found", "No certificate has this number"),
    ],
)
def test_a_scanned_code_answers_at_once(client, certificate, holder, case, status, shown):
    if case == "revoked":
        certificate_revoke(certificate=certificate, actor=certificate.institution.staff.get(), reason="理由")
    number = certificate_number(2026, 4_999_999) if case == "unknown" else certificate.number
    response = verify(client, number=number, key=certificate_check_key(number))
    assert response.status_code == 200
    assert response.context["checked"] is True
    section = result_section(response)
    assert f'data-certificate-status="{status}"' in section
    assert shown in section
    if case == "unknown":
        assert response.context["certificate"] is None
        assert certificate.occupation.name not in section
    else:
        assert response.context["certificate"] == certificate
        details = ("李建国", certificate.number, certificate.occupation.name, certificate.institution.name)
        for detail in details:
            assert detail in section
    assert holder.id_number not in response.content.decode()
    assert holder.phone not in response.content.decode()


@pytest.mark.parametrize(
    "key",
    ["", "0" * CHECK_KEY_LENGTH, "deadbeef", "x" * 5000, "<script>alert(1)</script>"],
)
def test_a_wrong_key_shows_nothing_and_asks_for_the_name(client, certificate, key):
    response = verify(client, number=certificate.number, key=key)
    assert response.status_code == 200
    assert response.context["checked"] is False
    assert response.context["key_unrecognised"] is True
    section = result_section(response)
    assert 'data-certificate-status="key_unrecognised"' in section
    for hidden in (certificate.occupation.name, certificate.institution.name, "李建国", "Valid certificate"):
        assert hidden not in section
    assert "<script>alert(1)</script>" not in response.content.decode()


@pytest.mark.parametrize(
    "number",
    [
        '"><script>alert(1)</script>',
        "<img src=x onerror=alert(1)>",
        "LA2026' onmouseover='x",
        "x" * 5000,
        "",
    ],
)
def test_hostile_numbers_in_links_are_escaped_and_clipped(client, number):
    for query in ({"number": number}, {"number": number, "key": "0" * CHECK_KEY_LENGTH}):
        response = verify(client, **query)
        assert response.status_code == 200
        content = response.content.decode()
        assert "<script>alert(1)</script>" not in content
        assert "<img src=x" not in content
        assert "' onmouseover='" not in content
        assert len(response.context["form"]["number"].value()) <= 60  # clipped to the field
        assert response.context["checked"] is False


def test_a_name_in_the_link_is_never_used(client, certificate):
    """Names stay out of URLs: a link with the name checks nothing."""
    response = verify(client, number=certificate.number, holder_name="李建国")
    assert response.context["checked"] is False
    assert "certificate" not in response.context


def test_scanned_look_ups_count_against_the_same_rate(client, settings, certificate):
    settings.CERTIFICATE_VERIFY_RATE = "3/m"
    key = certificate_check_key(certificate.number)
    for _ in range(5):
        assert verify(client, number=certificate.number).status_code == 200  # filling in does not count
    assert verify(client, number=certificate.number, key=key).status_code == 200
    assert verify(client, number=certificate.number, key="0" * CHECK_KEY_LENGTH).status_code == 200
    typed = client.post(
        url("certificate_verify"),
        {"number": certificate.number, "holder_name": "李建国"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert typed.status_code == 200

    limited = verify(client, number=certificate.number, key=key)
    assert limited.status_code == 429
    assert "429.html" in [t.name for t in limited.templates]
    content = limited.content.decode()
    assert TOO_MANY in content
    for hidden in ("Valid certificate", certificate.occupation.name, certificate.institution.name):
        assert hidden not in content


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_title_names_the_certificate_in_chinese_once(client, language):
    """In English the Chinese name follows the title; in Chinese the title is that name, not twice."""
    certificate = factories.CertificateFactory()
    client.force_login(certificate.worker)
    page = client.get(
        reverse("training:certificate_print", args=[certificate.pk]), HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    assert page.count("职业技能等级证书") == 1
