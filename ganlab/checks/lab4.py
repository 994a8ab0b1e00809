"""Public checks for Lab 4 (conditional GANs).

This file ships to students, so it never computes an expected value with the formula an exercise asks for:
expected values are numbers worked out by hand on small inputs the test sets (the working is in the comments:
logits chosen as logarithms so that every probability is a simple fraction), or outputs of the stand-in networks
stored from a trusted run. Known mistakes are recognised by stored numbers too. Inputs are generic (unequal
batch sizes, labels in no particular order, no zero intermediates), so a wrong formula does not pass by
coincidence. Networks are checked by their layers (what the text asks for) and by what they compute on
parameters set by the test, never by their initialisation; training and sampling functions run on stand-in
networks that record what they were given (labels, grad mode, train/eval mode). The hidden tests (instructor
side) add other sizes, batches of one, the errors the docstrings promise, networks compared with trusted copies
of the text's architectures, and replays of the training step with Adam and momentum.
"""

from __future__ import annotations

import math

from ganlab.checks.lab3 import check, close, fail, make_optimizer, params_of
from ganlab.grading.netcheck import structure
from ganlab.grading.testing import (CheckFailure, SubmissionError, as_float_tensor, exercise, expect_new_raises, expect_raises,
                                    register)
from ganlab.grading.wire import Trusted

LAB = "lab4"

Q_VALUE = exercise(LAB, "answer_optimal_value", title="The value of the conditional game at the optimum")
Q_BLIND = exercise(LAB, "answer_blind_discriminator", title="A discriminator that never sees the label")
ONE_HOT = exercise(LAB, "one_hot", title="One-hot codes")
CONCAT = exercise(LAB, "concat_condition", title="Conditioning by concatenation")
MLP_G = exercise(LAB, "ConditionalMLPGenerator", title="A conditional MLP generator")
MLP_D = exercise(LAB, "ConditionalMLPDiscriminator", title="A conditional MLP discriminator")
CONV_G = exercise(LAB, "ConditionalGenerator", title="A conditional convolutional generator")
CONV_D = exercise(LAB, "ConditionalDiscriminator", title="A conditional convolutional discriminator")
STEP = exercise(LAB, "cgan_train_step", title="One conditional GAN training step")
GRID = exercise(LAB, "sample_class_grid", title="A class-conditional sample grid")
INTERP = exercise(LAB, "interpolate_in_class", title="Interpolation with the class fixed")
PROJ = exercise(LAB, "ProjectionHead", title="The projection discriminator's head")
CBN = exercise(LAB, "ConditionalBatchNorm2d", title="Conditional batch norm")
ACGAN_D = exercise(LAB, "ACGANDiscriminator", title="The ACGAN discriminator")
ACGAN_DL = exercise(LAB, "acgan_d_loss", title="ACGAN: the discriminator's loss")
ACGAN_GL = exercise(LAB, "acgan_g_loss", title="ACGAN: the generator's loss")
FLOOR = exercise(LAB, "double_softmax_floor", title="The floor of a softmax applied twice")
INFO_LATENT = exercise(LAB, "sample_infogan_latent", title="InfoGAN's codes")
INFO_Q = exercise(LAB, "infogan_q_loss", title="InfoGAN's information loss")
INFO_OPT = exercise(LAB, "infogan_optimizers", title="InfoGAN's three optimizers")
INFO_STEP = exercise(LAB, "infogan_step", title="One InfoGAN training step")

# Hints are module-level constants: hidden feedback shows only those (autograder.runner.allowed_hints).
HINT_SHAPE = "The result does not have the shape the docstring promises: reread its Returns section."
HINT_ANSWER_NUMBER = "Return a float, e.g. 0.5, not a string."
HINT_ANSWER_LETTER = "Return one letter as a string."
HINT_ONE_HOT_SIZE = ("The code has the wrong number of columns: pass num_classes to F.one_hot (without it, the size is "
                     "max(y) + 1 of this batch, which changes from batch to batch).")
HINT_ONE_HOT_SHIFT = "The 1 is in the wrong column: row b has its 1 in column y[b] (labels start at 0)."
HINT_ONE_HOT_DTYPE = "one_hot returns float32 (F.one_hot gives int64: convert with .float())."
HINT_ONE_HOT_GENERIC = "Row b of the one-hot code is 1 in column y[b] and 0 elsewhere."
HINT_ONE_HOT_ERRORS = ("one_hot must raise ValueError for a label outside 0..K-1 and for y that is not an integer "
                       "tensor of shape (B,): check y's dtype and dim and its min and max first.")
HINT_MUTATES = "The function changed its inputs in place: work on new tensors."
HINT_CONCAT_ORDER = ("The flattened input comes first and the label code after it (the code fills the last "
                     "columns), not the other way round.")
HINT_CONCAT_EMBED = "With an embedding, append embedding(y) (the learned vector), not the one-hot code."
HINT_CONCAT_GENERIC = "concat_condition is [h flattened to (B, D), code] along dim 1."
HINT_CONCAT_GRAD = ("No gradient reached h or the embedding: build the result with torch.cat from h and embedding(y) "
                    "(no .detach(), no torch.tensor(...) copies).")
HINT_CONCAT_ERRORS = "concat_condition must raise ValueError when y does not hold one label per row of h."
HINT_G_RANGE = "The generator's images must lie in (-1, 1): end with Tanh."
HINT_G_SIGMOID = "The generator's images are never negative: that is a Sigmoid at the end; the text asks for Tanh."
HINT_MLP_G_LAYERS = ("The generator's layers differ from the text: Linear(latent_dim + K, hidden) -> LeakyReLU(0.2) -> "
                     "Linear(hidden, hidden) -> LeakyReLU(0.2) -> Linear(hidden, S * S) -> Tanh.")
HINT_MLP_D_LAYERS = ("The discriminator's layers differ from the text: Linear(S * S + K, hidden) -> LeakyReLU(0.2) -> "
                     "Linear(hidden, hidden) -> LeakyReLU(0.2) -> Linear(hidden, 1), no Sigmoid.")
HINT_SLOPE = "LeakyReLU's slope must be 0.2: nn.LeakyReLU() defaults to 0.01, so pass nn.LeakyReLU(0.2)."
HINT_D_SIGMOID = ("The discriminator ends with a Sigmoid: return raw logits, the loss "
                  "(binary_cross_entropy_with_logits) applies the sigmoid itself, stably.")
HINT_IGNORES_LABEL = ("The output does not change with the label: the network must be given y (one_hot(y) "
                      "concatenated to its input); a discriminator that never sees y lets G ignore the label.")
HINT_D_SHAPE = "The discriminator returns one logit per sample, shape (B,) (squeeze only dim 1, never .squeeze())."
HINT_CONV_G_LAYERS = ("The generator's layers differ from the text: ConvTranspose2d(latent_dim + K, C_0, 4, 1, 0) then "
                      "ConvTranspose2d 4/2/1 blocks halving the widths, bias-free with BatchNorm2d and ReLU; the last "
                      "ConvTranspose2d(base_channels, C_img, 4, 2, 1) has a bias and a Tanh.")
HINT_CONV_D_LAYERS = ("The discriminator's layers differ from the text: Conv2d(C_img + K, base, 4, 2, 1) -> "
                      "LeakyReLU(0.2), then Conv2d 4/2/1 blocks doubling the width (bias-free, BatchNorm2d, "
                      "LeakyReLU(0.2)) down to 4 x 4, then Conv2d(C_last, 1, 4, 1, 0) with a bias.")
HINT_BN_EPS = ("A batch norm has eps=0.8: nn.BatchNorm2d(C, 0.8) sets eps (the second positional argument), not "
               "momentum. Use nn.BatchNorm2d(C).")
HINT_BN_SETTINGS = "Use batch norm's defaults (eps 1e-5, momentum 0.1, affine): nn.BatchNorm2d(C)."
HINT_SIZE_ERROR = "The network must raise ValueError for an image_size other than 8, 16, 32 or 64."
HINT_STEP_PAIR = "cgan_train_step must return the pair (d_loss, g_loss) as Python floats (loss.item())."
HINT_STEP_REAL_LABELS = ("The discriminator judged the real images with labels other than y_real: real pairs are "
                         "(x_real, y_real).")
HINT_STEP_FAKE_LABELS = ("The discriminator judged the fakes with labels other than those given to the generator: "
                         "the fake pairs are (generator(z, y_fake), y_fake), in both steps.")
HINT_STEP_DETACH = ("Gradients from the discriminator's loss reached the generator: detach the fakes in the "
                    "discriminator step (discriminator(x_fake.detach(), y_fake)).")
HINT_STEP_NO_G_GRAD = ("No gradient reached the generator: compute g_loss from discriminator(generator(z, y_fake), "
                       "y_fake), not detached, and call backward on it.")
HINT_STEP_LABELS_SWAPPED = "Real pairs have target 1 and fake pairs target 0 in the discriminator's loss."
HINT_STEP_GENERIC = ("d_loss = BCE(D(x_real, y_real), 1) + BCE(D(x_fake.detach(), y_fake), 0) (logits, batch means), "
                     "before the discriminator's update.")
HINT_STEP_NOT_MOVED = "A network's parameters did not change: call its optimizer's step() after its backward pass."
HINT_STEP_G_SATURATING = "The generator's loss is the non-saturating BCE(D(G(z, y), y), 1) = -log D, which is > 0."
HINT_GRID_TRAIN = ("The grid was drawn in training mode: batch norm used the batch's statistics. Call "
                   "generator.eval() before sampling (and restore the previous mode afterwards).")
HINT_GRID_NO_GRAD = "The images carry a graph (or the generator ran with gradients on): draw them under torch.no_grad()."
HINT_GRID_RESTORE = "Restore the generator's previous mode afterwards: generator.train(was_training), also on errors."
HINT_GRID_ORDER = ("The grid is class-major: block k (indices k * n ... k * n + n - 1) is class k for every latent, "
                   "labels [0]*n + [1]*n + ... and latents z, z, ..., z (z.repeat(K, 1)).")
HINT_GRID_GENERIC = "The grid differs from the generator's evaluation-mode output for these latents and labels."
HINT_GRID_STATS = "Drawing the grid changed batch norm's running statistics: sample in evaluation mode."
HINT_INTERP_ENDS = "The path must start at generator(z0, y) and end at generator(z1, y): t runs from 0 to 1."
HINT_INTERP_CLASS = "Every image of the path has the same class y (torch.full((steps,), y))."
HINT_INTERP_GENERIC = "The latents are (1 - t) z0 + t z1 for t = linspace(0, 1, steps)."
HINT_INTERP_STEPS = "interpolate_in_class must raise ValueError for steps < 2."
HINT_PROJ_AFTER_LINEAR = ("The class term multiplies psi's output: the projection is the inner product of embed(y) "
                          "with the features phi(x), added to the linear output: linear(phi) + <embed(y), phi>.")
HINT_PROJ_NO_PHI = ("The class term does not depend on the features: it is the inner product <embed(y), phi(x)>, "
                    "not a per-class bias (sum of embed(y)).")
HINT_PROJ_NO_BIAS = "psi is nn.Linear(num_features, 1) with its bias (the text asks for the default bias=True)."
HINT_PROJ_GENERIC = "The logit is linear(phi).squeeze(1) + (embed(y) * phi).sum(1)."
HINT_PROJ_LAYERS = ("ProjectionHead needs two layers: psi, a linear map from the num_features features to one "
                    "logit (with bias), and an embedding of each of the num_classes classes as a num_features vector.")
HINT_CBN_AFFINE = ("The batch norm under the conditional scale and shift has affine parameters of its own: use "
                   "nn.BatchNorm2d(num_features, affine=False); gamma and beta come only from the class.")
HINT_CBN_SHAPE = ("gamma and beta hold one value per class and channel: nn.Embedding(num_classes, num_features), "
                  "looked up with y and reshaped to (B, C, 1, 1).")
