"""Spreading the demo year's records over its months, so that the dashboards' monthly charts have a shape.

The other parts date their records a few days or weeks back from today, so most of them fall in the last two
or three months. Once, when the demo year has no targets yet (demo.targets), this moves each group of records
the programme counts, as a whole, to a day of its own between 1 January and today — evenly spaced, the last on
today, so that every month so far has some and the current month too (on 3 January all of them fall on the
year's first three days):

- a completed programme with its enrolments (completed = a trainee-time), the assessments after it and the
  certificates they issued;
- an ethics session held so far, with its attendance;
- an apprenticeship started so far (an end date that would no longer follow the start moves with it);
- a hire (its application, consent and events; its posting's publication moves earlier when the application
  would otherwise come before it) — but not the hires after a docking fair, which stay after their fair;
- a published news item;
- a brand's selection as a cultivation target (its submission and creation before it), before the year's
  selection deadline (31 May) or today, whichever comes first.

Partner agreements are dated by demo.training.agreements in this year before the filing deadline already.
Moving keeps the order of each group's times, and never puts a time after now.
"""

from __future__ import annotations

import datetime
from datetime import timedelta

from django.db.models import Max, QuerySet
from django.utils import timezone

from brands.metrics import selection_deadline
from brands.models import Brand, BrandEvent, BrandNews
from jobs.models import Application, ApplicationEvent, Apprenticeship, DockingFair, JobPosting
from training.models import (
    Assessment,
    Certificate,
    Enrollment,
    EthicsAttendance,
    EthicsSession,
    TrainingProgram,
)

# Hires older than this are last year's story (e.g. after last year's docking fair) and stay where they are.
HIRES_WITHIN_DAYS = 120


def days(first: datetime.date, last: datetime.date, count: int) -> list[datetime.date]:
    """`count` days spread evenly from `first` to `last`, the last on `last`."""
    span = (last - first).days
    return [first + timedelta(days=round(span * (i + 1) / count)) for i in range(count)]


class Mover:
    """Moves groups of records in time, never past `now`."""

    def __init__(self, now: datetime.datetime):
        self.now = now
        self.today = timezone.localdate(now)
        self.first = datetime.date(self.today.year, 1, 1)
        self.year_start = datetime.datetime.combine(
            self.first, datetime.time.min, tzinfo=timezone.get_current_timezone()
        )

    def moment(self, day: datetime.date, hour: int = 10) -> datetime.datetime:
        """`hour` o'clock on `day`, but not after now nor before the year began."""
        when = datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_current_timezone())
        return max(min(when, self.now - timedelta(minutes=5)), self.year_start)

    def spread(self, count: int, last: datetime.date | None = None) -> list[datetime.date]:
        return days(self.first, min(last or self.today, self.today), count)

    def moved(self, value, delta: timedelta):
        if value is None:
            return None
        if isinstance(value, datetime.datetime):
            return min(value + delta, self.now)
        return min(value + timedelta(days=delta.days), self.today)

    def shift(self, records: QuerySet, fields: list[str], delta: timedelta) -> None:
        """Move the records' `fields` by `delta` (a date by its whole days), none after now."""
        model = records.model
        for row in records.values("pk", *fields):
            model.objects.filter(pk=row["pk"]).update(**{f: self.moved(row[f], delta) for f in fields})


def _programmes(mover: Mover) -> None:
    programmes = TrainingProgram.objects.filter(status=TrainingProgram.Status.COMPLETED).order_by(
        "end_date", "pk"
    )
    programmes = [p for p in programmes if p.enrollments.completed().exists()]
    for programme, day in zip(programmes, mover.spread(len(programmes)), strict=True):
        enrolments = Enrollment.objects.filter(program=programme)
        completed = enrolments.completed().aggregate(last=Max("completed_at"))["last"]
        delta = mover.moment(day, hour=16) - completed
        assessments = Assessment.objects.filter(
            institution_id=programme.institution_id,
            occupation_id=programme.occupation_id,
            worker_id__in=enrolments.values("worker_id"),
        )
        certificates = Certificate.objects.filter(assessment__in=assessments)
        mover.shift(TrainingProgram.objects.filter(pk=programme.pk), ["created"], delta)
        start = programme.start_date + timedelta(days=delta.days)
        end = min(programme.end_date + timedelta(days=delta.days), mover.today)
        TrainingProgram.objects.filter(pk=programme.pk).update(start_date=min(start, end), end_date=end)
        mover.shift(enrolments, ["applied_at", "completed_at"], delta)
        mover.shift(certificates, ["issued_on", "revoked_at"], delta)
        mover.shift(assessments, ["assessed_on", "created"], delta)


