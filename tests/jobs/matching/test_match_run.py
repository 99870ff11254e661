"""The match run (jobs/matching/runs.py, tasks.py, manage.py match_run) on real rows made with factories:
candidate blocking, hard filters, the kept lists and their ranks, reruns, idempotent chunks, the lock, stale
and failed runs, pruning, chunking, the command, the nightly task and the in-process chord. Runs on SQLite
(bulk_create) and PostgreSQL (binary COPY)."""

from __future__ import annotations

import io
import logging
import threading

import pytest
from celery.schedules import crontab
from django.core.management import CommandError, call_command
from django.db import OperationalError, connection, connections
from django.utils import timezone, translation

from jobs.matching import ranking, runs, services, tasks
from jobs.models import Application, MatchChunk, MatchRun, Recommendation
from laborbrand.exceptions import InvalidTransition
from tests import factories
from tests.jobs.factories_engine import (
    applied,
    away_posting,
    certify,
    occupations,
    posting,
    posting_list,
    published,
    seeker,
    small_city,
    worker_list,
)

pytestmark = pytest.mark.django_db

Status = MatchRun.Status


@pytest.fixture
def city(db):
    return small_city()


@pytest.fixture
def english():
    with translation.override("en"):
        yield


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


# --- Reruns, chunks, idempotence ----------------------------------------------------------------------------


def test_a_rerun_on_the_same_data_gives_identical_recommendations(city):
    first = runs.match_run()
    second = runs.match_run()
    assert published(first) == published(second)
    assert sum(published(first).values()) == first.recommendations > 20


def test_many_small_chunks_publish_the_same_result_as_one(city, settings):
    whole = runs.match_run()
    settings.MATCH_CHUNK_WORKERS = 3
    settings.MATCH_CHUNK_POSTINGS = 1

    chunked = runs.match_run()

    assert whole.chunks_total == 2
    assert chunked.chunks_total == 4 + 3  # 12 workers in threes; one chunk per category with postings
    assert set(chunked.chunks.values_list("kind", flat=True)) == {
        MatchChunk.Kind.WORKERS,
        MatchChunk.Kind.POSTINGS,
    }
    assert published(chunked) == published(whole)
    assert (chunked.workers, chunked.postings, chunked.pairs) == (whole.workers, whole.postings, whole.pairs)


def test_processing_a_chunk_twice_writes_its_rows_once(city):
    run = runs.match_run_start(trigger=MatchRun.Trigger.COMMAND)
    assert runs.match_chunk_process(run.pk, 1)
    once = published(run)
    assert once

    assert runs.match_chunk_process(run.pk, 1)

    assert published(run) == once
    run.refresh_from_db()
    assert run.chunks_done == 1


