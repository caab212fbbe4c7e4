"""The conform layer end to end: one `alumni run` on sample drops (shared by every test here, and by
every pytest-xdist worker), then what it built checked against the raw tables and the sample's truth."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from alumni_pipeline.sources import PERSON_SOURCES

pytestmark = pytest.mark.xdist_group("pipeline")


@pytest.fixture(scope="session")
def run(sample_run) -> Path:
    """The root of the session's pipeline run on sample drops (conftest.sample_run)."""
    return sample_run["root"]


@pytest.fixture
def con(run):
    with duckdb.connect(str(run / "warehouse" / "alumni.duckdb"), read_only=True) as con:
        yield con


@pytest.mark.e2e
def test_alumni_run_builds_and_tests_the_conform_layer(sample_run, con):
    assert sample_run["exit_code"] == 0  # dbt build, tests included, passed inside the Dagster run
    for table in (
        "int_person_records",
        "int_education_records",
        "int_employment_records",
        "int_field_issues",
        "int_parse_rates",
    ):
        assert con.execute(f"select count(*) from intermediate.{table}").fetchone()[0] > 0


@pytest.mark.e2e
def test_every_accepted_raw_row_appears_exactly_once_in_person_records(con):
    raw = " union all ".join(
        f"select source_system, source_file, source_sheet, source_row from raw.{s}" for s in PERSON_SOURCES
    )
    mismatches = con.execute(f"""
        with r as (select *, count(*) as n from ({raw}) group by all),
             p as (select source_system, source_file, source_sheet, source_row, count(*) as n
                   from intermediate.int_person_records group by all)
        select count(*) from r full join p using (source_system, source_file, source_sheet, source_row)
        where r.n is distinct from 1 or p.n is distinct from 1""").fetchone()[0]
    loaded = con.execute(
        f"select sum(rows_loaded) from audit.files where status = 'loaded' and source_system in {PERSON_SOURCES}"
    ).fetchone()[0]
    assert mismatches == 0
    assert con.execute("select count(*) from intermediate.int_person_records").fetchone()[0] == loaded


@pytest.mark.e2e
def test_person_records_are_the_samples_person_rows(run, con):
    with open(run / "raw_drops" / "ground_truth.csv", encoding="utf-8") as fh:
        truth = {(r["source_file"], r["source_sheet"], int(r["source_row"])) for r in csv.DictReader(fh)}
    records = con.execute(
        "select source_file, source_sheet, source_row from intermediate.int_person_records"
    ).fetchall()
    assert set(records) <= truth


@pytest.mark.e2e
def test_values_a_person_could_read_are_parsed(con):
    rates = con.execute("select source_system, field, readable, parsed from intermediate.int_parse_rates").fetchall()
    assert {field for _, field, _, _ in rates} >= {
        "name",
        "gender",
        "birth_date",
        "id_number",
        "grad_date",
        "mobile",
        "email",
        "education_level",
        "study_form",
        "work_start",
    }
    by_field: dict[str, list[int]] = {}
    for source, field, readable, parsed in rates:
        by_field.setdefault(field, [0, 0])
        by_field[field][0] += readable
        by_field[field][1] += parsed
        if readable >= 100:
            assert parsed / readable >= 0.99, (source, field, parsed, readable)
    low = {f: round(p / r, 4) for f, (r, p) in by_field.items() if r and p / r < 0.99}
    assert not low


@pytest.mark.e2e
def test_education_records_are_attributed_and_each_method_counted(con):
    counts = dict(
        con.execute(
            "select attribution_method, count(*) from intermediate.int_education_records group by all"
        ).fetchall()
    )
    assert sum(n for m, n in counts.items() if m != "unattributed") / sum(counts.values()) >= 0.99
    assert {"department", "department+major", "continuing_ed", "host_school"} <= set(counts)
    listed = con.execute(
        "select count(*) from intermediate.int_unattributed where record_type = 'education'"
    ).fetchone()
    assert listed == (counts.get("unattributed", 0),)


@pytest.mark.e2e
def test_units_secretaries_alumni_are_attributed_to_their_school(con):
    """Each school's alumni secretary sends one file of that school's alumni, named after it."""
    wrong = con.execute("""
        select e.source_file, e.department_raw, e.major_raw, e.unit_code
        from intermediate.int_education_records e
        inner join reference.units u on e.source_file like 'unit_updates/' || u.unit_name_zh || '\\_%' escape '\\'
        where e.unit_code <> u.unit_code""").fetchall()
    assert wrong == []


