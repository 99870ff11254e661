from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from brands import figures, services
from brands.forms import (
    BrandForm,
    CriterionFormSet,
    DecisionForm,
    NewsForm,
    ReviewFilterForm,
    ShowcaseFilterForm,
    StandardForm,
)
from brands.listings import BRAND_REVIEWS, BRAND_SEARCH, BRANDS, NEWS, NEWS_SEARCH
from brands.models import Brand, BrandStandard
from brands.permissions import (
    can_edit_brand,
    can_keep_register,
    cannot_edit_brand,
    cannot_write_news,
    editable_criteria,
    get_brand_for,
    get_logo_brand_for,
    get_news_for,
    get_standard_for,
    news_brands,
    overview_counties,
    public_brands,
    public_news,
    visible_brands,
    visible_news,
)
from laborbrand.accounts.models import User
from laborbrand.accounts.permissions import role_required
from laborbrand.imports.links import start_url
from laborbrand.listings import staff_list
from laborbrand.pages import paginate, query_without_page, refusals_shown, unavailable_page
from laborbrand.reference.models import SkillLevel
from laborbrand.uniqueness import save_or_form_errors

Role = User.Role
SHOWCASE_PAGE_SIZE = 12
PROGRAMS_SHOWN = 6  # on a brand's page; the programme search lists them all
POSTINGS_SHOWN = 5  # on a brand's page, newest first; the job search lists them all


def _standards_by_dimension(brand: Brand) -> list[tuple[str, list[BrandStandard]]]:
    """The brand's standards by dimension, each measurable one with its target in words (`target_words`)."""
    standards = list(brand.standards.order_by("order", "pk"))
    levels = {}
    if any(s.measure == BrandStandard.Measure.MIN_CERTIFICATE_LEVEL for s in standards):
        levels = SkillLevel.by_rank()
    for standard in standards:
        standard.target_words = standard.target_text(levels) if standard.measure else ""
    return [
        (label, [s for s in standards if s.dimension == value])
        for value, label in BrandStandard.Dimension.choices
    ]


# --- Public ---------------------------------------------------------------------------------------------


def showcase(request: HttpRequest) -> HttpResponse:
    form = ShowcaseFilterForm(request.GET or None)
    brands = (
        form.filter(public_brands())
        .select_related("county", "township", "category")
        .order_by("-status", "county__code", "name")
    )
    return render(
        request,
        "brands/showcase.html",
        {
            "form": form,
            "page_obj": paginate(request, brands, SHOWCASE_PAGE_SIZE),
            "query": query_without_page(request),
        },
    )


def brand_detail(request: HttpRequest, slug: str) -> HttpResponse:
    brand = get_object_or_404(
        public_brands().select_related("county", "township", "category").prefetch_related("occupations"),
        slug=slug,
    )
    return render(
        request,
        "brands/brand_detail.html",
        {
            "brand": brand,
            "standards_by_dimension": _standards_by_dimension(brand),
            "news": list(brand.news.published()[:5]),
            # The reverse relation of training's programmes: brands never imports training.
            "programs": list(
                brand.programs.listed()
                .select_related("institution", "occupation", "target_level")
                .order_by("start_date", "pk")[:PROGRAMS_SHOWN]
            ),
            # The reverse relation of jobs' postings (open, of verified employers, not expired).
            "postings": list(
                brand.postings.public()
                .select_related("employer", "occupation", "province", "county")
                .order_by("-published_at", "-pk")[:POSTINGS_SHOWN]
            ),
            "partners": _partner_institutions(brand),
            "recognition": (
                brand.events.filter(new_status=Brand.Status.RECOGNISED).first()
                if brand.status == Brand.Status.RECOGNISED
                else None
            ),
            **figures.public_page_figures(brand),
            "figures_minutes": settings.BRAND_PAGE_FIGURES_SECONDS // 60,
        },
    )


def _partner_institutions(brand: Brand) -> list:
    """The institutions with a partner agreement filed for the brand, each once with its latest agreement
    (`institution.agreement`), latest first. Through the reverse relation of training's agreements: brands
    never imports training."""
    partners = {}
    for agreement in brand.agreements.select_related("institution", "institution__county").order_by(
        "-signed_on", "-pk"
    ):
        partners.setdefault(agreement.institution_id, agreement)
    institutions = []
    for agreement in partners.values():
        agreement.institution.agreement = agreement
        institutions.append(agreement.institution)
    return institutions


