"""Public checks for Lab 3 (DCGAN for manga faces).

Expected values are worked out by hand (written next to each test) or come from PyTorch's own layers
(``nn.Conv2d`` shapes, ``F.conv_transpose2d``), so this file tells you what a correct function returns,
not how to write it. Inputs are generic (no sizes that divide evenly by accident, no unit or orthogonal
vectors only), so a wrong formula does not pass by coincidence. Networks are checked by their layers (what
the text asks for) and by what they compute on parameters set by the test, never by their initialisation.
The hidden tests (instructor side) add random configurations, networks compared layer by layer with the
architecture of the text, training steps with Adam and momentum compared with a reference on stand-in
networks, and the remaining mistakes.
"""

from __future__ import annotations

import math

from ganlab.grading.netcheck import structure
from ganlab.grading.testing import (
    CheckFailure, Global, SubmissionError, as_float_tensor, exercise, expect_close, expect_new_raises, register,
)
from ganlab.grading.testing import fail as _fail

LAB = "lab3"

SIZE = exercise(LAB, "conv_output_size", title="Output size of a (transposed) convolution")
NAIVE = exercise(LAB, "conv_transpose2d_naive", title="A transposed convolution by hand")
Q_COVER = exercise(LAB, "question_coverage", title="Question 1: coverage of a kernel-5, stride-2 layer")
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


HINT_SIZE_INT = ("Return a Python int, as the docstring promises: compute with ints and floor division //, not / "
                 "(a float) or tensors.")
HINT_SIZE_PLUS_ONE = ("The count of kernel positions is (size + 2 * padding - span) // stride + 1: the + 1 counts the "
                      "first position.")
HINT_SIZE_DILATION = ("Dilation spreads the kernel: its footprint is dilation * (kernel_size - 1) + 1, not kernel_size "
                      "(and not dilation * kernel_size).")
HINT_SIZE_OUTPUT_PADDING = "output_padding adds that many rows/columns to a transposed convolution's output."
HINT_SIZE_GENERIC = ("The size formula differs from PyTorch's layers: floor((size + 2 * padding - dilation * (kernel_size "
                     "- 1) - 1) / stride) + 1 for a convolution, and its adjoint for a transposed one.")
HINT_NAIVE_KERNEL_HW = ("The kernel need not be square: use k_h = weight.shape[2] for rows and k_w = weight.shape[3] for "
                        "columns.")
HINT_NAIVE_SHAPE = ("The output size is (H - 1) * stride - 2 * padding + k_h + output_padding rows (and the same with "
                    "W and k_w for columns): allocate the full (H - 1) * stride + k output, then crop padding on "
                    "each side.")
HINT_NAIVE_DTYPE = ("The output must have the dtype of x (float64 in, float64 out): allocate it with x.new_zeros(...) "
                    "or dtype=x.dtype, not torch.zeros(...) with the default float32.")
HINT_NAIVE_MUTATES = "conv_transpose2d_naive changed its input x or weight in place: work on new tensors."
HINT_NAIVE_GENERIC = ("The result differs from F.conv_transpose2d: check where each kernel copy lands (i * stride, "
                      "j * stride), the channel sum, the crop by padding and the bias.")
HINT_G_SIZE = ("The generator's layers differ from the text: a ConvTranspose2d 4/1/0 from z to 4 x 4, then 4/2/1 "
               "blocks that double the size and halve the channels, all bias=False, batch norm after all but the last.")
HINT_D_SIZE = ("The discriminator's layers differ from the text: Conv2d 4/2/1 blocks that halve the size and double the "
               "channels down to 4 x 4, then a Conv2d 4/1/0 to one channel, all bias=False, batch norm after all but "
               "the first and the last.")
HINT_NO_BIAS = ("The text asks for convolutions without bias (bias=False): batch norm's shift makes a bias redundant, "
                "and the last layers have none either in DCGAN.")
HINT_G_BN_OUTPUT = "No batch norm on the generator's output layer (the text: batch norm except at G's output)."
HINT_D_BN_INPUT = "No batch norm on the discriminator's input layer (the text: batch norm except at D's input)."
HINT_G_LEAKY = "The generator uses ReLU in its hidden layers (LeakyReLU is the discriminator's)."
HINT_D_RELU = "The discriminator uses LeakyReLU with slope 0.2 (nn.LeakyReLU(0.2)), not ReLU."
HINT_D_SLOPE = "LeakyReLU's slope must be 0.2: nn.LeakyReLU() defaults to 0.01, so pass nn.LeakyReLU(0.2)."
HINT_LINEAR = ("The text asks for an all-convolutional network: no nn.Linear (the generator's first layer is a "
               "ConvTranspose2d 4/1/0 on the (B, latent_dim, 1, 1) latent).")
HINT_DROPOUT = "DCGAN has no dropout: remove the Dropout layers."
HINT_SQUEEZE = ("With a batch of 1 the output lost its batch dimension: .squeeze() drops every size-1 dimension; use "
                ".view(-1) (or flatten) so the shape is (B,).")
HINT_D_SQUASHED = ("The logits are squashed into a small range: the discriminator must end with the 4 x 4 convolution "
                   "(raw logits), no activation after it.")
HINT_INIT_MEAN_1 = "The convolution weights are centred at 1: N(1, 0.02) is for batch norm's gamma; convolutions use N(0, 0.02)."
HINT_INIT_TRANSPOSED = ("The ConvTranspose2d weights were left at PyTorch's default: init_weights must also match "
                        "nn.ConvTranspose2d (isinstance(module, (nn.Conv2d, nn.ConvTranspose2d))).")
HINT_INIT_CONV_BIAS = "The convolutions' biases were not set to 0: the docstring asks biases of convolutions, if any, = 0."
HINT_INIT_BN_BIAS = "Batch norm's bias (beta) must be exactly 0 after init_weights."
HINT_INIT_OTHERS = ("init_weights changed a module it should leave alone (a Linear layer): only convolutions, "
                    "transposed convolutions and batch norm are initialised.")
HINT_INIT_RETURNS = "init_weights works in place and returns None (model.apply ignores what it returns)."
HINT_INIT_GENERIC = "The initialisation differs from DCGAN's: weights ~ N(0, 0.02) for (transposed) convolutions."
HINT_STEP_FLOATS = ("Return the losses as Python floats (d_loss.item(), g_loss.item()), not tensors: a tensor keeps its "
                    "graph alive.")
HINT_STEP_NO_G_GRAD = ("No gradient reached the generator: compute g_loss from discriminator(generator(z)) (not "
                       "detached) and call backward on it.")
