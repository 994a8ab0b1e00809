"""Hidden tests for Lab 3: random configurations, PyTorch as the reference, and training steps on stand-ins."""

from __future__ import annotations

import copy

import torch
import torch.nn.functional as F

from ganlab.grading import standins
from ganlab.checks.lab3 import (
    ARITH, DISC, GEN, HINT_ARITH_SIGNS, HINT_ARITH_SUM, HINT_BN_DEFAULT, HINT_BN_MEAN_0, HINT_D_STEP_MOVES_G,
    HINT_G_SATURATING, HINT_LABELS_SWAPPED, HINT_LERP, HINT_OLD_D, HINT_TRAIN_MODE, HINT_ZERO_GRAD, INIT, NAIVE,
    SAMPLE, SIZE, SLERP, STEP, STEP_DATA, STEP_LATENT, call_step, check_conv_weights, check_sample,
    compare_with_torch, count_params, expect_image_shape, generator_output_range, images_from, init_statistics,
    logits_from, params_of, remote_step_setup, slerp_call, step_inputs,
)
from ganlab.grading.testing import SubmissionError, expect_close, expect_true, fail, register


# -- convolution arithmetic ----------------------------------------------------------------------------------

@register(SIZE, points=1, hidden=True)
def size_matches_pytorch_layers(sub):
    """40 random settings (dilation and output_padding included) against the shapes nn.Conv2d / nn.ConvTranspose2d produce."""
    g = torch.Generator().manual_seed(3)
    for _ in range(40):
        size, kernel = int(torch.randint(1, 40, (1,), generator=g)), int(torch.randint(1, 6, (1,), generator=g))
        stride, padding = int(torch.randint(1, 4, (1,), generator=g)), int(torch.randint(0, 3, (1,), generator=g))
        dilation = int(torch.randint(1, 3, (1,), generator=g))
        transposed = bool(torch.randint(0, 2, (1,), generator=g))
        output_padding = int(torch.randint(0, stride, (1,), generator=g)) if transposed else 0
        if transposed and output_padding >= dilation:  # PyTorch requires output_padding < max(stride, dilation)
            output_padding = 0
        if transposed:
            layer = torch.nn.ConvTranspose2d(1, 1, kernel, stride, padding, output_padding, dilation=dilation)
        else:
            layer = torch.nn.Conv2d(1, 1, kernel, stride, padding, dilation=dilation)
        try:
            expected = layer(torch.zeros(1, 1, size, size)).shape[-1]
        except RuntimeError:  # the input is too small for this kernel
            continue
        if expected < 1:
            continue
        kwargs = {"dilation": dilation, "transposed": transposed}
        if transposed:
            kwargs["output_padding"] = output_padding
        got = sub.call("conv_output_size", size, kernel, stride, padding, **kwargs)
        what = (f"conv_output_size({size}, {kernel}, {stride}, {padding}, "
                + ", ".join(f"{k}={v}" for k, v in kwargs.items()) + ")")
        expect_close(got, expected, what, atol=0, rtol=0)
        expect_true(float(got) == int(got), f"{what} is {got}, not a whole number.")


# -- the transposed convolution by hand ----------------------------------------------------------------------

@register(NAIVE, points=1, hidden=True)
def naive_random_configurations(sub):
    """10 random configurations (stride 1-3, padding 0-2, output_padding, non-square inputs, with and without bias) within 1e-5."""
    g = torch.Generator().manual_seed(11)
    configs = [(2, 2, (4, 4), 3, 1, 0, 0), (1, 3, (2, 5), 4, 2, 1, 1), (3, 3, (3, 3), 5, 3, 2, 2),
               (4, 1, (1, 1), 4, 1, 0, 0)]
    while len(configs) < 10:
        stride = int(torch.randint(1, 4, (1,), generator=g))
        kernel = int(torch.randint(1, 6, (1,), generator=g))
        padding = int(torch.randint(0, min(3, kernel), (1,), generator=g))
        output_padding = int(torch.randint(0, stride, (1,), generator=g))
        c_in, c_out = int(torch.randint(1, 5, (1,), generator=g)), int(torch.randint(1, 5, (1,), generator=g))
        h, w = int(torch.randint(1, 6, (1,), generator=g)), int(torch.randint(1, 6, (1,), generator=g))
        if (h - 1) * stride - 2 * padding + kernel + output_padding < 1 or (w - 1) * stride - 2 * padding + kernel + output_padding < 1:
            continue
        configs.append((c_in, c_out, (h, w), kernel, stride, padding, output_padding))
    for i, (c_in, c_out, size, kernel, stride, padding, output_padding) in enumerate(configs):
        compare_with_torch(sub, 100 + i, c_in, c_out, size, kernel, stride, padding, output_padding, bias=i % 2 == 0)