def brand_logo(request: HttpRequest, pk: int) -> FileResponse:
    """A brand's logo: public for public brands, otherwise only for those who may see the brand."""
    brand = get_logo_brand_for(request.user, pk)
    if not brand.logo:
        raise Http404
    try:
        logo = brand.logo.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(logo, content_type="image/png")
    response["Cache-Control"] = "public, max-age=3600" if brand.is_public else "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def news_list(request: HttpRequest) -> HttpResponse:
    news = public_news().select_related("brand", "brand__county")
    return render(request, "brands/news_list.html", {"page_obj": paginate(request, news)})


def news_detail(request: HttpRequest, pk: int) -> HttpResponse:
    news = get_object_or_404(public_news().select_related("brand", "brand__county"), pk=pk)
    return render(request, "brands/news_detail.html", {"news": news})


# --- County officials (and city admins, read-only) ------------------------------------------------------


@role_required(Role.COUNTY_OFFICIAL, Role.CITY_ADMIN)
def manage_list(request: HttpRequest) -> HttpResponse:
    brands = visible_brands(request.user).annotate(standard_count=Count("standards", distinct=True))
    return staff_list(
        request,
        brands,
        BRANDS,
        "brands/manage_list.html",
        {},
        search=BRAND_SEARCH,
        export_name=("brands", _("Labour brands")),
    )


@role_required(Role.COUNTY_OFFICIAL)
def brand_create(request: HttpRequest) -> HttpResponse:
    form = BrandForm(request.POST or None, request.FILES or None, county=request.user.county)
    if form.is_valid():
        brand = save_or_form_errors(
            form,
            lambda: services.brand_create(
                actor=request.user, county=request.user.county, **form.cleaned_data
            ),
        )
        if brand is not None:
            messages.success(
                request, _("Brand %(name)s saved as a draft. Now add its standards.") % {"name": brand.name}
            )
            return redirect("brands:manage_detail", pk=brand.pk)
    return render(request, "brands/brand_form.html", {"form": form})


@role_required(Role.COUNTY_OFFICIAL, Role.CITY_ADMIN)
def manage_detail(request: HttpRequest, pk: int) -> HttpResponse:
    brand = get_brand_for(request.user, pk)
    return render(
        request,
        "brands/manage_detail.html",
        {
            "brand": brand,
            "can_edit": can_edit_brand(request.user, brand),
            "standards_by_dimension": _standards_by_dimension(brand),
            "missing_dimensions": services.missing_dimensions(brand),
            "dimensions": BrandStandard.Dimension.choices,
            "events": brand.events.select_related("actor"),
            "news": brand.news.all(),
            "practitioner_count": brand.practitioners.active().count(),
            "can_keep_register": can_keep_register(request.user, brand),
            "practitioner_import_url": start_url("practitioners", brand),
        },
    )


def _editable_brand(request: HttpRequest, pk: int) -> Brand:
    brand = get_brand_for(request.user, pk)
    if not can_edit_brand(request.user, brand):
        raise PermissionDenied
    return brand


def _brand_form_unavailable(request: HttpRequest, pk: int) -> HttpResponse | None:
    """The page a brand's or its standards' form shows once the brand can no longer be edited."""
    brand = get_brand_for(request.user, pk)
    unavailable = cannot_edit_brand(brand)
    if unavailable is None:
        return None
    return unavailable_page(request, unavailable, title=_("Edit %(name)s") % {"name": brand.name})


# A brand submitted (or decided) while its form was open refuses the save: the refusal is a message on the
# brand's page, where the form is no longer offered, rather than an error on a form that cannot be used.


@role_required(Role.COUNTY_OFFICIAL)
def brand_update(request: HttpRequest, pk: int) -> HttpResponse:
    if (page := _brand_form_unavailable(request, pk)) is not None:
        return page
    brand = _editable_brand(request, pk)
    form = BrandForm(request.POST or None, request.FILES or None, instance=brand, county=brand.county)
    if form.is_valid():
        with refusals_shown(request):
            saved = save_or_form_errors(
                form, lambda: services.brand_update(brand=brand, actor=request.user, **form.cleaned_data)
            )
            if saved is None:
                return render(request, "brands/brand_form.html", {"form": form, "brand": brand})
            messages.success(request, _("Brand saved."))
        return redirect("brands:manage_detail", pk=brand.pk)
    return render(request, "brands/brand_form.html", {"form": form, "brand": brand})


@role_required(Role.COUNTY_OFFICIAL)
@require_POST
def brand_submit(request: HttpRequest, pk: int) -> HttpResponse:
    brand = _editable_brand(request, pk)
    with refusals_shown(request):
        services.brand_submit(brand=brand, actor=request.user)
        messages.success(request, _("Brand submitted to the city for review."))
    return redirect("brands:manage_detail", pk=brand.pk)


