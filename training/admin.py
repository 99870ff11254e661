"""The training institutions in Django's admin (with their history)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from training.models import Institution


@admin.register(Institution)
class InstitutionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "county", "status", "qualified_until"]
    list_filter = ["status", "kind", "county"]
    search_fields = ["name", "credit_code"]
    filter_horizontal = ["staff"]
