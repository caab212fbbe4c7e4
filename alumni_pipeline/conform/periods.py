"""A period written in one cell ('1985.9-1992.7', '1985年9月至1992年7月', '2019.3—至今') split into
its start and end as typed, for the date normaliser to read."""

from __future__ import annotations

import re
from typing import NamedTuple

from ._text import text

# A date inside a period: '19850901', '1985', '1985.9', '1985-09-01', '1985年9月', '1985年9月1日'. A day is
# only taken when no further digit follows, so '1985-09-1992-07' reads as 1985-09 and 1992-07.
_DATE = re.compile(r"\d{8}(?!\d)|\d{4}(?:[./年-]\d{1,2}(?:[./月-]\d{1,2}(?!\d))?[月日号]?)?(?!\d)")
_ONGOING = re.compile(r"(?:至今|迄今|今|现在|现今|在职|present|now|today)$")


class Period(NamedTuple):
    start: str | None
    end: str | None
    ongoing: bool  # the end is 'until now' ('至今', 'present')


def split_period(s: object) -> Period | None:
    """(start, end, ongoing) of a period, each date as typed; a single date is the start, and '至今'
    alone is an open end. None when the cell holds neither, or more than two dates."""
    t = re.sub(r"\s+", "", text(s).lower())
    ongoing = bool(_ONGOING.search(t))
    dates = _DATE.findall(_ONGOING.sub("", t))
    if len(dates) > 2 or not (dates or ongoing):
        return None
    return Period(*([*dates, None, None])[:2], ongoing)
