"""The sample generator: deterministic, self-consistent, and carrying every case the pipeline must handle."""

from __future__ import annotations

import csv
import json
from collections import Counter, defaultdict

import openpyxl
import pytest

from alumni_pipeline import sample
from alumni_pipeline.ingest.headers import canonical_field
from alumni_pipeline.reasons import REASONS, REFUSED

PERSONS, SEED = 300, 11


def _truth(folder):
    with open(folder / "ground_truth.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def drop(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample")
    manifest = sample.write_sample(out, PERSONS, SEED)
    return out, manifest


def test_same_seed_same_output_other_seed_differs(drop, tmp_path):
    out, manifest = drop
    again = sample.write_sample(tmp_path / "again", PERSONS, SEED)
    assert again == manifest
    assert (tmp_path / "again" / "ground_truth.csv").read_bytes() == (out / "ground_truth.csv").read_bytes()
    for f in manifest["files"]:
        if f["path"].endswith(".csv"):
            assert (tmp_path / "again" / f["path"]).read_bytes() == (out / f["path"]).read_bytes(), f["path"]
    other = sample.write_sample(tmp_path / "other", PERSONS, SEED + 1)
    assert (tmp_path / "other" / "ground_truth.csv").read_bytes() != (out / "ground_truth.csv").read_bytes()
    assert other["files"] != manifest["files"]


def test_ground_truth_matches_manifest(drop):
    out, manifest = drop
    per_file = Counter(row["source_file"] for row in _truth(out))
    listed = {f["path"]: f for f in manifest["files"]}
    assert set(per_file) <= set(listed)
    for path, f in listed.items():
        assert (out / path).exists(), path
        assert per_file[path] == f["data_rows"], path
        assert f["source"] == path.split("/")[0]
    assert {f["source"] for f in manifest["files"] if f["data_rows"] and not f["expect_file_reason"]} == {
        "archives",
        "hr",
        "continuing_ed",
        "international",
        "unit_updates",
        "self_reported",
        "class_liaisons",
    }


def test_every_file_refusal_is_in_the_manifest(drop):
    _, manifest = drop
    hostile = {"FILE_TOO_LARGE", "FILE_TOO_MANY_ROWS", "FILE_TOO_MANY_CELLS", "FILE_SYMLINK"}  # test_hostile_*
    expected = {r.code for r in REASONS.values() if r.code.startswith("FILE_") and r.kind == REFUSED} - hostile
    found = {f["expect_file_reason"] for f in manifest["files"]}
    assert expected | {"FILE_IN_PROGRESS"} <= found
    rows = Counter()
    for f in manifest["files"]:
        rows.update(f["expect_row_reasons"])
    assert rows["ROW_NO_NAME"] >= 1 and rows["ROW_NAME_INVALID"] >= 1


def test_workbook_rows_match_ground_truth(drop):
    """Each person row the ground truth names holds data; the other rows after the header are the decorations."""
    out, manifest = drop
    truth = defaultdict(set)
    for row in _truth(out):
        truth[row["source_file"], row["source_sheet"]].add(int(row["source_row"]))
    for f in manifest["files"]:
        if f["expect_file_reason"] or not f["path"].endswith(".xlsx"):
            continue
        wb = openpyxl.load_workbook(out / f["path"], read_only=True)
        skipped = 0
        for ws in wb.worksheets:
            rows = [list(r) for r in ws.iter_rows(values_only=True)]
            persons = truth[f["path"], ws.title]
            header_at = min(persons) - 1 if persons else len(rows)
            for number, cells in enumerate(rows[header_at:], start=header_at + 1):
                if number in persons:
                    assert any(c not in (None, "") for c in cells), (f["path"], ws.title, number)
                else:
                    skipped += 1
        assert skipped == sum(f["decorations"].values()), f["path"]


def test_the_reader_finds_what_the_manifest_expects(drop):
    """The project's reader refuses, skips, flags and loads exactly what the manifest and ground truth say."""
    from alumni_pipeline.ingest.readers import read_bytes

    out, manifest = drop
    truth = defaultdict(set)
    for row in _truth(out):
        truth[row["source_file"]].add((row["source_sheet"], int(row["source_row"])))
    for f in manifest["files"]:
        name = f["path"].rsplit("/", 1)[-1]
        if f["expect_file_reason"] == "FILE_IN_PROGRESS":  # deferred by its name, never read
            assert name.startswith("~$")
            continue
        result = read_bytes((out / f["path"]).read_bytes(), name)
        assert (result.refused_file.code if result.refused_file else None) == f["expect_file_reason"], f["path"]
        if f["expect_file_reason"]:
            continue
        loaded = {(sheet, r.source_row) for sheet, rows in result.rows.items() for r in rows}
        refused = {(x.sheet, x.row) for x in result.findings if x.code in ("ROW_NO_NAME", "ROW_NAME_INVALID")}
        assert loaded | refused == truth[f["path"]], f["path"]
        expected = {**f["expect_row_reasons"], **f["expect_warnings"], **f["decorations"]}
        assert dict(Counter(x.code for x in result.findings)) == expected, f["path"]


def test_valid_ids_pass_the_check_digit_and_match_the_person():
    _, _, people = sample._invent(PERSONS, SEED)
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    numbers = [p.id18 for p in people if p.id18]
    assert len(numbers) > PERSONS // 2
    for p in people:
        if p.id18:
            assert "10X98765432"[sum(int(c) * w for c, w in zip(p.id18, weights)) % 11] == p.id18[17]
            assert p.id18[6:14] == f"{p.birth:%Y%m%d}"
            assert int(p.id18[16]) % 2 == (p.gender == "M")
    assert len(set(numbers)) == len(numbers)


def test_people_share_names_and_appear_in_several_sources(drop):
    out, manifest = drop
    refused = {f["path"] for f in manifest["files"] if f["expect_file_reason"]}
    sources = defaultdict(set)
    for row in _truth(out):
        if row["source_file"] not in refused:
            sources[row["person_id"]].add(row["source_system"])
    assert sum(len(s) >= 3 for s in sources.values()) >= 3
    _, _, people = sample._invent(PERSONS, SEED)
    names = Counter((p.name, p.birth.year) for p in people if not p.latin)
    assert max(names.values()) >= 2


def test_headers_map_to_their_fields():
    for field, variants in sample._HEADERS.items():
        assert all(canonical_field(v) == field for v in variants), field
    for overrides in sample._SOURCE_HEADERS.values():
        for field, variants in overrides.items():
            assert all(canonical_field(v) == field for v in variants), field
    assert all(canonical_field(v) == field for field, v in sample._ENGLISH.items())
    assert all(canonical_field(extra) is None for extra in sample._EXTRAS)
    assert all(len(s) > 40 for s in sample._SENTENCES)


def test_manifest_on_disk_is_the_returned_one(drop):
    out, manifest = drop
    assert json.loads((out / "sample_manifest.json").read_text(encoding="utf-8")) == manifest
    assert manifest["persons"] == PERSONS and manifest["seed"] == SEED
