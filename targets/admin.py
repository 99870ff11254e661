from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from targets.models import Snapshot, SnapshotFigure, Target


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    """For the record; city admins set targets on the year's targets page (targets:plan)."""

    list_display = ["year", "metric", "county", "value", "updated", "updated_by"]
    list_filter = ["year", "metric", "county"]
    readonly_fields = ["updated", "updated_by"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Snapshots are never changed or deleted: the admin only shows them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Snapshot)
class SnapshotAdmin(ReadOnlyAdmin):
    list_display = ["kind", "year", "month", "as_of", "taken_at", "taken_by"]
    list_filter = ["kind", "year"]


@admin.register(SnapshotFigure)
class SnapshotFigureAdmin(ReadOnlyAdmin):
    list_display = ["snapshot", "metric", "county", "brand", "year_value", "month_value", "target"]
    list_filter = ["metric"]
