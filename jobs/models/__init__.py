"""The jobs app's models, one module per part: the job board (board.py), apprenticeships, labour cooperation,
saved searches (alerts.py) and the matching's records (jobs/matching/models.py). Re-exported here, the app's
models module, so Django finds them and `from jobs.models import X` works for each."""

from jobs.matching.models import MatchChunk, MatchInvitation, MatchRun, MatchWeights, Recommendation
from jobs.models.alerts import SavedSearch
from jobs.models.apprenticeships import Apprenticeship
from jobs.models.board import (
    Application,
    ApplicationEvent,
    Employer,
    JobPosting,
    WorkerProfile,
    home_province_id,
)
from jobs.models.cooperation import DockingFair, PartnerRegion
from jobs.models.counter import CounterAct

__all__ = [
    "Application",
    "ApplicationEvent",
    "Apprenticeship",
    "CounterAct",
    "DockingFair",
    "Employer",
    "JobPosting",
    "MatchChunk",
    "MatchInvitation",
    "MatchRun",
    "MatchWeights",
    "PartnerRegion",
    "Recommendation",
    "SavedSearch",
    "WorkerProfile",
    "home_province_id",
]
