"""Publishing hostile values from a small warehouse made here: formulas and control characters never
reach a workbook or the wall's CSV as such, and one unit's failed workbook stops no other."""

from __future__ import annotations

import csv
import io

import duckdb
import pytest
from openpyxl import load_workbook

from alumni_pipeline.publish import unit_workbooks as publish
from alumni_pipeline.publish.unit_workbooks import DATE_COLUMNS, UNIT_COLUMNS, write_unit_workbooks
from alumni_pipeline.publish.wall import WALL_COLUMNS, publish_wall

HOSTILE = ['=HYPERLINK("http://x","点我")', "+王五", "@赵六", "-韩梅梅", "=cmd|' /C calc'!A0", "张\x00伟\x07"]


@pytest.fixture
def con():
    """marts.unit_alumni of three units, the first with hostile values, and a wall's tables."""
    con = duckdb.connect()
    con.execute("create schema marts; create schema reference")
    columns = ", ".join(
        f"{c} {'date' if c in DATE_COLUMNS else 'varchar'}"
        for c in UNIT_COLUMNS
        if c not in ("is_complete", "unit_name")
    )
    con.execute(
        f"create table marts.unit_alumni (unit_code varchar, unit_name varchar, {columns}, is_complete boolean)"
    )
    for n, (unit, value) in enumerate([("LIT", v) for v in HOSTILE] + [("PHY", "李娜"), ("CHE", "王芳")]):
        con.execute(
            "insert into marts.unit_alumni (unit_code, unit_name, alumni_id, name, employer, gender, is_complete) "
            "values (?, ?, ?, ?, ?, 'F', false)",
            [unit, f"{unit}学院", f"LZU{n:08d}", value, value],
        )
    con.execute("create table marts.alumni as select alumni_id, name, gender from marts.unit_alumni")
    con.execute(
        "create table marts.alumni_education as select alumni_id, '本科' as education_level, 2010 as enrol_year, "
        "2014 as grad_year, unit_code, employer as department_as_recorded, name as major from marts.unit_alumni"
    )
    con.execute(
        "create table reference.units as select distinct unit_code, unit_name as unit_name_zh from marts.unit_alumni"
    )
    yield con
    con.close()


def cells(path):
    return [
        c for sheet in load_workbook(path).worksheets for row in sheet.iter_rows() for c in row if c.value is not None
    ]


def test_unit_workbooks_hold_no_formula_and_no_control_character(con, tmp_path):
    result = write_unit_workbooks(con, tmp_path, "run-1")
    assert result.written == {"CHE": 1, "LIT": len(HOSTILE), "PHY": 1} and not result.failed
    written = cells(tmp_path / "units" / "LIT" / "LIT_校友名单.xlsx")
    assert not [c.coordinate for c in written if c.data_type == "f"]
    values = {c.value for c in written}
    assert {'\'=HYPERLINK("http://x","点我")', "'+王五", "'@赵六", "'-韩梅梅", "张伟"} <= values
    assert not [v for v in values if isinstance(v, str) and "\x00" in v]


def test_one_units_failed_workbook_is_reported_and_the_others_written(con, tmp_path, monkeypatch):
    write_unit_workbooks(con, tmp_path, "run-1")
    before = (tmp_path / "units" / "PHY" / "PHY_校友名单.xlsx").read_bytes()
    real = publish._write_workbook

    def failing(path, rows, unit, *args):
        if unit == "PHY":
            raise ValueError("disk trouble")
        real(path, rows, unit, *args)

    monkeypatch.setattr(publish, "_write_workbook", failing)
    con.execute("update marts.unit_alumni set position = '教授'")  # every unit changed: none carried over
    result = write_unit_workbooks(con, tmp_path, "run-2")
    assert set(result.written) == {"CHE", "LIT"} and result.failed == {"PHY": "ValueError: disk trouble"}
    assert (tmp_path / "units" / "PHY" / "PHY_校友名单.xlsx").read_bytes() == before  # keeps its last good one
    assert sorted(p.name for p in tmp_path.iterdir()) == ["units"]  # no half-written folder left
    monkeypatch.undo()
    result = write_unit_workbooks(con, tmp_path, "run-3")  # the failed unit is retried, the others stay
    assert set(result.written) == {"PHY"} and set(result.carried_over) == {"CHE", "LIT"} and not result.failed


def test_a_publish_stopped_half_way_leaves_the_previous_set_whole(con, tmp_path, monkeypatch):
    write_unit_workbooks(con, tmp_path, "run-1")
    before = {p.relative_to(tmp_path): p.read_bytes() for p in (tmp_path / "units").rglob("*.xlsx")}

    def crash(incoming, live):
        raise KeyboardInterrupt  # the process stopped before the swap

    monkeypatch.setattr(publish, "replace_folder", crash)
    with pytest.raises(KeyboardInterrupt):
        write_unit_workbooks(con, tmp_path, "run-2")
    assert {p.relative_to(tmp_path): p.read_bytes() for p in (tmp_path / "units").rglob("*.xlsx")} == before
    monkeypatch.undo()
    write_unit_workbooks(con, tmp_path, "run-3")  # the next run clears the leftover
    assert sorted(p.name for p in tmp_path.iterdir()) == ["units"]


def test_the_wall_csv_has_no_cell_a_spreadsheet_would_run(con, tmp_path):
    manifest = publish_wall(con, tmp_path, "run-00001", [], {}, key=b"k" * 32)
    folder = tmp_path / "alumni_wall" / manifest["snapshot_id"]
    rows = list(csv.reader(io.StringIO((folder / "alumni_wall.csv").read_text(encoding="utf-8-sig"))))
    assert tuple(rows[0]) == WALL_COLUMNS and len(rows) == 1 + len(HOSTILE) + 2
    assert not [v for row in rows for v in row if v[:1] in ("=", "+", "-", "@") or "\x00" in v]
    assert any("'+王五" in row for row in rows) and any("张伟" in row for row in rows)
    assert duckdb.sql(f"select count(*) from '{folder / 'alumni_wall.parquet'}'").fetchone()[0] == len(rows) - 1
