"""Read what units really send: .xlsx, .xls, .xlsb and LibreOffice/WPS .ods (every worksheet, through
calamine), CSV in UTF-8, UTF-8 with BOM or GBK/GB18030, and refuse what is not a spreadsheet.

Every cell becomes text as the unit typed it (an Excel date as an ISO date, a whole number without
'.0'); the header row is found under title rows; each data row keeps the row number a spreadsheet
shows. Rows that are not data (blank, totals, repeated headers, footers) are skipped with a reason;
rows without a usable name are refused with a reason. Nothing here touches the file on disk.

The work is bounded whatever the bytes: a workbook that would expand past MAX_WORKBOOK_BYTES (a zip
bomb) is refused before it is expanded, and sheets, files and rows past MAX_SHEET_ROWS, MAX_FILE_ROWS
and MAX_ROW_CELLS are refused with their reason codes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePath

import charset_normalizer
import olefile
from python_calamine import CalamineWorkbook, SheetTypeEnum

from ..cell_safety import has_control_chars, looks_like_formula, strip_control_chars
from .headers import HEADER_WORDS, NAME_FIELDS, canonical_field, clean_header_text

HEADER_SCAN_ROWS = 30
# Limits: what one dropped file may cost to read.
MAX_WORKBOOK_BYTES = 256 * 2**20  # declared uncompressed size of all of a workbook's zip entries
MAX_COMPRESSION_RATIO = 100  # uncompressed/compressed of one entry past RATIO_CHECKED_BYTES: a zip bomb
RATIO_CHECKED_BYTES = 8 * 2**20
MAX_TEXT_BYTES = 256 * 2**20  # a CSV file's bytes
MAX_SHEET_ROWS = 1_000_000
MAX_FILE_ROWS = 1_000_000
MAX_ROW_CELLS = 1_000
SPREADSHEET_EXTS = {".xlsx", ".xlsm", ".xlsb", ".xls", ".et", ".ods"}
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
TEXT_EXTS = {".csv", ".txt", ".tsv"}

_TOTALS = re.compile(r"^\s*(合\s*计|总\s*计|小\s*计|共\s*计|total|sum)\b|^\s*(合计|总计|共计)", re.I)
_FOOTER = re.compile(
    r"^\s*(制表|填表|审核|负责人|经办人|报送|填报|打印|盖章|单位盖章|联系人[:：]|日期[:：]|注[:：]|说明[:：])"
)
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
    """'xlsx', 'xlsb', 'ods', 'xls', 'csv', or a FILE_* refusal code, from the bytes first and the
    extension second."""
    ext = PurePath(name).suffix.lower()
    if not data.strip():
        return "FILE_EMPTY"
    head = data[:2048]
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(data, ext)
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


def _sniff_zip(data: bytes, ext: str) -> str:
    """A zip is a workbook by what it holds: `xl/workbook.xml` (xlsx, xlsm), `xl/workbook.bin` (xlsb),
    or an OpenDocument `mimetype` entry naming a spreadsheet (ods). Every one of them passes the
    expansion check before anything in it is read; an encrypted ods says so in its manifest."""
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
        entries = book.infolist()
    except zipfile.BadZipFile:
        return "FILE_CORRUPT" if ext in SPREADSHEET_EXTS else "FILE_NOT_SPREADSHEET"
    names = {e.filename for e in entries}
    refusal = expansion_refusal(entries)
    if "xl/workbook.xml" in names:
        return refusal or "xlsx"
    if "xl/workbook.bin" in names:
        return refusal or "xlsb"
    mimetype = _small_entry(book, "mimetype").strip()
    if mimetype == ODS_MIMETYPE:
        if refusal:
            return refusal
        return "FILE_ENCRYPTED" if b"encryption-data" in _small_entry(book, "META-INF/manifest.xml") else "ods"
    if (
        ext not in SPREADSHEET_EXTS
        or any(n.startswith(("word/", "ppt/")) for n in names)
        or mimetype.startswith(b"application/vnd.oasis.opendocument.")  # a text document or a presentation
    ):
        return "FILE_NOT_SPREADSHEET"
    return "FILE_CORRUPT"


def _small_entry(book: zipfile.ZipFile, name: str, limit: int = 2**20) -> bytes:
    """A zip entry's bytes when it exists and declares at most `limit` bytes (a mimetype, a manifest);
    b'' otherwise, or when it cannot be read."""
    try:
        if book.getinfo(name).file_size > limit:
            return b""
        return book.read(name)[:limit]
    except (KeyError, zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError, ValueError):
        return b""


def expansion_refusal(entries: list[zipfile.ZipInfo]) -> str | None:
    """FILE_TOO_LARGE when a workbook's zip entries declare more than MAX_WORKBOOK_BYTES in all, or one
    large entry expands more than MAX_COMPRESSION_RATIO times: judged from the zip's directory, before
    anything is expanded."""
    if sum(e.file_size for e in entries) > MAX_WORKBOOK_BYTES:
        return "FILE_TOO_LARGE"
    if any(
        e.file_size > RATIO_CHECKED_BYTES and e.file_size > MAX_COMPRESSION_RATIO * max(e.compress_size, 1)
        for e in entries
    ):
        return "FILE_TOO_LARGE"
    return None


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
        if len(data) > MAX_TEXT_BYTES:
            result.refused_file = Finding("FILE_TOO_LARGE", value=f"{len(data)} bytes")
            return result
        decoded = decode_text(data)
        if decoded is None:
            result.refused_file = Finding("FILE_ENCODING_UNKNOWN")
            return result
        text, result.encoding = decoded
        try:
            rows = _csv_rows(text)
        except csv.Error as exc:  # a field past csv's size limit, a stray quote the dialect cannot take
            result.refused_file = Finding("FILE_CORRUPT", value=str(exc)[:200])
            return result
        if len(rows) > MAX_FILE_ROWS:
            result.refused_file = Finding("FILE_TOO_MANY_ROWS", value=f"{len(rows)} 行")
            return result
        sheets.append(("", rows))
    else:
        try:
            sheets = _workbook_sheets(data, result)
        except BaseException as exc:  # calamine's own errors for damaged workbooks, and its panics
            if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":  # pyo3's: a BaseException
                raise  # KeyboardInterrupt, SystemExit
            result.refused_file = Finding("FILE_CORRUPT", value=str(exc)[:200])
            return result
        if result.refused_file:
            return result
    for sheet_name, cells in sheets:
        _read_sheet(sheet_name, cells, result)
    if not result.rows:
        if result.refused_sheets and all(f.code == "FILE_NO_NAME_COLUMN" for f in result.refused_sheets):
            result.refused_file, result.refused_sheets = Finding("FILE_NO_NAME_COLUMN"), []
        elif not result.refused_sheets and not any(
            f.code.startswith("ROW_") and f.code not in _SKIP_CODES for f in result.findings
        ):
            result.refused_file, result.findings = Finding("FILE_EMPTY"), []
    return result


_SKIP_CODES = {"ROW_BLANK", "ROW_TOTALS", "ROW_REPEATED_HEADER", "ROW_FOOTER"}


def _workbook_sheets(data: bytes, result: FileRead) -> list[tuple[str, list[list]]]:
    """Every worksheet's cells (chart sheets hold none, and calamine cannot open an .xlsb's), less the
    sheets past the row and width limits (refused in `result`); the whole file refused once its sheets
    hold more than MAX_FILE_ROWS rows."""
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    sheets, total = [], 0
    for sheet_name in (m.name for m in book.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet):
        sheet = book.get_sheet_by_name(sheet_name)
        height, width = (sheet.end[0] + 1, sheet.end[1] + 1) if sheet.end else (0, 0)  # as to_python lays it out
        if height > MAX_SHEET_ROWS:
            result.refused_sheets.append(Finding("FILE_TOO_MANY_ROWS", sheet=sheet_name, value=f"{height} 行"))
            continue
        if width > MAX_ROW_CELLS:
            result.refused_sheets.append(Finding("FILE_TOO_MANY_CELLS", sheet=sheet_name, value=f"{width} 列"))
            continue
        total += height
        if total > MAX_FILE_ROWS:
            result.refused_file = Finding("FILE_TOO_MANY_ROWS", value=f"> {MAX_FILE_ROWS} 行")
            return []
        sheets.append((sheet_name, sheet.to_python(skip_empty_area=False)))
    return sheets


def _fields(texts: list[str]) -> list[str | None]:
    return [canonical_field(c) if c else None for c in texts]


def with_subheaders(top: list[str], sub: list[str]) -> list[str] | None:
    """The header of two rows, when `sub` is a row of sub-headers under `top` (group titles merged over
    several columns, as 联系方式 over 手机 and 电子邮箱): each column's sub-header, or the header above
    it where the column has none. None when `sub` is not such a row: it has a value under a name
    header (it is data), or names no field more than either row alone."""
    width = max(len(top), len(sub))
    top, sub = top + [""] * (width - len(top)), sub + [""] * (width - len(sub))
    if any(
        f in NAME_FIELDS and sub[j] and canonical_field(sub[j]) not in NAME_FIELDS for j, f in enumerate(_fields(top))
    ):
        return None
    merged = [s or t for t, s in zip(top, sub)]
    count = [len({f for f in _fields(row) if f}) for row in (top, sub, merged)]
    return merged if count[2] > max(count[0], count[1]) else None


def find_header(rows: list[list[str]]) -> tuple[int, list[str], list[str | None]] | None:
    """The 0-based index of the (last) header row, each column's header text and canonical field.

    The header is the row among the first 30 that names the most known fields, at least two, one of
    them a name (a whole name, or a surname or given-name column); title rows and merged title cells
    above it score at most one. A row of sub-headers
    under it is read with it (see `with_subheaders`). BOMs, zero-width and control characters in
    header cells are ignored.
    """
    scan = [[clean_header_text(c) for c in row] for row in rows[: HEADER_SCAN_ROWS + 1]]
    best = None
    for i, texts in enumerate(scan[:HEADER_SCAN_ROWS]):
        candidates = [(i, texts)]
        merged = with_subheaders(texts, scan[i + 1]) if i + 1 < len(scan) else None
        if merged:
            candidates.append((i + 1, merged))
        for last, header in candidates:
            fields = _fields(header)
            known = {f for f in fields if f}
            if len(known) >= 2 and known & NAME_FIELDS and (best is None or len(known) > best[3]):
                best = (last, header, fields, len(known))
    return best[:3] if best else None


def _clean_cells(raw_row: list) -> tuple[list[str], list[int]]:
    """A row's cells as text without control characters, and the columns that held some."""
    cells = [cell_text(v) for v in raw_row]
    dirty = [i for i, c in enumerate(cells) if has_control_chars(c)]
    for i in dirty:
        cells[i] = strip_control_chars(cells[i]).strip(" \t\r\n")
    return cells, dirty


