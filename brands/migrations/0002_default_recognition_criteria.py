"""The city's default recognition criteria (品牌认定); a city admin edits them on the criteria page."""

from django.db import migrations

DEFAULTS = [
    ("trained_per_year", 500),
    ("certified_members", 300),
    ("certificate_rate", 80),
    ("placements", 300),
    ("published_news", 5),
]


def load(apps, schema_editor):
    RecognitionCriterion = apps.get_model("brands", "RecognitionCriterion")
    for metric, threshold in DEFAULTS:
        RecognitionCriterion.objects.get_or_create(metric=metric, defaults={"threshold": threshold})


def unload(apps, schema_editor):
    apps.get_model("brands", "RecognitionCriterion").objects.filter(metric__in=[m for m, _ in DEFAULTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("brands", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
