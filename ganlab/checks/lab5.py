"""Public checks for Lab 5 (pix2pix).

This file ships to students, so it never computes an expected value with the formula an exercise asks for:
expected values are numbers worked out by hand on small inputs the test sets (the working is in the comments:
logits chosen as logarithms so that every probability is a simple fraction), or outputs stored from a trusted run
of the text's networks with every parameter set by the test (:func:`ganlab.grading.standins_lab5.fill_by_order`,
in forward order, so attribute names and initialisation never matter). Known mistakes are recognised by stored
numbers too. Inputs are generic (unequal batch sizes and channel counts, no factor of exactly 2 between
arguments, no zero intermediates). Networks are checked by the layers the text asks for (no bias before batch
norm, LeakyReLU 0.2, no Sigmoid at D's output, Tanh at G's output) and by what they compute; the training step
runs on recording stand-ins and is judged against the submission's own loss helpers, so a wrong helper costs only
its own points. The hidden tests (instructor side) add other sizes, batches of one, the errors the docstrings
promise, networks compared with trusted copies of the text's architectures in train and eval mode, and replays
of the training step with Adam and momentum and stale gradients.
"""

from __future__ import annotations

import math

from ganlab.checks.lab3 import check, close, fail, make_optimizer, params_of
from ganlab.checks.lab4 import build, expect_shape, generator, tensor_or_fail
from ganlab.grading.netcheck import structure
from ganlab.grading.testing import (CheckFailure, Global, SubmissionError, as_float_tensor, exercise, expect_method_raises,
                                    expect_new_raises, expect_raises, register)

LAB = "lab5"

GEOM = exercise(LAB, "conv_stack_geometry", title="Output size and receptive field of a conv stack")
DOWN = exercise(LAB, "UNetDown", title="The U-Net's down block")
UP = exercise(LAB, "UNetUp", title="The U-Net's up block")
UNET = exercise(LAB, "UNetGenerator", title="The U-Net generator")
PATCH = exercise(LAB, "PatchDiscriminator", title="The PatchGAN discriminator")
COND = exercise(LAB, "conditional_d_input", title="The conditional discriminator's input")
G_LOSS = exercise(LAB, "generator_loss", title="pix2pix: the generator's loss")
D_LOSS = exercise(LAB, "discriminator_loss", title="pix2pix: the discriminator's loss")
STEP = exercise(LAB, "pix2pix_step", title="One pix2pix training step")
MASK = exercise(LAB, "center_mask", title="The inpainting mask")
CE_LOSS = exercise(LAB, "context_encoder_loss", title="The context encoder's loss")

# Hints are module-level constants: hidden feedback shows only those (autograder.runner.allowed_hints).
HINT_SHAPE = "The result does not have the shape the docstring promises: reread its Returns section."
HINT_MUTATES = "The function changed its inputs in place: work on new tensors."
HINT_GEOM_TYPE = "conv_stack_geometry returns a pair of Python ints (output_size, receptive_field)."
HINT_GEOM_SIZE = ("The output size differs: each layer maps n to floor((n + 2 * padding - kernel) / stride) + 1 "
                  "(PyTorch's Conv2d rule), applied layer by layer from the first.")
HINT_GEOM_NO_PADDING = ("The output size is too small: the padding is added on both sides of the input "
                        "(n + 2 * padding) before the kernel slides over it.")
HINT_GEOM_CEIL = "The output size rounds up: PyTorch's Conv2d rounds the division by the stride down (floor)."
HINT_GEOM_PRODUCT = ("The receptive field is not the product of the kernel sizes: overlapping windows share "
                     "pixels; grow the field one layer at a time, from the output unit back to the input.")
HINT_GEOM_NO_STRIDE = ("The receptive field ignores the strides: a step of one unit in a layer's output moves its "
                       "window by the stride, so every later layer's kernel covers stride times more input.")
HINT_GEOM_DIRECTION = ("The layers are taken in the wrong order: going backwards from one output unit, start at the "
                       "LAST layer (size 1) and work towards the first; or, going forwards, multiply each kernel's "
                       "extra reach by the product of the strides BEFORE that layer.")
HINT_GEOM_OWN_STRIDE = ("Each layer's extra reach (kernel - 1) is multiplied by the product of the strides of the "
                        "layers before it (the distance between neighbouring units of its input), not by its own "
                        "stride.")
HINT_GEOM_OFF_BY_ONE = ("The receptive field is off by a stride: k units spaced s apart span (k - 1) * s + 1 "
                        "positions; working backwards, a field of r units of a layer's output covers "
                        "(r - 1) * stride + kernel units of its input.")
HINT_GEOM_PADDING_RF = ("The receptive field does not depend on the padding: padding adds zeros around the input "
                        "(it changes the output size), but one output unit still sees kernel-sized windows spread by "
                        "the strides.")
HINT_GEOM_GENERIC = ("The receptive field differs: it is the number of input pixels (along one side) that one "
                     "output unit depends on, after the whole stack.")
HINT_GEOM_EMPTY = "An empty stack leaves the input as it is: (input_size, 1)."
HINT_GEOM_ERRORS = ("conv_stack_geometry must raise ValueError for kernel < 1, stride < 1, padding < 0, "
                    "input_size < 1, "
                    "and when a layer's output would be smaller than 1 (naming that layer's index).")
HINT_DOWN_LAYERS = ("UNetDown's layers differ from the text: Conv2d(in, out, 4, stride=2, padding=1, bias=False), then "
                    "BatchNorm2d(out) (only with normalize=True), then LeakyReLU(0.2).")
HINT_DOWN_BIAS = ("UNetDown's convolution has no bias also with normalize=False (bias=False always, as in the "
                  "paper's reference implementation: 54,413,955 parameters at 256).")
HINT_BIAS_BEFORE_BN = ("A convolution followed by batch norm has a bias: BN subtracts the channel mean, which removes "
                       "any bias, so it is a wasted parameter: bias=False there.")
HINT_SLOPE = "LeakyReLU's slope must be 0.2: nn.LeakyReLU() defaults to 0.01, so pass nn.LeakyReLU(0.2)."
HINT_BN_SETTINGS = "Use batch norm's defaults (eps 1e-5, momentum 0.1, affine): nn.BatchNorm2d(C)."
HINT_DOWN_GENERIC = ("UNetDown computes something else than Conv2d(4, 2, 1) -> BatchNorm2d -> LeakyReLU(0.2) "
                     "with these "
                     "parameters (an activation, the order of the layers or a norm setting).")
HINT_UP_LAYERS = ("UNetUp's layers differ from the text: ConvTranspose2d(in, out, 4, stride=2, padding=1, bias=False) "
                  "-> BatchNorm2d(out) -> ReLU -> Dropout(dropout) only when dropout > 0.")
HINT_UP_ORDER = ("The skip comes first in the concatenation: the text asks for torch.cat([h, skip], dim=1), the "
                 "upsampled features first and the skip second (the next block's weights depend on the order).")
HINT_UP_ACT = ("The decoder's activation is a plain ReLU (the paper's decoder uses ReLU, the encoder LeakyReLU(0.2)).")
HINT_UP_GENERIC = ("UNetUp computes something else than ConvTranspose2d(4, 2, 1) -> BatchNorm2d -> ReLU (-> Dropout), "
                   "then [h, skip] along the channels.")
HINT_UP_ERRORS = ("UNetUp.forward must raise ValueError when skip is not (B, S, 2H, 2W) for x of shape (B, C, H, W) "
                  "(another batch or another spatial size).")
HINT_DROPOUT_PLACE = ("Dropout belongs in the decoder only, in the first num_dropout up blocks counted from the "
                      "innermost, after the ReLU: nn.Dropout(dropout), never in the encoder.")
HINT_DROPOUT_TRAIN = ("With dropout > 0 the outputs in training mode must differ from draw to draw (nn.Dropout "
                      "in the forward pass, not F.dropout(..., training=False)); with dropout 0 they must not.")
HINT_UNET_LAYERS = ("The U-Net's layers differ from the text: num_downs UNetDown blocks (the first and the innermost "
                    "without normalisation), num_downs - 1 UNetUp blocks, then "
                    "ConvTranspose2d(2 * ngf, out_channels, 4, "
                    "2, 1) with a bias and a Tanh.")
HINT_UNET_INNERMOST = ("The innermost (bottleneck) down block has a batch norm: with batch 1 at 256 x 256 its map is "
                       "1 x 1, and batch norm over one value zeroes it; use normalize=False there (and on the first).")
HINT_UNET_CHANNELS = ("The U-Net's channel plan differs: level i has ngf * min(2**i, 8) channels; up block k outputs "
                      "the channels of the encoder level it is concatenated with, and takes 2 x those of the level "
                      "below (the concatenation) except the innermost, which takes the bottleneck's channels.")
HINT_UNET_SKIP = ("The skips are paired with the wrong levels: up block k (k = 0 innermost) concatenates the output "
                  "of the encoder level of the same resolution (the mirrored level), so the last up block gets the "
                  "first down block's output.")
HINT_UNET_TANH = "The U-Net's output is not in (-1, 1) with both signs: end with Tanh (the images are in [-1, 1])."
HINT_UNET_GENERIC = ("The U-Net computes something else than the text's architecture with these parameters (the skip "
                     "pairing, the concat order, a norm or an activation).")
HINT_UNET_ERRORS = ("UNetGenerator must raise ValueError in __init__ for num_downs < 2, and in forward when H or W is "
                    "not a multiple of 2**num_downs or the channels differ from in_channels.")
HINT_UNET_COUNT = ("The 256 reference (num_downs=8, ngf=64) has another parameter count: check the channel plan, "
                   "which convolutions have a bias (none in the down blocks or before a batch norm; the last layer "
                   "has one) "
                   "and the batch norms.")
