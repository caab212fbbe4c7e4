"""The personal information forms alumni fill in themselves: a few single forms, the rest collected per
discipline; the blank template and a photo of a paper form beside them.
"""

from __future__ import annotations

from alumni_pipeline.sources import SOURCES

from ..files import _png_bytes, _Table, _xlsx_bytes
from ..person import _Person
from . import _Drops

_DISCIPLINES = {
    "人文社科": ("LIT", "HIS", "PHS", "ECO", "MGT", "LAW", "PIR", "MAR", "JOU", "FLL", "ART"),
    "理工": ("MAT", "PHY", "CHE", "LIF", "RES", "GEO", "ATM", "PAS", "NUC", "INF", "CIV", "MAE"),
    "医学": ("BAS", "CL1", "CL2", "STO", "PUB", "PHA", "NUR"),
}


def _self_record(d: _Drops, p: _Person) -> dict:
    rng, s = d.rng, p.studies[-1]
    return {
        "name": p.name,
        "gender": p.gender,
        "birth_date": p.birth,
        "id_number": d.recorded_id(p, 2025, 0.9),
        "native_place": p.native,
        "education_level": d.level_word(s.level),
        "enrol_date": s.enrol,
        "grad_date": s.grad,
        "department": s.dept if rng.random() < 0.5 else d.ref.zh(s.unit),
        "major": s.major,
        "employer": p.employer,
        "position": p.position,
        "mobile": p.mobile,
        "email": p.email,
        "address": p.address,
        "postcode": p.postcode,
        "update_date": p.self_report,
    }


def _write_self_reported(d: _Drops, people: list[_Person]) -> None:
    reporters = [p for p in people if p.self_report]
    singles: dict[str, _Person] = {}  # a few forms arrive one by one
    for p in reporters:
        if len(singles) < 3 and p.name not in singles:
            singles[p.name] = p
    for name, p in singles.items():
        table = d.renderer("self_reported", "xlsx").table(
            "Sheet1", ["兰州大学校友个人信息表"], [(p.pid, _self_record(d, p), None)], messy=False
        )
        d.write(f"self_reported/校友个人信息表_{name}.xlsx", "self_reported", [table])
    rest = [p for p in reporters if singles.get(p.name) is not p]
    for group, units in _DISCIPLINES.items():
        d.workbook(
            f"self_reported/校友个人信息表汇总_{group}.xlsx",
            "self_reported",
            [
                (
                    d.ref.zh(unit),
                    f"{d.ref.zh(unit)}校友个人信息表汇总",
                    [(p.pid, _self_record(d, p), None) for p in rest if p.studies[-1].unit == unit],
                )
                for unit in units
            ],
            ids="number" if group == "医学" else "text",
        )
    template = _Table("Sheet1", rows=[list(SOURCES["self_reported"]["columns"])])
    d.file("self_reported/校友个人信息表（模板）.xlsx", "self_reported", _xlsx_bytes([template]), reason="FILE_EMPTY")
    d.file("self_reported/校友个人信息表_手机拍照.png", "self_reported", _png_bytes(), reason="FILE_NOT_SPREADSHEET")
