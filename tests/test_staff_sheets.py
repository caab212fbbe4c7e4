"""What every staff-facing workbook and mart shares: dates of mixed precision as a date and its
precision, and the landing folders' templates with a frozen, filtered header and notes in the staff's
words."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest
from openpyxl import load_workbook

from alumni_pipeline.conform.dates import first_day_sql, typed_date_sql
from alumni_pipeline.conform.duckdb_functions import register
from alumni_pipeline.publish.templates import TEMPLATE_NAME, write_templates
from alumni_pipeline.staff_sheets import folder_zh


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1957-07-21", (dt.date(1957, 7, 21), "day")),
        ("1955-06", (dt.date(1955, 6, 1), "month")),
        ("1961", (dt.date(1961, 1, 1), "year")),
        ("1955-02-30", (None, None)),  # no such day
        ("1955-13", (None, None)),
        ("1955年6月", (None, None)),  # the conformed layer's ISO text only
        ("19550621", (None, None)),
        ("", (None, None)),
        (None, (None, None)),
    ],
)
def test_a_conformed_date_is_typed_as_its_first_day_and_precision(text, expected):
    """The SQL dbt's macro typed_date takes from the DuckDB function the plugin registers."""
    con = duckdb.connect()
    register(con)
    sql = con.execute("select typed_date_sql('t.birth', 'birth')").fetchone()[0]
    assert sql == typed_date_sql("t.birth", "birth")
    found = con.execute(f"select {sql} from (select ?::varchar as birth) as t", [text]).fetchone()
    assert found == expected
    first_day = con.execute(f"select {first_day_sql('t.birth')} from (select ?::varchar as birth) as t", [text])
    assert first_day.fetchone()[0] == expected[0]


def test_folders_are_named_as_their_staff_know_them():
    assert folder_zh("archives") == "「档案馆（学籍档案）」报送文件夹（文件夹名 archives）"
    assert "校友身份审核" in folder_zh("steward_review") and "校友退出名单" in folder_zh("opt_out")


def test_templates_have_a_frozen_filtered_header_and_notes_naming_the_folder(tmp_path):
    written = write_templates(tmp_path)
    assert {p.parent.name for p in written} >= {"archives", "unit_updates", "opt_out"}
    for path in written:
        assert path.name == TEMPLATE_NAME
        book = load_workbook(path)
        assert book.sheetnames == ["名单", "填写说明"]
        for sheet in book.worksheets:
            assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:"), (path, sheet.title)
        notes = dict(book["填写说明"].iter_rows(values_only=True))
        assert folder_zh(path.parent.name) == notes["报送文件夹"] and "数据组" in notes["联系"]
        assert not any("published/" in str(v) for v in notes.values())
