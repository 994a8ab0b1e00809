"""ganlab.cyclegan's measurement helpers: what swap_instance_norm puts in the net and computes; fit_cyclegan's ema_decay."""

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


# --- fit_cyclegan's ema_decay: the averages it keeps, and what snapshots and the monitor see ---------------------

def _tiny_generator():
    """A generator with weights AND buffers (batch norm's running statistics), both of which the average covers."""
    return nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.Conv2d(4, 3, 1), nn.Tanh())


def _recording_step(states):
    """A stand-in for cyclegan_step: one Adam step of G and F towards the other domain's batch (the test needs the
    weights to move, not a CycleGAN), recording both generators' state after the step."""
    from ganlab.cyclegan import LOSS_NAMES

    def step(G, F, D_X, D_Y, opt_g, opt_d, x, y, pool_x, pool_y, lambda_cyc, lambda_idt):
        opt_g.zero_grad()
        loss = (G(x) - y).abs().mean() + (F(y) - x).abs().mean()
        loss.backward()
        opt_g.step()
        states.append(({k: v.detach().clone() for k, v in G.state_dict().items()},
                       {k: v.detach().clone() for k, v in F.state_dict().items()}))
        return {name: loss.item() for name in LOSS_NAMES}
    return step


def _fit(steps, ema_decay, monitor=None, fixed_x=None):
    from ganlab.cyclegan import adam, fit_cyclegan

    torch.manual_seed(0)
    G, F = _tiny_generator(), _tiny_generator()
    D_X, D_Y = nn.Conv2d(3, 1, 1), nn.Conv2d(3, 1, 1)
    x, y = torch.rand(16, 3, 8, 8) * 2 - 1, torch.rand(16, 3, 8, 8) * 2 - 1
    states = []
    history = fit_cyclegan(_recording_step(states), G, F, D_X, D_Y, adam(G, F, lr=1e-2), adam(D_X, D_Y), x, y,
                           steps=steps, pools=(None, None), batch_size=4, progress=False, ema_decay=ema_decay,
                           monitor=monitor, fixed_x=fixed_x, snapshot_every=steps)
    return G, F, history, states


def test_ema_decay_keeps_the_average_weight_average_gives_and_it_differs_from_the_live_generators():
    from ganlab.training import weight_average

    decay, steps = 0.8, 6
    G, F, history, states = _fit(steps, decay)
    assert len(states) == steps and history.averages is not None
    for index, live in enumerate((G, F)):
        # the same average built by hand: weight_average of the initial net, updated with each recorded state
        net = _tiny_generator()
        expected = weight_average(net, decay)
        for state in states:
            net.load_state_dict(state[index])
            expected.update_parameters(net)
        got = history.averages[index]
        for (name, a), b in zip(got.module.state_dict().items(), expected.module.state_dict().values()):
            assert torch.allclose(a.float(), b.float(), atol=1e-6), name
        # and by the formula (Yazici et al. 2019, eq. 2): the first update copies, then decay * avg + (1 - decay) * w
        manual = dict(states[0][index])
        for state in states[1:]:
            manual = {k: decay * manual[k] + (1 - decay) * state[index][k] if v.is_floating_point() else state[index][k]
                      for k, v in manual.items()}
        for name, a in got.module.state_dict().items():
            if a.is_floating_point():
                assert torch.allclose(a, manual[name], atol=1e-6), name
        # the average lags the live generator: different weights, different outputs
        diffs = [float((a - b).detach().abs().max()) for a, b in zip(got.module.parameters(), live.parameters())]
        assert max(diffs) > 1e-4
        probe = torch.rand(2, 3, 8, 8) * 2 - 1
        got.eval(), live.eval()
        with torch.no_grad():
            assert not torch.allclose(got(probe), live(probe), atol=1e-4)


def test_ema_decay_is_what_snapshots_and_the_monitor_see_and_training_is_unchanged():
    seen = []

    def monitor(step, G, F):
        seen.append((G, F))
        return {}

    fixed_x = torch.rand(2, 3, 8, 8) * 2 - 1
    G, F, history, states = _fit(4, 0.9, monitor, fixed_x)
    assert all(g is history.averages[0] and f is history.averages[1] for g, f in seen)
    from ganlab.cyclegan import translate
    assert torch.allclose(history.snapshots[-1][1], translate(history.averages[0], fixed_x))
    G0, F0, history0, states0 = _fit(4, None, monitor, fixed_x)
    assert history0.averages is None and seen[-1] == (G0, F0)
    for (g, f), (g0, f0) in zip(states, states0):        # the averages never feed back into training
        assert all(torch.equal(g[k], g0[k]) for k in g) and all(torch.equal(f[k], f0[k]) for k in f)
