"""Scoring a pair: namesakes in one class make agreeing on name and class say little, while a shared
birth date or contact still counts in full."""

import numpy as np
import pandas as pd

from alumni_pipeline.identity.comparisons import SPEC
from alumni_pipeline.identity.fellegi_sunter import Model
from alumni_pipeline.identity.resolve import AUTO_LINK, REVIEW_FROM, score_pairs

COMPARISONS = SPEC.sizes

# m and u as the 20,000-person sample estimates them (identity.comparison_weights), rounded
M = {
    "name": [0.9, 0.08, 0.002, 0.008],
    "birth": [0.9, 0.02, 0.07, 0.003, 0.005],
    "gender": [0.999, 0.001],
    "id": [0.9, 0.09, 0.001, 0.009],
    "document": [0.85, 0.1, 0.05],
    "study": [0.56, 0.19, 0.09, 0.15],
    "timeline": [0.64, 0.22, 0.1, 0.005, 0.03, 0.005],
    "native": [0.88, 0.11, 0.003, 0.007],
    "email": [0.43, 0.57],
    "mobile": [0.34, 0.66],
}
U = {
    "name": [0.0005, 0.00006, 0.0009, 0.9985],
    "birth": [0.00008, 0.0016, 0.001, 0.0009, 0.9964],
    "gender": [0.5, 0.5],
    "id": [0.00003, 0.000005, 0.79, 0.21],
    "document": [0.0001, 0.001, 0.9989],
    "study": [0.012, 0.0066, 0.017, 0.9644],
    "timeline": [0.0005, 0.09, 0.47, 0.08, 0.18, 0.1795],
    "native": [0.05, 0.15, 0.3, 0.5],
    "email": [0.00003, 0.99997],
    "mobile": [0.00001, 0.99999],
}
MODEL = Model(COMPARISONS, {c: np.array(v) for c, v in M.items()}, {c: np.array(v) for c, v in U.items()}, 3e-5)


def update_pair(namesakes: int, mobile_level: int) -> dict:
    """Two units' update rows of 张勇, 戏剧影视文学 2024: no birth date, ID or native place."""
    levels = {f"{c}_level": -1 for c in COMPARISONS}
    levels.update(name_level=0, gender_level=0, study_level=0, timeline_level=0, mobile_level=mobile_level)
    return {
        "left_id": "u1",
        "right_id": "u2",
        "blocking_rule": "name_grad_year_unit",
        "name_count": 96,  # 0.2% of 48,000 records
        **levels,
        "same_class_in_one_list": False,
        "both_registries": False,
        "genders_from_id": False,
        "class_namesakes": namesakes,
    }


def test_namesakes_in_one_class_send_a_name_and_class_match_to_the_stewards():
    scored = score_pairs(
        MODEL,
        pd.DataFrame([update_pair(1, 1), update_pair(2, 1), update_pair(3, 1), update_pair(2, 0)]),
        records=48_000,
    )
    alone, two, three, same_mobile = scored.to_dict("records")
    assert alone["match_weight"] >= AUTO_LINK and alone["namesake_weight"] == 0
    # two 张勇 in the class: one chance in two, less the different mobiles
    assert REVIEW_FROM - 2 < two["match_weight"] < AUTO_LINK and two["namesake_weight"] < -5
    assert three["match_weight"] < two["match_weight"]
    # the same mobile number is evidence no namesake shares
    assert same_mobile["match_weight"] >= AUTO_LINK
    # what is left is the odds 1/(k-1) and the comparisons a namesake does not share
    rest = sum(two[f"{c}_weight"] for c in COMPARISONS if c not in ("name", "study", "timeline"))
    assert abs(two["match_weight"] - rest) < 0.01 and abs(three["match_weight"] - (rest - 1)) < 0.01


