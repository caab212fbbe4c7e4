"""The one way every normaliser turns a cell into text."""
from __future__ import annotations

import math
import unicodedata


def text(value: object) -> str:
    """NFKC-folded, stripped text of a cell; '' for None and NaN (full-width digits and ＠ become ASCII)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return unicodedata.normalize("NFKC", str(value)).strip()
