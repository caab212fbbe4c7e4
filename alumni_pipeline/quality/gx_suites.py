"""The quality gate: the Great Expectations suites in `expectations/`, run on DataFrames read from the
warehouse. Each suite names its table and the query that reads it; each expectation is critical (a
failure blocks publishing) or a warning (reported). Validation results become one self-contained page
(report_page.py; GX Data Docs load their scripts from the internet and are blank offline).

GX validates pandas DataFrames here, not SQL: GX's SQLAlchemy path does not work with DuckDB.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from .report_page import render_report

SUITES_DIR = Path(__file__).resolve().parents[2] / "expectations"
CRITICAL, WARNING = "critical", "warning"
EXAMPLES = 5

# SQL the suites' queries may use: the GB 11643 check digit, computed independently of the normaliser
_MACROS = """
create or replace temp macro id_check_digit_valid(id) as
    case when id is not null then right(id, 1) = substr('10X98765432', 1 + (list_sum(list_transform(range(17),
        i -> substr(id, i + 1, 1)::integer * [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2][i + 1]))
        % 11)::bigint, 1) end;
"""


@dataclass(frozen=True)
class Failure:
    """One expectation that did not hold: what, on which table, how far off, and example rows."""

    suite: str
    table: str
    severity: str
    description: str
    expectation: str
    observed: str
    examples: tuple[str, ...] = ()

    def line(self) -> str:
        shown = f" e.g. {'; '.join(self.examples)}" if self.examples else ""
        return f"[{self.severity}] {self.table}: {self.description} ({self.expectation}) {self.observed}.{shown}"


@dataclass
class GateResult:
    evaluated: dict[str, int] = field(default_factory=dict)  # suite -> expectations evaluated
    failures: list[Failure] = field(default_factory=list)
    docs: Path | None = None
    outcomes: dict[str, list] = field(default_factory=dict)  # suite -> GX's result of each expectation

    def critical(self, suite: str | None = None) -> list[Failure]:
        return [f for f in self.failures if f.severity == CRITICAL and suite in (None, f.suite)]

    def warnings(self, suite: str | None = None) -> list[Failure]:
        return [f for f in self.failures if f.severity == WARNING and suite in (None, f.suite)]


def load_suite(name: str) -> dict:
    return json.loads((SUITES_DIR / f"{name}.json").read_text(encoding="utf-8"))


def read_frame(con: duckdb.DuckDBPyConnection, suite: dict, files: str | None = None) -> pd.DataFrame:
    """The rows a suite checks: its query (its key column, `meta.index`, names a failing row); with
    `files`, a relation of (source_system, source_file), only the rows of those files."""
    con.execute(_MACROS)
    query = "\n".join(suite["meta"]["query"])
    if files:
        query = f"""select * from ({query}) as q where exists (select 1 from {files} as f
                    where f.source_system = q.source_system and f.source_file = q.source_file)"""
    return con.sql(query).df()


def count_frame(con: duckdb.DuckDBPyConnection, suite: dict, published: dict[str, int] | None) -> pd.DataFrame:
    """Records per landing folder now and in the live snapshot's manifest, and their ratio (none
    before a first snapshot). A folder that held rows then and holds none now counts 0."""
    now = dict(read_frame(con, suite)[["source_system", "records"]].itertuples(index=False))
    last = published or {}
    rows = [
        {
            "source_system": s,
            "records": now.get(s, 0),
            "last_published": last.get(s),
            "share_of_last_published": now.get(s, 0) / last[s] if last.get(s) else None,
        }
        for s in sorted(set(now) | set(last))
    ]
    frame = pd.DataFrame(rows, columns=["source_system", "records", "last_published", "share_of_last_published"])
    return frame.astype({"share_of_last_published": "float64"})


def parameters(today: dt.date | None = None) -> dict:
    today = today or dt.date.today()
    return {"this_year": today.year, "max_grad_year": today.year + 8}


def validate(frames: dict[str, pd.DataFrame], docs_dir: Path, params: dict | None = None) -> GateResult:
    """Run each named suite on its DataFrame and write the report of the results, `docs_dir/index.html`
    (report_page.py), named after the folder. A suite
    whose `meta.file` names the column of the file a row came from is run with every failing row
    returned (`outcomes`), so the per-file gate can tell which file and row each failure is in."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_pandas("warehouse")
    result = GateResult(docs=docs_dir / "index.html")
    specs = {}
    for name, frame in frames.items():
        spec = specs[name] = load_suite(name)
        suite = context.suites.add(_gx_suite(gx, spec))
        batch = source.add_dataframe_asset(name).add_batch_definition_whole_dataframe(name)
        validation = context.validation_definitions.add(gx.ValidationDefinition(name=name, data=batch, suite=suite))
        index = [spec["meta"]["index"], *spec["meta"].get("row_key", [])]
        checkpoint = context.checkpoints.add(
            gx.Checkpoint(
                name=name,
                validation_definitions=[validation],
                result_format={
                    "result_format": "COMPLETE" if "file" in spec["meta"] else "SUMMARY",
                    "partial_unexpected_count": EXAMPLES,
                    "unexpected_index_column_names": index,
                },
            )
        )
        run = checkpoint.run(batch_parameters={"dataframe": frame}, expectation_parameters=params or parameters())
        for outcome in run.run_results.values():
            result.evaluated[name] = len(outcome.results)
            result.outcomes[name] = list(outcome.results)
            result.failures += [
                _failure(name, spec["meta"]["table"], index, r) for r in outcome.results if not r.success
            ]
    indexes = {n: [spec["meta"]["index"], *spec["meta"].get("row_key", [])] for n, spec in specs.items()}
    page = render_report(
        docs_dir.name, specs, frames, result.outcomes, _observed, lambda n, row: _example(row, indexes[n])
    )
    _write_report(docs_dir, page)
    result.failures.sort(key=lambda f: (f.severity != CRITICAL, f.suite))
    return result


