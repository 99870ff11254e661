"""The pure match score (jobs/matching/scoring.py) on arrays built here, no database: hypothesis properties
(bounded, a higher certificate level never lowers the score, excluded pairs never kept, same input same
output whatever the order) and the documented value of every component, and explain()."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from jobs.matching import scoring
from jobs.matching.scoring import Postings, Workers
from jobs.matching.weights import COMPONENTS, DEFAULT_WEIGHTS

# The same examples on every run (no example database): CI stays fast and a failure reproduces.
PROPERTIES = hypothesis_settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
    database=None,
)
N_COUNTIES, N_BRANDS, N_PROVINCES = 3, 2, 3  # province 0 is the home province
ZERO_WEIGHTS = dict.fromkeys(COMPONENTS, 0)


# --- Building blocks ----------------------------------------------------------------------------------------


# Any weights a city admin can set (0–100 each), every one zero among them.
weights_strategy = st.one_of(
    st.just(ZERO_WEIGHTS), st.fixed_dictionaries({name: st.integers(0, 100) for name in COMPONENTS})
)
salaries = st.one_of(st.just(0), st.integers(1000, 20000))


@st.composite
def inputs(draw, max_workers: int = 6, max_postings: int = 8):
    """(workers, postings, category_of_occupation, applied): a small random but consistent block."""
    n_occupations = draw(st.integers(1, 5))
    n_categories = draw(st.integers(1, n_occupations))
    category_of_occupation = np.array(
        draw(st.lists(st.integers(0, n_categories - 1), min_size=n_occupations, max_size=n_occupations)),
        np.int32,
    )
    n_w = draw(st.integers(1, max_workers))
    workers = Workers(
        ids=np.array(
            draw(st.lists(st.integers(1, 10**6), min_size=n_w, max_size=n_w, unique=True)), np.int64
        ),
        county=draw(arrays(np.int64, n_w, elements=st.integers(0, N_COUNTIES))),
        expected_salary=np.array(draw(st.lists(salaries, min_size=n_w, max_size=n_w)), np.int32),
        accepts_other_province=draw(arrays(bool, n_w)),
        preferred=draw(arrays(bool, (n_w, N_PROVINCES))),
        interest=draw(arrays(bool, (n_w, n_occupations))),
        level=draw(arrays(np.uint8, (n_w, n_occupations), elements=st.integers(0, 5))),
        member=draw(arrays(bool, (n_w, N_BRANDS))),
    )
    n_p = draw(st.integers(1, max_postings))
    occupation = draw(arrays(np.int32, n_p, elements=st.integers(0, n_occupations - 1)))
    province = draw(arrays(np.int32, n_p, elements=st.integers(0, N_PROVINCES - 1)))
    home = province == 0
    county = np.where(home, draw(arrays(np.int64, n_p, elements=st.integers(0, N_COUNTIES))), 0)
    postings = Postings(
        ids=np.array(
            draw(st.lists(st.integers(1, 10**6), min_size=n_p, max_size=n_p, unique=True)), np.int64
        ),
        occupation=occupation,
        category=category_of_occupation[occupation],
        min_level=draw(arrays(np.uint8, n_p, elements=st.integers(0, 5))),
        brand=draw(arrays(np.int32, n_p, elements=st.integers(-1, N_BRANDS - 1))),
        county=county,
        in_city=(county != 0) | (home & draw(arrays(bool, n_p))),
        in_home_province=home,
        province=province,
        salary_max=np.array(draw(st.lists(salaries, min_size=n_p, max_size=n_p)), np.int32),
        age_days=draw(arrays(np.int32, n_p, elements=st.integers(-1, 120))),
        applicants=draw(arrays(np.int32, n_p, elements=st.integers(0, 30))),
        openings=draw(arrays(np.int32, n_p, elements=st.integers(1, 5))),
    )
    applied = draw(arrays(bool, (n_w, n_p)))
    return workers, postings, category_of_occupation, applied


def score(workers, postings, category_of_occupation, applied=None, weights=DEFAULT_WEIGHTS):
    return scoring.score_block(
        workers, postings, weights, category_of_occupation=category_of_occupation, applied=applied
    )


def order_numbers(ids: np.ndarray) -> np.ndarray:
    """Each id's position among the ids sorted ascending (0 = lowest), the tie-breaker ranked_keys expects."""
    return np.argsort(np.argsort(ids, kind="stable"), kind="stable")