HINT_STEP_NOT_MOVED = "A network's parameters did not change: call its optimizer's step() after its backward pass."
HINT_STEP_GENERIC = ("The training step differs from the reference: D step on x_real and x_fake.detach() with BCE "
                     "labels 1/0, then G step with BCE(D(G(z)), 1) through the updated D.")
HINT_SAMPLE_SUBMODULES = ("A submodule (the batch norm) was still in training mode during sampling: generator.eval() "
                          "switches every submodule; setting generator.training = False by hand does not.")
HINT_SAMPLE_GRAD_MODE = ("Gradient tracking stayed off after sample(): use a `with torch.no_grad():` block instead of "
                         "torch.set_grad_enabled(False), so the previous mode comes back.")
HINT_SAMPLE_GENERIC = "The samples differ from the generator's evaluation-mode output for these latents."
HINT_SAMPLE_MUTATES = "sample() changed z in place: leave its input unchanged."
HINT_SLERP_NORMS = ("The angle omega is between the directions of z0 and z1: cos omega = z0 . z1 / (|z0| |z1|); the "
                    "inputs are not unit vectors in general.")
HINT_SLERP_UNIT = ("The result has unit length: slerp interpolates z0 and z1 themselves (their lengths too), not "
                   "their directions z0 / |z0| and z1 / |z1|.")
HINT_SLERP_PARALLEL = ("For (nearly) parallel z0 and z1, sin(omega) is ~0: clamp cos omega to [-1, 1] before arccos and "
                       "fall back to linear interpolation when omega is ~0.")
HINT_SLERP_SHAPE = ("A tensor t of T values gives (T, latent_dim), a float t gives (latent_dim,): t must be reshaped to "
                    "(T, 1) to broadcast.")
HINT_SLERP_GENERIC = "The interpolation differs from sin((1 - t) omega) / sin omega * z0 + sin(t omega) / sin omega * z1."
HINT_SLERP_DTYPE = "slerp returns the dtype of z0 (float64 in, float64 out): convert t with dtype=z0.dtype."
HINT_MUTATES = "The function changed its inputs in place (e.g. z0 /= z0.norm()): work on new tensors."
HINT_ARITH_GENERIC = "latent_arithmetic is mean(z_a) - mean(z_b) + mean(z_c), each mean over dim 0 (the latents of a group)."


def fail(message, hint=""):
    """Fail with ``message`` followed by ``hint`` (the student reads the message; hidden feedback shows the hint)."""
    _fail(message if hint in message else f"{message} {hint}", hint)


def close(actual, expected, what, hint, **kwargs):
    """``expect_close`` whose failures all carry a hint: a known mistake's own, else ``hint``."""
    try:
        expect_close(actual, expected, what, **kwargs)
    except CheckFailure as exc:
        if exc.hint:
            raise
        raise CheckFailure(f"{exc} {hint}", hint) from None


def check(condition, message, hint):
    """``expect_true`` with a hint that always names the likely mistake."""
    if not condition:
        fail(f"{message} {hint}" if hint not in message else message, hint)


# -- convolution arithmetic ----------------------------------------------------------------------------------

def size_call(sub, args, kwargs):
    """The submission's size for one setting, with the setting written out; fails unless it is a Python int."""
    what = "conv_output_size(" + ", ".join(map(str, args)) + "".join(f", {k}={v}" for k, v in kwargs.items()) + ")"
    got = sub.call("conv_output_size", *args, **kwargs)
    if isinstance(got, bool) or not isinstance(got, (int, float)):
        t = as_float_tensor(got, what) if not isinstance(got, bool) else None
        shown = f"a tensor {float(t)}" if t is not None and t.numel() == 1 else repr(got)[:60]
        fail(f"{what} returned {shown}, not an int. {HINT_SIZE_INT}", HINT_SIZE_INT)
    return what, got


def expect_size(sub, args, kwargs, expected, diagnoses=()):
    what, got = size_call(sub, args, kwargs)
    if isinstance(got, float) and not got.is_integer():
        fail(f"{what} is {got}, expected {expected}. {HINT_FLOAT_SIZE}", HINT_FLOAT_SIZE)
    if got != expected:
        for wrong, hint in diagnoses:
            if got == wrong:
                fail(f"{what} is {got}, expected {expected}. {hint}", hint)
        fail(f"{what} is {got}, expected {expected}. {HINT_SIZE_GENERIC}", HINT_SIZE_GENERIC)
    if not isinstance(got, int):
        fail(f"{what} is {got!r}, a float: the docstring promises an int. {HINT_SIZE_INT}", HINT_SIZE_INT)


@register(SIZE, points=1)
def size_hand_worked(sub):
    """Convolutions: (38, k5, s3, p2) -> 13, (10, k3) -> 8 with the defaults, (21, k3, s2, p2, dilation 3) -> 10, (64, k4, s2, p1) -> 32; transposed: (5, k4, s3, p1) -> 14, (6, k3, s2, p2, dilation 2, output_padding 1) -> 12, (1, k4) -> 4; each an int."""
    cases = [
        # floor((38 + 4 - 5) / 3) + 1 = floor(12.33) + 1 = 13
        ((38, 5, 3, 2), {}, 13, [(12, HINT_SIZE_NO_PAD_TWICE + " " + HINT_SIZE_PLUS_ONE)]),
        # stride 1, padding 0, dilation 1 by default: 10 - 3 + 1 = 8
        ((10, 3), {}, 8, [(7, HINT_SIZE_PLUS_ONE)]),
        # footprint 3 * (3 - 1) + 1 = 7: floor((21 + 4 - 7) / 2) + 1 = 10
        ((21, 3, 2, 2), {"dilation": 3}, 10, [(12, HINT_SIZE_DILATION), (9, HINT_SIZE_DILATION)]),
        ((64, 4, 2, 1), {}, 32, [(33, HINT_SIZE_NO_PAD_TWICE)]),
        # (5 - 1) * 3 - 2 * 1 + 4 = 14
        ((5, 4, 3, 1), {"transposed": True}, 14, [(2, HINT_TRANSPOSED_INVERSE)]),
        # (6 - 1) * 2 - 2 * 2 + (2 * (3 - 1) + 1) + 1 = 12
        ((6, 3, 2, 2), {"dilation": 2, "transposed": True, "output_padding": 1}, 12,
         [(10, HINT_SIZE_DILATION), (11, HINT_SIZE_OUTPUT_PADDING), (3, HINT_TRANSPOSED_INVERSE)]),
        # a 1 x 1 input stamps one 4 x 4 kernel: the generator's first layer
        ((1, 4, 1, 0), {"transposed": True}, 4, [(-2, HINT_TRANSPOSED_INVERSE)]),
    ]
    for args, kwargs, expected, diagnoses in cases:
        expect_size(sub, args, kwargs, expected, diagnoses)


