"""Lab 7: the reference FID agrees with pytorch-fid and torchmetrics; the quality helper works offline.

The reference functions are read from the solution notebook (they are not in ``ganlab``, which ships to
students). No network: the Inception extractor must fail cleanly, naming the offline default.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
import torch

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def ref():
    nb = json.loads((REPO / "solutions/lab7_is_fid/lab7_is_fid.ipynb").read_text(encoding="utf-8"))
    ns = {"torch": torch, "math": math}
    for cell in nb["cells"]:
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
            exec("".join(cell["source"]), ns)
    return ns


def _stats(n, d, seed):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, d, generator=g, dtype=torch.float64) @ (torch.randn(d, d, generator=g, dtype=torch.float64)
                                                               / d ** 0.5) + torch.randn(d, generator=g, dtype=torch.float64)
    return x.mean(0), torch.cov(x.T)


@pytest.mark.parametrize("d", [64, pytest.param(2048, marks=pytest.mark.slow)])
def test_reference_fid_matches_pytorch_fid_and_torchmetrics(ref, d):
    from pytorch_fid.fid_score import calculate_frechet_distance
    from torchmetrics.image.fid import _compute_fid

    (mu1, s1), (mu2, s2) = _stats(3 * d, d, 1), _stats(3 * d, d, 2)
    ours = ref["frechet_distance"](mu1, s1, mu2, s2)
    theirs = calculate_frechet_distance(mu1.numpy(), s1.numpy(), mu2.numpy(), s2.numpy())
    assert abs(ours - theirs) <= 1e-6 * abs(theirs), (ours, theirs)
    tm = float(_compute_fid(mu1, s1, mu2, s2))
    assert abs(ours - tm) <= 1e-6 * abs(tm), (ours, tm)


def test_reference_fid_is_finite_and_real_when_n_below_d(ref):
    """Documented handling for N < d: eigenvalues of the symmetric PSD matrix are clipped at 0."""
    (mu1, s1), (mu2, s2) = _stats(20, 64, 3), _stats(20, 64, 4)
    value = ref["frechet_distance"](mu1, s1, mu2, s2)
    assert isinstance(value, float) and math.isfinite(value) and value > 0


def test_reference_kid_matches_torchmetrics(ref):
    from torchmetrics.image.kid import poly_mmd

    g = torch.Generator().manual_seed(5)
    x, y = torch.randn(60, 16, generator=g, dtype=torch.float64), torch.randn(60, 16, generator=g, dtype=torch.float64) + 0.3
    assert ref["kernel_inception_distance"](x, y) == pytest.approx(float(poly_mmd(x, y)), rel=1e-9)


def test_reference_is_matches_torchmetrics_without_shuffle(ref):
    logits = 2 * torch.randn(500, 10, generator=torch.Generator().manual_seed(6), dtype=torch.float64)
    p = logits.softmax(1)
    kl = (p * (p.log() - p.mean(0).log())).sum(1)
    mean, std = ref["inception_score"](logits, splits=1)
    assert mean == pytest.approx(float(kl.mean().exp()), rel=1e-9) and std == 0.0


def test_quality_helper_offline():
    from ganlab import quality
    from ganlab.data import offline_digits

    real, labels = offline_digits(300, seed=21)
    fake, _ = offline_digits(300, seed=22)
    clf = quality.get_extractor("offline-digits")
    feats, logits = quality.extract(real, clf)
    assert feats.shape == (300, 64) and logits.shape == (300, 10)
    assert (logits.argmax(1) == labels).float().mean() > 0.9
    out = quality.measure_quality(real, fake, kid_subsets=5, kid_subset_size=100, splits=3)
    assert math.isfinite(out["fid"]) and out["fid"] >= 0 and out["extractor"] == "offline-digits"
    assert 1 <= out["inception_score"] <= 10 and math.isfinite(out["kid_mean"]) and out["kid_std"] >= 0
    assert "offline_digits_classifier.pt" in out["weights"]


def test_inception_extractor_fails_cleanly_offline(monkeypatch, tmp_path):
    from ganlab import quality

    monkeypatch.setenv("GANLAB_OFFLINE", "1")
    monkeypatch.setenv("GANLAB_DATA", str(tmp_path))
    with pytest.raises(quality.ExtractorUnavailable, match="offline-digits"):
        quality.fid_inception_weights()


def test_weights_are_small_and_load_safely():
    from ganlab import quality

    assert quality.OFFLINE_DIGITS_WEIGHTS.stat().st_size <= 1_000_000
    state = torch.load(quality.OFFLINE_DIGITS_WEIGHTS, weights_only=True)
    assert all(isinstance(v, torch.Tensor) for v in state.values())
