"""Hidden tests for Lab 2: random inputs, closed forms, networks compared with the architecture asked for, seeded
training steps with several optimizers, and diagnoses of the common mistakes. Every failure carries a hint."""

from __future__ import annotations

import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from ganlab.grading import standins
from ganlab.grading.netcheck import functional_compare
from ganlab.checks.lab2 import (
    ABOUT_Q_SHARE, ABOUT_R1, HINT_Q_ORDER, HINT_R1_FAKE, HINT_R1_FULL_GAMMA, HINT_R1_GAMMA, HINT_R1_GRAD_OF_MEAN,
    HINT_R1_GRAPH, HINT_R1_MEAN_GRAD, HINT_R1_NOT_SQUARED, HINT_R1_SIDE_EFFECT, HINT_R1_SUM, Q_SHARE, R1, r1_ref,
    penalty_parameter_grads,
    ABOUT_COVERAGE, ABOUT_D_LOSS, ABOUT_D_STAR, ABOUT_GP, ABOUT_G_GRAD, ABOUT_G_LOSS, ABOUT_HINGE, ABOUT_JSD,
    ABOUT_LSGAN, ABOUT_RING, ABOUT_STEP, ABOUT_WGAN, COVERAGE, DISC, D_LOSS, D_STAR, GEN, GP, G_GRAD, G_LOSS, HINGE,
    HINT_BCE_CLAMP, HINT_CLIP_EACH, HINT_CLIP_G, HINT_COV_ALL_MODES, HINT_COV_BOUNDARY, HINT_COV_COUNT,
    HINT_COV_ONE_STD, HINT_COV_SQUARED, HINT_COV_TYPES, HINT_COV_VARIANCE, HINT_CREATE_GRAPH, HINT_DETACH,
    HINT_DSTAR_EPS, HINT_DSTAR_FLIPPED, HINT_DTYPE_KEPT, HINT_D_POOLED, HINT_D_SIGMOID, HINT_D_STEPS_G,
    HINT_D_SWAPPED, HINT_GP_EPS, HINT_GP_GRAD_OF_MEAN, HINT_GP_GRAPH_FAKE, HINT_GP_LAMBDA, HINT_GP_MEAN,
    HINT_GP_REAL, HINT_GP_SIDE_EFFECT, HINT_GP_SQUARED, HINT_GRAD_SIGN, HINT_GRAD_SWAPPED, HINT_G_LEAKY,
    HINT_G_NONSAT_FOR_SAT, HINT_G_SATURATING, HINT_G_SIGN, HINT_G_TANH, HINT_HINGE_G, HINT_HINGE_SWAPPED,
    HINT_JSD_COMMON_ZERO, HINT_JSD_KL_MEAN, HINT_JSD_LOG2, HINT_JSD_NO_HALF, HINT_LS_HALF, HINT_LS_TARGETS,
    HINT_NET_ACTIVATION, HINT_ONE_D_STEP, HINT_SIGMOID_EXP, HINT_SIGMOID_LOG, HINT_STEP_ARGS, HINT_STEP_FLOATS,
    HINT_STEP_INPUTS, HINT_W_SIGN, HINT_ZERO_GRAD, JSD, LSGAN, RING, STEP, WGAN, _finite_or_fail, _number, _pair,
    backprop, build_step_inputs, call_step, check_ring, expect_grad, graded, params_of, penalty_ref, tensor,
    unchanged,
)
from ganlab.grading.testing import (
    CheckFailure, SubmissionError, Trusted, as_float_tensor, expect_close, expect_true, fail,
)


def _randn(seed, *shape, scale=1.0, dtype=torch.float32):
    g = torch.Generator().manual_seed(seed)
    return (torch.randn(*shape, generator=g, dtype=torch.float64) * scale).to(dtype)


def _autograd(fn, *inputs):
    """(value, gradients) of ``fn`` at float64 copies of ``inputs`` (the trusted formula, in this process)."""
    leaves = [x.detach().double().clone().requires_grad_(True) for x in inputs]
    value = fn(*leaves)
    grads = torch.autograd.grad(value, leaves, allow_unused=True)
    return float(value.detach()), [torch.zeros_like(x) if g is None else g for x, g in zip(leaves, grads)]


def _d_loss(r, f):
    return F.softplus(-r).mean() + F.softplus(f).mean()


# -- losses from logits ----------------------------------------------------------------------------------------

def logit_batches(draw_shapes=2):
    """A hypothesis strategy of logit batches: sizes 1..5, shape (m,) or (m, 1), float32 or float64, |a| up to 100."""
    from hypothesis import strategies as st

    def batch(seed_size_column_dtype_scale):
        seed, size, column, dtype, scale = seed_size_column_dtype_scale
        a = _randn(seed, size, scale=scale, dtype=dtype).clamp(-100, 100)
        return a.unsqueeze(1) if column else a

    one = st.tuples(st.integers(0, 10_000), st.integers(1, 5), st.booleans(),
                    st.sampled_from([torch.float32, torch.float64]), st.sampled_from([0.5, 3.0, 40.0])).map(batch)
    return st.tuples(*[one] * draw_shapes)


def for_examples(strategy, check, examples=10):
    """Run ``check`` on ``examples`` derandomised examples of ``strategy`` (no shrinking: the first failure stands)."""
    from hypothesis import HealthCheck, Phase, given, settings

    settings(derandomize=True, max_examples=examples, database=None, deadline=None, phases=[Phase.generate],
             suppress_health_check=list(HealthCheck))(given(strategy)(check))()


@graded(D_LOSS, points=1, hidden=True, hint=ABOUT_D_LOSS)
def d_loss_random_logits(sub):
    """Random logits of two batch sizes and shapes: value and gradients with respect to both batches."""
    real, fake = _randn(1, 7, 1, scale=3), _randn(2, 3, 1, scale=3)
    rd, fd = real.double(), fake.double()
    expected = _d_loss(rd, fd)
    pooled = torch.cat([F.softplus(-rd), F.softplus(fd)]).mean()
    swapped = F.softplus(rd).mean() + F.softplus(-fd).mean()
    out = sub.call("discriminator_loss", real, fake)
    expect_close(_number(out, "discriminator_loss"), expected, "discriminator_loss on random logits", rtol=1e-5,
                 diagnoses=[(swapped, HINT_D_SWAPPED), (pooled, HINT_D_POOLED)])
    real1, fake5 = _randn(3, 1, scale=2), _randn(4, 5, 1, scale=2)  # a batch of 1 (m,), fakes (n, 1)
    _, (g_real, g_fake) = _autograd(_d_loss, real1, fake5)
    _, (s_real, s_fake) = _autograd(lambda r, f: F.softplus(r).mean() + F.softplus(-f).mean(), real1, fake5)
    _, grads = backprop(sub, "discriminator_loss", [real1.tolist(), fake5.tolist()])
    expect_grad(grads[0], g_real, "one real logit", diagnoses=[(s_real, HINT_D_SWAPPED)])
    expect_grad(grads[1], g_fake, "five fake logits", diagnoses=[(s_fake, HINT_D_SWAPPED)])

    def check(batches):
        real, fake = batches
        out = sub.call("discriminator_loss", real, fake)
        value = _finite_or_fail(out, "discriminator_loss on logits of size up to 100", HINT_SIGMOID_LOG)
        swapped = F.softplus(real.double()).mean() + F.softplus(-fake.double()).mean()
        expect_close(_number(value, "discriminator_loss"), _d_loss(real.double(), fake.double()),
                     "discriminator_loss on batches of sizes 1 to 5, flat or column, float32 or float64", rtol=1e-5,
                     atol=1e-6, diagnoses=[(swapped, HINT_D_SWAPPED)])

    for_examples(logit_batches(2), check)