HINT_CBN_INIT = "gamma starts at all ones and beta at all zeros (nn.init.ones_, nn.init.zeros_), so CBN starts as BN."
HINT_CBN_GENERIC = "out[b, c] = gamma[y[b], c] * bn(x)[b, c] + beta[y[b], c] with bn = BatchNorm2d(C, affine=False)."
HINT_CBN_STATS = "The running statistics differ: normalise with nn.BatchNorm2d(num_features, affine=False) (momentum 0.1)."
HINT_AC_SOFTMAX = ("The class head returns probabilities (a softmax): return logits, F.cross_entropy applies its own "
                   "log-softmax (a softmax applied twice puts a floor under the loss).")
HINT_AC_SIGMOID = "The source head ends with a Sigmoid: return the raw logit."
HINT_AC_LAYERS = ("The ACGAN discriminator's layers differ from the text: the trunk of ConditionalDiscriminator (image "
                  "only), then two Conv2d(C_last, out, 4, 1, 0) heads with bias: source (1) and classes (K).")
HINT_AC_SHAPES = "forward returns (source_logits of shape (B,), class_logits of shape (B, K))."
HINT_AC_NO_FAKE_CLASS = ("The fakes are not classified: acgan_d_loss is the paper's loss, whose L_C is on real AND "
                         "generated images, so add CE(class_fake, y_fake) (which terms train D is the training step's "
                         "choice, not the loss's).")
HINT_AC_SOFTMAX_CE = ("A softmax before F.cross_entropy: cross_entropy takes logits and applies log-softmax itself; "
                      "pass the class logits directly.")
HINT_AC_SOFTMAX_NLL = ("F.nll_loss expects log-probabilities (log_softmax), not probabilities (softmax); or pass the "
                       "logits to F.cross_entropy.")
HINT_AC_NO_SOURCE_FAKE = "The source loss of the fakes is missing: D also wants BCE(source_fake, 0)."
HINT_AC_SOURCE_SWAPPED = "Real images have source target 1 and fakes 0 in the discriminator's loss."
HINT_AC_MEAN_OF_TERMS = "The loss is the sum of the four batch means, not their average."
HINT_AC_D_GENERIC = ("acgan_d_loss = BCE(source_real, 1) + BCE(source_fake, 0) + CE(class_real, y_real) + "
                     "CE(class_fake, y_fake), from logits, batch means.")
HINT_AC_G_SATURATING = ("The source term is the saturating -BCE(source_fake, 0) = log(1 - D): use the non-saturating "
                        "BCE(source_fake, 1).")
HINT_AC_G_NO_CLASS = "G also wants its samples classified as the class it was asked for: add CE(class_fake, y_fake)."
HINT_AC_G_GENERIC = "acgan_g_loss = BCE(source_fake, 1) + CE(class_fake, y_fake), from logits, batch means."
HINT_AC_GRADS = ("The loss does not backpropagate to its logits with the right gradient: build it with torch "
                 "functions on the given tensors (no .item(), .detach() or numpy).")
HINT_AC_FINITE = "The loss is not finite for large logits: use the logits forms (binary_cross_entropy_with_logits, cross_entropy)."
HINT_FLOOR_LOG_K = ("log K is the loss at uniform probabilities; the floor is lower: the best the network can do is put "
                    "probability 1 on the right class, and then softmax sees inputs (1, 0, ..., 0).")
HINT_FLOOR_GENERIC = ("Minimise -log softmax(p)_y over probability vectors p: the minimum is at p = one-hot(y); compute "
                      "-log(e / (e + K - 1)).")
HINT_FLOOR_TYPE = "double_softmax_floor returns a Python float."
HINT_FLOOR_ERROR = "double_softmax_floor must raise ValueError for num_classes < 1."
HINT_LATENT_NORMAL = ("The continuous codes are drawn from a normal distribution: InfoGAN draws them from U(-1, 1) "
                      "(torch.rand(...) * 2 - 1).")
HINT_LATENT_01 = "The continuous codes lie in [0, 1): U(-1, 1) is torch.rand(...) * 2 - 1."
HINT_LATENT_LAYOUT = ("The latent is [z, one_hot(c_cat), c_cont] in this order, and its one-hot and continuous parts "
                      "must be the codes returned alongside it.")
HINT_LATENT_TYPES = "latent and c_cont are float32, c_cat is int64, with the shapes of the docstring."
HINT_LATENT_CAT = "c_cat must be uniform over all num_categories values (torch.randint(0, num_categories, (B,)))."
HINT_LATENT_SEED = "Draw everything with the given torch.Generator (generator=generator), so the draws are reproducible."
HINT_LATENT_Z = "z is standard normal (torch.randn), mean 0 and variance 1."
HINT_Q_SQUASHED = ("The predicted means are squashed (sigmoid or tanh) before the Gaussian term: the codes lie in "
                   "[-1, 1], and cont_mean is used as it is.")
HINT_Q_MEAN_OVER_CODES = "Sum the squared errors over the continuous codes, then average over the batch (not a mean over both)."
HINT_Q_NO_HALF = "The Gaussian negative log-likelihood with unit variance is (c - mu)^2 / 2: the factor 1/2 is missing."
HINT_Q_WEIGHT = "loss = cat_part + cont_weight * cont_part; cont_part itself does not include cont_weight."
HINT_Q_SOFTMAX = "A softmax before F.cross_entropy: pass the categorical logits directly."
HINT_Q_GENERIC = ("infogan_q_loss: cat_part = CE(cat_logits, c_cat), cont_part = mean over the batch of sum over codes of "
                  "(c_cont - cont_mean)^2 / 2, loss = cat_part + cont_weight * cont_part.")
HINT_Q_TRIPLE = "infogan_q_loss returns the triple (loss, cat_part, cont_part) of scalar tensors."
HINT_INFO_OPT_TRIPLE = "infogan_optimizers returns the triple (opt_g, opt_d, opt_info) of torch.optim.Adam optimizers."
HINT_INFO_OPT_ADAM = "Each of the three optimizers is torch.optim.Adam with the given betas (betas=betas)."
HINT_INFO_OPT_G = "opt_g holds every parameter of the generator (generator.parameters()) and nothing else, at lr_g."
HINT_INFO_OPT_D = "opt_d holds every parameter of the discriminator (discriminator.parameters()) and nothing else, at lr_d."
HINT_INFO_TRUNK = ("opt_info misses the discriminator's shared trunk: Q is a head on D's trunk, and the information "
                   "loss must train the trunk too (give opt_info all of the discriminator's parameters).")
HINT_INFO_NO_G = "opt_info misses the generator: the information loss trains G (and Q), so G's parameters belong in it."
HINT_INFO_LR = ("In opt_info the generator's parameters use lr_g and the discriminator's lr_d: two parameter groups, "
                "e.g. Adam([{'params': G's, 'lr': lr_g}, {'params': D's, 'lr': lr_d}], betas=betas).")
HINT_INFO_OPT_EXTRA = "An optimizer holds a tensor that belongs to neither network, or the same parameter twice."
HINT_INFO_STEP_TRIPLE = "infogan_step returns the triple (d_loss, g_loss, info_loss) as Python floats (loss.item())."
HINT_INFO_MI_IN_D = ("d_loss includes the information term: D's loss is the adversarial value only, BCE(real, 1) + "
                     "BCE(fake, 0); the information loss trains G and Q (with the trunk) through opt_info.")
HINT_INFO_STEP_DETACH = ("Gradients from D's loss reached the generator: detach the fakes in D's update "
                         "(discriminator(x_fake.detach())).")
HINT_INFO_STEP_BACKWARDS = ("The generator's output should receive exactly two gradients per step: one from g_loss "
                            "and one from the information loss of freshly drawn fakes.")
HINT_INFO_STEP_GENERIC = ("infogan_step: d_loss = BCE(D(x_real), 1) + BCE(D(x_fake.detach()), 0); g_loss = BCE(D(x_fake), "
                          "1) after D's update; info_loss = q_loss_fn(...)[0] on fakes drawn again after G's update, "
                          "minimised as info_weight * info_loss with opt_info. Each from zero gradients.")
HINT_INFO_STEP_SPLIT = ("Split the Q head's output at K = head.shape[1] - c_cont.shape[1]: head[:, :K] are the "
                        "categorical logits, head[:, K:] the continuous means, and G's input is cat([z, c_cont], 1).")
HINT_INFO_STEP_STALE = ("The parameters after the step differ: call each optimizer's zero_grad() before its backward "
                        "pass (opt_info.zero_grad() drops the gradients g_loss left on G and D), and step each once.")


def with_trusted_helpers(name):
    """Decorator: run the test with a trusted ``one_hot`` in the namespace of the submission's ``name``, so a network
    or sampler is judged on its own (a wrong one_hot costs only its own points). The submission's own
    ``concat_condition`` stays: these checks look at layers, shapes and ranges, which a concatenation in the wrong
    order does not change; the hidden tests, which compare values, give the grader's values to its calls."""
    import functools

    def deco(test):
        @functools.wraps(test)
        def wrapped(sub):
            if sub.has(name):
                sub.trusted("ganlab.grading.standins.lab4_trusted_helpers", sub_global(name), keep=False)
            try:
                return test(sub)
            finally:
                sub.trusted("ganlab.grading.standins.lab4_restore_helpers", keep=False)

        return wrapped

    return deco


def generator(seed):
    import torch

    return torch.Generator().manual_seed(seed)


def tensor_or_fail(value, what, hint):
    import torch

    if not isinstance(value, torch.Tensor):
        fail(f"{what} should return a tensor, got {type(value).__name__}.", hint)
    return value


def expect_shape(value, expected, what, hint=HINT_SHAPE):
    shape = tuple(getattr(value, "shape", ()))
    if shape != tuple(expected):
        fail(f"{what} has shape {shape}, expected {tuple(expected)}.", hint)


# -- questions: the public check only says whether the answer is well formed --------------------------------------

@register(Q_VALUE, points=0)
def optimal_value_is_a_number(sub):
    """The answer is a finite number (its value is judged by the hidden test: this file ships to students)."""
    answer = sub.call("answer_optimal_value")
    if isinstance(answer, bool) or not isinstance(answer, (int, float)) or not math.isfinite(answer):
        fail(f"the answer is {answer!r}, expected a finite number.", HINT_ANSWER_NUMBER)


@register(Q_BLIND, points=0)
def blind_discriminator_is_a_letter(sub):
    """One of "a", "b", "c" (judged by the hidden test)."""
    answer = sub.call("answer_blind_discriminator")
    if answer not in ("a", "b", "c"):
        fail(f"the answer is {answer!r}, expected one of 'a', 'b', 'c'.", HINT_ANSWER_LETTER)


# -- one-hot codes and concatenation ----------------------------------------------------------------------------

def one_hot_case(sub, labels, num_classes, expected, diagnoses=(), dtype="int64"):
    """Judge one_hot on ``labels`` (a list) against ``expected`` (rows), with known wrong answers in ``diagnoses``;
    the input must stay unchanged."""
    import torch

    y = torch.tensor(labels, dtype=getattr(torch, dtype))
    y_ref = sub.trusted("torch.clone", y)
    what = f"one_hot({labels}, {num_classes}) ({dtype} labels)"
    out = tensor_or_fail(sub.call("one_hot", y_ref, num_classes), what, HINT_ONE_HOT_GENERIC)
    close(out, torch.as_tensor(expected, dtype=torch.float32), what, HINT_ONE_HOT_GENERIC, atol=0,
          diagnoses=[(torch.as_tensor(wrong, dtype=torch.float32), hint) for wrong, hint in diagnoses])
    check(out.dtype == torch.float32, f"{what} has dtype {out.dtype}, expected float32.", HINT_ONE_HOT_DTYPE)
    check(torch.equal(sub.state(y_ref)["value"], y), f"{what} changed y.", HINT_MUTATES)


#: one_hot([2, 0, 4, 2, 1], 6), written out; and what the known mistakes give on it.
ONE_HOT_LABELS = [2, 0, 4, 2, 1]
ONE_HOT_EXPECTED = [[0, 0, 1, 0, 0, 0], [1, 0, 0, 0, 0, 0], [0, 0, 0, 0, 1, 0], [0, 0, 1, 0, 0, 0], [0, 1, 0, 0, 0, 0]]
ONE_HOT_WRONGS = [
    ([row[:5] for row in ONE_HOT_EXPECTED], HINT_ONE_HOT_SIZE),         # 5 columns: max(y) + 1 of this batch
    ([row + [0] for row in ONE_HOT_EXPECTED], HINT_ONE_HOT_SIZE),       # K + 1 columns
    ([[0, 0, 0, 1, 0, 0], [0, 1, 0, 0, 0, 0], [0, 0, 0, 0, 0, 1], [0, 0, 0, 1, 0, 0], [0, 0, 1, 0, 0, 0]],
     HINT_ONE_HOT_SHIFT),                                               # the 1 one column to the right
]