@role_required(Role.COUNTY_OFFICIAL)
def standard_create(request: HttpRequest, pk: int) -> HttpResponse:
    if (page := _brand_form_unavailable(request, pk)) is not None:
        return page
    brand = _editable_brand(request, pk)
    initial = {"dimension": request.GET.get("dimension")} if request.GET.get("dimension") else None
    form = StandardForm(request.POST or None, brand=brand, initial=initial)
    if form.is_valid():
        with refusals_shown(request):
            added = save_or_form_errors(form, lambda: services.standard_add(brand=brand, **form.cleaned_data))
            if added is None:
                return render(request, "brands/standard_form.html", {"form": form, "brand": brand})
            messages.success(request, _("Standard added."))
        return redirect("brands:manage_detail", pk=brand.pk)
    return render(request, "brands/standard_form.html", {"form": form, "brand": brand})


@role_required(Role.COUNTY_OFFICIAL)
def standard_update(request: HttpRequest, pk: int, standard_pk: int) -> HttpResponse:
    if (page := _brand_form_unavailable(request, pk)) is not None:
        return page
    brand = _editable_brand(request, pk)
    standard = get_standard_for(request.user, brand.pk, standard_pk)
    form = StandardForm(request.POST or None, instance=standard, brand=brand)
    context = {"form": form, "brand": brand, "standard": standard}
    if form.is_valid():
        with refusals_shown(request):
            saved = save_or_form_errors(
                form, lambda: services.standard_update(standard=standard, **form.cleaned_data)
            )
            if saved is None:
                return render(request, "brands/standard_form.html", context)
            messages.success(request, _("Standard saved."))
        return redirect("brands:manage_detail", pk=brand.pk)
    return render(request, "brands/standard_form.html", context)


@role_required(Role.COUNTY_OFFICIAL)
@require_POST
def standard_delete(request: HttpRequest, pk: int, standard_pk: int) -> HttpResponse:
    brand = _editable_brand(request, pk)
    with refusals_shown(request):
        services.standard_delete(standard=get_standard_for(request.user, brand.pk, standard_pk))
        messages.success(request, _("Standard removed."))
    return redirect("brands:manage_detail", pk=brand.pk)


def _standard_move(request: HttpRequest, pk: int, standard_pk: int, *, up: bool) -> HttpResponse:
    brand = _editable_brand(request, pk)
    with refusals_shown(request):
        services.standard_move(standard=get_standard_for(request.user, brand.pk, standard_pk), up=up)
    return redirect("brands:manage_detail", pk=brand.pk)


@role_required(Role.COUNTY_OFFICIAL)
@require_POST
def standard_move_up(request: HttpRequest, pk: int, standard_pk: int) -> HttpResponse:
    return _standard_move(request, pk, standard_pk, up=True)


@role_required(Role.COUNTY_OFFICIAL)
@require_POST
def standard_move_down(request: HttpRequest, pk: int, standard_pk: int) -> HttpResponse:
    return _standard_move(request, pk, standard_pk, up=False)


# --- Brand news (officials) -----------------------------------------------------------------------------


@role_required(Role.COUNTY_OFFICIAL)
def news_manage_list(request: HttpRequest) -> HttpResponse:
    return staff_list(
        request,
        visible_news(request.user),
        NEWS,
        "brands/news_manage_list.html",
        {"unavailable": cannot_write_news(request.user)},
        search=NEWS_SEARCH,
        export_name=("brand-news", _("Brand news")),
    )


@role_required(Role.COUNTY_OFFICIAL)
def news_create(request: HttpRequest) -> HttpResponse:
    unavailable = cannot_write_news(request.user)
    if unavailable is not None:
        return unavailable_page(request, unavailable, title=_("Write brand news"))
    form = NewsForm(request.POST or None, brands=news_brands(request.user))
    if form.is_valid():
        news = services.news_create(
            author=request.user, publish="publish" in request.POST, **form.cleaned_data
        )
        if news.status == news.Status.PUBLISHED:
            messages.success(request, _("News published."))
        else:
            messages.success(request, _("News saved as a draft."))
        return redirect("brands:news_manage_list")
    return render(request, "brands/news_form.html", {"form": form})


