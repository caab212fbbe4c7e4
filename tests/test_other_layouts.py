"""The pipeline on drops written by hand in other units' layouts (tests/fixtures_other_layouts.py), not
by `alumni sample`: it publishes, keeps one person's two programmes in one list as one alumnus, and
takes birth dates from ID numbers where a roster has no birth-date column."""

from __future__ import annotations

import pytest
from conftest import pipeline_environment
from fixtures_other_layouts import BACHELOR_AND_MASTER, PEOPLE, VERTICAL_FORM, write_other_layouts

from alumni_pipeline.ingest.readers import read_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("other_layouts")]

AS_OF = "2025-06-30"


@pytest.fixture(scope="module")
def other_run(tmp_path_factory):
    """`alumni run` once on the hand-written drops (without the vertical form, which has its own test)."""
    from orchestration.cli import main

    env = pipeline_environment(tmp_path_factory.mktemp("other_layouts"), as_of=AS_OF)
    truth = write_other_layouts(env.drops, vertical_form=False)
    with env.applied():
        exit_code = main(["run"])
    return {"exit_code": exit_code, "paths": env.paths, "truth": truth}


def _query(paths, sql: str, *params):
    from alumni_pipeline.warehouse import connect

    with connect(paths.warehouse, read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def test_publishes(other_run):
    assert other_run["exit_code"] == 0, "alumni run did not publish the hand-written drops (see its stderr)"
    wall = other_run["paths"].publish / "alumni_wall"
    live = (wall / "LATEST").read_text().strip()
    assert (wall / live / "alumni_wall.parquet").exists()


def test_bachelor_and_master_in_one_list_are_one_alumnus(other_run):
    if other_run["exit_code"] not in (0, 3):
        pytest.fail(f"alumni run failed with exit {other_run['exit_code']}")
    rows = (
        _query(
            other_run["paths"],
            """
        select distinct c.alumni_id from identity.clusters c join matching.int_identity_records r using (record_id)
        where r.source_system = 'archives' and r.source_file like '%物理系_1950-1999%' and r.source_row in (3, 5)
    """,
        )
        if _has_table(other_run["paths"], "identity", "clusters")
        else None
    )
    assert rows is not None, "identity resolution did not run (blocked by the gate before it)"
    assert len(rows) == 1, f"{PEOPLE[BACHELOR_AND_MASTER].name}'s bachelor's and master's are {len(rows)} alumni"


def test_birth_dates_implied_by_id_numbers_are_present(other_run):
    """The continuing-education roster has no birth-date column; every row has a valid ID number."""
    rows = _query(
        other_run["paths"],
        """
        select source_row, birth_date, gender from intermediate.int_person_records
        where source_system = 'continuing_ed' order by source_row
    """,
    )
    assert len(rows) == 6
    expected = {3: "1980-05-26", 4: "1983-08-08", 5: "1986-01-19", 6: "1979-06-05", 7: "1981-10-12", 8: "1984-02-28"}
    assert {int(r): str(b)[:10] if b is not None else None for r, b, _ in rows} == expected
    assert [g for _, _, g in rows] == ["F", "M", "F", "M", "F", "M"]  # the ID numbers' 17th digit


def test_scores_against_the_hand_written_truth(other_run):
    """No false merge; every registry record (archives, HR, continuing education) with its person; and
    each unit update that names only a name and a class either with its person or waiting for a steward
    in the review queue: 25 records are too few to learn how much a name and class say."""
    from alumni_pipeline.identity.evaluate import evaluate, score
    from alumni_pipeline.warehouse import connect

    if not _has_table(other_run["paths"], "identity", "clusters"):
        pytest.fail("identity resolution did not run (blocked by the gate before it)")
    with connect(other_run["paths"].warehouse, read_only=True) as con:
        result = evaluate(con, other_run["truth"])
        registries = con.sql("""select c.alumni_id, r.source_system, r.source_file, r.source_sheet, r.source_row
            from identity.clusters as c join matching.int_identity_records as r using (record_id)
            where r.source_system <> 'unit_updates'""").df()
        updates_apart = con.sql(
            """
            with truth as (select * from read_csv_auto(?, all_varchar = true)),
            records as (
                select r.record_id, r.source_system, c.alumni_id, t.person_id
                from matching.int_identity_records as r join identity.clusters as c using (record_id)
                join truth as t on (t.source_system, t.source_file, t.source_sheet, t.source_row::integer)
                    = (r.source_system, r.source_file, r.source_sheet, r.source_row))
            select u.record_id, count(q.pair_number) as queued
            from records as u join records as p on p.person_id = u.person_id and p.record_id <> u.record_id
            left join identity.review_queue as q
                on u.record_id in (q.left_id, q.right_id) and p.record_id in (q.left_id, q.right_id)
            where u.source_system = 'unit_updates' and u.alumni_id <> p.alumni_id
            group by all""",
            params=[str(other_run["truth"])],
        ).fetchall()
    assert result["pairwise_precision"] == 1.0, result
    assert score(registries, other_run["truth"])["pairwise_recall"] == 1.0
    assert all(queued for _, queued in updates_apart), updates_apart


def _has_table(paths, schema: str, table: str) -> bool:
    return bool(
        _query(
            paths, "select 1 from information_schema.tables where table_schema = ? and table_name = ?", schema, table
        )
    )


def test_vertical_form(tmp_path):
    """A personal information form laid out as field / value pairs down the sheet."""
    write_other_layouts(tmp_path)
    result = read_bytes((tmp_path / VERTICAL_FORM).read_bytes(), VERTICAL_FORM.rsplit("/", 1)[-1])
    if result.refused_file is not None:
        pytest.skip(f"the reader does not read vertical key/value forms yet ({result.refused_file.code})")
    (rows,) = result.rows.values()
    assert len(rows) == 1 and rows[0].fields["name"] == PEOPLE["P14"].name
