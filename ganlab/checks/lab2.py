"""Public checks for Lab 2 (the vanilla GAN).

Expected values here are numbers worked out by hand (they are written out next to each test),
so reading this file tells you what a correct function returns on these inputs, not how to write
it. The hidden tests (instructor side) use random inputs, closed forms and seeded training steps.
"""

from __future__ import annotations

import math

from ganlab.grading.testing import Trusted, as_float_tensor, exercise, expect_close, expect_true, fail, register

LAB = "lab2"

D_LOSS = exercise(LAB, "discriminator_loss", title="Discriminator loss from logits")
G_LOSS = exercise(LAB, "generator_loss", title="Saturating and non-saturating generator losses")
G_GRAD = exercise(LAB, "generator_logit_grad", title="Gradient of the generator losses with respect to the logit")
D_STAR = exercise(LAB, "optimal_discriminator", title="The optimal discriminator")
JSD = exercise(LAB, "js_divergence", title="Jensen-Shannon divergence")
RING = exercise(LAB, "ring_modes", title="The ring of 8 Gaussians")
GEN = exercise(LAB, "Generator", title="MLP generator")
DISC = exercise(LAB, "Discriminator", title="MLP discriminator")
STEP = exercise(LAB, "train_step", title="A training step with k discriminator steps")
COVERAGE = exercise(LAB, "mode_coverage", title="Mode coverage")
LSGAN = exercise(LAB, "lsgan_losses", title="LSGAN losses")
WGAN = exercise(LAB, "wgan_losses", title="WGAN losses")
HINGE = exercise(LAB, "hinge_losses", title="Hinge losses")
GP = exercise(LAB, "gradient_penalty", title="WGAN-GP gradient penalty")

# Hints shared by public and hidden tests: each names the mistake whose number it matches.
HINT_SIGMOID_LOG = ("The loss is not finite for large logits: that is sigmoid then log (log(1 - sigmoid(a)) = "
                    "log 0 once sigmoid(a) rounds to 1). Compute it from the logits: softplus(-a) for label 1, "
                    "softplus(a) for label 0 (or F.binary_cross_entropy_with_logits).")
HINT_SIGMOID_LOG_EPS = ("Close but clipped for large logits: that is sigmoid then log with an epsilon. Compute it "
                        "from the logits with softplus (or F.binary_cross_entropy_with_logits): no sigmoid, no eps.")
HINT_D_SWAPPED = ("Real and fake labels are swapped: real data has label 1 (loss softplus(-a_real)), fakes label 0 "
                  "(loss softplus(a_fake)).")
HINT_D_POOLED = ("The two terms were averaged over the pooled batch: average each term over its own batch "
                 "(mean over real + mean over fake).")
HINT_G_SATURATING = ("That is the saturating loss log(1 - D(G(z))) = -softplus(a); with saturating=False the "
                     "generator minimises the non-saturating loss -log D(G(z)) = softplus(-a).")
HINT_G_NONSAT_FOR_SAT = ("That is the non-saturating loss; with saturating=True return the minimax loss "
                         "mean log(1 - D(G(z))) = -mean softplus(a).")
HINT_G_SIGN = ("The sign is flipped: the generator *minimises* its loss, and log(1 - D) = -softplus(a) is "
               "negative.")
HINT_GRAD_SWAPPED = ("The two derivatives are swapped: d/da log(1 - sigmoid(a)) = -sigmoid(a) (saturating), "
                     "d/da -log sigmoid(a) = sigmoid(a) - 1 (non-saturating).")
HINT_GRAD_SIGN = "The sign is flipped: both derivatives are negative (each loss decreases as the logit grows)."
HINT_DSTAR_FLIPPED = "That is 1 - D*: the optimal discriminator is p_data / (p_data + p_g)."
HINT_JSD_NO_HALF = "That is KL(p||m) + KL(q||m): the JSD is their average (multiply by 1/2)."
HINT_JSD_LOG2 = "That is the JSD in bits: use the natural logarithm (torch.log)."
HINT_RING_7 = ("Two centres coincide: torch.linspace(0, 2 * pi, n) includes the endpoint 2 pi, the same angle "
               "as 0, so the ring has only n - 1 distinct modes. Use angles 2 * pi * k / n for k = 0, ..., n - 1.")
