"""Where someone is, from what a record says: a postal address, an employer's name, or a postcode,
placed in a province (its short name, as PROVINCE_CODES gives it) and, where the text says, a city.

Addresses are read by jionlp's location parser (every province, city and county of China with their
short and former names, 2020 edition), not by rules of our own. Its guesses are then held to what the
text itself names, so that a place is left empty rather than wrong:

- the text must name the province or the city it was placed in (甘肃省, 甘肃, 兰州市, 兰州), or, for a
  postal address, the county by its full name (七里河区 is only in 兰州, so it places; 城关区 is in
  兰州 and in 拉萨, so the parser places nothing); a county's short name alone places nothing (平安银行
  is not 青海省海东市平安区, 东方电气 is not 海南省东方市);
- an employer's name is read whole: one that names two provinces (北京师范大学珠海校区, 兰州银行上海
  分行) places nothing, since a branch sits where the second name says and a head office where the first
  does.

A postcode places a province only, by its first two digits (730000 is 甘肃): the weakest evidence,
used when neither an address nor an employer says anything.
"""

from __future__ import annotations

import contextlib
import io
import re
import threading
from functools import lru_cache
from typing import NamedTuple

from ._text import text
from .regions import POSTCODE_PROVINCES, PROVINCE_CODES

CACHE_SIZE = 1 << 16
_DIGITS = re.compile(r"\d+")
_CITY_SUFFIX = re.compile(r"(?:市|地区|盟)$")


class Place(NamedTuple):
    province: str  # short name: 甘肃, 新疆, 北京
    city: str | None  # as the parser names it: 兰州市, 海西蒙古族藏族自治州; None when the text names no city


_PARSING = threading.Lock()


@lru_cache(maxsize=1)
def _parser():
    """jionlp's location parser; jionlp and its word segmenter print banners on import, kept off the console."""
    with contextlib.redirect_stdout(io.StringIO()):
        import jionlp

    return jionlp.parse_location


def _short_province(name: str) -> str | None:
    return next((p for p in PROVINCE_CODES.values() if name.startswith(p)), None)


@lru_cache(maxsize=CACHE_SIZE)
def _parse(t: str) -> tuple[Place | None, str, str | None]:
    """(place, what follows the place in the text, county) as the parser reads `t`."""
    with _PARSING:  # jionlp's parser keeps state between calls: two threads at once garble each other's places
        parsed = _parser()(t, town_village=False, change2new=True)
    province = parsed["province"] and _short_province(parsed["province"])
    if not province:
        return None, t, None
    return Place(province, parsed["city"]), parsed["detail"] or "", parsed["county"]


def _named(t: str, place: Place, county: str | None, counties: bool) -> Place | None:
    """The place, as far as `t` names it: its city only when the text names the city (or places it by a
    county named in full); the province when the text names it or the city."""
    if place.city and (_city_stem(place.city) in t or (counties and county and county in t)):
        return place
    return Place(place.province, None) if place.province in t else None


def _city_stem(city: str) -> str:
    """A city's name less what every city of its kind ends with: 兰州市 -> 兰州, 临夏回族自治州 -> 临夏."""
    return city[:2] if city.endswith("自治州") else _CITY_SUFFIX.sub("", city)


def _key(s: object) -> str:
    """The text the parser reads: simplified characters, house numbers folded (they place nothing, and
    folding them lets a street's many numbers share one parse)."""
    from .chinese import simplified

    return _DIGITS.sub("0", simplified(s))


def address_place(s: object) -> Place | None:
    """Province and city of a postal address ('甘肃省兰州市城关区天水南路222号' -> ('甘肃', '兰州市');
    '七里河区西津西路' -> ('甘肃', '兰州市')); None where it names no place, or none certainly."""
    t = _key(s)
    if not t:
        return None
    place, _, county = _parse(t)
    return place and _named(t, place, county, counties=True)


def employer_place(s: object) -> Place | None:
    """Province and city an employer's name gives ('中国石油兰州石化公司' -> ('甘肃', '兰州市'),
    '国网甘肃省电力公司' -> ('甘肃', None)); None for a name that gives none or two."""
    t = _key(s)
    if not t:
        return None
    place, rest, _ = _parse(t)
    place = place and _named(t, place, None, counties=False)
    if place is None:
        return None
    other, _, _ = _parse(rest) if rest else (None, "", None)
    return place if other is None or other.province == place.province else None


def postcode_province(s: object) -> str | None:
    """The province of a six-digit postcode, by its first two digits ('730000' -> '甘肃'); None when
    the digits name none (99 is Hong Kong's and Macao's alike)."""
    t = text(s)
    return POSTCODE_PROVINCES.get(t[:2]) if re.fullmatch(r"\d{6}", t) else None
