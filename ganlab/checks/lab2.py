"""Public checks for Lab 2 (the vanilla GAN).

Expected values here are numbers worked out by hand (they are written out next to each test),
so reading this file tells you what a correct function returns on these inputs, not how to write
it. The inputs are generic on purpose (unequal batch sizes, no zero intermediates, no factor of
exactly 2), so a check that passes here means something. The hidden tests (instructor side) use
random inputs, closed forms, networks compared with the architecture asked for, and seeded
training steps with several optimizers.
"""

from __future__ import annotations

import math

import functools

from ganlab.grading.testing import (
    CheckFailure, SubmissionError, Trusted, as_float_tensor, exercise, expect_close, expect_true, fail, register,
)

LAB = "lab2"

D_LOSS = exercise(LAB, "discriminator_loss", title="Discriminator loss from logits")
G_LOSS = exercise(LAB, "generator_loss", title="Saturating and non-saturating generator losses")
G_GRAD = exercise(LAB, "generator_logit_grad", title="Gradient of the generator losses with respect to the logit")
Q_SHARE = exercise(LAB, "question_weight_share", title="Question 1: where the generator's update goes")
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
R1 = exercise(LAB, "r1_penalty", title="The zero-centred R1 penalty")

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


HINT_R1_FAKE = ("The penalty was taken at the fake samples: R1 is evaluated on the real data only (x_fake is "
                "ignored).")
HINT_R1_FULL_GAMMA = "The weight in front of the mean squared gradient norm is gamma / 2, not gamma."
HINT_R1_NOT_SQUARED = ("The gradient norm entered unsquared: R1 penalises the *squared* Euclidean norm of each "
                       "sample's input gradient.")
HINT_R1_SUM = "The squared norms were summed over the batch: R1 averages them over the real samples."
HINT_R1_MEAN_GRAD = ("The penalty was applied to the batch-mean gradient: square each sample's gradient norm first, "
                     "then average.")
HINT_R1_GRAD_OF_MEAN = ("The input gradient was taken of the mean logit: that divides every sample's gradient by B. "
                        "Differentiate the sum of the logits (or pass grad_outputs=torch.ones_like(logits)).")
HINT_R1_GAMMA = "The result ignores the gamma argument (or uses another default than 0.2)."
HINT_R1_GRAPH = ("No gradient reaches the discriminator's parameters through the penalty: call "
                 "torch.autograd.grad(..., create_graph=True) so that the input gradient is itself differentiable.")
HINT_R1_SIDE_EFFECT = ("r1_penalty changed x_real (its values or requires_grad flag): differentiate with respect to a "
                       "new tensor, x_real.detach().clone().requires_grad_(True).")
HINT_Q_ORDER = "The two shares are in the wrong order: the saturating loss's share comes first."

HINT_NO_GRAPH = ("The loss cannot be backpropagated: it was cut from the autograd graph (a Python float from "
                 ".item() or float(), a .detach(), or a new torch.tensor built from the values). Return the tensor "
                 "computed from the inputs with torch operations.")
HINT_LOSS_GRAD = ("The loss's gradient with respect to the logits is wrong: each term is averaged over its own batch "
                  "(d/da of mean softplus(-a) over m real logits is -sigmoid(-a)/m).")
HINT_BCE_CLAMP = ("Finite but wrong for confident logits: that is sigmoid followed by nn.BCELoss / "
                  "F.binary_cross_entropy, which clamps each log at -100. Compute the loss from the logits "
                  "(softplus, or F.binary_cross_entropy_with_logits).")
HINT_SIGMOID_EXP = ("Not finite for large logits: exp(a) / (1 + exp(a)) overflows to inf / inf. Use torch.sigmoid "
                    "(it is stable for any logit).")
HINT_DTYPE_KEPT = "Keep the input's dtype: build the result from the input tensor with torch operations."
HINT_MUTATES = ("Your function changed its input tensor in place (an in-place operation such as clamp_, add_, "
                "masked_fill_ or item assignment): work on a copy or use out-of-place operations.")
HINT_DSTAR_EPS = ("An epsilon added to the densities distorts tiny densities (D* of 3e-12 vs 1e-12 is 0.75, exactly "
                  "as for 3 vs 1): use p_data / (p_data + p_g) as it is; the contract guarantees p_data + p_g > 0.")
HINT_JSD_COMMON_ZERO = ("Not finite where p and q are both 0: that entry gives 0 * log(0 / 0). An entry with r = 0 "
                        "contributes 0 whatever m is: skip it (torch.where on r > 0) or use torch.xlogy(r, r) - "
                        "torch.xlogy(r, m).")
HINT_JSD_KL_MEAN = ("That is the JSD divided by the number of entries: F.kl_div's default reduction='mean' (and "
                    "'batchmean' on a 1-D vector) averages over entries; use reduction='sum'.")
HINT_RING_ONE = "ring_modes(1, r) is the single centre (r, 0): the angles are 2 pi k / M for k = 0, ..., M - 1."
HINT_RING_FLOAT32 = "The centres must be a float32 tensor whatever the type of radius (int or float)."
HINT_NET_LAYERS = ("The Linear layers differ from the text: Linear(in, hidden), two Linear(hidden, hidden), "
                   "Linear(hidden, out), each with a bias, called in that order.")
HINT_NET_ACTIVATION = ("With all weights and biases fixed, the output differs from the MLP asked for: check the "
                       "activations (ReLU, not LeakyReLU or Tanh), the number of layers and the output (linear).")
HINT_G_LEAKY = "The hidden activations are LeakyReLU; the text asks for ReLU (nn.ReLU or F.relu)."
HINT_G_TANH = ("The generator's output goes through a tanh: the toy data are not bounded to [-1, 1], so the last "
               "layer is linear (no activation after it).")
HINT_D_SIGMOID = ("The discriminator ends with a sigmoid: return logits (no sigmoid); the losses apply the sigmoid "
                  "implicitly through softplus.")
HINT_D_UNCHANGED = ("opt_d.step() ran but the discriminator did not move: its gradient was zero at the step. Zero "
                    "the gradients before backward (zero_grad, backward, step), never between backward and step.")
HINT_STEP_COUNTS = ("Each optimizer steps its own network: opt_d.step() once per discriminator step (k times), "
                    "opt_g.step() once, after the generator's backward.")
HINT_PENALTY_ARGS = ("penalty is called once per discriminator step as penalty(discriminator, x_real, x_fake) with "
                     "that step's real batch and its detached fake batch.")
HINT_CLIP_EACH = ("Clip after each discriminator step: every discriminator parameter lies in [-clip, clip] when "
                  "train_step returns.")
HINT_STEP_FLOATS = "train_step returns Python floats: float(d_loss) or d_loss.item(), not tensors."
HINT_STEP_INPUTS = "train_step must not modify real_batches or noise_batches (no in-place operations on them)."
HINT_COV_BOUNDARY = "A sample exactly 3 * std from its nearest mode is high quality (distance <= 3 * std)."
HINT_COV_SQUARED = ("The threshold was compared with squared distances: compare the Euclidean distance (with its "
                    "square root) with 3 * std.")
HINT_COV_VARIANCE = "std is the standard deviation: the threshold is 3 * std, not 3 * std ** 2."
HINT_COV_MODE_FRACTION = ("quality is the fraction of *samples* that are high quality, not the fraction of modes "
                          "captured.")
HINT_COV_TYPES = "Return (num_modes, quality) as a Python int and a Python float (int(...), float(...))."
HINT_LS_POOLED = ("The two terms were averaged over the pooled batch: average each over its own batch and weigh "
                  "each by 1/2.")
