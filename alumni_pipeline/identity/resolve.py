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

from .clustering import Link, assign_ids, cluster, parts_reaching
from .comparisons import SPEC, Spec
from .fellegi_sunter import Model
from .queue import write_review_queue as _write_queue
from .weights import _levels, weights_for_run

AUTO_LINK = 3.0  # match weight (log2 odds) from which a pair is linked without a steward (p ≈ 0.89)
REVIEW_FROM = 0.0  # uncertain pairs from here (p ≥ 0.5) up to AUTO_LINK go to the stewards' queue
MARGIN = 1.0  # a record linking to two people who must stay apart, within this weight, is ambiguous
ID_PREFIX = "LZU"
SAME_ID, TWO_VALID_IDS = SPEC["id"].value("same valid number"), SPEC["id"].value("two valid numbers")

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
alter table identity.runs add column if not exists weights_id varchar;
alter table identity.runs add column if not exists weights_fitted varchar;
alter table identity.runs add column if not exists mode varchar;
alter table identity.runs add column if not exists pairs_scored integer;
alter table identity.runs add column if not exists records_reclustered integer;
alter table identity.runs add column if not exists review_persons integer;
alter table identity.runs add column if not exists review_settled integer;
create table if not exists identity.refused_links (left_id varchar, right_id varchar, reason varchar);
create table if not exists identity.applied_decisions (left_id varchar, right_id varchar, decision varchar);
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
    review_queue: int  # pairs a steward must see (identity.review_queue)
    prior: float
    weights_id: str  # the weight set the pairs were scored with (identity.weight_sets)
    weights_fitted: str  # why this run estimated new weights; empty when it kept them
    mode: str  # full | incremental
    pairs_scored: int
    records_reclustered: int
    review_persons: int  # lines of the queue: undecided persons (identity.review_persons)
    review_settled: int  # pairs worth a look that the evidence settled (identity.review_settled)


