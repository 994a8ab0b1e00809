"""Public checks for Lab 6 (CycleGAN).

This file ships to students, so it never computes an expected value with the formula an exercise asks for:
expected values are numbers worked out by hand on small inputs (the working is in the comments), outputs stored
from a trusted run of the text's networks with every parameter set by the test
(:func:`ganlab.grading.standins_lab5.fill_by_order`, in forward order, so names and initialisation never matter),
or, for the objective and the training steps, what the submission's OWN helpers give on what recording stand-ins
saw (so a wrong helper costs only its own exercise's points). Known mistakes are recognised by hand-worked numbers
too. Inputs are generic (unequal batch sizes, no factor of exactly 2 between arguments, no zero intermediates).
The image pool is judged by its semantics, never by its random draws: unique images go in, and the test tracks
which images the pool must hold from what comes out. The hidden tests (instructor side) add other sizes, batches
of one, the errors the docstrings promise, extreme values, networks compared with trusted copies of the text's
architectures, the pool's swap rate over hundreds of draws, and replays of the steps with Adam and momentum and
stale gradients.
"""

from __future__ import annotations

import math

from ganlab.checks.lab3 import check, close, fail, params_of
from ganlab.checks.lab4 import build, expect_shape, tensor_or_fail
from ganlab.checks.lab5 import (compare_stored, expect_method_raises, expect_raises, forward, judge_grads,
                                outputs_by_mode, uniform)
from ganlab.grading.netcheck import structure
from ganlab.grading.testing import Global, SubmissionError, as_float_tensor, exercise, expect_new_raises, register

LAB = "lab6"

D_STAR = exercise(LAB, "lsgan_optimal_discriminator", title="The LSGAN's optimal discriminator")
D_LOSS = exercise(LAB, "lsgan_discriminator_loss", title="The LSGAN discriminator loss")
G_LOSS = exercise(LAB, "lsgan_generator_loss", title="The LSGAN generator loss")
CYCLE = exercise(LAB, "cycle_loss", title="The cycle-consistency loss")
IDT = exercise(LAB, "identity_loss", title="The identity loss")
POOL = exercise(LAB, "ImagePool", title="The history of generated images")
BLOCK = exercise(LAB, "ResidualBlock", title="The residual block")
RESNET = exercise(LAB, "ResnetGenerator", title="The ResNet generator")
OBJ = exercise(LAB, "generator_objective", title="The full objective of G and F")
D_STEP = exercise(LAB, "discriminator_step", title="One step of both discriminators")
STEP = exercise(LAB, "cyclegan_step", title="One CycleGAN training step")
DECAY = exercise(LAB, "linear_decay", title="The linear learning-rate decay")

# Hints are module-level constants: hidden feedback shows only those (autograder.runner.allowed_hints).
HINT_MUTATES = "The function changed its inputs in place: work on new tensors."
HINT_DSTAR_GENERIC = ("The value differs from the D(x) that minimises the discriminator's objective pointwise: set the "
                      "derivative of p_data (D - b)^2 + p_model (D - a)^2 with respect to D to zero.")
HINT_DSTAR_SWAPPED = ("The densities (or the targets) are swapped: real data (density p_data) is regressed to b and "
                      "generated data (density p_model) to a, so D* leans towards b where p_data dominates.")
HINT_DSTAR_VANILLA = ("This is the vanilla GAN's optimal discriminator p_data / (p_data + p_model): with LSGAN "
                      "targets a and b the minimiser is a weighted average of b and a.")
HINT_DSTAR_TYPE = "lsgan_optimal_discriminator returns a float tensor (a 0-dim one for float inputs)."
HINT_DSTAR_ERRORS = ("lsgan_optimal_discriminator must raise ValueError for a negative density, and where both "
                     "densities are 0 (D is not determined there).")
HINT_LOSS_SCALAR = "The loss is a 0-dim tensor (a mean over all elements), built from the given tensors with torch."
HINT_LOSS_FINITE = ("The loss is not finite: square the raw scores as they are (no exp, log or division), so that "
                    "scores of +-100 give large but finite losses.")
#: The text of the hint that Lab 5's judge_grads gives (listed here so hidden feedback may show it for Lab 6 too).
HINT_LOSS_GRADS = ("The loss does not backpropagate to its inputs with the right gradient: build it with torch "
                   "functions on the given tensors (no .item(), .detach() or numpy).")
HINT_D_NOT_HALVED = ("The discriminator's loss is not halved: CycleGAN divides D's objective by 2, "
                     "0.5 * (mean((D(y) - 1)^2) + mean(D(G(x))^2)), to slow D down relative to G.")
HINT_D_SWAPPED = "Real scores regress to 1 and fake scores to 0 in the discriminator's loss, not the other way round."
HINT_D_SIGMOID = ("A sigmoid was applied to the scores: LSGAN regresses the RAW discriminator output to its targets "
                  "(no sigmoid anywhere; a sigmoid before the squares brings back the saturation LSGAN avoids).")
HINT_D_POOLED = ("Each term is a mean over its own batch; averaging all real and fake residuals together weights "
                 "them by batch size.")
HINT_D_GENERIC = "lsgan_discriminator_loss = 0.5 * (mean((d_real - 1)^2) + mean(d_fake^2))."
HINT_G_FAKE_TARGET = ("The generator's target is 0: G wants its fakes scored as REAL, so it regresses D's output to "
                      "1: mean((d_fake - 1)^2).")
HINT_G_HALVED = "The generator's loss is not halved: mean((d_fake - 1)^2) (only D's objective is divided by 2)."
HINT_G_GENERIC = "lsgan_generator_loss = mean((d_fake - 1)^2)."
HINT_CYC_L2 = ("The cycle loss is squared: CycleGAN's cycle term is the L1 distance, the mean ABSOLUTE error "
               "|F(G(x)) - x| (eq. 2), which blurs less than L2.")
HINT_CYC_CROSSED = ("The cycles are crossed: x_rec = F(G(x)) is compared with x_real and y_rec = G(F(y)) with "
                    "y_real, never a reconstruction with the other domain's image.")
HINT_CYC_SUM = "Each cycle term is a MEAN over all elements, not a sum."
HINT_CYC_LAMBDA = "lambda_cyc multiplies both cycle terms: lambda_cyc * (mean|x_rec - x_real| + mean|y_rec - y_real|)."
HINT_CYC_GENERIC = "cycle_loss = lambda_cyc * (mean|x_rec - x_real| + mean|y_rec - y_real|)."
HINT_CYC_ERRORS = ("cycle_loss must raise ValueError when x_rec's shape differs from x_real's or y_rec's from "
                   "y_real's, and for lambda_cyc < 0.")
HINT_IDT_DOMAIN = ("The identity loss is fed the wrong domain: G maps X to Y, so it is G applied to a Y image that "
                   "should change nothing (|G(y) - y|), and F applied to an X image (|F(x) - x|).")
HINT_IDT_NOT_SCALED = ("The identity weight is not scaled by lambda: the identity term's weight is "
                       "lambda_idt * lambda_cyc (0.5 * 10 = 5 by default), as in the CycleGAN reference code.")
HINT_IDT_GENERIC = "identity_loss = lambda_cyc * lambda_idt * (mean|G(y_real) - y_real| + mean|F(x_real) - x_real|)."
HINT_IDT_CALLS = ("identity_loss calls G once (on y_real) and F once (on x_real), and neither when lambda_cyc * "
                  "lambda_idt == 0 (the term is then a zero tensor: two forward passes saved).")
HINT_IDT_ERRORS = "identity_loss must raise ValueError for a negative lambda_cyc or lambda_idt."
HINT_POOL_BEFORE_FULL = ("Until pool_size images are stored, the pool stores each image and returns it unchanged "
                         "(no swap before the pool is full).")
HINT_POOL_NOT_REPLACED = ("The pool returned an image that should have left it: when a stored image is returned, the "
                          "current image takes its place in the pool (return the old one, store the new one).")
HINT_POOL_NEVER_CURRENT = ("Once full, the pool returns the CURRENT image with probability 1/2 (and a stored one, "
                           "swapped for it, otherwise): the share of swaps is far from 1/2.")
HINT_POOL_SWAP_RATE = ("Once full, each image is swapped with probability exactly 1/2 (random.random() < 0.5, or "
                       "torch.rand(1) < 0.5), one draw per image.")
HINT_POOL_UNIFORM = ("Some stored images never leave the pool: the image to return is chosen uniformly among ALL "
                     "pool_size stored ones (random.randrange(pool_size) covers 0 .. pool_size - 1).")
HINT_POOL_FOREIGN = ("The pool returned an image that was never given to it, or a mix of images: each output row is "
                     "one whole input image (the current one or a stored one).")
HINT_POOL_SHAPE = "query returns a tensor of the same shape as its input (one image out per image in, in order)."
HINT_POOL_DETACH = "query returns detached images (store and return image.detach(): no graph back to G)."
HINT_POOL_COPIES = ("The pool stores views of the caller's tensor: store copies (image.detach().clone()), or a later "
                    "in-place change of the batch reaches the pool.")
HINT_POOL_ZERO = "With pool_size == 0 the pool is switched off: query returns the batch itself (detached)."
HINT_POOL_ERRORS = "ImagePool must raise ValueError for pool_size < 0."
HINT_IN_AFFINE = ("An instance norm has affine parameters: the text (and the CycleGAN reference) uses "
                  "nn.InstanceNorm2d(C) with PyTorch's default affine=False.")
HINT_IN_STATS = ("An instance norm tracks running statistics: with track_running_stats=True evaluation mode "
                 "normalises with running averages instead of each image's own statistics; use the default False.")
HINT_BATCH_NORM = ("The network uses batch norm: CycleGAN normalises each image on its own with instance norm "
                   "(nn.InstanceNorm2d), which suits style transfer and makes train and eval mode identical.")
HINT_NO_BIAS = ("A convolution has no bias: the text keeps bias=True everywhere (instance norm without affine "
                "removes it, but the reference keeps it: 11,378,179 parameters).")
HINT_BLOCK_LAYERS = ("ResidualBlock's layers differ from the text: ReflectionPad2d(1) -> Conv2d(c, c, 3) -> "
                     "InstanceNorm2d(c) -> ReLU -> ReflectionPad2d(1) -> Conv2d(c, c, 3) -> InstanceNorm2d(c).")
HINT_BLOCK_PADDING = ("The block pads with zeros: CycleGAN's residual blocks use reflection padding "
                      "(nn.ReflectionPad2d(1) before each 3 x 3 convolution with padding 0), which avoids dark "
                      "borders.")
HINT_BLOCK_RELU_AFTER = ("There is a ReLU after the sum: CycleGAN's block (Johnson et al. 2016) returns x + block(x) "
                         "with nothing after the sum, unlike the original ResNet block.")
