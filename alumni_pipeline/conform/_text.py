"""The one way every normaliser turns a cell into text."""

from __future__ import annotations

import unicodedata

import pandas as pd
from pandas.api.types import is_scalar

from ..cell_safety import strip_control_chars


def text(value: object) -> str:
    """NFKC-folded, stripped text of a cell (full-width digits and ＠ become ASCII) without control
    characters; '' for a missing value (None, NaN, pd.NA, NaT)."""
    if is_scalar(value) and pd.isna(value):
        return ""
    return unicodedata.normalize("NFKC", strip_control_chars(str(value))).strip()
