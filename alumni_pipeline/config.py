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
WALL_PAGE = "index.html"  # the wall to walk along, by unit and class: one self-contained page
WALL_KEY = "wall_key"  # beside the warehouse: the installation's secret behind each row's wall_id
UNIT_WORKBOOK, UNITS_MANIFEST = "{unit}_校友名单.xlsx", "manifest.json"
CHAPTER_WORKBOOK = "{province}_地方校友名单.xlsx"  # office/chapters/: the office's list of a province's alumni
REUNION_WORKBOOK = "{unit}_{year}年秩年返校班级.xlsx"  # office/reunions/<year>/: a unit's reunion classes


@dataclass(frozen=True)
class Published:
    """The published layout under ALUMNI_PUBLISH (README: Published files), read by every module that
    writes or names a published path."""

    root: Path

    @property
    def wall(self) -> Path:
        """`alumni_wall/`: one folder per snapshot (`<snapshot_id>/`), and LATEST."""
        return self.root / "alumni_wall"

    def wall_page(self, snapshot_id: str) -> Path:
        """`alumni_wall/<snapshot_id>/index.html`: the snapshot's wall as a page, by unit and class."""
        return self.wall / snapshot_id / WALL_PAGE

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
    def chapters(self) -> Path:
        """`office/chapters/`: `<province>_地方校友名单.xlsx` (CHAPTER_WORKBOOK), the alumni placed in each
        province with their contact fields, for the office's regional work only."""
        return self.root / "office" / "chapters"

    @property
    def reunions(self) -> Path:
        """`office/reunions/`: `<year>/<unit_code>_<year>年秩年返校班级.xlsx` (REUNION_WORKBOOK), each unit's
        classes reaching a 10-to-60-year anniversary in the reunion year, with their members."""
        return self.root / "office" / "reunions"

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
        """`quality/`: the validation reports, a folder per check (`quality_docs`)."""
        return self.root / "quality"

    def quality_docs(self, check: str) -> Path:
        """`quality/<check>/`: the report of a check's last validation (`index.html`, self-contained)."""
        return self.quality / check


@dataclass(frozen=True)
class Paths:
    drops: Path
    warehouse: Path
    publish: Path

    @property
    def wall_key(self) -> Path:
        """The installation's secret for wall ids, beside the warehouse (created on first use)."""
        return self.warehouse.parent / WALL_KEY

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


def wall_key(path: Path) -> bytes:
    """The secret key of wall ids: ALUMNI_WALL_KEY when set (several installations publishing one
    wall share it), else the installation's own key file `path`, made on first use from the system's
    random source and readable only by its owner. Never derived from public data: without it a
    wall_id cannot be traced back to an alumni_id."""
    import secrets
    import tempfile

    given = os.environ.get("ALUMNI_WALL_KEY", "")
    if given:
        if len(given) < 32:
            raise ValueError("ALUMNI_WALL_KEY must be at least 32 characters (e.g. `openssl rand -hex 32`)")
        return given.encode("utf-8")
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")  # mode 0600
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(secrets.token_hex(32) + "\n")
        try:
            os.link(tmp, path)  # whole, and never over a key another process made first
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
    return path.read_text(encoding="ascii").strip().encode("ascii")


def settle_seconds() -> float:
    """How long a file must stay unchanged before it is read (ALUMNI_SETTLE_SECONDS, default 2)."""
    return float(os.environ.get("ALUMNI_SETTLE_SECONDS", "2"))


def duckdb_memory_limit() -> str:
    """The most memory DuckDB may take in each process that opens the warehouse (the run's own and each
    dbt step's), as DuckDB reads it ('4GB'): beyond it DuckDB spills to a folder beside the warehouse.
    ALUMNI_DUCKDB_MEMORY, default 4GB. DuckDB's own default is 80% of the machine: at a million source
    rows a dbt step took 6.4 GB with it, 4.7 GB with 4GB; with 2GB marts.alumni fails at that size."""
    return os.environ.get("ALUMNI_DUCKDB_MEMORY") or "4GB"


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
