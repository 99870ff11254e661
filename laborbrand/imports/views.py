"""The import pages: an import's page (template, upload, recent batches) and a batch's page (progress,
preview, confirm, result, undo), with the batch's status for the progress bar and the two downloads.

Who may import into what is the importer's own decision (`Importer.target_for`, through its app's scoping):
an import or a target the user may not use answers 404, and so does another user's batch."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from laborbrand.imports import services, sheets, work
from laborbrand.imports.engine import ImportFileError
from laborbrand.imports.forms import UploadForm
from laborbrand.imports.permissions import get_batch_for, get_importer_for
from laborbrand.pages import paginate, query_id, refusals_shown
from laborbrand.spreadsheets import xlsx_response

REFUSED_PER_PAGE = 50


@login_required
def start(request: HttpRequest, key: str) -> HttpResponse:
    target_id = query_id(request, "target")
    importer = get_importer_for(request.user, key, target_id)
    # Bound on every POST: a POST without a file is an error to show, not a fresh form.
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if form.is_bound and form.is_valid():
        batch = services.batch_start(importer=importer, upload=form.cleaned_data["file"])
        return redirect("imports:batch", pk=batch.pk)
    return render(
        request,
        "imports/import_start.html",
        {
            "importer": importer,
            "target_id": target_id,
            "form": form,
            "batches": services.latest_batches(request.user, key, importer.target and importer.target.pk),
        },
    )


@login_required
def template_download(request: HttpRequest, key: str) -> HttpResponse:
    importer = get_importer_for(request.user, key, query_id(request, "target"))
    return xlsx_response(
        sheets.template_workbook(importer),
        ascii_name=f"{key}-template.xlsx",
        display_name=_("%(title)s template.xlsx") % {"title": importer.title},
    )


@login_required
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch, importer = get_batch_for(request.user, pk)
    return render(
        request,
        "imports/batch_detail.html",
        {
            "batch": batch,
            "importer": importer,
            "rows_done": work.progress(batch),
            "confirm_refusal": services.cannot_confirm(batch),
            "undo_refusal": services.cannot_undo(batch, request.user),
            "refused_page": paginate(request, batch.refused_rows, REFUSED_PER_PAGE),
        },
    )


@login_required
@never_cache
def batch_status(request: HttpRequest, pk: int) -> JsonResponse:
    """The batch's step and progress, for the page's progress bar (static/js/import_progress.js)."""
    batch, _importer = get_batch_for(request.user, pk)
    done = work.progress(batch)
    # An undo is not counted in rows: its bar runs without a figure.
    total = None if batch.status == batch.Status.UNDOING else batch.rows_total
    return JsonResponse(
        {
            "status": batch.status,
            "working": batch.is_working,
            "rows_done": done,
            "rows_total": total,
            "percent": min(100, done * 100 // total) if total else None,
        }
    )


@login_required
@require_POST
def batch_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    batch, _importer = get_batch_for(request.user, pk)
    with refusals_shown(request):
        services.batch_confirm(batch=batch, user=request.user)
    return redirect("imports:batch", pk=batch.pk)


@login_required
@require_POST
def batch_undo(request: HttpRequest, pk: int) -> HttpResponse:
    batch, _importer = get_batch_for(request.user, pk)
    with refusals_shown(request):
        services.batch_undo_request(batch=batch, user=request.user)
    return redirect("imports:batch", pk=batch.pk)


@login_required
def batch_errors(request: HttpRequest, pk: int) -> HttpResponse:
    """The checked file with an error column: the importer's own, while the file is kept."""
    batch, importer = get_batch_for(request.user, pk)
    try:
        content = sheets.error_report(batch, work.stored_bytes(batch))
    except ImportFileError as refusal:
        messages.error(request, str(refusal))
        return redirect("imports:batch", pk=batch.pk)
    return xlsx_response(
        content,
        ascii_name=f"{batch.importer}-{batch.pk}-errors.xlsx",
        display_name=_("%(title)s errors %(number)s.xlsx") % {"title": importer.title, "number": batch.pk},
    )
