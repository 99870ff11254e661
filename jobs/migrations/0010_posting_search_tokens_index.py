"""The keyword search's GIN index. SQLite (the embedded demo) has no GIN indexes and searches by substring
alone, so the index is created on PostgreSQL only; the migration state holds it either way."""

import django.contrib.postgres.indexes
from django.db import migrations, models

INDEX = django.contrib.postgres.indexes.GinIndex(
    condition=models.Q(("status", "open")), fields=["search_tokens"], name="posting_search_tokens_idx"
)


def add_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("jobs", "JobPosting"), INDEX)


def remove_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("jobs", "JobPosting"), INDEX)


class Migration(migrations.Migration):

    dependencies = [
        ("jobs", "0009_backfill_posting_search_tokens"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddIndex(model_name="jobposting", index=INDEX)],
            database_operations=[migrations.RunPython(add_index, remove_index)],
        ),
    ]
