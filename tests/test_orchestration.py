"""The Dagster code location loads, reads like the architecture, and `alumni run` drives it."""

from __future__ import annotations

import json
import os
import re

import dagster as dg
import duckdb
import pytest
from conftest import messy_workbook

from alumni_pipeline.sources import SOURCES
from orchestration.cli import ENVIRONMENT, dagster_home, main, release_abandoned_runs
from orchestration.dbt import DBT_PROJECT_DIR


@pytest.fixture
def defs(project):
    from orchestration.definitions import defs

    return defs


def test_code_location_loads_with_one_ingest_asset_per_source(defs):
    graph = defs.resolve_asset_graph()
    ingest = {key.to_user_string(): graph.get(key) for key in graph.get_all_asset_keys() if key.path[0] == "raw"}
    assert set(ingest) == {f"raw/{s}" for s in SOURCES}
    for node in ingest.values():
        assert node.group_name == "ingest"
        assert {"python", "duckdb"} <= set(node.kinds)
        assert node.pools == {"warehouse"} and node.owners and node.description


def test_asset_graph_reads_like_the_architecture(defs):
    graph = defs.resolve_asset_graph()
    groups = {}
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        groups.setdefault(node.group_name, set()).add(key.to_user_string())
        if not node.is_external:
            assert node.pools == {"warehouse"}, key  # every step that opens the warehouse: one writer
    assert {"ingest", "conform", "identity", "reference"} <= set(groups)
    assert {"staging/stg_archives__students", "intermediate/int_person_records"} <= groups["conform"]
    assert {
        "matching/int_pair_comparisons",
        "identity/alumni_ids",
        "marts/alumni",
        "marts/alumni_xref",
        "marts/alumni_education",
        "marts/alumni_employment",
    } <= groups["identity"]
    # the golden tables are built from the alumni_ids identity resolution assigned
    assert dg.AssetKey(["identity", "alumni_ids"]) in graph.get(dg.AssetKey(["marts", "alumni_xref"])).parent_keys


def test_sensors_schedules_and_jobs_are_in_the_code_location(defs):
    assert {s.name for s in defs.sensors} == {f"{s}_drops" for s in SOURCES}
    assert {s.name for s in defs.schedules} == {"august_collection", "march_collection", "monthly_unit_updates"}
    assert defs.resolve_job_def("full_rebuild") is not None


@pytest.mark.e2e
def test_alumni_run_materialises_everything_in_process(project, capsys, tmp_path):
    messy_workbook(project.drops / "archives" / "2003届本科.xlsx")
    assert main(["run", "--timings", str(tmp_path / "timings.json")]) == 0
    out, err = capsys.readouterr()
    assert "finished" in out and " - DEBUG - " not in out + err  # Dagster's event log at INFO unless asked
    # the console: one line per dbt step instead of dbt's line per model and test, and the run's counts
    assert "dbt build --select path:models/matching: " in out + err
    assert " PASS " not in out + err and "OK created sql" not in out + err and "Running dbt command" not in err
    assert re.search(r"rows +4 loaded, 2 refused", out) and re.search(r"files +\d+ seen: 1 read", out)
    assert re.search(r"alumni +\d+ \(full run", out) and re.search(r"checks +[1-9]\d* passed", out)
    # recorded in the instance `alumni ui` shows (DAGSTER_HOME), with its materialisations and checks
    instance = dg.DagsterInstance.from_config(os.environ["DAGSTER_HOME"])
    [record] = instance.get_run_records()
    run = record.dagster_run
    assert (run.job_name, run.status, run.tags["alumni/launched_by"]) == (
        "republish",
        dg.DagsterRunStatus.SUCCESS,
        "cli",
    )
    assert instance.get_latest_materialization_event(dg.AssetKey(["marts", "alumni"])).run_id == run.run_id
    checks = instance.get_records_for_run(run.run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION).records
    assert len(checks) > 10
    # each dbt step that passed keeps its results and warnings, not its ~10 MB of manifest and SQL
    folders = list((DBT_PROJECT_DIR / "target").glob(f"*_models-{run.run_id[:7]}-*"))
    assert len(folders) >= 6 and {f.name for d in folders for f in d.iterdir()} == {"run_results.json", "dbt.log"}
    steps = json.loads((tmp_path / "timings.json").read_text())  # what bench/scale.py times stages by
    assert steps[0]["step"].startswith("raw__") and "identity__alumni_ids" in [s["step"] for s in steps]
    assert all(s["start"] <= s["end"] and s["seconds"] >= 0 for s in steps)
    with duckdb.connect(str(project.warehouse), read_only=True) as con:
        assert con.execute("select count(*) from raw.archives").fetchone() == (4,)
        counts = con.execute(
            "select source_system, rows_loaded, rows_refused from audit.ingest_runs order by source_system"
        ).fetchall()
    assert len(counts) == len(SOURCES) and ("archives", 4, 2) in counts


