"""Identity resolution over the matching models dbt built (schema `matching`): estimate the weights,
score every candidate pair, honour stewards' decisions, cluster records into persons, and keep each
person's alumni_id in a registry that outlives runs. Everything it writes is in schema `identity`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from .clustering import Link, assign_ids, cluster
from .comparisons import SPEC, Spec
from .fellegi_sunter import Model, estimate

AUTO_LINK = 3.0  # match weight (log2 odds) from which a pair is linked without a steward (p ≈ 0.89)
REVIEW_FROM = 0.0  # uncertain pairs from here (p ≥ 0.5) up to AUTO_LINK go to the stewards' queue
MARGIN = 1.0  # a record linking to two people who must stay apart, within this weight, is ambiguous
ID_PREFIX = "LZU"
SAME_ID, TWO_VALID_IDS = SPEC["id"].value("same valid number"), SPEC["id"].value("two valid numbers")
MIN_ID_HOLDERS = 100  # records with a valid ID number needed to estimate the prior from them

_DDL = """
create schema if not exists identity;
create table if not exists identity.alumni_id_registry (
    record_key varchar primary key, alumni_id varchar, first_run varchar, last_run varchar);
create table if not exists identity.alumni_id_aliases (alias_id varchar, alumni_id varchar, run_id varchar, recorded_at timestamp);
create table if not exists identity.id_events (run_id varchar, recorded_at timestamp, alumni_id varchar, event varchar, other varchar);
create table if not exists identity.steward_decisions (
    left_ref varchar, right_ref varchar, decision varchar, origin varchar, decided_by varchar, note varchar,
    recorded_at timestamp);
create table if not exists identity.runs (
    run_id varchar, recorded_at timestamp, records integer, candidate_pairs integer, links integer, persons integer,
    new_ids integer, merges integer, splits integer, review_queue integer, prior double);
