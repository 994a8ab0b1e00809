"""Hidden tests for Lab 4 (conditional GANs): the answers of the reasoning questions, the contracts' edges (batch
of one, smallest sizes, other dtypes, errors), networks compared with trusted copies of the text's architectures
(below) in train and eval mode, replays of the training step with Adam and momentum and stale gradients, and
extreme logits for the losses."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from ganlab.checks.lab4 import (
    ACGAN_D, ACGAN_DL, ACGAN_GL, CBN, CONCAT, CONV_D, CONV_G, FLOOR, GRID, HINT_CBN_GENERIC, HINT_CBN_STATS,
    HINT_CONCAT_ERRORS, HINT_CONCAT_GENERIC, HINT_CONV_D_LAYERS, HINT_CONV_G_LAYERS, HINT_FLOOR_ERROR,
    HINT_G_SIGMOID, HINT_IGNORES_LABEL, HINT_INTERP_STEPS, HINT_LATENT_CAT, HINT_LATENT_NORMAL, HINT_LATENT_SEED,
    HINT_LATENT_Z, HINT_MLP_D_LAYERS, HINT_MLP_G_LAYERS, HINT_MUTATES, HINT_ONE_HOT_ERRORS, HINT_AC_LAYERS,
    HINT_AC_SOFTMAX, HINT_CONCAT_ORDER, HINT_D_SIGMOID, HINT_SLOPE, HINT_STEP_DETACH, HINT_STEP_FAKE_LABELS,
    HINT_STEP_GENERIC, HINT_STEP_REAL_LABELS, INFO_LATENT, INFO_Q, INTERP, MLP_D, MLP_G, ONE_HOT, PROJ, Q_BLIND,
    Q_VALUE, STEP, acgan_d_inputs, acgan_outputs, build, call_step, cbn_expected, cbn_structure, check, close,
    concat_call, expect_raises, fail, floor_case, grid_case, heads_classes_first, interp_case, judge_acgan_d, judge_acgan_g,
    judge_continuous, judge_labels, judge_q, latent_call, one_hot_case, params_of, projection_case, q_inputs,
    run_net, step_inputs, step_setup, with_trusted_helpers, STEP_CLASSES, STEP_DATA, STEP_LATENT,
)
from autograder.hidden.lab3 import _SGD, _Adam
from ganlab.grading import standins
from ganlab.grading.netcheck import functional_compare, structure
from ganlab.grading.testing import expect_close, register

HINT_VALUE_SIGN = "The value is negative: two expectations of log(1/2)."
HINT_VALUE_GENERIC = "Put D* = 1/2 (p_g = p) into the value function: two expectations of log(1/2)."
HINT_BLIND = "Write D*(x) for a discriminator of x alone: which densities does it involve?"
HINT_NOT_A_NUMBER = "Return a float."
HINT_STEP_REPLAY = ("With Adam or momentum and stale gradients left in .grad, the parameters after one step differ "
                    "from the reference step's: zero each optimizer's gradients before its backward, step only that "
                    "optimizer, and compute g_loss through the updated discriminator.")


@register(Q_VALUE, points=1, hidden=True)
def optimal_value_answer(sub):
    """V(D*, G*) = -log 4."""
    answer = sub.call("answer_optimal_value")
    if isinstance(answer, bool) or not isinstance(answer, (int, float)):
        fail("the answer is not a number.", HINT_NOT_A_NUMBER)
    expect_close(answer, -math.log(4), "V(D*, G*)", rtol=1e-3, atol=1e-3,
                 diagnoses=[(math.log(4), HINT_VALUE_SIGN)], hint=HINT_VALUE_GENERIC)


@register(Q_BLIND, points=1, hidden=True)
def blind_discriminator_answer(sub):
    """The right letter."""
    if sub.call("answer_blind_discriminator") != "b":
        fail("not the right statement.", HINT_BLIND)


# -- one-hot and concatenation ------------------------------------------------------------------------------------

@register(ONE_HOT, points=1, hidden=True)
def one_hot_edges_and_errors(sub):
    """A batch of 1, int32 labels, K = 1, labels using every class; ValueError for a label of -1 or K, float labels and labels of shape (B, 1)."""
    one_hot_case(sub, [3], 7)
    one_hot_case(sub, [1, 0, 2, 1], 3, dtype="int32")
    one_hot_case(sub, [0, 0], 1)
    for y, what in ((torch.tensor([0, -1, 2]), "one_hot([0, -1, 2], 3)"), (torch.tensor([3, 1]), "one_hot([3, 1], 3)"),
                    (torch.tensor([0.0, 1.0]), "one_hot(float labels, 3)"),
                    (torch.tensor([[0], [1]]), "one_hot(labels of shape (2, 1), 3)")):
        expect_raises(sub, "ValueError", HINT_ONE_HOT_ERRORS, what, "one_hot", y, 3)


@register(CONCAT, points=1, hidden=True)
def concat_latents_float64_and_errors(sub):
    """A float64 latent batch of 1 with K = 4; latents (3, 5) with an embedding of size 3; ValueError when y has another length than h, or shape (B, 1) (with an embedding too)."""
    h = torch.tensor([[0.3, -1.2, 2.5]], dtype=torch.float64)
    y = torch.tensor([3])
    out = concat_call(sub, h, y, 4, what="concat_condition(h (1, 3) float64, [3], 4)")
    close(out, torch.cat([h, torch.eye(4, dtype=torch.float64)[y]], 1), "concat_condition(h (1, 3) float64, [3], 4)",
          HINT_CONCAT_GENERIC, atol=1e-12, diagnoses=[(torch.cat([torch.eye(4)[y].double(), h], 1), HINT_CONCAT_ORDER)])
    check(out.dtype == torch.float64, f"concat_condition returned {out.dtype} for a float64 h.", HINT_CONCAT_GENERIC)
    g = torch.Generator().manual_seed(5)
    h = torch.randn(3, 5, generator=g)
    y = torch.tensor([2, 0, 2])
    emb = sub.trusted("torch.nn.Embedding", 4, 3)
    table = sub.state(emb)["params"]["weight"]
    out = concat_call(sub, h, y, 4, emb, "concat_condition(h (3, 5), y, 4, nn.Embedding(4, 3))")
    close(out, torch.cat([h, table[y]], 1), "concat_condition(h (3, 5), y, 4, embedding)", HINT_CONCAT_GENERIC,
          atol=1e-6, diagnoses=[(torch.cat([table[y], h], 1), HINT_CONCAT_ORDER)])
    expect_raises(sub, "ValueError", HINT_CONCAT_ERRORS, "concat_condition(h (3, 5), y of length 2, 4)",
                  "concat_condition", h, torch.tensor([1, 2]), 4)
    expect_raises(sub, "ValueError", HINT_CONCAT_ERRORS, "concat_condition(h (3, 5), y of shape (3, 1), 4, embedding)",
                  "concat_condition", h, y[:, None], 4, emb)


# -- networks: trusted copies of the text's architectures --------------------------------------------------------

class _MLPGenerator(nn.Module):
    def __init__(self, latent_dim, num_classes, hidden_dim, image_size, act=lambda: nn.LeakyReLU(0.2), out=nn.Tanh,
                 label_first=False):
        super().__init__()
        self.k, self.s, self.label_first = num_classes, image_size, label_first
        self.net = nn.Sequential(nn.Linear(latent_dim + num_classes, hidden_dim), act(), nn.Linear(hidden_dim, hidden_dim),
                                 act(), nn.Linear(hidden_dim, image_size ** 2), out())

    def forward(self, z, y):
        code = F.one_hot(y, self.k).to(z.dtype)
        h = torch.cat([code, z], 1) if self.label_first else torch.cat([z, code], 1)
        return self.net(h).view(-1, 1, self.s, self.s)


class _MLPDiscriminator(nn.Module):
    def __init__(self, num_classes, hidden_dim, image_size, act=lambda: nn.LeakyReLU(0.2), out=nn.Identity,
                 label_first=False):
        super().__init__()
        self.k, self.label_first = num_classes, label_first
        self.net = nn.Sequential(nn.Linear(image_size ** 2 + num_classes, hidden_dim), act(),
                                 nn.Linear(hidden_dim, hidden_dim), act(), nn.Linear(hidden_dim, 1), out())

    def forward(self, x, y):
        code = F.one_hot(y, self.k).to(x.dtype)
        h = torch.cat([code, x.flatten(1)], 1) if self.label_first else torch.cat([x.flatten(1), code], 1)
        return self.net(h).view(-1)


class _ConvGenerator(nn.Module):
    def __init__(self, latent_dim, num_classes, base, size, channels, out=nn.Tanh, eps=1e-5):
        super().__init__()
        self.k = num_classes
        width = base * size // 8
        layers = [nn.ConvTranspose2d(latent_dim + num_classes, width, 4, 1, 0, bias=False), nn.BatchNorm2d(width, eps),
                  nn.ReLU()]
        s = 4
        while s < size // 2:
            layers += [nn.ConvTranspose2d(width, width // 2, 4, 2, 1, bias=False), nn.BatchNorm2d(width // 2, eps),
                       nn.ReLU()]
            width, s = width // 2, s * 2
        layers += [nn.ConvTranspose2d(width, channels, 4, 2, 1), out()]
        self.net = nn.Sequential(*layers)

    def forward(self, z, y):
        return self.net(torch.cat([z, F.one_hot(y, self.k).to(z.dtype)], 1)[:, :, None, None])


class _ConvTrunk(nn.Module):
    def __init__(self, in_channels, base, size, act=lambda: nn.LeakyReLU(0.2), eps=1e-5):
        super().__init__()
        layers = [nn.Conv2d(in_channels, base, 4, 2, 1), act()]
        width, s = base, size // 2
        while s > 4:
            layers += [nn.Conv2d(width, 2 * width, 4, 2, 1, bias=False), nn.BatchNorm2d(2 * width, eps), act()]
            width, s = 2 * width, s // 2
        self.net, self.width = nn.Sequential(*layers), width

    def forward(self, x):
        return self.net(x)


class _ConvDiscriminator(nn.Module):
    def __init__(self, num_classes, base, size, channels, act=lambda: nn.LeakyReLU(0.2), out=nn.Identity, eps=1e-5):
        super().__init__()
        self.k = num_classes
        self.trunk = _ConvTrunk(channels + num_classes, base, size, act, eps)
        self.last = nn.Sequential(nn.Conv2d(self.trunk.width, 1, 4, 1, 0), out())

    def forward(self, x, y):
        planes = F.one_hot(y, self.k).to(x.dtype)[:, :, None, None].expand(-1, -1, *x.shape[-2:])
        return self.last(self.trunk(torch.cat([x, planes], 1))).view(-1)


class _ACGAN(nn.Module):
    def __init__(self, num_classes, base, size, channels, classes_out=nn.Identity, act=lambda: nn.LeakyReLU(0.2),
                 classes_first=False):
        super().__init__()
        self.classes_first = classes_first
        self.trunk = _ConvTrunk(channels, base, size, act)
        self.source = nn.Conv2d(self.trunk.width, 1, 4, 1, 0)
        self.classes = nn.Conv2d(self.trunk.width, num_classes, 4, 1, 0)
        self.classes_out = classes_out(dim=1) if classes_out is nn.Softmax else classes_out()

    def forward(self, x):
        h = self.trunk(x)
        if self.classes_first:  # the same function; the order only decides how parameters are matched
            classes = self.classes_out(self.classes(h).flatten(1))
            return self.source(h).view(-1), classes
        return self.source(h).view(-1), self.classes_out(self.classes(h).flatten(1))


def _both(v):
    return torch.cat([v[0].reshape(len(v[0]), 1), v[1]], 1)


def _labels(batch, num_classes, seed):
    return torch.randint(0, num_classes, (batch,), generator=torch.Generator().manual_seed(seed))


def _one_thread(fn):
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        return fn()
    finally:
        torch.set_num_threads(threads)


@register(MLP_G, points=1.5, hidden=True)
@with_trusted_helpers("ConditionalMLPGenerator")
def mlp_generator_computes_the_text(sub):
    """The submission's parameters copied into the text's MLP generator give the same images: (latent 6, K 4, hidden 9, size 5), batch of 1, and the defaults (hidden 256, size 16) with K = 10."""
    for args, kwargs, batch in (((6, 4), {"hidden_dim": 9, "image_size": 5}, 3), ((6, 4), {"hidden_dim": 9,
                                "image_size": 5}, 1), ((8, 10), {}, 2)):
        what = f"ConditionalMLPGenerator{args + tuple(kwargs.values())}"
        net = build(sub, "ConditionalMLPGenerator", HINT_MLP_G_LAYERS, *args, **kwargs)
        hidden, size = kwargs.get("hidden_dim", 256), kwargs.get("image_size", 16)
        z, y = torch.randn(batch, args[0], generator=torch.Generator().manual_seed(batch)), _labels(batch, args[1], 3)

        def mistakes():
            return [(lambda: _MLPGenerator(*args, hidden, size, label_first=True), HINT_MLP_G_LAYERS),
                    (lambda: _MLPGenerator(*args, hidden, size, out=nn.Sigmoid), HINT_G_SIGMOID),
                    (lambda: _MLPGenerator(*args, hidden, size, act=nn.LeakyReLU), HINT_SLOPE)]

        functional_compare(sub, net, _MLPGenerator(*args, hidden, size), [z, y], what, diagnoses=mistakes())


@register(MLP_D, points=1.5, hidden=True)
@with_trusted_helpers("ConditionalMLPDiscriminator")
def mlp_discriminator_computes_the_text(sub):
    """The submission's parameters copied into the text's MLP discriminator give the same logits: (K 4, hidden 9, size 5), batch of 1, and the defaults with K = 10."""
    for args, kwargs, batch in (((4,), {"hidden_dim": 9, "image_size": 5}, 3), ((4,), {"hidden_dim": 9,
                                "image_size": 5}, 1), ((10,), {}, 2)):
        what = f"ConditionalMLPDiscriminator{args + tuple(kwargs.values())}"
        net = build(sub, "ConditionalMLPDiscriminator", HINT_MLP_D_LAYERS, *args, **kwargs)
        hidden, size = kwargs.get("hidden_dim", 256), kwargs.get("image_size", 16)
        x = torch.rand(batch, 1, size, size, generator=torch.Generator().manual_seed(batch)) * 2 - 1
        y = _labels(batch, args[0], 4)
        mistakes = [(lambda: _MLPDiscriminator(*args, hidden, size, label_first=True), HINT_IGNORES_LABEL),
                    (lambda: _MLPDiscriminator(*args, hidden, size, out=nn.Sigmoid), HINT_D_SIGMOID),
                    (lambda: _MLPDiscriminator(*args, hidden, size, act=nn.LeakyReLU), HINT_SLOPE)]
        functional_compare(sub, net, _MLPDiscriminator(*args, hidden, size), [x, y], what, diagnoses=mistakes,
                           output=lambda v: v.reshape(-1))


G_CASES = [(4, 3, 2, 8, 1, 3, ("eval", "train")), (6, 5, 3, 32, 3, 2, ("eval", "train")), (3, 2, 2, 16, 1, 1, ("eval",))]


@register(CONV_G, points=1.5, hidden=True)
@with_trusted_helpers("ConditionalGenerator")
def conv_generator_computes_the_text(sub):
    """The submission's parameters copied into the text's generator give the same images and batch-norm statistics, train and eval: 8 x 8 (no doubling block), 32 x 32 RGB, and one latent in eval mode at 16 x 16."""
    for latent, k, base, size, channels, batch, modes in G_CASES:
        what = f"ConditionalGenerator({latent}, {k}, base_channels={base}, image_size={size}, image_channels={channels})"
        net = build(sub, "ConditionalGenerator", HINT_CONV_G_LAYERS, latent, k, base_channels=base, image_size=size,
                    image_channels=channels)
        z, y = torch.randn(batch, latent, generator=torch.Generator().manual_seed(size)), _labels(batch, k, size)
        if batch == 1:
            sub.method(net, "eval", keep=False)
        mistakes = [(lambda: _ConvGenerator(latent, k, base, size, channels, eps=0.8), HINT_CONV_G_LAYERS),
                    (lambda: _ConvGenerator(latent, k, base, size, channels, out=nn.Sigmoid), HINT_G_SIGMOID)]
        _one_thread(lambda: functional_compare(sub, net, _ConvGenerator(latent, k, base, size, channels), [z, y], what,
                                               modes=modes, diagnoses=mistakes))
    net = build(sub, "ConditionalGenerator", HINT_CONV_G_LAYERS, 2, 2, base_channels=1, image_size=64)
    sub.method(net, "eval", keep=False)
    out = run_net(sub, net, (torch.zeros(1, 2), torch.tensor([1])), "ConditionalGenerator(..., image_size=64)",
                  HINT_CONV_G_LAYERS)
    check(tuple(out.shape) == (1, 1, 64, 64), f"ConditionalGenerator(2, 2, base_channels=1, image_size=64) gives "
          f"{tuple(out.shape)}, expected (1, 1, 64, 64).", HINT_CONV_G_LAYERS)


D_CASES = [(3, 2, 8, 1, 3, ("eval", "train")), (5, 3, 32, 3, 2, ("eval", "train")), (2, 2, 16, 1, 1, ("eval",))]


@register(CONV_D, points=1.5, hidden=True)
@with_trusted_helpers("ConditionalDiscriminator")
def conv_discriminator_computes_the_text(sub):
    """The submission's parameters copied into the text's discriminator give the same logits and statistics, train and eval: 8 x 8 (no halving block), 32 x 32 RGB, and one image in eval mode; image_size 64 gives one logit per image."""
    for k, base, size, channels, batch, modes in D_CASES:
        what = f"ConditionalDiscriminator({k}, base_channels={base}, image_size={size}, image_channels={channels})"
        net = build(sub, "ConditionalDiscriminator", HINT_CONV_D_LAYERS, k, base_channels=base, image_size=size,
                    image_channels=channels)
        x = torch.rand(batch, channels, size, size, generator=torch.Generator().manual_seed(size)) * 2 - 1
        y = _labels(batch, k, size + 1)
        if batch == 1:
            sub.method(net, "eval", keep=False)
        mistakes = [(lambda: _ConvDiscriminator(k, base, size, channels, eps=0.8), HINT_CONV_D_LAYERS),
                    (lambda: _ConvDiscriminator(k, base, size, channels, out=nn.Sigmoid), HINT_D_SIGMOID),
                    (lambda: _ConvDiscriminator(k, base, size, channels, act=nn.LeakyReLU), HINT_SLOPE)]
        _one_thread(lambda: functional_compare(sub, net, _ConvDiscriminator(k, base, size, channels), [x, y], what,
                                               modes=modes, diagnoses=mistakes, output=lambda v: v.reshape(-1)))
    net = build(sub, "ConditionalDiscriminator", HINT_CONV_D_LAYERS, 2, base_channels=1, image_size=64)
    sub.method(net, "eval", keep=False)
    out = run_net(sub, net, (torch.zeros(1, 1, 64, 64), torch.tensor([1])), "ConditionalDiscriminator(..., 64)",
                  HINT_CONV_D_LAYERS)
    check(tuple(out.shape) == (1,), f"ConditionalDiscriminator(2, base_channels=1, image_size=64) gives "
          f"{tuple(out.shape)}, expected (1,).", HINT_CONV_D_LAYERS)


@register(ACGAN_D, points=1.5, hidden=True)
def acgan_computes_the_text(sub):
    """The submission's parameters copied into the text's ACGAN discriminator give the same source and class logits, train and eval: 8 x 8 with K = 2, 32 x 32 RGB with K = 5, one image in eval mode; image_size 64 gives the right shapes."""
    for k, base, size, channels, batch, modes in ((2, 2, 8, 1, 3, ("eval", "train")), (5, 3, 32, 3, 2, ("eval", "train")),
                                                  (3, 2, 16, 1, 1, ("eval",))):
        what = f"ACGANDiscriminator({k}, base_channels={base}, image_size={size}, image_channels={channels})"
        net = build(sub, "ACGANDiscriminator", HINT_AC_LAYERS, k, base_channels=base, image_size=size,
                    image_channels=channels)
        x = torch.rand(batch, channels, size, size, generator=torch.Generator().manual_seed(size + 2)) * 2 - 1
        if batch == 1:
            sub.method(net, "eval", keep=False)
        acgan_outputs(sub, net, x, k, what)
        first = heads_classes_first(structure(sub, net, x), k)
        mistakes = [(lambda: _ACGAN(k, base, size, channels, classes_out=nn.Softmax, classes_first=first),
                     HINT_AC_SOFTMAX),
                    (lambda: _ACGAN(k, base, size, channels, act=nn.LeakyReLU, classes_first=first), HINT_SLOPE)]
        _one_thread(lambda: functional_compare(sub, net, _ACGAN(k, base, size, channels, classes_first=first), [x],
                                               what, modes=modes, diagnoses=mistakes, output=_both))
    net = build(sub, "ACGANDiscriminator", HINT_AC_LAYERS, 2, base_channels=1, image_size=64)
    sub.method(net, "eval", keep=False)
    acgan_outputs(sub, net, torch.zeros(1, 1, 64, 64), 2, "ACGANDiscriminator(2, base_channels=1, image_size=64)")


# -- the training step: replays with Adam and momentum -----------------------------------------------------------

def _opt(params, kind, lr):
    """The written-out SGD (momentum 0.9) / Adam (betas 0.5, 0.999) of Lab 3's hidden tests."""
    return _Adam(params, lr) if kind == "adam" else _SGD(params, lr, momentum=0.9 if kind == "momentum" else 0.0)


