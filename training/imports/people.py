"""The columns that name a person in every training sheet: real name and ID number, as on the ID card."""

from __future__ import annotations

from laborbrand.imports.engine import Column

# The template's example row is imported like any other when it is left in. Its ID number is well formed but
# its check character is wrong, so a forgotten example row is refused (and says why) instead of opening a
# worker record for 张三.
EXAMPLE_ID_NUMBER = "341524199001010012"

PERSON_COLUMNS = (
    Column("real_name", "姓名", example="张三"),
    Column("id_number", "身份证号", example=EXAMPLE_ID_NUMBER, text=True),
)


def id_number_key(cleaned: dict) -> str:
    """Two rows naming the same ID number (however written: the form normalises it) are the same person."""
    return cleaned["id_number"]
