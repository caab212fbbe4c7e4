"""The office's own work on the session's run on sample data: where alumni are (marts.alumni_places),
regions and chapters (marts.region_alumni, kpi_regions, chapter_councils), the reunion classes of the
coming year (marts.reunion_classes), and the workbooks published from them, each checked against the
records and marts they were made from."""

from __future__ import annotations

import itertools
import re
import shutil

import duckdb
import pytest
from conftest import messy_workbook
from openpyxl import load_workbook

from alumni_pipeline.config import CHAPTER_WORKBOOK
from alumni_pipeline.publish.office_workbooks import (
    CHAPTER_COLUMNS,
    REUNION_CLASS_COLUMNS,
    REUNION_MEMBER_COLUMNS,
    write_chapter_workbooks,
)
from orchestration.cli import main

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("pipeline")]

ID_NUMBER = re.compile(r"\d{17}[\dXx]")


@pytest.fixture
def con(sample_run):
    with duckdb.connect(str(sample_run["paths"].warehouse), read_only=True) as con:
        yield con


def test_alumni_are_placed_by_what_their_own_records_say(sample_run, con):
    assert sample_run["exit_code"] == 0
    placed = con.execute("""
        select p.alumni_id, p.province, p.city, p.place_basis, list(r.address), list(r.employer), list(r.postcode)
        from marts.alumni_places as p
        join marts.alumni_xref as x using (alumni_id)
        join intermediate.int_ranked_records as r using (record_id)
        where p.province is not null
        group by all""").fetchall()
    alumni = con.execute("select count(*) from marts.alumni").fetchone()[0]
    assert len(placed) > alumni / 2  # most of the sample's alumni give an address, employer or postcode
    for alumni_id, province, city, basis, addresses, employers, postcodes in placed:
        said = {"address": addresses, "employer": employers, "postcode": postcodes}[basis]
        if basis == "postcode":
            assert city is None, alumni_id
        else:  # the province or the city is written in that kind of evidence, in one of their records
            stem = (city or "").removesuffix("市")
            assert any(t and (province in t or (stem and stem in t)) for t in said), (alumni_id, province, city)
    bases = {b for _, _, _, b, *_ in placed}
    assert bases == {"address", "employer", "postcode"}


def test_regions_count_each_placed_alumnus_once_and_rank_the_places_without_a_chapter(con):
    per_province = dict(
        con.execute(
            "select province, count(*) from marts.alumni_places where province is not null group by 1"
        ).fetchall()
    )
    kpi = {
        (level, province, city): (alumni, has_chapter, rank)
        for level, province, city, alumni, has_chapter, rank in con.execute(
            "select region_level, province, city, alumni, has_chapter, chapter_rank from marts.kpi_regions"
        ).fetchall()
    }
    for province, n in per_province.items():
        assert kpi[("province", province, None)][0] == n
    # region_alumni splits the same alumni by unit and decade: every placed alumnus is in it
    covered = con.execute("""
        select count(distinct alumni_id) from marts.alumni_places p
        where province is not null and exists (
            select 1 from marts.region_alumni r where r.province = p.province and r.city is not distinct from p.city)
        """).fetchone()[0]
    assert covered == sum(per_province.values())
    # the register's chapters cover their regions; the others are ranked by alumni, most first
    assert kpi[("province", "北京", None)][1] and kpi[("city", "广东", "深圳市")][1]
    uncovered = sorted(
        ((alumni, rank) for (level, _, _), (alumni, has, rank) in kpi.items() if level == "province" and not has),
        key=lambda t: t[1],
    )
    assert uncovered and all(a >= b for (a, _), (b, _) in itertools.pairwise(uncovered))
    assert all(rank is None for (_, _, _), (_, has, rank) in kpi.items() if has)