# -- networks ------------------------------------------------------------------------------------------------

@register(GEN, points=1, hidden=True)
def generator_32_full_width_size(sub):
    """Generator(100, 64, 32): 32 x 32 images from 256 channels at 4 x 4 (1,067,520 parameters)."""
    expected = 100 * 256 * 16 + 256 * 128 * 16 + 128 * 64 * 16 + 64 * 3 * 16 + 2 * (256 + 128 + 64)
    sub.trusted("torch.manual_seed", 3, keep=False)
    gen = sub.new("Generator", latent_dim=100, base_channels=64, image_size=32)
    out = images_from(sub, gen, torch.randn(2, 100), "Generator(100, 64, 32)(z)")
    expect_image_shape(out, (2, 3, 32, 32), "Generator(latent_dim=100, base_channels=64, image_size=32)(z (2, 100))")
    n = count_params(sub, gen)
    expect_true(n == expected, f"Generator(100, 64, 32) has {n:,} parameters, expected {expected:,}: at 32 x 32 the "
                               "first layer has base_channels * 4 = 256 channels (one doubling block fewer than 64 x 64).")


@register(GEN, points=1, hidden=True)
def generator_64_output_range(sub):
    """Generator(32, 16, 64) with scaled parameters: outputs stay in [-1, 1] and take both signs (a Tanh)."""
    sub.trusted("torch.manual_seed", 4, keep=False)
    gen = sub.new("Generator", latent_dim=32, base_channels=16, image_size=64)
    z = torch.randn(3, 32, generator=torch.Generator().manual_seed(4))
    out = images_from(sub, gen, z, "Generator(32, 16, 64)(z)")
    expect_image_shape(out, (3, 3, 64, 64), "Generator(latent_dim=32, base_channels=16, image_size=64)(z (3, 32))")
    generator_output_range(sub, gen, z, "Generator(32, 16, 64) with its parameters scaled by 3")


@register(DISC, points=1, hidden=True)
def discriminator_32_full_width(sub):
    """Discriminator(64, 32): 663,296 parameters, (3, 3, 32, 32) -> (3,) logits, and the logits are not squashed."""
    expected = 3 * 64 * 16 + 64 * 128 * 16 + 128 * 256 * 16 + 256 * 16 + 2 * (128 + 256)
    sub.trusted("torch.manual_seed", 5, keep=False)
    disc = sub.new("Discriminator", base_channels=64, image_size=32)
    x = torch.rand(3, 3, 32, 32, generator=torch.Generator().manual_seed(5)) * 2 - 1
    logits_from(sub, disc, x, 3, "Discriminator(64, 32)(x (3, 3, 32, 32))")
    n = count_params(sub, disc)
    expect_true(n == expected, f"Discriminator(64, 32) has {n:,} parameters, expected {expected:,}: at 32 x 32 there "
                               "is one halving block fewer (3->64->128->256, then 256->1 at 4 x 4).")


# -- initialisation ----------------------------------------------------------------------------------------------

@register(INIT, points=1, hidden=True)
def init_batchnorm(sub):
    """Batch-norm weights ~ N(1, 0.02) (mean 1, std 0.02) and biases 0; convolution weights ~ N(0, 0.02) again."""
    params = init_statistics(sub, 7)
    for name in ("1.weight", "2.1.weight"):
        w = params[name]
        mean, std = float(w.mean()), float(w.std())
        if std == 0.0 and mean == 1.0:
            fail(f"batch-norm weights after init_weights are all 1. {HINT_BN_DEFAULT}", HINT_BN_DEFAULT)
        if abs(mean) < 0.01:
            fail(f"batch-norm weights after init_weights have mean {mean:.4f}. {HINT_BN_MEAN_0}", HINT_BN_MEAN_0)
        expect_true(abs(mean - 1) < 0.005 and abs(std - 0.02) < 0.003,
                    f"batch-norm weights after init_weights have mean {mean:.4f} and std {std:.4f}; expected "
                    "N(1, 0.02).", HINT_BN_DEFAULT)
    for name in ("1.bias", "2.1.bias"):
        expect_true(bool((params[name] == 0).all()), "batch-norm biases after init_weights are not all 0.")
    check_conv_weights(params)


