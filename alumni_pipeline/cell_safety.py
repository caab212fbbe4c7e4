"""What a published cell may hold: text no spreadsheet runs as a formula, and no control characters.

Everything we publish (units' workbooks, refusal reports, the review workbook, the alumni wall's CSV)
passes its values through `safe_cell`. Text that starts the way a formula does (`= + - @`, a tab or a
carriage return) gets a leading single quote, as OWASP's CSV-injection guidance says; published values
are text, so a leading '-' is neutralised too ('-韩梅梅'). Control characters (NUL and the other C0
characters but tab and newline, DEL, and the code points XML cannot hold) are removed: openpyxl refuses
them with IllegalCharacterError and they mean nothing to a reader.
"""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def has_control_chars(text: str) -> bool:
    """Whether the text holds a character `strip_control_chars` removes."""
    return bool(_CONTROL.search(text))


def strip_control_chars(text: str) -> str:
    """The text without control characters (tab, newline and carriage return are kept)."""
    return _CONTROL.sub("", text)


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet would read the text as a formula (or DDE command)."""
    return text.startswith(FORMULA_STARTS)


def neutralise_formula(text: str) -> str:
    """'=1+2' -> "'=1+2": text a spreadsheet shows as typed instead of running it."""
    return "'" + text if looks_like_formula(text) else text


def safe_cell(value: object) -> object:
    """A value as it may be published: text without control characters and never a formula; other
    values (numbers, dates, None) unchanged."""
    if isinstance(value, str):
        return neutralise_formula(strip_control_chars(value))
    return value


def safe_row(values) -> list:
    """`safe_cell` of each value of a row."""
    return [safe_cell(v) for v in values]
