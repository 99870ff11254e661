from __future__ import annotations

import re

from django.contrib.auth.backends import ModelBackend

from laborbrand.accounts import pii
from laborbrand.accounts.models import User

NUMBER_RE = re.compile(r"[\d\s()+-]{7,}[xX]?")


def find_user(identifier: str) -> User | None:
    """The account a login identifier names: a user name, or a verified mobile number (written in any of
    the ways pii.normalize_phone understands). An unverified number signs nobody in."""
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    # A mobile number names its owner first, so another account cannot take that number as its user name
    # and so block the owner's sign-in by phone.
    if pii.is_mobile(identifier):
        user = User.objects.by_phone(identifier).filter(phone_verified_at__isnull=False).first()
        if user is not None:
            return user
    return User.objects.filter(username=identifier).first()


def code_sign_in_account(phone: str) -> User | None:
    """The account a code to `phone` may sign in: an active worker's, with that number verified. Staff keep
    their password (and e-mail reset): a code proves a phone, not a person entrusted with others' data."""
    return (
        User.objects.by_phone(phone)
        .filter(role=User.Role.WORKER, is_active=True, phone_verified_at__isnull=False)
        .first()
    )


class UsernameOrPhoneBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = find_user(username)
        if user is None:
            # Run the hasher anyway so response time does not tell whether the account exists.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def lockout_username(request, credentials) -> str:
    """What django-axes counts failures against: the account's user name, whichever identifier was typed.

    Unknown identifiers that look like phone or ID numbers are recorded by their keyed hash, never in clear.
    """
    identifier = (credentials or {}).get("username") or request.POST.get("username", "")
    user = find_user(identifier)
    if user is not None:
        if getattr(request, "code_sign_in", False):
            # A sign-in by SMS code (views.code_sign_in_confirm) proves the phone, not the password: it must
            # not reset the password's failures (AXES_RESET_ON_SUCCESS), so it names no account's record.
            return "code-sign-in:" + user.username
        return user.username
    if pii.is_mobile(identifier):
        return "phone:" + pii.pii_hash(pii.normalize_phone(identifier))[:16]
    if NUMBER_RE.fullmatch(identifier.strip()):  # an ID number, or a mistyped phone number
        return "number:" + pii.pii_hash(re.sub(r"[^\dX]", "", identifier.upper()))[:16]
    return identifier[:150]
