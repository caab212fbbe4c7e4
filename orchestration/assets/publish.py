"""Publish: what leaves the warehouse, only after the quality gate passed. Each asset reads the golden
tables the gate checks, so a blocking failure there keeps all of them from running."""

import dagster as dg
import pandas as pd

from alumni_pipeline.config import OPT_OUT_FOLDER, WALL_PARQUET, wall_key
from alumni_pipeline.publish.kpi_report import markdown_bars, write_kpi_report
from alumni_pipeline.publish.office_workbooks import write_chapter_workbooks, write_reunion_workbooks
from alumni_pipeline.publish.unit_workbooks import write_unit_workbooks
from alumni_pipeline.publish.wall import OPT_OUTS_TABLE, opted_out_alumni, publish_wall, read_opt_outs, snapshot_counts
from alumni_pipeline.warehouse import connect
from orchestration.assets.quality import GOLDEN, PERSON_RECORDS
from orchestration.resources import OWNERS, POOL, AlumniPaths

GATED = list(GOLDEN.values())
# every mart table and column carries its description, as dbt's persist_docs gives the others
OPT_OUTS_COMMENTS = [
    f"comment on table {OPT_OUTS_TABLE} is 'The opt-out list (raw_drops/opt_out/) matched to alumni, one row per row of the list'",
    f"comment on column {OPT_OUTS_TABLE}.file is 'The file of the opt-out list the row is in'",
    f"comment on column {OPT_OUTS_TABLE}.requested is 'Who the row names: an alumni_id, or a name and the ID number masked (620102********123X)'",
    f"comment on column {OPT_OUTS_TABLE}.alumni_id is 'The alumnus the row names; null when it names nobody'",
]


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
    key=["marts", "wall_opt_outs"],
    deps=GATED,
    group_name="publish",
    kinds={"python", "duckdb"},
    pool=POOL,
    owners=OWNERS,
)
def wall_opt_outs(alumni: AlumniPaths) -> dg.MaterializeResult:
    """The office's opt-out list (`raw_drops/opt_out/`, every row of every file) matched to alumni, as
    `marts.wall_opt_outs` (file, requested, alumni_id): by alumni_id, or an id merged into another, or
    by a valid ID number with the same name; a row naming nobody keeps a null alumni_id. The wall leaves
    these alumni out and the reunion lists count them off the wall. A list that cannot be read fails
    this step, and with it the wall and the reunion lists, rather than show someone who asked not to be."""
    paths = alumni.paths()
    opt_outs = read_opt_outs(paths.drops / OPT_OUT_FOLDER)
    with connect(paths.warehouse) as con:
        matched = opted_out_alumni(con, opt_outs)
        con.register("matched", matched)
        con.execute(
            f"create or replace table {OPT_OUTS_TABLE} as select file::varchar as file, requested::varchar as requested, alumni_id::varchar as alumni_id from matched"
        )
        con.unregister("matched")
        for statement in OPT_OUTS_COMMENTS:
            con.execute(statement)
    unmatched = matched[matched.alumni_id.isna()]
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": len(matched),
            "opted_out_alumni": int(matched.alumni_id.nunique()),
            "opt_out_rows_matching_nobody": dg.MetadataValue.md(
                unmatched[["file", "requested"]].to_markdown(index=False) if len(unmatched) else "none"
            ),
        }
    )