def test_councils_are_due_a_year_before_their_three_year_term_ends(con):
    rows = con.execute("""
        select chapter_name, council_elected_on, council_term_ends, council_renewal_due, as_of_date
        from marts.chapter_councils""").fetchall()
    assert len(rows) == 11
    for name, elected, ends, due, as_of in rows:
        assert ends == elected.replace(year=elected.year + 3), name
        assert due == (ends <= as_of.replace(year=as_of.year + 1)), name
    due = {name for name, *_, flag, _ in rows if flag}
    assert "兰州大学管理学院西安校友分会" not in due and "兰州大学广东校友会" in due


def test_reunion_classes_are_the_anniversaries_of_the_coming_year_with_their_counts(con):
    classes = con.execute("""
        select reunion_year, years_since, unit_code, major_key, grad_year, alumni, reachable, on_wall, has_liaison
        from marts.reunion_classes""").fetchall()
    assert classes and {c[0] for c in classes} == {2026}  # the sample's now is 2025-06-30
    members = con.execute("""
        select m.unit_code, m.major_key, m.grad_year, count(distinct m.alumni_id),
               count(distinct m.alumni_id) filter (where a.mobile is not null or a.email is not null)
        from marts.class_members m join marts.alumni a using (alumni_id) group by all""").fetchall()
    counts = {(u, k, y): (n, r) for u, k, y, n, r in members}
    for year, since, unit, key, grad, alumni, reachable, on_wall, _ in classes:
        assert since == year - grad and since in (10, 20, 30, 40, 50, 60)
        assert (alumni, reachable) == counts[(unit, key, grad)]
        assert on_wall == alumni  # the sample's opt-out list is empty: everyone is on the wall
    every = {(u, k, y) for (u, k, y), _ in counts.items() if 2026 - y in (10, 20, 30, 40, 50, 60)}
    assert every == {(c[2], c[3], c[4]) for c in classes}


def test_chapter_workbooks_list_each_provinces_alumni_for_the_office_with_no_id_numbers(sample_run, con):
    folder = sample_run["paths"].publish / "office" / "chapters"
    expected = dict(
        con.execute(
            "select province, alumni from marts.kpi_regions where region_level = 'province' and alumni > 0"
        ).fetchall()
    )
    books = {p.name.removesuffix("_地方校友名单.xlsx"): p for p in folder.glob("*_地方校友名单.xlsx")}
    assert set(books) == set(expected)
    for province, path in books.items():
        book = load_workbook(path)
        assert book.sheetnames == ["校友名单", "说明"]
        sheet = book["校友名单"]
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
        rows = list(sheet.iter_rows(values_only=True))
        assert list(rows[0]) == list(CHAPTER_COLUMNS.values())
        assert len(rows) - 1 == expected[province]
        for row in rows[1:]:
            assert not [v for v in row if isinstance(v, str) and (ID_NUMBER.search(v) or v.startswith("="))], row
        notes = " ".join(str(v) for r in book["说明"].iter_rows(values_only=True) for v in r if v)
        assert "仅供校友总会办公室使用" in notes
    beijing = " ".join(str(v) for r in load_workbook(books["北京"])["说明"].iter_rows(values_only=True) for v in r)
    assert "兰州大学北京校友会" in beijing and "需计划换届" in beijing


def test_a_chapter_workbook_is_rewritten_only_when_its_provinces_content_changed(sample_run, tmp_path):
    """The second run carries every province's workbook over; after one alumnus of one province gives a
    new mobile number, only that province's workbook is written again, showing it."""
    warehouse = tmp_path / "alumni.duckdb"
    shutil.copy(sample_run["paths"].warehouse, warehouse)
    with duckdb.connect(str(warehouse)) as con:
        first = write_chapter_workbooks(con, tmp_path / "published", "run-one")
        again = write_chapter_workbooks(con, tmp_path / "published", "run-two")
        assert len(first.written) > 3 and not first.carried_over and not first.failed
        assert not again.written and again.carried_over == first.written
        province, alumni_id = con.execute(
            "select province, min(alumni_id) from marts.alumni_places where province is not null "
            "group by province order by count(*) desc limit 1"
        ).fetchone()
        con.execute("update marts.alumni set mobile = '13912345678' where alumni_id = ?", [alumni_id])
        third = write_chapter_workbooks(con, tmp_path / "published", "run-three")
    name = CHAPTER_WORKBOOK.format(province=province)
    assert list(third.written) == [name] and len(third.carried_over) == len(first.written) - 1
    book = load_workbook(tmp_path / "published" / "office" / "chapters" / name)
    assert "13912345678" in {v for row in book["校友名单"].iter_rows(values_only=True) for v in row}


