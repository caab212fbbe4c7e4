"""Progress bars for the long Python steps (files read, links joined, workbooks written), drawn on
stderr only when a person is watching it (a terminal): the daemon's logs, CI and tests stay clean.
TQDM_DISABLE=1 turns them off everywhere."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TypeVar

from tqdm import tqdm

T = TypeVar("T")


def progress(items: Iterable[T], what: str, unit: str, total: int | None = None) -> Iterable[T]:
    """`items`, with a bar that counts them while they are iterated and disappears when done."""
    return tqdm(items, desc=what, unit=f" {unit}", total=total, disable=None, leave=False, file=sys.stderr)
