"""Clustering scored pairs into persons, and keeping each person's alumni_id stable across runs.

Pairs are joined strongest first; a join is refused when it would put two different valid ID numbers
(or two records a steward said are different people) into one person, so no chain of weaker links can
merge two people that hold different ID numbers.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Iterable, Sequence


class _Sets:
    """Union-find whose roots carry the valid ID numbers and the cannot-link marks of their members."""

    def __init__(self, keys: Iterable[str], ids: dict[str, str], cannot: dict[str, set[str]]):
        self.parent = {k: k for k in keys}
        self.ids = {k: ({ids[k]} if ids.get(k) else set()) for k in self.parent}
        self.cannot = {k: set(cannot.get(k, ())) for k in self.parent}
        self.members = {k: {k} for k in self.parent}

    def find(self, k: str) -> str:
        root = k
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[k] != root:
            self.parent[k], k = root, self.parent[k]
        return root

    def apart(self, a: str, b: str) -> bool:
        """Whether the persons of a and b must stay apart: two valid ID numbers, or a cannot-link."""
        ra, rb = self.find(a), self.find(b)
        return ra != rb and (len(self.ids[ra] | self.ids[rb]) > 1 or bool(
            self.cannot[ra] & self.members[rb] or self.cannot[rb] & self.members[ra]))

    def union(self, a: str, b: str, force: bool = False) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if not force and self.apart(a, b):
            return False
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.ids[ra] |= self.ids.pop(rb)
        self.cannot[ra] |= self.cannot.pop(rb)
        self.members[ra] |= self.members.pop(rb)
        return True


@dataclass(frozen=True)
class Link:
    left: str
    right: str
    score: float


def cluster(keys: Sequence[str], links: Iterable[Link], valid_ids: dict[str, str],
            must_link: Iterable[tuple[str, str]] = (), cannot_link: Iterable[tuple[str, str]] = (),
            margin: float = 2.0) -> tuple[dict[str, str], list[tuple[Link, str]]]:
    """Group record keys into persons. Returns {record_key: cluster_key} (a cluster is named by its
    smallest record key) and the links refused, each with why: 'conflict' when it would join people
    who must stay apart, 'ambiguous' when one of its records links almost as well (within `margin`)
    to someone who must stay apart from the other side, so the evidence cannot tell which person it
    belongs to. Both go to the stewards' review queue instead."""
    cannot: dict[str, set[str]] = defaultdict(set)
    for a, b in cannot_link:
        cannot[a].add(b)
        cannot[b].add(a)
    sets = _Sets(keys, valid_ids, cannot)
    for a, b in must_link:  # a steward's word beats the matcher, but not a cannot-link
        if a in sets.parent and b in sets.parent and not (cannot[a] & {b}):
            sets.union(a, b, force=True)
    links = sorted(links, key=lambda l: (-l.score, l.left, l.right))
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


def assign_ids(clusters: dict[str, str], previous: dict[str, str], next_number: int,
               prefix: str = "LZU") -> tuple[dict[str, str], list[IdChange], int]:
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
            changes.append(IdChange(alumni_id, "split_from" if split_from else "new",
                                    split_from[0] if split_from else None))
        for key in members[c]:
            result[key] = alumni_id
    return result, changes, next_number


def _number(alumni_id: str) -> int:
    digits = "".join(ch for ch in alumni_id if ch.isdigit())
    return int(digits) if digits else 0
