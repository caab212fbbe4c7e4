"""Rewrite a sample drop set the way other units would have written it, keeping who is who.

`load_drop(folder)` reads the person rows of every accepted file of an `alumni sample` drop set (the
files the manifest expects to load) with the row each one came from and its true person; the files
the pipeline must refuse or defer, and the class-liaison registers, are kept as they are. A
perturbation changes the sheets (columns removed, headers renamed, rows regrouped into other files
and sheets, typed values mistyped); `write_drop(drop, out)` writes the files anew and a
`ground_truth.csv` naming each person row by its new file, sheet and row, so `alumni evaluate
--truth` scores the run on the rewritten drops.

Rewritten sheets carry one title row and the header; decorations (blank, totals, footer rows) of the
original are not copied. Rows the pipeline must refuse (no name, a sentence as the name) are.

    from bench.perturb import CELLS, build_cell
    build_cell("drop_birth:continuing_ed", "raw_drops", "work/cell/raw_drops")
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import json
import random
import re
import shutil
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from python_calamine import CalamineWorkbook

from alumni_pipeline.conform.dates import parse_date, year_of
from alumni_pipeline.conform.idcard import id_check_digit
from alumni_pipeline.ingest.headers import FIELDS, canonical_field
from alumni_pipeline.ingest.readers import cell_text, decode_text

PERSON_SOURCES = ("archives", "hr", "continuing_ed", "international", "unit_updates", "self_reported")
REGISTRIES = ("archives", "hr", "continuing_ed")  # the offices that keep the records they typed once

# optional columns, grouped so the matrix stays small: every column but the name is in one group
COLUMN_GROUPS: dict[str, tuple[str, ...]] = {
    "birth": ("birth_date",),
    "id": ("id_number", "passport_number", "student_number", "staff_number"),
    "gender": ("gender",),
    "study": ("department", "major", "class_name", "education_level", "study_form", "work_unit", "role", "title"),
    "dates": ("enrol_date", "grad_date", "work_start", "work_end", "work_period", "update_date"),
    "contacts": ("mobile", "email", "address", "postcode", "landline", "wechat"),
    "other": (
        "native_place",
        "ethnicity",
        "former_name",
        "name_en",
        "nationality",
        "employer",
        "position",
        "channel",
        "note",
    ),
}
_LATIN = re.compile(r"^[\x00-\x7f]*$")
_BAD_SHEET = re.compile(r"[\[\]:*?/\\]")


@dataclass
class Sheet:
    """One sheet (or CSV) of person rows: the header as typed, each row's cells and its true person."""

    source: str
    file: str  # path under the landing root
    name: str  # sheet name, '' for a CSV
    header: list
    rows: list[tuple[str, list]]  # (person_id, cells aligned with header)
    title: str = ""

    def fields(self) -> list[str | None]:
        return [canonical_field(h) if h not in (None, "") else None for h in self.header]

    def column(self, field_: str) -> int | None:
        return next((i for i, f in enumerate(self.fields()) if f == field_), None)


@dataclass
class Drop:
    """A drop set as sheets of person rows, plus the files kept byte for byte."""

    root: Path
    sheets: list[Sheet]
    kept: list[str]  # files copied as they are
    kept_truth: list[list[str]]  # their ground-truth rows
    encodings: dict[str, str] = field(default_factory=dict)  # CSV file -> encoding to write it in
    notes: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# reading and writing


def _sheets_of(path: Path) -> list[tuple[str, list[list]]]:
    data = path.read_bytes()
    if path.suffix.lower() in (".csv", ".txt"):
        text, _ = decode_text(data)
        return [("", [list(r) for r in csv.reader(io.StringIO(text, newline=""))])]
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return [(n, book.get_sheet_by_name(n).to_python(skip_empty_area=False)) for n in book.sheet_names]


