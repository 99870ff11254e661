"""Measuring one full match run for the nightly-matching benchmark (bench_matching): its wall time, the
peak memory and CPU time of every process that worked on it (from /proc, no psutil), and the reports."""

from __future__ import annotations

import contextlib
import os
import re
import resource
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import timezone

from jobs.matching import runs as matchrun
from jobs.matching.tasks import match_run_launch
from jobs.models import MatchRun, Recommendation
from laborbrand.accounts.models import User

POLL_SECONDS = 0.2


@dataclass
class Result:
    run: MatchRun
    wall: float  # from the start to the run's publication (finished_at)
    prune: float  # from the publication until the publishing step's prune was done
    cells: int  # worker × posting cells scored by all chunks (the posting chunks score the pairs again)
    peaks: list[tuple[str, float]]  # (process, peak resident MiB)
    cpu: dict[str, float]  # CPU seconds used during the run: Celery processes, PostgreSQL, dispatcher
    prune_cpu: float | None  # CPU seconds of the prune (with --queue; in one process it is the run's)
    busy: float  # how busy the machine's CPUs were during the run, all processes, %

    def report(self) -> str:
        run, seconds = self.run, self.run.seconds
        phases = ", ".join(f"{p} {seconds.get(p, 0):.2f}" for p in ("load", "score", "write", "publish"))
        peaks = ", ".join(f"{name} {mib:.0f}" for name, mib in self.peaks) or "n/a"
        cpu = ", ".join(f"{name} {value:.1f}" for name, value in self.cpu.items())
        cores = len(os.sched_getaffinity(0))
        ours = sum(self.cpu.values())
        return "\n".join(
            (
                f"run #{run.pk}: {run.workers:,} workers × {run.postings:,} postings, "
                f"{run.chunks_total} chunks",
                f"  pairs scored           {run.pairs:,} (cells incl. the posting chunks: {self.cells:,})",
                f"  recommendation rows    {run.recommendations:,}",
                f"  wall seconds           {self.wall:.2f} (start to published); pruning {self.prune:.2f}"
                + (f" (CPU {self.prune_cpu:.1f})" if self.prune_cpu is not None else ""),
                f"  seconds per phase      {phases} (summed over chunks)",
                f"  pairs/s                {run.pairs / self.wall:,.0f}",
                f"  rows written/s         {run.recommendations / self.wall:,.0f} (wall); "
                f"{run.recommendations / max(seconds.get('write', 0), 1e-9):,.0f} per writing process",
                f"  peak memory MiB        {peaks}",
                f"  CPU seconds            {cpu}: {ours:.1f} = {ours / cores:.1f} s of {cores} cores; "
                f"the CPUs were {self.busy:.0f} % busy (all processes)",
            )
        )


def measure(admin: User, *, queue: bool, timeout: float) -> Result:
    """One full run: its wall time, the peak memory and CPU time of every process that worked on it."""
    vacuum()
    hosts, workers = celery_processes() if queue else ([], [])
    dispatcher = [("dispatcher", Path("/proc/self"))]
    for _name, proc in dispatcher + workers:
        reset_peak(proc)
    backends = Backends()

    def usage() -> dict[str, int]:
        backends.sample()
        busy, total = machine_ticks()
        return {
            "celery": ticks(p for _n, p in workers),
            "postgresql": backends.used(),
            "dispatcher": ticks(p for _n, p in dispatcher),
            "busy": busy,
            "total": total,
        }

    before = usage()
    started = timezone.now()
    try:
        if queue:
            run = match_run_launch(trigger=MatchRun.Trigger.COMMAND, user=admin)
            run = wait(run, timeout, backends)
            published = usage()
            wait_idle(hosts, timeout, backends)
        else:
            # In one process the prune follows the publication at once: its CPU time is the run's.
            run = matchrun.match_run(trigger=MatchRun.Trigger.COMMAND, user=admin)
            published = usage()
    except matchrun.MatchRunBusy as busy:
        raise CommandError(str(busy)) from None
    done, pruned = timezone.now(), usage()
    if run.status != MatchRun.Status.COMPLETED:
        raise CommandError(f"run #{run.pk} {run.status}: {run.error}")
    names = [
        name
        for name, measured in (
            ("celery", bool(workers)),
            ("postgresql", connection.vendor == "postgresql"),
            ("dispatcher", True),
        )
        if measured
    ]
    return Result(
        run=run,
        wall=(run.finished_at - started).total_seconds(),
        prune=(done - run.finished_at).total_seconds(),
        cells=sum(stats.get("pairs", 0) for stats in run.chunks.values_list("stats", flat=True)),
        peaks=[(name, peak) for name, proc in dispatcher + workers if (peak := peak_mib(proc)) is not None],
        cpu={name: (published[name] - before[name]) / TICKS for name in names},
        prune_cpu=sum(pruned[name] - published[name] for name in names) / TICKS if workers else None,
        busy=100 * (published["busy"] - before["busy"]) / max(published["total"] - before["total"], 1),
    )


