"""The HTML the live server sends while a browser test records it, for the HTML validation in
tests/browser/page_checks.py.

Recording happens on the server side so that the checker sees exactly the bytes the browser received (the
DOM Playwright could serialise has been repaired by the parser and changed by scripts). tests/settings.py puts
the middleware first; it costs one attribute check when nothing records.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse


@dataclass(frozen=True)
class SentPage:
    method: str
    path: str
    status: int
    html: bytes


_lock = threading.Lock()
_recording: list[SentPage] | None = None


@contextmanager
def recording() -> Iterator[list[SentPage]]:
    global _recording
    pages: list[SentPage] = []
    with _lock:
        _recording = pages
    try:
        yield pages
    finally:
        with _lock:
            _recording = None


def record_sent_html(get_response: Callable[[HttpRequest], HttpResponse]):
    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        pages = _recording
        if (
            pages is not None
            and not response.streaming
            and response.content
            and response["Content-Type"].startswith("text/html")
        ):
            path = request.get_full_path()
            with _lock:
                pages.append(SentPage(request.method or "", path, response.status_code, response.content))
        return response

    return middleware
