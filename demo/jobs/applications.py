"""The demo's applications: the stories first, then generated ones in every status, made with consent and
moved through `jobs.services`, then dated over the weeks they took."""

from __future__ import annotations

import datetime
from bisect import bisect_left
from collections import defaultdict
from datetime import timedelta

from django.utils import timezone

from demo.common import last_notification, read_at
from demo.jobs.employers import HOME
from demo.jobs.postings import Planned
from demo.jobs.stories import SCENARIOS
from jobs import services
from jobs.models import Application, ApplicationEvent, MatchInvitation, WorkerProfile
from laborbrand.accounts.models import Notification, User

Status = Application.Status

PATHS = {
    Status.SUBMITTED: [Status.SUBMITTED],
    Status.VIEWED: [Status.SUBMITTED, Status.VIEWED],
    Status.INTERVIEW: [Status.SUBMITTED, Status.VIEWED, Status.INTERVIEW],
    Status.OFFERED: [Status.SUBMITTED, Status.VIEWED, Status.INTERVIEW, Status.OFFERED],
    Status.HIRED: [Status.SUBMITTED, Status.VIEWED, Status.INTERVIEW, Status.OFFERED, Status.HIRED],
    Status.REJECTED: [Status.SUBMITTED, Status.VIEWED, Status.REJECTED],
    Status.WITHDRAWN: [Status.SUBMITTED, Status.WITHDRAWN],
}
LONG_PATHS = {
    Status.REJECTED: [Status.SUBMITTED, Status.VIEWED, Status.INTERVIEW, Status.REJECTED],
    Status.WITHDRAWN: [Status.SUBMITTED, Status.VIEWED, Status.WITHDRAWN],
}
NOTES = {
    Status.INTERVIEW: [
        "请于本周四上午9:00携带身份证和职业技能等级证书到公司人事部面试。",
        "电话面试安排在明天下午3点，请保持手机畅通。",
        "请到厂区门卫处登记后，到办公楼二楼会议室参加面试和实操考核。",
    ],
    Status.OFFERED: [
        "面试通过，试用期一个月，转正后按岗位标准定薪，请三日内答复。",
        "欢迎加入！请确认到岗时间，入职前需完成体检。",
    ],
    Status.HIRED: ["已办理入职手续，欢迎加入！", "已签订劳动合同，祝工作顺利。"],
    Status.REJECTED: [
        "感谢您的申请，本次岗位已招满，欢迎关注我们后续发布的岗位。",
        "岗位要求有相关工作经验，与您目前的情况暂不匹配，感谢关注。",
    ],
}
# How many workers apply to each posting, and the status each generated application ends in, in turn; a
# fair's postings draw more applicants and more of them are hired. No worker applies more than MOST_APPLIED
# times.
APPLICANT_COUNTS = [1, 0, 2, 1, 0, 3, 1, 0, 2, 1]
FAIR_APPLICANTS = 4
FAIR_TURNS = [Status.HIRED, Status.REJECTED, Status.HIRED, Status.OFFERED, Status.WITHDRAWN, Status.HIRED]
MOST_APPLIED = 6
STATUS_TURNS = [
    Status.SUBMITTED,
    Status.HIRED,
    Status.VIEWED,
    Status.INTERVIEW,
    Status.REJECTED,
    Status.HIRED,
    Status.SUBMITTED,
    Status.OFFERED,
    Status.WITHDRAWN,
    Status.REJECTED,
    Status.VIEWED,
    Status.HIRED,
    Status.INTERVIEW,
    Status.SUBMITTED,
    Status.REJECTED,
]


def _step_times(start, end, steps: int, seed: int) -> list[datetime.datetime]:
    """`steps` times from `start`, one to four days apart, squeezed to end before `end`."""
    gaps = [timedelta(days=1 + (seed + i) % 4, hours=(seed * 5 + i * 3) % 9) for i in range(steps - 1)]
    total = sum(gaps, timedelta())
    room = (end - start) * 0.95
    if total > room:
        gaps = [gap * (room / total) for gap in gaps]
    times = [start]
    for gap in gaps:
        times.append(times[-1] + gap)
    return [t.replace(second=0, microsecond=0) for t in times]


