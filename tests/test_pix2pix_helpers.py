"""ganlab.pix2pix's training options (Lab 5): the generator's weight average and the linear learning-rate decay."""

import pytest
import torch
from torch import nn

from ganlab import pix2pix
from ganlab.training import weight_average


def _generator(seed=0):
    torch.manual_seed(seed)
    # batch norm: its running statistics are buffers, which the average must follow too
    return nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.Conv2d(4, 2, 1), nn.Tanh())


def _pairs(n=12):
    g = torch.Generator().manual_seed(1)
    return torch.rand(n, 1, 8, 8, generator=g) * 2 - 1, torch.rand(n, 2, 8, 8, generator=g) * 2 - 1


def _state(net):
    return {k: v.clone() for k, v in net.state_dict().items()}


def test_ema_option_evaluates_the_weight_average_not_the_live_generator():
    x, y = _pairs()
    G = _generator()
    h = pix2pix.fit_pix2pix(pix2pix.l1_only_step, G, None, pix2pix.adam(G, 1e-2), None, x, y, steps=6, batch_size=4,
                            progress=False, ema_decay=0.8, fixed_x=x[:2], snapshot_every=3)
    # the same training by hand, with weight_average updated after every step
    G2 = _generator()
    by_hand = weight_average(G2, 0.8)

    def step(*a):
        out = pix2pix.l1_only_step(*a)
        by_hand.update_parameters(G2)
        return out

    pix2pix.fit_pix2pix(step, G2, None, pix2pix.adam(G2, 1e-2), None, x, y, steps=6, batch_size=4, progress=False)
    live, average = _state(G), _state(h.average.module)
    assert all(torch.equal(live[k], _state(G2)[k]) for k in live)          # the average never feeds back
    assert all(torch.allclose(average[k].float(), _state(by_hand.module)[k].float()) for k in average)
    differs = [k for k in live if not torch.allclose(live[k].float(), average[k].float())]
    assert "0.weight" in differs and "1.running_mean" in differs           # weights and buffers both averaged
    # the snapshots show the average, which answers differently from the live G
    final = h.snapshots[-1][1]
    assert torch.allclose(final, pix2pix.translate(h.average, x[:2]))
    assert not torch.allclose(final, pix2pix.translate(G, x[:2]))


def test_without_ema_there_is_no_average_and_the_monitor_sees_the_live_generator():
    x, y = _pairs()
    G = _generator()
    seen = []
    h = pix2pix.fit_pix2pix(pix2pix.l1_only_step, G, None, pix2pix.adam(G), None, x, y, steps=2, batch_size=4,
                            progress=False, monitor=lambda i, g, d: seen.append(g) or {})
    assert h.average is None and all(g is G for g in seen)


def test_decay_steps_lower_both_learning_rates_linearly_to_zero_at_the_end():
    x, y = _pairs()
    G, D = _generator(), nn.Conv2d(3, 1, 1)
    opt_g, opt_d = torch.optim.Adam(G.parameters(), lr=0.1), torch.optim.Adam(D.parameters(), lr=0.3)
    d_rates = []

    def step(G, D, opt_g, opt_d, x, y, lambda_l1):
        d_rates.append(opt_d.param_groups[0]["lr"])
        return pix2pix.l1_only_step(G, D, opt_g, opt_d, x, y, lambda_l1)

    h = pix2pix.fit_pix2pix(step, G, D, opt_g, opt_d, x, y, steps=6, batch_size=4, progress=False, decay_steps=4)
    assert h.lr == pytest.approx([0.1, 0.1, 0.1, 0.075, 0.05, 0.025])   # constant, then (steps - i) / decay_steps
    assert d_rates == pytest.approx([0.3, 0.3, 0.3, 0.225, 0.15, 0.075])
    h = pix2pix.fit_pix2pix(pix2pix.l1_only_step, G, None, torch.optim.Adam(G.parameters(), lr=0.1), None, x, y,
                            steps=3, batch_size=4, progress=False)
    assert h.lr == pytest.approx([0.1] * 3)                             # the default: constant


@pytest.mark.parametrize("decay_steps", [-1, 4])
def test_decay_steps_outside_the_run_are_refused(decay_steps):
    x, y = _pairs()
    G = _generator()
    with pytest.raises(ValueError, match="decay_steps"):
        pix2pix.fit_pix2pix(pix2pix.l1_only_step, G, None, pix2pix.adam(G), None, x, y, steps=3, progress=False,
                            decay_steps=decay_steps)


def test_a_chroma_low_pass_generator_trains_through_fit_pix2pix_and_its_average_keeps_the_filter():
    from ganlab.colour import ChromaLowPass

    x, y = _pairs()
    # the same initial weights with and without the wrapper: the filter changes what the loss sees, so the training
    # ends elsewhere
    G, plain = ChromaLowPass(_generator(), 2), _generator()
    # a conditional step that, like the student's, only calls G(x) and sees its (filtered) output
    seen = []

    def step(G, D, opt_g, opt_d, x, y, lambda_l1):
        seen.append(G(x).detach())
        return pix2pix.l1_only_step(G, D, opt_g, opt_d, x, y, lambda_l1)

    h = pix2pix.fit_pix2pix(step, G, None, pix2pix.adam(G, 1e-2), None, x, y, steps=4, batch_size=4,
                            progress=False, ema_decay=0.5)
    pix2pix.fit_pix2pix(pix2pix.l1_only_step, plain, None, pix2pix.adam(plain, 1e-2), None, x, y, steps=4,
                        batch_size=4, progress=False)
    assert not torch.allclose(G.G[0].weight, plain[0].weight)     # the wrapper's G was trained, differently
    assert len(seen) == 4 and seen[0].shape == (4, 2, 8, 8)
    # the weight average is an average of the wrapped model: it filters too
    assert isinstance(h.average.module, ChromaLowPass) and h.average.module.factor == 2
    out = pix2pix.translate(h.average, x)
    assert torch.allclose(out, ChromaLowPass(h.average.module.G, 2).eval()(x), atol=1e-6)