def kept_for_workers(workers, postings, block, k):
    """{(worker id, posting id): key} of each worker's k best allowed postings."""
    keys = scoring.ranked_keys(block.score, block.allowed, order_numbers(postings.ids), axis=1)
    rows, cols = scoring.top_per_row(keys, k)
    return {
        (int(workers.ids[r]), int(postings.ids[c])): int(keys[r, c]) for r, c in zip(rows, cols, strict=True)
    }


def kept_for_postings(workers, postings, block, k):
    """{(worker id, posting id): key} of each posting's k best allowed workers."""
    keys = scoring.ranked_keys(block.score, block.allowed, order_numbers(workers.ids), axis=0)
    cols, rows = scoring.top_per_row(keys.T, k)
    return {
        (int(workers.ids[r]), int(postings.ids[c])): int(keys[r, c]) for r, c in zip(rows, cols, strict=True)
    }


# --- Properties ---------------------------------------------------------------------------------------------


@PROPERTIES
@given(data=inputs(), weights=weights_strategy)
def test_score_stays_within_0_and_100_for_any_weights(data, weights):
    workers, postings, categories, applied = data
    block = score(workers, postings, categories, applied, weights)
    assert block.score.shape == (len(workers), len(postings))
    assert np.all(np.isfinite(block.score))
    assert np.all((block.score >= 0) & (block.score <= 100))
    for name in COMPONENTS:
        assert np.all((block.fits[name] >= 0) & (block.fits[name] <= 1)), name
    # Before clipping, too: the weighted mean of fits in 0–1 cannot leave 0–100 (the clip is only a guard).
    shares = scoring.normalised_weights(weights)
    unclipped = sum(100 * shares[name] * block.fits[name].astype(np.float64) for name in COMPONENTS)
    assert np.all((unclipped > -1e-3) & (unclipped < 100 + 1e-3))


@PROPERTIES
@given(data=inputs(), weights=weights_strategy, raised=st.data())
def test_a_higher_certificate_level_never_lowers_the_score(data, weights, raised):
    workers, postings, categories, applied = data
    higher_level = np.maximum(
        workers.level, raised.draw(arrays(np.uint8, workers.level.shape, elements=st.integers(0, 5)))
    )
    higher = Workers(**{**workers.__dict__, "level": higher_level})
    before = score(workers, postings, categories, applied, weights)
    after = score(higher, postings, categories, applied, weights)
    assert np.all(after.score >= before.score)
    assert np.all(after.fits["level"] >= before.fits["level"])
    assert np.array_equal(after.allowed, before.allowed)


@PROPERTIES
@given(data=inputs(), weights=weights_strategy, k=st.integers(1, 4))
def test_an_excluded_pair_is_never_allowed_nor_kept(data, weights, k):
    workers, postings, categories, applied = data
    block = score(workers, postings, categories, applied, weights)
    other_province_refused = ~postings.in_home_province[None, :] & ~workers.accepts_other_province[:, None]
    excluded = applied | other_province_refused
    assert not np.any(block.allowed & excluded)
    assert np.array_equal(block.allowed, ~excluded)
    excluded_pairs = {
        (int(workers.ids[r]), int(postings.ids[c])) for r, c in zip(*np.nonzero(excluded), strict=True)
    }
    assert not excluded_pairs & set(kept_for_workers(workers, postings, block, k))
    assert not excluded_pairs & set(kept_for_postings(workers, postings, block, k))


@PROPERTIES
@given(data=inputs(), weights=weights_strategy, k=st.integers(1, 4))
def test_the_kept_lists_are_the_best_allowed_by_score_then_lower_id(data, weights, k):
    workers, postings, categories, applied = data
    block = score(workers, postings, categories, applied, weights)
    hundredths = scoring.score_int(block.score)
    expected = set()
    for i in range(len(workers)):
        allowed = [j for j in range(len(postings)) if block.allowed[i, j]]
        best = sorted(allowed, key=lambda j: (-hundredths[i, j], postings.ids[j]))[:k]
        expected |= {(int(workers.ids[i]), int(postings.ids[j])) for j in best}
    assert set(kept_for_workers(workers, postings, block, k)) == expected

    expected = set()
    for j in range(len(postings)):
        allowed = [i for i in range(len(workers)) if block.allowed[i, j]]
        best = sorted(allowed, key=lambda i: (-hundredths[i, j], workers.ids[i]))[:k]
        expected |= {(int(workers.ids[i]), int(postings.ids[j])) for i in best}
    assert set(kept_for_postings(workers, postings, block, k)) == expected