_PARSE_IN_A_PROCESS = """
import sys
from pathlib import Path
import orjson
from dagster_dbt import DbtCliResource, DbtProject
from orchestration.dbt import DBT_EXECUTABLE, ensure_manifest
project = DbtProject(project_dir=Path(sys.argv[1]), profiles_dir=Path(sys.argv[1]))
parsed = ensure_manifest(project, DbtCliResource(project_dir=project, dbt_executable=DBT_EXECUTABLE))
orjson.loads(project.manifest_path.read_bytes())
print("parsed" if parsed else "read")
"""


@pytest.mark.e2e
def test_processes_loading_a_fresh_clone_together_parse_it_once_and_never_read_half_a_manifest(tmp_path):
    """CI once failed on a fresh clone: two test workers parsed the dbt project into one manifest.json at
    the same time and a third read it half written. They now take turns and the manifest lands whole."""
    import shutil
    import subprocess
    import sys

    from orchestration.dbt import DBT_PROJECT_DIR

    project = tmp_path / "dbt_project"
    shutil.copytree(DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs"))
    command = [sys.executable, "-c", _PARSE_IN_A_PROCESS, str(project)]
    children = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    said = [child.communicate(timeout=600) for child in children]
    assert [child.returncode for child in children] == [0, 0, 0], [err[-2000:] for _, err in said]
    assert sorted(out.strip() for out, _ in said) == ["parsed", "read", "read"]
    assert not list((project / "target").glob("parse-*"))  # the private parse folders are gone

    edited = project / "models" / "staging" / "stg_archives__students.sql"
    later = (project / "target" / "manifest.json").stat().st_mtime + 5
    os.utime(edited, (later, later))  # an edited model makes the manifest stale again
    again = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0 and again.stdout.strip() == "parsed", again.stderr[-2000:]

    # a process writing another warehouse parses again: dbt's profile names the warehouse, and a step
    # whose profile differs from the saved partial-parse state would parse the whole project itself
    elsewhere = {**os.environ, "ALUMNI_WAREHOUSE": str(tmp_path / "elsewhere.duckdb")}
    for expected in ("parsed", "read"):
        moved = subprocess.run(command, capture_output=True, text=True, timeout=600, env=elsewhere)
        assert moved.returncode == 0 and moved.stdout.strip() == expected, moved.stderr[-2000:]
    assert (project / "target" / "partial_parse.msgpack").exists()


def test_a_run_a_killed_alumni_run_left_started_is_failed_and_its_pool_slot_freed(pipeline_env):
    """A SIGKILLed `alumni run` leaves its run "started", holding the warehouse pool's one slot: the next
    run would wait for it forever. The next `alumni run` (which holds the warehouse lock, so no other CLI
    run is alive) fails it and frees the slot; a run the daemon launched is left alone."""
    instance = dg.DagsterInstance.from_config(str(dagster_home()))
    storage = instance.event_log_storage
    storage.set_concurrency_slots("warehouse", 1)
    from orchestration.definitions import defs

    ours = instance.create_run_for_job(
        defs.resolve_job_def("republish"), tags={"alumni/launched_by": "cli"}, status=dg.DagsterRunStatus.STARTED
    )
    daemons = instance.create_run_for_job(defs.resolve_job_def("republish"), status=dg.DagsterRunStatus.STARTED)
    assert storage.claim_concurrency_slot("warehouse", ours.run_id, "raw__archives").is_claimed
    assert release_abandoned_runs(instance) == [ours.run_id]
    assert instance.get_run_by_id(ours.run_id).status == dg.DagsterRunStatus.FAILURE
    assert instance.get_run_by_id(daemons.run_id).status == dg.DagsterRunStatus.STARTED
    assert storage.get_concurrency_info("warehouse").claimed_slots == []


def test_help_names_the_environment_and_the_exit_codes(capsys):
    with pytest.raises(SystemExit):
        main(["run", "--help"])
    out = capsys.readouterr().out
    assert "exit codes:" in out and "  3  a critical quality check blocked publishing" in out
    for variable in (
        "ALUMNI_DROPS",
        "ALUMNI_WAREHOUSE",
        "ALUMNI_PUBLISH",
        "ALUMNI_AS_OF",
        "ALUMNI_DUCKDB_MEMORY",
        "DAGSTER_HOME",
    ):
        assert variable in ENVIRONMENT and variable in out
    with pytest.raises(SystemExit):
        main(["sample", "--help"])
    assert "invented alumni" in capsys.readouterr().out


def test_the_closing_lines_count_what_the_run_did_and_say_when_they_cannot():
    from orchestration.summary import summary_lines

    checks = {"passed": 41, "warned": 2, "failed": 1}
    counts = {
        **dict.fromkeys(("files_unchanged", "files_removed", "files_deferred", "rows_skipped", "rows_held"), 0),
        **{"files_seen": 12, "files_loaded": 11, "files_refused": 1, "rows_loaded": 12345, "rows_refused": 7},
        **{"files_held": 1, "alumni": 2001, "identity_mode": "incremental", "pairs_scored": 4200},
        **{"new_ids": 3, "merges": 1, "splits": 0, "review_persons": 5},
    }
    lines = "\n".join(summary_lines(counts, checks))
    assert "12 seen: 11 read" in lines and "12,345 loaded, 7 refused" in lines
    assert "2,001 (incremental run, 4,200 pairs scored): 3 new ids, 1 merges, 0 splits, 5 persons" in lines
    assert "41 passed, 2 warned, 1 failed" in lines and "1 files and 0 rows by the quality gate" in lines
    busy = summary_lines(None, checks)
    assert "busy" in busy[0] and "41 passed" in busy[1]


def test_duckdb_takes_no_more_memory_than_the_variable_says_in_the_run_and_in_dbt(pipeline_env, monkeypatch):
    from alumni_pipeline.warehouse import connect
    from orchestration.dbt import dbt_variables

    monkeypatch.delenv("ALUMNI_DUCKDB_MEMORY", raising=False)
    for given, read in ((None, "3.7 GiB"), ("500MB", "476.8 MiB")):  # DuckDB shows the limit in binary units
        if given:
            monkeypatch.setenv("ALUMNI_DUCKDB_MEMORY", given)
        with connect(pipeline_env.warehouse) as con:
            assert con.sql("select current_setting('memory_limit')").fetchone() == (read,)
        assert dbt_variables(pipeline_env.paths)["ALUMNI_DUCKDB_MEMORY"] == (given or "4GB")
    profile = (DBT_PROJECT_DIR / "profiles.yml").read_text()
    assert "memory_limit: \"{{ env_var('ALUMNI_DUCKDB_MEMORY', '4GB') }}\"" in profile  # dbt run by hand: the same
