"""The one resource every stage shares: where the drops, the warehouse and the published files live."""

from pathlib import Path

import dagster as dg

from alumni_pipeline.config import Paths

POOL = "warehouse"  # every step that opens the DuckDB file runs in this pool, limit 1 (dagster.yaml)
OWNERS = ["team:alumni-data-engineering"]


class AlumniPaths(dg.ConfigurableResource):
    """Paths set in the run config, or else read when the step runs from ALUMNI_DROPS,
    ALUMNI_WAREHOUSE and ALUMNI_PUBLISH (defaults under the project)."""

    drops: str = ""
    warehouse: str = ""
    publish: str = ""

    def paths(self) -> Paths:
        env = Paths.from_env()
        return Paths(
            Path(self.drops) if self.drops else env.drops,
            Path(self.warehouse) if self.warehouse else env.warehouse,
            Path(self.publish) if self.publish else env.publish,
        )


FULL_TAG = "alumni/full"  # "true": conform, score and cluster everything again (`alumni run --full`)
DBT_OUTPUT_TAG = "alumni/dbt_output"  # "summary": one line per dbt step on stdout (`alumni run`); else every node's
REFIT_TAG = "alumni/refit"  # "true": estimate new weights (`alumni run --refit`, end of each collection cycle)


def run_flag(context: dg.AssetExecutionContext, tag: str) -> bool:
    """Whether this run carries `tag` set to true (from the job, the schedule, the CLI or the UI's launchpad)."""
    return context.run.tags.get(tag, "").lower() == "true"
