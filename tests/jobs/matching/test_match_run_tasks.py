"""Starting the match run (jobs/matching/tasks.py, manage.py match_run): the command, the nightly task from
Celery beat and the in-process chord; failing chunks and publish steps, and a queue that cannot take the
run, each recorded as a failed run once on every path."""

from __future__ import annotations

import io
import logging

import pytest
from celery.schedules import crontab
from django.core.management import CommandError, call_command
from django.db import OperationalError

from jobs.matching import runs, services, tasks
from jobs.models import MatchRun
from laborbrand.exceptions import InvalidTransition
from tests.jobs.factories_engine import published
from tests.jobs.matching.match_run_helpers import Status

pytestmark = pytest.mark.django_db


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
