"""Paired image metrics of ganlab.quality (Lab 5): PSNR, SSIM, sharpness, against hand-worked values and torchmetrics."""

from __future__ import annotations

import math

import pytest
import torch
from torchmetrics.functional.image import peak_signal_noise_ratio, structural_similarity_index_measure

from ganlab.quality import degrade, psnr, sharpness, sharpness_ratio, ssim


def _images(n=4, c=3, size=24, seed=0):
    return torch.rand(n, c, size, size, generator=torch.Generator().manual_seed(seed)) * 2 - 1


@pytest.mark.parametrize("offset", [0.1, 0.05, 0.013])
def test_psnr_of_a_constant_offset_is_20_log10_of_its_inverse(offset):
    a = torch.full((3, 3, 16, 16), -0.4)
    b = a + 2 * offset  # an offset d in [0, 1] units is 2 d in [-1, 1] units
    assert psnr(a, b) == pytest.approx(20 * math.log10(1 / offset), abs=1e-3)


def test_psnr_is_the_mean_of_per_image_values_not_the_psnr_of_the_batch():
    a = torch.zeros(2, 3, 8, 8)
    b = a.clone()
    b[0] += 0.2  # d = 0.1: 20 dB
    b[1] += 0.02  # d = 0.01: 40 dB
    assert psnr(a, b) == pytest.approx(30.0, abs=1e-3)  # the batch's pooled MSE would give 22.97 dB


def test_psnr_agrees_with_torchmetrics_on_unit_images_and_is_symmetric():
    a, b = _images(seed=1), _images(seed=2)
    expected = peak_signal_noise_ratio((a + 1) / 2, (b + 1) / 2, data_range=1.0, reduction="none", dim=(1, 2, 3))
    assert psnr(a, b) == pytest.approx(float(expected.mean()), rel=1e-6)
    assert psnr(a, b) == pytest.approx(psnr(b, a), rel=1e-6)
    assert psnr(a, a) == math.inf


def test_ssim_of_constant_images_is_the_luminance_term():
    a, b = torch.zeros(2, 3, 16, 16), torch.full((2, 3, 16, 16), -0.5)  # means 0.5 and 0.25 in [0, 1]
    c1 = 0.01 ** 2
    expected = (2 * 0.5 * 0.25 + c1) / (0.5 ** 2 + 0.25 ** 2 + c1)
    assert ssim(a, b) == pytest.approx(expected, abs=1e-5)


def test_ssim_agrees_with_torchmetrics_and_is_one_for_identical_images():
    a, b = _images(c=3, seed=3), _images(c=3, seed=4)
    b = 0.7 * a + 0.3 * b  # related images, SSIM well inside (0, 1)
    expected = structural_similarity_index_measure((a + 1) / 2, (b + 1) / 2, data_range=1.0)
    value = ssim(a, b)
    assert value == pytest.approx(float(expected), rel=1e-6)
    assert 0.2 < value < 0.99
    assert ssim(a, a) == pytest.approx(1.0, abs=1e-6)


def test_ssim_uses_data_range_one_on_unit_images():
    """Passing the [-1, 1] images straight to torchmetrics (or data_range=2) gives another number."""
    a, b = _images(seed=5), _images(seed=6)
    b = 0.5 * a + 0.5 * b
    wrong = structural_similarity_index_measure(a, b, data_range=1.0)
    assert abs(ssim(a, b) - float(wrong)) > 1e-3


def test_sharpness_of_a_step_is_its_height_over_the_width_minus_one():
    x = torch.full((2, 1, 8, 10), -1.0)
    x[..., 4:] = 0.0  # a step of 0.5 in [0, 1] units
    assert sharpness(x) == pytest.approx(0.5 / 9, rel=1e-6)
    # turned by 90 degrees: a horizontal step across 10 rows, h / (H - 1) with H = 10
    assert sharpness(x.transpose(-1, -2)) == pytest.approx(0.5 / 9, rel=1e-6)
    assert sharpness(x[..., :6]) == pytest.approx(0.5 / 5, rel=1e-6)  # a narrower image: 8 x 6


def test_sharpness_of_colour_images_uses_bt601_luminance():
    x = torch.full((1, 3, 8, 8), -1.0)
    x[:, 0, :, 4:] = 1.0  # a red step of height 1: luminance step 0.299
    assert sharpness(x) == pytest.approx(0.299 / 7, rel=1e-5)
    assert sharpness(torch.zeros(2, 3, 8, 8)) == 0.0


def test_sharpness_ratio_is_one_for_the_targets_and_below_one_for_blurred_ones():
    real = _images(n=8, size=32, seed=7)
    assert sharpness_ratio(real, real) == pytest.approx(1.0)
    blurred = degrade(real, blur=1.0)
    assert sharpness_ratio(blurred, real) < 0.6
    assert sharpness_ratio(blurred, real) == pytest.approx(sharpness(blurred) / sharpness(real))
    with pytest.raises(ValueError, match="flat"):
        sharpness_ratio(real, torch.zeros_like(real))


def test_metrics_take_tensors_that_require_grad_and_leave_them_alone():
    a = _images(seed=8).requires_grad_()
    b = _images(seed=9)
    before = a.detach().clone()
    for value in (psnr(a, b), ssim(a, b), sharpness(a), sharpness_ratio(a, b)):
        assert isinstance(value, float)
    assert torch.equal(a.detach(), before)


@pytest.mark.parametrize("fn", [psnr, ssim])
@pytest.mark.parametrize("a,b,match", [
    (torch.zeros(2, 3, 16, 16), torch.zeros(2, 3, 16, 15), "same shape"),
    (torch.zeros(3, 16, 16), torch.zeros(3, 16, 16), r"\(N, C, H, W\)"),
    (torch.zeros(2, 4, 16, 16), torch.zeros(2, 4, 16, 16), r"\(N, C, H, W\)"),
    (torch.zeros(2, 3, 16, 16, dtype=torch.uint8), torch.zeros(2, 3, 16, 16), "float"),
    (torch.full((2, 3, 16, 16), 255.0), torch.zeros(2, 3, 16, 16), r"\[-1, 1\]"),
    (torch.zeros(0, 3, 16, 16), torch.zeros(0, 3, 16, 16), "empty"),
    ([[0.0]], torch.zeros(2, 3, 16, 16), r"\(N, C, H, W\)"),
])
def test_paired_metrics_refuse_bad_input_clearly(fn, a, b, match):
    with pytest.raises(ValueError, match=match):
        fn(a, b)


def test_ssim_refuses_images_smaller_than_its_window():
    with pytest.raises(ValueError, match="11 x 11"):
        ssim(torch.zeros(1, 3, 8, 8), torch.zeros(1, 3, 8, 8))


def test_sharpness_refuses_bad_input_clearly():
    with pytest.raises(ValueError, match="2 x 2"):
        sharpness(torch.zeros(1, 3, 1, 8))
    with pytest.raises(ValueError, match=r"\[-1, 1\]"):
        sharpness(torch.full((1, 3, 8, 8), 3.0))
