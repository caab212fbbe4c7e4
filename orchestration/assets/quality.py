"""The quality gate, in three places.

- `quality/file_gate` (an asset, after staging): the suites `conformed_records` and
  `file_record_counts` file by file (alumni_pipeline/quality/file_gate.py). A file or row that fails a
  critical expectation is held back (`audit.gate_holds`, which int_person_records reads) and its unit
  told; the rest goes on.
- A blocking check on int_person_records: `person_record_counts`, each landing folder against the
  live snapshot: a folder that lost most of its records stops everything below.
- A blocking check on the golden tables: their integrity. The publish marts and files wait for it.

A blocking failure fails its check with ERROR severity, so the assets that read the checked table do
not run: nothing is published and the live snapshot stays. Warnings fail the check with WARN severity
and block nothing. Each writes its report (a self-contained page) under `published/quality/` and links it."""

import dagster as dg
from dagster_dbt import get_asset_key_for_model

from alumni_pipeline.publish.wall import last_published
from alumni_pipeline.quality import gx_suites
from alumni_pipeline.quality.file_gate import run_file_gate
from alumni_pipeline.sources import PERSON_SOURCES
from alumni_pipeline.warehouse import connect
from orchestration.assets.conform import conform_models, staging_models
from orchestration.resources import FULL_TAG, OWNERS, POOL, AlumniPaths, run_flag

PERSON_RECORDS = get_asset_key_for_model([conform_models], "int_person_records")
STAGED = [
    key for key in staging_models.keys if key.path[-1].startswith("stg_") and "class_liaisons" not in key.path[-1]
]
GOLDEN = {suite: dg.AssetKey(["marts", suite]) for suite in ("alumni", "alumni_xref", "alumni_education")}
# suites checked beside a golden table's own, in its check
ALSO_CHECKED = {"alumni": ["shared_id_numbers"]}
CHECK = "quality_gate"


def check_result(gate: gx_suites.GateResult, suites: list[str], asset_key: dg.AssetKey) -> dg.AssetCheckResult:
    """Passed when every expectation held; ERROR (blocking) on a critical failure, else WARN."""
    critical = [f for s in suites for f in gate.critical(s)]
    warnings = [f for s in suites for f in gate.warnings(s)]
    lines = "\n".join(f"- {f.line()}" for f in critical + warnings) or "every expectation held"
    return dg.AssetCheckResult(
        asset_key=asset_key,
        check_name=CHECK,
        passed=not (critical or warnings),
        severity=dg.AssetCheckSeverity.ERROR if critical else dg.AssetCheckSeverity.WARN,
        metadata={
            "suites": ", ".join(f"expectations/{s}.json" for s in suites),
            "expectations_evaluated": sum(gate.evaluated.get(s, 0) for s in suites),
            "critical_failures": len(critical),
            "warnings": len(warnings),
            "failures": dg.MetadataValue.md(lines),
            "quality_report": dg.MetadataValue.url(gate.docs.as_uri()),
        },
    )


@dg.asset(
    key=["quality", "file_gate"],
    deps=[*STAGED, *(dg.AssetKey(["raw", s]) for s in PERSON_SOURCES)],
    group_name="quality",
    kinds={"python", "duckdb"},
    pool=POOL,
    owners=OWNERS,
)
def file_gate(context: dg.AssetExecutionContext, alumni: AlumniPaths) -> dg.MaterializeResult:
    """Every source's conformed rows checked file by file (suites `conformed_records` and
    `file_record_counts`): a file failing a critical expectation is held back, its last accepted version
    staying in use; a row failing one is left out; warnings only go to the unit. Writes
    `audit.gate_findings` (holds: `audit.gate_holds`) and brings the units' reports up to date."""
    paths = alumni.paths()
    with connect(paths.warehouse) as con:
        result = run_file_gate(con, paths.publish, context.run_id, full=run_flag(context, FULL_TAG))
    held = result.held_files()
    for f in held.itertuples(index=False):
        context.log.warning(f"held back {f.source_file} ({f.expectation}): {f.message_zh}")
    findings = result.findings
    return dg.MaterializeResult(
        metadata={
            "files_held_back": len(held),
            "rows_held_back": result.held_rows(),
            "warnings": int((~findings.held).sum()),
            "held_back": dg.MetadataValue.md(held.to_markdown(index=False) if len(held) else "none"),
            "findings_by_code": dg.MetadataValue.md(
                findings.groupby(["expectation", "severity", "scope"])
                .size()
                .rename("n")
                .reset_index()
                .to_markdown(index=False)
                if len(findings)
                else "none"
            ),
            **{f"unit_reports/{k}": v for k, v in result.reports.items()},
            "quality_report": dg.MetadataValue.url(result.gate.docs.as_uri()),
        }
    )


@dg.asset_check(asset=PERSON_RECORDS, name=CHECK, blocking=True, pool=POOL)
def conformed_records_gate(alumni: AlumniPaths) -> dg.AssetCheckResult:
    """Suite `person_record_counts`: each landing folder's records against the counts in the live
    snapshot's manifest; a folder arriving with less than 80% blocks (files held back by the file gate
    count as their last accepted version)."""
    paths = alumni.paths()
    live = last_published(paths.publish) or {}
    with connect(paths.warehouse, read_only=True) as con:
        frames = {
            "person_record_counts": gx_suites.count_frame(
                con, gx_suites.load_suite("person_record_counts"), live.get("counts", {}).get("person_records")
            )
        }
    gate = gx_suites.validate(frames, paths.published.quality_docs("person_record_counts"))
    return check_result(gate, list(frames), PERSON_RECORDS)


@dg.multi_asset_check(
    name="golden_tables_gate",
    specs=[
        dg.AssetCheckSpec(CHECK, asset=key, blocking=True, description=f"Suite expectations/{suite}.json.")
        for suite, key in GOLDEN.items()
    ],
    pool=POOL,
)
def golden_tables_gate(alumni: AlumniPaths):
    """Suites `alumni` (unique alumni_id, names, plausible birth dates), `alumni_xref` (every row
    pointing at an alumnus, one row per source row) and `alumni_education` (levels, years, graduation
    not before enrolment, units), one check per table; publishing waits for all three."""
    paths = alumni.paths()
    with connect(paths.warehouse, read_only=True) as con:
        frames = {
            suite: gx_suites.read_frame(con, gx_suites.load_suite(suite))
            for table in GOLDEN
            for suite in (table, *ALSO_CHECKED.get(table, []))
        }
    gate = gx_suites.validate(frames, paths.published.quality_docs("golden_tables"))
    for suite, key in GOLDEN.items():
        yield check_result(gate, [suite, *ALSO_CHECKED.get(suite, [])], key)


quality_checks = [conformed_records_gate, golden_tables_gate]
quality_assets = [file_gate]
