"""The matching's forms: the city admins' match weights and the worker's personalisation switch."""

from django import forms
from django.utils.translation import gettext_lazy as _

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


class PersonalisationForm(forms.Form):
    """The worker's switch for personalised recommendations (PIPL art. 24): the page posts the new state."""

    personalised = forms.TypedChoiceField(
        choices=[("on", _("On")), ("off", _("Off"))], coerce=lambda value: value == "on"
    )
