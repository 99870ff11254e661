"""The public job search against a known set of postings: each filter alone and combined, both sort orders,
pagination that keeps the filters, what never appears (drafts, closed, filled, expired, taken down, postings
of unverified employers), bad query parameters answered with a message or a sane page, and a query count
that does not change with filters, page or role."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("jobs:search")
TODAY = timezone.localdate()
NOW = timezone.now()


def titles(response) -> list[str]:
    return [posting.title for posting in response.context["page_obj"]]


def search(client, **params) -> list[str]:
    response = client.get(URL, params)
    assert response.status_code == 200
    return titles(response)


def query_count(client, params=None) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(URL, params or {})
    assert response.status_code == 200
    return len(context)


@pytest.fixture
def board(db):
    """Six public postings, published one hour apart (A newest), and one of each kind never listed.

    | posting | employer | place | occupation | min level | salary | benefits | brand |
    | A 数控车工 | 合力机械 | 金寨县 | machining[0] | — | 6,000–8,000 | housing, meals, insurance | brand |
    | B 电工 | 合力机械 | 霍山县 | electrical[0] | rank 3 | 5,000–7,000 | meals | — |
    | C 家政服务员 | 苏州家政 | 江苏 苏州 | domestic[0] | — | 4,000–5,000 | housing | — |
    | D 焊工 | 苏州家政 | 江苏 苏州 | machining[1] | rank 4 | 9,000–12,000 | insurance | brand |
    | E 钳工 | 合力机械 | 浙江 杭州 | machining[0] | rank 2 | 7,000–9,000 | — | — |
    | F 普工 | 合力机械 | 六安 (no county) | machining[0] | — | 3,000–3,500 | — | — |
    """
    anhui = factories.make_province("340000")
    jiangsu = factories.make_province("320000")
    zhejiang = factories.make_province("330000")
    heli = factories.VerifiedEmployerFactory(name="合力机械有限公司")
    suzhou = factories.VerifiedEmployerFactory(name="苏州家政服务公司", province=jiangsu, city_name="苏州市")
    machining = factories.make_occupations(2, "machining")
    electrical = factories.make_occupations(1, "electrical")[0]
    domestic = factories.make_occupations(1, "domestic")[0]
    brand = factories.RecognisedBrandFactory(name="金寨数控")
    rows = [
        ("A 数控车工", heli, anhui, "金寨县", machining[0], None, 6000, 8000, (1, 1, 1), brand),
        ("B 电工", heli, anhui, "霍山县", electrical, 3, 5000, 7000, (0, 1, 0), None),
        ("C 家政服务员", suzhou, jiangsu, None, domestic, None, 4000, 5000, (1, 0, 0), None),
        ("D 焊工", suzhou, jiangsu, None, machining[1], 4, 9000, 12000, (0, 0, 1), brand),
        ("E 钳工", heli, zhejiang, None, machining[0], 2, 7000, 9000, (0, 0, 0), None),
        ("F 普工", heli, anhui, "", machining[0], None, 3000, 3500, (0, 0, 0), None),
    ]
    descriptions = {
        "A": "操作CNC数控车床，五险一金，包住。",
        "B": "负责车间电气线路维护，持低压电工证。",
        "C": "照顾老人，做饭、打扫卫生；有月嫂经验优先。",
        "D": "二保焊、氩弧焊均可，工作地点苏州工业园区，缴纳五险。",
        "E": "装配与修配，能看懂图纸。",
        "F": "流水线作业，长白班。",
    }
    counties = {"金寨县": "341524", "霍山县": "341525"}
    postings = {}
    for hours, (
        title,
        employer,
        province,
        county,
        occupation,
        rank,
        low,
        high,
        benefits,
        brand_,
    ) in enumerate(rows):
        postings[title[0]] = factories.JobPostingFactory(
            title=title,
            employer=employer,
            province=province,
            city_name={"340000": "六安市", "320000": "苏州市", "330000": "杭州市"}[province.code],
            county=factories.make_county(counties[county]) if county else None,
            occupation=occupation,
            min_level=factories.make_level(rank) if rank else None,
            salary_min=low,
            salary_max=high,
            housing=bool(benefits[0]),
            meals=bool(benefits[1]),
            social_insurance=bool(benefits[2]),
            brand=brand_,
            description=descriptions[title[0]],
            published_at=NOW - datetime.timedelta(hours=hours),
        )
    # Never listed: not open, lapsed, or of an unverified employer.
    hidden = [
        factories.JobPostingFactory(title="X 草稿", employer=heli, draft=True),
        factories.JobPostingFactory(title="X 已关闭", employer=heli, closed=True),
        factories.JobPostingFactory(title="X 已招满", employer=heli, filled=True),
        factories.JobPostingFactory(title="X 已过期", employer=heli, expired=True),
        factories.JobPostingFactory(title="X 过了截止日", employer=heli, lapsed=True),
        factories.JobPostingFactory(title="X 已下架", employer=heli, taken_down=True),
        factories.JobPostingFactory(title="X 未认证企业", employer=factories.EmployerFactory()),
    ]
    return {
        "postings": postings,
        "hidden": hidden,
        "brand": brand,
        "machining": machining,
        "electrical": electrical,
    }


ALL = ["A 数控车工", "B 电工", "C 家政服务员", "D 焊工", "E 钳工", "F 普工"]


def test_anyone_sees_every_public_posting_newest_first_and_nothing_else(client, board):
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert titles(response) == ALL
    content = response.content.decode()
    assert "6 jobs found" in content
    assert "X " not in "".join(titles(response))
    for posting in board["hidden"]:
        assert posting.title not in content


def test_a_card_shows_salary_employer_place_and_benefits(client, board):
    content = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "¥6,000–8,000/month" in content
    assert "合力机械有限公司" in content
    assert "安徽省 六安市 金寨县" in content
    assert "Housing provided" in content
    assert reverse("jobs:posting_detail", args=[board["postings"]["A"].pk]) in content


@pytest.mark.parametrize(
    ("keyword", "expected"),
    [
        ("数控", ["A 数控车工"]),  # title and description
        ("焊工", ["D 焊工"]),  # title
        ("五险", ["A 数控车工", "D 焊工"]),  # description only
        ("月嫂", ["C 家政服务员"]),
        ("苏州家政", ["C 家政服务员", "D 焊工"]),  # employer's name only
        ("合力", ["A 数控车工", "B 电工", "E 钳工", "F 普工"]),
        ("焊", ["D 焊工"]),  # a single character
        ("cnc", ["A 数控车工"]),  # any case
        ("ＣＮＣ", []),  # full-width letters are other characters
        ("焊工 苏州", ["D 焊工"]),  # every word, each anywhere
        ("苏州　焊工", ["D 焊工"]),  # a full-width space separates words too
        ("  五险\t合力  ", ["A 数控车工"]),
        ("五险 五险", ["A 数控车工", "D 焊工"]),
        ("焊工 电工", []),  # no posting has both
        ("数控车床 五险一金 包住", ["A 数控车工"]),
        ("焊工作", []),  # each pair of characters is in D ("焊工" in the title, "工作" in the description)…
        ("焊工业", []),  # …but not the word
        ("不存在的岗位", []),
        ("%", []),  # wildcards are characters like any other
        ("_", []),
    ],
)
def test_keyword_words_must_each_occur_in_title_description_employer_or_occupation(
    client, board, keyword, expected
):
    assert search(client, q=keyword) == expected


def test_keyword_finds_the_occupations_name(client, board):
    # B's occupation is the first electrical one; its name appears nowhere else on the board but in titles
    # or descriptions that happen to hold it.
    name = board["electrical"].name
    expected = [
        title
        for key, title in zip("ABCDEF", ALL, strict=True)
        if board["postings"][key].occupation_id == board["electrical"].pk
        or name in board["postings"][key].title
        or name in board["postings"][key].description
    ]

    assert "B 电工" in expected
    assert search(client, q=name) == expected


def test_occupation_and_category(client, board):
    machining = board["machining"]
    assert search(client, occupation=machining[0].pk) == ["A 数控车工", "E 钳工", "F 普工"]
    assert search(client, category="machining") == ["A 数控车工", "D 焊工", "E 钳工", "F 普工"]
    assert search(client, category="electrical") == ["B 电工"]


@pytest.mark.parametrize(
    ("loc", "expected"),
    [
        ("county:341524", ["A 数控车工"]),
        ("county:341525", ["B 电工"]),
        ("city", ["A 数控车工", "B 电工", "F 普工"]),
        ("province:340000", ["A 数控车工", "B 电工", "F 普工"]),
        ("province:320000", ["C 家政服务员", "D 焊工"]),
        ("other", ["C 家政服务员", "D 焊工", "E 钳工"]),
        ("county:341502", []),
    ],
)
def test_location(client, board, loc, expected):
    assert search(client, loc=loc) == expected


def test_salary_range_overlaps_the_postings_range(client, board):
    assert search(client, salary_min=8000) == ["A 数控车工", "D 焊工", "E 钳工"]
    assert search(client, salary_max=4500) == ["C 家政服务员", "F 普工"]
    assert search(client, salary_min=5000, salary_max=6000) == ["A 数控车工", "B 电工", "C 家政服务员"]


@pytest.mark.parametrize(
    ("rank", "expected"),
    [
        (1, ["A 数控车工", "C 家政服务员", "F 普工"]),
        (2, ["A 数控车工", "C 家政服务员", "E 钳工", "F 普工"]),
        (3, ["A 数控车工", "B 电工", "C 家政服务员", "E 钳工", "F 普工"]),
        (5, ALL),
    ],
)
def test_skill_level_lists_the_jobs_its_holder_qualifies_for(client, board, rank, expected):
    assert search(client, level=rank) == expected


def test_brand(client, board):
    assert search(client, brand=board["brand"].pk) == ["A 数控车工", "D 焊工"]


def test_every_chosen_benefit_must_hold(client, board):
    assert search(client, housing="on") == ["A 数控车工", "C 家政服务员"]
    assert search(client, meals="on") == ["A 数控车工", "B 电工"]
    assert search(client, social_insurance="on") == ["A 数控车工", "D 焊工"]
    assert search(client, housing="on", social_insurance="on") == ["A 数控车工"]


def test_filters_combine(client, board):
    assert search(client, loc="other", category="machining", salary_min=8500) == ["D 焊工", "E 钳工"]
    assert search(client, loc="other", category="machining", salary_min=8500, level=3) == ["E 钳工"]
    assert search(client, q="合力", loc="city", meals="on", sort="salary") == ["A 数控车工", "B 电工"]


def test_sort_by_salary_puts_the_best_paid_first(client, board):
    assert search(client, sort="salary") == [
        "D 焊工",
        "E 钳工",
        "A 数控车工",
        "B 电工",
        "C 家政服务员",
        "F 普工",
    ]
    assert search(client, sort="newest") == ALL


def test_equal_salaries_and_dates_order_by_newest_row(client, db):
    first = factories.JobPostingFactory(title="first", published_at=NOW)
    second = factories.JobPostingFactory(title="second", published_at=NOW)
    assert first.pk < second.pk

    assert search(client) == ["second", "first"]
    assert search(client, sort="salary") == ["second", "first"]


def test_no_result_says_so_and_offers_all_jobs(client, board):
    response = client.get(URL, {"q": "不存在的岗位"}, HTTP_ACCEPT_LANGUAGE="en")

    content = response.content.decode()
    assert response.status_code == 200
    assert "No job matches these filters." in content
    assert "Show all jobs" in content


def test_empty_board_says_nothing_is_open(client, db):
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")

    assert "No job is open right now." in response.content.decode()


def test_pages_of_twenty_keep_the_filters(client, db):
    employer = factories.VerifiedEmployerFactory()
    for n in range(45):
        factories.JobPostingFactory(
            employer=employer,
            title=f"岗位{n:02d}",
            housing=True,
            published_at=NOW - datetime.timedelta(minutes=n),
        )
    factories.JobPostingFactory(employer=employer, title="无住宿", housing=False)

    first = client.get(URL, {"housing": "on", "sort": "newest"}, HTTP_ACCEPT_LANGUAGE="en")
    third = client.get(URL, {"housing": "on", "sort": "newest", "page": 3})

    assert len(titles(first)) == 20
    assert first.context["page_obj"].paginator.count == 45
    assert "45 jobs found" in first.content.decode()
    assert first.context["query"] == "housing=on&sort=newest"
    assert "?housing=on&amp;sort=newest&amp;page=2" in first.content.decode()
    assert titles(third) == [f"岗位{n:02d}" for n in range(40, 45)]


def test_sort_links_keep_the_filters_and_start_from_the_first_page(client, board):
    response = client.get(URL, {"loc": "other", "page": 1}, HTTP_ACCEPT_LANGUAGE="en")

    links = {value: query for value, _label, query in response.context["sort_links"]}
    assert links == {"newest": "loc=other&sort=newest", "salary": "loc=other&sort=salary"}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"loc": "garbage"}, "loc"),
        ({"loc": "county:999999"}, "loc"),
        ({"loc": "province:"}, "loc"),
        ({"loc": "county:341524x"}, "loc"),
        ({"salary_min": "abc"}, "salary_min"),
        ({"salary_min": "-5"}, "salary_min"),
        ({"salary_min": "4000.5"}, "salary_min"),
        ({"salary_max": "99999999999999999999"}, "salary_max"),
        ({"salary_max": "200001"}, "salary_max"),
        ({"salary_min": "4000", "salary_max": "3000"}, "salary_max"),
        ({"occupation": "abc"}, "occupation"),
        ({"occupation": "999999"}, "occupation"),
        ({"occupation": "99999999999999999999"}, "occupation"),
        ({"category": "nope"}, "category"),
        ({"level": "9"}, "level"),
        ({"level": "-1"}, "level"),
        ({"brand": "x"}, "brand"),
        ({"brand": "999999"}, "brand"),
        ({"q": "长" * 51}, "q"),
    ],
)
def test_a_bad_filter_gets_a_message_and_lists_no_job(client, board, params, field):
    """Never a wider search than asked for: dropping the bad filter and listing what the others match would
    show jobs the user excluded (a salary floor, a place), so nothing is listed until it is corrected."""
    response = client.get(URL, {**params, "housing": "on"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert field in response.context["form"].errors
    content = response.content.decode()
    assert "is-invalid" in content
    assert "Some filters could not be understood." in content
    assert titles(response) == []
    assert "jobs found" not in content
    assert "No job is open right now." not in content


@pytest.mark.parametrize(
    "params",
    [
        {"q": "", "loc": "", "occupation": "", "salary_min": "", "brand": "", "level": ""},
        {"q": "   "},
        {"q": "\u3000"},
        {"housing": "", "meals": "off"},  # an unticked box sends nothing; any value ticks it
    ],
)
def test_empty_filters_are_no_filters(client, board, params):
    expected = ["A 数控车工", "B 电工"] if params.get("meals") else ALL

    assert search(client, **params) == expected


@pytest.mark.parametrize(
    "params",
    [
        {"page": "999"},
        {"page": "abc"},
        {"page": "-1"},
        {"sort": "bogus"},
        {"sort": "bogus", "page": "0"},
        {"x": "1"},
    ],
)
def test_bad_page_or_sort_gives_a_sane_page(client, board, params):
    response = client.get(URL, params)

    assert response.status_code == 200
    assert titles(response) == ALL  # one page of six, newest first


def test_html_in_a_title_is_escaped(client, db):
    factories.JobPostingFactory(title="<script>alert(1)</script>")

    content = client.get(URL, {"q": "<script>"}).content.decode()

    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


def test_the_query_count_is_the_same_for_any_filters_page_and_role(client, board, worker, employer):
    for n in range(50):  # in Jinzhai, of the brand, all benefits: every filter below matches them
        factories.JobPostingFactory(
            title=f"更多岗位{n}",
            occupation=board["machining"][0],
            brand=board["brand"],
            housing=True,
            meals=True,
            social_insurance=True,
        )
    every_filter = {
        "q": "岗位",
        "loc": "city",
        "category": "machining",
        "occupation": board["machining"][0].pk,
        "level": 3,
        "salary_min": 5000,
        "salary_max": 9000,
        "brand": board["brand"].pk,
        "housing": "on",
        "meals": "on",
        "social_insurance": "on",
        "sort": "salary",
    }

    assert client.get(URL, every_filter).context["page_obj"].paginator.count == 50

    baseline = query_count(client)
    assert query_count(client, {"page": 3}) == baseline
    assert query_count(client, every_filter) == baseline
    assert query_count(client, {**every_filter, "brand": "", "page": 2}) == baseline
    assert query_count(client, {"loc": "other", "sort": "salary"}) == baseline
    # A bad filter lists nothing, so it needs neither the count nor the page.
    assert query_count(client, {"loc": "garbage", "salary_min": "abc"}) == baseline - 2
    assert baseline <= 9  # the choice lists (5), the count, the page; sessions cost nothing anonymous

    # A signed-in worker costs the session and user, plus one query for the "Applied" badges.
    client.force_login(worker)
    signed_in = query_count(client)
    assert query_count(client, {**every_filter, "page": 2}) == signed_in
    assert query_count(client, {"page": 3}) == signed_in


def test_a_worker_sees_which_jobs_they_applied_to(client, board, worker):
    factories.ApplicationFactory(posting=board["postings"]["B"], worker=worker)
    factories.ApplicationFactory(posting=board["postings"]["C"])  # someone else's
    client.force_login(worker)

    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")

    assert response.context["applied"] == {board["postings"]["B"].pk}
    assert response.content.decode().count(">Applied<") == 1


def test_the_page_works_in_chinese_by_default(client, board):
    response = client.get(URL)

    assert response.status_code == 200
    assert titles(response) == ALL


def test_filters_collapse_behind_a_button_on_phones_and_open_when_there_is_an_error(client, board):
    content = client.get(URL).content.decode()
    assert 'data-bs-target="#job-filters"' in content
    assert 'class="collapse d-lg-block" id="job-filters"' in content

    content = client.get(URL, {"loc": "garbage"}).content.decode()
    assert 'class="collapse d-lg-block show" id="job-filters"' in content


def test_counting_stops_at_the_limit_and_pages_end_there(client, board, monkeypatch):
    monkeypatch.setattr("jobs.views.board.COUNT_LIMIT", 4)

    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    last = client.get(URL, {"page": 2})

    assert "More than 4 jobs found." in response.content.decode()
    assert titles(response) == ALL[:4]
    assert response.context["page_obj"].paginator.num_pages == 1
    assert titles(last) == ALL[:4]


def test_a_count_at_the_limit_is_exact(client, board, monkeypatch):
    monkeypatch.setattr("jobs.views.board.COUNT_LIMIT", 6)

    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")

    assert "6 jobs found" in response.content.decode()
    assert not response.context["page_obj"].paginator.capped