@graded(D_LOSS, points=1, hidden=True, hint=ABOUT_D_LOSS)
def d_loss_confident_discriminator(sub):
    """Logits of size up to 200, float32 and float64: finite and exact, and so are the gradients."""
    real, fake = _randn(3, 16, scale=80).clamp(-200, 200), _randn(4, 16, scale=80).clamp(-200, 200)
    expected = _d_loss(real.double(), fake.double())
    out = sub.call("discriminator_loss", real, fake)
    value = _finite_or_fail(out, "discriminator_loss on confident logits", HINT_SIGMOID_LOG)
    swapped = F.softplus(real.double()).mean() + F.softplus(-fake.double()).mean()
    clamped = (F.binary_cross_entropy(torch.sigmoid(real), torch.ones_like(real))
               + F.binary_cross_entropy(torch.sigmoid(fake), torch.zeros_like(fake)))
    expect_close(value.reshape(()), expected, "discriminator_loss on confident logits", rtol=1e-5,
                 diagnoses=[(swapped, HINT_D_SWAPPED), (clamped, HINT_BCE_CLAMP)])
    real64, fake64 = torch.tensor([150.0, -150.0, 3.0], dtype=torch.float64), torch.tensor([-800.0, 800.0])
    _, (g_real, g_fake) = _autograd(_d_loss, real64, fake64)
    value, grads = backprop(sub, "discriminator_loss", [real64.tolist(), fake64.tolist()], dtype="float64")
    _finite_or_fail(value, "discriminator_loss on float64 logits of size 800", HINT_SIGMOID_LOG)
    expect_close(value, _d_loss(real64, fake64.double()), "discriminator_loss on float64 logits of size 800", rtol=1e-9)
    for grad, want, what in ((grads[0], g_real, "confident real logits"), (grads[1], g_fake, "confident fake logits")):
        if grad is not None:
            _finite_or_fail(grad, f"the gradient with respect to {what}", HINT_SIGMOID_LOG)
        expect_grad(grad, want, what, hint=ABOUT_D_LOSS)


@graded(G_LOSS, points=1, hidden=True, hint=ABOUT_G_LOSS)
def g_loss_random_logits(sub):
    """Random logits (9, 1), both variants, including confident ones (|a| up to 150): values and gradients."""
    a = _randn(5, 9, 1, scale=50).clamp(-150, 150)
    ns = F.softplus(-a.double()).mean()
    sat = -F.softplus(a.double()).mean()
    out = sub.call("generator_loss", a, saturating=False)
    value = _finite_or_fail(out, "generator_loss(a, saturating=False)", HINT_SIGMOID_LOG)
    expect_close(value.reshape(()), ns, "generator_loss(a, saturating=False) on random logits", rtol=1e-5,
                 diagnoses=[(sat, HINT_G_SATURATING), (-sat, HINT_G_SATURATING)])
    out = sub.call("generator_loss", a, saturating=True)
    value = _finite_or_fail(out, "generator_loss(a, saturating=True)", HINT_SIGMOID_LOG)
    expect_close(value.reshape(()), sat, "generator_loss(a, saturating=True) on random logits", rtol=1e-5,
                 diagnoses=[(ns, HINT_G_NONSAT_FOR_SAT), (-sat, HINT_G_SIGN)])
    b = _randn(15, 6, scale=3)
    for saturating, fn in ((False, lambda x: F.softplus(-x).mean()), (True, lambda x: -F.softplus(x).mean())):
        _, (want,) = _autograd(fn, b)
        _, (grad,) = backprop(sub, "generator_loss", [b.tolist()], saturating=saturating)
        expect_grad(grad, want, f"the logits (saturating={saturating})",
                    diagnoses=[(-want, HINT_G_SIGN)], hint=ABOUT_G_LOSS)


@graded(G_LOSS, points=1, hidden=True, hint=ABOUT_G_LOSS)
def g_loss_default_is_non_saturating(sub):
    """Called with logits only, generator_loss is the non-saturating loss (also on one logit)."""
    a = _randn(6, 5, scale=2)
    out = sub.call("generator_loss", a)
    expect_close(_number(out, "generator_loss(a)"), F.softplus(-a.double()).mean(), "generator_loss(a) (default)",
                 rtol=1e-5, diagnoses=[(-F.softplus(a.double()).mean(), HINT_G_SATURATING)])
    one = _randn(16, 1, 1, scale=2)
    out = sub.call("generator_loss", one)
    expect_close(_number(out, "generator_loss(one logit)"), F.softplus(-one.double()).mean(),
                 "generator_loss on a batch of 1", rtol=1e-5,
                 diagnoses=[(-F.softplus(one.double()).mean(), HINT_G_SATURATING)])

    def check(batches):
        (a,) = batches
        for saturating, expected in ((False, F.softplus(-a.double()).mean()), (True, -F.softplus(a.double()).mean())):
            out = sub.call("generator_loss", a, saturating=saturating)
            value = _finite_or_fail(out, f"generator_loss(saturating={saturating}) on logits up to 100",
                                    HINT_SIGMOID_LOG)
            expect_close(_number(value, "generator_loss"), expected, f"generator_loss(saturating={saturating}) on "
                         "batches of sizes 1 to 5, flat or column, float32 or float64", rtol=1e-5, atol=1e-6,
                         diagnoses=[(-expected, HINT_G_SIGN)])

    for_examples(logit_batches(1), check)


@graded(G_GRAD, points=2, hidden=True, hint=ABOUT_G_GRAD)
def logit_grad_matches_autograd(sub):
    """On random float64 logits of shape (3, 4), some of size 800: equals autograd of the per-sample losses; dtype,
    shape and input kept."""
    a = _randn(7, 3, 4, scale=4, dtype=torch.float64)
    a[0, 0], a[2, 3] = 800.0, -800.0
    leaf = a.clone().requires_grad_(True)
    (sat,) = torch.autograd.grad((-F.softplus(leaf)).sum(), leaf)
    (ns,) = torch.autograd.grad(F.softplus(-leaf).sum(), leaf)
    ref = tensor(sub, a.tolist(), "float64")
    for saturating, expected, other in ((True, sat, ns), (False, ns, sat)):
        out = sub.call("generator_logit_grad", ref, saturating=saturating)
        if not isinstance(out, torch.Tensor):
            fail(f"generator_logit_grad should return a tensor, got {type(out).__name__}.", HINT_DTYPE_KEPT)
        expect_true(out.dtype == torch.float64, f"generator_logit_grad should keep the input dtype (float64), "
                                                f"got {out.dtype}.", HINT_DTYPE_KEPT)
        _finite_or_fail(out, "generator_logit_grad on logits of size 800", HINT_SIGMOID_EXP)
        expect_close(out, expected, f"generator_logit_grad(a, saturating={saturating}) on a (3, 4) tensor",
                     rtol=1e-7, atol=1e-12, diagnoses=[(other, HINT_GRAD_SWAPPED), (-expected, HINT_GRAD_SIGN),
                                                       (expected / 12, "Per sample, not averaged: no mean.")])
    unchanged(sub, [(ref, a)], "generator_logit_grad")