def _gx_suite(gx, spec: dict):
    """The suite file as a GX suite: meta.severity becomes the expectation's GX severity."""
    expectations = [{**e, "severity": e["meta"]["severity"]} for e in spec["expectations"]]
    return gx.ExpectationSuite(name=spec["name"], meta=spec["meta"], expectations=expectations)


def _failure(suite: str, table: str, index: list[str], r) -> Failure:
    config, res = r.expectation_config, r.result or {}
    kwargs = {k: v for k, v in config.kwargs.items() if k not in ("batch_id", "condition_parser")}
    if "row_condition" in kwargs:
        kwargs["row_condition"] = row_condition(kwargs)
    args = ", ".join(f"{k}={v}" for k, v in kwargs.items())
    observed = _observed(r)
    examples = tuple(
        _example(row, index)
        for row in (res.get("partial_unexpected_index_list") or res.get("partial_unexpected_list") or [])[:EXAMPLES]
    )
    return Failure(
        suite,
        table,
        str(config.severity.value if config.severity else CRITICAL),
        config.description or config.type,
        f"{config.type}({args})",
        observed,
        examples,
    )


def _observed(r) -> str:
    """What GX observed, in words: rows failing of rows checked, or the value, or why it could not."""
    res = r.result or {}
    if res.get("unexpected_count") is not None:
        checked = res["element_count"] - res.get("missing_count", 0)
        return f"{res['unexpected_count']} of {checked} rows fail ({res.get('unexpected_percent') or 0:.1f}%)"
    if "observed_value" in res:
        return f"observed {res['observed_value']}"
    return f"could not be evaluated: {_exception(r.exception_info or {})}"


def _write_report(docs_dir: Path, page: str) -> None:
    """The folder holds the report alone (no earlier run's pages), replaced whole."""
    shutil.rmtree(docs_dir, ignore_errors=True)
    docs_dir.mkdir(parents=True)
    tmp = docs_dir / ".index.html.tmp"
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, docs_dir / "index.html")


def row_condition(kwargs: dict) -> str | None:
    """An expectation's pandas row condition as written (GX keeps it as {"pass_through_filter": ...})."""
    condition = kwargs.get("row_condition")
    return (
        condition.get("pass_through_filter", condition)
        if isinstance(condition, dict)
        else getattr(condition, "pass_through_filter", condition)
    )


def _example(row, index: list[str]) -> str:
    """'archives/x.xlsx|Sheet1|12: birth_date=null' for a failing row GX names by the suite's key (the
    first index column; the others only locate the row for the per-file gate)."""
    if not isinstance(row, dict):
        return _plain(row)
    key = index[0]
    values = ", ".join(f"{k}={_plain(v)}" for k, v in row.items() if k not in index)
    return ": ".join(filter(None, [_plain(row[key]) if key in row else "", values]))


def _exception(info: dict) -> str:
    """GX reports an error either directly or per metric."""
    found = [info] if "exception_message" in info else [v for v in info.values() if isinstance(v, dict)]
    return "; ".join(str(i.get("exception_message")) for i in found) or "unknown error"


def _plain(value) -> str:
    if pd.api.types.is_scalar(value) and pd.isna(value):
        return "null"
    return str(value.item() if isinstance(value, np.generic) else value)