HINT_BLOCK_NO_SKIP = "The block has no skip connection: forward returns x + block(x), not block(x)."
HINT_BLOCK_GENERIC = ("ResidualBlock computes something else than x + block(x) with the text's block: check the "
                      "skip, the reflection padding, the norms and that nothing follows the sum.")
HINT_BLOCK_SHAPE = "ResidualBlock maps (B, c, H, W) to the same shape."
HINT_RESNET_LAYERS = ("The generator's layers differ from the text: c7s1-ngf (ReflectionPad2d(3), Conv2d 7 x 7), "
                      "n_downsampling stride-2 3 x 3 convolutions doubling the width, n_blocks ResidualBlocks, "
                      "n_downsampling ConvTranspose2d(3, stride 2, padding 1, output_padding 1) halving it, then "
                      "ReflectionPad2d(3), Conv2d(ngf, out, 7) and Tanh; instance norm and ReLU after every "
                      "convolution but the last.")
HINT_RESNET_GENERIC = ("The generator computes something else than the text's architecture with these parameters (a "
                       "padding, a norm, an activation or the layer order).")
HINT_RESNET_PADDING = ("The 7 x 7 convolutions pad with zeros: the text pads them by reflection "
                       "(nn.ReflectionPad2d(3) then Conv2d(..., 7) with padding 0).")
HINT_RESNET_TANH = "The generator's output is not in (-1, 1) with both signs: end with Tanh (images are in [-1, 1])."
HINT_RESNET_COUNT = ("The 256 reference (ngf=64, 9 blocks) has another parameter count than 11,378,179 (7,837,699 "
                     "with 6 blocks): check the widths, the biases (kept) and that the norms have no parameters.")
HINT_RESNET_ERRORS = ("ResnetGenerator must raise ValueError in __init__ for ngf < 1, n_blocks < 0 or "
                      "n_downsampling < 0, and in forward when H or W is not a multiple of 2**n_downsampling or the "
                      "channels differ from in_channels.")
HINT_OBJ_TUPLE = ("generator_objective returns (loss, terms, y_fake, x_fake): loss a 0-dim tensor, terms a dict of "
                  "Python floats with the keys gan_g, gan_f, cycle, identity.")
HINT_OBJ_FAKES = "y_fake = G(x_real) and x_fake = F(y_real), returned with their autograd history (no detach)."
HINT_OBJ_DOMAINS = ("A discriminator judged the wrong domain: D_Y judges Y images (gan_g from D_Y(G(x))) and D_X "
                    "judges X images (gan_f from D_X(F(y))).")
HINT_OBJ_DETACHED = ("The fakes were detached before the discriminators judged them in the generators' objective: "
                     "then the GAN terms send no gradient to G and F (only the D step detaches its fakes).")
HINT_OBJ_GAN = ("gan_g and gan_f are your lsgan_generator_loss of D_Y(G(x)) and of D_X(F(y)) (the generators want "
                "their fakes scored as real).")
HINT_OBJ_CYCLE = ("terms['cycle'] is your cycle_loss(x_real, F(G(x)), y_real, G(F(y)), lambda_cyc): the "
                  "reconstructions of the two cycles, each next to its own domain's image.")
HINT_OBJ_IDT = "terms['identity'] is your identity_loss(G, F, x_real, y_real, lambda_cyc, lambda_idt)."
HINT_OBJ_LAMBDA_GAN = ("lambda multiplies the GAN terms: the loss is the plain sum of gan_g, gan_f, cycle and "
                       "identity, with lambda only inside the cycle and identity terms (eq. 3).")
HINT_OBJ_SUM = "loss is the sum of the four terms gan_g + gan_f + cycle + identity."
HINT_OBJ_GRAPH = ("No gradient reached G's or F's parameters through loss: keep the graph (no .item(), .detach() or "
                  "torch.no_grad() inside generator_objective).")
HINT_OBJ_SIDE = "generator_objective must not step, zero gradients or change any network's parameters."
HINT_DSTEP_DICT = "discriminator_step returns a dict {'loss_d_x': float, 'loss_d_y': float} of Python floats."
HINT_DSTEP_POOL_REAL = ("The pool was applied to real images: only the generated images go through the pools (the "
                        "history is of FAKES); D sees the real batch as it is.")
HINT_DSTEP_NO_POOL = ("A discriminator saw the fresh fake instead of the pool's output: D_Y judges "
                      "pool_y.query(y_fake), D_X judges pool_x.query(x_fake).")
HINT_DSTEP_POOLS = ("The pools are mixed up: pool_y holds Y images (y_fake = G(x)) and feeds D_Y; pool_x holds X "
                    "images and feeds D_X; each pool is queried once per step.")
HINT_DSTEP_PAIRED = ("A discriminator was given a (input, output) pair: CycleGAN's discriminators are unconditional, "
                     "D_Y judges a Y image alone (unlike pix2pix, there is no paired input to condition on).")
HINT_DSTEP_DOMAINS = "D_Y judges y_real and pooled y_fake; D_X judges x_real and pooled x_fake."
HINT_DSTEP_DETACH = ("Gradients from the discriminators' losses reached the generators: detach the pooled fakes "
                     "(the pool's output need not be detached by another pool) before D sees them.")
HINT_DSTEP_LOSS = ("loss_d_y / loss_d_x are not what your lsgan_discriminator_loss gives on D_Y's (D_X's) scores of "
                   "the real batch and of the pooled fakes.")
HINT_DSTEP_ONE_UPDATE = ("Both discriminators are updated by one opt_d.step() after one backward of "
                         "loss_d_x + loss_d_y, with the scores taken before the update.")
HINT_DSTEP_NOT_MOVED = ("A discriminator's parameters did not change: backward of loss_d_x + loss_d_y, then "
                        "opt_d.step().")
HINT_DSTEP_REPLAY = ("With Adam or momentum and stale gradients in .grad, the discriminators after the step differ "
                     "from the reference step's: opt_d.zero_grad() before the backward, one backward of the sum, one "
                     "opt_d.step().")
HINT_STEP_DICT = ("cyclegan_step returns a dict of Python floats with the keys loss_g, gan_g, gan_f, cycle, identity, "
                  "loss_d_x, loss_d_y.")
HINT_STEP_HELPERS = ("cyclegan_step calls your generator_objective once (G and F's update) and then your "
                     "discriminator_step once, with the same networks, inputs, lambdas and pools.")
HINT_STEP_FAKES = ("The discriminator step did not get the fakes of this iteration: pass y_fake and x_fake returned "
                   "by generator_objective (before G's update) to discriminator_step.")
HINT_STEP_VALUES = ("The returned values are not those of this step's calls: loss_g and the terms from "
                    "generator_objective, loss_d_x and loss_d_y from discriminator_step.")
HINT_STEP_ORDER = ("G and F are updated first (generator_objective, backward, opt_g.step()), then the "
                   "discriminators (discriminator_step).")
HINT_STEP_D_FROZEN = ("The discriminators' parameters do not require gradients after the step (or during the D "
                      "step): restore requires_grad=True after the G update.")
HINT_STEP_D_LEAK = ("The G update changed the discriminators: opt_g covers G and F only, and D's parameters must not "
                    "be stepped with gradients of G's loss.")
HINT_STEP_G_STEPS = "opt_g.step() is called exactly once per cyclegan_step, after the backward of G's loss."
HINT_STEP_MODE = ("cyclegan_step puts all four networks in training mode (net.train()) before using them, and leaves "
                  "them in it.")
HINT_STEP_NOT_MOVED = "A network's parameters did not change: backward of G's loss then opt_g.step(), then the D step."
HINT_STEP_REPLAY = ("With Adam or momentum and stale gradients in .grad, the networks after the step differ from "
                    "the reference step's: opt_g.zero_grad() before G's backward, opt_g.step(), then the D step; "
                    "D's parameters get no gradient from G's loss.")
HINT_DECAY_N_DECAY = ("The decay divides by n_decay: the multiplier falls by 1 / (n_decay + 1) per epoch, so the last "
                      "trained epoch (n_constant + n_decay - 1) still gets 1 / (n_decay + 1) and it reaches 0 one "
                      "epoch later (the reference code's n_epochs_decay + 1).")
HINT_DECAY_LATE = ("The decay starts one epoch late: epoch n_constant (the first after the constant ones) already "
                   "gets 1 - 1 / (n_decay + 1): use epoch - n_constant + 1.")
HINT_DECAY_FROM_ZERO = "The multiplier decays from epoch 0: it stays 1.0 for the first n_constant epochs."
HINT_DECAY_GENERIC = ("linear_decay is 1.0 for epochs 0 .. n_constant - 1, then falls by 1 / (n_decay + 1) per epoch "
                      "and is 0.0 from epoch n_constant + n_decay on.")
HINT_DECAY_TYPE = "linear_decay returns a Python float (LambdaLR multiplies the learning rate by it)."
HINT_DECAY_ERRORS = "linear_decay must raise ValueError for epoch < 0, n_constant < 0 or n_decay < 1."


def sub_global(name):
    return Global(name)


def judge_value(value, expected, what, hint, wrongs=(), tol=1e-5):
    """A loss value against the expected one, naming the known mistake that ``value`` matches."""
    import torch

    check(bool(torch.isfinite(value).all()), f"{what} is not finite.", HINT_LOSS_FINITE)
    close(value, torch.as_tensor(expected, dtype=torch.float64), what, hint, rtol=tol, atol=tol,
          diagnoses=[(torch.as_tensor(w, dtype=torch.float64), h) for w, h in wrongs])


def sigmoid(v):
    return 1 / (1 + math.exp(-v))


def tensor_result(sub, name, args, what, hint, kwargs=None):
    return as_float_tensor(tensor_or_fail(sub.call(name, *args, **(kwargs or {})), what, hint), what, hint)


def loss_and_grads(sub, name, args, differentiable, what):
    """The submission's 0-dim loss ``name(*args)`` and its gradients with respect to ``args[i]``, i in ``differentiable``."""
    try:
        [(value, grads)] = sub.trusted("ganlab.grading.standins_lab5.grads_of_outputs", sub_global(name), list(args),
                                       list(differentiable), [0], [1.0], keep=False)
    except SubmissionError as exc:
        if exc.kind == "NotImplementedError":  # name the student's function, not the stand-in that called it
            raise SubmissionError(f"`{name}` is not implemented yet (it still raises NotImplementedError).",
                                  exc.kind) from None
        raise
    t = tensor_or_fail(value, what, HINT_LOSS_SCALAR)
    check(t.dim() == 0, f"{what} has shape {tuple(t.shape)}, expected a 0-dim tensor.", HINT_LOSS_SCALAR)
    return as_float_tensor(t, what), grads


