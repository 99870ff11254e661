"""The portal's settings plus the benchmarks' own app: the baseline view (bench/urls.py), its template
directory and the benchmarks' commands (bench/management/commands/: bench_load_postings, bench_matching,
bench_pages).

Used only by the benchmark scripts in bench/ (DJANGO_SETTINGS_MODULE=bench.settings); everything else,
security settings and middleware included, is the production configuration read from the environment.
"""

from pathlib import Path

from laborbrand.settings import *  # noqa: F403
from laborbrand.settings import INSTALLED_APPS, TEMPLATES

ROOT_URLCONF = "bench.urls"
TEMPLATES = [{**TEMPLATES[0], "DIRS": [*TEMPLATES[0]["DIRS"], Path(__file__).resolve().parent / "templates"]}]
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
