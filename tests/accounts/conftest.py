"""Fixtures of the SMS code tests (helpers in sms_codes.py)."""

import pytest
from django.db import transaction
from django.utils import timezone

from tests.accounts.sms_codes import START, Clock


@pytest.fixture
def clock(monkeypatch) -> Clock:
    fixed = Clock(START)
    monkeypatch.setattr(timezone, "now", fixed)
    return fixed


@pytest.fixture
def send_now(monkeypatch):
    """Texts leave when the page asks (the test's transaction never commits, so on_commit would never run)."""
    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


@pytest.fixture
def captcha_passes(monkeypatch):
    """django-simple-captcha's documented test mode: the answer "PASSED" passes (read once at import)."""
    from captcha.conf import settings as captcha_settings

    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", True)