HINT_PATCH_LAYERS = ("The PatchGAN's layers differ from the text: Conv2d(in, ndf, 4, 2, 1) with bias -> "
                     "LeakyReLU(0.2), n_layers - 1 bias-free Conv2d(4, 2, 1) -> BatchNorm2d -> LeakyReLU(0.2) "
                     "doubling the width (at most 8 ndf), one bias-free Conv2d(4, 1, 1) -> BatchNorm2d -> "
                     "LeakyReLU(0.2), then Conv2d(.., 1, 4, 1, 1) "
                     "with bias.")
HINT_PATCH_STRIDES = ("The PatchGAN's strides differ: stride 2 in the first n_layers convolutions, stride 1 in the "
                      "last two (this gives the 30 x 30 map and the 70 x 70 receptive field at 256).")
HINT_PATCH_SIGMOID = ("The discriminator ends with a Sigmoid: return raw logits, the loss "
                      "(binary_cross_entropy_with_logits) applies the sigmoid itself, stably.")
HINT_PATCH_GENERIC = "The PatchGAN computes something else than the text's architecture with these parameters."
HINT_PATCH_COUNT = ("The 256 reference PatchGAN (in_channels=6, ndf=64, n_layers=3) has another parameter count: "
                    "check the widths, the biases (none before batch norm) and the norms.")
HINT_PATCH_ERRORS = "PatchDiscriminator must raise ValueError for n_layers < 1."
HINT_COND_ORDER = ("The condition comes first: [x, y] along the channels (the input image, then the real or "
                   "generated output), not [y, x].")
HINT_COND_GENERIC = "conditional_d_input joins x and y along dim 1 (channels): (B, C_x + C_y, H, W)."
HINT_COND_GRAD = ("No gradient reached x or y: join them with torch.cat and no .detach() (the training step "
                  "decides what to detach).")
HINT_COND_ERRORS = "conditional_d_input must raise ValueError when x and y differ in batch size or spatial size."
HINT_LOSS_TRIPLE = "generator_loss returns the triple (loss, loss_gan, loss_l1) of 0-dim tensors."
HINT_G_FAKE_TARGET = ("The GAN term uses the target 0: the generator wants D to call its output real, "
                      "BCE(D(x, G(x)), 1) (non-saturating).")
HINT_G_LAMBDA_ON_GAN = "lambda_l1 weighs the L1 term, not the GAN term: loss = loss_gan + lambda_l1 * loss_l1."
HINT_G_L1_SUM = "loss_l1 is the MEAN absolute error over all elements (F.l1_loss), not the sum."
HINT_G_L2 = "loss_l1 is the mean ABSOLUTE error |G(x) - y|, not the squared error (L2 blurs more)."
HINT_G_SATURATING = ("The GAN term is the saturating -BCE(logits, 0) = log(1 - D): use the non-saturating "
                     "BCE(logits, 1) = -log D.")
HINT_G_GENERIC = ("generator_loss: loss_gan = BCE-with-logits(d_fake_logits, 1) (mean over patches), loss_l1 = "
                  "mean |y_fake - y_real|, loss = loss_gan + lambda_l1 * loss_l1.")
HINT_LOSS_GRADS = ("The loss does not backpropagate to its inputs with the right gradient: build it with torch "
                   "functions on the given tensors (no .item(), .detach() or numpy).")
HINT_LOSS_FINITE = "The loss is not finite for large logits: use binary_cross_entropy_with_logits on the logits."
HINT_D_NOT_HALVED = ("The discriminator's loss is not halved: pix2pix divides D's objective by 2 "
                     "(0.5 * (BCE(real, 1) + BCE(fake, 0))) to slow D down relative to G.")
HINT_D_SWAPPED = "Real pairs have target 1 and fake pairs target 0 in the discriminator's loss."
HINT_D_POOLED = ("Each term is a mean over its own batch and patches; averaging all real and fake logits together "
                 "weights them by batch size.")
HINT_D_GENERIC = ("discriminator_loss = 0.5 * (BCE(real, 1) + BCE(fake, 0)), each BCE-with-logits a mean over its "
                  "logits.")
HINT_STEP_DICT = ("pix2pix_step returns a dict with the keys loss_d, loss_g, loss_gan, loss_l1, each a Python float "
                  "(loss.item()).")
HINT_STEP_PAIRS = ("The discriminator did not see the pairs the text asks for: D(conditional_d_input(x, y)) for the "
                   "real pair and D(conditional_d_input(x, y_fake)) for the fake one, x the condition.")
HINT_STEP_UNCONDITIONAL = ("The discriminator was given the image alone: pix2pix's D is conditional, it judges the "
                           "pair conditional_d_input(x, image) (the condition's channels plus the image's), so it can "
                           "tell whether the output fits its input.")
HINT_STEP_SWAPPED = ("The discriminator saw the target in the condition's place: x is the condition (input image), "
                     "y the target photo; the pairs are (x, y) and (x, G(x)), and G's input is x.")
HINT_STEP_DETACH = ("Gradients from the discriminator's loss reached the generator: detach the fake in the "
                    "discriminator step (conditional_d_input(x, y_fake.detach())).")
HINT_STEP_NO_G_GRAD = ("No gradient reached the generator: compute the G step's logits from D(conditional_d_input(x, "
                       "y_fake)) with y_fake not detached, and call backward on G's loss.")
HINT_STEP_ORDER = ("The G step used the discriminator before its update: update D first (opt_d.step()), then "
                   "compute G's loss through the updated D, on the same batch.")
HINT_STEP_D_LOSS = ("loss_d is not what your discriminator_loss gives on D's logits of the real pair and of the "
                    "detached fake pair of this step.")
HINT_STEP_L1_INPUT = ("The L1 term compares G(x) with the input x: it must compare it with the target y "
                      "(generator_loss(..., y_fake, y, lambda_l1)).")
HINT_STEP_G_LOSS = ("loss_g, loss_gan, loss_l1 are not what your generator_loss gives on the G step's logits, "
                    "y_fake = G(x), the target y and lambda_l1.")
HINT_STEP_MODE = "pix2pix_step leaves G and D in training mode (and runs them in it): call .train() on both."
HINT_STEP_NOT_MOVED = "A network's parameters did not change: call its optimizer's step() after its backward pass."
HINT_MASK_GENERIC = ("The mask is 1 on the centred hole of side `hole`, whose top-left corner is at "
                     "((size - hole) // 2, (size - hole) // 2), and 0 elsewhere.")
HINT_MASK_OFFSET = ("The hole is shifted by one: its top-left corner is (size - hole) // 2, which differs from "
                    "size // 2 - hole // 2 when size and hole have different parities.")
HINT_MASK_INVERTED = "The mask is inverted: 1 INSIDE the hole (the region to fill), 0 elsewhere."
HINT_MASK_TYPE = "center_mask returns a float tensor of shape (batch, 1, size, size)."
HINT_MASK_ERRORS = "center_mask must raise ValueError unless 0 < hole < size."
HINT_CE_WHOLE = ("The reconstruction loss is averaged over the whole image: sum the masked squared errors and divide "
                 "by the number of masked elements (mask.sum() * channels).")
HINT_CE_NO_CHANNELS = ("The reconstruction loss is divided by the masked pixels only: divide by mask.sum() times the "
                       "number of channels (the masked elements).")
HINT_CE_L1 = "The reconstruction term is a squared error (Pathak et al. eq. 1), not an absolute one."
HINT_CE_WEIGHTS = "loss = w_rec * loss_rec + w_adv * loss_adv: check which weight multiplies which term."
HINT_CE_ADV = "loss_adv is BCE-with-logits(d_fake_logits, 1) (the generator wants its fills judged real)."
HINT_CE_GENERIC = ("context_encoder_loss: loss_rec = sum(mask * (x_fill - x_real)**2) / (mask.sum() * C), "
                   "loss_adv = BCE-with-logits(d_fake_logits, 1), loss = w_rec * loss_rec + w_adv * loss_adv.")
HINT_CE_TRIPLE = "context_encoder_loss returns the triple (loss, loss_rec, loss_adv) of 0-dim tensors."


# -- helpers ------------------------------------------------------------------------------------------------------

def uniform(seed, *shape, low=-1.0, high=1.0):
    """Seeded values uniform in [low, high), float32."""
    import torch

    return torch.rand(*shape, generator=generator(seed)) * (high - low) + low


def forward(sub, net, args, what, hint):
    return tensor_or_fail(sub.method(net, "__call__", *args), what, hint)


def outputs_by_mode(sub, net, inputs, seed, what, hint, modes=("eval", "train")):
    """Set every parameter of the submission's ``net`` by forward order (seed ``seed``), then run it on ``inputs``
    in each mode; returns {mode: output (float64)}. The train-mode pass runs last (it updates batch statistics)."""
    sub.trusted("ganlab.grading.standins_lab5.fill_by_order", net, seed, *inputs, keep=False)
    out = {}
    for mode in modes:
        sub.method(net, mode, keep=False)
        out[mode] = as_float_tensor(forward(sub, net, inputs, f"{what} in {mode} mode", hint), what, hint)
    return out


def compare_stored(got, stored, shape, what, hint, wrongs=()):
    """``got`` must equal the stored output (flattened values of a trusted run) of ``shape``; ``wrongs`` are
    (stored values, hint) of known mistakes on the same parameters."""
    import torch

    expect_shape(got, shape, what)
    close(got.flatten(), torch.tensor(stored, dtype=torch.float64), what, hint, rtol=1e-4, atol=2e-5,
          diagnoses=[(torch.tensor(w, dtype=torch.float64), h) for w, h in wrongs])


WEIGHTED = ("Conv2d", "ConvTranspose2d", "BatchNorm2d", "InstanceNorm2d", "Linear", "Dropout", "Sigmoid", "Tanh")


