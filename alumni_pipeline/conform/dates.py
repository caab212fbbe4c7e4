"""Dates written a dozen ways, kept at the precision they were given."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ._text import text

MIN_YEAR, MAX_YEAR = 1880, 2100
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 is 1900-01-01 once Excel's phantom 1900-02-29 is allowed for
_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)

_TIME = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")
_YMD = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")  # after separators become '-'
_DMY = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_NAMED = re.compile(
    r"(?:(\d{1,2})(?:st|nd|rd|th)?[ \-]?)?([a-z]+)\.?[ \-]?(?:(\d{1,2})(?:st|nd|rd|th)?,?[ \-]?)?(\d{4})"
)


@dataclass(frozen=True)
class ParsedDate:
    value: str  # 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'
    precision: str  # 'year' | 'month' | 'day'
    ambiguous: bool = False  # another reading is plausible (day and month swapped, or 'YYYY.1' cut from 'YYYY.10')


def _make(year: int, month: int | None = None, day: int | None = None, ambiguous: bool = False) -> ParsedDate | None:
    """A ParsedDate for a real calendar date within MIN_YEAR..MAX_YEAR, else None."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    if month is None:
        return ParsedDate(f"{year:04d}", "year", ambiguous)
    if not 1 <= month <= 12:
        return None
    if day is None:
        return ParsedDate(f"{year:04d}-{month:02d}", "month", ambiguous)
    try:
        return ParsedDate(dt.date(year, month, day).isoformat(), "day", ambiguous)
    except ValueError:
        return None


def _from_serial(t: str) -> ParsedDate | None:
    """An Excel date serial ('31302', '31302.0', '31302.5'), from 1927 (5 digits) to 2100."""
    serial = int(float(t))
    if not 10000 <= serial <= 73415:
        return None
    d = _EXCEL_EPOCH + dt.timedelta(days=serial)
    return _make(d.year, d.month, d.day)


def _day_first(t: str) -> ParsedDate | None:
    """'12/09/1985' read day first; month first only when day first is impossible ('10/25/1995')."""
    m = _DMY.fullmatch(t)
    if not m:
        return None
    a, b, year = (int(g) for g in m.groups())
    ambiguous = a <= 12 and b <= 12 and a != b
    return _make(year, b, a, ambiguous) or _make(year, a, b)


def _named_month(t: str) -> ParsedDate | None:
    """'Oct 25, 1995', '25 Oct 1995', '25-Oct-1995', 'October 1995'."""
    m = _NAMED.fullmatch(t.lower())
    if not m or (m.group(1) and m.group(3)) or len(m.group(2)) < 3:
        return None
    month = next((i for i, name in enumerate(_MONTHS, 1) if name.startswith(m.group(2))), None)
    day = m.group(1) or m.group(3)
    return _make(int(m.group(4)), month, int(day) if day else None) if month else None


def parse_date(s: object) -> ParsedDate | None:
    """A date as typed by a person or left by Excel, or None when it is not a possible date.

    Year first in any notation ('1985-09-12', '1985.9.12', '1985年9月12日', '19850912', '1985/9'),
    day first with a four-digit year ('12/09/1985'), month names, Excel serials, year-month and year
    alone. The precision given is kept: no day or month is invented.
    """
    if isinstance(s, dt.date):
        return _make(s.year, s.month, s.day)
    t = _TIME.sub("", text(s))
    t = re.sub(r"\s*([-/.年月])\s*", r"\1", t)
    if re.fullmatch(r"\d+\.0+", t):  # a number Excel stored as float
        t = t.split(".")[0]
    if re.fullmatch(r"\d{5}(\.\d+)?", t):
        return _from_serial(t)
    if re.fullmatch(r"\d{6}|\d{8}", t):
        return _make(int(t[:4]), int(t[4:6]), int(t[6:]) if len(t) == 8 else None)
    if re.fullmatch(r"\d{4}[-/.年]\d{1,2}(?:[-/.月]\d{1,2}[日号]?|月)?[-/.]?|\d{4}年?", t):
        m = _YMD.fullmatch(re.sub(r"[/.年月]", "-", re.sub(r"[日号]$", "", t)).rstrip("-"))
        year, month, day = (int(g) if g else None for g in m.groups())
        return _make(year, month, day, ambiguous=bool(re.fullmatch(r"\d{4}\.1", t)))
    return _day_first(t) or _named_month(t)


def year_of(s: object) -> int | None:
    """The year of an enrolment or graduation value: '2003级', '2003届', '2003年秋', '2003-09', '2003'."""
    m = re.match(r"(\d{4})\s*(?:级|届|年\s*(?:[春夏秋冬级届]|度))", text(s))
    if m:
        year = int(m.group(1))
        return year if MIN_YEAR <= year <= MAX_YEAR else None
    parsed = parse_date(s)
    return int(parsed.value[:4]) if parsed else None


# A conformed date ('YYYY', 'YYYY-MM' or 'YYYY-MM-DD') as the marts and the workbooks give it: a DATE,
# the first day it names, and its precision. The one definition: dbt's macro `typed_date` takes its
# SQL from here (the DuckDB function `typed_date_sql`), and so does the stewards' workbook.
PRECISION_BY_LENGTH = {10: "day", 7: "month", 4: "year"}


def first_day_sql(text: str) -> str:
    """SQL of the DATE a conformed date of any precision names first ('1955-06' -> 1955-06-01); NULL
    for anything else."""
    return (
        f"try_cast(case length({text}) when 4 then {text} || '-01-01' when 7 then {text} || '-01' "
        f"when 10 then {text} end as date)"
    )


def typed_date_sql(text: str, name: str) -> str:
    """SQL of two columns: `<name>` (first_day_sql) and `<name>_precision` ('day', 'month' or 'year';
    NULL when the date is)."""
    lengths = " ".join(f"when {length} then '{p}'" for length, p in PRECISION_BY_LENGTH.items())
    precision = f"case when {first_day_sql(text)} is not null then case length({text}) {lengths} end end"
    return f"{first_day_sql(text)} as {name}, {precision} as {name}_precision"
