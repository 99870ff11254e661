"""The portal's settings plus the benchmark's baseline view (bench/urls.py) and its template directory.

Used only by bench/run_search_bench.sh (DJANGO_SETTINGS_MODULE=bench.settings); everything else, security
settings and middleware included, is the production configuration read from the environment.
"""

from pathlib import Path

from laborbrand.settings import *  # noqa: F403
from laborbrand.settings import TEMPLATES

ROOT_URLCONF = "bench.urls"
TEMPLATES = [{**TEMPLATES[0], "DIRS": [*TEMPLATES[0]["DIRS"], Path(__file__).resolve().parent / "templates"]}]