def layer_plan(layers):
    """The layers that matter for the text (weighted layers, norms, dropout, output squashes) with their settings."""
    plan = []
    for layer in layers:
        t = layer["type"]
        if t in ("Conv2d", "ConvTranspose2d"):
            plan.append((t, layer["in_channels"], layer["out_channels"], tuple(layer["kernel_size"]),
                         tuple(layer["stride"]), tuple(layer["padding"]), layer["bias"]))
        elif t in ("BatchNorm2d", "InstanceNorm2d"):
            plan.append((t, layer["num_features"]))
        elif t in ("Dropout", "Dropout2d"):
            plan.append((t, round(float(layer["p"]), 9)))
        elif t in WEIGHTED:
            plan.append((t,))
    return plan


def expect_activations(layers, what):
    """Every LeakyReLU has slope 0.2 and every batch norm the default settings."""
    for layer in layers:
        if layer["type"] == "LeakyReLU" and abs(float(layer["negative_slope"]) - 0.2) > 1e-9:
            fail(f"{what}: `{layer['name']}` is a LeakyReLU with slope {layer['negative_slope']}.", HINT_SLOPE)
        if layer["type"] == "BatchNorm2d":
            if (abs(float(layer["eps"]) - 1e-5) > 1e-12 or abs(float(layer["momentum"] or 0) - 0.1) > 1e-12
                    or not layer["affine"]):
                fail(f"{what}: `{layer['name']}` has eps={layer['eps']}, momentum={layer['momentum']}, "
                     f"affine={layer['affine']}.", HINT_BN_SETTINGS)


def without_functional_dropout(got, expected):
    """A network may draw its dropout with F.dropout and squash with torch.tanh (no module to list): then the
    written-out plan is compared without those entries, and they are judged by what the network does (which up
    blocks draw noise, the output range)."""
    if not any(g[0].startswith("Dropout") for g in got):
        expected = [e for e in expected if e[0] != "Dropout"]
    if not any(g[0] == "Tanh" for g in got):  # torch.tanh: the output range is checked instead
        expected = [e for e in expected if e[0] != "Tanh"]
    return expected


def conv(kind, cin, cout, stride, padding=1, bias=False, kernel=4):
    return (kind, cin, cout, (kernel, kernel), (stride, stride), (padding, padding), bias)


def judge_plan(got, expected, what, hint, specific=()):
    """``got`` (a :func:`layer_plan`) must equal ``expected``; ``specific`` pairs a predicate on the two plans with
    the hint of the mistake it recognises (checked first)."""
    if got == expected:
        return
    for matches, known in specific:
        if matches(got, expected):
            fail(f"{what} runs the layers {got}, expected {expected}.", known)
    fail(f"{what} runs the layers {got}, expected {expected}.", hint)


def bias_before_norm(got, expected):
    """The same layers except that some convolution followed by a norm has a bias."""
    if len(got) != len(expected):
        return False
    differs = False
    for i, (g, e) in enumerate(zip(got, expected)):
        if g == e:
            continue
        if g[:-1] == e[:-1] and g[-1] and not e[-1] and i + 1 < len(got) and got[i + 1][0].endswith("Norm2d"):
            differs = True
            continue
        return False
    return differs


def has_type(kind):
    return lambda got, expected: any(g[0] == kind for g in got) and not any(e[0] == kind for e in expected)


def sub_global(name):
    return Global(name)


# -- 1. conv_stack_geometry ------------------------------------------------------------------------------------

def geometry_call(sub, layers, input_size):
    out = sub.call("conv_stack_geometry", layers, input_size)
    what = f"conv_stack_geometry({layers}, {input_size})"
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        fail(f"{what} returned {out!r}, expected (output_size, receptive_field).", HINT_GEOM_TYPE)
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in out):
        fail(f"{what} returned {out!r}: both values must be Python ints.", HINT_GEOM_TYPE)
    return tuple(out), what


def judge_geometry(sub, layers, input_size, expected, size_wrongs=(), rf_wrongs=()):
    """Judge both numbers, naming the known mistake that a wrong number matches."""
    (size, rf), what = geometry_call(sub, layers, input_size)
    if size != expected[0]:
        hint = dict(size_wrongs).get(size, HINT_GEOM_SIZE)
        fail(f"{what}: the output size is {size}, expected {expected[0]}.", hint)
    if rf != expected[1]:
        hint = dict(rf_wrongs).get(rf, HINT_GEOM_GENERIC)
        fail(f"{what}: the receptive field is {rf}, expected {expected[1]}.", hint)


#: A generic stack worked by hand, input 22:
#:   sizes: (22 + 0 - 3) // 1 + 1 = 20; (20 + 4 - 5) // 2 + 1 = 9 + 1 = 10 (19 / 2 rounds down); (10 - 2) // 2 + 1 = 5.
#:   receptive field from the output back: 1 -> (1 - 1) * 2 + 2 = 2 -> (2 - 1) * 2 + 5 = 7 -> (7 - 1) * 1 + 3 = 9.
#: Known mistakes on it: no padding gives sizes 20, 8, 4; rounding up 20, 11, 6; the product of the kernels is 30;
#: ignoring the strides 1 + 2 + 4 + 1 = 8 (or the sum of the kernels, 10); the backward rule applied from the first
#: layer 3, (3 - 1) * 2 + 5 = 9, (9 - 1) * 2 + 2 = 18; each layer's (k - 1) times its own stride 1 + 2 + 8 + 2 = 13;
#: r * s + k backwards 1 * 2 + 2 = 4, 4 * 2 + 5 = 13, 13 * 1 + 3 = 16; 2 * padding taken off at each layer going
#: backwards 2, (2 - 1) * 2 + 5 - 4 = 3, (3 - 1) * 1 + 3 - 0 = 5.
GEOM_LAYERS = [(3, 1, 0), (5, 2, 2), (2, 2, 0)]
GEOM_SIZE_WRONGS = [(4, HINT_GEOM_NO_PADDING), (6, HINT_GEOM_CEIL)]
GEOM_RF_WRONGS = [(30, HINT_GEOM_PRODUCT), (8, HINT_GEOM_NO_STRIDE), (18, HINT_GEOM_DIRECTION),
                  (13, HINT_GEOM_OWN_STRIDE), (16, HINT_GEOM_OFF_BY_ONE), (10, HINT_GEOM_NO_STRIDE),
                  (5, HINT_GEOM_PADDING_RF)]
#: The 70 x 70 PatchGAN at 256: sizes 128, 64, 32, 31, 30; fields backwards 1, 4, 7, 16, 34, 70.
#: Known mistakes: the product of the kernels 4**5 = 1024; ignoring the strides 1 + 5 * 3 = 16; the backward rule
#: applied from the first layer 4, 10, 22, 25, 28; 2 * padding taken off at each layer 2, 3, 6, 12, 24 (the 24 x 24
#: that junyanz/pytorch-CycleGAN-and-pix2pix pull request #1535 believed).
PATCH_LAYERS = [(4, 2, 1)] * 3 + [(4, 1, 1)] * 2
PATCH_RF_WRONGS = [(1024, HINT_GEOM_PRODUCT), (16, HINT_GEOM_NO_STRIDE), (28, HINT_GEOM_DIRECTION),
                   (24, HINT_GEOM_PADDING_RF)]


@register(GEOM, points=1)
def geometry_hand_worked(sub):
    """A generic stack [(3, 1, 0), (5, 2, 2), (2, 2, 0)] at 22 -> (5, 9), worked by hand; the 70 x 70 PatchGAN at 256 -> (30, 70); an empty stack -> (13, 1); stride 0 raises ValueError."""
    judge_geometry(sub, GEOM_LAYERS, 22, (5, 9), GEOM_SIZE_WRONGS, GEOM_RF_WRONGS)
    judge_geometry(sub, PATCH_LAYERS, 256, (30, 70), (), PATCH_RF_WRONGS)
    (size, rf), what = geometry_call(sub, [], 13)
    check((size, rf) == (13, 1), f"{what} returned ({size}, {rf}), expected (13, 1).", HINT_GEOM_EMPTY)
    expect_raises(sub, "ValueError", HINT_GEOM_ERRORS, "conv_stack_geometry([(3, 0, 1)], 9)", "conv_stack_geometry",
                  [(3, 0, 1)], 9)


# -- 2. UNetDown ---------------------------------------------------------------------------------------------------

def down_plan(cin, cout, normalize):
    plan = [conv("Conv2d", cin, cout, 2, bias=False)]
    return plan + ([("BatchNorm2d", cout)] if normalize else [])


def judge_down_layers(sub, net, x, cin, cout, normalize, what):
    layers = structure(sub, net, x)
    expect_activations(layers, what)
    types = [layer["type"] for layer in layers]
    check("LeakyReLU" in types or "ReLU" not in types, f"{what} uses ReLU.", HINT_SLOPE)
    judge_plan(layer_plan(layers), down_plan(cin, cout, normalize), what, HINT_DOWN_LAYERS,
               [(bias_before_norm, HINT_BIAS_BEFORE_BN),
                (lambda g, e: len(g) == len(e) and g[0][:-1] == e[0][:-1] and g[0][-1] and not e[0][-1],
                 HINT_DOWN_BIAS)])


#: Stored from a trusted run: UNetDown(2, 3) on DOWN_X with fill_by_order(seed 11), eval then train mode, and
#: UNetDown(3, 2, normalize=False) on a (1, 3, 2, 2) input (seed 12).
DOWN_STORED: dict = {
    "eval": [0.6585739, 0.4597256, -0.1105534, -0.01075103, -0.06176867, 0.2376877, 0.5369165, -0.1917924, -0.1837963,
        0.03052281, -0.04817882, -0.03924715, -0.05701941, -0.1349323, 0.9724415, -0.001171173, 0.301961,
        -0.05744391, -0.06708541, 0.3240351, -0.05050963, 0.6099861, -0.1561669, -0.1010602],
    "train": [1.497202, 0.9971259, -0.3098308, -0.05884155, -0.1459719, 0.5817294, 1.299832, -0.4580084, -0.4141819,
        0.7462431, -0.01180862, 0.07345691, -0.1752002, -0.3711405, 2.286536, -0.03474953, 0.7359753, -0.1355932,
        -0.1587313, 0.7889497, -0.01872406, 2.465494, -0.3322061, -0.1687062],
    "plain": [-0.1210089, 0.1197806],
}


