"""The continuing-education files: TV-university (电大), correspondence (函授), night-school (夜大), adult,
online and training-course (研修班) graduates, with a real .xls from the old system, a roster that now and
then leaves out birth date and gender, and a CSV of two encodings pasted together.
"""

from __future__ import annotations

from ..files import _mixed_encoding_bytes
from ..person import _Course, _Person
from ..reference import _TODAY
from ..vocabulary import _CE_FORM_WORDS, _TRAINING_COURSES
from . import _chunks, _Drops


def _course_record(d: _Drops, p: _Person, c: _Course) -> dict:
    rng = d.rng
    return {
        "student_number": c.number,
        "name": d.typed_name(p),
        "gender": p.gender,
        "birth_date": d.recorded_birth(p),
        "id_number": d.recorded_id(p, c.grad.year, 0.9),
        "native_place": p.native,
        "education_level": d.level_word(c.level) if c.level else rng.choice(("结业", None)),
        "study_form": rng.choice(_CE_FORM_WORDS[c.form]),
        "enrol_date": c.enrol,
        "grad_date": c.grad,
        "major": c.major,
        "class_name": c.klass,
        "employer": p.employer,
        "mobile": p.landline if p.landline and rng.random() < 0.5 else p.mobile,
        "email": p.email if rng.random() < 0.6 else None,
        "address": p.address,
        "postcode": p.postcode,
        "note": None,
    }


def _write_continuing_ed(d: _Drops, people: list[_Person]) -> None:
    courses = sorted(((p, c) for p in people for c in p.courses), key=lambda pc: (pc[1].grad, pc[1].klass, pc[0].pid))

    def records(forms, first=1900, last=2100):
        return [
            (p.pid, _course_record(d, p, c), c.klass)
            for p, c in courses
            if c.form in forms and first <= c.grad.year <= last
        ]

    adult = ("函授", "夜大", "继续教育")
    d.csv("continuing_ed/电大/电大毕业生名册_1980-2005.csv", "continuing_ed", records(("电大",)), "gb18030")
    d.workbook(
        "continuing_ed/成人教育学院_函授夜大毕业生_1986-2000届.xls",
        "continuing_ed",  # the old system's export
        [
            (form if i == 0 else f"{form}({i + 1})", f"兰州大学成人教育学院{form}毕业生名册", chunk)
            for form in adult
            for i, chunk in enumerate(_chunks(records((form,), last=2000), 60000))
        ],
    )
    d.workbook(
        "continuing_ed/函授夜大及成人脱产_2001-2025届.xlsx",
        "continuing_ed",
        [(form, f"{form}毕业生名单", records((form,), first=2001)) for form in adult],
        omit=d.plan.omitted("continuing_ed"),
    )  # now and then without birth date and gender: the IDs hold both
    d.csv(
        "continuing_ed/网络教育/网络教育毕业生_2003-2012届.csv",
        "continuing_ed",
        records(("网络教育",), last=2012),
        "utf-8-sig",
    )
    d.workbook(
        "continuing_ed/网络教育/网络教育毕业生_2013-2025届.xlsx",
        "continuing_ed",
        [
            (f"{year}届", f"兰州大学网络教育{year}届毕业生名单", records(("网络教育",), year, year))
            for year in range(2013, _TODAY.year + 1)
        ],
        ids="sci",
    )
    training = records(("研修班",))
    d.workbook(
        "continuing_ed/研修班/研修班结业学员名单.xlsx",
        "continuing_ed",
        [
            (course, f"{course}结业学员名单", [r for r in training if r[1]["major"] == course])
            for course in _TRAINING_COURSES
        ],
        omit=("education_level",),
    )
    merged = [pc for pc in courses if pc[1].form == "网络教育"][:12] or courses[:12]
    table = d.plain_table("continuing_ed", "csv", "", [(p.pid, _course_record(d, p, c), None) for p, c in merged])
    d.file(
        "continuing_ed/网络教育/网络教育学籍_合并导出.csv",
        "continuing_ed",
        _mixed_encoding_bytes(table),
        [table],
        reason="FILE_ENCODING_UNKNOWN",
    )