@dg.asset(
    key=["publish", "alumni_wall"],
    deps=[*GATED, PERSON_RECORDS, dg.AssetKey(["marts", "wall_opt_outs"])],
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
    `index.html` shows the wall by unit and class. Alumni on the opt-out list (marts.wall_opt_outs)
    are left out."""
    paths = alumni.paths()
    with connect(paths.warehouse, read_only=True) as con:
        opted_out = [
            a
            for (a,) in con.execute(
                f"select distinct alumni_id from {OPT_OUTS_TABLE} where alumni_id is not null"
            ).fetchall()
        ]
        counts = snapshot_counts(con)
        manifest = publish_wall(con, paths.publish, context.run_id, opted_out, counts, key=wall_key(paths.wall_key))
    return dg.MaterializeResult(
        metadata={
            "snapshot_id": manifest["snapshot_id"],
            "dagster/row_count": manifest["row_count"],
            "opted_out_alumni": manifest["opted_out_alumni"],
            "parquet_sha256": manifest["files"][WALL_PARQUET]["sha256"],
            "snapshot": dg.MetadataValue.path(str(paths.published.wall / manifest["snapshot_id"])),
            "page": dg.MetadataValue.url(paths.published.wall_page(manifest["snapshot_id"]).as_uri()),
        }
    )


@dg.asset(
    key=["publish", "kpi_report"],
    deps=[*GATED, _mart("kpi_units"), _mart("kpi_classes"), _mart("kpi_graduates"), _mart("kpi_regions")],
    group_name="publish",
    kinds={"python", "duckdb", "html"},
    pool=POOL,
    owners=OWNERS,
)
def kpi_report(alumni: AlumniPaths) -> dg.MaterializeResult:
    """The plan's targets per unit and for the university (marts.kpi_units) drawn against what was
    achieved, `kpi/kpi_report.html`: records updated in the collection cycle (target 80%), alumni
    reachable by a valid mobile or email (50%), graduated classes with a liaison (all), the classes
    still without one, and alumni by province and city with their chapters (marts.kpi_regions).
    Units ranked by distance to the targets, worst first, each with its data-health
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


def _office_result(context: dg.AssetExecutionContext, result, folder) -> dg.MaterializeResult:
    for name, error in result.failed.items():
        context.log.error(f"{name}: workbook not written ({error}); its previous version stays")
    return dg.MaterializeResult(
        metadata={
            "workbooks": len(result.written) + len(result.carried_over),
            "workbooks_rewritten": len(result.written),
            "dagster/row_count": sum(result.written.values()) + sum(result.carried_over.values()),
            "failed": dg.MetadataValue.md("\n".join(f"- {n}: {e}" for n, e in result.failed.items()) or "none"),
            "folder": dg.MetadataValue.path(str(folder)),
        }
    )


@dg.asset(
    key=["publish", "chapter_workbooks"],
    deps=[*GATED, _mart("alumni_places"), _mart("alumni_reach"), _mart("chapter_councils")],
    group_name="publish",
    kinds={"python", "duckdb", "excel"},
    pool=POOL,
    owners=OWNERS,
)
def chapter_workbooks(context: dg.AssetExecutionContext, alumni: AlumniPaths) -> dg.MaterializeResult:
    """For the office's regional work, in Chinese and for the office only: `office/chapters/<province>_地方校友名单.xlsx`,
    the alumni placed in each province city by city, with contact fields, programmes, where the place
    comes from, and the province's chapters and the councils due. No ID numbers."""
    paths = alumni.paths()
    with connect(paths.warehouse, read_only=True) as con:
        result = write_chapter_workbooks(con, paths.publish, context.run_id)
    return _office_result(context, result, paths.published.chapters)


@dg.asset(
    key=["publish", "reunion_workbooks"],
    deps=[*GATED, _mart("reunion_classes"), _mart("class_members"), _mart("alumni_places")],
    group_name="publish",
    kinds={"python", "duckdb", "excel"},
    pool=POOL,
    owners=OWNERS,
)
def reunion_workbooks(context: dg.AssetExecutionContext, alumni: AlumniPaths) -> dg.MaterializeResult:
    """For receiving the classes that come back (秩年返校): `office/reunions/<year>/<unit_code>_<year>年秩年返校班级.xlsx`,
    each unit's classes reaching 10 to 60 years since graduation in the reunion year, with liaisons,
    size, reachable and on-the-wall counts, and their members with contact fields (only that unit's
    alumni). No ID numbers."""
    paths = alumni.paths()
    with connect(paths.warehouse, read_only=True) as con:
        result = write_reunion_workbooks(con, paths.publish, context.run_id)
    materialized = _office_result(context, result, paths.published.reunions)
    return dg.MaterializeResult(metadata={**materialized.metadata, "reunion_year": result.reunion_year or 0})


publish_assets = [unit_workbooks, wall_opt_outs, alumni_wall, kpi_report, chapter_workbooks, reunion_workbooks]
