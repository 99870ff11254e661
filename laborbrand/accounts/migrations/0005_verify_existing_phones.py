"""Numbers registered before codes existed were the sign-in of their owners: they count as verified from the
day the account was opened (docs/decisions.md, "SMS codes"). A number changed from now on is verified anew."""

from django.db import migrations
from django.db.models import F


def verify_existing(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    User.objects.filter(phone_hash__isnull=False, phone_verified_at__isnull=True).update(
        phone_verified_at=F("date_joined")
    )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_sms_codes_preferences")]

    operations = [migrations.RunPython(verify_existing, migrations.RunPython.noop)]