@role_required(Role.COUNTY_OFFICIAL)
def news_update(request: HttpRequest, pk: int) -> HttpResponse:
    news = get_news_for(request.user, pk)
    form = NewsForm(request.POST or None, instance=news, brands=news_brands(request.user))
    if form.is_valid():
        services.news_update(news=news, **form.cleaned_data)
        messages.success(request, _("News saved."))
        return redirect("brands:news_manage_list")
    return render(request, "brands/news_form.html", {"form": form, "news": news})


@role_required(Role.COUNTY_OFFICIAL)
@require_POST
def news_publish(request: HttpRequest, pk: int) -> HttpResponse:
    news = get_news_for(request.user, pk)
    with refusals_shown(request):
        services.news_publish(news=news)
        messages.success(request, _("News published."))
    return redirect("brands:news_manage_list")


@role_required(Role.COUNTY_OFFICIAL)
@require_POST
def news_unpublish(request: HttpRequest, pk: int) -> HttpResponse:
    services.news_unpublish(news=get_news_for(request.user, pk))
    messages.success(request, _("News withdrawn from the public pages."))
    return redirect("brands:news_manage_list")


# --- City admins ----------------------------------------------------------------------------------------


@role_required(Role.CITY_ADMIN)
def review_queue(request: HttpRequest) -> HttpResponse:
    data = request.GET.copy()
    data.setdefault("status", Brand.Status.SUBMITTED)
    form = ReviewFilterForm(data)
    brands = form.filter(visible_brands(request.user)).annotate(
        standard_count=Count("standards", distinct=True)
    )
    counts = dict(visible_brands(request.user).values_list("status").annotate(n=Count("pk")))
    status_counts = [(value, label, counts.get(value, 0)) for value, label in Brand.Status.choices]
    return staff_list(
        request,
        brands,
        BRAND_REVIEWS,
        "brands/review_queue.html",
        {
            "form": form,
            "status_counts": status_counts,
            "attention": {Brand.Status.SUBMITTED},
        },
        search=BRAND_SEARCH,
        export_name=("brand-reviews", _("Brand review queue")),
    )


@role_required(Role.CITY_ADMIN)
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    brand = get_brand_for(request.user, pk)
    criteria = figures.criteria_with_figures(brand)
    return render(
        request,
        "brands/review_detail.html",
        {
            "brand": brand,
            "standards_by_dimension": _standards_by_dimension(brand),
            "events": brand.events.select_related("actor"),
            "criteria": criteria,
            "missed": [row for row in criteria if not row["met"]],
            "allowed": services.ALLOWED.get(brand.status, set()),
            "Status": Brand.Status,
            "form": DecisionForm(),
        },
    )


def _decide(request: HttpRequest, pk: int, service, done: str) -> HttpResponse:
    """One decision of the city on a brand: `service` moves it with the reason given, `done` says so."""
    brand = get_brand_for(request.user, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("brands:review_detail", pk=brand.pk)
    with refusals_shown(request):
        service(brand=brand, actor=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, done)
    return redirect("brands:review_detail", pk=brand.pk)


@role_required(Role.CITY_ADMIN)
@require_POST
def brand_accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, services.brand_accept, _("Brand accepted as a cultivation target."))


@role_required(Role.CITY_ADMIN)
@require_POST
def brand_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, services.brand_return, _("Brand returned to the county for changes."))


@role_required(Role.CITY_ADMIN)
@require_POST
def brand_reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, services.brand_reject, _("Brand rejected."))


@role_required(Role.CITY_ADMIN)
@require_POST
def brand_recognise(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, services.brand_recognise, _("Brand recognised."))


@role_required(Role.CITY_ADMIN)
@require_POST
def brand_retire(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, services.brand_retire, _("Brand retired."))


@role_required(Role.CITY_ADMIN)
def county_overview(request: HttpRequest) -> HttpResponse:
    brands = visible_brands(request.user).select_related("category").order_by("name")
    counties = list(
        overview_counties(request.user)
        .prefetch_related(Prefetch("brands", queryset=brands))
        .annotate(
            established=Count("brands", filter=Q(brands__status__in=Brand.PUBLIC_STATUSES)),
        )
    )
    return render(
        request,
        "brands/county_overview.html",
        {"counties": counties, "without_established": [c for c in counties if not c.established]},
    )


@role_required(Role.CITY_ADMIN)
def criteria_edit(request: HttpRequest) -> HttpResponse:
    formset = CriterionFormSet(request.POST or None, queryset=editable_criteria(request.user))
    if formset.is_valid():
        formset.save()
        messages.success(request, _("Recognition criteria saved."))
        return redirect("brands:criteria")
    return render(request, "brands/criteria_form.html", {"formset": formset})