def load_drop(folder: Path) -> Drop:
    folder = Path(folder)
    manifest = json.loads((folder / "sample_manifest.json").read_text(encoding="utf-8"))
    with open(folder / "ground_truth.csv", encoding="utf-8", newline="") as fh:
        truth = list(csv.reader(fh))[1:]
    by_sheet: dict[tuple[str, str], dict[int, str]] = defaultdict(dict)
    for _source, file, sheet, row, pid in truth:
        by_sheet[file, sheet][int(row)] = pid
    drop = Drop(folder, [], [], [])
    for f in manifest["files"]:
        rel = f["path"]
        if f["expect_file_reason"] or f["source"] not in PERSON_SOURCES:
            drop.kept.append(rel)
            drop.kept_truth += [t for t in truth if t[1] == rel]
            continue
        for name, raw in _sheets_of(folder / rel):
            persons = by_sheet.get((rel, name))
            if not persons:
                continue
            header_at = min(persons) - 1  # 1-based: the first person row follows the header
            header = list(raw[header_at - 1])
            while header and header[-1] in (None, ""):
                header.pop()
            width = len(header)
            title = next((cell_text(c) for r in raw[: header_at - 1] for c in r if c not in (None, "")), "")
            rows = [(persons[r], (list(raw[r - 1]) + [None] * width)[:width]) for r in sorted(persons)]
            written = rel[:-4] + ".xlsx" if rel.endswith(".xls") else rel  # written again with openpyxl
            drop.sheets.append(Sheet(f["source"], written, name, header, rows, title))
    return drop


def _clean(value):
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date()
    if value == "":
        return None
    return value


def _sheet_name(name: str, taken: set[str]) -> str:
    base = _BAD_SHEET.sub("_", name or "Sheet1")[:31] or "Sheet1"
    candidate, i = base, 2
    while candidate in taken:
        suffix = f"({i})"
        candidate, i = base[: 31 - len(suffix)] + suffix, i + 1
    taken.add(candidate)
    return candidate


