"""Demo employers, their apprentices, and the job board: postings, applications and labour cooperation.

Fourteen employers: six in the city's counties and eight in the partner provinces (Jiangsu, Zhejiang,
Shanghai, Guangdong). The city admin verifies eleven of them through `jobs.services` (as the queue would);
employer_b's company and a local cooperative are still waiting, and a Shenzhen company was refused with a
reason. employer_a trains eight demo trainees as apprentices with two qualified institutions.

The verified employers publish some 220 postings over the occupations of the demo brands and a few others,
mostly open, some closed, filled or expired, one taken down by the city admin; the two waiting employers
hold drafts. Every worker and trainee has a job-seeking profile; they apply (with the consent the privacy
law asks for) and the employers move them through every status, all through the services, so events and
notifications are the real ones. worker_a has applications in five statuses, among them a cross-province
hire after last year's docking fair; employer_a has applicants in every status. The city has four partner
regions and two docking fairs, one this year (city) and one a year ago (金寨县), with hires into their
postings after the fair. Only the times are moved into the past afterwards, as if it had happened over the
last months.

An employer that exists already is left as it is, one that has postings gets no more (nor do they get
applications), a worker with a profile keeps it, and partner regions and fairs are matched by name:
rerunning changes nothing.
"""

from __future__ import annotations

from demo.jobs.alerts import seed_saved_searches
from demo.jobs.applications import seed_applications
from demo.jobs.apprenticeships import seed_apprenticeships
from demo.jobs.cooperation import fair_days, seed_fairs, seed_partner_regions
from demo.jobs.counter import seed_counter
from demo.jobs.employers import EMPLOYERS, seed_employers
from demo.jobs.postings import Planned, PostingMaker, employer_postings, finish_postings
from demo.jobs.profiles import seed_profiles
from jobs.matching.runs import match_run
from jobs.models import Application, Employer, JobPosting, MatchRun
from laborbrand.accounts.models import User


def _job_board(employers: dict[str, Employer]) -> None:
    maker = PostingMaker()
    fairs = fair_days()
    planned: list[Planned] = []
    staff = {}
    for index, spec in enumerate(EMPLOYERS):
        employer = employers[spec["username"]]
        user = employer.staff.get(username=spec["username"])
        staff[employer.pk] = user
        if employer.postings.exists():
            continue
        planned += employer_postings(spec, index, employer, user, maker, fairs)
    seed_applications(planned, staff)
    finish_postings(planned, staff)
    admin = User.objects.get(username="city_admin")
    seed_fairs(seed_partner_regions(admin), employers, [plan.posting for plan in planned if plan.at_fair])


def seed(ctx) -> str:
    admin = User.objects.get(username="city_admin")
    employers = seed_employers(ctx, admin)
    seed_apprenticeships(employers["employer_a"], User.objects.get(username="employer_a"))
    seed_profiles()
    _job_board(employers)
    if not MatchRun.objects.filter(status=MatchRun.Status.COMPLETED).exists():
        # One match run, so workers see recommended jobs and employers recommended candidates at once.
        match_run(trigger=MatchRun.Trigger.COMMAND)
    seed_counter()
    seed_saved_searches()
    return (
        f"{Employer.objects.count()} employers, {JobPosting.objects.count()} postings, "
        f"{Application.objects.count()} applications, "
        f"match runs completed: {MatchRun.objects.filter(status=MatchRun.Status.COMPLETED).count()}"
    )
