"""The tree is the diagram: the library imports without Dagster, and each of its modules reads in one
sitting."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

LIBRARY = Path(__file__).resolve().parents[1] / "alumni_pipeline"
MAX_LINES = 500


def modules() -> list[str]:
    found = []
    for path in sorted(LIBRARY.rglob("*.py")):
        parts = path.relative_to(LIBRARY.parent).with_suffix("").parts
        found.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return found


def test_every_module_is_found():
    assert {"alumni_pipeline", "alumni_pipeline.ingest.load", "alumni_pipeline.publish.wall"} <= set(modules())


def test_the_library_never_imports_dagster():
    """Every module of alumni_pipeline imported in a fresh interpreter leaves no dagster module loaded."""
    code = (
        "import importlib, sys\n"
        f"for name in {modules()!r}:\n"
        "    importlib.import_module(name)\n"
        "print(' '.join(m for m in sys.modules if m.partition('.')[0].startswith('dagster')))\n"  # dagster_dbt too
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=LIBRARY.parent, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == []


def test_every_module_is_under_500_lines():
    long = {
        path.relative_to(LIBRARY).as_posix(): lines
        for path in LIBRARY.rglob("*.py")
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}
