"""The quality gate: blocking asset checks that run the Great Expectations suites of `expectations/` on
the conformed records (after conform) and on the golden tables (after identity). A critical failure
fails the check with ERROR severity, so the assets that read the checked table do not run: the golden
tables are not rebuilt from bad records, nothing is published and the live snapshot stays. Warnings
fail the check with WARN severity and block nothing. Each check writes GX Data Docs under
`published/quality/` and links them from its metadata."""
import dagster as dg
from dagster_dbt import get_asset_key_for_model

from alumni_pipeline import publish, quality
from alumni_pipeline.warehouse import connect
from orchestration.assets.conform import conform_models
from orchestration.resources import POOL, AlumniPaths

PERSON_RECORDS = get_asset_key_for_model([conform_models], "int_person_records")
GOLDEN = {suite: dg.AssetKey(["marts", suite]) for suite in ("alumni", "alumni_xref", "alumni_education")}
CHECK = "quality_gate"


def check_result(gate: quality.GateResult, suites: list[str], asset_key: dg.AssetKey) -> dg.AssetCheckResult:
    """Passed when every expectation held; ERROR (blocking) on a critical failure, else WARN."""
    critical = [f for s in suites for f in gate.critical(s)]
    warnings = [f for s in suites for f in gate.warnings(s)]
    lines = "\n".join(f"- {f.line()}" for f in critical + warnings) or "every expectation held"
    return dg.AssetCheckResult(
        asset_key=asset_key, check_name=CHECK, passed=not (critical or warnings),
        severity=dg.AssetCheckSeverity.ERROR if critical else dg.AssetCheckSeverity.WARN,
        metadata={
            "suites": ", ".join(f"expectations/{s}.json" for s in suites),
            "expectations_evaluated": sum(gate.evaluated.get(s, 0) for s in suites),
            "critical_failures": len(critical),
            "warnings": len(warnings),
            "failures": dg.MetadataValue.md(lines),
            "data_docs": dg.MetadataValue.url(gate.docs.as_uri()),
        })


@dg.asset_check(asset=PERSON_RECORDS, name=CHECK, blocking=True, pool=POOL)
def conformed_records_gate(alumni: AlumniPaths) -> dg.AssetCheckResult:
    """Suites `int_person_records` (required fields at their rates, values in their sets, plausible
    years, ID check digits) and `person_record_counts` (each landing folder's records against the
    counts in the live snapshot's manifest: a folder arriving with less than 80% blocks)."""
    paths = alumni.paths()
    live = publish.last_published(paths.publish) or {}
    with connect(paths.warehouse, read_only=True) as con:
        frames = {"int_person_records": quality.read_frame(con, quality.load_suite("int_person_records")),
                  "person_record_counts": quality.count_frame(con, quality.load_suite("person_record_counts"),
                                                              live.get("counts", {}).get("person_records"))}
    gate = quality.validate(frames, paths.publish / "quality" / "conformed_records")
    return check_result(gate, list(frames), PERSON_RECORDS)


@dg.multi_asset_check(
    name="golden_tables_gate",
    specs=[dg.AssetCheckSpec(CHECK, asset=key, blocking=True, description=f"Suite expectations/{suite}.json.")
           for suite, key in GOLDEN.items()],
    pool=POOL,
)
def golden_tables_gate(alumni: AlumniPaths):
    """Suites `alumni` (unique alumni_id, names, plausible birth dates), `alumni_xref` (every row
    pointing at an alumnus, one row per source row) and `alumni_education` (levels, years, graduation
    not before enrolment, units), one check per table; publishing waits for all three."""
    paths = alumni.paths()
    with connect(paths.warehouse, read_only=True) as con:
        frames = {suite: quality.read_frame(con, quality.load_suite(suite)) for suite in GOLDEN}
    gate = quality.validate(frames, paths.publish / "quality" / "golden_tables")
    for suite, key in GOLDEN.items():
        yield check_result(gate, [suite], key)


quality_checks = [conformed_records_gate, golden_tables_gate]