# -- optimal discriminator and JSD ---------------------------------------------------------------------------

@graded(D_STAR, points=1, hidden=True, hint=ABOUT_D_STAR)
def d_star_random_densities(sub):
    """Random positive densities (2, 50) at several scales down to 1e-30: p_data / (p_data + p_g); 1/2 where equal."""
    p = _randn(8, 2, 50, dtype=torch.float64).exp()
    q = _randn(9, 2, 50, dtype=torch.float64).exp()
    for scale in (1.0, 1e-30):
        out = sub.call("optimal_discriminator", p * scale, q * scale)
        _finite_or_fail(out, "optimal_discriminator on random densities", HINT_DSTAR_EPS)
        expect_close(out, p / (p + q), "optimal_discriminator on random densities (2, 50)", rtol=1e-9,
                     diagnoses=[(q / (p + q), HINT_DSTAR_FLIPPED)])
    out = sub.call("optimal_discriminator", p, p.clone())
    expect_close(out, torch.full_like(p, 0.5), "optimal_discriminator(p, p)", diagnoses=[])


def _jsd(p, q):
    m = 0.5 * (p + q)
    kl = lambda a: torch.where(a > 0, a * (a / m).log(), torch.zeros_like(a)).sum()  # noqa: E731
    return 0.5 * kl(p) + 0.5 * kl(q)


@graded(JSD, points=2, hidden=True, hint=ABOUT_JSD)
def jsd_and_the_virtual_training_criterion(sub):
    """On random distributions with zeros (some shared) and tiny entries: JSD matches, and -log 4 + 2 JSD equals
    V(D*, G) summed."""
    for seed, dtype in ((10, torch.float64), (11, torch.float64), (12, torch.float32)):
        p = _randn(seed, 40, dtype=torch.float64).exp()
        q = _randn(seed + 100, 40, dtype=torch.float64).exp()
        p[:5] = 0.0
        q[-3:] = 0.0
        p[20], q[20] = 0.0, 0.0  # an entry where both are 0
        p[7] = 1e-30 if dtype == torch.float64 else 1e-20
        p, q = p / p.sum(), q / q.sum()
        p_in, q_in = p.to(dtype), q.to(dtype)
        out = sub.call("js_divergence", p_in, q_in)
        value = _finite_or_fail(out, "js_divergence on distributions with zero entries", HINT_JSD_COMMON_ZERO)
        p, q = p_in.double(), q_in.double()
        expected = _jsd(p, q)
        d_star = torch.where(p + q > 0, p / (p + q), torch.zeros_like(p))
        c_of_g = torch.xlogy(p, d_star).sum() + torch.xlogy(q, 1 - d_star).sum()
        assert abs(float(c_of_g) - (-math.log(4) + 2 * float(expected))) < 1e-6  # the identity the test relies on
        rtol = 1e-7 if dtype == torch.float64 else 1e-4
        expect_close(value.reshape(()), expected, "js_divergence on random distributions (40,)", rtol=rtol,
                     diagnoses=[(2 * expected, HINT_JSD_NO_HALF), (expected / math.log(2), HINT_JSD_LOG2),
                                (expected / 40, HINT_JSD_KL_MEAN)])
        expect_close(-math.log(4) + 2 * value.reshape(()), c_of_g, "-log 4 + 2 * js_divergence(p, q) against "
                     "V(D*, G) computed directly", rtol=rtol)
    values = p_in.tolist()
    ref = tensor(sub, values)
    sub.call("js_divergence", ref, q_in)
    unchanged(sub, [(ref, values)], "js_divergence")


# -- data --------------------------------------------------------------------------------------------------------

@graded(RING, points=1, hidden=True, hint=ABOUT_RING)
def ring_other_sizes(sub):
    """ring_modes for other numbers of modes and radii (by keyword too): distinct centres at angles 2 pi k / n."""
    check_ring(sub.call("ring_modes", 5, 3.5), 5, 3.5, "ring_modes(5, 3.5)")
    check_ring(sub.call("ring_modes", num_modes=12, radius=0.5), 12, 0.5, "ring_modes(num_modes=12, radius=0.5)")
    check_ring(sub.call("ring_modes", 2, radius=0.75), 2, 0.75, "ring_modes(2, radius=0.75)")


# -- networks ------------------------------------------------------------------------------------------------------

def mlp(n_in, hidden, n_out, act=nn.ReLU, out=None):
    """The MLP of the text: three hidden Linear layers with ``act`` after each, linear output (``out`` appended)."""
    layers = [nn.Linear(n_in, hidden), act(), nn.Linear(hidden, hidden), act(), nn.Linear(hidden, hidden), act(),
              nn.Linear(hidden, n_out)]
    return nn.Sequential(*layers, *([out()] if out else []))


def check_network(sub, name, args, kwargs, sizes, seed, wrong_out, wrong_hint):
    """Build the submission's network, compare it with the trusted MLP (batch of 7 and batch of 1, train and eval),
    then check that a backward pass reaches every parameter."""
    sub.trusted("torch.manual_seed", seed, keep=False)
    net = sub.new(name, *args, **kwargs)
    label = f"{name}({', '.join([*map(repr, args), *(f'{k}={v!r}' for k, v in kwargs.items())])})"
    diagnoses = [(lambda: mlp(*sizes, act=lambda: nn.LeakyReLU(0.2)), HINT_G_LEAKY),
                 (lambda: mlp(*sizes, act=nn.LeakyReLU), HINT_G_LEAKY),
                 (lambda: mlp(*sizes, out=wrong_out), wrong_hint)]
    for batch in (7, 1):
        x = _randn(seed + batch, batch, sizes[0], scale=1.5)
        functional_compare(sub, net, mlp(*sizes), [x], label, diagnoses=diagnoses)
    sub.method(net, "train")
    sub.trusted("ganlab.grading.standins.backward_sum", net, _randn(seed, 4, sizes[0]), keep=False)
    missing = [n for n, g in sub.state(net)["grads"].items() if g is None]
    expect_true(not missing, f"these parameters of {label} received no gradient: {missing[:4]}",
                "every layer must be used in forward (no layer defined but skipped, no .detach() inside)")


@graded(GEN, points=1, hidden=True, hint=HINT_NET_ACTIVATION)
def generator_default_computes_the_mlp(sub):
    """Generator() computes the MLP of the text (ReLU hidden layers, linear output), whatever its initialisation."""
    check_network(sub, "Generator", (), {}, (2, 128, 2), 1, nn.Tanh, HINT_G_TANH)


@graded(GEN, points=1, hidden=True, hint=HINT_NET_ACTIVATION)
def generator_other_sizes(sub):
    """Generator with other sizes, by keyword: the same MLP with those sizes."""
    check_network(sub, "Generator", (), {"latent_dim": 5, "hidden_dim": 7, "data_dim": 3}, (5, 7, 3), 2, nn.Tanh,
                  HINT_G_TANH)


@graded(DISC, points=1, hidden=True, hint=HINT_NET_ACTIVATION)
def discriminator_default_returns_logits(sub):
    """Discriminator() computes the MLP of the text and returns logits (no sigmoid), whatever its initialisation."""
    check_network(sub, "Discriminator", (), {}, (2, 128, 1), 3, nn.Sigmoid, HINT_D_SIGMOID)


