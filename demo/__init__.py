"""The demo: accounts and records in every state for each app, seeded by `manage.py seed_demo`.

It sits above every domain app, so it may import them all; no app imports it. One module or package per
app, in layer order: `demo.accounts`, `demo.brands`, `demo.training`, `demo.jobs`, each with `seed(ctx)`.
"""
