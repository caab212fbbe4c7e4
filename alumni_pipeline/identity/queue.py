"""The stewards' review queue: of the pairs clustering left apart that are worth a look, those the
evidence already settles are set aside, and what remains is grouped by the person it concerns, one
line per undecided person, the decisions that settle most records and reach the most visible persons
first.

A pair is settled when what the records (or a steward) say decides it, whatever a steward would answer:

- `persons_must_stay_apart`: its two persons cannot be one, by the rule clustering keeps. Two valid
  ID numbers or a steward's cannot-link between any of their records settle every pair of them; a
  soft conflict (two registries' birth dates that conflict, a hard-negative pair such as two
  programmes at once) settles the pairs whose score would not have linked them anyway (below the
  link threshold). Where the score alone would link and a soft conflict forbids it, the records
  contradict each other, and a person must look.
- `decided`: a steward already decided a pair of these two persons (any of their records).
- `same_question`: another pair of the same two persons asks it (one decision answers both).

Two records of one valid ID number left apart (`same_id_apart`) are never settled silently: one
number, two alumni, always reaches a person, first. Nothing here reads where a row sits or which
file it came from; nothing changes which records link.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from dataclasses import dataclass

import pandas as pd

from .clustering import _any_conflict

SAME_ID_APART = "same_id_apart"
_PERSONS_DDL = """person_number bigint, cluster_key varchar, candidates varchar[], records_settled bigint,
    on_wall boolean, units bigint, reason varchar, best_weight double, left_id varchar, right_id varchar"""
REASON_RANK = {SAME_ID_APART: 0, "ambiguous": 1, "conflict": 2, "uncertain": 3}


@dataclass(frozen=True)
class Person:
    """What the queue knows of one current person (cluster): its records and what they state."""

    records: int  # how many records the person holds
    id_numbers: frozenset[str] = frozenset()  # valid ID numbers
    birth_dates: frozenset[str] = frozenset()  # registries' day-precise birth dates
    on_wall: bool = False  # holds a programme (a row on the alumni wall)
    units: frozenset[str] = frozenset()  # units whose export shows the person


def two_id_numbers(a: Person, b: Person) -> bool:
    """Whether two persons hold two valid ID numbers between them: never one person."""
    return len(a.id_numbers | b.id_numbers) > 1


def births_conflict(a: Person, b: Person) -> bool:
    """Whether two persons hold registries' birth dates that conflict (`clustering._Sets.apart`)."""
    return _any_conflict(set(a.birth_dates), set(b.birth_dates))


def settle(
    pairs: pd.DataFrame,
    cluster_of: dict[str, str],
    persons: dict[str, Person],
    conflicts: set[tuple[str, str]],
    decisions: dict[tuple[str, str], str],
    link_from: float,
) -> pd.Series:
    """Why each candidate pair (left_id, right_id, reason, match_weight) needs no steward, or None
    when it does.

    `cluster_of` maps record ids to their person (cluster key); `conflicts` holds the record pairs
    that are hard negatives, `decisions` the record pairs a steward decided (must_link, cannot_link);
    `link_from` is the score from which a pair links by itself."""

    def by_person(record_pairs):
        return {_ordered(cluster_of[a], cluster_of[b]) for a, b in record_pairs if a in cluster_of and b in cluster_of}

    soft = by_person(conflicts)
    cannot = by_person(p for p, d in decisions.items() if d == "cannot_link")
    decided = by_person(decisions)
    why = []
    for left, right, reason, weight in zip(pairs.left_id, pairs.right_id, pairs.reason, pairs.match_weight):
        cl, cr = cluster_of[left], cluster_of[right]
        key = _ordered(cl, cr)
        if reason == SAME_ID_APART:
            why.append(None)
        elif cl == cr:
            why.append("same_person")
        elif key in decided:
            why.append("decided")
        elif (
            key in cannot
            or two_id_numbers(persons[cl], persons[cr])
            or (weight < link_from and (key in soft or births_conflict(persons[cl], persons[cr])))
        ):
            why.append("persons_must_stay_apart")
        else:
            why.append(None)
    return pd.Series(why, index=pairs.index, dtype=object)


