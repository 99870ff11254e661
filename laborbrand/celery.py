import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "laborbrand.settings")

app = Celery("laborbrand")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Every installed app's tasks module, and the matching's (jobs/matching/tasks.py: a package inside jobs).
app.autodiscover_tasks()
app.autodiscover_tasks(["jobs.matching"])
