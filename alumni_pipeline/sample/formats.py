"""How each office writes a record: the header words it uses for each field (Chinese, English, aliases),
the columns it keeps, leaves out or adds, and the cell habits of one file (`_Style`: date, month, gender,
phone and ID formats, traditional characters, padded names); `_Renderer` turns records into one file's
cells and lays them out as a sheet.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import date

from alumni_pipeline.ingest.headers import canonical_field
from alumni_pipeline.sources import SOURCES

from .defects import _ROW_REFUSALS, _SENTENCES, _layout
from .files import _Table
from .vocabulary import _GIVEN, _SURNAMES, _trad

_EXCEL_EPOCH = date(1899, 12, 30)


_HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "姓 名"),
    "name_en": ("英文姓名", "外文姓名", "拼音姓名"),
    "former_name": ("曾用名", "原名"),
    "gender": ("性别", "性 别"),
    "birth_date": ("出生日期", "出生年月", "出生年月日"),
    "id_number": ("身份证号", "身份证号码", "公民身份号码", "身份证件号码"),
    "passport_number": ("护照号", "护照号码"),
    "nationality": ("国籍", "国家/地区"),
    "native_place": ("籍贯", "生源地"),
    "ethnicity": ("民族",),
    "student_number": ("学号",),
    "staff_number": ("工号", "职工号", "人事编号"),
    "education_level": ("学历", "学历层次", "培养层次"),
    "study_form": ("学习形式", "办学形式", "学习方式"),
    "enrol_date": ("入校时间", "入学时间", "入学年份", "入学年月"),
    "grad_date": ("毕业时间", "毕业年份", "毕业年月", "毕业届别"),
    "department": ("毕业院系", "院系", "所在院系", "系别"),
    "major": ("专业", "所学专业", "专业名称"),
    "class_name": ("班级", "班级名称"),
    "work_unit": ("在校工作单位", "所在单位", "工作部门"),
    "work_start": ("入职时间", "来校时间"),
    "work_end": ("离校时间", "离职时间"),
    "role": ("身份类别", "人员类别"),
    "title": ("职称", "专业技术职务"),
    "employer": ("现工作单位", "工作单位", "现单位"),
    "position": ("职务", "现任职务"),
    "mobile": ("手机", "手机号码", "联系电话"),
    "email": ("电子邮箱", "邮箱", "E-mail"),
    "address": ("通讯地址", "联系地址"),
    "postcode": ("邮政编码", "邮编"),
    "update_date": ("更新日期", "填报日期"),
    "channel": ("信息来源", "收集渠道"),
    "note": ("备注", "说明"),
}
_SOURCE_HEADERS: dict[str, dict[str, tuple[str, ...]]] = {
    "archives": {"name": ("姓名", "学生姓名", "姓 名")},
    "hr": {"name": ("姓名", "教职工姓名")},
    "continuing_ed": {"name": ("姓名", "学生姓名")},
    "international": {
        "department": ("接待单位", "接待学院"),
        "work_start": ("来校时间", "访问开始时间"),
        "work_end": ("离校时间", "访问结束时间"),
    },
    "unit_updates": {"name": ("姓名", "校友姓名")},
    "self_reported": {"update_date": ("填表日期",)},
}
_ENGLISH = {
    "name": "Name",
    "gender": "Gender",
    "birth_date": "Date of Birth",
    "nationality": "Nationality",
    "passport_number": "Passport No.",
    "role": "Category",
    "department": "Host School",
    "title": "Title",
    "employer": "Home Institution",
    "work_start": "Start Date",
    "work_end": "End Date",
    "email": "Email",
    "mobile": "Mobile",
    "note": "Remarks",
}
_YEAR_HEADERS = ("入学年份", "毕业年份")
_JIE_HEADERS = ("毕业届别",)
_MONTH_HEADERS = ("出生年月", "入学年月", "毕业年月")
_ESSENTIAL = {
    "archives": ("name", "gender", "birth_date", "enrol_date", "grad_date", "department", "major", "education_level"),
    "hr": ("name", "gender", "birth_date", "id_number", "work_unit", "work_start"),
    "continuing_ed": ("name", "birth_date", "study_form", "grad_date", "major"),
    "international": ("name", "gender", "birth_date", "nationality", "passport_number", "role", "department"),
    "unit_updates": ("name", "grad_date", "department", "mobile"),
    "self_reported": ("name", "gender", "birth_date", "id_number", "grad_date", "department"),
}
# columns no alias names: the pipeline keeps them as extras
_EXTRAS = {
    "政治面貌": lambda rng: rng.choice(("群众", "共青团员", "中共党员", "中共预备党员")),
    "宿舍号": lambda rng: f"{rng.randint(1, 24)}号楼{rng.randint(1, 6)}{rng.randint(1, 30):02d}",
    "是否在编": lambda rng: rng.choice(("是", "否")),
    "班级联络人": lambda rng: rng.choice(_SURNAMES[:20]) + rng.choice(_GIVEN["M"] + _GIVEN["F"]),
}
_SOURCE_EXTRAS = {
    "archives": ("政治面貌", "宿舍号"),
    "hr": ("政治面貌", "是否在编"),
    "continuing_ed": ("政治面貌",),
    "international": (),
    "unit_updates": ("班级联络人",),
    "self_reported": ("政治面貌",),
}

_FULL_ZH = ("cell", "iso", "dot", "cn", "compact", "slash", "serial")
_FULL_EN = ("dmy", "mdy", "iso", "cell")
_MONTHS_STYLES = ("cell", "iso", "dot_month", "cn_month", "year")
_GENDER_WORDS = {"zh": ("男", "女"), "mf": ("M", "F"), "num": (1, 2), "en": ("Male", "Female")}
_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


_DATE_TEXT = {
    "iso": lambda d: f"{d:%Y-%m-%d}",
    "dot": lambda d: f"{d.year}.{d.month}.{d.day}",
    "cn": lambda d: f"{d.year}年{d.month}月{d.day}日",
    "compact": lambda d: f"{d:%Y%m%d}",
    "slash": lambda d: f"{d.year}/{d.month}/{d.day}",
    "dmy": lambda d: f"{d:%d/%m/%Y}",
    "mdy": lambda d: f"{_MONTH_ABBR[d.month - 1]} {d.day}, {d.year}",
    "dot_month": lambda d: f"{d.year}.{d.month:02d}",
    "cn_month": lambda d: f"{d.year}年{d.month}月",
    "year": lambda d: str(d.year),
    "jie": lambda d: f"{d.year}届",
}


@dataclass(frozen=True, slots=True)
class _Col:
    header: str
    field: str | None  # None: an extra column, or the row number (序号)
    kind: str  # name text gender date month year jie id phone seq, or extra


def _kind(field_: str, header: str) -> str:
    if field_ in ("enrol_date", "grad_date"):
        return "jie" if header in _JIE_HEADERS else "year" if header in _YEAR_HEADERS else "month"
    if field_ == "birth_date":
        return "month" if header in _MONTH_HEADERS else "date"
    return {
        "name": "name",
        "gender": "gender",
        "id_number": "id",
        "mobile": "phone",
        "work_start": "date",
        "work_end": "date",
        "update_date": "date",
    }.get(field_, "text")


def _columns(rng: random.Random, source: str, lang: str, omit: tuple[str, ...]) -> list[_Col]:
    """The template's columns as one office types them: some left out, headers varied, extras added."""
    cols = [_Col("序号", None, "seq")] if lang == "zh" and rng.random() < 0.5 else []
    for header in SOURCES[source]["columns"]:
        f = canonical_field(header)
        if f in omit or (lang == "en" and f not in _ENGLISH) or (f not in _ESSENTIAL[source] and rng.random() < 0.15):
            continue
        if lang == "en":
            text = _ENGLISH[f]
        else:
            variants = _SOURCE_HEADERS.get(source, {}).get(f) or _HEADERS[f]
            text = variants[0] if rng.random() < 0.6 else rng.choice(variants)
        cols.append(_Col(text, f, _kind(f, text)))
    for extra in _SOURCE_EXTRAS[source]:
        if lang == "zh" and rng.random() < 0.3:
            cols.insert(rng.randint(len(cols) // 2, len(cols)), _Col(extra, None, "extra"))
    return cols


@dataclass(slots=True)
class _Style:
    """One file's habits."""

    excel: bool
    date: str
    month: str
    dates: tuple[str, ...]  # what another typist might use instead
    months: tuple[str, ...]
    gender: str
    phone: str
    ids: str  # text | number (xlsx cells) | sci ("6.20102E+17" text)
    traditional: bool
    spaced: str  # what pads a two-character name ('' for nothing)


def _style(rng: random.Random, excel: bool, lang: str, ids: str, traditional: bool) -> _Style:
    family = tuple(s for s in (_FULL_ZH if lang == "zh" else _FULL_EN) if excel or s != "cell")
    months = tuple(s for s in _MONTHS_STYLES if excel or s != "cell")
    genders = ("zh", "zh", "zh", "mf", "num", "en") if lang == "zh" else ("en", "en", "mf")
    phones = ("plain", "plain", "intl", "spaced", "number" if excel else "float")
    spaced = rng.choice(("  ", "\u3000")) if lang == "zh" and rng.random() < 0.25 else ""
    return _Style(
        excel,
        rng.choice(family),
        rng.choice(months),
        family,
        months,
        rng.choice(genders),
        rng.choice(phones),
        ids,
        traditional,
        spaced,
    )


class _Renderer:
    """Turns records (canonical field -> value) into one file's cells and lays out its sheets."""

    def __init__(self, rng: random.Random, cols: list[_Col], style: _Style):
        self.rng, self.cols, self.style = rng, cols, style
        self.header = [c.header for c in cols]
        self.name_at = next(i for i, c in enumerate(cols) if c.field == "name")
        self._cells = [getattr(self, "_" + c.kind) for c in cols]

    def table(
        self,
        name: str,
        titles: list[str],
        records: list[tuple[str, dict, object]],
        *,
        bad: tuple[str, ...] = (),
        messy: bool = True,
    ) -> _Table:
        """A sheet of person rows; `bad` forces rows to refuse, else a messy sheet sometimes gets one."""
        rng, n = self.rng, len(records)
        if not bad and messy and n >= 8 and rng.random() < 0.12:
            bad = (rng.choice(_ROW_REFUSALS),)
        bad_at = dict(zip(rng.sample(range(n), min(len(bad), n)), bad))
        counts: Counter = Counter()
        body = []
        for i, (pid, rec, group) in enumerate(records):
            reason = bad_at.get(i)
            cells = [
                cell(rec.get(col.field), col, i + 1, None if reason else counts)
                for col, cell in zip(self.cols, self._cells)
            ]
            if reason:
                cells[self.name_at] = self._bad_name(reason, rec)
                counts[reason] += 1
            body.append((pid, cells, group))
        table = _layout(rng, name, titles, self.header, body, messy)
        table.counts.update(counts)
        return table

    def _bad_name(self, reason: str, rec: dict):
        if reason == "ROW_NO_NAME":
            return None
        if self.rng.random() < 0.5:
            return self.rng.choice(_SENTENCES)
        number = rec.get("student_number") or rec.get("mobile") or "2003"
        return int(number) if self.style.excel and number.isdigit() else number

    def _seq(self, value, col, seq, counts):
        return seq if self.style.excel else str(seq)

    def _extra(self, value, col, seq, counts):
        return _EXTRAS[col.header](self.rng)

    def _text(self, value, col, seq, counts):
        return _trad(value) if value and self.style.traditional else value

    def _name(self, value, col, seq, counts):
        if value and self.style.traditional:
            value = _trad(value)
        if value and self.style.spaced and len(value) == 2:
            value = value[0] + self.style.spaced + value[1]
        return value

    def _gender(self, value, col, seq, counts):
        if value is None:
            return None
        style = self.style.gender if self.rng.random() > 0.03 else self.rng.choice(tuple(_GENDER_WORDS))
        word = _GENDER_WORDS[style][value == "F"]
        return word if self.style.excel or isinstance(word, str) else str(word)

    def _date(self, value, col, seq, counts):
        return self._dated(value, self.style.date, self.style.dates)

    def _month(self, value, col, seq, counts):
        return self._dated(value, self.style.month, self.style.months)

    def _year(self, value, col, seq, counts):
        return self._dated(value, "year", ())

    def _jie(self, value, col, seq, counts):
        return self._dated(value, "jie", ())

    def _dated(self, d: date | None, style: str, family: tuple[str, ...]):
        if d is None:
            return None
        if family and self.rng.random() < 0.04:  # a row typed by someone else
            style = self.rng.choice(family)
        if style == "cell":
            return d
        if style == "serial":
            serial = (d - _EXCEL_EPOCH).days
            return serial if self.style.excel else str(serial)
        if style == "year" and self.style.excel:
            return d.year
        return _DATE_TEXT[style](d)

    def _id(self, value, col, seq, counts):
        if not value:
            return None
        if self.style.ids == "number" and value.isdigit():
            if len(value) == 15:
                return int(value)  # fifteen digits survive as a number
            if counts is not None:
                counts["ID_PRECISION_LOST"] += 1
            return float(int(value[:15]) * 1000)
        if self.style.ids == "sci" and value.isdigit():
            if counts is not None:
                counts["ID_SCIENTIFIC"] += 1
            return f"{int(value):.5E}"
        draw = self.rng.random()
        if value[-1] == "X" and draw < 0.3:
            return value[:-1] + "x"
        if draw > 0.97:
            return f"{value[:6]} {value[6:-4]} {value[-4:]}"
        return value

    def _phone(self, value, col, seq, counts):
        if not value or not (len(value) == 11 and value.isdigit()):
            return value  # landlines stay as typed
        style = self.style.phone if self.rng.random() > 0.05 else self.rng.choice(("plain", "intl", "spaced"))
        if style == "intl":
            return f"+86 {value[:3]}-{value[3:7]}-{value[7:]}"
        if style == "spaced":
            return f"{value[:3]} {value[3:7]} {value[7:]}"
        if style == "float":
            return f"{value}.0"
        return int(value) if style == "number" else value
