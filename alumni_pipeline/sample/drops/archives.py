"""The archives' files: full-time graduates (专科, 本科, 硕士, 博士), one workbook or CSV per level and
cohort range, laid out per department, class or graduation year as the seed's layout plan says; files
before 1980 in traditional characters without ID numbers; one or two schools' whole 1950–1999 era as one
CSV of every level; an Excel lock file beside the first workbook.
"""

from __future__ import annotations

from ..defects import _ROW_REFUSALS
from ..files import _owner_file
from ..layouts import ERA
from ..person import _Person, _Study
from ..vocabulary import _trad
from . import _Drops

_ARCHIVE_PERIODS = {
    "本科": (
        (1950, 1965),
        (1966, 1979),
        (1980, 1989),
        (1990, 1999),
        (2000, 2004),
        (2005, 2009),
        (2010, 2014),
        (2015, 2019),
        (2020, 2025),
    ),
    "专科": ((1950, 1979), (1980, 2005)),
    "硕士": ((1978, 1995), (1996, 2005), (2006, 2015), (2016, 2025)),
    "博士": ((1982, 2005), (2006, 2025)),
}
_ARCHIVE_CSV = {("专科", (1980, 2005)): "gb18030", ("本科", (2020, 2025)): "utf-8", ("硕士", (2016, 2025)): "utf-8-sig"}
_ARCHIVE_IDS = {("本科", (1990, 1999)): "number", ("硕士", (2006, 2015)): "sci", ("博士", (2006, 2025)): "number"}


def _archive_record(d: _Drops, p: _Person, s: _Study) -> dict:
    rng = d.rng
    early_name = p.former and s.grad.year < 1990
    return {
        "student_number": s.number if s.grad.year >= 1980 or rng.random() < 0.5 else None,
        "name": p.former if early_name else d.typed_name(p),
        "former_name": None if early_name else p.former,
        "gender": p.gender,
        "birth_date": d.recorded_birth(p),
        "id_number": d.recorded_id(p, s.grad.year, 0.95),
        "ethnicity": p.ethnicity,
        "native_place": p.native,
        "education_level": d.level_word(s.level),
        "study_form": rng.choice(("全日制", "普通全日制", "统招")),
        "enrol_date": s.enrol,
        "grad_date": s.grad,
        "department": d.typed_dept(s.dept),
        "major": s.major,
        "class_name": s.klass,
        "note": rng.choice(("结业", "肄业", "延期毕业", "转专业")) if rng.random() < 0.02 else None,
    }


def _write_archives(d: _Drops, people: list[_Person]) -> None:
    groups: dict[tuple[str, tuple[int, int]], list[tuple[_Person, _Study]]] = {}
    era_units = d.plan.era_units([u for u in d.ref.schools if d.ref.departments(u, ERA[1])])
    eras: dict[str, list[tuple[_Person, _Study]]] = {}  # a school's whole era, every level, in one CSV
    for p in people:
        for s in p.studies:
            if s.archived and s.unit in era_units and ERA[0] <= s.grad.year <= ERA[1]:
                eras.setdefault(s.unit, []).append((p, s))
            elif s.archived:
                period = next(pr for pr in _ARCHIVE_PERIODS[s.level] if pr[0] <= s.enrol.year <= pr[1])
                groups.setdefault((s.level, period), []).append((p, s))
    forced = locked = False
    for level, periods in _ARCHIVE_PERIODS.items():
        for period in periods:
            items = sorted(
                groups.get((level, period), ()),
                key=lambda ps: (ps[1].dept, ps[1].enrol, ps[1].major, ps[1].klass, ps[1].number),
            )
            a, b = period
            name = f"archives/{level}/{a}-{b}级{level}毕业生名册"
            if encoding := _ARCHIVE_CSV.get((level, period)):
                d.csv(
                    f"{name}.csv", "archives", [(p.pid, _archive_record(d, p, s), s.klass) for p, s in items], encoding
                )
                continue
            if not items:
                continue
            old = b < 1980  # digitised from paper in traditional characters, before ID numbers
            r = d.renderer(
                "archives",
                "xlsx",
                ids=_ARCHIVE_IDS.get((level, period), "text"),
                traditional=old,
                omit=("id_number",) if old else (),
            )
            tables = []
            sheets = d.plan.archive_sheets(
                d.plan.archive_layout(level, period),
                items,
                dept=lambda ps: ps[1].dept,
                klass=lambda ps: ps[1].klass,
                grad_year=lambda ps: ps[1].grad.year,
            )
            for sheet, group in sheets:
                records = [(p.pid, _archive_record(d, p, s), s.klass) for p, s in group]
                title = f"兰州大学{a}—{b}级{level}毕业生名单（{sheet}）"
                bad = _ROW_REFUSALS if not forced and len(records) >= 3 else ()
                forced = forced or bool(bad)
                tables.append(
                    r.table(_trad(sheet) if old else sheet, [_trad(title) if old else title], records, bad=bad)
                )
            d.write(f"{name}.xlsx", "archives", tables)
            if not locked:  # someone still has this workbook open
                d.file(
                    f"archives/{level}/~${a}-{b}级{level}毕业生名册.xlsx",
                    "archives",
                    _owner_file("dangan"),
                    reason="FILE_IN_PROGRESS",
                )
                locked = True
    levels = list(_ARCHIVE_PERIODS)
    for unit, items in sorted(eras.items()):
        items.sort(key=lambda ps: (ps[1].enrol, levels.index(ps[1].level), ps[1].major, ps[1].klass, ps[1].number))
        d.csv(
            f"archives/{d.ref.zh(unit)}_{ERA[0]}-{ERA[1]}届毕业生名册.csv",
            "archives",
            [(p.pid, _archive_record(d, p, s), s.klass) for p, s in items],
            d.plan.rng.choice(("gb18030", "utf-8-sig")),
        )