HINT_GP_EPS_SHARED = ("All samples were interpolated with the same eps: with eps=None draw one U[0, 1] weight per "
                      "sample, torch.rand(B, 1).")
HINT_GP_EPS_PER_COORD = ("Each coordinate got its own eps: draw one weight per *sample*, shape (B, 1), so that x_hat "
                         "lies on the segment between x_fake and x_real.")
HINT_GP_GRAD_OF_MEAN = ("The input gradient was taken of critic(x_hat).mean(): that divides every sample's gradient "
                        "by B. Differentiate the sum (or pass grad_outputs=torch.ones_like(scores)).")
HINT_GP_GRAD_FLAG = ("The critic must see interpolates that require a gradient: x_hat = (eps * x_real + (1 - eps) * "
                     "x_fake).detach().requires_grad_(True), then torch.autograd.grad(scores.sum(), x_hat, ...).")
HINT_GP_SIDE_EFFECT = ("gradient_penalty changed x_real or x_fake (its values or requires_grad flag): build x_hat "
                       "as a new tensor instead of calling requires_grad_ on the inputs.")
HINT_GP_GRAPH_FAKE = ("gradient_penalty failed when x_fake carries the generator's graph: detach the interpolates "
                      "before requires_grad_(True) (requires_grad can only be changed on leaf tensors).")

# Generic hints: shown when a test fails in a way no diagnosis matched (they name the contract, not a mistake).
ABOUT_D_LOSS = ("discriminator_loss = mean softplus(-real_logits) + mean softplus(fake_logits), each term averaged over "
                "its own batch, computed from the logits as a tensor that can be backpropagated")
ABOUT_G_LOSS = ("generator_loss = mean softplus(-a) (non-saturating, the default) or -mean softplus(a) "
                "(saturating=True), computed from the logits as a tensor that can be backpropagated")
ABOUT_G_GRAD = ("generator_logit_grad is -sigmoid(a) (saturating) or sigmoid(a) - 1 (non-saturating), per element, "
                "same shape and dtype as the input")
ABOUT_D_STAR = "D* = p_data / (p_data + p_g) exactly, also for tiny or zero densities (no epsilon, no clamping)"
ABOUT_JSD = ("JSD = KL(p||m)/2 + KL(q||m)/2 with m = (p + q)/2, natural log, entries with r = 0 contributing 0, "
             "inputs left unchanged")
ABOUT_RING = "centres radius * (cos theta_k, sin theta_k), theta_k = 2 pi k / M, k = 0, ..., M - 1, float32 (M, 2)"
ABOUT_STEP = ("the parameters after the step differ from Algorithm 1: k discriminator steps (zero_grad, backward, "
              "opt_d.step on real_batches[i] and detached fakes of noise_batches[i], then the clamp), then one "
              "generator step on noise_batches[k]")
ABOUT_COVERAGE = ("high quality: Euclidean distance to the nearest mode <= 3 * std; a mode counts when it is the nearest "
                  "mode of a high-quality sample; quality is the fraction of such samples")
ABOUT_LSGAN = ("d_loss = 0.5 mean (real - 1)^2 + 0.5 mean fake^2, g_loss = 0.5 mean (fake - 1)^2, each mean over its "
               "own batch")
ABOUT_WGAN = "d_loss = mean fake - mean real, g_loss = -mean fake, each mean over its own batch"
ABOUT_HINGE = "d_loss = mean relu(1 - real) + mean relu(1 + fake), g_loss = -mean fake, each mean over its own batch"
ABOUT_R1 = ("(gamma / 2) * mean over the real samples of the squared Euclidean norm of the gradient of the "
            "discriminator's logit with respect to its input, create_graph=True, fakes unused")
ABOUT_Q_SHARE = ("return a tuple of two Python floats in [0, 1]: the share for the saturating loss, then the share "
                 "for the non-saturating loss")
ABOUT_GP = ("lambda_gp * mean over samples of (||grad of the critic at x_hat_i||_2 - 1)^2 with x_hat = eps * x_real + "
            "(1 - eps) * x_fake, eps of shape (B, 1), create_graph=True")


def graded(ex, points=1.0, hidden=False, hint=""):
    """``register`` a test whose failures always carry a hint: ``hint`` names the likely mistake when the failing
    comparison had no specific diagnosis (hidden tests show students only the hint)."""

    def deco(func):
        @functools.wraps(func)
        def run(sub):
            try:
                func(sub)
            except SubmissionError as exc:
                if exc.kind == "NotImplementedError" or not hint:
                    raise
                # "your code raised X" alone does not say what to fix: name what the test checks (a constant, so
                # that hidden feedback, which shows only allow-listed hints, keeps it).
                exc.hint = hint
                raise
            except CheckFailure as exc:
                if exc.hint or not hint:
                    raise
                raise CheckFailure(f"{exc} ({hint}.)".replace("..)", ".)"), hint) from None
            except Exception as exc:  # noqa: BLE001 - a value of an unexpected type: still name the mistake
                raise CheckFailure(f"could not check the result ({type(exc).__name__}: {exc})"[:500], hint) from None

        return register(ex, points=points, hidden=hidden)(run)

    return deco


def _number(value, what):
    t = as_float_tensor(value, what)
    if t.numel() != 1:
        fail(f"{what} should be a single number (a 0-dim tensor), got shape {tuple(t.shape)}.",
             "return one number for the whole batch (a mean), a 0-dim tensor")
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
                else type(value).__name__) + ".", "return the pair (d_loss, g_loss)")
    return _number(value[0], f"d_loss from {what}"), _number(value[1], f"g_loss from {what}")


def tensor(sub, values, dtype="float32", requires_grad=False):
    """A tensor built inside the submission's process (kept as a reference, so its state can be read back)."""
    return sub.trusted("torch.tensor", values, dtype=Trusted(f"torch.{dtype}"), requires_grad=requires_grad)


def unchanged(sub, refs_and_values, what):
    """Fail unless each kept tensor still holds its original values (no in-place change by the submission)."""
    import torch

    for ref, values in refs_and_values:
        now = sub.state(ref)["value"].detach()
        before = values.to(now.dtype) if isinstance(values, torch.Tensor) else torch.tensor(values, dtype=now.dtype)
        if now.shape != before.shape or not torch.equal(now, before):
            fail(f"{what} changed its input tensor in place.", HINT_MUTATES)


def backprop(sub, name, values, index=None, dtype="float32", **kwargs):
    """Call ``name`` on leaf tensors made from ``values``, backpropagate its result (item ``index`` of a tuple) and
    return (value, [gradient of each input or None])."""
    leaves = [tensor(sub, v, dtype, requires_grad=True) for v in values]
    out = sub.new(name, *leaves, **kwargs)
    what = f"{name}(...)" if index is None else f"{('d_loss', 'g_loss')[index]} of {name}(...)"
    if index is not None:
        if out.type not in ("tuple", "list"):
            fail(f"{name} should return a tuple (d_loss, g_loss), got an object of type {out.type}.",
                 "return the pair (d_loss, g_loss)")
        out = sub.method(out, "__getitem__", index, keep=True)
    if out.type.split(".")[-1] != "Tensor":
        fail(f"{what} returned a {out.type}, not a tensor: it cannot be backpropagated. {HINT_NO_GRAPH}",
             HINT_NO_GRAPH)
    if not sub.getattr(out, "requires_grad"):
        fail(f"{what} does not require a gradient although its inputs do. {HINT_NO_GRAPH}", HINT_NO_GRAPH)
    value = _number(sub.method(out, "detach"), what)
    try:
        sub.method(out, "backward")
    except SubmissionError as exc:
        fail(f"{what}.backward() failed ({exc}). {HINT_NO_GRAPH}", HINT_NO_GRAPH)
    return value, [sub.state(leaf)["grad"] for leaf in leaves]


