"""Hidden tests for Lab 5 (pix2pix): the contracts' edges (batch of one, the smallest sizes, non-default arguments,
float64, extreme logits, the errors the docstrings promise), networks compared with trusted copies of the text's
architectures (below) in train and eval mode with their batch-norm statistics, dropout judged in eval mode and by
its placement, parameter counts of the 256 references, and replays of the training step with Adam and momentum
and stale gradients."""

from __future__ import annotations

import math
import re

import torch
import torch.nn.functional as F
from torch import nn

from ganlab.checks.lab5 import (
    COND, CE_LOSS, D_LOSS, DOWN, G_LOSS, GEOM, MASK, PATCH, PATCH_256_PARAMS, STEP, UNET, UNET_256_PARAMS, UP,
    HINT_BIAS_BEFORE_BN, HINT_CE_GENERIC, HINT_CE_NO_CHANNELS, HINT_CE_WHOLE, HINT_COND_ERRORS, HINT_COND_GRAD,
    HINT_COND_ORDER, HINT_D_GENERIC, HINT_D_NOT_HALVED, HINT_D_POOLED, HINT_D_SWAPPED, HINT_DOWN_GENERIC,
    HINT_DOWN_LAYERS, HINT_DROPOUT_PLACE, HINT_G_FAKE_TARGET, HINT_G_GENERIC, HINT_G_L1_SUM, HINT_G_LAMBDA_ON_GAN,
    HINT_GEOM_CEIL, HINT_GEOM_DIRECTION, HINT_GEOM_EMPTY, HINT_GEOM_ERRORS, HINT_GEOM_GENERIC, HINT_GEOM_NO_PADDING,
    HINT_GEOM_NO_STRIDE, HINT_GEOM_OFF_BY_ONE, HINT_GEOM_OWN_STRIDE, HINT_GEOM_PADDING_RF, HINT_GEOM_PRODUCT,
    HINT_GEOM_SIZE,
    HINT_MASK_ERRORS, HINT_MASK_GENERIC, HINT_MASK_OFFSET, HINT_PATCH_COUNT, HINT_PATCH_ERRORS, HINT_PATCH_GENERIC,
    HINT_PATCH_LAYERS, HINT_PATCH_SIGMOID, HINT_SLOPE, HINT_UNET_COUNT, HINT_UNET_ERRORS,
    HINT_UNET_GENERIC, HINT_UNET_LAYERS, HINT_UP_ACT, HINT_UP_ERRORS, HINT_UP_GENERIC, HINT_UP_LAYERS, HINT_UP_ORDER,
    HINT_MUTATES, build, check, close, expect_method_raises, expect_raises, expect_shape, fail, forward,
    geometry_call, judge_down_layers, judge_grads, judge_patch_layers, judge_unet_layers, judge_up_layers,
    judge_value, layer_plan, loss_outputs, own_blocks_right, params_of, parameter_count, step_case, step_inputs,
    step_setup, call_step, sub_global, tensor_or_fail, uniform, unet_guard, HINT_CE_TRIPLE, HINT_LOSS_TRIPLE,
    HINT_MASK_TYPE, conv, expect_dropped_or_scaled,
)
from autograder.hidden.lab3 import _SGD, _Adam
from ganlab.grading import standins_lab5
from ganlab.grading.netcheck import execution_order, functional_compare, load_by_order, on_one_thread
from ganlab.grading.testing import SubmissionError, as_float_tensor, expect_new_raises, register

HINT_STEP_GENERIC_REPLAY = ("With Adam or momentum and stale gradients left in .grad, the losses or parameters after "
                            "one step differ from the reference step's: zero each optimizer's gradients before its "
                            "backward, "
                            "step only that optimizer, and compute G's loss through the updated discriminator.")
HINT_GEOM_INDEX = ("The ValueError's message must name the index of the layer whose output would be smaller than 1 "
                   "(so the user can find it in a long stack).")


# -- trusted references (the text's architectures; this file stays with the instructors) ------------------------

def _geometry(layers, n):
    """The reference (output size, receptive field), and the known mistakes' values."""
    size, no_pad, ceil = n, n, n
    for k, s, p in layers:
        size = (size + 2 * p - k) // s + 1
        no_pad = (no_pad - k) // s + 1
        ceil = -(-(ceil + 2 * p - k) // s) + 1
    rf = 1
    for k, s, _ in reversed(layers):
        rf = (rf - 1) * s + k
    forward_wrong, off, own, padded = 1, 1, 1, 1
    for k, s, _ in layers:
        forward_wrong = (forward_wrong - 1) * s + k
        own += (k - 1) * s
    for k, s, p in reversed(layers):
        off = off * s + k
        padded = (padded - 1) * s + k - 2 * p
    rf_wrongs = [(math.prod(k for k, _, _ in layers), HINT_GEOM_PRODUCT),
                 (1 + sum(k - 1 for k, _, _ in layers), HINT_GEOM_NO_STRIDE),
                 (sum(k for k, _, _ in layers), HINT_GEOM_NO_STRIDE),
                 (forward_wrong, HINT_GEOM_DIRECTION), (own, HINT_GEOM_OWN_STRIDE), (off, HINT_GEOM_OFF_BY_ONE),
                 (padded, HINT_GEOM_PADDING_RF)]
    size_wrongs = [(no_pad, HINT_GEOM_NO_PADDING), (ceil, HINT_GEOM_CEIL)]
    return (size, rf), [(v, h) for v, h in size_wrongs if v != size], [(v, h) for v, h in rf_wrongs if v != rf]


class _Down(nn.Module):
    def __init__(self, cin, cout, normalize=True, slope=0.2, act_first=False):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 4, 2, 1, bias=False)
        self.norm = nn.BatchNorm2d(cout) if normalize else None
        self.slope, self.act_first = slope, act_first

    def forward(self, x):
        h = self.conv(x)
        if self.act_first:
            h = F.leaky_relu(h, self.slope)
        if self.norm is not None:
            h = self.norm(h)
        return h if self.act_first else F.leaky_relu(h, self.slope)


