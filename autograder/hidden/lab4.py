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
    ACGAN_D, ACGAN_DL, ACGAN_GL, CBN, CONCAT, CONV_D, CONV_G, FLOOR, GRID, HINT_AC_D_GENERIC, HINT_AC_G_NO_CLASS,
    HINT_AC_G_SATURATING, HINT_AC_MEAN_OF_TERMS, HINT_AC_NO_FAKE_CLASS, HINT_AC_NO_SOURCE_FAKE,
    HINT_AC_SOFTMAX_CE, HINT_AC_SOFTMAX_NLL, HINT_AC_SOURCE_SWAPPED, HINT_CBN_GENERIC, HINT_CBN_STATS,
    HINT_CONCAT_ERRORS, HINT_CONCAT_GENERIC, HINT_CONV_D_LAYERS, HINT_CONV_G_LAYERS, HINT_FLOOR_ERROR,
    HINT_FLOOR_LOG_K, HINT_G_SIGMOID, HINT_GRID_ORDER, HINT_GRID_TRAIN, HINT_IGNORES_LABEL, HINT_INTERP_ENDS,
    HINT_INTERP_STEPS, HINT_LATENT_CAT, HINT_LATENT_NORMAL, HINT_LATENT_SEED, HINT_LATENT_Z, HINT_MLP_D_LAYERS,
    HINT_MLP_G_LAYERS, HINT_MUTATES, HINT_ONE_HOT_ERRORS, HINT_ONE_HOT_SHIFT, HINT_ONE_HOT_SIZE, HINT_AC_LAYERS,
    HINT_AC_SOFTMAX, HINT_CONCAT_ORDER, HINT_D_SIGMOID, HINT_PROJ_AFTER_LINEAR, HINT_PROJ_NO_BIAS, HINT_PROJ_NO_PHI,
    HINT_Q_MEAN_OVER_CODES, HINT_Q_NO_HALF, HINT_Q_SOFTMAX, HINT_Q_SQUASHED, HINT_Q_WEIGHT, HINT_SLOPE,
    HINT_STEP_DETACH, HINT_STEP_FAKE_LABELS, HINT_INFO_STEP_GENERIC, HINT_INFO_STEP_STALE, INFO_CATS, INFO_DATA,
    INFO_NOISE, INFO_OPT, INFO_STEP, call_info_step, info_inputs, info_networks, info_optimizers, judge_optimizers, HINT_STEP_GENERIC, HINT_STEP_REAL_LABELS, INFO_LATENT, INFO_Q, INTERP,
    MLP_D, MLP_G, ONE_HOT, PROJ, Q_BLIND, Q_VALUE, STEP, acgan_outputs, build, call_step, cbn_structure, check,
    close, concat_call, expect_raises, fail, floor_case, generator, grid_case, heads_classes_first, interp_case,
    judge_acgan_d, judge_acgan_g, judge_continuous, judge_labels, judge_q, latent_call, local_generator,
    one_hot_case, params_of, projection_case, run_net, step_inputs, step_setup, sub_global, with_trusted_helpers,
    GRID_LATENT, STEP_CLASSES, STEP_DATA, STEP_LATENT,
)
from autograder.hidden.lab3 import _SGD, _Adam
from ganlab.grading import standins
from ganlab.grading.netcheck import functional_compare, on_one_thread, structure
from ganlab.grading.testing import expect_close, register

HINT_VALUE_SIGN = "The value is negative: two expectations of log(1/2)."
HINT_VALUE_GENERIC = "Put D* = 1/2 (p_g = p) into the value function: two expectations of log(1/2)."
HINT_BLIND = "Write D*(x) for a discriminator of x alone: which densities does it involve?"
HINT_NOT_A_NUMBER = "Return a float."
HINT_STEP_REPLAY = ("With Adam or momentum and stale gradients left in .grad, the parameters after one step differ "
                    "from the reference step's: zero each optimizer's gradients before its backward, step only that "
                    "optimizer, and compute g_loss through the updated discriminator.")


# -- expected values by formula (this file stays with the instructors; the public checks hold worked numbers) ------

def _one_hot_expected(labels, num_classes):
    """eye(K)[y], and what the known mistakes give: a size from the batch, K + 1 columns, the 1 a column right."""
    y = torch.tensor(labels).long()
    wrongs = [(torch.eye(max(labels) + 1)[y], HINT_ONE_HOT_SIZE), (torch.eye(num_classes + 1)[y], HINT_ONE_HOT_SIZE),
              (torch.eye(num_classes + 1)[y + 1][:, :num_classes], HINT_ONE_HOT_SHIFT)]
    return torch.eye(num_classes)[y], wrongs


