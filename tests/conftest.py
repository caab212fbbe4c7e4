"""Shared fixtures: messy files built the way units really make them, and a throwaway project."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest


def messy_workbook(path: Path, sheets: dict[str, list[list]] | None = None) -> Path:
    """A class list as a school sends it: a merged title, a unit line, a numbered header with variant
    names and an unknown column, Excel dates and numbers, a blank row, a repeated header, a row with
    no name, totals and footer rows."""
    sheets = sheets or {"2003级1班": MESSY_ROWS}
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        sheet["A1"] = "兰州大学2003届本科毕业生名单"
        sheet.merge_cells("A1:H1")
        sheet["A2"] = "学院：中文系"
        for row in rows:
            sheet.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


MESSY_ROWS = [
    ["序号", "学生姓名", "性别", "出生年月", "身份证号码", "入学年份", "所在院系", "政治面貌"],  # row 3
    [1, "张伟", "男", dt.date(1985, 9, 12), "620102198509121236", 2003, "中文系", "团员"],  # 4
    [2, "李娜", "女", "1985.9", 620102198509121000.0, 2003.0, "中文系", None],  # 5: ID kept as a number
    [3, "王　伟", "1", "1985年9月", "6.20102E+17", "2003", "中文系", None],  # 6: ID in scientific notation
    [None] * 8,  # 7
    [4, None, "女", "1986-01-02", None, 2003, "中文系", None],  # 8: no name
    ["序号", "姓名", "性别", "出生日期", "身份证号", "入学时间", "院系", "政治面貌"],  # 9
    [5, "單雄信", "M", "19850101", 620102850101123, 2003, "中文系", None],  # 10: 15-digit ID as number
    [6, "13800001111", "男", None, None, 2003, "中文系", None],  # 11: a phone in the name column
    ["合计", "5人"],  # 12
    ["制表人：张老师", None, None, "日期：2003-07-01"],  # 13
]
MESSY_LOADED_ROWS = [4, 5, 6, 10]


def docx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document><w:body><w:p>校友名单见附件</w:p></w:body></w:document>")
    return buf.getvalue()


PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A fresh landing root, warehouse and publish folder, wired through the contract's variables."""
    for name, sub in (
        ("ALUMNI_DROPS", "raw_drops"),
        ("ALUMNI_WAREHOUSE", "warehouse/alumni.duckdb"),
        ("ALUMNI_PUBLISH", "published"),
    ):
        monkeypatch.setenv(name, str(tmp_path / sub))
    monkeypatch.setenv("ALUMNI_SETTLE_SECONDS", "0")
    monkeypatch.setenv("GX_ANALYTICS_ENABLED", "false")
    (tmp_path / "raw_drops").mkdir()
    from alumni_pipeline.config import Paths

    return Paths.from_env()


SAMPLE_AS_OF = "2025-06-30"  # the sample's "now": its last collection round is March 2025


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory):
    """One whole run on sample data, shared by the end-to-end tests of every stage (they carry the
    xdist group 'pipeline' so one worker makes it): `alumni sample` then `alumni run`."""
    import json
    import os

    from alumni_pipeline.config import Paths
    from orchestration.cli import main

    root = tmp_path_factory.mktemp("pipeline")
    env = {
        "ALUMNI_DROPS": str(root / "raw_drops"),
        "ALUMNI_WAREHOUSE": str(root / "warehouse" / "alumni.duckdb"),
        "ALUMNI_PUBLISH": str(root / "published"),
        "ALUMNI_SETTLE_SECONDS": "0",
        "GX_ANALYTICS_ENABLED": "false",
        "ALUMNI_AS_OF": SAMPLE_AS_OF,
    }
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        assert main(["sample", "--out", env["ALUMNI_DROPS"], "--persons", "400", "--seed", "7"]) == 0
        exit_code = main(["run"])
        paths = Paths.from_env()
    finally:
        for k, v in saved.items():
            os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v)
    manifest = json.loads((paths.drops / "sample_manifest.json").read_text(encoding="utf-8"))
    return {"paths": paths, "exit_code": exit_code, "manifest": manifest, "root": root}
