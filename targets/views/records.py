"""Placeholder filled in by the records work (issue 14)."""

urlpatterns = []
