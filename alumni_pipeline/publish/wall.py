"""The alumni-wall snapshot, published once the quality gate has passed, less the alumni on the
opt-out list.

A snapshot is written whole into a hidden folder, moved into place, and only then named in
`alumni_wall/LATEST` (replaced in one step), so a reader of LATEST always finds a complete snapshot.
Every value of its CSV leaves through `cell_safety.safe_cell`: never a formula, never a control
character; the CSV is UTF-8 with a BOM, so Excel reads its Chinese as Chinese. Each row carries
`wall_id`, a key for the alumnus that reveals nothing: an HMAC of the alumni_id under the
installation's secret (config.wall_key), the same in every snapshot. `index.html` (wall_page.py) is
the wall to walk along, by unit and class.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import io
import json
import os
import shutil
from pathlib import Path

import duckdb
import pandas as pd

from ..cell_safety import safe_cell
from ..config import WALL_CSV, WALL_MANIFEST, WALL_PAGE, WALL_PARQUET, Published
from ..conform.idcard import clean_id, masked_id_sql
from ..conform.names import clean_name
from ..ingest.headers import canonical_field, header_key
from ..ingest.landing import list_drops, outside_root
from ..ingest.readers import SPREADSHEET_EXTS, decode_text
from ..sources import PERSON_SOURCES
from .wall_page import render_wall_page

OPT_OUTS_TABLE = "marts.wall_opt_outs"  # the opt-out list matched to alumni (orchestration: marts/wall_opt_outs)
WALL_SCHEMA_VERSION = 2  # 2: wall_id, the CSV's BOM, index.html
WALL_COLUMNS = (
    "wall_id",
    "name",
    "gender",
    "education_level",
    "enrol_year",
    "grad_year",
    "unit_code",
    "unit_name",
    "department_as_recorded",
    "major",
)  # no birth date, contact data or ID number, ever
WALL_FILES = {WALL_PARQUET: "format parquet", WALL_CSV: "format csv, header true"}  # the CSV gets its BOM after
WALL_ID_CHARS = 16  # hex characters of the HMAC kept: 64 bits, no collision in a university's lifetime
KEEP_SNAPSHOTS = 5
_ALUMNI_ID_HEADERS = {header_key(h) for h in ("alumni_id", "校友编号", "校友ID", "校友号")}

# One row per alumnus and programme, less those who opted out (the table `opted_out` of alumni_ids);
# `wall_ids` holds each alumnus's wall_id.
WALL_QUERY = """
select w.wall_id, a.name, a.gender, e.education_level, e.enrol_year, e.grad_year, e.unit_code, u.unit_name_zh as unit_name,
       e.department_as_recorded, e.major
