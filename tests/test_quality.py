"""ganlab.quality.degrade: the known damage that places an FID between its floor and ceiling."""

import pytest
import torch

from ganlab.quality import degrade


def test_degrade_noise_blur_and_identity():
    torch.manual_seed(0)
    images = torch.rand(3, 3, 12, 12) * 2 - 1
    kept = images.clone()
    same = degrade(images)
    assert torch.equal(same, images) and same is not images
    noisy = degrade(images, noise=0.1, seed=4)
    assert torch.equal(noisy, degrade(images, noise=0.1, seed=4))  # seeded
    inner = (noisy - images)[(images.abs() < 0.6).expand_as(images)]  # away from the clamp
    assert 0.08 < float(inner.std()) < 0.12
    constant = torch.full((1, 3, 9, 9), 0.3)
    assert torch.allclose(degrade(constant, blur=1.0), constant, atol=1e-6)  # reflect padding keeps flat areas flat
    step = torch.zeros(1, 1, 9, 9)
    step[..., 5:] = 1.0
    blurred = degrade(step, blur=1.0)
    assert 0 < float(blurred[0, 0, 0, 4]) < 0.5 < float(blurred[0, 0, 0, 5]) < 1  # the edge is softened
    assert noisy.min() >= -1 and noisy.max() <= 1
    assert torch.equal(images, kept)


def test_degrade_rejects_negative_levels():
    with pytest.raises(ValueError):
        degrade(torch.zeros(1, 1, 4, 4), noise=-0.1)
