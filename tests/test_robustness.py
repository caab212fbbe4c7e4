"""The robustness matrix in small (bench/robustness.py): the sample rewritten as other units write their
files must still publish and resolve identities. The rewriting itself is checked first, fast: every
rewritten file loads exactly the rows its ground truth names."""

from __future__ import annotations

import csv
from collections import defaultdict

import pytest

from alumni_pipeline import sample
from alumni_pipeline.ingest.readers import read_bytes
from bench.perturb import CELLS, applicable, build_cell, load_drop

PERSONS, SEED = 200, 5
LINEAGE_PERSONS = 80  # the rewriting checks need every kind of file, not many rows
# one cell per kind of difference, three to stay under four minutes on two cores: a source without a column
# the gate counts, other header words, a department's whole era in one CSV (a bachelor's and a master's in one
# list). The typo cells mistype too few rows at this size to tell anything: bench/robustness.py runs them.
E2E_CELLS = ("drop_birth:continuing_ed", "headers_renamed", "layout_per_era:archives")
MIN_PRECISION, MIN_RECALL = 0.99, 0.95  # what a unit can live with: 1 false merge in 100 pairs, 1 in 20 missed


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    out = tmp_path_factory.mktemp("robust_sample")
    sample.write_sample(out, LINEAGE_PERSONS, SEED)
    return out, load_drop(out)


@pytest.mark.parametrize(
    "cell", [c for c in CELLS if c != "original" and (not c.startswith("drop_") or c in E2E_CELLS)]
)
def test_rewritten_files_load_the_rows_their_truth_names(base, tmp_path, cell):
    folder, drop = base
    if not applicable(cell, drop):
        pytest.skip(f"{cell}: no such column in the sample")
    out = tmp_path / "drops"
    build_cell(cell, folder, out, SEED, drop)
    with open(out / "ground_truth.csv", encoding="utf-8", newline="") as fh:
        truth = list(csv.DictReader(fh))
    with open(folder / "ground_truth.csv", encoding="utf-8") as fh:
        assert len(truth) == sum(1 for _ in fh) - 1
    per_file = defaultdict(set)
    for row in truth:
        per_file[row["source_file"]].add((row["source_sheet"], int(row["source_row"])))
    for rel, rows in per_file.items():
        if rel in drop.kept:
            continue
        result = read_bytes((out / rel).read_bytes(), rel.rsplit("/", 1)[-1])
        assert result.refused_file is None, (rel, result.refused_file)
        loaded = {(sheet, r.source_row) for sheet, rs in result.rows.items() for r in rs}
        refused = {(x.sheet, x.row) for x in result.findings if x.code in ("ROW_NO_NAME", "ROW_NAME_INVALID")}
        assert loaded | refused == rows, rel


def test_removed_columns_are_gone(base, tmp_path):
    folder, drop = base
    build_cell("drop_birth:continuing_ed", folder, tmp_path / "drops", SEED, drop)
    for f in (tmp_path / "drops" / "continuing_ed").rglob("*.*"):
        if f.suffix in (".xlsx", ".csv") and f.stat().st_size:
            result = read_bytes(f.read_bytes(), f.name)
            assert all(
                "birth_date" not in r.fields or not r.fields["birth_date"]
                for rows in result.rows.values()
                for r in rows
            ), f


@pytest.mark.e2e
@pytest.mark.xdist_group("robustness")
def test_every_cell_publishes_and_resolves(tmp_path):
    from bench.robustness import measure

    results = measure(list(E2E_CELLS), PERSONS, SEED, tmp_path, jobs=2)
    failures = [f"{r['cell']}: exit {r['exit_code']} {r['message']}" for r in results if r["exit_code"] != 0]
    failures += [
        f"{r['cell']}: precision {r['pairwise_precision']} recall {r['pairwise_recall']}"
        for r in results
        if r["exit_code"] == 0 and (r["pairwise_precision"] < MIN_PRECISION or r["pairwise_recall"] < MIN_RECALL)
    ]
    assert not failures, "\n".join(failures)
