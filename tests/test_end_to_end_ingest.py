"""After `alumni sample` and `alumni run`, every data row of every sample file is in a raw table or
refused with a reason, at the place the ground truth says."""

from __future__ import annotations

import csv
import json
from collections import Counter

import duckdb
import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from alumni_pipeline.cell_safety import safe_cell

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("pipeline")]


def query(paths, sql):
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_run_succeeds(sample_run):
    assert sample_run["exit_code"] == 0


def test_loaded_plus_refused_equals_data_rows_file_by_file(sample_run):
    paths, manifest = sample_run["paths"], sample_run["manifest"]
    union = " union all ".join(
        f"select source_file, count(*) from raw.{s} group by 1" for s in {f["source"] for f in manifest["files"]}
    )
    loaded = dict(query(paths, union))
    refused_rows = Counter(dict(query(paths, "select source_file, count(*) from audit.refused_rows group by 1")))
    refused_files = dict(
        query(paths, "select source_file, reason_code from audit.refused_files where source_sheet = ''")
    )
    deferred = {r[0] for r in query(paths, "select source_file from audit.file_events where event = 'deferred'")}
    for f in manifest["files"]:
        path, code = f["path"], f["expect_file_reason"]
        if code == "FILE_IN_PROGRESS":
            assert path in deferred and path not in loaded, path
        elif code:
            assert refused_files.get(path) == code and path not in loaded, path
        else:
            assert loaded.get(path, 0) + refused_rows[path] == f["data_rows"], path
            assert refused_rows[path] == sum(f["expect_row_reasons"].values()), path


def test_every_reason_lands_where_the_manifest_says(sample_run):
    paths, manifest = sample_run["paths"], sample_run["manifest"]
    found = Counter(query(paths, "select source_file, reason_code from audit.row_findings"))
    for f in manifest["files"]:
        expected = {**f["expect_row_reasons"], **f["expect_warnings"], **f["decorations"]}
        actual = {code: n for (path, code), n in found.items() if path == f["path"]}
        if not f["expect_file_reason"]:
            assert actual == {k: v for k, v in expected.items() if v}, f["path"]


def test_lineage_points_at_the_row_the_ground_truth_names(sample_run):
    paths = sample_run["paths"]
    with open(paths.drops / "ground_truth.csv", encoding="utf-8", newline="") as fh:
        truth = {
            (r["source_system"], r["source_file"], r["source_sheet"], int(r["source_row"])) for r in csv.DictReader(fh)
        }
    sources = {key[0] for key in truth}
    raw = set(
        query(
            paths,
            " union all ".join(
                f"select source_system, source_file, source_sheet, source_row from raw.{s}" for s in sources
            ),
        )
    )
    refused = set(query(paths, "select source_system, source_file, source_sheet, source_row from audit.refused_rows"))
    assert raw and raw <= truth and refused <= truth
    assert not raw & refused


def test_reports_for_units_exist_for_files_with_refusals(sample_run):
    paths = sample_run["paths"]
    expected = {
        r[0]
        for r in query(
            paths,
            "select source_file from audit.refused_files union "
            "select source_file from audit.refused_rows union "
            "select source_file from audit.row_warnings union "
            "select source_file from audit.gate_findings where expectation <> 'ingest'",
        )
    }
    reports = {
        p.relative_to(paths.publish / "refusals").as_posix().removesuffix(".退回说明.xlsx")
        for p in (paths.publish / "refusals").rglob("*.xlsx")
    }
    assert reports == expected


def _is_json_object(value) -> bool:
    if not isinstance(value, str) or not value.lstrip().startswith(("{", "[")):
        return False
    try:
        return isinstance(json.loads(value), dict | list)
    except ValueError:
        return False


def test_refusal_reports_show_refused_rows_as_columns_under_a_frozen_filtered_header(sample_run):
    """Each report's sheets have a frozen header with a filter over the data, no cell holds JSON, and a
    refused row's values stand under the headers its file gave them (姓名, 性别 … as the unit named them)."""
    paths = sample_run["paths"]
    reports = sorted((paths.publish / "refusals").rglob("*.退回说明.xlsx"))
    assert reports
    refused = {
        (f, r): json.loads(v)
        for f, r, v in query(
            paths, "select source_file, source_row, row_values from audit.refused_rows where row_values is not null"
        )
    }
    assert refused, "the sample refuses rows with their values"
    checked = 0
    for path in reports:
        book = load_workbook(path)
        assert book.sheetnames == ["退回说明", "说明"], path
        for sheet in book.worksheets:
            assert sheet.freeze_panes == "A2", (path, sheet.title)
            assert sheet.auto_filter.ref == f"A1:{get_column_letter(sheet.max_column)}{sheet.max_row}", path
            cells = [c for row in sheet.iter_rows(values_only=True) for c in row]
            assert not [c for c in cells if _is_json_object(c)], path
        notes = dict(book["说明"].iter_rows(values_only=True))
        assert "报送文件夹" in notes and "校友总会办公室数据组" in notes["联系"]
        rows = list(book["退回说明"].iter_rows(values_only=True))
        header = list(rows[0])
        assert header[:8] == ["文件", "工作表", "行号", "列", "问题代码", "处理结果", "问题说明及修改方法", "原值"]
        for line in rows[1:]:
            values = refused.get((line[0], line[2]))
            if values and line[4] in ("ROW_NO_NAME", "ROW_NAME_INVALID"):
                shown = {h: v for h, v in zip(header[8:], line[8:]) if v is not None}
                expected = {(f"{k}（原表）" if k in header[:8] else k): safe_cell(v) for k, v in values.items() if v}
                assert shown == expected, (path, line)
                checked += 1
    assert checked > 0
