"""The quality gate, file by file: a problem in one file holds back that file, or only its bad rows,
never the university.

After staging, the suite `conformed_records` runs on every source's conformed rows and
`file_record_counts` on every changed file's row count; GX says which rows fail each expectation, and
each expectation's `meta.scope` says what a critical failure holds back:
- `row`: the failing rows (a birth year in the future) are left out of int_person_records;
- `file`: evaluated on each file's rows with the expectation's `mostly`, the file's newest version is
  held back, and its last accepted version (`raw_last_accepted.<source>`) stays in use, or none for a
  new file. A file that ingest refused whole (a damaged workbook) is held back the same way.
Warnings hold nothing back. Everything found goes to `audit.gate_findings` (the holds are the view
`audit.gate_holds`, which int_person_records reads) and into the unit's report, in Chinese. Only what
concerns the whole university (a landing folder that lost most of its records, golden-table
integrity) blocks publishing: those are the blocking checks in orchestration/assets/quality.py.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from ..config import Published
from ..publish.refusal_reports import write_reports
from ..reasons import reason
from ..sources import PERSON_SOURCES
from . import gx_suites

SUITES = ("conformed_records", "file_record_counts")
EXAMPLES = 5
_FINDING_COLUMNS = (
    "source_system",
    "source_file",
    "file_hash",
    "source_sheet",
    "source_row",
    "scope",
    "severity",
    "held",
    "expectation",
    "field",
    "description",
    "message_zh",
    "failing_rows",
    "checked_rows",
    "examples",
    "run_id",
    "found_at",
)


@dataclass
class FileGateResult:
    gate: gx_suites.GateResult
    findings: pd.DataFrame
    reports: dict = field(default_factory=dict)

    def held_files(self) -> pd.DataFrame:
        f = self.findings
        return f[f.held & (f.scope == "file")][["source_system", "source_file", "expectation", "message_zh"]]

    def held_rows(self) -> int:
        f = self.findings
        return int((f.held & (f.scope == "row")).sum())


def file_versions(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Each changed file's rows now against those of its last accepted version."""
    parts = [
        f"""select '{s}' as source_system, source_file, file_hash, count(*) as rows_now
                 from raw.{s} group by all"""
        for s in PERSON_SOURCES
    ]
    last = [
        f"""select '{s}' as source_system, source_file, count(*) as rows_last_accepted
                from raw_last_accepted.{s} group by all"""
        for s in PERSON_SOURCES
    ]
    return con.sql(f"""
        with now as ({" union all ".join(parts)}), last as ({" union all ".join(last)})
        select l.source_system, l.source_file, f.file_hash, coalesce(n.rows_now, 0) as rows_now, l.rows_last_accepted
        from last as l
        join audit.files as f using (source_system, source_file)
        left join now as n using (source_system, source_file)
    """).df()