def name_problem(name: str) -> str | None:
    """Why a name cell is not a person's name ('digits', 'too long', 'formula'), or None."""
    if looks_like_formula(name):
        return "formula"
    if re.search(r"\d", name):
        return "digits"
    if len(name) > _NAME_MAX:
        return "too long"
    return None


def _read_sheet(sheet: str, raw: list[list], out: FileRead) -> None:
    """Find the header, then sort every row below it into loaded, skipped or refused."""
    end = len(raw)
    while end and not any(cell_text(v) for v in raw[end - 1]):
        end -= 1
    if not end:
        return
    found = find_header([_clean_cells(row)[0] for row in raw[: HEADER_SCAN_ROWS + 1]])
    if found is None:
        out.refused_sheets.append(Finding("FILE_NO_NAME_COLUMN", sheet=sheet))
        return
    header_idx, header, fields = found
    known = {f for f in fields if f}
    header_words = HEADER_WORDS | set(header)
    columns = []  # (index, header text, field or None)
    taken: set[str] = set()
    for i, (text, fld) in enumerate(zip(header, fields)):
        if fld and fld not in taken:
            taken.add(fld)
            columns.append((i, text, fld))
        else:
            if fld in NAME_FIELDS:  # kept as an extra column, and said so
                out.findings.append(
                    Finding(
                        "HEADER_DUPLICATE_NAME",
                        sheet=sheet,
                        row=header_idx + 1,
                        column=f"{text} ({column_letter(i)})",
                        value=text,
                    )
                )
            columns.append((i, text or f"列{column_letter(i)}", None))
    name_cols = [(i, text) for i, text, f in columns if f in NAME_FIELDS]
    id_col = next((i for i, _, f in columns if f == "id_number"), None)
    loaded: list[Row] = []
    for idx in range(header_idx + 1, end):
        row_no = idx + 1
        if len(raw[idx]) > MAX_ROW_CELLS:
            out.findings.append(
                Finding("ROW_TOO_MANY_CELLS", sheet=sheet, row=row_no, value=f"{len(raw[idx])} 个单元格")
            )
            continue
        cells, dirty = _clean_cells(raw[idx])
        values = {text: cells[i] for i, text, _ in columns if i < len(cells) and cells[i]}
        stray = {f"列{column_letter(i)}": v for i, v in enumerate(cells[len(header) :], len(header)) if v}
        values.update(stray)
        place = dict(sheet=sheet, row=row_no)
        if not values:
            out.findings.append(Finding("ROW_BLANK", **place))
            continue
        if dirty:  # removed above: what loads, and what goes back to the unit, is without them
            out.findings.append(
                Finding(
                    "CELL_CONTROL_CHARS",
                    **place,
                    column=", ".join(
                        f"{header[i] if i < len(header) and header[i] else '列' + column_letter(i)} ({column_letter(i)})"
                        for i in dirty
                    ),
                )
            )
        texts = [c for c in cells if c]
        first = texts[0]
        if not header_words.isdisjoint(texts) and len({canonical_field(c) for c in texts} & known) >= max(
            2, len(known) // 2
        ):
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
            out.findings.append(
                Finding("ROW_NO_NAME", **place, column=f"{col[1]} ({column_letter(col[0])})", row_values=values)
            )
            continue
        bad = next(((i, t, v) for i, t, v in names if name_problem(v)), None)
        if bad:
            out.findings.append(
                Finding(
                    "ROW_NAME_INVALID",
                    **place,
                    column=f"{bad[1]} ({column_letter(bad[0])})",
                    value=bad[2][:200],
                    row_values=values,
                )
            )
            continue
        fields_out = {f: cells[i] for i, _, f in columns if f and i < len(cells) and cells[i]}
        extra = {t: cells[i] for i, t, f in columns if not f and i < len(cells) and cells[i]}
        extra.update(stray)
        if id_col is not None and id_col < len(cells) and cells[id_col]:
            code = id_damage(raw[idx][id_col])
            if code:
                out.findings.append(
                    Finding(code, **place, column=f"{header[id_col]} ({column_letter(id_col)})", value=cells[id_col])
                )
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
