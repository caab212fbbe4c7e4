"""The dbt project as Dagster assets, one `dbt build` per stage, each named for what it builds: seeds and
staging (`staging_models`), then, once the per-file quality gate has decided what is held back, the
intermediate models (`conform_models`: records attributed to units), the matching models
(`matching_models`: candidate pairs and their comparison levels), the golden tables after identity
resolution (`golden_models`), and the per-unit marts and KPIs once the golden tables passed their gate
(`publish_models`). Plus a report of how well fields were read and records attributed."""

import contextlib
import datetime as dt
import io
import logging
import shutil
import sys
from collections import Counter
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliInvocation,
    DbtCliResource,
    dbt_assets,
    get_asset_key_for_model,
)

from alumni_pipeline.config import Paths
from alumni_pipeline.identity.weights import due
from alumni_pipeline.warehouse import connect
from orchestration.dbt import GLOBAL_FLAGS, dbt_project, dbt_variables, environ
from orchestration.resources import DBT_OUTPUT_TAG, FULL_TAG, OWNERS, POOL, REFIT_TAG, AlumniPaths, run_flag

# dbt folder under models/ -> Dagster group (the innermost folder named here wins); seeds are the reference data
LAYER_GROUPS = {
    "staging": "conform",
    "intermediate": "conform",
    "matching": "identity",
    "marts": "identity",
    "publish": "publish",
}


class LayerTranslator(DagsterDbtTranslator):
    """Groups dbt assets by layer, so the asset graph reads like the architecture. Two dbt sources may name
    one asset (`raw.<source>` and `raw_last_accepted.<source>` are both written by its ingest asset)."""

    def __init__(self):
        super().__init__(DagsterDbtTranslatorSettings(enable_duplicate_source_asset_keys=True))

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str:
        if dbt_resource_props["resource_type"] == "seed":
            return "reference"
        folders = dbt_resource_props["fqn"][1:-1]
        return next((LAYER_GROUPS[f] for f in reversed(folders) if f in LAYER_GROUPS), folders[0])

    def get_owners(self, dbt_resource_props: Mapping[str, Any]) -> list[str]:
        return OWNERS


class _DbtCommandLines(logging.Filter):
    """dagster-dbt's own lines around each command (the selection used, the partial-parse file copied,
    the command started and finished): the step's closing line of counts names the command instead."""

    LINES = ("A dbt subsetted execution", "Copying `", "Running dbt command", "Finished dbt command")

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(self.LINES)


def _build(context: dg.AssetExecutionContext, dbt: DbtCliResource, alumni: AlumniPaths, **variables: str):
    """One `dbt build` of the step's selection, with `variables` in its environment. Under `alumni run`
    (tag alumni/dbt_output=summary) the console gets one line of counts for the step instead of dbt's
    line per model and test."""
    brief = context.run.tags.get(DBT_OUTPUT_TAG) == "summary"
    chatter, dagster_dbt_log = _DbtCommandLines(), logging.getLogger("dagster.builtin")
    if brief:
        dagster_dbt_log.addFilter(chatter)
    try:
        # buildable: a test runs in the step that builds the last of its parents (a test reading staging and
        # int_person_records runs with int_person_records, not with staging)
        with environ(**dbt_variables(alumni.paths()), **variables, DBT_INDIRECT_SELECTION="buildable"):
            # incremental staging conforms only new file versions; a full rebuild conforms everything again
            args = ["build", *(["--full-refresh"] if run_flag(context, FULL_TAG) else [])]
            invocation = dbt.cli(args, context=context)
        yield from (_folded(context, invocation) if brief else invocation.stream())
        _keep_only_results(invocation.target_path)
    finally:
        dagster_dbt_log.removeFilter(chatter)


KEPT_ARTIFACTS = ("run_results.json", "dbt.log")


def _keep_only_results(target: Path) -> None:
    """After a step that passed, its target folder keeps what it did (run_results.json: each node's
    status and time; dbt.log: its warnings) and loses the rest (manifest, compiled SQL, graph: about
    10 MB a step, six steps a run). A failed step keeps everything, for whoever looks into it."""
    for item in target.iterdir() if target.is_dir() else ():
        if item.is_dir():
            shutil.rmtree(item)
        elif item.name not in KEPT_ARTIFACTS:
            item.unlink()


def _folded(context: dg.AssetExecutionContext, invocation: DbtCliInvocation):
    """The step's events, with the line dbt writes per node kept off the console: one line of counts at
    the end instead, and on a failure every line dbt wrote, so nothing needed to fix it is lost."""
    lines = io.StringIO()
    events = iter(invocation.stream())
    try:
        while True:
            with contextlib.redirect_stdout(lines):
                event = next(events, None)
            if event is None:
                break
            yield event
    except Exception:
        sys.stdout.write(lines.getvalue())
        raise
    # without the executable's path and the flags every step passes
    command = "dbt " + invocation.dbt_command.split(" ", 1)[-1].removeprefix(" ".join(GLOBAL_FLAGS) + " ")
    context.log.info(f"{command}: {build_counts(invocation.get_artifact('run_results.json'))}")