# -- the transposed convolution by hand ----------------------------------------------------------------------

NAIVE_X = [[[[1.0, 2.0], [3.0, 4.0]]]]
NAIVE_FULL = [[1, 1, 3, 2, 2], [1, 1, 3, 2, 2], [4, 4, 10, 6, 6], [3, 3, 7, 4, 4], [3, 3, 7, 4, 4]]


def naive_result(sub, x, weight, bias=None, what="conv_transpose2d_naive", **kwargs):
    import torch

    out = sub.call("conv_transpose2d_naive", x, weight, bias, **kwargs)
    if not isinstance(out, torch.Tensor):
        fail(f"{what} should return a tensor, got {type(out).__name__}.", "conv_transpose2d_naive must return a tensor")
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
    if tuple(out.shape) == (1, 1, 5, 5) and bool((out[..., -1, :] == 0).all()) and bool((out[..., :, -1] == 0).all()):
        fail(f"stride 2: the last row and column of the output are empty. {HINT_NAIVE_STRIDE}", HINT_NAIVE_STRIDE)
    close(out, full, "conv_transpose2d_naive([[1, 2], [3, 4]], ones(3, 3), stride=2)", HINT_NAIVE_GENERIC,
          rtol=1e-6, atol=1e-6)
    out = naive_result(sub, x, w, stride=2, padding=1)
    if tuple(out.shape) == (1, 1, 5, 5):
        fail(f"padding=1 gave shape (1, 1, 5, 5), expected (1, 1, 3, 3). {HINT_NAIVE_PADDING}", HINT_NAIVE_PADDING)
    close(out, full[:, :, 1:4, 1:4], "conv_transpose2d_naive(..., stride=2, padding=1)", HINT_NAIVE_PADDING,
          rtol=1e-6, atol=1e-6,
          diagnoses=[(full[:, :, :3, :3], HINT_NAIVE_PADDING), (full[:, :, 2:, 2:], HINT_NAIVE_PADDING)])


def compare_with_torch(sub, seed, c_in, c_out, size, kernel, stride, padding, output_padding, bias=True, batch=2,
                       dtype="float32", keep_inputs=False):
    """Run the submission and ``F.conv_transpose2d`` on one seeded configuration (raises CheckFailure on mismatch).

    ``kernel`` is an int or a (k_h, k_w) pair. With ``keep_inputs`` the inputs live in the submission's process,
    so a change made to them in place is seen.
    """
    import torch
    import torch.nn.functional as F

    g = torch.Generator().manual_seed(seed)
    h, w = size
    k_h, k_w = (kernel, kernel) if isinstance(kernel, int) else kernel
    dt = getattr(torch, dtype)
    x = torch.randn(batch, c_in, h, w, generator=g, dtype=torch.float64).to(dt)
    weight = torch.randn(c_in, c_out, k_h, k_w, generator=g, dtype=torch.float64).to(dt)
    b = torch.randn(c_out, generator=g, dtype=torch.float64).to(dt) if bias else None
    cfg = (f"B={batch}, C_in={c_in}, C_out={c_out}, input {h}x{w}, kernel {k_h}x{k_w}, stride {stride}, padding "
           f"{padding}, output_padding {output_padding}, bias {'yes' if bias else 'no'}, {dtype}")
    expected = F.conv_transpose2d(x, weight, b, stride=stride, padding=padding, output_padding=output_padding)
    if keep_inputs:
        args = [sub.trusted("torch.clone", t) for t in (x, weight)]
        out = sub.call("conv_transpose2d_naive", *args, b, stride=stride, padding=padding,
                       output_padding=output_padding)
        if not isinstance(out, torch.Tensor):
            fail(f"conv_transpose2d_naive ({cfg}) should return a tensor, got {type(out).__name__}.",
                 "conv_transpose2d_naive must return a tensor")
        for name, ref, orig in (("x", args[0], x), ("weight", args[1], weight)):
            after = sub.state(ref)["value"]
            check(torch.equal(after, orig), f"conv_transpose2d_naive ({cfg}) changed its argument {name}.",
                  HINT_NAIVE_MUTATES)
    else:
        try:
            out = naive_result(sub, x, weight, b, f"conv_transpose2d_naive ({cfg})", stride=stride, padding=padding,
                               output_padding=output_padding)
        except SubmissionError as exc:
            if k_h == k_w or exc.kind != "RuntimeError":
                raise
            fail(f"{exc} (a {k_h} x {k_w} kernel). {HINT_NAIVE_KERNEL_HW}", HINT_NAIVE_KERNEL_HW)
    exp_shape = tuple(expected.shape)
    if tuple(out.shape) != exp_shape:
        unpadded = F.conv_transpose2d(x, weight, b, stride=stride, output_padding=output_padding).shape
        if tuple(out.shape) == tuple(unpadded):
            hint = HINT_NAIVE_PADDING
        elif k_h != k_w and out.dim() == 4 and (out.shape[2] - exp_shape[2]) == -(out.shape[3] - exp_shape[3]) != 0:
            hint = HINT_NAIVE_KERNEL_HW
        else:
            hint = HINT_NAIVE_SHAPE
        fail(f"conv_transpose2d_naive ({cfg}) has shape {tuple(out.shape)}, expected {exp_shape}. {hint}", hint)
    if out.dtype != expected.dtype:
        fail(f"conv_transpose2d_naive ({cfg}) returned {out.dtype} for {dtype} inputs. {HINT_NAIVE_DTYPE}",
             HINT_NAIVE_DTYPE)
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
    tol = 1e-10 if dtype == "float64" else 1e-5
    close(out, expected, f"conv_transpose2d_naive ({cfg})", HINT_NAIVE_GENERIC, rtol=tol, atol=tol,
          diagnoses=diagnoses)


@register(NAIVE, points=1)
def naive_matches_pytorch(sub):
    """Against F.conv_transpose2d: 3 -> 2 channels, a 3 x 4 input, kernel 4, stride 2, padding 1, with bias; then a batch of 1, a 3 x 2 kernel, stride 3, output_padding 1, no bias, float64."""
    compare_with_torch(sub, 0, 3, 2, (3, 4), 4, 2, 1, 0)
    compare_with_torch(sub, 1, 2, 3, (2, 3), (3, 2), 3, 1, 1, bias=False, batch=1, dtype="float64")


