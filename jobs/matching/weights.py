"""The seven components of the match score, written once: each one's name, default weight, the weight's label
and what its fit means in the words of the weights page. The engine (scoring.py), the model fields (a
weight per component on `MatchWeights`, a fit per component on `Recommendation`) and the weights form read
them here; the fits themselves are defined in scoring.py's docstring."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Component:
    """One component of the score: `name` is also the column of its weight and of its fit."""

    name: str
    default: int  # weight, 0–100
    label: Promise
    help_text: Promise


WEIGHTS = (
    Component(
        "occupation",
        30,
        _("occupation fit"),
        _(
            "Full when the job's occupation is one the worker wants or is certified in; half when it is "
            "only in the same occupation category."
        ),
    ),
    Component(
        "level",
        20,
        _("skill level"),
        _(
            "The worker's best valid skill certificate in the job's occupation against the job's minimum "
            "level: full when it is met, less the further below it."
        ),
    ),
    Component(
        "brand",
        10,
        _("brand membership"),
        _("Full when the worker is a member of the job's labour brand; half when the job has no brand."),
    ),
    Component(
        "location",
        15,
        _("location"),
        _(
            "Full in the worker's home county, less elsewhere in the city or the home province, least in "
            "another province the worker prefers or accepts."
        ),
    ),
    Component(
        "salary",
        10,
        _("salary"),
        _(
            "Full when the pay offered reaches the worker's expected salary, none at 70 percent of it; "
            "half when either is unknown."
        ),
    ),
    Component(
        "freshness",
        5,
        _("freshness of the posting"),
        _("Full for a job published today, falling to none after 60 days."),
    ),
    Component(
        "fairness",
        10,
        _("few applicants so far"),
        _("Higher for jobs with few applicants per opening left, so candidates spread across employers."),
    ),
)
COMPONENTS = tuple(component.name for component in WEIGHTS)
DEFAULT_WEIGHTS = {component.name: component.default for component in WEIGHTS}