@register(DOWN, points=1)
def down_block_layers_and_values(sub):
    """UNetDown(2, 3) on (2, 2, 4, 4) -> (2, 3, 2, 2): the text's layers (bias-free conv, BN, LeakyReLU 0.2), and with its parameters set by the test the outputs of a trusted run in eval and train mode; UNetDown(3, 2, normalize=False): no BN (and no bias), output (1, 2, 1, 1) as stored."""
    x = uniform(21, 2, 2, 4, 4)
    what = "UNetDown(2, 3)"
    net = build(sub, "UNetDown", HINT_DOWN_LAYERS, 2, 3)
    judge_down_layers(sub, net, x, 2, 3, True, what)
    out = outputs_by_mode(sub, net, [x], 11, what, HINT_DOWN_LAYERS)
    compare_stored(out["eval"], DOWN_STORED["eval"], (2, 3, 2, 2), f"{what}'s output in eval mode", HINT_DOWN_GENERIC)
    compare_stored(out["train"], DOWN_STORED["train"], (2, 3, 2, 2), f"{what}'s output in train mode",
                   HINT_DOWN_GENERIC)
    x1 = uniform(22, 1, 3, 2, 2)
    what = "UNetDown(3, 2, normalize=False)"
    net = build(sub, "UNetDown", HINT_DOWN_LAYERS, 3, 2, normalize=False)
    judge_down_layers(sub, net, x1, 3, 2, False, what)
    out = outputs_by_mode(sub, net, [x1], 12, what, HINT_DOWN_LAYERS, modes=("train",))
    compare_stored(out["train"], DOWN_STORED["plain"], (1, 2, 1, 1), f"{what}'s output", HINT_DOWN_GENERIC)


# -- 3. UNetUp ---------------------------------------------------------------------------------------------------

def up_plan(cin, cout, dropout):
    plan = [conv("ConvTranspose2d", cin, cout, 2), ("BatchNorm2d", cout)]
    return plan + ([("Dropout", round(float(dropout), 9))] if dropout > 0 else [])


def judge_up_layers(sub, net, args, cin, cout, dropout, what):
    layers = structure(sub, net, *args)
    expect_activations(layers, what)
    types = [layer["type"] for layer in layers]
    check("LeakyReLU" not in types, f"{what} uses a LeakyReLU.", HINT_UP_ACT)
    got = layer_plan(layers)
    judge_plan(got, without_functional_dropout(got, up_plan(cin, cout, dropout)), what, HINT_UP_LAYERS,
               [(bias_before_norm, HINT_BIAS_BEFORE_BN),
                (lambda g, e: [x for x in g if x[0] != "Dropout"] == [x for x in e if x[0] != "Dropout"],
                 HINT_DROPOUT_PLACE)])


def up_output(sub, net, x, skip, what, seed, modes=("eval", "train")):
    """The outputs of the submission's UNetUp with its parameters set by the test; the skip part must be ``skip``
    itself and come second (the known concat mistake is named)."""
    import torch

    out = outputs_by_mode(sub, net, [x, skip], seed, what, HINT_UP_LAYERS, modes)
    s = skip.shape[1]
    for mode, value in out.items():
        expect_shape(value, (x.shape[0], value.shape[1], 2 * x.shape[2], 2 * x.shape[3]), f"{what} ({mode})")
        if value.shape[1] > s and torch.equal(value[:, :s], skip.double()) and \
                not torch.equal(value[:, -s:], skip.double()):
            fail(f"{what}: the first {s} channels of the output are the skip.", HINT_UP_ORDER)
        check(torch.equal(value[:, -s:], skip.double()), f"{what}: the last {s} channels of the output are not the "
              "skip itself.", HINT_UP_ORDER)
    return {mode: value[:, :-s] for mode, value in out.items()}


#: Stored from a trusted run: the upsampled part of UNetUp(3, 2) on x (1, 3, 1, 1), skip (1, 3, 2, 2), parameters
#: fill_by_order(seed 32), eval then train mode.
UP_STORED: dict = {
    "eval": [0.1752413, 0.05642413, 0.1327015, 0.1462749, 0.001127544, 0.1015288, 0.1527282, 0.1612475],
    "train": [0.9391253, 0, 0.204928, 0.4391924, 0, 0, 0.7442004, 0.8815753],
}


@register(UP, points=1)
def up_block_layers_concat_and_dropout(sub):
    """UNetUp(3, 2) on x (1, 3, 1, 1) and skip (1, 3, 2, 2) -> (1, 5, 2, 2): the text's layers, [h, skip] in this order, h as stored from a trusted run (eval and train); UNetUp(3, 2, dropout=0.3): Dropout(0.3) after the ReLU, the same h in eval mode, outputs that vary in train mode; a skip of the wrong size raises ValueError."""
    import torch

    x, skip = uniform(31, 1, 3, 1, 1), uniform(32, 1, 3, 2, 2)
    what = "UNetUp(3, 2)"
    net = build(sub, "UNetUp", HINT_UP_LAYERS, 3, 2)
    judge_up_layers(sub, net, [x, skip], 3, 2, 0.0, what)
    h = up_output(sub, net, x, skip, what, 32)
    compare_stored(h["eval"], UP_STORED["eval"], (1, 2, 2, 2), f"{what}'s upsampled part in eval mode", HINT_UP_GENERIC)
    compare_stored(h["train"], UP_STORED["train"], (1, 2, 2, 2), f"{what}'s upsampled part in train mode",
                   HINT_UP_GENERIC)
    what = "UNetUp(3, 2, dropout=0.3)"
    net = build(sub, "UNetUp", HINT_UP_LAYERS, 3, 2, dropout=0.3)
    judge_up_layers(sub, net, [x, skip], 3, 2, 0.3, what)
    sub.trusted("torch.manual_seed", 3, keep=False)
    h = up_output(sub, net, x, skip, what, 32)
    compare_stored(h["eval"], UP_STORED["eval"], (1, 2, 2, 2), f"{what}'s upsampled part in eval mode", HINT_UP_GENERIC)
    expect_dropped_or_scaled(h["train"], torch.tensor(UP_STORED["train"], dtype=torch.float64).view(1, 2, 2, 2), 0.3,
                             f"{what}'s upsampled part in train mode")
    x4, skip4 = uniform(33, 2, 3, 4, 4), uniform(34, 2, 3, 8, 8)
    outs = sub.trusted("ganlab.grading.standins_lab5.train_mode_outputs", net, [x4, skip4], [1, 2, 3], keep=False)
    check(any(not torch.equal(outs[0], o) for o in outs[1:]), f"{what}: three train-mode passes gave the same output.",
          HINT_DROPOUT_TRAIN)
    expect_method_raises(sub, net, "ValueError", HINT_UP_ERRORS, f"{what} with skip (2, 3, 4, 4) for x (2, 3, 4, 4)",
                         x4, uniform(35, 2, 3, 4, 4))


def expect_dropped_or_scaled(got, undropped, p, what):
    """Dropout(p) after the ReLU: each value of ``got`` is 0 (dropped) or the value without dropout divided by
    1 - p (``undropped``: the same block's train-mode output with dropout off)."""
    import torch

    kept = got != 0
    check(torch.allclose(got[kept], undropped[kept] / (1 - p), rtol=1e-4, atol=1e-5),
          f"{what}: the kept values are not the dropout-free ones divided by 1 - p = {1 - p:g}.", HINT_DROPOUT_PLACE)


# -- 4. UNetGenerator --------------------------------------------------------------------------------------------

#: UNetGenerator(in_channels=2, out_channels=1, num_downs=2, ngf=3, num_dropout=1, dropout=0.25), written out from
#: the text: levels of 3 and 6 channels, the first and the innermost (bottleneck) down blocks without a norm (and,
#: like every down block, without a bias).
UNET_SMALL_PLAN = [conv("Conv2d", 2, 3, 2), conv("Conv2d", 3, 6, 2),
                   conv("ConvTranspose2d", 6, 3, 2), ("BatchNorm2d", 3), ("Dropout", 0.25),
                   conv("ConvTranspose2d", 6, 1, 2, bias=True), ("Tanh",)]
#: UNetGenerator(3, 3, num_downs=4, ngf=2, num_dropout=2) (dropout 0.5 by default): levels 2, 4, 8, 16; dropout in the
#: two up blocks nearest the bottleneck only.
UNET_PLAN = [conv("Conv2d", 3, 2, 2), conv("Conv2d", 2, 4, 2), ("BatchNorm2d", 4),
             conv("Conv2d", 4, 8, 2), ("BatchNorm2d", 8), conv("Conv2d", 8, 16, 2),
             conv("ConvTranspose2d", 16, 8, 2), ("BatchNorm2d", 8), ("Dropout", 0.5),
             conv("ConvTranspose2d", 16, 4, 2), ("BatchNorm2d", 4), ("Dropout", 0.5),
             conv("ConvTranspose2d", 8, 2, 2), ("BatchNorm2d", 2),
             conv("ConvTranspose2d", 4, 3, 2, bias=True), ("Tanh",)]
UNET_256_PARAMS = 54_413_955
PATCH_256_PARAMS = 2_768_705


def innermost_normalised(got, expected):
    """A batch norm right after the bottleneck's convolution (the last Conv2d)."""
    convs = [i for i, g in enumerate(got) if g[0] == "Conv2d"]
    return bool(convs) and convs[-1] + 1 < len(got) and got[convs[-1] + 1][0] == "BatchNorm2d"