# -- networks ------------------------------------------------------------------------------------------------

def count_params(sub, ref):
    return sum(p.numel() for p in sub.state(ref)["params"].values())


def build(sub, name, hint, **kwargs):
    """The submission's ``name(**kwargs)``, built after seeding (so a failure can be replayed)."""
    sub.trusted("torch.manual_seed", 0, keep=False)
    try:
        return sub.new(name, **kwargs)
    except SubmissionError as exc:
        args = ", ".join(f"{k}={v}" for k, v in kwargs.items())
        fail(f"{name}({args}) could not be built: {exc}", f"{name} raised while being built for an allowed setting "
             f"({hint})")


def images_from(sub, gen, z, what):
    import torch

    out = sub.method(gen, "__call__", z)
    if not isinstance(out, torch.Tensor):
        fail(f"{what} should return a tensor, got {type(out).__name__}.", "the generator must return a tensor")
    return out


def expect_image_shape(out, expected, what):
    import torch

    shape = tuple(out.shape)
    if shape != expected:
        size = expected[-1]
        hint = HINT_G_SIZE
        if len(shape) == 4 and shape[-1] in (size - 2, size + 2, size - 1, size + 1):
            hint = ("A stride-2 layer with kernel 4 needs padding 1 to exactly double (or halve) the size: check each "
                    "layer with conv_output_size.")
        fail(f"{what} has shape {shape}, expected {expected}. {hint}", hint)
    check(out.dtype == torch.float32, f"{what} should be float32, got {out.dtype}.",
          "the generator's output must be float32 (do not convert it)")


def generator_output_range(sub, gen, z, what):
    """Set the parameters to seeded N(0, 1) draws (so pre-activations are large, whatever the initialisation) and
    check that the output is a Tanh's: inside [-1, 1], with both signs."""
    sub.trusted("ganlab.grading.standins.seeded_parameters", gen, 3, keep=False)
    out = images_from(sub, gen, z, what)
    low, high = float(out.min()), float(out.max())
    if high > 1.0 + 1e-5 or low < -1.0 - 1e-5:
        fail(f"{what}: outputs range over [{low:.3g}, {high:.3g}]. {HINT_MISSING_TANH}", HINT_MISSING_TANH)
    if low >= 0.0:
        fail(f"{what}: outputs range over [{low:.3g}, {high:.3g}]. {HINT_SIGMOID_OUT}", HINT_SIGMOID_OUT)


def layer_types(layers):
    return [layer["type"] for layer in layers]


def expect_convolutions(layers, kind, what, count, settings, size_hint):
    """``count`` layers of ``kind`` in forward order: settings ``first`` then ``rest`` (kernel, stride, padding), no bias."""
    convs = [layer for layer in layers if layer["type"] == kind]
    if len(convs) != count:
        fail(f"{what} has {len(convs)} {kind} layer(s) in its forward pass, expected {count}.", size_hint)
    for i, layer in enumerate(convs):
        want = settings(i, len(convs))
        got = (layer.get("kernel_size"), layer.get("stride"), layer.get("padding"))
        if got != want:
            fail(f"{what}: {kind} number {i + 1} (`{layer['name']}`) has kernel/stride/padding {got}, expected "
                 f"{want}.", size_hint)
        if layer.get("bias"):
            fail(f"{what}: {kind} `{layer['name']}` has a bias.", HINT_NO_BIAS)
    return convs


#: Layers that only reshape (or pass through): a network may use them anywhere.
RESHAPES = ("Flatten", "Unflatten", "Identity")


def expect_no_other_layers(layers, what, allowed, specific):
    for layer in layers:
        kind = layer["type"]
        if kind in allowed:
            continue
        hint = specific.get(kind, f"the text's architecture has no {kind} layer")
        fail(f"{what} has a {kind} layer (`{layer['name']}`).", hint)


def generator_structure(sub, gen, z, what, blocks):
    """The layers the text asks for: ConvT 4/1/0, ``blocks`` ConvT 4/2/1 (each with batch norm and ReLU), ConvT 4/2/1, Tanh."""
    layers = structure(sub, gen, z)
    specific = {"LeakyReLU": HINT_G_LEAKY, "Sigmoid": HINT_SIGMOID_OUT, "Linear": HINT_LINEAR,
                "Dropout": HINT_DROPOUT, "Dropout2d": HINT_DROPOUT}
    expect_no_other_layers(layers, what, {"ConvTranspose2d", "BatchNorm2d", "ReLU", "Tanh", *RESHAPES}, specific)

    def settings(i, n):
        return ((4, 4), (1, 1), (0, 0)) if i == 0 else ((4, 4), (2, 2), (1, 1))

    expect_convolutions(layers, "ConvTranspose2d", what, blocks + 2, settings, HINT_G_SIZE)
    norms = [i for i, t in enumerate(layer_types(layers)) if t == "BatchNorm2d"]
    convs = [i for i, t in enumerate(layer_types(layers)) if t == "ConvTranspose2d"]
    if any(i > convs[-1] for i in norms):
        fail(f"{what} has a batch norm after its last transposed convolution.", HINT_G_BN_OUTPUT)
    if len(norms) != blocks + 1:
        fail(f"{what} has {len(norms)} BatchNorm2d layer(s), expected {blocks + 1} (one after each transposed "
             "convolution but the last).", HINT_G_SIZE)


def discriminator_structure(sub, disc, x, what, blocks):
    """Conv 4/2/1 + LeakyReLU(0.2), ``blocks`` Conv 4/2/1 + batch norm + LeakyReLU(0.2), then Conv 4/1/0; no Sigmoid."""
    layers = structure(sub, disc, x)
    specific = {"ReLU": HINT_D_RELU, "Sigmoid": HINT_D_SIGMOID, "Tanh": HINT_D_SQUASHED, "Linear": HINT_LINEAR,
                "Dropout": HINT_DROPOUT, "Dropout2d": HINT_DROPOUT}
    expect_no_other_layers(layers, what, {"Conv2d", "BatchNorm2d", "LeakyReLU", *RESHAPES}, specific)

    def settings(i, n):
        return ((4, 4), (1, 1), (0, 0)) if i == n - 1 else ((4, 4), (2, 2), (1, 1))

    expect_convolutions(layers, "Conv2d", what, blocks + 2, settings, HINT_D_SIZE)
    for layer in layers:
        if layer["type"] == "LeakyReLU" and abs(float(layer["negative_slope"]) - 0.2) > 1e-9:
            fail(f"{what}: `{layer['name']}` is a LeakyReLU with slope {layer['negative_slope']}.", HINT_D_SLOPE)
    types = layer_types(layers)
    convs = [i for i, t in enumerate(types) if t == "Conv2d"]
    norms = [i for i, t in enumerate(types) if t == "BatchNorm2d"]
    if any(convs[0] < i < convs[1] for i in norms):
        fail(f"{what} has a batch norm right after its first convolution.", HINT_D_BN_INPUT)
    if len(norms) != blocks:
        fail(f"{what} has {len(norms)} BatchNorm2d layer(s), expected {blocks} (after each convolution but the "
             "first and the last).", HINT_D_SIZE)


