"""The brands app's staff lists: the keyword narrows the page and its Excel export alike, the export holds
every page in the page's order with its headers, a formula-like name stays text, another county's rows (or a
filter's) stay out, refused roles are refused the export as the page, and no query string is a 500."""

from __future__ import annotations

from functools import cached_property

import pytest
from django.urls import reverse

from laborbrand.reference.models import Occupation
from tests import factories
from tests.list_exports import (
    GARBAGE_QUERIES,
    KEYWORD,
    ListCase,
    World,
    check_export_holds_every_page,
    check_export_queries_constant,
    check_formula_exported_as_text,
    check_garbage_never_500,
    check_hidden_rows_stay_out,
    check_keyword_narrows_page_and_export,
    check_refused_alike,
    export_of,
    sign_in,
)

pytestmark = pytest.mark.django_db


class BrandWorld(World):
    @cached_property
    def brand_a(self):
        return factories.CultivatingBrandFactory(name="金寨红", county=self.official_a.county)

    @cached_property
    def brand_b(self):
        return factories.CultivatingBrandFactory(name="霍山黄", county=self.official_b.county)


@pytest.fixture
def world(request):
    return BrandWorld(request)


BRAND_HEADERS = (
    "Brand",
    "County/district",
    "Township",
    "Category",
    "Occupations",
    "Slogan / regional mark",
    "Standards",
    "Status",
    "Status since",
)

CASES = {
    "official's brands": ListCase(
        who="official_a",
        url=lambda w: reverse("brands:manage_list"),
        add=lambda w, name: factories.DraftBrandFactory(name=name, county=w.official_a.county),
        hidden=lambda w, name: factories.DraftBrandFactory(name=name, county=w.official_b.county),
        label=lambda brand: brand.name,
        key="Brand",
        headers=BRAND_HEADERS,
        refused=("institution_staff", "worker", "employer", "leading_member"),
    ),
    "admin's brands": ListCase(
        who="city_admin",
        url=lambda w: reverse("brands:manage_list"),
        add=lambda w, name: factories.CultivatingBrandFactory(name=name, county=w.official_b.county),
        label=lambda brand: brand.name,
        key="Brand",
        headers=BRAND_HEADERS,
    ),
    "official's brand news": ListCase(
        who="official_a",
        url=lambda w: reverse("brands:news_manage_list"),
        add=lambda w, name: factories.BrandNewsFactory(brand=w.brand_a, title=name),
        hidden=lambda w, name: factories.BrandNewsFactory(brand=w.brand_b, title=name, published=True),
        label=lambda news: news.title,
        key="Title",
        headers=("Title", "Brand", "Summary", "Status", "Published", "Created"),
        refused=("city_admin", "institution_staff", "worker"),
    ),
    "admin's brand review queue": ListCase(
        who="city_admin",
        url=lambda w: reverse("brands:review_queue"),
        add=lambda w, name: factories.SubmittedBrandFactory(name=name, county=w.official_a.county),
        # The queue shows submitted brands unless another status is chosen.
        hidden=lambda w, name: factories.DraftBrandFactory(name=name, county=w.official_b.county),
        label=lambda brand: brand.name,
        key="Brand",
        headers=BRAND_HEADERS,
        refused=("official_a", "institution_staff", "worker"),
    ),
}
IDS = list(CASES)
WITH_HIDDEN = [name for name, case in CASES.items() if case.hidden]
REFUSALS = [(name, who) for name, case in CASES.items() for who in case.refused]


@pytest.mark.parametrize("name", IDS)
def test_the_keyword_narrows_the_page_and_the_export_alike(name, world, client):
    check_keyword_narrows_page_and_export(CASES[name], world, client)


@pytest.mark.parametrize("name", IDS)
def test_the_export_holds_every_page_with_its_headers(name, world, client):
    check_export_holds_every_page(CASES[name], world, client)


@pytest.mark.parametrize("name", IDS)
def test_a_name_starting_with_equals_is_exported_as_text(name, world, client):
    check_formula_exported_as_text(CASES[name], world, client)


@pytest.mark.parametrize("name", WITH_HIDDEN)
def test_rows_the_reader_may_not_see_stay_out_of_the_export(name, world, client):
    check_hidden_rows_stay_out(CASES[name], world, client)


@pytest.mark.parametrize(("name", "who"), REFUSALS)
def test_a_refused_role_is_refused_the_export_as_the_page(name, who, world, client):
    check_refused_alike(CASES[name], world, client, who)


@pytest.mark.parametrize("params", GARBAGE_QUERIES)
@pytest.mark.parametrize("name", IDS)
def test_no_query_string_is_a_500(name, params, world, client):
    check_garbage_never_500(CASES[name], world, client, params)


@pytest.mark.parametrize("name", IDS)
def test_the_export_costs_the_same_queries_however_many_rows(
    name, world, client, django_assert_max_num_queries
):
    check_export_queries_constant(CASES[name], world, client, django_assert_max_num_queries)


# --- What each keyword searches, beyond the name ------------------------------------------------------------


def test_the_brand_keyword_searches_the_occupation_and_lists_a_brand_once(world, client, official_a):
    fitter, moulder = Occupation.objects.get(name="钳工"), Occupation.objects.get(name="模具工")
    brand = factories.DraftBrandFactory(name="金寨数控", county=official_a.county)
    brand.occupations.set([fitter, moulder])
    factories.DraftBrandFactory(name="金寨家政", county=official_a.county).occupations.set([moulder])
    sign_in(client, official_a)
    url = reverse("brands:manage_list")
    keyword = fitter.name

    page = client.get(url, {"q": keyword})
    export = export_of(client, url, {"q": keyword})

    assert [b.name for b in page.context["page_obj"]] == ["金寨数控"]
    assert export.column("Brand") == ["金寨数控"]
    assert export.cell(0, "Occupations").value == "、".join(o.name for o in brand.occupations.all())


def test_the_review_queue_exports_what_its_filters_and_keyword_show(world, client, city_admin, official_a):
    domestic = factories.make_category("domestic")
    factories.CultivatingBrandFactory(name="金寨茶艺嫂", county=official_a.county, category=domestic)
    factories.CultivatingBrandFactory(name="金寨茶艺工", county=official_a.county)  # another category
    factories.SubmittedBrandFactory(name="金寨茶艺师", county=official_a.county, category=domestic)  # status
    factories.CultivatingBrandFactory(name="金寨焊工", county=official_a.county, category=domestic)  # keyword
    sign_in(client, city_admin)
    params = {"status": "cultivating", "category": domestic.pk, "q": KEYWORD}

    page = client.get(reverse("brands:review_queue"), params)
    export = export_of(client, reverse("brands:review_queue"), params)

    assert [b.name for b in page.context["page_obj"]] == ["金寨茶艺嫂"]
    assert export.column("Brand") == ["金寨茶艺嫂"]
    assert export.cell(0, "Status").value == "Cultivation target"
    # Filtering again keeps the keyword.
    assert '<input type="hidden" name="q" value="茶艺">' in page.content.decode()


def test_the_export_is_named_by_the_list_and_the_day(world, client, official_a):
    sign_in(client, official_a)

    response = client.get(reverse("brands:manage_list"), {"export": "xlsx"})

    assert response["Content-Disposition"].startswith('attachment; filename="brands-20')