def expect_grad(grad, expected, what, diagnoses=(), hint=""):
    """Compare a backpropagated gradient (``None`` when no gradient arrived) with ``expected``."""
    import torch

    if grad is None:
        if all(v == 0 for v in torch.as_tensor(expected).flatten().tolist()):
            return
        fail(f"no gradient reached {what}. {HINT_NO_GRAPH}", HINT_NO_GRAPH)
    try:
        expect_close(grad, expected, f"the gradient with respect to {what}", rtol=1e-5, atol=1e-7, diagnoses=diagnoses)
    except CheckFailure as exc:
        if exc.hint or not hint:
            raise
        raise CheckFailure(str(exc), hint) from None


# -- losses from logits ----------------------------------------------------------------------------------------

def naive_d_loss(real, fake, eps):
    """What sigmoid-then-log with an epsilon inside the log gives in float32 (a known mistake)."""
    import torch

    r, f = torch.sigmoid(torch.tensor(real)), torch.sigmoid(torch.tensor(fake))
    return float(-torch.log(r + eps).mean() - torch.log(1 - f + eps).mean())


def naive_with_eps(fn):
    return [(fn(eps), HINT_SIGMOID_LOG_EPS) for eps in (1e-12, 1e-10, 1e-8, 1e-7, 1e-6, 1e-5)]


@graded(D_LOSS, points=1, hint=ABOUT_D_LOSS)
def d_loss_hand_worked(sub):
    """real logits [2, -1, 0.5], fake [-1.5]: (0.126928 + 1.313262 + 0.474077)/3 + 0.201413 = 0.839502."""
    import torch

    out = sub.call("discriminator_loss", torch.tensor([2.0, -1.0, 0.5]), torch.tensor([-1.5]))
    expect_close(_number(out, "discriminator_loss"), 0.8395022, "discriminator_loss([2, -1, 0.5], [-1.5])",
                 rtol=1e-5, diagnoses=[(2.8395022, HINT_D_SWAPPED), (0.5289200, HINT_D_POOLED)])


@graded(D_LOSS, points=1, hint=ABOUT_D_LOSS)
def d_loss_batch_of_one_and_column_shapes(sub):
    """One real logit ln 3 of shape (1, 1), fakes [0.5, -2] of shape (2,): ln(4/3) + (0.974077 + 0.126928)/2 = 0.838185."""
    import torch

    out = sub.call("discriminator_loss", torch.tensor([[math.log(3)]]), torch.tensor([0.5, -2.0]))
    expect_close(_number(out, "discriminator_loss(real (1, 1), fake (2,))"), 0.8381846,
                 "discriminator_loss(real [[ln 3]], fake [0.5, -2])", rtol=1e-5,
                 diagnoses=[(2.3381846, HINT_D_SWAPPED), ((0.2876821 + 0.9740770 + 0.1269280) / 3, HINT_D_POOLED)])


@graded(D_LOSS, points=1, hint=ABOUT_D_LOSS)
def d_loss_large_logits(sub):
    """Confident float32 logits: real [80, -120], fake [110, -90] give (0 + 120)/2 + (110 + 0)/2 = 115, finite."""
    import torch

    real, fake = [80.0, -120.0], [110.0, -90.0]
    out = sub.call("discriminator_loss", torch.tensor(real), torch.tensor(fake))
    value = _finite_or_fail(out, "discriminator_loss([80, -120], [110, -90])", HINT_SIGMOID_LOG)
    expect_close(value.reshape(()), 115.0, "discriminator_loss([80, -120], [110, -90])", rtol=1e-5,
                 diagnoses=[(100.0, HINT_BCE_CLAMP), (85.0, HINT_D_SWAPPED)]
                 + naive_with_eps(lambda eps: naive_d_loss(real, fake, eps)))


@graded(D_LOSS, points=1, hint=ABOUT_D_LOSS)
def d_loss_backpropagates(sub):
    """Backprop from real [ln 3, -ln 3], fake [ln 3]: d/da_real = -sigmoid(-a)/2 = [-1/8, -3/8], d/da_fake = 3/4."""
    _, (g_real, g_fake) = backprop(sub, "discriminator_loss", [[math.log(3), -math.log(3)], [math.log(3)]])
    expect_grad(g_real, [-0.125, -0.375], "the real logits",
                diagnoses=[([0.375, 0.125], HINT_D_SWAPPED), ([-0.25 / 3, -0.25], HINT_D_POOLED)])
    expect_grad(g_fake, [0.75], "the fake logit", diagnoses=[([-0.25], HINT_D_SWAPPED), ([0.25], HINT_D_POOLED)])


@graded(G_LOSS, points=1, hint=ABOUT_G_LOSS)
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


@graded(G_LOSS, points=1, hint=ABOUT_G_LOSS)
def g_loss_large_logits(sub):
    """Float32 logits [-120, 90]: non-saturating (120 + 0)/2 = 60, saturating -(0 + 90)/2 = -45, both finite."""
    import torch

    logits = [-120.0, 90.0]
    out = sub.call("generator_loss", torch.tensor(logits))
    value = _finite_or_fail(out, "generator_loss([-120, 90])", HINT_SIGMOID_LOG)
    expect_close(value.reshape(()), 60.0, "generator_loss([-120, 90])", rtol=1e-5,
                 diagnoses=[(-45.0, HINT_G_SATURATING), (50.0, HINT_BCE_CLAMP)] + naive_with_eps(
                     lambda eps: float(-torch.log(torch.sigmoid(torch.tensor(logits)) + eps).mean())))
    out = sub.call("generator_loss", torch.tensor(logits), saturating=True)
    value = _finite_or_fail(out, "generator_loss([-120, 90], saturating=True)", HINT_SIGMOID_LOG)
    expect_close(value.reshape(()), -45.0, "generator_loss([-120, 90], saturating=True)", rtol=1e-5,
                 diagnoses=[(60.0, HINT_G_NONSAT_FOR_SAT), (45.0, HINT_G_SIGN), (-50.0, HINT_BCE_CLAMP)])


@graded(G_LOSS, points=1, hint=ABOUT_G_LOSS)
def g_loss_backpropagates(sub):
    """Backprop from a = [ln 3, -ln 3]: non-saturating (sigmoid(a) - 1)/2 = [-1/8, -3/8]; saturating -sigmoid(a)/2."""
    values = [[math.log(3), -math.log(3)]]
    _, (grad,) = backprop(sub, "generator_loss", values)
    expect_grad(grad, [-0.125, -0.375], "the logits (non-saturating)",
                diagnoses=[([-0.375, -0.125], HINT_G_SATURATING), ([0.375, 0.125], HINT_G_SATURATING)])
    _, (grad,) = backprop(sub, "generator_loss", values, saturating=True)
    expect_grad(grad, [-0.375, -0.125], "the logits (saturating=True)",
                diagnoses=[([-0.125, -0.375], HINT_G_NONSAT_FOR_SAT), ([0.375, 0.125], HINT_G_SIGN)])


@graded(G_GRAD, points=1, hint=ABOUT_G_GRAD)
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
    got = sub.call("generator_logit_grad", a)
    expect_close(got, ns, "generator_logit_grad([2, -3]) (default saturating=False)", rtol=1e-5,
                 diagnoses=[(sat, "The default is saturating=False: the non-saturating derivative sigmoid(a) - 1.")])


