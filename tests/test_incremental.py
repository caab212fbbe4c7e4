"""An incremental run gives what a full rebuild gives. Units drop, remove and change files one after
another; each run works on what changed (new file versions conformed, changed pairs scored, the persons
they touch clustered again) with the weights the first run estimated; a full rebuild (`alumni run
--full`) of a copy of the warehouse, with the same weights, then finds the same persons, the same
alumni_ids, the same scores and the same golden rows."""

import shutil

import duckdb
import pytest

from alumni_pipeline.identity import resolve
from orchestration.cli import main
from tests.conftest import SAMPLE_AS_OF, pipeline_environment

pytestmark = pytest.mark.e2e  # `alumni run` five times


def _runs(warehouse):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.sql(
            "select mode, records, candidate_pairs, pairs_scored, records_reclustered, weights_id, weights_fitted "
            "from identity.runs order by recorded_at"
        ).df()


def _drop_a_data_line(csv_path):
    """A unit sends its list again with one person taken out: every later row moves up one."""
    raw = csv_path.read_bytes()
    lines = raw.splitlines(keepends=True)
    header = next(i for i, line in enumerate(lines) if b"," in line and len(line.split(b",")) > 3)
    del lines[header + 3]
    csv_path.write_bytes(b"".join(lines))


def test_drop_remove_change_then_full_rebuild_agree(tmp_path, monkeypatch):
    # pairs are scored a hundred at a time, as a million records' are half a million at a time
    monkeypatch.setattr(resolve, "PAIRS_PER_SLICE", 100)
    env = pipeline_environment(tmp_path / "incremental", as_of=SAMPLE_AS_OF)
    held = tmp_path / "held"
    held.mkdir()
    with env.applied():
        assert main(["sample", "--out", str(env.drops), "--persons", "150", "--seed", "5"]) == 0
        updates = sorted((env.drops / "unit_updates").glob("*.xlsx"))
        later = updates[:2]
        for f in later:
            shutil.move(f, held / f.name)
        csvs = sorted(p for p in env.drops.rglob("*.csv") if "archives" in p.parts or "continuing_ed" in p.parts)
        assert csvs, "the sample writes CSV lists"

        assert main(["run", "--log-level", "WARNING"]) == 0  # the first run: everything, weights estimated
        with duckdb.connect(str(env.warehouse), read_only=True) as con:
            first_ids = dict(con.sql("select record_key, alumni_id from identity.clusters").fetchall())

        for f in later:  # two units drop their updates
            shutil.copy(held / f.name, f)
        assert main(["run", "--log-level", "WARNING"]) == 0
        (env.drops / "unit_updates" / updates[-1].name).unlink()  # a unit takes its file back
        assert main(["run", "--log-level", "WARNING"]) == 0
        _drop_a_data_line(csvs[0])  # and a list comes again, one person shorter
        assert main(["run", "--log-level", "WARNING"]) == 0

    runs = _runs(env.warehouse)
    assert list(runs["mode"]) == ["full", "incremental", "incremental", "incremental"]
    assert runs.weights_id.nunique() == 1 and list(runs.weights_fitted) == ["none kept", "", "", ""]
    for _, run in runs.iloc[1:].iterrows():  # each drop touched a part of the warehouse, not all of it
        assert run.pairs_scored < run.candidate_pairs
        assert 0 < run.records_reclustered < run.records
    assert runs.pairs_scored.iloc[1] > 0  # the new files' pairs
    assert runs.pairs_scored.iloc[0] > 3 * resolve.PAIRS_PER_SLICE  # in slices

    rebuilt = tmp_path / "rebuilt"
    shutil.copytree(env.warehouse.parent, rebuilt)
    full = pipeline_environment(
        tmp_path / "incremental",
        as_of=SAMPLE_AS_OF,
        ALUMNI_WAREHOUSE=str(rebuilt / env.warehouse.name),
        ALUMNI_PUBLISH=str(tmp_path / "published_full"),
    )
    with full.applied():
        assert main(["run", "--full", "--log-level", "WARNING"]) == 0
    assert _runs(full.warehouse).iloc[-1][["mode", "weights_fitted"]].tolist() == ["full", ""]

    con = duckdb.connect()
    con.execute(f"attach '{env.warehouse}' as inc (read_only); attach '{full.warehouse}' as rebuilt (read_only)")

    def differ(table: str, exclude: str = "") -> int:
        cols = f"* exclude ({exclude})" if exclude else "*"
        return con.sql(f"""select count(*) from (
            (select {cols} from inc.{table} except all select {cols} from rebuilt.{table})
            union all (select {cols} from rebuilt.{table} except all select {cols} from inc.{table}))""").fetchone()[0]

    # the same persons (pairwise agreement 1.0) and the same alumni_ids
    assert differ("identity.clusters", "run_id") == 0
    assert differ("identity.pair_scores") == 0
    assert differ("identity.review_queue") == 0
    for table in (
        "staging.stg_archives__students",
        "staging.stg_unit_updates__alumni_updates",
        "marts.alumni",
        "marts.alumni_xref",
    ):
        assert differ(table) == 0, table
    # the quality gate judged again only the files that changed, and found what judging all finds
    assert differ("audit.gate_findings", "run_id, found_at") == 0
    last, files = (
        con.sql("""select count(*) filter (where judged_at = (select max(judged_at) from inc.audit.gate_judged)),
        count(*) from inc.audit.gate_judged""").fetchone()
    )
    assert last == 1 and files > 10, (last, files)  # the list sent again one person shorter
    assert con.sql("select count(*) from inc.audit.gate_findings where held").fetchone()[0] > 0
    # earlier alumni_ids are kept by the incremental runs as by the full rebuild
    with duckdb.connect(str(env.warehouse), read_only=True) as inc:
        now = dict(inc.sql("select record_key, alumni_id from identity.clusters").fetchall())
    kept = sum(now.get(k) == v for k, v in first_ids.items() if k in now) / sum(k in now for k in first_ids)
    assert kept >= 0.999
