"""The comparison spec is the one place a comparison is defined: a level added there reaches the SQL,
the weights, the scores, the hard negatives and the stewards' explanation without another edit."""

from __future__ import annotations

import dataclasses

import duckdb
import numpy as np
import pandas as pd
import pytest

from alumni_pipeline.conform.duckdb_functions import register
from alumni_pipeline.identity.comparisons import SPEC, Comparison, Level, Spec, _missing
from alumni_pipeline.identity.fellegi_sunter import Model
from alumni_pipeline.identity.resolve import score_pairs

COLUMNS = {
    "record_id": "varchar", "name": "varchar", "name_key": "varchar", "birth_date": "varchar",
    "birth_precision": "varchar", "birth_year": "integer", "gender": "varchar", "id_number": "varchar",
    "id_partial": "varchar", "passport_number": "varchar", "unit_code": "varchar", "major_key": "varchar",
    "enrol_year": "integer", "grad_year": "integer", "native_province": "varchar", "native_city": "varchar",
    "email": "varchar", "mobile": "varchar", "source_system": "varchar", "source_file": "varchar",
    "education_level": "varchar", "from_registry": "boolean", "gender_from_id": "boolean",
}  # fmt: skip


def _record(record_id: str, **values) -> dict:
    base = dict.fromkeys(COLUMNS)
    base.update(record_id=record_id, name="王伟", name_key="wangwei", from_registry=False, gender_from_id=False)
    return {**base, **values}


def _with_email_domain_level(spec: Spec) -> Spec:
    """The one edit: e-mail gains a level between 'same' and 'different'."""
    email = Comparison(
        "email",
        "邮箱",
        (
            _missing("email"),
            Level(0, "same", "相同", "{l}.email = {r}.email"),
            Level(1, "same domain", "同一域名", "split_part({l}.email, '@', 2) = split_part({r}.email, '@', 2)"),
            Level(2, "different", "不同", None),
        ),
    )
    return dataclasses.replace(spec, comparisons=tuple(email if c.name == "email" else c for c in spec.comparisons))


def _pairs(spec: Spec, records: list[dict]) -> pd.DataFrame:
    con = duckdb.connect()
    register(con)
    columns = ", ".join(f"{c} {t}" for c, t in COLUMNS.items())
    con.execute(f"create table records ({columns})")
    con.executemany(
        f"insert into records values ({', '.join('?' * len(COLUMNS))})", [list(r.values()) for r in records]
    )
    return con.sql(f"""
        select l.record_id as left_id, r.record_id as right_id, 'test' as blocking_rule,
               1 as name_count, 1 as class_namesakes, {spec.select_sql("l", "r")}
        from records as l join records as r on l.record_id < r.record_id order by all""").df()


def test_a_level_added_in_the_spec_is_scored_and_explained():
    spec = _with_email_domain_level(SPEC)
    assert spec.sizes["email"] == 3 and SPEC.sizes["email"] == 2
    records = [
        _record("a", email="wangwei@lzu.edu.cn"),
        _record("b", email="ww1985@lzu.edu.cn"),
        _record("c", email="wangwei@163.com"),
    ]
    pairs = _pairs(spec, records)
    levels = dict(zip(zip(pairs.left_id, pairs.right_id), pairs.email_level))
    assert levels == {("a", "b"): 1, ("a", "c"): 2, ("b", "c"): 2}

    m = {c.name: np.full(c.size, 1 / c.size) for c in spec.comparisons}
    u = {c.name: np.full(c.size, 1 / c.size) for c in spec.comparisons}
    m["email"], u["email"] = np.array([0.6, 0.3, 0.1]), np.array([0.001, 0.05, 0.949])
    scored = score_pairs(Model(spec.sizes, m, u, 1e-4), pairs, 3, spec)
    weight = dict(zip(zip(scored.left_id, scored.right_id), scored.email_weight))
    assert weight[("a", "b")] == pytest.approx(np.log2(0.3 / 0.05), abs=1e-3)
    assert weight[("a", "b")] > 0 > weight[("a", "c")]
    assert "邮箱 同一域名" in spec.explain_zh(scored.iloc[0])
    assert not spec.hard_negative(scored).any()


def test_hard_negatives_are_read_from_the_spec():
    """Two valid ID numbers that differ keep two records apart whatever else agrees; the same document
    number settles a registries' birth-date conflict."""
    records = [
        _record("a", id_number="620102198509120011", birth_date="1985-09-12", birth_precision="day"),
        _record("b", id_number="620102198704050012", birth_date="1985-09-12", birth_precision="day"),
        _record("c", birth_date="1985-09-12", birth_precision="day", from_registry=True, passport_number="E1"),
        _record("d", birth_date="1979-02-03", birth_precision="day", from_registry=True, passport_number="E1"),
        _record("e", birth_date="1979-02-03", birth_precision="day", from_registry=True),
    ]
    pairs = _pairs(SPEC, records)
    apart = dict(zip(zip(pairs.left_id, pairs.right_id), SPEC.hard_negative(pairs)))
    assert apart[("a", "b")]  # two different valid ID numbers
    assert not apart[("c", "d")]  # the same document number
    assert apart[("c", "e")]  # two registries' birth dates that conflict


def test_a_spec_with_a_gap_in_its_levels_is_refused():
    with pytest.raises(ValueError, match=r"not 0\.\.1"):
        Comparison("email", "邮箱", (_missing("email"), Level(0, "same", "相同", "true"), Level(2, "x", "x", None)))