def _one_hot_case(sub, labels, num_classes, dtype="int64"):
    expected, wrongs = _one_hot_expected(labels, num_classes)
    one_hot_case(sub, labels, num_classes, expected, wrongs, dtype)


def _acgan_d_inputs(seed, batch, batch_fake, num_classes, scale=1.5, dtype="float32"):
    g = generator(seed)
    dt = getattr(torch, dtype)
    sr = (torch.randn(batch, generator=g, dtype=torch.float64) * scale + 0.4).to(dt)
    cr = (torch.randn(batch, num_classes, generator=g, dtype=torch.float64) * scale).to(dt)
    yr = torch.randint(0, num_classes, (batch,), generator=g)
    sf = (torch.randn(batch_fake, generator=g, dtype=torch.float64) * scale - 0.3).to(dt)
    cf = (torch.randn(batch_fake, num_classes, generator=g, dtype=torch.float64) * scale).to(dt)
    yf = torch.randint(0, num_classes, (batch_fake,), generator=g)
    return sr, cr, yr, sf, cf, yf


def _bce(logits, target):
    return F.binary_cross_entropy_with_logits(logits, torch.full_like(logits, float(target)))


def _acgan_d_formula(sr, cr, yr, sf, cf, yf):
    """The reference loss, and what the known mistakes give."""
    source = _bce(sr, 1) + _bce(sf, 0)
    ce_r, ce_f = F.cross_entropy(cr, yr), F.cross_entropy(cf, yf)
    wrongs = [
        (source + ce_r, HINT_AC_NO_FAKE_CLASS),
        (source + F.cross_entropy(cr.softmax(1), yr) + F.cross_entropy(cf.softmax(1), yf), HINT_AC_SOFTMAX_CE),
        (source + F.nll_loss(cr.softmax(1), yr) + F.nll_loss(cf.softmax(1), yf), HINT_AC_SOFTMAX_NLL),
        (_bce(sr, 1) + ce_r + ce_f, HINT_AC_NO_SOURCE_FAKE),
        (_bce(sr, 0) + _bce(sf, 1) + ce_r + ce_f, HINT_AC_SOURCE_SWAPPED),
        ((source + ce_r + ce_f) / 2, HINT_AC_MEAN_OF_TERMS),
        ((source + ce_r + ce_f) / 4, HINT_AC_MEAN_OF_TERMS),
    ]
    return source + ce_r + ce_f, wrongs


def _acgan_g_formula(sf, cf, yf):
    ce = F.cross_entropy(cf, yf)
    wrongs = [
        (-_bce(sf, 0) + ce, HINT_AC_G_SATURATING),
        (-_bce(sf, 0) - ce, HINT_AC_G_SATURATING),
        (_bce(sf, 1), HINT_AC_G_NO_CLASS),
        (_bce(sf, 1) + F.cross_entropy(cf.softmax(1), yf), HINT_AC_SOFTMAX_CE),
        (_bce(sf, 1) + F.nll_loss(cf.softmax(1), yf), HINT_AC_SOFTMAX_NLL),
    ]
    return _bce(sf, 1) + ce, wrongs


def _by_formula(formula, inputs, differentiable):
    """``formula`` on float64 copies of ``inputs``: the value, its gradients and the known mistakes' values."""
    local = [t.double().clone().requires_grad_(True) if i in differentiable else t for i, t in enumerate(inputs)]
    value, wrongs = formula(*local)
    grads = torch.autograd.grad(value, [local[i] for i in differentiable])
    return value.detach(), grads, [(w.detach(), h) for w, h in wrongs]


def _judge_acgan_d(sub, inputs, what):
    value, grads, wrongs = _by_formula(_acgan_d_formula, inputs, (0, 1, 3, 4))
    judge_acgan_d(sub, inputs, value, grads, what, wrongs)


def _judge_acgan_g(sub, inputs, what):
    value, grads, wrongs = _by_formula(_acgan_g_formula, inputs, (0, 1))
    judge_acgan_g(sub, inputs, value, grads, what, wrongs)


def _floor(num_classes):
    return math.log(1 + (num_classes - 1) / math.e)


