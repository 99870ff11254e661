"""A stored recommendation in plain words, for the worker ("In your home county") and for the employer
("Lives in the job's county"), and the training that would close a skill gap.

The points come from `scoring.explain()` under the weights the run used; the sentences name the case
each component's fit stands for (the fits are documented in scoring.py). A page's list is explained
with a fixed number of queries: the rows come loaded, the skill levels from the cached reference rows, and
`training_for_gaps()` is one query for the whole page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jobs.matching import scoring
from jobs.matching.models import MatchInvitation, MatchRun, Recommendation
from jobs.models import Application, JobPosting, WorkerProfile, home_province_id
from laborbrand.reference.cached import reference_rows
from laborbrand.reference.models import SkillLevel
from training.models import TrainingProgram

WORKER = "worker"
EMPLOYER = "employer"
PROGRAMMES_PER_GAP = 3
MAIN_REASONS = 2  # what a card shows before the full explanation is opened

# Per component and case: (the worker's sentence, the employer's sentence). Placeholders are filled from
# the posting and the worker's certificate level; an employer's sentence speaks of the candidate.
SENTENCES = {
    "occupation": {
        "same": (
            _("In an occupation you want or hold a certificate in"),
            _("Wants this occupation or holds a certificate in it"),
        ),
        "category": (
            _("In the same field as the occupations you want"),
            _("Wants an occupation in the same field"),
        ),
        "other": (_("Not in an occupation you want"), _("Wants other occupations")),
    },
    "level": {
        "met": (
            _("Needs %(required)s or above; you hold %(held)s"),
            _("Holds %(held)s in this occupation; you ask for %(required)s or above"),
        ),
        "below": (
            _("Needs %(required)s; you hold %(held)s"),
            _("Holds %(held)s in this occupation; you ask for %(required)s"),
        ),
        "none_held": (
            _("Needs %(required)s; you hold no certificate in this occupation"),
            _("Holds no certificate in this occupation; you ask for %(required)s"),
        ),
        "extra": (
            _("No certificate required; you hold %(held)s"),
            _("No certificate required; holds %(held)s in this occupation"),
        ),
        "not_asked": (
            _("No certificate required; one in this occupation would count for more"),
            _("No certificate required; holds none in this occupation"),
        ),
    },
    "brand": {
        "member": (
            _("For members of the %(brand)s brand, and you are one"),
            _("Member of the %(brand)s brand"),
        ),
        "not_member": (
            _("For members of the %(brand)s brand; you are not a member yet"),
            _("Not a member of the %(brand)s brand"),
        ),
        "none": (_("Not tied to a labour brand"), _("Your posting names no labour brand")),
    },
    "location": {
        "county": (_("In your home county"), _("Lives in the job's county")),
        "city": (_("In this city, outside your home county"), _("Lives in this city, in another county")),
        "province": (
            _("In this province, outside the city"),
            _("The job is in this province, outside their city"),
        ),
        "preferred": (
            _("In a province you prefer to work in"),
            _("Prefers to work in the job's province"),
        ),
        "accepted": (
            _("In another province; you are willing to go"),
            _("Willing to work in another province"),
        ),
    },
    "salary": {
        "met": (_("Pay reaches your expectation"), _("Your pay reaches their expectation")),
        "below": (_("Pay is below your expectation"), _("Your pay is below their expectation")),
        "unknown": (_("No salary expectation to compare with"), _("No salary expectation given")),
    },
    "freshness": {
        "new": (_("Newly published"), _("Your posting is new")),
        "month": (_("Published within the last month"), _("Your posting is less than a month old")),
        "old": (_("Published more than a month ago"), _("Your posting is more than a month old")),
    },
    "fairness": {
        "none": (_("No applicants yet"), _("No applicants yet when the match was made")),
        "few": (_("Few applicants so far"), _("Few applicants so far")),
        "many": (_("Many applicants already"), _("Many applicants already")),
    },
}


@dataclass(frozen=True)
class Point:
    """One component of a recommendation in words, with the points it earned out of its maximum."""

    component: str
    text: str
    points: float
    maximum: float
    matched: bool


@dataclass(frozen=True)
class Facts:
    """What the sentences need besides the fits: the posting (with min_level and brand loaded), the level
    the worker held in its occupation, and the worker's salary expectation (None when not given)."""

    posting: JobPosting
    held: SkillLevel | None
    expected_salary: int | None
    home_province: int | None


def levels_by_rank() -> dict[int, SkillLevel]:
    """The five skill levels by rank (cached reference rows: no query on most pages)."""
    return {level.rank: level for level in reference_rows()["levels"]}


def _per_mille(fit: float) -> int:
    return round(fit * scoring.PER_MILLE)


