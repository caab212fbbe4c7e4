"""The stewards' queue: pairs the evidence settles never reach a person, and what remains is one line
per undecided person, the decisions that settle most records first. Hand-made persons of the kind
units send: a registry's record with its ID number, updates that name only a name and a year."""

from __future__ import annotations

import pandas as pd

from alumni_pipeline.identity.queue import Person, group_by_person, settle

LINK_FROM = 3.0


def pairs(*rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["left_id", "right_id", "reason", "match_weight"])


# Two 李伟 of 1984: A is the archives' bachelor (two records, ID number 620102196101221234 and a
# unit's update that joined him), B the master's of another department with ID 620102196304125678.
# u is a unit update naming 李伟 and 1984 and nothing else.
CLUSTER_OF = {"a1": "A", "a2": "A", "b1": "B", "c1": "C", "u": "U"}
PERSONS = {
    "A": Person(2, frozenset({"620102196101221234"}), frozenset({"1961-01-22"}), True, frozenset({"LAW"})),
    "B": Person(1, frozenset({"620102196304125678"}), frozenset({"1963-04-12"}), True, frozenset({"CHE"})),
    "C": Person(1, birth_dates=frozenset({"1961-01-22"}), on_wall=True, units=frozenset({"LAW"})),
    "U": Person(1, units=frozenset({"LAW"})),
}


def test_a_pair_whose_persons_hold_two_valid_id_numbers_is_settled_whatever_its_score():
    # a2 (the update inside A) and b1 look alike, but A and B hold two valid ID numbers: a chain
    # through a2 can never join them, so no steward is asked, even at a score that would link
    why = settle(
        pairs(("a2", "b1", "uncertain", 2.1), ("b1", "a2", "conflict", 7.5)), CLUSTER_OF, PERSONS, set(), {}, LINK_FROM
    )
    assert why.tolist() == ["persons_must_stay_apart", "persons_must_stay_apart"]


def test_a_pair_already_joined_through_stronger_links_is_settled():
    # a1 and a2 scored only 1.2 between them, but both joined A through stronger links
    why = settle(pairs(("a1", "a2", "uncertain", 1.2)), CLUSTER_OF, PERSONS, set(), {}, LINK_FROM)
    assert why.tolist() == ["same_person"]


def test_a_soft_conflict_settles_an_uncertain_pair_but_not_one_the_score_would_link():
    # B and C: registries' birth dates 1963-04-12 and 1961-01-22 conflict (not a typist's slip)
    why = settle(
        pairs(("b1", "c1", "uncertain", 1.4), ("c1", "b1", "conflict", 9.0)), CLUSTER_OF, PERSONS, set(), {}, LINK_FROM
    )
    assert why.tolist() == ["persons_must_stay_apart", None]  # strong evidence against a fact: a person looks
    # a hard-negative pair between other records of the two persons does the same
    persons = {**PERSONS, "C": Person(1, units=frozenset({"LAW"}))}
    why = settle(pairs(("a2", "c1", "uncertain", 0.5)), CLUSTER_OF, persons, {("a1", "c1")}, {}, LINK_FROM)
    assert why.tolist() == ["persons_must_stay_apart"]


def test_a_steward_decision_on_any_records_of_two_persons_settles_them_all():
    persons = {**PERSONS, "C": Person(1, units=frozenset({"LAW"}))}
    decided = {("a1", "c1"): "cannot_link"}
    why = settle(
        pairs(("a2", "c1", "uncertain", 2.0), ("u", "c1", "uncertain", 2.0)),
        CLUSTER_OF,
        persons,
        set(),
        decided,
        LINK_FROM,
    )
    assert why.tolist() == ["decided", None]


def test_one_id_number_two_alumni_is_never_settled_silently():
    why = settle(pairs(("a1", "b1", "same_id_apart", -4.0)), CLUSTER_OF, PERSONS, {("a1", "b1")}, {}, LINK_FROM)
    assert why.tolist() == [None]