@PROPERTIES
@given(
    data=inputs(), weights=weights_strategy, k=st.integers(1, 4), shuffle=st.randoms(use_true_random=False)
)
def test_same_input_gives_the_same_output_in_any_order(data, weights, k, shuffle):
    workers, postings, categories, applied = data
    first = score(workers, postings, categories, applied, weights)
    again = score(workers, postings, categories, applied, weights)
    assert np.array_equal(first.score, again.score)
    assert np.array_equal(first.allowed, again.allowed)
    assert all(np.array_equal(first.fits[name], again.fits[name]) for name in COMPONENTS)

    w_order = np.array(shuffle.sample(range(len(workers)), len(workers)))
    p_order = np.array(shuffle.sample(range(len(postings)), len(postings)))
    shuffled_workers, shuffled_postings = workers.take(w_order), postings.take(p_order)
    shuffled = score(
        shuffled_workers, shuffled_postings, categories, applied[np.ix_(w_order, p_order)], weights
    )
    assert np.array_equal(shuffled.score, first.score[np.ix_(w_order, p_order)])
    assert np.array_equal(shuffled.allowed, first.allowed[np.ix_(w_order, p_order)])
    assert kept_for_workers(shuffled_workers, shuffled_postings, shuffled, k) == kept_for_workers(
        workers, postings, first, k
    )
    assert kept_for_postings(shuffled_workers, shuffled_postings, shuffled, k) == kept_for_postings(
        workers, postings, first, k
    )


@PROPERTIES
@given(data=inputs(max_workers=3, max_postings=3), weights=weights_strategy)
def test_the_explanation_adds_up_to_the_score(data, weights):
    workers, postings, categories, _applied = data
    block = score(workers, postings, categories, weights=weights)
    for i, j in np.ndindex(block.score.shape):
        fits = {name: round(float(block.fits[name][i, j]) * 1000) for name in COMPONENTS}
        parts = scoring.explain(fits, weights)
        # Each part is rounded to 0.1 and each fit to 0.001: at most 7 × (0.05 + 0.1 × share) apart.
        assert sum(p.points for p in parts) == pytest.approx(float(block.score[i, j]), abs=0.5)
        assert sum(p.maximum for p in parts) == pytest.approx(100, abs=0.36)
        assert all(0 <= p.points <= p.maximum + 1e-9 for p in parts)


# --- Each component's documented values ---------------------------------------------------------------------

# Occupations 0 and 1 are in category 0, occupation 2 in category 1.
CATEGORIES = np.array([0, 0, 1], np.int32)


def make_worker(**values) -> Workers:
    row = {
        "ids": 1, "county": 1, "expected_salary": 6000, "accepts_other_province": False,
        "preferred": [False] * N_PROVINCES, "interest": [True, False, False], "level": [0, 0, 0],
        "member": [False] * N_BRANDS,
    } | values  # fmt: skip
    dtypes = {"ids": np.int64, "county": np.int64, "expected_salary": np.int32, "level": np.uint8}
    return Workers(**{name: np.array([value], dtypes.get(name, bool)) for name, value in row.items()})


def make_posting(**values) -> Postings:
    row = {
        "ids": 10, "occupation": 0, "min_level": 0, "brand": -1, "county": 1, "in_city": True,
        "in_home_province": True, "province": 0, "salary_max": 6000, "age_days": 0, "applicants": 0,
        "openings": 1,
    } | values  # fmt: skip
    row["category"] = CATEGORIES[row["occupation"]]
    dtypes = {"ids": np.int64, "county": np.int64, "min_level": np.uint8, "in_city": bool}
    dtypes["in_home_province"] = bool
    return Postings(**{name: np.array([value], dtypes.get(name, np.int32)) for name, value in row.items()})


def fit(component: str, *, worker=None, posting=None) -> float:
    block = score(make_worker(**(worker or {})), make_posting(**(posting or {})), CATEGORIES)
    return round(float(block.fits[component][0, 0]), 4)