@register(GEN, points=1)
def generator_64_shape_and_size(sub):
    """Generator(100, 64, 64): z (2, 100) -> (2, 3, 64, 64) float32; 3,576,704 parameters (bias-free convolutions)."""
    import torch

    gen = build(sub, "Generator", HINT_G_SIZE, latent_dim=100, base_channels=64, image_size=64)
    z = torch.randn(2, 100, generator=torch.Generator().manual_seed(0))
    out = images_from(sub, gen, z, "Generator(100, 64, 64)(z)")
    expect_image_shape(out, (2, 3, 64, 64), "Generator(latent_dim=100, base_channels=64, image_size=64)(z (2, 100))")
    n = count_params(sub, gen)
    check(n == G_PARAMS_64, f"Generator(100, 64, 64) has {n:,} parameters, expected {G_PARAMS_64:,}: transposed "
                            "convolutions 100->512 (4x4, stride 1) and 512->256->128->64->3 (4x4, stride 2, "
                            "padding 1), all with bias=False, batch norm after each but the last.", HINT_G_SIZE)


@register(GEN, points=1)
def generator_32_layers_and_range(sub):
    """Generator(10, 6, 32, channels=1): the text's layers (ConvT 4/1/0, two ConvT 4/2/1 blocks with BN and ReLU, ConvT 4/2/1, Tanh; no bias), (4, 1, 32, 32) in [-1, 1] with both signs, and one latent in eval mode."""
    import torch

    what = "Generator(latent_dim=10, base_channels=6, image_size=32, channels=1)"
    gen = build(sub, "Generator", HINT_G_SIZE, latent_dim=10, base_channels=6, image_size=32, channels=1)
    z = torch.randn(4, 10, generator=torch.Generator().manual_seed(1))
    out = images_from(sub, gen, z, what)
    expect_image_shape(out, (4, 1, 32, 32), f"{what}(z (4, 10))")
    generator_structure(sub, gen, z, what, blocks=2)
    generator_output_range(sub, gen, z, f"{what} with seeded parameters")
    sub.method(gen, "eval", keep=False)
    out = images_from(sub, gen, z[:1], f"{what} in eval mode")
    expect_image_shape(out, (1, 1, 32, 32), f"{what} in eval mode (z (1, 10))")
    expect_value_error(sub, "Generator", 48, latent_dim=10, base_channels=6)


HINT_BAD_SIZE = ("The network must raise ValueError (raise ValueError(...)) for an image_size that is not a power of "
                 "two >= 16.")


def expect_value_error(sub, name, image_size, **kwargs):
    """``name(image_size=image_size, **kwargs)`` must raise ValueError (the size is no power of two >= 16)."""
    expect_new_raises(sub, "ValueError", HINT_BAD_SIZE, f"{name}(image_size={image_size})", name,
                      image_size=image_size, **kwargs)


def logits_from(sub, disc, x, batch, what):
    import torch

    out = sub.method(disc, "__call__", x)
    if not isinstance(out, torch.Tensor):
        fail(f"{what} should return a tensor of logits, got {type(out).__name__}.",
             "the discriminator must return a tensor of logits")
    if batch == 1 and out.dim() == 0:
        fail(f"{what} has shape (), expected (1,).", HINT_SQUEEZE)
    if tuple(out.shape) not in ((batch,), (batch, 1)):
        fail(f"{what} has shape {tuple(out.shape)}, expected ({batch},): one logit per image "
             "(end with a 4x4 convolution to 1 channel and flatten).", HINT_D_SIZE)
    return out.reshape(batch)


@register(DISC, points=0.5)
def discriminator_64_shape_and_size(sub):
    """Discriminator(64, 64): (2, 3, 64, 64) -> (2,) logits; 2,765,568 parameters (bias-free convolutions)."""
    import torch

    disc = build(sub, "Discriminator", HINT_D_SIZE, base_channels=64, image_size=64)
    x = torch.rand(2, 3, 64, 64, generator=torch.Generator().manual_seed(0)) * 2 - 1
    logits_from(sub, disc, x, 2, "Discriminator(64, 64)(x (2, 3, 64, 64))")
    n = count_params(sub, disc)
    check(n == D_PARAMS_64, f"Discriminator(64, 64) has {n:,} parameters, expected {D_PARAMS_64:,}: convolutions "
                            "3->64->128->256->512 (4x4, stride 2, padding 1) and 512->1 (4x4, stride 1), all "
                            "bias=False, batch norm after all but the first and the last.", HINT_D_SIZE)


@register(DISC, points=1)
def discriminator_32_layers_and_logits(sub):
    """Discriminator(6, 32, channels=1): the text's layers (Conv 4/2/1 + LeakyReLU(0.2), two blocks with BN, Conv 4/1/0; no bias, no Sigmoid), raw logits (some outside [-1, 1] with seeded parameters), one image in eval mode -> shape (1,)."""
    import torch

    what = "Discriminator(base_channels=6, image_size=32, channels=1)"
    disc = build(sub, "Discriminator", HINT_D_SIZE, base_channels=6, image_size=32, channels=1)
    x = torch.rand(5, 1, 32, 32, generator=torch.Generator().manual_seed(2)) * 2 - 1
    logits_from(sub, disc, x, 5, f"{what}(x (5, 1, 32, 32))")
    discriminator_structure(sub, disc, x, what, blocks=2)
    sub.trusted("ganlab.grading.standins.seeded_parameters", disc, 4, keep=False)
    out = logits_from(sub, disc, x, 5, f"{what}(x (5, 1, 32, 32))")
    shown = [round(v, 3) for v in out.tolist()]
    if bool(((out > 0) & (out < 1)).all()):
        fail(f"{what} with seeded parameters outputs {shown}. {HINT_D_SIGMOID}", HINT_D_SIGMOID)
    if float(out.abs().max()) <= 1.0:
        fail(f"{what} with seeded parameters outputs {shown}. {HINT_D_SQUASHED}", HINT_D_SQUASHED)
    sub.method(disc, "eval", keep=False)
    logits_from(sub, disc, x[:1], 1, f"{what} in eval mode (x (1, 1, 32, 32))")
    expect_value_error(sub, "Discriminator", 48, base_channels=6)