@graded(DISC, points=1, hidden=True, hint=HINT_NET_ACTIVATION)
def discriminator_other_sizes(sub):
    """Discriminator with other sizes, by keyword: the same MLP with those sizes, one logit per sample."""
    check_network(sub, "Discriminator", (), {"hidden_dim": 9, "data_dim": 4}, (4, 9, 1), 4, nn.Sigmoid,
                  HINT_D_SIGMOID)


# -- the training step -------------------------------------------------------------------------------------------

OPTIMIZERS = {"sgd": lambda p, lr: torch.optim.SGD(p, lr=lr),
              "momentum": lambda p, lr: torch.optim.SGD(p, lr=lr, momentum=0.9),
              "adam": lambda p, lr: torch.optim.Adam(p, lr=lr)}


def batches(seed, call, k, batch, latent, data):
    g = torch.Generator().manual_seed(100 + seed + 17 * call)
    real = torch.randn(k, batch, data, generator=g, dtype=torch.float64) + 1.0
    noise = torch.randn(k + 1, batch, latent, generator=g, dtype=torch.float64)
    return real, noise


def simulate_step(seed, k, calls, penalty=False, clip=None, bug=None, stale=False, batch=4, latent=3, data=2, lr=0.1,
                  optimizer="sgd"):
    """Parameters of (generator, discriminator) after ``calls`` train steps, computed here; ``bug`` reproduces one
    known mistake (see ``STEP_BUGS``)."""
    gen = standins.probe_generator(latent, data, seed)
    disc = standins.tiny_mlp(data, 1, seed + 1)
    opt_g = OPTIMIZERS[optimizer](gen.parameters(), lr)
    opt_d = OPTIMIZERS[optimizer](disc.parameters(), lr)
    if stale:
        standins.fill_grads(gen, 5.0)
        standins.fill_grads(disc, -3.0)
    losses = None

    def clamp(net):
        with torch.no_grad():
            for p in net.parameters():
                p.clamp_(-clip, clip)

    for call in range(calls):
        real, noise = batches(seed, call, k, batch, latent, data)
        if bug == "zero_grad_once":
            opt_d.zero_grad()
        for i in range(1 if bug == "one_d_step" else k):
            if clip is not None and bug == "clip_before":
                clamp(disc)
            x_fake = gen(noise[i]).detach()
            r, f = disc(real[i]), disc(x_fake)
            d_loss = standins.odd_d_loss(f, r) if bug == "swap_args" else standins.odd_d_loss(r, f)
            if penalty:
                d_loss = d_loss + standins.odd_penalty(disc, real[i], x_fake)
            if bug not in ("no_zero_grad", "zero_grad_once", "zero_grad_after_backward"):
                opt_d.zero_grad()
            d_loss.backward()
            if bug == "zero_grad_after_backward":
                opt_d.zero_grad()
            (opt_g if bug == "d_steps_g" else opt_d).step()
            if clip is not None and bug not in ("clip_before", "clip_end"):
                clamp(gen if bug == "clip_g" else disc)
        if clip is not None and bug == "clip_end":
            clamp(disc)
        g_noise = noise[k - 1] if bug == "reuse_fake" else noise[k]
        g_loss = standins.odd_g_loss(disc(gen(g_noise)))
        if bug != "no_zero_grad":
            opt_g.zero_grad()
        g_loss.backward()
        opt_g.step()
        losses = (float(d_loss.detach()), float(g_loss.detach()))
    return params_of_local(gen), params_of_local(disc), losses


def params_of_local(module):
    return torch.cat([p.detach().reshape(-1) for _, p in sorted(module.named_parameters())])


def flat(params: dict):
    return torch.cat([params[n].reshape(-1) for n in sorted(params)])


def run_remote(sub, seed, k, calls, stale=False, batch=4, optimizer="sgd", lr=0.1, **kwargs):
    gen, disc, opt_g, opt_d, _, _ = build_step_inputs(sub, seed, k, batch=batch, optimizer=optimizer, lr=lr)
    if stale:
        sub.trusted("ganlab.grading.standins.fill_grads", gen, 5.0, keep=False)
        sub.trusted("ganlab.grading.standins.fill_grads", disc, -3.0, keep=False)
    losses = None
    for call in range(calls):
        real, noise = batches(seed, call, k, batch, 3, 2)
        extra = {}
        if kwargs.get("penalty"):
            extra["penalty"] = Trusted("ganlab.grading.standins.odd_penalty")
        if kwargs.get("clip") is not None:
            extra["clip"] = kwargs["clip"]
        losses = call_step(sub, gen, disc, opt_g, opt_d, real, noise, **extra)
    return gen, disc, losses


HINT_ZERO_GRAD_AFTER = ("opt_d.zero_grad() was called between backward() and step(), which wipes the gradient just "
                        "computed: zero the gradients before backward, then backward, then step.")
HINT_REUSE_FAKE = ("The generator step reused the last discriminator step's fakes: it draws its own batch "
                   "generator(noise_batches[k]) (row k) and scores it with the updated discriminator.")
HINT_CLIP_END = "Clamp after *each* discriminator step, not once after the k steps."
HINT_CLIP_BEFORE = ("The clamp ran before the discriminator's update: clamp after opt_d.step(), so the parameters "
                    "lie in [-clip, clip] when the step returns.")
STEP_BUGS = [("d_steps_g", HINT_D_STEPS_G), ("no_zero_grad", HINT_ZERO_GRAD), ("zero_grad_once", HINT_ZERO_GRAD),
             ("zero_grad_after_backward", HINT_ZERO_GRAD_AFTER), ("swap_args", HINT_STEP_ARGS),
             ("one_d_step", HINT_ONE_D_STEP), ("reuse_fake", HINT_REUSE_FAKE)]
CLIP_BUGS = [("clip_g", HINT_CLIP_G), ("clip_end", HINT_CLIP_END), ("clip_before", HINT_CLIP_BEFORE)]


def compare_networks(sub, gen, disc, seed, k, calls, what, **kwargs):
    g_ref, d_ref, _ = simulate_step(seed, k, calls, **kwargs)
    got = torch.cat([flat(params_of(sub, gen)), flat(params_of(sub, disc))])
    expected = torch.cat([g_ref, d_ref])
    diagnoses = []
    for bug, hint in STEP_BUGS + (CLIP_BUGS if kwargs.get("clip") is not None else []):
        if bug == "reuse_fake" and k < 1:
            continue
        g_bug, d_bug, _ = simulate_step(seed, k, calls, bug=bug, **kwargs)
        if not torch.allclose(torch.cat([g_bug, d_bug]), expected, rtol=1e-7, atol=1e-10):
            diagnoses.append((torch.cat([g_bug, d_bug]), hint))
    try:
        expect_close(got, expected, what, rtol=1e-7, atol=1e-10, diagnoses=diagnoses)
    except CheckFailure as exc:
        raise CheckFailure(str(exc), exc.hint or ABOUT_STEP) from None


