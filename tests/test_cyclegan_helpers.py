"""ganlab.cyclegan's measurement helper swap_instance_norm: what each norm choice puts in the net and computes."""

import pytest
import torch
from torch import nn

from ganlab.cyclegan import NORMS, swap_instance_norm


def _net():
    """Instance norms at two depths (one inside a nested Sequential) after reflection padding, as in a ResNet
    generator: a constant added to an image then shifts every pre-norm feature map by a constant."""
    torch.manual_seed(0)
    return nn.Sequential(
        nn.Conv2d(3, 4, 3, padding=1, padding_mode="reflect"), nn.InstanceNorm2d(4), nn.ReLU(),
        nn.Sequential(nn.Conv2d(4, 6, 3, padding=1), nn.InstanceNorm2d(6), nn.ReLU()),
        nn.Conv2d(6, 3, 1),
    )


def _norms(net):
    return [m for m in net.modules() if isinstance(m, (nn.InstanceNorm2d, nn.BatchNorm2d))]


def test_instance_leaves_the_net_as_it_is():
    net = _net()
    before = list(net.modules())
    assert swap_instance_norm(net, "instance") is net
    assert list(net.modules()) == before
    assert all(type(m) is nn.InstanceNorm2d and not m.affine and not m.track_running_stats for m in _norms(net))


def test_batch_replaces_every_instance_norm_at_every_depth_with_the_same_width():
    net = _net()
    convs = [m for m in net.modules() if isinstance(m, nn.Conv2d)]
    assert swap_instance_norm(net, "batch") is net
    norms = _norms(net)
    assert [type(m) for m in norms] == [nn.BatchNorm2d, nn.BatchNorm2d]
    assert [m.num_features for m in norms] == [4, 6]
    assert [m for m in net.modules() if isinstance(m, nn.Conv2d)] == convs   # the other layers are untouched


def test_instance_affine_learns_scale_and_offset_without_running_statistics():
    net = swap_instance_norm(_net(), "instance_affine")
    norms = _norms(net)
    assert [type(m) for m in norms] == [nn.InstanceNorm2d, nn.InstanceNorm2d]
    assert all(m.affine and not m.track_running_stats for m in norms)
    assert [m.weight.shape[0] for m in norms] == [4, 6]


def test_batch_norm_keeps_a_per_image_colour_offset_that_instance_norm_removes():
    """The reason the helper exists (Lab 6 section 8): an image brightened by a constant gives the same output
    as the original through instance norm (its own mean is subtracted), a different one through batch norm."""
    x = torch.rand(4, 3, 8, 8)
    x[1] = x[0] + 0.5                                    # image 1 = image 0 with a constant offset
    for norm, same in (("instance", True), ("batch", False)):
        net = swap_instance_norm(_net(), norm).train()
        with torch.no_grad():
            out = net(x)
        assert torch.allclose(out[0], out[1], atol=1e-4) is same, norm


def test_unknown_norm_is_a_clear_error():
    assert NORMS == ("instance", "instance_affine", "batch")
    with pytest.raises(ValueError, match="norm must be one of"):
        swap_instance_norm(_net(), "layer")
