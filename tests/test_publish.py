"""What the session's run on sample data published: the alumni-wall snapshot, the units' workbooks and
the KPI report, each checked against the marts it was made from."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from html.parser import HTMLParser

import duckdb
import pytest
from conftest import SAMPLE_AS_OF
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from alumni_pipeline.conform.duckdb_functions import register
from alumni_pipeline.publish.kpi_report import HEADERS
from alumni_pipeline.publish.unit_workbooks import DATE_COLUMNS, UNIT_COLUMNS
from alumni_pipeline.publish.wall import WALL_COLUMNS

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("pipeline")]

FORBIDDEN = re.compile(r"birth|mobile|phone|email|mail|address|postcode|id_number|passport|手机|邮箱|身份证|出生|地址")


@pytest.fixture
def con(sample_run):
    with duckdb.connect(str(sample_run["paths"].warehouse), read_only=True) as con:
        yield con


@pytest.fixture
def snapshot(sample_run):
    wall = sample_run["paths"].publish / "alumni_wall"
    folder = wall / (wall / "LATEST").read_text(encoding="utf-8").strip()
    return folder, json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def test_the_gate_passes_on_sample_data_and_the_run_publishes(sample_run, snapshot):
    assert sample_run["exit_code"] == 0
    folder, manifest = snapshot
    assert manifest["schema_version"] == 2 and manifest["snapshot_id"] == folder.name and manifest["run_id"]
    for name, info in manifest["files"].items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == info["sha256"]
    rows = duckdb.sql(f"select count(*) from '{folder / 'alumni_wall.parquet'}'").fetchone()[0]
    assert rows == manifest["row_count"] > 300
    assert set(manifest["counts"]["person_records"]) >= {"archives", "hr", "unit_updates"}
    docs = sample_run["paths"].publish / "quality"
    assert (docs / "conformed_records" / "index.html").exists() and (docs / "golden_tables" / "index.html").exists()


def test_the_wall_holds_only_wall_fields(snapshot, con):
    folder, _ = snapshot
    for name in ("alumni_wall.parquet", "alumni_wall.csv"):
        columns = [c for c, *_ in duckdb.sql(f"describe select * from '{folder / name}'").fetchall()]
        assert tuple(columns) == WALL_COLUMNS and not any(FORBIDDEN.search(c) for c in columns)
    values = {str(v) for row in duckdb.sql(f"select * from '{folder / 'alumni_wall.csv'}'").fetchall() for v in row}
    assert not [v for v in values if re.fullmatch(r"1[3-9]\d{9}|\d{17}[\dX]|\d{15}|[^@\s]+@[^@\s]+", v)]
    birth_dates = {
        b
        for (b,) in con.execute(
            "select strftime(birth_date, '%Y-%m-%d') from marts.alumni where birth_date_precision = 'day'"
        ).fetchall()
    }
    assert not values & birth_dates
    assert (
        duckdb.sql(f"select count(*) from '{folder / 'alumni_wall.parquet'}'").fetchone()
        == con.execute("select count(*) from marts.alumni_education").fetchone()
    )  # nobody opted out in the sample


def test_each_unit_workbook_holds_only_its_own_alumni(sample_run, con):
    units = sample_run["paths"].publish / "units"
    expected = {}
    for unit, alumni_id in con.execute("select unit_code, alumni_id from marts.unit_alumni").fetchall():
        expected.setdefault(unit, set()).add(alumni_id)
    workbooks = sorted(units.glob("*/*_校友名单.xlsx"))
    assert {p.parent.name for p in workbooks} == set(expected) and len(expected) > 10
    for path in workbooks:
        assert path.name == f"{path.parent.name}_校友名单.xlsx"
        rows = list(load_workbook(path, read_only=True)["校友名单"].iter_rows(values_only=True))
        assert list(rows[0]) == list(UNIT_COLUMNS.values())
        own = expected[path.parent.name]
        assert {r[0] for r in rows[1:]} == own and len(rows) - 1 == len(own)
        ids = [r[list(UNIT_COLUMNS).index("id_number_masked")] for r in rows[1:]]
        assert all(i is None or re.fullmatch(r"\d{6}\*{8}\d{3}[\dX]", i) for i in ids)
        assert {r[list(UNIT_COLUMNS).index("is_complete")] for r in rows[1:]} <= {"是", "否"}


def test_unit_workbooks_are_ready_for_staff_dates_departments_frozen_filtered_headers(sample_run, con):
    """On the sample's messy dates (1955-06, 1961, 1957-07-21) every date cell is a real date formatted at
    the precision beside it, 今属单位 is the unit's name today, 原始院系 the department as recorded (the
    archives' traditional characters kept), and every sheet has a frozen, filtered header and no JSON."""
    formats = {"日": "yyyy-mm-dd", "月": "yyyy-mm", "年": "yyyy"}
    names = dict(con.execute("select unit_code, unit_name_zh from reference.units").fetchall())
    recorded = {
        (a, d) for a, d in con.execute("select alumni_id, department_as_recorded from marts.unit_alumni").fetchall()
    }
    seen_precisions, traditional = set(), 0
    for path in sorted((sample_run["paths"].publish / "units").glob("*/*_校友名单.xlsx")):
        book = load_workbook(path)
        for sheet in book.worksheets:
            assert sheet.freeze_panes == "A2", (path, sheet.title)
            assert sheet.auto_filter.ref == f"A1:{get_column_letter(sheet.max_column)}{sheet.max_row}", path
            for row in sheet.iter_rows(values_only=True):
                assert not [v for v in row if isinstance(v, str) and v.startswith(("{", "[")) and _json(v)], path
        header = [c.value for c in book["校友名单"][1]]
        at = {field: header.index(UNIT_COLUMNS[field]) for field in UNIT_COLUMNS}
        for row in book["校友名单"].iter_rows(min_row=2):
            for date, precision in DATE_COLUMNS.items():
                cell, shown = row[at[date]], row[at[precision]].value
                assert (cell.value is None) == (shown is None), cell.coordinate
                if cell.value is not None:
                    assert isinstance(cell.value, dt.datetime) and cell.number_format == formats[shown], cell
                    seen_precisions.add(shown)
            assert row[at["unit_name"]].value == names[path.parent.name]
            department = row[at["department_as_recorded"]].value
            assert (row[0].value, department) in recorded
            traditional += department is not None and any(c in department for c in "國係學醫藥機數")
    assert seen_precisions == {"日", "月", "年"} and traditional > 0


