from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BrandsConfig(AppConfig):
    name = "brands"
    verbose_name = _("Labour brands")

    def ready(self):
        # The practitioner import registers itself with the import engine (laborbrand/imports/engine.py).
        from brands import imports  # noqa: F401