HINT_DETACH = ("The discriminator loss sent gradients into the generator: detach the fake batch in the "
               "discriminator step (x_fake = generator(noise).detach(), or make it under torch.no_grad()).")
HINT_D_STEPS_G = ("The discriminator step stepped the generator's optimizer: after the discriminator's backward "
                  "call opt_d.step(), never opt_g.step().")
HINT_ZERO_GRAD = ("Gradients accumulate in .grad: call opt_d.zero_grad() before every discriminator backward and "
                  "opt_g.zero_grad() before the generator's (stale gradients changed your step).")
HINT_CLIP_G = ("The generator's weights were clipped: weight clipping constrains the critic (discriminator) only; "
               "clamp discriminator.parameters() after each discriminator step.")
HINT_STEP_ARGS = "d_loss_fn takes (real_logits, fake_logits) in that order."
HINT_ONE_D_STEP = ("Only one discriminator step was taken: run k discriminator steps (k is the length of real_batches), step "
                   "i using real_batches[i] and noise_batches[i], then the generator step with noise_batches[k].")
HINT_COV_ONE_STD = "High quality means within 3 standard deviations of the nearest mode, not 1."
HINT_COV_COUNT = "quality is the *fraction* of high-quality samples, a float in [0, 1]."
HINT_COV_ALL_MODES = "A mode counts only if a *high-quality* sample has it as its nearest mode."
HINT_LS_HALF = "The least-squares losses carry a factor 1/2 on each term."
HINT_LS_TARGETS = "Targets: the discriminator pulls real scores to b = 1 and fake scores to a = 0."
HINT_W_SIGN = ("The sign is flipped: the critic *maximises* mean real - mean fake, so its loss is "
               "mean fake - mean real; the generator's loss is -mean fake.")
HINT_HINGE_G = "The hinge generator loss is -mean fake (as in WGAN), not a hinge on the fakes."
HINT_HINGE_SWAPPED = "Real scores are pushed above +1 (relu(1 - real)) and fake scores below -1 (relu(1 + fake))."
HINT_GP_REAL = ("The gradient was taken at the real samples: the penalty is evaluated at the interpolates "
                "x_hat = eps * x_real + (1 - eps) * x_fake.")
HINT_GP_MEAN = ("The penalty must be applied per sample: mean over i of (||grad_i||_2 - 1)^2, not a penalty on "
                "the mean gradient (or on the mean norm).")
HINT_GP_LAMBDA = "The penalty is multiplied by lambda_gp (10 by default)."
HINT_GP_EPS = "x_hat = eps * x_real + (1 - eps) * x_fake (eps weighs the real sample)."
HINT_GP_SQUARED = "Use the Euclidean norm ||grad||_2 (not its square) inside (||grad|| - 1)^2."
HINT_CREATE_GRAPH = ("No gradient reaches the critic's parameters through the penalty: call torch.autograd.grad("
                     "..., create_graph=True) so that the input gradient is itself differentiable.")


def _number(value, what):
    t = as_float_tensor(value, what)
    if t.numel() != 1:
        fail(f"{what} should be a single number (a 0-dim tensor), got shape {tuple(t.shape)}.")
    return t.reshape(())


def _finite_or_fail(value, what, hint):
    import torch

    t = as_float_tensor(value, what)
    if not torch.isfinite(t).all():
        fail(f"{what} is {t.flatten()[:4].tolist()}, not finite. {hint}", hint)
    return t


def _pair(value, what):
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        fail(f"{what} should return a tuple (d_loss, g_loss), got "
             + (f"a {type(value).__name__} of length {len(value)}" if isinstance(value, (tuple, list))
                else type(value).__name__) + ".")
    return _number(value[0], f"d_loss from {what}"), _number(value[1], f"g_loss from {what}")


def _f32(values):
    return Trusted("torch.float32"), values


def tensor(sub, values, dtype="float32"):
    """A tensor built inside the submission's process (kept as a reference)."""
    return sub.trusted("torch.tensor", values, dtype=Trusted(f"torch.{dtype}"))


# -- losses from logits ----------------------------------------------------------------------------------------

@register(D_LOSS, points=1)
def d_loss_at_zero_logits(sub):
    """At logits 0 (D = 1/2 everywhere) the loss is 2 log 2 = 1.386294."""
    import torch

    out = sub.call("discriminator_loss", torch.zeros(3), torch.zeros(2))
    expect_close(_number(out, "discriminator_loss(zeros(3), zeros(2))"), 2 * math.log(2),
                 "discriminator_loss(zeros(3), zeros(2))", rtol=1e-5)


