"""The dbt project (dbt_project/) as Dagster sees it, and the dbt command that runs it: the one installed
beside this Python (`alumni run` works without activating the virtualenv). The manifest is made with
`dbt parse` when the code location loads and the manifest is missing (a fresh clone), older than a
file of the project, or parsed for another warehouse or KPI date, so the asset graph always shows the
models on disk and every dbt step reuses the parse. Processes that load the code location together
(test workers, the UI's daemon and webserver) take turns under a file lock, and the manifest is parsed
into a private folder and moved into place whole, so no process ever reads one that another is still
writing."""

import fcntl
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject

from alumni_pipeline.config import Paths, duckdb_memory_limit, kpi_as_of

DBT_PROJECT_DIR = Path(__file__).resolve().parents[1] / "dbt_project"
PROJECT_FILES = ("dbt_project.yml", "profiles.yml", "models", "macros", "seeds", "tests")
_BESIDE_PYTHON = Path(sys.executable).with_name("dbt")
DBT_EXECUTABLE = str(_BESIDE_PYTHON) if _BESIDE_PYTHON.exists() else shutil.which("dbt") or "dbt"

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
# dbt's file log (dbt.log in each step's target folder) only from warnings up: at its default, debug, writing
# every statement dbt runs costs each step about a second, and a failing step prints all it wrote anyway
GLOBAL_FLAGS = ("--log-level-file", "warn")
dbt_cli = DbtCliResource(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE, global_config_flags=[*GLOBAL_FLAGS])


PARSED_FOR = ".parsed_for"  # in the target folder: the variables the partial-parse state was made with


def dbt_variables(paths: Paths) -> dict[str, str]:
    """What dbt reads from the environment, as every dbt step and the parse at load set it: the
    warehouse and DuckDB's memory limit (named in the profile) and the KPIs' date (read by a macro)."""
    return {
        "ALUMNI_WAREHOUSE": str(paths.warehouse),
        "ALUMNI_DUCKDB_MEMORY": duckdb_memory_limit(),
        "ALUMNI_AS_OF": kpi_as_of(paths.drops),
    }


@contextmanager
def environ(**values: str) -> Iterator[None]:
    """Set environment variables for the block (dbt runs as a subprocess that inherits them)."""
    before = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in before.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _manifest_is_stale(project: DbtProject, variables: str) -> bool:
    """Missing, older than a file of the project, or parsed with other variables: a dbt step whose
    profile or env vars differ from the saved state parses the whole project again (tens of seconds)."""
    target = project.manifest_path.parent
    if not project.manifest_path.exists() or not (target / PARSED_FOR).exists():
        return True
    if (target / PARSED_FOR).read_text() != variables:
        return True
    made = project.manifest_path.stat().st_mtime
    root = Path(project.project_dir)
    files = (f for name in PROJECT_FILES for f in [root / name, *(root / name).rglob("*")])
    return any(f.is_file() and f.stat().st_mtime > made for f in files)


def ensure_manifest(project: DbtProject, cli: DbtCliResource, paths: Paths | None = None) -> bool:
    """Parse the project when its manifest is stale (see `_manifest_is_stale`), with the variables the
    runs of this process give dbt (`dbt_variables`), so that every dbt step starts from the saved
    partial-parse state instead of parsing again. True when this call parsed."""
    variables = dbt_variables(paths or Paths.from_env())
    said = json.dumps(variables, sort_keys=True)
    target = project.manifest_path.parent
    target.mkdir(parents=True, exist_ok=True)
    with open(target / ".parse.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not _manifest_is_stale(project, said):
            return False
        with tempfile.TemporaryDirectory(dir=target, prefix="parse-") as private, environ(**variables):
            cli.cli(["parse", "--quiet"], target_path=Path(private)).wait()
            if (Path(private) / "partial_parse.msgpack").exists():
                os.replace(Path(private) / "partial_parse.msgpack", target / "partial_parse.msgpack")
            os.replace(Path(private) / "manifest.json", project.manifest_path)
            (target / PARSED_FOR).write_text(said)
        return True


ensure_manifest(dbt_project, dbt_cli)
