"""Public checks for Lab 4 (conditional GANs): the exercises and first checks of their contracts.

This first version registers every exercise with one public test each: the function or network runs on
generic inputs and returns what its docstring promises (shapes, dtypes, one hand-worked value where the
exercise is a formula). The full public and hidden tests follow the testing rules of docs/AUTHORING.md.
"""

from __future__ import annotations

import math

from ganlab.grading.testing import exercise, expect_close, fail, register

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

HINT_SHAPE = "The result does not have the shape the docstring promises: reread its Returns section."


def _shape(value, expected, what):
    shape = tuple(getattr(value, "shape", ()))
    if shape != tuple(expected):
        fail(f"{what} has shape {shape}, expected {tuple(expected)}", HINT_SHAPE)


@register(Q_VALUE, points=0)
def optimal_value_is_a_number(sub):
    """The answer is a finite number (its value is judged by the hidden test: this file ships to students)."""
    answer = sub.call("answer_optimal_value")
    if isinstance(answer, bool) or not isinstance(answer, (int, float)) or not math.isfinite(answer):
        fail(f"the answer is {answer!r}, expected a finite number", "Return a float, e.g. 0.5, not a string.")


@register(Q_BLIND, points=0)
def blind_discriminator_is_a_letter(sub):
    """One of "a", "b", "c" (judged by the hidden test)."""
    answer = sub.call("answer_blind_discriminator")
    if answer not in ("a", "b", "c"):
        fail(f"the answer is {answer!r}, expected one of 'a', 'b', 'c'", "Return one letter as a string.")


@register(ONE_HOT, points=2)
def one_hot_generic(sub):
    """Labels [2, 0, 4, 2] with K = 5."""
    import torch

    out = sub.call("one_hot", torch.tensor([2, 0, 4, 2]), 5)
    expect_close(out, torch.eye(5)[[2, 0, 4, 2]], "one_hot([2, 0, 4, 2], 5)")


@register(CONCAT, points=2)
def concat_condition_one_hot(sub):
    """A (3, 2, 2) batch with labels [1, 0, 2], K = 3: flattened input, then the one-hot code."""
    import torch

    h = torch.arange(12, dtype=torch.float32).view(3, 2, 2) / 7
    y = torch.tensor([1, 0, 2])
    out = sub.call("concat_condition", h, y, 3)
    expect_close(out, torch.cat([h.flatten(1), torch.eye(3)[y]], 1), "concat_condition(h, y, 3)")


@register(MLP_G, points=3)
def mlp_generator_shapes(sub):
    """latent 5, K 3, hidden 7, size 6: images (4, 1, 6, 6) in (-1, 1)."""
    import torch

    net = sub.new("ConditionalMLPGenerator", 5, 3, 7, 6)
    out = sub.method(net, "__call__", torch.randn(4, 5, generator=torch.Generator().manual_seed(0)),
                     torch.tensor([0, 2, 1, 2]))
    _shape(out, (4, 1, 6, 6), "G(z, y)")


@register(MLP_D, points=3)
def mlp_discriminator_shapes(sub):
    """K 3, hidden 7, size 6: logits (4,)."""
    import torch

    net = sub.new("ConditionalMLPDiscriminator", 3, 7, 6)
    out = sub.method(net, "__call__", torch.randn(4, 1, 6, 6, generator=torch.Generator().manual_seed(0)),
                     torch.tensor([0, 2, 1, 2]))
    _shape(out, (4,), "D(x, y)")


@register(CONV_G, points=3)
def conv_generator_shapes(sub):
    """latent 5, K 3, base 4, sizes 16 and 32."""
    import torch

    for size in (16, 32):
        net = sub.new("ConditionalGenerator", 5, 3, 4, size)
        out = sub.method(net, "__call__", torch.randn(2, 5), torch.tensor([2, 0]))
        _shape(out, (2, 1, size, size), f"G(z, y) at image_size {size}")


@register(CONV_D, points=3)
def conv_discriminator_shapes(sub):
    """K 3, base 4, sizes 16 and 32."""
    import torch

    for size in (16, 32):
        net = sub.new("ConditionalDiscriminator", 3, 4, size)
        out = sub.method(net, "__call__", torch.randn(2, 1, size, size), torch.tensor([2, 0]))
        _shape(out, (2,), f"D(x, y) at image_size {size}")


