"""Land one source's folder into DuckDB: new and changed files replace their rows in `raw.<source>`,
removed files leave it, refused files and rows go to `audit`, and each file with something to fix
gets a report for its unit. Files are only ever read: never changed, moved or deleted.

When a file changes, the rows of the version the quality gate last accepted are kept in
`raw_last_accepted.<source>` until the new version is accepted (alumni_pipeline/quality/file_gate.py),
so a new version the gate holds back leaves the accepted one in use.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from ..config import Paths, settle_seconds
from ..progress import progress
from ..publish.refusal_reports import write_reports
from ..reasons import reason
from ..warehouse import RAW_COLUMNS, connect, ensure_raw_schema
from .landing import in_progress, list_drops, outside_root, read_settled
from .readers import FileRead, Finding, read_bytes


@dataclass
class SourceSummary:
    source: str
    files_seen: int = 0
    files_new: int = 0
    files_changed: int = 0
    files_unchanged: int = 0
    files_removed: int = 0
    files_refused: int = 0
    files_deferred: int = 0
    rows_loaded: int = 0
    rows_refused: int = 0
    rows_skipped: int = 0
    warnings: int = 0
    refused: list[dict] = field(default_factory=list)  # file-level refusals of this run, for metadata

    def counts(self) -> dict[str, int]:
        return {k: v for k, v in vars(self).items() if isinstance(v, int)}


def loaded_files(con: duckdb.DuckDBPyConnection, source: str) -> dict[str, str]:
    """What the warehouse holds of a landing folder: each file's SHA-256 by its path under the landing
    root (`<source>/...`), read or refused."""
    rows = con.execute("select source_file, file_hash from audit.files where source_system = ?", [source])
    return dict(rows.fetchall())


def ingest_source(paths: Paths, source: str, run_id: str) -> SourceSummary:
    summary = SourceSummary(source)
    now = dt.datetime.now()
    with connect(paths.warehouse) as con:
        ensure_raw_schema(con, source)
        known = loaded_files(con, source)
        seen = set()
        for path in progress(list_drops(paths.drops / source), f"reading {source}", "files"):
            rel = path.relative_to(paths.drops).as_posix()
            seen.add(rel)
            summary.files_seen += 1
            if outside_root(path, paths.drops):  # refused unread; the link's target names its version
                data = f"symlink -> {os.readlink(path) if path.is_symlink() else path.resolve()}".encode()
            else:
                data = None if in_progress(path) else read_settled(path, settle_seconds())
            if data is None:
                summary.files_deferred += 1
                _event(con, run_id, now, source, rel, "deferred", "FILE_IN_PROGRESS", None)
                continue
            digest = hashlib.sha256(data).hexdigest()
            if known.get(rel) == digest:
                summary.files_unchanged += 1
                continue
            parsed = (
                FileRead(refused_file=Finding("FILE_SYMLINK", value=data.decode()[:200]))
                if outside_root(path, paths.drops)
                else read_bytes(data, path.name)
            )
            event = "changed" if rel in known else "new"
            setattr(summary, f"files_{event}", getattr(summary, f"files_{event}") + 1)
            _replace_file(con, source, rel, digest, path, parsed, run_id, now)
            _event(con, run_id, now, source, rel, event, None, digest)
            _count(summary, rel, parsed)
            if parsed.refused_file:
                _event(con, run_id, now, source, rel, "refused", parsed.refused_file.code, digest)
        for rel in sorted(set(known) - seen):
            _delete_file(con, source, rel, removed=True)
            _event(con, run_id, now, source, rel, "removed", None, known[rel])
            summary.files_removed += 1
        values = [run_id, now, source, *(summary.counts()[k] for k in _RUN_COUNTS)]
        con.execute(f"insert into audit.ingest_runs values ({', '.join('?' * len(values))})", values)
        write_reports(con, paths.publish, run_id, source)
    return summary


_RUN_COUNTS = (
    "files_seen",
    "files_new",
    "files_changed",
    "files_unchanged",
    "files_removed",
    "files_refused",
    "files_deferred",
    "rows_loaded",
    "rows_refused",
    "rows_skipped",
    "warnings",
)


def _count(summary: SourceSummary, rel: str, parsed: FileRead) -> None:
    summary.rows_loaded += parsed.row_count
    for f in parsed.findings:
        kind = reason(f.code).kind
        summary.rows_refused += kind == "refused"
        summary.rows_skipped += kind == "skipped"
        summary.warnings += kind == "warning"
    if parsed.refused_file:
        summary.files_refused += 1
        summary.refused.append({"file": rel, "reason": parsed.refused_file.code})


def _event(con, run_id, now, source, rel, event, code, digest) -> None:
    con.execute(
        "insert into audit.file_events values (?, ?, ?, ?, ?, ?, ?)", [run_id, now, source, rel, event, code, digest]
    )


def _delete_file(con: duckdb.DuckDBPyConnection, source: str, rel: str, removed: bool = False) -> None:
    """A file's rows and findings leave; a removed file's last accepted version and gate findings too."""
    tables = [f"raw.{source}", "audit.row_findings", "audit.refused_files", "audit.files"]
    if removed:
        tables += [f"raw_last_accepted.{source}", "audit.gate_findings"]
    for table in tables:
        con.execute(f"delete from {table} where source_file = ?", [rel])


def _keep_last_accepted(con: duckdb.DuckDBPyConnection, source: str, rel: str) -> None:
    """Before a file's rows are replaced: unless the gate held back the version now in `raw`, that version
    is the last accepted one, and its rows move to `raw_last_accepted` (a held-back version leaves the
    accepted rows already there)."""
    held = con.execute(
        "select 1 from audit.gate_holds where source_system = ? and source_file = ? and scope = 'file'", [source, rel]
    ).fetchone()
    if held:
        return
    con.execute(f"delete from raw_last_accepted.{source} where source_file = ?", [rel])
    con.execute(
        f"insert into raw_last_accepted.{source} by name select * from raw.{source} where source_file = ?", [rel]
    )


def _replace_file(
    con, source: str, rel: str, digest: str, path: Path, parsed: FileRead, run_id: str, now: dt.datetime
) -> None:
    """Swap a file's rows and findings for the new version's, in one transaction."""
    stat = path.lstat()  # a refused symbolic link's own, not its target's
    con.execute("begin")
    try:
        _keep_last_accepted(con, source, rel)
        _delete_file(con, source, rel)
        rows = _raw_frame(source, rel, digest, parsed, now)
        if len(rows):
            con.register("incoming", rows)
            con.execute(f"insert into raw.{source} by name select * from incoming")
            con.unregister("incoming")
        findings = _findings_frame(source, rel, digest, parsed, run_id, now)
        if len(findings):
            con.register("incoming", findings)
            con.execute("insert into audit.row_findings by name select * from incoming")
            con.unregister("incoming")
        for f in filter(None, [parsed.refused_file, *parsed.refused_sheets]):
            r = reason(f.code)
            con.execute(
                "insert into audit.refused_files values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [source, rel, f.sheet, f.code, r.zh, r.en, f.value, digest, now, run_id],
            )
        kinds = [reason(f.code).kind for f in parsed.findings]
        con.execute(
            "insert into audit.files values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                source,
                rel,
                digest,
                stat.st_size,
                dt.datetime.fromtimestamp(stat.st_mtime),
                "refused" if parsed.refused_file else "loaded",
                parsed.refused_file.code if parsed.refused_file else None,
                parsed.fmt,
                parsed.encoding,
                parsed.row_count,
                kinds.count("refused"),
                kinds.count("skipped"),
                kinds.count("warning"),
                now,
                run_id,
            ],
        )
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise


def _raw_frame(source, rel, digest, parsed: FileRead, now) -> pd.DataFrame:
    records = [
        {
            **row.fields,
            "source_system": source,
            "source_file": rel,
            "source_sheet": sheet,
            "source_row": row.source_row,
            "file_hash": digest,
            "loaded_at": now,
            "extra_columns": json.dumps(row.extra, ensure_ascii=False) if row.extra else None,
        }
        for sheet, rows in parsed.rows.items()
        for row in rows
    ]
    return pd.DataFrame.from_records(records, columns=list(RAW_COLUMNS)).astype(
        {c: "object" for c in RAW_COLUMNS if c not in ("source_row", "loaded_at")}
    )


def _findings_frame(source, rel, digest, parsed: FileRead, run_id, now) -> pd.DataFrame:
    def record(f: Finding) -> dict:
        r = reason(f.code)
        return {
            "kind": r.kind,
            "source_system": source,
            "source_file": rel,
            "source_sheet": f.sheet,
            "source_row": f.row,
            "source_column": f.column,
            "reason_code": f.code,
            "message_zh": r.zh,
            "message_en": r.en,
            "value": f.value,
            "row_values": json.dumps(f.row_values, ensure_ascii=False) if f.row_values else None,
            "file_hash": digest,
            "found_at": now,
            "run_id": run_id,
        }

    return pd.DataFrame([record(f) for f in parsed.findings])
