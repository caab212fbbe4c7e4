"""Per-file reports that tell a unit, in Chinese, what was refused in its drop and how to fix it."""
from __future__ import annotations

import json
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from .cell_safety import safe_cell, safe_row
from .readers import FileRead
from .reasons import reason

REPORT_HEADERS = ("文件", "工作表", "行号", "列", "问题代码", "处理结果", "问题说明及修改方法", "原值", "该行内容")
_KIND_ZH = {"refused": "未导入", "warning": "已导入，需更正", "deferred": "暂缓读取"}


def report_rows(rel: str, parsed: FileRead) -> list[tuple]:
    """One line per refused file or sheet, refused row, and row with a damaged value."""
    lines = []
    for f in filter(None, [parsed.refused_file, *parsed.refused_sheets]):
        r = reason(f.code)
        lines.append((rel, f.sheet or "（整个文件）", "", "", f.code,
                      "整个文件未导入" if f is parsed.refused_file else "该工作表未导入", r.zh, f.value, ""))
    for f in parsed.findings:
        r = reason(f.code)
        if r.kind in _KIND_ZH:
            values = json.dumps(f.row_values, ensure_ascii=False) if f.row_values else ""
            lines.append((rel, f.sheet, f.row, f.column, f.code, _KIND_ZH[r.kind], r.zh, f.value, values))
    return lines


def write_unit_report(path: Path, source: str, rel: str, parsed: FileRead) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "退回说明"
    sheet.append([safe_cell(f"兰州大学校友数据 · 提交文件检查结果：{rel}（来源：{source}）")])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(["下列行未能导入或需要更正。请按“问题说明及修改方法”修改原文件后重新放入上报文件夹；其余各行已正常导入。"])
    sheet.append(list(REPORT_HEADERS))
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for line in report_rows(rel, parsed):
        sheet.append(safe_row(line))
    for col, width in zip("ABCDEFGHI", (30, 14, 8, 18, 22, 16, 60, 24, 60)):
        sheet.column_dimensions[col].width = width
    for row in sheet.iter_rows(min_row=4):
        row[6].alignment = Alignment(wrap_text=True, vertical="top")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    book.save(tmp)
    tmp.replace(path)


def remove_unit_report(path: Path) -> None:
    path.unlink(missing_ok=True)
