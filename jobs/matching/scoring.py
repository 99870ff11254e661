"""The match score: how well a job posting suits a worker, 0–100, from components that can be explained.

Pure and vectorised: no request, no ORM. loading.py loads the workers and postings into the
columnar arrays below and scores a whole block (workers × postings of one occupation category) at once with
numpy; the pages explain one stored pair with `explain()`.

Each component is a *fit* between 0 and 1; the score is the weighted mean of the fits, times 100, so it stays
within 0–100 whatever weights a city admin sets. The components (weights.py names them and their default
weights; docs/decisions.md, "Matching"):

- occupation: 1 when the posting's occupation is one the worker wants or is certified in, 0.5 when it is
  only in the same category (candidates are blocked by category, so nothing else is scored);
- level: the worker's best valid certificate level in the posting's occupation against the posting's
  minimum — 1 when it is met, 0.6 × held/required below it, 0.8 (no certificate) or 1 (any) when the
  posting asks for none; a higher level never lowers the fit;
- brand: 1 when the worker is a member of the posting's brand, 0 when not, 0.5 when the posting has none;
- location: 1 same county, 0.8 elsewhere in this city, 0.5 elsewhere in the home province, 0.5 in another
  province the worker prefers and 0.3 in another province they merely accept;
- salary: 1 when the offer reaches the expectation, falling to 0 at 70 % of it; 0.5 when either is unknown;
- freshness: 1 when published today, falling to 0 after 60 days; 0.5 when unknown;
- fairness: 1 / (1 + active applicants per opening left), so postings few people applied to come first.

Hard filters are not part of the score: a pair is excluded when the worker already applied to the posting
(in any status), or the posting is in another province and the worker does not accept that. The run only
loads open postings with openings left and seeking workers who keep personalised recommendations on.
Age, sex and ethnicity are never inputs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from jobs.matching.weights import COMPONENTS

PER_MILLE = 1000

# The fits, named so the explanation and the tests speak the same language as the scoring.
OCCUPATION_SAME = 1.0
OCCUPATION_CATEGORY = 0.5
LEVEL_NONE_ASKED = 0.8
LEVEL_BELOW = 0.6
BRAND_NONE = 0.5
LOCATION_COUNTY = 1.0
LOCATION_CITY = 0.8
LOCATION_PROVINCE = 0.5
LOCATION_PREFERRED = 0.5
LOCATION_ACCEPTED = 0.3
NEUTRAL = 0.5
SALARY_FLOOR = 0.7
FRESH_DAYS = 60


@dataclass(frozen=True)
class Workers:
    """Seeking workers as columns (index i is one worker). Occupations, brands and provinces are numbered
    0..n-1 by the loader; 0 in `county`/`expected_salary` means unknown."""

    ids: np.ndarray  # int64 (W,)
    county: np.ndarray  # int64 (W,), home county id or 0
    expected_salary: np.ndarray  # int32 (W,), 0 unknown
    accepts_other_province: np.ndarray  # bool (W,)
    preferred: np.ndarray  # bool (W, provinces)
    interest: np.ndarray  # bool (W, occupations): wanted or certified
    level: np.ndarray  # uint8 (W, occupations): best valid certificate level, 0 none
    member: np.ndarray  # bool (W, brands)

    def __len__(self) -> int:
        return len(self.ids)

    def take(self, rows: np.ndarray) -> Workers:
        return Workers(*(getattr(self, f)[rows] for f in self.__dataclass_fields__))


@dataclass(frozen=True)
class Postings:
    """Open postings as columns (index j is one posting). `brand` is -1 without a brand; 0 in `county`,
    `salary_max` means unknown, -1 in `age_days` unknown."""

    ids: np.ndarray  # int64 (P,)
    occupation: np.ndarray  # int32 (P,) occupation number
    category: np.ndarray  # int32 (P,) category number
    min_level: np.ndarray  # uint8 (P,), 0 none
    brand: np.ndarray  # int32 (P,), -1 none
    county: np.ndarray  # int64 (P,), county id or 0
    in_city: np.ndarray  # bool (P,)
    in_home_province: np.ndarray  # bool (P,)
    province: np.ndarray  # int32 (P,) province number
    salary_max: np.ndarray  # int32 (P,), 0 unknown
    age_days: np.ndarray  # int32 (P,), -1 unknown
    applicants: np.ndarray  # int32 (P,), active applications
    openings: np.ndarray  # int32 (P,), headcount not yet hired, ≥ 1

    def __len__(self) -> int:
        return len(self.ids)

    def take(self, cols: np.ndarray) -> Postings:
        return Postings(*(getattr(self, f)[cols] for f in self.__dataclass_fields__))


@dataclass(frozen=True)
class Block:
    """Scores of workers × postings: `score` 0–100 (float32), `fits` per component (0–1), `allowed` the
    hard filters, `held` the worker's certificate level in each posting's occupation."""

    score: np.ndarray
    fits: dict[str, np.ndarray]
    allowed: np.ndarray
    held: np.ndarray


def normalised_weights(weights: dict[str, int]) -> dict[str, float]:
    """Weights as shares of their total (all equal when every weight is 0)."""
    values = {name: max(0, int(weights.get(name, 0))) for name in COMPONENTS}
    total = sum(values.values())
    if total == 0:
        return {name: 1 / len(COMPONENTS) for name in COMPONENTS}
    return {name: value / total for name, value in values.items()}


def occupation_categories(categories_of_occupations: np.ndarray, interest: np.ndarray) -> np.ndarray:
    """bool (W, categories): the categories of each worker's occupations of interest."""
    n_categories = int(categories_of_occupations.max()) + 1 if len(categories_of_occupations) else 0
    out = np.zeros((interest.shape[0], n_categories), dtype=bool)
    for category in range(n_categories):
        out[:, category] = interest[:, categories_of_occupations == category].any(axis=1)
    return out


