"""The Dagster code location loads, reads like the architecture, and `alumni run` drives it."""

from __future__ import annotations

import json

import dagster as dg
import duckdb
import pytest
from conftest import messy_workbook

from alumni_pipeline.sources import SOURCES
from orchestration.cli import main


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
    import os
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
