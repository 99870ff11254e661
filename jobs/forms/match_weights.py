from django import forms
from django.utils.translation import gettext_lazy as _

from jobs.matching import COMPONENTS
from jobs.models import MatchWeights
from laborbrand.forms import ModelForm


class MatchWeightsForm(ModelForm):
    """The seven weights, each a whole number 0–100 (the model's validators). The view saves through
    services.match_weights_update, which also refuses all zeros."""

    class Meta:
        model = MatchWeights
        fields = list(COMPONENTS)
        widgets = {name: forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1}) for name in COMPONENTS}
        # What each fit means: jobs/matching.py's docstring, in the words of the page.
        help_texts = {
            "occupation": _(
                "Full when the job's occupation is one the worker wants or is certified in; half when it is "
                "only in the same occupation category."
            ),
            "level": _(
                "The worker's best valid skill certificate in the job's occupation against the job's minimum "
                "level: full when it is met, less the further below it."
            ),
            "brand": _(
                "Full when the worker is a member of the job's labour brand; half when the job has no brand."
            ),
            "location": _(
                "Full in the worker's home county, less elsewhere in the city or the home province, least in "
                "another province the worker prefers or accepts."
            ),
            "salary": _(
                "Full when the pay offered reaches the worker's expected salary, none at 70 percent of it; "
                "half when either is unknown."
            ),
            "freshness": _("Full for a job published today, falling to none after 60 days."),
            "fairness": _(
                "Higher for jobs with few applicants per opening left, so candidates spread across employers."
            ),
        }