# -- initialisation ----------------------------------------------------------------------------------------------

def init_statistics(sub, seed, probe="init_probe_network"):
    """Apply the submission's init_weights to a trusted network; return its parameters by name (and the defaults)."""
    sub.trusted("torch.manual_seed", seed, keep=False)
    net = sub.trusted(f"ganlab.grading.standins.{probe}")
    # The defaults are read from the network itself, in the submission's process: rebuilding it here would seed
    # this process's global RNG, which tests grading other submissions in parallel threads also draw from.
    defaults = sub.state(net)["params"]
    sub.trusted("torch.manual_seed", seed, keep=False)
    try:
        sub.method(net, "apply", Global("init_weights"), keep=True)
    except SubmissionError as exc:  # name the student's function, not Module.apply that called it
        message = str(exc).replace("`torch.nn.modules.container.Sequential.apply`", "`init_weights` (called by net.apply)")
        raise SubmissionError(message, exc.kind) from None
    return sub.state(net)["params"], defaults


def check_conv_weights(params, defaults, names=("0.weight", "2.0.weight")):
    for name in names:
        w = params[name]
        mean, std = float(w.mean()), float(w.std())
        what = f"the weights of `{name.rsplit('.', 1)[0]}` after init_weights"
        if name in defaults and bool((w == defaults[name]).all()):
            fail(f"{what} are unchanged (PyTorch's default initialisation).", HINT_INIT_TRANSPOSED)
        if abs(std - 0.2) < 0.01:
            fail(f"{what} have std {std:.4f}. {HINT_STD_02}", HINT_STD_02)
        if abs(mean - 1) < 0.01:
            fail(f"{what} have mean {mean:.4f}. {HINT_INIT_MEAN_1}", HINT_INIT_MEAN_1)
        check(abs(mean) < 0.002 and abs(std - 0.02) < 0.001,
              f"{what} have mean {mean:.4f} and std {std:.4f}; expected N(0, 0.02): mean 0, std 0.02.",
              HINT_INIT_GENERIC)


def check_batchnorm(params, names):
    for name in names:
        w = params[name + ".weight"]
        mean, std = float(w.mean()), float(w.std())
        if std == 0.0 and mean == 1.0:
            fail(f"batch-norm weights after init_weights are all 1. {HINT_BN_DEFAULT}", HINT_BN_DEFAULT)
        if abs(mean) < 0.01:
            fail(f"batch-norm weights after init_weights have mean {mean:.4f}. {HINT_BN_MEAN_0}", HINT_BN_MEAN_0)
        check(abs(mean - 1) < 0.005 and abs(std - 0.02) < 0.003,
              f"batch-norm weights after init_weights have mean {mean:.4f} and std {std:.4f}; expected N(1, 0.02).",
              "batch norm's weight (gamma) must be drawn from N(1, 0.02): mean 1, std 0.02")
        check(bool((params[name + ".bias"] == 0).all()), "batch-norm biases after init_weights are not all 0.",
              HINT_INIT_BN_BIAS)


@register(INIT, points=1)
def init_conv_weights(sub):
    """model.apply(init_weights) draws Conv2d and ConvTranspose2d weights from N(0, 0.02)."""
    params, defaults = init_statistics(sub, 0)
    check_conv_weights(params, defaults)


@register(INIT, points=0.5)
def init_batchnorm(sub):
    """Batch-norm weights ~ N(1, 0.02) (mean 1, std 0.02) and biases exactly 0; a Linear layer is left alone."""
    params, _ = init_statistics(sub, 7)
    check_batchnorm(params, ("1", "2.1"))
    params, defaults = init_statistics(sub, 8, probe="init_probe_shuffled")
    for name in ("1.weight", "1.bias"):
        check(bool((params[name] == defaults[name]).all()), f"`{name}` (a Linear layer) changed.", HINT_INIT_OTHERS)


# -- the training step ---------------------------------------------------------------------------------------

STEP_BATCH, STEP_LATENT, STEP_DATA = 6, 3, 4


def step_inputs(seed):
    """Seeded x_real and z for the stand-in networks (float32)."""
    import torch

    g = torch.Generator().manual_seed(500 + seed)
    return torch.randn(STEP_BATCH, STEP_DATA, generator=g) + 0.5, torch.randn(STEP_BATCH, STEP_LATENT, generator=g)


def make_optimizer(sub, module, kind, lr):
    """A trusted optimizer for ``module`` in the submission's process: "sgd", "momentum" (0.9) or "adam" (0.5, 0.999)."""
    params = sub.method(module, "parameters", keep=True)
    if kind == "adam":
        return sub.trusted("torch.optim.Adam", params, lr=lr, betas=(0.5, 0.999))
    if kind == "momentum":
        return sub.trusted("torch.optim.SGD", params, lr=lr, momentum=0.9)
    return sub.trusted("torch.optim.SGD", params, lr=lr)


def remote_step_setup(sub, seed, lr=0.1, kind="sgd"):
    """Stand-in generator (counts backward passes) and discriminator with their optimizers, in the submission's process."""
    gen = sub.trusted("ganlab.grading.standins.probe_generator", STEP_LATENT, STEP_DATA, seed, dtype="float32")
    disc = sub.trusted("ganlab.grading.standins.flat_discriminator", STEP_DATA, seed + 1)
    return gen, disc, make_optimizer(sub, gen, kind, lr), make_optimizer(sub, disc, kind, lr)


