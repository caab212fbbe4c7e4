"""Writing the drops: `_Drops` writes each file under the output folder and keeps the ground truth and the
manifest in step with it (person rows, expected refusals, warnings and skipped rows); the modules beside
it write each landing source's files (archives, hr, continuing_ed, international, unit_updates,
self_reported, class_liaisons).
"""

from __future__ import annotations

import csv
import random
from collections import Counter
from pathlib import Path

from ..defects import _DECORATIONS, _ROW_REFUSALS, _WARNINGS, _Habits
from ..files import _csv_text, _Table, _xls_bytes, _xlsx_bytes
from ..formats import _Col, _columns, _kind, _Renderer, _style
from ..layouts import LayoutPlan
from ..reference import _Reference


class _Drops(_Habits):
    """Writes the files under `out` and keeps the ground truth and the manifest in step with them."""

    def __init__(self, out: Path, truth, rng: random.Random, ref: _Reference, plan: LayoutPlan):
        self.out, self.rng, self.ref, self.plan = out, rng, ref, plan
        self.files: list[dict] = []
        self._truth = csv.writer(truth, lineterminator="\n")
        self._truth.writerow(["source_system", "source_file", "source_sheet", "source_row", "person_id"])

    def renderer(
        self,
        source: str,
        fmt: str,
        *,
        lang: str = "zh",
        ids: str = "text",
        traditional: bool = False,
        omit: tuple[str, ...] = (),
    ) -> _Renderer:
        excel = fmt in ("xlsx", "xls")
        cols = [
            c if c.field is None else _Col(h, c.field, _kind(c.field, h))
            for c in _columns(self.rng, source, lang, omit)
            for h in (c.header if c.field is None else self.plan.header_word(source, c.field, c.header),)
        ]
        return _Renderer(self.rng, cols, _style(self.rng, excel, lang, ids if excel else "text", traditional))

    def csv(self, rel: str, source: str, records: list, encoding: str = "utf-8") -> None:
        """An export from a system: the header on line 1, no title rows."""
        if records:
            self.write(rel, source, [self.renderer(source, "csv").table("", [], records)], encoding)

    def workbook(self, rel: str, source: str, sheets: list[tuple[str, str, list]], **habits) -> None:
        """One sheet per (name, title, records) that has records."""
        sheets = [s for s in sheets if s[2]]
        if sheets:
            r = self.renderer(source, rel.rsplit(".", 1)[1], **habits)
            self.write(
                rel, source, [r.table(name, [title] if title else [], records) for name, title, records in sheets]
            )

    def plain_table(self, source: str, fmt: str, name: str, records: list) -> _Table:
        """A sheet without decorations or bad rows, for the files refused whole."""
        return self.renderer(source, fmt).table(name, [], records, messy=False)

    def write(self, rel: str, source: str, tables: list[_Table], encoding: str = "utf-8") -> None:
        if rel.endswith(".xlsx"):
            data = _xlsx_bytes(tables)
        elif rel.endswith(".xls"):
            data = _xls_bytes(tables)
        else:
            data = _csv_text(tables[0], "\n" if encoding == "utf-8" else "\r\n").encode(encoding)
        self.file(rel, source, data, tables)

    def file(self, rel: str, source: str, data: bytes, tables: list[_Table] = (), reason: str | None = None) -> None:
        """Write a file and account for it; `reason` is what the pipeline must refuse (or defer) the whole file for."""
        path = self.out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        counts: Counter = Counter()
        for t in tables:
            for row, pid in t.truth:
                self._truth.writerow([source, rel, t.name, row, pid])
            counts.update(t.counts)

        def expected(codes: tuple[str, ...]) -> dict[str, int]:
            return {} if reason else {c: counts[c] for c in codes if counts[c]}

        self.files.append(
            {
                "path": rel,
                "source": source,
                "data_rows": sum(len(t.truth) for t in tables),
                "expect_file_reason": reason,
                "expect_row_reasons": expected(_ROW_REFUSALS),
                "expect_warnings": expected(_WARNINGS),
                "decorations": expected(_DECORATIONS),
            }
        )


def _chunks(items: list, size: int) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)]