@register(D_LOSS, points=1)
def d_loss_hand_worked(sub):
    """real logits [2, 2, 2], fake logits [-1]: softplus(-2) + softplus(-1) = 0.126928 + 0.313262 = 0.440190."""
    import torch

    out = sub.call("discriminator_loss", torch.tensor([2.0, 2.0, 2.0]), torch.tensor([-1.0]))
    expect_close(_number(out, "discriminator_loss"), 0.4401897, "discriminator_loss([2, 2, 2], [-1])", rtol=1e-5,
                 diagnoses=[(3.4401897, HINT_D_SWAPPED), ((3 * 0.126928 + 0.313262) / 4, HINT_D_POOLED)])


@register(D_LOSS, points=1)
def d_loss_large_logits(sub):
    """Confident logits (float32): real [30, -30], fake [25, -40] give 15 + 12.5 = 27.5, finite."""
    import torch

    out = sub.call("discriminator_loss", torch.tensor([30.0, -30.0]), torch.tensor([25.0, -40.0]))
    value = _finite_or_fail(out, "discriminator_loss([30, -30], [25, -40])", HINT_SIGMOID_LOG)
    expect_close(value.reshape(()), 27.5, "discriminator_loss([30, -30], [25, -40])", rtol=1e-5,
                 diagnoses=naive_with_eps(lambda eps: naive_d_loss([30.0, -30.0], [25.0, -40.0], eps)))


def naive_d_loss(real, fake, eps):
    """What sigmoid-then-log with an epsilon inside the log gives in float32 (a known mistake)."""
    import torch

    r, f = torch.sigmoid(torch.tensor(real)), torch.sigmoid(torch.tensor(fake))
    return float(-torch.log(r + eps).mean() - torch.log(1 - f + eps).mean())


def naive_with_eps(fn):
    return [(fn(eps), HINT_SIGMOID_LOG_EPS) for eps in (1e-12, 1e-10, 1e-8, 1e-7, 1e-6, 1e-5)]


@register(G_LOSS, points=1)
def g_loss_hand_worked(sub):
    """fake logits [2, -1]: non-saturating (0.126928 + 1.313262)/2 = 0.720095; saturating -1.220095."""
    import torch

    logits = torch.tensor([2.0, -1.0])
    ns = sub.call("generator_loss", logits)
    expect_close(_number(ns, "generator_loss([2, -1])"), 0.7200948, "generator_loss([2, -1]) (non-saturating)",
                 rtol=1e-5, diagnoses=[(-1.2200948, HINT_G_SATURATING), (1.2200948, HINT_G_SATURATING)])
    sat = sub.call("generator_loss", logits, saturating=True)
    expect_close(_number(sat, "generator_loss([2, -1], saturating=True)"), -1.2200948,
                 "generator_loss([2, -1], saturating=True)", rtol=1e-5,
                 diagnoses=[(0.7200948, HINT_G_NONSAT_FOR_SAT), (1.2200948, HINT_G_SIGN)])


@register(G_LOSS, points=1)
def g_loss_large_logits(sub):
    """A fake rejected with logit -40 (float32) costs 40 under the non-saturating loss, finite."""
    import torch

    out = sub.call("generator_loss", torch.tensor([-40.0]))
    value = _finite_or_fail(out, "generator_loss([-40])", HINT_SIGMOID_LOG)
    expect_close(value.reshape(()), 40.0, "generator_loss([-40])", rtol=1e-5,
                 diagnoses=[(0.0, HINT_G_SATURATING)] + naive_with_eps(
                     lambda eps: float(-torch.log(torch.sigmoid(torch.tensor(-40.0)) + eps))))


