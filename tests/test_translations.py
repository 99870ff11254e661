"""The zh-hans catalogue is complete, compiled, and the language switcher works."""

import os
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

PO_PATH = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")


@pytest.fixture(scope="module")
def catalogue():
    return polib.pofile(str(PO_PATH))


def test_catalogue_has_no_untranslated_entries(catalogue):
    assert [e.msgid for e in catalogue.untranslated_entries()] == []


def test_catalogue_has_no_fuzzy_entries(catalogue):
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []


def test_compiled_catalogue_matches_the_po_file(catalogue):
    compiled = {
        (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in polib.mofile(str(MO_PATH))
        if e.msgid
    }
    source = {
        (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in catalogue.translated_entries()
    }
    assert compiled == source, "run `manage.py compilemessages -l zh_Hans` and commit the .mo file"


@pytest.mark.skipif(
    shutil.which("xgettext") is None and not os.environ.get("CI"), reason="GNU gettext is not installed"
)
def test_every_source_string_is_in_the_catalogue(tmp_path, monkeypatch, catalogue):
    """makemessages, run on a copy of the project, finds nothing the committed catalogue lacks."""
    work = tmp_path / "project"
    shutil.copytree(
        settings.BASE_DIR,
        work,
        ignore=shutil.ignore_patterns(
            ".git", ".venv*", "var", "staticfiles", "node_modules", "__pycache__", "*.egg-info", "tests"
        ),
    )
    monkeypatch.chdir(work)
    call_command("makemessages", locale=["zh_Hans"], no_location=True, no_obsolete=True, verbosity=0)
    fresh = polib.pofile(str(work / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    missing = sorted({e.msgid for e in fresh} - {e.msgid for e in catalogue})
    assert missing == [], "new strings need translating: run makemessages and translate them"


@pytest.mark.django_db
def test_default_language_is_simplified_chinese(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="")
    assert response["Content-Language"] == "zh-hans"
    assert "劳务品牌就业服务网" in response.content.decode()


@pytest.mark.django_db
def test_language_switcher_changes_to_english_and_back(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    assert response["Content-Language"] == "en"
    assert "Labour-brand employment service portal" in response.content.decode()
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"}, follow=True)
    assert response["Content-Language"] == "zh-hans"
