"""Public checks for Lab 3 (DCGAN for manga faces).

Expected values are worked out by hand (written next to each test) or come from PyTorch's own layers
(``nn.Conv2d`` shapes, ``F.conv_transpose2d``), so this file tells you what a correct function returns,
not how to write it. The hidden tests (instructor side) add random configurations, training steps
compared with a reference on stand-in networks, and the remaining mistakes.
"""

from __future__ import annotations

import math

from ganlab.grading.testing import Trusted, as_float_tensor, exercise, expect_close, expect_true, fail, register

LAB = "lab3"

SIZE = exercise(LAB, "conv_output_size", title="Output size of a (transposed) convolution")
NAIVE = exercise(LAB, "conv_transpose2d_naive", title="A transposed convolution by hand")
GEN = exercise(LAB, "Generator", title="The DCGAN generator")
DISC = exercise(LAB, "Discriminator", title="The DCGAN discriminator")
INIT = exercise(LAB, "init_weights", title="DCGAN weight initialisation")
STEP = exercise(LAB, "train_step", title="One DCGAN training step")
SAMPLE = exercise(LAB, "sample", title="Sampling in evaluation mode")
SLERP = exercise(LAB, "slerp", title="Spherical interpolation")
ARITH = exercise(LAB, "latent_arithmetic", title="Latent vector arithmetic")

#: Parameter counts of the reference 64 x 64 networks (latent_dim 100, base_channels 64, bias-free convolutions).
G_PARAMS_64 = 3_576_704
D_PARAMS_64 = 2_765_568

HINT_FLOAT_SIZE = "Sizes are whole numbers: use floor division // (a convolution drops the positions that do not fit)."
HINT_SIZE_NO_PAD_TWICE = "Padding is added on both sides: the formula has 2 * padding."
HINT_TRANSPOSED_INVERSE = ("A transposed convolution maps sizes the other way: H_out = (H - 1) * stride - 2 * padding "
                           "+ dilation * (kernel_size - 1) + output_padding + 1.")
HINT_NAIVE_PADDING = ("Padding of a transposed convolution *crops* the full output: drop `padding` rows and columns "
                      "on each side of the (H - 1) * stride + k (+ output_padding) result.")
HINT_NAIVE_STRIDE = ("The kernel copies must land `stride` pixels apart: the copy for input (i, j) starts at "
                     "(i * stride, j * stride) of the full output.")
HINT_NAIVE_FLIP = ("The kernel is flipped: a transposed convolution places weight[..., a, b] at offset (a, b) from "
                   "the copy's corner, without flipping (that is what makes it the adjoint of a convolution).")
HINT_NAIVE_LAYOUT = ("The weight layout of nn.ConvTranspose2d is (C_in, C_out, k_h, k_w): output channel o gets "
                     "sum over c of x[:, c, i, j] * weight[c, o].")
HINT_MISSING_TANH = ("The generator's outputs leave [-1, 1]: end the generator with nn.Tanh(), so images match "
                     "the data's range.")
HINT_SIGMOID_OUT = ("The generator's outputs are never negative: that is a Sigmoid (range (0, 1)) on the output; "
                    "the images are normalised to [-1, 1], so DCGAN ends with nn.Tanh().")
HINT_D_SIGMOID = ("Every output lies in (0, 1): the discriminator ends with a Sigmoid. Return raw logits; the loss "
                  "(binary_cross_entropy_with_logits) applies the sigmoid itself, stably.")
HINT_STD_02 = "The weights have standard deviation 0.2: DCGAN draws them from N(0, 0.02) (std 0.02)."
HINT_BN_DEFAULT = ("The batch-norm weights are all exactly 1 (PyTorch's default): DCGAN draws them from N(1, 0.02) "
                   "and sets the biases to 0.")
HINT_BN_MEAN_0 = "The batch-norm weights (gamma) are centred at 0: draw them from N(1, 0.02) so each layer starts near identity scale."
HINT_DETACH = ("Gradients from the discriminator's loss reached the generator: detach the fakes in the "
               "discriminator step (discriminator(x_fake.detach())).")