from marts.alumni_education as e
inner join marts.alumni as a on a.alumni_id = e.alumni_id
inner join wall_ids as w on w.alumni_id = a.alumni_id
left join reference.units as u on u.unit_code = e.unit_code
where e.alumni_id not in (select alumni_id from opted_out)
order by e.unit_code, e.grad_year, e.enrol_year, a.alumni_id, e.education_level
"""
# The CSV is opened in spreadsheets: each value as text no spreadsheet runs (cell_safety.safe_cell).
WALL_CSV_QUERY = "select {} from ({})".format(
    ", ".join(f"published_text({c}::varchar) as {c}" for c in WALL_COLUMNS), WALL_QUERY.strip()
)


# ---------------------------------------------------------------------------------------------
# opt-out list


def read_opt_outs(folder: Path) -> pd.DataFrame:
    """The alumni office's opt-out list: every row of every file in the folder, as alumni_id, name and
    ID number (normalised; either alumni_id or name and ID number identify the alumnus)."""
    rows = []
    for path in list_drops(folder):
        if outside_root(path, folder):
            raise ValueError(f"opt-out list {path}: a symbolic link or outside the landing root; drop the file itself")
        for sheet in _sheets(path):
            columns = {c: _opt_out_field(c) for c in sheet.columns}
            for record in sheet.rename(columns=columns).to_dict("records"):
                rows.append(
                    {
                        "alumni_id": _text(record.get("alumni_id")),
                        "name": clean_name(record.get("name")),
                        "id_number": clean_id(record.get("id_number")).value,
                        "file": path.name,
                    }
                )
    return pd.DataFrame(rows, columns=["alumni_id", "name", "id_number", "file"], dtype="object")


def _sheets(path: Path) -> list[pd.DataFrame]:
    if path.suffix.lower() in (".csv", ".txt"):
        decoded = decode_text(path.read_bytes())  # the encodings the landing folders accept
        if decoded is None:  # publishing stops rather than show someone who asked to be left out
            raise ValueError(f"opt-out list {path}: text in no encoding we read; save it as UTF-8 CSV or .xlsx")
        return [pd.read_csv(io.StringIO(decoded[0]), dtype=str, keep_default_na=False)]
    if path.suffix.lower() in SPREADSHEET_EXTS:  # the workbooks the landing folders read
        return list(pd.read_excel(path, sheet_name=None, dtype=str, engine="calamine").values())
    return []


def _opt_out_field(header: object) -> str:
    if header_key(header) in _ALUMNI_ID_HEADERS:
        return "alumni_id"
    return canonical_field(header) or str(header)


def _text(value: object) -> str | None:
    s = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value).strip().upper()
    return s or None


def opted_out_alumni(con: duckdb.DuckDBPyConnection, opt_outs: pd.DataFrame) -> pd.DataFrame:
    """Each opt-out row with the alumni_id it names (null when it names nobody): by alumni_id (or an
    id merged into another), or by a valid ID number with the same name. `requested` says who the row
    asked for, the ID number masked as units see it."""
    con.register("opt_outs", opt_outs)
    try:
        return con.sql(f"""
            with by_id as (
                select o.file, o.alumni_id as requested, coalesce(alias.alumni_id, a.alumni_id) as alumni_id
                from opt_outs as o
                left join identity.alumni_id_aliases as alias on alias.alias_id = o.alumni_id
                left join marts.alumni as a on a.alumni_id = o.alumni_id
                where o.alumni_id is not null
            ),
            by_person as (
                select distinct o.file, o.name || ' ' || {masked_id_sql("o.id_number")} as requested,
                       x.alumni_id
                from opt_outs as o
                left join matching.int_identity_records as r on r.id_number = o.id_number and r.name = o.name
                left join marts.alumni_xref as x on x.record_id = r.record_id
                where o.alumni_id is null and o.id_number is not null
            )
            select * from by_id union all select * from by_person""").df()
    finally:
        con.unregister("opt_outs")


# ---------------------------------------------------------------------------------------------
# the alumni-wall snapshot


def last_published(publish: Path) -> dict | None:
    """The manifest of the live snapshot (named by alumni_wall/LATEST), or None before the first."""
    latest = Published(publish).wall_latest
    manifest = latest.parent / latest.read_text(encoding="utf-8").strip() / WALL_MANIFEST if latest.exists() else None
    return json.loads(manifest.read_text(encoding="utf-8")) if manifest and manifest.exists() else None


def snapshot_counts(con: duckdb.DuckDBPyConnection) -> dict:
    """The manifest's `counts`, what the next run's quality gate compares with: records per landing
    folder (every person source, 0 when it has none) and alumni."""
    records = dict(
        con.execute("select source_system, count(*) from intermediate.int_person_records group by all").fetchall()
    )
    return {
        "person_records": {s: records.get(s, 0) for s in PERSON_SOURCES},
        "alumni": con.execute("select count(*) from marts.alumni").fetchone()[0],
    }


def wall_id(key: bytes, alumni_id: str) -> str:
    """The wall's key for an alumnus: HMAC-SHA256 of the alumni_id under the secret `key`, truncated.
    Stable while the key is; without the key it tells nothing about the alumni_id (ids are sequential,
    so a plain hash of one could be reversed by hashing every LZU number)."""
    return hmac.new(key, alumni_id.encode("utf-8"), hashlib.sha256).hexdigest()[:WALL_ID_CHARS]


def publish_wall(
    con: duckdb.DuckDBPyConnection, publish: Path, run_id: str, opted_out: list[str], counts: dict, *, key: bytes
) -> dict:
    """Write a new snapshot (parquet, CSV with BOM, page, manifest), switch LATEST to it, keep the
    newest few. `key` is the secret of the wall ids (config.wall_key)."""
    published = Published(publish)
    now = dt.datetime.now(dt.UTC)
    snapshot_id = f"{now:%Y%m%dT%H%M%S%fZ}-{run_id[:8]}"
    incoming = published.wall / f".incoming-{snapshot_id}"
    incoming.mkdir(parents=True)
    con.register("opted_out", pd.DataFrame({"alumni_id": pd.Series(sorted(set(opted_out)), dtype="object")}))
    _register_published_text(con)
    ids = [a for (a,) in con.execute("select alumni_id from marts.alumni").fetchall()]
    con.register(
        "wall_ids", pd.DataFrame({"alumni_id": ids, "wall_id": [wall_id(key, a) for a in ids]}, dtype="object")
    )
    try:
        for name, options in WALL_FILES.items():
            target = str(incoming / name).replace("'", "''")
            query = WALL_CSV_QUERY if name.endswith(".csv") else WALL_QUERY
            con.execute(f"copy ({query}) to '{target}' ({options})")
        _add_bom(incoming / WALL_CSV)
        wall = con.execute(WALL_QUERY).df()
    finally:
        con.unregister("opted_out")
        con.unregister("wall_ids")
    rows = len(wall)
    (incoming / WALL_PAGE).write_text(render_wall_page(wall, snapshot_id, now), encoding="utf-8")
    manifest = {
        "schema_version": WALL_SCHEMA_VERSION,
        "snapshot_id": snapshot_id,
        "run_id": run_id,
        "created_at": now.isoformat(timespec="seconds"),
        "row_count": rows,
        "columns": list(WALL_COLUMNS),
        "files": {
            name: {"sha256": _sha256(incoming / name), "bytes": (incoming / name).stat().st_size}
            for name in (*WALL_FILES, WALL_PAGE)
        },
        "opted_out_alumni": len(set(opted_out)),
        "counts": counts,  # what the quality gate compares the next run with
    }
    (incoming / WALL_MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", "utf-8")
    incoming.rename(published.wall / snapshot_id)
    _replace_text(published.wall_latest, snapshot_id + "\n")
    _prune(published, KEEP_SNAPSHOTS)
    return manifest


def _register_published_text(con: duckdb.DuckDBPyConnection) -> None:
    """`published_text(varchar)`: cell_safety.safe_cell as a SQL function of this connection."""
    registered = con.execute("select count(*) from duckdb_functions() where function_name = 'published_text'")
    if not registered.fetchone()[0]:
        con.create_function("published_text", safe_cell, ["VARCHAR"], "VARCHAR", side_effects=False)


def _add_bom(path: Path) -> None:
    """Put the UTF-8 byte order mark before the CSV DuckDB wrote (DuckDB writes none)."""
    tmp = path.with_name(f".{path.name}.bom")
    with open(path, "rb") as src, open(tmp, "wb") as dst:
        dst.write(b"\xef\xbb\xbf")
        shutil.copyfileobj(src, dst, 1 << 20)
    os.replace(tmp, path)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _replace_text(path: Path, text: str) -> None:
    """Write a small file so that readers see the old or the new content, never a part."""
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _prune(published: Published, keep: int) -> None:
    """Keep the newest `keep` snapshots (the live one always) and no half-written leftovers."""
    wall = published.wall
    live = published.wall_latest.read_text(encoding="utf-8").strip()
    snapshots = sorted(p for p in wall.iterdir() if p.is_dir() and not p.name.startswith("."))
    for old in snapshots[:-keep]:
        if old.name != live:
            shutil.rmtree(old)
    for leftover in wall.glob(".incoming-*"):
        shutil.rmtree(leftover, ignore_errors=True)
