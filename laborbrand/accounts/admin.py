from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from laborbrand.accounts.models import Notification, User


@admin.register(User)
class PortalUserAdmin(SimpleHistoryAdmin, UserAdmin):
    list_display = ["username", "real_name", "role", "county", "is_active"]
    list_filter = ["role", "county", "is_active"]
    search_fields = ["username", "real_name"]
    readonly_fields = ["masked_id_number", "masked_phone", "privacy_consent_at"]
    fieldsets = [
        *UserAdmin.fieldsets,
        (
            _("Portal"),
            {
                "fields": [
                    "role",
                    "county",
                    "real_name",
                    "masked_id_number",
                    "masked_phone",
                    "privacy_consent_at",
                ]
            },
        ),
    ]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "created", "read_at"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient"]