class _Up(nn.Module):
    def __init__(self, cin, cout, dropout=0.0, skip_first=False, leaky=False):
        super().__init__()
        self.conv = nn.ConvTranspose2d(cin, cout, 4, 2, 1, bias=False)
        self.norm = nn.BatchNorm2d(cout)
        self.drop = nn.Dropout(dropout) if dropout > 0 else None
        self.skip_first, self.leaky = skip_first, leaky

    def forward(self, x, skip):
        h = self.norm(self.conv(x))
        h = F.leaky_relu(h, 0.2) if self.leaky else F.relu(h)
        if self.drop is not None:
            h = self.drop(h)
        return torch.cat([skip, h] if self.skip_first else [h, skip], 1)


def _channels(num_downs, ngf):
    return [ngf * min(2 ** i, 8) for i in range(num_downs)]


class _UNet(nn.Module):
    """The text's U-Net; ``skip_first`` concatenates the skip before the upsampled features (a known mistake)."""

    def __init__(self, cin=3, cout=3, num_downs=8, ngf=64, num_dropout=3, dropout=0.5, skip_first=False):
        super().__init__()
        ch = _channels(num_downs, ngf)
        self.downs = nn.ModuleList(_Down(a, b, 0 < i < num_downs - 1) for i, (a, b) in enumerate(zip([cin] + ch, ch)))
        ups = []
        for k in range(num_downs - 1):
            level = num_downs - 2 - k
            ups.append(_Up(ch[-1] if k == 0 else 2 * ch[level + 1], ch[level],
                           dropout if k < min(num_dropout, num_downs - 1) else 0.0, skip_first))
        self.ups = nn.ModuleList(ups)
        self.last = nn.ConvTranspose2d(2 * ngf, cout, 4, 2, 1)

    def forward(self, x):
        feats = []
        for down in self.downs:
            x = down(x)
            feats.append(x)
        for up, skip in zip(self.ups, reversed(feats[:-1])):
            x = up(x, skip)
        return torch.tanh(self.last(x))


def _unet_plan(cin, cout, num_downs, ngf, num_dropout, dropout):
    ch = _channels(num_downs, ngf)
    plan = []
    for i, (a, b) in enumerate(zip([cin] + ch, ch)):
        norm = 0 < i < num_downs - 1
        plan += [conv("Conv2d", a, b, 2)] + ([("BatchNorm2d", b)] if norm else [])
    for k in range(num_downs - 1):
        level = num_downs - 2 - k
        plan += [conv("ConvTranspose2d", ch[-1] if k == 0 else 2 * ch[level + 1], ch[level], 2),
                 ("BatchNorm2d", ch[level])]
        if k < min(num_dropout, num_downs - 1) and dropout > 0:
            plan.append(("Dropout", round(float(dropout), 9)))
    return plan + [conv("ConvTranspose2d", 2 * ngf, cout, 2, bias=True), ("Tanh",)]


class _Patch(nn.Module):
    def __init__(self, cin=6, ndf=64, n_layers=3, sigmoid=False, slope=0.2):
        super().__init__()
        layers = [nn.Conv2d(cin, ndf, 4, 2, 1), nn.LeakyReLU(slope)]
        for n in range(1, n_layers):
            a, b = ndf * min(2 ** (n - 1), 8), ndf * min(2 ** n, 8)
            layers += [nn.Conv2d(a, b, 4, 2, 1, bias=False), nn.BatchNorm2d(b), nn.LeakyReLU(slope)]
        a, b = ndf * min(2 ** (n_layers - 1), 8), ndf * min(2 ** n_layers, 8)
        layers += [nn.Conv2d(a, b, 4, 1, 1, bias=False), nn.BatchNorm2d(b), nn.LeakyReLU(slope),
                   nn.Conv2d(b, 1, 4, 1, 1)]
        if sigmoid:
            layers.append(nn.Sigmoid())
        self.net = nn.Sequential(*layers)

    def forward(self, x):
        return self.net(x)


def _patch_plan(cin, ndf, n_layers):
    plan = [conv("Conv2d", cin, ndf, 2, bias=True)]
    for n in range(1, n_layers):
        b = ndf * min(2 ** n, 8)
        plan += [conv("Conv2d", ndf * min(2 ** (n - 1), 8), b, 2), ("BatchNorm2d", b)]
    a, b = ndf * min(2 ** (n_layers - 1), 8), ndf * min(2 ** n_layers, 8)
    return plan + [conv("Conv2d", a, b, 1), ("BatchNorm2d", b), conv("Conv2d", b, 1, 1, bias=True)]


def _bce(logits, target):
    return F.binary_cross_entropy_with_logits(logits, torch.full_like(logits, float(target)))


def _g_loss(logits, fake, real, lam):
    gan, l1 = _bce(logits, 1), (fake - real).abs().mean()
    return gan + lam * l1, gan, l1


