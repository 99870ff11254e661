"""The match run (jobs/matching/runs.py) on real rows made with factories: who is scored against what
(candidate blocking by category, incomplete profiles and postings, levels, brand and location from
certificates, training and places), the hard filters, and the kept lists and their ranks. Runs on SQLite
(bulk_create) and PostgreSQL (binary COPY)."""

from __future__ import annotations

import pytest

from jobs.matching import ranking, runs
from jobs.models import Application, MatchRun, Recommendation
from tests import factories
from tests.jobs.factories_engine import (
    applied,
    away_posting,
    certify,
    occupations,
    posting,
    posting_list,
    seeker,
    worker_list,
)
from tests.jobs.matching.match_run_helpers import Status

pytestmark = pytest.mark.django_db


def run_rows(run: MatchRun) -> dict[tuple[int, int, str], Recommendation]:
    """{(worker, posting, "worker"|"posting"): row} of a run."""
    return {
        (r.worker_id, r.posting_id, "worker" if r.worker_rank else "posting"): r
        for r in Recommendation.objects.filter(run=run)
    }


# --- Candidate blocking and incomplete data -----------------------------------------------------------------


def test_a_worker_is_scored_only_against_postings_in_the_categories_they_want_or_hold():
    machining, domestic, construction = (
        occupations("machining"),
        occupations("domestic"),
        occupations("construction"),
    )
    worker = seeker([machining[0]], certificates=[(domestic[0], 3)])
    builder = seeker([construction[1]])
    same, same_category, certified_category = (
        posting(machining[0]),
        posting(machining[5]),
        posting(domestic[2]),
    )
    building_site = posting(construction[0])

    run = runs.match_run()

    assert run.status == Status.COMPLETED
    rows = run_rows(run)
    assert {p for w, p, _ in rows if w == worker.pk} == {same.pk, same_category.pk, certified_category.pk}
    assert {p for w, p, _ in rows if w == builder.pk} == {building_site.pk}
    assert rows[worker.pk, same.pk, "worker"].occupation == 1000
    assert rows[worker.pk, same_category.pk, "worker"].occupation == 500
    assert rows[worker.pk, certified_category.pk, "worker"].occupation == 500
    # 3 + 1 blocked pairs scored, not the 2 × 4 of the whole city.
    assert (run.workers, run.postings, run.pairs) == (2, 4, 4)


def test_incomplete_profiles_and_postings_are_scored_sensibly_or_skipped():
    job = occupations("machining")[0]
    bare = posting(job, county=None, min_level=None, brand=None)  # in the city, county not given
    nothing_wanted = seeker([])
    vague = seeker([job], home_county=None, expected_salary=None)
    nothing_open = seeker([occupations("agriculture")[0]])  # a category without any posting

    run = runs.match_run()

    assert run.status == Status.COMPLETED
    rows = run_rows(run)
    assert {(w, p) for w, p, _ in rows} == {(vague.pk, bare.pk)}
    assert rows[vague.pk, bare.pk, "worker"].fits() == {
        "occupation": 1000, "level": 800, "brand": 500, "location": 800, "salary": 500, "freshness": 1000,
        "fairness": 1000,
    }  # fmt: skip
    assert rows[vague.pk, bare.pk, "worker"].held_level == 0
    assert (run.workers, run.pairs) == (3, 1)
    assert nothing_wanted.pk not in {w for w, _p, _ in rows} and nothing_open.pk not in {
        w for w, _p, _ in rows
    }


def test_a_city_without_workers_or_postings_completes_an_empty_run():
    run = runs.match_run()
    assert (run.status, run.chunks_total, run.recommendations) == (Status.COMPLETED, 0, 0)
    assert runs.latest_run() == run


def test_levels_brand_and_location_come_from_certificates_training_and_places():
    machining = occupations("machining")
    brand = factories.CultivatingBrandFactory(name="引擎品牌", occupations=[machining[3]])
    certified = seeker([machining[0]], certificates=[(machining[0], 2), (machining[0], 4), (machining[3], 1)])
    revoked = seeker([machining[0]])
    certify(revoked, machining[0], 5, revoked=True)
    trained = seeker([machining[0]], home_county=factories.make_county("341525"))
    factories.EnrollmentFactory(worker=trained, program__brand=brand, completed=True)
    job = posting(machining[0], min_level=3, brand=brand)

    rows = run_rows(runs.match_run())

    best = rows[certified.pk, job.pk, "worker"]
    assert (best.held_level, best.level, best.brand, best.location) == (4, 1000, 1000, 1000)
    assert rows[revoked.pk, job.pk, "worker"].held_level == 0  # a revoked certificate counts for nothing
    assert (rows[revoked.pk, job.pk, "worker"].level, rows[revoked.pk, job.pk, "worker"].brand) == (0, 0)
    assert (rows[trained.pk, job.pk, "worker"].brand, rows[trained.pk, job.pk, "worker"].location) == (
        1000,
        800,
    )


