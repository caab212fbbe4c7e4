"""Where things live: the contract's environment variables, each with a default that works from a
fresh clone (relative paths are taken from the current directory, the project root), and the one
definition of the published layout (every path under ALUMNI_PUBLISH) and of the landing folders that
are not sources."""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path

# landing folders under ALUMNI_DROPS beside the sources' (alumni_pipeline.sources)
OPT_OUT_FOLDER = "opt_out"  # the alumni office's opt-out list
REVIEW_FOLDER = "steward_review"  # filled-in review workbooks
SAMPLE_MANIFEST = "sample_manifest.json"  # what `alumni sample` wrote: its files and its "now"

# file names inside the published folders
WALL_PARQUET, WALL_CSV, WALL_MANIFEST = "alumni_wall.parquet", "alumni_wall.csv", "manifest.json"
UNIT_WORKBOOK, UNITS_MANIFEST = "{unit}_校友名单.xlsx", "manifest.json"


@dataclass(frozen=True)
class Published:
    """The published layout under ALUMNI_PUBLISH (README: Published files), read by every module that
    writes or names a published path."""

    root: Path

    @property
    def wall(self) -> Path:
        """`alumni_wall/`: one folder per snapshot (`<snapshot_id>/`), and LATEST."""
        return self.root / "alumni_wall"

    @property
    def wall_latest(self) -> Path:
        """`alumni_wall/LATEST`: the live snapshot's id, one line."""
        return self.wall / "LATEST"

    @property
    def units(self) -> Path:
        """`units/`: `<unit_code>/<unit_code>_校友名单.xlsx` (UNIT_WORKBOOK) for each unit."""
        return self.root / "units"

    @property
    def units_manifest(self) -> Path:
        """`units/manifest.json`: each unit's content digest, row count and the run that wrote its
        workbook; a unit whose digest is unchanged has its workbook carried over, not rewritten."""
        return self.units / UNITS_MANIFEST

    @property
    def kpi_report(self) -> Path:
        return self.root / "kpi" / "kpi_report.html"

    @property
    def review_queue(self) -> Path:
        return self.root / "review" / "review_queue.xlsx"

    @property
    def refusals(self) -> Path:
        """`refusals/`: each unit's report on a dropped file, `<source>/<file>.退回说明.xlsx`."""
        return self.root / "refusals"

    @property
    def quality(self) -> Path:
        """`quality/`: GX Data Docs, a folder per check (`quality_docs`)."""
        return self.root / "quality"

    def quality_docs(self, check: str) -> Path:
        """`quality/<check>/`: the GX Data Docs of a check's last validation."""
        return self.quality / check


@dataclass(frozen=True)
class Paths:
    drops: Path
    warehouse: Path
    publish: Path

    @property
    def published(self) -> Published:
        return Published(self.publish)

    @classmethod
    def from_env(cls) -> Paths:
        return cls(
            drops=Path(os.environ.get("ALUMNI_DROPS", "raw_drops")).absolute(),
            warehouse=Path(os.environ.get("ALUMNI_WAREHOUSE", "warehouse/alumni.duckdb")).absolute(),
            publish=Path(os.environ.get("ALUMNI_PUBLISH", "published")).absolute(),
        )


def settle_seconds() -> float:
    """How long a file must stay unchanged before it is read (ALUMNI_SETTLE_SECONDS, default 2)."""
    return float(os.environ.get("ALUMNI_SETTLE_SECONDS", "2"))


def kpi_as_of(drops: Path) -> str:
    """The date KPIs are computed at (YYYY-MM-DD), the same on every path (CLI, sensor, schedule, UI):
    ALUMNI_AS_OF when set; else the "now" of the sample `alumni sample` wrote into the landing root (the
    demo's collection cycle is 2025's, whatever today is); else today."""
    if os.environ.get("ALUMNI_AS_OF"):
        return dt.date.fromisoformat(os.environ["ALUMNI_AS_OF"]).isoformat()
    try:
        return json.loads((drops / SAMPLE_MANIFEST).read_text(encoding="utf-8"))["as_of"]
    except (OSError, ValueError, KeyError):
        return dt.date.today().isoformat()