@graded(G_GRAD, points=1, hint=ABOUT_G_GRAD)
def logit_grad_extremes_dtype_and_scalars(sub):
    """a = [100, -100] (float32): saturating [-1, 0], non-saturating [0, -1], finite, float32; a 0-dim a = ln 3 gives -3/4."""
    import torch

    a = tensor(sub, [100.0, -100.0])
    for saturating, expected in ((True, [-1.0, 0.0]), (False, [0.0, -1.0])):
        got = sub.call("generator_logit_grad", a, saturating=saturating)
        what = f"generator_logit_grad([100, -100], saturating={saturating})"
        if not isinstance(got, torch.Tensor):
            fail(f"{what} should return a tensor, got {type(got).__name__}.", HINT_DTYPE_KEPT)
        _finite_or_fail(got, what, HINT_SIGMOID_EXP)
        expect_true(got.dtype == torch.float32, f"{what} should keep the input's dtype float32, got {got.dtype}.",
                    HINT_DTYPE_KEPT)
        expect_close(got, expected, what, atol=1e-6)
    unchanged(sub, [(a, [100.0, -100.0])], "generator_logit_grad")
    got = sub.call("generator_logit_grad", torch.tensor(math.log(3)), saturating=True)
    expect_close(got, torch.tensor(-0.75), "generator_logit_grad(tensor(ln 3), saturating=True) (0-dim in, 0-dim out)",
                 rtol=1e-5)


# -- optimal discriminator and JSD ---------------------------------------------------------------------------

@graded(D_STAR, points=1, hint=ABOUT_D_STAR)
def d_star_hand_worked(sub):
    """p_data [0.2, 0.5, 0], p_g [0.6, 0.5, 0.3] give D* = [0.25, 0.5, 0]."""
    import torch

    out = sub.call("optimal_discriminator", torch.tensor([0.2, 0.5, 0.0]), torch.tensor([0.6, 0.5, 0.3]))
    expect_close(out, [0.25, 0.5, 0.0], "optimal_discriminator([0.2, 0.5, 0], [0.6, 0.5, 0.3])", rtol=1e-6,
                 atol=1e-7, diagnoses=[([0.75, 0.5, 1.0], HINT_DSTAR_FLIPPED)])


@graded(D_STAR, points=1, hint=ABOUT_D_STAR)
def d_star_tiny_densities(sub):
    """float64 p_data [3e-12, 0, 2e-12], p_g [1e-12, 2e-12, 0]: D* = [0.75, 0, 1] (only ratios matter); inputs kept."""
    values_p, values_q = [3e-12, 0.0, 2e-12], [1e-12, 2e-12, 0.0]
    p, q = tensor(sub, values_p, "float64"), tensor(sub, values_q, "float64")
    out = sub.call("optimal_discriminator", p, q)
    _finite_or_fail(out, "optimal_discriminator on tiny densities", HINT_DSTAR_EPS)
    expect_close(out, [0.75, 0.0, 1.0], "optimal_discriminator([3e-12, 0, 2e-12], [1e-12, 2e-12, 0])", rtol=1e-9,
                 atol=1e-12, diagnoses=[([0.25, 1.0, 0.0], HINT_DSTAR_FLIPPED)])
    unchanged(sub, [(p, values_p), (q, values_q)], "optimal_discriminator")


@graded(JSD, points=1, hint=ABOUT_JSD)
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
                 diagnoses=[(2 * math.log(2), HINT_JSD_NO_HALF), (1.0, HINT_JSD_LOG2),
                            (math.log(2) / 2, HINT_JSD_KL_MEAN)])
    half = torch.tensor([0.5, 0.5], dtype=torch.float64)
    out = sub.call("js_divergence", half, one)
    expect_close(_number(out, "js_divergence([0.5, 0.5], [1, 0])"), 0.2157616, "js_divergence([0.5, 0.5], [1, 0])",
                 rtol=1e-5, diagnoses=[(0.4315231, HINT_JSD_NO_HALF), (0.2157616 / math.log(2), HINT_JSD_LOG2),
                                       (0.2157616 / 2, HINT_JSD_KL_MEAN)])


@graded(JSD, points=1, hint=ABOUT_JSD)
def jsd_common_zero_float32_and_single_entry(sub):
    """float32 p = [0.5, 0.5, 0], q = [0.25, 0.75, 0] (m = [0.375, 0.625, 0]): 0.033822; JSD([1], [1]) = 0; inputs kept."""
    values_p, values_q = [0.5, 0.5, 0.0], [0.25, 0.75, 0.0]
    p, q = tensor(sub, values_p), tensor(sub, values_q)
    out = sub.call("js_divergence", p, q)
    value = _finite_or_fail(out, "js_divergence([0.5, 0.5, 0], [0.25, 0.75, 0])", HINT_JSD_COMMON_ZERO)
    expect_close(value.reshape(()), 0.0338221, "js_divergence([0.5, 0.5, 0], [0.25, 0.75, 0])", rtol=1e-4,
                 diagnoses=[(0.0676442, HINT_JSD_NO_HALF), (0.0338221 / math.log(2), HINT_JSD_LOG2),
                            (0.0338221 / 3, HINT_JSD_KL_MEAN)])
    unchanged(sub, [(p, values_p), (q, values_q)], "js_divergence")
    import torch

    out = sub.call("js_divergence", torch.tensor([1.0]), torch.tensor([1.0]))
    expect_close(_number(out, "js_divergence([1], [1])"), 0.0, "js_divergence([1], [1])", atol=1e-7)


# -- data --------------------------------------------------------------------------------------------------------

def check_ring(out, num_modes, radius, what):
    import torch

    if not isinstance(out, torch.Tensor):
        fail(f"{what} should return a torch.Tensor of shape ({num_modes}, 2), got {type(out).__name__}.",
             "return a float32 tensor of shape (M, 2)")
    expect_true(out.shape == (num_modes, 2), f"{what} has shape {tuple(out.shape)}, expected ({num_modes}, 2).",
                "one row (x, y) per mode: stack cos and sin along dim=1")
    expect_true(out.dtype == torch.float32, f"{what} should be float32, got {out.dtype}.", HINT_RING_FLOAT32)
    pts = out.double()
    dist = torch.cdist(pts, pts) + torch.eye(num_modes, dtype=torch.float64) * 1e9
    if num_modes > 1 and float(dist.min()) < 1e-4 * radius:
        fail(f"{what}: two of the centres coincide ({num_modes} rows but fewer distinct modes). {HINT_RING_7}",
             HINT_RING_7)
    angles = 2 * math.pi * torch.arange(num_modes, dtype=torch.float64) / num_modes
    expected = radius * torch.stack([torch.cos(angles), torch.sin(angles)], dim=1)
    wrong = torch.linspace(0, 2 * math.pi, num_modes, dtype=torch.float64)
    wrong = radius * torch.stack([torch.cos(wrong), torch.sin(wrong)], dim=1)
    expect_close(pts, expected, what, rtol=1e-5, atol=1e-5 * radius,
                 diagnoses=[(wrong, HINT_RING_7), (expected[:, [1, 0]], "Rows are (radius cos theta, radius sin "
                             "theta): x first, then y."),
                            (expected / radius, "The centres are on the unit circle: multiply by radius.")])


@graded(RING, points=1, hint=ABOUT_RING)
def ring_of_three(sub):
    """ring_modes(3, 2.5) is [[2.5, 0], [-1.25, 2.165064], [-1.25, -2.165064]] (float32)."""
    check_ring(sub.call("ring_modes", 3, 2.5), 3, 2.5, "ring_modes(3, 2.5)")


