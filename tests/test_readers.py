"""Readers on the files units really send: title rows, header variants, Excel's number mangling,
skipped and refused rows, every encoding, and every kind of file that is not a usable spreadsheet."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
import xlwt
from conftest import MESSY_LOADED_ROWS, PNG_BYTES, docx_bytes, messy_workbook
from msoffcrypto.format.ooxml import OOXMLFile

from alumni_pipeline.ingest.headers import canonical_field
from alumni_pipeline.ingest.readers import cell_text, read_bytes


def by_row(result):
    return {row.source_row: row for rows in result.rows.values() for row in rows}


def codes(result):
    return {(f.row, f.code) for f in result.findings}


@pytest.mark.parametrize(
    "header, field",
    [
        ("姓名", "name"),
        ("学生姓名", "name"),
        ("Name", "name"),
        ("姓 名 *", "name"),
        ("姓名（必填）", "name"),
        ("身份证号", "id_number"),
        ("身份证号码", "id_number"),
        ("公民身份号码", "id_number"),
        ("出生日期", "birth_date"),
        ("出生年月", "birth_date"),
        ("Date of Birth", "birth_date"),
        ("入学时间", "enrol_date"),
        ("入校时间", "enrol_date"),
        ("入学年份", "enrol_date"),
        ("院系", "department"),
        ("所在院系", "department"),
        ("毕业院系", "department"),
        ("Host School", "department"),
        ("E-mail", "email"),
        ("手机号码", "mobile"),
        ("政治面貌", None),
        ("宿舍号", None),
    ],
)
def test_header_variants_map_through_one_alias_table(header, field):
    assert canonical_field(header) == field


def test_messy_workbook_finds_header_under_title_rows_and_keeps_values_as_typed(tmp_path):
    result = read_bytes(messy_workbook(tmp_path / "a.xlsx").read_bytes(), "a.xlsx")
    rows = by_row(result)
    assert sorted(rows) == MESSY_LOADED_ROWS  # spreadsheet row numbers, title rows counted
    assert rows[4].fields == {
        "name": "张伟",
        "gender": "男",
        "birth_date": "1985-09-12",
        "id_number": "620102198509121236",
        "enrol_date": "2003",
        "department": "中文系",
    }
    assert rows[4].extra == {"序号": "1", "政治面貌": "团员"}  # unknown columns are kept
    assert rows[5].fields["enrol_date"] == "2003"  # a whole number never gets '.0'
    assert rows[6].fields["name"] == "王　伟"  # as typed: cleaning is the next layer's job
    assert rows[10].fields["id_number"] == "620102850101123"  # a 15-digit number survives exactly
    assert rows[10].fields["birth_date"] == "19850101"


def test_messy_workbook_skips_and_refuses_with_reasons(tmp_path):
    result = read_bytes(messy_workbook(tmp_path / "a.xlsx").read_bytes(), "a.xlsx")
    assert codes(result) == {
        (5, "ID_PRECISION_LOST"),
        (6, "ID_SCIENTIFIC"),
        (7, "ROW_BLANK"),
        (8, "ROW_NO_NAME"),
        (9, "ROW_REPEATED_HEADER"),
        (11, "ROW_NAME_INVALID"),
        (12, "ROW_TOTALS"),
        (13, "ROW_FOOTER"),
    }
    no_name = next(f for f in result.findings if f.code == "ROW_NO_NAME")
    assert (no_name.sheet, no_name.column) == ("2003级1班", "学生姓名 (B)")
    assert no_name.row_values["出生年月"] == "1986-01-02"  # the refused row's content goes back to the unit
    assert by_row(result)[5].fields["id_number"] == "620102198509121000"  # never 6.20102E+17


def test_every_sheet_is_read_and_an_instructions_sheet_is_reported(tmp_path):
    path = messy_workbook(tmp_path / "a.xlsx", {"1班": MESSY_ROWS_SMALL, "2班": MESSY_ROWS_SMALL})
    book = openpyxl.load_workbook(path)
    book.create_sheet("说明")["A1"] = "本表由学院办公室整理"
    book.save(path)
    result = read_bytes(path.read_bytes(), "a.xlsx")
    assert set(result.rows) == {"1班", "2班"} and result.row_count == 4
    assert [(f.code, f.sheet) for f in result.refused_sheets] == [("FILE_NO_NAME_COLUMN", "说明")]


MESSY_ROWS_SMALL = [["姓名", "性别", "毕业时间"], ["赵静", "女", "2007.7"], ["钱婧", "F", "2007年7月"]]


@pytest.mark.parametrize(
    "encoding, prefix", [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("gbk", b""), ("gb18030", b""), ("utf-16", b"")]
)
def test_csv_encodings_are_detected(encoding, prefix):
    text = "兰州大学继续教育学院毕业生\n姓名,性别,出生日期,专业\n张伟,男,1985/9/12,汉语言文学\n𠮷祥,女,1990.1,法学\n"
    if encoding in ("gbk",):
        text = text.replace("𠮷", "吉")  # GBK has no such character; GB18030 does
    data = prefix + text.encode(encoding)
    result = read_bytes(data, "a.csv")
    rows = by_row(result)
    assert sorted(rows) == [3, 4]  # the header is row 2, the title row 1
    assert rows[3].fields == {"name": "张伟", "gender": "男", "birth_date": "1985/9/12", "major": "汉语言文学"}
    assert rows[4].fields["name"] == text.splitlines()[3].split(",")[0]


def test_semicolon_csv_and_excel_serial_kept_as_typed():
    result = read_bytes(b"Name;Gender;Date of Birth\nZHANG Wei;M;31302\n", "a.csv")
    assert by_row(result)[2].fields == {"name": "ZHANG Wei", "gender": "M", "birth_date": "31302"}


def test_real_xls_from_an_old_system(tmp_path):
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("1985届")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for c, h in enumerate(["姓名", "性别", "出生日期", "身份证号", "毕业院系"]):
        sheet.write(0, c, h)
    sheet.write(1, 0, "劉德華")
    sheet.write(1, 1, "男")
    sheet.write(1, 2, dt.date(1962, 9, 27), date_style)
    sheet.write(1, 3, 620102620927123)
    sheet.write(1, 4, "物理系")
    buf = io.BytesIO()
    book.save(buf)
    result = read_bytes(buf.getvalue(), "old.xls")
    assert result.fmt == "xls"
    assert by_row(result)[2].fields == {
        "name": "劉德華",
        "gender": "男",
        "birth_date": "1962-09-27",
        "id_number": "620102620927123",
        "department": "物理系",
    }


def _encrypted_workbook(tmp_path) -> bytes:
    plain = messy_workbook(tmp_path / "plain.xlsx")
    out = io.BytesIO()
    with open(plain, "rb") as f:
        OOXMLFile(f).encrypt("lzu1909", out)
    return out.getvalue()


def test_every_unusable_file_is_refused_with_its_reason(tmp_path):
    header_only = tmp_path / "header_only.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["姓名", "性别", "出生日期"])
    book.save(header_only)
    no_name = tmp_path / "no_name.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["学号", "性别", "出生日期", "专业"])
    book.active.append(["2003001", "男", "1985-01-01", "法学"])
    book.save(no_name)
    good = messy_workbook(tmp_path / "good.xlsx").read_bytes()
    cases = {
        ("empty.csv", b""): "FILE_EMPTY",
        ("blank.csv", b"\r\n\r\n"): "FILE_EMPTY",
        ("header_only.xlsx", header_only.read_bytes()): "FILE_EMPTY",
        ("corrupt.xlsx", good[: len(good) // 2]): "FILE_CORRUPT",
        (
            "export.xls",
            "<html><body><table><tr><td>姓名</td></tr><tr><td>张伟</td></tr></table></body></html>".encode("gbk"),
        ): "FILE_HTML_AS_XLS",
        ("locked.xlsx", _encrypted_workbook(tmp_path)): "FILE_ENCRYPTED",
        ("名单.docx", docx_bytes()): "FILE_NOT_SPREADSHEET",
        ("名单.xlsx", docx_bytes()): "FILE_NOT_SPREADSHEET",  # a Word file renamed .xlsx
        ("合影.png", PNG_BYTES): "FILE_NOT_SPREADSHEET",
        ("no_name.xlsx", no_name.read_bytes()): "FILE_NO_NAME_COLUMN",
        ("binary.csv", bytes(range(256)) * 4): "FILE_ENCODING_UNKNOWN",
    }
    for (name, data), code in cases.items():
        result = read_bytes(data, name)
        assert result.refused_file is not None and result.refused_file.code == code, name
        assert not result.rows, name


@pytest.mark.parametrize(
    "value, text",
    [
        (None, ""),
        ("  张伟 ", "张伟"),
        (2003.0, "2003"),
        (13812345678.0, "13812345678"),
        (3.5, "3.5"),
        (dt.datetime(1985, 9, 12), "1985-09-12"),
        (dt.datetime(2020, 1, 2, 8, 30), "2020-01-02 08:30:00"),
        (dt.date(1999, 12, 31), "1999-12-31"),
        (True, "TRUE"),
        (float("nan"), ""),
        (620102198509121234.0, "620102198509121000"),
    ],
)
def test_cell_text(value, text):
    assert cell_text(value) == text
