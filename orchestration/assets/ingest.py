"""Ingest: one asset per landing folder, loading units' drops into `raw.<source>` with lineage."""

import dagster as dg

from alumni_pipeline.ingest.load import ingest_source
from alumni_pipeline.sources import SOURCES
from alumni_pipeline.warehouse import connect
from orchestration.resources import OWNERS, POOL, AlumniPaths

PREVIEW = (
    "source_file",
    "source_sheet",
    "source_row",
    "name",
    "gender",
    "education_level",
    "department",
    "major",
    "grad_date",
)  # no ID numbers or contact data in the UI


def _ingest_asset(source: str) -> dg.AssetsDefinition:
    info = SOURCES[source]

    @dg.asset(
        key=["raw", source],
        group_name="ingest",
        kinds={"python", "duckdb"},
        pool=POOL,
        owners=OWNERS,
        description=(
            f"Files dropped by {info['zh']} in `raw_drops/{source}/`, every sheet and row kept as text with its "
            f"lineage in `raw.{source}`; refused files and rows go to `audit` with a reason, and each unit "
            "gets a report under `published/refusals/`."
        ),
    )
    def ingest(context: dg.AssetExecutionContext, alumni: AlumniPaths) -> dg.MaterializeResult:
        paths = alumni.paths()
        summary = ingest_source(paths, source, context.run_id)
        with connect(paths.warehouse, read_only=True) as con:
            total = con.execute(f"select count(*) from raw.{source}").fetchone()[0]
            preview = con.execute(
                f"select {', '.join(PREVIEW)} from raw.{source} order by source_file, source_sheet, source_row limit 10"
            ).df()
        refused = "\n".join(f"- `{r['file']}`: {r['reason']}" for r in summary.refused) or "none"
        return dg.MaterializeResult(
            metadata={
                **summary.counts(),
                "dagster/row_count": total,
                "files_refused_this_run": dg.MetadataValue.md(refused),
                "preview": dg.MetadataValue.md(preview.fillna("").to_markdown(index=False)),
            }
        )

    ingest.__name__ = f"raw_{source}"
    return ingest


ingest_assets = [_ingest_asset(source) for source in SOURCES]
