"""Where things live: the contract's environment variables, each with a default that works from a
fresh clone (relative paths are taken from the current directory, the project root)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Paths:
    drops: Path
    warehouse: Path
    publish: Path

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