@pytest.mark.parametrize(
    ("interest", "expected"),
    [([True, False, False], 1.0), ([False, True, False], 0.5), ([False, False, True], 0.0)],
    ids=["same occupation", "same category only", "other category"],
)
def test_occupation_fit(interest, expected):
    assert fit("occupation", worker={"interest": interest}) == expected


def test_a_certificate_counts_as_interest_through_the_interest_column():
    # The loader marks certified occupations as of interest; the score reads only that column.
    assert fit("occupation", worker={"interest": [False, False, False], "level": [3, 0, 0]}) == 0.0


@pytest.mark.parametrize(
    ("held", "required", "expected"),
    [(3, 3, 1.0), (5, 3, 1.0), (2, 3, 0.4), (1, 4, 0.15), (0, 3, 0.0), (0, 0, 0.8), (1, 0, 1.0)],
)
def test_level_fit(held, required, expected):
    assert fit("level", worker={"level": [held, 0, 0]}, posting={"min_level": required}) == expected


def test_level_fit_reads_the_certificate_in_the_postings_occupation_only():
    assert fit("level", worker={"level": [0, 5, 0]}, posting={"min_level": 2}) == 0.0


@pytest.mark.parametrize(
    ("member", "brand", "expected"),
    [([True, False], 0, 1.0), ([False, True], 0, 0.0), ([True, True], -1, 0.5), ([False, False], -1, 0.5)],
)
def test_brand_fit(member, brand, expected):
    assert fit("brand", worker={"member": member}, posting={"brand": brand}) == expected


@pytest.mark.parametrize(
    ("worker", "posting", "expected"),
    [
        ({"county": 1}, {"county": 1}, 1.0),
        ({"county": 2}, {"county": 1}, 0.8),
        ({"county": 0}, {"county": 0, "in_city": True}, 0.8),
        ({"county": 1}, {"county": 0, "in_city": False}, 0.5),
        (
            {"accepts_other_province": True, "preferred": [False, True, False]},
            {"county": 0, "in_city": False, "in_home_province": False, "province": 1},
            0.5,
        ),
        (
            {"accepts_other_province": True, "preferred": [False, False, True]},
            {"county": 0, "in_city": False, "in_home_province": False, "province": 1},
            0.3,
        ),
    ],
    ids=[
        "same county",
        "elsewhere in the city",
        "city, county unknown",
        "elsewhere in the province",
        "preferred province",
        "accepted province",
    ],
)
def test_location_fit(worker, posting, expected):
    assert fit("location", worker=worker, posting=posting) == expected


def test_another_province_is_excluded_unless_the_worker_accepts_it():
    away = {"county": 0, "in_city": False, "in_home_province": False, "province": 2}
    refused = score(make_worker(preferred=[False, False, True]), make_posting(**away), CATEGORIES)
    accepted = score(make_worker(accepts_other_province=True), make_posting(**away), CATEGORIES)
    assert not refused.allowed[0, 0]
    assert accepted.allowed[0, 0]


@pytest.mark.parametrize(
    ("expected_salary", "offer", "expected"),
    [
        (6000, 6000, 1.0),
        (6000, 9000, 1.0),
        (6000, 5100, 0.5),
        (6000, 4200, 0.0),
        (6000, 3000, 0.0),
        (0, 6000, 0.5),
        (6000, 0, 0.5),
    ],
)
def test_salary_fit(expected_salary, offer, expected):
    assert (
        fit("salary", worker={"expected_salary": expected_salary}, posting={"salary_max": offer}) == expected
    )


@pytest.mark.parametrize(("age", "expected"), [(0, 1.0), (30, 0.5), (60, 0.0), (365, 0.0), (-1, 0.5)])
def test_freshness_fit(age, expected):
    assert fit("freshness", posting={"age_days": age}) == expected


@pytest.mark.parametrize(("applicants", "openings", "expected"), [(0, 1, 1.0), (3, 1, 0.25), (4, 2, 0.3333)])
def test_fairness_fit(applicants, openings, expected):
    assert fit("fairness", posting={"applicants": applicants, "openings": openings}) == expected


