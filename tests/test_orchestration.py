"""The Dagster code location loads, reads like the architecture, and `alumni run` drives it."""
from __future__ import annotations

import duckdb
import pytest

from alumni_pipeline.cli import main
from alumni_pipeline.headers import SOURCES
from conftest import messy_workbook


@pytest.fixture
def defs(project):
    from orchestration.definitions import defs
    return defs


def test_code_location_loads_with_one_ingest_asset_per_source(defs):
    graph = defs.resolve_asset_graph()
    ingest = {key.to_user_string(): graph.get(key) for key in graph.get_all_asset_keys()
              if key.path[0] == "raw"}
    assert set(ingest) == {f"raw/{s}" for s in SOURCES}
    for node in ingest.values():
        assert node.group_name == "ingest"
        assert {"python", "duckdb"} <= set(node.kinds)
        assert node.pools == {"warehouse"} and node.owners and node.description


def test_alumni_run_materialises_everything_in_process(project, capsys):
    messy_workbook(project.drops / "archives" / "2003届本科.xlsx")
    assert main(["run"]) == 0
    assert "finished" in capsys.readouterr().out
    with duckdb.connect(str(project.warehouse), read_only=True) as con:
        assert con.execute("select count(*) from raw.archives").fetchone() == (4,)
        counts = con.execute("select source_system, rows_loaded, rows_refused from audit.ingest_runs "
                             "order by source_system").fetchall()
    assert len(counts) == len(SOURCES) and ("archives", 4, 2) in counts
