"""EM, in Splink's sessions, recovers how often one person's records agree from unlabelled pairs."""

import numpy as np
import pandas as pd

from alumni_pipeline.identity.fellegi_sunter import estimate

M = {"name": [0.85, 0.1, 0.05], "birth": [0.8, 0.15, 0.05], "gender": [0.97, 0.03]}
U = {"name": [0.01, 0.04, 0.95], "birth": [0.02, 0.08, 0.9], "gender": [0.5, 0.5]}
LEVELS = {c: len(v) for c, v in M.items()}


def draw(n, match_share, rng, fixed=None):
    """n pairs; `fixed` is the comparison a training block holds at level 0 for every pair."""
    is_match = rng.random(n) < match_share
    data = {c: np.where(is_match, rng.choice(len(M[c]), n, p=M[c]), rng.choice(len(U[c]), n, p=U[c])) for c in M}
    if fixed:
        data[fixed] = np.zeros(n, dtype=int)
    data["name"] = np.where(rng.random(n) < 0.05, -1, data["name"])  # some names missing
    return pd.DataFrame(data), is_match


def patterns(df):
    return df.value_counts().rename("pairs").reset_index()


def test_em_sessions_recover_m_and_score_separates_people():
    rng = np.random.default_rng(7)
    same_name, _ = draw(30_000, 0.4, rng, fixed="name")
    same_birth, _ = draw(30_000, 0.4, rng, fixed="birth")
    random_pairs, _ = draw(50_000, 0.0, rng)
    model = estimate(
        [(patterns(same_name), {"name"}), (patterns(same_birth), {"birth"})],
        patterns(random_pairs),
        LEVELS,
        prior=0.001,
    )
    assert abs(model.m["name"][0] - 0.85) < 0.05 and abs(model.m["birth"][0] - 0.8) < 0.05
    assert abs(model.m["gender"][1] - 0.03) < 0.02 and abs(model.u["name"][0] - 0.01) < 0.005
    pairs, truth = draw(20_000, 0.3, rng)
    predicted = model.score(pairs) > 0
    assert (predicted & truth).sum() / predicted.sum() > 0.95
    weights = model.weights()
    assert weights.loc[(weights.comparison == "name") & (weights.level == 0), "weight"].item() > 5


def test_policy_pins_a_comparison():
    rng = np.random.default_rng(1)
    block, _ = draw(5_000, 0.5, rng, fixed="name")
    model = estimate(
        [(patterns(block), {"name"})],
        patterns(draw(5_000, 0.0, rng)[0]),
        LEVELS,
        prior=0.01,
        fixed_m={"gender": [0.999, 0.001]},
    )
    assert model.m["gender"][1] == 0.001
