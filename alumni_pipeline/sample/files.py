"""Files as they land: a `_Table` is one sheet (or a whole CSV) as written, with the rows that hold
persons; the functions here turn tables into the bytes of each file type (xlsx, a real .xls, CSV, an HTML
page saved as .xls, two encodings pasted together, a password-protected workbook) and make the other
things found beside the drops (a Word notice, a photo, an Excel lock file). Workbooks carry a fixed
creation time; openpyxl stamps the time of writing as `modified` itself.
"""

from __future__ import annotations

import csv
import html
import io
import struct
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

_FIXED_TIME = datetime(2025, 3, 1, 9, 0)


@dataclass(slots=True)
class _Table:
    """One sheet (or a whole CSV) as written: every row, which rows hold persons, what else is there."""

    name: str
    rows: list[list] = field(default_factory=list)
    truth: list[tuple[int, str]] = field(default_factory=list)  # (row number, person id)
    merges: list[tuple[int, int]] = field(default_factory=list)  # (row number, width) of merged title rows
    counts: Counter = field(default_factory=Counter)

    def skip(self, row: list, reason: str) -> None:
        self.rows.append(row)
        self.counts[reason] += 1


def _xlsx_bytes(tables: list[_Table]) -> bytes:
    wb = Workbook(write_only=True)
    wb.properties.creator = "兰州大学"
    wb.properties.created = _FIXED_TIME  # openpyxl stamps `modified` itself when saving
    for t in tables:
        ws = wb.create_sheet(t.name or "Sheet1")
        for row, width in t.merges:
            if width > 1:
                ws.merged_cells.add(f"A{row}:{get_column_letter(width)}{row}")
        for row in t.rows:
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _xls_bytes(tables: list[_Table]) -> bytes:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    dated = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for t in tables:
        ws = wb.add_sheet(t.name)
        merged = dict(t.merges)
        for r, row in enumerate(t.rows, start=1):
            if merged.get(r, 1) > 1:
                ws.write_merge(r - 1, r - 1, 0, merged[r] - 1, row[0])
                continue
            for c, value in enumerate(row):
                if isinstance(value, date):
                    ws.write(r - 1, c, value, dated)
                elif value is not None:
                    ws.write(r - 1, c, value)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _csv_text(table: _Table, newline: str) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator=newline)
    for row in table.rows:
        writer.writerow(["" if v is None else v for v in row])
    return buf.getvalue()


def _html_bytes(table: _Table) -> bytes:
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(v)) if v is not None else ''}</td>" for v in row) + "</tr>\n"
        for row in table.rows
    )
    return (
        '<html xmlns:o="urn:schemas-microsoft-com:office:office" '
        'xmlns:x="urn:schemas-microsoft-com:office:excel">\n<head><meta http-equiv="Content-Type" '
        f'content="text/html; charset=utf-8"></head>\n<body>\n<table border="1">\n{rows}</table>\n</body>\n'
        "</html>\n"
    ).encode()


def _mixed_encoding_bytes(table: _Table) -> bytes:
    """Two exports pasted together, one GBK and one UTF-8, with a byte lost in the copy."""
    lines = _csv_text(table, "\r\n").split("\r\n")
    half = max(2, len(lines) // 2)
    first, second = "\r\n".join(lines[:half]) + "\r\n", "\r\n".join(lines[half:])
    return first.encode("gb18030") + b"\x81\xff" + second.encode("utf-8")


def _encrypted(xlsx: bytes, password: str) -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(xlsx)).encrypt(password, out)
    return out.getvalue()


def _docx_bytes(paragraphs: list[str]) -> bytes:
    body = "".join(f"<w:p><w:r><w:t>{html.escape(p)}</w:t></w:r></w:p>" for p in paragraphs)
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    parts = {
        "[Content_Types].xml": head + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        "_rels/.rels": head + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="word/document.xml"/></Relationships>',
        "word/document.xml": head + '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/'
        f'main"><w:body>{body}</w:body></w:document>',
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, xml in parts.items():
            z.writestr(zipfile.ZipInfo(name, _FIXED_TIME.timetuple()[:6]), xml, zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def _png_bytes(width: int = 48, height: int = 32) -> bytes:
    raw = b"".join(b"\x00" + bytes(((x * 5) ^ (y * 7)) & 0xFF for x in range(width)) for y in range(height))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def _owner_file(user: str) -> bytes:
    """What Excel leaves as ~$name.xlsx while the workbook is open: the user's name, twice."""
    name = user.encode("ascii")
    return (bytes([len(name)]) + name).ljust(54, b" ") + user.encode("utf-16-le").ljust(108, b"\x00")
