"""The stewards' review queue as an Excel workbook, one line per undecided person (identity/queue.py):
the person's record and its strongest candidate side by side, the score explained field by field and
what disagrees, the other candidates, a column to decide in; and the decisions read back from
filled-in workbooks (older workbooks, one line per pair, read the same way)."""

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
from ..conform.idcard import masked_id_sql
from ..staff_sheets import ASK, DATE_FORMATS, PRECISION_ZH, finish_sheet, folder_zh, write_notes
from .comparisons import SPEC

SAME, DIFFERENT = "同一人", "不是同一人"
SHEET = "待审核"
WORKBOOK_PERSONS = 200  # the decisions that matter most; the rest wait in identity.review_persons
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
HEADERS = (
    [
        "编号",
        "决定（同一人/不是同一人）",
        "审核人",
        "备注",
        "涉及记录数",
        "上校友墙",
        "涉及单位数",
        "分数",
        "匹配概率",
        "原因",
        "不一致之处",
        "评分说明",
    ]
    + [f"{side}{label}" for side in ("左：", "右：") for _, label in SIDE_FIELDS]
    + ["其他候选（姓名，出生日期，单位，毕业年份，分数，来源）"]
)
EXPLAIN_COLUMN = HEADERS.index("评分说明")


def explain(row: pd.Series) -> str:
    """'姓名 相同 +10.6；出生日期 缺失 +0.0；…': what each comparison said and what it weighed."""
    said = SPEC.explain_zh(row)
    if row["class_namesakes"] > 1:
        said += f"；档案中同班同名 {int(row['class_namesakes'])} 人 {row['namesake_weight']:+.1f}"
    return said


def disagreements(row: pd.Series) -> str:
    """The comparisons that speak against the pair ('出生日期 不同；单位和专业 单位不同'), or '无'."""
    parts = []
    for c in SPEC.comparisons:
        if row[f"{c.name}_weight"] < 0:
            value = int(row[f"{c.name}_level"])
            parts.append(f"{c.label_zh} {next(lv.label_zh for lv in c.levels if lv.value == value)}")
    return "；".join(parts) or "无"


_RECORDS_SQL = f"""
    select record_id, record_key, name, gender, {typed_date_sql("birth_date", "birth_date")},
           unit_code, major_key, grad_year,
           concat_ws(' ', native_province, native_city) as native_place,
           {masked_id_sql("id_number")} as id_masked
    from matching.int_identity_records
    where record_id in (  -- ids cast: the queue of a run with nothing to review has untyped columns
        select subject_id::varchar from identity.review_queue where person_number <= $limit
        union select candidate_id::varchar from identity.review_queue where person_number <= $limit)
"""


def queue_frame(con: duckdb.DuckDBPyConnection, limit: int) -> pd.DataFrame:
    """The first `limit` persons of the queue, each with its strongest candidate beside it and the
    others listed (`others`)."""
    pairs = con.sql(
        "select * from identity.review_queue where person_number <= ? order by pair_number", params=[limit]
    ).df()
    persons = con.sql(
        "select person_number, records_settled, on_wall, units from identity.review_persons "
        "where person_number <= ? order by person_number",
        params=[limit],
    ).df()
    people = con.sql(_RECORDS_SQL, params={"limit": limit}).df().set_index("record_id")
    first = pairs[pairs.candidate == 1].set_index("person_number").loc[persons.person_number].reset_index()
    others = {
        number: "\n".join(
            f"{_text(people.at[c, 'name'])}，{_date_text(people.at[c, 'birth_date'], people.at[c, 'birth_date_precision'])}，{_text(people.at[c, 'unit_code'])}，"
            f"{_text(people.at[c, 'grad_year'])}，{w:+.1f}，{people.at[c, 'record_key']}"
            for c, w in zip(group.candidate_id, group.match_weight)
        )
        for number, group in pairs[pairs.candidate > 1].groupby("person_number")
    }
    sides = [
        people.loc[first[f"{side}_id"]].reset_index(drop=True).add_prefix(f"{who}_")
        for side, who in (("subject", "left"), ("candidate", "right"))
    ]
    frame = pd.concat([first.drop(columns=["records_settled", "on_wall", "units"], errors="ignore"), *sides], axis=1)
    frame = frame.merge(persons, on="person_number")
    frame["others"] = frame.person_number.map(others)
    return frame


def write_review_workbook(con: duckdb.DuckDBPyConnection, path: Path, limit: int = WORKBOOK_PERSONS) -> int:
    """The queue's first `limit` persons (the decisions that settle most first) as a workbook stewards
    fill in, one line per person. Decided persons leave the queue, so each run's workbook goes on
    where the last one's decisions stopped."""
    frame = queue_frame(con, limit)
    queued = con.sql("select count(*) from identity.review_persons").fetchone()[0]
    settled = con.sql("select count(*) from identity.review_settled").fetchone()[0]
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
                    int(row.person_number),
                    None,
                    None,
                    None,
                    int(row.records_settled),
                    "是" if row.on_wall else "否",
                    int(row.units),
                    float(row.match_weight),
                    float(row.match_probability),
                    REASONS_ZH[row.reason],
                    disagreements(row),
                    explain(row),
                ]
                + [_cell(row[f"{side}_{f}"]) for side in ("left", "right") for f, _ in SIDE_FIELDS]
                + [_cell(row.others)]
            )
        )
        _format_dates(sheet)
    last = max(sheet.max_row, 2)
    choice = DataValidation(type="list", formula1=f'"{SAME},{DIFFERENT}"', allow_blank=True)
    sheet.add_data_validation(choice)
    choice.add(f"B2:B{last}")
    widths = dict(zip("ABCDEFGHIJKL", (6, 14, 8, 16, 8, 8, 8, 7, 8, 26, 30, 70)))
    for col, width in widths.items():
        sheet.column_dimensions[col].width = width
    for row in sheet.iter_rows(min_row=2, min_col=EXPLAIN_COLUMN, max_col=EXPLAIN_COLUMN + 1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    finish_sheet(sheet)
    sheet.freeze_panes = "C2"  # the header, and each person's number and decision beside the records
    write_notes(
        book,
        [
            (
                "本表内容",
                f"待审核共 {queued} 人，本表按决定能确定的记录数从多到少列出前 {len(frame)} 人；已决定的不再列出，"
                "其余在以后的运行中依次列出。",
            ),
            (
                "无需审核",
                f"另有 {settled} 对记录已由证据（两个不同的身份证号、出生日期冲突、已有的审核决定等）确定，无需审核。",
            ),
            (
                "每一行",
                "每行是一位校友：左边是这位校友的一条记录，右边是最可能与其为同一人的记录，其他可能的记录列在最后一列。",
            ),
            ("怎么填", "请在“决定”列选择“同一人”或“不是同一人”（指左右两条记录），可填写审核人和备注；不确定的留空。"),
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


_DATE_TEXT = {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}


def _date_text(value, precision) -> str:
    """A typed date as text at its precision ('1961', '1955-06'), for the other candidates' column."""
    value = _cell(value)
    return "" if value is None else value.strftime(_DATE_TEXT.get(precision, "%Y-%m-%d"))


def _text(value) -> str:
    value = _cell(value)
    return "" if value is None else str(value)


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