def score_block(
    workers: Workers,
    postings: Postings,
    weights: dict[str, int],
    *,
    category_of_occupation: np.ndarray,
    applied: np.ndarray | None = None,
) -> Block:
    """Score every worker against every posting given (a block). `applied` is bool (W, P): pairs where the
    worker already applied, excluded. Shapes (W, P) throughout."""
    W, P = len(workers), len(postings)
    occ = postings.occupation
    fits: dict[str, np.ndarray] = {}
    # Each fit is built in float32 straight away, column by column where it depends on the posting only:
    # the same values as the plain formulas (docstring above), at half the time for a large block.

    # Occupation: the posting's occupation itself, or only its category.
    wanted_categories = occupation_categories(category_of_occupation, workers.interest)
    occupation = np.zeros((W, P), np.float32)
    if wanted_categories.shape[1]:
        np.copyto(occupation, np.float32(OCCUPATION_CATEGORY), where=wanted_categories[:, postings.category])
    np.copyto(occupation, np.float32(OCCUPATION_SAME), where=workers.interest[:, occ])
    fits["occupation"] = occupation

    # Level: held (best valid certificate in the posting's occupation) against the posting's minimum, looked
    # up in the table of every (held, required) pair.
    held = workers.level[:, occ]
    levels = int(max(held.max(initial=0), postings.min_level.max(initial=0))) + 1
    table = _level_fits(np.arange(levels)[:, None], np.arange(levels)[None, :])
    index = held.astype(np.uint8 if levels <= 16 else np.intp)  # held × levels + required, in the table
    index *= levels
    index += postings.min_level
    fits["level"] = table.ravel()[index]

    # Brand membership.
    if workers.member.shape[1]:
        brand = np.full((W, P), np.float32(BRAND_NONE))
        branded = np.flatnonzero(postings.brand >= 0)
        brand[:, branded] = workers.member[:, postings.brand[branded]]
        fits["brand"] = brand
    else:
        fits["brand"] = np.broadcast_to(np.float32(BRAND_NONE), (W, P))

    # Location, and the one location hard filter: another province the worker does not accept.
    other_province = ~postings.in_home_province
    home = np.where(postings.in_city, LOCATION_CITY, LOCATION_PROVINCE)
    location = np.empty((W, P), np.float32)
    location[:] = np.where(other_province, LOCATION_ACCEPTED, home).astype(np.float32)
    away = np.flatnonzero(other_province)
    if len(away) and workers.preferred.shape[1]:
        preferred = workers.preferred[:, postings.province[away]]
        location[:, away] = np.where(preferred, np.float32(LOCATION_PREFERRED), np.float32(LOCATION_ACCEPTED))
    local = np.flatnonzero(postings.county != 0)
    if len(local):
        same_county = workers.county[:, None] == postings.county[local][None, :]
        location[:, local] = np.where(same_county, np.float32(LOCATION_COUNTY), location[:, local])
    fits["location"] = location
    allowed = ~(other_province[None, :] & ~workers.accepts_other_province[:, None])
    if applied is not None:
        allowed &= ~applied

    # Salary: the top of the offer against the expectation.
    expected = workers.expected_salary.astype(np.float32)[:, None]
    offered = postings.salary_max.astype(np.float32)[None, :]
    ratio = np.clip((offered - SALARY_FLOOR * expected) / np.maximum((1 - SALARY_FLOOR) * expected, 1), 0, 1)
    fits["salary"] = np.where((expected > 0) & (offered > 0), ratio, NEUTRAL).astype(np.float32)

    # Freshness and fairness depend on the posting only.
    age = postings.age_days.astype(np.float32)
    fresh = np.where(age >= 0, np.clip(1 - age / FRESH_DAYS, 0, 1), NEUTRAL)
    fits["freshness"] = np.broadcast_to(fresh.astype(np.float32)[None, :], (W, P))
    crowd = postings.applicants.astype(np.float32) / np.maximum(postings.openings, 1)
    fits["fairness"] = np.broadcast_to((1 / (1 + crowd)).astype(np.float32)[None, :], (W, P))

    shares = normalised_weights(weights)
    score = np.zeros((W, P), dtype=np.float32)
    term = np.empty((W, P), dtype=np.float32)
    for name in COMPONENTS:
        weight, fit = np.float32(100 * shares[name]), fits[name]
        if fit.strides[0] == 0:  # the same in every row: weigh one row
            score += weight * fit[:1]
        else:
            score += np.multiply(weight, fit, out=term)
    return Block(score=np.clip(score, 0, 100, out=score), fits=fits, allowed=allowed, held=held)