@register(G_GRAD, points=1)
def logit_grad_hand_worked(sub):
    """At a = [2, -3]: saturating -sigmoid(a) = [-0.880797, -0.047426]; non-saturating sigmoid(a) - 1."""
    import torch

    a = torch.tensor([2.0, -3.0])
    sat = [-0.8807971, -0.0474259]
    ns = [-0.1192029, -0.9525741]
    got = sub.call("generator_logit_grad", a, saturating=True)
    expect_close(got, sat, "generator_logit_grad([2, -3], saturating=True)", rtol=1e-5,
                 diagnoses=[(ns, HINT_GRAD_SWAPPED), ([-v for v in sat], HINT_GRAD_SIGN)])
    got = sub.call("generator_logit_grad", a, saturating=False)
    expect_close(got, ns, "generator_logit_grad([2, -3], saturating=False)", rtol=1e-5,
                 diagnoses=[(sat, HINT_GRAD_SWAPPED), ([-v for v in ns], HINT_GRAD_SIGN)])


# -- optimal discriminator and JSD ---------------------------------------------------------------------------

@register(D_STAR, points=1)
def d_star_hand_worked(sub):
    """p_data [0.2, 0.5, 0], p_g [0.6, 0.5, 0.3] give D* = [0.25, 0.5, 0]."""
    import torch

    out = sub.call("optimal_discriminator", torch.tensor([0.2, 0.5, 0.0]), torch.tensor([0.6, 0.5, 0.3]))
    expect_close(out, [0.25, 0.5, 0.0], "optimal_discriminator([0.2, 0.5, 0], [0.6, 0.5, 0.3])", rtol=1e-6,
                 atol=1e-7, diagnoses=[([0.75, 0.5, 1.0], HINT_DSTAR_FLIPPED)])


@register(JSD, points=1)
def jsd_hand_worked(sub):
    """JSD(p, p) = 0, JSD([1, 0], [0, 1]) = log 2, JSD([0.5, 0.5], [1, 0]) = 0.215762."""
    import torch

    p = torch.tensor([0.3, 0.7], dtype=torch.float64)
    expect_close(_number(sub.call("js_divergence", p, p), "js_divergence(p, p)"), 0.0, "js_divergence(p, p)",
                 atol=1e-9)
    one, two = torch.tensor([1.0, 0.0], dtype=torch.float64), torch.tensor([0.0, 1.0], dtype=torch.float64)
    out = sub.call("js_divergence", one, two)
    value = _finite_or_fail(out, "js_divergence([1, 0], [0, 1])",
                            "Zero probabilities must contribute 0 (0 * log 0 = 0): skip them or use torch.xlogy.")
    expect_close(value.reshape(()), math.log(2), "js_divergence([1, 0], [0, 1])", rtol=1e-6,
                 diagnoses=[(2 * math.log(2), HINT_JSD_NO_HALF), (1.0, HINT_JSD_LOG2)])
    half = torch.tensor([0.5, 0.5], dtype=torch.float64)
    out = sub.call("js_divergence", half, one)
    expect_close(_number(out, "js_divergence([0.5, 0.5], [1, 0])"), 0.2157616, "js_divergence([0.5, 0.5], [1, 0])",
                 rtol=1e-5, diagnoses=[(0.4315231, HINT_JSD_NO_HALF), (0.2157616 / math.log(2), HINT_JSD_LOG2)])


# -- data --------------------------------------------------------------------------------------------------------

def check_ring(out, num_modes, radius, what):
    import torch

    if not isinstance(out, torch.Tensor):
        fail(f"{what} should return a torch.Tensor of shape ({num_modes}, 2), got {type(out).__name__}.")
    expect_true(out.shape == (num_modes, 2), f"{what} has shape {tuple(out.shape)}, expected ({num_modes}, 2).")
    expect_true(out.dtype == torch.float32, f"{what} should be float32, got {out.dtype}.")
    pts = out.double()
    dist = torch.cdist(pts, pts) + torch.eye(num_modes, dtype=torch.float64) * 1e9
    if num_modes > 1 and float(dist.min()) < 1e-4 * radius:
        fail(f"{what}: two of the centres coincide ({num_modes} rows but fewer distinct modes). {HINT_RING_7}",
             HINT_RING_7)
    angles = 2 * math.pi * torch.arange(num_modes, dtype=torch.float64) / num_modes
    expected = radius * torch.stack([torch.cos(angles), torch.sin(angles)], dim=1)
    wrong = torch.linspace(0, 2 * math.pi, num_modes, dtype=torch.float64)
    wrong = radius * torch.stack([torch.cos(wrong), torch.sin(wrong)], dim=1)
    expect_close(pts, expected, what, rtol=1e-5, atol=1e-5 * radius, diagnoses=[(wrong, HINT_RING_7)])