HINT_D_STEP_MOVES_G = ("The generator's parameters changed differently from one generator step: the discriminator "
                       "step must update only the discriminator (opt_d.step(), never opt_g.step(), and fakes "
                       "detached).")
HINT_ZERO_GRAD = ("Gradients left over from earlier calls leaked into this step: call opt_d.zero_grad() before the "
                  "discriminator's backward and opt_g.zero_grad() before the generator's.")
HINT_LABELS_SWAPPED = "Real images have label 1 and fakes label 0 in the discriminator's loss (the generator wants its fakes labelled 1)."
HINT_G_SATURATING = ("The generator's loss is the saturating log(1 - D(G(z))): use the non-saturating "
                     "BCE(D(G(z)), 1) = -log D(G(z)).")
HINT_OLD_D = ("The generator step used the discriminator from before its update: compute the generator's loss "
              "with a fresh forward pass through the updated discriminator.")
HINT_TRAIN_MODE = ("The samples were drawn in training mode: batch norm used the batch's statistics. Call "
                   "generator.eval() before sampling (and restore the previous mode afterwards).")
HINT_RUNNING_STATS = ("Sampling changed batch norm's running statistics (training mode updates them): sample in "
                      "evaluation mode, generator.eval().")
HINT_NO_GRAD = "The samples carry a graph (requires_grad=True): draw them under torch.no_grad()."
HINT_RESTORE = ("The generator was left in evaluation mode: restore its previous mode "
                "(generator.train(was_training)) so training continues with batch statistics.")
HINT_LERP = ("That is linear interpolation: its midpoint is shorter than both endpoints (norm 1/sqrt(2) here). "
             "slerp moves along the great circle: sin((1 - t) omega) / sin omega * z0 + sin(t omega) / sin omega * z1.")
HINT_SLERP_T_SWAPPED = "t = 0 must give z0 and t = 1 must give z1: the weights are sin((1 - t) omega) for z0 and sin(t omega) for z1."
HINT_ARITH_SUM = "Average each group first (mean over dim 0), not sum: a group's size must not change the result."
HINT_ARITH_SIGNS = "The result is mean(z_a) - mean(z_b) + mean(z_c): only the second group is subtracted."


def _int(value, what):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        t = as_float_tensor(value, what)
        if t.numel() != 1:
            fail(f"{what} should be an int, got shape {tuple(t.shape)}.")
        value = float(t)
    if isinstance(value, float) and not value.is_integer():
        fail(f"{what} is {value}, not a whole number. {HINT_FLOAT_SIZE}", HINT_FLOAT_SIZE)
    return int(value)


# -- convolution arithmetic ----------------------------------------------------------------------------------

@register(SIZE, points=1)
def size_hand_worked(sub):
    """64 -> 32 (k4 s2 p1); 4 -> 1 (k4 s1 p0); 64 -> 32 (k3 s2 p1, floor of 32.5); transposed 4 -> 8 (k4 s2 p1), 1 -> 4."""
    cases = [
        ((64, 4, 2, 1), {}, 32, [(33, HINT_SIZE_NO_PAD_TWICE)]),
        ((4, 4, 1, 0), {}, 1, []),
        ((64, 3, 2, 1), {}, 32, [(32.5, HINT_FLOAT_SIZE), (31, HINT_SIZE_NO_PAD_TWICE)]),
        ((4, 4, 2, 1), {"transposed": True}, 8, [(2, HINT_TRANSPOSED_INVERSE)]),
        ((1, 4, 1, 0), {"transposed": True}, 4, [(-2, HINT_TRANSPOSED_INVERSE)]),
        ((4, 3, 2, 1), {"transposed": True, "output_padding": 1}, 8, [(7, "output_padding adds to the size.")]),
    ]
    for args, kwargs, expected, diagnoses in cases:
        what = "conv_output_size(" + ", ".join(map(str, args)) + "".join(f", {k}={v}" for k, v in kwargs.items()) + ")"
        got = sub.call("conv_output_size", *args, **kwargs)
        if isinstance(got, float) and not got.is_integer():
            fail(f"{what} is {got}, expected {expected}. {HINT_FLOAT_SIZE}", HINT_FLOAT_SIZE)
        got = _int(got, what)
        if got != expected:
            for wrong, hint in diagnoses:
                if got == wrong:
                    fail(f"{what} is {got}, expected {expected}. {hint}", hint)
            fail(f"{what} is {got}, expected {expected}.")