def call_step(sub, gen, disc, opt_g, opt_d, x_real, z):
    """The two losses train_step returns, as floats (tensors of one element are accepted here; a test checks the type)."""
    out = sub.call("train_step", gen, disc, opt_g, opt_d, x_real, z)
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        fail(f"train_step should return (d_loss, g_loss) as two floats, got {type(out).__name__}.",
             "train_step must return the pair (d_loss, g_loss)")
    values = []
    for v in out:
        t = as_float_tensor(v, "a loss returned by train_step")
        if t.numel() != 1:
            fail(f"train_step should return two numbers, got a tensor of shape {tuple(t.shape)}.",
                 "each loss returned by train_step is one number (the batch mean)")
        values.append(float(t))
    check(all(math.isfinite(v) for v in values), f"train_step returned non-finite losses {values}.",
          "a loss is NaN or infinite: use binary_cross_entropy_with_logits on the logits (stable)")
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
    close(d_loss, target, "d_loss returned by train_step", HINT_STEP_GENERIC, rtol=1e-4,
          diagnoses=[(swapped, HINT_LABELS_SWAPPED), (swapped / 2, HINT_LABELS_SWAPPED)])
    count = sub.getattr(gen, "backward_count")
    if count > 1:
        fail(f"{count} backward passes reached the generator's output in one train_step; expected 1 (the generator "
             f"step). {HINT_DETACH}", HINT_DETACH)
    check(count == 1, "no gradient reached the generator.", HINT_STEP_NO_G_GRAD)


@register(STEP, points=0.5)
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
        check(any(not (after[n] == before[name][n]).all() for n in after),
              f"the {name}'s parameters did not change.", HINT_STEP_NOT_MOVED)


@register(STEP, points=0.5)
def step_returns_floats(sub):
    """train_step returns a tuple of two Python floats (not tensors)."""
    x_real, z = step_inputs(2)
    gen, disc, opt_g, opt_d = remote_step_setup(sub, 2)
    out = sub.call("train_step", gen, disc, opt_g, opt_d, x_real, z)
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        fail(f"train_step should return (d_loss, g_loss), got {type(out).__name__}.",
             "train_step must return the pair (d_loss, g_loss)")
    for name, v in zip(("d_loss", "g_loss"), out):
        check(isinstance(v, float), f"train_step returned {name} as {type(v).__name__}, not a Python float.",
              HINT_STEP_FLOATS)


def params_of(sub, ref):
    return {n: p.clone() for n, p in sub.state(ref)["params"].items()}


# -- sampling ----------------------------------------------------------------------------------------------------

SAMPLE_LATENT, SAMPLE_DATA = 5, 3


def check_sample(sub, seed, batch, train_mode):
    """Sample from a recording batch-norm stand-in generator; compare with its evaluation-mode output computed here,
    then check what the stand-in saw during its forward pass (no_grad, every module in eval mode) and afterwards
    (running statistics and modes unchanged, gradient tracking back on, z unchanged)."""
    import torch

    from ganlab.grading import standins

    gen = sub.trusted("ganlab.grading.standins.recording_generator", SAMPLE_LATENT, SAMPLE_DATA, seed)
    local = standins.batchnorm_generator(SAMPLE_LATENT, SAMPLE_DATA, seed)
    if not train_mode:
        sub.method(gen, "eval", keep=False)
    before = sub.state(gen)
    z = torch.randn(batch, SAMPLE_LATENT, generator=torch.Generator().manual_seed(seed))
    z_ref = sub.trusted("torch.clone", z)
    what = f"sample(generator, z of shape ({batch}, {SAMPLE_LATENT}))"
    try:
        result = sub.new("sample", gen, z_ref)
        grad_mode_after = bool(sub.trusted("torch.is_grad_enabled", keep=False))
    finally:  # a sampler that switched gradient tracking off must not break the tests that follow
        sub.trusted("torch.set_grad_enabled", True)
    if result.type.rsplit(".", 1)[-1] != "Tensor":
        fail(f"{what} should return a tensor, got {result.type}.", "sample must return the images as a tensor")
    calls = sub.getattr(gen, "calls")
    check(len(calls) >= 1, f"{what} never called the generator.", "sample must return the generator's output for z, computed inside the function")
    for grad_enabled, modes in calls:
        if modes[0]:
            fail(f"{what} ran the generator in training mode.", HINT_TRAIN_MODE)
        check(not any(modes), f"{what} ran the generator with a submodule in training mode.", HINT_SAMPLE_SUBMODULES)
        check(not grad_enabled, f"{what} ran the generator with gradient tracking on.", HINT_NO_GRAD)
    out = sub.method(result, "detach")
    with torch.no_grad():
        expected = local.eval()(z)
        in_train = local.train()(z) if batch > 1 else expected
    close(out, expected, what, HINT_SAMPLE_GENERIC, rtol=1e-5, atol=1e-6, diagnoses=[(in_train, HINT_TRAIN_MODE)])
    after = sub.state(gen)
    for name in ("net.1.running_mean", "net.1.running_var"):
        check(bool((after["buffers"][name] == before["buffers"][name]).all()),
              f"batch norm's {name.split('.')[-1]} changed.", HINT_RUNNING_STATS)
    check(not sub.getattr(result, "requires_grad"), f"{what} requires grad.", HINT_NO_GRAD)
    mode = after["training"][""]
    check(mode == train_mode, f"the generator was in {'training' if train_mode else 'evaluation'} mode before "
                              f"sample() and in {'training' if mode else 'evaluation'} mode after.",
          HINT_RESTORE if train_mode else "restore the mode the generator had before sample() (it was in eval mode)")
    check(after["training"] == before["training"], "a submodule's mode differs after sample() from before.",
          "restore the previous mode with generator.train(was_training), which sets every submodule")
    check(grad_mode_after, "gradient tracking is off after sample().", HINT_SAMPLE_GRAD_MODE)
    check(torch.equal(sub.state(z_ref)["value"], z), f"{what} changed z.", HINT_SAMPLE_MUTATES)


@register(SAMPLE, points=1)
def sample_in_eval_mode(sub):
    """A generator with batch norm in training mode: samples match evaluation mode, drawn under no_grad, running statistics unchanged, mode restored."""
    check_sample(sub, 0, batch=4, train_mode=True)


# -- latent space ----------------------------------------------------------------------------------------------

def slerp_call(sub, z0, z1, t, what):
    import torch

    out = sub.call("slerp", z0, z1, t)
    if not isinstance(out, torch.Tensor):
        fail(f"{what} should return a tensor, got {type(out).__name__}.", "slerp must return a tensor")
    if not bool(torch.isfinite(out).all()):
        fail(f"{what} contains NaN or infinity.", HINT_SLERP_PARALLEL if _parallel(z0, z1) else HINT_SLERP_NORMS)
    return out


def _parallel(z0, z1):
    import torch

    z0, z1 = torch.as_tensor(z0).double(), torch.as_tensor(z1).double()
    return float(z0 @ z1 / (z0.norm() * z1.norm())) > 1 - 1e-6


