"""The benchmark's yardstick: the least a Django page listing postings can do — paginate 50 rows of the
job-postings table in primary-key order (a COUNT and one SELECT, no joins, no filters) and render them
through a minimal template, behind the same middleware as every portal page."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jobs.models import JobPosting

PAGE_SIZE = 50


def bare(request: HttpRequest) -> HttpResponse:
    # The keyword search's tokens (issue 12) are left out, so the yardstick reads the rows it always read.
    postings = JobPosting.objects.defer("search_tokens").order_by("pk")
    page_obj = Paginator(postings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "bare.html", {"page_obj": page_obj})
