"""The city admins' form for the match weights."""

from django import forms

from jobs.matching.models import MatchWeights
from jobs.matching.weights import COMPONENTS, WEIGHTS
from laborbrand.forms import ModelForm


class MatchWeightsForm(ModelForm):
    """The seven weights, each a whole number 0–100 (the model's validators). The view saves through
    services.match_weights_update, which also refuses all zeros."""

    class Meta:
        model = MatchWeights
        fields = list(COMPONENTS)
        widgets = {name: forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1}) for name in COMPONENTS}
        # What each fit means (scoring.py's docstring), in the words of the page.
        help_texts = {component.name: component.help_text for component in WEIGHTS}
