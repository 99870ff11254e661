"""The error pages (wired in laborbrand/urls.py and settings). All but the 500 page are ordinary pages of the
site's layout; the 500 page needs neither a request context nor the database, as either may be what failed."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader

logger = logging.getLogger(__name__)

# What a visitor sees if even the 500 template cannot be rendered (e.g. a missing static manifest).
BARE_SERVER_ERROR = (
    '<!doctype html><html lang="zh-hans"><meta charset="utf-8"><title>500</title>'
    "<h1>500</h1><p>抱歉，系统出现错误，请稍后再试。</p>"
    '<p lang="en">Sorry, something went wrong on our side. Please try again later.</p>'
    '<p><a href="/">返回首页 · Home</a></p></html>'
)


def _error_page(request: HttpRequest, status: int, **context) -> HttpResponse:
    return render(request, f"{status}.html", context, status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _error_page(request, 400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _error_page(request, 403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _error_page(request, 404)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent with a missing or stale security token (most often: the session timed out while the form
    was open). Django's own page is an English technical note."""
    return _error_page(request, 403, csrf_failed=True)


def too_many_requests(request: HttpRequest, exception: Exception) -> HttpResponse:
    """django-ratelimit's refusal (RATELIMIT_VIEW). A refusal raised with a message shows that message."""
    response = _error_page(request, 429, reason=str(exception) if exception.args else "")
    response["Retry-After"] = "60"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    try:
        return HttpResponseServerError(loader.get_template("500.html").render())
    except Exception:
        logger.exception("the 500 page could not be rendered")
        return HttpResponseServerError(BARE_SERVER_ERROR)
