"""What a published cell may hold (alumni_pipeline/cell_safety.py): no formula, no control character."""

from __future__ import annotations

import pytest
from openpyxl import Workbook, load_workbook

from alumni_pipeline.cell_safety import has_control_chars, neutralise_formula, safe_cell, safe_row, strip_control_chars


@pytest.mark.parametrize(
    "text, published",
    [
        ('=HYPERLINK("http://x","点我")', '\'=HYPERLINK("http://x","点我")'),
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("=1+2", "'=1+2"),
        ("+王五", "'+王五"),
        ("@赵六", "'@赵六"),
        ("-韩梅梅", "'-韩梅梅"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("张伟", "张伟"),
        ("王=五", "王=五"),
        ("", ""),
        ("'已有引号", "'已有引号"),
    ],
)
def test_text_a_spreadsheet_would_run_is_neutralised(text, published):
    assert neutralise_formula(text) == published


def test_control_characters_are_removed_but_tab_and_newline_kept():
    assert strip_control_chars("张\x00伟\x07\x1b\x7f") == "张伟"
    assert strip_control_chars("第一行\n第二行\t完") == "第一行\n第二行\t完"
    assert has_control_chars("a\x00b") and not has_control_chars("a\tb\n")


def test_safe_cell_leaves_numbers_dates_and_none_alone():
    assert safe_row([-5, 1.5, None, True, "\x00=SUM(A1)"]) == [-5, 1.5, None, True, "'=SUM(A1)"]
    assert safe_cell("\x00-1") == "'-1"  # published values are text: a leading '-' is neutralised too


def test_a_workbook_written_through_safe_cell_has_no_formula_and_opens(tmp_path):
    book = Workbook()
    book.active.append(safe_row(["=1+2", "张\x00伟", "@SUM(1)", "-韩梅梅", 3]))
    book.save(tmp_path / "a.xlsx")  # a NUL would raise IllegalCharacterError here
    cells = next(load_workbook(tmp_path / "a.xlsx").active.iter_rows())
    assert [c.data_type for c in cells] == ["s", "s", "s", "s", "n"]
    assert [c.value for c in cells] == ["'=1+2", "张伟", "'@SUM(1)", "'-韩梅梅", 3]
