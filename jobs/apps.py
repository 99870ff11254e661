from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = _("Jobs and employers")

    def ready(self):
        from jobs import figures  # noqa: F401  (registers the brand figures the job board provides)
