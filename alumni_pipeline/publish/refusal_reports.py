"""The report each unit gets for a dropped file with something to fix (`refusals/<file>.退回说明.xlsx`),
in Chinese: every refused file, sheet and row, every row loaded with a damaged value, and what the
quality gate held back or asks to check, each with its place and what to fix.

Reports are built from the warehouse (`audit.*`), not from a file as it is read, so one writer serves
ingest and the quality gate, and whether a report is up to date is tracked on its own
(`audit.unit_reports`, by content): a report that failed to be written is written on the next run even
when its file has not changed, and one whose content did not change is not rewritten.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import duckdb
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from ..cell_safety import safe_row
from ..config import Published
from ..staff_sheets import ASK, finish_sheet, folder_zh, write_notes

REPORT_HEADERS = ("文件", "工作表", "行号", "列", "问题代码", "处理结果", "问题说明及修改方法", "原值")
REPORT_SUFFIX = ".退回说明.xlsx"
MAX_NAME_BYTES = 150  # a path component longer than this is shortened (file systems stop at 255 bytes)
_LAYOUT = 2  # part of each report's digest: a new layout rewrites every report once
_KIND_ZH = {"refused": "未导入", "warning": "已导入，需更正", "deferred": "暂缓读取"}

# Every line of every current file's report: ingest's refusals and warnings, and the quality gate's
# findings on the file's current version (the gate's word on an ingest refusal is that refusal).
_LINES = """
with current as (
    select source_system, source_file, file_hash from audit.files {where}
)
select c.source_system, c.source_file, 0 as part, f.source_sheet as sheet, null::integer as row_number,
       '' as field, f.reason_code as code,
       if(coalesce(f.source_sheet, '') = '', '整个文件未导入', '该工作表未导入') as outcome,
       f.message_zh as message, f.detail as value, null as row_values
from current as c join audit.refused_files as f using (source_system, source_file, file_hash)
union all
select c.source_system, c.source_file, 1, r.source_sheet, r.source_row, r.source_column, r.reason_code,
       r.kind, r.message_zh, r.value, r.row_values
from current as c join audit.row_findings as r using (source_system, source_file, file_hash)
where r.kind in ('refused', 'warning', 'deferred')
union all
select c.source_system, c.source_file, if(g.scope = 'file', 0, 1), g.source_sheet, g.source_row, g.field,
       g.expectation,
       case when g.scope = 'file' and g.held then 'gate_file_held'
            when g.held then 'gate_row_held' else 'gate_warning' end,
       g.message_zh, g.examples, null
from current as c join audit.gate_findings as g using (source_system, source_file, file_hash)
where g.expectation <> 'ingest'
order by 1, 2, 3, 4, 5
"""
_OUTCOME_ZH = {
    **_KIND_ZH,
    "gate_file_held": "本次提交暂不采用（沿用上次通过检查的版本，新文件则暂不采用）",
    "gate_row_held": "该行暂未采用",
    "gate_warning": "已导入，请核对",
}


def report_path(publish: Path, rel: str) -> Path:
    """`refusals/<rel>.退回说明.xlsx`, or, where a part of the name is too long for a file system, a
    short stable name in the source's folder (the full name is inside the report)."""
    parts = rel.split("/")
    if all(len(p.encode()) <= MAX_NAME_BYTES for p in parts):
        return Published(publish).refusals / f"{rel}{REPORT_SUFFIX}"
    stem = parts[-1].encode()[:60].decode(errors="ignore")  # whole characters, 60 bytes at most
    return (
        Published(publish).refusals / parts[0] / f"{stem}-{hashlib.sha1(rel.encode()).hexdigest()[:12]}{REPORT_SUFFIX}"
    )


def row_fields(row_values: str | None) -> dict[str, str]:
    """A refused row's values, each under the header the file gave it ({'姓名': '张三', '性别': '男'}), to
    be shown one column per field; values that are not a JSON object of fields come under '该行内容'."""
    if not row_values:
        return {}
    try:
        values = json.loads(row_values)
    except ValueError:
        return {"该行内容": row_values}
    if isinstance(values, dict):
        return {str(k): "" if v is None else str(v) for k, v in values.items()}
    return {f"第{n}列": "" if v is None else str(v) for n, v in enumerate(values, start=1)}