def _case(component: str, fit: float, facts: Facts) -> tuple[str, dict[str, str]]:
    """The case a component's fit stands for, and the values its sentence names."""
    posting = facts.posting
    mille = _per_mille(fit)
    if component == "occupation":
        if mille >= _per_mille(scoring.OCCUPATION_SAME):
            return "same", {}
        return ("category", {}) if mille >= _per_mille(scoring.OCCUPATION_CATEGORY) else ("other", {})
    if component == "level":
        names = {
            "required": str(posting.min_level) if posting.min_level else "",
            "held": str(facts.held) if facts.held else "",
        }
        held_rank = facts.held.rank if facts.held else 0
        if posting.min_level is None:
            return ("extra" if facts.held else "not_asked"), names
        if held_rank >= posting.min_level.rank:
            return "met", names
        return ("below" if facts.held else "none_held"), names
    if component == "brand":
        if posting.brand is None or mille == _per_mille(scoring.BRAND_NONE):
            return "none", {}
        return ("member" if fit >= 1 else "not_member"), {"brand": posting.brand.name}
    if component == "location":
        if mille >= _per_mille(scoring.LOCATION_COUNTY):
            return "county", {}
        if mille >= _per_mille(scoring.LOCATION_CITY):
            return "city", {}
        if mille >= _per_mille(scoring.LOCATION_PROVINCE):
            in_home_province = posting.province_id == facts.home_province
            return ("province" if in_home_province else "preferred"), {}
        return "accepted", {}
    if component == "salary":
        if fit >= 1:
            return "met", {}
        return ("below" if facts.expected_salary else "unknown"), {}
    if component == "freshness":
        if fit >= 0.9:  # published within the last six days
            return "new", {}
        return ("month" if fit >= 0.5 else "old"), {}
    # fairness: 1 / (1 + applicants per opening)
    if fit >= 1:
        return "none", {}
    return ("few" if fit >= 0.5 else "many"), {}


def explain(recommendation: Recommendation, run: MatchRun, facts: Facts, audience: str) -> list[Point]:
    """The recommendation's components as sentences for `audience` (WORKER or EMPLOYER), largest first."""
    column = 0 if audience == WORKER else 1
    points = []
    for part in scoring.explain(recommendation.fits(), run.weights):
        case, values = _case(part.component, part.fit, facts)
        points.append(
            Point(
                component=part.component,
                text=str(SENTENCES[part.component][case][column]) % values,
                points=part.points,
                maximum=part.maximum,
                matched=part.matched,
            )
        )
    return points


@dataclass
class Shown:
    """A recommendation as a page shows it: the row, its sentences, the level the worker held in the
    posting's occupation; for a worker the training that would close a level gap, for an employer the
    candidate's application and invitation to this posting (set by the view)."""

    rec: Recommendation
    points: list[Point]
    held: SkillLevel | None
    gap: bool = False
    programmes: list[TrainingProgram] = field(default_factory=list)
    application: Application | None = None
    invitation: MatchInvitation | None = None

    @property
    def matched(self) -> list[Point]:
        return [point for point in self.points if point.matched]

    @property
    def unmatched(self) -> list[Point]:
        return [point for point in self.points if not point.matched]

    @property
    def main_reasons(self) -> list[Point]:
        """What counted most for the match: the largest of the points that fit."""
        return self.matched[:MAIN_REASONS]

    @property
    def label(self) -> str:
        return candidate_label(self.rec)


def candidate_label(recommendation: Recommendation) -> str:
    """How an employer calls a candidate who has not applied: by their rank, never by name."""
    return gettext("Candidate %(rank)d") % {"rank": recommendation.posting_rank}


def for_worker(
    recommendations: list[Recommendation], run: MatchRun, profile: WorkerProfile | None
) -> list[Shown]:
    """The worker's recommendations (postings with min_level, brand, province loaded) in their words, with
    the training for level gaps: a fixed number of queries for the whole list."""
    levels, home_province = levels_by_rank(), home_province_id()
    programmes = training_for_gaps(recommendations)
    shown = []
    for rec in recommendations:
        held = levels.get(rec.held_level)
        facts = Facts(
            posting=rec.posting,
            held=held,
            expected_salary=profile.expected_salary if profile else None,
            home_province=home_province,
        )
        shown.append(
            Shown(
                rec=rec,
                points=explain(rec, run, facts, WORKER),
                held=held,
                gap=has_level_gap(rec),
                programmes=programmes.get(rec.pk, []),
            )
        )
    return shown


def for_employer(recommendations: list[Recommendation], run: MatchRun, posting: JobPosting) -> list[Shown]:
    """A posting's candidates (with worker__profile loaded) in the employer's words, naming no one."""
    levels, home_province = levels_by_rank(), home_province_id()
    shown = []
    for rec in recommendations:
        rec.posting = posting  # loaded once for the page
        held = levels.get(rec.held_level)
        facts = Facts(
            posting=posting,
            held=held,
            expected_salary=rec.worker.profile.expected_salary,
            home_province=home_province,
        )
        shown.append(Shown(rec=rec, points=explain(rec, run, facts, EMPLOYER), held=held))
    return shown


def has_level_gap(recommendation: Recommendation) -> bool:
    """The posting asks for a higher level than the worker held in its occupation."""
    min_level = recommendation.posting.min_level
    return min_level is not None and min_level.rank > recommendation.held_level


def training_for_gaps(recommendations: Iterable[Recommendation]) -> dict[int, list[TrainingProgram]]:
    """Per recommendation id, the enrolling programmes in its posting's occupation that reach at least the
    level it asks for, soonest first (up to PROGRAMMES_PER_GAP). One query for all of them; none when no
    recommendation has a gap."""
    gaps = {
        rec.pk: (rec.posting.occupation_id, rec.posting.min_level.rank)
        for rec in recommendations
        if has_level_gap(rec)
    }
    if not gaps:
        return {}
    programmes = list(
        TrainingProgram.objects.listed()
        .filter(
            status=TrainingProgram.Status.ENROLLING,
            occupation_id__in={occupation for occupation, _rank in gaps.values()},
            target_level__rank__gte=min(rank for _occupation, rank in gaps.values()),
        )
        .select_related("institution", "target_level")
        .order_by("start_date", "pk")
    )
    return {
        pk: [p for p in programmes if p.occupation_id == occupation and p.target_level.rank >= rank][
            :PROGRAMMES_PER_GAP
        ]
        for pk, (occupation, rank) in gaps.items()
    }
