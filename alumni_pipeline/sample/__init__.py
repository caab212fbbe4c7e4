"""A realistic set of landing drops for Lanzhou University, 1950–2025, with the answers beside it.

`write_sample(out, persons, seed)` invents `persons` people, decides what happened to each of them at
the university, and writes what every office would send about them, the way offices send it:

- archives: full-time students (专科, 本科, 硕士, 博士), one workbook per level and cohort range, one
  sheet per department as it was named at graduation; files before 1980 in traditional characters and
  without ID numbers; an old registrar export as a GBK CSV; an Excel lock file beside one workbook.
- hr: staff of the university and its three hospitals, many of them its own graduates, with their
  periods of service; ID columns stored as numbers or as "6.20102E+17" text; a password-protected and
  a truncated workbook.
- continuing_ed: online, correspondence (函授), night-school (夜大), TV-university (电大), adult and
  training-course (研修班) graduates, with a real .xls from the old system and a CSV whose encoding
  cannot be told.
- international: guest and honorary professors, visiting scholars, foreign teachers and students with
  Latin names and passports; Chinese alumni under pinyin names in either order; a workbook with English
  headers and host schools; an HTML page saved as .xls.
- unit_updates: contact and career updates from each school's alumni secretary, without ID numbers;
  an empty CSV, a Word notice and a statistics table without a name column beside them.
- self_reported: personal information forms, collected per discipline and a few single forms; the
  blank template and a photo of a paper form beside them.
- class_liaisons: half the schools' registers of class liaisons, one alumnus of the class each, for
  most of their graduated classes.

Layouts vary by seed (`layouts.LayoutPlan`): an archives workbook has one sheet per department,
per class or per graduation year, or one sheet for all; one or two schools send their whole 1950–1999
era as one CSV of every level (a bachelor's and a master's of one person in one list); the continuing-
education roster of 2001–2025 now and then has no birth-date or gender column (its ID numbers hold
both); a school's updates come in one sheet for every round; header words are drawn now and then from
the whole alias table.

People share common names and birth years on purpose. Their records differ by homophone typos,
traditional characters, padded names, a dozen date formats, gender codes, 15- and 18-digit ID numbers
(some mistyped), phone formats and header variants. Sheets carry title rows, merged titles, blank,
totals, repeated-header and footer rows, and person rows the pipeline must refuse.

Beside the drops: `ground_truth.csv` (every person row written, with the true person) and
`sample_manifest.json` (per file: person rows, expected refusals, warnings and skipped rows).
Everything random comes from one `random.Random(seed)`: the same arguments give the same CSV bytes
and the same workbook cells.

Units, departments as named over the years, their aliases and the majors come from the dbt seeds.

The package: `reference` (the dbt seeds and the sample's "now"), `vocabulary` (names, places and other
things people are made of), `person` and `people` (who the alumni are and inventing them), `formats` (how
each office lays out its file), `defects` (the deliberate messiness), `files` (sheets and the bytes of
each file type), `layouts` (the per-seed layout plan) and `drops` (writing each source's files).
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from ..config import SAMPLE_MANIFEST

# the tests read _SENTENCES, _HEADERS, _SOURCE_HEADERS, _ENGLISH and _EXTRAS from here
from .defects import _SENTENCES as _SENTENCES
from .drops import _Drops
from .drops.archives import _write_archives
from .drops.class_liaisons import _write_class_liaisons
from .drops.continuing_ed import _write_continuing_ed
from .drops.hr import _write_hr
from .drops.international import _write_international
from .drops.self_reported import _write_self_reported
from .drops.unit_updates import _write_unit_updates
from .formats import _ENGLISH as _ENGLISH
from .formats import _EXTRAS as _EXTRAS
from .formats import _HEADERS as _HEADERS
from .formats import _SOURCE_HEADERS as _SOURCE_HEADERS
from .layouts import LayoutPlan
from .people import _People
from .person import _Person
from .reference import _TODAY, _Reference

__all__ = ["write_sample"]

MIN_PERSONS = 50


def _invent(persons: int, seed: int) -> tuple[random.Random, _Reference, list[_Person]]:
    rng = random.Random(seed)
    ref = _Reference()
    return rng, ref, _People(rng, ref).make(persons)


def write_sample(out: Path, persons: int, seed: int) -> dict:
    """Write a sample of every landing source for `persons` invented people under `out`; return the manifest.

    Files listed by an earlier sample's manifest in `out` are removed first; nothing else is touched.
    """
    if persons < MIN_PERSONS:
        raise ValueError(f"persons must be at least {MIN_PERSONS}, got {persons}")
    out = Path(out)
    previous = out / SAMPLE_MANIFEST
    if previous.exists():
        for f in json.loads(previous.read_text(encoding="utf-8"))["files"]:
            (out / f["path"]).unlink(missing_ok=True)
    rng, ref, people = _invent(persons, seed)
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "ground_truth.csv", "w", encoding="utf-8", newline="") as truth:
        drops = _Drops(out, truth, rng, ref, LayoutPlan(seed))
        for write in (
            _write_archives,
            _write_hr,
            _write_continuing_ed,
            _write_international,
            _write_unit_updates,
            _write_self_reported,
            _write_class_liaisons,
        ):
            write(drops, people)
    # the sample's "now": every run on it computes KPIs at this date (config.kpi_as_of)
    manifest = {"persons": persons, "seed": seed, "as_of": _TODAY.isoformat(), "files": drops.files}
    previous.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return manifest
