"""Fellegi-Sunter weights estimated from the data, the way Splink does it:

- u (how often two different people agree at a level) from randomly drawn record pairs;
- the prior (how likely two random records are one person) from a deterministic rule: the share of
  record pairs holding ID numbers that hold the same one;
- m (how often one person's records agree at a level) by expectation-maximisation, in sessions over
  the pairs one training block finds, learning only the comparisons that block did not fix: pairs
  blocked on the name teach everything but the name, pairs blocked on the birth date teach the name.

A comparison's levels are small integers (0 = the best agreement, higher = weaker, the last = else);
-1 means a value was missing on either side and the comparison says nothing. EM runs on distinct
level patterns with their counts, so millions of pairs cost a few thousand rows.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass
class Model:
    levels: dict[str, int]  # comparison -> number of levels
    m: dict[str, np.ndarray]
    u: dict[str, np.ndarray]
    prior: float  # probability that two random records are one person

    def weights(self) -> pd.DataFrame:
        """One row per comparison level: m, u and the weight log2(m/u) it adds to a pair's score."""
        return pd.DataFrame(
            [
                {
                    "comparison": c,
                    "level": k,
                    "m": self.m[c][k],
                    "u": self.u[c][k],
                    "weight": math.log2(self.m[c][k] / self.u[c][k]),
                }
                for c in self.levels
                for k in range(self.levels[c])
            ]
        )

    def to_json(self) -> str:
        """The model as JSON; `from_json` gives it back exactly (floats round-trip)."""
        return json.dumps(
            {
                "levels": self.levels,
                "m": {c: v.tolist() for c, v in self.m.items()},
                "u": {c: v.tolist() for c, v in self.u.items()},
                "prior": self.prior,
            }
        )

    @classmethod
    def from_json(cls, text: str) -> Model:
        d = json.loads(text)
        array = {k: {c: np.asarray(v, dtype=float) for c, v in d[k].items()} for k in ("m", "u")}
        return cls(d["levels"], array["m"], array["u"], d["prior"])

    def prior_weight(self) -> float:
        return math.log2(self.prior / (1 - self.prior))

    def parts(self, levels: pd.DataFrame) -> dict[str, np.ndarray]:
        """What each comparison adds to each pair's weight: its level's log2(m/u), 0 where missing."""
        out = {}
        for c in self.levels:
            w = np.log2(self.m[c] / self.u[c])
            lv = levels[c].to_numpy()
            out[c] = np.where(lv >= 0, w[np.clip(lv, 0, None)], 0.0)
        return out

    def score(self, levels: pd.DataFrame) -> np.ndarray:
        """Match weight of each pair: log2 prior odds plus each comparison's level weight."""
        return self.prior_weight() + sum(self.parts(levels).values())


def level_shares(
    levels: pd.DataFrame, n_levels: dict[str, int], weights: np.ndarray | None = None
) -> dict[str, np.ndarray]:
    """How often each level occurs among pairs where the comparison said something (smoothed)."""
    w = np.ones(len(levels)) if weights is None else weights
    shares = {}
    for c, n in n_levels.items():
        lv = levels[c].to_numpy()
        counts = np.array([w[lv == k].sum() for k in range(n)], dtype=float) + 0.5
        shares[c] = counts / counts.sum()
    return shares


def em_session(
    patterns: pd.DataFrame, fixed: set[str], u: dict[str, np.ndarray], n_levels: dict[str, int], iterations: int = 25
) -> dict[str, np.ndarray]:
    """m of the comparisons not in `fixed`, learned from the pairs of one training block
    (`patterns`: distinct level vectors with a `pairs` count)."""
    learn = {c: n for c, n in n_levels.items() if c not in fixed}
    m = {c: _initial_m(n) for c, n in learn.items()}
    counts = patterns["pairs"].to_numpy(dtype=float)
    prior = 0.5
    for _ in range(iterations):
        model = Model(learn, m, {c: u[c] for c in learn}, prior)
        p = 1 / (1 + np.power(2.0, -model.score(patterns)))
        prior = float(np.clip((counts * p).sum() / counts.sum(), 1e-6, 1 - 1e-6))
        m = level_shares(patterns, learn, counts * p)
    return m


def estimate(
    sessions: list[tuple[pd.DataFrame, set[str]]],
    random_pairs: pd.DataFrame,
    n_levels: dict[str, int],
    prior: float,
    fixed_m: dict[str, list[float]] | None = None,
) -> Model:
    """m averaged over the training sessions that learned it; `fixed_m` pins comparisons whose
    meaning is set by policy rather than data (two different valid ID numbers). `random_pairs` may
    carry a `pairs` count per row, like the sessions' patterns."""
    counts = random_pairs["pairs"].to_numpy(dtype=float) if "pairs" in random_pairs else None
    u = level_shares(random_pairs, n_levels, counts)
    learned: dict[str, list[np.ndarray]] = {c: [] for c in n_levels}
    for patterns, fixed in sessions:
        if not patterns["pairs"].sum():
            continue  # a training block that found no pairs teaches nothing
        for c, m in em_session(patterns, fixed, u, n_levels).items():
            learned[c].append(m)
    m = {c: (np.mean(ms, axis=0) if ms else _initial_m(n_levels[c])) for c, ms in learned.items()}
    for c, values in (fixed_m or {}).items():
        m[c] = np.asarray(values, dtype=float)
    return Model(n_levels, m, u, prior)


def _initial_m(n: int) -> np.ndarray:
    """Matches mostly agree: 0.9 at the best level, falling tenfold at each weaker one."""
    start = np.array([0.9 * 0.1**k for k in range(n)])
    return start / start.sum()
