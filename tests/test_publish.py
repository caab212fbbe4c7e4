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

from alumni_pipeline.conform.duckdb_functions import register
from alumni_pipeline.publish.kpi_report import HEADERS
from alumni_pipeline.publish.unit_workbooks import UNIT_COLUMNS
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
        b for (b,) in con.execute("select birth_date from marts.alumni where length(birth_date) = 10").fetchall()
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
