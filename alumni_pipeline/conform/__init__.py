"""Conform: the field normalisers, small pure functions that return a clean value, or None when a value
cannot be cleaned, and never raise on bad input; what conform adds to them for old files (`chinese`),
units and majors (`units`), periods (`periods`); and the DuckDB functions dbt calls them through.

The normalisers are exported here. The traditional-to-simplified classifiers of `chinese` share names
with them (`education_level`, `study_form`, `native_place`): import those from `conform.chinese`."""

from .contact import clean_email, clean_landline, clean_mobile, clean_postcode
from .dates import ParsedDate, parse_date, year_of
from .education import check_years, education_level, study_form
from .gender import clean_gender
from .idcard import IdInfo, clean_id, id_check_digit
from .names import clean_name, latin_name_parts, name_pinyin, name_script, pinyin_key, split_han_name
from .places import native_place
from .regions import CITY_PROVINCE, PROVINCE_CODES

__all__ = [
    "CITY_PROVINCE",
    "PROVINCE_CODES",
    "IdInfo",
    "ParsedDate",
    "check_years",
    "clean_email",
    "clean_gender",
    "clean_id",
    "clean_landline",
    "clean_mobile",
    "clean_name",
    "clean_postcode",
    "education_level",
    "id_check_digit",
    "latin_name_parts",
    "name_pinyin",
    "name_script",
    "native_place",
    "parse_date",
    "pinyin_key",
    "split_han_name",
    "study_form",
    "year_of",
]