@graded(RING, points=1, hint=ABOUT_RING)
def ring_default_has_eight_distinct_modes(sub):
    """ring_modes() has 8 distinct centres at radius 2, neighbours 4 sin(pi/8) = 1.5307 apart."""
    check_ring(sub.call("ring_modes"), 8, 2.0, "ring_modes()")


@graded(RING, points=1, hint=ABOUT_RING)
def ring_single_mode_int_radius(sub):
    """ring_modes(1, 3) with an int radius is [[3.0, 0.0]] in float32 (the smallest ring)."""
    check_ring(sub.call("ring_modes", 1, 3), 1, 3.0, "ring_modes(1, 3)")


# -- networks ------------------------------------------------------------------------------------------------------

def count_params(sub, ref):
    return sum(p.numel() for p in sub.state(ref)["params"].values())


def forward(sub, ref, inputs):
    return sub.method(ref, "__call__", inputs)


def linear_shapes(sub, ref, x, what):
    """The (in_features, out_features, bias) of the Linear layers in forward order (netcheck.structure)."""
    from ganlab.grading.netcheck import structure

    layers = structure(sub, ref, x)
    return [(layer["in_features"], layer["out_features"], layer["bias"])
            for layer in layers if layer["type"] == "Linear"]


def check_fixed_parameters(sub, ref, x, expected, what, diagnoses):
    """Set every weight to one value and every bias to another, then compare outputs worked out by hand.

    The network runs in train mode and in eval mode, on the batch and on its first row alone (a batch of 1).
    """
    import torch

    sub.trusted("ganlab.grading.standins.set_affine", ref, *FIXED[what.split("(")[0]], keep=False)
    for mode in ("train", "eval"):
        sub.method(ref, mode)
        for rows in (slice(None), slice(0, 1)):
            out = forward(sub, ref, x[rows])
            if not isinstance(out, torch.Tensor):
                fail(f"{what}.forward should return a tensor, got {type(out).__name__}.", "forward returns a tensor")
            expect_true(out.dtype == torch.float32, f"{what}'s output should be float32, got {out.dtype}.",
                        "keep the default float32 layers")
            label = f"{what} with fixed parameters in {mode} mode on {'a batch of 1' if rows.stop else 'a batch of 2'}"
            expect_close(out, torch.tensor(expected)[rows], label, rtol=1e-5, atol=1e-6, diagnoses=[
                (torch.tensor(wrong)[rows], hint) for wrong, hint in diagnoses])


#: (weight, bias) given to every Linear layer in the fixed-parameter checks.
FIXED = {"Generator": (0.4, -0.25), "Discriminator": (0.5, -0.45)}


@graded(GEN, points=1, hint=HINT_NET_ACTIVATION)
def generator_layers_and_fixed_output(sub):
    """Generator(2, 3, 2): Linear layers (2,3), (3,3), (3,3), (3,2); with weights 0.4 and biases -0.25, z = (1.5, 0.5)
    gives (0.0404, 0.0404) (0.55, 0.41, 0.242 through the hidden layers) and z = (-1, 0.25) gives (-0.25, -0.25)."""
    import torch

    sub.trusted("torch.manual_seed", 0, keep=False)
    gen = sub.new("Generator", 2, 3, 2)
    z = torch.tensor([[1.5, 0.5], [-1.0, 0.25]])
    shapes = linear_shapes(sub, gen, z, "Generator(2, 3, 2)")
    expected = [(2, 3, True), (3, 3, True), (3, 3, True), (3, 2, True)]
    expect_true(shapes == expected, f"Generator(2, 3, 2) calls Linear layers (in, out, bias) {shapes}, expected "
                                    f"{expected}.", HINT_NET_LAYERS)
    check_fixed_parameters(sub, gen, z, [[0.0404, 0.0404], [-0.25, -0.25]], "Generator(2, 3, 2)", diagnoses=[
        ([[0.0404, 0.0404], [-0.3320032, -0.3320032]], HINT_G_LEAKY),
        ([[0.0404, 0.0404], [-0.253037, -0.253037]], HINT_G_LEAKY),
        ([[0.040378, 0.040378], [-0.2449187, -0.2449187]], HINT_G_TANH)])


@graded(DISC, points=1, hint=HINT_NET_ACTIVATION)
def discriminator_layers_and_fixed_output(sub):
    """Discriminator(3, 2): Linear layers (2,3), (3,3), (3,3), (3,1); with weights 0.5 and biases -0.45, x = (1, 2) gives
    the logit 1.40625 (1.05, 1.125, 1.2375 through the hidden layers) and x = (-1.5, 0.5) gives -0.45."""
    import torch

    sub.trusted("torch.manual_seed", 0, keep=False)
    disc = sub.new("Discriminator", 3, 2)
    x = torch.tensor([[1.0, 2.0], [-1.5, 0.5]])
    shapes = linear_shapes(sub, disc, x, "Discriminator(3, 2)")
    expected = [(2, 3, True), (3, 3, True), (3, 3, True), (3, 1, True)]
    expect_true(shapes == expected, f"Discriminator(3, 2) calls Linear layers (in, out, bias) {shapes}, expected "
                                    f"{expected}.", HINT_NET_LAYERS)
    check_fixed_parameters(sub, disc, x, [[1.40625], [-0.45]], "Discriminator(3, 2)", diagnoses=[
        ([[0.8031738], [0.3893608]], HINT_D_SIGMOID), ([[1.40625], [-0.65115]], HINT_G_LEAKY),
        ([[1.40625], [-0.4568545]], HINT_G_LEAKY)])


# -- the training step -------------------------------------------------------------------------------------------

def build_step_inputs(sub, seed, k, batch=4, latent=3, data=2, lr=0.1, optimizer="sgd"):
    """Stand-in networks (float64, deterministic), optimizers that count their steps and batches, built in the
    submission's process. ``optimizer`` is "sgd", "momentum" (SGD, momentum 0.9) or "adam"."""
    import torch

    gen = sub.trusted("ganlab.grading.standins.probe_generator", latent, data, seed)
    disc = sub.trusted("ganlab.grading.standins.tiny_mlp", data, 1, seed + 1)
    g_params = sub.method(gen, "parameters", keep=True)
    d_params = sub.method(disc, "parameters", keep=True)
    opt_g = sub.trusted("ganlab.grading.standins.counting_optimizer", g_params, optimizer, lr=lr)
    opt_d = sub.trusted("ganlab.grading.standins.counting_optimizer", d_params, optimizer, lr=lr)
    g = torch.Generator().manual_seed(100 + seed)
    real = torch.randn(k, batch, data, generator=g, dtype=torch.float64) + 1.0
    noise = torch.randn(k + 1, batch, latent, generator=g, dtype=torch.float64)
    return gen, disc, opt_g, opt_d, real, noise


def call_step(sub, gen, disc, opt_g, opt_d, real, noise, **kwargs):
    out = sub.call("train_step", gen, disc, opt_g, opt_d, real, noise, Trusted("ganlab.grading.standins.odd_d_loss"),
                   Trusted("ganlab.grading.standins.odd_g_loss"), **kwargs)
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        fail(f"train_step should return (d_loss, g_loss) as two floats, got {type(out).__name__}.", HINT_STEP_FLOATS)
    d_loss, g_loss = (_number(v, "a loss returned by train_step") for v in out)
    expect_true(bool(d_loss.isfinite()) and bool(g_loss.isfinite()), "train_step returned a non-finite loss.",
                "the losses returned are the last discriminator step's and the generator step's")
    return float(d_loss), float(g_loss)


def params_of(sub, ref):
    return {n: p.clone() for n, p in sub.state(ref)["params"].items()}


