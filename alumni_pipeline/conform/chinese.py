"""Classifiers that read old files: those are in traditional characters (大專, 統招, 山東濟南), so the
field normalisers of this package read a value here in simplified characters; and the School of Online
and Continuing Education writes two study forms of its own."""

from __future__ import annotations

from functools import lru_cache

import opencc

from . import education, places
from ._text import text

ADULT_STUDY_FORMS = {"成人脱产": "脱产", "脱产": "脱产", "继续教育": "继续教育", "成人教育": "继续教育"}


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def simplified(s: object) -> str:
    """The cell as text in simplified characters ('大專' -> '大专'); '' when empty."""
    return _t2s().convert(text(s))


def education_level(s: object) -> str | None:
    return education.education_level(simplified(s))


def study_form(s: object) -> str | None:
    """education.study_form, plus 脱产 (adult full-time, '成人脱产') and 继续教育."""
    t = simplified(s)
    return education.study_form(t) or ADULT_STUDY_FORMS.get("".join(t.split()))


def native_place(s: object) -> tuple[str, str | None] | None:
    return places.native_place(simplified(s))