@register(RING, points=1)
def ring_of_four(sub):
    """ring_modes(4, 1.0) is [[1, 0], [0, 1], [-1, 0], [0, -1]]."""
    check_ring(sub.call("ring_modes", 4, 1.0), 4, 1.0, "ring_modes(4, 1.0)")


@register(RING, points=1)
def ring_default_has_eight_distinct_modes(sub):
    """ring_modes() has 8 distinct centres at radius 2, neighbours 4 sin(pi/8) = 1.5307 apart."""
    check_ring(sub.call("ring_modes"), 8, 2.0, "ring_modes()")


# -- networks ------------------------------------------------------------------------------------------------------

def count_params(sub, ref):
    return sum(p.numel() for p in sub.state(ref)["params"].values())


def forward(sub, ref, inputs):
    return sub.method(ref, "__call__", inputs)


@register(GEN, points=1)
def generator_shapes_and_size(sub):
    """Generator(3, 16, 2): (5, 3) noise -> (5, 2) float32 points; 3*16+16 + 2*(16*16+16) + 16*2+2 = 642 parameters."""
    import torch

    sub.trusted("torch.manual_seed", 0, keep=False)
    gen = sub.new("Generator", 3, 16, 2)
    out = forward(sub, gen, torch.randn(5, 3))
    if not isinstance(out, torch.Tensor):
        fail(f"Generator.forward should return a tensor, got {type(out).__name__}.")
    expect_true(out.shape == (5, 2), f"Generator(3, 16, 2) on noise (5, 3) gave shape {tuple(out.shape)}, "
                                     "expected (5, 2).")
    expect_true(out.dtype == torch.float32, f"the generator's output should be float32, got {out.dtype}.")
    n = count_params(sub, gen)
    expect_true(n == 642, f"Generator(3, 16, 2) has {n} parameters, expected 642 (three hidden layers of 16 units: "
                          "Linear(3, 16), Linear(16, 16), Linear(16, 16), Linear(16, 2)).")


@register(DISC, points=1)
def discriminator_shapes_and_size(sub):
    """Discriminator(16, 2): (5, 2) points -> (5, 1) logits; 2*16+16 + 2*(16*16+16) + 16+1 = 609 parameters."""
    import torch

    sub.trusted("torch.manual_seed", 0, keep=False)
    disc = sub.new("Discriminator", 16, 2)
    out = forward(sub, disc, torch.randn(5, 2))
    if not isinstance(out, torch.Tensor):
        fail(f"Discriminator.forward should return a tensor, got {type(out).__name__}.")
    expect_true(out.shape == (5, 1), f"Discriminator(16, 2) on points (5, 2) gave shape {tuple(out.shape)}, "
                                     "expected (5, 1): one logit per point.")
    n = count_params(sub, disc)
    expect_true(n == 609, f"Discriminator(16, 2) has {n} parameters, expected 609 (Linear(2, 16), Linear(16, 16), "
                          "Linear(16, 16), Linear(16, 1)).")


# -- the training step -------------------------------------------------------------------------------------------

def build_step_inputs(sub, seed, k, batch=4, latent=3, data=2, lr=0.1):
    """Stand-in networks (float64, deterministic), SGD optimizers and batches, built in the submission's process."""
    import torch

    gen = sub.trusted("ganlab.grading.standins.probe_generator", latent, data, seed)
    disc = sub.trusted("ganlab.grading.standins.tiny_mlp", data, 1, seed + 1)
    g_params = sub.method(gen, "parameters", keep=True)
    d_params = sub.method(disc, "parameters", keep=True)
    opt_g = sub.trusted("torch.optim.SGD", g_params, lr=lr)
    opt_d = sub.trusted("torch.optim.SGD", d_params, lr=lr)
    g = torch.Generator().manual_seed(100 + seed)
    real = torch.randn(k, batch, data, generator=g, dtype=torch.float64) + 1.0
    noise = torch.randn(k + 1, batch, latent, generator=g, dtype=torch.float64)
    return gen, disc, opt_g, opt_d, real, noise


