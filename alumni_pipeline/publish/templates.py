"""The Excel template of each landing folder: the canonical Chinese headers, a sample row to delete,
and the ID column formatted as text so Excel cannot turn ID numbers into 6.20102E+17."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from ..cell_safety import safe_row
from ..config import OPT_OUT_FOLDER
from ..sources import SOURCES
from ..staff_sheets import ASK, finish_sheet, folder_zh, write_notes

TEMPLATE_NAME = "_模板_template.xlsx"
TEXT_COLUMNS = {
    "身份证号",
    "护照号",
    "学号",
    "工号",
    "手机",
    "邮政编码",
    "出生日期",
    "入校时间",
    "毕业时间",
    "校友编号",
}


OPT_OUT_COLUMNS = ["校友编号", "姓名", "身份证号", "申请日期", "备注"]


def write_templates(root: Path) -> list[Path]:
    """The template of each landing folder, and of the alumni office's opt-out list."""
    written = []
    for source, info in SOURCES.items():
        notes = [
            ("报送文件夹", folder_zh(source)),
            ("报送单位", info["who"]),
            ("表头", "第一行为表头，请勿修改列名；不需要的列可以留空，多出的列会原样保留。"),
            ("号码", "身份证号、学号、手机等列已设为“文本”格式，请直接粘贴完整号码。"),
            ("日期", "日期可写 1985-09-12、1985.9、1985年9月 或 1985；不知道日期时只写年份即可。"),
            ("工作表", "一个工作簿可以有多个工作表（如每班一张），每张表都要有表头。"),
            (
                "提交",
                "填好后另存为新文件名，放回本报送文件夹即可；系统会在下次运行时读取，"
                "有问题的行会在与文件同名的“退回说明”表中列出，写明行号和修改方法。",
            ),
            ("联系", ASK),
        ]
        written.append(_template(root / source / TEMPLATE_NAME, info["columns"], notes))
    written.append(
        _template(
            root / OPT_OUT_FOLDER / TEMPLATE_NAME,
            OPT_OUT_COLUMNS,
            [
                ("报送文件夹", folder_zh(OPT_OUT_FOLDER)),
                ("用途", "校友退出名单（校友总会办公室维护）：名单中的校友不会出现在校友墙上。"),
                ("填写", "每行一位校友：填写校友编号（LZU开头，见各单位校友名单），或同时填写姓名和身份证号。"),
                ("表头", "第一行为表头，请勿修改列名；申请日期、备注供办公室记录，可留空。"),
                ("提交", "另存为新文件名（如 2025年退出名单.xlsx）放入本文件夹；下次运行发布校友墙时生效。"),
                ("联系", ASK),
            ],
        )
    )
    return written


def _template(path: Path, columns: list[str], notes: list[tuple[str, str]]) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "名单"
    sheet.append(safe_row(columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        letter = cell.column_letter
        sheet.column_dimensions[letter].width = max(10, 2.2 * len(cell.value) + 4)
        if cell.value in TEXT_COLUMNS:
            for row in range(2, 2001):
                sheet[f"{letter}{row}"].number_format = "@"
    finish_sheet(sheet)
    write_notes(book, notes, title="填写说明")
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path