# -- the transposed convolution by hand ----------------------------------------------------------------------

NAIVE_X = [[[[1.0, 2.0], [3.0, 4.0]]]]
NAIVE_FULL = [[1, 1, 3, 2, 2], [1, 1, 3, 2, 2], [4, 4, 10, 6, 6], [3, 3, 7, 4, 4], [3, 3, 7, 4, 4]]


def naive_result(sub, x, weight, bias=None, what="conv_transpose2d_naive", **kwargs):
    import torch

    out = sub.call("conv_transpose2d_naive", x, weight, bias, **kwargs)
    if not isinstance(out, torch.Tensor):
        fail(f"{what} should return a tensor, got {type(out).__name__}.")
    return out


@register(NAIVE, points=1)
def naive_hand_worked(sub):
    """x = [[1, 2], [3, 4]], a 3 x 3 kernel of ones, stride 2: overlapping copies add up (10 in the centre); padding 1 crops."""
    import torch

    x, w = torch.tensor(NAIVE_X), torch.ones(1, 1, 3, 3)
    full = torch.tensor(NAIVE_FULL, dtype=torch.float32).view(1, 1, 5, 5)
    out = naive_result(sub, x, w, stride=2)
    if tuple(out.shape) == (1, 1, 4, 4):
        fail(f"stride 2 gave shape (1, 1, 4, 4), expected (1, 1, 5, 5). {HINT_NAIVE_STRIDE}", HINT_NAIVE_STRIDE)
    if bool((out[..., -1, :] == 0).all()) and bool((out[..., :, -1] == 0).all()):
        fail(f"stride 2: the last row and column of the output are empty. {HINT_NAIVE_STRIDE}", HINT_NAIVE_STRIDE)
    expect_close(out, full, "conv_transpose2d_naive([[1, 2], [3, 4]], ones(3, 3), stride=2)", rtol=1e-6, atol=1e-6)
    out = naive_result(sub, x, w, stride=2, padding=1)
    if tuple(out.shape) == (1, 1, 5, 5):
        fail(f"padding=1 gave shape (1, 1, 5, 5), expected (1, 1, 3, 3). {HINT_NAIVE_PADDING}", HINT_NAIVE_PADDING)
    expect_close(out, full[:, :, 1:4, 1:4], "conv_transpose2d_naive(..., stride=2, padding=1)", rtol=1e-6, atol=1e-6,
                 diagnoses=[(full[:, :, :3, :3], HINT_NAIVE_PADDING), (full[:, :, 2:, 2:], HINT_NAIVE_PADDING)])