def test_a_chunk_left_half_written_is_written_again_cleanly(city):
    clean = runs.match_run()
    run = runs.match_run_start(trigger=MatchRun.Trigger.COMMAND)
    for number in (1, 2):
        runs.match_chunk_process(run.pk, number)
    # As if an attempt had written part of chunk 1 (and a stray row) but died before recording it done.
    chunk = run.chunks.get(number=1)
    rows = Recommendation.objects.filter(run=run, chunk=1).order_by("pk")
    half = rows[: rows.count() // 2].values_list("pk", flat=True)
    Recommendation.objects.filter(pk__in=list(half)).delete()
    stray = Recommendation.objects.filter(run=run, chunk=1).first()
    stray.pk = None
    stray.save()
    MatchChunk.objects.filter(pk=chunk.pk).update(done_at=None)
    MatchRun.objects.filter(pk=run.pk).update(chunks_done=1)

    assert runs.match_chunk_process(run.pk, 1)
    run = runs.match_run_publish(run.pk)

    assert run.status == Status.COMPLETED and run.chunks_done == run.chunks_total == 2
    assert published(run) == published(clean)


def test_a_chunk_whose_write_fails_leaves_no_rows_and_is_not_done(city, monkeypatch):
    run = runs.match_run_start(trigger=MatchRun.Trigger.COMMAND)
    write = runs.write_recommendations

    def write_then_fail(*args, **kwargs):
        write(*args, **kwargs)
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(runs, "write_recommendations", write_then_fail)
    with pytest.raises(OperationalError):
        runs.match_chunk_process(run.pk, 1)

    assert not Recommendation.objects.filter(run=run).exists()
    assert run.chunks.get(number=1).done_at is None
    monkeypatch.undo()
    assert runs.match_chunk_process(run.pk, 1)
    assert Recommendation.objects.filter(run=run, chunk=1).exists()


def test_a_chunk_of_a_run_no_longer_running_writes_nothing(city):
    run = runs.match_run_start(trigger=MatchRun.Trigger.COMMAND)
    runs.match_run_fail(run.pk, "stopped by hand")

    assert runs.match_chunk_process(run.pk, 1) is False
    assert not Recommendation.objects.filter(run=run).exists()
    run.refresh_from_db()
    assert run.chunks_done == 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="two connections writing at once: PostgreSQL only"
)
def test_a_chunk_finishing_after_its_run_was_failed_leaves_no_rows(committed_db, monkeypatch):
    job = occupations("machining")[0]
    seeker([job])
    posting(job)
    run = runs.match_run_start(trigger=MatchRun.Trigger.SCHEDULE)
    written, go_on, outcome = threading.Event(), threading.Event(), {}
    write = runs.write_recommendations

    def write_and_wait(*args, **kwargs):
        count = write(*args, **kwargs)
        written.set()
        assert go_on.wait(timeout=10)
        return count

    def work():
        try:
            outcome["processed"] = runs.match_chunk_process(run.pk, 1)
        finally:
            connections.close_all()

    monkeypatch.setattr(runs, "write_recommendations", write_and_wait)
    thread = threading.Thread(target=work)
    thread.start()
    assert written.wait(timeout=10)
    runs.match_run_fail(run.pk, "Stopped without finishing.")  # meanwhile, the next start gave up on it
    go_on.set()
    thread.join(timeout=10)

    assert outcome == {"processed": False}
    assert not Recommendation.objects.filter(run=run).exists()
    run.refresh_from_db()
    assert (run.status, run.chunks_done) == (Status.FAILED, 0)


# --- The lock, stale and failed runs, pruning ---------------------------------------------------------------


def test_a_second_start_while_a_run_is_active_is_refused_and_creates_nothing(city, english):
    active = runs.match_run_start(trigger=MatchRun.Trigger.SCHEDULE)
    chunks = MatchChunk.objects.count()

    with pytest.raises(runs.MatchRunBusy, match=rf"Run #{active.pk} is still in progress"):
        runs.match_run_start(trigger=MatchRun.Trigger.MANUAL)
    with pytest.raises(runs.MatchRunBusy):
        runs.match_run()

    assert list(MatchRun.objects.values_list("pk", flat=True)) == [active.pk]
    assert MatchChunk.objects.count() == chunks
    active.refresh_from_db()
    assert (active.status, active.active) == (Status.RUNNING, True)


def test_a_stale_run_is_marked_failed_by_the_next_start_which_proceeds(city, settings, english):
    settings.MATCH_RUN_STALE_AFTER = 60
    stale = runs.match_run_start(trigger=MatchRun.Trigger.SCHEDULE)
    runs.match_chunk_process(stale.pk, 1)
    MatchRun.objects.filter(pk=stale.pk).update(heartbeat=timezone.now() - timezone.timedelta(seconds=61))

    run = runs.match_run()

    stale.refresh_from_db()
    assert (stale.status, stale.active) == (Status.FAILED, False)
    assert stale.error.startswith("Stopped without finishing: no progress since")
    assert stale.finished_at is not None
    assert not Recommendation.objects.filter(run=stale).exists()
    assert run.status == Status.COMPLETED and runs.latest_run() == run


