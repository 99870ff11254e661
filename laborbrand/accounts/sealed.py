"""Personal data kept in the session between the steps of a flow (registration, sign-in or reset by code,
a change of phone, the counter's registration): encrypted with the key of the accounts' encrypted fields, so
the session store never holds an ID or phone number in clear."""

from __future__ import annotations

import json

from laborbrand.accounts.models import User


def _cipher():
    return User._meta.get_field("id_number")


def seal(data: dict) -> str:
    return _cipher().get_prep_value(json.dumps(data, ensure_ascii=False))


def unseal(token) -> dict | None:
    """The data `seal` made, or None for anything else (nothing there, an old or altered value)."""
    if not token or not isinstance(token, str):
        return None
    try:
        data = json.loads(_cipher().to_python(token))
    except (TypeError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def save(session, key: str, data: dict) -> None:
    session[key] = seal(data)


def load(session, key: str) -> dict | None:
    return unseal(session.get(key))