def test_a_pair_meeting_everything_scores_100_and_the_weights_shape_the_rest():
    worker = make_worker(member=[True, False], level=[1, 0, 0])
    assert float(score(worker, make_posting(brand=0), CATEGORIES).score[0, 0]) == 100
    # Only freshness counts, and the posting is 30 days old: 50.
    only_fresh = dict.fromkeys(COMPONENTS, 0) | {"freshness": 7}
    block = score(make_worker(), make_posting(age_days=30), CATEGORIES, weights=only_fresh)
    assert float(block.score[0, 0]) == pytest.approx(50)
    # Every weight zero counts every component equally: the same as every weight 1.
    zero = score(make_worker(), make_posting(age_days=30, brand=1), CATEGORIES, weights=ZERO_WEIGHTS)
    ones = score(
        make_worker(), make_posting(age_days=30, brand=1), CATEGORIES, weights=dict.fromkeys(COMPONENTS, 1)
    )
    assert float(zero.score[0, 0]) == pytest.approx(float(ones.score[0, 0]))
    # occupation 1, level 0.8 (no certificate, none asked), brand 0, location 1, salary 1, freshness ½,
    # fairness 1
    assert float(zero.score[0, 0]) == pytest.approx(100 * 5.3 / 7, abs=1e-4)


def test_normalised_weights_ignore_negative_and_missing_weights():
    shares = scoring.normalised_weights({"occupation": 3, "level": -5, "salary": 1})
    assert shares == {name: 0 for name in COMPONENTS} | {"occupation": 0.75, "salary": 0.25}


def test_equal_scores_are_ranked_by_the_lower_id():
    postings = Postings(*(np.concatenate([a, b, c]) for a, b, c in zip(
        make_posting(ids=30).__dict__.values(), make_posting(ids=10).__dict__.values(),
        make_posting(ids=20).__dict__.values(), strict=True,
    )))  # fmt: skip
    block = score(make_worker(), postings, CATEGORIES)
    assert len(set(block.score[0].tolist())) == 1
    keys = scoring.ranked_keys(block.score, block.allowed, order_numbers(postings.ids), axis=1)
    assert [int(postings.ids[j]) for j in np.argsort(-keys[0])] == [10, 20, 30]
    _rows, cols = scoring.top_per_row(keys, 2)
    assert sorted(int(postings.ids[c]) for c in cols) == [10, 20]


# --- explain() ----------------------------------------------------------------------------------------------


def test_explain_gives_each_components_points_and_maximum_largest_first():
    fits = {"occupation": 1000, "level": 400, "brand": 0, "location": 800, "salary": 500, "freshness": 1000,
            "fairness": 250}  # fmt: skip
    parts = scoring.explain(fits, DEFAULT_WEIGHTS)
    assert [p.component for p in parts] == [
        "occupation", "level", "location", "brand", "salary", "fairness", "freshness"
    ]  # fmt: skip
    by_name = {p.component: p for p in parts}
    assert (by_name["occupation"].points, by_name["occupation"].maximum) == (30, 30)
    assert (by_name["level"].points, by_name["level"].maximum) == (8, 20)
    assert (by_name["location"].points, by_name["location"].maximum) == (12, 15)
    assert by_name["brand"].points == 0
    assert by_name["fairness"].points == 2.5
    assert by_name["occupation"].matched and by_name["freshness"].matched
    assert not by_name["level"].matched
    assert by_name["level"].missing == 12
    assert sum(p.points for p in parts) == pytest.approx(30 + 8 + 0 + 12 + 5 + 5 + 2.5)
    assert sum(p.maximum for p in parts) == 100


def test_explain_leaves_out_components_weighted_zero():
    fits = dict.fromkeys(COMPONENTS, 1000)
    parts = scoring.explain(fits, dict.fromkeys(COMPONENTS, 0) | {"salary": 1, "location": 3})
    assert [(p.component, p.points, p.maximum) for p in parts] == [("location", 75, 75), ("salary", 25, 25)]


def test_explain_matches_the_stored_score_of_a_scored_pair():
    worker = make_worker(level=[2, 0, 0], member=[True, False], expected_salary=7000)
    posting = make_posting(min_level=3, brand=0, county=2, salary_max=6500, age_days=12, applicants=2)
    block = score(worker, posting, CATEGORIES)
    fits = {name: round(float(block.fits[name][0, 0]) * 1000) for name in COMPONENTS}
    assert fits == {"occupation": 1000, "level": 400, "brand": 1000, "location": 800, "salary": 762,
                    "freshness": 800, "fairness": 333}  # fmt: skip
    parts = scoring.explain(fits, DEFAULT_WEIGHTS)
    assert sum(p.points for p in parts) == pytest.approx(float(block.score[0, 0]), abs=0.2)