@graded(STEP, points=2, hidden=True, hint=ABOUT_STEP)
def step_matches_algorithm_one(sub):
    """Two calls with k = 3 and SGD: parameters and returned losses match Algorithm 1 exactly."""
    gen, disc, losses = run_remote(sub, 3, k=3, calls=2)
    count = sub.getattr(gen, "backward_count")
    if count > 2:
        fail(f"{count} backward passes reached the generator's output in two train_step calls with k = 3; expected "
             f"2 (one per generator step). {HINT_DETACH}", HINT_DETACH)
    compare_networks(sub, gen, disc, 3, 3, 2, "the parameters of (generator, discriminator) after two train_step calls "
                     "with k = 3")
    _, _, ref_losses = simulate_step(3, 3, 2)
    expect_close(list(losses), list(ref_losses), "(d_loss, g_loss) returned by the second call", rtol=1e-7,
                 atol=1e-10)


@graded(STEP, points=2, hidden=True, hint=HINT_ZERO_GRAD)
def step_ignores_stale_gradients(sub):
    """Gradients left in .grad before the step must not change it (zero_grad before every backward)."""
    gen, disc, _ = run_remote(sub, 4, k=2, calls=1, stale=True)
    got = torch.cat([flat(params_of(sub, gen)), flat(params_of(sub, disc))])
    g_ref, d_ref, _ = simulate_step(4, 2, 1, stale=True)
    if torch.allclose(got, torch.cat([g_ref, d_ref]), rtol=1e-7, atol=1e-10):
        return
    # Only blame stale gradients when the same step without them is right (another mistake has its own test).
    gen2, disc2, _ = run_remote(sub, 4, k=2, calls=1)
    clean = torch.cat([flat(params_of(sub, gen2)), flat(params_of(sub, disc2))])
    g_clean, d_clean, _ = simulate_step(4, 2, 1)
    if not torch.allclose(clean, torch.cat([g_clean, d_clean]), rtol=1e-7, atol=1e-10):
        compare_networks(sub, gen2, disc2, 4, 2, 1, "parameters after one train_step (k = 2, no stale gradients)")
    fail("gradients left in .grad before train_step changed its update. " + HINT_ZERO_GRAD, HINT_ZERO_GRAD)


@graded(STEP, points=2, hidden=True, hint=ABOUT_STEP)
def step_with_penalty_and_clipping(sub):
    """penalty and clip = 0.3: the penalty joins D's loss; only the discriminator's weights are clamped, after each
    D step."""
    gen, disc, losses = run_remote(sub, 5, k=2, calls=2, penalty=True, clip=0.3)
    compare_networks(sub, gen, disc, 5, 2, 2, "parameters after two train_step calls with a penalty and clip=0.3",
                     penalty=True, clip=0.3)
    d_params = flat(params_of(sub, disc))
    expect_true(float(d_params.abs().max()) <= 0.3 + 1e-12,
                "with clip=0.3 every discriminator parameter must lie in [-0.3, 0.3] after the step (clamp them after "
                "each discriminator step).", HINT_CLIP_EACH)
    _, _, ref_losses = simulate_step(5, 2, 2, penalty=True, clip=0.3)
    expect_close(list(losses), list(ref_losses), "(d_loss, g_loss) returned with a penalty (d_loss includes it)",
                 rtol=1e-7, atol=1e-10, diagnoses=[([ref_losses[0] - 0.0, ref_losses[1]], HINT_STEP_ARGS)])


@graded(STEP, points=2, hidden=True, hint=ABOUT_STEP)
def step_with_adam_and_momentum(sub):
    """Adam with k = 1 on batches of 1, and SGD with momentum with k = 2: two calls each match Algorithm 1."""
    for optimizer, k, batch, lr in (("adam", 1, 1, 0.05), ("momentum", 2, 3, 0.05)):
        gen, disc, _ = run_remote(sub, 6, k=k, calls=2, batch=batch, optimizer=optimizer, lr=lr)
        compare_networks(sub, gen, disc, 6, k, 2, f"parameters after two train_step calls with {optimizer}, k = {k}, "
                         f"batches of {batch}", batch=batch, optimizer=optimizer, lr=lr)


@graded(STEP, points=1, hidden=True, hint="train_step returns two Python floats and changes no input batch")
def step_returns_floats_and_keeps_its_inputs(sub):
    """train_step returns two Python floats, leaves real_batches and noise_batches as they were, and accepts
    penalty=None, clip=None passed explicitly."""
    gen, disc, opt_g, opt_d, real, noise = build_step_inputs(sub, 7, k=2)
    real_ref, noise_ref = tensor(sub, real.tolist(), "float64"), tensor(sub, noise.tolist(), "float64")
    out = sub.call("train_step", gen, disc, opt_g, opt_d, real_ref, noise_ref,
                   Trusted("ganlab.grading.standins.odd_d_loss"), Trusted("ganlab.grading.standins.odd_g_loss"),
                   penalty=None, clip=None)
    expect_true(isinstance(out, (tuple, list)) and len(out) == 2, "train_step should return (d_loss, g_loss).",
                HINT_STEP_FLOATS)
    types = [type(v).__name__ for v in out]
    expect_true(all(isinstance(v, float) for v in out), f"train_step returned ({', '.join(types)}), expected two "
                "Python floats.", HINT_STEP_FLOATS)
    for ref, values in ((real_ref, real), (noise_ref, noise)):
        now = sub.state(ref)["value"]
        expect_true(torch.equal(now, values), "train_step changed real_batches or noise_batches in place.",
                    HINT_STEP_INPUTS)


# -- mode coverage -----------------------------------------------------------------------------------------------

def _coverage(samples, modes, std, factor=3.0, need_quality=True, squared=False, strict=False):
    d = torch.cdist(samples.double(), modes.double())
    if squared:
        d = d**2
    nearest, which = d.min(dim=1)
    good = nearest < factor * std if strict else nearest <= factor * std
    captured = which[good] if need_quality else which
    return [float(captured.unique().numel()), float(good.double().mean())]


def _coverage_diagnoses(samples, modes, std, expected):
    wrong = [(_coverage(samples, modes, std, factor=1.0), HINT_COV_ONE_STD),
             (_coverage(samples, modes, std, squared=True), HINT_COV_SQUARED),
             (_coverage(samples, modes, std ** 2), HINT_COV_VARIANCE),
             (_coverage(samples, modes, std, strict=True), HINT_COV_BOUNDARY),
             ([expected[0], expected[1] * len(samples)], HINT_COV_COUNT),
             ([expected[0], expected[1] * 100], HINT_COV_COUNT),
             (_coverage(samples, modes, std, need_quality=False), HINT_COV_ALL_MODES)]
    return [(w, h) for w, h in wrong if w != expected]


@graded(COVERAGE, points=2, hidden=True, hint=ABOUT_COVERAGE)
def coverage_on_a_collapsed_ring(sub):
    """2,500 samples: 5 of 8 ring modes, some blurry samples and outliers; std 0.02."""
    angles = 2 * math.pi * torch.arange(8, dtype=torch.float64) / 8
    modes = 2 * torch.stack([angles.cos(), angles.sin()], 1)
    g = torch.Generator().manual_seed(30)
    which = torch.randint(5, (2500,), generator=g)
    scale = torch.where(torch.rand(2500, generator=g, dtype=torch.float64) < 0.8, 0.02, 0.06).unsqueeze(1)
    samples = (modes[which] + scale * torch.randn(2500, 2, generator=g, dtype=torch.float64)).float()
    samples[:40] = torch.rand(40, 2, generator=g) * 6 - 3
    expected = _coverage(samples, modes.float(), 0.02)
    out = sub.call("mode_coverage", samples, modes.float(), 0.02)
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        fail(f"mode_coverage should return (num_modes, quality), got {type(out).__name__}.", HINT_COV_TYPES)
    count, quality = out
    expect_close(as_float_tensor([float(count), float(quality)], "(num_modes, quality)"), expected,
                 "mode_coverage on 2,500 samples of a collapsed ring", rtol=1e-6, atol=1e-6,
                 diagnoses=_coverage_diagnoses(samples, modes.float(), 0.02, expected))


