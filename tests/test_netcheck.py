"""ganlab.grading.netcheck judges networks by what they compute, whatever their names, order or initialisation."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from ganlab.grading.netcheck import execution_order, expect_layers, functional_compare, structure
from ganlab.grading.testing import CheckFailure, LocalSubmission


def reference_net(act=nn.LeakyReLU(0.2), out=nn.Tanh(), momentum=0.1):
    return nn.Sequential(nn.Linear(4, 6, bias=False), nn.BatchNorm1d(6, momentum=momentum), act,
                         nn.Linear(6, 3), out)


class ShuffledDefinition(nn.Module):
    """The same computation with other names, layers defined in another order, and a functional activation."""

    def __init__(self, slope=0.2, momentum=0.1, final=torch.tanh):
        super().__init__()
        self.head = nn.Linear(6, 3)               # defined first, used last
        self.norm = nn.BatchNorm1d(6, momentum=momentum)
        self.proj = nn.Linear(4, 6, bias=False)
        self.slope, self.final = slope, final
        nn.init.uniform_(self.proj.weight, -3, 3)  # another initialisation must not matter

    def forward(self, x):
        return self.final(self.head(nn.functional.leaky_relu(self.norm(self.proj(x)), self.slope)))


def _check(net, **kwargs):
    sub = LocalSubmission({"net": net})
    ref = sub.store.keep(net)
    x = torch.randn(5, 4, generator=torch.Generator().manual_seed(0))
    functional_compare(sub, ref, reference_net(), [x], "net", **kwargs)


def test_same_computation_written_differently_passes():
    _check(ShuffledDefinition())
    _check(reference_net())


@pytest.mark.parametrize("net,phrase", [
    (ShuffledDefinition(slope=0.0), "computes something else"),
    (ShuffledDefinition(momentum=0.5), "momentum"),
    (ShuffledDefinition(final=torch.sigmoid), "Sigmoid"),
    (nn.Sequential(nn.Linear(4, 6), nn.BatchNorm1d(6), nn.LeakyReLU(0.2), nn.Linear(6, 3), nn.Tanh()), "tensors"),
    (nn.Sequential(nn.Linear(4, 7, bias=False), nn.BatchNorm1d(7), nn.LeakyReLU(0.2), nn.Linear(7, 3), nn.Tanh()),
     "shape"),
])
def test_wrong_computations_are_named(net, phrase):
    with pytest.raises(CheckFailure) as info:
        _check(net, diagnoses=[(lambda: reference_net(out=nn.Sigmoid()), "It ends with a Sigmoid.")])
    assert phrase in str(info.value)


def test_structure_lists_layers_in_forward_order_and_probe_leaves_no_trace():
    net = ShuffledDefinition()
    before = net.norm.running_mean.clone()
    x = torch.randn(5, 4)
    assert execution_order(net, x)[:4] == ["", "proj", "norm", "head"]
    assert torch.equal(net.norm.running_mean, before)
    sub = LocalSubmission({})
    layers = structure(sub, sub.store.keep(net), x)
    assert [layer["type"] for layer in layers] == ["Linear", "BatchNorm1d", "Linear"]
    expect_layers(layers, "net", "Linear", count=2)
    with pytest.raises(CheckFailure, match="bias=False"):
        expect_layers(layers, "net", "Linear", bias=True)
