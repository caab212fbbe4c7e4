"""The quality gate end to end, on a project of its own: a good drop publishes; a drop that blanks
every birth date, or archives arriving half-empty, block publishing with exit code 3 and a readable
reason while LATEST keeps naming the live snapshot; a good drop again publishes a new snapshot, without
the alumni on the opt-out list."""
from __future__ import annotations

import csv
import io
import json
import shutil

import duckdb
import pytest
from openpyxl import Workbook, load_workbook

from alumni_pipeline.cli import main
from alumni_pipeline.config import Paths
from alumni_pipeline.headers import canonical_field
from conftest import SAMPLE_AS_OF


@pytest.fixture
def gated(tmp_path, monkeypatch):
    """A sample university of 200 persons in a project of its own, and which archives files hold rows."""
    for name, value in (("ALUMNI_DROPS", tmp_path / "raw_drops"), ("ALUMNI_WAREHOUSE", tmp_path / "alumni.duckdb"),
                        ("ALUMNI_PUBLISH", tmp_path / "published"), ("ALUMNI_SETTLE_SECONDS", "0"),
                        ("GX_ANALYTICS_ENABLED", "false"), ("ALUMNI_AS_OF", SAMPLE_AS_OF)):
        monkeypatch.setenv(name, str(value))
    assert main(["sample", "--out", str(tmp_path / "raw_drops"), "--persons", "200", "--seed", "3"]) == 0
    paths = Paths.from_env()
    manifest = json.loads((paths.drops / "sample_manifest.json").read_text(encoding="utf-8"))
    archives = {f["path"]: f["data_rows"] for f in manifest["files"]
                if f["source"] == "archives" and f["data_rows"] and not f["expect_file_reason"]}
    shutil.copytree(paths.drops / "archives", tmp_path / "archives_as_sent")
    return paths, archives


def live(paths: Paths) -> str:
    return (paths.publish / "alumni_wall" / "LATEST").read_text(encoding="utf-8").strip()


def snapshots(paths: Paths) -> list[str]:
    return sorted(p.name for p in (paths.publish / "alumni_wall").iterdir() if p.is_dir())


def clusters(paths: Paths) -> list[tuple]:
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        return con.execute("select record_key, alumni_id from identity.clusters union all "
                           "select alumni_id, name from marts.alumni order by all").fetchall()


def restore_archives(paths: Paths) -> None:
    shutil.copytree(paths.drops.parent / "archives_as_sent", paths.drops / "archives", dirs_exist_ok=True)


def blank_birth_dates(path) -> None:
    """The file as an office might send it again: the same rows, the birth-date column left empty."""
    if path.suffix == ".csv":
        data = path.read_bytes()
        encoding = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8" if _is_utf8(data) else "gb18030"
        rows = list(csv.reader(io.StringIO(data.decode(encoding), newline="")))
        columns = [i for i, h in enumerate(rows[0]) if canonical_field(h) == "birth_date"]
        for row in rows[1:]:
            for i in columns:
                if i < len(row):
                    row[i] = ""
        out = io.StringIO(newline="")
        csv.writer(out, lineterminator="\r\n" if b"\r\n" in data else "\n").writerows(rows)
        path.write_bytes(out.getvalue().encode(encoding))
        return
    book = load_workbook(path)
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows(max_row=30))
        header = next(r for r in rows if any(canonical_field(c.value) == "name" for c in r if c.value))
        columns = [c.column for c in header if c.value and canonical_field(c.value) == "birth_date"]
        for row in sheet.iter_rows(min_row=header[0].row + 1):
            for cell in row:
                if cell.column in columns:
                    cell.value = None
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

    # 2. the archives send their files again with the birth dates left empty
    ids = clusters(paths)
    for rel in archives:
        blank_birth_dates(paths.drops / rel)
    capsys.readouterr()
    assert main(["run"]) == 3
    err = capsys.readouterr().err
    assert "BLOCKED BY intermediate/int_person_records quality_gate" in err
    reason = next(line for line in err.splitlines() if "[critical]" in line and "birth date" in line)
    assert 'source_system=="archives"' in reason and "rows fail (100.0%)" in reason
    assert "archives/" in reason and "birth_date=null" in reason  # example rows, named by file|sheet|row
    assert f"still shows snapshot {first}" in err
    assert live(paths) == first and snapshots(paths) == [first]
    assert clusters(paths) == ids  # the bad records reached neither the alumni_id registry nor the marts
    restore_archives(paths)

    # 3. the archives arrive half-empty: files holding half their rows are missing
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
    assert live(paths) == first and snapshots(paths) == [first]
    restore_archives(paths)

    # 4. a good drop again, with an opt-out list: a new snapshot, without the alumni it names
    opted = opt_out_two_alumni(paths)
    assert main(["run"]) == 0
    assert live(paths) != first and snapshots(paths) == [first, live(paths)]
    folder = paths.publish / "alumni_wall" / live(paths)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["opted_out_alumni"] == 2
    wall = duckdb.sql(f"select name, grad_year, unit_code, major from '{folder / 'alumni_wall.parquet'}'").fetchall()
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        programmes = """select a.name, e.grad_year, e.unit_code, e.major from marts.alumni_education e
                        join marts.alumni a using (alumni_id) where e.alumni_id {} (?, ?)"""
        theirs = con.execute(programmes.format("in"), opted).fetchall()
        others = con.execute(programmes.format("not in"), opted).fetchall()
    assert theirs and not set(theirs) & set(wall)
    assert sorted(wall, key=str) == sorted(others, key=str)


def opt_out_two_alumni(paths: Paths) -> list[str]:
    """The alumni office's list: one alumnus by 校友编号, one by 姓名 and 身份证号, and a row naming nobody."""
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        by_id, by_person = (a for (a,) in con.execute("""
            select distinct e.alumni_id from marts.alumni_education e join marts.alumni a using (alumni_id)
            where a.has_valid_id_number order by 1 limit 2""").fetchall())
        name, id_number = con.execute("""select r.name, r.id_number from marts.alumni_xref x
            join matching.int_identity_records r using (record_id) where x.alumni_id = ? and r.id_number is not null
            limit 1""", [by_person]).fetchone()
    book = Workbook()
    book.active.append(["校友编号", "姓名", "身份证号", "申请日期"])
    book.active.append([by_id, None, None, "2025-05-01"])
    book.active.append([None, name, id_number, "2025-05-02"])
    book.active.append(["LZU99999999", None, None, None])  # names nobody: reported, not fatal
    (paths.drops / "opt_out").mkdir(exist_ok=True)
    book.save(paths.drops / "opt_out" / "2025年退出名单.xlsx")
    return [by_id, by_person]
