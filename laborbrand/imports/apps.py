from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "laborbrand.imports"
    label = "imports"
    verbose_name = _("Excel imports")

    def ready(self):
        # Each app keeps its importers in its own `imports` module (brands/imports.py, training/imports/…),
        # registered with engine.register; importing them here fills the registry without this app naming
        # any app above it.
        autodiscover_modules("imports")