def compare_with_torch(sub, seed, c_in, c_out, size, kernel, stride, padding, output_padding, bias=True):
    """Run the submission and ``F.conv_transpose2d`` on one seeded configuration (raises CheckFailure on mismatch)."""
    import torch
    import torch.nn.functional as F

    g = torch.Generator().manual_seed(seed)
    h, w = size
    x = torch.randn(2, c_in, h, w, generator=g)
    weight = torch.randn(c_in, c_out, kernel, kernel, generator=g)
    b = torch.randn(c_out, generator=g) if bias else None
    cfg = (f"C_in={c_in}, C_out={c_out}, input {h}x{w}, kernel {kernel}, stride {stride}, padding {padding}, "
           f"output_padding {output_padding}, bias {'yes' if bias else 'no'}")
    expected = F.conv_transpose2d(x, weight, b, stride=stride, padding=padding, output_padding=output_padding)
    out = naive_result(sub, x, weight, b, f"conv_transpose2d_naive ({cfg})", stride=stride, padding=padding,
                       output_padding=output_padding)
    exp_shape = tuple(expected.shape)
    if tuple(out.shape) != exp_shape:
        unpadded = F.conv_transpose2d(x, weight, b, stride=stride, output_padding=output_padding).shape
        hint = HINT_NAIVE_PADDING if tuple(out.shape) == tuple(unpadded) else HINT_NAIVE_STRIDE
        fail(f"conv_transpose2d_naive ({cfg}) has shape {tuple(out.shape)}, expected {exp_shape}. {hint}", hint)
    shift = b.view(1, -1, 1, 1) if b is not None else 0
    residual, exp_residual = out - shift, expected - shift

    def empty_edges(t):
        return float(t[..., -1, :].abs().max()) < 1e-7 and float(t[..., :, -1].abs().max()) < 1e-7

    if stride > 1 and empty_edges(residual) and not empty_edges(exp_residual):
        fail(f"conv_transpose2d_naive ({cfg}): the last row and column of the output are empty (kernel copies "
             f"bunched at the top left). {HINT_NAIVE_STRIDE}", HINT_NAIVE_STRIDE)
    diagnoses = [
        (F.conv_transpose2d(x, weight.flip(2, 3), b, stride=stride, padding=padding, output_padding=output_padding),
         HINT_NAIVE_FLIP),
    ]
    if padding > 0 and output_padding == 0:
        full = F.conv_transpose2d(x, weight, b, stride=stride)
        diagnoses.append((full[:, :, :exp_shape[2], :exp_shape[3]], HINT_NAIVE_PADDING))
    if c_in == c_out:
        swapped = weight.transpose(0, 1)
        diagnoses.append((F.conv_transpose2d(x, swapped, b, stride=stride, padding=padding,
                                             output_padding=output_padding), HINT_NAIVE_LAYOUT))
    expect_close(out, expected, f"conv_transpose2d_naive ({cfg})", rtol=1e-5, atol=1e-5, diagnoses=diagnoses)


@register(NAIVE, points=1)
def naive_matches_pytorch(sub):
    """Against F.conv_transpose2d: 3 -> 2 channels, a 3 x 4 input, kernel 4, stride 2, padding 1, with bias."""
    compare_with_torch(sub, 0, 3, 2, (3, 4), 4, 2, 1, 0)


# -- networks ------------------------------------------------------------------------------------------------

def count_params(sub, ref):
    return sum(p.numel() for p in sub.state(ref)["params"].values())


def images_from(sub, gen, z, what):
    import torch

    out = sub.method(gen, "__call__", z)
    if not isinstance(out, torch.Tensor):
        fail(f"{what} should return a tensor, got {type(out).__name__}.")
    return out


def expect_image_shape(out, expected, what):
    import torch

    shape = tuple(out.shape)
    if shape != expected:
        size = expected[-1]
        extra = ""
        if len(shape) == 4 and shape[-1] in (size - 2, size + 2, size - 1, size + 1):
            extra = (" A stride-2 layer with kernel 4 needs padding 1 to exactly double (or halve) the size: "
                     "check each layer with conv_output_size.")
        fail(f"{what} has shape {shape}, expected {expected}.{extra}")
    expect_true(out.dtype == torch.float32, f"{what} should be float32, got {out.dtype}.")


def generator_output_range(sub, gen, z, what):
    """Scale the parameters up (so pre-activations are large) and check the output is a Tanh's: in [-1, 1], both signs."""
    sub.trusted("ganlab.grading.standins.scale_parameters", gen, 3.0, keep=False)
    out = images_from(sub, gen, z, what)
    low, high = float(out.min()), float(out.max())
    if high > 1.0 + 1e-5 or low < -1.0 - 1e-5:
        fail(f"{what}: outputs range over [{low:.3g}, {high:.3g}]. {HINT_MISSING_TANH}", HINT_MISSING_TANH)
    if low >= 0.0:
        fail(f"{what}: outputs range over [{low:.3g}, {high:.3g}]. {HINT_SIGMOID_OUT}", HINT_SIGMOID_OUT)


