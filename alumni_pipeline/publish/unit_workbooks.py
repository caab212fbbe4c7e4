"""Each unit's workbook of its own alumni, published once the quality gate has passed.

The units' workbooks are written whole into a hidden folder that then replaces `units/`; a unit whose
workbook fails is reported and keeps its previous one, and the others are written all the same.
Every value leaves through `cell_safety.safe_row`: never a formula, never a control character.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path

import duckdb
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ..cell_safety import safe_row
from ..config import UNIT_WORKBOOK, Published

log = logging.getLogger(__name__)

UNIT_COLUMNS = {  # marts.unit_alumni column -> the header unit staff know
    "alumni_id": "校友编号",
    "name": "姓名",
    "gender": "性别",
    "birth_date": "出生日期",
    "education_level": "学历",
    "enrol_date": "入校时间",
    "grad_date": "毕业时间",
    "department_as_recorded": "毕业院系",
    "major": "专业",
    "employer": "现工作单位",
    "position": "职务",
    "mobile": "手机",
    "email": "电子邮箱",
    "address": "通讯地址",
    "postcode": "邮政编码",
    "id_number_masked": "身份证号",
    "is_complete": "信息是否完整",
    "missing_fields": "缺少信息",
}
_WIDTHS = {
    "alumni_id": 14,
    "department_as_recorded": 18,
    "major": 18,
    "employer": 22,
    "email": 26,
    "address": 30,
    "id_number_masked": 21,
    "missing_fields": 30,
}


@dataclass
class UnitWorkbooks:
    """What `write_unit_workbooks` did: rows per unit written, and the units whose workbook failed
    (with the error; each keeps its previous workbook, if it had one)."""

    written: dict[str, int] = dataclass_field(default_factory=dict)
    failed: dict[str, str] = dataclass_field(default_factory=dict)


def write_unit_workbooks(con: duckdb.DuckDBPyConnection, publish: Path, run_id: str) -> UnitWorkbooks:
    """`units/<unit_code>/<unit_code>_校友名单.xlsx` for each unit with alumni, holding only its own;
    the workbook of a unit that has none left is removed. The set is written into a hidden folder
    that replaces `units/` at the end, so a run that stops half-way leaves the previous set whole. A
    unit whose workbook fails is logged and reported, keeps its previous workbook, and stops no other."""
    frame = con.sql(f"""
        select unit_code, unit_name, {", ".join(UNIT_COLUMNS)} from marts.unit_alumni
        order by unit_code, grad_date nulls last, name, alumni_id""").df()
    frame["gender"] = frame["gender"].map({"M": "男", "F": "女"})
    frame["is_complete"] = frame["is_complete"].map({True: "是", False: "否"})
    live = Published(publish).units
    _recover_folder(live)
    incoming = live.with_name(f".{live.name}-incoming-{run_id[:8]}")
    shutil.rmtree(incoming, ignore_errors=True)
    incoming.mkdir(parents=True)
    result = UnitWorkbooks()
    for unit, rows in frame.groupby("unit_code", sort=True):
        name = Path(unit) / UNIT_WORKBOOK.format(unit=unit)
        try:
            _write_workbook(incoming / name, rows, unit, rows["unit_name"].iloc[0], run_id)
            result.written[unit] = len(rows)
        except Exception as exc:
            log.exception("unit %s: its workbook could not be written; the previous one stays", unit)
            result.failed[unit] = f"{type(exc).__name__}: {exc}"[:300]
            for partial in (incoming / unit).glob(".*.tmp"):
                partial.unlink()
            if (live / name).is_file():
                (incoming / unit).mkdir(parents=True, exist_ok=True)
                shutil.copy2(live / name, incoming / name)
    _replace_folder(incoming, live)
    return result


def _recover_folder(live: Path) -> None:
    """Put back the previous set if a run stopped between the two renames of `_replace_folder`."""
    previous = live.with_name(f".{live.name}-previous")
    if not live.exists() and previous.exists():
        previous.rename(live)
    shutil.rmtree(previous, ignore_errors=True)
    for leftover in live.parent.glob(f".{live.name}-incoming-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def _replace_folder(incoming: Path, live: Path) -> None:
    """Swap a fully written folder in for the live one: readers see the old set or the new one."""
    previous = live.with_name(f".{live.name}-previous")
    if live.exists():
        live.rename(previous)
    incoming.rename(live)
    shutil.rmtree(previous, ignore_errors=True)


def _bold(sheet, value: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value)
    cell.font = Font(bold=True)
    return cell


def _write_workbook(path: Path, rows: pd.DataFrame, unit: str, unit_name: str | None, run_id: str) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("校友名单")
    for n, field in enumerate(UNIT_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(n)].width = _WIDTHS.get(field, 12)
    sheet.append([_bold(sheet, header) for header in UNIT_COLUMNS.values()])
    for record in rows[list(UNIT_COLUMNS)].itertuples(index=False):
        sheet.append(safe_row(None if v is None or (isinstance(v, float) and pd.isna(v)) else v for v in record))
    notes = book.create_sheet("说明")
    for line in (
        f"单位：{unit_name or unit}（{unit}）",
        f"校友人数：{len(rows)}",
        f"生成时间：{dt.datetime.now():%Y-%m-%d %H:%M}（运行 {run_id}）",
        "本表只含本单位的校友：在本单位学习过（按专业当前所属单位）、工作过或作为访问学者、客座教授由本单位接待的校友。",
        "学历、入校时间、毕业时间、毕业院系、专业为该校友在本单位最近一段学习经历。",
        "身份证号只显示前六位和后四位；“信息是否完整”按校友信息收集方案的字段判断，缺少的字段列在“缺少信息”中。",
        "本表含校友个人信息，仅供本单位校友工作使用，请妥善保管，不得外传。更正信息请通过 unit_updates 文件夹报送。",
    ):
        notes.append(safe_row([line]))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    book.save(tmp)
    os.replace(tmp, path)