@register(STEP, points=4)
def train_step_returns_floats(sub):
    """One step on the MLP stand-ins of the notebook's own classes returns two finite floats."""
    import torch

    sub.trusted("torch.manual_seed", 0, keep=False)
    gen = sub.new("ConditionalMLPGenerator", 3, 2, 5, 4)
    disc = sub.new("ConditionalMLPDiscriminator", 2, 5, 4)
    opt_g = sub.trusted("torch.optim.SGD", sub.method(gen, "parameters", keep=True), lr=0.01)
    opt_d = sub.trusted("torch.optim.SGD", sub.method(disc, "parameters", keep=True), lr=0.01)
    out = sub.call("cgan_train_step", gen, disc, opt_g, opt_d, torch.randn(3, 1, 4, 4), torch.tensor([0, 1, 1]),
                   torch.randn(2, 3), torch.tensor([1, 0]))
    if not (isinstance(out, tuple) and len(out) == 2 and all(isinstance(v, float) and math.isfinite(v) for v in out)):
        fail(f"returned {out!r}, expected (d_loss, g_loss) as two finite Python floats", "Return loss.item() of both losses.")


@register(GRID, points=3)
def grid_shape(sub):
    """3 latents, K 4: 12 images."""
    import torch

    gen = sub.new("ConditionalMLPGenerator", 5, 4, 6, 4)
    out = sub.call("sample_class_grid", gen, torch.randn(3, 5), 4)
    _shape(out, (12, 1, 4, 4), "the grid")


@register(INTERP, points=2)
def interpolation_shape(sub):
    """5 steps between two latents, class 2."""
    import torch

    gen = sub.new("ConditionalMLPGenerator", 5, 4, 6, 4)
    out = sub.call("interpolate_in_class", gen, torch.randn(5), torch.randn(5), 2, 5)
    _shape(out, (5, 1, 4, 4), "the path")


@register(PROJ, points=3)
def projection_shape(sub):
    """F 6, K 3: logits (4,)."""
    import torch

    head = sub.new("ProjectionHead", 6, 3)
    out = sub.method(head, "__call__", torch.randn(4, 6), torch.tensor([0, 2, 1, 2]))
    _shape(out, (4,), "the logits")


@register(CBN, points=3)
def cbn_shape(sub):
    """C 3, K 4: output shaped as the input."""
    import torch

    layer = sub.new("ConditionalBatchNorm2d", 3, 4)
    out = sub.method(layer, "__call__", torch.randn(5, 3, 2, 2), torch.tensor([0, 3, 1, 2, 3]))
    _shape(out, (5, 3, 2, 2), "CBN(x, y)")


@register(ACGAN_D, points=3)
def acgan_shapes(sub):
    """K 3, base 4, size 16: (source (2,), classes (2, 3))."""
    import torch

    net = sub.new("ACGANDiscriminator", 3, 4, 16)
    source, classes = sub.method(net, "__call__", torch.randn(2, 1, 16, 16))
    _shape(source, (2,), "the source logits")
    _shape(classes, (2, 3), "the class logits")


@register(ACGAN_DL, points=3)
def acgan_d_loss_value(sub):
    """Logits of zero: 2 log 2 + 2 log 3 with K = 3."""
    import torch

    out = sub.call("acgan_d_loss", torch.zeros(2), torch.zeros(2, 3), torch.tensor([0, 2]), torch.zeros(3),
                   torch.zeros(3, 3), torch.tensor([1, 1, 0]))
    expect_close(out, 2 * math.log(2) + 2 * math.log(3), "acgan_d_loss at zero logits", rtol=1e-5)


@register(ACGAN_GL, points=2)
def acgan_g_loss_value(sub):
    """Logits of zero: log 2 + log 3 with K = 3."""
    import torch

    out = sub.call("acgan_g_loss", torch.zeros(3), torch.zeros(3, 3), torch.tensor([1, 1, 0]))
    expect_close(out, math.log(2) + math.log(3), "acgan_g_loss at zero logits", rtol=1e-5)


@register(FLOOR, points=2)
def floor_k1(sub):
    """One class: the loss is 0."""
    expect_close(sub.call("double_softmax_floor", 1), 0.0, "double_softmax_floor(1)", atol=1e-9)


@register(INFO_LATENT, points=2)
def latent_shapes(sub):
    """B 5, noise 4, K 3, C 2."""
    import torch

    latent, c_cat, c_cont = sub.call("sample_infogan_latent", 5, 4, 3, 2, torch.Generator().manual_seed(0))
    _shape(latent, (5, 9), "latent")
    _shape(c_cat, (5,), "c_cat")
    _shape(c_cont, (5, 2), "c_cont")


@register(INFO_Q, points=3)
def q_loss_value(sub):
    """Zero logits (K 4) and means 0 against codes 0.5 and -1: log 4 + (0.125 + 0.5)."""
    import torch

    loss, cat_part, cont_part = sub.call("infogan_q_loss", torch.zeros(2, 4), torch.tensor([3, 0]),
                                         torch.zeros(2, 2), torch.tensor([[0.5, -1.0], [0.5, -1.0]]))
    expect_close(cat_part, math.log(4), "the categorical part", rtol=1e-5)
    expect_close(cont_part, 0.625, "the continuous part", rtol=1e-5)
    expect_close(loss, math.log(4) + 0.625, "the loss", rtol=1e-5)
