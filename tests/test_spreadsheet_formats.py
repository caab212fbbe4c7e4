"""The .ods that LibreOffice and WPS save and the .xlsb that Excel saves load exactly like .xlsx; zips that
only pretend to be one are refused with a reason code, and the zip-bomb check holds for both."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from conftest import MESSY_ROWS, docx_bytes, messy_workbook

from alumni_pipeline.ingest import readers
from alumni_pipeline.ingest.load import ingest_source
from alumni_pipeline.ingest.readers import read_bytes
from alumni_pipeline.publish import wall as publish

FIXTURES = Path(__file__).parent / "fixtures"  # where each file comes from: fixtures/README.md


def by_row(result):
    return {(sheet, row.source_row): row for sheet, rows in result.rows.items() for row in rows}


# A class list as a unit keeps it in LibreOffice or WPS: a title row above the Chinese headers, a second
# sheet under a unit line, dates as date cells, ID numbers and student numbers as text.
CLASS_SHEETS = {
    "2003级1班": [
        ["兰州大学2003届本科毕业生名单", None, None, None, None, None],
        ["序号", "学生姓名", "性别", "出生日期", "身份证号码", "学号"],
        [1, "张伟", "男", dt.date(1985, 9, 12), "620102198509121236", "0301001"],
        [2, "李娜", "女", dt.date(1986, 1, 2), "62010219860102124X", "0301002"],
        ["合计", "2人", None, None, None, None],
    ],
    "2003级2班": [
        ["学院：中文系"],
        ["姓名", "性别", "出生年月", "身份证号"],
        ["王　伟", "男", dt.datetime(1985, 3, 1), "620102198503011234"],
    ],
}


def write_book(path: Path, sheets: dict[str, list[list]], engine: str = "odf") -> Path:
    """Every sheet's rows as they stand, no header or index of pandas' own (engine "odf" writes .ods)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with pd.ExcelWriter(path, engine=engine) as writer:
        for name, rows in sheets.items():
            pd.DataFrame(rows).to_excel(writer, sheet_name=name, header=False, index=False)
    return path