def inputs_unchanged(sub, name, tensors, rest, what):
    """``name(*tensors, *rest)`` must leave its tensor arguments as they were."""
    import torch

    refs = [sub.trusted("torch.clone", t) for t in tensors]
    sub.call(name, *refs, *rest)
    check(all(torch.equal(sub.state(r)["value"], t) for r, t in zip(refs, tensors)), f"{what} changed its inputs.",
          HINT_MUTATES)


# -- 1. the optimal LSGAN discriminator --------------------------------------------------------------------------

#: p_data [0.3, 0, 1.5], p_model [0.1, 0.5, 1.0]. Defaults a = 0, b = 1: 0.3 / 0.4 = 0.75, 0 / 0.5 = 0,
#: 1.5 / 2.5 = 0.6. With a = -0.5, b = 2: (0.6 - 0.05) / 0.4 = 1.375, (0 - 0.25) / 0.5 = -0.5, (3 - 0.5) / 2.5 = 1.
#: Known mistakes: the densities (or, the same formula, the targets) swapped: p_model / (p_data + p_model) = 0.25, 1,
#: 0.4 with the defaults, (2 * 0.1 - 0.5 * 0.3) / 0.4 = 0.125, 2, 0.5 with a = -0.5, b = 2; the vanilla GAN's
#: p_data / (p_data + p_model), which ignores a and b: 0.75, 0, 0.6.
DSTAR_PD, DSTAR_PG = [0.3, 0.0, 1.5], [0.1, 0.5, 1.0]


@register(D_STAR, points=1)
def optimal_discriminator_hand_worked(sub):
    """p_data [0.3, 0, 1.5], p_model [0.1, 0.5, 1.0]: [0.75, 0, 0.6] with the defaults, [1.375, -0.5, 1] with a = -0.5, b = 2; floats 0.2 and 0.6 give a 0-dim tensor 0.25; a negative density and two zero densities raise ValueError."""
    import torch

    pd, pg = torch.tensor(DSTAR_PD), torch.tensor(DSTAR_PG)
    what = "lsgan_optimal_discriminator(p_data, p_model)"
    got = tensor_result(sub, "lsgan_optimal_discriminator", [pd, pg], what, HINT_DSTAR_TYPE)
    close(got, [0.75, 0.0, 0.6], what, HINT_DSTAR_GENERIC, rtol=1e-5, atol=1e-6,
          diagnoses=[([0.25, 1.0, 0.4], HINT_DSTAR_SWAPPED)])
    what = "lsgan_optimal_discriminator(p_data, p_model, a=-0.5, b=2.0)"
    got = tensor_result(sub, "lsgan_optimal_discriminator", [pd, pg], what, HINT_DSTAR_TYPE, {"a": -0.5, "b": 2.0})
    close(got, [1.375, -0.5, 1.0], what, HINT_DSTAR_GENERIC, rtol=1e-5, atol=1e-6,
          diagnoses=[([0.75, 0.0, 0.6], HINT_DSTAR_VANILLA), ([0.125, 2.0, 0.5], HINT_DSTAR_SWAPPED)])
    what = "lsgan_optimal_discriminator(0.2, 0.6)"
    out = tensor_or_fail(sub.call("lsgan_optimal_discriminator", 0.2, 0.6), what, HINT_DSTAR_TYPE)
    check(out.dim() == 0 and out.is_floating_point(), f"{what} returned a tensor of shape {tuple(out.shape)} and "
          f"dtype {out.dtype}.", HINT_DSTAR_TYPE)
    close(out, 0.25, what, HINT_DSTAR_GENERIC, rtol=1e-5, atol=1e-6, diagnoses=[(0.75, HINT_DSTAR_SWAPPED)])
    expect_raises(sub, "ValueError", HINT_DSTAR_ERRORS, "lsgan_optimal_discriminator([0.2, -0.1], [0.5, 0.5])",
                  "lsgan_optimal_discriminator", torch.tensor([0.2, -0.1]), torch.tensor([0.5, 0.5]))
    expect_raises(sub, "ValueError", HINT_DSTAR_ERRORS, "lsgan_optimal_discriminator([0.2, 0], [0.5, 0])",
                  "lsgan_optimal_discriminator", torch.tensor([0.2, 0.0]), torch.tensor([0.5, 0.0]))


# -- 2. the LSGAN discriminator loss ----------------------------------------------------------------------------

#: d_real (2, 1, 1, 2) [0.5, 1.5, 2, 0]: (d - 1)^2 = 0.25, 0.25, 1, 1, mean 0.625. d_fake (1, 1, 1, 3)
#: [0.5, -1, 0.25]: d^2 = 0.25, 1, 0.0625, mean 0.4375. loss = 0.5 * (0.625 + 0.4375) = 0.53125.
#: Gradients: 0.5 * 2 (d - 1) / 4 = (d - 1) / 4 for d_real, 0.5 * 2 d / 3 = d / 3 for d_fake.
#: Known mistakes: not halved 1.0625; targets swapped 0.5 * (6.5 / 4 + 4.8125 / 3); one mean over all seven
#: residuals (2.5 + 1.3125) / 7 (halved or not); a sigmoid before the squares (computed below from sigmoid values).
DL_REAL = [[[[0.5, 1.5]]], [[[2.0, 0.0]]]]
DL_FAKE = [[[[0.5, -1.0, 0.25]]]]
DL_VALUE = 0.53125


def _sigmoid_d_loss(real, fake):
    r = sum((sigmoid(v) - 1) ** 2 for v in real) / len(real)
    f = sum(sigmoid(v) ** 2 for v in fake) / len(fake)
    return 0.5 * (r + f)


DL_WRONGS = [(1.0625, HINT_D_NOT_HALVED), (0.5 * (6.5 / 4 + 4.8125 / 3), HINT_D_SWAPPED),
             (6.5 / 4 + 4.8125 / 3, HINT_D_SWAPPED), (3.8125 / 7, HINT_D_POOLED), (0.5 * 3.8125 / 7, HINT_D_POOLED),
             (_sigmoid_d_loss([0.5, 1.5, 2.0, 0.0], [0.5, -1.0, 0.25]), HINT_D_SIGMOID),
             (2 * _sigmoid_d_loss([0.5, 1.5, 2.0, 0.0], [0.5, -1.0, 0.25]), HINT_D_SIGMOID)]


@register(D_LOSS, points=0.5)
def discriminator_loss_hand_worked(sub):
    """d_real (2, 1, 1, 2) [0.5, 1.5, 2, 0] and d_fake (1, 1, 1, 3) [0.5, -1, 0.25]: 0.5 * (0.625 + 0.4375) = 0.53125, gradients (d - 1) / 4 and d / 3; inputs unchanged."""
    import torch

    real, fake = torch.tensor(DL_REAL), torch.tensor(DL_FAKE)
    what = "lsgan_discriminator_loss(d_real (2, 1, 1, 2), d_fake (1, 1, 1, 3))"
    inputs_unchanged(sub, "lsgan_discriminator_loss", [real, fake], [], what)
    value, grads = loss_and_grads(sub, "lsgan_discriminator_loss", [real, fake], [0, 1], what)
    judge_value(value, DL_VALUE, what, HINT_D_GENERIC, DL_WRONGS)
    judge_grads(grads, [(real - 1) / 4, fake / 3], ["d_real", "d_fake"], what)


# -- 3. the LSGAN generator loss -------------------------------------------------------------------------------------

#: d_fake (1, 1, 2, 2) [0.5, -0.5, 1.5, 3]: (d - 1)^2 = 0.25, 2.25, 0.25, 4, mean 1.6875; gradient (d - 1) / 2.
#: Known mistakes: the target 0, mean d^2 = 11.75 / 4 = 2.9375; halved 0.84375; a sigmoid before the square.
GL_FAKE = [[[[0.5, -0.5], [1.5, 3.0]]]]
GL_WRONGS = [(2.9375, HINT_G_FAKE_TARGET), (0.84375, HINT_G_HALVED),
             (sum((sigmoid(v) - 1) ** 2 for v in (0.5, -0.5, 1.5, 3.0)) / 4, HINT_D_SIGMOID)]


@register(G_LOSS, points=0.5)
def generator_loss_hand_worked(sub):
    """d_fake (1, 1, 2, 2) [0.5, -0.5, 1.5, 3]: mean((d - 1)^2) = 1.6875, gradient (d - 1) / 2; input unchanged."""
    import torch

    fake = torch.tensor(GL_FAKE)
    what = "lsgan_generator_loss(d_fake (1, 1, 2, 2))"
    inputs_unchanged(sub, "lsgan_generator_loss", [fake], [], what)
    value, grads = loss_and_grads(sub, "lsgan_generator_loss", [fake], [0], what)
    judge_value(value, 1.6875, what, HINT_G_GENERIC, GL_WRONGS)
    judge_grads(grads, [(fake - 1) / 2], ["d_fake"], what)


# -- 4. the cycle loss -------------------------------------------------------------------------------------------------

#: x (2, 1, 1, 2) with x_rec - x_real = [0.25, -0.5, 0.125, 0.375]: mean |.| = 1.25 / 4 = 0.3125; y (1, 1, 1, 3) with
#: y_rec - y_real = [-0.75, 0.25, 0.5]: mean |.| = 1.5 / 3 = 0.5. lambda 7: 7 * 0.8125 = 5.6875; default 10: 8.125.
#: Gradient with respect to x_rec: 7 * sign / 4, to y_rec: 7 * sign / 3. Known mistakes: squares (0.46875 / 4 +
#: 0.875 / 3) * 7; sums 7 * (1.25 + 1.5); lambda left out 0.8125.
#: The second case has equal shapes, so crossed cycles give a number: x [0.2, -0.6] with x_rec [0.45, -0.1] (|.| mean
#: 0.375), y [-0.3, 0.9] with y_rec [-0.55, 1.0] (0.175): 10 * 0.55 = 5.5; crossed |x_rec - y|: 0.75, 1.0 and
#: |y_rec - x|: 0.75, 1.6: 10 * (0.875 + 1.175) = 20.5.
CYC_X = [[[[0.1, -0.2]]], [[[0.3, 0.4]]]]
CYC_DX = [[[[0.25, -0.5]]], [[[0.125, 0.375]]]]
CYC_Y = [[[[0.5, -0.25, 0.75]]]]
CYC_DY = [[[[-0.75, 0.25, 0.5]]]]


