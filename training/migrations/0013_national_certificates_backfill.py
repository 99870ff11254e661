"""Every certificate so far was issued by the portal: its source stays "portal", and it gets the new facts
from its assessment — who recorded it and when (the assessor, the assessment's recording time) and its
evaluation body (the issuing institution's name)."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def backfill(apps, schema_editor):
    Certificate = apps.get_model("training", "Certificate")
    Assessment = apps.get_model("training", "Assessment")
    Institution = apps.get_model("training", "Institution")
    assessment = Assessment.objects.filter(pk=OuterRef("assessment_id"))
    Certificate.objects.filter(source="portal").update(
        recorded_by_id=Subquery(assessment.values("created_by_id")[:1]),
        recorded_at=Subquery(assessment.values("created")[:1]),
        evaluation_body=Subquery(Institution.objects.filter(pk=OuterRef("institution_id")).values("name")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [("training", "0012_national_certificates")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
