"""Hostile and broken files for the upload's checks, each built here from scratch."""

from __future__ import annotations

import io
import os
import zipfile

from tests.imports.importer import workbook

OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")


def renamed_text_file() -> bytes:
    return "要求,维度\n遵守职业道德,ethics\n".encode()


def ole_file() -> bytes:
    """What Excel writes for a workbook saved with a password (and what an old .xls is): an OLE container."""
    return OLE_MAGIC + os.urandom(4096)


def rezipped(
    content: bytes, *, add: dict[str, bytes] | None = None, drop: set[str] = frozenset(), edit=None
) -> bytes:
    """A real workbook's zip, with members added, dropped or changed."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename in drop:
                continue
            data = source.read(info.filename)
            if edit is not None:
                data = edit(info.filename, data)
            target.writestr(info.filename, data)
        for name, data in (add or {}).items():
            target.writestr(name, data)
    return buffer.getvalue()


def macro_workbook() -> bytes:
    """An .xlsm: the VBA project part and the macro-enabled content type."""

    def macro_type(name: str, data: bytes) -> bytes:
        if name == "[Content_Types].xml":
            return data.replace(
                b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
            )
        return data

    return rezipped(
        workbook([["诚信服务", "ethics"]]), add={"xl/vbaProject.bin": b"\0" * 512}, edit=macro_type
    )


def macro_type_only() -> bytes:
    """A macro-enabled content type without the VBA part (renamed .xlsm with its project stripped)."""

    def macro_type(name: str, data: bytes) -> bytes:
        if name == "[Content_Types].xml":
            return data.replace(b"sheet.main+xml", b"sheet.macroEnabled.main+xml")
        return data

    return rezipped(workbook([["诚信服务", "ethics"]]), edit=macro_type)


def zip_bomb() -> bytes:
    """A workbook with one part that unpacks to 120 MB of zeros (over the 100 MB in all)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        source = zipfile.ZipFile(io.BytesIO(workbook([["诚信服务", "ethics"]])))
        for info in source.infolist():
            archive.writestr(info.filename, source.read(info.filename))
        with archive.open("xl/media/padding.bin", "w", force_zip64=True) as part:
            block = b"\0" * (1 << 20)
            for _ in range(120):
                part.write(block)
    return buffer.getvalue()


def high_ratio_part() -> bytes:
    """A workbook with a 20 MB part of zeros: far under the total, far over any real sheet's ratio."""
    return rezipped(workbook([["诚信服务", "ethics"]]), add={"xl/worksheets/sheet2.xml": b"\0" * (20 << 20)})


def too_large() -> bytes:
    return b"PK\x03\x04" + os.urandom(10 * 1024 * 1024)


def zip_not_workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("名单.txt", "张三")
    return buffer.getvalue()


def damaged_workbook() -> bytes:
    """A zip with every part of a workbook, its workbook part garbled."""

    def garble(name: str, data: bytes) -> bytes:
        return b"<workbook this is not XML" if name == "xl/workbook.xml" else data

    return rezipped(workbook([["诚信服务", "ethics"]]), edit=garble)


def truncated_workbook() -> bytes:
    content = workbook([["诚信服务", "ethics"]] * 50)
    return content[: len(content) // 2]


def too_many_rows(rows: int = 50_001) -> bytes:
    """A real workbook of `rows` data rows (write-only, so building it stays quick)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["要求*", "维度*"])
    for n in range(rows):
        sheet.append([f"要求{n}", "ethics"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
