"""Whole runs on hostile drops made here: a small sample world plus formula names and employers, a NUL
in a name, a sheet named '=1+1', a symbolic link to a CSV outside the landing root, a zip bomb, a
two-row header, a BOM header and a second name column, run by two `alumni run` started at once; and
5,000 copies of one row, which blocking must not pair all-to-all."""

from __future__ import annotations

import csv
import glob
import io
import json
import re
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import duckdb
import openpyxl
import pytest
from conftest import SAMPLE_AS_OF, pipeline_environment
from openpyxl import load_workbook

from orchestration.cli import WAITING

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("hostile")]

ALUMNI = [sys.executable, "-m", "orchestration.cli"]
DBT_TARGET = Path(__file__).resolve().parents[1] / "dbt_project" / "target"
FORMULA = re.compile(r"^[=+\-@\t\r]")


def environment(root: Path) -> dict:
    return pipeline_environment(root, as_of=SAMPLE_AS_OF).subprocess_env()


def text_workbook(path: Path, sheets: dict[str, list[list]], merges: dict[str, tuple[str, ...]] | None = None) -> None:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        for cell in (c for line in sheet.iter_rows() for c in line if isinstance(c.value, str)):
            cell.data_type = "s"  # as typed into a text cell, formula-looking or not
        for cells in (merges or {}).get(title, ()):
            sheet.merge_cells(cells)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


