"""EM recovers how often matches agree from unlabelled candidate pairs."""
import numpy as np
import pandas as pd

from alumni_pipeline.identity.fellegi_sunter import estimate


def synthetic(n, match_share, m, u, rng):
    is_match = rng.random(n) < match_share
    data = {c: np.where(is_match, rng.choice(len(m[c]), n, p=m[c]), rng.choice(len(u[c]), n, p=u[c]))
            for c in m}
    data["name"] = np.where(rng.random(n) < 0.05, -1, data["name"])  # some names missing
    return pd.DataFrame(data), is_match


def test_em_recovers_prior_and_m_and_separates_matches():
    rng = np.random.default_rng(7)
    m = {"name": [0.85, 0.1, 0.05], "birth": [0.8, 0.15, 0.05], "gender": [0.97, 0.03]}
    u = {"name": [0.01, 0.04, 0.95], "birth": [0.02, 0.08, 0.9], "gender": [0.5, 0.5]}
    pairs, truth = synthetic(40_000, 0.3, m, u, rng)
    random_pairs, _ = synthetic(20_000, 0.0, m, u, rng)
    patterns = pairs.value_counts().rename("pairs").reset_index()
    model = estimate(patterns, random_pairs, list(m), {c: len(v) for c, v in m.items()})
    assert abs(model.prior - 0.3) < 0.03
    assert abs(model.m["name"][0] - 0.85) < 0.05 and abs(model.m["birth"][0] - 0.8) < 0.05
    scores = model.score(pairs)
    predicted = scores > 0
    precision = (predicted & truth).sum() / predicted.sum()
    assert precision > 0.95
    weights = model.weights()
    assert weights.loc[(weights.comparison == "name") & (weights.level == 0), "weight"].item() > 5