def _reference_step(gen, disc, opt_g, opt_d, x_real, y_real, z, y_fake):
    bce = F.binary_cross_entropy_with_logits
    x_fake = gen(z, y_fake)
    opt_d.zero_grad()
    r, f = disc(x_real, y_real), disc(x_fake.detach(), y_fake)
    d_loss = bce(r, torch.ones_like(r)) + bce(f, torch.zeros_like(f))
    d_loss.backward()
    opt_d.step()
    opt_g.zero_grad()
    f = disc(x_fake, y_fake)
    g_loss = bce(f, torch.ones_like(f))
    g_loss.backward()
    opt_g.step()
    return d_loss.item(), g_loss.item()


def _replay(sub, seed, kind, lr, batch, batch_fake, stale):
    inputs = step_inputs(seed, batch, batch_fake)
    gen, disc, opt_g, opt_d = step_setup(sub, seed, kind, lr)
    if stale:
        sub.trusted("ganlab.grading.standins.fill_grads", gen, 0.5, keep=False)
        sub.trusted("ganlab.grading.standins.fill_grads", disc, -0.3, keep=False)
    (d_loss, g_loss), _ = call_step(sub, gen, disc, opt_g, opt_d, inputs)
    judge_labels(sub, disc, inputs, f"cgan_train_step ({batch} real, {batch_fake} fake)")
    count = sub.getattr(gen, "backward_count")
    check(count <= 1, f"{count} backward passes reached the generator's output in one step.", HINT_STEP_DETACH)
    local_g = standins.lab4_cond_generator(STEP_LATENT, STEP_CLASSES, STEP_DATA, seed)
    local_d = standins.lab4_cond_discriminator(STEP_DATA, STEP_CLASSES, seed + 1)
    expected = _reference_step(local_g, local_d, _opt(local_g.parameters(), kind, lr), _opt(local_d.parameters(), kind, lr),
                               *inputs)
    close([d_loss, g_loss], list(expected), f"cgan_train_step's losses ({kind})", HINT_STEP_GENERIC, rtol=1e-4,
          atol=1e-6)
    for name, ref, local in (("generator", gen, local_g), ("discriminator", disc, local_d)):
        after = params_of(sub, ref)
        for n, p in local.named_parameters():
            close(after[n], p.detach(), f"the {name}'s `{n}` after one step ({kind}, {'stale gradients' if stale else 'clean'})",
                  HINT_STEP_REPLAY, rtol=1e-4, atol=1e-6)