def call_step(sub, gen, disc, opt_g, opt_d, real, noise, **kwargs):
    out = sub.call("train_step", gen, disc, opt_g, opt_d, real, noise, Trusted("ganlab.grading.standins.odd_d_loss"),
                   Trusted("ganlab.grading.standins.odd_g_loss"), **kwargs)
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        fail(f"train_step should return (d_loss, g_loss) as two floats, got {type(out).__name__}.")
    d_loss, g_loss = (_number(v, "a loss returned by train_step") for v in out)
    expect_true(bool(d_loss.isfinite()) and bool(g_loss.isfinite()), "train_step returned a non-finite loss.")
    return float(d_loss), float(g_loss)


def params_of(sub, ref):
    return {n: p.clone() for n, p in sub.state(ref)["params"].items()}


@register(STEP, points=2)
def step_updates_both_and_detaches(sub):
    """k = 2 with stand-in networks: finite losses, both networks move, exactly one backward pass reaches G."""
    gen, disc, opt_g, opt_d, real, noise = build_step_inputs(sub, 0, k=2)
    g_before, d_before = params_of(sub, gen), params_of(sub, disc)
    call_step(sub, gen, disc, opt_g, opt_d, real, noise)
    count = sub.getattr(gen, "backward_count")
    if count > 1:
        fail(f"{count} backward passes reached the generator's output in one train_step with k = 2; "
             f"expected 1 (the generator step). {HINT_DETACH}", HINT_DETACH)
    expect_true(count == 1, "no gradient reached the generator in the generator step: build the generator loss from "
                            "discriminator(generator(noise_batches[k])) without detaching, then backward.")
    g_after, d_after = params_of(sub, gen), params_of(sub, disc)
    expect_true(any(not (g_after[n] == g_before[n]).all() for n in g_after),
                "the generator's parameters did not change: call opt_g.step() after the generator's backward.")
    expect_true(any(not (d_after[n] == d_before[n]).all() for n in d_after),
                f"the discriminator's parameters did not change. {HINT_D_STEPS_G}", HINT_D_STEPS_G)


# -- mode coverage -----------------------------------------------------------------------------------------------

@register(COVERAGE, points=2)
def coverage_hand_worked(sub):
    """Modes (0,0), (10,0), (0,10), std 1; samples at x = 0.5, 2.9, 3.1 on the x axis, (10, 0.2), (0, 6): 2 modes, 0.6."""
    import torch

    modes = torch.tensor([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]])
    samples = torch.tensor([[0.5, 0.0], [2.9, 0.0], [3.1, 0.0], [10.0, 0.2], [0.0, 6.0]])
    out = sub.call("mode_coverage", samples, modes, 1.0)
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        fail(f"mode_coverage should return (num_modes, quality), got {type(out).__name__}.")
    expect_close(as_float_tensor(list(out), "(num_modes, quality)"), [2, 0.6], "mode_coverage(...) as (modes, quality)",
                 rtol=1e-6, atol=1e-6,
                 diagnoses=[([2, 0.4], HINT_COV_ONE_STD), ([2, 3], HINT_COV_COUNT), ([2, 60], HINT_COV_COUNT),
                            ([3, 0.6], HINT_COV_ALL_MODES)])
    out = sub.call("mode_coverage", samples[:2], modes, 1.0)
    expect_close(as_float_tensor(list(out), "(num_modes, quality)"), [1, 1.0],
                 "mode_coverage(two samples near (0, 0), ...)", diagnoses=[([1, 2], HINT_COV_COUNT)])


# -- loss family ------------------------------------------------------------------------------------------------

REAL_SCORES = [1.5, -0.5]
FAKE_SCORES = [0.5, -2.0]


def _pair_on_scores(sub, name):
    import torch

    out = sub.call(name, torch.tensor(REAL_SCORES), torch.tensor(FAKE_SCORES))
    return _pair(out, f"{name}([1.5, -0.5], [0.5, -2.0])")


@register(LSGAN, points=1)
def lsgan_hand_worked(sub):
    """real [1.5, -0.5], fake [0.5, -2]: d = 0.5*1.25 + 0.5*2.125 = 1.6875, g = 0.5*4.625 = 2.3125."""
    d, g = _pair_on_scores(sub, "lsgan_losses")
    expect_close(d, 1.6875, "d_loss of lsgan_losses", rtol=1e-6,
                 diagnoses=[(3.375, HINT_LS_HALF), (2.9375, HINT_LS_TARGETS)])
    expect_close(g, 2.3125, "g_loss of lsgan_losses", rtol=1e-6, diagnoses=[(4.625, HINT_LS_HALF)])