def zip_of(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return buf.getvalue()


def rezipped(data: bytes, replace: dict[str, bytes]) -> bytes:
    """The same zip with some entries' bytes replaced."""
    book = zipfile.ZipFile(io.BytesIO(data))
    return zip_of({n: replace.get(n, book.read(n)) for n in book.namelist()})


def zip_bomb_with(name: str, data: bytes) -> bytes:
    """An entry that makes the zip look like a workbook, and 64 MB of zeros in a few dozen KB."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(name, data)
        with z.open("content.xml", "w", force_zip64=True) as sheet:
            for _ in range(64):
                sheet.write(b"\0" * 2**20)
    return buf.getvalue()


def test_an_ods_finds_every_sheets_header_under_its_title_rows_and_keeps_ids_as_text(tmp_path):
    result = read_bytes(write_book(tmp_path / "2003届.ods", CLASS_SHEETS).read_bytes(), "2003届.ods")
    assert result.fmt == "ods" and result.refused_file is None
    rows = by_row(result)
    assert sorted(rows) == [("2003级1班", 3), ("2003级1班", 4), ("2003级2班", 3)]
    assert rows["2003级1班", 3].fields == {
        "name": "张伟",
        "gender": "男",
        "birth_date": "1985-09-12",
        "id_number": "620102198509121236",
        "student_number": "0301001",  # the leading zero stays
    }
    assert rows["2003级1班", 3].extra == {"序号": "1"}
    assert rows["2003级1班", 4].fields["id_number"] == "62010219860102124X"
    assert rows["2003级2班", 3].fields == {
        "name": "王　伟",
        "gender": "男",
        "birth_date": "1985-03-01",
        "id_number": "620102198503011234",
    }
    assert [(f.sheet, f.row, f.code) for f in result.findings] == [("2003级1班", 5, "ROW_TOTALS")]


def test_the_messy_class_list_as_ods_reads_exactly_as_the_xlsx(tmp_path):
    """Every loaded row, skipped row and warning (ID numbers Excel mangled, as numbers in the .ods too)."""
    xlsx = read_bytes(messy_workbook(tmp_path / "a.xlsx").read_bytes(), "a.xlsx")
    rows = [["兰州大学2003届本科毕业生名单"], ["学院：中文系"], *MESSY_ROWS]
    ods = read_bytes(write_book(tmp_path / "a.ods", {"2003级1班": rows}).read_bytes(), "a.ods")
    assert ods.rows == xlsx.rows and ods.row_count == 4
    assert ods.findings == xlsx.findings and {f.code for f in ods.findings} >= {"ID_PRECISION_LOST", "ROW_NO_NAME"}


def test_an_xlsb_saved_by_excel_reads_every_cell_type_as_typed(monkeypatch):
    """calamine's own test workbook has no 姓名 header: refused for that alone, not as damaged. With a
    header put over its first row, its row of every cell type loads as an .xlsx's would."""
    data = (FIXTURES / "calamine_base.xlsb").read_bytes()
    result = read_bytes(data, "base.xlsb")
    assert (result.fmt, result.refused_file.code) == ("xlsb", "FILE_NO_NAME_COLUMN")
    columns = [f"列{i}" for i in range(10)]
    monkeypatch.setattr(readers, "find_header", lambda rows: (0, columns, ["name"] + [None] * 9))
    result = read_bytes(data, "base.xlsb")
    rows = by_row(result)
    assert sorted(rows) == [("Sheet1", 2)]
    assert rows["Sheet1", 2].fields == {"name": "String"}
    assert rows["Sheet1", 2].extra == {
        "列1": "1",  # a whole number without '.0'
        "列2": "1.1",
        "列3": "TRUE",
        "列4": "FALSE",
        "列5": "2010-10-10",  # a date cell as an ISO date
        "列6": "2010-10-10 10:10:10",
        "列7": "10:10:10",
        "列8": "10:10:10.100000",  # durations as Python writes them
        "列9": "10 days, 15:10:10",
    }
    no_name = [(f.sheet, f.row, f.row_values) for f in result.findings if f.code == "ROW_NO_NAME"]
    assert no_name[1] == ("Sheet3", 3, {"列1": "line2", "列2": "line2", "列3": "line2"})  # column A is empty


def test_an_xlsb_with_hidden_sheets_and_a_chart_sheet_is_read_not_refused_as_damaged():
    """calamine cannot open an .xlsb's chart sheet (it raises, which made the whole file FILE_CORRUPT);
    chart sheets hold no rows and are passed over. The visible worksheet (numbers and a sentence, no
    header) is read, and refused for want of a name column like any sheet."""
    result = read_bytes((FIXTURES / "calamine_any_sheets.xlsb").read_bytes(), "any_sheets.xlsb")
    assert (result.fmt, result.refused_file.code) == ("xlsb", "FILE_NO_NAME_COLUMN")


def _encrypted_ods(ods: bytes) -> bytes:
    """What LibreOffice writes for a password: the manifest says how each entry is encrypted."""
    manifest = zipfile.ZipFile(io.BytesIO(ods)).read("META-INF/manifest.xml")
    encrypted = manifest.replace(
        b'manifest:full-path="content.xml" manifest:media-type="text/xml"/>',
        b'manifest:full-path="content.xml" manifest:media-type="text/xml">'
        b'<manifest:encryption-data manifest:checksum-type="SHA1/1K"/></manifest:file-entry>',
    )
    assert encrypted != manifest
    return rezipped(ods, {"META-INF/manifest.xml": encrypted, "content.xml": b"\x93\x10\xfe encrypted"})


def test_zips_pretending_to_be_ods_or_xlsb_are_refused_with_a_reason(tmp_path):
    ods = write_book(tmp_path / "a.ods", CLASS_SHEETS).read_bytes()
    xlsb = (FIXTURES / "calamine_base.xlsb").read_bytes()
    odt = zip_of({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office:document/>"})
    rels = zipfile.ZipFile(io.BytesIO(xlsb)).read("xl/_rels/workbook.bin.rels").replace(b'"rId1"', b'"rId99"')
    cases = {
        ("名单.xlsb", zip_of({"名单.txt": "张伟".encode()})): "FILE_CORRUPT",  # a zip, no workbook in it
        ("名单.ods", zip_of({"名单.txt": "张伟".encode()})): "FILE_CORRUPT",
        ("名单.ods", docx_bytes()): "FILE_NOT_SPREADSHEET",  # a Word file renamed .ods
        ("名单.ods", odt): "FILE_NOT_SPREADSHEET",  # a LibreOffice Writer document renamed .ods
        ("名单.xlsb", zip_of({"xl/workbook.bin": b"\x00\x01 not a workbook"})): "FILE_CORRUPT",
        ("名单.ods", rezipped(ods, {"content.xml": b"<not xml"})): "FILE_CORRUPT",
        ("名单.ods", ods[: len(ods) // 2]): "FILE_CORRUPT",  # copied half-way
        ("名单.xlsb", xlsb[: len(xlsb) // 2]): "FILE_CORRUPT",
        ("名单.xlsb", rezipped(xlsb, {"xl/_rels/workbook.bin.rels": rels})): "FILE_CORRUPT",  # calamine panics
        ("名单.ods", _encrypted_ods(ods)): "FILE_ENCRYPTED",
        ("名单.xlsb", "姓名,性别\n张伟,男\n".encode()): "FILE_CORRUPT",  # text is read as CSV only when named so
    }
    for (name, data), code in cases.items():
        result = read_bytes(data, name)
        assert result.refused_file is not None and result.refused_file.code == code, (name, code)
        assert not result.rows


def test_a_real_ods_or_xlsb_under_another_spreadsheet_extension_is_read_by_its_bytes(tmp_path):
    ods = write_book(tmp_path / "a.ods", CLASS_SHEETS).read_bytes()
    assert (read_bytes(ods, "名单.xlsx").fmt, read_bytes(ods, "名单.xlsx").row_count) == ("ods", 3)
    assert read_bytes((FIXTURES / "calamine_base.xlsb").read_bytes(), "名单.ods").fmt == "xlsb"


@pytest.mark.parametrize(
    "name, entry", [("名单.ods", ("mimetype", readers.ODS_MIMETYPE)), ("名单.xlsb", ("xl/workbook.bin", b"\x83\x01"))]
)
def test_an_ods_or_xlsb_zip_bomb_is_refused_before_it_is_expanded(monkeypatch, name, entry):
    bomb = zip_bomb_with(*entry)
    assert len(bomb) < 200_000
    monkeypatch.setattr(readers, "CalamineWorkbook", None)  # never opened: refused from the zip directory
    result = read_bytes(bomb, name)
    assert result.refused_file.code == "FILE_TOO_LARGE" and not result.rows


def test_an_ods_drop_lands_in_raw_with_its_sheet_and_row(project):
    drop = write_book(project.drops / "archives" / "2003届" / "中文系.ods", CLASS_SHEETS)
    summary = ingest_source(project, "archives", "run-1")
    assert (summary.files_new, summary.rows_loaded, summary.files_refused) == (1, 3, 0)
    with duckdb.connect(str(project.warehouse), read_only=True) as con:
        rows = con.execute(
            "select source_file, source_sheet, source_row, name, id_number, birth_date "
            "from raw.archives order by source_sheet, source_row"
        ).fetchall()
        fmt = con.execute("select file_format from audit.files where source_file = ?", [rows[0][0]]).fetchall()
    assert rows == [
        ("archives/2003届/中文系.ods", "2003级1班", 3, "张伟", "620102198509121236", "1985-09-12"),
        ("archives/2003届/中文系.ods", "2003级1班", 4, "李娜", "62010219860102124X", "1986-01-02"),
        ("archives/2003届/中文系.ods", "2003级2班", 3, "王　伟", "620102198503011234", "1985-03-01"),
    ]
    assert fmt == [("ods",)]
    assert drop.exists()


def test_an_ods_opt_out_list_is_read_like_an_xlsx(tmp_path):
    """The opt-out list reads the workbooks the landing folders read: an .ods is not passed over."""
    folder = tmp_path / "opt_out"
    write_book(
        folder / "2025年退出名单.ods", {"Sheet1": [["校友编号", "姓名", "备注"], ["lzu00000001", "张伟", "本人来信"]]}
    )
    rows = publish.read_opt_outs(folder).to_dict("records")
    assert [(r["alumni_id"], r["file"]) for r in rows] == [("LZU00000001", "2025年退出名单.ods")]