@register(STEP, points=1, hidden=True)
def step_replay_adam_stale(sub):
    """Stand-ins, Adam (betas 0.5, 0.999) with stale gradients in .grad, 5 real and 3 fake samples: the losses and every parameter after the step match the reference step."""
    _replay(sub, 3, "adam", 0.01, 5, 3, stale=True)


@register(STEP, points=1, hidden=True)
def step_replay_momentum_equal_batches(sub):
    """Stand-ins, SGD with momentum 0.9 and stale gradients, equal batch sizes (4 and 4) so labels can be mixed up without an error, then one real and two fake samples: labels, losses and parameters match the reference step."""
    _replay(sub, 4, "momentum", 0.05, 4, 4, stale=True)
    _replay(sub, 5, "sgd", 0.1, 1, 2, stale=False)


# -- sampling ---------------------------------------------------------------------------------------------------

@register(GRID, points=1.5, hidden=True)
def grid_edges(sub):
    """One latent with K = 5; 2 latents with K = 1; a generator already in evaluation mode stays in it."""
    grid_case(sub, 5, 1, 5, train_mode=True)
    grid_case(sub, 6, 2, 1, train_mode=True)
    grid_case(sub, 7, 3, 3, train_mode=False)


@register(INTERP, points=1, hidden=True)
def interpolation_edges(sub):
    """steps = 2 (the two ends) with class 0; a generator already in eval mode, class 3 of 4, 4 steps; steps = 1 raises ValueError."""
    interp_case(sub, 8, 2, 0)
    interp_case(sub, 9, 4, 3, train_mode=False)
    z = torch.zeros(3)
    gen = sub.trusted("ganlab.grading.standins.lab4_cond_generator", 3, 4, 4, 0, batchnorm=True)
    expect_raises(sub, "ValueError", HINT_INTERP_STEPS, "interpolate_in_class(..., steps=1)", "interpolate_in_class",
                  gen, z, z, 1, 1)