@register(GEN, points=1)
def generator_64_shape_and_size(sub):
    """Generator(100, 64, 64): z (2, 100) -> (2, 3, 64, 64) float32; 3,576,704 parameters (bias-free convolutions)."""
    import torch

    sub.trusted("torch.manual_seed", 0, keep=False)
    gen = sub.new("Generator", latent_dim=100, base_channels=64, image_size=64)
    out = images_from(sub, gen, torch.randn(2, 100), "Generator(100, 64, 64)(z)")
    expect_image_shape(out, (2, 3, 64, 64), "Generator(latent_dim=100, base_channels=64, image_size=64)(z (2, 100))")
    n = count_params(sub, gen)
    expect_true(n == G_PARAMS_64, f"Generator(100, 64, 64) has {n:,} parameters, expected {G_PARAMS_64:,}: transposed "
                                  "convolutions 100->512 (4x4, stride 1) and 512->256->128->64->3 (4x4, stride 2, "
                                  "padding 1), all with bias=False, batch norm after each but the last.")


@register(GEN, points=1)
def generator_32_and_range(sub):
    """Generator(16, 8, 32): z (4, 16) -> (4, 3, 32, 32), outputs in [-1, 1] with both signs (Tanh)."""
    import torch

    sub.trusted("torch.manual_seed", 1, keep=False)
    gen = sub.new("Generator", latent_dim=16, base_channels=8, image_size=32)
    z = torch.randn(4, 16, generator=torch.Generator().manual_seed(1))
    out = images_from(sub, gen, z, "Generator(16, 8, 32)(z)")
    expect_image_shape(out, (4, 3, 32, 32), "Generator(latent_dim=16, base_channels=8, image_size=32)(z (4, 16))")
    generator_output_range(sub, gen, z, "Generator(16, 8, 32) with its parameters scaled by 3")


def logits_from(sub, disc, x, batch, what):
    import torch

    out = sub.method(disc, "__call__", x)
    if not isinstance(out, torch.Tensor):
        fail(f"{what} should return a tensor of logits, got {type(out).__name__}.")
    if tuple(out.shape) not in ((batch,), (batch, 1)):
        fail(f"{what} has shape {tuple(out.shape)}, expected ({batch},): one logit per image "
             "(end with a 4x4 convolution to 1 channel and flatten).")
    return out.reshape(batch)


@register(DISC, points=1)
def discriminator_64_shape_and_size(sub):
    """Discriminator(64, 64): (2, 3, 64, 64) -> (2,) logits; 2,765,568 parameters (bias-free convolutions)."""
    import torch

    sub.trusted("torch.manual_seed", 0, keep=False)
    disc = sub.new("Discriminator", base_channels=64, image_size=64)
    logits_from(sub, disc, torch.rand(2, 3, 64, 64) * 2 - 1, 2, "Discriminator(64, 64)(x (2, 3, 64, 64))")
    n = count_params(sub, disc)
    expect_true(n == D_PARAMS_64, f"Discriminator(64, 64) has {n:,} parameters, expected {D_PARAMS_64:,}: convolutions "
                                  "3->64->128->256->512 (4x4, stride 2, padding 1) and 512->1 (4x4, stride 1), all "
                                  "bias=False, batch norm after all but the first and the last.")


@register(DISC, points=1)
def discriminator_32_returns_logits(sub):
    """Discriminator(8, 32): (16, 3, 32, 32) -> (16,) raw logits (not all inside (0, 1), so no Sigmoid)."""
    import torch

    sub.trusted("torch.manual_seed", 2, keep=False)
    disc = sub.new("Discriminator", base_channels=8, image_size=32)
    sub.trusted("ganlab.grading.standins.scale_parameters", disc, 3.0, keep=False)
    x = torch.rand(16, 3, 32, 32, generator=torch.Generator().manual_seed(2)) * 2 - 1
    out = logits_from(sub, disc, x, 16, "Discriminator(8, 32)(x (16, 3, 32, 32))")
    if bool(((out > 0) & (out < 1)).all()):
        fail(f"Discriminator(8, 32) outputs {[round(v, 3) for v in out[:4].tolist()]}, ... {HINT_D_SIGMOID}",
             HINT_D_SIGMOID)