@pytest.mark.e2e
def test_staff_are_attributed_to_the_unit_they_worked_in(con):
    counts = dict(
        con.execute(
            "select attribution_method, count(*) from intermediate.int_employment_records "
            "where source_system = 'hr' group by all"
        ).fetchall()
    )
    assert counts.get("work_unit", 0) / sum(counts.values()) >= 0.99
    hospital_staff = con.execute("""
        select split_part(split_part(source_file, '/', 2), '_', 1) as hospital, unit_code
        from intermediate.int_employment_records
        where source_file similar to 'hr/(第一|第二|口腔)医院_.*'""").fetchall()
    units = {"第一医院": "H1", "第二医院": "H2", "口腔医院": "HS"}
    assert hospital_staff and all(units[hospital] == unit for hospital, unit in hospital_staff)


@pytest.mark.e2e
def test_ingest_warnings_on_id_numbers_are_field_issues(con):
    missing = con.execute("""
        select w.source_file, w.source_row, w.reason_code from audit.row_warnings w
        anti join intermediate.int_field_issues i
            on i.source_file = w.source_file and i.source_sheet = w.source_sheet and i.source_row = w.source_row
            and i.field = 'id_number' and i.rule = w.reason_code""").fetchall()
    assert missing == []


@pytest.mark.e2e
def test_conform_report_metadata(con):
    from orchestration.assets.conform import conform_metadata

    meta = conform_metadata(con)
    assert meta["education_attributed_share"] >= 0.99 and meta["lowest_parse_rate"] >= 0.9
    assert meta["education_by/department"] > 0 and "| archives " in meta["parse_rates"].value


@pytest.mark.e2e
def test_decision_seed_overrides_the_rules(run, con, tmp_path):
    """A decision on a department and major beats the department; a decision on one row beats both."""
    department, major, unit = con.execute("""
        select department_raw, major_raw, any_value(unit_code) from intermediate.int_education_records
        where attribution_method = 'department' and major_raw is not null
        group by all having count(*) >= 2 order by count(*) desc, department_raw, major_raw limit 1""").fetchone()
    rows = con.execute(
        """select source_system, source_file, source_sheet, source_row
        from intermediate.int_education_records where department_raw = ? and major_raw = ?
        order by all""",
        [department, major],
    ).fetchall()
    by_rule, by_row = ("ART", "NUR") if unit not in ("ART", "NUR") else ("LIT", "HIS")

    project = tmp_path / "dbt_project"
    shutil.copytree(
        Path(__file__).resolve().parents[1] / "dbt_project", project, ignore=shutil.ignore_patterns("target", "logs")
    )
    with open(project / "seeds" / "attribution_decisions.csv", "a", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["", "", "", "", department, major, by_rule, "test", "2025-01-01", "rule"])
        writer.writerow([*rows[0], "", "", by_row, "test", "2025-01-01", "row"])
    warehouse = tmp_path / "alumni.duckdb"
    shutil.copy(run / "warehouse" / "alumni.duckdb", warehouse)
    from orchestration.dbt import DBT_EXECUTABLE

    subprocess.run(
        [
            DBT_EXECUTABLE,
            "build",
            "--select",
            "attribution_decisions+",
            "--project-dir",
            project,
            "--profiles-dir",
            project,
        ],
        env={**os.environ, "ALUMNI_WAREHOUSE": str(warehouse)},
        check=True,
        capture_output=True,
    )

    with duckdb.connect(str(warehouse), read_only=True) as decided:
        got = decided.execute(
            """select source_system, source_file, source_sheet, source_row, unit_code,
            attribution_method from intermediate.int_education_records
            where department_raw = ? and major_raw = ? order by all""",
            [department, major],
        ).fetchall()
    expected = [(*r, by_row if r == rows[0] else by_rule, "decision") for r in rows]
    assert got == expected


def test_conform_assets_run_in_the_warehouse_pool_after_ingest():
    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    conform = [graph.get(k) for k in graph.get_all_asset_keys() if graph.get(k).group_name == "conform"]
    keys = {node.key.to_user_string() for node in conform}
    assert {"staging/stg_archives__students", "intermediate/int_person_records", "conform_report"} <= keys
    assert all(node.pools == {"warehouse"} for node in conform)
    staging = graph.get(next(k for k in graph.get_all_asset_keys() if k.path[-1] == "stg_hr__staff"))
    assert [k.to_user_string() for k in staging.parent_keys] == ["raw/hr"]
