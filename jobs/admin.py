from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from jobs.models import Employer
from jobs.services import postings_reindex


@admin.register(Employer)
class EmployerAdmin(SimpleHistoryAdmin):
    list_display = ["name", "province", "city_name", "industry", "verified_at"]
    list_filter = ["province"]
    search_fields = ["name", "credit_code"]
    filter_horizontal = ["staff"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "name" in form.changed_data:
            postings_reindex(postings=obj.postings.all())
