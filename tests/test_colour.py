"""ganlab.colour: sRGB <-> CIE L*a*b* (D65) and the pix2pix authors' (L, ab) scaling."""

import pytest
import torch

from ganlab.colour import chroma_sharpness, grey_of, lab_to_rgb, merge_lab, rgb_to_lab, split_lab


def _pixels(rows):
    """(N, 3, 1, 1) images in [-1, 1] from RGB triples in [0, 1]."""
    return torch.tensor(rows, dtype=torch.float64).view(-1, 3, 1, 1) * 2 - 1


# Published L*a*b* (D65) of the sRGB primaries, white and black (the usual tables, e.g. Lindbloom's calculator,
# to two decimals): a check against numbers not produced by this code.
PRIMARIES = [([1, 0, 0], (53.24, 80.09, 67.20)), ([0, 1, 0], (87.73, -86.18, 83.18)),
             ([0, 0, 1], (32.30, 79.19, -107.86)), ([1, 1, 1], (100.0, 0.0, 0.0)), ([0, 0, 0], (0.0, 0.0, 0.0))]


@pytest.mark.parametrize("rgb, lab", PRIMARIES)
def test_rgb_to_lab_matches_published_values(rgb, lab):
    got = rgb_to_lab(_pixels([rgb])).flatten()
    assert got.tolist() == pytest.approx(lab, abs=0.02)


def test_dark_colours_use_the_linear_segments_and_round_trip():
    # values below the sRGB knee (0.04045) and an XYZ below (6/29)^3 exercise both linear pieces
    dark = _pixels([[0.01, 0.02, 0.03], [0.0, 0.0, 0.02], [0.03, 0.0, 0.0]])
    lab = rgb_to_lab(dark)
    assert lab[:, 0].max() < 8.0  # (6/29)^3 of Y is L* = 8
    assert (lab_to_rgb(lab) - dark).abs().max() < 1e-6


def test_round_trip_on_random_images_float32():
    torch.manual_seed(0)
    images = torch.rand(4, 3, 8, 8) * 2 - 1
    assert (lab_to_rgb(rgb_to_lab(images)) - images).abs().max() < 1e-4
    assert (merge_lab(*split_lab(images)) - images).abs().max() < 1e-4


def test_greys_have_no_chroma_and_grey_of_gives_them_back():
    levels = torch.linspace(-1, 1, 9, dtype=torch.float64).view(9, 1, 1, 1).expand(9, 3, 2, 2)
    light, chroma = split_lab(levels)
    # a* and b* of a grey: 0 up to the rounding of the standard's matrix against its white point (under 0.01)
    assert (chroma * 110).abs().max() < 0.01
    assert (grey_of(light) - levels).abs().max() < 1e-4


def test_split_lab_scales_like_the_authors_code():
    light, chroma = split_lab(_pixels([[1, 0, 0], [1, 1, 1], [0, 0, 0]]))
    assert light.shape == (3, 1, 1, 1) and chroma.shape == (3, 2, 1, 1)
    assert light.flatten().tolist() == pytest.approx([53.24 / 50 - 1, 1.0, -1.0], abs=1e-3)
    assert chroma[0].flatten().tolist() == pytest.approx([80.09 / 110, 67.20 / 110], abs=1e-3)


def test_out_of_gamut_chroma_is_clipped_into_range():
    light = torch.zeros(1, 1, 2, 2)
    chroma = torch.full((1, 2, 2, 2), 1.0)  # a* = b* = 110 at L* = 50: not an sRGB colour
    rgb = merge_lab(light, chroma)
    assert rgb.min() >= -1 and rgb.max() <= 1
    assert rgb[0, 0].min() > 0.9999  # red saturates


def test_gradients_flow_through_merge_lab():
    chroma = torch.zeros(2, 2, 4, 4, requires_grad=True)
    merge_lab(torch.zeros(2, 1, 4, 4), chroma).sum().backward()
    assert torch.isfinite(chroma.grad).all() and chroma.grad.abs().sum() > 0


def test_bad_input_is_refused_clearly():
    with pytest.raises(ValueError, match=r"\(N, 3, H, W\)"):
        rgb_to_lab(torch.zeros(2, 1, 4, 4))
    with pytest.raises(ValueError, match="float"):
        rgb_to_lab(torch.zeros(2, 3, 4, 4, dtype=torch.uint8))
    with pytest.raises(ValueError, match=r"\(N, 2, H, W\)"):
        merge_lab(torch.zeros(2, 1, 4, 4), torch.zeros(2, 3, 4, 4))
    with pytest.raises(ValueError, match="must match"):
        merge_lab(torch.zeros(2, 1, 4, 4), torch.zeros(2, 2, 8, 8))