class Applying:
    """Applies and moves applications through the services; `finish` dates what they recorded."""

    def __init__(self, staff: dict[int, User]):
        self.staff = staff  # employer pk → the staff user acting for it
        self.hired: set[int] = set(Application.objects.hired().values_list("worker_id", flat=True))
        self.seed = 0
        self.pending: list[tuple] = []
        self.times: dict[int, list[datetime.datetime]] = {}  # application pk → the time of each step
        self.marks: list[tuple[int, datetime.datetime]] = []  # (last notification before a step, its time)

    def step(self, when: datetime.datetime, service, **kwargs):
        self.marks.append((last_notification(), when))
        return service(**kwargs)

    def path(self, status: str, worker: User) -> list[str]:
        self.seed += 1
        if status == Status.HIRED and worker.pk in self.hired:
            status = Status.REJECTED
        paths = LONG_PATHS if self.seed % 2 and status in LONG_PATHS else PATHS
        return paths[status]

    def apply(self, plan: Planned, worker: User, path: list[str], times: list, notes: dict | None = None):
        """Apply now; the employer's moves wait for `finish`, so that no hire fills a posting before
        everyone meant to apply to it has."""
        # Every third application answers the employer's invitation to apply, sent the day before from the
        # recommended candidates of an earlier nightly match; so it counts as from a recommendation.
        if len(self.times) % 3 == 2:
            MatchInvitation.objects.get_or_create(
                posting=plan.posting,
                worker=worker,
                defaults={
                    "invited_by": self.staff[plan.posting.employer_id],
                    "created": times[0] - timedelta(days=1),
                },
            )
        application = self.step(
            times[0], services.application_submit, posting=plan.posting, worker=worker, consent=True
        )
        self.pending.append((plan, application, worker, path, times, notes or {}))
        self.times[application.pk] = times
        if path[-1] == Status.HIRED:
            self.hired.add(worker.pk)
        plan.applicants.append(worker.pk)

    def finish(self) -> None:
        for plan, application, worker, path, times, notes in self.pending:
            staff = self.staff[plan.posting.employer_id]
            for status, when in zip(path[1:], times[1:], strict=True):
                if status == Status.VIEWED:
                    self.step(when, services.application_mark_viewed, application=application, actor=staff)
                elif status == Status.WITHDRAWN:
                    self.step(when, services.application_withdraw, application=application, worker=worker)
                else:
                    choices = NOTES.get(status, [""])
                    note = notes.get(status) or choices[(worker.pk + plan.posting.pk) % len(choices)]
                    self.step(
                        when,
                        services.application_move,
                        application=application,
                        actor=staff,
                        to=status,
                        note=note,
                    )
        self.pending = []
        self._backdate()

    def _backdate(self) -> None:
        """Give the applications, their steps (one per service call, in order) and the notifications each
        step sent the step's time, in a few bulk updates."""
        applications = list(Application.objects.filter(pk__in=self.times))
        for application in applications:
            times = self.times[application.pk]
            application.created = application.consent_at = times[0]
            application.status_changed = times[-1]
        Application.objects.bulk_update(applications, ["created", "consent_at", "status_changed"], 200)
        events = list(ApplicationEvent.objects.filter(application__in=self.times).order_by("pk"))
        step = defaultdict(int)
        for event in events:
            times = self.times[event.application_id]
            event.created = times[min(step[event.application_id], len(times) - 1)]
            step[event.application_id] += 1
        ApplicationEvent.objects.bulk_update(events, ["created"], 200)
        if not self.marks:
            return
        watermarks = [mark for mark, _when in self.marks]
        notifications = list(Notification.objects.filter(pk__gt=watermarks[0]).only("pk"))
        for notification in notifications:
            when = self.marks[bisect_left(watermarks, notification.pk) - 1][1]
            notification.created, notification.read_at = when, read_at(when)
        Notification.objects.bulk_update(notifications, ["created", "read_at"], 200)

    def scenario(self, plan: Planned, worker: User, spec: dict) -> None:
        now = timezone.now().replace(second=0, microsecond=0)
        if plan.at_fair and "applied" not in spec:
            start = plan.applied_from + timedelta(minutes=25)
        else:
            start = max(now - timedelta(days=spec["applied"], hours=2), plan.applied_from)
        path = PATHS[spec["status"]]
        end = min(start + timedelta(days=spec.get("span", 0), hours=1), now - timedelta(minutes=30))
        times = (
            [start]
            if len(path) == 1
            else _step_times(start, max(end, start + timedelta(hours=2)), len(path), 1)
        )
        self.apply(plan, worker, path, times, spec.get("notes"))

    def generated(self, plan: Planned, worker: User, status: str) -> None:
        if plan.applied_until < timezone.now() - timedelta(days=60):
            # Long over: the offers were declined or taken up, the others turned down.
            status = {Status.HIRED: Status.HIRED, Status.OFFERED: Status.WITHDRAWN}.get(
                status, Status.REJECTED
            )
        path = self.path(status, worker)
        window = plan.applied_until - plan.applied_from
        # A posting only days old has not got far: its applications stop at an earlier step.
        path = path[: max(1, min(len(path), window.days))]
        seed = self.seed
        share = (0.02, 0.05, 0.1, 0.2, 0.3, 0.45)[seed % 6] * (0.5 if len(path) >= 4 else 1)
        start = plan.applied_from + window * share + timedelta(minutes=(seed * 17) % 240)
        times = _step_times(start, plan.applied_until, len(path), seed)
        self.apply(plan, worker, path, times)