def _ethics(mover: Mover) -> None:
    held = list(EthicsSession.objects.filter(held_on__lte=mover.today).order_by("held_on", "pk"))
    for session, day in zip(held, mover.spread(len(held)), strict=True):
        delta = timedelta(days=(day - session.held_on).days)
        mover.shift(EthicsSession.objects.filter(pk=session.pk), ["held_on", "created"], delta)
        mover.shift(EthicsAttendance.objects.filter(session=session), ["recorded_at"], delta)


def _apprenticeships(mover: Mover) -> None:
    started = list(Apprenticeship.objects.filter(start_date__lte=mover.today).order_by("start_date", "pk"))
    for apprenticeship, day in zip(started, mover.spread(len(started)), strict=True):
        delta = timedelta(days=(day - apprenticeship.start_date).days)
        end = apprenticeship.end_date
        if end <= day:
            end = end + delta
        Apprenticeship.objects.filter(pk=apprenticeship.pk).update(start_date=day, end_date=end)
        mover.shift(Apprenticeship.objects.filter(pk=apprenticeship.pk), ["created"], delta)


def _hires(mover: Mover) -> None:
    at_fairs = DockingFair.postings.through.objects.values("jobposting_id")
    hires = list(
        Application.objects.hired()
        .filter(status_changed__gte=mover.now - timedelta(days=HIRES_WITHIN_DAYS))
        .exclude(posting_id__in=at_fairs)
        .select_related("posting")
        .order_by("status_changed", "pk")
    )
    for hire, day in zip(hires, mover.spread(len(hires)), strict=True):
        delta = mover.moment(day, hour=15) - hire.status_changed
        mover.shift(
            Application.objects.filter(pk=hire.pk), ["created", "consent_at", "status_changed"], delta
        )
        mover.shift(ApplicationEvent.objects.filter(application=hire), ["created"], delta)
        applied = hire.created + delta
        posting = hire.posting
        if posting.published_at and posting.published_at >= applied:
            published = applied - timedelta(days=2)
            JobPosting.objects.filter(pk=posting.pk).update(
                published_at=published, created=min(posting.created, published - timedelta(days=1))
            )


def _news(mover: Mover) -> None:
    news = list(BrandNews.objects.published().order_by("published_at", "pk"))
    for item, day in zip(news, mover.spread(len(news)), strict=True):
        when = mover.moment(day, hour=9 + item.pk % 8)
        BrandNews.objects.filter(pk=item.pk).update(published_at=when, created=when)


def _selections(mover: Mover) -> None:
    deadline = selection_deadline(mover.today.year)
    selections = list(BrandEvent.objects.filter(new_status=Brand.Status.CULTIVATING).order_by("pk"))
    last = min(deadline - timedelta(days=1), mover.today)
    for event, day in zip(selections, mover.spread(len(selections), last), strict=True):
        delta = mover.moment(day, hour=11) - event.created
        brand = Brand.objects.filter(pk=event.brand_id)
        mover.shift(BrandEvent.objects.filter(brand_id=event.brand_id, pk__lte=event.pk), ["created"], delta)
        mover.shift(brand, ["created"], delta)
        if brand.filter(status=Brand.Status.CULTIVATING).exists():
            mover.shift(brand, ["status_changed"], delta)


def spread_over_year(now: datetime.datetime | None = None) -> None:
    mover = Mover(now or timezone.now())
    _programmes(mover)
    _ethics(mover)
    _apprenticeships(mover)
    _hires(mover)
    _news(mover)
    _selections(mover)
