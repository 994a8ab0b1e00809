"""Lab 4's public checks ship stored numbers (never the exercises' formulas): each stored value must equal what the
hidden side's formulas or reference steps give on the same inputs, so a stale or mistyped constant fails here
rather than as a wrong verdict on a student."""

from __future__ import annotations

import torch

from autograder.hidden import lab4 as hidden
from ganlab.checks import lab4 as c
from ganlab.grading import standins


def _close(a, b, tol=1e-5):
    a, b = torch.as_tensor(a, dtype=torch.float64), torch.as_tensor(b, dtype=torch.float64)
    assert a.shape == b.shape and torch.allclose(a, b, rtol=tol, atol=tol), (a, b)


def test_acgan_losses_and_gradients():
    value, grads, wrongs = hidden._by_formula(hidden._acgan_d_formula, c.acgan_d_case(), (0, 1, 3, 4))
    _close(value, c.ACGAN_D_EXPECTED)
    for got, stored in zip(grads, c.ACGAN_D_GRADS):
        _close(got, stored)
    stored_wrongs = {round(float(v), 6) for v, _ in c.ACGAN_D_WRONGS}
    assert {round(float(v), 6) for v, _ in wrongs} <= stored_wrongs
    value, grads, _ = hidden._by_formula(hidden._acgan_g_formula, c.acgan_g_case(), (0, 1))
    _close(value, c.ACGAN_G_EXPECTED)
    for got, stored in zip(grads, c.ACGAN_G_GRADS):
        _close(got, stored)


def test_q_loss_parts_and_gradients():
    cat_logits, c_cat, cont_mean, c_cont = (t.double() if t.is_floating_point() else t for t in c.q_case())
    cat_logits.requires_grad_(True)
    cont_mean.requires_grad_(True)
    cat = torch.nn.functional.cross_entropy(cat_logits, c_cat)
    cont = ((c_cont - cont_mean) ** 2 / 2).sum(1).mean()
    _close(cat, c.Q_CAT)
    _close(cont, c.Q_CONT)
    grads = torch.autograd.grad(cat + cont, [cat_logits, cont_mean])
    for got, stored in zip(grads, c.Q_GRADS):
        _close(got, stored)


def test_cgan_step_d_loss():
    inputs = c.step_inputs(0, 6, 4)
    gen = standins.lab4_cond_generator(c.STEP_LATENT, c.STEP_CLASSES, c.STEP_DATA, 0)
    disc = standins.lab4_cond_discriminator(c.STEP_DATA, c.STEP_CLASSES, 1)
    opts = [hidden._SGD(n.parameters(), 0.1) for n in (gen, disc)]
    d_loss, _ = hidden._reference_step(gen, disc, *opts, *inputs)
    _close(d_loss, c.STEP_D_LOSS)


def test_class_grid_is_the_eval_mode_output():
    gen = c.local_generator(0, 4).eval()
    z = torch.randn(3, c.GRID_LATENT, generator=c.generator(0))
    with torch.no_grad():
        out = gen(z.repeat(4, 1), torch.arange(4).repeat_interleave(3))
    _close(out.view(12, -1), c.GRID_EXPECTED)


def test_infogan_step_numbers():
    def nets(seed):
        return (standins.lab4_cond_generator(c.INFO_NOISE + c.INFO_CONT, c.INFO_CATS, c.INFO_DATA, seed),
                standins.lab4_info_discriminator(c.INFO_DATA, c.INFO_CATS + c.INFO_CONT, seed + 1))

    gen, disc = nets(0)
    x_real, z, c_cat, c_cont = c.info_inputs(0, 6, 4)
    with torch.no_grad():   # the information loss of the D step's fakes, before any update
        head = disc(gen(torch.cat([z, c_cont], 1), c_cat))[1]
        mi = standins.lab4_odd_q_loss(head[:, :3], c_cat, head[:, 3:], c_cont)[0].item()
    losses = hidden._reference_info_step(gen, disc, *hidden._local_info_optimizers(gen, disc, "sgd", 0.1, 0.05),
                                         x_real, z, c_cat, c_cont, standins.lab4_odd_q_loss, 0.7)
    _close(losses, c.STEP_INFO_LOSSES)
    _close(losses[0] + 0.7 * mi, c.STEP_INFO_D_WITH_MI)

    gen, disc = nets(1)
    opts = hidden._local_info_optimizers(gen, disc, "adam", 0.02, 0.01)
    standins.fill_grads(gen, 0.5)
    standins.fill_grads(disc, -0.3)
    hidden._reference_info_step(gen, disc, *opts, *c.info_inputs(1, 5, 7), standins.lab4_odd_q_loss, 1.3)
    sums = {f"{prefix}.{n}": float(p.detach().double().sum()) for prefix, net in (("generator", gen),
            ("discriminator", disc)) for n, p in net.named_parameters()}
    assert sums.keys() == c.STEP_INFO_PARAMS.keys()
    for name, value in sums.items():
        _close(value, c.STEP_INFO_PARAMS[name], 1e-4)