@register(SLERP, points=0.5)
def slerp_hand_worked(sub):
    """e1 = (1, 0, 0), e2 = (0, 1, 0): t = 0 gives e1, t = 1 gives e2, t = 0.5 gives (e1 + e2)/sqrt(2); t = 1/3 is 30 degrees from e1."""
    import torch

    e1, e2 = torch.tensor([1.0, 0.0, 0.0]), torch.tensor([0.0, 1.0, 0.0])
    close(slerp_call(sub, e1, e2, 0.0, "slerp(e1, e2, 0)"), e1, "slerp(e1, e2, 0)", HINT_SLERP_GENERIC, atol=1e-6,
          diagnoses=[(e2, HINT_SLERP_T_SWAPPED)])
    close(slerp_call(sub, e1, e2, 1.0, "slerp(e1, e2, 1)"), e2, "slerp(e1, e2, 1)", HINT_SLERP_GENERIC, atol=1e-6,
          diagnoses=[(e1, HINT_SLERP_T_SWAPPED)])
    half = 1 / math.sqrt(2)
    close(slerp_call(sub, e1, e2, 0.5, "slerp(e1, e2, 0.5)"), [half, half, 0.0], "slerp(e1, e2, 0.5)",
          HINT_SLERP_GENERIC, atol=1e-6, diagnoses=[([0.5, 0.5, 0.0], HINT_LERP)])
    # 1/3 of the way along the quarter circle: angle 30 degrees from e1
    close(slerp_call(sub, e1, e2, 1 / 3, "slerp(e1, e2, 1/3)"), [math.sqrt(3) / 2, 0.5, 0.0], "slerp(e1, e2, 1/3)",
          HINT_SLERP_GENERIC, atol=1e-6, diagnoses=[([2 / 3, 1 / 3, 0.0], HINT_LERP),
                                                    ([0.5, math.sqrt(3) / 2, 0.0], HINT_SLERP_T_SWAPPED)])


@register(SLERP, points=0.5)
def slerp_lengths_batches_parallel(sub):
    """z0 = (2, 0), z1 = (3, 3 sqrt 3) (lengths 2 and 6, 60 degrees apart): t = 0.25 and a tensor t = (0, 0.5, 1) of shape (3,) -> (3, 2); parallel z0 and 2.5 z0 give the linear 1.6 z0 at t = 0.4."""
    import torch

    z0, z1 = torch.tensor([2.0, 0.0]), torch.tensor([3.0, 3.0 * math.sqrt(3)])
    # omega = 60 degrees: weights sin(45)/sin(60) = 0.8165 for z0 and sin(15)/sin(60) = 0.2989 for z1
    quarter = [2.5295686340235055, 1.5529142706151247]
    close(slerp_call(sub, z0, z1, 0.25, "slerp(z0, z1, 0.25)"), quarter, "slerp((2, 0), (3, 3 sqrt 3), 0.25)",
          HINT_SLERP_GENERIC, rtol=1e-5, atol=1e-5,
          diagnoses=[([2.25, 1.299038105676658], HINT_LERP), ([0.9659258262890683, 0.25881904510252074], HINT_SLERP_UNIT)])
    # t = 0.5: both weights sin(30)/sin(60) = 1/sqrt(3): (2 + 3, 3 sqrt 3) / sqrt(3) = (2.8868, 3)
    ts = torch.tensor([0.0, 0.5, 1.0])
    out = slerp_call(sub, z0, z1, ts, "slerp(z0, z1, t of shape (3,))")
    if tuple(out.shape) != (3, 2):
        fail(f"slerp(z0, z1, t of shape (3,)) has shape {tuple(out.shape)}, expected (3, 2).", HINT_SLERP_SHAPE)
    expected = [[2.0, 0.0], [2.8867513459481287, 3.0], [3.0, 3.0 * math.sqrt(3)]]
    close(out, expected, "slerp((2, 0), (3, 3 sqrt 3), t = (0, 0.5, 1))", HINT_SLERP_GENERIC, rtol=1e-5, atol=1e-5,
          diagnoses=[([[2.0, 0.0], [2.5, 2.598076211353316], [3.0, 3.0 * math.sqrt(3)]], HINT_LERP),
                     ([[1.0, 0.0], [math.sqrt(3) / 2, 0.5], [0.5, math.sqrt(3) / 2]],
                      HINT_SLERP_UNIT)])
    # parallel: the angle is 0, slerp is linear there: 0.6 * z + 0.4 * 2.5 z = 1.6 z
    z = torch.tensor([0.6, -0.8, 1.5])
    close(slerp_call(sub, z, 2.5 * z, 0.4, "slerp(z, 2.5 z, 0.4)"), 1.6 * z, "slerp(z, 2.5 z, 0.4)",
          HINT_SLERP_PARALLEL, rtol=1e-5, atol=1e-5)


@register(ARITH, points=1)
def arithmetic_hand_worked(sub):
    """mean([[2, 0], [4, 2]]) - mean([[1, 1]]) + mean([[0, 3], [0, 5], [3, 1]]) = (3, 1) - (1, 1) + (1, 3) = (3, 3)."""
    import torch

    z_a = torch.tensor([[2.0, 0.0], [4.0, 2.0]])
    z_b = torch.tensor([[1.0, 1.0]])
    z_c = torch.tensor([[0.0, 3.0], [0.0, 5.0], [3.0, 1.0]])
    out = sub.call("latent_arithmetic", z_a, z_b, z_c)
    close(out, [3.0, 3.0], "latent_arithmetic(z_a, z_b, z_c)", HINT_ARITH_GENERIC, atol=1e-6,
          diagnoses=[([8.0, 10.0], HINT_ARITH_SUM), ([1.0, -3.0], HINT_ARITH_SIGNS), ([5.0, -1.0], HINT_ARITH_SIGNS)])


# -- question 1 -------------------------------------------------------------------------------------------------

ABOUT_Q_COVER = ("return a tuple of two Python ints (most, fewest): the largest and the smallest number of kernel "
                 "copies that land on one interior output pixel of the 2-D layer")


@register(Q_COVER, points=0.5)
def question_answer_format(sub):
    """The answer is two whole numbers >= 1, the first not smaller than the second (values judged by hidden tests)."""
    out = sub.call("question_coverage")
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        fail(f"question_coverage() should return a tuple of two ints, got {type(out).__name__}.", ABOUT_Q_COVER)
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in out):
        fail(f"both counts should be Python ints, got {[type(v).__name__ for v in out]}.", ABOUT_Q_COVER)
    check(out[0] >= out[1] >= 1, f"expected most >= fewest >= 1, got {tuple(out)}.", ABOUT_Q_COVER)