@register(CYCLE, points=1)
def cycle_loss_hand_worked(sub):
    """x (2, 1, 1, 2) and y (1, 1, 1, 3) with reconstruction errors of mean |.| 0.3125 and 0.5: 7 * 0.8125 with lambda_cyc = 7 (gradients 7 sign / 4 and 7 sign / 3), 8.125 by default; equal-shaped pairs 10 * 0.55 = 5.5 (crossed cycles give 20.5); lambda_cyc = 0 gives 0; mismatched shapes and lambda_cyc = -0.5 raise ValueError."""
    import torch

    a, a_rec = torch.tensor([[[[0.2, -0.6]]]]), torch.tensor([[[[0.45, -0.1]]]])
    b, b_rec = torch.tensor([[[[-0.3, 0.9]]]]), torch.tensor([[[[-0.55, 1.0]]]])
    what = "cycle_loss on (1, 1, 1, 2) pairs"
    value, _ = loss_and_grads(sub, "cycle_loss", [a, a_rec, b, b_rec], [1], what)
    judge_value(value, 5.5, what, HINT_CYC_GENERIC, [(20.5, HINT_CYC_CROSSED)])
    value, _ = loss_and_grads(sub, "cycle_loss", [a, a_rec, b, b_rec, 0.0], [1], what + " with lambda_cyc = 0")
    judge_value(value, 0.0, what + " with lambda_cyc = 0", HINT_CYC_LAMBDA)
    x, y = torch.tensor(CYC_X), torch.tensor(CYC_Y)
    x_rec, y_rec = x + torch.tensor(CYC_DX), y + torch.tensor(CYC_DY)
    what = "cycle_loss(x (2, 1, 1, 2), x_rec, y (1, 1, 1, 3), y_rec, 7)"
    inputs_unchanged(sub, "cycle_loss", [x, x_rec, y, y_rec], [7.0], what)
    value, grads = loss_and_grads(sub, "cycle_loss", [x, x_rec, y, y_rec, 7.0], [0, 1, 2, 3], what)
    wrongs = [(7 * (0.46875 / 4 + 0.875 / 3), HINT_CYC_L2), (7 * 2.75, HINT_CYC_SUM), (0.8125, HINT_CYC_LAMBDA)]
    judge_value(value, 5.6875, what, HINT_CYC_GENERIC, wrongs)
    sx, sy = torch.tensor(CYC_DX).sign(), torch.tensor(CYC_DY).sign()
    judge_grads(grads, [-7 * sx / 4, 7 * sx / 4, -7 * sy / 3, 7 * sy / 3], ["x_real", "x_rec", "y_real", "y_rec"],
                what)
    what = "cycle_loss(x (2, 1, 1, 2), x_rec, y (1, 1, 1, 3), y_rec)"
    value, _ = loss_and_grads(sub, "cycle_loss", [x, x_rec, y, y_rec], [1], what)
    judge_value(value, 8.125, what, HINT_CYC_GENERIC, [(0.8125, HINT_CYC_LAMBDA)])
    expect_raises(sub, "ValueError", HINT_CYC_ERRORS, "cycle_loss with x_rec (2, 1, 1, 3) for x_real (2, 1, 1, 2)",
                  "cycle_loss", x, torch.zeros(2, 1, 1, 3), y, y_rec)
    expect_raises(sub, "ValueError", HINT_CYC_ERRORS, "cycle_loss(..., lambda_cyc=-0.5)", "cycle_loss", x, x_rec, y,
                  y_rec, -0.5)


# -- 5. the identity loss ------------------------------------------------------------------------------------------

#: G(t) = 0.5 t + 0.25 and F(t) = 1.5 t - 0.1 (stand-ins). y (1, 1, 1, 3) [0.9, -0.5, 0.1]: G(y) - y = -0.5 y + 0.25 =
#: [-0.2, 0.5, 0.2], mean |.| 0.3. x (2, 1, 1, 2) [0.4, -0.6, 1, 0]: F(x) - x = 0.5 x - 0.1 = [0.1, -0.4, 0.4, -0.1],
#: mean |.| 0.25. lambda_cyc 6, lambda_idt 0.3: 1.8 * 0.55 = 0.99; defaults: 5 * 0.55 = 2.75.
#: Gradients of the 0.99 case: y: 1.8 * (-0.5) * sign(G(y) - y) / 3 = [0.3, -0.3, -0.3]; x: 1.8 * 0.5 * sign / 4.
#: Known mistakes: the wrong domain |G(x) - x| (mean 1.1 / 4) + |F(y) - y| (0.75 / 3): 1.8 * 0.525 = 0.945; lambda_cyc
#: left out 0.3 * 0.55; lambda_idt left out 6 * 0.55.
IDT_X = [[[[0.4, -0.6]]], [[[1.0, 0.0]]]]
IDT_Y = [[[[0.9, -0.5, 0.1]]]]


def affine_pair(sub):
    g = sub.trusted("ganlab.grading.standins.lab6_affine_net", 0.5, 0.25)
    f = sub.trusted("ganlab.grading.standins.lab6_affine_net", 1.5, -0.1)
    return g, f


def calls_of(sub, net):
    return len(sub.getattr(net, "inputs"))


@register(IDT, points=1)
def identity_loss_hand_worked(sub):
    """Stand-ins G(t) = 0.5 t + 0.25 and F(t) = 1.5 t - 0.1, x (2, 1, 1, 2), y (1, 1, 1, 3): 1.8 * 0.55 = 0.99 with lambda_cyc = 6, lambda_idt = 0.3 (gradients with respect to x and y), 2.75 by default, G and F called once each; lambda_idt = 0 gives 0 without calling them; lambda_idt = -0.5 raises ValueError."""
    import torch

    x, y = torch.tensor(IDT_X), torch.tensor(IDT_Y)
    g, f = affine_pair(sub)
    what = "identity_loss(G, F, x, y, 6, 0.3)"
    value, grads = loss_and_grads(sub, "identity_loss", [g, f, x, y, 6.0, 0.3], [2, 3], what)
    wrongs = [(0.945, HINT_IDT_DOMAIN), (0.3 * 0.55, HINT_IDT_NOT_SCALED), (6 * 0.55, HINT_IDT_NOT_SCALED),
              (0.55, HINT_IDT_NOT_SCALED)]
    judge_value(value, 0.99, what, HINT_IDT_GENERIC, wrongs)
    check(calls_of(sub, g) == 1 and calls_of(sub, f) == 1, f"{what} called G {calls_of(sub, g)} and F "
          f"{calls_of(sub, f)} times.", HINT_IDT_CALLS)
    grad_x = 0.225 * torch.tensor([[[[1.0, -1.0]]], [[[1.0, -1.0]]]])
    judge_grads(grads, [grad_x, torch.tensor([[[[0.3, -0.3, -0.3]]]])], ["x_real", "y_real"], what)
    g, f = affine_pair(sub)
    what = "identity_loss(G, F, x, y)"
    value, _ = loss_and_grads(sub, "identity_loss", [g, f, x, y], [2], what)
    judge_value(value, 2.75, what, HINT_IDT_GENERIC, [(5 * 0.525, HINT_IDT_DOMAIN), (0.5 * 0.55, HINT_IDT_NOT_SCALED),
                                                      (10 * 0.55, HINT_IDT_NOT_SCALED)])
    g, f = affine_pair(sub)
    what = "identity_loss(G, F, x, y, 6, 0.0)"
    value = tensor_result(sub, "identity_loss", [g, f, x, y, 6.0, 0.0], what, HINT_LOSS_SCALAR)
    judge_value(value.reshape(()), 0.0, what, HINT_IDT_CALLS)
    check(calls_of(sub, g) == 0 and calls_of(sub, f) == 0, f"{what} called the networks.", HINT_IDT_CALLS)
    expect_raises(sub, "ValueError", HINT_IDT_ERRORS, "identity_loss(G, F, x, y, 10, -0.5)", "identity_loss", g, f,
                  x, y, 10.0, -0.5)


# -- 6. the image pool -------------------------------------------------------------------------------------------

POOL_SHAPE = (2, 2, 3)  # (C, H, W) of each test image


def pool_images(ids):
    """A batch of images, image k filled with k plus a pattern of sixty-fourths (exact in float32), so that each
    output image can be read back as the id of the input image it is."""
    import torch

    pattern = torch.arange(12, dtype=torch.float32).view(*POOL_SHAPE) / 64
    return torch.stack([pattern + float(k) for k in ids])


def read_ids(out, batch, what):
    """The ids of the images of a pool's output, or a failure naming what is wrong with them."""
    import torch

    out = as_float_tensor(tensor_or_fail(out, what, HINT_POOL_SHAPE), what, HINT_POOL_SHAPE)
    expect_shape(out, (batch, *POOL_SHAPE), what, HINT_POOL_SHAPE)
    pattern = torch.arange(12, dtype=torch.float64).view(*POOL_SHAPE) / 64
    ids = []
    for image in out:
        base = image - pattern
        k = float(base.flatten()[0])
        check(torch.equal(base, torch.full_like(base, k)) and k == round(k),
              f"{what}: an output image is not one of the input images.", HINT_POOL_FOREIGN)
        ids.append(int(k))
    return ids


class PoolModel:
    """What the pool must hold, tracked from its outputs: every image returned that is not the current one must be a
    stored one, which then leaves the pool and is replaced by the current one."""

    def __init__(self, size):
        self.size, self.stored, self.swaps, self.after_full = size, set(), 0, 0

    def observe(self, inputs, outputs, what):
        for current, got in zip(inputs, outputs):
            if len(self.stored) < self.size:
                check(got == current, f"{what}: the pool held {len(self.stored)} of {self.size} images and returned "
                      "another image than the current one.", HINT_POOL_BEFORE_FULL)
                self.stored.add(current)
                continue
            self.after_full += 1
            if got == current:
                continue
            check(got in self.stored, f"{what}: the pool returned image {got}, which had already left it or was "
                  "never stored.", HINT_POOL_NOT_REPLACED)
            self.stored.discard(got)
            self.stored.add(current)
            self.swaps += 1


def pool_run(sub, pool, model, batches, next_id, what):
    """Query ``pool`` with batches of the given sizes of fresh unique images; returns the next unused id."""
    for b in batches:
        ids = list(range(next_id, next_id + b))
        next_id += b
        out = sub.method(pool, "query", pool_images(ids))
        model.observe(ids, read_ids(out, b, what), what)
    return next_id


def new_pool(sub, *args):
    try:
        return sub.new("ImagePool", *args)
    except SubmissionError as exc:
        if exc.kind == "NotImplementedError":
            raise
        fail(f"ImagePool{args} could not be built: {exc}", HINT_POOL_ERRORS)


