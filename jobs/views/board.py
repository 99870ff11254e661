"""The public job board: search and a posting's page."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jobs.forms.board import PostingSearchForm
from jobs.models import Application, JobPosting
from jobs.permissions import get_viewable_posting, manages_posting, public_postings
from laborbrand.accounts.models import User
from laborbrand.pages import paginate, query_without_page

Role = User.Role

# A search matching more postings says "more than 1,000" and offers 50 pages: counting every match of a broad
# search at 100,000 postings took longer than the rest of the page (see docs/decisions.md).
COUNT_LIMIT = 1000

# What a result card shows; nothing else is read, so a page of 20 is one query. The occupation, level,
# province and county come from the form's reference rows (PostingSearchForm.attach_reference_rows).
CARD_FIELDS = (
    "title",
    "headcount",
    "salary_min",
    "salary_max",
    "city_name",
    "housing",
    "meals",
    "social_insurance",
    "open_until",
    "published_at",
    "employer__name",
    "brand__name",
    "occupation",
    "min_level",
    "province",
    "county",
)


def _sort_query(request: HttpRequest, sort: str) -> str:
    """The current filters with another sort order, from the first page."""
    query = request.GET.copy()
    query.pop("page", None)
    query["sort"] = sort
    return query.urlencode()


def _postings(form: PostingSearchForm, *, many: bool = False) -> QuerySet[JobPosting]:
    return (
        form.filter(public_postings(), many=many)
        .select_related("employer", "brand")
        .only(*CARD_FIELDS)
        .order_by(*form.ordering())
    )


def search(request: HttpRequest) -> HttpResponse:
    form = PostingSearchForm(request.GET or None)
    page_obj = paginate(request, _postings(form), count_limit=COUNT_LIMIT)
    if page_obj.paginator.capped and page_obj.number == 1:
        # More postings match than the search counts: the first page is read in its order (the same rows).
        page_obj.object_list = _postings(form, many=True)[: page_obj.end_index()]
    page_obj.object_list = list(page_obj.object_list)
    form.attach_reference_rows(page_obj.object_list)
    filters = {name for name in form.fields if name != "sort" and request.GET.get(name)}
    applied = set()
    if request.user.is_authenticated and request.user.role == Role.WORKER:
        applied = set(
            request.user.job_applications.filter(posting_id__in=[p.pk for p in page_obj]).values_list(
                "posting_id", flat=True
            )
        )
    return render(
        request,
        "jobs/search.html",
        {
            "form": form,
            "page_obj": page_obj,
            "query": query_without_page(request),
            "sort": form.current_sort(),
            "sort_links": [
                (value, label, _sort_query(request, value)) for value, label in form.fields["sort"].choices
            ],
            "filtered": bool(filters),
            # A filter that cannot be read lists nothing (PostingSearchForm.filter): say why.
            "invalid": bool(form.errors),
            # Shown on the phone's "more filters" button: how many are set besides the keyword.
            "filter_count": len(filters - {"q"}),
            "applied": applied,
        },
    )


def posting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    posting = get_viewable_posting(request.user, pk)
    user = request.user
    role = user.role if user.is_authenticated else None
    application = None
    if role == Role.WORKER:
        application = (
            Application.objects.filter(posting=posting, worker=user).only("status", "created").first()
        )
    own = manages_posting(user, posting)
    return render(
        request,
        "jobs/posting_detail.html",
        {
            "posting": posting,
            # Open, not expired, of a verified employer: what the public sees and workers apply to.
            "is_public": posting.accepts_applications,
            "application": application,
            "own": own,
            "may_take_down": role == Role.CITY_ADMIN and posting.status != JobPosting.Status.TAKEN_DOWN,
        },
    )