def test_a_run_with_recent_progress_is_not_stale(city, settings):
    settings.MATCH_RUN_STALE_AFTER = 60
    active = runs.match_run_start(trigger=MatchRun.Trigger.SCHEDULE)
    MatchRun.objects.filter(pk=active.pk).update(heartbeat=timezone.now() - timezone.timedelta(seconds=50))
    with pytest.raises(runs.MatchRunBusy):
        runs.match_run_start(trigger=MatchRun.Trigger.MANUAL)


def test_a_run_failing_half_way_leaves_the_previous_recommendations_in_place(city, settings, monkeypatch):
    settings.MATCH_CHUNK_WORKERS = 3
    previous = runs.match_run()
    before = published(previous)
    process = runs.match_chunk_process

    def fail_at_the_third(run_id, number):
        if number == 3:
            raise RuntimeError("disk full")
        return process(run_id, number)

    monkeypatch.setattr(runs, "match_chunk_process", fail_at_the_third)
    with pytest.raises(RuntimeError, match="disk full"):
        runs.match_run()

    failed = MatchRun.objects.exclude(pk=previous.pk).get()
    assert (failed.status, failed.active, failed.chunks_done) == (Status.FAILED, False, 2)
    assert failed.error == "RuntimeError: disk full"
    assert not Recommendation.objects.filter(run=failed).exists()
    assert runs.latest_run() == previous
    assert published(previous) == before
    monkeypatch.undo()
    assert runs.match_run().status == Status.COMPLETED  # the lock was released


def test_publishing_keeps_the_rows_of_the_two_latest_completed_runs(city):
    first, second = runs.match_run(), runs.match_run()
    failed = runs.match_run_start(trigger=MatchRun.Trigger.COMMAND)
    runs.match_chunk_process(failed.pk, 1)
    runs.match_run_fail(failed.pk, "gone")

    third = runs.match_run()

    assert not Recommendation.objects.filter(run__in=[first, failed]).exists()
    assert published(second) == published(third) != {}
    assert set(Recommendation.objects.values_list("run", flat=True).distinct()) == {second.pk, third.pk}
    assert runs.latest_run() == third


def test_publishing_before_every_chunk_is_done_is_refused(city):
    run = runs.match_run_start(trigger=MatchRun.Trigger.COMMAND)
    runs.match_chunk_process(run.pk, 1)
    with pytest.raises(InvalidTransition, match=r"chunks not done: \[2\]"):
        runs.match_run_publish(run.pk)
    run.refresh_from_db()
    assert run.status == Status.RUNNING


# --- The command --------------------------------------------------------------------------------------------


def test_the_match_run_command_runs_and_reports(city):
    out = io.StringIO()
    call_command("match_run", stdout=out)
    run = runs.latest_run()
    assert (run.trigger, run.status) == (MatchRun.Trigger.COMMAND, Status.COMPLETED)
    assert f"run #{run.pk} completed" in out.getvalue()
    assert f"{run.recommendations} recommendations" in out.getvalue()


def test_the_match_run_command_queue_option_runs_the_chord_without_a_broker(city):
    out = io.StringIO()
    call_command("match_run", "--queue", stdout=out)
    run = runs.latest_run()
    assert run.status == Status.COMPLETED and f"run #{run.pk} completed" in out.getvalue()
    assert published(run) == published(runs.match_run())


def test_the_match_run_command_says_why_it_did_not_start(city, english):
    active = runs.match_run_start(trigger=MatchRun.Trigger.SCHEDULE)
    with pytest.raises(CommandError, match=rf"Run #{active.pk} is still in progress"):
        call_command("match_run", stdout=io.StringIO())
    assert MatchRun.objects.count() == 1


# --- Celery: the nightly entry, the chord, failures ---------------------------------------------------------