def _d_loss(real, fake):
    return 0.5 * (_bce(real, 1) + _bce(fake, 0))


# -- 1. conv_stack_geometry -----------------------------------------------------------------------------------------

def _geometry_case(sub, layers, n, container=list):
    (expected, size_wrongs, rf_wrongs) = _geometry(layers, n)
    (size, rf), what = geometry_call(sub, container(tuple(layer) for layer in layers), n)
    if size != expected[0]:
        fail(f"{what}: the output size is {size}, expected {expected[0]}.", dict(size_wrongs).get(size, HINT_GEOM_SIZE))
    if rf != expected[1]:
        fail(f"{what}: the receptive field is {rf}, expected {expected[1]}.",
             dict(rf_wrongs).get(rf, HINT_GEOM_GENERIC))


@register(GEOM, points=0.5, hidden=True)
def geometry_stacks(sub):
    """PatchGANs with n_layers 1 and 5 at 256 (fields 16 and 286), the smallest input (1 through a 1 x 1 kernel), a tuple of layers, an empty stack, and 12 seeded stacks of 1 to 5 layers (kernels 1-7, strides 1-3, paddings 0-3)."""
    _geometry_case(sub, [(4, 2, 1)] + [(4, 1, 1)] * 2, 256)
    _geometry_case(sub, [(4, 2, 1)] * 5 + [(4, 1, 1)] * 2, 256, container=tuple)
    _geometry_case(sub, [(1, 1, 0)], 1)
    (size, rf), what = geometry_call(sub, (), 1)
    check((size, rf) == (1, 1), f"{what} returned ({size}, {rf}).", HINT_GEOM_EMPTY)
    g = torch.Generator().manual_seed(5)
    done = 0
    while done < 12:
        depth = int(torch.randint(1, 6, (1,), generator=g))
        layers = [(int(torch.randint(1, 8, (1,), generator=g)), int(torch.randint(1, 4, (1,), generator=g)),
                   int(torch.randint(0, 4, (1,), generator=g))) for _ in range(depth)]
        n = int(torch.randint(8, 120, (1,), generator=g))
        size = n
        for k, s, p in layers:
            size = (size + 2 * p - k) // s + 1
            if size < 1:
                break
        if size < 1:
            continue
        _geometry_case(sub, layers, n)
        done += 1


@register(GEOM, points=0.5, hidden=True)
def geometry_errors(sub):
    """ValueError for kernel 0, stride 0, padding -1, input_size 0 (also with an empty stack, and with a padded 1 x 1 layer that would make it 2), and for a stack whose second layer (index 1) would output exactly 0 x 0, with that layer named in the message."""
    for layers, n in (([(0, 1, 0)], 5), ([(3, 0, 1)], 5), ([(3, 1, -1)], 5), ([(3, 1, 1)], 0), ([], 0),
                      ([(1, 1, 1)], 0)):
        expect_raises(sub, "ValueError", HINT_GEOM_ERRORS, f"conv_stack_geometry({layers}, {n})", "conv_stack_geometry",
                      layers, n)
    message = expect_raises(sub, "ValueError", HINT_GEOM_ERRORS, "conv_stack_geometry([(3, 1, 1), (6, 1, 0)], 5)",
                            "conv_stack_geometry", [(3, 1, 1), (6, 1, 0)], 5)
    text = message.split("ValueError", 1)[-1].split(" (at ", 1)[0]
    check(re.search(r"(?<![\d.])[12](?![\d.])", text) is not None, "the ValueError's message does not name the layer.",
          HINT_GEOM_INDEX)


# -- 2-3. the blocks ---------------------------------------------------------------------------------------------

@register(DOWN, points=1, hidden=True)
def down_block_computes_the_text(sub):
    """The submission's parameters copied into the text's block give the same outputs and BN statistics, train and eval: UNetDown(3, 5) on (2, 3, 8, 8); UNetDown(1, 4, normalize=False) on the smallest (1, 1, 2, 2); UNetDown(2, 6) with a batch of one."""
    for cin, cout, normalize, shape, seed in ((3, 5, True, (2, 3, 8, 8), 1), (1, 4, False, (1, 1, 2, 2), 2),
                                             (2, 6, True, (1, 2, 4, 4), 3)):
        what = f"UNetDown({cin}, {cout}, normalize={normalize})"
        net = build(sub, "UNetDown", HINT_DOWN_LAYERS, cin, cout, normalize=normalize)
        x = uniform(100 + seed, *shape)
        judge_down_layers(sub, net, x, cin, cout, normalize, what)
        sub.trusted("ganlab.grading.standins_lab5.fill_by_order", net, seed, x, keep=False)
        mistakes = [(lambda: _Down(cin, cout, normalize, slope=0.01), HINT_SLOPE),
                    (lambda: _Down(cin, cout, normalize, act_first=True), HINT_DOWN_LAYERS)]
        on_one_thread(lambda: functional_compare(sub, net, _Down(cin, cout, normalize), [x], what, diagnoses=mistakes))
        x_ref = sub.trusted("torch.clone", x)
        sub.method(net, "__call__", x_ref)
        check(torch.equal(sub.state(x_ref)["value"], x), f"{what} changed its input.", HINT_MUTATES)


