"""Placeholder filled in by the dashboards work (issue 14)."""

urlpatterns = []
