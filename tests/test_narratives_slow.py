"""Regression guard: 5-fold CV of the narrative model on SemEval EN train (slow, needs ../shared).

The roles model has its own guard in tests/test_roles.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from narrascope.eval import narratives

pytestmark = pytest.mark.slow
EN_TRAIN = Path(__file__).resolve().parents[2] / "shared" / "data" / "semeval2025-t10" / "EN" / "train"


@pytest.fixture(scope="module")
def en_train() -> Path:
    if not EN_TRAIN.is_dir():
        pytest.skip("../shared/data/semeval2025-t10 is not present")
    return EN_TRAIN


def test_narratives_cv_stays_near_documented_figures(en_train):
    result = narratives.cross_validate([en_train], folds=5)
    # docs/benchmarks.md: fine 0.492 ± 0.042, coarse 0.561 ± 0.048
    assert result["f1_samples_fine_mean"] > 0.45 and result["f1_samples_coarse_mean"] > 0.51

