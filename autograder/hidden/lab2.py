"""Hidden tests for Lab 2: random inputs, closed forms, seeded training steps and diagnoses of the common mistakes."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from ganlab.grading import standins
from ganlab.checks.lab2 import (
    COVERAGE, D_LOSS, D_STAR, DISC, G_GRAD, G_LOSS, GEN, GP, HINGE, HINT_CLIP_G, HINT_COV_ALL_MODES,
    HINT_COV_COUNT, HINT_COV_ONE_STD, HINT_CREATE_GRAPH, HINT_D_POOLED, HINT_D_STEPS_G, HINT_D_SWAPPED, HINT_DETACH,
    HINT_DSTAR_FLIPPED, HINT_G_NONSAT_FOR_SAT, HINT_G_SATURATING, HINT_G_SIGN, HINT_GP_EPS, HINT_GP_LAMBDA,
    HINT_GP_MEAN, HINT_GP_REAL, HINT_GP_SQUARED, HINT_GRAD_SIGN, HINT_GRAD_SWAPPED, HINT_HINGE_G, HINT_HINGE_SWAPPED,
    HINT_JSD_LOG2, HINT_JSD_NO_HALF, HINT_LS_HALF, HINT_LS_TARGETS, HINT_ONE_D_STEP, HINT_SIGMOID_LOG,
    HINT_STEP_ARGS, HINT_W_SIGN, HINT_ZERO_GRAD, JSD, LSGAN, RING, STEP, WGAN, _finite_or_fail, _number, _pair,
    build_step_inputs, call_step, check_ring, count_params, forward, params_of, penalty_ref,
)
from ganlab.grading.testing import SubmissionError, Trusted, as_float_tensor, expect_close, expect_true, fail, register


def _randn(seed, *shape, scale=1.0, dtype=torch.float32):
    g = torch.Generator().manual_seed(seed)
    return (torch.randn(*shape, generator=g, dtype=torch.float64) * scale).to(dtype)


# -- losses from logits ----------------------------------------------------------------------------------------

@register(D_LOSS, points=1, hidden=True)
def d_loss_random_logits(sub):
    """Random logits of shapes (7, 1) and (3, 1): mean softplus(-real) + mean softplus(fake)."""
    real, fake = _randn(1, 7, 1, scale=3), _randn(2, 3, 1, scale=3)
    expected = F.softplus(-real.double()).mean() + F.softplus(fake.double()).mean()
    pooled = torch.cat([F.softplus(-real.double()), F.softplus(fake.double())]).mean()
    swapped = F.softplus(real.double()).mean() + F.softplus(-fake.double()).mean()
    out = sub.call("discriminator_loss", real, fake)
    expect_close(_number(out, "discriminator_loss"), expected, "discriminator_loss on random logits (7, 1), (3, 1)",
                 rtol=1e-5, diagnoses=[(swapped, HINT_D_SWAPPED), (pooled, HINT_D_POOLED)])


@register(D_LOSS, points=1, hidden=True)
def d_loss_confident_discriminator(sub):
    """Logits of size up to 200 in float32: finite and exact."""
    real, fake = _randn(3, 16, scale=80).clamp(-200, 200), _randn(4, 16, scale=80).clamp(-200, 200)
    expected = F.softplus(-real.double()).mean() + F.softplus(fake.double()).mean()
    out = sub.call("discriminator_loss", real, fake)
    value = _finite_or_fail(out, "discriminator_loss on logits of size up to 200", HINT_SIGMOID_LOG)
    swapped = F.softplus(real.double()).mean() + F.softplus(-fake.double()).mean()
    expect_close(value.reshape(()), expected, "discriminator_loss on logits of size up to 200", rtol=1e-5,
                 diagnoses=[(swapped, HINT_D_SWAPPED)])


@register(G_LOSS, points=1, hidden=True)
def g_loss_random_logits(sub):
    """Random logits (9, 1), both variants, including confident ones (|a| up to 60)."""
    a = _randn(5, 9, 1, scale=20).clamp(-60, 60)
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


@register(G_LOSS, points=1, hidden=True)
def g_loss_default_is_non_saturating(sub):
    """Called with logits only, generator_loss is the non-saturating loss."""
    a = _randn(6, 5, scale=2)
    out = sub.call("generator_loss", a)
    expect_close(_number(out, "generator_loss(a)"), F.softplus(-a.double()).mean(), "generator_loss(a) (default)",
                 rtol=1e-5, diagnoses=[(-F.softplus(a.double()).mean(), HINT_G_SATURATING)])


@register(G_GRAD, points=2, hidden=True)
def logit_grad_matches_autograd(sub):
    """On random float64 logits of shape (3, 4): equals autograd of the per-sample losses; dtype and shape kept."""
    a = _randn(7, 3, 4, scale=4, dtype=torch.float64)
    leaf = a.clone().requires_grad_(True)
    (sat,) = torch.autograd.grad((-F.softplus(leaf)).sum(), leaf)
    (ns,) = torch.autograd.grad(F.softplus(-leaf).sum(), leaf)
    for saturating, expected, other in ((True, sat, ns), (False, ns, sat)):
        out = sub.call("generator_logit_grad", a, saturating=saturating)
        if not isinstance(out, torch.Tensor):
            fail(f"generator_logit_grad should return a tensor, got {type(out).__name__}.")
        expect_true(out.dtype == torch.float64, f"generator_logit_grad should keep the input dtype (float64), "
                                                f"got {out.dtype}.")
        expect_close(out, expected, f"generator_logit_grad(a, saturating={saturating}) on a (3, 4) tensor",
                     rtol=1e-7, atol=1e-12, diagnoses=[(other, HINT_GRAD_SWAPPED), (-expected, HINT_GRAD_SIGN)])


# -- optimal discriminator and JSD ---------------------------------------------------------------------------

@register(D_STAR, points=1, hidden=True)
def d_star_random_densities(sub):
    """Random positive densities (2, 50): p_data / (p_data + p_g), and D* = 1/2 where p_g = p_data."""
    p = _randn(8, 2, 50, dtype=torch.float64).exp()
    q = _randn(9, 2, 50, dtype=torch.float64).exp()
    out = sub.call("optimal_discriminator", p, q)
    expect_close(out, p / (p + q), "optimal_discriminator on random densities (2, 50)", rtol=1e-9,
                 diagnoses=[(q / (p + q), HINT_DSTAR_FLIPPED)])
    out = sub.call("optimal_discriminator", p, p.clone())
    expect_close(out, torch.full_like(p, 0.5), "optimal_discriminator(p, p)")


def _jsd(p, q):
    m = 0.5 * (p + q)
    kl = lambda a: torch.where(a > 0, a * (a / m).log(), torch.zeros_like(a)).sum()  # noqa: E731
    return 0.5 * kl(p) + 0.5 * kl(q)


@register(JSD, points=2, hidden=True)
def jsd_and_the_virtual_training_criterion(sub):
    """On random distributions with zeros: JSD matches, and -log 4 + 2 JSD equals V(D*, G) summed."""
    for seed in (10, 11, 12):
        p = _randn(seed, 40, dtype=torch.float64).exp()
        q = _randn(seed + 100, 40, dtype=torch.float64).exp()
        p[:5] = 0.0
        q[-3:] = 0.0
        p, q = p / p.sum(), q / q.sum()
        out = sub.call("js_divergence", p, q)
        value = _finite_or_fail(out, "js_divergence on distributions with zero entries",
                                "Zero probabilities must contribute 0 (0 * log 0 = 0).")
        expected = _jsd(p, q)
        d_star = p / (p + q)
        c_of_g = torch.xlogy(p, d_star).sum() + torch.xlogy(q, 1 - d_star).sum()
        assert abs(float(c_of_g) - (-math.log(4) + 2 * float(expected))) < 1e-9
        expect_close(value.reshape(()), expected, "js_divergence on random distributions (40,)", rtol=1e-7,
                     diagnoses=[(2 * expected, HINT_JSD_NO_HALF), (expected / math.log(2), HINT_JSD_LOG2)])
        expect_close(-math.log(4) + 2 * value.reshape(()), c_of_g, "-log 4 + 2 * js_divergence(p, q) against "
                     "V(D*, G) computed directly", rtol=1e-7)


# -- data --------------------------------------------------------------------------------------------------------

@register(RING, points=1, hidden=True)
def ring_other_sizes(sub):
    """ring_modes(5, 3.5) and ring_modes(12, 0.5): distinct centres at angles 2 pi k / n."""
    check_ring(sub.call("ring_modes", 5, 3.5), 5, 3.5, "ring_modes(5, 3.5)")
    check_ring(sub.call("ring_modes", num_modes=12, radius=0.5), 12, 0.5, "ring_modes(num_modes=12, radius=0.5)")


# -- networks ------------------------------------------------------------------------------------------------------

@register(GEN, points=1, hidden=True)
def generator_defaults_linear_output_and_gradients(sub):
    """Generator() has 33,666 parameters, a linear (unbounded) output, and every parameter gets a gradient."""
    sub.trusted("torch.manual_seed", 1, keep=False)
    gen = sub.new("Generator")
    n = count_params(sub, gen)
    expect_true(n == 33666, f"Generator() has {n} parameters, expected 33666 (latent_dim=2, hidden_dim=128, "
                            "data_dim=2, three hidden layers).")
    noise = _randn(20, 64, 2)
    sub.trusted("ganlab.grading.standins.scale_parameters", gen, 4.0, keep=False)
    out = forward(sub, gen, noise)
    expect_true(out.shape == (64, 2), f"Generator() on (64, 2) noise gave shape {tuple(out.shape)}.")
    expect_true(float(out.abs().max()) > 1.0, "the generator's output looks bounded to [-1, 1]: the toy data are not "
                                              "bounded, so the last layer must be linear (no tanh/sigmoid).")
    sub.trusted("ganlab.grading.standins.backward_sum", gen, noise, keep=False)
    grads = sub.state(gen)["grads"]
    missing = [name for name, g in grads.items() if g is None]
    expect_true(not missing, f"these generator parameters received no gradient: {missing[:4]}")


@register(DISC, points=1, hidden=True)
def discriminator_defaults_returns_logits(sub):
    """Discriminator() has 33,537 parameters and returns logits (not probabilities) of shape (B, 1)."""
    sub.trusted("torch.manual_seed", 2, keep=False)
    disc = sub.new("Discriminator")
    n = count_params(sub, disc)
    expect_true(n == 33537, f"Discriminator() has {n} parameters, expected 33537 (hidden_dim=128, data_dim=2).")
    points = _randn(21, 64, 2, scale=2)
    sub.trusted("ganlab.grading.standins.scale_parameters", disc, 4.0, keep=False)
    out = forward(sub, disc, points)
    expect_true(out.shape == (64, 1), f"Discriminator() on (64, 2) points gave shape {tuple(out.shape)}, expected "
                                      "(64, 1).")
    inside = bool(((out >= 0) & (out <= 1)).all())
    expect_true(not inside, "the discriminator's outputs all lie in [0, 1]: return logits (no sigmoid at the end); "
                            "the losses apply the sigmoid implicitly through softplus.")


# -- the training step -------------------------------------------------------------------------------------------

def simulate_step(seed, k, calls, penalty=False, clip=None, bug=None, stale=False, batch=4, latent=3, data=2, lr=0.1):
    """Parameters of (generator, discriminator) after ``calls`` train steps, computed here; ``bug`` reproduces one
    known mistake: "d_steps_g", "no_zero_grad", "swap_args", "one_d_step", "clip_g"."""
    gen = standins.probe_generator(latent, data, seed)
    disc = standins.tiny_mlp(data, 1, seed + 1)
    opt_g = torch.optim.SGD(gen.parameters(), lr=lr)
    opt_d = torch.optim.SGD(disc.parameters(), lr=lr)
    if stale:
        standins.fill_grads(gen, 5.0)
        standins.fill_grads(disc, -3.0)
    losses = None
    for call in range(calls):
        g = torch.Generator().manual_seed(100 + seed + 17 * call)
        real = torch.randn(k, batch, data, generator=g, dtype=torch.float64) + 1.0
        noise = torch.randn(k + 1, batch, latent, generator=g, dtype=torch.float64)
        for i in range(1 if bug == "one_d_step" else k):
            x_fake = gen(noise[i]).detach()
            r, f = disc(real[i]), disc(x_fake)
            d_loss = standins.odd_d_loss(f, r) if bug == "swap_args" else standins.odd_d_loss(r, f)
            if penalty:
                d_loss = d_loss + standins.odd_penalty(disc, real[i], x_fake)
            if bug != "no_zero_grad":
                opt_d.zero_grad()
            d_loss.backward()
            (opt_g if bug == "d_steps_g" else opt_d).step()
            if clip is not None:
                with torch.no_grad():
                    for p in (gen if bug == "clip_g" else disc).parameters():
                        p.clamp_(-clip, clip)
        g_loss = standins.odd_g_loss(disc(gen(noise[k])))
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


def run_remote(sub, seed, k, calls, stale=False, **kwargs):
    gen, disc, opt_g, opt_d, _, _ = build_step_inputs(sub, seed, k)
    if stale:
        sub.trusted("ganlab.grading.standins.fill_grads", gen, 5.0, keep=False)
        sub.trusted("ganlab.grading.standins.fill_grads", disc, -3.0, keep=False)
    losses = None
    for call in range(calls):
        g = torch.Generator().manual_seed(100 + seed + 17 * call)
        real = torch.randn(k, 4, 2, generator=g, dtype=torch.float64) + 1.0
        noise = torch.randn(k + 1, 4, 3, generator=g, dtype=torch.float64)
        penalty = Trusted("ganlab.grading.standins.odd_penalty") if kwargs.get("penalty") else None
        extra = {"penalty": penalty} if penalty is not None else {}
        if kwargs.get("clip") is not None:
            extra["clip"] = kwargs["clip"]
        losses = call_step(sub, gen, disc, opt_g, opt_d, real, noise, **extra)
    return gen, disc, losses


STEP_BUGS = [("d_steps_g", HINT_D_STEPS_G), ("no_zero_grad", HINT_ZERO_GRAD), ("swap_args", HINT_STEP_ARGS),
             ("one_d_step", HINT_ONE_D_STEP)]


def compare_networks(sub, gen, disc, seed, k, calls, what, **kwargs):
    g_ref, d_ref, _ = simulate_step(seed, k, calls, **kwargs)
    got = torch.cat([flat(params_of(sub, gen)), flat(params_of(sub, disc))])
    expected = torch.cat([g_ref, d_ref])
    diagnoses = []
    for bug, hint in STEP_BUGS + [("clip_g", HINT_CLIP_G)]:
        if bug == "clip_g" and kwargs.get("clip") is None:
            continue
        g_bug, d_bug, _ = simulate_step(seed, k, calls, bug=bug, **kwargs)
        diagnoses.append((torch.cat([g_bug, d_bug]), hint))
    expect_close(got, expected, what, rtol=1e-7, atol=1e-10, diagnoses=diagnoses)


@register(STEP, points=2, hidden=True)
def step_matches_algorithm_one(sub):
    """Two calls with k = 3 and SGD: parameters and returned losses match Algorithm 1 exactly."""
    gen, disc, losses = run_remote(sub, 3, k=3, calls=2)
    count = sub.getattr(gen, "backward_count")
    if count != 2:
        fail(f"{count} backward passes reached the generator's output in two train_step calls with k = 3; expected "
             f"2 (one per generator step). {HINT_DETACH if count > 2 else ''}", HINT_DETACH if count > 2 else "")
    compare_networks(sub, gen, disc, 3, 3, 2, "the parameters of (generator, discriminator) after two train_step calls "
                     "with k = 3")
    _, _, ref_losses = simulate_step(3, 3, 2)
    expect_close(list(losses), list(ref_losses), "(d_loss, g_loss) returned by the second call", rtol=1e-7,
                 atol=1e-10)


@register(STEP, points=2, hidden=True)
def step_ignores_stale_gradients(sub):
    """Gradients left in .grad before the step must not change it (zero_grad before every backward)."""
    gen, disc, _ = run_remote(sub, 4, k=2, calls=1, stale=True)
    g_ref, d_ref, _ = simulate_step(4, 2, 1, stale=True)
    g_bug, d_bug, _ = simulate_step(4, 2, 1, stale=True, bug="no_zero_grad")
    got = torch.cat([flat(params_of(sub, gen)), flat(params_of(sub, disc))])
    expect_close(got, torch.cat([g_ref, d_ref]), "parameters after a train_step that started with stale gradients",
                 rtol=1e-7, atol=1e-10, diagnoses=[(torch.cat([g_bug, d_bug]), HINT_ZERO_GRAD)])
    # Any other deviation with stale gradients present is also an accumulation problem.
    gen2, disc2, _ = run_remote(sub, 4, k=2, calls=1)
    clean = torch.cat([flat(params_of(sub, gen2)), flat(params_of(sub, disc2))])
    expect_close(got, clean, "parameters after a step with stale gradients vs. the same step without", rtol=1e-9,
                 atol=1e-12, diagnoses=[(got, HINT_ZERO_GRAD)])


@register(STEP, points=2, hidden=True)
def step_with_penalty_and_clipping(sub):
    """penalty and clip = 0.3: the penalty joins D's loss; only the discriminator's weights are clamped."""
    gen, disc, losses = run_remote(sub, 5, k=2, calls=2, penalty=True, clip=0.3)
    compare_networks(sub, gen, disc, 5, 2, 2, "parameters after two train_step calls with a penalty and clip=0.3",
                     penalty=True, clip=0.3)
    d_params = flat(params_of(sub, disc))
    expect_true(float(d_params.abs().max()) <= 0.3 + 1e-12,
                "with clip=0.3 every discriminator parameter must lie in [-0.3, 0.3] after the step (clamp them after "
                "each discriminator step).")
    _, _, ref_losses = simulate_step(5, 2, 2, penalty=True, clip=0.3)
    expect_close(list(losses), list(ref_losses), "(d_loss, g_loss) returned with a penalty (d_loss includes it)",
                 rtol=1e-7, atol=1e-10)


# -- mode coverage -----------------------------------------------------------------------------------------------

def _coverage(samples, modes, std, factor=3.0, need_quality=True):
    d = torch.cdist(samples.double(), modes.double())
    nearest, which = d.min(dim=1)
    good = nearest <= factor * std
    captured = which[good] if need_quality else which
    return [float(captured.unique().numel()), float(good.double().mean())]


@register(COVERAGE, points=2, hidden=True)
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
        fail(f"mode_coverage should return (num_modes, quality), got {type(out).__name__}.")
    count, quality = out
    expect_true(isinstance(count, int) or (hasattr(count, "numel") and count.numel() == 1),
                f"num_modes should be an int, got {type(count).__name__}.")
    wrong = [(_coverage(samples, modes.float(), 0.02, factor=1.0), HINT_COV_ONE_STD),
             ([expected[0], expected[1] * 2500], HINT_COV_COUNT), ([expected[0], expected[1] * 100], HINT_COV_COUNT),
             (_coverage(samples, modes.float(), 0.02, need_quality=False), HINT_COV_ALL_MODES)]
    expect_close(as_float_tensor([float(count), float(quality)], "(num_modes, quality)"), expected,
                 "mode_coverage on 2,500 samples of a collapsed ring", rtol=1e-6, atol=1e-6, diagnoses=wrong)


# -- loss family ------------------------------------------------------------------------------------------------

def _scores(seed):
    return _randn(seed, 6, 1, scale=2), _randn(seed + 1, 4, 1, scale=2)


@register(LSGAN, points=1, hidden=True)
def lsgan_random_scores(sub):
    """Random scores (6, 1) and (4, 1)."""
    r, f = _scores(40)
    rd, fd = r.double(), f.double()
    d, g = _pair(sub.call("lsgan_losses", r, f), "lsgan_losses")
    expect_close(d, 0.5 * ((rd - 1) ** 2).mean() + 0.5 * (fd**2).mean(), "d_loss of lsgan_losses on random scores",
                 rtol=1e-5, diagnoses=[(((rd - 1) ** 2).mean() + (fd**2).mean(), HINT_LS_HALF),
                                       (0.5 * (rd**2).mean() + 0.5 * ((fd - 1) ** 2).mean(), HINT_LS_TARGETS)])
    expect_close(g, 0.5 * ((fd - 1) ** 2).mean(), "g_loss of lsgan_losses on random scores", rtol=1e-5,
                 diagnoses=[(((fd - 1) ** 2).mean(), HINT_LS_HALF)])


@register(WGAN, points=1, hidden=True)
def wgan_random_scores(sub):
    """Random scores (6, 1) and (4, 1)."""
    r, f = _scores(42)
    rd, fd = r.double(), f.double()
    d, g = _pair(sub.call("wgan_losses", r, f), "wgan_losses")
    expect_close(d, fd.mean() - rd.mean(), "d_loss of wgan_losses on random scores", rtol=1e-5,
                 diagnoses=[(rd.mean() - fd.mean(), HINT_W_SIGN)])
    expect_close(g, -fd.mean(), "g_loss of wgan_losses on random scores", rtol=1e-5,
                 diagnoses=[(fd.mean(), HINT_W_SIGN)])


@register(HINGE, points=1, hidden=True)
def hinge_random_scores(sub):
    """Random scores (6, 1) and (4, 1), some inside and some outside the margin."""
    r, f = _scores(44)
    rd, fd = r.double(), f.double()
    d, g = _pair(sub.call("hinge_losses", r, f), "hinge_losses")
    expect_close(d, F.relu(1 - rd).mean() + F.relu(1 + fd).mean(), "d_loss of hinge_losses on random scores",
                 rtol=1e-5, diagnoses=[(F.relu(1 + rd).mean() + F.relu(1 - fd).mean(), HINT_HINGE_SWAPPED)])
    expect_close(g, -fd.mean(), "g_loss of hinge_losses on random scores", rtol=1e-5,
                 diagnoses=[(F.relu(1 - fd).mean(), HINT_HINGE_G), (fd.mean(), HINT_W_SIGN)])


# -- gradient penalty -----------------------------------------------------------------------------------------

def _gp(weights, shift, real, fake, eps, lam, where="interpolates", reduce="per_sample", squared=False):
    critic = standins.quadratic_critic(weights, shift)
    if where == "interpolates":
        points = eps * real + (1 - eps) * fake
    elif where == "swapped":
        points = eps * fake + (1 - eps) * real
    else:
        points = real
    points = points.clone().requires_grad_(True)
    (grads,) = torch.autograd.grad(critic(points).sum(), points, create_graph=True)
    norms = grads.norm(dim=1)
    if squared:
        norms = norms**2
    if reduce == "per_sample":
        value = lam * ((norms - 1) ** 2).mean()
    elif reduce == "mean_grad":
        value = lam * (grads.mean(0).norm() - 1) ** 2
    else:
        value = lam * (norms.mean() - 1) ** 2
    value.backward()
    return float(value.detach()), torch.cat([critic.shift.grad, critic.weights.grad])


@register(GP, points=2, hidden=True)
def penalty_random_interpolates(sub):
    """Random critic, batches and eps (B = 6, D = 3), lambda 10 and 2.5: value and gradient w.r.t. the critic."""
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
                 (_gp(weights, shift, real, fake, eps, lam, where="swapped")[0], HINT_GP_EPS),
                 (_gp(weights, shift, real, fake, eps, lam, squared=True)[0], HINT_GP_SQUARED),
                 (_gp(weights, shift, real, fake, eps, 1.0)[0], HINT_GP_LAMBDA)]
        expect_close(value, expected, f"gradient_penalty(..., lambda_gp={lam}) on random inputs", rtol=1e-7,
                     diagnoses=wrong)
        try:
            sub.method(ref, "backward")
        except SubmissionError as exc:
            fail(f"penalty.backward() failed ({exc}). {HINT_CREATE_GRAPH}", HINT_CREATE_GRAPH)
        grads = sub.state(critic)["grads"]
        if any(g is None for g in grads.values()):
            fail(HINT_CREATE_GRAPH, HINT_CREATE_GRAPH)
        got = torch.cat([grads["shift"], grads["weights"]])
        expect_close(got, expected_grad, "the critic's parameter gradient of the penalty", rtol=1e-6, atol=1e-10,
                     diagnoses=[(torch.zeros_like(expected_grad), HINT_CREATE_GRAPH)])


@register(GP, points=1, hidden=True)
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


# Warm up torch.optim's lazy imports here, at import time, so the first training-step test does not pay for them.
simulate_step(0, 1, 1)