@register(WGAN, points=1)
def wgan_hand_worked(sub):
    """real [1.5, -0.5] (mean 0.5), fake [0.5, -2] (mean -0.75): d = -1.25, g = 0.75."""
    d, g = _pair_on_scores(sub, "wgan_losses")
    expect_close(d, -1.25, "d_loss of wgan_losses", rtol=1e-6, diagnoses=[(1.25, HINT_W_SIGN)])
    expect_close(g, 0.75, "g_loss of wgan_losses", rtol=1e-6, diagnoses=[(-0.75, HINT_W_SIGN)])


@register(HINGE, points=1)
def hinge_hand_worked(sub):
    """real [1.5, -0.5], fake [0.5, -2]: d = mean(0, 1.5) + mean(1.5, 0) = 1.5, g = 0.75."""
    d, g = _pair_on_scores(sub, "hinge_losses")
    expect_close(d, 1.5, "d_loss of hinge_losses", rtol=1e-6, diagnoses=[(3.25, HINT_HINGE_SWAPPED)])
    expect_close(g, 0.75, "g_loss of hinge_losses", rtol=1e-6, diagnoses=[(1.75, HINT_HINGE_G), (-0.75, HINT_W_SIGN)])


# -- gradient penalty -----------------------------------------------------------------------------------------

GP_WEIGHTS, GP_SHIFT = [1.0, 2.0], [0.5, 0.0]
GP_REAL = [[1.0, 0.0], [0.0, 1.0]]
GP_FAKE = [[-1.0, 0.0], [0.0, 0.0]]
GP_EPS = [[0.5], [0.5]]


def penalty_ref(sub, critic, real, fake, eps, **kwargs):
    """Call gradient_penalty keeping the result in the submission's process; returns (ref, value)."""
    ref = sub.new("gradient_penalty", critic, real, fake, eps=eps, **kwargs)
    if ref.type.split(".")[-1] != "Tensor":
        fail(f"gradient_penalty should return a 0-dim tensor, got {ref.type}.")
    return ref, _number(sub.method(ref, "detach"), "gradient_penalty(...)")


@register(GP, points=1)
def penalty_hand_worked(sub):
    """Critic 0.5*(x1^2 + 2 x2^2) + 0.5 x1 at x_hat = (0, 0), (0, 0.5): grads (0.5, 0), (0.5, 1); 10*mean((n-1)^2) = 1.319660."""
    import torch

    critic = sub.trusted("ganlab.grading.standins.quadratic_critic", GP_WEIGHTS, GP_SHIFT)
    as64 = lambda v: torch.tensor(v, dtype=torch.float64)  # noqa: E731
    _, value = penalty_ref(sub, critic, as64(GP_REAL), as64(GP_FAKE), as64(GP_EPS))
    expect_close(value, 1.3196601, "gradient_penalty(critic, x_real, x_fake, eps=0.5)", rtol=1e-6,
                 diagnoses=[(6.8844661, HINT_GP_REAL), (0.8578644, HINT_GP_MEAN), (0.3647451, HINT_GP_MEAN),
                            (0.1319660, HINT_GP_LAMBDA)])


@register(GP, points=1)
def penalty_reaches_the_critic(sub):
    """Backpropagating the penalty gives the critic's parameters a non-zero gradient (create_graph=True)."""
    import torch

    from ganlab.grading.testing import SubmissionError

    critic = sub.trusted("ganlab.grading.standins.quadratic_critic", GP_WEIGHTS, GP_SHIFT)
    as64 = lambda v: torch.tensor(v, dtype=torch.float64)  # noqa: E731
    ref, _ = penalty_ref(sub, critic, as64(GP_REAL), as64(GP_FAKE), as64(GP_EPS))
    try:
        sub.method(ref, "backward")
    except SubmissionError as exc:
        fail(f"penalty.backward() failed ({exc}). {HINT_CREATE_GRAPH}", HINT_CREATE_GRAPH)
    grads = sub.state(critic)["grads"]
    if any(g is None or not bool(torch.isfinite(g).all()) or float(g.abs().sum()) == 0 for g in grads.values()):
        fail(HINT_CREATE_GRAPH, HINT_CREATE_GRAPH)
