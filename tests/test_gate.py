"""The quality gate end to end, on a project of its own: a good drop publishes; a drop that blanks
every birth date still publishes (completeness is a warning, and ID numbers give birth dates); a file
whose enrolment and graduation columns were swapped is held back, its last accepted version staying in
use, its unit told why, and everything else published; archives arriving half-empty block publishing
with exit code 3 and a readable reason while LATEST keeps naming the live snapshot; a good drop again
publishes a new snapshot, without the alumni on the opt-out list."""

from __future__ import annotations

import csv
import io
import json
import shutil

import duckdb
import pytest
from conftest import SAMPLE_AS_OF
from openpyxl import Workbook, load_workbook

from alumni_pipeline.config import Paths
from alumni_pipeline.ingest.headers import canonical_field
from orchestration.cli import main

pytestmark = pytest.mark.e2e  # `alumni run` six times


@pytest.fixture
def gated(pipeline_env, monkeypatch):
    """A sample university of 200 persons in a project of its own, and which archives files hold rows."""
    monkeypatch.setenv("ALUMNI_AS_OF", SAMPLE_AS_OF)
    assert main(["sample", "--out", str(pipeline_env.drops), "--persons", "200", "--seed", "3"]) == 0
    paths = pipeline_env.paths
    manifest = json.loads((paths.drops / "sample_manifest.json").read_text(encoding="utf-8"))
    archives = {
        f["path"]: f["data_rows"]
        for f in manifest["files"]
        if f["source"] == "archives" and f["data_rows"] and not f["expect_file_reason"]
    }
    shutil.copytree(paths.drops / "archives", pipeline_env.root / "archives_as_sent")
    return paths, archives


def live(paths: Paths) -> str:
    return (paths.publish / "alumni_wall" / "LATEST").read_text(encoding="utf-8").strip()


def snapshots(paths: Paths) -> list[str]:
    return sorted(p.name for p in (paths.publish / "alumni_wall").iterdir() if p.is_dir())


def restore_archives(paths: Paths) -> None:
    shutil.copytree(paths.drops.parent / "archives_as_sent", paths.drops / "archives", dirs_exist_ok=True)


def blank_birth_dates(path) -> None:
    """The file as an office might send it again: the same rows, the birth-date column left empty."""
    rewrite(path, lambda fields, row: [None if f == "birth_date" else v for f, v in zip(fields, row)])


def swap_enrolment_and_graduation(path) -> None:
    """The file sent again with the enrolment and graduation columns swapped."""

    def swap(fields, row):
        where = {f: i for i, f in enumerate(fields)}
        row = list(row)
        if "enrol_date" in where and "grad_date" in where:
            row[where["enrol_date"]], row[where["grad_date"]] = row[where["grad_date"]], row[where["enrol_date"]]
        return row

    rewrite(path, swap)


