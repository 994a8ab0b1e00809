"""ganlab.quality.colourfulness (Hasler and Suesstrunk 2003) and its ratio."""

import math

import pytest
import torch

from ganlab.quality import colourfulness, colourfulness_ratio


def test_grey_images_have_no_colourfulness():
    grey = torch.rand(4, 1, 8, 8) * 2 - 1
    assert colourfulness(grey.expand(-1, 3, -1, -1)) == pytest.approx(0.0, abs=1e-7)


def test_a_uniform_colour_scores_0_3_times_its_opponent_offset():
    # pure red in [0, 1]: rg = 1, yb = 0.5, no spread -> 0.3 * sqrt(1 + 0.25)
    red = torch.tensor([1.0, -1.0, -1.0]).view(1, 3, 1, 1).expand(2, 3, 4, 4)
    assert colourfulness(red) == pytest.approx(0.3 * math.sqrt(1.25), rel=1e-6)


def test_a_half_red_half_green_image_scores_its_opponent_spread():
    img = -torch.ones(1, 3, 2, 2)
    img[0, 0, :, 0] = 1.0  # left column red
    img[0, 1, :, 1] = 1.0  # right column green
    # rg = +1 / -1 (std 1, mean 0); yb = 0.5 everywhere (std 0, mean 0.5)
    assert colourfulness(img) == pytest.approx(1.0 + 0.3 * 0.5, rel=1e-6)


def test_ratio_halves_when_chroma_is_halved_around_grey():
    y = torch.rand(3, 3, 8, 8) * 2 - 1
    grey = y.mean(dim=1, keepdim=True)
    assert colourfulness_ratio(grey + 0.5 * (y - grey), y) == pytest.approx(0.5, rel=1e-5)
    assert colourfulness_ratio(y, y) == pytest.approx(1.0)


def test_colourfulness_refuses_bad_input_clearly():
    with pytest.raises(ValueError, match="C in"):
        colourfulness(torch.zeros(2, 1, 4, 4))
    with pytest.raises(ValueError, match=r"\[-1, 1\]"):
        colourfulness(torch.full((1, 3, 4, 4), 2.0))
    with pytest.raises(ValueError, match="grey"):
        colourfulness_ratio(torch.zeros(1, 3, 4, 4), torch.zeros(1, 3, 4, 4))
