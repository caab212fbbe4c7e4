"""Landing folders into DuckDB: lineage, refusals in audit, idempotent re-drops, changed, removed and
half-copied files, reports for units, and the dropped files left exactly as they were."""

from __future__ import annotations

import hashlib
import os
import threading
import time

import duckdb
import openpyxl
from conftest import MESSY_LOADED_ROWS, PNG_BYTES, messy_workbook

from alumni_pipeline.ingest.load import ingest_source


def q(paths, sql, *params):
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def fingerprint(path):
    st = path.stat()
    return hashlib.sha256(path.read_bytes()).hexdigest(), st.st_size, st.st_mtime_ns


def test_rows_land_with_lineage_and_refusals_go_to_audit(project):
    drop = messy_workbook(project.drops / "archives" / "2003届" / "中文系.xlsx")
    (project.drops / "archives" / "合影.png").write_bytes(PNG_BYTES)
    before = fingerprint(drop)
    summary = ingest_source(project, "archives", "run-1")
    assert (summary.files_new, summary.rows_loaded, summary.rows_refused, summary.files_refused) == (2, 4, 2, 1)
    rows = q(
        project,
        "select source_system, source_file, source_sheet, source_row, name, file_hash "
        "from raw.archives order by source_row",
    )
    assert [r[3] for r in rows] == MESSY_LOADED_ROWS
    assert {r[:3] for r in rows} == {("archives", "archives/2003届/中文系.xlsx", "2003级1班")}
    assert rows[0][5] == before[0]
    refused = q(
        project, "select source_row, source_column, reason_code, message_zh from audit.refused_rows order by source_row"
    )
    assert [r[:3] for r in refused] == [(8, "学生姓名 (B)", "ROW_NO_NAME"), (11, "学生姓名 (B)", "ROW_NAME_INVALID")]
    assert "姓名" in refused[0][3]
    assert q(project, "select source_file, reason_code from audit.refused_files") == [
        ("archives/合影.png", "FILE_NOT_SPREADSHEET")
    ]
    assert {r[0] for r in q(project, "select reason_code from audit.skipped_rows")} == {
        "ROW_BLANK",
        "ROW_REPEATED_HEADER",
        "ROW_TOTALS",
        "ROW_FOOTER",
    }
    assert fingerprint(drop) == before  # never changed, moved or deleted


def test_unit_report_lists_each_refused_row_in_chinese(project):
    messy_workbook(project.drops / "archives" / "中文系.xlsx")
    (project.drops / "archives" / "ok.csv").write_text("姓名,性别\n张伟,男\n", encoding="utf-8")
    ingest_source(project, "archives", "run-1")
    reports = sorted((project.publish / "refusals").rglob("*.xlsx"))
    assert [p.name for p in reports] == ["中文系.xlsx.退回说明.xlsx"]  # a clean file gets no report
    sheet = openpyxl.load_workbook(reports[0]).active
    lines = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert [(line[2], line[4]) for line in lines] == [
        (5, "ID_PRECISION_LOST"),
        (6, "ID_SCIENTIFIC"),
        (8, "ROW_NO_NAME"),
        (11, "ROW_NAME_INVALID"),
    ]
    assert all(line[6] for line in lines)  # every line says what to fix
    header = [c.value for c in sheet[1]]  # the refused rows' own values, under the file's own headers
    assert header[8:] == ["序号", "学生姓名", "性别", "出生年月", "入学年份", "所在院系"]  # the file's order
    no_name = dict(zip(header, next(line for line in lines if line[4] == "ROW_NO_NAME")))
    assert (no_name["出生年月"], no_name["性别"], no_name["学生姓名"]) == ("1986-01-02", "女", None)
    invalid = dict(zip(header, next(line for line in lines if line[4] == "ROW_NAME_INVALID")))
    assert invalid["学生姓名"] == "13800001111" and sheet.freeze_panes == "A2" and sheet.auto_filter.ref


