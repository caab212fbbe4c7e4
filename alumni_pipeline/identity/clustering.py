"""Clustering scored pairs into persons, and keeping each person's alumni_id stable across runs.

Pairs are joined strongest first; a join is refused when it would put two different valid ID numbers,
two registries' birth dates that conflict (or two records a steward said are different people) into
one person, so no chain of weaker links can merge two people that the records themselves tell apart,
even when those two records were never compared as a pair.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..progress import progress
from .typos import dates_close


def _any_conflict(left: set[str], right: set[str]) -> bool:
    """Whether two sets of registry birth dates hold two that cannot be one person's: not close, the
    rule the birth comparison's conflict level reads in SQL too (identity/comparisons.py)."""
    return any(not dates_close(a, b) for a in left for b in right)


class _Sets:
    """Union-find whose roots carry the valid ID numbers, registry birth dates and cannot-link marks
    of their members. A record alone, with none of them, costs one dict entry: a million records stay
    small."""

    def __init__(
        self,
        keys: Iterable[str],
        ids: dict[str, str],
        cannot: dict[str, set[str]],
        births: dict[str, str] | None = None,
    ):
        self.parent = {k: k for k in keys}
        self.ids = {k: {ids[k]} for k in self.parent if ids.get(k)}
        self.births = {k: {d} for k, d in (births or {}).items() if k in self.parent}
        self.cannot = {k: set(v) for k, v in cannot.items() if k in self.parent}
        self.members: dict[str, set[str]] = {}  # of roots with more than one member

    def find(self, k: str) -> str:
        root = k
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[k] != root:
            self.parent[k], k = root, self.parent[k]
        return root

    def _members(self, root: str) -> set[str]:
        return self.members.get(root) or {root}

    def apart(self, a: str, b: str) -> bool:
        """Whether the persons of a and b must stay apart: two valid ID numbers, two birth dates that
        conflict, or a cannot-link."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        ids_a, ids_b = self.ids.get(ra, _NONE), self.ids.get(rb, _NONE)
        cannot_a, cannot_b = self.cannot.get(ra), self.cannot.get(rb)
        return (
            (len(ids_a) + len(ids_b) > 1 and len(ids_a | ids_b) > 1)
            or (ra in self.births and rb in self.births and _any_conflict(self.births[ra], self.births[rb]))
            or (cannot_a is not None and not cannot_a.isdisjoint(self._members(rb)))
            or (cannot_b is not None and not cannot_b.isdisjoint(self._members(ra)))
        )

    def union(self, a: str, b: str, force: bool = False) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if not force and self.apart(a, b):
            return False
        if len(self._members(ra)) < len(self._members(rb)):
            ra, rb = rb, ra
        self.parent[rb] = ra
        for marks in (self.ids, self.births, self.cannot):
            if rb in marks:
                marks.setdefault(ra, set()).update(marks.pop(rb))
        self.members.setdefault(ra, {ra}).update(self.members.pop(rb, (rb,)))
        return True


_NONE: frozenset = frozenset()


@dataclass(frozen=True)
class Link:
    left: str
    right: str
    score: float


def cluster(
    keys: Sequence[str],
    links: Iterable[Link],
    valid_ids: dict[str, str],
    must_link: Iterable[tuple[str, str]] = (),
    cannot_link: Iterable[tuple[str, str]] = (),
    margin: float = 2.0,
    birth_dates: dict[str, str] | None = None,
) -> tuple[dict[str, str], list[tuple[Link, str]]]:
    """Group record keys into persons. Returns {record_key: cluster_key} (a cluster is named by its
    smallest record key) and the links refused, each with why: 'conflict' when it would join people
    who must stay apart, 'ambiguous' when one of its records links almost as well (within `margin`)
    to someone who must stay apart from the other side, so the evidence cannot tell which person it
    belongs to. Both go to the stewards' review queue instead.

    `birth_dates` are the registries' day-precise birth dates (not those a unit update typed): a
    person holds no two that conflict.

    A link only ever joins the records it connects, so each connected part of the links is clustered
    on its own. A part with nothing in it that must stay apart (at most one valid ID number, no
    conflicting birth dates, no cannot-link inside, no steward's decision) is one person as it stands;
    only the others are joined link by link, strongest first."""
    birth_dates = birth_dates or {}
    links, must_link, cannot_link = list(links), list(must_link), list(cannot_link)
    parts = _Sets(keys, {}, {})
    pairs = [*((link.left, link.right) for link in links), *must_link]
    for a, b in progress(pairs, "finding connected parts", "links"):
        if a in parts.parent and b in parts.parent:
            parts.union(a, b, force=True)
    careful = {parts.find(a) for a, b in must_link if a in parts.parent}
    careful |= {
        parts.find(a)
        for a, b in cannot_link
        if a in parts.parent and b in parts.parent and parts.find(a) == parts.find(b)
    }
    ids: dict[str, set[str]] = defaultdict(set)
    for k, number in valid_ids.items():
        if k in parts.parent:
            ids[parts.find(k)].add(number)
    careful |= {root for root, numbers in ids.items() if len(numbers) > 1}
    births: dict[str, set[str]] = defaultdict(set)
    for k, day in birth_dates.items():
        if k in parts.parent:
            births[parts.find(k)].add(day)
    careful |= {root for root, days in births.items() if len(days) > 1 and _any_conflict(days, days)}
    groups: dict[str, list[str]] = defaultdict(list)
    for k in parts.parent:
        groups[parts.find(k)].append(k)
    result = {k: min(members) for root, members in groups.items() if root not in careful for k in members}
    hard = {k for root in careful for k in groups[root]}
    joined, refused = _join_link_by_link(
        [k for k in parts.parent if k in hard],
        [link for link in links if link.left in hard],
        valid_ids,
        [(a, b) for a, b in must_link if a in hard],
        [(a, b) for a, b in cannot_link if a in hard and b in hard],
        margin,
        {k: day for k, day in birth_dates.items() if k in hard},
    )
    return result | joined, refused


def _join_link_by_link(
    keys: list[str],
    links: list[Link],
    valid_ids: dict[str, str],
    must_link: list[tuple[str, str]],
    cannot_link: list[tuple[str, str]],
    margin: float,
    birth_dates: dict[str, str],
) -> tuple[dict[str, str], list[tuple[Link, str]]]:
    cannot: dict[str, set[str]] = defaultdict(set)
    for a, b in cannot_link:
        cannot[a].add(b)
        cannot[b].add(a)
    sets = _Sets(keys, valid_ids, cannot, birth_dates)
    for a, b in must_link:  # a steward's word beats the matcher, but not a cannot-link
        if a in sets.parent and b in sets.parent and not (cannot[a] & {b}):
            sets.union(a, b, force=True)
    links = sorted(links, key=lambda link: (-link.score, link.left, link.right))
    near: dict[str, list[Link]] = defaultdict(list)
    for link in links:
        near[link.left].append(link)
        near[link.right].append(link)
    refused = []
    for link in links:
        if sets.apart(link.left, link.right):
            refused.append((link, "conflict"))
        elif _ambiguous(link, near, sets, margin):
            refused.append((link, "ambiguous"))
        else:
            sets.union(link.left, link.right)
    groups: dict[str, list[str]] = defaultdict(list)
    for k in sets.parent:
        groups[sets.find(k)].append(k)
    return {k: min(members) for members in groups.values() for k in members}, refused


def _ambiguous(link: Link, near: dict[str, list[Link]], sets: _Sets, margin: float) -> bool:
    for end, other in ((link.left, link.right), (link.right, link.left)):
        for rival in near[end]:
            if rival.score < link.score - margin:
                break
            third = rival.right if rival.left == end else rival.left
            if rival is not link and sets.apart(third, other):
                return True
    return False


@dataclass(frozen=True)
class IdChange:
    alumni_id: str
    event: str  # new | kept | merged_into | split_from
    other: str | None = None


def assign_ids(
    clusters: dict[str, str], previous: dict[str, str], next_number: int, prefix: str = "LZU"
) -> tuple[dict[str, str], list[IdChange], int]:
    """Give every cluster an alumni_id that outlives runs.

    `previous` maps record keys to the alumni_id they had. A cluster keeps the id most of its earlier
    records had; when clusters merge, the oldest id (lowest number) survives and the others become
    aliases; when a cluster splits, the largest part keeps the id and the rest get new ones.
    """
    members: dict[str, list[str]] = defaultdict(list)
    for key, c in clusters.items():
        members[c].append(key)
    claims: dict[str, list[tuple[int, str]]] = defaultdict(list)  # old id -> [(records carried, cluster)]
    votes: dict[str, Counter] = {}
    for c, keys in members.items():
        votes[c] = Counter(previous[k] for k in keys if k in previous)
        for old, n in votes[c].items():
            claims[old].append((n, c))
    owner = {old: max(cs, key=lambda t: (t[0], len(members[t[1]]), t[1]))[1] for old, cs in claims.items()}
    result: dict[str, str] = {}
    changes: list[IdChange] = []
    for c in sorted(members):
        mine = sorted((old for old in votes[c] if owner[old] == c), key=_number)
        if mine:
            alumni_id = mine[0]
            changes.append(IdChange(alumni_id, "kept"))
            changes += [IdChange(old, "merged_into", alumni_id) for old in mine[1:]]
        else:
            alumni_id = f"{prefix}{next_number:08d}"
            next_number += 1
            split_from = sorted(votes[c], key=_number)
            changes.append(
                IdChange(alumni_id, "split_from" if split_from else "new", split_from[0] if split_from else None)
            )
        for key in members[c]:
            result[key] = alumni_id
    return result, changes, next_number


def _number(alumni_id: str) -> int:
    digits = "".join(ch for ch in alumni_id if ch.isdigit())
    return int(digits) if digits else 0


def parts_reaching(seeds: Iterable[str], edges: Iterable[tuple[str, str]]) -> set[str]:
    """Every record in a connected part of `edges` that holds one of `seeds` (and the seeds)."""
    near: dict[str, list[str]] = defaultdict(list)
    for a, b in edges:
        near[a].append(b)
        near[b].append(a)
    seen = set(seeds)
    stack = list(seen)
    while stack:
        for other in near.get(stack.pop(), ()):
            if other not in seen:
                seen.add(other)
                stack.append(other)
    return seen