def rewrite(path, change) -> None:
    """Rewrite every data row under the header (the row with a name column) with change(fields, row)."""
    if path.suffix == ".csv":
        data = path.read_bytes()
        encoding = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8" if _is_utf8(data) else "gb18030"
        rows = list(csv.reader(io.StringIO(data.decode(encoding), newline="")))
        fields = [canonical_field(h) for h in rows[0]]
        rows[1:] = [
            [v if v is not None else "" for v in change(fields + [None] * (len(r) - len(fields)), r)] for r in rows[1:]
        ]
        out = io.StringIO(newline="")
        csv.writer(out, lineterminator="\r\n" if b"\r\n" in data else "\n").writerows(rows)
        path.write_bytes(out.getvalue().encode(encoding))
        return
    book = load_workbook(path)
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows(max_row=30))
        header = next((r for r in rows if any(canonical_field(c.value) == "name" for c in r if c.value)), None)
        if header is None:
            continue
        fields = [canonical_field(c.value) if c.value else None for c in header]
        for row in sheet.iter_rows(min_row=header[0].row + 1, max_col=len(fields)):
            values = change(fields, [c.value for c in row])
            for cell, value in zip(row, values):
                cell.value = value
    book.save(path)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def test_bad_drops_are_blocked_and_good_ones_published(gated, capsys):
    """One scenario, in order (the steps build on each other, so they are one test whatever the
    scheduler does with them)."""
    paths, archives = gated

    # 1. a good drop publishes the first snapshot
    assert main(["run"]) == 0
    first = live(paths)
    assert snapshots(paths) == [first]

    # 2. the archives send their files again with the birth dates left empty: completeness is a
    # warning to the unit, and the ID numbers the rows hold give their birth dates
    for rel in archives:
        blank_birth_dates(paths.drops / rel)
    assert main(["run"]) == 0
    second = live(paths)
    assert second != first
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        sources = dict(
            con.execute("""select birth_date_source, count(*) from intermediate.int_person_records
                                      where source_system = 'archives' group by all""").fetchall()
        )
    assert sources.get("id_number", 0) > 0 and "typed" not in sources
    restore_archives(paths)
    assert main(["run"]) == 0

    # 3. one archives list is sent again with enrolment and graduation swapped: that file is held back
    # and its accepted version stays in use; everything else is published
    held = max(archives, key=archives.get)
    before = file_records(paths, held)
    swap_enrolment_and_graduation(paths.drops / held)
    assert main(["run"]) == 0
    assert live(paths) not in (first, second)
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        holds = con.execute(
            "select source_file, expectation from audit.gate_holds where scope = 'file' and expectation like 'GATE%'"
        ).fetchall()
    assert holds == [(held, "GATE_GRAD_BEFORE_ENROL_MOSTLY")]
    assert file_records(paths, held) == before  # the same rows, years and alumni_ids as before
    report = load_workbook(paths.publish / "refusals" / f"{held}.退回说明.xlsx").active
    lines = [[c for c in row] for row in report.iter_rows(min_row=2, values_only=True)]
    assert any(
        line[4] == "GATE_GRAD_BEFORE_ENROL_MOSTLY" and "沿用上次" in line[5] and "填反" in line[6] for line in lines
    )
    restore_archives(paths)

    # 4. the archives arrive half-empty: files holding half their rows are missing
    published = live(paths)
    before_blocked = snapshots(paths)
    capsys.readouterr()
    removed = 0
    for rel, rows in sorted(archives.items(), key=lambda item: -item[1]):
        if removed >= sum(archives.values()) / 2:
            break
        (paths.drops / rel).unlink()
        removed += rows
    assert main(["run"]) == 3
    err = capsys.readouterr().err
    reason = next(line for line in err.splitlines() if "[critical]" in line and "share_of_last_published" in line)
    assert "80%" in reason and "archives: " in reason
    assert f"still shows snapshot {published}" in err
    assert live(paths) == published and snapshots(paths) == before_blocked
    restore_archives(paths)

    # 5. a good drop again, with an opt-out list: a new snapshot, without the alumni it names
    opted = opt_out_two_alumni(paths)
    assert main(["run"]) == 0
    assert live(paths) != published and live(paths) in snapshots(paths)
    folder = paths.publish / "alumni_wall" / live(paths)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["opted_out_alumni"] == 2
    wall = duckdb.sql(f"select name, grad_year, unit_code, major from '{folder / 'alumni_wall.parquet'}'").fetchall()
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        programmes = """select a.name, e.grad_year, e.unit_code, e.major from marts.alumni_education e
                        join marts.alumni a using (alumni_id) where e.alumni_id {} (?, ?)"""
        theirs = con.execute(programmes.format("in"), opted).fetchall()
        others = con.execute(programmes.format("not in"), opted).fetchall()
        # the reunion classes count them off the wall too: one off per class of theirs
        off_wall = con.execute("select coalesce(sum(alumni - on_wall), 0) from marts.reunion_classes").fetchone()[0]
        in_reunions = con.execute(
            """select count(*) from marts.class_members join marts.reunion_classes using (unit_code, major_key, grad_year)
               where alumni_id in (?, ?)""",
            opted,
        ).fetchone()[0]
    assert off_wall == in_reunions > 0
    assert theirs and not set(theirs) & set(wall)
    assert sorted(wall, key=str) == sorted(others, key=str)


def file_records(paths: Paths, rel: str) -> list[tuple]:
    """A file's records as the golden tables see them: row, years and alumni_id."""
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        return con.execute(
            """select p.source_sheet, p.source_row, p.enrol_year, p.grad_year, x.alumni_id
            from intermediate.int_person_records p join marts.alumni_xref x using (record_id)
            where p.source_file = ? order by all""",
            [rel],
        ).fetchall()


def opt_out_two_alumni(paths: Paths) -> list[str]:
    """The alumni office's list: one alumnus by 校友编号, one by 姓名 and 身份证号, and a row naming nobody."""
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        by_id, by_person = (
            a
            for (a, _) in con.execute("""
            select distinct e.alumni_id, e.alumni_id in (
                select alumni_id from marts.class_members join marts.reunion_classes using (unit_code, major_key, grad_year)
            ) as in_reunion  -- in a reunion class of the coming year, where one can be, so its count shows them off
            from marts.alumni_education e join marts.alumni a using (alumni_id)
            where a.has_valid_id_number order by in_reunion desc, 1 limit 2""").fetchall()
        )
        name, id_number = con.execute(
            """select r.name, r.id_number from marts.alumni_xref x
            join matching.int_identity_records r using (record_id) where x.alumni_id = ? and r.id_number is not null
            limit 1""",
            [by_person],
        ).fetchone()
    book = Workbook()
    book.active.append(["校友编号", "姓名", "身份证号", "申请日期"])
    book.active.append([by_id, None, None, "2025-05-01"])
    book.active.append([None, name, id_number, "2025-05-02"])
    book.active.append(["LZU99999999", None, None, None])  # names nobody: reported, not fatal
    (paths.drops / "opt_out").mkdir(exist_ok=True)
    book.save(paths.drops / "opt_out" / "2025年退出名单.xlsx")
    return [by_id, by_person]
