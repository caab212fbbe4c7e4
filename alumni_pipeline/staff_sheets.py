"""What every workbook the staff read looks like, written once for all of them (units' workbooks,
refusal reports, the stewards' review queue, the landing folders' templates): a frozen header row
with a filter over the data, dates as real Excel dates with a precision column where only a year or
a month is known, and a 说明 sheet in the staff's own words (their folder's Chinese name, who to ask).

Dates arrive typed from SQL (`alumni_pipeline/conform/dates.py`, `typed_date_sql`): a date, the
first day it names, and its precision, 'day', 'month' or 'year' (`1955-06` -> 1955-06-01, month),
which a workbook shows as 日, 月 or 年 and formats as yyyy-mm-dd, yyyy-mm or yyyy.
"""

from __future__ import annotations

from .sources import SOURCES

PRECISION_ZH = {"day": "日", "month": "月", "year": "年"}
DATE_FORMATS = {"day": "yyyy-mm-dd", "month": "yyyy-mm", "year": "yyyy"}
DATA_DESK = "校友总会办公室数据组"  # who staff ask: the alumni office's data desk
ASK = f"有疑问请联系{DATA_DESK}（兰州大学校友总会办公室）。"
NOTES_HEADER = ("项目", "说明")
_OTHER_FOLDERS = {"steward_review": "校友身份审核", "opt_out": "校友退出名单（校友墙）"}  # raw_drops/*/README.md


def folder_zh(source: str) -> str:
    """A landing folder as the staff know it: '「档案馆（学籍档案）」报送文件夹（文件夹名 archives）'."""
    name = SOURCES[source]["zh"] if source in SOURCES else _OTHER_FOLDERS.get(source)
    return f"「{name}」报送文件夹（文件夹名 {source}）" if name else f"报送文件夹 {source}"


def finish_sheet(sheet) -> None:
    """An openpyxl sheet whose first row is its header: the header frozen and a filter over the data."""
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{sheet.cell(row=max(sheet.max_row, 1), column=max(sheet.max_column, 1)).coordinate}"


def write_notes(book, lines: list[tuple[str, str]], bold=None, title: str = "说明") -> None:
    """The 说明 sheet of an openpyxl workbook: one (topic, text) per line under a header, frozen and
    filtered like every other sheet."""
    from openpyxl.styles import Alignment, Font

    from .cell_safety import safe_row

    notes = book.create_sheet(title)
    notes.append(list(NOTES_HEADER))
    for cell in notes[1]:
        cell.font = bold or Font(bold=True)
    for line in lines:
        notes.append(safe_row(list(line)))
    notes.column_dimensions["A"].width = 14
    notes.column_dimensions["B"].width = 100
    for _, text in notes.iter_rows(min_row=2):
        text.alignment = Alignment(wrap_text=True, vertical="top")
    finish_sheet(notes)
