"""Read what units really send: .xlsx and .xls (every sheet, through calamine), CSV in UTF-8, UTF-8
with BOM or GBK/GB18030, and refuse what is not a spreadsheet.

Every cell becomes text as the unit typed it (an Excel date as an ISO date, a whole number without
'.0'); the header row is found under title rows; each data row keeps the row number a spreadsheet
shows. Rows that are not data (blank, totals, repeated headers, footers) are skipped with a reason;
rows without a usable name are refused with a reason. Nothing here touches the file on disk.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import zipfile
from decimal import Decimal
from dataclasses import dataclass, field
from pathlib import PurePath

import charset_normalizer
import olefile
from python_calamine import CalamineWorkbook

from .headers import HEADER_WORDS, NAME_FIELDS, canonical_field

HEADER_SCAN_ROWS = 30
SPREADSHEET_EXTS = {".xlsx", ".xlsm", ".xls", ".et"}
TEXT_EXTS = {".csv", ".txt", ".tsv"}

_TOTALS = re.compile(r"^\s*(合\s*计|总\s*计|小\s*计|共\s*计|total|sum)\b|^\s*(合计|总计|共计)", re.I)
_FOOTER = re.compile(r"^\s*(制表|填表|审核|负责人|经办人|报送|填报|打印|盖章|单位盖章|联系人[:：]|日期[:：]|注[:：]|说明[:：])")
_SCIENTIFIC = re.compile(r"^\s*\d(\.\d+)?[eE]\+?\d+\s*$")
_NAME_MAX = 40


@dataclass
class Finding:
    """A refused, skipped or flagged place in a file."""
    code: str
    sheet: str = ""
    row: int | None = None
    column: str = ""
    value: str = ""
    row_values: dict | None = None


@dataclass
class Row:
    source_row: int
    fields: dict[str, str]
    extra: dict[str, str]


@dataclass
class FileRead:
    fmt: str = ""
    encoding: str = ""
    rows: dict[str, list[Row]] = field(default_factory=dict)  # sheet -> loaded rows
    refused_file: Finding | None = None
    refused_sheets: list[Finding] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # row-level: refused, skipped, warnings

    @property
    def row_count(self) -> int:
        return sum(len(r) for r in self.rows.values())


def cell_text(value: object) -> str:
    """A cell's value as the unit typed it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return ""
        if value.is_integer():
            return str(int(Decimal(f"{value:.15g}")))  # Excel keeps 15 significant digits
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value).strip(" \t\r\n")


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def sniff(data: bytes, name: str) -> str:
    """'xlsx', 'xls', 'csv', or a FILE_* refusal code, from the bytes first and the extension second."""
    ext = PurePath(name).suffix.lower()
    if not data.strip():
        return "FILE_EMPTY"
    head = data[:2048]
    if head.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            return "FILE_CORRUPT" if ext in SPREADSHEET_EXTS else "FILE_NOT_SPREADSHEET"
        if "xl/workbook.xml" in names:
            return "xlsx"
        return "FILE_NOT_SPREADSHEET" if ext not in SPREADSHEET_EXTS or any(n.startswith("word/") for n in names) else "FILE_CORRUPT"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        try:
            ole = olefile.OleFileIO(data)
        except OSError:
            return "FILE_CORRUPT" if ext in SPREADSHEET_EXTS else "FILE_NOT_SPREADSHEET"
        if ole.exists("EncryptionInfo") or ole.exists("EncryptedPackage"):
            return "FILE_ENCRYPTED"
        if ole.exists("Workbook") or ole.exists("Book"):
            return "xls"
        return "FILE_NOT_SPREADSHEET"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF", b"BM", b"II*\x00", b"MM\x00*", b"{\\rtf")):
        return "FILE_NOT_SPREADSHEET"
    lowered = head.lower()
    if b"<html" in lowered or b"<table" in lowered or b"<!doctype html" in lowered:
        return "FILE_HTML_AS_XLS" if ext in SPREADSHEET_EXTS else "FILE_NOT_SPREADSHEET"
    if ext in TEXT_EXTS:
        return "csv"
    return "FILE_CORRUPT" if ext in SPREADSHEET_EXTS else "FILE_NOT_SPREADSHEET"


def decode_text(data: bytes) -> tuple[str, str] | None:
    """Detect the encoding: UTF-8 (with or without BOM) first, then GB18030 (a superset of GBK),
    then whatever charset_normalizer is confident of; None when nothing reads it cleanly."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    for enc in ("utf-8", "gb18030"):
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            pass
    best = charset_normalizer.from_bytes(data).best()
    return (str(best), best.encoding) if best is not None else None


def _csv_rows(text: str) -> list[list[str]]:
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;|")
    except csv.Error:
        dialect = csv.excel
    return [[c.strip(" \t\r\n") for c in r] for r in csv.reader(io.StringIO(text, newline=""), dialect)]


def read_bytes(data: bytes, name: str) -> FileRead:
    """Parse one dropped file's bytes. Never raises on bad input: a bad file comes back refused."""
    kind = sniff(data, name)
    result = FileRead(fmt=kind if not kind.startswith("FILE_") else "")
    if kind.startswith("FILE_"):
        result.refused_file = Finding(kind)
        return result
    sheets: list[tuple[str, list[list]]] = []
    if kind == "csv":
        decoded = decode_text(data)
        if decoded is None:
            result.refused_file = Finding("FILE_ENCODING_UNKNOWN")
            return result
        text, result.encoding = decoded
        sheets.append(("", _csv_rows(text)))
    else:
        try:
            book = CalamineWorkbook.from_filelike(io.BytesIO(data))
            for sheet_name in book.sheet_names:
                sheets.append((sheet_name, book.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)))
        except Exception as exc:  # calamine raises its own error types for damaged workbooks
            result.refused_file = Finding("FILE_CORRUPT", value=str(exc)[:200])
            return result
    for sheet_name, cells in sheets:
        _read_sheet(sheet_name, cells, result)
    if not result.rows:
        if result.refused_sheets and all(f.code == "FILE_NO_NAME_COLUMN" for f in result.refused_sheets):
            result.refused_file, result.refused_sheets = Finding("FILE_NO_NAME_COLUMN"), []
        elif not result.refused_sheets and not any(f.code.startswith("ROW_") and f.code not in _SKIP_CODES
                                                   for f in result.findings):
            result.refused_file, result.findings = Finding("FILE_EMPTY"), []
    return result