def write_drop(drop: Drop, out: Path, cell: str = "") -> dict:
    """Write the drop under `out` (emptied first) with its ground_truth.csv; return a summary."""
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    truth = [["source_system", "source_file", "source_sheet", "source_row", "person_id"]]
    for rel in drop.kept:
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(drop.root / rel, out / rel)
    truth += drop.kept_truth
    files: dict[str, list[Sheet]] = defaultdict(list)
    for s in drop.sheets:
        if s.rows:
            files[s.file].append(s)
    for rel, sheets in files.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        source = sheets[0].source
        if rel.lower().endswith(".csv"):
            if len(sheets) > 1:
                raise ValueError(f"{rel}: a CSV holds one sheet, got {len(sheets)}")
            s = sheets[0]
            buf = io.StringIO()
            w = csv.writer(buf, lineterminator="\r\n")
            w.writerow([cell_text(h) for h in s.header])
            for n, (pid, cells) in enumerate(s.rows, start=2):
                w.writerow([cell_text(_clean(c)) for c in cells])
                truth.append([source, rel, "", str(n), pid])
            encoding = drop.encodings.get(rel, "utf-8-sig")
            try:
                data = buf.getvalue().encode(encoding)
            except UnicodeEncodeError:  # a character GBK lacks: what old systems do with GB18030
                data = buf.getvalue().encode("gb18030")
            path.write_bytes(data)
            continue
        book = Workbook(write_only=True)
        taken: set[str] = set()
        for s in sheets:
            name = _sheet_name(s.name, taken)
            ws = book.create_sheet(name)
            ws.append([s.title or f"{name}名单"])
            ws.append(s.header)
            for n, (pid, cells) in enumerate(s.rows, start=3):
                ws.append([_clean(c) for c in cells])
                truth.append([source, rel, name, str(n), pid])
        book.save(path)
    with open(out / "ground_truth.csv", "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(truth)
    summary = {
        "cell": cell,
        "files": len(files) + len(drop.kept),
        "rewritten_files": len(files),
        "person_rows": len(truth) - 1,
        "notes": drop.notes,
    }
    (out / "perturbation.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    return summary


# ---------------------------------------------------------------------------------------------
# perturbations: each takes a Drop and a Random and changes the drop in place


def _of(drop: Drop, sources) -> list[Sheet]:
    return [s for s in drop.sheets if s.source in sources]


def drop_columns(drop: Drop, sources, fields_: tuple[str, ...]) -> None:
    """Remove every column naming one of `fields_` from the sources' files."""
    for s in _of(drop, sources):
        keep = [i for i, f in enumerate(s.fields()) if f not in fields_]
        if len(keep) < len(s.header):
            s.header = [s.header[i] for i in keep]
            s.rows = [(pid, [cells[i] for i in keep]) for pid, cells in s.rows]


def columns_present(drop: Drop, source: str, fields_: tuple[str, ...]) -> bool:
    return any(f in fields_ for s in _of(drop, (source,)) for f in s.fields())


def _aliases(field_: str) -> list[str]:
    zh, variants = FIELDS[field_]
    return [v for v in (zh, *variants) if canonical_field(v) == field_]


def rename_headers(drop: Drop, rng: random.Random, sources=PERSON_SOURCES) -> None:
    """Each file's headers replaced by another alias of the same field (Chinese for Chinese, Latin for Latin)."""
    by_file: dict[str, list[Sheet]] = defaultdict(list)
    for s in _of(drop, sources):
        by_file[s.file].append(s)
    for sheets in by_file.values():
        choice: dict[str, str] = {}
        for s in sheets:
            used: set[str] = set()
            for i, (h, f) in enumerate(zip(s.header, s.fields())):
                if f is None:
                    continue
                if h not in choice:
                    latin = bool(_LATIN.match(str(h)))
                    options = [
                        a
                        for a in _aliases(f)
                        if a != h and bool(_LATIN.match(a)) == latin and (not latin or len(a) > 3)
                    ] or [h]
                    choice[h] = rng.choice(options)
                new = choice[h] if choice[h] not in used else h
                used.add(new)
                s.header[i] = new


def _union(sheets: list[Sheet]) -> tuple[list, list[list[tuple[int, int]]]]:
    """One header for several sheets: a column per field (the first header text seen), extras by their text."""
    header, where = [], {}
    maps = []
    for s in sheets:
        m = []
        for i, (h, f) in enumerate(zip(s.header, s.fields())):
            key = f or f"extra:{h}"
            if f is None and h in (None, "", "序号", "编号"):
                continue
            if key not in where:
                where[key] = len(header)
                header.append(h)
            m.append((i, where[key]))
        maps.append(m)
    return header, maps


def _merge(sheets: list[Sheet], source: str, file: str, name: str, title: str) -> Sheet:
    header, maps = _union(sheets)
    rows = []
    for s, m in zip(sheets, maps):
        for pid, cells in s.rows:
            row = [None] * len(header)
            for i, j in m:
                row[j] = cells[i]
            rows.append((pid, row))
    return Sheet(source, file, name, header, rows, title)


def _year(value) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, (int, float)) and value > 3000:  # an Excel date serial
        return (dt.date(1899, 12, 30) + dt.timedelta(days=int(value))).year
    if isinstance(value, (dt.date, dt.datetime)):
        return value.year
    y = year_of(cell_text(value))
    if y:
        return y
    m = re.search(r"(19|20)\d\d", cell_text(value))
    return int(m.group(0)) if m else None


def _value(s: Sheet, cells: list, *fields_: str):
    for f in fields_:
        i = s.column(f)
        if i is not None and cells[i] not in (None, ""):
            return cells[i]
    return None


def _regroup(
    drop: Drop,
    sources,
    key: Callable[[Sheet, list], tuple[str, str]],
    *,
    csv_files: bool = False,
    title: str = "{name}",
) -> None:
    """Rows of the sources' sheets regrouped into (file, sheet) = key(sheet, cells); one header per new sheet."""
    old = _of(drop, sources)
    groups: dict[tuple[str, str, str], list[Sheet]] = {}
    for s in old:
        parts: dict[tuple[str, str], list] = defaultdict(list)
        for pid, cells in s.rows:
            parts[key(s, cells)].append((pid, cells))
        for (file, name), rows in parts.items():
            groups.setdefault((s.source, file, name), []).append(Sheet(s.source, file, name, s.header, rows))
    new = [
        _merge(parts, src, file, "" if csv_files else name, title.format(name=name))
        for (src, file, name), parts in groups.items()
    ]
    drop.sheets = [s for s in drop.sheets if s.source not in sources] + new


def _stem(rel: str) -> str:
    return rel.rsplit(".", 1)[0]


def _safe(text: str) -> str:
    return re.sub(r"[\\/:*?\"<>|\s]+", "_", text)[:40] or "未知"


def layout_per_class(drop: Drop, sources) -> None:
    """Each file's rows as one sheet per class: unit, major, enrolment and graduation year."""

    def key(s, cells):
        klass = _value(s, cells, "class_name")
        if klass is None:
            dept = cell_text(_value(s, cells, "department", "work_unit") or "")
            major = cell_text(_value(s, cells, "major") or "")
            klass = f"{_year(_value(s, cells, 'enrol_date')) or ''}级{dept}{major}"
        return s.file if not s.file.endswith(".csv") else _stem(s.file) + ".xlsx", cell_text(klass)

    _regroup(drop, sources, key)


def layout_per_year(drop: Drop, sources) -> None:
    """Each file's rows as one sheet per graduation (or start) year."""

    def key(s, cells):
        year = _year(_value(s, cells, "grad_date", "work_start", "update_date", "enrol_date"))
        return s.file if not s.file.endswith(".csv") else _stem(s.file) + ".xlsx", f"{year or '年份不详'}届"

    _regroup(drop, sources, key)


def layout_per_era(drop: Drop, sources) -> None:
    """One CSV per department (or unit) and era (before 2000, from 2000): a bachelor's and a master's of
    one department can share a file, whatever level each file held before."""

    def key(s, cells):
        dept = cell_text(_value(s, cells, "department", "work_unit", "major") or "其他")
        year = _year(_value(s, cells, "grad_date", "work_start", "update_date", "enrol_date")) or 1999
        era = "1950-1999" if year < 2000 else "2000-2025"
        return f"{s.source}/{_safe(dept)}_{era}.csv", ""

    _regroup(drop, sources, key, csv_files=True)


def layout_one_sheet(drop: Drop, sources) -> None:
    """Everything a source holds in one sheet of one workbook."""
    _regroup(drop, sources, lambda s, cells: (f"{s.source}/{s.source}_全部名单.xlsx", "全部"))


def split_files(drop: Drop, sources) -> None:
    """Each file in two: the first half of each sheet's rows, then the second."""
    new = []
    for s in _of(drop, sources):
        half = (len(s.rows) + 1) // 2
        stem, ext = s.file.rsplit(".", 1)
        ext = "xlsx" if ext == "xls" else ext
        for part, rows in ((1, s.rows[:half]), (2, s.rows[half:])):
            new.append(Sheet(s.source, f"{stem}_第{part}部分.{ext}", s.name, s.header, rows, s.title))
    drop.sheets = [s for s in drop.sheets if s.source not in sources] + new


def merge_files(drop: Drop, sources) -> None:
    """Every file of a source as sheets of one workbook (a CSV becomes a sheet named after its file)."""
    for s in _of(drop, sources):
        if not s.name:
            s.name = Path(s.file).stem
        elif len({x.file for x in _of(drop, (s.source,))}) > 1:
            s.name = f"{Path(s.file).stem[:14]}_{s.name}"
        s.file = f"{s.source}/{s.source}_合并.xlsx"


def as_csv(drop: Drop, sources, encoding: str) -> None:
    """Every sheet of the sources as its own CSV file in `encoding` (GBK, as old systems export)."""
    for s in _of(drop, sources):
        stem = _stem(s.file)
        s.file = f"{stem}_{_safe(s.name)}.csv" if s.name else f"{stem}.csv"
        s.name = ""
        drop.encodings[s.file] = encoding


def _typo_date(rng: random.Random, d: dt.date) -> dt.date | None:
    kind = rng.choice(("digit", "swap", "days"))
    if kind == "swap" and d.day <= 12 and d.day != d.month:
        return dt.date(d.year, d.day, d.month)
    if kind == "digit":
        text = f"{d:%Y%m%d}"
        for _ in range(20):
            i = rng.choice((3, 5, 7, 7))  # the year's last digit, the month's, the day's
            typed = text[:i] + str(rng.randrange(10)) + text[i + 1 :]
            try:
                new = dt.datetime.strptime(typed, "%Y%m%d").date()
            except ValueError:
                continue
            if new != d:
                return new
    return d + dt.timedelta(days=rng.choice((-3, -2, -1, 1, 2, 3)))


def typo_birth_dates(drop: Drop, rng: random.Random, rate: float, sources=REGISTRIES) -> None:
    """A share of full birth dates mistyped: one digit, day and month swapped, or a few days off."""
    count = 0
    for s in _of(drop, sources):
        i = s.column("birth_date")
        if i is None:
            continue
        for _, cells in s.rows:
            parsed = parse_date(cells[i]) if cells[i] not in (None, "") else None
            if parsed and parsed.precision == "day" and rng.random() < rate:
                typed = _typo_date(rng, dt.date.fromisoformat(parsed.value))
                cells[i] = typed if isinstance(cells[i], (dt.date, dt.datetime)) else typed.isoformat()
                count += 1
    drop.notes.append(f"{count} birth dates mistyped")


def typo_id_numbers(drop: Drop, rng: random.Random, rate: float, *, valid: bool = False, sources=REGISTRIES) -> None:
    """A share of 18-digit ID numbers with one digit mistyped; `valid` recomputes the check digit, as a
    system that validates numbers would have made the clerk do."""
    count = 0
    for s in _of(drop, sources):
        i = s.column("id_number")
        if i is None:
            continue
        for _, cells in s.rows:
            v = cells[i]
            if not (isinstance(v, str) and re.fullmatch(r"\d{17}[\dXx]", v.strip())) or rng.random() >= rate:
                continue
            v = v.strip()
            at = rng.choice((7, 8, 9, 10, 11, 12, 13, 14, 15, 16))
            digit = rng.choice([c for c in "0123456789" if c != v[at]])
            first17 = v[:at] + digit + v[at + 1 : 17]
            cells[i] = first17 + (id_check_digit(first17) if valid else v[17])
            count += 1
    drop.notes.append(f"{count} ID numbers mistyped")


# ---------------------------------------------------------------------------------------------
# the cells of the robustness matrix


def _cells() -> dict[str, tuple[str, Callable[[Drop, random.Random], None] | None]]:
    cells: dict[str, tuple[str, Callable | None]] = {
        "original": ("the sample as `alumni sample` writes it", None),
        "rewritten": (
            "every file read and written again unchanged (no title rows, totals or footers)",
            lambda d, r: None,
        ),
    }
    for source in PERSON_SOURCES:
        for group, fields_ in COLUMN_GROUPS.items():
            cells[f"drop_{group}:{source}"] = (
                f"{source}: columns {', '.join(fields_)} removed from every file",
                lambda d, r, s=source, f=fields_: drop_columns(d, (s,), f),
            )
    cells["headers_renamed"] = (
        "every file's headers replaced by other aliases units use",
        lambda d, r: rename_headers(d, r),
    )
    layouts = {
        "per_class": layout_per_class,
        "per_year": layout_per_year,
        "per_era": layout_per_era,
        "one_sheet": layout_one_sheet,
    }
    for name, fn in layouts.items():
        cells[f"layout_{name}:archives"] = (
            f"archives: {fn.__doc__.splitlines()[0]}",
            lambda d, r, f=fn: f(d, ("archives",)),
        )
    cells["layout_per_era:continuing_ed"] = (
        "continuing_ed: one CSV per major and era",
        lambda d, r: layout_per_era(d, ("continuing_ed",)),
    )
    cells["layout_per_year:hr"] = ("hr: one sheet per year of joining", lambda d, r: layout_per_year(d, ("hr",)))
    cells["layout_one_sheet:all"] = (
        "every source's rows in one sheet of one workbook per source",
        lambda d, r: layout_one_sheet(d, PERSON_SOURCES),
    )
    cells["typos_birth"] = (
        "3% of registries' birth dates mistyped (one digit, day/month swapped, ±3 days)",
        lambda d, r: typo_birth_dates(d, r, 0.03),
    )
    cells["typos_id"] = (
        "3% of registries' ID numbers with one digit mistyped (check digit then wrong)",
        lambda d, r: typo_id_numbers(d, r, 0.03),
    )
    cells["typos_id_valid"] = (
        "3% of registries' ID numbers with one digit mistyped and a recomputed check digit",
        lambda d, r: typo_id_numbers(d, r, 0.03, valid=True),
    )
    cells["split_files"] = ("every file split in two", lambda d, r: split_files(d, PERSON_SOURCES))
    cells["merge_files"] = (
        "every source's files merged into one workbook",
        lambda d, r: merge_files(d, PERSON_SOURCES),
    )
    cells["gbk_csv:unit_updates"] = (
        "unit_updates: every sheet as a GBK CSV",
        lambda d, r: as_csv(d, ("unit_updates",), "gbk"),
    )
    cells["gbk_csv_per_era:archives"] = (
        "archives: one GBK CSV per department and era",
        lambda d, r: (
            layout_per_era(d, ("archives",)),
            d.encodings.update({s.file: "gbk" for s in d.sheets if s.source == "archives"}),
        ),
    )
    return cells


CELLS = _cells()


def applicable(cell: str, drop: Drop) -> bool:
    """A column-removal cell only where the source has such a column."""
    if cell.startswith("drop_"):
        group, source = cell[5:].split(":")
        return columns_present(drop, source, COLUMN_GROUPS[group])
    return True


def build_cell(cell: str, sample: Path, out: Path, seed: int = 0, drop: Drop | None = None) -> dict:
    """Write the cell's drops under `out` from the sample drops in `sample`."""
    _, fn = CELLS[cell]
    if fn is None:
        if Path(out).exists():
            shutil.rmtree(out)
        shutil.copytree(sample, out)
        return {"cell": cell, "notes": []}
    drop = copy.deepcopy(drop) if drop is not None else load_drop(sample)
    fn(drop, random.Random(f"{seed}:{cell}"))
    return write_drop(drop, out, cell)
