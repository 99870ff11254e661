"""The targets' pages: dashboards and metric pages, the records behind each figure, the monthly reports and
snapshots, and the year's targets. Each view module lists its own routes."""

from targets.views import dashboards, plan, records, reports

app_name = "targets"

urlpatterns = [*dashboards.urlpatterns, *records.urlpatterns, *reports.urlpatterns, *plan.urlpatterns]