def _level_fits(held: np.ndarray, required: np.ndarray) -> np.ndarray:
    """The level fit (float32) of held against required certificate levels, elementwise."""
    held, required = held.astype(np.float32), required.astype(np.float32)
    below = LEVEL_BELOW * held / np.maximum(required, 1)
    with_minimum = np.where(held >= required, 1.0, below)
    none_asked = np.where(held > 0, 1.0, LEVEL_NONE_ASKED)
    return np.where(required > 0, with_minimum, none_asked).astype(np.float32)


def score_int(score: np.ndarray) -> np.ndarray:
    """The score in hundredths as integers, the unit ranks and ties are decided on (deterministic)."""
    return np.rint(score.astype(np.float64) * 100).astype(np.int64)


def top_per_row(keys: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """(rows, cols) of the k largest non-negative keys in each row, in no particular order. Keys must be
    unique within a row (the caller folds a tie-breaker into them); excluded cells are -1."""
    n_rows, n_cols = keys.shape
    if n_rows == 0 or n_cols == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    k = min(k, n_cols)
    cols = (
        np.argpartition(-keys, k - 1, axis=1)[:, :k]
        if k < n_cols
        else np.tile(np.arange(n_cols), (n_rows, 1))
    )
    rows = np.repeat(np.arange(n_rows), k)
    cols = cols.reshape(-1)
    keep = keys[rows, cols] >= 0
    return rows[keep], cols[keep]


def ranked_keys(score: np.ndarray, allowed: np.ndarray, tie_break: np.ndarray, axis: int) -> np.ndarray:
    """int64 keys for ranking along `axis`: higher score first, then the lower id (`tie_break` holds ids'
    order numbers along that axis, 0 = lowest id); excluded pairs -1."""
    span = np.int64(tie_break.max() + 1 if len(tie_break) else 1)
    order = span - 1 - tie_break.astype(np.int64)
    order = order[None, :] if axis == 1 else order[:, None]
    keys = score_int(score) * span + order
    return np.where(allowed, keys, -1)


@dataclass(frozen=True)
class Explanation:
    """One component of one pair, for the pages: its name, the points it earned and could have earned."""

    component: str
    fit: float
    points: float
    maximum: float

    @property
    def matched(self) -> bool:
        return self.fit >= 0.999

    @property
    def missing(self) -> float:
        return self.maximum - self.points


def explain(fits_per_mille: dict[str, int], weights: dict[str, int]) -> list[Explanation]:
    """The points of each component of a stored pair under the weights its run used, largest share first."""
    shares = normalised_weights(weights)
    parts = [
        Explanation(
            component=name,
            fit=fits_per_mille[name] / PER_MILLE,
            points=round(100 * shares[name] * fits_per_mille[name] / PER_MILLE, 1),
            maximum=round(100 * shares[name], 1),
        )
        for name in COMPONENTS
        if shares[name] > 0
    ]
    return sorted(parts, key=lambda part: (-part.maximum, COMPONENTS.index(part.component)))
