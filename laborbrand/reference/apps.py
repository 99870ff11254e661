from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferenceConfig(AppConfig):
    name = "laborbrand.reference"
    label = "reference"
    verbose_name = _("Reference data")

    def ready(self):
        # The lowest app finds every app's `metrics.py` (laborbrand/metrics.py): the registry is complete
        # before any page asks for a figure.
        from laborbrand import metrics

        metrics.autodiscover()