@register(POOL, points=1)
def pool_semantics(sub):
    """ImagePool(3) fed unique images in batches of 2, 1, 3, ...: every image comes back as long as fewer than 3 are stored; after that each output is the current image or a stored one, which leaves the pool for the current one; over 150 more images (seeded) between 35% and 65% are swaps, after which none of the first three images is left; outputs detached; ImagePool(0) returns the batch itself; ImagePool(-1) raises ValueError."""
    import torch

    sub.trusted("ganlab.grading.standins.lab6_seed_all", 6, keep=False)
    pool = new_pool(sub, 3)
    model = PoolModel(3)
    what = "ImagePool(3).query"
    next_id = pool_run(sub, pool, model, [2, 1, 3, 4, 1], 1, what)
    model.swaps, model.after_full = 0, 0
    pool_run(sub, pool, model, [5] * 30, next_id, what)
    rate = model.swaps / model.after_full
    check(rate < 0.9, f"{what}: {model.swaps} of {model.after_full} images after the pool was full were swaps.",
          HINT_POOL_NEVER_CURRENT)
    check(0.35 <= rate <= 0.65, f"{what}: {model.swaps} of {model.after_full} images after the pool was full were "
          "swaps.", HINT_POOL_SWAP_RATE)
    # each swap takes one of the 3 stored images: after dozens of swaps none of the first three can be left
    check(not model.stored & {1, 2, 3}, f"{what}: after {model.swaps} swaps the pool still holds one of its first "
          "three images.", HINT_POOL_UNIFORM)
    images = pool_images([1000, 1001]).requires_grad_(True)
    out, graph = sub.trusted("ganlab.grading.standins.lab6_query_probe", pool, images, keep=False)
    check(not graph, f"{what} returned a tensor with a graph.", HINT_POOL_DETACH)
    zero = new_pool(sub, 0)
    out, graph = sub.trusted("ganlab.grading.standins.lab6_query_probe", zero, images, keep=False)
    check(torch.equal(out, images.detach()), "ImagePool(0).query did not return the batch itself.", HINT_POOL_ZERO)
    check(not graph, "ImagePool(0).query returned a tensor with a graph.", HINT_POOL_DETACH)
    expect_new_raises(sub, "ValueError", HINT_POOL_ERRORS, "ImagePool(-1)", "ImagePool", -1)


# -- 7-8. the networks ---------------------------------------------------------------------------------------------

def net_plan(layers):
    """The layers the text fixes, with their settings: convolutions (channels, kernel, stride, bias; transposed ones
    with padding and output padding too) and norms. Paddings of ordinary convolutions are judged by what the network
    computes (reflection padding may be a module, F.pad or padding_mode='reflect')."""
    plan = []
    for layer in layers:
        t = layer["type"]
        if t == "Conv2d":
            plan.append((t, layer["in_channels"], layer["out_channels"], tuple(layer["kernel_size"]),
                         tuple(layer["stride"]), layer["bias"]))
        elif t == "ConvTranspose2d":
            plan.append((t, layer["in_channels"], layer["out_channels"], tuple(layer["kernel_size"]),
                         tuple(layer["stride"]), tuple(layer["padding"]), tuple(layer["output_padding"]),
                         layer["bias"]))
        elif "Norm" in t:
            plan.append((t, layer.get("num_features")))
    return plan


def judge_norms(layers, what):
    for layer in layers:
        t = layer["type"]
        if t.startswith("BatchNorm"):
            fail(f"{what}: `{layer['name']}` is a {t}.", HINT_BATCH_NORM)
        if t == "InstanceNorm2d":
            check(not layer["affine"], f"{what}: `{layer['name']}` has affine=True.", HINT_IN_AFFINE)
            check(not layer["track_running_stats"], f"{what}: `{layer['name']}` has track_running_stats=True.",
                  HINT_IN_STATS)


def judge_net_plan(got, expected, what, hint):
    """``got`` must be ``expected``; without norm modules (a functional instance norm) the convolutions alone."""
    if not any("Norm" in g[0] for g in got):
        expected = [e for e in expected if "Norm" not in e[0]]
    if got == expected:
        return
    convs = [g for g in got if "Conv" in g[0]]
    want = [e for e in expected if "Conv" in e[0]]
    if len(convs) == len(want) and all(g[:-1] == e[:-1] for g, e in zip(convs, want)) and \
            any(not g[-1] for g in convs):
        fail(f"{what} runs the layers {got}, expected {expected}.", HINT_NO_BIAS)
    fail(f"{what} runs the layers {got}, expected {expected}.", hint)


def c3(c):
    return ("Conv2d", c, c, (3, 3), (1, 1), True)


def block_plan(c):
    return [c3(c), ("InstanceNorm2d", c), c3(c), ("InstanceNorm2d", c)]


def judge_block_layers(sub, net, x, c, what):
    layers = structure(sub, net, x)
    judge_norms(layers, what)
    judge_net_plan(net_plan(layers), block_plan(c), what, HINT_BLOCK_LAYERS)


#: Stored from a trusted run: ResidualBlock(2) on BLOCK_X (1, 2, 3, 4) with fill_by_order(seed 61), eval mode.
BLOCK_STORED = [-1.757057, 1.058288, -0.9232904, 0.4904729, -1.299553, -0.2188827, 2.675863, 1.746684, -0.1883116,
                1.71005, -0.2050105, 0.3208329, 0.3284802, 0.2638783, -1.532159, 0.08442175, 1.232641, -0.8226218,
                1.877174, -0.01123548, -1.675125, 0.3883479, -0.7718893, -0.3569684]


@register(BLOCK, points=1)
def block_layers_and_values(sub):
    """ResidualBlock(2) on (1, 2, 3, 4): two bias-carrying 3 x 3 convolutions each followed by InstanceNorm2d without affine parameters or running statistics, and with its parameters set by the test the output of a trusted run, the same in eval and train mode; ResidualBlock(3) keeps the shape (2, 3, 4, 5)."""
    import torch

    x = uniform(61, 1, 2, 3, 4)
    what = "ResidualBlock(2)"
    net = build(sub, "ResidualBlock", HINT_BLOCK_LAYERS, 2)
    judge_block_layers(sub, net, x, 2, what)
    out = outputs_by_mode(sub, net, [x], 61, what, HINT_BLOCK_LAYERS)
    compare_stored(out["eval"], BLOCK_STORED, (1, 2, 3, 4), f"{what}'s output in eval mode", HINT_BLOCK_GENERIC)
    check(torch.allclose(out["train"], out["eval"], rtol=1e-5, atol=1e-6), f"{what}: train and eval mode differ.",
          HINT_IN_STATS)
    net = build(sub, "ResidualBlock", HINT_BLOCK_LAYERS, 3)
    sub.method(net, "eval", keep=False)
    expect_shape(forward(sub, net, [uniform(62, 2, 3, 4, 5)], "ResidualBlock(3)", HINT_BLOCK_SHAPE), (2, 3, 4, 5),
                 "ResidualBlock(3) on (2, 3, 4, 5)", HINT_BLOCK_SHAPE)


