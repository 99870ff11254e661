"""Labour cooperation pages through the test client: city admins record partner regions (county officials see
them read-only); city admins and county officials record docking fairs — the city's and their own county's —
with verified employers and those employers' postings. Another county's fair answers 404, a fair the user
sees but did not organise 403, other roles 403, anonymous visitors the login page. Bad input is a form error
with nothing saved; list pages run a fixed number of queries."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jobs.models import Application, DockingFair, PartnerRegion
from tests import factories
from tests.jobs.factories_coop import DockingFairFactory, PartnerRegionFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
HIRED = Application.Status.HIRED


def url(name, *args):
    return reverse(f"jobs:{name}", args=args)


def logged_in(client, user):
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def query_count(client, path):
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200
    return len(context)


@pytest.fixture
def partner(city_admin):
    return PartnerRegionFactory(name="苏州工业园区", created_by=city_admin)


@pytest.fixture
def city_fair(city_admin, partner):
    return DockingFairFactory(title="市级长三角对接会", partner=partner, created_by=city_admin)


@pytest.fixture
def fair_a(official_a, partner):
    return DockingFairFactory(title="金寨县对接会", partner=partner, county=official_a.county)


@pytest.fixture
def fair_b(official_b, partner):
    return DockingFairFactory(title="霍山县对接会", partner=partner, county=official_b.county)


def partner_post(**overrides):
    data = {
        "name": "无锡新吴区",
        "province": factories.make_province("320000").pk,
        "agreement": "定向输送数控技工，每年不少于200人。",
        "signed_on": (TODAY - datetime.timedelta(days=30)).isoformat(),
        "target_placements": "200",
        "active": "on",
    }
    data.update(overrides)
    return data


def fair_post(partner, employers, postings=(), **overrides):
    data = {
        "title": "浙江专场劳务对接会",
        "held_on": (TODAY - datetime.timedelta(days=3)).isoformat(),
        "place": "金寨县人力资源市场",
        "partner": partner.pk,
        "employers": [e.pk for e in employers],
        "postings": [p.pk for p in postings],
        "attendance": "350",
    }
    data.update(overrides)
    return data


# --- Partner regions ----------------------------------------------------------------------------------------


def test_city_admin_lists_partner_regions_with_edit_links(client, city_admin, partner):
    response = logged_in(client, city_admin).get(url("partner_list"))

    assert response.status_code == 200
    content = response.content.decode()
    assert "苏州工业园区" in content
    assert "江苏省" in content
    assert url("partner_create") in content
    assert url("partner_update", partner.pk) in content


def test_county_official_sees_partner_regions_read_only(client, official_a, partner):
    response = logged_in(client, official_a).get(url("partner_list"))

    assert response.status_code == 200
    content = response.content.decode()
    assert "苏州工业园区" in content
    assert url("partner_create") not in content
    assert url("partner_update", partner.pk) not in content
    assert client.get(url("partner_create")).status_code == 403
    assert client.post(url("partner_create"), partner_post()).status_code == 403
    assert client.get(url("partner_update", partner.pk)).status_code == 403
    assert client.post(url("partner_update", partner.pk), partner_post(name="改名")).status_code == 403
    partner.refresh_from_db()
    assert partner.name == "苏州工业园区"
    assert not PartnerRegion.objects.filter(name="无锡新吴区").exists()


def test_city_admin_adds_a_partner_region(client, city_admin):
    response = logged_in(client, city_admin).post(url("partner_create"), partner_post())

    assert response.status_code == 302
    assert response.url == url("partner_list")
    region = PartnerRegion.objects.get(name="无锡新吴区")
    assert (region.province.code, region.target_placements, region.active, region.created_by) == (
        "320000",
        200,
        True,
        city_admin,
    )
    assert "Partner region 无锡新吴区 saved." in client.get(response.url).content.decode()


def test_city_admin_edits_a_partner_region(client, city_admin, partner):
    response = logged_in(client, city_admin).post(
        url("partner_update", partner.pk),
        partner_post(name="苏州工业园区", target_placements="500", active=""),
    )

    assert response.status_code == 302
    partner.refresh_from_db()
    assert (partner.target_placements, partner.active, partner.province.code) == (500, False, "320000")
    assert partner.history.count() == 2


def test_unknown_partner_region_is_404(client, city_admin):
    assert logged_in(client, city_admin).get(url("partner_update", 999999)).status_code == 404


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"province": None}, "province", "is the city's own province"),
        ({"target_placements": "lots"}, "target_placements", "Enter a whole number."),
        ({"target_placements": "0"}, "target_placements", "greater than or equal to 1"),
        ({"target_placements": "-5"}, "target_placements", "greater than or equal to 1"),
        (
            {"signed_on": (TODAY + datetime.timedelta(days=2)).isoformat()},
            "signed_on",
            "cannot be in the future",
        ),
        ({"signed_on": "2026-02-30"}, "signed_on", "Enter a valid date."),
        ({"name": ""}, "name", "This field is required."),
        ({"province": "999999"}, "province", "Select a valid choice."),
    ],
)
def test_partner_region_bad_input_is_a_form_error_and_saves_nothing(
    client, city_admin, overrides, field, message
):
    if overrides.get("province", "") is None:
        overrides = {"province": factories.make_province("340000").pk}  # the city's own province (安徽省)
    response = logged_in(client, city_admin).post(url("partner_create"), partner_post(**overrides))

    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert "The partner region was not saved." in response.content.decode()
    assert not PartnerRegion.objects.exists()


def test_partner_region_names_are_unique(client, city_admin, partner):
    response = logged_in(client, city_admin).post(url("partner_create"), partner_post(name="苏州工业园区"))

    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert PartnerRegion.objects.count() == 1


def test_partner_region_text_is_escaped(client, city_admin):
    logged_in(client, city_admin).post(url("partner_create"), partner_post(agreement="<script>x()</script>"))

    content = client.get(url("partner_list")).content.decode()
    assert "<script>x()</script>" not in content
    assert "&lt;script&gt;x()&lt;/script&gt;" in content


def test_partner_list_shows_this_years_placements_against_the_target_with_a_progress_bar(
    client, city_admin, partner
):
    in_jiangsu = factories.JobPostingFactory(province=partner.province, county=None, city_name="苏州市")
    factories.ApplicationFactory.create_batch(3, posting=in_jiangsu, status=HIRED)

    response = logged_in(client, city_admin).get(url("partner_list"))

    (region,) = response.context["page_obj"]
    assert (region.placements, region.percent) == (3, 1)
    content = response.content.decode()
    assert '<progress class="w-100" value="3" max="300"' in content
    assert "style=" not in content.split('id="main"')[1]


def test_partner_list_query_count_does_not_grow_with_regions(client, city_admin):
    logged_in(client, city_admin)
    PartnerRegionFactory()
    few = query_count(client, url("partner_list"))
    for code in ("310000", "330000", "440000"):
        region = PartnerRegionFactory(province=factories.make_province(code))
        posting = factories.JobPostingFactory(province=region.province, county=None)
        factories.ApplicationFactory(posting=posting, status=HIRED)
        DockingFairFactory(partner=region)

    assert query_count(client, url("partner_list")) == few


# --- Docking fairs: who sees and edits what -----------------------------------------------------------------


def test_city_admin_sees_every_fair_and_edits_only_the_citys(client, city_admin, city_fair, fair_a, fair_b):
    response = logged_in(client, city_admin).get(url("fair_list"))

    assert {f.title for f in response.context["page_obj"]} == {
        "市级长三角对接会",
        "金寨县对接会",
        "霍山县对接会",
    }
    content = response.content.decode()
    assert url("fair_update", city_fair.pk) in content
    assert url("fair_update", fair_a.pk) not in content
    assert client.get(url("fair_detail", fair_a.pk)).status_code == 200
    assert client.get(url("fair_update", fair_a.pk)).status_code == 403
    assert client.get(url("fair_update", city_fair.pk)).status_code == 200


def test_official_sees_the_citys_and_own_countys_fairs(client, official_a, city_fair, fair_a, fair_b):
    response = logged_in(client, official_a).get(url("fair_list"))

    assert {f.title for f in response.context["page_obj"]} == {"市级长三角对接会", "金寨县对接会"}
    content = response.content.decode()
    assert "霍山县对接会" not in content
    assert url("fair_update", fair_a.pk) in content
    assert url("fair_update", city_fair.pk) not in content
    assert client.get(url("fair_detail", city_fair.pk)).status_code == 200
    assert client.get(url("fair_update", city_fair.pk)).status_code == 403


def test_official_b_gets_404_on_official_as_county_fair(client, official_b, fair_a, city_fair):
    logged_in(client, official_b)
    employer = fair_a.employers.get()

    assert client.get(url("fair_detail", fair_a.pk)).status_code == 404
    assert client.get(url("fair_update", fair_a.pk)).status_code == 404
    response = client.post(url("fair_update", fair_a.pk), fair_post(fair_a.partner, [employer], title="改掉"))
    assert response.status_code == 404
    fair_a.refresh_from_db()
    assert fair_a.title == "金寨县对接会"
    assert client.get(url("fair_detail", city_fair.pk)).status_code == 200


def test_unknown_fair_is_404(client, city_admin):
    logged_in(client, city_admin)
    assert client.get(url("fair_detail", 999999)).status_code == 404
    assert client.get(url("fair_update", 999999)).status_code == 404


@pytest.mark.parametrize("persona", ["institution_staff", "employer", "worker"])
def test_other_roles_get_403_on_every_cooperation_page(client, request, persona, partner, city_fair):
    logged_in(client, request.getfixturevalue(persona))
    employer = city_fair.employers.get()
    requests = [
        ("get", url("partner_list"), {}),
        ("get", url("partner_create"), {}),
        ("post", url("partner_create"), partner_post()),
        ("get", url("partner_update", partner.pk), {}),
        ("post", url("partner_update", partner.pk), partner_post(name="改名")),
        ("get", url("fair_list"), {}),
        ("get", url("fair_create"), {}),
        ("post", url("fair_create"), fair_post(partner, [employer])),
        ("get", url("fair_detail", city_fair.pk), {}),
        ("get", url("fair_update", city_fair.pk), {}),
        ("post", url("fair_update", city_fair.pk), fair_post(partner, [employer], title="改掉")),
    ]
    for method, path, data in requests:
        assert getattr(client, method)(path, data).status_code == 403, path
    assert (PartnerRegion.objects.count(), DockingFair.objects.count()) == (1, 1)


def test_anonymous_visitors_are_sent_to_log_in(client, partner, city_fair):
    for path in (
        url("partner_list"),
        url("partner_create"),
        url("partner_update", partner.pk),
        url("fair_list"),
        url("fair_create"),
        url("fair_detail", city_fair.pk),
        url("fair_update", city_fair.pk),
    ):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.url.startswith(reverse("login")), path


# --- Docking fairs: recording -------------------------------------------------------------------------------


@pytest.fixture
def zhejiang_employer(db):
    return factories.VerifiedEmployerFactory(name="宁波精工机械", province=factories.make_province("330000"))


@pytest.fixture
def zhejiang_posting(zhejiang_employer):
    return factories.JobPostingFactory(
        employer=zhejiang_employer, title="数控车工（宁波）", province=zhejiang_employer.province, county=None
    )


def test_official_records_a_fair_of_own_county(
    client, official_a, partner, zhejiang_employer, zhejiang_posting
):
    response = logged_in(client, official_a).post(
        url("fair_create"), fair_post(partner, [zhejiang_employer], [zhejiang_posting])
    )

    fair = DockingFair.objects.get()
    assert response.status_code == 302
    assert response.url == url("fair_detail", fair.pk)
    assert (fair.county, fair.created_by, fair.attendance, fair.partner) == (
        official_a.county,
        official_a,
        350,
        partner,
    )
    assert list(fair.employers.all()) == [zhejiang_employer]
    assert list(fair.postings.all()) == [zhejiang_posting]


def test_city_admin_records_a_city_fair(client, city_admin, partner, zhejiang_employer):
    response = logged_in(client, city_admin).post(
        url("fair_create"), fair_post(partner, [zhejiang_employer], attendance="")
    )

    assert response.status_code == 302
    fair = DockingFair.objects.get()
    assert (fair.county, fair.attendance, fair.postings.count()) == (None, None, 0)


def test_official_edits_own_countys_fair(client, official_a, fair_a, zhejiang_employer, zhejiang_posting):
    response = logged_in(client, official_a).post(
        url("fair_update", fair_a.pk),
        fair_post(fair_a.partner, [zhejiang_employer], [zhejiang_posting], title="金寨县秋季对接会"),
    )

    assert response.status_code == 302
    fair_a.refresh_from_db()
    assert (fair_a.title, fair_a.county) == ("金寨县秋季对接会", official_a.county)
    assert list(fair_a.employers.all()) == [zhejiang_employer]


def test_the_form_offers_only_verified_employers_and_the_ticked_employers_postings(
    client, official_a, partner, zhejiang_employer, zhejiang_posting
):
    unverified = factories.EmployerFactory(name="未审核公司")
    factories.JobPostingFactory(title="别家的岗位")
    factories.JobPostingFactory(employer=zhejiang_employer, title="草稿岗位", draft=True)
    logged_in(client, official_a)

    form = client.get(url("fair_create")).context["form"]
    assert unverified not in form.fields["employers"].queryset
    assert zhejiang_employer in form.fields["employers"].queryset
    assert form.offered_postings == []

    # "Show the ticked employers' postings" redraws the form with them, saving nothing.
    response = client.post(
        url("fair_create"), {**fair_post(partner, [zhejiang_employer]), "show_postings": "1"}
    )
    assert response.status_code == 200
    assert response.context["form"].offered_postings == [zhejiang_posting]
    content = response.content.decode()
    assert "数控车工（宁波）" in content
    assert "别家的岗位" not in content
    assert "草稿岗位" not in content
    assert "The fair was not saved" not in content
    assert not DockingFair.objects.exists()


def test_the_edit_form_ticks_the_fairs_employers_and_postings(client, official_a, fair_a, zhejiang_posting):
    fair_a.postings.set([zhejiang_posting])
    fair_a.employers.add(zhejiang_posting.employer)

    response = logged_in(client, official_a).get(url("fair_update", fair_a.pk))

    form = response.context["form"]
    assert form.offered_postings == [zhejiang_posting]
    assert form["postings"].value() == [zhejiang_posting.pk]
    assert zhejiang_posting.employer.pk in form["employers"].value()
    assert re.search(rf'name="postings" value="{zhejiang_posting.pk}"[^>]*checked', response.content.decode())


def test_a_posting_of_an_employer_not_in_the_fair_is_refused(
    client, official_a, partner, zhejiang_employer, zhejiang_posting
):
    stray = factories.JobPostingFactory(title="别家的岗位")

    response = logged_in(client, official_a).post(
        url("fair_create"), fair_post(partner, [zhejiang_employer], [zhejiang_posting, stray])
    )

    assert response.status_code == 200
    (error,) = response.context["form"].errors["postings"]
    assert "must belong to one of the fair's employers" in error
    assert "别家的岗位" in error
    # The stray posting is still shown, so it can be unticked.
    assert stray in response.context["form"].offered_postings
    assert not DockingFair.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"attendance": "-3"}, "attendance", "greater than or equal to 0"),
        ({"attendance": "many"}, "attendance", "Enter a whole number."),
        (
            {"held_on": (TODAY + datetime.timedelta(days=10)).isoformat(), "attendance": "100"},
            "attendance",
            "once the fair has taken place",
        ),
        ({"held_on": "not a date"}, "held_on", "Enter a valid date."),
        ({"employers": []}, "employers", "This field is required."),
        ({"partner": "999999"}, "partner", "Select a valid choice."),
        ({"title": ""}, "title", "This field is required."),
    ],
)
def test_fair_bad_input_is_a_form_error_and_saves_nothing(
    client, city_admin, partner, zhejiang_employer, overrides, field, message
):
    data = {**fair_post(partner, [zhejiang_employer]), **overrides}
    response = logged_in(client, city_admin).post(url("fair_create"), data)

    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert "The fair was not saved" in response.content.decode()
    assert not DockingFair.objects.exists()


def test_an_unverified_employer_is_refused(client, city_admin, partner, zhejiang_employer):
    unverified = factories.EmployerFactory()

    response = logged_in(client, city_admin).post(url("fair_create"), fair_post(partner, [unverified]))

    assert response.status_code == 200
    assert "employers" in response.context["form"].errors
    assert not DockingFair.objects.exists()


def test_a_partner_no_longer_in_force_is_not_offered_for_new_fairs_but_kept_on_old_ones(
    client, city_admin, city_fair
):
    city_fair.partner.active = False
    city_fair.partner.save(update_fields=["active"])
    PartnerRegionFactory(name="嘉兴市")
    logged_in(client, city_admin)

    assert city_fair.partner not in client.get(url("fair_create")).context["form"].fields["partner"].queryset
    form = client.get(url("fair_update", city_fair.pk)).context["form"]
    assert city_fair.partner in form.fields["partner"].queryset


@pytest.mark.parametrize("who", ["city_admin", "official_a"])
def test_with_no_partner_region_in_force_a_fair_form_says_what_to_do(client, request, city_fair, who):
    city_fair.partner.active = False
    city_fair.partner.save(update_fields=["active"])
    logged_in(client, request.getfixturevalue(who))

    response = client.get(url("fair_create"))

    assert response.status_code == 200
    assert "form" not in response.context
    content = response.content.decode()
    assert "no partner region is in force" in content
    assert url("partner_create" if who == "city_admin" else "partner_list") in content
    assert url("fair_create") not in client.get(url("fair_list")).content.decode()
    assert client.post(url("fair_create"), fair_post(city_fair.partner, [])).status_code == 403
    assert DockingFair.objects.count() == 1


def test_with_no_verified_employer_a_fair_form_says_so(client, city_admin, partner):
    response = logged_in(client, city_admin).get(url("fair_create"))
    assert "form" not in response.context
    assert "No employer is verified yet" in response.content.decode()


# --- Docking fairs: the list and the detail page ------------------------------------------------------------


def test_fair_detail_shows_employers_postings_attendance_and_resulting_hires(
    client, official_a, fair_a, zhejiang_employer, zhejiang_posting
):
    local = factories.JobPostingFactory(title="本地装配工")
    closed = factories.JobPostingFactory(employer=zhejiang_employer, title="已关闭岗位", closed=True)
    fair_a.postings.set([zhejiang_posting, local, closed])
    fair_a.employers.add(zhejiang_employer, local.employer)
    fair_a.attendance = 420
    fair_a.save(update_fields=["attendance"])
    factories.ApplicationFactory.create_batch(2, posting=zhejiang_posting, status=HIRED)
    factories.ApplicationFactory(posting=local, status=HIRED)
    factories.ApplicationFactory(posting=local)  # submitted, not a hire

    response = logged_in(client, official_a).get(url("fair_detail", fair_a.pk))

    assert (response.context["resulting_hires"], response.context["cross_province_hires"]) == (3, 2)
    content = response.content.decode()
    assert "宁波精工机械" in content
    assert "420" in content
    assert url("posting_detail", zhejiang_posting.pk) in content
    assert url("posting_detail", local.pk) in content
    # An official reaches only public postings; a closed one is listed without a link.
    assert "已关闭岗位" in content
    assert url("posting_detail", closed.pk) not in content
    assert url("fair_update", fair_a.pk) in content


def test_city_admin_sees_links_to_every_posting_of_a_fair(client, city_admin, fair_a):
    closed = factories.JobPostingFactory(closed=True)
    fair_a.postings.set([closed])

    content = logged_in(client, city_admin).get(url("fair_detail", fair_a.pk)).content.decode()

    assert url("posting_detail", closed.pk) in content
    assert url("fair_update", fair_a.pk) not in content


def test_fair_list_shows_resulting_hires_and_runs_a_fixed_number_of_queries(client, city_admin, partner):
    logged_in(client, city_admin)
    DockingFairFactory(partner=partner)
    few = query_count(client, url("fair_list"))

    for n in range(4):
        posting = factories.JobPostingFactory()
        fair = DockingFairFactory(partner=partner, postings=[posting], county=factories.make_county("341525"))
        factories.ApplicationFactory.create_batch(n, posting=posting, status=HIRED)
        fair.employers.add(factories.VerifiedEmployerFactory())

    assert query_count(client, url("fair_list")) == few
    response = client.get(url("fair_list"))
    assert sorted(f.resulting_hires for f in response.context["page_obj"]) == [0, 0, 1, 2, 3]


def test_fair_title_and_place_are_escaped(client, city_admin, partner, zhejiang_employer):
    logged_in(client, city_admin).post(
        url("fair_create"), fair_post(partner, [zhejiang_employer], title="<b>对接会</b>", place="<i>x</i>")
    )
    fair = DockingFair.objects.get()

    for path in (url("fair_list"), url("fair_detail", fair.pk)):
        content = client.get(path).content.decode()
        assert "<b>对接会</b>" not in content
        assert "&lt;b&gt;对接会&lt;/b&gt;" in content
