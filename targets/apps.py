from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TargetsConfig(AppConfig):
    """The year's targets, the dashboards that measure them, the monthly snapshots and report: above every
    domain app, reading their figures through the metrics registry (laborbrand/metrics.py)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "targets"
    verbose_name = _("Programme targets")
