"""The DuckDB functions dbt calls: a dbt-duckdb plugin that makes the field normalisers SQL functions,
so dbt models clean values with the same code the tests check
(`plugins: [{module: alumni_pipeline.conform.duckdb_functions}]` in profiles.yml).

Where one value yields several facts (a date's value, precision and year; an ID number's validity,
birth date and gender) a function returns them as one STRUCT, so the normaliser runs once per value.
Results are cached per distinct value: genders, levels, departments and dates repeat across a million
rows.
Every function may return NULL (a value that could not be cleaned), which DuckDB allows only with
null_handling='special': NULL inputs reach Python too, and give NULL.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from dbt.adapters.duckdb.plugins import BasePlugin
from duckdb import DuckDBPyConnection

from .. import conform as n
from ..identity.comparisons import SPEC
from ..identity.typos import dates_close, id_numbers_close
from . import addresses
from . import chinese as c
from .dates import first_day_sql, typed_date_sql
from .idcard import masked_id_sql
from .periods import split_period
from .units import major_name_key, role_kind, unit_name_key

CACHE_SIZE = 1 << 17


def conform_name(s: str) -> dict | None:
    clean = n.clean_name(s)
    if clean is None:
        return None
    pinyin = n.name_pinyin(clean)
    # pinyin_key is the parts of name_pinyin, sorted and joined: taken from it, pypinyin runs once
    key = "".join(sorted(pinyin.split())) if pinyin else n.pinyin_key(clean)
    return {"clean": clean, "script": n.name_script(clean), "pinyin": pinyin, "pinyin_key": key}


def conform_date(s: str) -> dict | None:
    parsed = n.parse_date(s)
    year = int(parsed.value[:4]) if parsed else n.year_of(s)  # year_of also reads '2003级', '2003届'
    if year is None:
        return None
    return {
        "value": parsed and parsed.value,
        "precision": parsed and parsed.precision,
        "ambiguous": bool(parsed and parsed.ambiguous),
        "year": year,
    }


def conform_id(s: str | None) -> dict | None:
    if s is None:
        return None
    info = n.clean_id(s)
    return {
        "value": info.value,
        "valid": info.valid,
        "problem": info.problem,
        "birth_date": info.birth_date,
        "gender": info.gender,
        "province": info.province,
    }


def conform_native_place(s: str) -> dict | None:
    place = c.native_place(s)
    return {"province": place[0], "city": place[1]} if place else None


def _place(place: addresses.Place | None) -> dict | None:
    return place._asdict() if place else None


def address_place(s: str) -> dict | None:
    return _place(addresses.address_place(s))


def employer_place(s: str) -> dict | None:
    return _place(addresses.employer_place(s))


def conform_period(s: str) -> dict | None:
    period = split_period(s)
    return {"start_text": period.start, "end_text": period.end, "ongoing": period.ongoing} if period else None


DATE = "STRUCT(value VARCHAR, precision VARCHAR, ambiguous BOOLEAN, year INTEGER)"
PLACE = "STRUCT(province VARCHAR, city VARCHAR)"
# SQL name -> (function, parameter types, return type)
FUNCTIONS: dict[str, tuple[Callable, list[str], str]] = {
    "conform_name": (
        conform_name,
        ["VARCHAR"],
        "STRUCT(clean VARCHAR, script VARCHAR, pinyin VARCHAR, pinyin_key VARCHAR)",
    ),
    "conform_date": (conform_date, ["VARCHAR"], DATE),
    "conform_id": (
        conform_id,
        ["VARCHAR"],
        "STRUCT(value VARCHAR, valid BOOLEAN, problem VARCHAR, birth_date VARCHAR, gender VARCHAR, province VARCHAR)",
    ),
    "conform_native_place": (conform_native_place, ["VARCHAR"], PLACE),
    "address_place": (address_place, ["VARCHAR"], PLACE),
    "employer_place": (employer_place, ["VARCHAR"], PLACE),
    "postcode_province": (addresses.postcode_province, ["VARCHAR"], "VARCHAR"),
    "conform_period": (conform_period, ["VARCHAR"], "STRUCT(start_text VARCHAR, end_text VARCHAR, ongoing BOOLEAN)"),
    "clean_gender": (n.clean_gender, ["VARCHAR"], "VARCHAR"),
    "clean_mobile": (n.clean_mobile, ["VARCHAR"], "VARCHAR"),
    "clean_landline": (n.clean_landline, ["VARCHAR"], "VARCHAR"),
    "clean_email": (n.clean_email, ["VARCHAR"], "VARCHAR"),
    "clean_postcode": (n.clean_postcode, ["VARCHAR"], "VARCHAR"),
    "education_level": (c.education_level, ["VARCHAR"], "VARCHAR"),
    "study_form": (c.study_form, ["VARCHAR"], "VARCHAR"),
    "unit_name_key": (unit_name_key, ["VARCHAR"], "VARCHAR"),
    "major_name_key": (major_name_key, ["VARCHAR"], "VARCHAR"),
    "role_kind": (role_kind, ["VARCHAR"], "VARCHAR"),
    "check_years": (n.check_years, ["INTEGER", "INTEGER", "INTEGER"], "VARCHAR[]"),
    "dates_close": (dates_close, ["VARCHAR", "VARCHAR"], "BOOLEAN"),
    "id_numbers_close": (id_numbers_close, ["VARCHAR", "VARCHAR"], "BOOLEAN"),
    # the comparisons' SQL for two records' aliases (dbt's macro comparison_levels reads it)
    "comparison_levels_sql": (SPEC.select_sql, ["VARCHAR", "VARCHAR", "BOOLEAN"], "VARCHAR"),
    # the SQL of a typed date of mixed precision (dbt's macros typed_date and first_day read it)
    "typed_date_sql": (typed_date_sql, ["VARCHAR", "VARCHAR"], "VARCHAR"),
    "first_day_sql": (first_day_sql, ["VARCHAR"], "VARCHAR"),
    "masked_id_sql": (masked_id_sql, ["VARCHAR"], "VARCHAR"),
}


def register(con: DuckDBPyConnection) -> None:
    """Create every normaliser as a SQL function on this connection."""
    for name, (fn, params, returns) in FUNCTIONS.items():
        con.create_function(name, lru_cache(maxsize=CACHE_SIZE)(fn), params, returns, null_handling="special")


class Plugin(BasePlugin):
    def configure_connection(self, conn: DuckDBPyConnection) -> None:
        register(conn)