def run_file_gate(
    con: duckdb.DuckDBPyConnection, publish: Path, run_id: str, params: dict | None = None, full: bool = False
) -> FileGateResult:
    """Check every file whose rows changed since it was last judged (every file, with `full`), record what
    is held back, let accepted versions replace their predecessors, and bring every unit's report up to
    date. What `conformed_records` finds in a file depends only on the file's rows (each expectation
    judges a row, or a file's rows), so the findings of a file judged before, with the same suite and
    parameters, are kept as they are; `file_record_counts` and ingest's refusals are judged every run."""
    params = params or gx_suites.parameters()
    suite = gx_suites.load_suite("conformed_records")
    judged_with = hashlib.sha256(json.dumps([suite, params], sort_keys=True, default=str).encode()).hexdigest()
    files = _file_signatures(con)
    earlier = con.execute(
        "select source_system, source_file, signature from audit.gate_judged where suite = ?", [judged_with]
    ).df()
    unchanged = files.merge(earlier) if not full else files.head(0)
    to_judge = files.merge(unchanged, how="left", indicator=True).query("_merge == 'left_only'").drop(columns="_merge")
    con.register("gate_to_judge", to_judge)
    con.register("file_versions", file_versions(con))
    frames = {
        "conformed_records": gx_suites.read_frame(con, suite, files="gate_to_judge"),
        "file_record_counts": gx_suites.read_frame(con, gx_suites.load_suite("file_record_counts")),
    }
    con.unregister("file_versions")
    gate = gx_suites.validate(frames, Published(publish).quality_docs("conformed_records"), params)
    now = dt.datetime.now()
    found = [f for name in SUITES for f in findings(frames[name], gx_suites.load_suite(name), gate.outcomes[name])]
    found += _refused_files(con)
    table = pd.DataFrame(found, columns=_FINDING_COLUMNS[:-2]).assign(run_id=run_id, found_at=now)
    table = table.astype({"source_row": "Int64", "failing_rows": "Int64", "checked_rows": "Int64"})
    codes = sorted({e["meta"]["code"] for e in suite["expectations"]})
    con.register("unchanged", unchanged)
    con.register("found", table)
    con.execute(
        """delete from audit.gate_findings as g where not (list_contains(?, g.expectation) and exists (
               select 1 from unchanged as u where (u.source_system, u.source_file) = (g.source_system, g.source_file)))""",
        [codes],
    )
    con.execute("insert into audit.gate_findings by name select * from found")
    con.execute(
        """delete from audit.gate_judged as j where not exists (select 1 from unchanged as u
               where (u.source_system, u.source_file, u.signature) = (j.source_system, j.source_file, j.signature))"""
    )
    con.execute(
        "insert into audit.gate_judged select source_system, source_file, signature, ?, ? from gate_to_judge",
        [judged_with, now],
    )
    for name in ("unchanged", "found", "gate_to_judge"):
        con.unregister(name)
    table = con.sql("select * exclude (run_id, found_at), run_id, found_at from audit.gate_findings").df()
    for source, staged in _staging_tables(con):  # a version no longer held back is the accepted one now
        held = "select source_file from audit.gate_holds where scope = 'file' and source_system = ?"
        con.execute(f"delete from raw_last_accepted.{source} where source_file not in ({held})", [source])
        # and the incremental staging model drops the earlier version's rows now, as a full rebuild would
        con.execute(f"delete from staging.{staged} where from_last_accepted and source_file not in ({held})", [source])
    reports = write_reports(con, publish, run_id)
    return FileGateResult(gate, table, reports)


