"""The class-liaison registers: half the schools send one, naming one alumnus of the class as liaison
for most of their graduated classes.
"""

from __future__ import annotations

from alumni_pipeline.sources import SOURCES

from ..files import _Table, _xlsx_bytes
from ..person import _Person
from ..reference import _TODAY
from . import _Drops


def _write_class_liaisons(d: _Drops, people: list[_Person]) -> None:
    """Half the schools send their register: most of their graduated classes (unit, major, year), each
    with one of its own alumni as liaison; the other classes have none yet."""
    classes: dict[tuple[str, str, int], list[_Person]] = {}
    for p in people:
        for s in p.studies:
            if s.grad <= _TODAY and not p.latin:
                classes.setdefault((s.unit, s.major, s.grad.year), []).append(p)
    for unit in d.ref.schools[::2]:
        zh = d.ref.zh(unit)
        t = _Table("联络人", rows=[[f"{zh}毕业班级联络人名册"], list(SOURCES["class_liaisons"]["columns"])])
        for (_, major, year), members in sorted((k, v) for k, v in classes.items() if k[0] == unit):
            if d.rng.random() < 0.7:
                p = d.rng.choice(members)
                t.rows.append([zh, major, year, f"{year}届{major}", p.name, p.mobile, p.email or None, None])
                t.truth.append((len(t.rows), p.pid))
        if t.truth:
            d.file(f"class_liaisons/{zh}_班级联络人名册.xlsx", "class_liaisons", _xlsx_bytes([t]), [t])
