"""A private file (an application's evidence, a signed agreement) as a download, never cached or sniffed by
the browser; the view that sends it decides who may have it."""

from __future__ import annotations

from django.http import FileResponse, Http404


def private_file(field, content_type: str, name: str) -> FileResponse:
    try:
        handle = field.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=content_type, as_attachment=True, filename=name)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