def _up_compare(sub, net, cin, cout, dropout, x, skip, what, modes):
    mistakes = [(lambda: _Up(cin, cout, dropout, skip_first=True), HINT_UP_ORDER),
                (lambda: _Up(cin, cout, dropout, leaky=True), HINT_UP_ACT)]
    on_one_thread(lambda: functional_compare(sub, net, _Up(cin, cout, dropout), [x, skip], what, modes=modes,
                                           diagnoses=mistakes))


@register(UP, points=1, hidden=True)
def up_block_computes_the_text(sub):
    """The text's block with the submission's parameters: UNetUp(4, 3) with skip (2, 5, 4, 4), train and eval; UNetUp(2, 1) on a 1 x 1 map with batch one; UNetUp(5, 2, dropout=0.5): Dropout(0.5), the same values in eval mode, outputs that do not vary in train mode without dropout; skips of another batch or size raise ValueError, and a 2 x 3 map takes its 4 x 6 skip."""
    cases = ((4, 3, 0.0, (2, 4, 2, 2), (2, 5, 4, 4), ("eval", "train")), (2, 1, 0.0, (1, 2, 1, 1), (1, 2, 2, 2),
                                                                          ("eval", "train")),
             (5, 2, 0.5, (2, 5, 2, 2), (2, 1, 4, 4), ("eval",)))
    for i, (cin, cout, p, xs, ss, modes) in enumerate(cases):
        what = f"UNetUp({cin}, {cout}, dropout={p})"
        net = build(sub, "UNetUp", HINT_UP_LAYERS, cin, cout, dropout=p)
        x, skip = uniform(110 + i, *xs), uniform(120 + i, *ss)
        judge_up_layers(sub, net, [x, skip], cin, cout, p, what)
        sub.trusted("ganlab.grading.standins_lab5.fill_by_order", net, 30 + i, x, skip, keep=False)
        _up_compare(sub, net, cin, cout, p, x, skip, what, modes)
        outs = sub.trusted("ganlab.grading.standins_lab5.train_mode_outputs", net, [x, skip], [1, 2], keep=False)
        if p == 0:
            check(torch.equal(outs[0], outs[1]), f"{what}: train-mode outputs vary without dropout.",
                  HINT_DROPOUT_PLACE)
        else:
            reference = _Up(cin, cout, 0.0)
            order = sub.trusted("ganlab.grading.netcheck.execution_order", net, x, skip, keep=False)
            load_by_order(reference, execution_order(reference, x, skip), sub.state(net), order, what)
            with torch.no_grad():
                undropped = reference.train()(x, skip)[:, :cout].double()
            got = as_float_tensor(outs[0], what)[:, :cout]
            check(bool((got == 0).any()) and bool((got != 0).any()), f"{what}: train mode drops nothing or everything.",
                  HINT_DROPOUT_PLACE)
            expect_dropped_or_scaled(got, undropped, p, f"{what} in train mode")
    net = build(sub, "UNetUp", HINT_UP_LAYERS, 3, 2)
    x = uniform(130, 2, 3, 2, 2)
    expect_method_raises(sub, net, "ValueError", HINT_UP_ERRORS, "UNetUp with a skip of another batch", x,
                         uniform(131, 3, 1, 4, 4))
    expect_method_raises(sub, net, "ValueError", HINT_UP_ERRORS, "UNetUp with a skip of another size", x,
                         uniform(132, 2, 1, 4, 2))
    try:  # a non-square map: the skip's height is checked against 2 H and its width against 2 W
        out = sub.method(net, "__call__", uniform(133, 2, 3, 2, 3), uniform(134, 2, 1, 4, 6))
    except SubmissionError as exc:
        fail(f"UNetUp(3, 2) refused a 2 x 3 map with its right skip (2, 1, 4, 6): {exc.kind}.", HINT_UP_ERRORS)
    shape = tuple(as_float_tensor(out, "UNetUp(3, 2) on a 2 x 3 map").shape)
    check(shape == (2, 3, 4, 6), f"UNetUp(3, 2) on a 2 x 3 map returned shape {shape}.", HINT_UP_ERRORS)


# -- 4. the U-Net ------------------------------------------------------------------------------------------------

def _unet_case(sub, kwargs, shape, seed, modes, blocks_ok):
    args = (kwargs["in_channels"], kwargs["out_channels"])
    rest = {k: v for k, v in kwargs.items() if k not in ("in_channels", "out_channels")}
    what = f"UNetGenerator({args[0]}, {args[1]}, {', '.join(f'{k}={v}' for k, v in rest.items())})"
    net = build(sub, "UNetGenerator", HINT_UNET_LAYERS, *args, **rest)
    x = uniform(140 + seed, *shape)
    plan = _unet_plan(args[0], args[1], rest["num_downs"], rest["ngf"], rest.get("num_dropout", 3),
                      rest.get("dropout", 0.5))
    judge_unet_layers(sub, net, x, plan, what, blocks_ok)
    if not blocks_ok:  # your UNetDown or UNetUp is wrong: judged in its own exercise, the layers above in this one
        unet_guard(lambda: forward(sub, net, [x], what, HINT_UNET_GENERIC), what)
        return
    sub.trusted("ganlab.grading.standins_lab5.fill_by_order", net, seed, x, keep=False)
    reference = _UNet(args[0], args[1], **rest)
    mistakes = [(lambda: _UNet(args[0], args[1], skip_first=True, **rest), HINT_UP_ORDER)]
    unet_guard(lambda: on_one_thread(lambda: functional_compare(sub, net, reference, [x], what, modes=modes,
                                                              diagnoses=mistakes)), what)


