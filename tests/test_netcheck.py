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


def test_functional_compare_through_the_sandboxed_worker(tmp_path):
    """The same comparison through the grader's worker: only plain values cross the wire."""
    import json

    from autograder.notebook import load
    from autograder.remote import RemoteSubmission, WorkerSession

    code = ("import torch\nfrom torch import nn\n"
            "class Net(nn.Module):\n"
            "    def __init__(self):\n"
            "        super().__init__()\n"
            "        self.head = nn.Linear(6, 3)\n"
            "        self.norm = nn.BatchNorm1d(6)\n"
            "        self.proj = nn.Linear(4, 6, bias=False)\n"
            "    def forward(self, x):\n"
            "        return torch.sigmoid(self.head(nn.functional.leaky_relu(self.norm(self.proj(x)), 0.2)))\n")
    nb = {"nbformat": 4, "nbformat_minor": 5, "metadata": {},
          "cells": [{"cell_type": "code", "metadata": {}, "source": code, "outputs": [], "execution_count": None}]}
    path = tmp_path / "net.ipynb"
    path.write_text(json.dumps(nb))
    session = WorkerSession(load(path))
    try:
        session.begin_test(30)
        sub = RemoteSubmission(session)
        ref = sub.new("Net")
        x = torch.randn(3, 4, generator=torch.Generator().manual_seed(1))
        layers = structure(sub, ref, x)
        assert [layer["type"] for layer in layers] == ["Linear", "BatchNorm1d", "Linear"]
        with pytest.raises(CheckFailure, match="Sigmoid"):
            functional_compare(sub, ref, reference_net(), [x], "Net",
                               diagnoses=[(lambda: reference_net(out=nn.Sigmoid()), "It ends with a Sigmoid.")])
    finally:
        session.close()
