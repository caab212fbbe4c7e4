"""Ingest at the landing root's boundary, and the reports of hostile rows: symbolic links are refused
unread, a NUL or a formula in a refused row never breaks the unit's report, nor turns into a formula."""

from __future__ import annotations

import duckdb
from openpyxl import load_workbook

from alumni_pipeline.ingest.landing import list_drops, outside_root
from alumni_pipeline.ingest.load import ingest_source


def q(paths, sql, *params):
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def test_symlinks_in_a_landing_folder_are_refused_and_nothing_outside_is_read(project, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "外部.csv").write_text("姓名,性别\n外部人,男\n", encoding="utf-8")
    (outside / "sub").mkdir()
    (outside / "sub" / "深处.csv").write_text("姓名,性别\n深处人,女\n", encoding="utf-8")
    folder = project.drops / "unit_updates"
    folder.mkdir()
    (folder / "本单位.csv").write_text("姓名,性别\n张伟,男\n", encoding="utf-8")
    (folder / "外部.csv").symlink_to(outside / "外部.csv")
    (folder / "目录").symlink_to(outside / "sub")
    (folder / "passwd.csv").symlink_to("/etc/passwd")
    (folder / "断开.csv").symlink_to(outside / "不存在.csv")
    listed = {p.name for p in list_drops(folder)}
    assert listed == {"本单位.csv", "外部.csv", "目录", "passwd.csv", "断开.csv"}
    assert [p.name for p in list_drops(folder) if not outside_root(p, project.drops)] == ["本单位.csv"]

    summary = ingest_source(project, "unit_updates", "run-1")
    assert (summary.rows_loaded, summary.files_refused) == (1, 4)
    assert q(project, "select name from raw.unit_updates") == [("张伟",)]
    refused = q(project, "select source_file, reason_code, detail from audit.refused_files order by 1")
    assert {(f, c) for f, c, _ in refused} == {
        (f"unit_updates/{n}", "FILE_SYMLINK") for n in ("外部.csv", "目录", "passwd.csv", "断开.csv")
    }
    assert any("/etc/passwd" in v for _, _, v in refused)
    assert q(project, "select count(*) from audit.files where status = 'refused'") == [(4,)]
    report = project.publish / "refusals" / "unit_updates" / "外部.csv.退回说明.xlsx"
    assert "FILE_SYMLINK" in {c for row in load_workbook(report).active.iter_rows(values_only=True) for c in row}
    assert ingest_source(project, "unit_updates", "run-2").files_unchanged == 5  # the same links: nothing to redo


def test_a_refused_row_with_control_characters_and_formulas_gets_its_report(project):
    folder = project.drops / "unit_updates"
    folder.mkdir()
    (folder / "=1+1.csv").write_bytes(
        '姓名,现工作单位,备注\n张\x00伟,"=HYPERLINK(""http://x"",""点我"")",\x07\n=1+2,@SUM(A1),-1\n'
        "13800001111,\x1b公司,\x00\n".encode()
    )
    summary = ingest_source(project, "unit_updates", "run-1")
    assert (summary.rows_loaded, summary.rows_refused) == (1, 2)
    assert q(project, "select name, employer from raw.unit_updates") == [("张伟", '=HYPERLINK("http://x","点我")')]
    assert {c for (c,) in q(project, "select reason_code from audit.row_warnings")} == {"CELL_CONTROL_CHARS"}
    report = project.publish / "refusals" / "unit_updates" / "=1+1.csv.退回说明.xlsx"
    cells = [c for row in load_workbook(report).active.iter_rows() for c in row if c.value is not None]
    assert cells and not [c.coordinate for c in cells if c.data_type == "f"]
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert not [t for t in texts if t.startswith(("=", "+", "-", "@")) or "\x00" in t]
    assert "'=1+2" in texts


def test_a_refused_rows_own_headers_become_report_columns_and_never_formulas(project):
    """The refused row is shown under the file's own headers: one that looks like a formula stays text,
    one that is also a report header (文件) is marked as the file's, and no cell holds JSON."""
    folder = project.drops / "unit_updates"
    folder.mkdir()
    (folder / "表头.csv").write_text(
        '姓名,"=HYPERLINK(""http://x"")",文件,毕业时间\n张伟,a,b,2007\n,"{""k"": 1}",c,1955-06\n', encoding="utf-8"
    )
    summary = ingest_source(project, "unit_updates", "run-1")
    assert (summary.rows_loaded, summary.rows_refused) == (1, 1)
    book = load_workbook(project.publish / "refusals" / "unit_updates" / "表头.csv.退回说明.xlsx")
    sheet = book["退回说明"]
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    header, line = ([c.value for c in row] for row in sheet.iter_rows(max_row=2))
    shown = dict(zip(header[8:], line[8:]))
    assert shown == {'\'=HYPERLINK("http://x")': '{"k": 1}', "文件（原表）": "c", "毕业时间": "1955-06"}
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:K2"
