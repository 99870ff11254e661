"""The match run's chunks and lock (jobs/matching/runs.py) on real rows made with factories: reruns giving
identical results, idempotent chunks (half-written, failing, late), the lock against a second start, stale
and failed runs, and pruning to the two latest completed runs. Runs on SQLite (bulk_create) and PostgreSQL
(binary COPY)."""

from __future__ import annotations

import threading

import pytest
from django.db import OperationalError, connection, connections
from django.utils import timezone

from jobs.matching import runs
from jobs.models import MatchChunk, MatchRun, Recommendation
from laborbrand.exceptions import InvalidTransition
from tests.jobs.factories_engine import occupations, posting, published, seeker
from tests.jobs.matching.match_run_helpers import Status

pytestmark = pytest.mark.django_db


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