@register(UNET, points=1, hidden=True)
def unet_computes_the_text(sub):
    """The text's U-Net with the submission's parameters: num_downs=3, ngf=2, no dropout, 3 -> 2 channels on (2, 3, 8, 8), train and eval; num_downs=5, ngf=1 (channels capped at 8 ngf), batch one at 32 x 32 (a 1 x 1 bottleneck), eval; num_downs=2 with dropout 0.3 on a non-square (1, 1, 8, 12) image, eval; num_dropout larger than the up blocks."""
    blocks_ok = own_blocks_right(sub)
    _unet_case(sub, dict(in_channels=3, out_channels=2, num_downs=3, ngf=2, num_dropout=0), (2, 3, 8, 8), 1,
               ("eval", "train"), blocks_ok)
    _unet_case(sub, dict(in_channels=1, out_channels=3, num_downs=5, ngf=1), (1, 1, 32, 32), 2, ("eval",), blocks_ok)
    _unet_case(sub, dict(in_channels=1, out_channels=1, num_downs=2, ngf=3, num_dropout=1, dropout=0.3),
               (1, 1, 8, 12), 3, ("eval",), blocks_ok)
    _unet_case(sub, dict(in_channels=2, out_channels=2, num_downs=3, ngf=2, num_dropout=7, dropout=0.2),
               (2, 2, 8, 8), 4, ("eval",), blocks_ok)


@register(UNET, points=0.5, hidden=True)
def unet_errors_and_counts(sub):
    """num_downs=1 raises ValueError; 12 x 6 and 6 x 12 inputs with num_downs=2 and a 1-channel input to a 2-channel U-Net raise ValueError (the message names the multiple 4); parameter counts of the 256 reference (54,413,955) and of UNetGenerator(1, 2, num_downs=6, ngf=4) equal the text's."""
    expect_new_raises(sub, "ValueError", HINT_UNET_ERRORS, "UNetGenerator(num_downs=1)",
                      "UNetGenerator", 3, 3, num_downs=1, ngf=2)
    net = build(sub, "UNetGenerator", HINT_UNET_LAYERS, 2, 1, num_downs=2, ngf=2)
    sub.method(net, "eval", keep=False)
    for seed, (h, w) in ((150, (12, 6)), (152, (6, 12))):  # the width alone, then the height alone, off the multiple
        try:
            sub.method(net, "__call__", uniform(seed, 1, 2, h, w))
        except SubmissionError as exc:
            check(exc.kind == "ValueError", f"a {h} x {w} input raised {exc.kind}.", HINT_UNET_ERRORS)
            check(re.search(r"(?<!\d)4(?!\d)", str(exc).split(" (at ", 1)[0]) is not None,
                  f"the ValueError's message for a {h} x {w} input does not say the required multiple (4).",
                  HINT_UNET_ERRORS)
        else:
            fail(f"UNetGenerator(num_downs=2) accepted a {h} x {w} input.", HINT_UNET_ERRORS)
    expect_method_raises(sub, net, "ValueError", HINT_UNET_ERRORS, "a 1-channel input to UNetGenerator(2, ...)",
                         uniform(151, 1, 1, 8, 8))
    if not own_blocks_right(sub):
        return
    count = parameter_count(sub, "UNetGenerator", {})
    check(count == UNET_256_PARAMS, f"UNetGenerator() has {count:,} parameters.", HINT_UNET_COUNT)
    with torch.device("meta"):
        want = sum(p.numel() for p in _UNet(1, 2, num_downs=6, ngf=4).parameters())
    count = parameter_count(sub, "UNetGenerator", dict(in_channels=1, out_channels=2, num_downs=6, ngf=4))
    check(count == want, f"UNetGenerator(1, 2, num_downs=6, ngf=4) has {count:,} parameters, expected {want:,}.",
          HINT_UNET_COUNT)


# -- 5. PatchGAN --------------------------------------------------------------------------------------------------

@register(PATCH, points=1, hidden=True)
def patch_computes_the_text(sub):
    """The text's PatchGAN with the submission's parameters (train and eval, BN statistics): in 4, ndf 3, n_layers 3 at 32 x 32; ndf 1, n_layers 4 (width capped at 8 ndf) at 64 x 64 with batch one; n_layers 1 at 8 x 8; counts of the 256 reference (2,768,705) and of PatchDiscriminator(3, 8, 2); n_layers 0 and -1 raise ValueError."""
    for i, (cin, ndf, n, shape, modes) in enumerate(((4, 3, 3, (2, 4, 32, 32), ("eval", "train")),
                                                     (2, 1, 4, (1, 2, 64, 64), ("eval", "train")),
                                                     (6, 2, 1, (3, 6, 8, 8), ("eval", "train")))):
        what = f"PatchDiscriminator({cin}, {ndf}, {n})"
        net = build(sub, "PatchDiscriminator", HINT_PATCH_LAYERS, cin, ndf, n)
        x = uniform(160 + i, *shape)
        judge_patch_layers(sub, net, x, _patch_plan(cin, ndf, n), what)
        sub.trusted("ganlab.grading.standins_lab5.fill_by_order", net, 40 + i, x, keep=False)
        mistakes = [(lambda: _Patch(cin, ndf, n, sigmoid=True), HINT_PATCH_SIGMOID),
                    (lambda: _Patch(cin, ndf, n, slope=0.01), HINT_SLOPE)]
        on_one_thread(lambda: functional_compare(sub, net, _Patch(cin, ndf, n), [x], what, modes=modes,
                                               diagnoses=mistakes))
    count = parameter_count(sub, "PatchDiscriminator", {})
    check(count == PATCH_256_PARAMS, f"PatchDiscriminator() has {count:,} parameters.", HINT_PATCH_COUNT)
    with torch.device("meta"):
        want = sum(p.numel() for p in _Patch(3, 8, 2).parameters())
    count = parameter_count(sub, "PatchDiscriminator", dict(in_channels=3, ndf=8, n_layers=2))
    check(count == want, f"PatchDiscriminator(3, 8, 2) has {count:,} parameters, expected {want:,}.", HINT_PATCH_COUNT)
    for n in (0, -1):
        expect_new_raises(sub, "ValueError", HINT_PATCH_ERRORS, f"PatchDiscriminator(6, 4, {n})",
                          "PatchDiscriminator", 6, 4, n)


