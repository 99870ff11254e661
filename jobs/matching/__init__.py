"""Matching: the nightly engine that recommends jobs to workers and candidates to employers, part of the jobs
app. From the ground up:

- weights.py: the seven components of the score, their default weights and labels (written once);
- scoring.py: the score itself, pure numpy (no ORM, no request);
- models.py: the weights, runs and their chunks, recommendations, invitations (jobs.models re-exports them);
- loading.py, ranking.py, writing.py: a run's input, its kept pairs, their rows;
- runs.py: the steps of a run (lock and plan, a chunk, publish, fail) and `match_run()` in one process;
- tasks.py: the Celery tasks and `match_run_launch()`, the one way a run is started for the workers;
- services.py, permissions.py, explanations.py, forms.py, views/, urls.py: what people do and see.

manage.py match_run (jobs/management/commands/) calls runs.py and tasks.py.
"""
