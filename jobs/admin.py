from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from jobs.models import Employer


@admin.register(Employer)
class EmployerAdmin(SimpleHistoryAdmin):
    list_display = ["name", "province", "city_name", "industry", "verified_at"]
    list_filter = ["province"]
    search_fields = ["name", "credit_code"]
    filter_horizontal = ["staff"]