@graded(COVERAGE, points=1, hidden=True, hint=ABOUT_COVERAGE)
def coverage_small_float64_and_boundary(sub):
    """float64 samples and modes: a single sample, samples exactly 3 std away, one mode only; returns (int, float)
    and leaves its inputs unchanged."""
    modes = torch.tensor([[1.0, 2.0], [-3.0, 0.5], [4.0, -4.0]], dtype=torch.float64)
    samples = torch.tensor([[1.0, 2.75], [-3.5, 0.5], [0.0, 0.0], [4.0, -3.5], [-3.0, 1.25]], dtype=torch.float64)
    std = 0.25  # 3 * std = 0.75: the first and last samples lie exactly on the threshold
    cases = [(samples, modes, std), (samples[2:4], modes, std), (samples[:1], modes[:1], std),
             (samples[3:4], modes[2:], 0.1)]
    for s, m, sd in cases:
        expected = _coverage(s, m, sd)
        values = s.tolist()
        s_ref = tensor(sub, values, "float64")
        out = sub.call("mode_coverage", s_ref, m, sd)
        if not isinstance(out, (tuple, list)) or len(out) != 2:
            fail(f"mode_coverage should return (num_modes, quality), got {type(out).__name__}.", HINT_COV_TYPES)
        count, quality = out
        expect_true(isinstance(count, int) and not isinstance(count, bool) and isinstance(quality, float),
                    f"mode_coverage returned ({type(count).__name__}, {type(quality).__name__}), expected "
                    "(int, float).", HINT_COV_TYPES)
        expect_close([float(count), quality], expected, f"mode_coverage on {len(s)} float64 sample(s), {len(m)} "
                     "mode(s)", rtol=1e-6, atol=1e-9, diagnoses=_coverage_diagnoses(s, m, sd, expected))
        unchanged(sub, [(s_ref, values)], "mode_coverage")


# -- loss family ------------------------------------------------------------------------------------------------

def _scores(seed):
    return _randn(seed, 6, 1, scale=2), _randn(seed + 1, 4, 1, scale=2)


def check_pair_gradients(sub, name, d_fn, g_fn, seed, hint):
    """Gradients of both losses on one real score (shape (1,)) and three fake scores (shape (3, 1))."""
    real, fake = _randn(seed, 1, scale=2), _randn(seed + 1, 3, 1, scale=2)
    for index, fn in ((0, d_fn), (1, g_fn)):
        _, want = _autograd(fn, real, fake)
        _, grads = backprop(sub, name, [real.tolist(), fake.tolist()], index=index)
        label = ("d_loss", "g_loss")[index]
        expect_grad(grads[0], want[0], f"one real score ({label})", hint=hint)
        expect_grad(grads[1], want[1], f"three fake scores ({label})", hint=hint)


@graded(LSGAN, points=1, hidden=True, hint=ABOUT_LSGAN)
def lsgan_random_scores(sub):
    """Random scores of two batch sizes: values, and gradients on a batch of 1 real score."""
    r, f = _scores(40)
    rd, fd = r.double(), f.double()
    d, g = _pair(sub.call("lsgan_losses", r, f), "lsgan_losses")
    expect_close(d, 0.5 * ((rd - 1) ** 2).mean() + 0.5 * (fd**2).mean(), "d_loss of lsgan_losses on random scores",
                 rtol=1e-5, diagnoses=[(((rd - 1) ** 2).mean() + (fd**2).mean(), HINT_LS_HALF),
                                       (0.5 * (rd**2).mean() + 0.5 * ((fd - 1) ** 2).mean(), HINT_LS_TARGETS)])
    expect_close(g, 0.5 * ((fd - 1) ** 2).mean(), "g_loss of lsgan_losses on random scores", rtol=1e-5,
                 diagnoses=[(((fd - 1) ** 2).mean(), HINT_LS_HALF)])
    check_pair_gradients(sub, "lsgan_losses", lambda r, f: 0.5 * ((r - 1) ** 2).mean() + 0.5 * (f**2).mean(),
                         lambda r, f: 0.5 * ((f - 1) ** 2).mean() + 0 * r.sum(), 41, ABOUT_LSGAN)


@graded(WGAN, points=1, hidden=True, hint=ABOUT_WGAN)
def wgan_random_scores(sub):
    """Random scores of two batch sizes: values, and gradients on a batch of 1 real score."""
    r, f = _scores(42)
    rd, fd = r.double(), f.double()
    d, g = _pair(sub.call("wgan_losses", r, f), "wgan_losses")
    expect_close(d, fd.mean() - rd.mean(), "d_loss of wgan_losses on random scores", rtol=1e-5,
                 diagnoses=[(rd.mean() - fd.mean(), HINT_W_SIGN)])
    expect_close(g, -fd.mean(), "g_loss of wgan_losses on random scores", rtol=1e-5,
                 diagnoses=[(fd.mean(), HINT_W_SIGN)])
    check_pair_gradients(sub, "wgan_losses", lambda r, f: f.mean() - r.mean(), lambda r, f: -f.mean() + 0 * r.sum(),
                         43, ABOUT_WGAN)


@graded(HINGE, points=1, hidden=True, hint=ABOUT_HINGE)
def hinge_random_scores(sub):
    """Random scores of two batch sizes, some inside and some outside the margin: values and gradients."""
    r, f = _scores(44)
    rd, fd = r.double(), f.double()
    d, g = _pair(sub.call("hinge_losses", r, f), "hinge_losses")
    expect_close(d, F.relu(1 - rd).mean() + F.relu(1 + fd).mean(), "d_loss of hinge_losses on random scores",
                 rtol=1e-5, diagnoses=[(F.relu(1 + rd).mean() + F.relu(1 - fd).mean(), HINT_HINGE_SWAPPED)])
    expect_close(g, -fd.mean(), "g_loss of hinge_losses on random scores", rtol=1e-5,
                 diagnoses=[(F.relu(1 - fd).mean(), HINT_HINGE_G), (fd.mean(), HINT_W_SIGN)])
    check_pair_gradients(sub, "hinge_losses", lambda r, f: F.relu(1 - r).mean() + F.relu(1 + f).mean(),
                         lambda r, f: -f.mean() + 0 * r.sum(), 45, ABOUT_HINGE)


# -- gradient penalty -----------------------------------------------------------------------------------------

def _gp(weights, shift, real, fake, eps, lam, where="interpolates", reduce="per_sample", squared=False, of_mean=False):
    critic = standins.quadratic_critic(weights, shift)
    if where == "interpolates":
        points = eps * real + (1 - eps) * fake
    elif where == "swapped":
        points = eps * fake + (1 - eps) * real
    else:
        points = real
    points = points.detach().clone().requires_grad_(True)
    scores = critic(points)
    (grads,) = torch.autograd.grad(scores.mean() if of_mean else scores.sum(), points, create_graph=True)
    norms = grads.norm(dim=1)
    if squared:
        norms = norms**2
    if reduce == "per_sample":
        value = lam * ((norms - 1) ** 2).mean()
    elif reduce == "mean_grad":
        value = lam * (grads.mean(0).norm() - 1) ** 2
    elif reduce == "whole_batch":
        value = lam * (grads.norm() - 1) ** 2
    else:
        value = lam * (norms.mean() - 1) ** 2
    value.backward()
    return float(value.detach()), torch.cat([critic.shift.grad, critic.weights.grad])