# -- projection and conditional batch norm ----------------------------------------------------------------------

@register(PROJ, points=1.5, hidden=True)
def projection_sizes(sub):
    """ProjectionHead with one feature and 7 classes (4 samples), 9 features and 2 classes with a batch of 1, 16 features and 10 classes."""
    projection_case(sub, 1, 7, 4, 51)
    projection_case(sub, 9, 2, 1, 52)
    projection_case(sub, 16, 10, 6, 53)


@register(CBN, points=1.5, hidden=True)
def cbn_eval_mode_and_sizes(sub):
    """ConditionalBatchNorm2d(1, 2) and (4, 3): in eval mode with running statistics set by the test (one sample of each class), gamma[y] * (x - mean) / sqrt(var + eps) + beta[y]; statistics unchanged in eval mode."""
    for c, k, batch in ((1, 2, 3), (4, 3, 1)):
        what = f"ConditionalBatchNorm2d({c}, {k})"
        layer = build(sub, "ConditionalBatchNorm2d", HINT_CBN_GENERIC, c, k)
        cbn_structure(sub, layer, what, c, k)
        sub.trusted("ganlab.grading.standins.seeded_parameters", layer, 60 + c, keep=False)
        g = torch.Generator().manual_seed(60 + c)
        mean, var = torch.randn(c, generator=g), torch.rand(c, generator=g) * 2 + 0.3
        sub.trusted("ganlab.grading.standins.lab4_set_running_stats", layer, mean, var, keep=False)
        sub.method(layer, "eval", keep=False)
        params = sub.state(layer)["params"]
        x = torch.randn(batch, c, 3, 2, generator=g)
        y = _labels(batch, k, 60 + c)
        out = run_net(sub, layer, (x, y), f"{what}(x, y) in eval mode", HINT_CBN_GENERIC)
        close(out, cbn_expected(params, x, y, mean, var, False), f"{what}(x, y) in eval mode", HINT_CBN_GENERIC,
              rtol=1e-4, atol=1e-5)
        buffers = sub.state(layer)["buffers"]
        check(torch.allclose(buffers["bn.running_mean"], mean), f"{what}: eval mode changed the running mean.",
              HINT_CBN_STATS)