def test_the_nightly_beat_entry_runs_match_nightly_at_2(settings):
    entries = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "jobs.tasks.match_nightly"]
    assert len(entries) == 1
    assert entries[0]["schedule"] == crontab(hour=2, minute=0)
    assert settings.CELERY_TIMEZONE == "Asia/Shanghai"


def test_match_nightly_starts_and_publishes_a_run(city):
    run_pk = tasks.match_nightly.delay().get()
    run = MatchRun.objects.get(pk=run_pk)
    assert (run.trigger, run.status) == (MatchRun.Trigger.SCHEDULE, Status.COMPLETED)
    assert runs.latest_run() == run


def test_match_nightly_with_a_run_active_logs_and_returns_none(city, caplog, english):
    active = runs.match_run_start(trigger=MatchRun.Trigger.MANUAL)
    with caplog.at_level(logging.WARNING, logger="jobs.matching.tasks"):
        assert tasks.match_nightly() is None
    assert f"nightly match run not started: Run #{active.pk} is still in progress" in caplog.text
    assert MatchRun.objects.count() == 1


def test_the_chord_publishes_the_run_in_process_without_a_broker(city, settings):
    settings.MATCH_CHUNK_WORKERS = 4
    expected = published(runs.match_run())
    run = runs.match_run_start(trigger=MatchRun.Trigger.MANUAL)

    tasks.dispatch(run)

    run.refresh_from_db()
    assert (run.status, run.chunks_done, run.chunks_total) == (
        Status.COMPLETED,
        4,
        4,
    )  # three chunks of workers, one of postings
    assert published(run) == expected


def test_a_chunk_failing_after_its_retries_fails_the_run(city, monkeypatch):
    """What a worker does with a chunk that keeps losing the database: retried, then the run fails."""
    run = runs.match_run_start(trigger=MatchRun.Trigger.SCHEDULE)
    calls = []

    def lost_connection(run_id, number):
        calls.append(number)
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(runs, "match_chunk_process", lost_connection)
    # Applied here, retries follow at once (no backoff) as long as errors are not raised to the caller.
    conf = tasks.match_chunk.app.conf
    conf.task_eager_propagates = False
    try:
        result = tasks.match_chunk.apply((run.pk, 1))
    finally:
        conf.task_eager_propagates = True

    assert result.failed()
    assert calls == [1] * (1 + tasks.MatchTask.max_retries)
    run.refresh_from_db()
    assert (run.status, run.active) == (Status.FAILED, False)
    assert run.error == "OperationalError: could not connect to server"


def test_a_chunk_failing_in_the_in_process_chord_fails_the_run(city, monkeypatch):
    previous = runs.match_run()
    calls = []

    def lost_connection(run_id, number):
        calls.append(number)
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(runs, "match_chunk_process", lost_connection)
    with pytest.raises(tasks.MatchRunFailed, match="could not connect to server") as failed:
        tasks.match_run_launch(trigger=MatchRun.Trigger.SCHEDULE)

    assert isinstance(failed.value.__cause__, OperationalError)
    assert calls == [1]  # no worker to retry on
    run = failed.value.run
    run.refresh_from_db()
    assert (run.status, run.active) == (Status.FAILED, False)
    assert run.error == "OperationalError: could not connect to server"
    assert runs.latest_run() == previous
    monkeypatch.undo()
    assert runs.match_run().status == Status.COMPLETED


def test_a_failing_publish_step_fails_its_run(city):
    """The publish task is the chord's callback: its arguments are (the chunks' results, run id)."""
    run = runs.match_run_start(trigger=MatchRun.Trigger.SCHEDULE)
    error = OperationalError("the database system is shutting down")
    tasks.match_publish.on_failure(error, "task-id", ([True, True], run.pk), {}, None)
    run.refresh_from_db()
    assert (run.status, run.error) == (
        Status.FAILED,
        "OperationalError: the database system is shutting down",
    )


