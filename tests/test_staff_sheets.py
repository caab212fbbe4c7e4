"""What every staff-facing workbook shares: dates of mixed precision as real dates, and the landing
folders' templates with a frozen, filtered header and notes in the staff's words."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook

from alumni_pipeline.publish.templates import TEMPLATE_NAME, write_templates
from alumni_pipeline.staff_sheets import folder_zh, typed_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1957-07-21", (dt.date(1957, 7, 21), "day")),
        ("1955-06", (dt.date(1955, 6, 1), "month")),
        ("1961", (dt.date(1961, 1, 1), "year")),
        (" 1961 ", (dt.date(1961, 1, 1), "year")),
        (dt.date(2001, 2, 3), (dt.date(2001, 2, 3), "day")),
        (dt.datetime(2001, 2, 3, 4, 5), (dt.date(2001, 2, 3), "day")),
        ("1955-02-30", (None, None)),  # no such day
        ("1955-13", (None, None)),
        ("1955年6月", (None, None)),  # the conformed layer's ISO text only
        ("19550621", (None, None)),
        ("", (None, None)),
        (None, (None, None)),
        (1955, (None, None)),
    ],
)
def test_typed_date_reads_the_conformed_iso_text_at_its_precision(text, expected):
    assert typed_date(text) == expected


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
