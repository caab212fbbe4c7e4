"""The units' workbooks from a small marts.unit_alumni made here: what a workbook holds and how it looks,
text that looks like a formula or a number staying text, and a unit's workbook rewritten only when its
rows changed."""

from __future__ import annotations

import datetime as dt
import json
import zipfile

import duckdb
import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook

from alumni_pipeline.cell_safety import safe_cell
from alumni_pipeline.publish import unit_workbooks as publish
from alumni_pipeline.publish.unit_workbooks import DATE_COLUMNS, UNIT_COLUMNS, write_unit_workbooks

FORMULA_LIKE = ['=HYPERLINK("http://x","点我")', "+1", "@SUM(A1:A2)", "=1+1", "-2", "\t=1", "\r=1"]
LOOKS_LIKE_OTHER = [
    "_x0041_",
    "007",
    "1e5",
    "0.50",
    "2024-01-02",
    "TRUE",
    "http://example.com",
    "mailto:a@b.cn",
    "#N/A",
]
CJK = ["欧阳娜娜", "單雄信", "兰州大学　文学院", "𠮷野家", "이민호", "山田太郎"]


def _insert(con, unit: str, alumni_id: str, **values) -> None:
    columns = ["unit_code", "unit_name", "alumni_id", *values]
    con.execute(
        f"insert into marts.unit_alumni ({', '.join(columns)}) values ({', '.join('?' * len(columns))})",
        [unit, f"{unit}学院", alumni_id, *values.values()],
    )


@pytest.fixture
def con():
    """marts.unit_alumni of three units: LIT with awkward text, PHY and CHE plain."""
    con = duckdb.connect()
    con.execute("create schema marts")
    columns = ", ".join(
        f"{c} {'date' if c in DATE_COLUMNS else 'varchar'}"
        for c in UNIT_COLUMNS
        if c not in ("is_complete", "unit_name")
    )
    con.execute(
        f"create table marts.unit_alumni (unit_code varchar, unit_name varchar, {columns}, is_complete boolean)"
    )
    for n, value in enumerate(FORMULA_LIKE + LOOKS_LIKE_OTHER + CJK):
        _insert(con, "LIT", f"LZU{n:08d}", name=f"甲{n:02d}", employer=value, gender="F", is_complete=False)
    _insert(con, "LIT", "LZU00000099", name="乙", grad_date=dt.date(2010, 7, 1), grad_date_precision="month")
    _insert(  # the dates of mixed precision a unit's records hold, the department as the archives wrote it
        con,
        "PHY",
        "LZU00000100",
        name="李娜",
        gender="F",
        birth_date=dt.date(1961, 1, 1),
        birth_date_precision="year",
        enrol_date=dt.date(1957, 9, 1),
        enrol_date_precision="day",
        grad_date=dt.date(2012, 7, 1),
        grad_date_precision="month",
        department_as_recorded="國文",
        is_complete=True,
    )
    _insert(con, "PHY", "LZU00000101", name="张伟", gender="M", grad_date=dt.date(2008, 7, 1), is_complete=True)
    _insert(con, "CHE", "LZU00000200", name="王芳", gender="X", is_complete=False)
    yield con
    con.close()


def _path(publish_root, unit):
    return publish_root / "units" / unit / f"{unit}_校友名单.xlsx"


def _rows(path):
    return list(load_workbook(path)["校友名单"].iter_rows())


def test_text_that_looks_like_a_formula_a_number_or_a_link_stays_text(con, tmp_path):
    """Each value is text as `safe_cell` made it. Read back by calamine (our readers), which decodes
    Excel's _xHHHH_ escapes as Excel does; openpyxl leaves them in inline strings ('\r' -> '_x000D_')."""
    write_unit_workbooks(con, tmp_path, "run-1")
    path = _path(tmp_path, "LIT")
    employer = list(UNIT_COLUMNS).index("employer")
    cells = {row[0].value: row[employer] for row in _rows(path)[1:]}
    shown = {
        row[0]: row[employer] for row in CalamineWorkbook.from_path(path).get_sheet_by_name("校友名单").to_python()
    }
    for n, value in enumerate(FORMULA_LIKE + LOOKS_LIKE_OTHER + CJK):
        assert cells[f"LZU{n:08d}"].data_type == "s" and shown[f"LZU{n:08d}"] == safe_cell(value), value
        if "\r" not in value and "_x" not in value:
            assert cells[f"LZU{n:08d}"].value == safe_cell(value), value
    by_value = {value: shown[f"LZU{n:08d}"] for n, value in enumerate(FORMULA_LIKE + LOOKS_LIKE_OTHER + CJK)}
    assert by_value[FORMULA_LIKE[0]] == '\'=HYPERLINK("http://x","点我")' and by_value["+1"] == "'+1"
    assert by_value["1e5"] == "1e5" and by_value["007"] == "007" and by_value["_x0041_"] == "_x0041_"
    with zipfile.ZipFile(path) as package:
        sheets = [package.read(n).decode() for n in package.namelist() if n.startswith("xl/worksheets/")]
    assert sheets and not [s for s in sheets if "<f>" in s or "<f " in s or "<hyperlink" in s]


