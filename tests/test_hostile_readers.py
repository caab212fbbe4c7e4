"""Readers on hostile and careless drops, all made here: formulas typed as names, NUL bytes, zip bombs,
sheets and rows past the limits, two-row merged headers, BOMs in headers, a second name column."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from alumni_pipeline.ingest import readers
from alumni_pipeline.ingest.readers import read_bytes
from alumni_pipeline.reasons import REASONS


def by_row(result):
    return {row.source_row: row for rows in result.rows.values() for row in rows}


def findings(result):
    return {(f.row, f.code) for f in result.findings}


def workbook_bytes(rows: list[list], title: str = "名单", merges: tuple[str, ...] = ()) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for cell in (c for line in sheet.iter_rows() for c in line if isinstance(c.value, str)):
        cell.data_type = "s"  # '=1+2' as text a unit typed with a leading quote, not a formula
    for cells in merges:
        sheet.merge_cells(cells)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


FORMULA_NAMES = ['=HYPERLINK("http://x","点我")', "=1+2", "=cmd|' /C calc'!A0", "+王五", "@赵六", "-韩梅梅"]


@pytest.mark.parametrize("name", FORMULA_NAMES)
def test_a_name_that_is_a_formula_is_refused_not_cleaned(name):
    csv = "姓名,性别,现工作单位\n张伟,男,兰州大学\n" + f'"{name.replace(chr(34), chr(34) * 2)}",女,某公司\n'
    result = read_bytes(csv.encode(), "a.csv")
    assert sorted(by_row(result)) == [2]
    refused = next(f for f in result.findings if f.code == "ROW_NAME_INVALID")
    assert (refused.row, refused.value) == (3, name)
    assert readers.name_problem(name) == "formula"
    assert "公式" in REASONS["ROW_NAME_INVALID"].zh


def test_an_employer_that_is_a_formula_loads_as_typed():
    result = read_bytes('姓名,现工作单位\n张伟,"=HYPERLINK(""http://x"",""点我"")"\n'.encode(), "a.csv")
    assert by_row(result)[2].fields["employer"] == '=HYPERLINK("http://x","点我")'  # neutralised when published


def test_control_characters_are_removed_and_reported_on_the_row():
    csv = "姓名,性别,专业\n张\x00伟,男,法\x07学\n13800001111,\x1b女,\x00\n".encode()
    result = read_bytes(csv, "a.csv")
    assert by_row(result)[2].fields == {"name": "张伟", "gender": "男", "major": "法学"}
    assert findings(result) == {(2, "CELL_CONTROL_CHARS"), (3, "CELL_CONTROL_CHARS"), (3, "ROW_NAME_INVALID")}
    flagged = next(f for f in result.findings if f.code == "CELL_CONTROL_CHARS" and f.row == 2)
    assert flagged.column == "姓名 (A), 专业 (C)"
    refused = next(f for f in result.findings if f.code == "ROW_NAME_INVALID")
    assert refused.row_values == {"姓名": "13800001111", "性别": "女"}  # no control character goes back
    assert REASONS["CELL_CONTROL_CHARS"].kind == "warning"


def test_a_name_with_only_control_characters_is_no_name():
    result = read_bytes("姓名,性别\n\x00\x01,男\n".encode(), "a.csv")
    assert not result.rows and (2, "ROW_NO_NAME") in findings(result)


def zip_bomb(expanded: int = 64 * 2**20) -> bytes:
    """A 'workbook' whose one sheet expands from a few dozen KB to `expanded` bytes of zeros."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            block = b"\0" * 2**20
            for _ in range(expanded // len(block)):
                sheet.write(block)
    return buf.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_expanded(monkeypatch):
    bomb = zip_bomb()
    assert len(bomb) < 200_000
    monkeypatch.setattr(readers, "CalamineWorkbook", None)  # never opened: refused from the zip directory
    result = read_bytes(bomb, "名单.xlsx")
    assert result.refused_file.code == "FILE_TOO_LARGE" and not result.rows


def test_a_workbook_declaring_more_than_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(readers, "MAX_WORKBOOK_BYTES", 10_000)
    data = workbook_bytes([["姓名", "性别"], *[["张伟", "男"]] * 500])
    assert read_bytes(data, "a.xlsx").refused_file.code == "FILE_TOO_LARGE"


def test_sheets_and_files_past_the_row_limit_are_refused(monkeypatch):
    monkeypatch.setattr(readers, "MAX_SHEET_ROWS", 50)
    data = workbook_bytes([["姓名", "性别"], *[["张伟", "男"]] * 60])
    result = read_bytes(data, "a.xlsx")
    assert [(f.code, f.sheet) for f in result.refused_sheets] == [("FILE_TOO_MANY_ROWS", "名单")]
    monkeypatch.setattr(readers, "MAX_FILE_ROWS", 50)
    csv = "姓名,性别\n" + "张伟,男\n" * 60
    assert read_bytes(csv.encode(), "a.csv").refused_file.code == "FILE_TOO_MANY_ROWS"


def test_rows_and_sheets_past_the_cells_per_row_limit_are_refused(monkeypatch):
    monkeypatch.setattr(readers, "MAX_ROW_CELLS", 20)
    csv = "姓名,性别\n张伟,男\n李娜,女" + "," * 30 + "x\n"
    result = read_bytes(csv.encode(), "a.csv")
    assert sorted(by_row(result)) == [2] and (3, "ROW_TOO_MANY_CELLS") in findings(result)
    wide = workbook_bytes([["姓名", "性别"] + [None] * 30 + ["备注"], ["张伟", "男"]])
    assert [f.code for f in read_bytes(wide, "a.xlsx").refused_sheets] == ["FILE_TOO_MANY_CELLS"]


def test_a_csv_field_past_csvs_own_limit_is_refused_not_raised():
    csv = "姓名,备注\n张伟," + "长" * 200_000 + "\n"
    assert read_bytes(csv.encode(), "a.csv").refused_file.code == "FILE_CORRUPT"


def test_a_two_row_merged_header_maps_its_sub_headers():
    rows = [
        ["兰州大学校友信息登记表"],
        [None],
        ["姓名", "联系方式", None, "学籍信息", None, None],
        [None, "手机", "电子邮箱", "学历", "入校时间", "毕业时间"],
        ["张伟", "13812345678", "zw@example.com", "本科", "2003", "2007"],
    ]
    result = read_bytes(workbook_bytes(rows, merges=("A3:A4", "B3:C3", "D3:F3")), "a.xlsx")
    assert by_row(result)[5].fields == {
        "name": "张伟",
        "mobile": "13812345678",
        "email": "zw@example.com",
        "education_level": "本科",
        "enrol_date": "2003",
        "grad_date": "2007",
    }
    assert not result.findings  # the sub-header row is no row without a name


def test_a_bom_and_zero_width_characters_in_header_cells_are_ignored():
    csv = "学号,\ufeff姓名,性\u200b别,出生日期\n2003001,张伟,男,1985-09-12\n"
    result = read_bytes(csv.encode(), "a.csv")
    assert by_row(result)[2].fields == {
        "student_number": "2003001",
        "name": "张伟",
        "gender": "男",
        "birth_date": "1985-09-12",
    }
    data = workbook_bytes([["\ufeff姓名", "性别\u2060"], ["张伟", "男"]])
    assert by_row(read_bytes(data, "a.xlsx"))[2].fields == {"name": "张伟", "gender": "男"}


def test_a_second_name_column_is_reported_and_kept():
    result = read_bytes("姓名,性别,姓名\n张伟,男,張偉\n".encode(), "a.csv")
    row = by_row(result)[2]
    assert row.fields["name"] == "张伟" and row.extra == {"姓名": "張偉"}
    dup = next(f for f in result.findings if f.code == "HEADER_DUPLICATE_NAME")
    assert (dup.row, dup.column) == (1, "姓名 (C)")


def test_a_238_byte_file_name_and_a_formula_sheet_name_are_just_names():
    name = "校" * 78 + ".xlsx"  # 3 bytes a character in UTF-8
    assert len(name.encode()) == 239
    data = workbook_bytes([["姓名", "性别"], ["张伟", "男"], ["=1+2", "女"]], title="=1+1")
    result = read_bytes(data, name)
    assert set(result.rows) == {"=1+1"} and findings(result) == {(3, "ROW_NAME_INVALID")}