def test_a_practitioner_on_the_brands_register_is_a_member_until_removed():
    machining = occupations("machining")
    brand = factories.CultivatingBrandFactory(name="引擎品牌", occupations=[machining[3]])
    listed, removed = seeker([machining[0]]), seeker([machining[0]])
    factories.PractitionerFactory(brand=brand, worker=listed, occupation=machining[3])
    factories.PractitionerFactory(brand=brand, worker=removed, occupation=machining[3], removed=True)
    job = posting(machining[0], brand=brand)

    rows = run_rows(runs.match_run())

    assert rows[listed.pk, job.pk, "worker"].brand == 1000
    assert rows[removed.pk, job.pk, "worker"].brand == 0


# --- Hard filters -------------------------------------------------------------------------------------------


def test_postings_not_taking_applications_or_already_applied_to_never_appear():
    job = occupations("machining")[0]
    worker = seeker([job])
    open_job = posting(job)
    one_left = posting(job, headcount=2)
    applied(factories.WorkerFactory(), one_left, Application.Status.HIRED)
    full = posting(job, headcount=1)
    applied(factories.WorkerFactory(), full, Application.Status.HIRED)
    never = [
        posting(job, expired=True), posting(job, lapsed=True), posting(job, closed=True),
        posting(job, filled=True), posting(job, draft=True), posting(job, taken_down=True),
        posting(job, employer=factories.EmployerFactory()),  # not verified
        away_posting(job),  # another province, and the worker does not accept one
        full,
    ]  # fmt: skip
    for status in Application.Status.values:
        never.append(posting(job))
        applied(worker, never[-1], status)

    run = runs.match_run()

    assert {p for _w, p, _ in run_rows(run)} == {open_job.pk, one_left.pk}
    assert run.postings == 3 + len(Application.Status.values)  # open with openings left, applied to or not
    assert set(worker_list(run, worker)) == {open_job.pk, one_left.pk}


def test_another_province_is_recommended_only_to_workers_who_accept_it():
    job = occupations("machining")[0]
    stays = seeker([job])
    moves = seeker([job], accepts_other_province=True)
    away = away_posting(job)

    run = runs.match_run()

    assert posting_list(run, away) == [moves.pk]
    assert worker_list(run, stays) == []
    assert run_rows(run)[moves.pk, away.pk, "worker"].location == 300


def test_only_active_seeking_workers_with_personalisation_on_are_scored():
    job = occupations("machining")[0]
    scored = seeker([job])
    left_out = [
        seeker([job], seeking=False),
        seeker([job], personalised=False),
        seeker([job], user__is_active=False),
        seeker([job], user=factories.EmployerStaffFactory()),  # not a worker account
    ]
    open_job = posting(job)

    run = runs.match_run()

    assert {w for w, _p, _ in run_rows(run)} == {scored.pk}
    assert posting_list(run, open_job) == [scored.pk]
    assert not set(left_out) & set(Recommendation.objects.values_list("worker", flat=True))


# --- The kept lists and their ranks -------------------------------------------------------------------------


def test_ranks_run_from_1_by_score_then_lower_id(city):
    run = runs.match_run()
    rows = list(Recommendation.objects.filter(run=run))
    assert rows
    for owner, rank, other in (
        ("worker_id", "worker_rank", "posting_id"),
        ("posting_id", "posting_rank", "worker_id"),
    ):
        lists = {}
        for row in rows:
            if getattr(row, rank):
                lists.setdefault(getattr(row, owner), []).append(row)
        assert lists
        for kept in lists.values():
            kept.sort(key=lambda r: getattr(r, rank))
            assert [getattr(r, rank) for r in kept] == list(range(1, len(kept) + 1))
            assert kept == sorted(kept, key=lambda r: (-r.score, getattr(r, other)))
    # Two identical postings (nobody applied to either) tie for every worker: the lower id comes first.
    first, twin = city["postings"][6], city["postings"][7]
    tied = [w for w in city["workers"] if first.pk in worker_list(run, w)]
    assert tied
    for worker in tied:
        listed = worker_list(run, worker)
        assert listed.index(first.pk) + 1 == listed.index(twin.pk)


def test_each_worker_keeps_the_top_postings_and_each_posting_the_top_workers(monkeypatch):
    job = occupations("domestic")[0]
    workers = [seeker([job], expected_salary=5000 + 700 * i, home_county=factories.make_county(c))
               for i, c in enumerate(["341524", "341525", "341524", "341502"])]  # fmt: skip
    jobs = [posting(job, salary_min=5000, salary_max=5000 + 600 * i, headcount=1 + i % 2) for i in range(5)]
    applied(factories.WorkerFactory(), jobs[4])
    assert (ranking.WORKER_TOP, ranking.POSTING_TOP) == (20, 50)
    everything = runs.match_run()
    monkeypatch.setattr(ranking, "WORKER_TOP", 2)
    monkeypatch.setattr(ranking, "POSTING_TOP", 3)

    kept = runs.match_run()

    for worker in workers:
        assert len(worker_list(everything, worker)) == 5
        assert worker_list(kept, worker) == worker_list(everything, worker)[:2]
    for job in jobs:
        assert len(posting_list(everything, job)) == 4
        assert posting_list(kept, job) == posting_list(everything, job)[:3]
    assert kept.recommendations == 4 * 2 + 5 * 3
