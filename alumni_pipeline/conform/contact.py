"""Mobile and landline numbers, email addresses and postcodes."""

from __future__ import annotations

import re

from ._text import text

_MOBILE = re.compile(r"(?<!\d)(?:(?:\+|00)?86[\s-]*)?(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)")
# Area codes: 010 and 02x have three digits, all others four; local numbers have 7 or 8 and start 2-9.
_LANDLINE = re.compile(r"(?<!\d)\(?(0(?:10|2\d)|0[3-9]\d\d)\)?[\s-]*([2-9]\d{2,3})[\s-]?(\d{4})(?!\d)")
_EMAIL = re.compile(r"[a-z0-9][a-z0-9._%+-]*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}")


def clean_mobile(s: object) -> str | None:
    """The first Chinese mobile number in a cell as 11 digits ('+86 138-1234-5678', '13812345678.0')."""
    m = _MOBILE.search(text(s))
    return "".join(m.groups()) if m else None


def clean_landline(s: object) -> str | None:
    """A fixed-line number with its area code as 'area-local' ('(0931)8912345' -> '0931-8912345');
    an extension is dropped, and a number without an area code gives None."""
    t = re.sub(r"^(?:\+|00)86[\s-]*\(?0?", "0", text(s))
    m = _LANDLINE.search(t)
    return f"{m.group(1)}-{m.group(2)}{m.group(3)}" if m else None


def clean_email(s: object) -> str | None:
    """The first email address in a cell, lower case ('Li.Na＠QQ.com' -> 'li.na@qq.com')."""
    m = _EMAIL.search(text(s).lower().replace("。", "."))
    return m.group(0) if m else None


def clean_postcode(s: object) -> str | None:
    """Six digits; a five-digit Inner Mongolia code that lost its leading zero to Excel is restored."""
    t = re.sub(r"\s|\.0+$", "", text(s))
    if re.fullmatch(r"[12]\d{4}", t):
        t = "0" + t
    return t if re.fullmatch(r"\d{6}", t) and t != "000000" else None
