"""Clustering never chains two valid ID numbers together; steward decisions beat scores; alumni_ids
survive new drops, merges and splits."""

import pytest

from alumni_pipeline.identity.clustering import Link, assign_ids, cluster
from alumni_pipeline.identity.typos import dates_close


def test_weak_chain_cannot_join_two_valid_ids():
    # a —9— b —3— c, with a and c holding different valid IDs: b goes with a, c stays apart
    keys = ["a", "b", "c"]
    groups, refused = cluster(keys, [Link("a", "b", 9.0), Link("b", "c", 3.0)], {"a": "ID1", "c": "ID2"})
    assert groups["a"] == groups["b"] != groups["c"]
    assert refused == [(Link("b", "c", 3.0), "conflict")]


def test_a_record_that_fits_two_different_people_equally_is_left_for_review():
    # an update u fits the 1984 王伟 and the 1990 王伟 about as well: it joins neither
    links = [Link("a", "u", 7.9), Link("c", "u", 7.5), Link("a", "x", 12.0)]
    groups, refused = cluster(["a", "c", "u", "x"], links, {"a": "ID1", "c": "ID2"})
    assert groups["u"] == "u" and groups["a"] == groups["x"]
    assert [reason for _, reason in refused] == ["ambiguous", "ambiguous"]


def test_unit_updates_cannot_chain_two_registries_birth_dates_that_conflict():
    # two 李伟 of 1984 the archives never compared (born 1961 and 1963, different departments), and two
    # updates that name only 李伟, 1984 and no department: the updates may join one 李伟, never both
    links = [Link("law", "u1", 3.6), Link("chem", "u2", 3.6), Link("u1", "u2", 3.6), Link("u1", "chem", 3.6)]
    births = {"law": "1961-01-22", "chem": "1963-04-12"}
    groups, refused = cluster(["law", "chem", "u1", "u2"], links, {}, birth_dates=births)
    assert groups["law"] != groups["chem"]
    assert refused and all(reason in {"conflict", "ambiguous"} for _, reason in refused)
    # the same records with no birth dates known are one person: nothing tells them apart
    assert len(set(cluster(["law", "chem", "u1", "u2"], links, {})[0].values())) == 1


def test_a_birth_date_typo_is_not_a_conflict():
    links = [Link("archives", "u", 9.0), Link("u", "hr", 9.0)]
    groups, refused = cluster(
        ["archives", "u", "hr"], links, {}, birth_dates={"archives": "1993-05-08", "hr": "1993-05-18"}
    )
    assert len(set(groups.values())) == 1 and not refused


@pytest.mark.parametrize(
    "a, b, conflict",
    [
        ("1993-05-08", "1993-05-08", False),
        ("1993-05-08", "1993-05-18", False),  # one digit mistyped
        ("1993-05-08", "1993-08-05", False),  # day and month swapped
        ("1985-09-12", "1985-09-21", False),  # two neighbouring digits swapped
        ("1985-09-12", "1958-09-12", False),
        ("1993-05-30", "1993-06-01", False),  # within three days, across a month
        ("1993-05-30", "1993-05-08", True),
        ("1961-01-22", "1963-04-12", True),
    ],
)
def test_birth_dates_conflict_unless_close(a, b, conflict):
    assert dates_close(a, b) is not conflict and dates_close(b, a) is not conflict


def test_same_id_records_join_and_cannot_link_beats_score():
    keys = ["a", "b", "c", "d"]
    links = [Link("a", "b", 5.0), Link("c", "d", 9.0), Link("b", "c", 1.0)]
    groups, _ = cluster(keys, links, {}, cannot_link=[("a", "d")])
    assert groups["a"] == groups["b"] and groups["c"] == groups["d"] and groups["a"] != groups["c"]


def test_must_link_beats_missing_score_but_not_cannot_link():
    groups, _ = cluster(["a", "b", "c"], [], {}, must_link=[("a", "b"), ("b", "c")], cannot_link=[("b", "c")])
    assert groups["a"] == groups["b"] != groups["c"]


def test_ids_survive_new_records_merges_and_splits():
    first, _, nxt = assign_ids({"r1": "r1", "r2": "r1", "r3": "r3", "r4": "r4", "r5": "r4", "r6": "r4"}, {}, 1)
    a, b, c = first["r1"], first["r3"], first["r4"]
    assert len({a, b, c}) == 3
    # a new record joins r1's person; r3 merges into r1's person; r4's person splits 2 + 1
    second, changes, _ = assign_ids(
        {"r1": "r1", "r2": "r1", "r7": "r1", "r3": "r1", "r4": "r4", "r5": "r4", "r6": "r6"}, first, nxt
    )
    older = min(a, b)
    assert second["r1"] == second["r3"] == second["r7"] == older
    assert {(ch.alumni_id, ch.event, ch.other) for ch in changes} >= {(max(a, b), "merged_into", older)}
    assert second["r4"] == second["r5"] == c  # the larger part keeps the id
    assert second["r6"] not in (a, b, c)
    assert any(ch.event == "split_from" and ch.other == c for ch in changes)
