"""The one way pages link to an import: its page, with the id of what it imports into."""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import urlencode


def start_url(key: str, target=None) -> str:
    """The page that imports rows of kind `key` into `target` (a brand, a programme, a session, an
    institution; None for an import without one). Only the target's id goes in the query string."""
    url = reverse("imports:start", args=[key])
    return f"{url}?{urlencode({'target': target.pk})}" if target is not None else url