def vacuum() -> None:
    """What autovacuum does in the day between two nightly runs: clear away the rows the last prune deleted
    (back-to-back runs would otherwise write into an ever more bloated table and indexes)."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {Recommendation._meta.db_table}")


def wait(run: MatchRun, timeout: float, backends: Backends) -> MatchRun:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run.refresh_from_db()
        backends.sample()
        if run.status != MatchRun.Status.RUNNING:
            return run
        time.sleep(POLL_SECONDS)
    raise CommandError(f"run #{run.pk} still running after {timeout:.0f} s ({run.progress} % of chunks)")


def wait_idle(hosts: list[str], timeout: float, backends: Backends) -> None:
    """Until the workers are idle: the publishing step prunes older runs after marking the run completed,
    and the next run should not compete with that."""
    from celery import current_app as app  # the portal's (laborbrand.celery), set as current

    deadline = time.monotonic() + timeout
    while hosts and time.monotonic() < deadline:
        active = app.control.inspect(destination=hosts, timeout=2).active() or {}
        backends.sample()
        if not any(active.values()):
            return
        time.sleep(POLL_SECONDS)


def celery_processes() -> tuple[list[str], list[tuple[str, Path]]]:
    """The Celery workers consuming this queue, and those of their processes running on this machine (main
    and pool) as /proc entries: the peak resident size is VmHWM in /proc/<pid>/status, the CPU time in
    /proc/<pid>/stat (no psutil needed)."""
    from celery import current_app as app  # the portal's (laborbrand.celery), set as current

    if app.conf.task_always_eager:  # no broker: the chord runs in this process
        return [], []
    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    consuming = [
        host
        for host, queues in (app.control.inspect(timeout=2).active_queues() or {}).items()
        if any(q.get("name") == queue for q in queues)
    ]
    if not consuming:
        raise CommandError(f"No Celery worker consumes the queue {queue!r}: start one (see the script).")
    found = []
    for host, stats in (app.control.inspect(destination=consuming, timeout=2).stats() or {}).items():
        pids = [stats.get("pid"), *stats.get("pool", {}).get("processes", [])]
        for i, pid in enumerate(p for p in pids if p):
            proc = Path(f"/proc/{pid}")
            if proc.exists():
                found.append((f"{host.split('@')[0]}:{'main' if i == 0 else f'pool{i}'}", proc))
    return consuming, found


TICKS = os.sysconf("SC_CLK_TCK")


def ticks(procs) -> int:
    """User and system CPU time of processes, in clock ticks."""
    total = 0
    for proc in procs:
        with contextlib.suppress(OSError, IndexError):
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
    return total


class Backends:
    """CPU ticks of the PostgreSQL backends serving this database, when the server runs on this machine.
    Celery closes its connection after each task, so a chunk's backend lives as long as the chunk: they are
    sampled while the run goes on (each poll), and what one used after its last sample is missed."""

    def __init__(self):
        self.start: dict[int, int] = {}
        self.last: dict[int, int] = {}
        self.start = dict(self._ticks())

    def _ticks(self):
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
            pids = [pid for (pid,) in cursor.fetchall()]
        for pid in pids:
            if (value := ticks([Path(f"/proc/{pid}")])) > 0:
                yield pid, value

    def sample(self) -> None:
        self.last.update(self._ticks())

    def used(self) -> int:
        return sum(value - self.start.get(pid, 0) for pid, value in self.last.items())


def machine_ticks() -> tuple[int, int]:
    """(busy, total) CPU ticks of the whole machine so far, from /proc/stat."""
    try:
        values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except OSError:
        return 0, 0
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def reset_peak(proc: Path) -> None:
    """Start the process's high-water mark afresh (Linux ≥ 4.0), so each run measures its own peak."""
    with contextlib.suppress(OSError):
        (proc / "clear_refs").write_text("5")


def peak_mib(proc: Path) -> float | None:
    try:
        status = (proc / "status").read_text()
    except OSError:
        if proc == Path("/proc/self"):
            return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return None
    found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    return int(found[1]) / 1024 if found else None


def sweep_table(results: list[Result]) -> str:
    lines = [
        "",
        "workers  postings       pairs      rows  wall s   load  score  write  publish  prune  CPU s  s/Mpr",
    ]
    for r in results:
        s = r.run.seconds
        lines.append(
            f"{r.run.workers:7d}  {r.run.postings:8d}  {r.run.pairs:10d}  {r.run.recommendations:8d}  "
            f"{r.wall:6.2f}  {s.get('load', 0):5.2f}  {s.get('score', 0):5.2f}  {s.get('write', 0):5.2f}  "
            f"{s.get('publish', 0):7.2f}  {r.prune:5.2f}  {sum(r.cpu.values()):5.1f}  "
            f"{r.wall / max(r.run.pairs, 1) * 1e6:5.3f}"
        )
    return "\n".join(lines)


def prune_step(run: MatchRun) -> str:
    """What each night's prune costs: deleting one full run's rows, two nights later. The benchmark's last
    run is the one it would be; its rows are thrown away now anyway, with the same statement the prune uses
    (every row whose run is not among those kept)."""
    keep = list(MatchRun.objects.exclude(pk=run.pk).values_list("pk", flat=True))
    started = time.perf_counter()
    with transaction.atomic():
        old = Recommendation.objects.exclude(run_id__in=keep)
        removed = old._raw_delete(old.db)
    return f"prune: deleted {removed:,} rows of run #{run.pk} in {time.perf_counter() - started:.2f} s"


def machine() -> str:
    cores = len(os.sched_getaffinity(0))
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    load = " ".join(f"{n:.2f}" for n in os.getloadavg())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            database = connection.vendor
    return f"machine: {cores} cores, {memory / 2**30:.0f} GiB RAM, {database}; load average {load}"


# --- Building the city --------------------------------------------------------------------------------------
