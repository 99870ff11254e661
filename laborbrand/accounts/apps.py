from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "laborbrand.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from laborbrand.accounts import workbench

        workbench.autodiscover()