# -- the losses: other sizes, float64, extreme logits -----------------------------------------------------------

@register(ACGAN_DL, points=1.5, hidden=True)
def acgan_d_loss_edges(sub):
    """One real and 3 fake samples with K = 2 in float64; logits of size +-100 (float32): finite, values and gradients as the reference."""
    judge_acgan_d(sub, acgan_d_inputs(23, 1, 3, 2, dtype="float64"), "acgan_d_loss (1 real, 3 fake, K = 2, float64)")
    judge_acgan_d(sub, acgan_d_inputs(24, 4, 5, 6, scale=60.0), "acgan_d_loss (logits up to +-100)")


@register(ACGAN_GL, points=1, hidden=True)
def acgan_g_loss_edges(sub):
    """A batch of 1 with K = 2 in float64; logits of size +-100 (float32)."""
    sr, cr, yr, *_ = acgan_d_inputs(25, 1, 1, 2, dtype="float64")
    judge_acgan_g(sub, (sr, cr, yr), "acgan_g_loss (1 fake, K = 2, float64)")
    sr, cr, yr, *_ = acgan_d_inputs(26, 6, 1, 7, scale=60.0)
    judge_acgan_g(sub, (sr, cr, yr), "acgan_g_loss (logits up to +-100)")


@register(FLOOR, points=1, hidden=True)
def floor_other_sizes_and_error(sub):
    """K = 2, 7 and 1000 (the floor grows like log K - 1), matching the minimum of F.cross_entropy over probability inputs; num_classes = 0 raises ValueError."""
    for k in (2, 7, 1000):
        floor_case(sub, k)
    probs = torch.eye(7, dtype=torch.float64)[:1]  # the best a softmax head can do: probability 1 on the right class
    check(abs(float(F.cross_entropy(probs, torch.tensor([0]))) - math.log(1 + 6 / math.e)) < 1e-12,
          "internal check of the floor", HINT_FLOOR_ERROR)
    expect_raises(sub, "ValueError", HINT_FLOOR_ERROR, "double_softmax_floor(0)", "double_softmax_floor", 0)