# -- initialisation ----------------------------------------------------------------------------------------------

def init_statistics(sub, seed):
    """Apply the submission's init_weights to a trusted network; return its parameters by name."""
    sub.trusted("torch.manual_seed", seed, keep=False)
    net = sub.trusted("ganlab.grading.standins.init_probe_network")
    sub.trusted("torch.manual_seed", seed, keep=False)
    from ganlab.grading.testing import Global, SubmissionError

    try:
        sub.method(net, "apply", Global("init_weights"), keep=True)
    except SubmissionError as exc:  # name the student's function, not Module.apply that called it
        message = str(exc).replace("`torch.nn.modules.container.Sequential.apply`", "`init_weights` (called by net.apply)")
        raise SubmissionError(message, exc.kind) from None
    return sub.state(net)["params"]


def check_conv_weights(params):
    for name in ("0.weight", "2.0.weight"):
        w = params[name]
        mean, std = float(w.mean()), float(w.std())
        what = f"{'Conv2d' if name == '0.weight' else 'ConvTranspose2d'} weights after init_weights"
        if abs(std - 0.2) < 0.01:
            fail(f"{what} have std {std:.4f}. {HINT_STD_02}", HINT_STD_02)
        expect_true(abs(mean) < 0.002 and abs(std - 0.02) < 0.001,
                    f"{what} have mean {mean:.4f} and std {std:.4f}; expected N(0, 0.02): mean 0, std 0.02.")


@register(INIT, points=1)
def init_conv_weights(sub):
    """model.apply(init_weights) draws Conv2d and ConvTranspose2d weights from N(0, 0.02)."""
    check_conv_weights(init_statistics(sub, 0))


# -- the training step ---------------------------------------------------------------------------------------

STEP_BATCH, STEP_LATENT, STEP_DATA = 6, 3, 4


def step_inputs(seed):
    """Seeded x_real and z for the stand-in networks (float32)."""
    import torch

    g = torch.Generator().manual_seed(500 + seed)
    return torch.randn(STEP_BATCH, STEP_DATA, generator=g) + 0.5, torch.randn(STEP_BATCH, STEP_LATENT, generator=g)


def remote_step_setup(sub, seed, lr=0.1):
    """Stand-in generator (counts backward passes) and discriminator with SGD optimizers, in the submission's process."""
    gen = sub.trusted("ganlab.grading.standins.probe_generator", STEP_LATENT, STEP_DATA, seed, dtype="float32")
    disc = sub.trusted("ganlab.grading.standins.flat_discriminator", STEP_DATA, seed + 1)
    opt_g = sub.trusted("torch.optim.SGD", sub.method(gen, "parameters", keep=True), lr=lr)
    opt_d = sub.trusted("torch.optim.SGD", sub.method(disc, "parameters", keep=True), lr=lr)
    return gen, disc, opt_g, opt_d


def call_step(sub, gen, disc, opt_g, opt_d, x_real, z):
    out = sub.call("train_step", gen, disc, opt_g, opt_d, x_real, z)
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        fail(f"train_step should return (d_loss, g_loss) as two floats, got {type(out).__name__}.")
    values = []
    for v in out:
        t = as_float_tensor(v, "a loss returned by train_step")
        if t.numel() != 1:
            fail(f"train_step should return two numbers, got a tensor of shape {tuple(t.shape)}.")
        values.append(float(t))
    expect_true(all(math.isfinite(v) for v in values), f"train_step returned non-finite losses {values}.")
    return values


