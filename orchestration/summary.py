"""The few lines `alumni run` ends with: what the run read, refused, held back and resolved, and how
its checks went, counted from what the run recorded in the warehouse (rows of its run_id)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from alumni_pipeline.warehouse import connect

_FILES = """
select coalesce(sum(files_seen), 0) as files_seen, coalesce(sum(files_new + files_changed), 0) as files_loaded,
       coalesce(sum(files_unchanged), 0) as files_unchanged, coalesce(sum(files_removed), 0) as files_removed,
       coalesce(sum(files_refused), 0) as files_refused, coalesce(sum(files_deferred), 0) as files_deferred,
       coalesce(sum(rows_loaded), 0) as rows_loaded, coalesce(sum(rows_refused), 0) as rows_refused,
       coalesce(sum(rows_skipped), 0) as rows_skipped
from audit.ingest_runs where run_id = ?"""
_HELD = """
select count(distinct source_system || '/' || source_file) filter (where scope = 'file'),
       count(distinct (source_system, source_file, source_row)) filter (where scope = 'row')
from audit.gate_holds where run_id = ? and expectation <> 'ingest'"""  # ingest's refusals are counted as refused
_IDENTITY = """
select persons, new_ids, merges, splits, review_persons, mode, pairs_scored
from identity.runs where run_id = ? order by recorded_at desc limit 1"""


def run_counts(warehouse: Path, run_id: str) -> dict[str, int | str] | None:
    """The run's counts; None when the warehouse cannot be read now (another process is writing it)."""
    try:
        with connect(warehouse, read_only=True) as con:
            files = con.execute(_FILES, [run_id])
            counts = dict(zip((d[0] for d in files.description), files.fetchone(), strict=True))
            counts["files_held"], counts["rows_held"] = _optional(con, _HELD, run_id) or (0, 0)
            identity = _optional(con, _IDENTITY, run_id)
            if identity:
                keys = ("alumni", "new_ids", "merges", "splits", "review_persons", "identity_mode", "pairs_scored")
                counts.update(zip(keys, identity, strict=True))
            return counts
    except duckdb.Error:
        return None


def _optional(con: duckdb.DuckDBPyConnection, sql: str, run_id: str) -> tuple | None:
    """The row, or None when the stage that writes the table has never run in this warehouse."""
    try:
        return con.execute(sql, [run_id]).fetchone()
    except duckdb.CatalogException:
        return None


def summary_lines(counts: dict | None, checks: dict[str, int]) -> list[str]:
    """The closing lines: files, rows, alumni, checks, what was held back."""
    checks_line = f"  checks     {checks['passed']} passed, {checks['warned']} warned, {checks['failed']} failed"
    if counts is None:
        return [
            "  (the warehouse is busy with another run: counts in audit.ingest_runs and identity.runs)",
            checks_line,
        ]
    c = counts
    lines = [
        f"  files      {c['files_seen']:,} seen: {c['files_loaded']:,} read, {c['files_unchanged']:,} unchanged, "
        f"{c['files_refused']:,} refused, {c['files_removed']:,} removed, {c['files_deferred']:,} still being copied",
        f"  rows       {c['rows_loaded']:,} loaded, {c['rows_refused']:,} refused, {c['rows_skipped']:,} skipped",
    ]
    if "alumni" in c:
        lines.append(
            f"  alumni     {c['alumni']:,} ({c['identity_mode']} run, {c['pairs_scored']:,} pairs scored): "
            f"{c['new_ids']:,} new ids, {c['merges']:,} merges, {c['splits']:,} splits, "
            f"{c['review_persons']:,} persons for a steward"
        )
    lines.append(checks_line)
    lines.append(
        f"  held back  {c['files_held']:,} files and {c['rows_held']:,} rows by the quality gate (audit.gate_holds)"
        if c["files_held"] or c["rows_held"]
        else "  held back  nothing beyond the refused files and rows"
    )
    return lines