@register(INFO_LATENT, points=1, hidden=True)
@with_trusted_helpers("sample_infogan_latent")
def latent_statistics_and_edges(sub):
    """B = 4000: c_cont uniform on [-1, 1] (variance 1/3, not a normal's 1), c_cat near-uniform over 5 values, z standard normal; no continuous code; a batch of 1; the same generator seed gives the same draws."""
    what, latent, c_cat, c_cont = latent_call(sub, 4000, 3, 5, 2, 71)
    judge_continuous(c_cont, what)
    var = float(c_cont.double().var())
    check(abs(var - 1 / 3) < 0.03, f"{what}: the continuous codes have variance {var:.3f}.", HINT_LATENT_NORMAL)
    counts = torch.bincount(c_cat, minlength=5).double() / 4000
    check(float(counts.min()) > 0.15 and float(counts.max()) < 0.25, f"{what}: c_cat frequencies {counts.tolist()}.",
          HINT_LATENT_CAT)
    z = latent[:, :3].double()
    check(abs(float(z.mean())) < 0.06 and abs(float(z.var()) - 1) < 0.08,
          f"{what}: z has mean {float(z.mean()):.3f} and variance {float(z.var()):.3f}.", HINT_LATENT_Z)
    latent_call(sub, 5, 2, 3, 0, 72)
    latent_call(sub, 1, 4, 2, 3, 73)
    _, a, _, _ = latent_call(sub, 6, 2, 3, 1, 74)
    _, b, _, _ = latent_call(sub, 6, 2, 3, 1, 74)
    check(torch.equal(a, b), "two calls with generators seeded alike gave different latents.", HINT_LATENT_SEED)


@register(INFO_Q, points=1.5, hidden=True)
def q_loss_edges(sub):
    """cont_weight 0.3; no continuous code (C = 0); a batch of 1 in float64; logits of size +-100."""
    judge_q(sub, q_inputs(42, 5, 3, 2), "infogan_q_loss (cont_weight 0.3)", cont_weight=0.3)
    judge_q(sub, q_inputs(43, 4, 5, 0), "infogan_q_loss (C = 0)")
    judge_q(sub, q_inputs(44, 1, 2, 3, dtype="float64"), "infogan_q_loss (B 1, float64)")
    judge_q(sub, q_inputs(45, 4, 6, 2, scale=70.0), "infogan_q_loss (logits up to +-100)")


__all__ = ["HINT_MUTATES"]