def score_pairs(model: Model, pairs: pd.DataFrame, records: int, spec: Spec = SPEC) -> pd.DataFrame:
    """Each pair's match weight and the part every comparison contributes to it; at the spec's
    term-frequency levels (agreeing names) the weight is the value's own: the share of the records
    that carry it (`<comparison>_count` of `records`, the records the weights were estimated on) stands
    for u.

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
            freq = np.maximum(pairs[f"{c.name}_count"].to_numpy(dtype=float), 1.0) / max(records, 1)
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
    must, cannot = [], []
    rows = con.sql(
        "select left_ref, right_ref, decision from identity.steward_decisions "
        "qualify row_number() over (partition by least(left_ref, right_ref), greatest(left_ref, right_ref) "
        "order by recorded_at desc) = 1"
    ).fetchall()
    if not rows:
        return must, cannot
    named = {ref for left, right, _ in rows for ref in (left, right)}
    by_key = {k: rid for rid, k in key_of.items()}
    by_alumni: dict[str, list[str]] = {}
    for key, alumni_id in sorted((k, a) for k, a in registry.items() if a in named):
        if key in by_key:
            by_alumni.setdefault(alumni_id, []).append(by_key[key])
    for left, right, decision in rows:
        lefts = by_alumni.get(left) or ([by_key[left]] if left in by_key else [])
        rights = by_alumni.get(right) or ([by_key[right]] if right in by_key else [])
        pairs = [(a, b) for a in lefts for b in rights if a != b]
        (must if decision == "must_link" else cannot).extend(pairs[:1] if decision == "must_link" else pairs)
    return must, cannot


def resolve(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    decisions: pd.DataFrame | None = None,
    full: bool = False,
    refit: bool = False,
) -> Summary:
    """One identity run, in one transaction: a failed run leaves the last one's results in place.

    Incremental unless `full` (or the last run's results cannot be carried forward: other weights, or
    none yet): only pairs that are new or whose comparison levels changed are scored, and only the
    connected parts of the links that hold a record that is new, changed or gone, a re-scored pair or a
    changed steward's decision are clustered again. Clustering treats each connected part on its own,
    so everyone else keeps the person, and the alumni_id, that a full rebuild with the same weights
    gives them."""
    now = dt.datetime.now()
    con.execute(_DDL)
    if decisions is not None and len(decisions):  # each decision is recorded once, and kept
        con.register("incoming_decisions", decisions.assign(recorded_at=now))
        con.execute("""insert into identity.steward_decisions by name
            select * from incoming_decisions as d where not exists (
                select 1 from identity.steward_decisions as s
                where (s.left_ref, s.right_ref, s.decision, s.origin) = (d.left_ref, d.right_ref, d.decision, d.origin))""")
        con.unregister("incoming_decisions")
    con.begin()
    try:
        summary = _resolve(con, run_id, now, full, refit)
    except BaseException:
        con.rollback()
        raise
    con.commit()
    return summary


def _resolve(con, run_id: str, now: dt.datetime, full: bool, refit: bool) -> Summary:
    weights = weights_for_run(con, run_id, now, refit)
    incremental = not full and _carried_forward(con, weights.weights_id)
    # a record's signature leaves out how many records carry its name: that counts only through the
    # scores of its pairs, whose signatures hold it (int_pair_comparisons.name_count)
    records = con.sql("""select record_id, record_key, id_number,
        case when birth_precision = 'day' and from_registry then birth_date end as registry_birth_date,
        hash(r) as record_signature
        from (select * exclude (name_count) from matching.int_identity_records) as r""").df()
    con.register("current_records", records[["record_id", "record_signature"]])
    con.execute(  # a view: the pairs are read a slice at a time, never held in memory together
        "create or replace temp view current_pairs as "
        "select *, hash(p) as pair_signature from ("
        "select * exclude (left_hash, right_hash) from matching.int_pair_comparisons) as p"
    )
    key_of = dict(zip(records.record_id, records.record_key))
    registry = dict(con.sql("select record_key, alumni_id from identity.alumni_id_registry").fetchall())
    must, cannot = read_decisions(con, registry, key_of)
    applied = pd.DataFrame(
        [(a, b, "must_link") for a, b in must] + [(a, b, "cannot_link") for a, b in cannot],
        columns=["left_id", "right_id", "decision"],
    )
    if incremental:
        con.execute(
            "create or replace temp table changed_pairs as "
            "select * from current_pairs anti join identity.pair_scores using (left_id, right_id, pair_signature)"
        )
        con.execute("""delete from identity.pair_scores as p where not exists (
            select 1 from current_pairs as c
            where c.left_id = p.left_id and c.right_id = p.right_id and c.pair_signature = p.pair_signature)
            returning left_id, right_id""")
        gone = con.fetchall()
        moved = con.sql(
            "select record_id from current_records anti join identity.clusters using (record_id, record_signature)"
        ).fetchall()
        before = set(con.sql("select left_id, right_id, decision from identity.applied_decisions").fetchall())
        redecided = before ^ set(applied.itertuples(index=False, name=None))
        ends = con.sql("select left_id from changed_pairs union select right_id from changed_pairs").fetchall()
        seeds = {r for (r,) in ends} | {r for pair in gone for r in pair} | {r for (r,) in moved}
        seeds |= {r for a, b, _ in redecided for r in (a, b)}
    pairs_scored = _score_in_slices(con, weights, "changed_pairs" if incremental else "current_pairs", incremental)
    strong = f"match_weight >= {AUTO_LINK} and not hard_negative"
    if incremental:
        edges = con.sql(f"select left_id, right_id from identity.pair_scores where {strong}").fetchall()
        touched = parts_reaching(seeds, [*edges, *must]) & set(key_of)
    else:
        touched = set(key_of)
    mine = records[records.record_id.isin(touched)]
    con.register("touched", mine[["record_id"]])
    inside = "semi join touched as t on p.left_id = t.record_id"
    links = con.sql(
        f"select left_id, right_id, match_weight from identity.pair_scores as p {inside} where {strong}"
    ).fetchall()
    conflicts = con.sql(
        f"select left_id, right_id from identity.pair_scores as p {inside} where hard_negative"
    ).fetchall()
    groups, refused = cluster(
        list(mine.record_id),
        [Link(a, b, w) for a, b, w in links],
        {r: i for r, i in zip(mine.record_id, mine.id_number) if isinstance(i, str)},
        must_link=[(a, b) for a, b in must if a in touched],
        cannot_link=[*conflicts, *((a, b) for a, b in cannot if a in touched and b in touched)],
        margin=MARGIN,
        birth_dates={r: d for r, d in zip(mine.record_id, mine.registry_birth_date) if isinstance(d, str)},
    )
    (numbers,) = con.sql("""select max(try_cast(regexp_extract(alumni_id, '[0-9]+') as bigint)) from (
        select alumni_id from identity.alumni_id_registry union all select alias_id from identity.alumni_id_aliases)""").fetchone()
    by_key = {key_of[r]: key_of[c] for r, c in groups.items()}
    ids, changes, _ = assign_ids(
        by_key, {k: registry[k] for k in by_key if k in registry}, (numbers or 0) + 1, ID_PREFIX
    )
    same_id = con.sql(
        f"select left_id, right_id from identity.pair_scores as p {inside} where id_level = {SAME_ID}"
    ).fetchall()
    clusters = _clusters(run_id, mine, groups, ids, same_id, must)
    _write_clusters(con, clusters, incremental)
    _write_ids(con, run_id, now, clusters, changes)
    outcome_of = (
        ""
        if not incremental
        else "and (p.left_id in (select record_id from touched) or p.right_id in (select record_id from touched))"
    )
    con.execute(f"""update identity.pair_scores as p set outcome = if(l.cluster_key = r.cluster_key, 'same_person', 'apart')
        from identity.clusters as l, identity.clusters as r
        where l.record_id = p.left_id and r.record_id = p.right_id {outcome_of}""")
    con.execute("delete from identity.refused_links where left_id in (select record_id from touched)")
    con.execute("delete from identity.refused_links where left_id not in (select record_id from current_records)")
    con.register(
        "refused",
        pd.DataFrame([(x.left, x.right, why) for x, why in refused], columns=["left_id", "right_id", "reason"]),
    )
    con.execute("insert into identity.refused_links by name select * from refused")
    con.register("applied", applied)
    con.execute("delete from identity.applied_decisions")
    con.execute("insert into identity.applied_decisions by name select * from applied")
    weights_table = weights.model.weights().assign(
        prior=weights.model.prior, run_id=run_id, weights_id=weights.weights_id
    )
    _replace(con, "identity.comparison_weights", weights_table)
    queue = write_review_queue(con)
    for name in ("current_records", "touched", "refused", "applied"):
        con.unregister(name)
    con.execute("drop table if exists changed_pairs; drop view current_pairs")

    def count(sql: str) -> int:
        return con.sql(sql).fetchone()[0]

    summary = Summary(
        records=len(records),
        candidate_pairs=count("select count(*) from identity.pair_scores"),
        links=count(f"select count(*) from identity.pair_scores where {strong}"),
        persons=count("select count(distinct alumni_id) from identity.clusters"),
        new_ids=sum(c.event == "new" for c in changes),
        merges=sum(c.event == "merged_into" for c in changes),
        splits=sum(c.event == "split_from" for c in changes),
        review_queue=queue["review_queue"],
        prior=weights.model.prior,
        weights_id=weights.weights_id,
        weights_fitted=weights.reason if weights.fitted_now else "",
        mode="incremental" if incremental else "full",
        pairs_scored=pairs_scored,
        records_reclustered=len(mine),
        review_persons=queue["review_persons"],
        review_settled=queue["review_settled"],
    )
    con.register("summary", pd.DataFrame([{"run_id": run_id, "recorded_at": now, **vars(summary)}]))
    con.execute("insert into identity.runs by name select * from summary")
    con.unregister("summary")
    return summary


def _carried_forward(con, weights_id: str) -> bool:
    """Whether the last run's scores and clusters can be kept: written in this layout, with these weights."""
    have = set(
        con.sql("""select table_name || '.' || column_name from information_schema.columns
        where table_schema = 'identity'""").fetchall()
    )
    need = {"pair_scores.pair_signature", "pair_scores.weights_id", "clusters.cluster_key", "clusters.record_signature"}
    if not {(n,) for n in need} <= have:
        return False
    return not con.sql(
        "select 1 from identity.pair_scores where weights_id <> ? limit 1", params=[weights_id]
    ).fetchone()


