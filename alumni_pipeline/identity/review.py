"""The stewards' review queue as an Excel workbook (both records side by side, the score explained
field by field, a column to decide in), and the decisions read back from filled-in workbooks."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.datavalidation import DataValidation
from python_calamine import CalamineWorkbook

from ..cell_safety import safe_row
from ..conform.dates import typed_date_sql
from ..staff_sheets import ASK, DATE_FORMATS, PRECISION_ZH, finish_sheet, folder_zh, write_notes
from .comparisons import SPEC

SAME, DIFFERENT = "同一人", "不是同一人"
SHEET = "待审核"
WORKBOOK_PAIRS = 2000  # a few days' work for a steward; the rest of the queue waits in identity.review_queue
REASONS_ZH = {
    "same_id_apart": "身份证号相同却被识别为两人（姓名或性别等不一致），请优先核对",
    "uncertain": "证据不足，未自动合并",
    "ambiguous": "可能属于两个不同的人，未自动合并",
    "conflict": "有冲突（性别、出生日期、同班名单或同时在读），未自动合并",
}
SIDE_FIELDS = [
    ("record_key", "来源（文件|工作表|行）"),
    ("name", "姓名"),
    ("gender", "性别"),
    ("birth_date", "出生日期"),
    ("birth_date_precision", "出生日期精度"),
    ("id_masked", "身份证号"),
    ("unit_code", "单位"),
    ("major_key", "专业"),
    ("grad_year", "毕业年份"),
    ("native_place", "籍贯"),
]
HEADERS = ["编号", "决定（同一人/不是同一人）", "审核人", "备注", "分数", "匹配概率", "原因", "评分说明"] + [
    f"{side}{label}" for side in ("左：", "右：") for _, label in SIDE_FIELDS
]


def explain(row: pd.Series) -> str:
    """'姓名 相同 +10.6；出生日期 缺失 +0.0；…': what each comparison said and what it weighed."""
    said = SPEC.explain_zh(row)
    if row["class_namesakes"] > 1:
        said += f"；档案中同班同名 {int(row['class_namesakes'])} 人 {row['namesake_weight']:+.1f}"
    return said


def queue_frame(con: duckdb.DuckDBPyConnection, limit: int) -> pd.DataFrame:
    """The first `limit` pairs of the queue with both records beside them."""
    queue = con.sql("select * from identity.review_queue order by pair_number limit ?", params=[limit]).df()
    people = (
        con.sql(
            f"""
        select record_id, record_key, name, gender, {typed_date_sql("birth_date", "birth_date")},
               unit_code, major_key, grad_year,
               concat_ws(' ', native_province, native_city) as native_place,
               case when id_number is null then null
                    else left(id_number, 6) || '********' || right(id_number, 4) end as id_masked
        from matching.int_identity_records
        where record_id in (  -- ids cast: the queue of a run with nothing to review has untyped columns
            select left_id::varchar from identity.review_queue where pair_number <= $limit
            union select right_id::varchar from identity.review_queue where pair_number <= $limit)
        """,
            params={"limit": limit},
        )
        .df()
        .set_index("record_id")
    )
    sides = [
        people.loc[queue[f"{side}_id"]].reset_index(drop=True).add_prefix(f"{side}_") for side in ("left", "right")
    ]
    return pd.concat([queue.reset_index(drop=True), *sides], axis=1)


def write_review_workbook(con: duckdb.DuckDBPyConnection, path: Path, limit: int = WORKBOOK_PAIRS) -> int:
    """The queue's first `limit` pairs (strongest first) as a workbook stewards fill in. Decided pairs
    leave the queue, so each run's workbook goes on where the last one's decisions stopped."""
    frame = queue_frame(con, limit)
    queued = con.sql("select count(*) from identity.review_queue").fetchone()[0]
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for _, row in frame.iterrows():
        sheet.append(
            safe_row(
                [
                    int(row.pair_number),
                    None,
                    None,
                    None,
                    float(row.match_weight),
                    float(row.match_probability),
                    REASONS_ZH[row.reason],
                    explain(row),
                ]
                + [_cell(row[f"{side}_{f}"]) for side in ("left", "right") for f, _ in SIDE_FIELDS]
            )
        )
        _format_dates(sheet)
    choice = DataValidation(type="list", formula1=f'"{SAME},{DIFFERENT}"', allow_blank=True)
    sheet.add_data_validation(choice)
    choice.add(f"B2:B{max(sheet.max_row, 2)}")
    for col, width in zip("ABCDEFGH", (6, 14, 8, 16, 7, 8, 26, 70)):
        sheet.column_dimensions[col].width = width
    for row in sheet.iter_rows(min_row=2, min_col=8, max_col=8):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    finish_sheet(sheet)
    sheet.freeze_panes = "C2"  # the header, and each pair's number and decision beside its records
    write_notes(
        book,
        [
            (
                "本表内容",
                f"待审核共 {queued} 对，本表按分数从高到低列出前 {len(frame)} 对；已决定的不再列出，其余在以后的运行中依次列出。"
                "每行是一对可能属于同一校友的记录，系统没有把握自动合并。",
            ),
            ("怎么填", "请在“决定”列选择“同一人”或“不是同一人”，可填写审核人和备注；不确定的留空。"),
            (
                "日期",
                "出生日期是Excel日期；“出生日期精度”为“月”或“年”时只知道年月或年份（显示为1955-06或1961）。",
            ),
            (
                "交回",
                f"填好后把本文件放入{folder_zh('steward_review')}，下次运行时读取，决定优先于系统评分，并一直有效。",
            ),
            ("联系", ASK),
        ],
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    book.save(tmp)
    tmp.replace(path)
    return len(frame)


def _format_dates(sheet) -> None:
    """The last row's birth dates (real dates, typed in SQL) formatted at their precision, and the
    precision beside them in Chinese."""
    row = sheet.max_row
    for column, header in enumerate(HEADERS, start=1):
        if header.endswith("出生日期"):
            date_cell, precision_cell = sheet.cell(row, column), sheet.cell(row, column + 1)
            precision = precision_cell.value
            precision_cell.value = PRECISION_ZH.get(precision)
            if date_cell.value is not None and precision in DATE_FORMATS:
                date_cell.number_format = DATE_FORMATS[precision]


def _cell(value):
    """A pandas value as openpyxl takes it: missing values (None, NaN, pd.NA) as empty cells."""
    if pd.api.types.is_scalar(value) and pd.isna(value):
        return None
    return value.item() if hasattr(value, "item") else value


def read_review_decisions(folder: Path) -> pd.DataFrame:
    """Decisions from every filled-in review workbook in `folder`: one row per decided pair."""
    rows = []
    for path in sorted(folder.glob("*.xlsx")) if folder.is_dir() else []:
        if path.name.startswith(("~$", ".")) or path.is_symlink():  # the landing root is a boundary
            continue
        book = CalamineWorkbook.from_path(str(path))
        if SHEET not in book.sheet_names:
            continue
        cells = book.get_sheet_by_name(SHEET).to_python()
        header = [str(c) for c in cells[0]]
        col = {h: i for i, h in enumerate(header)}
        left, right = col["左：来源（文件|工作表|行）"], col["右：来源（文件|工作表|行）"]
        for line in cells[1:]:
            decision = str(line[col[HEADERS[1]]]).strip()
            if decision in (SAME, DIFFERENT):
                rows.append(
                    {
                        "left_ref": str(line[left]),
                        "right_ref": str(line[right]),
                        "decision": "must_link" if decision == SAME else "cannot_link",
                        "origin": path.name,
                        "decided_by": str(line[col["审核人"]] or ""),
                        "note": str(line[col["备注"]] or ""),
                    }
                )
    return pd.DataFrame(rows, columns=["left_ref", "right_ref", "decision", "origin", "decided_by", "note"])
