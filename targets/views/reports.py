"""Placeholder filled in by the reports work (issue 14)."""

urlpatterns = []
