"""JobPosting.search_tokens (jobs/search.py). On PostgreSQL the tokens are kept in the row (storage MAIN)
rather than in the TOAST table, where a posting's 1–2 kB of tokens would otherwise go: a search that reads
postings in date order tests them row by row, and fetching each from TOAST doubled that cost (measured,
docs/benchmarks.md)."""

import django.contrib.postgres.search
from django.db import migrations

SQL = "ALTER TABLE jobs_jobposting ALTER COLUMN search_tokens SET STORAGE {}"


def keep_in_row(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SQL.format("MAIN"))


class Migration(migrations.Migration):

    dependencies = [
        ("jobs", "0007_date_windows"),
    ]

    operations = [
        migrations.AddField(
            model_name="jobposting",
            name="search_tokens",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(keep_in_row, migrations.RunPython.noop),
    ]