def seed_applications(planned: list[Planned], staff: dict[int, User]) -> None:
    applying = Applying(staff)
    by_key = {plan.key: plan for plan in planned}
    workers = {
        u.username: u
        for u in User.objects.filter(username__in={s["worker"] for s in SCENARIOS}, profile__isnull=False)
    }
    for spec in SCENARIOS:
        plan, worker = by_key.get(spec["posting"]), workers.get(spec["worker"])
        if plan is not None and worker is not None:
            applying.scenario(plan, worker, spec)
    applying.hired.update(worker.pk for worker in workers.values())  # their stories have their ending

    profiles = (
        WorkerProfile.objects.filter(seeking=True, user__username__startswith="trainee_")
        .select_related("user")
        .prefetch_related("desired_occupations")
        .order_by("user__username")
    )
    by_occupation = defaultdict(list)
    for profile in profiles:
        for occupation in profile.desired_occupations.all():
            by_occupation[occupation.pk].append(profile)
    turn = defaultdict(int)
    applied = defaultdict(int)
    status_turn = fair_turn = 0
    # The fairs' postings first: workers met their employers there.
    for i, plan in enumerate(sorted(planned, key=lambda plan: not plan.at_fair)):
        if plan.applicants:  # a scenario's posting keeps its story
            continue
        local = plan.posting.province.code == HOME
        candidates = [
            p
            for p in by_occupation.get(plan.posting.occupation_id, [])
            if (local or p.accepts_other_province) and applied[p.user_id] < MOST_APPLIED
        ]
        wanted = FAIR_APPLICANTS if plan.at_fair else APPLICANT_COUNTS[i % len(APPLICANT_COUNTS)]
        for _ in range(min(wanted, len(candidates))):
            if plan.at_fair:
                status = FAIR_TURNS[fair_turn % len(FAIR_TURNS)]
                fair_turn += 1
            else:
                status = STATUS_TURNS[status_turn % len(STATUS_TURNS)]
                status_turn += 1
            index = turn[plan.posting.occupation_id] % len(candidates)
            if status == Status.HIRED:  # someone not hired yet, if there is one
                free = [n for n, p in enumerate(candidates) if p.user_id not in applying.hired]
                index = free[0] if free else index
            profile = candidates.pop(index)
            turn[plan.posting.occupation_id] += 1
            applied[profile.user_id] += 1
            applying.generated(plan, profile.user, status)
    applying.finish()
