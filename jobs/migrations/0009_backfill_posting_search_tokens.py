"""Fill JobPosting.search_tokens of the postings saved before it existed. The tokens are computed as
jobs/search.py's tokens_document() did when this migration was written (a migration does not import app
code): every pair of adjacent characters, and the last character of each run without spaces, of the
case-folded title, description, employer's name and occupation's name, in tsvector input syntax."""

from django.db import migrations

BATCH = 500


def _quoted(lexeme):
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def tokens_document(texts):
    grams = set()
    for text in texts:
        for chunk in text.casefold().split():
            grams.add(chunk[-1])
            grams.update(chunk[i : i + 2] for i in range(len(chunk) - 1))
    return " ".join(_quoted(gram) for gram in sorted(grams))


def backfill(apps, schema_editor):
    JobPosting = apps.get_model("jobs", "JobPosting")
    postings = (
        JobPosting.objects.using(schema_editor.connection.alias)
        .select_related("employer", "occupation")
        .only("title", "description", "employer__name", "occupation__name")
        .order_by("pk")
    )
    last = 0
    while batch := list(postings.filter(pk__gt=last)[:BATCH]):
        for posting in batch:
            posting.search_tokens = tokens_document(
                (posting.title, posting.description, posting.employer.name, posting.occupation.name)
            )
        JobPosting.objects.using(schema_editor.connection.alias).bulk_update(batch, ["search_tokens"])
        last = batch[-1].pk


class Migration(migrations.Migration):

    dependencies = [
        ("jobs", "0008_posting_search_tokens"),
    ]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
