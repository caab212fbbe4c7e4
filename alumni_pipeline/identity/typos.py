"""When two values differ only as a typist's slip: the one rule identity resolution uses in SQL (the
comparison levels call these as DuckDB functions, registered by
alumni_pipeline/conform/duckdb_functions.py) and in Python (clustering's constraints), so a typo is
never a hard negative in one place and close in the other.

A slip is one character typed wrong, two neighbouring characters swapped (1985-09-21 for 1985-09-12,
optimal string alignment distance 1), or, for dates, day and month swapped or a few days off.
"""

from __future__ import annotations

import datetime as dt

from rapidfuzz.distance import OSA

DAYS_OFF = 3  # a birth date this many days from another is close (a registry's slip, or a time zone)


def one_slip(a: str | None, b: str | None) -> bool:
    """Whether two strings are equal or one character typed wrong or two neighbours swapped apart."""
    if a is None or b is None:
        return False
    return OSA.distance(a, b) <= 1


def dates_close(a: str | None, b: str | None) -> bool | None:
    """Whether two day-precise birth dates (YYYY-MM-DD) could be one person's: the same, one slip
    apart, day and month swapped, or within DAYS_OFF days. None when either is missing."""
    if a is None or b is None:
        return None
    if one_slip(a, b) or (a[:4] == b[:4] and a[5:7] == b[8:10] and a[8:10] == b[5:7]):
        return True
    try:
        return abs((dt.date.fromisoformat(a) - dt.date.fromisoformat(b)).days) <= DAYS_OFF
    except ValueError:
        return False


def id_numbers_close(a: str | None, b: str | None) -> bool | None:
    """Whether two document numbers could be one number typed twice: one slip apart, and for two valid
    18-character ID numbers, their first 17 characters (the check digit follows from them) one slip
    apart. None when either is missing."""
    if a is None or b is None:
        return None
    if len(a) == len(b) == 18:
        a, b = a[:17], b[:17]
    return one_slip(a, b)