_SKIP_CODES = {"ROW_BLANK", "ROW_TOTALS", "ROW_REPEATED_HEADER", "ROW_FOOTER"}


def find_header(rows: list[list[str]]) -> tuple[int, list[str | None]] | None:
    """The 0-based index of the header row and the canonical field of each column.

    The header is the row among the first 30 that names the most known fields, at least two, one of
    them a name (a whole name, or a surname or given name column); title rows and merged title cells above it score at most one.
    """
    best = None
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        fields = [canonical_field(c) if c else None for c in row]
        known = {f for f in fields if f}
        if len(known) >= 2 and not known.isdisjoint(NAME_FIELDS) and (best is None or len(known) > best[2]):
            best = (i, fields, len(known))
    return (best[0], best[1]) if best else None


def _read_sheet(sheet: str, raw: list[list], out: FileRead) -> None:
    """Find the header, then sort every row below it into loaded, skipped or refused."""
    end = len(raw)
    while end and not any(cell_text(v) for v in raw[end - 1]):
        end -= 1
    if not end:
        return
    found = find_header([[cell_text(v) for v in row] for row in raw[:HEADER_SCAN_ROWS]])
    if found is None:
        out.refused_sheets.append(Finding("FILE_NO_NAME_COLUMN", sheet=sheet))
        return
    header_idx, fields = found
    header = [cell_text(v) for v in raw[header_idx]]
    known = {f for f in fields if f}
    header_words = HEADER_WORDS | set(header)
    columns = []  # (index, header text, field or None)
    taken: set[str] = set()
    for i, (text, fld) in enumerate(zip(header, fields)):
        if fld and fld not in taken:
            taken.add(fld)
            columns.append((i, text, fld))
        else:
            columns.append((i, text or f"列{column_letter(i)}", None))
    name_cols = [(i, text) for i, text, f in columns if f in NAME_FIELDS]
    id_col = next((i for i, _, f in columns if f == "id_number"), None)
    loaded: list[Row] = []
    for idx in range(header_idx + 1, end):
        cells = [cell_text(v) for v in raw[idx]]
        row_no = idx + 1
        values = {text: cells[i] for i, text, _ in columns if i < len(cells) and cells[i]}
        stray = {f"列{column_letter(i)}": v for i, v in enumerate(cells[len(header):], len(header)) if v}
        values.update(stray)
        place = dict(sheet=sheet, row=row_no)
        if not values:
            out.findings.append(Finding("ROW_BLANK", **place))
            continue
        texts = [c for c in cells if c]
        first = texts[0]
        if (not header_words.isdisjoint(texts)
                and len({canonical_field(c) for c in texts} & known) >= max(2, len(known) // 2)):
            out.findings.append(Finding("ROW_REPEATED_HEADER", **place, value=" | ".join(texts)[:200]))
            continue
        names = [(i, text, cells[i]) for i, text in name_cols if i < len(cells) and cells[i]]
        if _TOTALS.match(first):
            out.findings.append(Finding("ROW_TOTALS", **place, value=first[:200]))
            continue
        if _FOOTER.match(first) and (not names or names[0][2] == first):
            out.findings.append(Finding("ROW_FOOTER", **place, value=first[:200]))
            continue
        if not names:
            col = name_cols[0]
            out.findings.append(Finding("ROW_NO_NAME", **place, column=f"{col[1]} ({column_letter(col[0])})",
                                        row_values=values))
            continue
        bad = next(((i, t, v) for i, t, v in names if re.search(r"\d", v) or len(v) > _NAME_MAX), None)
        if bad:
            out.findings.append(Finding("ROW_NAME_INVALID", **place, column=f"{bad[1]} ({column_letter(bad[0])})",
                                        value=bad[2][:200], row_values=values))
            continue
        fields_out = {f: cells[i] for i, _, f in columns if f and i < len(cells) and cells[i]}
        extra = {t: cells[i] for i, t, f in columns if not f and i < len(cells) and cells[i]}
        extra.update(stray)
        if id_col is not None and id_col < len(cells) and cells[id_col]:
            code = id_damage(raw[idx][id_col])
            if code:
                out.findings.append(Finding(code, **place, column=f"{header[id_col]} ({column_letter(id_col)})",
                                            value=cells[id_col]))
        loaded.append(Row(row_no, fields_out, extra))
    if loaded:
        out.rows[sheet] = loaded


def id_damage(value: object) -> str | None:
    """How Excel already damaged an ID number cell, if it did: shown as 6.20102E+17, or kept as a
    number whose digits past the 15th are gone."""
    if isinstance(value, float) and abs(value) >= 1e15:
        return "ID_PRECISION_LOST"
    if isinstance(value, str) and _SCIENTIFIC.match(value):
        return "ID_SCIENTIFIC"
    return None
