"""Publish: what leaves the warehouse, only after the quality gate passed. Each asset reads the golden
tables the gate checks, so a blocking failure there keeps all of them from running."""

import dagster as dg
import pandas as pd

from alumni_pipeline.config import OPT_OUT_FOLDER, WALL_PARQUET, wall_key
from alumni_pipeline.publish.kpi_report import markdown_bars, write_kpi_report
from alumni_pipeline.publish.unit_workbooks import write_unit_workbooks
from alumni_pipeline.publish.wall import opted_out_alumni, publish_wall, read_opt_outs, snapshot_counts
from alumni_pipeline.warehouse import connect
from orchestration.assets.quality import GOLDEN, PERSON_RECORDS
from orchestration.resources import OWNERS, POOL, AlumniPaths

GATED = list(GOLDEN.values())


def _mart(name: str) -> dg.AssetKey:
    return dg.AssetKey(["marts", name])


@dg.asset(
    key=["publish", "unit_workbooks"],
    deps=[*GATED, _mart("unit_alumni")],
    group_name="publish",
    kinds={"python", "duckdb", "excel"},
    pool=POOL,
    owners=OWNERS,
)
def unit_workbooks(context: dg.AssetExecutionContext, alumni: AlumniPaths) -> dg.MaterializeResult:
    """Each unit's alumni as an Excel workbook with Chinese headers, `units/<unit_code>/<unit_code>_校友名单.xlsx`:
    education, contact and career fields, the ID number masked (620102********123X), whether the record
    is complete and what it lacks. A workbook holds only its unit's rows (marts.unit_alumni), and is
    rewritten only when they changed (`units/manifest.json` keeps each unit's content digest)."""
    paths = alumni.paths()
    with connect(paths.warehouse, read_only=True) as con:
        result = write_unit_workbooks(con, paths.publish, context.run_id)
    published = {**result.written, **result.carried_over}
    for unit, error in result.failed.items():
        context.log.error(f"unit {unit}: workbook not written ({error}); its previous workbook stays")
    table = "\n".join(
        [
            "| unit | alumni | workbook |",
            "| --- | ---: | --- |",
            *(
                f"| {u} | {n} | {'rewritten' if u in result.written else 'unchanged, carried over'} |"
                for u, n in sorted(published.items())
            ),
        ]
    )
    failed = "\n".join(["| unit | error |", "| --- | --- |", *(f"| {u} | {e} |" for u, e in result.failed.items())])
    return dg.MaterializeResult(
        metadata={
            "units": len(published),
            "units_rewritten": len(result.written),
            "units_carried_over": len(result.carried_over),
            "units_failed": len(result.failed),
            "failed_units": dg.MetadataValue.md(failed if result.failed else "none"),
            "dagster/row_count": sum(published.values()),
            "folder": dg.MetadataValue.path(str(paths.published.units)),
            "alumni_per_unit": dg.MetadataValue.md(table),
        }
    )


@dg.asset(
    key=["publish", "alumni_wall"],
    deps=[*GATED, PERSON_RECORDS],
    group_name="publish",
    kinds={"python", "duckdb", "parquet"},
    pool=POOL,
    owners=OWNERS,
)
def alumni_wall(context: dg.AssetExecutionContext, alumni: AlumniPaths) -> dg.MaterializeResult:
    """The alumni-wall snapshot `alumni_wall/<snapshot_id>/` (parquet, CSV, manifest with schema
    version, row count, checksums, run id and the record counts the next gate compares with), then
    `alumni_wall/LATEST` switched to it; the last five snapshots are kept. Wall fields only: wall_id
    (a keyed hash of the alumni_id, stable across snapshots, revealing nothing), name, gender, level,
    enrolment and graduation year, unit, department as recorded, major; the CSV is UTF-8 with BOM, and
    `index.html` shows the wall by unit and class. Alumni on the opt-out list (`raw_drops/opt_out/`)
    are left out."""
    paths = alumni.paths()
    opt_outs = read_opt_outs(paths.drops / OPT_OUT_FOLDER)
    with connect(paths.warehouse, read_only=True) as con:
        matched = opted_out_alumni(con, opt_outs)
        counts = snapshot_counts(con)
        manifest = publish_wall(
            con,
            paths.publish,
            context.run_id,
            matched.alumni_id.dropna().tolist(),
            counts,
            key=wall_key(paths.wall_key),
        )
    unmatched = matched[matched.alumni_id.isna()]
    return dg.MaterializeResult(
        metadata={
            "snapshot_id": manifest["snapshot_id"],
            "dagster/row_count": manifest["row_count"],
            "opted_out_alumni": manifest["opted_out_alumni"],
            "opt_out_rows_matching_nobody": dg.MetadataValue.md(
                unmatched[["file", "requested"]].to_markdown(index=False) if len(unmatched) else "none"
            ),
            "parquet_sha256": manifest["files"][WALL_PARQUET]["sha256"],
            "snapshot": dg.MetadataValue.path(str(paths.published.wall / manifest["snapshot_id"])),
            "page": dg.MetadataValue.url(paths.published.wall_page(manifest["snapshot_id"]).as_uri()),
        }
    )


@dg.asset(
    key=["publish", "kpi_report"],
    deps=[*GATED, _mart("kpi_units"), _mart("kpi_classes"), _mart("kpi_graduates")],
    group_name="publish",
    kinds={"python", "duckdb", "html"},
    pool=POOL,
    owners=OWNERS,
)
def kpi_report(alumni: AlumniPaths) -> dg.MaterializeResult:
    """The plan's targets per unit and for the university (marts.kpi_units) drawn against what was
    achieved, `kpi/kpi_report.html`: records updated in the collection cycle (target 80%), alumni
    reachable by a valid mobile or email (50%), graduated classes with a liaison (all), and the classes
    still without one. Units ranked by distance to the targets, worst first, each with its data-health
    score; a self-contained page with a unit filter, readable offline."""
    paths = alumni.paths()
    report = paths.published.kpi_report
    with connect(paths.warehouse, read_only=True) as con:
        kpis = write_kpi_report(con, report)
    university = kpis[kpis.unit_code == "ALL"].to_dict("records")
    headline = {
        k: float(v)
        for k, v in (university[0] if university else {}).items()
        if k in ("updated_share", "reachable_share", "liaison_share") and pd.notna(v)
    }
    return dg.MaterializeResult(
        metadata={
            **{f"university/{k}": v for k, v in headline.items()},
            "cycle": f"{kpis.cycle_start.iloc[0]:%Y-%m-%d} – {kpis.cycle_end.iloc[0]:%Y-%m-%d}" if len(kpis) else "",
            "report": dg.MetadataValue.path(str(report)),
            "chart": dg.MetadataValue.md(markdown_bars(kpis)),
        }
    )


publish_assets = [unit_workbooks, alumni_wall, kpi_report]