def _q_inputs(seed, batch, num_categories, num_continuous, dtype="float32", scale=1.3):
    g = generator(seed)
    dt = getattr(torch, dtype)
    cat_logits = (torch.randn(batch, num_categories, generator=g, dtype=torch.float64) * scale).to(dt)
    c_cat = torch.randint(0, num_categories, (batch,), generator=g)
    cont_mean = (torch.randn(batch, num_continuous, generator=g, dtype=torch.float64) * 0.8).to(dt)
    c_cont = (torch.rand(batch, num_continuous, generator=g, dtype=torch.float64) * 2 - 1).to(dt)
    return cat_logits, c_cat, cont_mean, c_cont


def _judge_q(sub, inputs, what, cont_weight=None):
    """infogan_q_loss judged against the formula (cat_part = CE, cont_part = mean over the batch of the halved
    squared errors summed over codes, loss = cat_part + cont_weight * cont_part), with the known mistakes."""
    weight = 1.0 if cont_weight is None else cont_weight
    cat_logits, c_cat, cont_mean, c_cont = [t.double().clone().requires_grad_(True) if i in (0, 2) else t
                                            for i, t in enumerate(inputs)]
    cat = F.cross_entropy(cat_logits, c_cat)
    sq = (c_cont.double() - cont_mean) ** 2
    cont = (sq / 2).sum(dim=1).mean()
    loss = cat + weight * cont
    grads = torch.autograd.grad(loss, [cat_logits, cont_mean], allow_unused=True)
    soft = F.cross_entropy(cat_logits.softmax(1), c_cat)
    wrongs = []
    if sq.numel():
        wrongs += [(cat + weight * ((c_cont - torch.sigmoid(cont_mean)) ** 2 / 2).sum(1).mean(), HINT_Q_SQUASHED),
                   (cat + weight * ((c_cont - torch.tanh(cont_mean)) ** 2 / 2).sum(1).mean(), HINT_Q_SQUASHED),
                   (cat + weight * (sq / 2).mean(), HINT_Q_MEAN_OVER_CODES),
                   (cat + weight * sq.mean(), HINT_Q_MEAN_OVER_CODES),
                   (cat + weight * sq.sum(1).mean(), HINT_Q_NO_HALF)]
    wrongs.append((soft + weight * cont, HINT_Q_SOFTMAX))
    args = list(inputs) + ([] if cont_weight is None else [cont_weight])
    judge_q(sub, args, (loss.detach(), cat.detach(), cont.detach()),
            [grads[0], grads[1] if cont_mean.numel() else None], what, [(w.detach(), h) for w, h in wrongs],
            [(soft.detach(), HINT_Q_SOFTMAX)], [(weight * cont.detach(), HINT_Q_WEIGHT)] if weight != 1.0 else [])


def _grid_case(sub, seed, n, num_classes, train_mode=True):
    """sample_class_grid against the stand-in's evaluation-mode output for the class-major labels."""
    z = torch.randn(n, GRID_LATENT, generator=generator(seed))
    local = local_generator(seed, num_classes).eval()
    labels = torch.arange(num_classes).repeat_interleave(n)
    with torch.no_grad():
        expected = local(z.repeat(num_classes, 1), labels)
        latent_major = local(z.repeat_interleave(num_classes, 0), torch.arange(num_classes).repeat(n))
        in_train = local.train()(z.repeat(num_classes, 1), labels) if n * num_classes > 1 else expected
    grid_case(sub, seed, n, num_classes, expected, [(latent_major, HINT_GRID_ORDER), (in_train, HINT_GRID_TRAIN)],
              train_mode)


def _interp_case(sub, seed, steps, y, num_classes=4, train_mode=True):
    """interpolate_in_class against the stand-in's evaluation-mode output along (1 - t) z0 + t z1."""
    g = generator(seed + 50)
    z0, z1 = torch.randn(GRID_LATENT, generator=g), torch.randn(GRID_LATENT, generator=g)
    t = torch.linspace(0, 1, steps)[:, None]
    local = local_generator(seed, num_classes).eval()
    with torch.no_grad():
        expected = local((1 - t) * z0 + t * z1, torch.full((steps,), y))
        flipped = local(t * z0 + (1 - t) * z1, torch.full((steps,), y))
    interp_case(sub, seed, steps, y, expected, [(flipped, HINT_INTERP_ENDS)], num_classes, train_mode)


