"""Hidden tests for Lab 8 (video GANs): the contracts' edges (batch of one, T = 1 where legal, the smallest sizes,
non-default arguments, extreme mask logits, every ValueError and TypeError the docstrings promise), networks
compared with trusted copies of the text's architectures (below) in train and eval mode with their batch-norm
statistics, the motion RNN compared through its outputs and gradients, the MoCoGAN latents judged by their
semantics and statistics with a recording motion RNN, the samplers judged by the statistics of many seeded draws,
and replays of the training step with momentum and Adam and stale gradients."""

from __future__ import annotations

import math
import re

import torch
import torch.nn.functional as F
from torch import nn

from autograder.hidden.lab3 import _Adam, _SGD
from ganlab.checks.answers import judge_answer
from ganlab.checks.lab8 import (
    ANSWER, CLIPS, COMP, FRAMES, GEOM, MOCO, RNN, STEP, VGAN, VIDEO_D,
    HINT_ANSWER, HINT_ANSWER_FINAL, HINT_ANSWER_LAYERS_3, HINT_ANSWER_VGAN, HINT_ANSWER_ZERO, HINT_BIAS_BEFORE_BN,
    HINT_CLIPS_ERRORS, HINT_CLIPS_GENERIC, HINT_CLIPS_LAST_START, HINT_CLIPS_SAME, HINT_COMP_ERRORS, HINT_COMP_GENERIC,
    HINT_COMP_GRADS, HINT_COMP_NO_SIGMOID, HINT_COMP_PENALTY_MISSING, HINT_COMP_PENALTY_SUM, HINT_COMP_SWAPPED,
    HINT_FRAMES_GENERIC, HINT_FRAMES_RANGE, HINT_FRAMES_SAME, HINT_FRAMES_SQUEEZE, HINT_GEOM_AXES, HINT_GEOM_CEIL,
    HINT_GEOM_CONV, HINT_GEOM_ERRORS, HINT_GEOM_NO_OUTPUT_PADDING, HINT_GEOM_NO_PADDING, HINT_GEOM_TRANSPOSED,
    HINT_MOCO_CATEGORY, HINT_MOCO_DISTRIBUTION, HINT_MOCO_GENERATOR, HINT_MOCO_SAMPLE, HINT_MUTATES,
    HINT_RNN_ERRORS, HINT_RNN_GENERIC, HINT_RNN_NO_RECURRENCE, HINT_RNN_SAME_NOISE, HINT_RNN_SHIFTED,
    HINT_SAMPLER_GENERATOR, HINT_SAMPLER_GRAD, HINT_STEP_NOT_MOVED, HINT_VD_ERRORS, HINT_VD_GENERIC, HINT_VD_LAYERS,
    HINT_VGAN_ERRORS, HINT_VGAN_FORWARD, HINT_VGAN_STREAMS,
    MOCO_DIMS, build, check, clip_starts, close, coded_video, composite_outputs, draws, expect_axis_error,
    expect_method_raises, expect_raises, expect_shape, fail, forward, frame_indices, judge_clip_draws,
    judge_frame_draws, judge_latents, judge_logit_shape, judge_moco_forward, judge_shape, judge_video_d_layers,
    moco_with_recording_rnn, params_of, split_calls, step_case, sub_global, tensor_or_fail, uniform, vgan_parts,
)
from ganlab.grading import standins_lab8
from ganlab.grading.netcheck import functional_compare, on_one_thread, structure
from ganlab.grading.testing import SubmissionError, as_float_tensor, expect_new_raises, register

HINT_GEOM_RANDOM = ("On other settings the sizes differ from PyTorch's: apply the one-axis rule to each axis with that "
                    "axis's own kernel, stride, padding (and output_padding when transposed).")
HINT_COMP_EXTREME = ("With mask logits of +-100 the outputs must stay finite and the mask exactly 0 or 1: use "
                     "torch.sigmoid, never 1 / (1 + exp(-x)) with a clamp or an exp that overflows.")
HINT_VGAN_BN_STATS = "A batch norm of the generator updates its running statistics differently (momentum? eps?)."
HINT_VGAN_64 = ("At size 64 the streams have one more 4 / 2 / 1 block each (n_up = log2(size) - 3 = 3): T = 32 frames "
                "of 64 x 64.")
HINT_RNN_DETERMINISTIC = ("MotionRNN must be deterministic given eps and h0: it draws nothing itself (the caller "
                          "draws the noise).")
HINT_SAMPLER_STATS = ("Over many draws the choices are not uniform: every frame index (or clip start) must be "
                      "equally likely, independently for each video.")
HINT_SAMPLER_GLOBAL = ("With generator= given the global RNG must stay untouched: draw from the generator only "
                       "(torch.randint(..., generator=generator)).")
HINT_STEP_REPLAY = ("With momentum or Adam and stale gradients left in .grad, the parameters after one step differ "
                    "from the reference step's on the same draws: zero each optimizer's gradients before its "
                    "backward, step each discriminator's optimizer after its own loss, and G's after its loss.")


# -- trusted references (the text's architectures; this file stays with the instructors) ------------------------