@pytest.fixture
def redis_down(monkeypatch):
    """Dispatch as with a broker, whose result store (Redis) cannot be reached: Celery then raises a
    RuntimeError once its reconnection retries are spent, before any chunk is sent."""
    sent = []

    def unreachable(header):
        sent.append(list(header))

        def send(body):
            raise RuntimeError(
                "Retry limit exceeded while trying to reconnect to the Celery result store backend."
            )

        return send

    monkeypatch.setattr(tasks, "chord", unreachable)
    conf = tasks.match_chunk.app.conf
    conf.task_always_eager = False
    yield sent
    conf.task_always_eager = True


def test_a_run_the_queue_cannot_take_is_recorded_failed(city, redis_down):
    with pytest.raises(tasks.QueueUnreachable) as unreachable:
        tasks.match_run_launch(trigger=MatchRun.Trigger.SCHEDULE)
    run = unreachable.value.run
    assert str(unreachable.value).startswith(f"run #{run.pk} could not be handed to the workers")
    assert len(redis_down[0]) == run.chunks_total == 2
    run.refresh_from_db()
    assert (run.status, run.active) == (Status.FAILED, False)
    assert run.error.startswith("RuntimeError: Retry limit exceeded")


def test_run_now_with_the_broker_down_records_the_run_failed_and_says_so(
    city, city_admin, english, redis_down
):
    previous = runs.match_run()

    with pytest.raises(InvalidTransition, match="The background service that runs matching could not"):
        services.match_run_now(actor=city_admin)

    failed = MatchRun.objects.exclude(pk=previous.pk).get()
    assert (failed.status, failed.active, failed.trigger) == (Status.FAILED, False, MatchRun.Trigger.MANUAL)
    assert failed.error.startswith("RuntimeError: Retry limit exceeded")
    assert runs.latest_run() == previous
    assert runs.match_run().status == Status.COMPLETED  # the lock was released


def test_the_match_run_command_with_the_queue_down_fails_the_run_and_says_so(city, redis_down):
    with pytest.raises(CommandError, match=r"could not be handed to the workers: Retry limit exceeded"):
        call_command("match_run", "--queue", stdout=io.StringIO())
    assert MatchRun.objects.get().status == Status.FAILED


@pytest.fixture
def failures_recorded(monkeypatch):
    """The ids of the runs recorded as failed, once per call of runs.match_run_fail."""
    recorded = []
    fail = runs.match_run_fail

    def recording(run_id, error):
        recorded.append(run_id)
        fail(run_id, error)

    monkeypatch.setattr(runs, "match_run_fail", recording)
    return recorded


@pytest.mark.parametrize("path", ["page", "nightly", "command"])
def test_a_run_the_queue_cannot_take_is_recorded_failed_once_on_every_path(
    city, city_admin, redis_down, failures_recorded, path
):
    launch = {
        "page": lambda: services.match_run_now(actor=city_admin),
        "nightly": tasks.match_nightly,
        "command": lambda: call_command("match_run", "--queue", stdout=io.StringIO()),
    }[path]

    with pytest.raises((InvalidTransition, tasks.QueueUnreachable, CommandError)):
        launch()

    run = MatchRun.objects.get()
    assert (run.status, run.active) == (Status.FAILED, False)
    assert failures_recorded == [run.pk]


@pytest.mark.parametrize("path", ["page", "nightly", "command"])
def test_a_run_failing_in_process_is_recorded_failed_once_on_every_path(
    city, city_admin, monkeypatch, failures_recorded, path
):
    monkeypatch.setattr(runs, "match_chunk_process", lambda run_id, number: 1 / 0)
    launch = {
        "page": lambda: services.match_run_now(actor=city_admin),
        "nightly": tasks.match_nightly,
        "command": lambda: call_command("match_run", "--queue", stdout=io.StringIO()),
    }[path]

    with pytest.raises((InvalidTransition, tasks.MatchRunFailed)):
        launch()

    run = MatchRun.objects.get()
    assert (run.status, run.error) == (Status.FAILED, "ZeroDivisionError: division by zero")
    assert failures_recorded == [run.pk]