def _projection_case(sub, num_features, num_classes, batch, seed):
    """ProjectionHead with seeded parameters set by the test, against linear(phi) + <embed(y), phi>."""
    g = generator(seed)
    w, b = torch.randn(1, num_features, generator=g), torch.randn(1, generator=g)
    table = torch.randn(num_classes, num_features, generator=g)
    features = torch.randn(batch, num_features, generator=g)
    y = torch.randint(0, num_classes, (batch,), generator=g)
    f = features.double()
    linear = f @ w.double().T + b.double()                                              # (B, 1)
    expected = linear[:, 0] + (table.double()[y] * f).sum(1)
    wrongs = [(linear[:, 0] + (table.double()[y] * linear).sum(1), HINT_PROJ_AFTER_LINEAR),
              (linear[:, 0] + table.double()[y].sum(1), HINT_PROJ_NO_PHI),
              ((f @ w.double().T)[:, 0] + (table.double()[y] * f).sum(1), HINT_PROJ_NO_BIAS)]
    projection_case(sub, num_features, num_classes, features, y,
                    {"linear.weight": w, "linear.bias": b, "embed.weight": table}, expected, wrongs)


def _cbn_expected(params, x, y, running_mean, running_var, train):
    normed = F.batch_norm(torch.as_tensor(x).double(), running_mean.double().clone(), running_var.double().clone(),
                          training=train, momentum=0.1, eps=1e-5)
    gamma, beta = params["gamma.weight"].double(), params["beta.weight"].double()
    return gamma[y][:, :, None, None] * normed + beta[y][:, :, None, None]


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
    _one_hot_case(sub, [3], 7)
    _one_hot_case(sub, [1, 0, 2, 1], 3, dtype="int32")
    _one_hot_case(sub, [0, 0], 1)
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


