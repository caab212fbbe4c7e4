"""How each unit of the sample lays out its files, decided per seed, so that no two seeds' drops share
one layout (the pipeline must not learn facts about people from where their rows sit).

`LayoutPlan(seed)` draws from its own `random.Random`, apart from the one that invents people and
cells, and answers the sample's writers:

- archives: each level-and-cohort workbook keeps one sheet per department, or has one sheet per class,
  per graduation year, or one sheet for everything (`archive_sheets`); one or two schools send their
  whole 1950–1999 era as one CSV of every level, so one person's bachelor's and master's can sit in
  one list (`era_units`);
- continuing education: a roster now and then leaves out the birth-date and gender columns (its ID
  numbers hold both) (`omitted`);
- unit updates: a school's workbook holds every collection round in one sheet (`one_sheet`);
- every file: header words drawn now and then from the whole alias table a unit might use rather
  than the template's (`header_word`).

Everything here is deterministic for a seed.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable
from itertools import groupby
from typing import TypeVar

from alumni_pipeline.ingest.headers import FIELDS, canonical_field

T = TypeVar("T")

ARCHIVE_LAYOUTS = ("per_department", "per_department", "per_class", "per_year", "one_sheet")
ERA = (1950, 1999)  # the era a school may send in one CSV
_SHEET_NAME_MAX = 31
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
# aliases that name the field only in one source's sense (a host school, a class liaison, a visit)
_NARROW = ("联络人", "接待", "来访", "访问", "男/女")


def _header_words(field: str, source: str) -> tuple[str, ...]:
    zh, variants = FIELDS[field]
    return tuple(
        v
        for v in (zh, *variants)
        if not v.isascii()
        and canonical_field(v) == field
        and (source == "international" or not any(n in v for n in _NARROW))
        and (source == "hr" or "教职工" not in v)
    )


class LayoutPlan:
    """Per seed, the layouts the units' files come in."""

    def __init__(self, seed: int):
        self.rng = random.Random(f"layouts:{seed}")
        self.header_variety = self.rng.choice((0.1, 0.2, 0.3))  # share of headers typed another way

    # archives

    def archive_layout(self, level: str, period: tuple[int, int]) -> str:
        return self.rng.choice(ARCHIVE_LAYOUTS)

    def era_units(self, schools: list[str]) -> set[str]:
        """The schools whose archives for ERA arrive as one CSV of every level."""
        return set(self.rng.sample(schools, min(len(schools), self.rng.choice((1, 2)))))

    def archive_sheets(
        self,
        layout: str,
        items: list[T],
        dept: Callable[[T], str],
        klass: Callable[[T], str],
        grad_year: Callable[[T], int],
    ) -> list[tuple[str, list[T]]]:
        """(sheet name, items) per sheet of one workbook, in the order of `items` (sorted by department)."""
        if layout == "one_sheet":
            return [("名册", items)]
        if layout == "per_year":
            ordered = sorted(items, key=grad_year)
            return [(f"{year}届", list(group)) for year, group in groupby(ordered, key=grad_year)]
        key = klass if layout == "per_class" else dept
        groups: dict[str, list[T]] = {}
        for item in items:
            groups.setdefault(key(item), []).append(item)
        return _unique_names(groups.items())

    # continuing education

    def omitted(
        self, source: str, fields: tuple[str, ...] = ("birth_date", "gender"), share: float = 0.4
    ) -> tuple[str, ...]:
        """The columns a file leaves out (none most of the time)."""
        return fields if self.rng.random() < share else ()

    # unit updates

    def one_sheet(self, share: float = 0.25) -> bool:
        return self.rng.random() < share

    # headers

    def header_word(self, source: str, field: str, header: str) -> str:
        """Another word for a column's header, now and then: one that units use and the alias table knows."""
        if header.isascii() or self.rng.random() >= self.header_variety:
            return header
        words = _header_words(field, source)
        return self.rng.choice(words) if words else header


def _unique_names(groups: Iterable[tuple[str, list[T]]]) -> list[tuple[str, list[T]]]:
    """Sheet names Excel accepts: at most 31 characters, none of []:*?/\\, no two alike."""
    out, taken = [], set()
    for name, items in groups:
        base = _BAD_SHEET_CHARS.sub("_", name)[:_SHEET_NAME_MAX] or "Sheet"
        candidate, i = base, 2
        while candidate in taken:
            suffix = f"({i})"
            candidate, i = base[: _SHEET_NAME_MAX - len(suffix)] + suffix, i + 1
        taken.add(candidate)
        out.append((candidate, items))
    return out
