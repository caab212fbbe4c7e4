"""Fellegi-Sunter weights estimated from the data: u from random record pairs, m and the match prior
by expectation-maximisation over the candidate pairs' comparison levels.

A comparison's levels are small integers (0 = the best agreement, higher = weaker, the last = else);
-1 means a value was missing on either side and the comparison says nothing. EM runs on distinct
level patterns with their counts, so millions of pairs cost a few thousand rows.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass
class Model:
    comparisons: list[str]
    levels: dict[str, int]  # comparison -> number of levels
    m: dict[str, np.ndarray]
    u: dict[str, np.ndarray]
    prior: float  # share of candidate pairs that are matches

    def weights(self) -> pd.DataFrame:
        """One row per comparison level: m, u and the weight log2(m/u) it adds to a pair's score."""
        rows = []
        for c in self.comparisons:
            for level in range(self.levels[c]):
                m, u = self.m[c][level], self.u[c][level]
                rows.append({"comparison": c, "level": level, "m": m, "u": u, "weight": math.log2(m / u)})
        return pd.DataFrame(rows)

    def score(self, levels: pd.DataFrame) -> pd.Series:
        """Match weight of each pair: log2 prior odds plus each comparison's level weight."""
        total = np.full(len(levels), math.log2(self.prior / (1 - self.prior)))
        for c in self.comparisons:
            w = np.log2(self.m[c] / self.u[c])
            lv = levels[c].to_numpy()
            total += np.where(lv >= 0, w[np.clip(lv, 0, None)], 0.0)
        return pd.Series(total, index=levels.index)


def level_shares(levels: pd.DataFrame, comparisons: list[str], n_levels: dict[str, int],
                 weights: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """How often each level occurs among pairs where the comparison said something (smoothed)."""
    shares = {}
    for c in comparisons:
        lv = levels[c].to_numpy()
        w = np.ones(len(lv)) if weights is None else weights
        counts = np.array([w[lv == k].sum() for k in range(n_levels[c])], dtype=float) + 0.5
        shares[c] = counts / counts.sum()
    return shares


def estimate(patterns: pd.DataFrame, random_pairs: pd.DataFrame, comparisons: list[str],
             n_levels: dict[str, int], fixed_m: dict[str, np.ndarray] | None = None,
             iterations: int = 30) -> Model:
    """EM over `patterns` (one row per distinct level vector, with a `pairs` count), u fixed from
    `random_pairs` (levels of randomly drawn record pairs, nearly all non-matches)."""
    u = level_shares(random_pairs, comparisons, n_levels)
    m = {c: _initial_m(n_levels[c]) for c in comparisons}
    if fixed_m:
        m.update(fixed_m)
    prior = 0.1
    counts = patterns["pairs"].to_numpy(dtype=float)
    for _ in range(iterations):
        model = Model(comparisons, n_levels, m, u, prior)
        p = 1 / (1 + np.power(2.0, -model.score(patterns).to_numpy()))
        prior = float(np.clip((counts * p).sum() / counts.sum(), 1e-6, 1 - 1e-6))
        learned = level_shares(patterns, comparisons, n_levels, counts * p)
        m = {c: (fixed_m[c] if fixed_m and c in fixed_m else learned[c]) for c in comparisons}
    return Model(comparisons, n_levels, m, u, prior)


def _initial_m(n: int) -> np.ndarray:
    start = np.array([0.9 * 0.5 ** k for k in range(n)])
    return start / start.sum()
