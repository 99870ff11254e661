"""Placeholder filled in by the plan work (issue 14)."""

urlpatterns = []