# -- 6. conditional_d_input ----------------------------------------------------------------------------------------

@register(COND, points=0.5, hidden=True)
def cond_input_edges(sub):
    """Batch one, float64, 3-channel x and 1-channel y on a 2 x 5 map: [x, y] with the gradient of a weighted sum reaching each part unchanged; another height or width raises ValueError."""
    x = uniform(170, 1, 3, 2, 5).double()
    y = uniform(171, 1, 1, 2, 5).double()
    what = "conditional_d_input(x (1, 3, 2, 5) float64, y (1, 1, 2, 5))"
    out = as_float_tensor(tensor_or_fail(sub.call("conditional_d_input", x, y), what, HINT_COND_ORDER), what)
    expect_shape(out, (1, 4, 2, 5), what)
    if torch.equal(out[:, :1], y) and torch.equal(out[:, 1:], x):
        fail(f"{what} puts y first.", HINT_COND_ORDER)
    close(out, torch.cat([x, y], 1), what, HINT_COND_ORDER, atol=0)
    [(_, grads)] = sub.trusted("ganlab.grading.standins_lab5.grads_of_outputs", sub_global("conditional_d_input"),
                               [x, y], [0, 1], [0], [1.0], keep=False)
    check(all(g is not None for g in grads), f"{what}: no gradient reached x or y.", HINT_COND_GRAD)
    close(grads[0], torch.ones_like(x), f"{what}: the gradient reaching x", HINT_COND_GRAD)
    close(grads[1], torch.ones_like(y), f"{what}: the gradient reaching y", HINT_COND_GRAD)
    for ys in ((1, 1, 3, 5), (1, 1, 2, 4)):
        expect_raises(sub, "ValueError", HINT_COND_ERRORS, f"conditional_d_input(x (1, 3, 2, 5), y {ys})",
                      "conditional_d_input", x, uniform(172, *ys).double())


# -- 7-8. the losses ---------------------------------------------------------------------------------------------

def _g_case(sub, seed, logit_shape, image_shape, lam, dtype=torch.float32, scale=2.0):
    g = torch.Generator().manual_seed(seed)
    logits = (torch.randn(*logit_shape, generator=g, dtype=torch.float64) * scale).to(dtype)
    fake = (torch.rand(*image_shape, generator=g, dtype=torch.float64) * 2 - 1).to(dtype)
    real = (torch.rand(*image_shape, generator=g, dtype=torch.float64) * 2 - 1).to(dtype)
    args = [logits, fake, real] + ([lam] if lam is not None else [])
    lam_v = 100.0 if lam is None else lam
    what = f"generator_loss(logits {tuple(logit_shape)}, images {tuple(image_shape)}, lambda_l1={lam_v:g})"
    outs = loss_outputs(sub, "generator_loss", args, [0, 1, 2], [0, 1, 2], [1.0, 1.0, 1.0], what, HINT_LOSS_TRIPLE)
    lt, ft, rt = (a.double().requires_grad_(True) for a in (logits, fake, real))
    loss, gan, l1 = _g_loss(lt, ft, rt, lam_v)
    tol = 1e-4 if dtype == torch.float32 else 1e-9
    wrongs_gan = [(float(_bce(lt, 0).detach()), HINT_G_FAKE_TARGET)]
    wrongs_l1 = [(float((ft - rt).abs().sum().detach()), HINT_G_L1_SUM)]
    wrongs = [(float((lam_v * gan + l1).detach()), HINT_G_LAMBDA_ON_GAN)]
    judge_value(outs[1][0], float(gan.detach()), f"{what}: loss_gan", HINT_G_GENERIC, wrongs_gan, tol)
    judge_value(outs[2][0], float(l1.detach()), f"{what}: loss_l1", HINT_G_GENERIC, wrongs_l1, tol)
    judge_value(outs[0][0], float(loss.detach()), f"{what}: loss", HINT_G_GENERIC, wrongs, tol)
    grads = torch.autograd.grad(loss, [lt, ft, rt])
    judge_grads(outs[0][1], grads, ["d_fake_logits", "y_fake", "y_real"], f"{what}: loss", tol)


@register(G_LOSS, points=1, hidden=True)
def generator_loss_edges(sub):
    """Seeded logits and images: batch one with a 1 x 1 patch map, lambda_l1 = 0 (the cGAN alone), float64, logits of +-100 (finite), the default lambda 100; values and gradients with respect to all three inputs."""
    _g_case(sub, 1, (1, 1, 1, 1), (1, 3, 4, 4), 0.0)
    _g_case(sub, 2, (3, 1, 5, 5), (3, 1, 8, 8), 12.5, dtype=torch.float64)
    _g_case(sub, 3, (2, 1, 2, 3), (2, 3, 2, 2), 3.0, scale=100.0)
    _g_case(sub, 4, (2, 1, 3, 3), (2, 2, 4, 4), None)