@graded(STEP, points=2, hint=ABOUT_STEP)
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
                            "discriminator(generator(noise_batches[k])) without detaching, then backward.",
                "the generator step backpropagates g_loss_fn(discriminator(generator(noise_batches[k])))")
    g_after, d_after = params_of(sub, gen), params_of(sub, disc)
    expect_true(any(not (g_after[n] == g_before[n]).all() for n in g_after),
                "the generator's parameters did not change: call opt_g.step() after the generator's backward.",
                "opt_g.step() after the generator's backward")
    if all((d_after[n] == d_before[n]).all() for n in d_after):
        d_steps = sub.getattr(opt_d, "step_count")
        hint = HINT_D_STEPS_G if d_steps == 0 else HINT_D_UNCHANGED
        fail(f"the discriminator's parameters did not change (opt_d.step() ran {d_steps} times). {hint}", hint)


@graded(STEP, points=1, hint=ABOUT_STEP)
def step_counts_penalty_calls_and_clipping(sub):
    """k = 3, Adam: opt_d steps 3 times and opt_g once; the penalty sees (discriminator, real_batches[i], a detached
    fake batch) at each D step; with clip = 0.4 every discriminator parameter ends in [-0.4, 0.4], the generator's not."""
    import torch

    gen, disc, opt_g, opt_d, real, noise = build_step_inputs(sub, 1, k=3, optimizer="adam", lr=0.05)
    penalty = sub.trusted("ganlab.grading.standins.penalty_recorder")
    call_step(sub, gen, disc, opt_g, opt_d, real, noise, penalty=penalty, clip=0.4)
    d_steps, g_steps = sub.getattr(opt_d, "step_count"), sub.getattr(opt_g, "step_count")
    expect_true((d_steps, g_steps) == (3, 1), f"with k = 3, opt_d.step() ran {d_steps} times and opt_g.step() "
                                              f"{g_steps} times; expected 3 and 1. {HINT_STEP_COUNTS}",
                HINT_ONE_D_STEP if d_steps == 1 else (HINT_D_STEPS_G if g_steps > 1 else HINT_STEP_COUNTS))
    calls = sub.getattr(penalty, "calls")
    expect_true(len(calls) == 3, f"the penalty was called {len(calls)} times with k = 3, expected 3 (once per "
                                 f"discriminator step). {HINT_PENALTY_ARGS}", HINT_PENALTY_ARGS)
    for i, (is_module, x_real, _, fake_grad) in enumerate(calls):
        expect_true(is_module and torch.equal(x_real, real[i]), f"penalty call {i} did not get (discriminator, "
                    f"real_batches[{i}], x_fake). {HINT_PENALTY_ARGS}", HINT_PENALTY_ARGS)
        expect_true(not fake_grad, f"penalty call {i} got a fake batch that still carries the generator's graph. "
                    f"{HINT_DETACH}", HINT_DETACH)
    d_params = torch.cat([p.reshape(-1) for p in params_of(sub, disc).values()])
    g_params = torch.cat([p.reshape(-1) for p in params_of(sub, gen).values()])
    expect_true(float(d_params.abs().max()) <= 0.4 + 1e-12, f"with clip=0.4 a discriminator parameter is "
                f"{float(d_params.abs().max()):.4g} after train_step. {HINT_CLIP_EACH}", HINT_CLIP_EACH)
    expect_true(float(g_params.abs().max()) > 0.4, f"with clip=0.4 the generator's parameters were clamped too. "
                f"{HINT_CLIP_G}", HINT_CLIP_G)


# -- mode coverage -----------------------------------------------------------------------------------------------

COV_MODES = [[0.0, 0.0], [10.0, 0.0], [0.0, 10.0], [-10.0, 0.0]]
COV_SAMPLES = [[1.0, 0.0], [0.0, 4.5], [10.0, 3.0], [-5.5, -1.0], [0.5, 8.5]]


@graded(COVERAGE, points=2, hint=ABOUT_COVERAGE)
def coverage_hand_worked(sub):
    """Modes (0,0), (10,0), (0,10), (-10,0), std 1.5 (threshold 4.5). Samples at distances 1 (mode 0), 4.5 (mode 0,
    exactly on the threshold), 3 (mode 1), 4.61 (mode 3, too far) and 1.58 (mode 2): 3 modes, quality 4/5 = 0.8.
    One float64 sample 0.5 from the only mode, std 0.2: (1, 1.0)."""
    import torch

    out = sub.call("mode_coverage", torch.tensor(COV_SAMPLES), torch.tensor(COV_MODES), 1.5)
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        fail(f"mode_coverage should return (num_modes, quality), got {type(out).__name__}.", HINT_COV_TYPES)
    expect_close(as_float_tensor(list(out), "(num_modes, quality)"), [3, 0.8], "mode_coverage(...) as (modes, quality)",
                 rtol=1e-6, atol=1e-6,
                 diagnoses=[([1, 0.2], HINT_COV_ONE_STD), ([3, 0.6], HINT_COV_BOUNDARY), ([2, 0.4], HINT_COV_SQUARED),
                            ([4, 1.0], HINT_COV_VARIANCE), ([3, 4], HINT_COV_COUNT), ([3, 80], HINT_COV_COUNT),
                            ([4, 0.8], HINT_COV_ALL_MODES), ([3, 0.75], HINT_COV_MODE_FRACTION)])
    count, quality = out
    expect_true(isinstance(count, int) and not isinstance(count, bool) and isinstance(quality, float),
                f"mode_coverage returned ({type(count).__name__}, {type(quality).__name__}), expected (int, float).",
                HINT_COV_TYPES)
    samples, modes = torch.tensor([[0.3, -0.4]], dtype=torch.float64), torch.tensor([[0.0, 0.0]], dtype=torch.float64)
    out = sub.call("mode_coverage", samples, modes, 0.2)
    expect_close(as_float_tensor(list(out), "(num_modes, quality)"), [1, 1.0],
                 "mode_coverage(one float64 sample 0.5 from the only mode, std 0.2)",
                 diagnoses=[([0, 0.0], HINT_COV_ONE_STD), ([1, 1], HINT_COV_COUNT)])


# -- loss family ------------------------------------------------------------------------------------------------

REAL_SCORES = [[1.5], [-0.5], [2.0]]
FAKE_SCORES = [[0.5], [-2.0]]
WHAT_SCORES = "([1.5, -0.5, 2], [0.5, -2]) as (3, 1) and (2, 1)"


def _pair_on_scores(sub, name):
    import torch

    out = sub.call(name, torch.tensor(REAL_SCORES), torch.tensor(FAKE_SCORES))
    return _pair(out, f"{name}{WHAT_SCORES}")


def _pair_grads(sub, name, index):
    flat_real = [v[0] for v in REAL_SCORES]
    flat_fake = [v[0] for v in FAKE_SCORES]
    return backprop(sub, name, [flat_real, flat_fake], index=index)[1]


@graded(LSGAN, points=1, hint=ABOUT_LSGAN)
def lsgan_hand_worked(sub):
    """real [1.5, -0.5, 2], fake [0.5, -2]: d = 0.5*(0.25 + 2.25 + 1)/3 + 0.5*(0.25 + 4)/2 = 1.645833,
    g = 0.5*(0.25 + 9)/2 = 2.3125."""
    d, g = _pair_on_scores(sub, "lsgan_losses")
    expect_close(d, 1.6458333, "d_loss of lsgan_losses", rtol=1e-6,
                 diagnoses=[(3.2916667, HINT_LS_HALF), (3.3958333, HINT_LS_TARGETS), (0.775, HINT_LS_POOLED)])
    expect_close(g, 2.3125, "g_loss of lsgan_losses", rtol=1e-6, diagnoses=[(4.625, HINT_LS_HALF)])


