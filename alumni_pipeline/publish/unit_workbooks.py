"""Each unit's workbook of its own alumni, published once the quality gate has passed.

The units' workbooks are written whole into a hidden folder that then replaces `units/`; a unit whose
workbook fails is reported and keeps its previous one, and the others are written all the same.
Every value leaves through `cell_safety.safe_row`: never a formula, never a control character.

A workbook is streamed from DuckDB in batches into xlsxwriter's constant-memory mode, so memory does
not grow with a unit's size, and it is rewritten only when its unit's content changed: `manifest.json`
beside the workbooks keeps each unit's content digest, and a unit whose digest is the published one
has its workbook carried over (hard-linked) into the new folder.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import shutil
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path

import duckdb
import xlsxwriter

from .. import cell_safety, staff_sheets
from ..cell_safety import safe_cell, safe_row
from ..config import UNIT_WORKBOOK, Published
from ..progress import progress
from ..staff_sheets import ASK, DATE_FORMATS, PRECISION_ZH, folder_zh

log = logging.getLogger(__name__)

CONTACT_HEADERS = {  # the contact fields, as every workbook for staff heads them
    "employer": "现工作单位",
    "position": "职务",
    "mobile": "手机",
    "email": "电子邮箱",
    "address": "通讯地址",
    "postcode": "邮政编码",
}
UNIT_COLUMNS = {  # marts.unit_alumni column -> the header unit staff know
    "alumni_id": "校友编号",
    "name": "姓名",
    "gender": "性别",
    "birth_date": "出生日期",
    "birth_date_precision": "出生日期精度",
    "education_level": "学历",
    "enrol_date": "入校时间",
    "enrol_date_precision": "入校时间精度",
    "grad_date": "毕业时间",
    "grad_date_precision": "毕业时间精度",
    "department_as_recorded": "原始院系",
    "unit_name": "今属单位",
    "major": "专业",
    **CONTACT_HEADERS,
    "id_number_masked": "身份证号",
    "is_complete": "信息是否完整",
    "missing_fields": "缺少信息",
}
_WIDTHS = {
    "alumni_id": 14,
    "department_as_recorded": 18,
    "unit_name": 18,
    "major": 18,
    "employer": 22,
    "email": 26,
    "address": 30,
    "id_number_masked": 21,
    "missing_fields": 30,
}
_PRECISION_CASES = " ".join(f"when '{code}' then '{zh}'" for code, zh in PRECISION_ZH.items())
DATE_COLUMNS = {  # a date column of marts.unit_alumni and its precision ('day', 'month', 'year')
    "birth_date": "birth_date_precision",
    "enrol_date": "enrol_date_precision",
    "grad_date": "grad_date_precision",
}
_SHOWN = {  # a column the mart holds as a code, as unit staff read it (anything else: empty)
    "gender": "case gender when 'M' then '男' when 'F' then '女' end",
    "is_complete": "case is_complete when true then '是' when false then '否' end",
    **{precision: f"case {precision} {_PRECISION_CASES} end" for precision in DATE_COLUMNS.values()},
}
_SHOWN_COLUMNS = ", ".join(f"{_SHOWN.get(c, c)} as {c}" for c in UNIT_COLUMNS)
_ORDER = "grad_date nulls last, name, alumni_id"  # a unit's rows, top to bottom
_BATCH_ROWS = 10_000


@dataclass
class UnitWorkbooks:
    """What `write_unit_workbooks` did: rows per unit written, rows per unit whose unchanged workbook
    was carried over, and the units whose workbook failed (with the error; each keeps its previous
    workbook, if it had one)."""

    written: dict[str, int] = dataclass_field(default_factory=dict)
    failed: dict[str, str] = dataclass_field(default_factory=dict)
    carried_over: dict[str, int] = dataclass_field(default_factory=dict)


@dataclass(frozen=True)
class _Unit:
    code: str
    name: str | None
    rows: int
    digest: str


def write_unit_workbooks(con: duckdb.DuckDBPyConnection, publish: Path, run_id: str) -> UnitWorkbooks:
    """`units/<unit_code>/<unit_code>_校友名单.xlsx` for each unit with alumni, holding only its own;
    the workbook of a unit that has none left is removed. The set is written into a hidden folder
    that replaces `units/` at the end, so a run that stops half-way leaves the previous set whole. A
    unit whose content digest is the one published has its workbook carried over, not rewritten. A
    unit whose workbook fails is logged and reported, keeps its previous workbook, and stops no other."""
    published = Published(publish)
    live = published.units
    recover_folder(live)
    previous = read_manifest(published.units_manifest)
    incoming = live.with_name(f".{live.name}-incoming-{run_id[:8]}")
    shutil.rmtree(incoming, ignore_errors=True)
    incoming.mkdir(parents=True)
    result = UnitWorkbooks()
    manifest: dict[str, dict] = {}
    for unit in progress(_units(con), "writing unit workbooks", "units"):
        name = Path(unit.code) / UNIT_WORKBOOK.format(unit=unit.code)
        before = previous.get(unit.code, {})
        try:
            if before.get("digest") == unit.digest and (live / name).is_file():
                carry_over(live / name, incoming / name)
                result.carried_over[unit.code] = unit.rows
                manifest[unit.code] = before
                continue
            _write_workbook(incoming / name, _rows(con, unit.code), unit.code, unit.name, run_id)
            result.written[unit.code] = unit.rows
            manifest[unit.code] = {"digest": unit.digest, "rows": unit.rows, "run_id": run_id}
        except Exception as exc:
            log.exception("unit %s: its workbook could not be written; the previous one stays", unit.code)
            result.failed[unit.code] = f"{type(exc).__name__}: {exc}"[:300]
            for partial in (incoming / unit.code).glob(".*.tmp"):
                partial.unlink()
            if (live / name).is_file():
                carry_over(live / name, incoming / name)
                if before:
                    manifest[unit.code] = before  # the digest of what stays, so the next run retries
    write_manifest(incoming / published.units_manifest.name, manifest, run_id)
    replace_folder(incoming, live)
    return result


def _units(con: duckdb.DuckDBPyConnection) -> list[_Unit]:
    """Each unit with alumni: its name, its row count and a digest of what its workbook shows (its rows
    as shown, in an order that does not depend on how the mart was built, and the writer's code)."""
    found = con.sql(f"""
        with shown as (
            select unit_code, {_SHOWN_COLUMNS}
            from marts.unit_alumni
            where unit_code is not null
        ),
        hashed as (
            select unit_code, unit_name, md5(to_json(struct_pack({", ".join(UNIT_COLUMNS)}))) as row_md5
            from shown
        )
        select unit_code, min(unit_name), count(*), md5(string_agg(row_md5, '' order by row_md5))
        from hashed
        group by unit_code
        order by unit_code""").fetchall()
    writer = writer_fingerprint()
    return [
        _Unit(code, name, rows, hashlib.md5(json.dumps([writer, name, rows, digest]).encode()).hexdigest())
        for code, name, rows, digest in found
    ]


def writer_fingerprint() -> str:
    """The code that decides what a workbook shows, this module, `cell_safety` and `staff_sheets`: part
    of every digest, so a change to any of them rewrites every unit's workbook once."""
    code = b"".join(Path(m.__file__).read_bytes() for m in (sys.modules[__name__], cell_safety, staff_sheets))
    return hashlib.md5(code).hexdigest()


def _rows(con: duckdb.DuckDBPyConnection, unit: str) -> Iterator[tuple]:
    """A unit's rows as its workbook shows them, in order, fetched a batch at a time."""
    cursor = con.execute(
        f"select {_SHOWN_COLUMNS} from marts.unit_alumni where unit_code = ? order by {_ORDER}", [unit]
    )
    while batch := cursor.fetchmany(_BATCH_ROWS):
        yield from batch


def read_manifest(path: Path, key: str = "units") -> dict[str, dict]:
    """The published workbooks' entries (`digest`, `rows`, `run_id`) under `key`; none if there is no
    readable manifest, in which case every workbook is rewritten."""
    try:
        units = json.loads(path.read_text(encoding="utf-8"))[key]
        return {unit: entry for unit, entry in units.items() if isinstance(entry, dict)}
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        log.warning("%s unreadable (%s): every workbook it lists is rewritten", path, exc)
        return {}


def write_manifest(path: Path, units: dict[str, dict], run_id: str, key: str = "units") -> None:
    manifest = {"schema_version": 1, "run_id": run_id, "created_at": dt.datetime.now().isoformat(), key: units}
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def carry_over(source: Path, target: Path) -> None:
    """The published workbook into the new folder as it is: a hard link (no bytes written), or a copy
    where the file system has none."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def recover_folder(live: Path) -> None:
    """Put back the previous set if a run stopped between the two renames of `replace_folder`."""
    previous = live.with_name(f".{live.name}-previous")
    if not live.exists() and previous.exists():
        previous.rename(live)
    shutil.rmtree(previous, ignore_errors=True)
    for leftover in live.parent.glob(f".{live.name}-incoming-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def replace_folder(incoming: Path, live: Path) -> None:
    """Swap a fully written folder in for the live one: readers see the old set or the new one."""
    previous = live.with_name(f".{live.name}-previous")
    if live.exists():
        live.rename(previous)
    incoming.rename(live)
    shutil.rmtree(previous, ignore_errors=True)


def _write_workbook(path: Path, rows: Iterable[tuple], unit: str, unit_name: str | None, run_id: str) -> None:
    """The workbook of one unit from its rows (UNIT_COLUMNS' order), one row in memory at a time."""
    write_book(
        path, [Sheet("校友名单", UNIT_COLUMNS, rows)], lambda written: _notes(unit, unit_name, written[0], run_id)
    )


@dataclass
class Sheet:
    """A sheet of a staff workbook: its name, its columns (column -> the header staff read) and rows in
    that order (a date followed by its precision column, as staff_sheets says)."""

    name: str
    columns: dict[str, str]
    rows: Iterable[tuple]
    widths: dict[str, int] = dataclass_field(default_factory=dict)


def write_book(path: Path, sheets: list[Sheet], notes: Callable[[list[int]], list[tuple[str, str]]]) -> list[int]:
    """A staff workbook at `path`: each sheet with a frozen, filtered header, then the 说明 sheet whose
    lines `notes` gives from the rows written per sheet; one row in memory at a time (xlsxwriter's
    constant-memory mode), written beside the target and moved into place whole. Text is written as
    text whatever it looks like (`write_string`: '=1+1' stays text, '007' stays 007). Returns the rows
    written per sheet."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    scratch = path.with_name(f".{path.name}.scratch.tmp")  # xlsxwriter's row files, beside the output
    scratch.mkdir()
    try:
        book = xlsxwriter.Workbook(
            str(tmp),
            {
                "constant_memory": True,
                "tmpdir": str(scratch),
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
        bold = book.add_format({"bold": True})
        formats = {PRECISION_ZH[p]: book.add_format({"num_format": f}) for p, f in DATE_FORMATS.items()}
        written = []
        for spec in sheets:
            sheet = book.add_worksheet(spec.name)
            for n, (column, header) in enumerate(spec.columns.items()):
                sheet.set_column(n, n, spec.widths.get(column, _WIDTHS.get(column, 12)))
                sheet.write_string(0, n, header, bold)
            sheet.freeze_panes(1, 0)
            written.append(_write_rows(sheet, spec.rows, formats))
            sheet.autofilter(0, 0, written[-1], len(spec.columns) - 1)
        _write_notes(book.add_worksheet("说明"), bold, notes(written))
        book.close()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    os.replace(tmp, path)
    return written


def _notes(unit: str, unit_name: str | None, rows: int, run_id: str) -> list[tuple[str, str]]:
    """The 说明 sheet's lines, in the words of a unit's alumni secretary."""
    return [
        ("单位", f"{unit_name or unit}（{unit}）"),
        ("校友人数", str(rows)),
        ("生成时间", f"{dt.datetime.now():%Y-%m-%d %H:%M}（运行 {run_id}）"),
        (
            "本表内容",
            "本表只含本单位的校友：在本单位学习过（按专业当前所属单位）、工作过或作为访问学者、客座教授由本单位接待的校友。"
            "学历、入校时间、毕业时间、原始院系、专业为该校友在本单位最近一段学习经历。",
        ),
        (
            "院系",
            "“原始院系”是档案中记录的院系名称（可能是旧称或繁体字，如“國文”）；“今属单位”是该专业今天所属的单位。",
        ),
        (
            "日期",
            "出生日期、入校时间、毕业时间是Excel日期，可以排序和筛选；其后的“…精度”列为“日”表示具体到日，"
            "为“月”表示只知道年月（显示为1955-06），为“年”表示只知道年份（显示为1961）。",
        ),
        ("查找筛选", "第一行是表头，已冻结；点表头上的筛选按钮即可按院系、年份、是否完整等筛选。"),
        (
            "信息完整",
            "身份证号只显示前六位和后四位；“信息是否完整”按校友信息收集方案的字段判断，缺少的字段列在“缺少信息”中。",
        ),
        (
            "更正信息",
            f"发现错误或收集到新的联系方式，请复制{folder_zh('unit_updates')}中的模板，填写后另存为新文件放回该文件夹；"
            "下次运行后即更新，不要直接修改本表。",
        ),
        ("保密", "本表含校友个人信息，仅供本单位校友工作使用，请妥善保管，不得外传。"),
        ("联系", ASK),
    ]


def _write_notes(notes, bold, lines: list[tuple[str, str]]) -> None:
    """The 说明 sheet: a header row, frozen and filtered like the list itself, then one line per topic."""
    notes.set_column(0, 0, 12)
    notes.set_column(1, 1, 100)
    notes.write_string(0, 0, "项目", bold)
    notes.write_string(0, 1, "说明", bold)
    for n, (topic, text) in enumerate(lines, start=1):
        notes.write_string(n, 0, safe_cell(topic))
        notes.write_string(n, 1, safe_cell(text))
    notes.freeze_panes(1, 0)
    notes.autofilter(0, 0, len(lines), 1)


def _write_rows(sheet, rows: Iterable[tuple], date_formats: dict) -> int:
    """Each row below the header, through `safe_row`; an empty value leaves its cell empty; a date is
    a real Excel date, formatted at the precision its precision column (the next one) shows. Returns
    the number of rows."""
    write_string, write_datetime, write_number, write_boolean = (
        sheet.write_string,
        sheet.write_datetime,
        sheet.write_number,
        sheet.write_boolean,
    )
    n = 0
    for n, record in enumerate(rows, start=1):
        for col, value in enumerate(safe_row(record)):
            if value is None:
                continue
            if isinstance(value, str):
                write_string(n, col, value)
            elif isinstance(value, bool):
                write_boolean(n, col, value)
            elif isinstance(value, int | float):
                if value == value and abs(value) != float("inf"):  # NaN and infinity: left empty
                    write_number(n, col, value)
            elif isinstance(value, dt.date):
                precision = record[col + 1] if col + 1 < len(record) else None
                write_datetime(n, col, value, date_formats.get(precision, date_formats["日"]))
            else:
                write_string(n, col, safe_cell(str(value)))
    return n