def group_by_person(
    pairs: pd.DataFrame, cluster_of: dict[str, str], persons: dict[str, Person]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The pairs a steward must see (left_id, right_id, reason, match_weight), grouped by the person
    each concerns, one line per person. Returns the pairs with `person_number` and `candidate` (1 the
    strongest; pairs of the same two persons after the first are `same_question`, candidate 0), and
    the persons: `person_number`, `cluster_key`, `candidates` (cluster keys, strongest first),
    `records_settled` (records of the person and its candidates), `on_wall`, `units`, `reason`,
    `best_weight`, and the strongest pair's `left_id` (the person's record) and `right_id`.

    The person of a line is the one with most open questions (ties: fewer records, the one whose
    place is in doubt, then its key); its candidates are the persons those questions name. Lines are
    ordered: one ID number, two alumni first, then by records settled, on the wall, units reached,
    and the strongest score."""
    pairs = pairs.assign(
        _cl=[cluster_of[r] for r in pairs.left_id],
        _cr=[cluster_of[r] for r in pairs.right_id],
        _rank=[REASON_RANK.get(r, 9) for r in pairs.reason],
    ).sort_values(["_rank", "match_weight", "left_id", "right_id"], ascending=[True, False, True, True])
    pairs["_key"] = [_ordered(a, b) for a, b in zip(pairs._cl, pairs._cr)]
    first = ~pairs._key.duplicated()
    questions = pairs[first]  # one per pair of persons, its strongest pair
    open_edges: dict[str, dict[str, int]] = defaultdict(dict)  # person -> other person -> row index
    for idx, a, b in zip(questions.index, questions._cl, questions._cr):
        open_edges[a][b] = idx
        open_edges[b][a] = idx
    lines = []

    def priority(c: str) -> tuple[int, int, str]:  # most open questions, fewer records, then the key
        return (-len(open_edges[c]), persons[c].records, c)

    # the person to take next, from a heap: an entry is stale once its person lost a question or left
    heap = [priority(c) for c in open_edges]
    heapq.heapify(heap)
    while heap:
        entry = heapq.heappop(heap)
        subject = entry[2]
        if subject not in open_edges or entry != priority(subject):
            continue
        rows = sorted(
            open_edges.pop(subject).values(), key=lambda i: (pairs.at[i, "_rank"], -pairs.at[i, "match_weight"])
        )
        for i in rows:
            other = pairs.at[i, "_cr"] if pairs.at[i, "_cl"] == subject else pairs.at[i, "_cl"]
            open_edges[other].pop(subject, None)
            if open_edges[other]:
                heapq.heappush(heap, priority(other))
            else:
                del open_edges[other]
        lines.append((subject, rows))
    persons_rows, numbering = [], {}
    for subject, rows in lines:
        candidates = [pairs.at[i, "_cr"] if pairs.at[i, "_cl"] == subject else pairs.at[i, "_cl"] for i in rows]
        involved = [persons[c] for c in (subject, *candidates)]
        best = rows[0]
        mine_left = pairs.at[best, "_cl"] == subject
        persons_rows.append(
            {
                "cluster_key": subject,
                "candidates": candidates,
                "records_settled": sum(p.records for p in involved),
                "on_wall": any(p.on_wall for p in involved),
                "units": len(frozenset().union(*(p.units for p in involved))),
                "reason": pairs.at[best, "reason"],
                "best_weight": float(pairs.at[best, "match_weight"]),
                "left_id": pairs.at[best, "left_id"] if mine_left else pairs.at[best, "right_id"],
                "right_id": pairs.at[best, "right_id"] if mine_left else pairs.at[best, "left_id"],
                "_rows": rows,
            }
        )
    lines_frame = pd.DataFrame(
        persons_rows,
        columns=[
            "cluster_key",
            "candidates",
            "records_settled",
            "on_wall",
            "units",
            "reason",
            "best_weight",
            "left_id",
            "right_id",
            "_rows",
        ],
    )
    lines_frame["_later"] = lines_frame.reason.map(lambda r: r != SAME_ID_APART)
    lines_frame = lines_frame.sort_values(
        ["_later", "records_settled", "on_wall", "units", "best_weight", "cluster_key"],
        ascending=[True, False, False, False, False, True],
    ).reset_index(drop=True)
    lines_frame.insert(0, "person_number", range(1, len(lines_frame) + 1))
    for number, rows in zip(lines_frame.person_number, lines_frame._rows):
        for rank, i in enumerate(rows, 1):
            numbering[i] = (number, rank)
    by_key = {pairs.at[i, "_key"]: numbering[i] for i in numbering}
    pairs["person_number"] = pd.array([by_key[k][0] for k in pairs._key], dtype="int64")
    pairs["candidate"] = pd.array([numbering[i][1] if i in numbering else 0 for i in pairs.index], dtype="int64")
    subject_of = dict(zip(lines_frame.person_number, lines_frame.cluster_key))
    on_left = [subject_of[n] == c for n, c in zip(pairs.person_number, pairs._cl)]
    pairs["subject_id"] = pairs.left_id.where(on_left, pairs.right_id)  # the person's record
    pairs["candidate_id"] = pairs.right_id.where(on_left, pairs.left_id)
    out = pairs.drop(columns=["_cl", "_cr", "_rank", "_key"])
    return out, lines_frame.drop(columns=["_rows", "_later"])


def _persons(clusters: pd.DataFrame) -> dict[str, Person]:
    """Each person (cluster_key) of `clusters` (record_id, cluster_key, id_number, unit_code, on_wall,
    registry_birth_date) with what its records state."""
    by_person = clusters.groupby("cluster_key")
    records, on_wall = by_person.size().to_dict(), by_person.on_wall.any().to_dict()

    def stated(column: str) -> dict[str, frozenset]:
        values = clusters[["cluster_key", column]].dropna()
        return values.groupby("cluster_key")[column].agg(frozenset).to_dict()

    ids, births, units = stated("id_number"), stated("registry_birth_date"), stated("unit_code")
    none = frozenset()
    return {
        key: Person(
            records=n,
            id_numbers=ids.get(key, none),
            birth_dates=births.get(key, none),
            on_wall=bool(on_wall[key]),
            units=units.get(key, none),
        )
        for key, n in records.items()
    }


def _ordered(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def write_review_queue(con, same_id: int, two_valid_ids: int, review_from: float, auto_link: float) -> dict[str, int]:
    """The queue of this run from the scored pairs left apart: `identity.review_queue` (the pairs a
    steward must see, with their person and candidate number), `identity.review_persons` (one line
    per undecided person, in the order a steward should take them) and `identity.review_settled`
    (the pairs worth a look that the evidence settled, with why). Returns the counts."""
    candidates = con.sql(f"""
        select
            p.* exclude (outcome, pair_signature, hard_negative, weights_id),
            case when p.id_level = {same_id} then '{SAME_ID_APART}'
                 else coalesce(r.reason, if(p.hard_negative, 'conflict', 'uncertain')) end as reason
        from identity.pair_scores as p
        left join identity.refused_links as r using (left_id, right_id)
        where p.outcome = 'apart'
            and (p.id_level = {same_id} or (p.match_weight >= {review_from} and p.id_level <> {two_valid_ids}))
            -- a conflict is worth a look only where the score said link
            and (r.reason is not null or not p.hard_negative or p.match_weight >= {auto_link} or p.id_level = {same_id})
        order by left_id, right_id
    """).df()
    con.register("queue_candidates", candidates[["left_id", "right_id"]])
    involved = "(select left_id as record_id from queue_candidates union select right_id from queue_candidates)"
    clusters = con.sql(f"""
        with mine as (
            select cluster_key from identity.clusters where record_id in {involved}
        )
        select c.record_id, c.cluster_key, r.id_number, r.unit_code,
               r.education_level is not null or r.grad_year is not null as on_wall,
               case when r.birth_precision = 'day' and r.from_registry then r.birth_date end as registry_birth_date
        from identity.clusters as c
        join matching.int_identity_records as r using (record_id)
        where c.cluster_key in (select cluster_key from mine)
    """).df()
    apart_sql = """
        select left_id, right_id from identity.pair_scores where hard_negative
            and left_id in (select record_id from clusters_involved) and right_id in (select record_id from clusters_involved)
    """
    con.register("clusters_involved", clusters[["record_id"]])
    conflicts = con.sql(apart_sql).fetchall()
    decisions = {(a, b): d for a, b, d in con.sql("select * from identity.applied_decisions").fetchall()}
    con.unregister("clusters_involved")
    con.unregister("queue_candidates")
    cluster_of = dict(zip(clusters.record_id, clusters.cluster_key))
    persons = _persons(clusters)
    candidates["settled_by"] = settle(candidates, cluster_of, persons, conflicts, decisions, auto_link)
    open_pairs = candidates[candidates.settled_by.isna()].drop(columns=["settled_by"])
    queue, lines = group_by_person(open_pairs, cluster_of, persons)
    same_question = queue[queue.candidate == 0].assign(settled_by="same_question")
    queue = queue[queue.candidate > 0].sort_values(["person_number", "candidate"])
    queue.insert(0, "pair_number", range(1, len(queue) + 1))
    settled = pd.concat(
        [candidates[candidates.settled_by.notna()], same_question.drop(columns=["person_number", "candidate"])],
        ignore_index=True,
    )[["left_id", "right_id", "reason", "match_weight", "settled_by"]]
    lines["candidates"] = lines.candidates.map(list)
    for table, frame in (("review_queue", queue), ("review_persons", lines), ("review_settled", settled)):
        if frame.empty:  # typed, so that an empty table still joins on text ids
            frame = frame.astype({c: "string" for c in frame.columns if frame[c].dtype == object})
        con.register("incoming_queue", frame)
        con.execute(f"create or replace table identity.{table} as select * from incoming_queue")
        con.unregister("incoming_queue")
    if lines.empty:
        con.execute(f"create or replace table identity.review_persons ({_PERSONS_DDL})")
    return {"review_queue": len(queue), "review_persons": len(lines), "review_settled": len(settled)}