# -- the training step ---------------------------------------------------------------------------------------

def _step(gen, disc, opt_g, opt_d, x_real, z, d_scale=1.0, swapped=False, saturating=False, old_d=False,
          d_moves_g=False, zero_grad=True):
    """The reference step, and (by its flags) the mistakes the diagnoses name."""
    real_label, fake_label = (0.0, 1.0) if swapped else (1.0, 0.0)
    disc_before = copy.deepcopy(disc) if old_d else None
    x_fake = gen(z)
    logits_real, logits_fake = disc(x_real), disc(x_fake.detach())
    d_loss = d_scale * (F.binary_cross_entropy_with_logits(logits_real, torch.full_like(logits_real, real_label))
                        + F.binary_cross_entropy_with_logits(logits_fake, torch.full_like(logits_fake, fake_label)))
    if zero_grad:
        opt_d.zero_grad()
    d_loss.backward()
    opt_d.step()
    if d_moves_g:
        opt_g.step()
    logits = disc_before(x_fake) if old_d else disc(x_fake)
    if saturating:
        g_loss = -F.softplus(logits).mean()
    else:
        g_loss = F.binary_cross_entropy_with_logits(logits, torch.ones_like(logits))
    if zero_grad:
        opt_g.zero_grad()
    g_loss.backward()
    opt_g.step()


def _local_run(seed, calls, **flags):
    gen = standins.probe_generator(STEP_LATENT, STEP_DATA, seed, dtype="float32")
    disc = standins.flat_discriminator(STEP_DATA, seed + 1)
    standins.fill_grads(gen, 0.5)
    standins.fill_grads(disc, -0.5)
    opt_g, opt_d = torch.optim.SGD(gen.parameters(), lr=0.1), torch.optim.SGD(disc.parameters(), lr=0.1)
    for x_real, z in calls:
        _step(gen, disc, opt_g, opt_d, x_real, z, **flags)
    return ({n: p.detach().clone() for n, p in gen.named_parameters()},
            {n: p.detach().clone() for n, p in disc.named_parameters()})


def _same(a, b, tol=1e-5):
    return all(torch.allclose(a[n], b[n], rtol=tol, atol=tol) for n in a)


@register(STEP, points=2, hidden=True)
def step_matches_reference(sub):
    """Two steps with stale gradients left in both networks: parameters match the reference (SGD, stand-in networks)."""
    seed = 3
    calls = [step_inputs(10), step_inputs(11)]
    gen, disc, opt_g, opt_d = remote_step_setup(sub, seed)
    sub.trusted("ganlab.grading.standins.fill_grads", gen, 0.5, keep=False)
    sub.trusted("ganlab.grading.standins.fill_grads", disc, -0.5, keep=False)
    for x_real, z in calls:
        call_step(sub, gen, disc, opt_g, opt_d, x_real, z)
    got_g, got_d = params_of(sub, gen), params_of(sub, disc)
    for scale in (1.0, 0.5):  # sum of the two BCE means (reference) or their average: both correct
        ref_g, ref_d = _local_run(seed, calls, d_scale=scale)
        if _same(got_g, ref_g) and _same(got_d, ref_d):
            return
    mistakes = [({"zero_grad": False}, HINT_ZERO_GRAD), ({"swapped": True}, HINT_LABELS_SWAPPED),
                ({"saturating": True}, HINT_G_SATURATING), ({"old_d": True}, HINT_OLD_D),
                ({"d_moves_g": True}, HINT_D_STEP_MOVES_G)]
    for flags, hint in mistakes:
        for scale in (1.0, 0.5):
            wrong_g, wrong_d = _local_run(seed, calls, d_scale=scale, **flags)
            if _same(got_g, wrong_g) and _same(got_d, wrong_d):
                fail(f"after two train_step calls the parameters differ from the reference. {hint}", hint)
    ref_g, ref_d = _local_run(seed, calls)
    if not _same(got_d, ref_d):
        fail("after two train_step calls the discriminator's parameters differ from the reference: its loss is "
             "BCE(D(x_real), 1) + BCE(D(G(z).detach()), 0), with opt_d.zero_grad() before its backward.")
    hint = HINT_D_STEP_MOVES_G
    fail(f"after two train_step calls the generator's parameters differ from the reference. {hint}", hint)