def test_the_questions_about_one_person_are_one_line_with_its_candidates_side_by_side():
    # the update u fits A (through both of A's records) and B: one question for each person it may
    # be, one line for u, A first (strongest)
    queue, lines = group_by_person(
        pairs(
            ("a1", "u", "ambiguous", 6.0),
            ("u", "a2", "ambiguous", 4.0),  # the same question about A again
            ("b1", "u", "ambiguous", 5.5),
        ),
        CLUSTER_OF,
        PERSONS,
    )
    assert len(lines) == 1
    line = lines.iloc[0]
    assert line.cluster_key == "U" and line.candidates == ["A", "B"]
    assert (line.left_id, line.right_id) == ("u", "a1")  # the person's record first
    assert line.records_settled == 4 and line.units == 2 and line.on_wall
    assert queue.loc[queue.left_id == "a1", "candidate"].item() == 1
    assert queue.loc[queue.left_id == "b1", "candidate"].item() == 2
    assert queue.loc[queue.right_id == "a2", "candidate"].item() == 0  # answered by candidate 1
    assert set(queue.subject_id[queue.candidate > 0]) == {"u"}


def test_lines_come_in_order_of_what_a_decision_settles_and_how_visible_the_person_is():
    cluster_of = {"x1": "X", "y1": "Y", "big": "G", "w1": "W", "h1": "H", "v1": "V", "s1": "S", "s2": "T"}
    persons = {
        "X": Person(1, units=frozenset({"HIS"})),
        "Y": Person(1, units=frozenset({"HIS"})),  # an update and another: 2 records, not on the wall
        "G": Person(5, on_wall=True, units=frozenset({"PHY", "MGT"})),
        "W": Person(1, units=frozenset({"PHY"})),  # 6 records, two units
        "H": Person(1, on_wall=True, units=frozenset({"CHE"})),
        "V": Person(1, units=frozenset({"CHE"})),  # 2 records, on the wall
        "S": Person(1, frozenset({"620102198509121236"}), on_wall=True),
        "T": Person(1, frozenset({"620102198509121236"})),  # one ID number, two alumni
    }
    _, lines = group_by_person(
        pairs(
            ("x1", "y1", "uncertain", 2.9),
            ("big", "w1", "uncertain", 0.4),
            ("h1", "v1", "uncertain", 1.0),
            ("s1", "s2", "same_id_apart", -3.0),
        ),
        cluster_of,
        persons,
    )
    assert lines.cluster_key.tolist() == ["S", "W", "H", "X"]
    assert lines.person_number.tolist() == [1, 2, 3, 4]
    assert lines.records_settled.tolist() == [2, 6, 2, 2]


def test_an_empty_queue_is_empty():
    queue, lines = group_by_person(pairs(), {}, {})
    assert queue.empty and lines.empty


def test_a_run_with_nothing_to_review_writes_typed_empty_tables(tmp_path):
    """Every pair linked: the queue's tables are empty but typed, and the workbook has its header only."""
    import duckdb
    from openpyxl import load_workbook

    from alumni_pipeline.identity.resolve import write_review_queue
    from alumni_pipeline.identity.review import HEADERS, SHEET, write_review_workbook

    con = duckdb.connect()
    con.execute("""
        create schema identity; create schema matching;
        create table identity.pair_scores as select 'r1' as left_id, 'r2' as right_id, 9.5 as match_weight,
            'same_person' as outcome, 0 as id_level, false as hard_negative, 0 as pair_signature, 'W' as weights_id;
        create table identity.clusters as select * from (values ('r1', 'r1'), ('r2', 'r1')) t(record_id, cluster_key);
        create table matching.int_identity_records as select * from (values
            ('r1', 'archives/本科/2003级.xlsx|2003级1班|4', '张伟', '男', '620102198509121236', 'CHI', '汉语言文学',
             '甘肃', '兰州', '本科', 2007, '1985-09-12', 'day', true),
            ('r2', 'unit_updates/文学院_校友信息更新.csv||7', '张伟', '男', '620102198509121236', 'CHI', null,
             null, null, null, 2007, '1985-09-12', 'day', false)
        ) t(record_id, record_key, name, gender, id_number, unit_code, major_key, native_province, native_city,
            education_level, grad_year, birth_date, birth_precision, from_registry);
        create table identity.refused_links (left_id varchar, right_id varchar, reason varchar);
        create table identity.applied_decisions (left_id varchar, right_id varchar, decision varchar);
    """)
    assert write_review_queue(con) == {"review_queue": 0, "review_persons": 0, "review_settled": 0}
    types = dict(
        con.sql("select column_name, data_type from duckdb_columns() where table_name = 'review_persons'").fetchall()
    )
    assert types["candidates"] == "VARCHAR[]" and types["records_settled"] == "BIGINT"
    assert write_review_workbook(con, tmp_path / "review_queue.xlsx") == 0
    rows = list(load_workbook(tmp_path / "review_queue.xlsx")[SHEET].iter_rows(values_only=True))
    assert rows == [tuple(HEADERS)]