def test_same_file_again_changes_nothing_changed_file_replaces_removed_file_leaves(project):
    folder = project.drops / "unit_updates"
    folder.mkdir()
    csv = folder / "校友会返校登记.csv"
    csv.write_text("姓名,手机,毕业时间\n张伟,13812345678,2007\n李娜,13900001111,2008\n", encoding="utf-8")
    ingest_source(project, "unit_updates", "run-1")
    first = q(project, "select * from raw.unit_updates order by source_row")
    again = ingest_source(project, "unit_updates", "run-2")
    assert (again.files_unchanged, again.files_new, again.files_changed) == (1, 0, 0)
    assert q(project, "select * from raw.unit_updates order by source_row") == first  # loaded_at too

    csv.write_text("姓名,手机,毕业时间\n李娜,13900001111,2008\n", encoding="utf-8")
    changed = ingest_source(project, "unit_updates", "run-3")
    assert changed.files_changed == 1
    assert q(project, "select name, source_row from raw.unit_updates") == [("李娜", 2)]

    csv.unlink()
    removed = ingest_source(project, "unit_updates", "run-4")
    assert removed.files_removed == 1
    assert q(project, "select count(*) from raw.unit_updates") == [(0,)]
    assert q(project, "select event from audit.file_events order by run_id") == [("new",), ("changed",), ("removed",)]


def test_a_file_still_being_copied_is_not_read_half_way(project, monkeypatch):
    monkeypatch.setenv("ALUMNI_SETTLE_SECONDS", "1")
    folder = project.drops / "hr"
    folder.mkdir()
    (folder / "~$人事处.xlsx").write_bytes(b"\x00" * 165)  # Excel's owner file: the workbook is open
    growing = folder / "教职工.csv"
    growing.write_text("姓名,性别,工号\n", encoding="utf-8")

    def keep_copying():
        for i, name in enumerate(["张伟", "王芳", "李娜", "刘洋", "陈静"]):
            time.sleep(0.2)
            with growing.open("a", encoding="utf-8") as f:
                f.write(f"{name},男,{1000 + i}\n")

    writer = threading.Thread(target=keep_copying)
    writer.start()
    summary = ingest_source(project, "hr", "run-1")
    writer.join()
    assert (summary.files_deferred, summary.rows_loaded) == (2, 0)
    assert q(project, "select count(*) from raw.hr") == [(0,)]
    old = time.time() - 60
    os.utime(growing, (old, old))
    later = ingest_source(project, "hr", "run-2")
    assert (later.files_new, later.rows_loaded) == (1, 5)  # once it settles, all of it loads


def test_refused_file_fixed_and_dropped_again_loads(project):
    folder = project.drops / "self_reported"
    folder.mkdir()
    form = folder / "校友个人信息表.csv"
    form.write_bytes(b"")
    assert ingest_source(project, "self_reported", "run-1").files_refused == 1
    form.write_text("姓名,性别,出生日期\n解缙,男,1969-01-01\n", encoding="utf-8")
    fixed = ingest_source(project, "self_reported", "run-2")
    assert (fixed.files_changed, fixed.rows_loaded) == (1, 1)
    assert q(project, "select count(*) from audit.refused_files") == [(0,)]
    assert not list((project.publish / "refusals").rglob("*.xlsx"))


def test_a_file_name_too_long_for_a_report_name_still_gets_its_report_and_a_lost_report_comes_back(project):
    """A 238-byte file name: the report takes a short stable name (the full name is inside), and a
    report that went missing is written again on the next run although the file did not change."""
    name = "兰州大学" * 19 + ".csv"  # 232 bytes of UTF-8 before the extension
    assert len(name.encode()) > 200
    folder = project.drops / "unit_updates"
    folder.mkdir(parents=True)
    (folder / name).write_text("姓名,手机\n张伟,13800001111\n,13900002222\n", encoding="utf-8")
    ingest_source(project, "unit_updates", "run-1")
    reports = list((project.publish / "refusals").rglob("*.xlsx"))
    assert len(reports) == 1 and len(reports[0].name.encode()) < 120
    sheet = openpyxl.load_workbook(reports[0]).active
    assert name in sheet["A2"].value and any(row[4] == "ROW_NO_NAME" for row in sheet.iter_rows(values_only=True))
    reports[0].unlink()
    ingest_source(project, "unit_updates", "run-2")  # the file is unchanged; its report is not
    assert reports[0].exists()
