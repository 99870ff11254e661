"""Class results recorded before issue 12 had one score and a pass typed in by hand. The one score stood for
the whole final examination, so it becomes both the theory and the practical score, and the pass follows
from it (both scores at least 60, docs/decisions.md)."""

from django.db import migrations

PASS_MARK = 60


def split_score(apps, schema_editor):
    for name in ("Enrollment", "HistoricalEnrollment"):
        model = apps.get_model("training", name)
        for row in model.objects.exclude(score__isnull=True, passed__isnull=True).iterator():
            row.theory_score = row.practical_score = row.score
            row.passed = None if row.score is None else row.score >= PASS_MARK
            row.save(update_fields=["theory_score", "practical_score", "passed"])


class Migration(migrations.Migration):
    dependencies = [("training", "0009_class_results_ethics_hours_programme_events")]

    operations = [migrations.RunPython(split_score, migrations.RunPython.noop)]