def _shape(in_shape, kernel, stride=1, padding=0, transposed=False, output_padding=0):
    def triple(v):
        return tuple(v) if isinstance(v, (tuple, list)) else (v,) * 3

    out = []
    for n, k, s, p, op in zip(triple(in_shape), triple(kernel), triple(stride), triple(padding),
                              triple(output_padding)):
        out.append((n - 1) * s - 2 * p + k + op if transposed else (n + 2 * p - k) // s + 1)
    return tuple(out)


class _VGAN(nn.Module):
    """The text's VGAN streams: forward(z) -> (foreground, background, mask_logits)."""

    def __init__(self, latent_dim, channels, ngf, size):
        super().__init__()
        n_up = int(math.log2(size)) - 3
        width = ngf * 2 ** n_up
        fg = [nn.ConvTranspose3d(latent_dim, width, (2, 4, 4), 1, 0, bias=False), nn.BatchNorm3d(width), nn.ReLU()]
        bg = [nn.ConvTranspose2d(latent_dim, width, 4, 1, 0, bias=False), nn.BatchNorm2d(width), nn.ReLU()]
        for _ in range(n_up):
            fg += [nn.ConvTranspose3d(width, width // 2, 4, 2, 1, bias=False), nn.BatchNorm3d(width // 2), nn.ReLU()]
            bg += [nn.ConvTranspose2d(width, width // 2, 4, 2, 1, bias=False), nn.BatchNorm2d(width // 2), nn.ReLU()]
            width //= 2
        self.trunk = nn.Sequential(*fg)
        self.fg_head = nn.ConvTranspose3d(ngf, channels, 4, 2, 1)
        self.mask_head = nn.ConvTranspose3d(ngf, 1, 4, 2, 1)
        self.bg = nn.Sequential(*bg, nn.ConvTranspose2d(ngf, channels, 4, 2, 1), nn.Tanh())

    def forward(self, z):
        h = self.trunk(z.view(*z.shape, 1, 1, 1))
        foreground = torch.tanh(self.fg_head(h))
        logits = self.mask_head(h)
        return foreground, self.bg(z.view(*z.shape, 1, 1)), logits


class _VideoD(nn.Module):
    def __init__(self, channels, ndf, n_layers, slope=0.2, time_stride=1):
        super().__init__()
        layers = [nn.Conv3d(channels, ndf, 4, (time_stride, 2, 2), (0, 1, 1)), nn.LeakyReLU(slope)]
        width = ndf
        for _ in range(n_layers - 1):
            layers += [nn.Conv3d(width, 2 * width, 4, (time_stride, 2, 2), (0, 1, 1), bias=False),
                       nn.BatchNorm3d(2 * width), nn.LeakyReLU(slope)]
            width *= 2
        layers.append(nn.Conv3d(width, 1, 4, 1, 0))
        self.net = nn.Sequential(*layers)

    def forward(self, x):
        return self.net(x)[:, 0]


class _MotionRNN(nn.Module):
    """The text's motion RNN; ``mode`` builds the known mistakes with the same parameters."""

    def __init__(self, noise_dim, motion_dim, mode="right"):
        super().__init__()
        self.cell = nn.GRUCell(noise_dim, motion_dim)
        self.mode = mode

    def forward(self, eps, h0):
        h, states = h0, [h0]
        for t in range(eps.shape[1]):
            e = eps[:, 0] if self.mode == "same_noise" else eps[:, t]
            h = self.cell(e, h0 if self.mode == "no_recurrence" else h)
            states.append(h)
        return torch.stack(states[:-1] if self.mode == "shifted" else states[1:], 1)


def _bce(logits, target):
    return F.binary_cross_entropy_with_logits(logits, torch.full_like(logits, float(target)))


# -- 1. conv3d_output_shape ---------------------------------------------------------------------------------------

def _random_setting(g):
    def pick(low, high, as_int):
        values = tuple(int(torch.randint(low, high + 1, (1,), generator=g)) for _ in range(3))
        return values[0] if as_int else values

    while True:
        transposed = bool(torch.randint(0, 2, (1,), generator=g))
        as_int = bool(torch.randint(0, 3, (1,), generator=g) == 0)
        shape = tuple(int(torch.randint(1, 40, (1,), generator=g)) for _ in range(3))
        kernel, stride, padding = pick(1, 6, as_int), pick(1, 3, as_int), pick(0, 3, as_int)
        kwargs = {"stride": stride, "padding": padding}
        if transposed:
            s = stride if isinstance(stride, tuple) else (stride,) * 3
            kwargs["transposed"] = True
            kwargs["output_padding"] = tuple(int(torch.randint(0, si, (1,), generator=g)) for si in s)
        out = _shape(shape, kernel, **kwargs)
        if min(out) >= 1:
            return (shape, kernel), kwargs, out


def _geom_wrongs(args, kwargs):
    """The known mistakes' sizes for one setting."""
    shape, kernel = args
    stride, padding = kwargs.get("stride", 1), kwargs.get("padding", 0)
    if kwargs.get("transposed"):
        op = kwargs.get("output_padding", 0)
        return [(_shape(shape, kernel, stride, padding, True), HINT_GEOM_NO_OUTPUT_PADDING)] if op else []

    def rev(v):
        return tuple(reversed(v)) if isinstance(v, tuple) else v

    ceil = tuple(-(-(n + 2 * p - k) // s) + 1 for n, k, s, p in zip(
        shape, *(v if isinstance(v, tuple) else (v,) * 3 for v in (kernel, stride, padding))))
    return [(_shape(shape, kernel, stride, 0), HINT_GEOM_NO_PADDING), (ceil, HINT_GEOM_CEIL),
            (_shape(shape, rev(kernel), rev(stride), rev(padding)), HINT_GEOM_AXES)]


@register(GEOM, points=0.5, hidden=True)
def conv3d_shapes_random_and_smallest(sub):
    """The smallest input (1, 1, 1) through kernel 1; VGAN's foreground layer (1, 1, 1) -> (2, 4, 4) transposed; MoCoGAN's final layer to (1, 1, 1); 30 seeded settings (ints and 3-tuples, Conv3d and ConvTranspose3d with output_padding) against PyTorch's rule."""
    judge_shape(sub, ((1, 1, 1), 1), {}, (1, 1, 1))
    judge_shape(sub, ((1, 1, 1), (2, 4, 4)), {"transposed": True}, (2, 4, 4), hint=HINT_GEOM_TRANSPOSED)
    judge_shape(sub, ((4, 4, 4), 4), {"stride": 1, "padding": 0}, (1, 1, 1))
    g = torch.Generator().manual_seed(8)
    for _ in range(30):
        args, kwargs, expected = _random_setting(g)
        hint = HINT_GEOM_TRANSPOSED if kwargs.get("transposed") else HINT_GEOM_RANDOM
        judge_shape(sub, args, kwargs, expected, [(w, h) for w, h in _geom_wrongs(args, kwargs) if w != expected],
                    hint)


@register(GEOM, points=0.5, hidden=True)
def conv3d_shapes_errors(sub):
    """ValueError for kernel 0, stride 0 (in a tuple), padding -1, output_padding 1 without transposed, output_padding equal to the stride or -1, an in_shape entry 0 (also transposed), and outputs < 1 on the height and on the width (the message naming that axis); TypeError for a float kernel entry and a float in_shape entry."""
    for args, kwargs in ((((5, 5, 5), 0), {}), (((5, 5, 5), 3), {"stride": (1, 0, 1)}),
                         (((5, 5, 5), 3), {"padding": -1}), (((5, 5, 5), 3), {"output_padding": 1}),
                         (((5, 5, 5), 3), {"stride": 2, "transposed": True, "output_padding": 2}),
                         (((5, 0, 5), 1), {}), (((5, 0, 5), 3), {"transposed": True}),
                         (((5, 5, 5), 3), {"stride": 2, "transposed": True, "output_padding": (0, -1, 0)})):
        text = ", ".join(map(repr, args)) + "".join(f", {k}={v!r}" for k, v in kwargs.items())
        expect_raises(sub, "ValueError", HINT_GEOM_ERRORS, f"conv3d_output_shape({text})", "conv3d_output_shape",
                      *args, **kwargs)
    expect_axis_error(sub, ((9, 3, 9), (3, 5, 3)), {}, "height")
    expect_axis_error(sub, ((9, 9, 2), 4), {"stride": (1, 2, 3), "padding": (0, 1, 0)}, "width")
    for args in (((9, 9, 9), (3, 3.0, 3)), ((9, 9.0, 9), 3)):
        expect_raises(sub, "TypeError", HINT_GEOM_ERRORS, f"conv3d_output_shape{args}", "conv3d_output_shape", *args)


# -- 2. answer_min_frames -----------------------------------------------------------------------------------------

@register(ANSWER, points=1, hidden=True)
def min_frames_is_right(sub):
    """The shortest clip VideoDiscriminator(n_layers=4) accepts: 16 frames."""
    judge_answer(sub, "answer_min_frames", 16, HINT_ANSWER,
                 [(13.0, HINT_ANSWER_LAYERS_3), (15.0, HINT_ANSWER_ZERO), (12.0, HINT_ANSWER_FINAL),
                  (13.0 - 1, HINT_ANSWER_FINAL), (32.0, HINT_ANSWER_VGAN)], positive=True)


# -- 3. vgan_composite --------------------------------------------------------------------------------------------

def _composite(fg, bg, logits, weight):
    mask = torch.sigmoid(logits)
    return mask * fg + (1 - mask) * bg.unsqueeze(2), mask, weight * mask.abs().mean()


@register(COMP, points=1, hidden=True)
def composite_shapes_grads_and_extremes(sub):
    """Seeded inputs of sizes (1, 3, 1, 2, 5), (3, 1, 4, 3, 3) and (2, 2, 3, 1, 4): video, mask and penalty (default weight 0.1, and weights 0 and 2.5) and the gradients of weighted sums against the reference; logits of +-100 give a mask of exactly 0 and 1 and finite outputs; inputs unchanged."""
    cases = (((1, 3, 1, 2, 5), None), ((3, 1, 4, 3, 3), 0.0), ((2, 2, 3, 1, 4), 2.5))
    for i, (shape, weight) in enumerate(cases):
        b, c, t, h, w = shape
        fg, bg = uniform(200 + i, *shape), uniform(210 + i, b, c, h, w)
        logits = uniform(220 + i, b, 1, t, h, w, low=-3, high=3)
        args = [fg, bg, logits] + ([] if weight is None else [weight])
        what = f"vgan_composite(foreground {shape}{'' if weight is None else f', penalty_weight={weight}'})"
        refs = [sub.trusted("torch.clone", a) for a in (fg, bg, logits)]
        video, mask, penalty = composite_outputs(sub, [*refs, *args[3:]], what)
        check(all(torch.equal(sub.state(r)["value"], a) for r, a in zip(refs, (fg, bg, logits))),
              f"{what} changed its inputs.", HINT_MUTATES)
        ev, em, ep = _composite(fg.double(), bg.double(), logits.double(), 0.1 if weight is None else weight)
        close(mask, em, f"{what}: mask", HINT_COMP_NO_SIGMOID, rtol=1e-5, atol=1e-6)
        swapped = em * bg.double().unsqueeze(2) + (1 - em) * fg.double()
        close(video, ev, f"{what}: video", HINT_COMP_GENERIC, rtol=1e-5, atol=1e-6,
              diagnoses=[(swapped, HINT_COMP_SWAPPED)])
        close(penalty, ep, f"{what}: penalty", HINT_COMP_PENALTY_MISSING, rtol=1e-5, atol=1e-7,
              diagnoses=[(ep * em.numel(), HINT_COMP_PENALTY_SUM)] if float(ep) else [])
        weights = [float(x) for x in uniform(230 + i, 3)]
        wv = uniform(240 + i, *shape)
        results = sub.trusted("ganlab.grading.standins_lab8.weighted_grads", sub_global("vgan_composite"), args,
                              [wv, None, None], weights, keep=False)
        x = [a.double().clone().requires_grad_(True) for a in (fg, bg, logits)]
        v, m, p = _composite(*x, 0.1 if weight is None else weight)
        total = (v * wv.double()).sum() * weights[0] + m.sum() * weights[1] + p * weights[2]
        want = torch.autograd.grad(total, x)
        for got, exp, name in zip(results, want, ("foreground", "background", "mask_logits")):
            check(got is not None, f"{what}: no gradient reached {name}.", HINT_COMP_GRADS)
            close(got, exp, f"{what}: the gradient with respect to {name}", HINT_COMP_GRADS, rtol=1e-4, atol=1e-6)
    fg, bg = uniform(250, 2, 1, 2, 2, 2), uniform(251, 2, 1, 2, 2)
    logits = torch.tensor([100.0, -100.0]).repeat(8).view(2, 1, 2, 2, 2)
    video, mask, penalty = composite_outputs(sub, [fg, bg, logits], "vgan_composite(mask logits of +-100)")
    check(bool(torch.isfinite(video).all()) and bool(torch.isfinite(penalty).all())
          and bool(((mask == 0) | (mask == 1)).all()), "vgan_composite(mask logits of +-100): the mask is not 0 and 1 "
          "or an output is not finite.", HINT_COMP_EXTREME)


@register(COMP, points=0.5, hidden=True)
def composite_errors(sub):
    """ValueError for a background of another batch, height or width, mask logits of another batch, T or width or with 3 channels, and a negative penalty weight."""
    fg, bg, logits = uniform(260, 2, 2, 3, 4, 5), uniform(261, 2, 2, 4, 5), uniform(262, 2, 1, 3, 4, 5)
    bad = {"a background of batch 1": (fg, bg[:1], logits), "a background 3 pixels high": (fg, bg[:, :, :3], logits),
           "a background 4 pixels wide": (fg, bg[:, :, :, :4], logits),
           "mask logits of batch 1": (fg, bg, logits[:1]), "mask logits of 2 frames": (fg, bg, logits[:, :, :2]),
           "mask logits 4 pixels wide": (fg, bg, logits[..., :4]),
           "mask logits of 3 channels": (fg, bg, logits.repeat(1, 3, 1, 1, 1))}
    for text, args in bad.items():
        expect_raises(sub, "ValueError", HINT_COMP_ERRORS, f"vgan_composite with {text}", "vgan_composite", *args)
    expect_raises(sub, "ValueError", HINT_COMP_ERRORS, "vgan_composite(..., penalty_weight=-2)", "vgan_composite",
                  fg, bg, logits, -2.0)


# -- 4. VGANGenerator ---------------------------------------------------------------------------------------------

def _vgan_compare(sub, net, kwargs, z, seed, what, modes=("train", "eval")):
    """The submission's streams against the trusted ones, both filled by layer type and shape (so the order of the
    streams is free), in each mode; the batch-norm statistics after the train-mode pass. Use channels != 1: with one
    channel the foreground and mask heads have the same shape, and their order would decide which gets which
    values."""
    if "train" in modes:   # a wrong background or composite call is named before anything else runs
        sub.method(net, "train", keep=False)
        vgan_parts(sub, net, z, what)
    layers = structure(sub, net, z)
    for a, b in zip(layers, layers[1:]):
        if a["type"].startswith("ConvTranspose") and a.get("bias") and b["type"].startswith("BatchNorm"):
            fail(f"{what}: `{a['name']}` has a bias and is followed by a batch norm.", HINT_BIAS_BEFORE_BN)
    sub.trusted("ganlab.grading.standins_lab8.fill_by_kind", net, seed, z, keep=False)
    reference = _VGAN(**kwargs)
    on_one_thread(lambda: standins_lab8.fill_by_kind(reference, seed, z))
    for mode in modes:
        sub.method(net, mode, keep=False)
        parts, (fg, bg, logits) = vgan_parts(sub, net, z, f"{what} in {mode} mode")
        getattr(reference, mode)()
        with torch.no_grad():
            efg, ebg, elog = (t.double() for t in on_one_thread(lambda: reference(z)))
        wlog = torch.tanh(elog)   # the mask head squashed by a tanh (a known mistake)
        for got, exp, name in ((fg, efg, "foreground"), (bg, ebg, "background"), (logits, elog, "mask logits")):
            if got.shape != exp.shape:
                fail(f"{what} in {mode} mode: the {name} has shape {tuple(got.shape)}, expected {tuple(exp.shape)}.",
                     HINT_VGAN_64 if kwargs["size"] == 64 else HINT_VGAN_STREAMS)
            close(got, exp, f"{what} in {mode} mode: the {name}", HINT_VGAN_STREAMS, rtol=1e-4, atol=2e-5,
                  diagnoses=[(wlog, HINT_VGAN_STREAMS)] if name == "mask logits" else [])
        if mode == "train":
            got = sub.trusted("ganlab.grading.standins_lab8.buffers_by_kind", net, z, keep=False)
            want = on_one_thread(lambda: standins_lab8.buffers_by_kind(reference, z))
            check(len(got) == len(want) and all(torch.allclose(a.double(), b.double(), rtol=1e-4, atol=1e-5)
                                                for a, b in zip(got, want)),
                  f"{what}: the batch-norm running statistics after a train-mode pass differ.", HINT_VGAN_BN_STATS)
    return parts


@register(VGAN, points=1, hidden=True)
def vgan_computes_the_text(sub):
    """The submission's streams against the text's with the same parameters (set by layer type and shape): latent 4, 3 channels, ngf 2, size 32 with a batch of 3 in train and eval mode with the batch-norm statistics, forward = parts[0]; latent 2, 2 channels, ngf 1, size 64 (32 frames of 64 x 64) with a batch of one in eval mode; the video is what YOUR vgan_composite returns for them."""
    for kwargs, batch, seed, modes in ((dict(latent_dim=4, channels=3, ngf=2, size=32), 3, 1, ("train", "eval")),
                                       (dict(latent_dim=2, channels=2, ngf=1, size=64), 1, 2, ("eval",))):
        what = "VGANGenerator(" + ", ".join(f"{k}={v}" for k, v in kwargs.items()) + ")"
        net = build(sub, "VGANGenerator", HINT_VGAN_STREAMS, **kwargs)
        z = uniform(300 + seed, batch, kwargs["latent_dim"], low=-2, high=2)
        parts = _vgan_compare(sub, net, kwargs, z, seed, what, modes)
        if kwargs["size"] == 32:
            video = as_float_tensor(forward(sub, net, [z], what, HINT_VGAN_FORWARD), what)
            check(video.shape == parts[0].shape and torch.allclose(video, parts[0], atol=1e-6),
                  f"{what}: forward(z) differs from parts(z)[0] in eval mode.", HINT_VGAN_FORWARD)


@register(VGAN, points=0.5, hidden=True)
def vgan_errors(sub):
    """ValueError for size 16 and 128 in __init__, and in forward for z of shape (2, 5) with latent_dim 4 and for a 4-D z (2, 4, 1, 1); z is unchanged by forward."""
    for size in (16, 128):
        expect_new_raises(sub, "ValueError", HINT_VGAN_ERRORS, f"VGANGenerator(size={size})",
                          "VGANGenerator", latent_dim=4, size=size)
    net = build(sub, "VGANGenerator", HINT_VGAN_STREAMS, latent_dim=4, channels=1, ngf=1, size=32)
    expect_method_raises(sub, net, "ValueError", HINT_VGAN_ERRORS, "VGANGenerator(latent_dim=4) on z (2, 5)",
                         uniform(310, 2, 5))
    expect_method_raises(sub, net, "ValueError", HINT_VGAN_ERRORS, "VGANGenerator(latent_dim=4) on z (2, 4, 1, 1)",
                         uniform(311, 2, 4, 1, 1))
    z = uniform(312, 2, 4)
    ref = sub.trusted("torch.clone", z)
    sub.method(net, "__call__", ref)
    check(torch.equal(sub.state(ref)["value"], z), "VGANGenerator's forward changed z.", HINT_MUTATES)


# -- 5. VideoDiscriminator ----------------------------------------------------------------------------------------

@register(VIDEO_D, points=1, hidden=True)
def video_d_computes_the_text(sub):
    """The text's video discriminator with the submission's parameters (train and eval, batch-norm statistics): 3 channels, ndf 2, n_layers 3 on the shortest clip at 32 x 32 (2, 3, 13, 32, 32) -> (2, 1, 1, 1); n_layers 1 with a batch of one on (1, 1, 8, 12, 10) -> (1, 2, 3, 2); n_layers 2 on (3, 2, 14, 16, 24) -> (3, 5, 1, 3)."""
    for i, (channels, ndf, n, shape, out) in enumerate(((3, 2, 3, (2, 3, 13, 32, 32), (2, 1, 1, 1)),
                                                         (1, 3, 1, (1, 1, 8, 12, 10), (1, 2, 3, 2)),
                                                         (2, 2, 2, (3, 2, 14, 16, 24), (3, 5, 1, 3)))):
        what = f"VideoDiscriminator(channels={channels}, ndf={ndf}, n_layers={n})"
        net = build(sub, "VideoDiscriminator", HINT_VD_LAYERS, channels=channels, ndf=ndf, n_layers=n)
        x = uniform(400 + i, *shape)
        judge_video_d_layers(sub, net, x, channels, ndf, n, what)
        sub.method(net, "eval", keep=False)
        judge_logit_shape(tensor_or_fail(sub.method(net, "__call__", x), what, HINT_VD_LAYERS), out,
                          f"{what} on {shape}")
        sub.trusted("ganlab.grading.standins_lab5.fill_by_order", net, 50 + i, x, keep=False)
        mistakes = [(lambda: _VideoD(channels, ndf, n, slope=0.01), HINT_VD_LAYERS)]
        on_one_thread(lambda: functional_compare(sub, net, _VideoD(channels, ndf, n), [x], what,
                                               diagnoses=mistakes))


@register(VIDEO_D, points=0.5, hidden=True)
def video_d_errors(sub):
    """ValueError for n_layers 0 and -1; for a 4-D input, an input of 2 channels to a 1-channel D, and 12 frames with n_layers 3 (the message naming 13); the input is unchanged."""
    for n in (0, -1):
        expect_new_raises(sub, "ValueError", HINT_VD_ERRORS, f"VideoDiscriminator(1, 2, {n})",
                          "VideoDiscriminator", 1, 2, n)
    net = build(sub, "VideoDiscriminator", HINT_VD_LAYERS, channels=1, ndf=2, n_layers=3)
    expect_method_raises(sub, net, "ValueError", HINT_VD_ERRORS, "VideoDiscriminator on a 4-D input",
                         uniform(410, 2, 1, 32, 32))
    expect_method_raises(sub, net, "ValueError", HINT_VD_ERRORS, "a 1-channel VideoDiscriminator on 2 channels",
                         uniform(411, 2, 2, 16, 32, 32))
    try:
        sub.method(net, "__call__", uniform(412, 2, 1, 12, 32, 32))
    except SubmissionError as exc:
        check(exc.kind == "ValueError", f"12 frames with n_layers=3 raised {exc.kind}.", HINT_VD_ERRORS)
        check(re.search(r"(?<![\d.])13(?![\d.])", str(exc).split(" (at ", 1)[0]) is not None,
              "the ValueError's message does not name the minimum clip length (13).", HINT_VD_ERRORS)
    else:
        fail("VideoDiscriminator(n_layers=3) accepted 12 frames.", HINT_VD_ERRORS)
    x = uniform(413, 1, 1, 13, 32, 32)
    ref = sub.trusted("torch.clone", x)
    sub.method(net, "__call__", ref)
    check(torch.equal(sub.state(ref)["value"], x), "VideoDiscriminator changed its input.", HINT_MUTATES)


# -- 6. MotionRNN -------------------------------------------------------------------------------------------------

@register(RNN, points=1, hidden=True)
def motion_rnn_computes_the_text(sub):
    """The text's recurrence with the submission's parameters: noise 2, motion 5 on a batch of one and T = 1; noise 3, motion 4 on (3, 6, 3); the gradients of a weighted sum with respect to eps and h0; two calls give the same output; inputs unchanged; ValueError for eps of 2 dims, h0 of another batch or size."""
    for i, (noise, motion, batch, frames) in enumerate(((2, 5, 1, 1), (3, 4, 3, 6))):
        what = f"MotionRNN(noise_dim={noise}, motion_dim={motion})"
        net = build(sub, "MotionRNN", HINT_RNN_GENERIC, noise_dim=noise, motion_dim=motion)
        eps, h0 = uniform(500 + i, batch, frames, noise, low=-2, high=2), uniform(510 + i, batch, motion)
        sub.trusted("ganlab.grading.standins_lab5.fill_by_order", net, 60 + i, eps, h0, keep=False)
        mistakes = [(lambda: _MotionRNN(noise, motion, "no_recurrence"), HINT_RNN_NO_RECURRENCE),
                    (lambda: _MotionRNN(noise, motion, "same_noise"), HINT_RNN_SAME_NOISE),
                    (lambda: _MotionRNN(noise, motion, "shifted"), HINT_RNN_SHIFTED)]
        functional_compare(sub, net, _MotionRNN(noise, motion), [eps, h0], what, diagnoses=mistakes)
        refs = [sub.trusted("torch.clone", a) for a in (eps, h0)]
        first = as_float_tensor(sub.method(net, "__call__", *refs), what)
        again = as_float_tensor(sub.method(net, "__call__", eps, h0), what)
        check(torch.equal(first, again), f"{what}: two calls on the same inputs differ.", HINT_RNN_DETERMINISTIC)
        check(all(torch.equal(sub.state(r)["value"], a) for r, a in zip(refs, (eps, h0))),
              f"{what} changed its inputs.", HINT_MUTATES)
        weights = uniform(520 + i, batch, frames, motion)
        grads = sub.trusted("ganlab.grading.standins_lab8.weighted_grads", net, [eps, h0], [weights], [1.0],
                            keep=False)
        reference = _MotionRNN(noise, motion)
        state = sub.state(net)["params"]
        with torch.no_grad():
            for p, (_, v) in zip(reference.parameters(), sorted(state.items(), key=lambda kv: _gru_rank(kv[0]))):
                p.copy_(v)
        x = [eps.clone().requires_grad_(True), h0.clone().requires_grad_(True)]
        want = torch.autograd.grad((reference(*x) * weights).sum(), x)
        for got, exp, name in zip(grads, want, ("eps", "h0")):
            check(got is not None, f"{what}: no gradient reached {name}.", HINT_RNN_GENERIC)
            close(got, exp, f"{what}: the gradient with respect to {name}", HINT_RNN_GENERIC, rtol=1e-4, atol=1e-6)
    net = build(sub, "MotionRNN", HINT_RNN_GENERIC, noise_dim=3, motion_dim=4)
    for text, args in (("eps of 2 dims", (uniform(530, 2, 3), uniform(531, 2, 4))),
                       ("h0 of batch 3 for eps of batch 2", (uniform(532, 2, 5, 3), uniform(533, 3, 4))),
                       ("h0 of size 3", (uniform(534, 2, 5, 3), uniform(535, 2, 3)))):
        expect_method_raises(sub, net, "ValueError", HINT_RNN_ERRORS, f"MotionRNN(3, 4) on {text}", *args)


def _gru_rank(name: str) -> int:
    """weight_ih, weight_hh, bias_ih, bias_hh: GRUCell's parameter order (nn.GRU's names end with _l0)."""
    for i, key in enumerate(("weight_ih", "weight_hh", "bias_ih", "bias_hh")):
        if name.rsplit(".", 1)[-1].startswith(key):
            return i
    return 4


# -- 7. MoCoGANGenerator ------------------------------------------------------------------------------------------

@register(MOCO, points=1, hidden=True)
def mocogan_latents_edges_and_statistics(sub):
    """With a recording motion RNN: no categories (z = [z_C, z_M]) with a batch of one and T = 1; one category (a one-hot of size 1); 4 categories drawn at random when None for 400 videos (each category about a quarter, one one-hot per video on every frame); z_C, eps and h0 of 400 videos with mean about 0 and standard deviation about 1; forward in train and eval mode and with T = 1 against YOUR self.frames applied frame by frame."""
    dims = dict(MOCO_DIMS, num_categories=0, channels=1)
    what = "MoCoGANGenerator(num_categories=0)"
    net, rnn = moco_with_recording_rnn(sub, dims, seed=6)
    z = judge_latents(sub, net, rnn, dims, 1, 1, None, f"{what}.sample_latents(1, 1)")
    judge_moco_forward(sub, net, z.float(), what)
    judge_latents(sub, net, rnn, dims, 2, 3, None, f"{what}.sample_latents(2, 3)", calls_before=1)
    dims = dict(MOCO_DIMS, num_categories=1)
    net, rnn = moco_with_recording_rnn(sub, dims, seed=9)
    judge_latents(sub, net, rnn, dims, 2, 2, None, "MoCoGANGenerator(num_categories=1).sample_latents(2, 2)")
    dims = dict(MOCO_DIMS, num_categories=4)
    what = "MoCoGANGenerator(num_categories=4)"
    net, rnn = moco_with_recording_rnn(sub, dims, seed=7)
    sub.trusted("torch.manual_seed", 11, keep=False)
    z = judge_latents(sub, net, rnn, dims, 400, 3, None, f"{what}.sample_latents(400, 3)")
    counts = z[:, 0, 5:9].sum(0)
    check(bool((counts > 60).all()) and bool((counts < 140).all()),
          f"{what}.sample_latents(400, 3): category counts {counts.tolist()} (each about 100 expected).",
          HINT_MOCO_DISTRIBUTION)
    (eps, h0, _), = sub.trusted("ganlab.grading.standins_lab8.rnn_calls", rnn, keep=False)
    for name, values in (("z_C", z[:, 0, :5]), ("eps", eps), ("h0", h0)):
        mean, std = float(values.double().mean()), float(values.double().std())
        check(abs(mean) < 0.15 and 0.85 < std < 1.15, f"{what}: {name} has mean {mean:.3f} and standard deviation "
              f"{std:.3f} over 400 videos.", HINT_MOCO_DISTRIBUTION)
    sub.method(net, "train", keep=False)
    zt = z[:3].float()
    expected = as_float_tensor(sub.trusted("ganlab.grading.standins_lab8.frames_reference", net, zt, keep=False),
                               what)
    got = as_float_tensor(sub.method(net, "__call__", zt), what)
    close(got, expected, f"{what}: forward(z (3, 3, 16)) in train mode", HINT_MOCO_SAMPLE, rtol=1e-4, atol=1e-5)


@register(MOCO, points=0.5, hidden=True)
def mocogan_generator_argument(sub):
    """sample_latents with generator=: the same seed gives the same z and leaves the global RNG untouched, another seed another z; sample(2, 3, categories=[1, 0], generator=...) passes both on (the one-hots match, the same seed gives the same video)."""
    dims = dict(MOCO_DIMS)
    what = "MoCoGANGenerator.sample_latents(2, 4, generator=...)"
    net, _ = moco_with_recording_rnn(sub, dims, seed=8)
    outs = []
    for seed in (3, 3, 4):
        g = sub.trusted("torch.Generator")
        sub.method(g, "manual_seed", seed, keep=False)
        z, kept = sub.trusted("ganlab.grading.standins_lab8.global_rng_kept", net, "sample_latents", 2, 4,
                              generator=g, keep=False)
        check(kept, f"{what} drew from the global RNG.", HINT_MOCO_GENERATOR)
        outs.append(as_float_tensor(tensor_or_fail(z, what, HINT_MOCO_GENERATOR), what))
    check(torch.equal(outs[0], outs[1]), f"{what}: the same seed gave different latents.", HINT_MOCO_GENERATOR)
    check(not torch.equal(outs[0], outs[2]), f"{what}: another seed gave the same latents.", HINT_MOCO_GENERATOR)
    sub.method(net, "eval", keep=False)
    videos = []
    for _ in range(2):
        g = sub.trusted("torch.Generator")
        sub.method(g, "manual_seed", 9, keep=False)
        out = sub.method(net, "sample", 2, 3, categories=torch.tensor([1, 0]), generator=g)
        if not isinstance(out, (tuple, list)) or len(out) != 2:
            fail(f"sample returned {type(out).__name__}, expected (video, z).", HINT_MOCO_SAMPLE)
        video, z = (as_float_tensor(tensor_or_fail(v, "sample", HINT_MOCO_SAMPLE), "sample") for v in out)
        check(torch.equal(z[:, 0, 5:8].argmax(-1), torch.tensor([1, 0])),
              "sample(2, 3, categories=[1, 0]): the one-hot parts of z do not match.", HINT_MOCO_CATEGORY)
        videos.append(video)
    check(torch.equal(videos[0], videos[1]), "sample(..., generator=...) with the same seed gave other videos.",
          HINT_MOCO_GENERATOR)


# -- 8-9. the samplers -------------------------------------------------------------------------------------------

def _counts(rows, b, n):
    return [[sum(1 for r in rows if r[i] == v) for v in range(n)] for i in range(b)]


@register(FRAMES, points=1, hidden=True)
def frames_statistics_and_edges(sub):
    """300 seeded draws from 4 videos of 5 frames: every (video, frame) drawn 30-90 times, two videos share their index in at most 40% of the draws; without a generator (after torch.manual_seed) every frame is drawn too; with a generator the global RNG is untouched; T = 1 always gives frame 0; a batch of one with C = 1; the gradient of a weighted sum lands on the chosen frames; the input is unchanged."""
    video = coded_video(4, 1, 5, 1, 2)
    idx, what = judge_frame_draws(sub, video, 300, 21)
    for b, row in enumerate(_counts(idx, 4, 5)):
        check(all(30 <= c <= 90 for c in row), f"{what}: video {b}'s frames were drawn {row} times in 300 draws.",
              HINT_SAMPLER_STATS if min(row) > 0 else HINT_FRAMES_RANGE)
    same = sum(1 for r in idx if r[0] == r[1])
    check(same <= 120, f"{what}: videos 0 and 1 got the same index in {same} of 300 draws.", HINT_FRAMES_SAME)
    out = sub.trusted("ganlab.grading.standins_lab8.repeated_draws", sub_global("sample_frames"), video, 100, 5,
                      use_generator=False, keep=False)
    rows = [frame_indices(o, video.double(), "sample_frames(video) without a generator", HINT_FRAMES_GENERIC)
            for o in as_float_tensor(out, "sample_frames")]
    check(all(set(r[b] for r in rows) == set(range(5)) for b in range(4)),
          "sample_frames(video) without a generator: some frame is never drawn.", HINT_FRAMES_RANGE)
    g = sub.trusted("torch.Generator")
    _, kept = sub.trusted("ganlab.grading.standins_lab8.global_rng_kept", sub_global("sample_frames"), None, video,
                          generator=g, keep=False)
    check(kept, "sample_frames(video, generator=...) drew from the global RNG.", HINT_SAMPLER_GLOBAL)
    single = coded_video(3, 2, 1, 2, 2)
    out = as_float_tensor(tensor_or_fail(sub.call("sample_frames", single), "sample_frames", HINT_FRAMES_GENERIC),
                          "sample_frames")
    expect_shape(out, (3, 2, 2, 2), "sample_frames(video (3, 2, 1, 2, 2))", HINT_FRAMES_SQUEEZE)
    check(torch.equal(out, single[:, :, 0].double()), "sample_frames(video with T = 1) is not frame 0.",
          HINT_FRAMES_GENERIC)
    one = coded_video(1, 1, 4, 3, 2)
    ref = sub.trusted("torch.clone", one)
    out = tensor_or_fail(sub.call("sample_frames", ref), "sample_frames", HINT_FRAMES_GENERIC)
    if tuple(out.shape) != (1, 1, 3, 2):
        fail(f"sample_frames(video (1, 1, 4, 3, 2)) has shape {tuple(out.shape)}, expected (1, 1, 3, 2).",
             HINT_FRAMES_SQUEEZE)
    check(torch.equal(sub.state(ref)["value"], one), "sample_frames changed its input.", HINT_MUTATES)
    weights = uniform(600, 4, 1, 1, 2)
    grads = sub.trusted("ganlab.grading.standins_lab8.weighted_grads", sub_global("sample_frames"), [video],
                        [weights], [1.0], keep=False)
    check(grads[0] is not None, "sample_frames: no gradient reached the video.", HINT_SAMPLER_GRAD)
    g = as_float_tensor(grads[0], "sample_frames")
    nonzero = [[t for t in range(5) if bool((g[b, :, t] != 0).any())] for b in range(4)]
    check(all(len(n) == 1 and torch.allclose(g[b, :, n[0]], weights[b].double()) for b, n in enumerate(nonzero)),
          "sample_frames: the gradient of a weighted sum is not the weights on one frame per video.",
          HINT_SAMPLER_GRAD)


@register(CLIPS, points=1, hidden=True)
def clips_statistics_and_edges(sub):
    """300 seeded draws of clips of 2 from 4 videos of 6 frames: every start 0..4 (the last included) drawn 30-90 times per video, two videos share their start in at most 40% of the draws; clip_length = T gives the whole video (also T = 1); clip_length 1 reaches every frame; without a generator every start is drawn; with a generator the global RNG is untouched; a batch of one; ValueError for 7, 0 and -1; the input is unchanged."""
    video = coded_video(4, 1, 6, 1, 2)
    starts, what = judge_clip_draws(sub, video, 2, 300, 31)
    for b, row in enumerate(_counts(starts, 4, 5)):
        if row[-1] == 0:
            fail(f"{what}: video {b}'s starts were drawn {row} times in 300 draws.", HINT_CLIPS_LAST_START)
        check(all(30 <= c <= 90 for c in row), f"{what}: video {b}'s starts were drawn {row} times in 300 draws.",
              HINT_SAMPLER_STATS)
    same = sum(1 for r in starts if r[0] == r[1])
    check(same <= 120, f"{what}: videos 0 and 1 got the same start in {same} of 300 draws.", HINT_CLIPS_SAME)
    whole = as_float_tensor(tensor_or_fail(sub.call("sample_clips", video, 6), "sample_clips", HINT_CLIPS_GENERIC),
                            "sample_clips")
    check(whole.shape == video.shape and torch.equal(whole, video.double()),
          "sample_clips(video, T) is not the whole video.", HINT_CLIPS_GENERIC)
    single = coded_video(2, 1, 1, 2, 2)
    out = as_float_tensor(tensor_or_fail(sub.call("sample_clips", single, 1), "sample_clips", HINT_CLIPS_GENERIC),
                          "sample_clips")
    check(out.shape == single.shape and torch.equal(out, single.double()),
          "sample_clips(video with T = 1, 1) is not the video itself.", HINT_CLIPS_GENERIC)
    ones, _ = judge_clip_draws(sub, video, 1, 60, 32)
    check(all({r[b] for r in ones} == set(range(6)) for b in range(4)),
          "sample_clips(video, 1): some frame is never drawn in 60 draws.", HINT_CLIPS_LAST_START)
    out = sub.trusted("ganlab.grading.standins_lab8.repeated_draws", sub_global("sample_clips"), video, 100, 7, 3,
                      use_generator=False, keep=False)
    rows = [clip_starts(o, video.double(), 3, "sample_clips(video, 3) without a generator", HINT_CLIPS_GENERIC)
            for o in as_float_tensor(out, "sample_clips")]
    check(all({r[b] for r in rows} == set(range(4)) for b in range(4)),
          "sample_clips(video, 3) without a generator: some start is never drawn.", HINT_CLIPS_LAST_START)
    g = sub.trusted("torch.Generator")
    _, kept = sub.trusted("ganlab.grading.standins_lab8.global_rng_kept", sub_global("sample_clips"), None, video, 2,
                          generator=g, keep=False)
    check(kept, "sample_clips(video, 2, generator=...) drew from the global RNG.", HINT_SAMPLER_GLOBAL)
    one = coded_video(1, 1, 4, 2, 3)
    ref = sub.trusted("torch.clone", one)
    out = as_float_tensor(tensor_or_fail(sub.call("sample_clips", ref, 3), "sample_clips", HINT_CLIPS_GENERIC),
                          "sample_clips")
    expect_shape(out, (1, 1, 3, 2, 3), "sample_clips(video (1, 1, 4, 2, 3), 3)", HINT_CLIPS_GENERIC)
    clip_starts(out, one.double(), 3, "sample_clips(video (1, 1, 4, 2, 3), 3)", HINT_CLIPS_GENERIC)
    check(torch.equal(sub.state(ref)["value"], one), "sample_clips changed its input.", HINT_MUTATES)
    for bad in (7, 0, -1):
        expect_raises(sub, "ValueError", HINT_CLIPS_ERRORS, f"sample_clips(video with T = 6, {bad})", "sample_clips",
                      video, bad)


# -- 10. mocogan_step ---------------------------------------------------------------------------------------------

def _own_samplers_right(sub) -> bool:
    """Whether the submission's samplers pass a quick semantic probe (frames and clips of their own videos with the
    promised shapes); the step's replay needs the chosen indices, which only right samplers give."""
    from ganlab.grading.testing import CheckFailure

    try:
        judge_frame_draws(sub, coded_video(2, 2, 3, 3, 3), 8, 1)
        judge_clip_draws(sub, coded_video(2, 2, 4, 3, 3), 2, 8, 2)
        out = as_float_tensor(sub.call("sample_frames", coded_video(1, 2, 3, 3, 3)), "sample_frames")
        check(out.dim() == 4, "", HINT_FRAMES_SQUEEZE)
        out = as_float_tensor(sub.call("sample_clips", coded_video(1, 2, 3, 3, 3), 3), "sample_clips")
        check(out.dim() == 5, "", HINT_CLIPS_GENERIC)
    except CheckFailure:
        return False
    return True


def _local_step(seed, kind, lr, stale, x, length, picks):
    """Replay the reference step locally: ``picks`` gives, for the D step and the G step, the frame indices and clip
    starts the submission's samplers drew from the fake (and the real frames/clips it drew)."""
    batch, c, frames = x.shape[:3]
    size = x.shape[-1]
    gen = standins_lab8.step_generator(c, size, seed)
    d_image = standins_lab8.step_discriminator(1, seed + 1)
    d_video = standins_lab8.step_discriminator(2, seed + 2)
    nets = (gen, d_image, d_video)
    if stale:
        for net, value in zip(nets, (0.5, -0.3, 0.2)):
            for p in net.parameters():
                p.grad = torch.full_like(p, value)
    make = {"adam": lambda ps: _Adam(ps, lr=lr, betas=(0.5, 0.999)),
            "momentum": lambda ps: _SGD(ps, lr=lr, momentum=0.9), "sgd": lambda ps: _SGD(ps, lr=lr)}[kind]
    opt_g, opt_i, opt_v = (make(list(n.parameters())) for n in nets)
    fake, _ = gen.sample(batch, frames)
    ar = torch.arange(batch)

    def frames_of(video, idx):
        return video[ar, :, torch.tensor(idx)]

    def clips_of(video, starts):
        return torch.stack([video[b, :, s:s + length] for b, s in enumerate(starts)])

    opt_i.zero_grad()
    loss_di = _bce(d_image(picks["real_frames"]), 1) + _bce(d_image(frames_of(fake.detach(), picks["d_frames"])), 0)
    loss_di.backward()
    opt_i.step()
    opt_v.zero_grad()
    loss_dv = _bce(d_video(picks["real_clips"]), 1) + _bce(d_video(clips_of(fake.detach(), picks["d_clips"])), 0)
    loss_dv.backward()
    opt_v.step()
    opt_g.zero_grad()
    loss_gi = _bce(d_image(frames_of(fake, picks["g_frames"])), 1)
    loss_gv = _bce(d_video(clips_of(fake, picks["g_clips"])), 1)
    (loss_gi + loss_gv).backward()
    opt_g.step()
    losses = {"loss_d_image": loss_di.item(), "loss_d_video": loss_dv.item(), "loss_g_image": loss_gi.item(),
              "loss_g_video": loss_gv.item()}
    return losses, [{n: p.detach().clone() for n, p in net.named_parameters()} for net in nets]


def _step_replay_case(sub, seed, kind, lr, batch, frames, clip_length, stale):
    out, nets, _, x, records, _ = step_case(sub, seed, kind, lr, batch, frames, clip_length, stale)
    if not _own_samplers_right(sub):
        return  # your samplers are judged in their own exercises; the checks above used what they returned
    length = frames if clip_length is None else clip_length
    what = f"mocogan_step (batch {batch}, T = {frames}, {kind}{', stale gradients' if stale else ''})"
    (ri, di, gi), (rv, dv, gv) = (split_calls(records[0], what, "D_image"), split_calls(records[1], what, "D_video"))
    fake = standins_lab8.step_generator(x.shape[1], x.shape[-1], seed).sample(batch, frames)[0].detach().double()
    picks = {"real_frames": ri["input"], "real_clips": rv["input"],
             "d_frames": frame_indices(di["input"].double(), fake, what, HINT_STEP_REPLAY),
             "g_frames": frame_indices(gi["input"].double(), fake, what, HINT_STEP_REPLAY),
             "d_clips": clip_starts(dv["input"].double(), fake, length, what, HINT_STEP_REPLAY)}
    # the G step's clips come from the fake after no update of G (G is updated last), so they match the same fake
    picks["g_clips"] = clip_starts(gv["input"].double(), fake, length, what, HINT_STEP_REPLAY)
    losses, params = on_one_thread(lambda: _local_step(seed, kind, lr, stale, x, length, picks))
    close([out[k] for k in sorted(losses)], [losses[k] for k in sorted(losses)], f"{what}: the four losses",
          HINT_STEP_REPLAY, rtol=1e-4, atol=1e-6)
    for name, net, want in zip(("G", "D_image", "D_video"), nets, params):
        got = params_of(sub, net)
        check(set(got) == set(want) and all(torch.allclose(got[n].double(), want[n].double(), rtol=1e-4, atol=1e-6)
                                            for n in want),
              f"{what}: {name}'s parameters after the step differ from the reference step's on the same draws.",
              HINT_STEP_REPLAY)


@register(STEP, points=1, hidden=True)
def step_replayed_with_momentum_and_adam(sub):
    """Replays on the same draws: momentum SGD with stale gradients in every network, a batch of one, T = 4 and the default clip length (the whole video); Adam with stale gradients, batch 3, T = 6, clip_length 4: the losses and all three networks' parameters after the step equal the reference step's."""
    _step_replay_case(sub, 3, "momentum", 0.05, 1, 4, None, True)
    _step_replay_case(sub, 5, "adam", 0.02, 3, 6, 4, True)


@register(STEP, points=0.5, hidden=True)
def step_clip_length_one_and_full(sub):
    """clip_length 1 (clips of one frame, still 5-D for D_video) with plain SGD, batch 2, T = 3, all three networks handed over in eval mode (the step puts them in train mode); every network changes."""
    out, nets, _, _, _, before = step_case(sub, 7, "sgd", 0.1, 2, 3, clip_length=1, eval_first=True)
    for name, net, b in zip(("G", "D_image", "D_video"), nets, before):
        after = params_of(sub, net)
        check(any(not torch.equal(after[n], b[n]) for n in after), f"{name}'s parameters did not change.",
              HINT_STEP_NOT_MOVED)
    del out