def write_reports(con: duckdb.DuckDBPyConnection, publish: Path, run_id: str, source: str | None = None) -> dict:
    """Bring every current file's report (of one source, or of all) up to date: written when its lines
    changed or it is missing, removed when the file has nothing left to fix or is gone. A report that
    cannot be written is counted and left for the next run; it never stops the others."""
    where = "where source_system = ?" if source else ""
    params = [source] if source else []
    lines = con.execute(_LINES.format(where=where), params).df()
    done = {
        (s, f): (p, h)
        for s, f, p, h in con.execute(
            f"select source_system, source_file, report_path, content_hash from audit.unit_reports {where}", params
        ).fetchall()
    }
    counts = {"written": 0, "unchanged": 0, "removed": 0, "failed": 0}
    now = dt.datetime.now()
    wanted = set()
    for (src, rel), rows in lines.groupby(["source_system", "source_file"], sort=False):
        wanted.add((src, rel))
        table = [_line(rel, r) for r in rows.itertuples(index=False)]
        digest = hashlib.sha256(json.dumps([_LAYOUT, table], ensure_ascii=False, default=str).encode()).hexdigest()
        path = report_path(publish, rel)
        if done.get((src, rel)) == (str(path), digest) and path.exists():
            counts["unchanged"] += 1
            continue
        try:
            _write(path, src, rel, table)
        except OSError:
            counts["failed"] += 1
            continue
        con.execute("delete from audit.unit_reports where source_system = ? and source_file = ?", [src, rel])
        con.execute(
            "insert into audit.unit_reports values (?, ?, ?, ?, ?, ?, ?)",
            [src, rel, str(path), digest, len(table), now, run_id],
        )
        counts["written"] += 1
    for (src, rel), (path, _) in done.items():
        if (src, rel) not in wanted:
            Path(path).unlink(missing_ok=True)
            con.execute("delete from audit.unit_reports where source_system = ? and source_file = ?", [src, rel])
            counts["removed"] += 1
    return counts


def _line(rel: str, r) -> list:
    sheet = r.sheet if isinstance(r.sheet, str) and r.sheet else ("（整个文件）" if r.part == 0 else "")
    row = "" if pd.isna(r.row_number) else int(r.row_number)
    value = "" if r.value is None or (isinstance(r.value, float) and pd.isna(r.value)) else str(r.value)
    return [
        rel,
        sheet,
        row,
        r.field or "",
        r.code,
        _OUTCOME_ZH.get(r.outcome, r.outcome),
        r.message or "",
        value,
        row_fields(r.row_values),
    ]


def _write(path: Path, source: str, rel: str, table: list[list]) -> None:
    """The report: one line per finding under a frozen, filtered header, the refused row's own values
    beside it, one column per field as the file named it; then the 说明 sheet."""
    fields = _field_columns(table)
    book = Workbook()
    sheet = book.active
    sheet.title = "退回说明"
    sheet.append(safe_row(list(REPORT_HEADERS) + [header for _, header in fields]))  # a file's headers too
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for *line, values in table:
        sheet.append(safe_row(line + [values.get(field) or None for field, _ in fields]))
    for n, width in enumerate((30, 14, 8, 18, 26, 22, 60, 24) + (14,) * len(fields), start=1):
        sheet.column_dimensions[get_column_letter(n)].width = width
    for row in sheet.iter_rows(min_row=2):
        row[6].alignment = Alignment(wrap_text=True, vertical="top")
    finish_sheet(sheet)
    write_notes(book, _notes(source, rel, bool(fields)))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{hashlib.sha1(path.name.encode()).hexdigest()[:12]}.tmp")
    book.save(tmp)
    tmp.replace(path)


def _field_columns(table: list[list]) -> list[tuple[str, str]]:
    """The refused rows' fields in the order the file gave them (a field first seen in a later row goes
    after the field before it in that row), each with its column header: the field's own name, marked
    （原表） where it is also one of the report's headers."""
    fields: list[str] = []
    for line in table:
        before = None
        for field in line[-1]:
            if field not in fields:
                fields.insert(fields.index(before) + 1 if before is not None else 0, field)
            before = field
    return [(f, f"{f}（原表）" if f in REPORT_HEADERS else f) for f in fields]


def _notes(source: str, rel: str, shows_rows: bool) -> list[tuple[str, str]]:
    """The 说明 sheet's lines, in the words of the staff who dropped the file."""
    lines = [
        ("文件", rel),
        ("报送文件夹", folder_zh(source)),
        ("结果", "“退回说明”表中的各项未能采用或需要更正；文件中其余各行已正常导入。"),
        (
            "怎么改",
            "请按“问题说明及修改方法”修改原文件，修改后用同名文件放回原报送文件夹即可（不必删除旧文件）；"
            "下次运行后本说明会更新，全部改好后本说明自动消失。",
        ),
    ]
    if shows_rows:
        lines.append(
            ("原行内容", "“原值”之后各列是未能导入的那一行在原文件中的内容，列名与原文件表头相同，便于查找该行。")
        )
    lines += [
        ("筛选", "第一行是表头，已冻结；可用表头上的筛选按钮按问题代码、工作表等筛选。"),
        ("联系", ASK),
    ]
    return lines