def build_counts(run_results: Mapping[str, Any]) -> str:
    """One line for a `dbt build`: nodes by kind and status, and the name of each node that did not pass."""
    kinds = Counter()
    flagged = []
    for r in run_results["results"]:
        kind, status = r["unique_id"].split(".")[0], r["status"]
        kinds[kind, "ok" if status in ("success", "pass") else status] += 1
        if status not in ("success", "pass"):
            flagged.append(f"{status}: {r['unique_id'].split('.')[2]}")
    counts = ", ".join(f"{n} {kind}s {status}" for (kind, status), n in sorted(kinds.items()))
    took = run_results.get("elapsed_time", 0)
    return f"{counts or 'nothing to build'} in {took:.1f} s" + "".join(f"\n  {f}" for f in flagged)


def _dbt_step(name: str, select: str, exclude: str | None = None, variables: Callable[..., dict] | None = None):
    """One `dbt build` of the models `select` names, in the warehouse this run writes, each model followed
    by its tests (a failing test fails the step); `variables(context, paths)` adds to dbt's environment."""

    @dbt_assets(
        manifest=dbt_project.manifest_path,
        project=dbt_project,
        dagster_dbt_translator=LayerTranslator(),
        select=select,
        exclude=exclude,
        pool=POOL,
        name=name,
    )
    def models(context: dg.AssetExecutionContext, dbt: DbtCliResource, alumni: AlumniPaths):
        yield from _build(context, dbt, alumni, **(variables(context, alumni.paths()) if variables else {}))

    return models


def _weights_due(context: dg.AssetExecutionContext, paths: Paths) -> dict[str, str]:
    """Whether identity will estimate new weights (identity/weights.py `due`, over the records the gate let
    through), so the matching step draws what they learn from only then."""
    with connect(paths.warehouse, read_only=True) as con:
        (records,) = con.sql("select count(*) from intermediate.int_person_records").fetchone()
        reason = due(con, records, dt.datetime.now(), asked=run_flag(context, REFIT_TAG))
    context.log.info(f"weights: {(reason and 'estimated again: ' + reason) or 'kept'}")
    return {"ALUMNI_WEIGHTS_DUE": "yes" if reason else "no"}


# seeds (reference data) and staging: every source's rows conformed, field by field
staging_models = _dbt_step("staging_models", "resource_type:seed path:models/staging,resource_type:model")
# intermediate: the person, education and employment records the gate let through, attributed to units
conform_models = _dbt_step("conform_models", "path:models/intermediate")
# matching: the records identity resolution compares, candidate pairs and their comparison levels
matching_models = _dbt_step("matching_models", "path:models/matching", variables=_weights_due)
# the golden tables, once identity resolution has given every record its alumni_id
golden_models = _dbt_step(
    "golden_models", "path:models/marts", exclude="path:models/marts/publish path:models/marts/office"
)
# per-unit marts, KPIs and where alumni are, once the golden tables passed their gate
publish_models = _dbt_step("publish_models", "path:models/marts/publish")
# the reunion classes, which count who is on the wall: after the opt-out list is read (marts/wall_opt_outs),
# so a list that cannot be read holds back the wall and these, and nothing else
office_models = _dbt_step("office_models", "path:models/marts/office")


@dg.asset(
    deps=[
        get_asset_key_for_model([conform_models], model)
        for model in ("int_parse_rates", "int_education_records", "int_employment_records", "int_field_issues")
    ],
    group_name="conform",
    kinds={"python", "duckdb"},
    pool=POOL,
    owners=OWNERS,
)
def conform_report(alumni: AlumniPaths) -> dg.MaterializeResult:
    """What the conform layer achieved: the parse rate of each source's fields (values a person could
    read that the normalisers read), education and employment records counted by how they were
    attributed to a unit, and field issues counted by rule."""
    with connect(alumni.paths().warehouse, read_only=True) as con:
        return dg.MaterializeResult(metadata=conform_metadata(con))


def conform_metadata(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """The report's numbers, from int_parse_rates, the attributed records and int_field_issues."""
    rates = con.sql(
        "select source_system as source, field, typed, readable, parsed, parse_rate "
        "from intermediate.int_parse_rates order by source, field"
    ).df()
    methods = con.sql("""
        select 'education' as records, attribution_method as method, count(*) as n
        from intermediate.int_education_records group by all
        union all
        select 'employment', attribution_method, count(*) from intermediate.int_employment_records group by all
        order by records, n desc""").df()
    issues = con.sql(
        "select rule, field, count(*) as n from intermediate.int_field_issues group by all order by n desc"
    ).df()
    education = methods[methods.records == "education"]
    attributed = education[education.method != "unattributed"].n.sum()
    lowest = rates.sort_values("parse_rate").head(1).to_dict("records")
    return {
        "lowest_parse_rate": float(lowest[0]["parse_rate"]) if lowest else None,
        "lowest_parse_rate_field": f"{lowest[0]['source']}.{lowest[0]['field']}" if lowest else "",
        "education_records": int(education.n.sum()),
        "education_attributed_share": float(attributed / education.n.sum()) if len(education) else None,
        **{f"education_by/{r.method}": int(r.n) for r in education.itertuples()},
        "unattributed": int(methods[methods.method == "unattributed"].n.sum()),
        "field_issues": int(issues.n.sum()),
        "parse_rates": dg.MetadataValue.md(rates.to_markdown(index=False)),
        "attribution": dg.MetadataValue.md(methods.to_markdown(index=False)),
        "field_issues_by_rule": dg.MetadataValue.md(issues.to_markdown(index=False)),
    }


conform_assets = [staging_models, conform_models, conform_report]
matching_assets = [matching_models]
