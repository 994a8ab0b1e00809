"""ganlab.training: the monitor hook of fit_gan and the D(x) / D(G(z)) monitor leave training unchanged."""

import torch
from torch import nn
import torch.nn.functional as F

import pytest

from ganlab.training import discriminator_probabilities, fit_gan, frozen_buffers, weight_average


def _nets(seed):
    torch.manual_seed(seed)
    g = nn.Sequential(nn.Linear(4, 6), nn.BatchNorm1d(6), nn.ReLU(), nn.Linear(6, 3))
    d = nn.Sequential(nn.Linear(3, 5), nn.BatchNorm1d(5), nn.LeakyReLU(0.2), nn.Linear(5, 1), nn.Flatten(0))
    return g, d


def _step(g, d, opt_g, opt_d, x_real, z):
    x_fake = g(z)
    lr, lf = d(x_real), d(x_fake.detach())
    d_loss = F.binary_cross_entropy_with_logits(lr, torch.ones_like(lr)) + \
        F.binary_cross_entropy_with_logits(lf, torch.zeros_like(lf))
    opt_d.zero_grad()
    d_loss.backward()
    opt_d.step()
    lf = d(x_fake)
    g_loss = F.binary_cross_entropy_with_logits(lf, torch.ones_like(lf))
    opt_g.zero_grad()
    g_loss.backward()
    opt_g.step()
    return d_loss.item(), g_loss.item()


def _run(monitor):
    g, d = _nets(0)
    opts = [torch.optim.Adam(n.parameters(), lr=1e-2) for n in (g, d)]
    images = torch.randn(40, 3)
    history = fit_gan(_step, g, d, opts[0], opts[1], images, steps=7, batch_size=8, latent_dim=4, seed=3,
                      progress=False, monitor=monitor)
    return history, g, d


def test_monitor_logs_without_changing_training():
    plain, g0, d0 = _run(None)
    calls = []

    def monitor(step, g, d, x_real, z):
        calls.append(step)
        return discriminator_probabilities(g, d, x_real, z) if step % 3 == 0 else None

    logged, g1, d1 = _run(monitor)
    assert plain.logs == {}
    assert calls == list(range(8))  # before each of the 7 steps, and once after the last
    assert [s for s, _ in logged.logs["D(x)"]] == [0, 3, 6]
    assert all(0 < v < 1 for _, v in logged.logs["D(G(z))"])
    assert logged.d_loss == plain.d_loss and logged.g_loss == plain.g_loss
    for a, b in zip(list(g0.state_dict().values()) + list(d0.state_dict().values()),
                    list(g1.state_dict().values()) + list(d1.state_dict().values())):
        assert torch.equal(a, b)


def test_discriminator_probabilities_match_sigmoid_of_logits():
    g, d = _nets(1)
    x, z = torch.randn(5, 3), torch.randn(5, 4)
    before = {k: v.clone() for k, v in list(g.state_dict().items()) + list(d.state_dict().items())}
    with torch.no_grad(), frozen_buffers(g, d):
        expected_real = torch.sigmoid(d(x)).mean().item()
        expected_fake = torch.sigmoid(d(g(z))).mean().item()
    out = discriminator_probabilities(g, d, x, z)
    assert abs(out["D(x)"] - expected_real) < 1e-6 and abs(out["D(G(z))"] - expected_fake) < 1e-6
    after = dict(list(g.state_dict().items()) + list(d.state_dict().items()))
    assert all(torch.equal(before[k], after[k]) for k in before)  # running statistics untouched


def test_every_loop_times_its_steps_and_records_their_losses():
    """fit_gan, fit_pix2pix, fit_cyclegan and fit_infogan time each step with training.timed_call and record the
    losses it returns, step by step (values, not speed: no wall time is asserted)."""
    from ganlab import conditional, cyclegan, pix2pix
    from ganlab.training import timed_call

    assert timed_call(lambda a, b: a + b, 2, 3)[0] == 5
    net = nn.Conv2d(3, 3, 1)
    opt = torch.optim.SGD(net.parameters(), lr=0.0)
    x = torch.rand(6, 3, 4, 4) * 2 - 1
    calls = []

    def record(*values):
        calls.append(len(calls))
        return values

    h = fit_gan(lambda *a: record(1.5, 2.5), net, net, opt, opt, x, steps=3, batch_size=2, latent_dim=2,
                progress=False)
    assert (h.steps, h.d_loss, h.g_loss, h.seconds > 0) == (3, [1.5] * 3, [2.5] * 3, True)
    h = pix2pix.fit_pix2pix(lambda *a: dict(zip(pix2pix.LOSS_NAMES, record(1.0, 2.0, 3.0, 4.0))), net, net, opt, opt,
                            x, x, steps=2, batch_size=2, progress=False)
    assert h.losses["loss_l1"] == [4.0, 4.0] and h.seconds > 0
    h = cyclegan.fit_cyclegan(lambda *a: {n: float(i) for i, n in enumerate(cyclegan.LOSS_NAMES)}, net, net, net,
                              net, opt, opt, x, x, steps=2, pools=(None, None), batch_size=2, progress=False)
    assert h.losses["loss_d_y"] == [6.0, 6.0] and h.seconds > 0
    latent = lambda n, noise_dim, k, c, generator=None: (torch.zeros(n, noise_dim + k + c), torch.zeros(n).long(),
                                                         torch.zeros(n, c))
    h = conditional.fit_infogan(lambda *a: record(0.5, 0.25, 0.125), net, net, opt, opt, opt, x, latent, None,
                                steps=2, noise_dim=2, batch_size=2, progress=False)
    assert (h.d_loss, h.g_loss, h.info_loss, h.seconds > 0) == ([0.5] * 2, [0.25] * 2, [0.125] * 2, True)
    assert len(calls) == 7


def test_weight_average_follows_the_exponential_moving_average_of_weights_and_buffers():
    g, _ = _nets(0)
    avg = weight_average(g, decay=0.9)
    expected = None
    torch.manual_seed(1)
    for _ in range(3):
        with torch.no_grad():
            for p in g.parameters():
                p.add_(torch.randn_like(p))
        g(torch.randn(8, 4))          # moves the batch-norm running statistics too
        avg.update_parameters(g)
        live = {k: v.detach().clone() for k, v in g.state_dict().items() if v.is_floating_point()}
        # the first update starts the average at the live weights (the random initialisation is not averaged in)
        expected = live if expected is None else {k: 0.9 * expected[k] + 0.1 * live[k] for k in live}
    got = avg.module.state_dict()
    for k, v in expected.items():
        torch.testing.assert_close(got[k], v, msg=k)
    # the average is a copy: training the live generator never wrote into it
    assert all(a.data_ptr() != b.data_ptr() for a, b in zip(avg.module.parameters(), g.parameters()))
    avg.eval()
    with torch.no_grad():
        torch.testing.assert_close(avg(torch.ones(2, 4)), avg.module(torch.ones(2, 4)))


@pytest.mark.parametrize("decay", [1.0, -0.1])
def test_weight_average_refuses_a_decay_outside_0_1(decay):
    g, _ = _nets(0)
    with pytest.raises(ValueError, match="decay"):
        weight_average(g, decay=decay)