@register(STEP, points=1)
def step_losses_and_detach(sub):
    """Stand-in networks: d_loss = softplus(-D(x_real)).mean() + softplus(D(G(z))).mean() before the update; G gets one backward."""
    import torch
    import torch.nn.functional as F

    from ganlab.grading import standins

    x_real, z = step_inputs(0)
    gen, disc, opt_g, opt_d = remote_step_setup(sub, 0)
    d_loss, _ = call_step(sub, gen, disc, opt_g, opt_d, x_real, z)
    local_g = standins.probe_generator(STEP_LATENT, STEP_DATA, 0, dtype="float32")
    local_d = standins.flat_discriminator(STEP_DATA, 1)
    with torch.no_grad():
        real, fake = local_d(x_real), local_d(local_g(z))
    expected = float(F.softplus(-real).mean() + F.softplus(fake).mean())
    swapped = float(F.softplus(real).mean() + F.softplus(-fake).mean())
    # the sum of the two means (the reference) or their average (one concatenated batch) are both correct
    target = expected / 2 if abs(d_loss - expected / 2) <= 1e-4 * abs(expected) else expected
    expect_close(d_loss, target, "d_loss returned by train_step", rtol=1e-4,
                 diagnoses=[(swapped, HINT_LABELS_SWAPPED), (swapped / 2, HINT_LABELS_SWAPPED)])
    count = sub.getattr(gen, "backward_count")
    if count > 1:
        fail(f"{count} backward passes reached the generator's output in one train_step; expected 1 (the generator "
             f"step). {HINT_DETACH}", HINT_DETACH)
    expect_true(count == 1, "no gradient reached the generator: compute g_loss from discriminator(generator(z)) "
                            "(not detached) and call backward on it.")


@register(STEP, points=1)
def step_moves_each_network(sub):
    """Stand-in networks: both networks change, and the generator's loss is the non-saturating one (> 0)."""
    x_real, z = step_inputs(1)
    gen, disc, opt_g, opt_d = remote_step_setup(sub, 1)
    before = {"generator": params_of(sub, gen), "discriminator": params_of(sub, disc)}
    _, g_loss = call_step(sub, gen, disc, opt_g, opt_d, x_real, z)
    if g_loss < 0:
        fail(f"g_loss is {g_loss:.4g} < 0. {HINT_G_SATURATING}", HINT_G_SATURATING)
    for name, ref in (("generator", gen), ("discriminator", disc)):
        after = params_of(sub, ref)
        expect_true(any(not (after[n] == before[name][n]).all() for n in after),
                    f"the {name}'s parameters did not change: call its optimizer's step() after its backward pass.")


def params_of(sub, ref):
    return {n: p.clone() for n, p in sub.state(ref)["params"].items()}


# -- sampling ----------------------------------------------------------------------------------------------------

SAMPLE_LATENT, SAMPLE_DATA = 5, 3


def check_sample(sub, seed, batch, train_mode):
    """Sample from a batch-norm stand-in generator; compare with its evaluation-mode output computed here."""
    import torch

    from ganlab.grading import standins

    gen = sub.trusted("ganlab.grading.standins.batchnorm_generator", SAMPLE_LATENT, SAMPLE_DATA, seed)
    local = standins.batchnorm_generator(SAMPLE_LATENT, SAMPLE_DATA, seed)
    if not train_mode:
        sub.method(gen, "eval", keep=False)
    before = sub.state(gen)["buffers"]
    z = torch.randn(batch, SAMPLE_LATENT, generator=torch.Generator().manual_seed(seed))
    what = f"sample(generator, z of shape ({batch}, {SAMPLE_LATENT}))"
    out = sub.call("sample", gen, z)
    if not isinstance(out, torch.Tensor):
        fail(f"{what} should return a tensor, got {type(out).__name__}.")
    with torch.no_grad():
        expected = local.eval()(z)
        in_train = local.train()(z) if batch > 1 else expected
    expect_close(out, expected, what, rtol=1e-5, atol=1e-6, diagnoses=[(in_train, HINT_TRAIN_MODE)])
    after = sub.state(gen)
    for name in ("1.running_mean", "1.running_var"):
        expect_true(bool((after["buffers"][name] == before[name]).all()),
                    f"batch norm's {name.split('.')[1]} changed. {HINT_RUNNING_STATS}", HINT_RUNNING_STATS)
    expect_true(not getattr(out, "requires_grad", False), f"{what} requires grad. {HINT_NO_GRAD}", HINT_NO_GRAD)
    mode = after["training"][""]
    expect_true(mode == train_mode, f"the generator was in {'training' if train_mode else 'evaluation'} mode before "
                                    f"sample() and in {'training' if mode else 'evaluation'} mode after. "
                                    + (HINT_RESTORE if train_mode else "Restore the mode it had."), HINT_RESTORE)


