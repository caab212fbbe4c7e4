"""The dbt project (dbt_project/) as Dagster sees it, and the dbt command that runs it: the one installed
beside this Python (`alumni run` works without activating the virtualenv). The manifest is made with
`dbt parse` when the code location loads and the manifest is missing (a fresh clone) or older than a
file of the project, so the asset graph always shows the models on disk."""

import shutil
import sys
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
    files = (f for name in PROJECT_FILES for f in [DBT_PROJECT_DIR / name, *(DBT_PROJECT_DIR / name).rglob("*")])
    return any(f.is_file() and f.stat().st_mtime > made for f in files)


if _manifest_is_stale(dbt_project):
    dbt_cli.cli(["parse", "--quiet"], target_path=dbt_project.target_path).wait()