# -- sampling ----------------------------------------------------------------------------------------------------

@register(SAMPLE, points=1, hidden=True)
def sample_single_and_eval(sub):
    """A single latent in training mode (batch norm cannot use batch statistics of one sample), and a generator already in eval mode."""
    try:
        check_sample(sub, 1, batch=1, train_mode=True)
    except SubmissionError as exc:
        fail(f"sample(generator, z of shape (1, 5)) raised: {exc}. {HINT_TRAIN_MODE}", HINT_TRAIN_MODE)
    check_sample(sub, 2, batch=3, train_mode=False)


# -- latent space ----------------------------------------------------------------------------------------------

def _slerp_ref(z0, z1, t):
    z0, z1 = z0.double(), z1.double()
    omega = torch.arccos((z0 @ z1 / (z0.norm() * z1.norm())).clamp(-1, 1))
    t = torch.as_tensor(t, dtype=torch.float64).reshape(-1, 1)
    return (torch.sin((1 - t) * omega) * z0 + torch.sin(t * omega) * z1) / torch.sin(omega)


@register(SLERP, points=1, hidden=True)
def slerp_random_latents(sub):
    """64-d Gaussian latents: values and norms against the formula for a float t and a tensor of 5 t's; parallel inputs stay finite."""
    g = torch.Generator().manual_seed(21)
    z0, z1 = torch.randn(64, generator=g), torch.randn(64, generator=g)
    out = slerp_call(sub, z0, z1, 0.3, "slerp(z0, z1, 0.3)")
    expect_close(out, _slerp_ref(z0, z1, 0.3)[0], "slerp(z0, z1, 0.3) on 64-d latents", rtol=1e-4, atol=1e-5,
                 diagnoses=[(0.7 * z0 + 0.3 * z1, HINT_LERP)])
    ts = torch.tensor([0.0, 0.1, 0.5, 0.9, 1.0])
    out = slerp_call(sub, z0, z1, ts, "slerp(z0, z1, t of shape (5,))")
    expect_close(out, _slerp_ref(z0, z1, ts), "slerp(z0, z1, t of shape (5,))", rtol=1e-4, atol=1e-5)
    out = slerp_call(sub, z0, 2 * z0, 0.5, "slerp(z0, 2 * z0, 0.5)")
    expect_true(bool(torch.isfinite(torch.as_tensor(out)).all()),
                "slerp of two parallel vectors gave NaN or infinity: when the angle is ~0, sin(omega) ~ 0; fall back "
                "to linear interpolation there.")
    expect_close(out, 1.5 * z0, "slerp(z0, 2 * z0, 0.5)", rtol=1e-4, atol=1e-4)


@register(ARITH, points=1, hidden=True)
def arithmetic_random_groups(sub):
    """Groups of 3, 5 and 2 random 8-d latents."""
    g = torch.Generator().manual_seed(31)
    z_a, z_b, z_c = (torch.randn(n, 8, generator=g) for n in (3, 5, 2))
    expected = z_a.mean(0) - z_b.mean(0) + z_c.mean(0)
    out = sub.call("latent_arithmetic", z_a, z_b, z_c)
    expect_close(out, expected, "latent_arithmetic on groups of 3, 5 and 2 latents", rtol=1e-5, atol=1e-6,
                 diagnoses=[(z_a.sum(0) - z_b.sum(0) + z_c.sum(0), HINT_ARITH_SUM),
                            (z_a.mean(0) - z_b.mean(0) - z_c.mean(0), HINT_ARITH_SIGNS)])