def test_empty_values_leave_empty_cells(con, tmp_path):
    write_unit_workbooks(con, tmp_path, "run-1")
    row = next(r for r in _rows(_path(tmp_path, "LIT")) if r[0].value == "LZU00000099")
    shown = {field: cell.value for field, cell in zip(UNIT_COLUMNS, row)}
    assert shown["name"] == "乙" and shown["grad_date"] == dt.datetime(2010, 7, 1)
    assert shown["grad_date_precision"] == "月"
    assert {f for f, v in shown.items() if v is not None} == {
        "alumni_id",
        "name",
        "grad_date",
        "grad_date_precision",
        "unit_name",
    }


def test_a_workbook_holds_its_units_rows_in_order_with_the_headers_and_notes(con, tmp_path):
    result = write_unit_workbooks(con, tmp_path, "run-1")
    assert result.written == {"CHE": 1, "LIT": len(FORMULA_LIKE + LOOKS_LIKE_OTHER + CJK) + 1, "PHY": 2}
    book = load_workbook(_path(tmp_path, "PHY"))
    assert book.sheetnames == ["校友名单", "说明"]
    sheet = book["校友名单"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == list(UNIT_COLUMNS.values())
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    address = get_column_letter(list(UNIT_COLUMNS).index("address") + 1)
    assert round(sheet.column_dimensions[address].width) in (30, 31) and round(sheet.column_dimensions["B"].width) in (
        12,
        13,
    )
    gender, complete = list(UNIT_COLUMNS).index("gender"), list(UNIT_COLUMNS).index("is_complete")
    assert [(r[0], r[gender], r[complete]) for r in rows[1:]] == [
        ("LZU00000101", "男", "是"),
        ("LZU00000100", "女", "是"),
    ]
    notes = dict(book["说明"].iter_rows(values_only=True))
    assert notes["项目"] == "说明" and notes["单位"] == "PHY学院（PHY）" and notes["校友人数"] == "2"
    assert "run-1" in notes["生成时间"]
    che = list(load_workbook(_path(tmp_path, "CHE"))["校友名单"].iter_rows(values_only=True))
    assert len(che) == 2 and che[1][gender] is None and che[1][complete] == "否"  # an unknown code: empty


def test_rows_are_streamed_in_batches(con, tmp_path, monkeypatch):
    monkeypatch.setattr(publish, "_BATCH_ROWS", 2)
    result = write_unit_workbooks(con, tmp_path, "run-1")
    assert len(_rows(_path(tmp_path, "LIT"))) - 1 == result.written["LIT"] > 2


def test_a_workbook_failing_half_way_leaves_no_partial_file(con, tmp_path, monkeypatch):
    write_unit_workbooks(con, tmp_path, "run-1")
    before = _path(tmp_path, "LIT").read_bytes()
    real = publish._rows

    def breaking(con, unit):
        for n, row in enumerate(real(con, unit)):
            if unit == "LIT" and n == 3:
                raise OSError("connection lost")
            yield row

    monkeypatch.setattr(publish, "_rows", breaking)
    con.execute("update marts.unit_alumni set position = '讲师'")
    result = write_unit_workbooks(con, tmp_path, "run-2")
    assert result.failed == {"LIT": "OSError: connection lost"} and set(result.written) == {"CHE", "PHY"}
    assert _path(tmp_path, "LIT").read_bytes() == before
    names = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    assert not [n for n in names if "tmp" in n or "/." in n]


def _inodes(root):
    return {p.parent.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in (root / "units").glob("*/*.xlsx")}


def test_an_unchanged_unit_is_carried_over_and_a_changed_one_rewritten(con, tmp_path):
    first = write_unit_workbooks(con, tmp_path, "run-1")
    assert set(first.written) == {"CHE", "LIT", "PHY"} and not first.carried_over
    published = _inodes(tmp_path)

    again = write_unit_workbooks(con, tmp_path, "run-2")
    assert not again.written and again.carried_over == first.written and not again.failed
    assert _inodes(tmp_path) == published  # the same files: not one byte written

    con.execute("update marts.unit_alumni set position = '教授' where alumni_id = 'LZU00000100'")
    changed = write_unit_workbooks(con, tmp_path, "run-3")
    assert changed.written == {"PHY": 2} and set(changed.carried_over) == {"CHE", "LIT"}
    now = _inodes(tmp_path)
    assert now["CHE"] == published["CHE"] and now["LIT"] == published["LIT"] and now["PHY"] != published["PHY"]
    position = list(UNIT_COLUMNS).index("position")
    assert "教授" in [
        r[position] for r in load_workbook(_path(tmp_path, "PHY"))["校友名单"].iter_rows(values_only=True)
    ]

    manifest = json.loads((tmp_path / "units" / "manifest.json").read_text(encoding="utf-8"))
    assert {u: (e["rows"], e["run_id"]) for u, e in manifest["units"].items()} == {
        "CHE": (1, "run-1"),
        "LIT": (first.written["LIT"], "run-1"),
        "PHY": (2, "run-3"),
    }


def test_the_digest_does_not_depend_on_the_marts_row_order(con, tmp_path):
    write_unit_workbooks(con, tmp_path, "run-1")
    con.execute("create table shuffled as select * from marts.unit_alumni order by random()")
    con.execute("drop table marts.unit_alumni; create table marts.unit_alumni as select * from shuffled")
    assert not write_unit_workbooks(con, tmp_path, "run-2").written


def test_a_unit_name_a_unit_leaving_and_a_lost_manifest(con, tmp_path):
    write_unit_workbooks(con, tmp_path, "run-1")
    con.execute("update marts.unit_alumni set unit_name = '化学化工学院' where unit_code = 'CHE'")
    con.execute("delete from marts.unit_alumni where unit_code = 'PHY'")
    result = write_unit_workbooks(con, tmp_path, "run-2")
    assert set(result.written) == {"CHE"} and set(result.carried_over) == {"LIT"}  # the 说明 sheet names it
    assert not (tmp_path / "units" / "PHY").exists()
    manifest = tmp_path / "units" / "manifest.json"
    assert set(json.loads(manifest.read_text(encoding="utf-8"))["units"]) == {"CHE", "LIT"}
    for unreadable in ("{not json", '{"units": []}', '{"units": {"CHE": "x", "LIT": null}}'):
        manifest.write_text(unreadable, encoding="utf-8")
        result = write_unit_workbooks(con, tmp_path, "run-3")
        assert set(result.written) == {"CHE", "LIT"} and not result.failed  # unreadable: rewrite all
    (tmp_path / "units" / "LIT" / "LIT_校友名单.xlsx").unlink()
    result = write_unit_workbooks(con, tmp_path, "run-4")
    assert set(result.written) == {"LIT"} and set(result.carried_over) == {"CHE"}  # a missing file is rewritten


def test_a_change_to_the_writers_code_rewrites_every_workbook(con, tmp_path, monkeypatch):
    write_unit_workbooks(con, tmp_path, "run-1")
    monkeypatch.setattr(publish, "writer_fingerprint", lambda: "a new layout")
    result = write_unit_workbooks(con, tmp_path, "run-2")
    assert set(result.written) == {"CHE", "LIT", "PHY"} and not result.carried_over


def test_every_sheet_has_a_frozen_filtered_header_dates_at_their_precision_and_both_departments(con, tmp_path):
    """What a unit's secretary sorts and filters on: real dates formatted at the precision known, the
    precision beside each, the department as recorded and the unit it belongs to today."""
    write_unit_workbooks(con, tmp_path, "run-1")
    book = load_workbook(_path(tmp_path, "PHY"))
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref == f"A1:{get_column_letter(sheet.max_column)}{sheet.max_row}", sheet.title
    rows = list(book["校友名单"].iter_rows(min_row=2))
    li = {field: cell for field, cell in zip(UNIT_COLUMNS, rows[1])}
    assert li["alumni_id"].value == "LZU00000100"
    assert (li["birth_date"].value, li["birth_date"].number_format, li["birth_date_precision"].value) == (
        dt.datetime(1961, 1, 1),
        "yyyy",
        "年",
    )
    assert (li["grad_date"].value, li["grad_date"].number_format, li["grad_date_precision"].value) == (
        dt.datetime(2012, 7, 1),
        "yyyy-mm",
        "月",
    )
    assert (li["enrol_date"].value, li["enrol_date"].number_format, li["enrol_date_precision"].value) == (
        dt.datetime(1957, 9, 1),
        "yyyy-mm-dd",
        "日",
    )
    assert li["birth_date"].is_date and li["grad_date"].is_date
    assert (li["department_as_recorded"].value, li["unit_name"].value) == ("國文", "PHY学院")
    headers = [c.value for c in book["校友名单"][1]]
    assert {"出生日期精度", "原始院系", "今属单位"} <= set(headers) and "毕业院系" not in headers
    notes = " ".join(str(c) for row in book["说明"].iter_rows(values_only=True) for c in row)
    assert "各教学单位校友秘书" in notes and "校友总会办公室数据组" in notes
    assert "unit_updates 文件夹" not in notes
