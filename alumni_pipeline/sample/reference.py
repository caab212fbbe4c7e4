"""Reference data for the sample, read from the dbt seeds: units, departments as named in each year, the
short names people write for them and the majors each unit teaches; and the sample's "now" (`_TODAY`), the
day every invented life and every drop is seen from.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

_TODAY = date(2025, 6, 30)  # the sample's "now"
_SEEDS = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds"


def _read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@dataclass(frozen=True, slots=True)
class _Dept:
    name: str
    start: int
    end: int
    units: tuple[str, ...]


class _Reference:
    """Units, departments as named in each year, what people call them, and the majors each unit teaches."""

    def __init__(self, folder: Path = _SEEDS):
        self.units = {r["unit_code"]: r for r in _read_csv(folder / "units.csv")}
        self.majors: dict[str, list[str]] = {}
        for r in _read_csv(folder / "major_units.csv"):
            self.majors.setdefault(r["unit_code"], []).append(r["major_name"])
        self.depts = [
            _Dept(
                r["department_name"],
                int(r["valid_from"]),
                int(r["valid_to"] or _TODAY.year),
                tuple((r["unit_code"] or r["candidate_units"]).split()),
            )
            for r in _read_csv(folder / "department_history.csv")
        ]
        self.aliases: dict[str, list[str]] = {}  # official name -> what people write instead ('兰医', '物理学院')
        for r in _read_csv(folder / "department_aliases.csv"):
            self.aliases.setdefault(r["department_name"], []).append(r["alias"])
        self.schools = [u for u, r in self.units.items() if r["kind"] == "school" and u in self.majors]
        self.staff_units = [u for u, r in self.units.items() if r["kind"] in ("school", "hospital", "admin")]
        self.all_majors = [m for unit in self.schools for m in self.majors[unit]]
        self._names: dict[tuple[str, int], list[str]] = {}
        self._open: dict[int, list[str]] = {}

    def departments(self, unit: str, year: int) -> list[str]:
        key = (unit, year)
        if key not in self._names:
            self._names[key] = [d.name for d in self.depts if unit in d.units and d.start <= year <= d.end]
        return self._names[key]

    def schools_in(self, year: int) -> list[str]:
        if year not in self._open:
            self._open[year] = [u for u in self.schools if self.departments(u, year)]
        return self._open[year]

    def zh(self, unit: str) -> str:
        return self.units[unit]["unit_name_zh"]

    def en(self, unit: str) -> str:
        return self.units[unit]["unit_name_en"]