PAIRS_PER_SLICE = 500_000  # pairs scored at once: memory stays flat whatever the pairs (about 0.5 GB)


def _score_in_slices(con, weights, table: str, incremental: bool) -> int:
    """Score the pairs of `table` a slice at a time into identity.pair_scores (replaced by the first
    slice in a full run, added to in an incremental one): the pairs of a million records do not sit
    in memory at once. Returns how many pairs were scored."""
    (total,) = con.sql(f"select count(*) from {table}").fetchone()
    slices = max(1, -(-total // PAIRS_PER_SLICE))
    for i in range(slices):
        pairs = con.sql(f"select * from {table} where hash(left_id, right_id) % {slices} = {i}").df()
        scored = score_pairs(weights.model, pairs, weights.records)
        scored["hard_negative"] = hard_negative(scored).to_numpy(dtype=bool)
        scored["pair_signature"] = pairs.pair_signature.to_numpy()
        scored["weights_id"] = weights.weights_id
        scored["outcome"] = "apart"
        if scored.empty:  # typed, so that an empty table still joins on text ids
            text = ("left_id", "right_id", "blocking_rule", "weights_id", "outcome")
            scored = scored.astype({c: "string" for c in text})
        (_insert if i or incremental else _replace)(con, "identity.pair_scores", scored)
    return total


def _clusters(run_id, mine: pd.DataFrame, groups, ids, same_id, must) -> pd.DataFrame:
    """The touched records' rows of identity.clusters: alumni_id, the size of their person and how
    they were matched."""
    steward = {r for pair in must for r in pair}
    by_id_number = {r for a, b in same_id if groups.get(a) == groups.get(b) for r in (a, b)}
    sizes = pd.Series(list(groups.values())).value_counts()
    clusters = pd.DataFrame(
        {
            "record_id": mine.record_id.to_numpy(),
            "record_key": mine.record_key.to_numpy(),
            "alumni_id": [ids[k] for k in mine.record_key],
            "cluster_size": [int(sizes[groups[r]]) for r in mine.record_id],
        }
    )
    clusters["match_method"] = [
        "steward" if r in steward else "id_number" if r in by_id_number else "score" if n > 1 else "single"
        for r, n in zip(clusters.record_id, clusters.cluster_size)
    ]
    clusters["run_id"] = run_id
    clusters["cluster_key"] = [groups[r] for r in mine.record_id]
    clusters["record_signature"] = mine.record_signature.to_numpy()
    return clusters


def _write_clusters(con, clusters: pd.DataFrame, incremental: bool) -> None:
    if not incremental:
        _replace(con, "identity.clusters", clusters)
        return
    con.register("reclustered", clusters)
    con.execute("""delete from identity.clusters as o
        where not exists (select 1 from current_records as c
                          where c.record_id = o.record_id and c.record_signature = o.record_signature)
           or o.record_id in (select record_id from reclustered)""")
    con.execute("insert into identity.clusters by name select * from reclustered")
    con.unregister("reclustered")


def _replace(con, table: str, frame: pd.DataFrame) -> None:
    con.execute(f"create or replace table {table} as select * from frame")  # `frame` by name: see _insert


def _insert(con, table: str, frame: pd.DataFrame) -> None:
    """Add a frame's rows to a table. DuckDB finds `frame` by its name in this function (a replacement
    scan): a frame registered with `con.register` stays in memory until the transaction ends, even
    once unregistered, and a full run writes its millions of pairs a slice at a time."""
    con.execute(f"insert into {table} by name select * from frame")


def _write_ids(con, run_id, now, clusters: pd.DataFrame, changes) -> None:
    """The reclustered records' alumni_ids into the registry, and what happened to ids: new, merged
    (the other becomes an alias), split."""
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


def write_review_queue(con) -> dict[str, int]:
    """The stewards' queue from the scored pairs left apart (identity/queue.py): two records of one
    valid ID number, refused links (conflict or ambiguous) and uncertain pairs, less those the
    evidence or a steward settles, one line per undecided person."""
    return _write_queue(con, SAME_ID, TWO_VALID_IDS, REVIEW_FROM, AUTO_LINK)