def _json(text: str) -> bool:
    try:
        return isinstance(json.loads(text), dict | list)
    except ValueError:
        return False


def test_unit_views_hold_only_their_unit(con):
    for unit in ("LIT", "ECE"):
        assert con.execute(f"select distinct unit_code from marts.unit_{unit.lower()}").fetchall() == [(unit,)]


def _int(text: str) -> int:
    return int(text.replace(",", ""))


def _share(text: str) -> float:
    return float(text.rstrip("%")) / 100


class _Tables(HTMLParser):
    """The cells of every <table> in a page, row by row."""

    def __init__(self):
        super().__init__()
        self.rows, self._cell = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = ""

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self.rows[-1].append(self._cell.strip())
            self._cell = None


def test_the_kpi_report_shows_the_numbers_a_query_on_the_marts_gives(sample_run, con):
    report = sample_run["paths"].publish / "kpi" / "kpi_report.html"
    page = _Tables()
    page.feed(report.read_text(encoding="utf-8"))
    header = next(r for r in page.rows if r[:3] == [HEADERS["rank"], HEADERS["unit_code"], HEADERS["unit_name"]])
    columns = [{h: c for c, h in HEADERS.items()}[h] for h in header]  # the Chinese headers, one per column
    shown = {r[1]: dict(zip(columns, r)) for r in page.rows if r != header and len(r) == len(header)}
    assert "<svg" in report.read_text(encoding="utf-8")

    # the same numbers, from the golden tables and the conformed records, not from marts.kpi_*
    as_of = dt.date.fromisoformat(SAMPLE_AS_OF)
    start, end = (dt.date(2025, 3, 1), dt.date(2025, 8, 1))
    assert start <= as_of < end
    alumni, reachable = con.execute(
        "select count(*), count(*) filter (where mobile is not null or email is not null) from marts.alumni"
    ).fetchone()
    updated = con.execute(
        """
        select count(distinct x.alumni_id) from intermediate.int_person_records p
        join marts.alumni_xref x using (record_id)
        where p.source_system in ('unit_updates', 'self_reported')
          and rpad(p.update_date, 10, '-01-01') >= ? and rpad(p.update_date, 10, '-01-01') < ?""",
        [start.isoformat(), end.isoformat()],
    ).fetchone()[0]
    unit_alumni = dict(con.execute("select unit_code, count(*) from marts.unit_alumni group by all").fetchall())
    assert 0 < updated < alumni and 0 < reachable < alumni
    university = shown["ALL"]
    assert _int(university["alumni"]) == alumni
    assert _int(university["updated"]) == updated and _share(university["updated_share"]) == pytest.approx(
        updated / alumni, abs=0.0006
    )
    assert _int(university["reachable"]) == reachable and _share(university["reachable_share"]) == pytest.approx(
        reachable / alumni, abs=0.0006
    )
    assert {u: _int(r["alumni"]) for u, r in shown.items() if u != "ALL" and r["alumni"] != "0"} == unit_alumni
    units = {u for (u,) in con.execute("select unit_code from reference.units").fetchall()}
    assert {u for u, r in shown.items() if r["alumni"] == "0"} == units - set(unit_alumni)  # units with nobody
    ranked = [u for u in shown if u != "ALL" and shown[u]["alumni"] != "0"]
    gaps = [float(shown[u]["gap"]) for u in ranked]
    assert gaps == sorted(gaps, reverse=True)  # worst first

    # classes: every (unit, major, year) the golden education table holds, with or without a register entry
    register(con)
    classes = con.execute("""select count(*) from (select distinct unit_code, major_name_key(major), grad_year
        from marts.alumni_education where unit_code is not null and major is not null and grad_year <= 2025)""")
    assert _int(university["classes"]) == classes.fetchone()[0]
    with_liaison = _int(university["classes_with_liaison"])
    assert 0 < with_liaison < _int(university["classes"])
    assert _int(university["classes_without_liaison"]) == _int(university["classes"]) - with_liaison


