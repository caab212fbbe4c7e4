"""The dbt project (dbt_project/) as Dagster sees it, and the dbt command that runs it: the one installed
beside this Python (`alumni run` works without activating the virtualenv). The manifest is made with
`dbt parse` when the code location loads and the manifest is missing (a fresh clone) or older than a
file of the project, so the asset graph always shows the models on disk. Processes that load the code
location together (test workers, the UI's daemon and webserver) take turns under a file lock, and the
manifest is parsed into a private folder and moved into place whole, so no process ever reads one that
another is still writing."""

import fcntl
import os
import shutil
import sys
import tempfile
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject

DBT_PROJECT_DIR = Path(__file__).resolve().parents[1] / "dbt_project"
PROJECT_FILES = ("dbt_project.yml", "profiles.yml", "models", "macros", "seeds", "tests")
_BESIDE_PYTHON = Path(sys.executable).with_name("dbt")
DBT_EXECUTABLE = str(_BESIDE_PYTHON) if _BESIDE_PYTHON.exists() else shutil.which("dbt") or "dbt"

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
dbt_cli = DbtCliResource(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE)


def _manifest_is_stale(project: DbtProject) -> bool:
    if not project.manifest_path.exists():
        return True
    made = project.manifest_path.stat().st_mtime
    root = Path(project.project_dir)
    files = (f for name in PROJECT_FILES for f in [root / name, *(root / name).rglob("*")])
    return any(f.is_file() and f.stat().st_mtime > made for f in files)


def ensure_manifest(project: DbtProject, cli: DbtCliResource) -> bool:
    """Parse the project when its manifest is missing or stale; True when this call parsed it."""
    target = project.manifest_path.parent
    target.mkdir(parents=True, exist_ok=True)
    with open(target / ".parse.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not _manifest_is_stale(project):
            return False
        with tempfile.TemporaryDirectory(dir=target, prefix="parse-") as private:
            cli.cli(["parse", "--quiet"], target_path=Path(private)).wait()
            os.replace(Path(private) / "manifest.json", project.manifest_path)
        return True


ensure_manifest(dbt_project, dbt_cli)
