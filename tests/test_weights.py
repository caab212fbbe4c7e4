"""Weights are kept between runs and estimated again on a schedule or on demand, and a kept set scores
exactly as the set that was estimated."""

import datetime as dt

import duckdb
import numpy as np
import pandas as pd

from alumni_pipeline.identity.comparisons import SPEC
from alumni_pipeline.identity.fellegi_sunter import Model
from alumni_pipeline.identity.weights import _DDL, REFIT_DAYS, due, refit_reason

NOW = dt.datetime(2026, 12, 4, 9, 0)


def test_a_small_drop_keeps_the_weights_and_a_big_change_or_age_or_a_request_refits():
    kept = (NOW - dt.timedelta(days=10), 1_000_000)
    assert refit_reason(kept, 1_001_000, NOW, asked=False) is None  # a unit's monthly drop
    assert refit_reason(kept, 900_000, NOW, asked=False) is None  # a tenth fewer: still kept
    assert refit_reason(kept, 1_150_000, NOW, asked=False) == "records 1000000 -> 1150000"
    assert refit_reason(kept, 850_000, NOW, asked=False) == "records 1000000 -> 850000"
    assert refit_reason(None, 500, NOW, asked=False) == "none kept"
    assert refit_reason(kept, 1_000_000, NOW, asked=True) == "asked"
    old = (NOW - dt.timedelta(days=REFIT_DAYS + 1), 1_000_000)
    assert refit_reason(old, 1_000_000, NOW, asked=False) == f"older than {REFIT_DAYS} days"


def test_a_kept_model_scores_exactly_as_the_estimated_one():
    rng = np.random.default_rng(3)
    m = {c: rng.dirichlet(np.ones(n)) for c, n in SPEC.sizes.items()}
    u = {c: rng.dirichlet(np.ones(n)) for c, n in SPEC.sizes.items()}
    model = Model(SPEC.sizes, m, u, 1 / 3_000_003)
    again = Model.from_json(model.to_json())
    levels = pd.DataFrame({c: rng.integers(-1, n, 200) for c, n in SPEC.sizes.items()})
    assert np.array_equal(model.score(levels), again.score(levels))  # bit for bit, not approximately
    assert again.prior == model.prior and again.levels == model.levels


def test_whether_new_weights_are_due_is_read_from_the_warehouse_before_matching_and_in_identity():
    """One answer for both asks: the matching step (which then draws training pairs or keeps them) and
    the identity step (which then estimates or keeps)."""
    con = duckdb.connect()
    assert due(con, 1_000, NOW, asked=False) == "none kept"  # a fresh warehouse: no identity schema yet
    con.execute(_DDL)
    model = Model(
        SPEC.sizes,
        {c: np.full(n, 1 / n) for c, n in SPEC.sizes.items()},
        {c: np.full(n, 1 / n) for c, n in SPEC.sizes.items()},
        0.001,
    )
    con.execute(
        "insert into identity.weight_sets values ('W1', ?, 'run', 1000, 'none kept', ?)",
        [NOW - dt.timedelta(days=3), model.to_json()],
    )
    assert due(con, 1_050, NOW, asked=False) is None  # a unit's drop: the weights are kept
    assert due(con, 1_050, NOW, asked=True) == "asked"
    assert due(con, 1_200, NOW, asked=False) == "records 1000 -> 1200"
    smaller = Model({**SPEC.sizes, "name": SPEC.sizes["name"] - 1}, model.m, model.u, 0.001)
    con.execute("update identity.weight_sets set model = ?", [smaller.to_json()])
    assert due(con, 1_000, NOW, asked=False) == "comparisons changed"