MART_DATES = {  # mart -> its dates, each a DATE with a <name>_precision beside it
    "alumni": ("birth_date", "last_updated"),
    "alumni_education": ("enrol_date", "grad_date"),
    "alumni_employment": ("period_start", "period_end"),
    "unit_alumni": ("birth_date", "enrol_date", "grad_date"),
}


def test_mart_dates_are_dates_with_their_precision(con):
    """Each date of mixed precision is a DATE (the first day it names) with its precision beside it; the
    sample holds all three precisions, and the date agrees with the conformed text it came from."""
    types = dict(
        ((t, c), d)
        for t, c, d in con.execute(
            "select table_name, column_name, data_type from duckdb_columns() where schema_name = 'marts'"
        ).fetchall()
    )
    for table, dates in MART_DATES.items():
        for date in dates:
            assert types[(table, date)] == "DATE", (table, date)
            assert types[(table, f"{date}_precision")] == "VARCHAR", (table, date)
            bad = con.execute(
                f"""select count(*) from marts.{table}
                where ({date} is null) <> ({date}_precision is null)
                   or {date}_precision not in ('day', 'month', 'year')
                   or ({date}_precision = 'year' and strftime({date}, '%m-%d') <> '01-01')
                   or ({date}_precision = 'month' and day({date}) <> 1)"""
            ).fetchone()[0]
            assert bad == 0, (table, date)
    for table, date in (("alumni_education", "enrol_date"), ("alumni_education", "grad_date")):
        found = {p for (p,) in con.execute(f"select distinct {date}_precision from marts.{table}").fetchall()}
        assert {"day", "month", "year"} <= found, (table, date)  # the sample's archives hold all three
    # a golden birth date is one of its records' conformed texts, typed
    mismatched = con.execute(
        """select count(*) from marts.alumni as a
        where a.birth_date is not null and not exists (
            select 1 from marts.alumni_xref as x join intermediate.int_person_records as r using (record_id)
            where x.alumni_id = a.alumni_id
              and coalesce(r.id_birth_date, r.birth_date) = case a.birth_date_precision
                  when 'day' then strftime(a.birth_date, '%Y-%m-%d')
                  when 'month' then strftime(a.birth_date, '%Y-%m') else strftime(a.birth_date, '%Y') end)"""
    ).fetchone()[0]
    assert mismatched == 0


def test_every_mart_column_has_its_comment(con):
    """dbt's persist_docs: every column of every mart table, and of the per-unit views, carries its
    description as a comment in DuckDB."""
    columns = con.execute(
        "select table_name, column_name, comment from duckdb_columns() where schema_name = 'marts'"
    ).fetchall()
    tables = {t for t, _, _ in columns}
    assert {"alumni", "alumni_xref", "alumni_education", "alumni_employment", "unit_alumni", "kpi_units"} <= tables
    assert any(t.startswith("unit_") and t != "unit_alumni" for t in tables)
    assert [(t, c) for t, c, comment in columns if not comment] == []
    relations = con.execute("select table_name, comment from duckdb_tables() where schema_name = 'marts'").fetchall()
    assert [t for t, comment in relations if not comment] == []