def zip_bomb(path: Path, expanded: int = 64 * 2**20) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            for _ in range(expanded // 2**20):
                sheet.write(b"\0" * 2**20)


def hostile_drops(root: Path) -> None:
    """The hostile files, beside a sample world's drops."""
    folder = root / "raw_drops" / "unit_updates"
    header = ["姓名", "性别", "毕业院系", "专业", "毕业时间", "现工作单位", "手机"]
    (folder / "恶意.csv").write_bytes(
        "\n".join(
            [
                ",".join(header),
                '"=HYPERLINK(""http://x"",""点我"")",男,文学院,汉语言文学,2015,某公司,',
                "=1+2,女,文学院,汉语言文学,2015,某公司,",
                "=cmd|' /C calc'!A0,男,文学院,汉语言文学,2015,某公司,",
                "+王五,男,文学院,汉语言文学,2015,某公司,",
                "@赵六,男,文学院,汉语言文学,2015,某公司,",
                "-韩梅梅,女,文学院,汉语言文学,2015,某公司,",
                '欧阳\x00娜娜,女,文学院,汉语言文学,2015,"=HYPERLINK(""http://x"",""点我"")",13900001111',
                "13800001111,男,文学院,\x07汉语言文学,2015,\x1b公司,",
            ]
        ).encode()
        + b"\n"
    )
    text_workbook(
        folder / "公式工作表.xlsx",
        {
            "=1+1": [
                header,
                ["司马光明", "男", "历史系", "历史学", "2010", "+86公司", ""],
                ["=SUM(1)", "女", "历史系", "历史学", "2010", "", ""],
            ]
        },
    )
    text_workbook(
        folder / "两行表头.xlsx",
        {
            "名单": [
                ["姓名", "联系方式", None, "学籍信息", None, None],
                [None, "手机", "电子邮箱", "毕业院系", "入校时间", "毕业时间"],
                ["上官婉清", "13912345678", "sgwq@example.com", "物理系", "2008", "2012"],
            ]
        },
        merges={"名单": ("A1:A2", "B1:C1", "D1:F1")},
    )
    (folder / "表头BOM.csv").write_bytes(
        "\ufeff学号,\ufeff姓名,性\u200b别,毕业院系,毕业时间\n,诸葛明月,女,化学系,2011\n".encode("utf-8")
    )
    (folder / "两个姓名.csv").write_text(
        "姓名,性别,姓名,毕业院系,毕业时间\n慕容秋水,女,慕容秋水,数学系,2009\n", encoding="utf-8"
    )
    outside = root / "outside"
    outside.mkdir()
    (outside / "外部.csv").write_text("姓名,性别,毕业院系,毕业时间\n外部来客,男,物理系,2012\n", encoding="utf-8")
    (folder / "外部.csv").symlink_to(outside / "外部.csv")
    zip_bomb(folder / "炸弹.xlsx")


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    """A 300-person sample world with the hostile drops, run by two `alumni run` started together."""
    root = tmp_path_factory.mktemp("hostile")
    env = environment(root)
    subprocess.run(
        [*ALUMNI, "sample", "--out", env["ALUMNI_DROPS"], "--persons", "300", "--seed", "7"],
        env=env,
        check=True,
        capture_output=True,
    )
    hostile_drops(root)
    logs = [(root / f"run{n}.out", root / f"run{n}.err") for n in range(2)]  # files: a full pipe would stall a run
    runs = []
    for out, err in logs:
        with open(out, "w") as stdout, open(err, "w") as stderr:
            runs.append(subprocess.Popen([*ALUMNI, "run"], env=env, stdout=stdout, stderr=stderr))
    codes = [run.wait(timeout=1500) for run in runs]
    outputs = [(out.read_text(), err.read_text()) for out, err in logs]
    return {
        "root": root,
        "codes": codes,
        "outputs": outputs,
        "warehouse": Path(env["ALUMNI_WAREHOUSE"]),
        "publish": Path(env["ALUMNI_PUBLISH"]),
    }


def test_two_runs_started_together_both_finish_one_after_the_other(hostile_run):
    assert hostile_run["codes"] == [0, 0], [err[-3000:] for _, err in hostile_run["outputs"]]
    waited = [err.count(WAITING) for _, err in hostile_run["outputs"]]
    assert sorted(waited) == [0, 1]  # the second said so, once


def test_hostile_files_are_refused_or_loaded_as_they_should(hostile_run):
    with duckdb.connect(str(hostile_run["warehouse"]), read_only=True) as con:
        files = dict(
            con.execute(
                "select source_file, coalesce(reason_code, status) from audit.files "
                "where source_system = 'unit_updates' and source_file not like '%sample%'"
            ).fetchall()
        )
        refused = {
            r
            for (r,) in con.execute(
                "select source_row from audit.refused_rows where source_file = 'unit_updates/恶意.csv'"
            ).fetchall()
        }
        names = {n for (n,) in con.execute("select name from marts.alumni").fetchall()}
        loaded = {n for (n,) in con.execute("select name from raw.unit_updates").fetchall()}
        warnings = {
            (f, c) for f, c in con.execute("select source_file, reason_code from audit.row_warnings").fetchall()
        }
    assert files["unit_updates/外部.csv"] == "FILE_SYMLINK" and files["unit_updates/炸弹.xlsx"] == "FILE_TOO_LARGE"
    assert refused == {2, 3, 4, 5, 6, 7, 9}  # six formulas and a phone number; never cleaned into a name
    assert {"欧阳娜娜", "司马光明", "上官婉清", "诸葛明月", "慕容秋水"} <= loaded
    assert {
        ("unit_updates/恶意.csv", "CELL_CONTROL_CHARS"),
        ("unit_updates/两个姓名.csv", "HEADER_DUPLICATE_NAME"),
    } <= warnings
    assert "欧阳娜娜" in names and "外部来客" not in names | loaded
    assert not [n for n in names if FORMULA.match(n) or "\x00" in n or n.startswith("=")]


def test_nothing_published_is_a_formula(hostile_run):
    publish = hostile_run["publish"]
    workbooks = sorted(publish.rglob("*.xlsx"))
    assert any(p.parent.name == "unit_updates" for p in workbooks) and any("units" in p.parts for p in workbooks)
    for path in workbooks:
        for sheet in load_workbook(path).worksheets:
            cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
            assert not [c.coordinate for c in cells if c.data_type == "f"], path
            assert not [
                c.value for c in cells if isinstance(c.value, str) and (FORMULA.match(c.value) or "\x00" in c.value)
            ], path
    tables = sorted(publish.rglob("*.csv"))
    assert tables
    for path in tables:
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
        assert not [v for row in rows for v in row if FORMULA.match(v) or "\x00" in v], path
    wall = publish / "alumni_wall" / (publish / "alumni_wall" / "LATEST").read_text(encoding="utf-8").strip()
    assert "外部来客" not in (wall / "alumni_wall.csv").read_text(encoding="utf-8")
    assert "欧阳娜娜" in (wall / "alumni_wall.csv").read_text(encoding="utf-8")


def test_unit_workbook_neutralises_a_formula_employer(hostile_run):
    with duckdb.connect(str(hostile_run["warehouse"]), read_only=True) as con:
        unit = con.execute("select unit_code from marts.unit_alumni where name = '欧阳娜娜'").fetchone()[0]
    path = hostile_run["publish"] / "units" / unit / f"{unit}_校友名单.xlsx"
    rows = list(load_workbook(path)["校友名单"].iter_rows(values_only=True))
    row = next(r for r in rows if r[1] == "欧阳娜娜")
    assert '\'=HYPERLINK("http://x","点我")' in row


def test_five_thousand_copies_of_one_row_are_not_paired_all_to_all(tmp_path):
    """One name, one unit, no birth year, 5,000 times: the block is listed as oversized and skipped, the
    matching models stay fast and the run's processes small, and the run publishes (that these records
    give no birth date is a warning to their unit, not a reason to stop the university)."""
    env = environment(tmp_path)
    book = openpyxl.Workbook()
    book.active.append(["姓名", "毕业院系", "信息来源"])
    for _ in range(5000):
        book.active.append(["张伟", "文学院", "返校活动"])
    (tmp_path / "raw_drops" / "unit_updates").mkdir(parents=True)
    book.save(tmp_path / "raw_drops" / "unit_updates" / "5000同名.xlsx")
    done = subprocess.run([*ALUMNI, "run"], env=env, capture_output=True, text=True, timeout=1500)
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    assert done.returncode == 0, done.stderr[-3000:]
    assert peak_kb < 1_000_000, peak_kb  # the largest process of the run (and of this worker's others), KB
    with duckdb.connect(env["ALUMNI_WAREHOUSE"], read_only=True) as con:
        blocks = con.execute("select blocking_rule, block_key, records from matching.int_oversized_blocks").fetchall()
        pairs = con.execute("select count(*) from matching.int_candidate_pairs").fetchone()[0]
        counts = dict(
            con.execute("select blocking_rule, oversized_records from matching.int_blocking_rule_counts").fetchall()
        )
    assert blocks == [("name_unit", "weizhang|LIT", 5000)] and counts["name_unit"] == 5000
    assert pairs < 5000
    run_id = re.search(r"Run ([0-9a-f-]{36})", done.stdout + done.stderr).group(1)
    seconds = 0.0
    for results in glob.glob(str(DBT_TARGET / f"*-{run_id[:7]}-*" / "run_results.json")):
        for model in json.loads(Path(results).read_text())["results"]:
            if model["unique_id"].startswith("model.") and '"matching"' in (model.get("relation_name") or ""):
                seconds += model["execution_time"]
    assert 0 < seconds < 30, seconds
