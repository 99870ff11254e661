"""Links from the training app's pages to its Excel imports."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.http import urlencode

register = template.Library()


@register.simple_tag
def import_url(key: str, target) -> str:
    """The page that imports rows of kind `key` into `target` (a programme, a session): only its id goes in
    the query string."""
    return f"{reverse('imports:start', args=[key])}?{urlencode({'target': target.pk})}"