def _staging_tables(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """Each person source with its staging model's table (none before staging first ran)."""
    return [
        (source, staged)
        for source in PERSON_SOURCES
        for (staged,) in con.execute(
            "select table_name from information_schema.tables where table_schema = 'staging' and table_name like ?",
            [f"stg_{source}__%"],
        ).fetchall()
    ]


def _file_signatures(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Each file in staging, with the versions of it there (its newest and its last accepted one): the
    rows its findings are made of."""
    columns = ["source_system", "source_file", "signature"]
    parts = [
        f"""select source_system, source_file,
                   md5(string_agg(distinct file_hash || ':' || from_last_accepted, ',' order by file_hash || ':' || from_last_accepted)) as signature
            from staging.{staged} group by all"""
        for _, staged in _staging_tables(con)
    ]
    return con.sql(" union all ".join(parts)).df() if parts else pd.DataFrame(columns=columns)


def findings(frame: pd.DataFrame, suite: dict, results: list) -> list[tuple]:
    """What each expectation found, file by file (scope `file`) or row by row (scope `row`)."""
    out = []
    current = (
        ~frame["from_last_accepted"].astype(bool) if "from_last_accepted" in frame else pd.Series(True, frame.index)
    )
    for r in results:
        config = r.expectation_config
        meta = config.meta or {}
        failing = pd.DataFrame(
            (r.result or {}).get("unexpected_index_list") or [],
            columns=[*suite["meta"]["row_key"], suite["meta"]["index"]],
        )
        if meta.get("scope") == "file":
            out += _file_findings(frame[current], failing, config, meta)
        else:
            out += _row_findings(frame, current, failing, config, meta)
    return out


def _row_findings(frame, current, failing: pd.DataFrame, config, meta) -> list[tuple]:
    """Each failing row: a critical one is held back (rows of a last accepted version too, since they
    may be used); a warning is reported for the newest version only."""
    critical = meta.get("severity") == gx_suites.CRITICAL
    if failing.empty:
        return []
    newest = frame[current][["source_file", "file_hash"]].drop_duplicates()
    if not critical:
        failing = failing.merge(newest, on=["source_file", "file_hash"])
    column = config.kwargs.get("column") or config.kwargs.get("column_A")
    values = frame.set_index("record_key")
    return [
        (
            row.source_system,
            row.source_file,
            row.file_hash,
            row.source_sheet,
            int(row.source_row),
            "row",
            meta["severity"],
            critical,
            meta["code"],
            meta.get("field", ""),
            config.description,
            meta.get("fix_zh"),
            1,
            1,
            _value(values, row, column, config),
        )
        for row in failing.drop_duplicates().itertuples(index=False)
    ]


def _value(values: pd.DataFrame, row, column: str | None, config) -> str:
    """The failing value(s) of the row, as the report shows them."""
    try:
        found = values.loc[row.record_key]
    except KeyError:
        return ""
    found = found.iloc[0] if isinstance(found, pd.DataFrame) else found
    cols = [c for c in (config.kwargs.get("column_A"), config.kwargs.get("column_B")) if c] or [column]
    return "；".join(f"{c}={found[c]}" for c in cols if c in found.index and not pd.isna(found[c]))


def _file_findings(frame: pd.DataFrame, failing: pd.DataFrame, config, meta) -> list[tuple]:
    """Files whose rows meet the expectation less often than its `mostly` (every row, without one)."""
    kwargs = config.kwargs
    checked = _checked(frame, kwargs, config.type)
    if checked.empty:
        return []
    per_file = checked.groupby(["source_system", "source_file", "file_hash"]).size().rename("checked").reset_index()
    bad = failing.groupby(["source_system", "source_file", "file_hash"]).size().rename("failing").reset_index()
    per_file = per_file.merge(bad, how="left").fillna({"failing": 0})
    mostly = float(kwargs.get("mostly") or 1.0)
    per_file = per_file[(per_file.checked - per_file.failing) / per_file.checked < mostly]
    critical = meta.get("severity") == gx_suites.CRITICAL
    out = []
    for f in per_file.itertuples(index=False):
        rows = failing[(failing.source_file == f.source_file) & (failing.file_hash == f.file_hash)]
        examples = "；".join(_place(r) for r in rows.head(EXAMPLES).itertuples(index=False))
        observed = f"{int(f.failing)} / {int(f.checked)} 行不符合"
        out.append(
            (
                f.source_system,
                f.source_file,
                f.file_hash,
                None,
                None,
                "file",
                meta["severity"],
                critical,
                meta["code"],
                meta.get("field", ""),
                config.description,
                meta.get("fix_zh"),
                int(f.failing),
                int(f.checked),
                f"{observed}。例：{examples}" if examples else observed,
            )
        )
    return out


def _checked(frame: pd.DataFrame, kwargs: dict, kind: str) -> pd.DataFrame:
    """The rows an expectation judges: those its row condition selects, less those with a missing value
    (a not-null expectation judges every row)."""
    if gx_suites.row_condition(kwargs):
        frame = frame.query(gx_suites.row_condition(kwargs))
    if "not_be_null" in kind:
        return frame
    columns = [c for c in (kwargs.get("column"), kwargs.get("column_A"), kwargs.get("column_B")) if c]
    return frame.dropna(subset=columns)


def _place(row) -> str:
    sheet = getattr(row, "source_sheet", "") or ""
    at = f"第{int(row.source_row)}行" if hasattr(row, "source_row") and not pd.isna(row.source_row) else ""
    return f"{sheet}{at}".strip() or str(getattr(row, "source_file", ""))


def _refused_files(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """A file ingest refused whole is held back: its last accepted version, if any, stays in use."""
    rows = con.execute("""select source_system, source_file, file_hash, reason_code from audit.files
                          where status = 'refused'""").fetchall()
    return [
        (
            s,
            f,
            h,
            None,
            None,
            "file",
            gx_suites.CRITICAL,
            True,
            "ingest",
            "",
            reason(code).en,
            reason(code).zh,
            None,
            None,
            "",
        )
        for s, f, h, code in rows
    ]