@graded(LSGAN, points=1, hint=ABOUT_LSGAN)
def lsgan_backpropagates(sub):
    """Gradients: d_loss by real (r - 1)/3 = [1/6, -1/2, 1/3], by fake f/2 = [1/4, -1];
    g_loss by fake (f - 1)/2 = [-1/4, -3/2], by real 0."""
    g_real, g_fake = _pair_grads(sub, "lsgan_losses", 0)
    expect_grad(g_real, [1 / 6, -0.5, 1 / 3], "the real scores (d_loss)", hint=ABOUT_LSGAN,
                diagnoses=[([1 / 3, -1.0, 2 / 3], HINT_LS_HALF)])
    expect_grad(g_fake, [0.25, -1.0], "the fake scores (d_loss)", hint=ABOUT_LSGAN,
                diagnoses=[([0.5, -2.0], HINT_LS_HALF)])
    g_real, g_fake = _pair_grads(sub, "lsgan_losses", 1)
    expect_grad(g_real, [0.0, 0.0, 0.0], "the real scores (g_loss depends on fakes only)", hint=ABOUT_LSGAN)
    expect_grad(g_fake, [-0.25, -1.5], "the fake scores (g_loss)", hint=ABOUT_LSGAN,
                diagnoses=[([-0.5, -3.0], HINT_LS_HALF)])


@graded(WGAN, points=1, hint=ABOUT_WGAN)
def wgan_hand_worked(sub):
    """real [1.5, -0.5, 2] (mean 1), fake [0.5, -2] (mean -0.75): d = -1.75, g = 0.75."""
    d, g = _pair_on_scores(sub, "wgan_losses")
    expect_close(d, -1.75, "d_loss of wgan_losses", rtol=1e-6, diagnoses=[(1.75, HINT_W_SIGN)])
    expect_close(g, 0.75, "g_loss of wgan_losses", rtol=1e-6, diagnoses=[(-0.75, HINT_W_SIGN)])


@graded(WGAN, points=1, hint=ABOUT_WGAN)
def wgan_backpropagates(sub):
    """Gradients: d_loss by real -1/3 each, by fake 1/2 each; g_loss by fake -1/2 each, by real 0."""
    g_real, g_fake = _pair_grads(sub, "wgan_losses", 0)
    expect_grad(g_real, [-1 / 3] * 3, "the real scores (d_loss)", hint=ABOUT_WGAN,
                diagnoses=[([1 / 3] * 3, HINT_W_SIGN), ([-1.0] * 3, "Average (mean), do not sum, over the batch.")])
    expect_grad(g_fake, [0.5, 0.5], "the fake scores (d_loss)", hint=ABOUT_WGAN,
                diagnoses=[([-0.5, -0.5], HINT_W_SIGN), ([1.0, 1.0], "Average (mean), do not sum, over the batch.")])
    g_real, g_fake = _pair_grads(sub, "wgan_losses", 1)
    expect_grad(g_real, [0.0, 0.0, 0.0], "the real scores (g_loss depends on fakes only)", hint=ABOUT_WGAN)
    expect_grad(g_fake, [-0.5, -0.5], "the fake scores (g_loss)", hint=ABOUT_WGAN,
                diagnoses=[([0.5, 0.5], HINT_W_SIGN)])


@graded(HINGE, points=1, hint=ABOUT_HINGE)
def hinge_hand_worked(sub):
    """real [1.5, -0.5, 2], fake [0.5, -2]: d = (0 + 1.5 + 0)/3 + (1.5 + 0)/2 = 1.25, g = 0.75."""
    d, g = _pair_on_scores(sub, "hinge_losses")
    expect_close(d, 1.25, "d_loss of hinge_losses", rtol=1e-6, diagnoses=[(3.75, HINT_HINGE_SWAPPED)])
    expect_close(g, 0.75, "g_loss of hinge_losses", rtol=1e-6, diagnoses=[(1.75, HINT_HINGE_G), (-0.75, HINT_W_SIGN)])


@graded(HINGE, points=1, hint=ABOUT_HINGE)
def hinge_backpropagates(sub):
    """Gradients: d_loss by real [0, -1/3, 0] (only inside the margin), by fake [1/2, 0]; g_loss by fake -1/2 each."""
    g_real, g_fake = _pair_grads(sub, "hinge_losses", 0)
    expect_grad(g_real, [0.0, -1 / 3, 0.0], "the real scores (d_loss)", hint=ABOUT_HINGE)
    expect_grad(g_fake, [0.5, 0.0], "the fake scores (d_loss)", hint=ABOUT_HINGE)
    g_real, g_fake = _pair_grads(sub, "hinge_losses", 1)
    expect_grad(g_real, [0.0, 0.0, 0.0], "the real scores (g_loss depends on fakes only)", hint=ABOUT_HINGE)
    expect_grad(g_fake, [-0.5, -0.5], "the fake scores (g_loss)", hint=ABOUT_HINGE,
                diagnoses=[([0.0, -0.5], HINT_HINGE_G)])


# -- gradient penalty -----------------------------------------------------------------------------------------

GP_WEIGHTS, GP_SHIFT = [1.0, 2.0], [0.25, -0.5]
GP_REAL = [[1.0, 0.0], [0.0, 1.0]]
GP_FAKE = [[-1.0, 0.0], [0.0, 0.0]]
GP_EPS = [[0.25], [0.75]]


def penalty_ref(sub, critic, real, fake, eps, **kwargs):
    """Call gradient_penalty keeping the result in the submission's process; returns (ref, value)."""
    ref = sub.new("gradient_penalty", critic, real, fake, eps=eps, **kwargs)
    if ref.type.split(".")[-1] != "Tensor":
        fail(f"gradient_penalty should return a 0-dim tensor, got {ref.type}.", HINT_NO_GRAPH)
    return ref, _number(sub.method(ref, "detach"), "gradient_penalty(...)")


@graded(GP, points=1, hint=ABOUT_GP)
def penalty_hand_worked(sub):
    """Critic 0.5*(x1^2 + 2 x2^2) + 0.25 x1 - 0.5 x2, eps [0.25, 0.75]: x_hat = (-0.5, 0), (0, 0.75), input gradients
    (-0.25, -0.5), (0.25, 1) of norms 0.559017, 1.030776; 10 * mean((n - 1)^2) = 0.977066."""
    import torch

    critic = sub.trusted("ganlab.grading.standins.quadratic_critic", GP_WEIGHTS, GP_SHIFT)
    as64 = lambda v: torch.tensor(v, dtype=torch.float64)  # noqa: E731
    _, value = penalty_ref(sub, critic, as64(GP_REAL), as64(GP_FAKE), as64(GP_EPS))
    expect_close(value, 0.9770660, "gradient_penalty(critic, x_real, x_fake, eps=[0.25, 0.75])", rtol=1e-6,
                 diagnoses=[(1.9551817, HINT_GP_REAL), (5.625, HINT_GP_MEAN), (0.4206736, HINT_GP_MEAN),
                            (0.2979212, HINT_GP_MEAN), (0.0977066, HINT_GP_LAMBDA), (2.8611218, HINT_GP_EPS),
                            (2.3828125, HINT_GP_SQUARED), (3.7697830, HINT_GP_GRAD_OF_MEAN)])


@graded(GP, points=1, hint=HINT_CREATE_GRAPH)
def penalty_reaches_the_critic(sub):
    """Backpropagating the penalty gives the critic's parameters a non-zero gradient (create_graph=True)."""
    import torch

    critic = sub.trusted("ganlab.grading.standins.quadratic_critic", GP_WEIGHTS, GP_SHIFT)
    as64 = lambda v: torch.tensor(v, dtype=torch.float64)  # noqa: E731
    ref, _ = penalty_ref(sub, critic, as64(GP_REAL), as64(GP_FAKE), as64(GP_EPS))
    penalty_parameter_grads(sub, ref, critic, HINT_CREATE_GRAPH, nonzero=True)