@graded(GP, points=2, hidden=True, hint=ABOUT_GP)
def penalty_random_interpolates(sub):
    """Random critic, batches and eps, two values of lambda_gp: value and gradient w.r.t. the critic's parameters."""
    weights, shift = _randn(50, 3, dtype=torch.float64).tolist(), _randn(51, 3, dtype=torch.float64).tolist()
    real, fake = _randn(52, 6, 3, dtype=torch.float64), _randn(53, 6, 3, dtype=torch.float64)
    eps = torch.rand(6, 1, generator=torch.Generator().manual_seed(54), dtype=torch.float64)
    for lam in (10.0, 2.5):
        critic = sub.trusted("ganlab.grading.standins.quadratic_critic", weights, shift)
        ref, value = penalty_ref(sub, critic, real, fake, eps, lambda_gp=lam)
        expected, expected_grad = _gp(weights, shift, real, fake, eps, lam)
        wrong = [(_gp(weights, shift, real, fake, eps, lam, where="real")[0], HINT_GP_REAL),
                 (_gp(weights, shift, real, fake, eps, lam, reduce="mean_grad")[0], HINT_GP_MEAN),
                 (_gp(weights, shift, real, fake, eps, lam, reduce="mean_norm")[0], HINT_GP_MEAN),
                 (_gp(weights, shift, real, fake, eps, lam, reduce="whole_batch")[0], HINT_GP_MEAN),
                 (_gp(weights, shift, real, fake, eps, lam, where="swapped")[0], HINT_GP_EPS),
                 (_gp(weights, shift, real, fake, eps, lam, squared=True)[0], HINT_GP_SQUARED),
                 (_gp(weights, shift, real, fake, eps, lam, of_mean=True)[0], HINT_GP_GRAD_OF_MEAN),
                 (_gp(weights, shift, real, fake, eps, 10.0)[0], HINT_GP_LAMBDA),
                 (_gp(weights, shift, real, fake, eps, 1.0)[0], HINT_GP_LAMBDA)]
        expect_close(value, expected, f"gradient_penalty(..., lambda_gp={lam}) on random inputs", rtol=1e-7,
                     diagnoses=wrong)
        got = penalty_parameter_grads(sub, ref, critic, HINT_CREATE_GRAPH)
        expect_close(got, expected_grad, "the critic's parameter gradient of the penalty", rtol=1e-6, atol=1e-10,
                     diagnoses=[(torch.zeros_like(expected_grad), HINT_CREATE_GRAPH)])


@graded(GP, points=1, hidden=True, hint=ABOUT_GP)
def penalty_default_eps_is_uniform(sub):
    """With eps=None the interpolates lie between the batches: a linear critic with |w| = 1 gives exactly 0."""
    critic = sub.trusted("ganlab.grading.standins.quadratic_critic", [0.0, 0.0], [0.6, 0.8])
    real, fake = _randn(60, 8, 2, dtype=torch.float64), _randn(61, 8, 2, dtype=torch.float64)
    out = sub.call("gradient_penalty", critic, real, fake)
    expect_close(_number(out, "gradient_penalty(linear critic)"), 0.0, "gradient_penalty with a linear critic of "
                 "slope 1 and eps=None", atol=1e-9)
    critic = sub.trusted("ganlab.grading.standins.quadratic_critic", [0.0, 0.0], [1.2, 1.6])
    out = sub.call("gradient_penalty", critic, real, fake)
    expect_close(_number(out, "gradient_penalty(linear critic)"), 10.0, "gradient_penalty with a linear critic of "
                 "slope 2 and eps=None (10 * (2 - 1)^2)", rtol=1e-7, diagnoses=[(1.0, HINT_GP_LAMBDA)])


@graded(GP, points=1, hidden=True, hint=HINT_GP_SIDE_EFFECT)
def penalty_with_generator_graph_and_no_side_effects(sub):
    """A float32 batch of 1 whose fake carries a generator's graph: right value, inputs and their flags unchanged."""
    weights, shift = [0.7, -1.3], [0.4, 0.9]
    real_values, fake_values, eps = [[0.8, -1.1]], [[-0.6, 0.3]], torch.tensor([[0.35]])
    x_real = tensor(sub, real_values)
    g_param = tensor(sub, fake_values, requires_grad=True)  # stands for the generator's output before a layer
    x_fake = sub.trusted("torch.mul", g_param, 1.5)  # a non-leaf tensor that requires a gradient
    critic = sub.trusted("ganlab.grading.standins.quadratic_critic", weights, shift)
    try:
        out = sub.new("gradient_penalty", critic, x_real, x_fake, eps=eps)
    except SubmissionError as exc:
        fail(f"gradient_penalty raised when x_fake carries a graph ({exc}).", HINT_GP_GRAPH_FAKE)
    value = _number(sub.method(out, "detach"), "gradient_penalty(...)")
    real = torch.tensor(real_values, dtype=torch.float64)
    fake = 1.5 * torch.tensor(fake_values, dtype=torch.float64)
    expected, _ = _gp(weights, shift, real, fake, eps.double(), 10.0)
    expect_close(value, expected, "gradient_penalty on a batch of 1 (float32)", rtol=1e-5,
                 diagnoses=[(_gp(weights, shift, real, fake, eps.double(), 10.0, where="real")[0], HINT_GP_REAL),
                            (_gp(weights, shift, real, fake, eps.double(), 10.0, where="swapped")[0], HINT_GP_EPS)])
    expect_true(not sub.getattr(x_real, "requires_grad"), "gradient_penalty set requires_grad on x_real.",
                HINT_GP_SIDE_EFFECT)
    unchanged(sub, [(x_real, real_values), (g_param, fake_values)], "gradient_penalty")



# -- question 1 -------------------------------------------------------------------------------------------------

HINT_Q_SHARE = ("Weigh each fake by the absolute value of its logit derivative for the loss in question (section 3) "
                "and divide the rejected fake's weight by the sum of both weights.")
HINT_Q_BOTH_SAT = ("Both shares are the saturating loss's: the non-saturating loss has another derivative "
                   "(section 3), so its weights differ.")
HINT_Q_SECOND = "That is the share of the nearly accepted fake (a = 1); the question asks for the rejected one."


def _share(weight, rejected=-4.0, accepted=1.0):
    return weight(rejected) / (weight(rejected) + weight(accepted))