"""


@dataclass
class Summary:
    records: int
    candidate_pairs: int
    links: int
    persons: int
    new_ids: int
    merges: int
    splits: int
    review_queue: int
    prior: float


def _levels(df: pd.DataFrame) -> pd.DataFrame:
    return df.rename(columns=lambda c: c.removesuffix("_level"))


def fit(con: duckdb.DuckDBPyConnection, spec: Spec = SPEC) -> Model:
    """Weights from this warehouse's records: u from random pairs, m by EM sessions (the levels the
    spec gives no fixed m), and the prior from the share of ID-holding record pairs that hold the same
    number."""
    patterns = _levels(con.sql("select * from matching.int_training_patterns").df())
    sessions = [(patterns[patterns.fixed_comparison == c], {c}) for c in ("name", "birth")]
    random_pairs = _levels(con.sql("select * from matching.int_random_pair_levels").df())
    holders, same = con.sql("""
        select sum(n), sum(n * (n - 1) / 2)
        from (select count(*) as n from matching.int_identity_records where id_number is not null group by id_number)
    """).fetchone()
    holders, same = holders or 0, same or 0
    records = con.sql("select count(*) from matching.int_identity_records").fetchone()[0]
    if holders >= MIN_ID_HOLDERS:
        prior = min(max(same, 1) / (holders * (holders - 1) / 2), 0.5)
    else:  # too few ID numbers to learn from (a guest list): about one other record per person
        prior = 1 / max(records, 2)
    return estimate(sessions, random_pairs, spec.sizes, prior, fixed_m=spec.fixed_m)


def score_pairs(model: Model, pairs: pd.DataFrame, records: int, spec: Spec = SPEC) -> pd.DataFrame:
    """Each pair's match weight and the part every comparison contributes to it; at the spec's
    term-frequency levels (agreeing names) the weight is the value's own: `<comparison>_frequency`,
    how common the value is, stands for u.

    Where the archives list k namesakes in the class two records name, agreeing on name and class
    (and the years: the comparisons that are `class_evidence`) says no more than "one of these k": the
    prior and those parts are replaced by the odds 1/(k-1), and `namesake_weight` is what that takes
    off. Birth date, ID number and contacts still count in full."""
    levels = _levels(pairs)
    out = pairs[["left_id", "right_id", "blocking_rule"]].copy()
    parts = model.parts(levels)
    for c in spec.comparisons:
        tf_values = [lv.value for lv in c.levels if lv.term_frequency]
        if tf_values:
            lv = levels[c.name].to_numpy()
            freq = np.maximum(pairs[f"{c.name}_frequency"].to_numpy(dtype=float), 1.0 / max(records, 1))
            tf = np.log2(model.m[c.name][np.clip(lv, 0, None)] / freq)
            parts[c.name] = np.where(np.isin(lv, tf_values), tf, parts[c.name])
    for c, part in parts.items():
        out[f"{c}_level"] = levels[c].to_numpy()
        out[f"{c}_weight"] = part.round(3)
    namesakes = pairs["class_namesakes"].to_numpy(dtype=float)
    class_said = model.prior_weight() + sum(parts[c.name] for c in spec.comparisons if c.class_evidence)
    out["class_namesakes"] = namesakes.astype(int)
    out["namesake_weight"] = np.where(
        namesakes > 1, np.minimum(-np.log2(np.maximum(namesakes - 1, 1)) - class_said, 0.0), 0.0
    ).round(3)
    total = model.prior_weight() + sum(parts.values()) + out["namesake_weight"].to_numpy()
    out["match_weight"] = total.round(3)
    out["match_probability"] = (1 / (1 + np.power(2.0, -total))).round(6)
    for fact in spec.facts:
        out[fact.name] = pairs[fact.name].to_numpy()
    return out


def hard_negative(scored: pd.DataFrame, spec: Spec = SPEC) -> pd.Series:
    """Pairs that must stay apart whatever their score, from facts the records state, never from where
    a row sits or from a typo (the spec's hard-negative levels and facts, `comparisons.py`)."""
    return spec.hard_negative(scored)


def read_decisions(con, registry: dict[str, str], key_of: dict[str, str]) -> tuple[list, list]:
    """Stewards' must-link and cannot-link decisions as pairs of record ids. A side names a record
    (`source_system/source_file|sheet|row`) or an alumni_id (every record registered under it)."""
    by_key = {k: rid for rid, k in key_of.items()}
    by_alumni: dict[str, list[str]] = {}
    for key, alumni_id in registry.items():
        if key in by_key:
            by_alumni.setdefault(alumni_id, []).append(by_key[key])
    must, cannot = [], []
    rows = con.sql(
        "select left_ref, right_ref, decision from identity.steward_decisions "
        "qualify row_number() over (partition by least(left_ref, right_ref), greatest(left_ref, right_ref) "
        "order by recorded_at desc) = 1"
    ).fetchall()
    for left, right, decision in rows:
        lefts = by_alumni.get(left) or ([by_key[left]] if left in by_key else [])
        rights = by_alumni.get(right) or ([by_key[right]] if right in by_key else [])
        pairs = [(a, b) for a in lefts for b in rights if a != b]
        (must if decision == "must_link" else cannot).extend(pairs[:1] if decision == "must_link" else pairs)
    return must, cannot


def resolve(con: duckdb.DuckDBPyConnection, run_id: str, decisions: pd.DataFrame | None = None) -> Summary:
    """One identity run: fit, score, cluster, assign stable ids, write the identity schema."""
    now = dt.datetime.now()
    con.execute(_DDL)
    if decisions is not None and len(decisions):  # each decision is recorded once, and kept
        con.register("incoming_decisions", decisions.assign(recorded_at=now))
        con.execute("""insert into identity.steward_decisions by name
            select * from incoming_decisions as d where not exists (
                select 1 from identity.steward_decisions as s
                where (s.left_ref, s.right_ref, s.decision, s.origin) = (d.left_ref, d.right_ref, d.decision, d.origin))""")
        con.unregister("incoming_decisions")
    model = fit(con)
    records = con.sql("""select record_id, record_key, id_number,
        case when birth_precision = 'day' and from_registry then birth_date end as registry_birth_date
        from matching.int_identity_records""").df()
    scored = score_pairs(model, con.sql("select * from matching.int_pair_comparisons").df(), len(records))
    negative = hard_negative(scored)
    key_of = dict(zip(records.record_id, records.record_key))
    registry = dict(con.sql("select record_key, alumni_id from identity.alumni_id_registry").fetchall())
    must, cannot = read_decisions(con, registry, key_of)
    strong = scored[(scored.match_weight >= AUTO_LINK) & ~negative]
    links = [Link(a, b, w) for a, b, w in zip(strong.left_id, strong.right_id, strong.match_weight)]
    conflicts = scored[negative]
    valid_ids = {r: i for r, i in zip(records.record_id, records.id_number) if isinstance(i, str)}
    births = {r: d for r, d in zip(records.record_id, records.registry_birth_date) if isinstance(d, str)}
    groups, refused = cluster(
        list(records.record_id),
        links,
        valid_ids,
        must_link=must,
        cannot_link=[*zip(conflicts.left_id, conflicts.right_id), *cannot],
        margin=MARGIN,
        birth_dates=births,
    )
    numbers = con.sql("""select max(try_cast(regexp_extract(alumni_id, '[0-9]+') as bigint)) from (
        select alumni_id from identity.alumni_id_registry union all select alias_id from identity.alumni_id_aliases)""").fetchone()[
        0
    ]
    by_key = {key_of[r]: key_of[c] for r, c in groups.items()}
    ids, changes, _ = assign_ids(
        by_key, {k: registry[k] for k in by_key if k in registry}, (numbers or 0) + 1, ID_PREFIX
    )
    scored["outcome"] = np.where(scored.left_id.map(groups) == scored.right_id.map(groups), "same_person", "apart")
    _write(con, run_id, now, model, scored, records, groups, ids, changes, must)
    queue = _write_review_queue(con, scored, refused, negative, {frozenset(p) for p in [*must, *cannot]})
    summary = Summary(
        len(records),
        len(scored),
        len(links),
        len(set(ids.values())),
        sum(c.event == "new" for c in changes),
        sum(c.event == "merged_into" for c in changes),
        sum(c.event == "split_from" for c in changes),
        queue,
        model.prior,
    )
    con.execute(
        "insert into identity.runs values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [run_id, now, *vars(summary).values()]
    )
    return summary


def _replace(con, table: str, df: pd.DataFrame) -> None:
    con.register("incoming", df)
    con.execute(f"create or replace table {table} as select * from incoming")
    con.unregister("incoming")


def _write(con, run_id, now, model, scored, records, groups, ids, changes, must) -> None:
    weights = model.weights().assign(prior=model.prior, run_id=run_id)
    _replace(con, "identity.comparison_weights", weights)
    _replace(con, "identity.pair_scores", scored)
    steward = {r for pair in must for r in pair}
    same_id = scored[(scored.id_level == SAME_ID) & (scored.outcome == "same_person")]
    by_id_number = set(same_id.left_id) | set(same_id.right_id)
    sizes = pd.Series(list(groups.values())).value_counts()
    clusters = pd.DataFrame(
        {
            "record_id": records.record_id,
            "record_key": records.record_key,
            "alumni_id": [ids[k] for k in records.record_key],
            "cluster_size": [int(sizes[groups[r]]) for r in records.record_id],
        }
    )
    clusters["match_method"] = [
        "steward" if r in steward else "id_number" if r in by_id_number else "score" if n > 1 else "single"
        for r, n in zip(clusters.record_id, clusters.cluster_size)
    ]
    clusters["run_id"] = run_id
    _replace(con, "identity.clusters", clusters)
    con.register("assigned", clusters[["record_key", "alumni_id"]])
    con.execute(
        """
        insert into identity.alumni_id_registry
        select record_key, alumni_id, ?, ? from assigned
        on conflict (record_key) do update set alumni_id = excluded.alumni_id, last_run = excluded.last_run
    """,
        [run_id, run_id],
    )
    con.unregister("assigned")
    events = pd.DataFrame(
        [(run_id, now, c.alumni_id, c.event, c.other) for c in changes if c.event != "kept"],
        columns=["run_id", "recorded_at", "alumni_id", "event", "other"],
    )
    con.register("events", events)
    con.execute("insert into identity.id_events by name select * from events")
    con.execute("""insert into identity.alumni_id_aliases
        select alumni_id, other, run_id, recorded_at from events where event = 'merged_into'""")
    con.unregister("events")


def _write_review_queue(con, scored, refused, negative, decided: set[frozenset]) -> int:
    """Pairs a steward should look at: two records of one valid ID number left apart (first: one
    number, two alumni never passes silently), refused links (conflict or ambiguous) and uncertain
    pairs that were left apart, strongest first."""
    why = {(link.left, link.right): reason for link, reason in refused}
    apart = scored.outcome == "apart"
    same_id = apart & (scored.id_level == SAME_ID)
    # every other pair worth a look scores at least REVIEW_FROM (a refused link at least AUTO_LINK)
    pairs = scored[same_id | apart & (scored.match_weight >= REVIEW_FROM) & (scored.id_level != TWO_VALID_IDS)]
    conflict = negative[pairs.index]
    reason = pd.Series(
        [
            why.get((a, b)) or ("conflict" if neg else "uncertain")
            for a, b, neg in zip(pairs.left_id, pairs.right_id, conflict)
        ],
        index=pairs.index,
    )
    reason[same_id[pairs.index]] = "same_id_apart"
    worth = (reason != "conflict") | (pairs.match_weight >= AUTO_LINK)
    undecided = np.array([frozenset((a, b)) not in decided for a, b in zip(pairs.left_id, pairs.right_id)], dtype=bool)
    queue = pairs.assign(reason=reason)[worth & undecided].drop(columns="outcome")
    queue = (
        queue.assign(first=queue.reason != "same_id_apart")
        .sort_values(["first", "match_weight"], ascending=[True, False])
        .drop(columns="first")
        .reset_index(drop=True)
    )
    queue.insert(0, "pair_number", queue.index + 1)
    _replace(con, "identity.review_queue", queue)
    return len(queue)