def _concat_memo(sub, name, h, y, num_classes):
    """Answer the submission's ``concat_condition(h, y, num_classes)`` with the grader's value while ``name`` (a
    network) is judged, so that a wrong concat_condition costs only its own exercise's points (the value is
    computed here, on the instructors' side: no correct concat_condition ships in the package)."""
    value = torch.cat([h.flatten(1), F.one_hot(y.long(), num_classes).to(h.dtype)], dim=1)
    if sub.has(name):
        sub.trusted("ganlab.grading.standins.lab4_trusted_helpers", sub_global(name), [((h, y, num_classes), value)],
                    keep=False)


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
        _concat_memo(sub, "ConditionalMLPGenerator", z, y, args[1])

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
        _concat_memo(sub, "ConditionalMLPDiscriminator", x, y, args[0])
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
        _concat_memo(sub, "ConditionalGenerator", z, y, k)
        if batch == 1:
            sub.method(net, "eval", keep=False)
        mistakes = [(lambda: _ConvGenerator(latent, k, base, size, channels, eps=0.8), HINT_CONV_G_LAYERS),
                    (lambda: _ConvGenerator(latent, k, base, size, channels, out=nn.Sigmoid), HINT_G_SIGMOID)]
        on_one_thread(lambda: functional_compare(sub, net, _ConvGenerator(latent, k, base, size, channels), [z, y], what,
                                               modes=modes, diagnoses=mistakes))
    net = build(sub, "ConditionalGenerator", HINT_CONV_G_LAYERS, 2, 2, base_channels=1, image_size=64)
    sub.method(net, "eval", keep=False)
    _concat_memo(sub, "ConditionalGenerator", torch.zeros(1, 2), torch.tensor([1]), 2)
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
        on_one_thread(lambda: functional_compare(sub, net, _ConvDiscriminator(k, base, size, channels), [x, y], what,
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
        on_one_thread(lambda: functional_compare(sub, net, _ACGAN(k, base, size, channels, classes_first=first), [x],
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
    _grid_case(sub, 5, 1, 5, train_mode=True)
    _grid_case(sub, 6, 2, 1, train_mode=True)
    _grid_case(sub, 7, 3, 3, train_mode=False)


@register(INTERP, points=1, hidden=True)
def interpolation_edges(sub):
    """steps = 2 (the two ends) with class 0; a generator already in eval mode, class 3 of 4, 4 steps; steps = 1 raises ValueError."""
    _interp_case(sub, 8, 2, 0)
    _interp_case(sub, 9, 4, 3, train_mode=False)
    z = torch.zeros(3)
    gen = sub.trusted("ganlab.grading.standins.lab4_cond_generator", 3, 4, 4, 0, batchnorm=True)
    expect_raises(sub, "ValueError", HINT_INTERP_STEPS, "interpolate_in_class(..., steps=1)", "interpolate_in_class",
                  gen, z, z, 1, 1)


# -- projection and conditional batch norm ----------------------------------------------------------------------

@register(PROJ, points=1.5, hidden=True)
def projection_sizes(sub):
    """ProjectionHead with one feature and 7 classes (4 samples), 9 features and 2 classes with a batch of 1, 16 features and 10 classes."""
    _projection_case(sub, 1, 7, 4, 51)
    _projection_case(sub, 9, 2, 1, 52)
    _projection_case(sub, 16, 10, 6, 53)


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
        close(out, _cbn_expected(params, x, y, mean, var, False), f"{what}(x, y) in eval mode", HINT_CBN_GENERIC,
              rtol=1e-4, atol=1e-5)
        buffers = sub.state(layer)["buffers"]
        check(torch.allclose(buffers["bn.running_mean"], mean), f"{what}: eval mode changed the running mean.",
              HINT_CBN_STATS)


# -- the losses: other sizes, float64, extreme logits -----------------------------------------------------------

@register(ACGAN_DL, points=1.5, hidden=True)
def acgan_d_loss_edges(sub):
    """One real and 3 fake samples with K = 2 in float64; logits of size +-100 (float32): finite, values and gradients as the reference."""
    _judge_acgan_d(sub, _acgan_d_inputs(23, 1, 3, 2, dtype="float64"), "acgan_d_loss (1 real, 3 fake, K = 2, float64)")
    _judge_acgan_d(sub, _acgan_d_inputs(24, 4, 5, 6, scale=60.0), "acgan_d_loss (logits up to +-100)")


@register(ACGAN_GL, points=1, hidden=True)
def acgan_g_loss_edges(sub):
    """A batch of 1 with K = 2 in float64; logits of size +-100 (float32)."""
    sr, cr, yr, *_ = _acgan_d_inputs(25, 1, 1, 2, dtype="float64")
    _judge_acgan_g(sub, (sr, cr, yr), "acgan_g_loss (1 fake, K = 2, float64)")
    sr, cr, yr, *_ = _acgan_d_inputs(26, 6, 1, 7, scale=60.0)
    _judge_acgan_g(sub, (sr, cr, yr), "acgan_g_loss (logits up to +-100)")


@register(FLOOR, points=1, hidden=True)
def floor_other_sizes_and_error(sub):
    """K = 2, 7 and 1000 (the floor grows like log K - 1), matching the minimum of F.cross_entropy over probability inputs; num_classes = 0 raises ValueError."""
    for k in (2, 7, 1000):
        floor_case(sub, k, _floor(k), [(math.log(k), HINT_FLOOR_LOG_K)])
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
    _judge_q(sub, _q_inputs(42, 5, 3, 2), "infogan_q_loss (cont_weight 0.3)", cont_weight=0.3)
    _judge_q(sub, _q_inputs(43, 4, 5, 0), "infogan_q_loss (C = 0)")
    _judge_q(sub, _q_inputs(44, 1, 2, 3, dtype="float64"), "infogan_q_loss (B 1, float64)")
    _judge_q(sub, _q_inputs(45, 4, 6, 2, scale=70.0), "infogan_q_loss (logits up to +-100)")



# -- InfoGAN: optimizers with default settings; the step replayed with Adam, momentum and stale gradients ----------


@register(INFO_OPT, points=1, hidden=True)
def optimizers_defaults(sub):
    """The defaults: lr_g 1e-3, lr_d 2e-4, betas (0.5, 0.999), on other stand-ins."""
    judge_optimizers(sub, 3, (), 1e-3, 2e-4, (0.5, 0.999), "infogan_optimizers(G, D)")


def _reference_info_step(gen, disc, opt_g, opt_d, opt_info, x_real, z, c_cat, c_cont, q_loss_fn, info_weight=1.0):
    bce = F.binary_cross_entropy_with_logits
    latent = torch.cat([z, c_cont], dim=1)
    x_fake = gen(latent, c_cat)
    opt_d.zero_grad()
    r, f = disc(x_real)[0], disc(x_fake.detach())[0]
    d_loss = bce(r, torch.ones_like(r)) + bce(f, torch.zeros_like(f))
    d_loss.backward()
    opt_d.step()
    opt_g.zero_grad()
    f = disc(x_fake)[0]
    g_loss = bce(f, torch.ones_like(f))
    g_loss.backward()
    opt_g.step()
    opt_info.zero_grad()
    head = disc(gen(latent, c_cat))[1]
    k = head.shape[1] - c_cont.shape[1]
    info = q_loss_fn(head[:, :k], c_cat, head[:, k:], c_cont)[0]
    (info_weight * info).backward()
    opt_info.step()
    return d_loss.item(), g_loss.item(), info.item()


class _Groups:
    """Written-out optimizers of several parameter groups (each with its own learning rate), stepped together."""

    def __init__(self, *parts):
        self.parts = parts

    def zero_grad(self):
        for part in self.parts:
            part.zero_grad()

    def step(self):
        for part in self.parts:
            part.step()


def _local_info_optimizers(gen, disc, kind, lr_g, lr_d):
    def make(params, lr):
        return _Adam(params, lr) if kind == "adam" else _SGD(params, lr, momentum=0.9 if kind == "momentum" else 0.0)

    return (make(gen.parameters(), lr_g), make(disc.parameters(), lr_d),
            _Groups(make(gen.parameters(), lr_g), make(disc.parameters(), lr_d)))


def _info_replay(sub, seed, kind, lr_g, lr_d, batch, batch_fake, num_continuous, info_weight, stale):
    inputs = info_inputs(seed, batch, batch_fake, num_continuous)
    gen, disc = info_networks(sub, seed, num_continuous)
    opts = info_optimizers(sub, gen, disc, kind, lr_g, lr_d)
    if stale:
        sub.trusted("ganlab.grading.standins.fill_grads", gen, 0.5, keep=False)
        sub.trusted("ganlab.grading.standins.fill_grads", disc, -0.3, keep=False)
    what = (f"infogan_step ({batch} real, {batch_fake} fake, C {num_continuous}, {kind}, info_weight "
            f"{'default' if info_weight is None else info_weight}{', stale gradients' if stale else ''})")
    losses = call_info_step(sub, gen, disc, opts, inputs, info_weight, what)
    local_g = standins.lab4_cond_generator(INFO_NOISE + num_continuous, INFO_CATS, INFO_DATA, seed)
    local_d = standins.lab4_info_discriminator(INFO_DATA, INFO_CATS + num_continuous, seed + 1)
    if stale:
        standins.fill_grads(local_g, 0.5)
        standins.fill_grads(local_d, -0.3)
    expected = _reference_info_step(local_g, local_d, *_local_info_optimizers(local_g, local_d, kind, lr_g, lr_d),
                                    *inputs, standins.lab4_odd_q_loss, 1.0 if info_weight is None else info_weight)
    close(losses[0], expected[0], f"{what}: d_loss", HINT_INFO_STEP_GENERIC, rtol=1e-4, atol=1e-6)
    close(losses[1:], list(expected[1:]), f"{what}: g_loss and info_loss", HINT_INFO_STEP_GENERIC, rtol=1e-4, atol=1e-6)
    for name, ref, local in (("generator", gen, local_g), ("discriminator", disc, local_d)):
        after = params_of(sub, ref)
        for n, p in local.named_parameters():
            close(after[n], p.detach(), f"{what}: the {name}'s `{n}` after the step", HINT_INFO_STEP_STALE, rtol=1e-4,
                  atol=1e-6)


@register(INFO_STEP, points=1, hidden=True)
def info_step_replay_adam_and_momentum(sub):
    """Stand-ins, Adam (betas 0.5, 0.999) and SGD with momentum 0.9, stale gradients in .grad, unequal batches: the three losses and every parameter after the step match the reference step (each optimizer updates its own parameters from zero gradients; D's update has no information term)."""
    _info_replay(sub, 5, "adam", 0.02, 0.01, 5, 3, 2, 0.6, stale=True)
    _info_replay(sub, 6, "momentum", 0.05, 0.03, 4, 6, 3, 1.7, stale=True)


@register(INFO_STEP, points=1, hidden=True)
def info_step_edges(sub):
    """The default info_weight (1.0); no continuous code (C = 0); one real and one fake sample, plain SGD."""
    _info_replay(sub, 7, "sgd", 0.1, 0.05, 3, 2, 2, None, stale=False)
    _info_replay(sub, 8, "adam", 0.01, 0.02, 4, 5, 0, 0.8, stale=True)
    _info_replay(sub, 9, "sgd", 0.1, 0.1, 1, 1, 1, 1.2, stale=False)


__all__ = ["HINT_MUTATES"]