@register(SAMPLE, points=1)
def sample_in_eval_mode(sub):
    """A generator with batch norm in training mode: samples match evaluation mode, running statistics unchanged, mode restored."""
    check_sample(sub, 0, batch=4, train_mode=True)


# -- latent space ----------------------------------------------------------------------------------------------

def slerp_call(sub, z0, z1, t, what):
    import torch

    out = sub.call("slerp", z0, z1, t)
    if not isinstance(out, torch.Tensor):
        fail(f"{what} should return a tensor, got {type(out).__name__}.")
    return out


@register(SLERP, points=1)
def slerp_hand_worked(sub):
    """e1 = (1, 0, 0), e2 = (0, 1, 0): t = 0 gives e1, t = 1 gives e2, t = 0.5 gives (e1 + e2)/sqrt(2) (norm 1)."""
    import torch

    e1, e2 = torch.tensor([1.0, 0.0, 0.0]), torch.tensor([0.0, 1.0, 0.0])
    expect_close(slerp_call(sub, e1, e2, 0.0, "slerp(e1, e2, 0)"), e1, "slerp(e1, e2, 0)", atol=1e-6,
                 diagnoses=[(e2, HINT_SLERP_T_SWAPPED)])
    expect_close(slerp_call(sub, e1, e2, 1.0, "slerp(e1, e2, 1)"), e2, "slerp(e1, e2, 1)", atol=1e-6,
                 diagnoses=[(e1, HINT_SLERP_T_SWAPPED)])
    half = 1 / math.sqrt(2)
    expect_close(slerp_call(sub, e1, e2, 0.5, "slerp(e1, e2, 0.5)"), [half, half, 0.0], "slerp(e1, e2, 0.5)",
                 atol=1e-6, diagnoses=[([0.5, 0.5, 0.0], HINT_LERP)])
    # 1/3 of the way along the quarter circle: angle 30 degrees from e1
    expect_close(slerp_call(sub, e1, e2, 1 / 3, "slerp(e1, e2, 1/3)"), [math.sqrt(3) / 2, 0.5, 0.0],
                 "slerp(e1, e2, 1/3)", atol=1e-6, diagnoses=[([2 / 3, 1 / 3, 0.0], HINT_LERP),
                                                            ([0.5, math.sqrt(3) / 2, 0.0], HINT_SLERP_T_SWAPPED)])


@register(ARITH, points=1)
def arithmetic_hand_worked(sub):
    """mean([[2, 0], [4, 2]]) - mean([[1, 1]]) + mean([[0, 3], [0, 5], [3, 1]]) = (3, 1) - (1, 1) + (1, 3) = (3, 3)."""
    import torch

    z_a = torch.tensor([[2.0, 0.0], [4.0, 2.0]])
    z_b = torch.tensor([[1.0, 1.0]])
    z_c = torch.tensor([[0.0, 3.0], [0.0, 5.0], [3.0, 1.0]])
    out = sub.call("latent_arithmetic", z_a, z_b, z_c)
    expect_close(out, [3.0, 3.0], "latent_arithmetic(z_a, z_b, z_c)", atol=1e-6,
                 diagnoses=[([8.0, 10.0], HINT_ARITH_SUM), ([1.0, -3.0], HINT_ARITH_SIGNS),
                            ([5.0, -1.0], HINT_ARITH_SIGNS)])
