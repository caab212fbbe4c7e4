"""Native places (籍贯): a province and, where named, a city, read from how people write them."""

from __future__ import annotations

import re

from ._text import text
from .regions import CITY_PROVINCE, MUNICIPALITIES, PROVINCE_CODES

_PROVINCE_SUFFIX = re.compile(r"^(壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区|省|市)")


def native_place(s: object) -> tuple[str, str | None] | None:
    """(province, city) of a native place ('甘肃省兰州市' -> ('甘肃', '兰州'), '兰州' -> ('甘肃', '兰州')),
    with short province names; city is None when not named or a municipality. None when unknown."""
    t = re.sub(r"^中国|[\s·,、/\-]", "", text(s))
    province = next((p for p in PROVINCE_CODES.values() if t.startswith(p)), None)
    if province:
        t = _PROVINCE_SUFFIX.sub("", t[len(province) :])
        if province in MUNICIPALITIES:
            return province, None
    city = max((c for c in CITY_PROVINCE if t.startswith(c)), key=len, default=None)
    if city and (province is None or CITY_PROVINCE[city] == province):
        return CITY_PROVINCE[city], city
    return (province, None) if province else None