def penalty_parameter_grads(sub, ref, critic, hint, nonzero=False):
    """Backpropagate a penalty kept in the submission's process; returns the quadratic critic's parameter gradient
    (shift, then weights). Fails with ``hint`` when backward fails or a gradient is missing (or, with ``nonzero``,
    is not finite or is all zero)."""
    import torch

    try:
        sub.method(ref, "backward")
    except SubmissionError as exc:
        fail(f"penalty.backward() failed ({exc}). {hint}", hint)
    grads = sub.state(critic)["grads"]
    if any(g is None for g in grads.values()):
        fail(hint, hint)
    if nonzero and any(not bool(torch.isfinite(g).all()) or float(g.abs().sum()) == 0 for g in grads.values()):
        fail(hint, hint)
    return torch.cat([grads["shift"], grads["weights"]])


def interpolation_weights(x_hat, real, fake):
    """Per row, the weight e with x_hat = e * real + (1 - e) * fake read from each coordinate (shape (B, D))."""
    return (x_hat - fake) / (real - fake)


@graded(GP, points=1, hint=ABOUT_GP)
def penalty_default_eps_per_sample(sub):
    """eps=None: the critic sees B = 6 points that require a gradient, each on the segment between its real and fake
    sample (one weight in [0, 1] per sample, the same for both coordinates), with different weights across samples."""
    import torch

    critic = sub.trusted("ganlab.grading.standins.recording_critic", GP_WEIGHTS, GP_SHIFT)
    real = torch.tensor([[1.0, 2.0], [0.5, -1.0], [2.0, 0.5], [-1.0, 1.5], [1.5, 1.0], [0.0, -2.0]], dtype=torch.float64)
    fake = torch.tensor([[-1.0, 0.5], [2.0, 1.0], [0.0, -1.5], [1.0, -0.5], [-0.5, 3.0], [2.5, 0.5]], dtype=torch.float64)
    sub.trusted("torch.manual_seed", 3, keep=False)
    out = sub.call("gradient_penalty", critic, real, fake)
    _finite_or_fail(_number(out, "gradient_penalty(critic, x_real, x_fake)"), "gradient_penalty with eps=None",
                    "with eps=None draw eps = torch.rand(B, 1)")
    inputs, flags = sub.getattr(critic, "inputs"), sub.getattr(critic, "requires_grad")
    if not inputs:
        fail("gradient_penalty never called the critic.", "evaluate critic(x_hat)")
    x_hat = inputs[0]
    expect_true(tuple(x_hat.shape) == (6, 2), f"the critic got points of shape {tuple(x_hat.shape)}, expected (6, 2).",
                HINT_GP_EPS_PER_COORD)
    expect_true(flags[0], f"the critic's input did not require a gradient. {HINT_GP_GRAD_FLAG}", HINT_GP_GRAD_FLAG)
    weights = interpolation_weights(x_hat, real, fake)
    if torch.allclose(x_hat, real):
        fail(f"the critic was evaluated at the real samples. {HINT_GP_REAL}", HINT_GP_REAL)
    if not torch.allclose(weights[:, 0], weights[:, 1], atol=1e-9):
        fail(f"the critic's points are not on the segments between x_fake and x_real. {HINT_GP_EPS_PER_COORD}",
             HINT_GP_EPS_PER_COORD)
    e = weights[:, 0]
    expect_true(bool(((e >= 0) & (e <= 1)).all()), f"interpolation weights {e.tolist()} are not in [0, 1]: draw eps "
                "from U[0, 1] (torch.rand).", "draw eps from U[0, 1] with torch.rand, not torch.randn")
    expect_true(float(e.max() - e.min()) > 1e-6, f"every sample got the same interpolation weight {float(e[0]):.4g}. "
                f"{HINT_GP_EPS_SHARED}", HINT_GP_EPS_SHARED)


# -- question 1 -------------------------------------------------------------------------------------------------

@graded(Q_SHARE, points=0.5, hint=ABOUT_Q_SHARE)
def question_answer_format(sub):
    """The answer is a pair of numbers in [0, 1] (its values are judged by the hidden tests only)."""
    out = sub.call("question_weight_share")
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        fail(f"question_weight_share() should return a tuple of two floats, got {type(out).__name__}.", ABOUT_Q_SHARE)
    for value in out:
        number = float(_number(value, "each share"))
        expect_true(0.0 <= number <= 1.0, f"a share of the total weight lies in [0, 1], got {number:.4g}.",
                    ABOUT_Q_SHARE)


# -- R1 penalty -------------------------------------------------------------------------------------------------

R1_WEIGHTS, R1_SHIFT = [0.5, 1.5], [0.25, -0.5]
R1_REAL = [[1.0, 0.5], [-1.5, 1.0], [2.0, -1.0]]
R1_FAKE = [[0.0, -1.5], [1.5, 0.5], [-1.0, -0.5]]


def r1_ref(sub, critic, real, fake, **kwargs):
    """Call r1_penalty keeping the result in the submission's process; returns (ref, value)."""
    ref = sub.new("r1_penalty", critic, real, fake, **kwargs)
    if ref.type.split(".")[-1] != "Tensor":
        fail(f"r1_penalty should return a 0-dim tensor, got {ref.type}.", HINT_NO_GRAPH)
    return ref, _number(sub.method(ref, "detach"), "r1_penalty(...)")


@graded(R1, points=1, hint=ABOUT_R1)
def r1_hand_worked(sub):
    """Critic 0.25 x1^2 + 0.75 x2^2 + 0.25 x1 - 0.5 x2, gamma 0.3: input gradients at the real points (0.75, 0.25),
    (-0.5, 1), (1.25, -2) of squared norms 0.625, 1.25, 5.5625; 0.15 * mean = 0.371875."""
    import torch

    critic = sub.trusted("ganlab.grading.standins.quadratic_critic", R1_WEIGHTS, R1_SHIFT)
    as64 = lambda v: torch.tensor(v, dtype=torch.float64)  # noqa: E731
    _, value = r1_ref(sub, critic, as64(R1_REAL), as64(R1_FAKE), gamma=0.3)
    expect_close(value, 0.371875, "r1_penalty(critic, x_real, x_fake, gamma=0.3)", rtol=1e-6,
                 diagnoses=[(0.515625, HINT_R1_FAKE), (0.74375, HINT_R1_FULL_GAMMA),
                            (0.2133549, HINT_R1_NOT_SQUARED), (1.115625, HINT_R1_SUM),
                            (0.046875, HINT_R1_MEAN_GRAD), (0.0413194, HINT_R1_GRAD_OF_MEAN),
                            (0.2479167, HINT_R1_GAMMA)])


@graded(R1, points=1, hint=HINT_R1_GRAPH)
def r1_reaches_the_discriminator(sub):
    """Backpropagating the penalty gives the discriminator's parameters a non-zero gradient (create_graph=True)."""
    import torch

    critic = sub.trusted("ganlab.grading.standins.quadratic_critic", R1_WEIGHTS, R1_SHIFT)
    as64 = lambda v: torch.tensor(v, dtype=torch.float64)  # noqa: E731
    ref, _ = r1_ref(sub, critic, as64(R1_REAL), as64(R1_FAKE), gamma=0.3)
    penalty_parameter_grads(sub, ref, critic, HINT_R1_GRAPH, nonzero=True)