@register(ONE_HOT, points=1)
def one_hot_generic_labels(sub):
    """Labels [2, 0, 4, 2, 1] with K = 6 (column 5 never used, so the size must come from K): the matrix written out, float32, y unchanged; a label of 6 raises ValueError."""
    one_hot_case(sub, ONE_HOT_LABELS, 6, ONE_HOT_EXPECTED, ONE_HOT_WRONGS)
    import torch

    expect_raises(sub, "ValueError", HINT_ONE_HOT_ERRORS, "one_hot([1, 6], 6)", "one_hot", torch.tensor([1, 6]), 6)


def concat_call(sub, h, y, num_classes, embedding=None, what="concat_condition"):
    out = sub.call("concat_condition", h, y, num_classes, embedding)
    return tensor_or_fail(out, what, HINT_CONCAT_GENERIC)


@register(CONCAT, points=1)
def concat_one_hot_and_embedding(sub):
    """Images (3, 1, 2, 2) with labels [1, 0, 2], K = 3: [h flattened, one_hot(y)] (3, 7); with nn.Embedding(3, 2) set by the test: [h flattened, embed(y)] (3, 6); gradients reach h and the embedding."""
    import torch

    h = (torch.arange(12, dtype=torch.float32).view(3, 1, 2, 2) - 5) / 7
    y = torch.tensor([1, 0, 2])
    # h flattened is [[-5, -4, -3, -2], [-1, 0, 1, 2], [3, 4, 5, 6]] / 7; the codes of [1, 0, 2] are rows 1, 0, 2 of I_3
    flat = [[-5 / 7, -4 / 7, -3 / 7, -2 / 7], [-1 / 7, 0.0, 1 / 7, 2 / 7], [3 / 7, 4 / 7, 5 / 7, 6 / 7]]
    codes = [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
    expected = torch.tensor([f + c for f, c in zip(flat, codes)])
    label_first = torch.tensor([c + f for f, c in zip(flat, codes)])
    out = concat_call(sub, h, y, 3, what="concat_condition(h (3, 1, 2, 2), y, 3)")
    close(out, expected, "concat_condition(h (3, 1, 2, 2), y, 3)", HINT_CONCAT_GENERIC, atol=1e-7,
          diagnoses=[(label_first, HINT_CONCAT_ORDER)])
    table = torch.tensor([[0.5, -1.5], [2.0, 0.25], [-0.75, 1.0]])
    rows = [[2.0, 0.25], [0.5, -1.5], [-0.75, 1.0]]  # rows 1, 0, 2 of the embedding's table
    emb = sub.trusted("torch.nn.Embedding", 3, 2)
    sub.trusted("ganlab.grading.standins.set_parameter", emb, "weight", table, keep=False)
    out = concat_call(sub, h, y, 3, emb, "concat_condition(h, y, 3, embedding)")
    close(out, torch.tensor([f + r for f, r in zip(flat, rows)]), "concat_condition(h, y, 3, embedding)",
          HINT_CONCAT_GENERIC, atol=1e-7, diagnoses=[(torch.tensor([r + f for f, r in zip(flat, rows)]),
                                                      HINT_CONCAT_ORDER), (expected, HINT_CONCAT_EMBED)])
    grads = sub.trusted("ganlab.grading.standins.lab4_concat_grads", sub_global("concat_condition"), emb, h, y, 3,
                        keep=False)
    check(grads is not None and all(g is not None for g in grads), "no gradient reached h or the embedding's weight.",
          HINT_CONCAT_GRAD)


# -- networks -------------------------------------------------------------------------------------------------

def build(sub, name, hint, *args, **kwargs):
    """The submission's ``name(*args, **kwargs)``, built after seeding."""
    sub.trusted("torch.manual_seed", 0, keep=False)
    try:
        return sub.new(name, *args, **kwargs)
    except SubmissionError as exc:
        if exc.kind == "NotImplementedError":
            raise
        fail(f"{name}{args} could not be built: {exc}", hint)


def run_net(sub, net, args, what, hint):
    out = sub.method(net, "__call__", *args)
    if isinstance(out, tuple):
        return out
    return tensor_or_fail(out, what, hint)


def types_of(layers):
    return [layer["type"] for layer in layers]


#: Layers with parameters or statistics: a network must have exactly the text's, in this order. Activations may be
#: modules or functions (F.leaky_relu), so they are judged by what the network computes, and by name only when a
#: module of a wrong kind (a Sigmoid at the end) or a wrong slope is present.
WEIGHTED = ("Linear", "Conv2d", "ConvTranspose2d", "BatchNorm1d", "BatchNorm2d", "Embedding", "InstanceNorm2d")


def expect_sequence(layers, expected, what, hint, specific):
    """The weighted leaf layers (see :data:`WEIGHTED`) must be those of ``expected`` in order; a module of a known
    wrong type gets its hint; LeakyReLU slopes and batch-norm settings are the text's."""
    allowed = set(expected) | {"Flatten", "Unflatten", "Identity"}
    for t in types_of(layers):
        if t in specific and t not in allowed:
            fail(f"{what} has a {t} layer.", specific[t])
    got = [t for t in types_of(layers) if t in WEIGHTED]
    want = [t for t in expected if t in WEIGHTED]
    if got != want:
        fail(f"{what} runs the layers {got}, expected {want} (activations aside).", hint)
    for layer in layers:
        if layer["type"] == "LeakyReLU" and abs(float(layer["negative_slope"]) - 0.2) > 1e-9:
            fail(f"{what}: `{layer['name']}` is a LeakyReLU with slope {layer['negative_slope']}.", HINT_SLOPE)
        if layer["type"].startswith("BatchNorm"):
            if abs(float(layer["eps"]) - 0.8) < 1e-9:
                fail(f"{what}: `{layer['name']}` has eps=0.8.", HINT_BN_EPS)
            if abs(float(layer["eps"]) - 1e-5) > 1e-12 or abs(float(layer["momentum"] or 0) - 0.1) > 1e-12:
                fail(f"{what}: `{layer['name']}` has eps={layer['eps']}, momentum={layer['momentum']}.",
                     HINT_BN_SETTINGS)


def expect_label_matters(sub, net, make_args, what):
    """The output must change when only the labels change."""
    import torch

    a = as_float_tensor(run_net(sub, net, make_args(0), what, HINT_IGNORES_LABEL), what)
    b = as_float_tensor(run_net(sub, net, make_args(1), what, HINT_IGNORES_LABEL), what)
    check(not torch.allclose(a, b, atol=1e-6), f"{what}: the output is the same for other labels.", HINT_IGNORES_LABEL)


MLP_G_LAYERS = ["Linear", "LeakyReLU", "Linear", "LeakyReLU", "Linear", "Tanh"]
MLP_D_LAYERS = ["Linear", "LeakyReLU", "Linear", "LeakyReLU", "Linear"]


def mlp_structure(sub, net, inputs, what, expected, in_features, hint, size_hint, specific):
    """The text's MLP layers in order (see :func:`expect_sequence`) and the input sizes of its Linear layers."""
    layers = structure(sub, net, *inputs)
    expect_sequence(layers, expected, what, hint, specific)
    got = [layer["in_features"] for layer in layers if layer["type"] == "Linear"]
    check(got == in_features, f"{what}: the Linear layers take {got} inputs, expected {in_features} (the first "
          "one takes the flattened input and the one-hot code).", size_hint)


@register(MLP_G, points=1.5)
@with_trusted_helpers("ConditionalMLPGenerator")
def mlp_generator_layers_and_range(sub):
    """ConditionalMLPGenerator(5, 3, hidden_dim=7, image_size=6): the text's layers, z (4, 5) and labels [0, 2, 1, 2] -> (4, 1, 6, 6) in (-1, 1) with both signs (seeded parameters), and the label changes the images."""
    import torch

    what = "ConditionalMLPGenerator(5, 3, hidden_dim=7, image_size=6)"
    net = build(sub, "ConditionalMLPGenerator", HINT_MLP_G_LAYERS, 5, 3, hidden_dim=7, image_size=6)
    z, y = torch.randn(4, 5, generator=generator(0)), torch.tensor([0, 2, 1, 2])
    out = run_net(sub, net, (z, y), f"{what}(z, y)", HINT_MLP_G_LAYERS)
    expect_shape(out, (4, 1, 6, 6), f"{what}(z (4, 5), y)", HINT_MLP_G_LAYERS)
    mlp_structure(sub, net, (z, y), what, MLP_G_LAYERS, [8, 7, 7], HINT_MLP_G_LAYERS, HINT_MLP_G_LAYERS,
                  {"Sigmoid": HINT_G_SIGMOID, "ReLU": HINT_SLOPE})
    sub.trusted("ganlab.grading.standins.seeded_parameters", net, 3, keep=False)
    out = as_float_tensor(run_net(sub, net, (z, y), what, HINT_G_RANGE), what)
    check(float(out.max()) <= 1 and float(out.min()) >= -1, f"{what}: outputs outside [-1, 1].", HINT_G_RANGE)
    check(float(out.min()) < 0, f"{what}: no negative output.", HINT_G_SIGMOID)
    expect_label_matters(sub, net, lambda k: (z, (y + k) % 3), what)


@register(MLP_D, points=1.5)
@with_trusted_helpers("ConditionalMLPDiscriminator")
def mlp_discriminator_layers_and_logits(sub):
    """ConditionalMLPDiscriminator(3, hidden_dim=7, image_size=6): the text's layers, logits of shape (4,) (and (1,) for one image), raw (outside (0, 1) with seeded parameters), and the label changes them."""
    import torch

    what = "ConditionalMLPDiscriminator(3, hidden_dim=7, image_size=6)"
    net = build(sub, "ConditionalMLPDiscriminator", HINT_MLP_D_LAYERS, 3, hidden_dim=7, image_size=6)
    x, y = torch.rand(4, 1, 6, 6, generator=generator(1)) * 2 - 1, torch.tensor([2, 0, 1, 1])
    out = run_net(sub, net, (x, y), f"{what}(x, y)", HINT_D_SHAPE)
    expect_shape(out, (4,), f"{what}(x (4, 1, 6, 6), y)", HINT_D_SHAPE)
    expect_shape(run_net(sub, net, (x[:1], y[:1]), what, HINT_D_SHAPE), (1,), f"{what}(x (1, 1, 6, 6), y (1,))",
                 HINT_D_SHAPE)
    mlp_structure(sub, net, (x, y), what, MLP_D_LAYERS, [39, 7, 7], HINT_MLP_D_LAYERS, HINT_IGNORES_LABEL,
                  {"Sigmoid": HINT_D_SIGMOID, "ReLU": HINT_SLOPE})
    sub.trusted("ganlab.grading.standins.seeded_parameters", net, 4, keep=False)
    out = as_float_tensor(run_net(sub, net, (x, y), what, HINT_D_SHAPE), what)
    check(not bool(((out > 0) & (out < 1)).all()), f"{what}: every output lies in (0, 1).", HINT_D_SIGMOID)
    expect_label_matters(sub, net, lambda k: (x, (y + k) % 3), what)


def conv_g_layers(blocks):
    return ["ConvTranspose2d", "BatchNorm2d", "ReLU"] * (blocks + 1) + ["ConvTranspose2d", "Tanh"]


def conv_d_layers(blocks):
    return ["Conv2d", "LeakyReLU"] + ["Conv2d", "BatchNorm2d", "LeakyReLU"] * blocks + ["Conv2d"]


def expect_convs(layers, kind, settings, what, hint):
    """Each layer of ``kind`` in forward order has (in, out, kernel, stride, padding, bias) as in ``settings``."""
    convs = [layer for layer in layers if layer["type"] == kind]
    got = [(c["in_channels"], c["out_channels"], c["kernel_size"][0], c["stride"][0], c["padding"][0], c["bias"])
           for c in convs]
    if got != settings:
        fail(f"{what}: its {kind} layers are (in, out, kernel, stride, padding, bias) {got}, expected {settings}.",
             hint)


@register(CONV_G, points=1.5)
@with_trusted_helpers("ConditionalGenerator")
def conv_generator_layers_16(sub):
    """ConditionalGenerator(5, 3, base_channels=4, image_size=16): (3, 1, 16, 16) in (-1, 1); ConvT(8->8, 4/1/0, no bias), ConvT(8->4, 4/2/1, no bias), ConvT(4->1, 4/2/1, bias) with BatchNorm2d + ReLU after the first two and Tanh at the end; the label changes the images; image_size 12 raises ValueError."""
    import torch

    what = "ConditionalGenerator(5, 3, base_channels=4, image_size=16)"
    net = build(sub, "ConditionalGenerator", HINT_CONV_G_LAYERS, 5, 3, base_channels=4, image_size=16)
    z, y = torch.randn(3, 5, generator=generator(2)), torch.tensor([1, 2, 0])
    expect_shape(run_net(sub, net, (z, y), what, HINT_CONV_G_LAYERS), (3, 1, 16, 16), f"{what}(z (3, 5), y)",
                 HINT_CONV_G_LAYERS)
    layers = structure(sub, net, z, y)
    expect_sequence(layers, conv_g_layers(1), what, HINT_CONV_G_LAYERS, {"Sigmoid": HINT_G_SIGMOID})
    expect_convs(layers, "ConvTranspose2d", [(8, 8, 4, 1, 0, False), (8, 4, 4, 2, 1, False), (4, 1, 4, 2, 1, True)],
                 what, HINT_CONV_G_LAYERS)
    sub.trusted("ganlab.grading.standins.seeded_parameters", net, 5, keep=False)
    out = as_float_tensor(run_net(sub, net, (z, y), what, HINT_G_RANGE), what)
    check(float(out.max()) <= 1 and float(out.min()) >= -1 and float(out.min()) < 0, f"{what}: outputs in "
          f"[{float(out.min()):.3g}, {float(out.max()):.3g}].", HINT_G_RANGE)
    expect_label_matters(sub, net, lambda k: (z, (y + k) % 3), what)
    expect_raises_new(sub, "ConditionalGenerator", (5, 3), {"base_channels": 4, "image_size": 12})


def expect_raises_new(sub, name, args, kwargs):
    expect_new_raises(sub, "ValueError", HINT_SIZE_ERROR, f"{name}(..., image_size={kwargs['image_size']})", name,
                      *args, **kwargs)


@register(CONV_D, points=1.5)
@with_trusted_helpers("ConditionalDiscriminator")
def conv_discriminator_layers_16(sub):
    """ConditionalDiscriminator(3, base_channels=4, image_size=16): logits (3,) and (1,) for one image; Conv(1+3->4, 4/2/1, bias) + LeakyReLU(0.2), Conv(4->8, 4/2/1, no bias) + BatchNorm2d + LeakyReLU(0.2), Conv(8->1, 4/1/0, bias); raw logits; the label changes them; image_size 24 raises ValueError."""
    import torch

    what = "ConditionalDiscriminator(3, base_channels=4, image_size=16)"
    net = build(sub, "ConditionalDiscriminator", HINT_CONV_D_LAYERS, 3, base_channels=4, image_size=16)
    x, y = torch.rand(3, 1, 16, 16, generator=generator(3)) * 2 - 1, torch.tensor([2, 2, 0])
    expect_shape(run_net(sub, net, (x, y), what, HINT_D_SHAPE), (3,), f"{what}(x (3, 1, 16, 16), y)", HINT_D_SHAPE)
    layers = structure(sub, net, x, y)
    expect_sequence(layers, conv_d_layers(1), what, HINT_CONV_D_LAYERS, {"Sigmoid": HINT_D_SIGMOID, "ReLU": HINT_SLOPE})
    expect_convs(layers, "Conv2d", [(4, 4, 4, 2, 1, True), (4, 8, 4, 2, 1, False), (8, 1, 4, 1, 0, True)], what,
                 HINT_CONV_D_LAYERS)
    sub.trusted("ganlab.grading.standins.seeded_parameters", net, 6, keep=False)
    out = as_float_tensor(run_net(sub, net, (x, y), what, HINT_D_SHAPE), what)
    check(not bool(((out > 0) & (out < 1)).all()), f"{what}: every output lies in (0, 1).", HINT_D_SIGMOID)
    expect_label_matters(sub, net, lambda k: (x, (y + k) % 3), what)
    sub.method(net, "eval", keep=False)
    expect_shape(run_net(sub, net, (x[:1], y[:1]), what, HINT_D_SHAPE), (1,), f"{what} in eval mode (x (1, 1, 16, 16))",
                 HINT_D_SHAPE)
    expect_raises_new(sub, "ConditionalDiscriminator", (3,), {"base_channels": 4, "image_size": 24})


# -- the training step ----------------------------------------------------------------------------------------

STEP_LATENT, STEP_DATA, STEP_CLASSES = 3, 4, 5


def step_setup(sub, seed, kind="sgd", lr=0.1):
    """Recording conditional stand-ins and trusted optimizers, in the submission's process."""
    gen = sub.trusted("ganlab.grading.standins.lab4_cond_generator", STEP_LATENT, STEP_CLASSES, STEP_DATA, seed)
    disc = sub.trusted("ganlab.grading.standins.lab4_cond_discriminator", STEP_DATA, STEP_CLASSES, seed + 1)
    return gen, disc, make_optimizer(sub, gen, kind, lr), make_optimizer(sub, disc, kind, lr)


def step_inputs(seed, batch, batch_fake):
    import torch

    g = generator(700 + seed)
    x_real = torch.randn(batch, 1, 1, STEP_DATA, generator=g) * 0.5 + 0.3
    y_real = torch.randint(0, STEP_CLASSES, (batch,), generator=g)
    z = torch.randn(batch_fake, STEP_LATENT, generator=g)
    y_fake = torch.randint(0, STEP_CLASSES, (batch_fake,), generator=g)
    return x_real, y_real, z, y_fake


def call_step(sub, gen, disc, opt_g, opt_d, inputs):
    out = sub.call("cgan_train_step", gen, disc, opt_g, opt_d, *inputs)
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        fail(f"cgan_train_step returned {type(out).__name__}, expected (d_loss, g_loss).", HINT_STEP_PAIR)
    values = []
    for v in out:
        t = as_float_tensor(v, "a loss returned by cgan_train_step", HINT_STEP_PAIR)
        if t.numel() != 1:
            fail(f"cgan_train_step returned a loss of shape {tuple(t.shape)}.", HINT_STEP_PAIR)
        values.append(float(t))
    check(all(math.isfinite(v) for v in values), f"cgan_train_step returned non-finite losses {values}.",
          HINT_STEP_GENERIC)
    return values, out


def judge_labels(sub, disc, inputs, what):
    """The discriminator saw (x_real, y_real) and (x_fake, y_fake) in the D step and (x_fake, y_fake) in the G step."""
    _, y_real, _, y_fake = inputs
    calls = sub.getattr(disc, "labels")
    real, fake = [int(v) for v in y_real], [int(v) for v in y_fake]
    check(real in calls, f"{what}: the discriminator never saw the real batch with y_real.", HINT_STEP_REAL_LABELS)
    others = [c for c in calls if c != real or real == fake]
    check(len(calls) >= 3 and all(c == fake for c in others) and calls.count(fake) >= 2,
          f"{what}: the discriminator saw the labels {calls}; expected y_real once and y_fake for every fake batch.",
          HINT_STEP_FAKE_LABELS)


#: d_loss of one step on the stand-ins of :func:`step_setup` (seed 0) and :func:`step_inputs` (seed 0, 6 real, 4 fake),
#: stored from a trusted run: the mean BCE of the real pairs against 1 plus that of the fakes against 0, before
#: the update; and the same with the targets swapped (a known mistake).
STEP_D_LOSS, STEP_D_LOSS_SWAPPED = 0.9806303381919861, 2.407379627227783


@register(STEP, points=1)
def step_loss_labels_and_detach(sub):
    """Stand-ins that record their labels, 6 real and 4 fake samples, SGD: d_loss (stored from a trusted run, before the update); D sees y_real for the reals and y_fake for the fakes; one gradient reaches G."""
    inputs = step_inputs(0, 6, 4)
    gen, disc, opt_g, opt_d = step_setup(sub, 0)
    (d_loss, _), _ = call_step(sub, gen, disc, opt_g, opt_d, inputs)
    judge_labels(sub, disc, inputs, "cgan_train_step")
    close(d_loss, STEP_D_LOSS, "d_loss returned by cgan_train_step", HINT_STEP_GENERIC, rtol=1e-4,
          diagnoses=[(STEP_D_LOSS_SWAPPED, HINT_STEP_LABELS_SWAPPED)])
    count = sub.getattr(gen, "backward_count")
    check(count <= 1, f"{count} backward passes reached the generator's output in one step.", HINT_STEP_DETACH)
    check(count == 1, "no gradient reached the generator.", HINT_STEP_NO_G_GRAD)


@register(STEP, points=1)
def step_moves_both_and_returns_floats(sub):
    """Stand-ins, Adam: both networks change, g_loss > 0 (non-saturating), and the losses come back as Python floats."""
    inputs = step_inputs(1, 5, 7)
    gen, disc, opt_g, opt_d = step_setup(sub, 1, kind="adam", lr=0.01)
    before = {"generator": params_of(sub, gen), "discriminator": params_of(sub, disc)}
    (_, g_loss), raw = call_step(sub, gen, disc, opt_g, opt_d, inputs)
    check(all(isinstance(v, float) for v in raw), f"cgan_train_step returned {[type(v).__name__ for v in raw]}.",
          HINT_STEP_PAIR)
    check(g_loss > 0, f"g_loss is {g_loss:.4g} <= 0.", HINT_STEP_G_SATURATING)
    for name, ref in (("generator", gen), ("discriminator", disc)):
        after = params_of(sub, ref)
        check(any(not (after[n] == before[name][n]).all() for n in after), f"the {name}'s parameters did not change.",
              HINT_STEP_NOT_MOVED)


# -- sampling ----------------------------------------------------------------------------------------------------

GRID_LATENT, GRID_DATA = 3, 4


def sampling_setup(sub, seed, num_classes, train_mode=True, fail_on_call=False):
    gen = sub.trusted("ganlab.grading.standins.lab4_cond_generator", GRID_LATENT, num_classes, GRID_DATA, seed,
                      batchnorm=True)
    if not train_mode:
        sub.method(gen, "eval", keep=False)
    return gen


def local_generator(seed, num_classes):
    from ganlab.grading import standins

    return standins.lab4_cond_generator(GRID_LATENT, num_classes, GRID_DATA, seed, batchnorm=True)


def judge_sampling(sub, gen, before, result, what, train_mode):
    """Every forward pass ran under no_grad with all modules in eval mode; stats, mode and grad mode restored."""
    calls = sub.getattr(gen, "calls")
    check(len(calls) >= 1, f"{what} never called the generator.", HINT_GRID_GENERIC)
    for _, grad_enabled, modes in calls:
        check(not any(modes), f"{what} ran the generator in training mode.", HINT_GRID_TRAIN)
        check(not grad_enabled, f"{what} ran the generator with gradient tracking on.", HINT_GRID_NO_GRAD)
    check(not sub.getattr(result, "requires_grad"), f"{what} returned images that require grad.", HINT_GRID_NO_GRAD)
    after = sub.state(gen)
    for name in ("net.1.running_mean", "net.1.running_var"):
        check(bool((after["buffers"][name] == before["buffers"][name]).all()), f"{what} changed batch norm's "
              f"{name.split('.')[-1]}.", HINT_GRID_STATS)
    check(after["training"] == before["training"], f"{what} left the generator in another mode than before "
          f"({'training' if train_mode else 'evaluation'}).", HINT_GRID_RESTORE)
    return calls


def grid_case(sub, seed, n, num_classes, expected, diagnoses=(), train_mode=True):
    """Judge sample_class_grid on the batch-norm stand-in of ``seed`` with ``n`` latents: ``expected`` images
    (a tensor or nested lists), known wrong grids in ``diagnoses``, and how it sampled (:func:`judge_sampling`)."""
    import torch

    gen = sampling_setup(sub, seed, num_classes, train_mode)
    before = sub.state(gen)
    z = torch.randn(n, GRID_LATENT, generator=generator(seed))
    what = f"sample_class_grid(generator, z ({n}, {GRID_LATENT}), {num_classes})"
    try:
        result = sub.new("sample_class_grid", gen, z, num_classes)
    finally:
        sub.trusted("torch.set_grad_enabled", True)
    check(result.type.rsplit(".", 1)[-1] == "Tensor", f"{what} returned {result.type}.", HINT_SHAPE)
    judge_sampling(sub, gen, before, result, what, train_mode)
    out = sub.method(result, "detach")
    shape = (n * num_classes, 1, 1, GRID_DATA)
    close(out, torch.as_tensor(expected).view(shape), what, HINT_GRID_GENERIC, rtol=1e-5, atol=1e-6,
          diagnoses=[(torch.as_tensor(w).view(shape), h) for w, h in diagnoses])


#: The stand-in of :func:`sampling_setup` (seed 0, K = 4) in evaluation mode, for the 3 latents of seed 0 and the
#: labels [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3] (stored from a trusted run, one row per image).
GRID_EXPECTED = [
    [0.9983802, 1.0, 0.9912542, 0.8974178], [0.9909928, 0.9999999, 0.9814682, 0.863776],
    [0.966287, 0.9998423, 0.9886486, 0.8959651], [0.9973152, 0.9999999, 0.9929165, 0.8475655],
    [0.9851071, 0.9999996, 0.9849765, 0.799304], [0.9447058, 0.9995453, 0.9908038, 0.8454644],
    [0.9959861, 0.9999996, 0.9910633, 0.8464415], [0.9778013, 0.9999975, 0.9810659, 0.797863],
    [0.9183957, 0.9969732, 0.9884012, 0.8443261], [0.9957469, 0.9999992, 0.9876584, 0.8954014],
    [0.9764914, 0.9999954, 0.9739019, 0.8611466], [0.9137332, 0.9944578, 0.9839902, 0.8939217],
]
#: The same images in latent-major order (labels [0, 1, 2, 3, 0, 1, ...]): rows of GRID_EXPECTED reordered.
GRID_LATENT_MAJOR = [GRID_EXPECTED[i] for i in (0, 3, 6, 9, 1, 4, 7, 10, 2, 5, 8, 11)]
#: The class-major grid drawn in training mode (batch norm on the batch's statistics), stored from a trusted run.
GRID_TRAIN_MODE = [
    [0.976239, 0.9991692, 0.9669821, 0.9552062], [0.9035678, 0.9974276, 0.8978038, 0.9272516],
    [0.7324913, 0.7917295, 0.9509408, 0.9541182], [0.9639497, 0.9983751, 0.9760669, 0.9117991],
    [0.8564231, 0.9949727, 0.925199, 0.8587129], [0.6184722, 0.6293961, 0.9643594, 0.9097055],
    [0.9498668, 0.9946041, 0.9658786, 0.9106816], [0.8045165, 0.9833712, 0.8945122, 0.8569731],
    [0.503546, 0.1384763, 0.949315, 0.9085627], [0.9474403, 0.9920871, 0.9443333, 0.953693],
    [0.7957916, 0.9756784, 0.8317602, 0.9248304], [0.48522, -0.0526371, 0.9177484, 0.9525692],
]


@register(GRID, points=1.5)
def grid_in_eval_mode_class_major(sub):
    """A batch-norm stand-in in training mode, 3 latents, K = 4: 12 images equal to its evaluation-mode output for labels [0, 0, 0, 1, 1, 1, ...], drawn under no_grad, running statistics and mode unchanged."""
    grid_case(sub, 0, 3, 4, GRID_EXPECTED, [(GRID_LATENT_MAJOR, HINT_GRID_ORDER), (GRID_TRAIN_MODE, HINT_GRID_TRAIN)])


def interp_case(sub, seed, steps, y, expected, diagnoses=(), num_classes=4, train_mode=True):
    """Judge interpolate_in_class on the batch-norm stand-in of ``seed``: ``expected`` images (a tensor or nested
    lists), known wrong paths in ``diagnoses``, every label ``y``, and how it sampled (:func:`judge_sampling`)."""
    import torch

    gen = sampling_setup(sub, seed, num_classes, train_mode)
    before = sub.state(gen)
    g = generator(seed + 50)
    z0, z1 = torch.randn(GRID_LATENT, generator=g), torch.randn(GRID_LATENT, generator=g)
    what = f"interpolate_in_class(generator, z0, z1, {y}, {steps})"
    try:
        result = sub.new("interpolate_in_class", gen, z0, z1, y, steps)
    finally:
        sub.trusted("torch.set_grad_enabled", True)
    check(result.type.rsplit(".", 1)[-1] == "Tensor", f"{what} returned {result.type}.", HINT_SHAPE)
    calls = judge_sampling(sub, gen, before, result, what, train_mode)
    check(all(set(c[0]) == {y} for c in calls), f"{what} asked the generator for the classes {calls[0][0]}.",
          HINT_INTERP_CLASS)
    out = sub.method(result, "detach")
    shape = (steps, 1, 1, GRID_DATA)
    expect_shape(out, shape, what, HINT_INTERP_GENERIC)
    close(out, torch.as_tensor(expected).view(shape), what, HINT_INTERP_GENERIC, rtol=1e-5, atol=1e-6,
          diagnoses=[(torch.as_tensor(w).view(shape), h) for w, h in diagnoses])


#: The stand-in of :func:`sampling_setup` (seed 1, K = 4) in evaluation mode at the 5 points of the path from z0
#: to z1 (seed 51) with class 2, stored from a trusted run; read backwards, the path from z1 to z0.
INTERP_EXPECTED = [
    [0.9997397, 0.654806, 0.9944077, -0.2251082], [0.9997601, 0.6398151, 0.993665, -0.3635121],
    [0.9997789, 0.6243209, 0.992824, -0.4875361], [0.9997962, 0.6083195, 0.9918718, -0.5945788],
    [0.9998122, 0.5918077, 0.9907939, -0.6840122],
]


@register(INTERP, points=1)
def interpolation_path_eval_mode(sub):
    """A batch-norm stand-in in training mode, 5 steps with class 2 of 4: the images of (1 - t) z0 + t z1, t = 0, 0.25, ..., 1, in evaluation mode under no_grad, every label 2, mode and statistics unchanged."""
    interp_case(sub, 1, 5, 2, INTERP_EXPECTED, [(INTERP_EXPECTED[::-1], HINT_INTERP_ENDS)])


# -- the projection head and conditional batch norm -----------------------------------------------------------

def projection_head(sub, num_features, num_classes):
    """The submission's ProjectionHead, with the parameters the text names (``linear`` and ``embed``)."""
    what = f"ProjectionHead({num_features}, {num_classes})"
    head = build(sub, "ProjectionHead", HINT_PROJ_LAYERS, num_features, num_classes)
    params = sub.state(head)["params"]
    for name, shape in (("linear.weight", (1, num_features)), ("linear.bias", (1,)),
                        ("embed.weight", (num_classes, num_features))):
        if name not in params:
            fail(f"{what} has no parameter `{name}` (it has {sorted(params)}).",
                 HINT_PROJ_NO_BIAS if name == "linear.bias" else HINT_PROJ_LAYERS)
        expect_shape(params[name], shape, f"{what}.{name}", HINT_PROJ_LAYERS)
    return what, head


#: ProjectionHead(3, 4) with parameters set by the test, 3 samples of classes [2, 0, 3].
PROJ_WEIGHT, PROJ_BIAS = [[0.5, -1.0, 2.0]], [0.25]
PROJ_TABLE = [[1.0, 0.5, -0.5], [-1.0, 2.0, 1.5], [0.25, 0.25, 1.0], [3.0, -1.0, 0.5]]
PROJ_FEATURES, PROJ_LABELS = [[1.0, 2.0, -1.0], [0.5, -1.0, 3.0], [-2.0, 1.0, 0.5]], [2, 0, 3]
# psi(phi) = w . phi + 0.25 = [0.5 - 2 - 2, 0.25 + 1 + 6, -1 - 1 + 1] + 0.25 = [-3.25, 7.5, -0.75];
# <embed(y), phi> = [0.25 + 0.5 - 1, 0.5 - 0.5 - 1.5, -6 - 1 + 0.25] = [-0.25, -1.5, -6.75].
PROJ_EXPECTED = [-3.5, 6.0, -7.5]
PROJ_WRONGS = [
    ([-8.125, 15.0, -2.625], HINT_PROJ_AFTER_LINEAR),   # psi(phi) * (1 + sum of embed(y)), sums 1.5, 1, 2.5
    ([-1.75, 8.5, 1.75], HINT_PROJ_NO_PHI),             # psi(phi) + sum of embed(y)
    ([-3.75, 5.75, -7.75], HINT_PROJ_NO_BIAS),          # without psi's bias
]


def projection_case(sub, num_features, num_classes, features, y, parameters, expected, diagnoses=()):
    """Judge ProjectionHead on ``features`` and labels ``y`` with ``parameters`` (name -> value, set by the test)
    against ``expected`` logits, with known wrong logits in ``diagnoses``."""
    import torch

    what, head = projection_head(sub, num_features, num_classes)
    for name, value in parameters.items():
        sub.trusted("ganlab.grading.standins.set_parameter", head, name, torch.as_tensor(value), keep=False)
    features, y = torch.as_tensor(features, dtype=torch.float32), torch.as_tensor(y)
    out = run_net(sub, head, (features, y), f"{what}(features ({len(y)}, {num_features}), y)", HINT_PROJ_GENERIC)
    close(out, torch.as_tensor(expected), f"{what}(features, y)", HINT_PROJ_GENERIC, rtol=1e-4, atol=1e-5,
          diagnoses=[(torch.as_tensor(w), h) for w, h in diagnoses])


@register(PROJ, points=1.5)
def projection_values(sub):
    """ProjectionHead(3, 4) with parameters set by the test, 3 samples: linear(phi) + <embed(y), phi> per sample, shape (3,), worked out by hand."""
    projection_case(sub, 3, 4, PROJ_FEATURES, PROJ_LABELS, {"linear.weight": PROJ_WEIGHT, "linear.bias": PROJ_BIAS,
                    "embed.weight": PROJ_TABLE}, PROJ_EXPECTED, PROJ_WRONGS)


def cbn_structure(sub, layer, what, num_features, num_classes):
    params = sub.state(layer)["params"]
    if any(name.startswith("bn.") for name in params):
        fail(f"{what}: its batch norm has parameters {[n for n in params if n.startswith('bn.')]}.", HINT_CBN_AFFINE)
    for name in ("gamma.weight", "beta.weight"):
        if name not in params:
            fail(f"{what} has no parameter `{name}` (it has {sorted(params)}).", HINT_CBN_SHAPE)
        expect_shape(params[name], (num_classes, num_features), f"{what}.{name}", HINT_CBN_SHAPE)
    extra = sorted(set(params) - {"gamma.weight", "beta.weight"})
    check(not extra, f"{what} has parameters {extra} besides gamma and beta.", HINT_CBN_AFFINE)
    return params


#: ConditionalBatchNorm2d(2, 3) in training mode on x of shape (3, 2, 1, 2), classes [2, 0, 1], gamma and beta set
#: by the test. Channel 0 holds 1, 3, -1, 5, 0.5, 3.5: mean 2, biased variance 49/12 (unbiased 49/10); channel 1
#: holds 0.5, -1.5, 2.5, 1.5, -0.5, 3.5: mean 1, biased variance 35/12 (unbiased 7/2).
CBN_X = [[[[1.0, 3.0]], [[0.5, -1.5]]], [[[-1.0, 5.0]], [[2.5, 1.5]]], [[[0.5, 3.5]], [[-0.5, 3.5]]]]
CBN_LABELS = [2, 0, 1]
CBN_GAMMA = [[1.5, 0.5], [-1.0, 2.0], [0.75, -0.5]]
CBN_BETA = [[0.25, -1.0], [1.0, 0.5], [-0.5, 1.5]]
# out[b, c] = gamma[y_b, c] * (x[b, c] - mean_c) / sqrt(var_c + 1e-5) + beta[y_b, c]; e.g. out[0, 0] =
# 0.75 * (1 - 2) / sqrt(49/12) - 0.5 = -0.75 / 2.0207 - 0.5 = -0.871153.
CBN_EXPECTED = [[[[-0.8711533, -0.1288467]], [[1.6463848, 2.2319238]]],
                [[[-1.9769197, 2.4769197]], [[-0.5608457, -0.8536152]]],
                [[[1.7423066, 0.2576934]], [[-1.2566171, 3.4276952]]]]
#: Running statistics after that pass: 0.9 * (0, 0) + 0.1 * the batch means, 0.9 * (1, 1) + 0.1 * the unbiased
#: variances (momentum 0.1).
CBN_RUNNING_MEAN, CBN_RUNNING_VAR = [0.2, 0.1], [1.39, 1.25]


@register(CBN, points=1.5)
def cbn_init_and_train_mode(sub):
    """ConditionalBatchNorm2d(2, 3): a non-affine batch norm, gamma ones and beta zeros at the start (so a plain batch norm); with gamma and beta set by the test, 3 samples of classes [2, 0, 1] in training mode: gamma[y] * bn(x) + beta[y] worked out by hand, running statistics updated with momentum 0.1."""
    import torch

    what = "ConditionalBatchNorm2d(2, 3)"
    layer = build(sub, "ConditionalBatchNorm2d", HINT_CBN_SHAPE, 2, 3)
    params = cbn_structure(sub, layer, what, 2, 3)
    check(bool((params["gamma.weight"] == 1).all()) and bool((params["beta.weight"] == 0).all()),
          f"{what}: gamma and beta do not start at ones and zeros.", HINT_CBN_INIT)
    for name, value in (("gamma.weight", CBN_GAMMA), ("beta.weight", CBN_BETA)):
        sub.trusted("ganlab.grading.standins.set_parameter", layer, name, torch.tensor(value), keep=False)
    x, y = torch.tensor(CBN_X), torch.tensor(CBN_LABELS)
    out = run_net(sub, layer, (x, y), f"{what}(x (3, 2, 1, 2), y)", HINT_CBN_GENERIC)
    close(out, torch.tensor(CBN_EXPECTED), f"{what}(x, y) in training mode", HINT_CBN_GENERIC, rtol=1e-4, atol=1e-5)
    state = sub.state(layer)["buffers"]
    for name, value in (("bn.running_mean", CBN_RUNNING_MEAN), ("bn.running_var", CBN_RUNNING_VAR)):
        check(name in state and torch.allclose(state[name].double(), torch.tensor(value).double(), atol=1e-5),
              f"{what}: batch norm's {name[3:]} after one pass is not {value}.", HINT_CBN_STATS)


# -- ACGAN ---------------------------------------------------------------------------------------------------

def acgan_outputs(sub, net, x, num_classes, what):
    out = sub.method(net, "__call__", x)
    if not isinstance(out, tuple) or len(out) != 2:
        fail(f"{what} returned {type(out).__name__}, expected (source_logits, class_logits).", HINT_AC_SHAPES)
    source, classes = (tensor_or_fail(v, what, HINT_AC_SHAPES) for v in out)
    expect_shape(source, (len(x),), f"{what}: source_logits", HINT_AC_SHAPES)
    expect_shape(classes, (len(x), num_classes), f"{what}: class_logits", HINT_AC_SHAPES)
    return source, classes


@register(ACGAN_D, points=1.5)
@with_trusted_helpers("ACGANDiscriminator")
def acgan_layers_and_logits(sub):
    """ACGANDiscriminator(3, base_channels=4, image_size=16): (source (5,), classes (5, 3)) and (1,), (1, 3) for one image; the text's trunk and two Conv2d 4/1/0 heads with bias; logits, not probabilities (seeded parameters: class rows do not sum to 1, sources leave (0, 1))."""
    import torch

    what = "ACGANDiscriminator(3, base_channels=4, image_size=16)"
    net = build(sub, "ACGANDiscriminator", HINT_AC_LAYERS, 3, base_channels=4, image_size=16)
    x = torch.rand(5, 1, 16, 16, generator=generator(13)) * 2 - 1
    acgan_outputs(sub, net, x, 3, what)
    layers = structure(sub, net, x)
    specific = {"Softmax": HINT_AC_SOFTMAX, "LogSoftmax": HINT_AC_SOFTMAX, "Sigmoid": HINT_AC_SIGMOID,
                "ReLU": HINT_SLOPE}
    expected = ["Conv2d", "LeakyReLU", "Conv2d", "BatchNorm2d", "LeakyReLU", "Conv2d", "Conv2d"]
    expect_sequence(layers, expected, what, HINT_AC_LAYERS, specific)
    heads = [(1, 4, 4, 2, 1, True), (4, 8, 4, 2, 1, False), (8, 1, 4, 1, 0, True), (8, 3, 4, 1, 0, True)]
    if heads_classes_first(layers, 3):  # the two heads may run in either order
        heads[2:] = heads[3], heads[2]
    expect_convs(layers, "Conv2d", heads, what, HINT_AC_LAYERS)
    sub.trusted("ganlab.grading.standins.seeded_parameters", net, 14, keep=False)
    source, classes = acgan_outputs(sub, net, x, 3, what)
    sums = classes.double().sum(1)
    if bool((classes >= 0).all()) and torch.allclose(sums, torch.ones_like(sums), atol=1e-4):
        fail(f"{what}: the class outputs are probabilities (rows sum to 1).", HINT_AC_SOFTMAX)
    check(not bool(((source > 0) & (source < 1)).all()), f"{what}: every source output lies in (0, 1).",
          HINT_AC_SIGMOID)
    sub.method(net, "eval", keep=False)
    acgan_outputs(sub, net, x[:1], 3, f"{what} in eval mode (one image)")


def heads_classes_first(layers, num_classes):
    """Whether the ACGAN network's forward pass runs its class head before its source head."""
    convs = [layer for layer in layers if layer["type"] == "Conv2d"]
    return len(convs) >= 2 and convs[-2]["out_channels"] == num_classes and convs[-1]["out_channels"] == 1


def loss_value_and_grads(sub, name, args, differentiable, what, hint_grads):
    """The loss (a scalar) and its gradients with respect to the differentiable arguments, from the submission."""
    sub.call(name, *args)  # the submission's own errors are reported under its name first
    value, grads = sub.trusted("ganlab.grading.standins.lab4_value_and_grads", sub_global(name), list(args),
                               list(differentiable), keep=False)
    value = tensor_or_fail(value, what, hint_grads)
    if value.numel() != 1:
        fail(f"{what} has shape {tuple(value.shape)}, expected a scalar.", HINT_SHAPE)
    return value, grads


def sub_global(name):
    from ganlab.grading.testing import Global

    return Global(name)


def judge_loss(sub, name, args, differentiable, names, expected, grads, what, hint, wrongs=(),
               hint_finite=HINT_AC_FINITE):
    """Judge a loss the submission's ``name`` computes from ``args``: a finite scalar equal to ``expected`` (known
    mistakes in ``wrongs``: (value, hint) pairs), whose gradients with respect to the arguments at the indices
    ``differentiable`` (called ``names``) equal ``grads``. Tolerances follow the dtype of ``args[0]``."""
    import torch

    value, got = loss_value_and_grads(sub, name, args, differentiable, what, HINT_AC_GRADS)
    if not bool(torch.isfinite(value).all()):
        fail(f"{what} is not finite.", hint_finite)
    tol = 1e-4 if args[0].dtype == torch.float32 else 1e-9
    close(value, torch.as_tensor(expected, dtype=torch.float64), what, hint, rtol=tol, atol=tol,
          diagnoses=[(torch.as_tensor(w, dtype=torch.float64), h) for w, h in wrongs])
    for grad, want, arg in zip(got, grads, names):
        check(grad is not None, f"{what}: no gradient reached {arg}.", HINT_AC_GRADS)
        close(grad, torch.as_tensor(want, dtype=torch.float64), f"{what}: the gradient with respect to {arg}",
              HINT_AC_GRADS, rtol=tol, atol=tol)


ACGAN_D_NAMES = ("source_real", "class_real", "source_fake", "class_fake")
ACGAN_G_NAMES = ("source_fake", "class_fake")


def judge_acgan_d(sub, inputs, expected, grads, what, wrongs=()):
    """acgan_d_loss(*inputs) against ``expected`` and its gradients ``grads`` (one per logit tensor)."""
    judge_loss(sub, "acgan_d_loss", inputs, (0, 1, 3, 4), ACGAN_D_NAMES, expected, grads, what, HINT_AC_D_GENERIC,
               wrongs)


def judge_acgan_g(sub, inputs, expected, grads, what, wrongs=()):
    """acgan_g_loss(*inputs) against ``expected`` and its gradients ``grads`` (source and class logits)."""
    judge_loss(sub, "acgan_g_loss", inputs, (0, 1), ACGAN_G_NAMES, expected, grads, what, HINT_AC_G_GENERIC, wrongs)


def log_rows(rows, shift):
    """Logits ``shift + log(rows)``: their softmax is each row divided by its sum (shift-free, so no logit is 0)."""
    import torch

    return (torch.tensor(rows, dtype=torch.float64).log() + shift).float()


def acgan_d_case():
    """2 real and 3 fake samples, K = 3, logits chosen so that every sigmoid and softmax is a simple fraction."""
    import torch

    ln = math.log
    source_real = torch.tensor([ln(3), -ln(2)])                 # sigmoid 3/4, 1/3
    class_real = log_rows([[1, 2, 5], [3, 1, 4]], 0.5)          # softmax [1, 2, 5] / 8, [3, 1, 4] / 8
    source_fake = torch.tensor([ln(4), -ln(3), ln(1.5)])       # sigmoid 4/5, 1/4, 3/5
    class_fake = log_rows([[2, 1, 1], [1, 3, 4], [2, 5, 3]], -0.25)   # [2, 1, 1] / 4, [1, 3, 4] / 8, [2, 5, 3] / 10
    return source_real, class_real, torch.tensor([2, 0]), source_fake, class_fake, torch.tensor([1, 2, 0])


# Worked out by hand on acgan_d_case(): BCE(source_real, 1) = mean(log 4/3, log 3) = log 2; BCE(source_fake, 0) =
# mean(log 5, log 4/3, log 5/2) = log(50/3) / 3; CE(class_real, [2, 0]) = mean(log 8/5, log 8/3) = log(64/15) / 2;
# CE(class_fake, [1, 2, 0]) = mean(log 4, log 2, log 5) = log(40) / 3. Gradients: (sigmoid - target) / B for the
# sources, (softmax - one-hot) / B for the classes.
ACGAN_D_EXPECTED = math.log(2) + math.log(50 / 3) / 3 + math.log(64 / 15) / 2 + math.log(40) / 3   # 3.585994
ACGAN_D_GRADS = ([-1 / 8, -1 / 3], [[1 / 16, 1 / 8, -3 / 16], [-5 / 16, 1 / 16, 1 / 4]], [4 / 15, 1 / 12, 1 / 5],
                 [[1 / 6, -1 / 4, 1 / 12], [1 / 24, 1 / 8, -1 / 6], [-4 / 15, 1 / 6, 1 / 10]])
#: What the known mistakes give on acgan_d_case() (stored from a trusted run).
ACGAN_D_WRONGS = [
    (2.3563671939420217, HINT_AC_NO_FAKE_CLASS),   # no CE(class_fake, y_fake)
    (3.7047125930417892, HINT_AC_SOFTMAX_CE),      # softmax, then cross_entropy
    (0.8142840861466241, HINT_AC_SOFTMAX_NLL),     # softmax, then nll_loss
    (2.6481901063933213, HINT_AC_NO_SOURCE_FAKE),  # no BCE(source_fake, 0)
    (3.5576771725141008, HINT_AC_SOURCE_SWAPPED),  # source targets swapped
    (1.7929968393233335, HINT_AC_MEAN_OF_TERMS),   # the four terms over 2
    (0.8964984196616668, HINT_AC_MEAN_OF_TERMS),   # the four terms over 4
]


@register(ACGAN_DL, points=1.5)
def acgan_d_loss_generic(sub):
    """2 real and 3 fake samples, K = 3, logits whose sigmoids and softmaxes are simple fractions: the sum of the four batch means and its gradients with respect to the four logit tensors, worked out by hand."""
    judge_acgan_d(sub, acgan_d_case(), ACGAN_D_EXPECTED, ACGAN_D_GRADS, "acgan_d_loss (2 real, 3 fake, K = 3)",
                  ACGAN_D_WRONGS)


def acgan_g_case():
    """3 fakes, K = 4, logits chosen so that every sigmoid and softmax is a simple fraction."""
    import torch

    ln = math.log
    source_fake = torch.tensor([ln(3), -ln(4), ln(1.5)])       # sigmoid 3/4, 1/5, 3/5
    class_fake = log_rows([[1, 2, 3, 2], [4, 1, 2, 3], [1, 1, 1, 5]], 0.75)   # rows over 8, 10, 8
    return source_fake, class_fake, torch.tensor([2, 0, 3])


# Worked out by hand on acgan_g_case(): BCE(source_fake, 1) = mean(log 4/3, log 5, log 5/3) = log(100/9) / 3;
# CE(class_fake, [2, 0, 3]) = mean(log 8/3, log 10/4, log 8/5) = log(32/3) / 3.
ACGAN_G_EXPECTED = math.log(100 / 9) / 3 + math.log(32 / 3) / 3                                      # 1.591690
ACGAN_G_GRADS = ([-1 / 12, -4 / 15, -2 / 15],
                 [[1 / 24, 1 / 12, -5 / 24, 1 / 12], [-1 / 5, 1 / 30, 1 / 15, 1 / 10], [1 / 24, 1 / 24, 1 / 24, -1 / 8]])
ACGAN_G_WRONGS = [
    (-0.05286834339221291, HINT_AC_G_SATURATING),  # -BCE(source_fake, 0) + CE
    (-1.6309507528132907, HINT_AC_G_SATURATING),   # -BCE(source_fake, 0) - CE
    (0.8026485362172906, HINT_AC_G_NO_CLASS),      # no class term
    (1.9840904649913564, HINT_AC_SOFTMAX_CE),      # softmax, then cross_entropy
    (0.335981869550624, HINT_AC_SOFTMAX_NLL),      # softmax, then nll_loss
]


@register(ACGAN_GL, points=1)
def acgan_g_loss_generic(sub):
    """3 fakes, K = 4, logits whose sigmoids and softmaxes are simple fractions: BCE(source_fake, 1) + CE(class_fake, y_fake) and its gradients, worked out by hand."""
    judge_acgan_g(sub, acgan_g_case(), ACGAN_G_EXPECTED, ACGAN_G_GRADS, "acgan_g_loss (3 fakes, K = 4)",
                  ACGAN_G_WRONGS)


# -- the double-softmax floor ---------------------------------------------------------------------------------

def floor_case(sub, num_classes, expected, diagnoses=()):
    value = sub.call("double_softmax_floor", num_classes)
    what = f"double_softmax_floor({num_classes})"
    check(isinstance(value, float) and not isinstance(value, bool), f"{what} returned {type(value).__name__}.",
          HINT_FLOOR_TYPE)
    close(value, expected, what, HINT_FLOOR_GENERIC, rtol=1e-9, atol=1e-12, diagnoses=diagnoses)


@register(FLOOR, points=1)
def floor_one_and_ten_classes(sub):
    """K = 1: 0.0 (one class, nothing to get wrong); K = 10: the 1.46 of the text (to 1e-9), as Python floats."""
    floor_case(sub, 1, 0.0)
    floor_case(sub, 10, 1.461150171734475, [(2.302585092994046, HINT_FLOOR_LOG_K)])   # the latter is log 10


# -- InfoGAN --------------------------------------------------------------------------------------------------

def latent_call(sub, batch, noise_dim, num_categories, num_continuous, seed):
    import torch

    what = f"sample_infogan_latent({batch}, {noise_dim}, {num_categories}, {num_continuous})"
    rng = sub.trusted("torch.Generator")
    sub.method(rng, "manual_seed", seed, keep=True)
    out = sub.call("sample_infogan_latent", batch, noise_dim, num_categories, num_continuous, rng)
    if not isinstance(out, tuple) or len(out) != 3:
        fail(f"{what} returned {type(out).__name__}, expected (latent, c_cat, c_cont).", HINT_LATENT_TYPES)
    latent, c_cat, c_cont = (tensor_or_fail(v, what, HINT_LATENT_TYPES) for v in out)
    expect_shape(latent, (batch, noise_dim + num_categories + num_continuous), f"{what}: latent", HINT_LATENT_TYPES)
    expect_shape(c_cat, (batch,), f"{what}: c_cat", HINT_LATENT_TYPES)
    expect_shape(c_cont, (batch, num_continuous), f"{what}: c_cont", HINT_LATENT_TYPES)
    check(latent.dtype == torch.float32 and c_cont.dtype == torch.float32 and c_cat.dtype == torch.int64,
          f"{what}: dtypes {latent.dtype}, {c_cat.dtype}, {c_cont.dtype}.", HINT_LATENT_TYPES)
    check(bool(((c_cat >= 0) & (c_cat < num_categories)).all()), f"{what}: c_cat outside 0..{num_categories - 1}.",
          HINT_LATENT_CAT)
    code = latent[:, noise_dim:noise_dim + num_categories]
    # one 1 per row, in column c_cat, and 0 elsewhere (its entries sum to 1 and are all 0 or 1)
    is_code = bool(((code == 0) | (code == 1)).all()) and bool((code.sum(1) == 1).all()) and bool(
        (code.gather(1, c_cat.view(-1, 1)) == 1).all())
    check(is_code and torch.equal(latent[:, noise_dim + num_categories:], c_cont),
          f"{what}: latent[:, {noise_dim}:] is not [one_hot(c_cat), c_cont].", HINT_LATENT_LAYOUT)
    return what, latent, c_cat, c_cont


def judge_continuous(c_cont, what):
    if c_cont.numel() == 0:
        return
    low, high = float(c_cont.min()), float(c_cont.max())
    check(high <= 1 and low >= -1, f"{what}: continuous codes range over [{low:.3g}, {high:.3g}].", HINT_LATENT_NORMAL)
    check(low < -0.5, f"{what}: continuous codes range over [{low:.3g}, {high:.3g}].", HINT_LATENT_01)


@register(INFO_LATENT, points=1)
@with_trusted_helpers("sample_infogan_latent")
def latent_layout_and_ranges(sub):
    """B = 200, noise 4, K = 3, C = 2: shapes and dtypes, latent = [z, one_hot(c_cat), c_cont], c_cat covers 0..2, c_cont inside [-1, 1] with values below -0.5."""
    what, latent, c_cat, c_cont = latent_call(sub, 200, 4, 3, 2, 31)
    check(len(set(c_cat.tolist())) == 3, f"{what}: c_cat takes the values {sorted(set(c_cat.tolist()))}.",
          HINT_LATENT_CAT)
    judge_continuous(c_cont, what)


def judge_q(sub, args, parts, grads, what, wrongs=(), cat_wrongs=(), cont_wrongs=()):
    """infogan_q_loss(*args) returns (loss, cat_part, cont_part) equal to ``parts``, with known wrong values of each
    in ``wrongs``, ``cat_wrongs`` and ``cont_wrongs``, and the loss's gradients with respect to cat_logits and
    cont_mean equal to ``grads``."""
    import torch

    out = sub.call("infogan_q_loss", *args)
    if not isinstance(out, tuple) or len(out) != 3:
        fail(f"{what} returned {type(out).__name__}, expected (loss, cat_part, cont_part).", HINT_Q_TRIPLE)
    tol = 1e-4 if args[0].dtype == torch.float32 else 1e-9
    close(out[1], parts[1], f"{what}: cat_part", HINT_Q_GENERIC, rtol=tol, atol=tol, diagnoses=cat_wrongs)
    if cont_wrongs:  # cont_weight applied inside cont_part would also make the loss wrong: say so first
        close(out[2], parts[2], f"{what}: cont_part", HINT_Q_GENERIC, rtol=tol, atol=tol, diagnoses=cont_wrongs)
    # the loss's value and its gradients; no gradient is compared for an empty cont_mean (no continuous code)
    keep = [i for i, g in zip((0, 2), grads) if g is not None]
    judge_loss(sub, "infogan_q_loss", args, keep, [("cat_logits", "cont_mean")[i // 2] for i in keep], parts[0],
               [g for g in grads if g is not None], f"{what}: loss", HINT_Q_GENERIC, wrongs)
    close(out[2], parts[2], f"{what}: cont_part", HINT_Q_GENERIC, rtol=tol, atol=tol)


def q_case():
    """3 samples, 3 categories and 3 continuous codes (so that a mean over codes and batch is no factor of 2 away)."""
    import torch

    cat_logits = log_rows([[1, 2, 1], [3, 1, 1], [2, 3, 5]], 0.3)   # softmax [1, 2, 1] / 4, [3, 1, 1] / 5, [2, 3, 5] / 10
    cont_mean = torch.tensor([[0.5, -0.25, 1.25], [1.5, 0.75, -0.5], [-1.0, 0.25, 0.125]])
    c_cont = torch.tensor([[0.25, 0.5, 1.0], [-0.5, 1.0, -0.75], [-0.75, -0.25, 0.5]])
    return cat_logits, torch.tensor([0, 2, 1]), cont_mean, c_cont


# Worked out by hand on q_case(): cat_part = mean(log 4, log 5, log 10/3) = log(200/3) / 3; c_cont - cont_mean has
# rows [-1/4, 3/4, -1/4], [-2, 1/4, -1/4], [1/4, -1/2, 3/8], so the halved squares sum to 11/32, 66/32 and 29/128 and
# cont_part is their mean, 337/384. Gradients: (softmax - one-hot) / 3 and (cont_mean - c_cont) / 3.
Q_CAT, Q_CONT = math.log(200 / 3) / 3, 337 / 384                                            # 1.399902, 0.877604
Q_GRADS = ([[-1 / 4, 1 / 6, 1 / 12], [1 / 5, 1 / 15, -4 / 15], [1 / 15, -7 / 30, 1 / 6]],
           [[1 / 12, -1 / 4, 1 / 12], [2 / 3, -1 / 12, 1 / 12], [-1 / 12, 1 / 6, -1 / 8]])
#: What the known mistakes give on q_case() (the halved squares' sum is 337/128, their plain sum 337/64).
Q_WRONGS = [
    (2.233453409864817, HINT_Q_SQUASHED),             # sigmoid(cont_mean)
    (1.9331582531001628, HINT_Q_SQUASHED),            # tanh(cont_mean)
    (Q_CAT + 337 / 128 / 9, HINT_Q_MEAN_OVER_CODES),  # halved squares averaged over batch and codes
    (Q_CAT + 337 / 64 / 9, HINT_Q_MEAN_OVER_CODES),   # squares averaged over batch and codes
    (Q_CAT + 337 / 192, HINT_Q_NO_HALF),              # no factor 1/2
    (1.193108475846653 + Q_CONT, HINT_Q_SOFTMAX),     # softmax, then cross_entropy
]


@register(INFO_Q, points=1.5)
def q_loss_generic(sub):
    """3 samples, 3 categories, 3 continuous codes, logits whose softmaxes are simple fractions: the three parts and the loss's gradients with respect to cat_logits and cont_mean, worked out by hand."""
    judge_q(sub, q_case(), (Q_CAT + Q_CONT, Q_CAT, Q_CONT), Q_GRADS, "infogan_q_loss (B 3, K 3, C 3)", Q_WRONGS,
            [(1.193108475846653, HINT_Q_SOFTMAX)])



# -- InfoGAN: the three optimizers and the training step ----------------------------------------------------------

INFO_NOISE, INFO_CONT, INFO_CATS, INFO_DATA = 3, 2, 3, 4


def info_networks(sub, seed, num_continuous=INFO_CONT):
    """Stand-ins in the submission's process: a conditional generator of (noise + C) latents and K classes, and a
    discriminator with a shared trunk, a source head and a Q head of K + C outputs (named ``classes``)."""
    gen = sub.trusted("ganlab.grading.standins.lab4_cond_generator", INFO_NOISE + num_continuous, INFO_CATS,
                      INFO_DATA, seed)
    disc = sub.trusted("ganlab.grading.standins.lab4_info_discriminator", INFO_DATA, INFO_CATS + num_continuous,
                       seed + 1)
    return gen, disc


def optimizer_reports(sub, gen, disc, args, what):
    """The three optimizers of ``infogan_optimizers(gen, disc, *args)``, as plain reports (one per optimizer)."""
    out = sub.call("infogan_optimizers", gen, disc, *args)
    if not isinstance(out, (tuple, list)) or len(out) != 3:
        fail(f"{what} returned {type(out).__name__}, expected (opt_g, opt_d, opt_info).", HINT_INFO_OPT_TRIPLE)
    return [sub.trusted("ganlab.grading.standins.lab4_optimizer_report", opt, gen, disc, keep=False) for opt in out]


def judge_optimizers(sub, seed, args, lr_g, lr_d, betas, what):
    """opt_g holds G's parameters at lr_g, opt_d D's at lr_d, opt_info G's at lr_g and D's trunk and Q head (the
    source head allowed) at lr_d; all Adam with ``betas``."""
    gen, disc = info_networks(sub, seed)
    reports = optimizer_reports(sub, gen, disc, args, what)
    g_names = set(sub.state(gen)["params"])
    d_names = set(sub.state(disc)["params"])
    g_all = {f"generator.{n}" for n in g_names}
    d_all = {f"discriminator.{n}" for n in d_names}
    d_source = {n for n in d_all if n.startswith("discriminator.source.")}
    for name, report in zip(("opt_g", "opt_d", "opt_info"), reports):
        for group in report:
            check(group["type"] == "Adam", f"{what}: {name} is {group['type']}.", HINT_INFO_OPT_ADAM)
            check(group["betas"] is not None and all(abs(a - b) < 1e-12 for a, b in zip(group["betas"], betas)),
                  f"{what}: {name} has betas {group['betas']}, expected {betas}.", HINT_INFO_OPT_ADAM)
        names = [n for group in report for n in group["params"]]
        check("other" not in names and len(names) == len(set(names)),
              f"{what}: {name} holds a tensor of neither network or a parameter twice.", HINT_INFO_OPT_EXTRA)
    rates = [{n: group["lr"] for group in report for n in group["params"]} for report in reports]
    check(set(rates[0]) == g_all, f"{what}: opt_g holds {sorted(rates[0])}.", HINT_INFO_OPT_G)
    check(set(rates[1]) == d_all, f"{what}: opt_d holds {sorted(rates[1])}.", HINT_INFO_OPT_D)
    check(all(abs(v - lr_g) <= 1e-12 * lr_g for v in rates[0].values()), f"{what}: opt_g's learning rate is "
          f"{sorted(set(rates[0].values()))}, expected lr_g = {lr_g}.", HINT_INFO_OPT_G)
    check(all(abs(v - lr_d) <= 1e-12 * lr_d for v in rates[1].values()), f"{what}: opt_d's learning rate is "
          f"{sorted(set(rates[1].values()))}, expected lr_d = {lr_d}.", HINT_INFO_OPT_D)
    info = rates[2]
    check(g_all <= set(info), f"{what}: opt_info misses the generator's {sorted(g_all - set(info))}.", HINT_INFO_NO_G)
    trunk = {n for n in d_all if n.startswith("discriminator.trunk.")}
    check(trunk <= set(info), f"{what}: opt_info misses {sorted(trunk - set(info))}.", HINT_INFO_TRUNK)
    missing = (d_all - d_source) - set(info)
    check(not missing, f"{what}: opt_info misses {sorted(missing)}.", HINT_INFO_TRUNK)
    check(set(info) <= g_all | d_all, f"{what}: opt_info holds {sorted(set(info) - g_all - d_all)}.", HINT_INFO_OPT_EXTRA)
    wrong = [n for n, v in info.items() if abs(v - (lr_g if n in g_all else lr_d)) > 1e-12 * max(lr_g, lr_d)]
    check(not wrong, f"{what}: opt_info's learning rates {[(n, info[n]) for n in wrong[:3]]} (lr_g = {lr_g}, "
          f"lr_d = {lr_d}).", HINT_INFO_LR)


@register(INFO_OPT, points=1)
def optimizers_hold_the_right_parameters(sub):
    """Stand-ins (G; D with trunk, source head and Q head), lr_g 3e-3, lr_d 5e-4, betas (0.4, 0.99): each optimizer is Adam with those betas; opt_g holds G's parameters, opt_d D's, opt_info G's at lr_g and D's trunk and Q head (source head optional) at lr_d."""
    judge_optimizers(sub, 0, (3e-3, 5e-4, (0.4, 0.99)), 3e-3, 5e-4, (0.4, 0.99),
                     "infogan_optimizers(G, D, 3e-3, 5e-4, (0.4, 0.99))")


def info_inputs(seed, batch, batch_fake, num_continuous=INFO_CONT):
    import torch

    g = generator(900 + seed)
    x_real = torch.randn(batch, 1, 1, INFO_DATA, generator=g) * 0.5 + 0.2
    z = torch.randn(batch_fake, INFO_NOISE, generator=g)
    c_cat = torch.randint(0, INFO_CATS, (batch_fake,), generator=g)
    c_cont = torch.rand(batch_fake, num_continuous, generator=g) * 2 - 1
    return x_real, z, c_cat, c_cont


def info_optimizers(sub, gen, disc, kind, lr_g, lr_d):
    """Trusted optimizers of the right parameter sets (Adam with betas (0.5, 0.999), SGD, or SGD with momentum 0.9)."""
    def make(groups):
        if kind == "adam":
            return sub.trusted("torch.optim.Adam", groups, betas=(0.5, 0.999))
        return sub.trusted("torch.optim.SGD", groups, momentum=0.9 if kind == "momentum" else 0.0)

    g_params = sub.method(gen, "parameters", keep=True)
    d_params = sub.method(disc, "parameters", keep=True)
    opt_g = make([{"params": g_params, "lr": lr_g}])
    opt_d = make([{"params": d_params, "lr": lr_d}])
    opt_info = make([{"params": sub.method(gen, "parameters", keep=True), "lr": lr_g},
                     {"params": sub.method(disc, "parameters", keep=True), "lr": lr_d}])
    return (opt_g, opt_d, opt_info)  # the three as infogan_optimizers returns them


def call_info_step(sub, gen, disc, opts, inputs, info_weight, what):
    q_loss = Trusted("ganlab.grading.standins.lab4_odd_q_loss")
    args = (gen, disc, *opts, *inputs, q_loss) + (() if info_weight is None else (info_weight,))
    out = sub.call("infogan_step", *args)
    if not isinstance(out, (tuple, list)) or len(out) != 3:
        fail(f"{what} returned {type(out).__name__}, expected (d_loss, g_loss, info_loss).", HINT_INFO_STEP_TRIPLE)
    values = []
    for v in out:
        t = as_float_tensor(v, f"a loss returned by {what}", HINT_INFO_STEP_TRIPLE)
        if t.numel() != 1:
            fail(f"{what} returned a loss of shape {tuple(t.shape)}.", HINT_INFO_STEP_TRIPLE)
        values.append(float(t))
    check(all(math.isfinite(v) for v in values), f"{what} returned non-finite losses {values}.", HINT_INFO_STEP_GENERIC)
    check(all(isinstance(v, float) for v in out), f"{what} returned {[type(v).__name__ for v in out]}.",
          HINT_INFO_STEP_TRIPLE)
    count = sub.getattr(gen, "backward_count")
    check(count <= 2 or not all(math.isfinite(v) for v in values), f"{what}: {count} gradients reached the "
          "generator's output in one step.", HINT_INFO_STEP_DETACH)
    check(count == 2, f"{what}: {count} gradients reached the generator's output in one step.", HINT_INFO_STEP_BACKWARDS)
    return values


#: infogan_step on info_networks(seed 0), info_inputs(seed 0, 6 real, 4 fake), SGD (lr_g 0.1, lr_d 0.05),
#: info_weight 0.7 and the stand-in Q loss (ganlab.grading.standins.lab4_odd_q_loss), stored from a trusted run:
#: (d_loss, g_loss, info_loss); and d_loss with 0.7 times the information loss of the D step's fakes added.
STEP_INFO_LOSSES = (2.0629398822784424, 0.3492903411388397, 4.228724956512451)
STEP_INFO_D_WITH_MI = 5.045396327972412


@register(INFO_STEP, points=1)
def info_step_losses_and_detach(sub):
    """Stand-ins, 6 real and 4 fake samples, K 3, C 2, SGD, info_weight 0.7, a stand-in Q loss: the three losses (stored from a trusted run), d_loss without the information term, and two gradients reaching G's output (G step and information step; none from D's)."""
    gen, disc = info_networks(sub, 0)
    opts = info_optimizers(sub, gen, disc, "sgd", 0.1, 0.05)
    what = "infogan_step (6 real, 4 fake, SGD, info_weight 0.7)"
    d_loss, g_loss, info_loss = call_info_step(sub, gen, disc, opts, info_inputs(0, 6, 4), 0.7, what)
    close(d_loss, STEP_INFO_LOSSES[0], f"{what}: d_loss", HINT_INFO_STEP_GENERIC, rtol=1e-4,
          diagnoses=[(STEP_INFO_D_WITH_MI, HINT_INFO_MI_IN_D)])
    close(g_loss, STEP_INFO_LOSSES[1], f"{what}: g_loss", HINT_INFO_STEP_GENERIC, rtol=1e-4)
    close(info_loss, STEP_INFO_LOSSES[2], f"{what}: info_loss", HINT_INFO_STEP_SPLIT, rtol=1e-4)


#: The sum of every parameter tensor of info_networks(seed 1) after one infogan_step (info_inputs(seed 1, 5 real, 7
#: fake), Adam lr_g 0.02 / lr_d 0.01 with betas (0.5, 0.999), stale gradients 0.5 on G and -0.3 on D, info_weight
#: 1.3), stored from a trusted run, by parameter name.
STEP_INFO_PARAMS = {
    "generator.class_shift": 0.7102735470980406, "generator.net.0.weight": 0.23220142349600792,
    "generator.net.0.bias": 0.12782885134220123, "discriminator.trunk.0.weight": -0.13209940306842327,
    "discriminator.trunk.0.bias": -1.3122461773455143, "discriminator.source.weight": -1.3621074333786964,
    "discriminator.source.bias": 0.32378697395324707, "discriminator.classes.weight": 3.6167746633291245,
    "discriminator.classes.bias": 1.1120539456605911,
}


@register(INFO_STEP, points=1)
def info_step_adam_stale_parameters(sub):
    """Stand-ins, Adam with stale gradients in .grad, 5 real and 7 fake samples, info_weight 1.3: every parameter after the step (its sum, stored from a trusted run), so each optimizer updated its own parameters from zero gradients."""
    gen, disc = info_networks(sub, 1)
    opts = info_optimizers(sub, gen, disc, "adam", 0.02, 0.01)
    sub.trusted("ganlab.grading.standins.fill_grads", gen, 0.5, keep=False)
    sub.trusted("ganlab.grading.standins.fill_grads", disc, -0.3, keep=False)
    what = "infogan_step (5 real, 7 fake, Adam, stale gradients, info_weight 1.3)"
    call_info_step(sub, gen, disc, opts, info_inputs(1, 5, 7), 1.3, what)
    for prefix, ref in (("generator", gen), ("discriminator", disc)):
        for n, p in params_of(sub, ref).items():
            close(float(p.double().sum()), STEP_INFO_PARAMS[f"{prefix}.{n}"], f"{what}: the sum of {prefix}.{n} after "
                  "the step", HINT_INFO_STEP_STALE, rtol=1e-4, atol=1e-5)


__all__ = ["CheckFailure"]