def test_hard_negatives_come_from_facts_not_from_layout_or_typos():
    """One person's bachelor's and master's in one archives file, or a typed gender slip, keep nothing
    apart; two different valid ID numbers, one class of one list, or genders both ID numbers state do."""
    from alumni_pipeline.identity.resolve import hard_negative

    base = {
        "id_level": -1,
        "document_level": -1,
        "timeline_level": 1,
        "gender_level": 0,
        "birth_level": 0,
        "both_registries": True,
        "same_class_in_one_list": False,
        "genders_from_id": False,
    }
    cases = [
        ({}, False),  # a bachelor's and a master's straight after it, wherever their rows sit
        ({"gender_level": 1}, False),  # a typed gender that disagrees: evidence, not a fact
        ({"gender_level": 1, "genders_from_id": True}, True),
        ({"birth_level": 3}, False),  # registry birth dates a typist's slip apart
        ({"birth_level": 4}, True),
        ({"birth_level": 4, "both_registries": False}, False),  # a unit's update typed it
        ({"id_level": 1}, False),  # two valid numbers a slip apart
        ({"id_level": 2}, True),
        ({"same_class_in_one_list": True}, True),
        ({"same_class_in_one_list": True, "id_level": 0}, False),  # the same valid ID number is one person
        ({"birth_level": 4, "document_level": 0}, False),  # so is the same document number
        ({"id_level": 2, "document_level": 0}, True),  # but not against two valid ID numbers
    ]
    frame = pd.DataFrame([{**base, **change} for change, _ in cases])
    assert list(hard_negative(frame)) == [expected for _, expected in cases]


def test_one_valid_id_number_two_alumni_comes_first_for_the_stewards():
    """Two records of one valid ID number that names and genders keep apart never pass silently: the
    pair heads the review queue, above stronger uncertain pairs; a conflict the score did not link, and
    a pair a steward decided, stay out of it; a refused link says why."""
    import duckdb

    from alumni_pipeline.identity.resolve import write_review_queue

    def pair(left, right, weight, outcome="apart", id_level=-1, negative=False):
        return {
            "left_id": left,
            "right_id": right,
            "match_weight": weight,
            "outcome": outcome,
            "id_level": id_level,
            "hard_negative": negative,
            "pair_signature": 0,
            "weights_id": "W",
        }

    scored = pd.DataFrame(  # noqa: F841 (read by DuckDB)
        [
            pair("a", "b", 2.5),
            pair("c", "d", -4.0, id_level=0),
            pair("e", "f", 9.0, outcome="same_person", id_level=0),
            pair("g", "h", 1.0, negative=True),  # a conflict the score would not have linked
            pair("i", "j", 5.0, negative=True),  # one it would have
            pair("k", "l", 1.5),  # decided by a steward
            pair("m", "n", 4.0),  # a link refused as ambiguous
        ]
    )
    records = pd.DataFrame({"record_id": list("abcdefghijklmn")})  # each alone but e and f
    records["cluster_key"] = records.record_id.replace({"f": "e"})
    records["id_number"] = records.record_id.map({"c": "620102198509121236", "d": "620102198509121236"})
    records["unit_code"] = "CHI"
    records["education_level"], records["grad_year"] = "本科", 2007
    records["birth_date"], records["birth_precision"], records["from_registry"] = "1985-09-12", "day", True
    con = duckdb.connect()
    con.execute("create schema identity; create schema matching")
    con.execute("create table identity.pair_scores as select * from scored")
    con.execute("create table identity.clusters as select record_id, cluster_key from records")
    con.execute("create table matching.int_identity_records as select * exclude (cluster_key) from records")
    con.execute("create table identity.refused_links as select 'm' as left_id, 'n' as right_id, 'ambiguous' as reason")
    con.execute(
        "create table identity.applied_decisions as select 'l' as left_id, 'k' as right_id, 'cannot_link' as decision"
    )
    assert write_review_queue(con) == {"review_queue": 4, "review_persons": 4, "review_settled": 1}
    queue = con.sql("select left_id, reason from identity.review_queue order by pair_number").fetchall()
    assert queue[0] == ("c", "same_id_apart")
    assert sorted(queue[1:]) == [("a", "uncertain"), ("i", "conflict"), ("m", "ambiguous")]
    assert con.sql("select left_id, settled_by from identity.review_settled").fetchall() == [("k", "decided")]