def _d_case(sub, seed, real_shape, fake_shape, dtype=torch.float32, scale=2.0):
    g = torch.Generator().manual_seed(seed)
    real = (torch.randn(*real_shape, generator=g, dtype=torch.float64) * scale + 0.3).to(dtype)
    fake = (torch.randn(*fake_shape, generator=g, dtype=torch.float64) * scale - 0.2).to(dtype)
    what = f"discriminator_loss(real {tuple(real_shape)}, fake {tuple(fake_shape)})"
    [(value, got)] = loss_outputs(sub, "discriminator_loss", [real, fake], [0, 1], [0], [1.0], what, HINT_D_GENERIC)
    rt, ft = real.double().requires_grad_(True), fake.double().requires_grad_(True)
    loss = _d_loss(rt, ft)
    pooled = torch.cat([F.softplus(-rt).flatten(), F.softplus(ft).flatten()]).mean().detach()
    wrongs = [(float(2 * loss.detach()), HINT_D_NOT_HALVED),
              (float(0.5 * (_bce(rt, 0) + _bce(ft, 1)).detach()), HINT_D_SWAPPED),
              (float(0.5 * pooled), HINT_D_POOLED), (float(pooled), HINT_D_POOLED)]
    tol = 1e-4 if dtype == torch.float32 else 1e-9
    judge_value(value, float(loss.detach()), what, HINT_D_GENERIC, wrongs, tol)
    judge_grads(got, torch.autograd.grad(loss, [rt, ft]), ["d_real_logits", "d_fake_logits"], what, tol)


@register(D_LOSS, points=1, hidden=True)
def discriminator_loss_edges(sub):
    """Seeded logits: batch one against batch three, equal batches in float64, logits of +-100 (finite), one patch per image; values and gradients."""
    _d_case(sub, 5, (1, 1, 2, 2), (3, 1, 2, 2))
    _d_case(sub, 6, (2, 1, 3, 3), (2, 1, 3, 3), dtype=torch.float64)
    _d_case(sub, 7, (4, 1, 1, 1), (2, 1, 1, 1), scale=100.0)


# -- 9. the training step --------------------------------------------------------------------------------------------

def _helpers_right(sub):
    """Whether the submission's conditional_d_input, discriminator_loss and generator_loss give the reference values
    on a probe (the
    replay below then compares parameters with the reference step; otherwise the step is judged by its
    consistency with the submission's own helpers only, in the public test and :func:`step_consistency_edges`)."""
    g = torch.Generator().manual_seed(77)
    real, fake = torch.randn(2, 1, 3, 3, generator=g), torch.randn(3, 1, 3, 3, generator=g)
    a, b = torch.rand(2, 3, 4, 4, generator=g) * 2 - 1, torch.rand(2, 3, 4, 4, generator=g) * 2 - 1
    try:
        pair = as_float_tensor(sub.call("conditional_d_input", a, b), "pair")
        if tuple(pair.shape) != (2, 6, 4, 4) or not torch.equal(pair, torch.cat([a, b], 1).double()):
            return False
        d = as_float_tensor(sub.call("discriminator_loss", real, fake), "d")
        gl = [float(as_float_tensor(v, "g")) for v in sub.call("generator_loss", real, a, b, 9.0)]
    except Exception:  # noqa: BLE001 - any failure means "not the reference helpers"
        return False
    want = [float(v) for v in _g_loss(real, a, b, 9.0)]
    return abs(float(d) - float(_d_loss(real, fake))) < 1e-5 and all(abs(u - v) < 1e-4 for u, v in zip(gl, want))


def _reference_step(gen, disc, opt_g, opt_d, x, y, lam):
    y_fake = gen(x)
    opt_d.zero_grad()
    loss_d = _d_loss(disc(torch.cat([x, y], 1)), disc(torch.cat([x, y_fake.detach()], 1)))
    loss_d.backward()
    opt_d.step()
    opt_g.zero_grad()
    loss_g, gan, l1 = _g_loss(disc(torch.cat([x, y_fake], 1)), y_fake, y, lam)
    loss_g.backward()
    opt_g.step()
    return [loss_d.item(), loss_g.item(), gan.item(), l1.item()]


def _local_opt(params, kind, lr):
    """The written-out SGD (momentum 0.9) / Adam (betas 0.5, 0.999) of Lab 3's hidden tests (torch.optim's first
    use costs seconds of imports in the grader's process)."""
    return _Adam(params, lr) if kind == "adam" else _SGD(params, lr, momentum=0.9 if kind == "momentum" else 0.0)


