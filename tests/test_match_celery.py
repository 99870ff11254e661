"""The match run on real Celery workers (tests/celery_worker.py: a prefork worker of two processes, as in
production, on a queue of its own) against Redis and the PostgreSQL test database: `manage.py match_run
--queue` in another process dispatches the chord, the workers score the chunks, the last one publishes; and a
worker killed half-way through a run leaves the previous recommendations in place, the next start fails the
dead run and a new run succeeds. Skipped without a broker (REDIS_URL)."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection
from django.utils import translation

from jobs.matching.runs import latest_run, match_run
from jobs.models import MatchRun, Recommendation
from tests.celery_worker import (  # noqa: F401  (fixtures)
    broker,
    delete_queue,
    kill_worker,
    new_queue,
    process_env,
    start_worker,
    stop_worker,
    worker_log,
)
from tests.jobs.factories_engine import bulk_city, published, small_city

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="several worker processes writing at once: PostgreSQL only"
)

RUN_TIMEOUT = 120


@pytest.fixture
def match_workers(broker, committed_db, tmp_path):  # noqa: F811
    """Start prefork workers of two processes on a new queue: `start(**env)`; each is stopped at teardown,
    its queue and unacknowledged messages removed from Redis."""
    queue, started = new_queue(), []

    def start(**env):
        worker = start_worker(
            broker,
            tmp_path,
            queue=queue,
            pool="prefork",
            concurrency=2,
            CELERY_TASK_DEFAULT_QUEUE=queue,
            **env,
        )
        started.append(worker)
        return worker

    start.queue = queue
    yield start
    for worker in started:
        stop_worker(worker)
    delete_queue(queue)


def match_run_queued(broker_url: str, queue: str, **env) -> subprocess.Popen:
    """`manage.py match_run --queue` in its own process (production settings, the test DB, the queue)."""
    return subprocess.Popen(
        [sys.executable, "manage.py", "match_run", "--queue", f"--timeout={RUN_TIMEOUT}"],
        cwd=settings.BASE_DIR,
        env=process_env(broker_url, CELERY_TASK_DEFAULT_QUEUE=queue, **env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_a_run_on_the_celery_workers_publishes_what_an_in_process_run_does(match_workers, broker):  # noqa: F811
    small_city()
    worker = match_workers()

    command = match_run_queued(broker, match_workers.queue, MATCH_CHUNK_WORKERS="3", MATCH_CHUNK_POSTINGS="1")
    output, _ = command.communicate(timeout=RUN_TIMEOUT + 30)

    assert command.returncode == 0, f"{output}\n{worker_log(worker)}"
    run = latest_run()
    assert f"run #{run.pk} completed" in output
    assert (run.trigger, run.chunks_total, run.chunks_done) == (MatchRun.Trigger.COMMAND, 7, 7)
    log = worker_log(worker)
    assert log.count("Task jobs.tasks.match_chunk[") >= 7 and "Task jobs.tasks.match_publish[" in log
    queued = published(run)
    assert sum(queued.values()) == run.recommendations > 20

    in_process = match_run()

    assert published(in_process) == queued
    assert (in_process.workers, in_process.postings, in_process.pairs) == (
        run.workers,
        run.postings,
        run.pairs,
    )


def test_a_worker_killed_half_way_leaves_the_previous_recommendations_and_the_next_run_succeeds(
    match_workers,
    broker,  # noqa: F811
    settings,
):
    bulk_city(1500)
    previous = match_run()
    before = published(previous)
    assert sum(before.values()) > 1500
    worker = match_workers()

    command = match_run_queued(broker, match_workers.queue, MATCH_CHUNK_WORKERS="20")
    try:
        run = half_way(command, worker, previous)
        kill_worker(worker)
    finally:
        command.kill()
        command.wait(timeout=10)

    run.refresh_from_db()
    assert run.status == MatchRun.Status.RUNNING and 0 < run.chunks_done < run.chunks_total
    assert latest_run() == previous
    assert published(previous) == before

    settings.MATCH_RUN_STALE_AFTER = 1
    time.sleep(1.1)  # no progress for longer than that
    with translation.override("en"):
        after = match_run()

    run.refresh_from_db()
    assert (run.status, run.active) == (MatchRun.Status.FAILED, False)
    assert run.error.startswith("Stopped without finishing")
    assert not Recommendation.objects.filter(run=run).exists()
    assert after.status == MatchRun.Status.COMPLETED and latest_run() == after
    assert published(after) == before


def half_way(command: subprocess.Popen, worker: dict, previous: MatchRun) -> MatchRun:
    """Wait until the queued run (the one after `previous`) has some chunks done but not all; return it."""
    deadline = time.monotonic() + RUN_TIMEOUT
    while time.monotonic() < deadline:
        run = MatchRun.objects.filter(pk__gt=previous.pk).first()
        if run is not None and run.status != MatchRun.Status.RUNNING:
            break
        if run is not None and 0 < run.chunks_done < run.chunks_total:
            return run
        if command.poll() is not None:
            break
        time.sleep(0.01)
    runs = list(MatchRun.objects.values_list("status", "chunks_done", "chunks_total"))
    output = f"exit {command.returncode}: {command.stdout.read()}" if command.poll() is not None else ""
    pytest.fail(f"never saw the run half-way: {runs}\n{output}\n{worker_log(worker)}")
