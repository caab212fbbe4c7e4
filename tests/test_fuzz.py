"""Property-based tests (hypothesis): any bytes under any file name come back as rows or a reason code,
and any cell text gives each normaliser a value or None; never an exception. Fast: a few hundred
examples each, no deadline (the first pinyin or OpenCC call loads its tables)."""

from __future__ import annotations

import io
import zipfile

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alumni_pipeline import conform as normalize
from alumni_pipeline.cell_safety import FORMULA_STARTS, has_control_chars, safe_cell
from alumni_pipeline.ingest.readers import read_bytes
from alumni_pipeline.reasons import REASONS

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

EXTENSIONS = st.sampled_from([".xlsx", ".xls", ".xlsm", ".csv", ".txt", ".tsv", ".et", ".docx", ".png", "", ".XLSX"])
FILE_NAMES = st.builds(lambda stem, ext: stem + ext, st.text(min_size=1, max_size=80), EXTENSIONS)
HEADER_WORDS = [
    "姓名",
    "性别",
    "出生日期",
    "身份证号",
    "毕业院系",
    "专业",
    "手机",
    "Name",
    "\ufeff姓名",
    "学号",
    "备注",
]
CELLS = st.one_of(
    st.sampled_from(HEADER_WORDS),
    st.text(max_size=30),
    st.sampled_from(["=1+2", "-韩梅梅", "@赵六", "张\x00伟", "6.20102E+17", "合计", "制表人：张"]),
)


def assert_rows_or_reasons(result) -> None:
    found = [result.refused_file, *result.refused_sheets, *result.findings]
    assert result.rows or any(found)
    assert all(f.code in REASONS for f in found if f)
    for rows in result.rows.values():
        for row in rows:
            assert not any(has_control_chars(v) for v in [*row.fields.values(), *row.extra.values()])


@FAST
@given(data=st.binary(max_size=4096), name=FILE_NAMES)
def test_any_bytes_under_any_name_are_rows_or_a_reason(data, name):
    assert_rows_or_reasons(read_bytes(data, name))


@FAST
@given(
    rows=st.lists(st.lists(CELLS, max_size=8), max_size=12),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    name=FILE_NAMES,
)
def test_any_csv_text_is_rows_or_a_reason(rows, encoding, delimiter, name):
    text = "\n".join(delimiter.join(row) for row in rows)
    data = text.encode(encoding, errors="replace")
    assert_rows_or_reasons(read_bytes(data, name if name.endswith((".csv", ".txt")) else name + ".csv"))


def _workbook(rows: list[list[str]]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append([c.replace("\x00", "") for c in row])
    for cell in (c for line in book.active.iter_rows() for c in line if isinstance(c.value, str)):
        cell.data_type = "s"
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


_GOOD = _workbook([["姓名", "性别", "毕业院系"], ["张伟", "男", "中文系"]])


@FAST
@given(rows=st.lists(st.lists(st.text(max_size=20).filter(lambda s: "\x00" not in s), max_size=6), max_size=8))
def test_any_workbook_cells_are_rows_or_a_reason(rows):
    try:
        data = _workbook([["姓名", "性别"], *rows])
    except Exception:
        return
    assert_rows_or_reasons(read_bytes(data, "a.xlsx"))


@FAST
@given(
    cut=st.integers(min_value=0, max_value=len(_GOOD)),
    flips=st.lists(
        st.tuples(st.integers(min_value=0, max_value=len(_GOOD) - 1), st.integers(min_value=0, max_value=255)),
        max_size=8,
    ),
)
def test_a_damaged_workbook_is_rows_or_a_reason(cut, flips):
    data = bytearray(_GOOD[:cut] if cut > 4 else _GOOD)
    for at, value in flips:
        if at < len(data):
            data[at] = value
    assert_rows_or_reasons(read_bytes(bytes(data), "a.xlsx"))


@FAST
@given(
    entries=st.dictionaries(
        st.sampled_from(
            [
                "xl/workbook.xml",
                "[Content_Types].xml",
                "xl/worksheets/sheet1.xml",
                "word/document.xml",
                "xl/sharedStrings.xml",
            ]
        ),
        st.binary(max_size=512),
    )
)
def test_any_zip_is_rows_or_a_reason(entries):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    assert_rows_or_reasons(read_bytes(buf.getvalue(), "a.xlsx"))


TEXT_NORMALISERS = [
    normalize.clean_name,
    normalize.name_script,
    normalize.name_pinyin,
    normalize.pinyin_key,
    normalize.split_han_name,
    normalize.latin_name_parts,
    normalize.clean_gender,
    normalize.parse_date,
    normalize.year_of,
    normalize.clean_mobile,
    normalize.clean_landline,
    normalize.clean_email,
    normalize.clean_postcode,
    normalize.native_place,
    normalize.education_level,
    normalize.study_form,
]
ANY_CELL = st.one_of(st.text(max_size=60), st.none(), st.integers(), st.floats(), CELLS)


@FAST
@given(value=ANY_CELL)
def test_any_cell_text_is_a_value_or_none(value):
    for normaliser in TEXT_NORMALISERS:
        out = normaliser(value)
        assert out is None or isinstance(out, (str, int, tuple, normalize.ParsedDate)), normaliser
    info = normalize.clean_id(value)
    assert info.value is None or len(info.value) == 18
    name = normalize.clean_name(value)
    assert name is None or not (name.startswith(FORMULA_STARTS) or has_control_chars(name))


@FAST
@given(value=st.one_of(st.text(), st.integers(), st.none()))
def test_safe_cell_never_publishes_a_formula_or_a_control_character(value):
    out = safe_cell(value)
    if isinstance(value, str):
        assert not out.startswith(("=", "+", "-", "@")) and not has_control_chars(out)
    else:
        assert out == value
