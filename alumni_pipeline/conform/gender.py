"""Gender as 'M' or 'F'."""

from __future__ import annotations

from ._text import text

_GENDERS = {
    "M": {"男", "男性", "男士", "先生", "m", "male", "man", "mr", "1", "♂"},
    "F": {"女", "女性", "女士", "小姐", "f", "female", "woman", "mrs", "ms", "miss", "2", "♀"},
}
_LOOKUP = {v: g for g, values in _GENDERS.items() for v in values}


def clean_gender(s: object) -> str | None:
    """'M' or 'F' from 男/女, M/F, Male/Female, 1/2 (the GB/T 2261 codes) and their variants; else None."""
    t = text(s).lower().rstrip(".")
    if t.endswith(".0"):
        t = t[:-2]
    return _LOOKUP.get("".join(t.split()))