@graded(Q_SHARE, points=1.5, hidden=True, hint=HINT_Q_SHARE)
def question_answer_values(sub):
    """The two shares, to 3 decimals."""
    out = sub.call("question_weight_share")
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        fail("question_weight_share() should return a tuple of two floats.", ABOUT_Q_SHARE)
    got = torch.tensor([float(_number(v, "each share")) for v in out], dtype=torch.float64)
    sat = _share(lambda a: 1 / (1 + math.exp(-a)))
    ns = _share(lambda a: 1 / (1 + math.exp(a)))
    expected = torch.tensor([sat, ns], dtype=torch.float64)
    expect_close(got, expected, "the two shares of question 1", atol=6e-4, rtol=0.0,
                 diagnoses=[(torch.tensor([ns, sat], dtype=torch.float64), HINT_Q_ORDER),
                            (torch.tensor([sat, sat], dtype=torch.float64), HINT_Q_BOTH_SAT),
                            (torch.tensor([1 - sat, 1 - ns], dtype=torch.float64), HINT_Q_SECOND)])


# -- R1 penalty -------------------------------------------------------------------------------------------------

def _r1(weights, shift, real, fake, gamma, where="real", half=True, squared=True, reduce="mean", of_mean=False):
    critic = standins.quadratic_critic(weights, shift)
    points = (real if where == "real" else fake).detach().clone().requires_grad_(True)
    logits = critic(points)
    (grads,) = torch.autograd.grad(logits.mean() if of_mean else logits.sum(), points, create_graph=True)
    per_sample = grads.square().sum(dim=1) if squared else grads.norm(dim=1)
    factor = 0.5 * gamma if half else gamma
    if reduce == "mean":
        value = factor * per_sample.mean()
    elif reduce == "sum":
        value = factor * per_sample.sum()
    else:
        value = factor * grads.mean(0).square().sum()
    value.backward()
    return float(value.detach()), torch.cat([critic.shift.grad, critic.weights.grad])


@graded(R1, points=2, hidden=True, hint=ABOUT_R1)
def r1_random_value_and_gradient(sub):
    """Random quadratic critic and batches (B = 5, 3-d), the default gamma and gamma = 1.7: value and the gradient
    with respect to the critic's parameters."""
    weights, shift = _randn(70, 3, dtype=torch.float64).tolist(), _randn(71, 3, dtype=torch.float64).tolist()
    real, fake = _randn(72, 5, 3, dtype=torch.float64), _randn(73, 5, 3, dtype=torch.float64)
    for gamma in (None, 1.7):
        g = 0.2 if gamma is None else gamma
        kwargs = {} if gamma is None else {"gamma": gamma}
        critic = sub.trusted("ganlab.grading.standins.quadratic_critic", weights, shift)
        ref, value = r1_ref(sub, critic, real, fake, **kwargs)
        expected, expected_grad = _r1(weights, shift, real, fake, g)
        wrong = [(_r1(weights, shift, real, fake, g, where="fake")[0], HINT_R1_FAKE),
                 (_r1(weights, shift, real, fake, g, half=False)[0], HINT_R1_FULL_GAMMA),
                 (_r1(weights, shift, real, fake, g, squared=False)[0], HINT_R1_NOT_SQUARED),
                 (_r1(weights, shift, real, fake, g, reduce="sum")[0], HINT_R1_SUM),
                 (_r1(weights, shift, real, fake, g, reduce="mean_grad")[0], HINT_R1_MEAN_GRAD),
                 (_r1(weights, shift, real, fake, g, of_mean=True)[0], HINT_R1_GRAD_OF_MEAN),
                 (_r1(weights, shift, real, fake, 10.0)[0], HINT_R1_GAMMA),
                 (_r1(weights, shift, real, fake, 1.0)[0], HINT_R1_GAMMA)]
        if gamma is not None:
            wrong.append((_r1(weights, shift, real, fake, 0.2)[0], HINT_R1_GAMMA))
        expect_close(value, expected, f"r1_penalty(..., gamma={g}) on random inputs", rtol=1e-7, diagnoses=wrong)
        got = penalty_parameter_grads(sub, ref, critic, HINT_R1_GRAPH)
        expect_close(got, expected_grad, "the critic's parameter gradient of the penalty", rtol=1e-6, atol=1e-10,
                     diagnoses=[(torch.zeros_like(expected_grad), HINT_R1_GRAPH)])


@graded(R1, points=1, hidden=True, hint=ABOUT_R1)
def r1_network_float32_batch_of_one(sub):
    """A small Tanh MLP discriminator in float32, batches of 1 and 4, x_fake=None: value as the reference within
    float32 precision, a 0-dim float32 result, x_real unchanged (values and requires_grad flag)."""
    for batch, seed in ((1, 80), (4, 81)):
        real_values = (_randn(seed, batch, 2) * 1.3).tolist()
        disc = sub.trusted("ganlab.grading.standins.tiny_mlp", 2, 1, seed, dtype="float32")
        x_real = tensor(sub, real_values)
        out = sub.new("r1_penalty", disc, x_real, None, gamma=0.7)
        if out.type.split(".")[-1] != "Tensor":
            fail(f"r1_penalty should return a 0-dim tensor, got {out.type}.", ABOUT_R1)
        value = sub.method(out, "detach")
        expect_true(value.dtype == torch.float32 and value.dim() == 0,
                    f"r1_penalty returned dtype {value.dtype}, shape {tuple(value.shape)}; expected a 0-dim float32 "
                    "tensor for float32 inputs.", ABOUT_R1)
        net = standins.tiny_mlp(2, 1, seed, dtype="float32")
        points = torch.tensor(real_values, dtype=torch.float32, requires_grad=True)
        (slopes,) = torch.autograd.grad(net(points).sum(), points)
        expected = 0.35 * float(slopes.square().sum(dim=1).mean())
        expect_close(float(value), expected, f"r1_penalty on a Tanh MLP, batch of {batch}", rtol=1e-5, atol=1e-7)
        expect_true(not sub.getattr(x_real, "requires_grad"), "r1_penalty set requires_grad on x_real.",
                    HINT_R1_SIDE_EFFECT)
        unchanged(sub, [(x_real, real_values)], "r1_penalty")


@graded(R1, points=1, hidden=True, hint=ABOUT_R1)
def r1_reads_real_points_only(sub):
    """The discriminator is evaluated at the real points with a gradient-requiring input; the fakes change nothing."""
    weights, shift = [0.9, -0.4], [0.3, 0.6]
    real = _randn(90, 3, 2, dtype=torch.float64)
    values = []
    for fake in (_randn(91, 3, 2, dtype=torch.float64), None):
        critic = sub.trusted("ganlab.grading.standins.recording_critic", weights, shift)
        try:
            out = sub.call("r1_penalty", critic, real, fake)
        except SubmissionError as exc:
            if fake is None:
                fail(f"r1_penalty failed with x_fake=None ({exc}).", HINT_R1_FAKE)
            raise
        values.append(float(_number(out, "r1_penalty(...)")))
        inputs, flags = sub.getattr(critic, "inputs"), sub.getattr(critic, "requires_grad")
        if not inputs:
            fail("r1_penalty never called the discriminator.", ABOUT_R1)
        if not any(torch.allclose(x, real) for x in inputs) or any(not torch.allclose(x, real) for x in inputs):
            fail("the discriminator was evaluated at points other than the real samples.", HINT_R1_FAKE)
        expect_true(all(flags), "the discriminator's input did not require a gradient: differentiate with respect to "
                    "a copy of x_real that requires one.", ABOUT_R1)
    expect_close(values[1], values[0], "r1_penalty with x_fake=None against the same call with fakes", rtol=1e-12,
                 diagnoses=[])

# Warm up torch.optim's lazy imports here, at import time, so the first training-step test does not pay for them.
simulate_step(0, 1, 1, optimizer="adam")
