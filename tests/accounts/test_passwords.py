"""Changing and resetting a password: the portal's password rules apply, and the pages use our templates."""

import re

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "New#pass2027"


def test_password_change_with_a_strong_password(client, worker):
    client.force_login(worker)

    response = client.post(
        reverse("password_change"),
        {
            "old_password": factories.TEST_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    assert response.status_code == 302
    assert response.url == reverse("password_change_done")
    worker.refresh_from_db()
    assert worker.check_password(NEW_PASSWORD)
    assert client.get(reverse("accounts:workbench")).status_code == 200  # still signed in


@pytest.mark.parametrize(
    ("new", "code"),
    [
        ("abcdefgh1234", "password_too_simple"),
        ("Ab1#", "password_too_short"),
        ("P@ssw0rd", "password_too_common"),
    ],
)
def test_password_change_applies_the_password_rules(client, worker, new, code):
    client.force_login(worker)

    response = client.post(
        reverse("password_change"),
        {"old_password": factories.TEST_PASSWORD, "new_password1": new, "new_password2": new},
    )

    assert response.status_code == 200
    assert response.context["form"].has_error("new_password2", code)
    worker.refresh_from_db()
    assert worker.check_password(factories.TEST_PASSWORD)


def test_password_change_needs_the_old_password(client, worker):
    client.force_login(worker)

    response = client.post(
        reverse("password_change"),
        {"old_password": "Wrong#pass1", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.context["form"].has_error("old_password", "password_incorrect")
    worker.refresh_from_db()
    assert worker.check_password(factories.TEST_PASSWORD)


def test_password_reset_mails_a_link_that_sets_a_new_password(client, worker, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": worker.email})

    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    [mail] = mailoutbox
    assert mail.to == [worker.email]
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", mail.body).group(1)

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert response.status_code == 302
    assert response.url == reverse("password_reset_complete")
    worker.refresh_from_db()
    assert worker.check_password(NEW_PASSWORD)


def test_password_reset_for_an_unknown_address_says_the_same_and_sends_nothing(client, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})

    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert mailoutbox == []


def test_password_reset_skips_deactivated_accounts(client, official_a, mailoutbox):
    official_a.is_active = False
    official_a.save(update_fields=["is_active"])

    client.post(reverse("password_reset"), {"email": official_a.email})

    assert mailoutbox == []


def test_password_reset_mail_carries_no_personal_numbers(client, worker, mailoutbox):
    client.post(reverse("password_reset"), {"email": worker.email})

    body = mailoutbox[0].body
    assert worker.id_number not in body
    assert worker.phone not in body
