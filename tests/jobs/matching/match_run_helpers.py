"""Names the match run tests (tests/jobs/matching/test_match_run_*.py) share: the run statuses."""

from jobs.models import MatchRun

Status = MatchRun.Status