def resnet_plan(cin, cout, ngf, blocks, n_down, block=block_plan):
    """The text's generator written out (``block(c)`` gives a residual block's plan)."""
    plan = [("Conv2d", cin, ngf, (7, 7), (1, 1), True), ("InstanceNorm2d", ngf)]
    for i in range(n_down):
        w = ngf << i
        plan += [("Conv2d", w, 2 * w, (3, 3), (2, 2), True), ("InstanceNorm2d", 2 * w)]
    for _ in range(blocks):
        plan += block(ngf * 2 ** n_down)
    for i in range(n_down, 0, -1):
        w = ngf << i
        plan += [("ConvTranspose2d", w, w // 2, (3, 3), (2, 2), (1, 1), (1, 1), True), ("InstanceNorm2d", w // 2)]
    return plan + [("Conv2d", ngf, cout, (7, 7), (1, 1), True)]


def own_block_plan(sub):
    """A residual block's plan as the submission's own ResidualBlock gives it (so a wrong block costs only its own
    exercise's points here)."""
    import torch

    cache: dict = {}

    def plan(c):
        if c not in cache:
            net = build(sub, "ResidualBlock", HINT_BLOCK_LAYERS, c)
            cache[c] = net_plan(structure(sub, net, torch.zeros(1, c, 4, 4)))
        return cache[c]

    return plan


def judge_resnet_layers(sub, net, x, args, what, blocks_ok):
    layers = structure(sub, net, x)
    if not blocks_ok:  # the norms inside your residual blocks are judged in ResidualBlock's exercise
        inside = set(sub.trusted("ganlab.grading.standins.lab6_names_inside", net, "ResidualBlock", keep=False))
        judge_norms([layer for layer in layers if layer["name"] not in inside], what)
    else:
        judge_norms(layers, what)
    expected = resnet_plan(*args, block=block_plan if blocks_ok else own_block_plan(sub))
    judge_net_plan(net_plan(layers), expected, what, HINT_RESNET_LAYERS)


def own_block_right(sub):
    """Whether the submission's ResidualBlock passes its public check's structure and value probe."""
    from ganlab.grading.testing import CheckFailure

    try:
        x = uniform(61, 1, 2, 3, 4)
        net = build(sub, "ResidualBlock", HINT_BLOCK_LAYERS, 2)
        judge_block_layers(sub, net, x, 2, "ResidualBlock")
        out = outputs_by_mode(sub, net, [x], 61, "ResidualBlock", HINT_BLOCK_LAYERS, ("eval",))
        compare_stored(out["eval"], BLOCK_STORED, (1, 2, 3, 4), "ResidualBlock", HINT_BLOCK_GENERIC)
    except CheckFailure:
        return False
    return True


def block_count(sub, c):
    return sub.trusted("ganlab.grading.standins_lab5.count_parameters_meta", sub_global("ResidualBlock"),
                       {"channels": c}, keep=False)


def expected_count(sub, count, blocks, channels, blocks_ok):
    """``count`` (the text's) with the text's residual blocks replaced by the submission's own."""
    if blocks_ok:
        return count
    text_block = 2 * (channels * channels * 9 + channels)
    return count + blocks * (block_count(sub, channels) - text_block)


def resnet_count(sub, kwargs):
    try:
        return sub.trusted("ganlab.grading.standins_lab5.count_parameters_meta", sub_global("ResnetGenerator"),
                           kwargs, keep=False)
    except SubmissionError as exc:
        if exc.kind == "NotImplementedError":
            raise
        fail(f"ResnetGenerator(**{kwargs}) could not be built: {exc}", HINT_RESNET_LAYERS)


RESNET_9_PARAMS = 11_378_179
RESNET_6_PARAMS = 7_837_699
#: Stored from a trusted run: ResnetGenerator(2, 1, ngf=3, n_blocks=0, n_downsampling=1) on RESNET_X (1, 2, 4, 6),
#: fill_by_order(seed 71), eval mode.
RESNET_STORED = [0.3879865, 0.9016038, 0.3488279, 0.9368057, 0.8809214, 0.6432051, 0.9335882, 0.9184028, 0.7473693,
                 0.3901033, 0.7663428, 0.8715761, -0.4383207, 0.4572538, 0.4020359, 0.9232843, 0.7799057, 0.1590394,
                 0.9675243, 0.8102539, 0.9385188, 0.5422461, 0.6952847, 0.4999193]


@register(RESNET, points=1)
def resnet_layers_values_and_count(sub):
    """ResnetGenerator(2, 1, ngf=3, n_blocks=0, n_downsampling=1) on (1, 2, 4, 6): the text's layers and, with its parameters set by the test, the output of a trusted run (eval and train mode identical); ResnetGenerator(3, 3, ngf=4, n_blocks=2) on (2, 3, 8, 8): its layers (your own ResidualBlocks in the middle) and outputs in (-1, 1); the 256 reference has 11,378,179 parameters (7,837,699 with 6 blocks); a 6 x 6 input with two downsamplings and ngf = 0 raise ValueError."""
    import torch

    x = uniform(71, 1, 2, 4, 6)
    what = "ResnetGenerator(2, 1, ngf=3, n_blocks=0, n_downsampling=1)"
    net = build(sub, "ResnetGenerator", HINT_RESNET_LAYERS, 2, 1, ngf=3, n_blocks=0, n_downsampling=1)
    judge_resnet_layers(sub, net, x, (2, 1, 3, 0, 1), what, True)
    out = outputs_by_mode(sub, net, [x], 71, what, HINT_RESNET_LAYERS)
    compare_stored(out["eval"], RESNET_STORED, (1, 1, 4, 6), f"{what}'s output in eval mode", HINT_RESNET_GENERIC)
    check(torch.allclose(out["train"], out["eval"], rtol=1e-5, atol=1e-6), f"{what}: train and eval mode differ.",
          HINT_IN_STATS)
    blocks_ok = own_block_right(sub)
    x8 = uniform(72, 2, 3, 8, 8)
    what = "ResnetGenerator(3, 3, ngf=4, n_blocks=2)"
    net = build(sub, "ResnetGenerator", HINT_RESNET_LAYERS, 3, 3, ngf=4, n_blocks=2)
    judge_resnet_layers(sub, net, x8, (3, 3, 4, 2, 2), what, blocks_ok)
    sub.trusted("ganlab.grading.standins_lab5.fill_by_order", net, 72, x8, keep=False)
    sub.method(net, "eval", keep=False)
    y = as_float_tensor(forward(sub, net, [x8], what, HINT_RESNET_GENERIC), what)
    expect_shape(y, (2, 3, 8, 8), what, HINT_RESNET_LAYERS)
    check(float(y.abs().max()) < 1 and float(y.min()) < 0 < float(y.max()), f"{what}: outputs in "
          f"[{float(y.min()):.3g}, {float(y.max()):.3g}].", HINT_RESNET_TANH)
    for blocks, want in ((9, RESNET_9_PARAMS), (6, RESNET_6_PARAMS)):
        count = resnet_count(sub, {"n_blocks": blocks})
        want = expected_count(sub, want, blocks, 256, blocks_ok)
        check(count == want, f"ResnetGenerator(n_blocks={blocks}) has {count:,} parameters, expected {want:,}.",
              HINT_RESNET_COUNT)
    expect_method_raises(sub, net, "ValueError", HINT_RESNET_ERRORS,
                         "ResnetGenerator(n_downsampling=2) on a 6 x 6 input", uniform(73, 1, 3, 6, 6))
    expect_new_raises(sub, "ValueError", HINT_RESNET_ERRORS, "ResnetGenerator(ngf=0)", "ResnetGenerator", 3, 3,
                      ngf=0)


# -- 9. the generators' objective -----------------------------------------------------------------------------------

STEP_C = 3


def mapping_pair(sub, seed=0):
    """Stand-ins G and F (affine maps with seeded, generic coefficients) that record their inputs."""
    g = sub.trusted("ganlab.grading.standins.lab6_affine_net", 0.8 + 0.05 * seed, 0.15)
    f = sub.trusted("ganlab.grading.standins.lab6_affine_net", 1.2, -0.05 - 0.01 * seed)
    return g, f


def critic_pair(sub, seed=0):
    """Stand-in patch discriminators D_X and D_Y of 3-channel images (Lab 5's recording 2 x 2 convolution)."""
    d_x = sub.trusted("ganlab.grading.standins_lab5.step_discriminator", STEP_C, 20 + seed)
    d_y = sub.trusted("ganlab.grading.standins_lab5.step_discriminator", STEP_C, 40 + seed)
    return d_x, d_y


def domain_inputs(seed, bx=2, by=3, size=4):
    """x and y batches (float32 in [-1, 1)). The objective and the CycleGAN step use equal batch sizes: with unequal
    ones a cycle_loss of yours that compares the wrong pairs would raise inside them and cost their points too."""
    return uniform(600 + seed, bx, STEP_C, size, size), uniform(650 + seed, by, STEP_C, size, size)


def records_of(sub, d):
    return sub.getattr(d, "records")


def find(records, images, what_fails, hint):
    """The record whose input equals ``images``; fails naming the mistake when none does."""
    for r in records:
        if same(r["input"], images):
            return r
    fail(what_fails, hint)


def own_float(sub, name, *args):
    return float(as_float_tensor(sub.call(name, *args), name))


def own_dict(out, keys, what, hint):
    if not isinstance(out, dict) or set(out) != set(keys):
        fail(f"{what} returned {sorted(out) if isinstance(out, dict) else type(out).__name__}, expected the keys "
             f"{sorted(keys)}.", hint)
    if not all(isinstance(v, float) and not isinstance(v, bool) for v in out.values()):
        fail(f"{what} returned values of types {[type(v).__name__ for v in out.values()]}, expected Python floats.",
             hint)
    check(all(math.isfinite(v) for v in out.values()), f"{what} returned non-finite values {out}.", hint)
    return out


def call_objective(sub, nets, x, y, lambdas, what):
    out = sub.call("generator_objective", *nets, x, y, *lambdas)
    if not isinstance(out, (tuple, list)) or len(out) != 4:
        fail(f"{what} returned {type(out).__name__}, expected (loss, terms, y_fake, x_fake).", HINT_OBJ_TUPLE)
    loss, terms, y_fake, x_fake = out
    loss = tensor_or_fail(loss, f"{what}: loss", HINT_OBJ_TUPLE)
    check(loss.dim() == 0, f"{what}: loss has shape {tuple(loss.shape)}.", HINT_OBJ_TUPLE)
    own_dict(terms, ("gan_g", "gan_f", "cycle", "identity"), f"{what}: terms", HINT_OBJ_TUPLE)
    return float(loss), terms, as_float_tensor(tensor_or_fail(y_fake, what, HINT_OBJ_FAKES), what), \
        as_float_tensor(tensor_or_fail(x_fake, what, HINT_OBJ_FAKES), what)


def judge_objective(sub, seed, lambdas, bx=2, by=2):
    """Run generator_objective on recording stand-ins and judge it against the submission's own helpers 3-5."""
    import torch

    g, f = mapping_pair(sub, seed)
    d_x, d_y = critic_pair(sub, seed)
    x, y = domain_inputs(seed, bx, by)
    lam = {"lambda_cyc": 10.0, "lambda_idt": 0.5}
    lam.update(dict(zip(("lambda_cyc", "lambda_idt"), lambdas)))
    what = f"generator_objective(..., x ({bx}, 3, 4, 4), y ({by}, 3, 4, 4){''.join(f', {v:g}' for v in lambdas)})"
    before = {n: params_of(sub, r) for n, r in (("G", g), ("F", f), ("D_X", d_x), ("D_Y", d_y))}
    stale = {"G": 0.25, "F": -0.5, "D_X": 0.75, "D_Y": -0.125}  # gradients left by an earlier step: must stay
    for name, ref in (("G", g), ("F", f), ("D_X", d_x), ("D_Y", d_y)):
        sub.trusted("ganlab.grading.standins.fill_grads", ref, stale[name], keep=False)
    loss, terms, y_fake, x_fake = call_objective(sub, (g, f, d_x, d_y), x, y, lambdas, what)
    for name, ref in (("G", g), ("F", f), ("D_X", d_x), ("D_Y", d_y)):
        state = sub.state(ref)
        check(all(torch.equal(p, before[name][n]) for n, p in state["params"].items()),
              f"{what} changed {name}'s parameters.", HINT_OBJ_SIDE)
        check(all(gr is not None and bool((gr == stale[name]).all()) for gr in state["grads"].values()),
              f"{what} changed the gradients stored in {name}'s parameters (zero_grad or backward inside?).",
              HINT_OBJ_SIDE)
    g_in = sub.getattr(g, "inputs")
    f_in = sub.getattr(f, "inputs")
    find([{"input": i} for i in g_in], x, f"{what}: G was never applied to x_real.", HINT_OBJ_FAKES)
    find([{"input": i} for i in f_in], y, f"{what}: F was never applied to y_real.", HINT_OBJ_FAKES)
    # what the stand-ins compute (affine maps): G(x), F(y)
    gs, gt = [float(v) for v in params_of(sub, g).values()]
    fs, ft = [float(v) for v in params_of(sub, f).values()]
    want_y, want_x = gs * x.double() + gt, fs * y.double() + ft
    close(y_fake, want_y, f"{what}: y_fake", HINT_OBJ_FAKES, rtol=1e-5, atol=1e-6)
    close(x_fake, want_x, f"{what}: x_fake", HINT_OBJ_FAKES, rtol=1e-5, atol=1e-6)
    rec_y, rec_x = records_of(sub, d_y), records_of(sub, d_x)
    if any(same(r["input"], want_y) for r in rec_x) or any(same(r["input"], want_x) for r in rec_y):
        fail(f"{what}: a discriminator saw the other domain's fake.", HINT_OBJ_DOMAINS)
    r_y = find(rec_y, want_y.float(), f"{what}: D_Y never judged y_fake = G(x_real).", HINT_OBJ_DOMAINS)
    r_x = find(rec_x, want_x.float(), f"{what}: D_X never judged x_fake = F(y_real).", HINT_OBJ_DOMAINS)
    check(r_y["requires_grad"] and r_x["requires_grad"], f"{what}: D_Y or D_X judged a fake without autograd "
          "history.", HINT_OBJ_DETACHED)
    gan_g = own_float(sub, "lsgan_generator_loss", r_y["logits"])
    gan_f = own_float(sub, "lsgan_generator_loss", r_x["logits"])
    close([terms["gan_g"], terms["gan_f"]], [gan_g, gan_f], f"{what}: (gan_g, gan_f)", HINT_OBJ_GAN, rtol=1e-5,
          atol=1e-6)
    x_rec, y_rec = (fs * want_y + ft).float(), (gs * want_x + gt).float()
    cyc = own_float(sub, "cycle_loss", x, x_rec, y, y_rec, lam["lambda_cyc"])
    crossed = [own_float(sub, "cycle_loss", x, y_rec, y, x_rec, lam["lambda_cyc"])] if bx == by else []
    close(terms["cycle"], cyc, f"{what}: terms['cycle']", HINT_OBJ_CYCLE, rtol=1e-5, atol=1e-6,
          diagnoses=[(c, HINT_CYC_CROSSED) for c in crossed])
    g2, f2 = mapping_pair(sub, seed)
    idt = own_float(sub, "identity_loss", g2, f2, x, y, lam["lambda_cyc"], lam["lambda_idt"])
    close(terms["identity"], idt, f"{what}: terms['identity']", HINT_OBJ_IDT, rtol=1e-5, atol=1e-6)
    total = terms["gan_g"] + terms["gan_f"] + terms["cycle"] + terms["identity"]
    lam_gan = lam["lambda_cyc"] * (terms["gan_g"] + terms["gan_f"]) + terms["cycle"] + terms["identity"]
    close(loss, total, f"{what}: loss", HINT_OBJ_SUM, rtol=1e-5, atol=1e-6, diagnoses=[(lam_gan, HINT_OBJ_LAMBDA_GAN)])
    return g, f, d_x, d_y, x, y


@register(OBJ, points=1)
def objective_matches_own_helpers(sub):
    """Stand-ins G, F (affine maps) and D_X, D_Y (recording patch critics), x and y batches of 2, lambda_cyc = 7, lambda_idt = 0.3: y_fake = G(x), x_fake = F(y); D_Y judges G(x) and D_X judges F(y); the terms are your own lsgan_generator_loss, cycle_loss(x, F(G(x)), y, G(F(y)), 7) and identity_loss(..., 7, 0.3); loss is their sum and reaches G's and F's parameters; no parameter and no stored gradient changes."""
    g, f, d_x, d_y, x, y = judge_objective(sub, 0, (7.0, 0.3))
    g2, f2 = mapping_pair(sub, 0)
    d_x2, d_y2 = critic_pair(sub, 0)
    value, flags, grads = sub.trusted("ganlab.grading.standins.lab6_backward_grads", sub_global("generator_objective"),
                                      [g2, f2, d_x2, d_y2, x, y, 7.0, 0.3], [g2, f2], keep=False)
    check(all(flags[-2:]) and len(flags) >= 2, "generator_objective returned fakes without autograd history.",
          HINT_OBJ_FAKES)
    check(all(gr is not None and float(gr.abs().sum()) > 0 for net in grads for gr in net),
          "generator_objective: no gradient reached G's or F's parameters through loss.", HINT_OBJ_GRAPH)


# -- 10. the discriminators' step --------------------------------------------------------------------------------------

def pools(sub):
    return (sub.trusted("ganlab.grading.standins.lab6_recording_pool", 0.75, 0.1),
            sub.trusted("ganlab.grading.standins.lab6_recording_pool", 0.6, -0.05))


def pooled(images, scale, shift):
    """What the recording pool returns for ``images``."""
    import torch

    return torch.flip(images, dims=(0,)) * scale + shift


def attached_fakes(sub, seed, x, y):
    """Fakes with autograd history in the submission's process: y_fake = G0(x), x_fake = F0(y) from stand-ins that
    count the gradients reaching them; returns the stand-ins, the two references and their values."""
    g0, f0 = mapping_pair(sub, seed + 7)
    y_fake = sub.method(g0, "__call__", x, keep=True)
    x_fake = sub.method(f0, "__call__", y, keep=True)
    return g0, f0, y_fake, x_fake, sub.state(y_fake)["value"], sub.state(x_fake)["value"]


def same(a, b):
    """Equal shapes and values (up to float32 rounding)."""
    import torch

    return tuple(a.shape) == tuple(b.shape) and bool(torch.allclose(a.double(), b.double(), rtol=1e-5, atol=1e-6))


def call_d_step(sub, args, what):
    try:
        out = sub.call("discriminator_step", *args)
    except SubmissionError as exc:
        if exc.kind == "ValueError" and "pairs" in str(exc):
            fail(f"{what}: {exc}", HINT_DSTEP_PAIRED)
        raise
    return own_dict(out, ("loss_d_x", "loss_d_y"), what, HINT_DSTEP_DICT)


def judge_d_records(sub, what, d, pool, real, fake_raw, other_fake, scale, shift, domain):
    """D's calls in the step: one on the real batch, one on the pool's output of the fake batch, both before the
    update; the pool queried once, with the fakes. Returns (real record, fake record)."""
    queries = sub.getattr(pool, "queries")
    for q in queries:
        if same(q, real):
            fail(f"{what}: the pool of {domain} images was queried with the real batch.", HINT_DSTEP_POOL_REAL)
        if same(q, other_fake) and not same(q, fake_raw):
            fail(f"{what}: the pool of {domain} images was queried with the other domain's fakes.", HINT_DSTEP_POOLS)
    check(len(queries) == 1 and same(queries[0], fake_raw), f"{what}: the pool of {domain} images was queried "
          f"{len(queries)} times, expected once with the fakes.", HINT_DSTEP_POOLS if queries else HINT_DSTEP_NO_POOL)
    records = records_of(sub, d)
    for r in records:
        if r["input"].shape[1] != STEP_C:
            fail(f"{what}: D_{domain} got an input of shape {tuple(r['input'].shape)}.", HINT_DSTEP_PAIRED)
    fake = pooled(fake_raw, scale, shift)
    records = split_joint_batches(records, real, fake)
    for r in records:
        if same(r["input"], fake_raw) and not same(r["input"], fake):
            fail(f"{what}: D_{domain} judged the fakes without the pool.", HINT_DSTEP_NO_POOL)
    check(len(records) == 2, f"{what}: D_{domain} was called {len(records)} times, expected twice (real, pooled fake).",
          HINT_DSTEP_DOMAINS)
    r_real = find(records, real, f"{what}: D_{domain} never judged the real {domain} batch.", HINT_DSTEP_DOMAINS)
    r_fake = find(records, fake, f"{what}: D_{domain} never judged the pooled {domain} fakes.", HINT_DSTEP_NO_POOL)
    check(not r_fake["requires_grad"], f"{what}: D_{domain} judged fakes that carry a graph to the generator.",
          HINT_DSTEP_DETACH)
    check(r_real["fingerprint"] == r_fake["fingerprint"], f"{what}: D_{domain} changed between its two calls.",
          HINT_DSTEP_ONE_UPDATE)
    return r_real, r_fake


def split_joint_batches(records, real, fake):
    """D may judge the real and the pooled fake batch in one pass on their concatenation (the stand-in judges each
    image on its own, so the scores are the same): such a call counts as one call on each part."""
    import torch

    out = []
    for r in records:
        inp = r["input"]
        for first, second in ((real, fake), (fake, real)):
            if inp.shape[0] == first.shape[0] + second.shape[0] and same(inp, torch.cat([first, second])):
                k = first.shape[0]
                out += [dict(r, input=inp[:k], logits=r["logits"][:k]), dict(r, input=inp[k:], logits=r["logits"][k:])]
                break
        else:
            out.append(r)
    return out


def d_step_case(sub, seed, kind, lr, bx, by, stale=False):
    """Run discriminator_step on recording stand-ins and judge it against the submission's own
    lsgan_discriminator_loss; returns what a replay needs."""
    d_x, d_y = critic_pair(sub, seed)
    opt_d = sub.trusted("ganlab.grading.standins.lab6_joint_optimizer", [d_x, d_y], kind, lr)
    if stale:
        sub.trusted("ganlab.grading.standins.fill_grads", d_x, 0.4, keep=False)
        sub.trusted("ganlab.grading.standins.fill_grads", d_y, -0.2, keep=False)
    x, y = domain_inputs(seed, bx, by)
    g0, f0, y_fake, x_fake, y_fake_v, x_fake_v = attached_fakes(sub, seed, x, y)
    pool_x, pool_y = pools(sub)
    before = {"D_X": params_of(sub, d_x), "D_Y": params_of(sub, d_y)}
    what = f"discriminator_step (x batch {bx}, y batch {by}, {kind})"
    out = call_d_step(sub, [d_x, d_y, opt_d, x, y, x_fake, y_fake, pool_x, pool_y], what)
    ry, fy = judge_d_records(sub, what, d_y, pool_y, y, y_fake_v, x_fake_v, 0.6, -0.05, "Y")
    rx, fx = judge_d_records(sub, what, d_x, pool_x, x, x_fake_v, y_fake_v, 0.75, 0.1, "X")
    check(sub.getattr(g0, "backward_count") == 0 and sub.getattr(f0, "backward_count") == 0,
          f"{what}: a gradient reached the networks that made the fakes.", HINT_DSTEP_DETACH)
    want = [own_float(sub, "lsgan_discriminator_loss", rx["logits"], fx["logits"]),
            own_float(sub, "lsgan_discriminator_loss", ry["logits"], fy["logits"])]
    close([out["loss_d_x"], out["loss_d_y"]], want, f"{what}: (loss_d_x, loss_d_y)", HINT_DSTEP_LOSS, rtol=1e-5,
          atol=1e-6, diagnoses=[(want[::-1], HINT_DSTEP_DOMAINS)])
    steps = sub.getattr(opt_d, "step_count")
    check(steps == 1, f"{what}: opt_d.step() was called {steps} times.", HINT_DSTEP_ONE_UPDATE)
    for name, ref in (("D_X", d_x), ("D_Y", d_y)):
        after = params_of(sub, ref)
        check(any(not torch_equal(after[n], before[name][n]) for n in after), f"{what}: {name}'s parameters did not "
              "change.", HINT_DSTEP_NOT_MOVED)
    return out, (d_x, d_y), (x, y, x_fake_v, y_fake_v)


def torch_equal(a, b):
    import torch

    return torch.equal(a, b)


@register(D_STEP, points=1)
def d_step_pools_detach_and_losses(sub):
    """Recording stand-ins D_X, D_Y and pools, one SGD over both, x batch 2, y batch 3, fakes with a graph to the networks that made them: D_Y judges y_real and pool_y.query(y_fake), D_X judges x_real and pool_x.query(x_fake), each pool queried once with its fakes only, the pooled fakes detached; the two floats are your own lsgan_discriminator_loss of those scores; one opt_d.step() moves both."""
    d_step_case(sub, 0, "sgd", 0.1, 2, 3)


# -- 11. the CycleGAN step --------------------------------------------------------------------------------------------

STEP_KEYS = ("loss_g", "gan_g", "gan_f", "cycle", "identity", "loss_d_x", "loss_d_y")
OBJ_ARGS = ("G", "F", "D_X", "D_Y", "x_real", "y_real", "lambda_cyc", "lambda_idt")
D_STEP_ARGS = ("D_X", "D_Y", "opt_d", "x_real", "y_real", "x_fake", "y_fake", "pool_x", "pool_y")


def bind(call, names):
    """A recorded call's arguments by parameter name (positional ones in the contract's order, then keywords);
    the contract's defaults fill in the lambdas that were left out."""
    out = {n: v for n, v in zip(names, call["args"])}
    out.update(call["kwargs"])
    for k in ("lambda_cyc", "lambda_idt"):
        if k in names and k not in out:
            out[k] = 10.0 if k == "lambda_cyc" else 0.5
    return out


def obj_id(recorded):
    return recorded.get("object") if isinstance(recorded, dict) else None


def same_tensor(recorded, t):
    return isinstance(recorded, dict) and "tensor" in recorded and same(recorded["tensor"], t)


def step_setup(sub, seed, kind, lr, stale=False):
    g, f = mapping_pair(sub, seed)
    d_x, d_y = critic_pair(sub, seed)
    opt_g = sub.trusted("ganlab.grading.standins.lab6_joint_optimizer", [g, f], kind, lr)
    opt_d = sub.trusted("ganlab.grading.standins.lab6_joint_optimizer", [d_x, d_y], kind, lr)
    if stale:
        for ref, v in ((g, 0.3), (f, -0.4), (d_x, 0.5), (d_y, -0.25)):
            sub.trusted("ganlab.grading.standins.fill_grads", ref, v, keep=False)
    return (g, f, d_x, d_y), opt_g, opt_d


def step_case(sub, seed, kind, lr, bx, by, lambdas=(), stale=False):
    """Run cyclegan_step on stand-ins with the submission's own generator_objective and discriminator_step watched;
    judge the order of the calls, their arguments and what the step returns. Returns what a replay needs."""
    import torch

    nets, opt_g, opt_d = step_setup(sub, seed, kind, lr, stale)
    g, f, d_x, d_y = nets
    for ref in nets:  # handed over in evaluation mode: the step puts them in training mode (its docstring)
        sub.method(ref, "eval", keep=False)
    x, y = domain_inputs(seed, bx, by)
    pool_x, pool_y = pools(sub)
    ids = sub.trusted("ganlab.grading.standins.lab6_ids", g, f, d_x, d_y, opt_d, pool_x, pool_y, keep=False)
    before = {n: params_of(sub, r) for n, r in zip(("G", "F", "D_X", "D_Y"), nets)}
    what = f"cyclegan_step (x batch {bx}, y batch {by}, {kind})"
    sub.trusted("ganlab.grading.standins.lab6_watch", sub_global("cyclegan_step"),
                ["generator_objective", "discriminator_step"],
                {"discriminator_step": {"loss_d_x": -1.0, "loss_d_y": -2.0}}, keep=False)
    try:
        out = sub.call("cyclegan_step", *nets, opt_g, opt_d, x, y, pool_x, pool_y, *lambdas)
    except SubmissionError as exc:
        calls = sub.trusted("ganlab.grading.standins.lab6_unwatch", keep=False)
        if any(c["name"] == "discriminator_step" and not all(all(f) for f in c["flags"]) for c in calls):
            fail(f"{what} raised {exc.kind} in discriminator_step, whose discriminators did not require gradients.",
                 HINT_STEP_D_FROZEN)
        raise
    calls = sub.trusted("ganlab.grading.standins.lab6_unwatch", keep=False)
    out = own_dict(out, STEP_KEYS, what, HINT_STEP_DICT)
    names = [c["name"] for c in calls]
    check(names == ["generator_objective", "discriminator_step"], f"{what} called {names}.", HINT_STEP_HELPERS
          if sorted(names) != sorted(["generator_objective", "discriminator_step"]) else HINT_STEP_ORDER)
    obj, dst = calls
    lam = {"lambda_cyc": 10.0, "lambda_idt": 0.5}
    lam.update(dict(zip(("lambda_cyc", "lambda_idt"), lambdas)))
    a = bind(obj, OBJ_ARGS)
    check([obj_id(a.get(n)) for n in OBJ_ARGS[:4]] == ids[:4], f"{what}: generator_objective did not get "
          "(G, F, D_X, D_Y) in this order.", HINT_STEP_HELPERS)
    check(same_tensor(a.get("x_real"), x) and same_tensor(a.get("y_real"), y),
          f"{what}: generator_objective did not get (x_real, y_real).", HINT_STEP_HELPERS)
    for k in ("lambda_cyc", "lambda_idt"):
        check(a.get(k) == lam[k], f"{what}: generator_objective got {k}={a.get(k)}, expected {lam[k]}.",
              HINT_STEP_HELPERS)
    loss_r, terms_r, y_fake_r, x_fake_r = obj["result"]
    b = bind(dst, D_STEP_ARGS)
    check([obj_id(b.get(n)) for n in ("D_X", "D_Y", "opt_d", "pool_x", "pool_y")] == ids[2:7],
          f"{what}: discriminator_step did not get (D_X, D_Y, opt_d, ..., pool_x, pool_y).", HINT_STEP_HELPERS)
    check(same_tensor(b.get("x_real"), x) and same_tensor(b.get("y_real"), y),
          f"{what}: discriminator_step did not get (x_real, y_real).", HINT_STEP_HELPERS)
    check(same_tensor(b.get("x_fake"), x_fake_r["tensor"]) and same_tensor(b.get("y_fake"), y_fake_r["tensor"]),
          f"{what}: discriminator_step did not get the x_fake and y_fake of generator_objective.", HINT_STEP_FAKES)
    check(all(all(flags) for flags in dst["flags"]), f"{what}: the discriminators' parameters did not require "
          "gradients when discriminator_step ran.", HINT_STEP_D_FROZEN)
    d_step_ran = "error" not in dst  # your discriminator_step raised: judged in its own exercise, not here
    want = [loss_r["tensor"].item(), terms_r["gan_g"], terms_r["gan_f"], terms_r["cycle"], terms_r["identity"],
            dst["result"]["loss_d_x"], dst["result"]["loss_d_y"]]
    close([out[k] for k in STEP_KEYS], want, f"{what}: {STEP_KEYS}", HINT_STEP_VALUES, rtol=1e-5, atol=1e-6)
    steps = sub.getattr(opt_g, "step_count")
    check(steps == 1, f"{what}: opt_g.step() was called {steps} times.", HINT_STEP_G_STEPS)
    flags = sub.trusted("ganlab.grading.standins.lab6_flags", d_x, d_y, keep=False)
    check(all(flags), f"{what}: after the step the discriminators' parameters do not require gradients.",
          HINT_STEP_D_FROZEN)
    for name, ref in zip(("G", "F", "D_X", "D_Y"), nets):
        state = sub.state(ref)
        check(all(state["training"].values()), f"{what} left {name} in evaluation mode.", HINT_STEP_MODE)
        after = {n: p.clone() for n, p in state["params"].items()}
        check(any(not torch.equal(after[n], before[name][n]) for n in after) or (name[0] == "D" and not d_step_ran),
              f"{what}: {name}'s parameters did not change.", HINT_STEP_NOT_MOVED)
    check(all(sub.getattr(g, "training_flags")) and all(sub.getattr(f, "training_flags")),
          f"{what}: G or F ran in evaluation mode.", HINT_STEP_MODE)
    rec_y = records_of(sub, d_y)  # G's objective judges through D_Y first, then the D step: D_Y unchanged in between
    check(all(r["fingerprint"] == rec_y[0]["fingerprint"] for r in rec_y), f"{what}: D_Y changed during G's update.",
          HINT_STEP_D_LEAK)
    return out, nets, (x, y), before


@register(STEP, points=1)
def step_calls_own_helpers_in_order(sub):
    """Stand-ins, SGD, x and y batches of 2, lambda_cyc = 6, lambda_idt = 0.4, networks handed over in evaluation mode: cyclegan_step calls your generator_objective (G, F, D_X, D_Y, x, y, 6, 0.4) and then your discriminator_step with its fakes and the pools; returns their values as seven floats; opt_g steps once; all four networks change, end in training mode, and D's parameters require gradients again."""
    step_case(sub, 0, "sgd", 0.05, 2, 2, (6.0, 0.4))


# -- 12. the linear decay ---------------------------------------------------------------------------------------------

#: n_constant 3, n_decay 4, epochs 0 .. 8: 1, 1, 1, then 1 - k / 5 for k = 1 .. 4 (0.8, 0.6, 0.4, 0.2), then 0, 0.
#: Known mistakes: dividing by n_decay 1, 1, 1, 0.75, 0.5, 0.25, 0, 0, 0; one epoch late 1, 1, 1, 1, 0.8, 0.6, 0.4,
#: 0.2, 0; late and by n_decay 1, 1, 1, 1, 0.75, 0.5, 0.25, 0, 0; decaying from epoch 0 (n_constant ignored)
#: 0.8, 0.6, 0.4, 0.2, 0, ...; or by the whole run 1 - (e + 1) / 8.
DECAY_WANT = [1.0, 1.0, 1.0, 0.8, 0.6, 0.4, 0.2, 0.0, 0.0]
DECAY_WRONGS = [([1, 1, 1, 0.75, 0.5, 0.25, 0, 0, 0], HINT_DECAY_N_DECAY), ([1, 1, 1, 1, 0.8, 0.6, 0.4, 0.2, 0],
                                                                            HINT_DECAY_LATE),
                ([1, 1, 1, 1, 0.75, 0.5, 0.25, 0, 0], HINT_DECAY_LATE), ([0.8, 0.6, 0.4, 0.2, 0, 0, 0, 0, 0],
                                                                         HINT_DECAY_FROM_ZERO),
                ([1 - (e + 1) / 8 for e in range(8)] + [0.0], HINT_DECAY_FROM_ZERO),
                ([1 - e / 8 for e in range(9)], HINT_DECAY_FROM_ZERO)]


@register(DECAY, points=1)
def decay_hand_worked(sub):
    """linear_decay(epoch, 3, 4) for epochs 0 .. 8 is 1, 1, 1, 0.8, 0.6, 0.4, 0.2, 0, 0 (Python floats); n_decay = 0 raises ValueError."""
    got = []
    for epoch in range(9):
        v = sub.call("linear_decay", epoch, 3, 4)
        check(isinstance(v, float) and not isinstance(v, bool), f"linear_decay({epoch}, 3, 4) returned "
              f"{type(v).__name__}.", HINT_DECAY_TYPE)
        got.append(v)
    close(got, DECAY_WANT, "linear_decay(epoch, 3, 4) for epochs 0 .. 8", HINT_DECAY_GENERIC, rtol=1e-9, atol=1e-9,
          diagnoses=[([float(v) for v in w], h) for w, h in DECAY_WRONGS])
    expect_raises(sub, "ValueError", HINT_DECAY_ERRORS, "linear_decay(2, 3, 0)", "linear_decay", 2, 3, 0)