def _replay(sub, seed, kind, lr, batch, lam, stale):
    out, gen, disc, (x, y), _ = step_case(sub, seed, kind, lr, batch, lambda_l1=lam, stale=stale)
    if not _helpers_right(sub):
        return
    local_g = standins_lab5.step_generator(3, 3, seed)
    local_d = standins_lab5.step_discriminator(6, seed + 1)
    opt_g, opt_d = _local_opt(local_g.parameters(), kind, lr), _local_opt(local_d.parameters(), kind, lr)
    if stale:
        for p in local_g.parameters():
            p.grad = torch.full_like(p, 0.5)
        for p in local_d.parameters():
            p.grad = torch.full_like(p, -0.3)
    expected = _reference_step(local_g, local_d, opt_g, opt_d, x, y, 100.0 if lam is None else lam)
    got = [out["loss_d"], out["loss_g"], out["loss_gan"], out["loss_l1"]]
    close(got, expected, f"pix2pix_step's losses ({kind})", HINT_STEP_GENERIC_REPLAY, rtol=1e-4, atol=1e-6)
    for name, ref, local in (("G", gen, local_g), ("D", disc, local_d)):
        after = params_of(sub, ref)
        for n, p in local.named_parameters():
            close(after[n], p.detach(), f"{name}'s `{n}` after one step ({kind}, "
                  f"{'stale gradients' if stale else 'clean'})", HINT_STEP_GENERIC_REPLAY, rtol=1e-4, atol=1e-6)


@register(STEP, points=1, hidden=True)
def step_consistency_edges(sub):
    """Recording stand-ins: batch one with the default lambda (100), momentum SGD with stale gradients; plain SGD with lambda 0 and batch 3; the pairs, detach, update order and the four floats as in the public check."""
    step_case(sub, 2, "momentum", 0.05, 1, lambda_l1=None, stale=True)
    step_case(sub, 3, "sgd", 0.1, 3, lambda_l1=0.0)


@register(STEP, points=1, hidden=True)
def step_replay_adam_and_momentum(sub):
    """With your loss helpers right: Adam (betas 0.5, 0.999) with stale gradients, lambda 2.5, batch 2; momentum SGD with lambda 0, batch 3: the losses and every parameter of G and D after the step match the reference step (each optimizer zeroes and updates only its own network)."""
    _replay(sub, 4, "adam", 0.02, 2, 2.5, stale=True)
    _replay(sub, 5, "momentum", 0.05, 3, 0.0, stale=True)


# -- 10-11. going further ---------------------------------------------------------------------------------------------

def _mask(batch, size, hole):
    m = torch.zeros(batch, 1, size, size)
    a = (size - hole) // 2
    m[:, :, a:a + hole, a:a + hole] = 1
    return m


@register(MASK, points=0.5, hidden=True)
def mask_edges(sub):
    """Batch one, the smallest size (2 with hole 1), odd size with even hole (7, 2), hole = size - 1; float32; hole 0, hole > size and a negative hole raise ValueError."""
    for batch, size, hole in ((1, 2, 1), (3, 7, 2), (2, 6, 5), (1, 9, 4)):
        what = f"center_mask({batch}, {size}, {hole})"
        out = tensor_or_fail(sub.call("center_mask", batch, size, hole), what, HINT_MASK_TYPE)
        check(out.dtype == torch.float32, f"{what} has dtype {out.dtype}.", HINT_MASK_TYPE)
        shifted = torch.zeros(batch, 1, size, size)
        b = size // 2 - hole // 2
        shifted[:, :, b:b + hole, b:b + hole] = 1
        close(out, _mask(batch, size, hole), what, HINT_MASK_GENERIC, atol=0, diagnoses=[(shifted, HINT_MASK_OFFSET)])
    for hole in (0, 9, -1):
        expect_raises(sub, "ValueError", HINT_MASK_ERRORS, f"center_mask(1, 8, {hole})", "center_mask", 1, 8, hole)


@register(CE_LOSS, points=0.5, hidden=True)
def context_encoder_edges(sub):
    """Seeded images (2, 3, 8, 8) with a centre hole of 4, a patch map of logits, the default weights 0.999 / 0.001: values and the gradients with respect to x_fill and the logits; logits of +-100 stay finite."""
    for seed, scale in ((8, 2.0), (9, 100.0)):
        g = torch.Generator().manual_seed(seed)
        fill, real = torch.rand(2, 3, 8, 8, generator=g) * 2 - 1, torch.rand(2, 3, 8, 8, generator=g) * 2 - 1
        mask, logits = _mask(2, 8, 4), torch.randn(2, 1, 3, 3, generator=g) * scale
        what = f"context_encoder_loss(images (2, 3, 8, 8), hole 4, logits x {scale:g})"
        outs = loss_outputs(sub, "context_encoder_loss", [fill, real, mask, logits], [0, 3], [0, 1, 2],
                            [1.0, 1.0, 1.0], what, HINT_CE_TRIPLE)
        ft, lt = fill.double().requires_grad_(True), logits.double().requires_grad_(True)
        sq = mask.double() * (ft - real.double()) ** 2
        rec = sq.sum() / (mask.sum() * 3)
        adv = _bce(lt, 1)
        loss = 0.999 * rec + 0.001 * adv
        judge_value(outs[1][0], float(rec.detach()), f"{what}: loss_rec", HINT_CE_GENERIC,
                    [(float(sq.sum().detach() / sq.numel()), HINT_CE_WHOLE),
                     (float(sq.sum().detach() / mask.sum()), HINT_CE_NO_CHANNELS)],
                    tol=1e-5)
        judge_value(outs[2][0], float(adv.detach()), f"{what}: loss_adv", HINT_CE_GENERIC, tol=1e-5)
        judge_value(outs[0][0], float(loss.detach()), f"{what}: loss", HINT_CE_GENERIC, tol=1e-5)
        judge_grads(outs[0][1], torch.autograd.grad(loss, [ft, lt]), ["x_fill", "d_fake_logits"], what, tol=1e-5)