def dropout_misplaced(got, expected):
    strip = [g for g in got if g[0] != "Dropout"]
    return strip == [e for e in expected if e[0] != "Dropout"] or (
        [g for g in got if g[0] == "Dropout"] and any(g[0] == "Dropout" for g in got[:len(got) // 2]))


def unet_specific():
    return [(innermost_normalised, HINT_UNET_INNERMOST), (dropout_misplaced, HINT_DROPOUT_PLACE),
            (bias_before_norm, HINT_BIAS_BEFORE_BN), (has_type("Sigmoid"), HINT_UNET_TANH)]


def judge_unet_layers(sub, net, x, expected, what, blocks_ok=True):
    """The U-Net's layers must be the written-out ``expected`` plan; when the submission's own blocks are wrong
    (``blocks_ok`` False), each block's part of the plan is what the submission's own block gives for the same
    settings, so a mistake inside UNetDown or UNetUp costs only that exercise's points."""
    layers = unet_guard(lambda: structure(sub, net, x), what)
    expect_activations(layers, what)
    if not blocks_ok:
        expected = own_block_plan(sub, expected)
    got = layer_plan(layers)
    judge_plan(got, without_functional_dropout(got, expected), what, HINT_UNET_CHANNELS, unet_specific())
    noisy = sub.trusted("ganlab.grading.standins_lab5.noisy_blocks", net, [x], "UNetUp", keep=False)
    ups = []  # per up block (innermost first): whether the text gives it dropout
    for entry in expected:
        if entry[0] == "ConvTranspose2d" and not entry[-1]:
            ups.append(False)
        elif entry[0] == "Dropout" and ups:
            ups[-1] = True
    if noisy and len(noisy) == len(ups):
        check(noisy == ups, f"{what}: the up blocks that draw dropout noise are {noisy} (innermost first), expected "
              f"{ups}.", HINT_DROPOUT_PLACE)
    elif not noisy and any(ups) and not any(g[0] == "Dropout" for g in got):
        fail(f"{what}: no UNetUp block draws dropout noise.", HINT_DROPOUT_PLACE)


def unet_guard(run, what):
    """Run ``run()``; a ValueError or RuntimeError of the submission's forward on an input it must accept is
    most likely a skip taken from a level of another size."""
    try:
        return run()
    except SubmissionError as exc:
        if "more than 1 value per channel" in str(exc):
            fail(f"{what} raised {exc.kind} in training mode on a batch of one: {exc}", HINT_UNET_INNERMOST)
        if exc.kind in ("ValueError", "RuntimeError", "IndexError"):
            fail(f"{what} raised {exc.kind} on an input it must accept: {exc}", HINT_UNET_SKIP)
        raise


def own_block_plan(sub, written):
    """``written`` (a U-Net plan) with each block's layers replaced by those of the submission's own block built with
    that block's settings (read from the written plan: a Conv2d starts a UNetDown, normalised when a batch norm
    follows; a bias-free ConvTranspose2d starts a UNetUp, with the dropout that follows it)."""
    import torch

    out, i = [], 0
    while i < len(written):
        entry = written[i]
        if entry[0] == "Conv2d":
            normalize = i + 1 < len(written) and written[i + 1][0] == "BatchNorm2d"
            net = build(sub, "UNetDown", HINT_DOWN_LAYERS, entry[1], entry[2], normalize=normalize)
            out += layer_plan(structure(sub, net, torch.zeros(1, entry[1], 4, 4)))
            i += 2 if normalize else 1
        elif entry[0] == "ConvTranspose2d" and not entry[-1]:
            p = written[i + 2][1] if i + 2 < len(written) and written[i + 2][0] == "Dropout" else 0.0
            net = build(sub, "UNetUp", HINT_UP_LAYERS, entry[1], entry[2], dropout=p)
            out += layer_plan(structure(sub, net, torch.zeros(1, entry[1], 2, 2), torch.zeros(1, 1, 4, 4)))
            i += 3 if p > 0 else 2
        else:
            out.append(entry)
            i += 1
    return out


def own_blocks_right(sub):
    """Whether the submission's UNetDown and UNetUp pass the value probes of their own public checks (eval mode)."""
    from ganlab.grading.testing import CheckFailure

    try:
        net = build(sub, "UNetDown", HINT_DOWN_LAYERS, 2, 3)
        out = outputs_by_mode(sub, net, [uniform(21, 2, 2, 4, 4)], 11, "UNetDown", HINT_DOWN_LAYERS, ("eval",))
        compare_stored(out["eval"], DOWN_STORED["eval"], (2, 3, 2, 2), "UNetDown", HINT_DOWN_GENERIC)
        x, skip = uniform(31, 1, 3, 1, 1), uniform(32, 1, 3, 2, 2)
        net = build(sub, "UNetUp", HINT_UP_LAYERS, 3, 2)
        h = up_output(sub, net, x, skip, "UNetUp", 32, modes=("eval",))
        compare_stored(h["eval"], UP_STORED["eval"], (1, 2, 2, 2), "UNetUp", HINT_UP_GENERIC)
        net = build(sub, "UNetDown", HINT_DOWN_LAYERS, 3, 2, normalize=False)
        judge_down_layers(sub, net, uniform(22, 1, 3, 2, 2), 3, 2, False, "UNetDown")
    except CheckFailure:
        return False
    return True


def parameter_count(sub, name, kwargs):
    try:
        return sub.trusted("ganlab.grading.standins_lab5.count_parameters_meta", sub_global(name), kwargs, keep=False)
    except SubmissionError as exc:
        if exc.kind == "NotImplementedError":
            raise
        fail(f"{name}(**{kwargs}) could not be built: {exc}", HINT_UNET_LAYERS)


#: Stored from a trusted run: the small U-Net above on UNET_X (1, 2, 4, 4) with fill_by_order(seed 14), eval mode;
#: and what the same parameters give with the skip taken from the wrong level, or concatenated first.
UNET_STORED: dict = {
    "eval": [-0.3564413, -0.1645517, -0.297333, -0.2348339, -0.3432178, -0.2449439, -0.4447669, -0.05131853, -0.114213,
        0.05961603, -0.5279348, -0.1539242, -0.342975, -0.1616014, -0.3258653, -0.3240922],
}


@register(UNET, points=1.5)
def unet_layers_values_and_count(sub):
    """UNetGenerator(2, 1, num_downs=2, ngf=3, num_dropout=1, dropout=0.25): the layers written out from the text, output (1, 1, 4, 4) in eval mode as stored from a trusted run (parameters set by the test; a mistake inside your UNetDown or UNetUp is not counted here); UNetGenerator(3, 3, num_downs=4, ngf=2, num_dropout=2): its layers (Dropout(0.5) in the two up blocks nearest the bottleneck only), outputs in (-1, 1) that vary in train mode; the 256 reference has 54,413,955 parameters; 12 x 12 input with num_downs=2 is fine, 10 x 10 raises ValueError."""
    import torch

    x = uniform(41, 1, 2, 4, 4)
    what = "UNetGenerator(2, 1, num_downs=2, ngf=3, num_dropout=1, dropout=0.25)"
    net = build(sub, "UNetGenerator", HINT_UNET_LAYERS, 2, 1, num_downs=2, ngf=3, num_dropout=1, dropout=0.25)
    blocks_ok = own_blocks_right(sub)
    judge_unet_layers(sub, net, x, UNET_SMALL_PLAN, what, blocks_ok)
    out = unet_guard(lambda: outputs_by_mode(sub, net, [x], 14, what, HINT_UNET_LAYERS, modes=("eval",)), what)
    if blocks_ok:  # the stored values assume the text's blocks; the layers above were judged with your own blocks
        compare_stored(out["eval"], UNET_STORED["eval"], (1, 1, 4, 4), f"{what}'s output in eval mode",
                       HINT_UNET_GENERIC)
    x16 = uniform(42, 2, 3, 16, 16)
    what = "UNetGenerator(3, 3, num_downs=4, ngf=2, num_dropout=2)"
    net = build(sub, "UNetGenerator", HINT_UNET_LAYERS, 3, 3, num_downs=4, ngf=2, num_dropout=2)
    judge_unet_layers(sub, net, x16, UNET_PLAN, what, blocks_ok)
    outs = sub.trusted("ganlab.grading.standins_lab5.train_mode_outputs", net, [x16], [4, 5], keep=False)
    check(not torch.equal(outs[0], outs[1]), f"{what}: two train-mode passes gave the same output.",
          HINT_DROPOUT_TRAIN)
    y = as_float_tensor(outs[0], what)
    check(float(y.abs().max()) < 1 and float(y.min()) < 0 < float(y.max()), f"{what}: outputs in "
          f"[{float(y.min()):.3g}, {float(y.max()):.3g}].", HINT_UNET_TANH)
    count = parameter_count(sub, "UNetGenerator", {}) if blocks_ok else UNET_256_PARAMS
    check(count == UNET_256_PARAMS, f"UNetGenerator() has {count:,} parameters, expected {UNET_256_PARAMS:,}.",
          HINT_UNET_COUNT)
    net = build(sub, "UNetGenerator", HINT_UNET_LAYERS, 1, 2, num_downs=2, ngf=2)
    sub.method(net, "eval", keep=False)
    expect_shape(forward(sub, net, [uniform(43, 1, 1, 12, 12)], "UNetGenerator(1, 2, num_downs=2)", HINT_SHAPE),
                 (1, 2, 12, 12), "UNetGenerator(1, 2, num_downs=2, ngf=2) on (1, 1, 12, 12)")
    expect_method_raises(sub, net, "ValueError", HINT_UNET_ERRORS, "UNetGenerator(num_downs=2) on a 10 x 10 input",
                         uniform(44, 1, 1, 10, 10))


# -- 5. PatchDiscriminator ---------------------------------------------------------------------------------------

#: PatchDiscriminator(in_channels=2, ndf=2, n_layers=2), written out from the text.
PATCH_PLAN = [conv("Conv2d", 2, 2, 2, bias=True), conv("Conv2d", 2, 4, 2), ("BatchNorm2d", 4),
              conv("Conv2d", 4, 8, 1), ("BatchNorm2d", 8), conv("Conv2d", 8, 1, 1, bias=True)]
#: PatchDiscriminator(3, ndf=3, n_layers=1).
PATCH_PLAN_1 = [conv("Conv2d", 3, 3, 2, bias=True), conv("Conv2d", 3, 6, 1), ("BatchNorm2d", 6),
                conv("Conv2d", 6, 1, 1, bias=True)]


def strides_differ(got, expected):
    return len(got) == len(expected) and any(g[0] == e[0] == "Conv2d" and g[4] != e[4] for g, e in zip(got, expected))


def judge_patch_layers(sub, net, x, expected, what):
    layers = structure(sub, net, x)
    expect_activations(layers, what)
    types = [layer["type"] for layer in layers]
    check("Sigmoid" not in types, f"{what} has a Sigmoid.", HINT_PATCH_SIGMOID)
    judge_plan(layer_plan(layers), expected, what, HINT_PATCH_LAYERS,
               [(bias_before_norm, HINT_BIAS_BEFORE_BN), (strides_differ, HINT_PATCH_STRIDES)])


#: Stored from a trusted run: PatchDiscriminator(2, 2, 2) on (2, 2, 16, 16), fill_by_order(seed 15), eval then train.
PATCH_STORED: dict = {
    "eval": [0.3399215, -0.05438235, 0.3527461, 0.01023243, 0.5362391, 0.03170456, 0.5592419, 0.03621375],
    "train": [0.3852074, 0.2025204, 0.2225419, -0.06670964, 1.114838, 0.2313814, 0.387016, -0.01914072],
}


@register(PATCH, points=1)
def patch_layers_values_and_count(sub):
    """PatchDiscriminator(in_channels=2, ndf=2, n_layers=2) on (2, 2, 16, 16): the text's layers, logits (2, 1, 2, 2) as stored from a trusted run (eval and train, parameters set by the test, negative values too: no sigmoid); n_layers=1 on 8 x 8 gives (1, 1, 2, 2); the 256 reference has 2,768,705 parameters; n_layers=0 raises ValueError."""
    x = uniform(51, 2, 2, 16, 16)
    what = "PatchDiscriminator(in_channels=2, ndf=2, n_layers=2)"
    net = build(sub, "PatchDiscriminator", HINT_PATCH_LAYERS, in_channels=2, ndf=2, n_layers=2)
    judge_patch_layers(sub, net, x, PATCH_PLAN, what)
    out = outputs_by_mode(sub, net, [x], 15, what, HINT_PATCH_LAYERS)
    for mode in ("eval", "train"):
        compare_stored(out[mode], PATCH_STORED[mode], (2, 1, 2, 2), f"{what}'s logits in {mode} mode",
                       HINT_PATCH_GENERIC)
    x8 = uniform(52, 1, 3, 8, 8)
    what = "PatchDiscriminator(3, ndf=3, n_layers=1)"
    net = build(sub, "PatchDiscriminator", HINT_PATCH_LAYERS, 3, ndf=3, n_layers=1)
    judge_patch_layers(sub, net, x8, PATCH_PLAN_1, what)
    sub.method(net, "eval", keep=False)
    expect_shape(forward(sub, net, [x8], what, HINT_SHAPE), (1, 1, 2, 2), f"{what} on (1, 3, 8, 8)", HINT_PATCH_STRIDES)
    count = parameter_count(sub, "PatchDiscriminator", {})
    check(count == PATCH_256_PARAMS, f"PatchDiscriminator() has {count:,} parameters, expected {PATCH_256_PARAMS:,}.",
          HINT_PATCH_COUNT)
    expect_new_raises(sub, "ValueError", HINT_PATCH_ERRORS, "PatchDiscriminator(6, 4, 0)", "PatchDiscriminator",
                      6, 4, 0)


# -- 6. conditional_d_input ------------------------------------------------------------------------------------

def judge_cond(sub, x, y, what):
    import torch

    x_ref, y_ref = sub.trusted("torch.clone", x), sub.trusted("torch.clone", y)
    out = as_float_tensor(tensor_or_fail(sub.call("conditional_d_input", x_ref, y_ref), what, HINT_COND_GENERIC), what)
    cx, cy = x.shape[1], y.shape[1]
    expect_shape(out, (x.shape[0], cx + cy, x.shape[2], x.shape[3]), what, HINT_COND_GENERIC)
    if torch.equal(out[:, :cy], y.double()) and torch.equal(out[:, cy:], x.double()) and not (
            torch.equal(out[:, :cx], x.double())):
        fail(f"{what} puts y before x.", HINT_COND_ORDER)
    check(torch.equal(out[:, :cx], x.double()) and torch.equal(out[:, cx:], y.double()),
          f"{what}: the channels are not x's followed by y's.", HINT_COND_GENERIC)
    check(torch.equal(sub.state(x_ref)["value"], x) and torch.equal(sub.state(y_ref)["value"], y),
          f"{what} changed its inputs.", HINT_MUTATES)
    results = sub.trusted("ganlab.grading.standins_lab5.grads_of_outputs", sub_global("conditional_d_input"), [x, y],
                          [0, 1], [0], [1.0], keep=False)
    grads = results[0][1]
    check(all(g is not None for g in grads), f"{what}: no gradient reached x or y.", HINT_COND_GRAD)


@register(COND, points=0.5)
def cond_input_order_and_grads(sub):
    """x (2, 1, 3, 2) and y (2, 3, 3, 2) -> (2, 4, 3, 2), x's channel first; gradients reach both; inputs unchanged; a batch of 3 against 2 raises ValueError."""
    judge_cond(sub, uniform(61, 2, 1, 3, 2), uniform(62, 2, 3, 3, 2),
               "conditional_d_input(x (2, 1, 3, 2), y (2, 3, 3, 2))")
    expect_raises(sub, "ValueError", HINT_COND_ERRORS, "conditional_d_input(x (3, 1, 2, 2), y (2, 1, 2, 2))",
                  "conditional_d_input", uniform(63, 3, 1, 2, 2), uniform(64, 2, 1, 2, 2))


# -- 7-8. the losses -------------------------------------------------------------------------------------------

def loss_outputs(sub, name, args, differentiable, picks, weights, what, triple_hint):
    """The submission's ``name(*args)``: values of the outputs at ``picks`` and their gradients."""
    out = sub.call(name, *args)
    if len(picks) > 1 and (not isinstance(out, (tuple, list)) or len(out) != len(picks)):
        fail(f"{what} returned {type(out).__name__}, expected a triple.", triple_hint)
    results = sub.trusted("ganlab.grading.standins_lab5.grads_of_outputs", sub_global(name), list(args),
                          list(differentiable), list(picks), list(weights), keep=False)
    values = []
    for k, (value, grads) in zip(picks, results):
        t = tensor_or_fail(value, what, triple_hint)
        if t.numel() != 1 or t.dim() != 0:
            fail(f"{what}: output {k} has shape {tuple(t.shape)}, expected a 0-dim tensor.", triple_hint)
        values.append((as_float_tensor(t, what), grads))
    return values


def judge_value(value, expected, what, hint, wrongs=(), tol=1e-5):
    import torch

    if not bool(torch.isfinite(value).all()):
        fail(f"{what} is not finite.", HINT_LOSS_FINITE)
    close(value, torch.as_tensor(expected, dtype=torch.float64), what, hint, rtol=tol, atol=tol,
          diagnoses=[(torch.as_tensor(w, dtype=torch.float64), h) for w, h in wrongs])


def judge_grads(grads, expected, names, what, tol=1e-5):
    import torch

    for g, want, name in zip(grads, expected, names):
        check(g is not None, f"{what}: no gradient reached {name}.", HINT_LOSS_GRADS)
        close(g, torch.as_tensor(want, dtype=torch.float64), f"{what}: the gradient with respect to {name}",
              HINT_LOSS_GRADS, rtol=tol, atol=tol)


#: Logits chosen so that every probability is a fraction: sigmoid(log 3) = 3/4, sigmoid(-log 2) = 1/3,
#: sigmoid(log 4) = 4/5, sigmoid(0) = 1/2. BCE against 1 is -log p: log(4/3), log 3, log(5/4), log 2, whose mean
#: is log(4/3 * 3 * 5/4 * 2) / 4 = log(10) / 4. Against 0 it is -log(1 - p): log 4, log(3/2), log 5, log 2, mean
#: log(60) / 4. The gradient of the mean BCE against 1 is (p - 1) / 4: -1/16, -1/6, -1/20, -1/8.
G_LOGITS = [[[[math.log(3), -math.log(2)]]], [[[math.log(4), 0.0]]]]           # (2, 1, 1, 2)
#: y_fake - y_real = [0.25, -0.5, 0.125, -0.75, 0.875, 0.5]: mean |d| = 3 / 6 = 0.5, mean d^2 = 1.90625 / 6.
G_FAKE = [[[[0.5, -0.25, 0.375]], [[-0.5, 0.875, 0.25]]]]                      # (1, 2, 1, 3)
G_REAL = [[[[0.25, 0.25, 0.25]], [[0.25, 0.0, -0.25]]]]
G_LAMBDA = 7.0
G_GAN, G_GAN_FAKE_TARGET = math.log(10) / 4, math.log(60) / 4
#: the gradient of loss with respect to y_fake: lambda * sign(d) / 6.
G_SIGNS = [[[[1, -1, 1]], [[-1, 1, 1]]]]


def generator_loss_case(sub, lambda_l1, pass_lambda=True):
    import torch

    logits, fake, real = torch.tensor(G_LOGITS), torch.tensor(G_FAKE), torch.tensor(G_REAL)
    args = [logits, fake, real] + ([lambda_l1] if pass_lambda else [])
    what = f"generator_loss(logits (2, 1, 1, 2), y_fake, y_real{f', {lambda_l1:g}' if pass_lambda else ''})"
    refs = [sub.trusted("torch.clone", a) for a in (logits, fake, real)]
    sub.call("generator_loss", *refs, *args[3:])
    check(all(torch.equal(sub.state(r)["value"], a) for r, a in zip(refs, (logits, fake, real))),
          f"{what} changed its inputs.", HINT_MUTATES)
    (loss, g_loss), (gan, g_gan), (l1, g_l1) = loss_outputs(sub, "generator_loss", args, [0, 1], [0, 1, 2],
                                                            [1.0, 1.0, 1.0], what, HINT_LOSS_TRIPLE)
    judge_value(gan, G_GAN, f"{what}: loss_gan", HINT_G_GENERIC,
                [(G_GAN_FAKE_TARGET, HINT_G_FAKE_TARGET), (-G_GAN_FAKE_TARGET, HINT_G_SATURATING)])
    judge_value(l1, 0.5, f"{what}: loss_l1", HINT_G_GENERIC, [(3.0, HINT_G_L1_SUM), (1.90625 / 6, HINT_G_L2)])
    judge_value(loss, G_GAN + lambda_l1 * 0.5, f"{what}: loss", HINT_G_GENERIC,
                [(lambda_l1 * G_GAN + 0.5, HINT_G_LAMBDA_ON_GAN)])
    p = [[3 / 4, 1 / 3], [4 / 5, 1 / 2]]
    grad_logits = [[[[(p[b][j] - 1) / 4 for j in range(2)]]] for b in range(2)]
    grad_fake = [[[[lambda_l1 * s / 6 for s in row[0]]] for row in sample] for sample in G_SIGNS]
    judge_grads(g_loss, [grad_logits, grad_fake], ["d_fake_logits", "y_fake"], f"{what}: loss")


@register(G_LOSS, points=1)
def generator_loss_hand_worked(sub):
    """Logits with simple sigmoids and |y_fake - y_real| of mean 0.5: loss_gan = log(10) / 4, loss_l1 = 0.5, loss = loss_gan + 7 * 0.5 with lambda_l1 = 7 and + 100 * 0.5 by default; gradients (p - 1) / 4 and 7 * sign / 6; inputs unchanged."""
    generator_loss_case(sub, G_LAMBDA)
    generator_loss_case(sub, 100.0, pass_lambda=False)


#: Real logits (2, 1, 1, 2) [log 3, log 4, 0, -log 2]: BCE against 1 is log(4/3), log(5/4), log 2, log 3, mean
#: log(10) / 4. Fake logits (1, 1, 2, 1) [log 3, -log 2]: BCE against 0 is log 4, log(3/2), mean log(6) / 2.
#: loss = 0.5 * (log(10) / 4 + log(6) / 2). Gradients: real (p - 1) / 8 with p = 3/4, 4/5, 1/2, 1/3; fake p / 4
#: with p = 3/4, 1/3.
D_REAL = [[[[math.log(3), math.log(4)]]], [[[0.0, -math.log(2)]]]]
D_FAKE = [[[[math.log(3)], [-math.log(2)]]]]
D_LOSS_VALUE = 0.5 * (math.log(10) / 4 + math.log(6) / 2)
#: Known mistakes: not halved; targets swapped (real against 0: log 4, log 5, log 2, log(3/2) -> log(60) / 4;
#: fake against 1: log(4/3), log 3 -> log(4) / 2); one mean over all six logits (log(10) + log(6)) / 6.
D_WRONGS = [(2 * D_LOSS_VALUE, HINT_D_NOT_HALVED), (0.5 * (math.log(60) / 4 + math.log(4) / 2), HINT_D_SWAPPED),
            (math.log(60) / 4 + math.log(4) / 2, HINT_D_SWAPPED),
            ((math.log(10) + math.log(6)) / 6, HINT_D_POOLED), (0.5 * (math.log(10) + math.log(6)) / 6, HINT_D_POOLED)]


@register(D_LOSS, points=1)
def discriminator_loss_hand_worked(sub):
    """Real logits (2, 1, 1, 2) and fake logits (1, 1, 2, 1) with simple sigmoids: 0.5 * (log(10) / 4 + log(6) / 2), gradients (p - 1) / 8 and p / 4; inputs unchanged."""
    import torch

    real, fake = torch.tensor(D_REAL), torch.tensor(D_FAKE)
    what = "discriminator_loss(real (2, 1, 1, 2), fake (1, 1, 2, 1))"
    refs = [sub.trusted("torch.clone", a) for a in (real, fake)]
    sub.call("discriminator_loss", *refs)
    check(all(torch.equal(sub.state(r)["value"], a) for r, a in zip(refs, (real, fake))), f"{what} changed its inputs.",
          HINT_MUTATES)
    [(loss, grads)] = loss_outputs(sub, "discriminator_loss", [real, fake], [0, 1], [0], [1.0], what, HINT_D_GENERIC)
    judge_value(loss, D_LOSS_VALUE, what, HINT_D_GENERIC, D_WRONGS)
    pr = [[3 / 4, 4 / 5], [1 / 2, 1 / 3]]
    judge_grads(grads, [[[[[(p - 1) / 8 for p in row]]] for row in pr], [[[[3 / 4 / 4], [1 / 3 / 4]]]]],
                ["d_real_logits", "d_fake_logits"], what)


# -- 9. pix2pix_step --------------------------------------------------------------------------------------------

STEP_C = 3  # channels of x and of y: the L1 term against x instead of y must run, and give a wrong number


def step_setup(sub, seed, kind="sgd", lr=0.1):
    """Recording stand-ins G (x -> y-shaped images) and D (patch logits of a pair) with trusted optimizers."""
    gen = sub.trusted("ganlab.grading.standins_lab5.step_generator", STEP_C, STEP_C, seed)
    disc = sub.trusted("ganlab.grading.standins_lab5.step_discriminator", 2 * STEP_C, seed + 1)
    return gen, disc, make_optimizer(sub, gen, kind, lr), make_optimizer(sub, disc, kind, lr)


def step_inputs(seed, batch, size=4):
    return uniform(900 + seed, batch, STEP_C, size, size), uniform(950 + seed, batch, STEP_C, size, size)


def call_step(sub, gen, disc, opt_g, opt_d, x, y, lambda_l1=None):
    args = [gen, disc, opt_g, opt_d, x, y] + ([lambda_l1] if lambda_l1 is not None else [])
    try:
        out = sub.call("pix2pix_step", *args)
    except SubmissionError as exc:
        records = sub.getattr(disc, "records")
        if exc.kind == "ValueError" and records and records[-1]["input"].shape[1] == x.shape[1]:
            fail(f"pix2pix_step gave D an input of shape {tuple(records[-1]['input'].shape)}.", HINT_STEP_UNCONDITIONAL)
        raise
    keys = {"loss_d", "loss_g", "loss_gan", "loss_l1"}
    if not isinstance(out, dict) or set(out) != keys:
        fail(f"pix2pix_step returned {out if not isinstance(out, dict) else sorted(out)!r}.", HINT_STEP_DICT)
    if not all(isinstance(v, float) for v in out.values()):
        fail(f"pix2pix_step returned values of types {[type(v).__name__ for v in out.values()]}.", HINT_STEP_DICT)
    check(all(math.isfinite(v) for v in out.values()), f"pix2pix_step returned non-finite losses {out}.",
          HINT_STEP_DICT)
    return out


def pair_layout(sub, x, y):
    """Where the submission's own conditional_d_input puts the condition and the image: (own pair of (x, y), the
    condition's channels, the image's channels); the step is judged with this layout, so a wrong helper costs only
    its own exercise's points. The channels are None when the helper is neither [x, y] nor [y, x]."""
    import torch

    c = x.shape[1]
    try:
        own = as_float_tensor(sub.call("conditional_d_input", x, y), "conditional_d_input")
    except CheckFailure:
        return None, slice(0, c), slice(c, 2 * c)
    if own.shape[1] == 2 * c and torch.equal(own[:, :c], y.double()) and torch.equal(own[:, c:], x.double()) and \
            not torch.equal(x, y):
        return own, slice(c, 2 * c), slice(0, c)
    if own.shape[1] == 2 * c and torch.equal(own[:, :c], x.double()) and torch.equal(own[:, c:], y.double()):
        return own, slice(0, c), slice(c, 2 * c)
    return own, None, None


def classify_calls(sub, records, x, y, what):
    """Sort D's recorded calls into the real pair, the D step's fake pair and the G step's fake pair; returns
    (real, d_fake, g_fake, y_fake) records, naming the mistake when the pairs differ from the text."""
    import torch

    c = x.shape[1]
    own, cond, img = pair_layout(sub, x, y)
    known = cond is not None
    cond, img = (cond, img) if known else (slice(0, c), slice(c, 2 * c))
    real, fakes = [], []
    for r in records:
        inp = r["input"]
        if inp.shape[1] != 2 * c or inp.shape[0] != x.shape[0]:
            want = (x.shape[0], 2 * c) + tuple(x.shape[2:])
            fail(f"{what}: D got an input of shape {tuple(inp.shape)}, expected {want}.", HINT_STEP_PAIRS)
        if (own is not None and torch.equal(inp.double(), own)) or (
                own is None and torch.equal(inp[:, img], y) and torch.equal(inp[:, cond], x)):
            real.append(r)
        elif not known or torch.equal(inp[:, cond], x):
            fakes.append(r)
        elif torch.equal(inp[:, img], x) or torch.equal(inp[:, cond], y):
            fail(f"{what}: D saw a pair whose condition part is not x.", HINT_STEP_SWAPPED)
        else:
            fail(f"{what}: D saw a pair that is neither (x, y) nor (x, G(x)).", HINT_STEP_SWAPPED)
    check(len(real) == 1, f"{what}: D saw the real pair (x, y) {len(real)} times, expected once.", HINT_STEP_PAIRS)
    check(len(fakes) == 2, f"{what}: D saw {len(fakes)} fake pairs, expected two (one per step).", HINT_STEP_PAIRS)
    d_fake, g_fake = fakes
    check(not d_fake["requires_grad"], f"{what}: the D step's fake pair carries a graph to G.", HINT_STEP_DETACH)
    check(g_fake["requires_grad"], f"{what}: the G step's fake pair carries no graph to G.", HINT_STEP_NO_G_GRAD)
    check(d_fake["fingerprint"] == real[0]["fingerprint"], f"{what}: D changed between its real and fake pair.",
          HINT_STEP_ORDER)
    check(g_fake["fingerprint"] != real[0]["fingerprint"], f"{what}: the G step ran through D before D's update.",
          HINT_STEP_ORDER)
    y_fake = g_fake["input"][:, img]
    check(torch.allclose(d_fake["input"][:, img], y_fake), f"{what}: the two steps used different fakes.",
          HINT_STEP_ORDER)
    return real[0], d_fake, g_fake, y_fake


def judge_step_consistency(sub, out, records, x, y, lambda_l1, what):
    """The returned losses are what the submission's own helpers give on what D and G computed in the step."""
    real, d_fake, g_fake, y_fake = classify_calls(sub, records, x, y, what)
    loss_d = as_float_tensor(sub.call("discriminator_loss", real["logits"], d_fake["logits"]), "discriminator_loss")
    close(out["loss_d"], float(loss_d), f"{what}: loss_d", HINT_STEP_D_LOSS, rtol=1e-5, atol=1e-6)
    args = [g_fake["logits"], y_fake, y] + ([lambda_l1] if lambda_l1 is not None else [])
    own = [float(as_float_tensor(v, "generator_loss")) for v in sub.call("generator_loss", *args)]
    got = [out["loss_g"], out["loss_gan"], out["loss_l1"]]
    wrong = [float(as_float_tensor(v, "generator_loss")) for v in sub.call("generator_loss", g_fake["logits"], y_fake,
                                                                            x, *args[3:])]
    close(got, own, f"{what}: (loss_g, loss_gan, loss_l1)", HINT_STEP_G_LOSS, rtol=1e-5, atol=1e-6,
          diagnoses=[(wrong, HINT_STEP_L1_INPUT)])
    return y_fake


def judge_modes(sub, gen, disc, what):
    calls = sub.getattr(gen, "calls")
    check(all(calls), f"{what}: G ran in evaluation mode.", HINT_STEP_MODE)
    check(all(r["training"] for r in sub.getattr(disc, "records")), f"{what}: D ran in evaluation mode.",
          HINT_STEP_MODE)
    check(sub.state(gen)["training"] and sub.state(disc)["training"], f"{what} left a network in evaluation mode.",
          HINT_STEP_MODE)


def step_case(sub, seed, kind, lr, batch, lambda_l1=None, stale=False):
    """Run pix2pix_step once on fresh stand-ins and judge what it did; returns (out, G, D, inputs, before)."""
    gen, disc, opt_g, opt_d = step_setup(sub, seed, kind, lr)
    if stale:
        sub.trusted("ganlab.grading.standins.fill_grads", gen, 0.5, keep=False)
        sub.trusted("ganlab.grading.standins.fill_grads", disc, -0.3, keep=False)
    x, y = step_inputs(seed, batch)
    before = {"G": params_of(sub, gen), "D": params_of(sub, disc)}
    what = f"pix2pix_step (batch {batch}, {kind})"
    out = call_step(sub, gen, disc, opt_g, opt_d, x, y, lambda_l1)
    count = sub.getattr(gen, "backward_count")
    check(count <= 1, f"{what}: {count} backward passes reached G's output.", HINT_STEP_DETACH)
    check(count == 1, f"{what}: no gradient reached G's output.", HINT_STEP_NO_G_GRAD)
    judge_step_consistency(sub, out, sub.getattr(disc, "records"), x, y, lambda_l1, what)
    judge_modes(sub, gen, disc, what)
    return out, gen, disc, (x, y), before


@register(STEP, points=1)
def step_pairs_detach_order_and_losses(sub):
    """Recording stand-ins, Adam, batch 2, lambda_l1 = 5: D sees (x, y) and (x, G(x).detach()) before its update and (x, G(x)) after it; one gradient reaches G; the four floats are what your own discriminator_loss and generator_loss give on those logits; both networks change; both stay in train mode."""
    out, gen, disc, _, before = step_case(sub, 0, "adam", 0.01, 2, lambda_l1=5.0)
    for name, ref in (("G", gen), ("D", disc)):
        after = params_of(sub, ref)
        check(any(not (after[n] == before[name][n]).all() for n in after), f"{name}'s parameters did not change.",
              HINT_STEP_NOT_MOVED)


# -- 10-11. going further: the context encoder ---------------------------------------------------------------------

#: center_mask(2, 8, 3): the hole's top-left corner is at (8 - 3) // 2 = 2, so rows and columns 2, 3, 4 are 1.
#: Known mistakes: 8 // 2 - 3 // 2 = 3 (rows 3, 4, 5); the complement.
def mask_rows(start, size=8, hole=3):
    return [[1.0 if start <= i < start + hole and start <= j < start + hole else 0.0 for j in range(size)]
            for i in range(size)]


@register(MASK, points=0.5)
def mask_hand_worked(sub):
    """center_mask(2, 8, 3): ones on rows and columns 2..4 of a (2, 1, 8, 8) float tensor; hole = 8 raises ValueError."""
    import torch

    what = "center_mask(2, 8, 3)"
    out = tensor_or_fail(sub.call("center_mask", 2, 8, 3), what, HINT_MASK_TYPE)
    check(out.is_floating_point(), f"{what} has dtype {out.dtype}.", HINT_MASK_TYPE)
    expect_shape(out, (2, 1, 8, 8), what, HINT_MASK_TYPE)
    expected = torch.tensor([[mask_rows(2)]] * 2)
    close(out, expected, what, HINT_MASK_GENERIC, atol=0,
          diagnoses=[(torch.tensor([[mask_rows(3)]] * 2), HINT_MASK_OFFSET), (1 - expected, HINT_MASK_INVERTED)])
    expect_raises(sub, "ValueError", HINT_MASK_ERRORS, "center_mask(1, 8, 8)", "center_mask", 1, 8, 8)


#: x_fill - x_real (1, 2, 2, 2): channel 0 [[0.5, 0.3], [-1, 0.2]], channel 1 [[0.25, -0.4], [0.75, 0.1]]; the mask
#: [[1, 0], [1, 0]] keeps 0.5, -1, 0.25, 0.75: squares 0.25 + 1 + 0.0625 + 0.5625 = 1.875 over 2 * 2 = 4 masked
#: elements: loss_rec = 0.46875. The whole image: (1.875 + 0.09 + 0.04 + 0.16 + 0.01) / 8 = 2.175 / 8; divided by
#: the masked pixels only: 1.875 / 2; absolute errors: 2.5 / 4. Logits [log 3, -log 2]: loss_adv = (log(4/3) +
#: log 3) / 2 = log 2. w_rec = 0.9, w_adv = 0.2: loss = 0.9 * 0.46875 + 0.2 * log 2.
CE_REAL = [[[[0.1, -0.2], [0.4, 0.3]], [[-0.5, 0.6], [0.2, -0.1]]]]
CE_DIFF = [[[[0.5, 0.3], [-1.0, 0.2]], [[0.25, -0.4], [0.75, 0.1]]]]
CE_MASK = [[[[1.0, 0.0], [1.0, 0.0]]]]
CE_LOGITS = [[math.log(3)], [-math.log(2)]]


@register(CE_LOSS, points=0.5)
def context_encoder_hand_worked(sub):
    """A 2 x 2 two-channel image with half the pixels masked: loss_rec = 1.875 / 4 (masked elements only), loss_adv = log 2, loss = 0.9 * loss_rec + 0.2 * log 2; gradients reach x_fill."""
    import torch

    real = torch.tensor(CE_REAL)
    fill = real + torch.tensor(CE_DIFF)
    mask, logits = torch.tensor(CE_MASK), torch.tensor(CE_LOGITS)
    what = "context_encoder_loss(x_fill, x_real, mask, logits, 0.9, 0.2)"
    (loss, grads), (rec, _), (adv, _) = loss_outputs(sub, "context_encoder_loss", [fill, real, mask, logits, 0.9, 0.2],
                                                     [0], [0, 1, 2], [1.0, 1.0, 1.0], what, HINT_CE_TRIPLE)
    judge_value(rec, 0.46875, f"{what}: loss_rec", HINT_CE_GENERIC, [(2.175 / 8, HINT_CE_WHOLE),
                                                                     (1.875 / 2, HINT_CE_NO_CHANNELS),
                                                                     (2.5 / 4, HINT_CE_L1)])
    judge_value(adv, math.log(2), f"{what}: loss_adv", HINT_CE_ADV)
    judge_value(loss, 0.9 * 0.46875 + 0.2 * math.log(2), f"{what}: loss", HINT_CE_GENERIC,
                [(0.2 * 0.46875 + 0.9 * math.log(2), HINT_CE_WEIGHTS)])
    # d loss / d x_fill = 0.9 * 2 * mask * diff / 4
    diff = torch.tensor(CE_DIFF, dtype=torch.float64)
    judge_grads(grads, [0.9 * 2 * torch.tensor(CE_MASK, dtype=torch.float64) * diff / 4], ["x_fill"], what)