def test_chroma_sharpness_is_zero_for_grey_and_measures_a_colour_step():
    grey = torch.linspace(-1, 1, 16).view(1, 1, 4, 4).expand(2, 3, 4, 4)
    assert chroma_sharpness(grey) < 1e-4
    img = -torch.ones(1, 3, 4, 4)
    img[0, 0, :, 2:] = 1.0  # black | red: a vertical edge in a* and b* between columns 1 and 2
    lab = rgb_to_lab(img)
    step = ((lab[0, 1, 0, 2] ** 2 + lab[0, 2, 0, 2] ** 2).sqrt() / 110).item()
    # on the 3 x 3 grid of forward differences one column of 3 crosses the edge
    assert chroma_sharpness(img) == pytest.approx(step / 3, rel=1e-5)
    with pytest.raises(ValueError, match="2 x 2"):
        chroma_sharpness(torch.zeros(1, 3, 1, 4))


def test_pix2pix_quality_reports_the_chroma_sharpness_ratio_for_colour_targets():
    from ganlab.pix2pix import quality

    torch.manual_seed(0)
    y = torch.rand(2, 3, 16, 16) * 2 - 1
    light, chroma = split_lab(y)
    assert quality(y, y)["chroma sharpness"] == pytest.approx(1.0)
    smeared = merge_lab(light, chroma.mean(dim=(2, 3), keepdim=True).expand_as(chroma))  # one colour per image
    assert quality(smeared, y)["chroma sharpness"] < 0.2
    grey = y.mean(dim=1, keepdim=True).expand(-1, 3, -1, -1)
    assert "chroma sharpness" not in quality(grey, grey)  # grey targets: no colour to compare


# ChromaLowPass: a fixed low-pass on a generator's chroma output


def _fixed(output):
    """A 'generator' that ignores its input and returns ``output`` (times a weight, so gradients can reach it)."""

    class Fixed(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.weight = torch.nn.Parameter(torch.ones(()))

        def forward(self, x):
            return output.to(x.dtype) * self.weight

    return Fixed()


def test_chroma_low_pass_keeps_shape_and_is_the_identity_at_factor_1():
    from ganlab.colour import ChromaLowPass

    torch.manual_seed(0)
    G = torch.nn.Conv2d(1, 2, 3, padding=1)
    x = torch.randn(3, 1, 16, 16)
    assert ChromaLowPass(G, 4)(x).shape == (3, 2, 16, 16)
    assert torch.equal(ChromaLowPass(G, 1)(x), G(x))
    # factor 2 really changes a generic output (not silently the identity)
    assert not torch.allclose(ChromaLowPass(G, 2)(x), G(x), atol=1e-3)


@pytest.mark.parametrize("factor", [2, 4])
def test_chroma_low_pass_passes_constants_and_removes_a_checkerboard(factor):
    from ganlab.colour import ChromaLowPass

    x = torch.zeros(1, 1, 8, 8)
    constant = torch.tensor([0.3, -0.2]).view(1, 2, 1, 1).expand(1, 2, 8, 8)
    assert torch.allclose(ChromaLowPass(_fixed(constant), factor)(x), constant, atol=1e-6)
    rows, cols = torch.meshgrid(torch.arange(8), torch.arange(8), indexing="ij")
    checker = ((rows + cols) % 2 * 2 - 1).float().expand(1, 2, 8, 8) * 0.5  # +-0.5 from pixel to pixel
    assert ChromaLowPass(_fixed(checker + constant), factor)(x).sub(constant).abs().max() < 1e-6


def test_chroma_low_pass_matches_block_means_upsampled_by_hand():
    from ganlab.colour import ChromaLowPass

    # a 1 x 4 strip of 2 x 2 blocks with means 0 and 1: bilinear upsampling (half-pixel centres) gives 0, 0.25,
    # 0.75, 1 across the boundary and the flat values at the borders
    out = torch.tensor([[0.0, 0.0, 1.0, 1.0]]).expand(2, 4).reshape(1, 1, 2, 4).expand(1, 2, 2, 4)
    got = ChromaLowPass(_fixed(out), 2)(torch.zeros(1, 1, 2, 4))
    assert got[0, 0, 0].tolist() == pytest.approx([0.0, 0.25, 0.75, 1.0])


def test_chroma_low_pass_lets_gradients_reach_the_generator_and_works_on_a_batch_of_one():
    from ganlab.colour import ChromaLowPass

    torch.manual_seed(0)
    G = torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3, padding=1), torch.nn.Tanh())
    wrapped = ChromaLowPass(G, 2)
    out = wrapped(torch.randn(1, 1, 8, 8))
    assert out.shape == (1, 2, 8, 8) and out.abs().max() <= 1
    out.square().mean().backward()
    assert G[0].weight.grad is not None and G[0].weight.grad.abs().sum() > 0
    # the wrapper adds no parameters of its own and forwards train / eval to G
    assert sum(p.numel() for p in wrapped.parameters()) == sum(p.numel() for p in G.parameters())
    wrapped.eval()
    assert not G.training


def test_chroma_low_pass_refuses_bad_factors_and_sizes():
    from ganlab.colour import ChromaLowPass

    G = torch.nn.Conv2d(1, 2, 1)
    for bad in (0, -2, 1.5, True):
        with pytest.raises(ValueError, match="positive integer"):
            ChromaLowPass(G, bad)
    with pytest.raises(ValueError, match="divisible by 4"):
        ChromaLowPass(G, 4)(torch.zeros(1, 1, 10, 12))