def test_reunion_workbooks_hold_only_their_units_classes_and_members(sample_run, con):
    folder = sample_run["paths"].publish / "office" / "reunions" / "2026"
    classes = {}
    for unit, grad, major in con.execute("select unit_code, grad_year, major from marts.reunion_classes").fetchall():
        classes.setdefault(unit, set()).add((grad, major))
    books = {p.name.removesuffix("_2026年秩年返校班级.xlsx"): p for p in folder.glob("*.xlsx")}
    assert set(books) == set(classes)
    for unit, path in books.items():
        book = load_workbook(path, read_only=True)
        assert book.sheetnames == ["返校班级", "班级校友", "说明"]
        rows = list(book["返校班级"].iter_rows(values_only=True))
        assert list(rows[0]) == list(REUNION_CLASS_COLUMNS.values())
        grad_at, major_at = list(REUNION_CLASS_COLUMNS).index("grad_year"), list(REUNION_CLASS_COLUMNS).index("major")
        assert {(r[grad_at], r[major_at]) for r in rows[1:]} == classes[unit]
        members = list(book["班级校友"].iter_rows(values_only=True))
        assert list(members[0]) == list(REUNION_MEMBER_COLUMNS.values())
        own = {
            a
            for (a,) in con.execute(
                """select alumni_id from marts.class_members join marts.reunion_classes using (unit_code, major_key, grad_year)
                   where unit_code = ?""",
                [unit],
            ).fetchall()
        }
        at = list(REUNION_MEMBER_COLUMNS).index("alumni_id")
        assert {r[at] for r in members[1:]} == own


def test_the_kpi_page_shows_alumni_by_province(sample_run, con):
    page = (sample_run["paths"].publish / "kpi" / "kpi_report.html").read_text(encoding="utf-8")
    assert "校友地域分布" in page
    for (province,) in con.execute("select province from marts.kpi_regions where region_level = 'province'").fetchall():
        assert f"<td>{province}</td>" in page


def test_an_unreadable_opt_out_list_holds_back_the_wall_and_reunions_and_nothing_else(project, capsys, tmp_path):
    """The opt-out list decides who the wall and the reunion counts leave out: a list that cannot be read
    stops both (rather than show someone who asked not to be), while the units' workbooks, the KPI page
    and the chapter lists are published as usual; once the list is fixed, all of it is."""
    messy_workbook(project.drops / "archives" / "2003届本科.xlsx")
    elsewhere = tmp_path / "elsewhere.csv"
    elsewhere.write_text("校友编号\nLZU00000001\n", encoding="utf-8")
    (project.drops / "opt_out").mkdir(parents=True, exist_ok=True)
    (project.drops / "opt_out" / "退出名单.csv").symlink_to(elsewhere)  # outside the landing root: refused
    assert main(["run"]) == 1
    err = capsys.readouterr().err
    assert "FAILED marts__wall_opt_outs" in err and "symbolic link" in err
    published = project.publish
    assert not (published / "alumni_wall" / "LATEST").exists()
    assert list((published / "units").glob("*/*_校友名单.xlsx")) and (published / "kpi" / "kpi_report.html").exists()
    # the archives' rows give no address: the chapter lists are published, empty, and the reunions held back
    assert (published / "office" / "chapters").is_dir() and not (published / "office" / "reunions").exists()

    (project.drops / "opt_out" / "退出名单.csv").unlink()
    assert main(["run"]) == 0
    assert (published / "alumni_wall" / "LATEST").exists() and (published / "office" / "reunions").is_dir()
