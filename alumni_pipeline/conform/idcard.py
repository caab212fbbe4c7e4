"""Resident ID numbers (GB 11643-1999): validation, 15-to-18 conversion, and what they encode."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ._text import text
from .regions import PROVINCE_CODES

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
PROBLEMS = (
    "EMPTY",
    "SCIENTIFIC",
    "BAD_CHARS",
    "BAD_LENGTH",
    "PRECISION_LOST",
    "BAD_REGION",
    "BAD_BIRTH_DATE",
    "BAD_CHECK_DIGIT",
)
_SCIENTIFIC = re.compile(r"\d(\.\d+)?E\+?\d+")


@dataclass(frozen=True)
class IdInfo:
    raw: str
    value: str | None = None  # canonical 18 characters; only for a valid number
    valid: bool = False
    problem: str | None = None  # one of PROBLEMS
    birth_date: str | None = None  # ISO, from a valid number only
    gender: str | None = None  # 'M' | 'F'
    province: str | None = None  # short name, e.g. '甘肃'


def id_check_digit(first17: str) -> str:
    """The 18th character for 17 digits (ISO 7064 MOD 11-2)."""
    return _CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, _WEIGHTS)) % 11]


def _birth_date(digits8: str) -> str | None:
    try:
        born = dt.date(int(digits8[:4]), int(digits8[4:6]), int(digits8[6:]))
    except ValueError:
        return None
    return born.isoformat() if born.year >= 1880 and born <= dt.date.today() else None


def clean_id(s: object) -> IdInfo:
    """Check an ID number as typed (spaces, hyphens, lower-case x, a trailing '.0' and full-width
    digits are fine); a 15-digit number is converted to 18 digits. Only a valid number gets a value."""
    raw = str(s) if text(s) else ""
    t = re.sub(r"[\s\-'\"]", "", text(s)).upper()
    t = re.sub(r"\.0+$", "", t)
    if not t:
        return IdInfo(raw, problem="EMPTY")
    if _SCIENTIFIC.fullmatch(t):
        return IdInfo(raw, problem="SCIENTIFIC")
    if not re.fullmatch(r"\d*X?", t):
        return IdInfo(raw, problem="BAD_CHARS")
    if not re.fullmatch(r"\d{15}|\d{17}[\dX]", t):
        return IdInfo(raw, problem="BAD_LENGTH")
    if len(t) == 18 and t.endswith("000"):  # Excel kept 15 significant digits: different people collide
        return IdInfo(raw, problem="PRECISION_LOST")
    body = t[:6] + "19" + t[6:] if len(t) == 15 else t[:17]
    if body[:2] not in PROVINCE_CODES:
        return IdInfo(raw, problem="BAD_REGION")
    birth_date = _birth_date(body[6:14])
    if birth_date is None:
        return IdInfo(raw, problem="BAD_BIRTH_DATE")
    value = body + id_check_digit(body)
    if len(t) == 18 and t != value:
        return IdInfo(raw, problem="BAD_CHECK_DIGIT")
    return IdInfo(raw, value, True, None, birth_date, "M" if int(body[16]) % 2 else "F", PROVINCE_CODES[body[:2]])


def masked_id_sql(column: str) -> str:
    """The SQL of an ID number as units and stewards may see it: its region and last four characters
    (620102********123X), null for none. The one definition: dbt's macro mask_id_number reads it
    through the DuckDB function of the same name, as typed_date does."""
    return f"case when {column} is not null then left({column}, 6) || repeat('*', 8) || right({column}, 4) end"
