"""Hidden tests for Lab 6 (CycleGAN): the contracts' edges (batch of one, the smallest sizes, non-default arguments,
float64, extreme values, the errors the docstrings promise), networks compared with trusted copies of the text's
architectures (below) in train and eval mode, the image pool's semantics and swap rate over hundreds of draws, its
copies and detaching, and replays of the steps with Adam and momentum and stale gradients against the reference
step (when the submission's helpers are right; otherwise the steps are judged by their consistency with them)."""

from __future__ import annotations

import functools

import torch
import torch.nn.functional as F
from torch import nn

from ganlab.checks.lab6 import (
    BLOCK, CYCLE, D_LOSS, D_STAR, D_STEP, DECAY, G_LOSS, IDT, OBJ, POOL, RESNET, RESNET_6_PARAMS, RESNET_9_PARAMS,
    STEP, HINT_BLOCK_LAYERS, HINT_BLOCK_NO_SKIP, HINT_BLOCK_PADDING, HINT_BLOCK_RELU_AFTER, HINT_BLOCK_SHAPE,
    HINT_CYC_CROSSED, HINT_CYC_ERRORS, HINT_CYC_GENERIC, HINT_CYC_L2, HINT_CYC_LAMBDA, HINT_CYC_SUM, HINT_D_GENERIC,
    HINT_D_NOT_HALVED, HINT_D_POOLED, HINT_D_SIGMOID, HINT_D_SWAPPED, HINT_DECAY_ERRORS, HINT_DECAY_FROM_ZERO,
    HINT_DECAY_GENERIC, HINT_DECAY_LATE, HINT_DECAY_N_DECAY, HINT_DECAY_TYPE, HINT_DSTAR_ERRORS, HINT_DSTAR_GENERIC,
    HINT_DSTAR_SWAPPED, HINT_DSTAR_TYPE, HINT_DSTAR_VANILLA, HINT_DSTEP_REPLAY, HINT_G_FAKE_TARGET, HINT_G_GENERIC,
    HINT_G_HALVED, HINT_IDT_CALLS, HINT_IDT_DOMAIN, HINT_IDT_ERRORS, HINT_IDT_GENERIC, HINT_IDT_NOT_SCALED,
    HINT_MUTATES, HINT_OBJ_GRAPH, HINT_POOL_COPIES, HINT_POOL_DETACH, HINT_POOL_ERRORS, HINT_POOL_NEVER_CURRENT,
    HINT_POOL_SHAPE, HINT_POOL_SWAP_RATE, HINT_POOL_ZERO, HINT_RESNET_COUNT, HINT_RESNET_ERRORS, HINT_RESNET_GENERIC,
    HINT_RESNET_LAYERS, HINT_RESNET_PADDING, HINT_RESNET_TANH, HINT_STEP_REPLAY, PoolModel, block_count, build,
    calls_of, check, close, critic_pair, d_step_case, domain_inputs, expect_raises, expect_shape, fail, forward,
    judge_block_layers, judge_grads, judge_objective, judge_resnet_layers, judge_value, loss_and_grads, mapping_pair,
    new_pool, own_block_right, params_of, pool_images, pool_run, read_ids, resnet_count, step_case, sub_global,
    tensor_or_fail, uniform,
)
from autograder.hidden.lab3 import _SGD, _Adam
from ganlab.grading import standins, standins_lab5
from ganlab.grading.netcheck import functional_compare, on_one_thread, one_thread
from ganlab.grading.testing import SubmissionError, as_float_tensor, expect_new_raises, register

HINT_POOL_LATE = ("Once pool_size images are stored the pool is full: from the next image on it swaps with probability "
                  "1/2 (fill while len(stored) < pool_size, not <=).")


# -- trusted references (the text's definitions; this file stays with the instructors) ---------------------------

def _d_star(pd, pg, a=0.0, b=1.0):
    return (b * pd + a * pg) / (pd + pg)


def _d_loss(real, fake):
    return 0.5 * ((real - 1).pow(2).mean() + fake.pow(2).mean())


def _g_loss(fake):
    return (fake - 1).pow(2).mean()


def _cycle(x, x_rec, y, y_rec, lam=10.0):
    return lam * ((x_rec - x).abs().mean() + (y_rec - y).abs().mean())


def _identity(g, f, x, y, lam=10.0, lam_idt=0.5):
    if lam_idt == 0:
        return torch.zeros(())
    return lam * lam_idt * ((g(y) - y).abs().mean() + (f(x) - x).abs().mean())


def _objective(g, f, d_x, d_y, x, y, lam=10.0, lam_idt=0.5):
    y_fake, x_fake = g(x), f(y)
    gan_g, gan_f = _g_loss(d_y(y_fake)), _g_loss(d_x(x_fake))
    cyc = _cycle(x, f(y_fake), y, g(x_fake), lam)
    idt = _identity(g, f, x, y, lam, lam_idt)
    return gan_g + gan_f + cyc + idt, [t.item() for t in (gan_g, gan_f, cyc, idt)], y_fake, x_fake


def _d_step(d_x, d_y, opt_d, x, y, x_fake, y_fake, pool_x, pool_y):
    y_pool, x_pool = pool_y.query(y_fake).detach(), pool_x.query(x_fake).detach()
    opt_d.zero_grad()
    loss_y = _d_loss(d_y(y), d_y(y_pool))
    loss_x = _d_loss(d_x(x), d_x(x_pool))
    (loss_x + loss_y).backward()
    opt_d.step()
    return [loss_x.item(), loss_y.item()]


def _full_step(nets, opt_g, opt_d, x, y, pool_x, pool_y, lam=10.0, lam_idt=0.5):
    g, f, d_x, d_y = nets
    for p in list(d_x.parameters()) + list(d_y.parameters()):
        p.requires_grad_(False)
    opt_g.zero_grad()
    loss, terms, y_fake, x_fake = _objective(g, f, d_x, d_y, x, y, lam, lam_idt)
    loss.backward()
    opt_g.step()
    for p in list(d_x.parameters()) + list(d_y.parameters()):
        p.requires_grad_(True)
    return [loss.item()] + terms + _d_step(d_x, d_y, opt_d, x, y, x_fake, y_fake, pool_x, pool_y)


def _in(h):
    return F.instance_norm(h, eps=1e-5)


class _Block(nn.Module):
    """The text's residual block; the flags build known mistakes with the same parameters."""

    def __init__(self, c, zero_pad=False, relu_after=False, no_skip=False):
        super().__init__()
        self.conv1 = nn.Conv2d(c, c, 3, padding=1 if zero_pad else 0)
        self.conv2 = nn.Conv2d(c, c, 3, padding=1 if zero_pad else 0)
        self.zero_pad, self.relu_after, self.no_skip = zero_pad, relu_after, no_skip

    def pad(self, h):
        return h if self.zero_pad else F.pad(h, (1, 1, 1, 1), mode="reflect")

    def forward(self, x):
        h = F.relu(_in(self.conv1(self.pad(x))))
        h = _in(self.conv2(self.pad(h)))
        out = h if self.no_skip else x + h
        return F.relu(out) if self.relu_after else out


class _Resnet(nn.Module):
    """The text's ResNet generator; ``zero_pad`` pads the 7 x 7 convolutions with zeros, ``no_tanh`` drops the Tanh."""

    def __init__(self, cin=3, cout=3, ngf=64, n_blocks=9, n_down=2, zero_pad=False, no_tanh=False):
        super().__init__()
        self.first = nn.Conv2d(cin, ngf, 7, padding=3 if zero_pad else 0)
        self.downs = nn.ModuleList(nn.Conv2d(ngf * 2 ** i, ngf * 2 ** (i + 1), 3, 2, 1) for i in range(n_down))
        self.blocks = nn.ModuleList(_Block(ngf * 2 ** n_down) for _ in range(n_blocks))
        self.ups = nn.ModuleList(nn.ConvTranspose2d(ngf * 2 ** i, ngf * 2 ** (i - 1), 3, 2, 1, output_padding=1)
                                 for i in range(n_down, 0, -1))
        self.last = nn.Conv2d(ngf, cout, 7, padding=3 if zero_pad else 0)
        self.zero_pad, self.no_tanh = zero_pad, no_tanh

    def pad(self, h):
        return h if self.zero_pad else F.pad(h, (3, 3, 3, 3), mode="reflect")

    def forward(self, x):
        h = F.relu(_in(self.first(self.pad(x))))
        for layer in self.downs:
            h = F.relu(_in(layer(h)))
        for block in self.blocks:
            h = block(h)
        for layer in self.ups:
            h = F.relu(_in(layer(h)))
        out = self.last(self.pad(h))
        return out if self.no_tanh else torch.tanh(out)


def _local_opt(params, kind, lr):
    """The written-out SGD (momentum 0.9) / Adam (betas 0.5, 0.999) of Lab 3's hidden tests."""
    return _Adam(params, lr) if kind == "adam" else _SGD(params, lr, momentum=0.9 if kind == "momentum" else 0.0)


def _one_thread(test):
    """Run a test's own (grader-side) forward and backward passes on one thread: tiny graphs on two threads of a
    shared CPU are many times slower (see ganlab.grading.netcheck.one_thread)."""
    @functools.wraps(test)
    def wrapped(sub):
        with one_thread():
            return test(sub)

    return wrapped


# -- 1. the optimal discriminator ------------------------------------------------------------------------------------

@register(D_STAR, points=1, hidden=True)
def optimal_discriminator_edges(sub):
    """Broadcasting (2, 1) against (3,) in float64, densities of 1e-30 and 1e30, one density 0 (also p_model = 0: D* = b), a float with a tensor, a = -1 and b = 1 (the LSGAN paper's coding), and the errors: a negative p_data inside a tensor, a negative float, a negative p_model, both densities 0 at one point."""
    g = torch.Generator().manual_seed(1)
    pd, pg = torch.rand(2, 1, generator=g, dtype=torch.float64) + 0.1, torch.rand(3, generator=g, dtype=torch.float64)
    cases = [((pd, pg), {}, "float64 (2, 1) and (3,)"),
             ((pd.float(), pg.float()), {"a": -1.0, "b": 1.0}, "a = -1, b = 1"),
             ((torch.tensor([1e-30, 0.0, 1e30]), torch.tensor([3e-30, 2e-30, 1e30])), {"a": 0.25, "b": 3.0},
              "densities of 1e-30 and 1e30"),
             ((0.7, torch.tensor([0.1, 0.2])), {"b": 0.5}, "a float and a tensor")]
    for args, kwargs, label in cases:
        what = f"lsgan_optimal_discriminator ({label})"
        got = as_float_tensor(tensor_or_fail(sub.call("lsgan_optimal_discriminator", *args, **kwargs), what,
                                             HINT_DSTAR_TYPE), what)
        a, b = kwargs.get("a", 0.0), kwargs.get("b", 1.0)
        pd_t, pg_t = (torch.as_tensor(v, dtype=torch.float64) for v in args)
        want = _d_star(pd_t, pg_t, a, b)
        close(got, want, what, HINT_DSTAR_GENERIC, rtol=1e-5, atol=1e-7,
              diagnoses=[(_d_star(pg_t, pd_t, a, b), HINT_DSTAR_SWAPPED), (_d_star(pd_t, pg_t), HINT_DSTAR_VANILLA)])
    out = tensor_or_fail(sub.call("lsgan_optimal_discriminator", 2.5, 0.0), "lsgan_optimal_discriminator(2.5, 0.0)",
                         HINT_DSTAR_TYPE)
    check(out.is_floating_point() and out.dim() == 0, f"lsgan_optimal_discriminator(2.5, 0.0) returned {out!r}.",
          HINT_DSTAR_TYPE)
    close(out, 1.0, "lsgan_optimal_discriminator(2.5, 0.0) (no generated density: D* = b)", HINT_DSTAR_ERRORS)
    for args in ((torch.tensor([0.5, -1e-3, 0.2]), torch.tensor([0.5, 0.5, 0.5])), (-0.2, 0.4),
                 (torch.tensor([0.3, 0.2]), torch.tensor([0.1, -0.25])),
                 (torch.tensor([[0.5, 0.0]]), torch.tensor([[0.1], [0.0]]))):
        expect_raises(sub, "ValueError", HINT_DSTAR_ERRORS, "lsgan_optimal_discriminator with a negative or an "
                      "all-zero density", "lsgan_optimal_discriminator", *args)


# -- 2-3. the LSGAN losses ---------------------------------------------------------------------------------------------

def _d_case(sub, seed, real_shape, fake_shape, dtype=torch.float32, scale=2.0):
    g = torch.Generator().manual_seed(seed)
    real = (torch.randn(*real_shape, generator=g, dtype=torch.float64) * scale + 0.4).to(dtype)
    fake = (torch.randn(*fake_shape, generator=g, dtype=torch.float64) * scale - 0.3).to(dtype)
    what = f"lsgan_discriminator_loss(d_real {tuple(real_shape)}, d_fake {tuple(fake_shape)})"
    value, grads = loss_and_grads(sub, "lsgan_discriminator_loss", [real, fake], [0, 1], what)
    rt, ft = real.double().requires_grad_(True), fake.double().requires_grad_(True)
    loss = _d_loss(rt, ft)
    pooled = torch.cat([(rt - 1).pow(2).flatten(), ft.pow(2).flatten()]).mean().detach()
    tol = 1e-4 if dtype == torch.float32 else 1e-9
    wrongs = [(float(2 * loss.detach()), HINT_D_NOT_HALVED), (float(_d_loss(ft, rt).detach()), HINT_D_SWAPPED),
              (float(0.5 * (rt.pow(2).mean() + (ft - 1).pow(2).mean()).detach()), HINT_D_SWAPPED),
              (float(_d_loss(torch.sigmoid(rt), torch.sigmoid(ft)).detach()), HINT_D_SIGMOID),
              (float(0.5 * pooled), HINT_D_POOLED), (float(pooled), HINT_D_POOLED)]
    judge_value(value, float(loss.detach()), what, HINT_D_GENERIC, wrongs, tol)
    judge_grads(grads, torch.autograd.grad(loss, [rt, ft]), ["d_real", "d_fake"], what, tol)


@register(D_LOSS, points=1, hidden=True)
@_one_thread
def discriminator_loss_edges(sub):
    """Seeded scores: batch one against batch three, equal batches in float64, scores of +-100 (finite), one score per image; values and gradients with respect to both inputs."""
    _d_case(sub, 5, (1, 1, 2, 2), (3, 1, 2, 2))
    _d_case(sub, 6, (2, 1, 3, 3), (2, 1, 3, 3), dtype=torch.float64)
    _d_case(sub, 7, (4, 1, 1, 1), (2, 1, 1, 1), scale=100.0)


@register(G_LOSS, points=0.5, hidden=True)
@_one_thread
def generator_loss_edges(sub):
    """Seeded scores: batch one (a single score), a (3, 1, 4, 4) patch map in float64, scores of +-100; values and gradients."""
    for seed, shape, dtype, scale in ((8, (1, 1, 1, 1), torch.float32, 1.0), (9, (3, 1, 4, 4), torch.float64, 2.0),
                                      (10, (2, 1, 2, 3), torch.float32, 100.0)):
        g = torch.Generator().manual_seed(seed)
        fake = (torch.randn(*shape, generator=g, dtype=torch.float64) * scale + 0.2).to(dtype)
        what = f"lsgan_generator_loss(d_fake {tuple(shape)})"
        value, grads = loss_and_grads(sub, "lsgan_generator_loss", [fake], [0], what)
        ft = fake.double().requires_grad_(True)
        loss = _g_loss(ft)
        tol = 1e-4 if dtype == torch.float32 else 1e-9
        wrongs = [(float(ft.pow(2).mean().detach()), HINT_G_FAKE_TARGET), (float(0.5 * loss.detach()), HINT_G_HALVED),
                  (float(_g_loss(torch.sigmoid(ft)).detach()), HINT_D_SIGMOID)]
        judge_value(value, float(loss.detach()), what, HINT_G_GENERIC, wrongs, tol)
        judge_grads(grads, torch.autograd.grad(loss, [ft]), ["d_fake"], what, tol)


# -- 4. the cycle loss -------------------------------------------------------------------------------------------------

@register(CYCLE, points=1, hidden=True)
@_one_thread
def cycle_loss_edges(sub):
    """Seeded images: batch one against batch four, equal shapes in float64 (crossed cycles recognised), lambda_cyc = 0 (value and gradients 0), lambda_cyc = 2.5; values and gradients with respect to all four; inputs unchanged; mismatched y pair and a negative lambda raise ValueError."""
    cases = ((11, (1, 3, 4, 4), (4, 3, 4, 4), torch.float32, 2.5),
             (12, (2, 1, 3, 5), (2, 1, 3, 5), torch.float64, None),
             (13, (3, 2, 2, 2), (1, 2, 2, 2), torch.float32, 0.0))
    for seed, xs, ys, dtype, lam in cases:
        g = torch.Generator().manual_seed(seed)
        x, x_rec, y, y_rec = ((torch.rand(*s, generator=g, dtype=torch.float64) * 2 - 1).to(dtype)
                              for s in (xs, xs, ys, ys))
        args = [x, x_rec, y, y_rec] + ([lam] if lam is not None else [])
        what = f"cycle_loss(x {xs}, y {ys}{f', {lam:g}' if lam is not None else ''})"
        if seed == 11:
            refs = [sub.trusted("torch.clone", t) for t in (x, x_rec, y, y_rec)]
            sub.call("cycle_loss", *refs, lam)
            check(all(torch.equal(sub.state(r)["value"], t) for r, t in zip(refs, (x, x_rec, y, y_rec))),
                  f"{what} changed its inputs.", HINT_MUTATES)
        value, grads = loss_and_grads(sub, "cycle_loss", args, [0, 1, 2, 3], what)
        lam_v = 10.0 if lam is None else lam
        ts = [t.double().requires_grad_(True) for t in (x, x_rec, y, y_rec)]
        loss = _cycle(*ts, lam_v)
        with torch.no_grad():
            wrongs = [(float(lam_v * ((ts[1] - ts[0]).pow(2).mean() + (ts[3] - ts[2]).pow(2).mean())), HINT_CYC_L2),
                      (float(lam_v * ((ts[1] - ts[0]).abs().sum() + (ts[3] - ts[2]).abs().sum())), HINT_CYC_SUM),
                      (float(((ts[1] - ts[0]).abs().mean() + (ts[3] - ts[2]).abs().mean())), HINT_CYC_LAMBDA)]
            if xs == ys:
                wrongs.append((float(_cycle(ts[2], ts[1], ts[0], ts[3], lam_v)), HINT_CYC_CROSSED))
        wrongs = [(w, h) for w, h in wrongs if abs(w - float(loss.detach())) > 1e-6]
        tol = 1e-4 if dtype == torch.float32 else 1e-9
        judge_value(value, float(loss.detach()), what, HINT_CYC_GENERIC, wrongs, tol)
        judge_grads(grads, torch.autograd.grad(loss, ts), ["x_real", "x_rec", "y_real", "y_rec"], what, tol)
    x = torch.zeros(2, 3, 4, 4)
    expect_raises(sub, "ValueError", HINT_CYC_ERRORS, "cycle_loss with y_rec (1, 3, 4, 4) for y_real (1, 3, 4, 5)",
                  "cycle_loss", x, x, torch.zeros(1, 3, 4, 5), torch.zeros(1, 3, 4, 4))
    expect_raises(sub, "ValueError", HINT_CYC_ERRORS, "cycle_loss with lambda_cyc = -1", "cycle_loss", x, x, x, x, -1.0)


# -- 5. the identity loss ----------------------------------------------------------------------------------------------

@register(IDT, points=1, hidden=True)
@_one_thread
def identity_loss_edges(sub):
    """Convolutional stand-ins G and F (3 -> 3 channels, seeded): batch one against batch three with lambda_cyc = 4, lambda_idt = 0.75, and the defaults; values, gradients with respect to x and y, one call each; lambda_idt = 0 and lambda_cyc = 0 give a zero tensor without calls; a negative lambda_cyc raises ValueError."""
    for seed, bx, by, lambdas in ((14, 1, 3, (4.0, 0.75)), (15, 2, 2, ())):
        g_ref = sub.trusted("ganlab.grading.standins_lab5.step_generator", 3, 3, seed)
        f_ref = sub.trusted("ganlab.grading.standins_lab5.step_generator", 3, 3, seed + 1)
        x, y = uniform(700 + seed, bx, 3, 4, 4), uniform(750 + seed, by, 3, 4, 4)
        what = f"identity_loss(G, F, x ({bx}, 3, 4, 4), y ({by}, 3, 4, 4){''.join(f', {v:g}' for v in lambdas)})"
        value, grads = loss_and_grads(sub, "identity_loss", [g_ref, f_ref, x, y, *lambdas], [2, 3], what)
        check(len(sub.getattr(g_ref, "calls")) == 1 and len(sub.getattr(f_ref, "calls")) == 1,
              f"{what} did not call G and F once each.", HINT_IDT_CALLS)
        g_loc, f_loc = standins_lab5.step_generator(3, 3, seed), standins_lab5.step_generator(3, 3, seed + 1)
        xt, yt = x.clone().requires_grad_(True), y.clone().requires_grad_(True)
        lam, lam_i = (lambdas + (10.0, 0.5)[len(lambdas):]) if lambdas else (10.0, 0.5)
        loss = _identity(g_loc, f_loc, xt, yt, lam, lam_i)
        with torch.no_grad():
            wrong = lam * lam_i * ((g_loc(x) - x).abs().mean() + (f_loc(y) - y).abs().mean()) if bx == by else None
            plain = (g_loc(y) - y).abs().mean() + (f_loc(x) - x).abs().mean()
        wrongs = [(float(lam_i * plain), HINT_IDT_NOT_SCALED), (float(lam * plain), HINT_IDT_NOT_SCALED)]
        if wrong is not None:
            wrongs.append((float(wrong), HINT_IDT_DOMAIN))
        judge_value(value, float(loss.detach()), what, HINT_IDT_GENERIC, wrongs, 1e-4)
        judge_grads(grads, torch.autograd.grad(loss, [xt, yt]), ["x_real", "y_real"], what, 1e-4)
    g_ref, f_ref = mapping_pair(sub, 3)
    x, y = uniform(760, 1, 3, 2, 2), uniform(761, 2, 3, 2, 2)
    what = "identity_loss(G, F, x, y, 10, 0)"
    out = as_float_tensor(tensor_or_fail(sub.call("identity_loss", g_ref, f_ref, x, y, 10.0, 0.0), what,
                                         HINT_IDT_CALLS), what)
    check(out.numel() == 1 and float(out) == 0.0, f"{what} returned {out}.", HINT_IDT_CALLS)
    check(calls_of(sub, g_ref) == 0 and calls_of(sub, f_ref) == 0, f"{what} called the networks.", HINT_IDT_CALLS)
    what = "identity_loss(G, F, x, y, 0, 0.5)"
    out = as_float_tensor(tensor_or_fail(sub.call("identity_loss", g_ref, f_ref, x, y, 0.0, 0.5), what,
                                         HINT_IDT_CALLS), what)
    check(out.numel() == 1 and float(out) == 0.0, f"{what} returned {out} (lambda_cyc = 0 is allowed).",
          HINT_IDT_ERRORS)
    check(calls_of(sub, g_ref) == 0 and calls_of(sub, f_ref) == 0, f"{what} called the networks.", HINT_IDT_CALLS)
    expect_raises(sub, "ValueError", HINT_IDT_ERRORS, "identity_loss(G, F, x, y, -1, 0.5)", "identity_loss", g_ref,
                  f_ref, x, y, -1.0, 0.5)


# -- 6. the image pool -------------------------------------------------------------------------------------------------

@register(POOL, points=1, hidden=True)
def pool_semantics_and_rate(sub):
    """ImagePool(1) fed batches of 4 (it fills in the middle of a batch) and ImagePool(50) fed 50 images then 400 more in batches of 8 (seeded): every output the current image or a stored one that leaves for it; the share of swaps after the pool is full between 42% and 58%; a batch of one keeps its shape."""
    sub.trusted("ganlab.grading.standins.lab6_seed_all", 16, keep=False)
    pool = new_pool(sub, 1)
    model = PoolModel(1)
    pool_run(sub, pool, model, [4] * 25, 1, "ImagePool(1).query")
    rate = model.swaps / model.after_full
    check(rate < 0.9, f"ImagePool(1): {model.swaps} of {model.after_full} were swaps.", HINT_POOL_NEVER_CURRENT)
    check(0.35 <= rate <= 0.65, f"ImagePool(1): {model.swaps} of {model.after_full} were swaps.", HINT_POOL_SWAP_RATE)
    sub.trusted("ganlab.grading.standins.lab6_seed_all", 17, keep=False)
    pool = new_pool(sub)
    model = PoolModel(50)
    next_id = pool_run(sub, pool, model, [7] * 7 + [1], 1, "ImagePool().query")
    model.swaps, model.after_full = 0, 0
    pool_run(sub, pool, model, [8] * 50, next_id, "ImagePool().query")
    rate = model.swaps / model.after_full
    check(rate < 0.9, f"ImagePool(): {model.swaps} of {model.after_full} were swaps.", HINT_POOL_NEVER_CURRENT)
    check(0.42 <= rate <= 0.58, f"ImagePool(): {model.swaps} of {model.after_full} were swaps.", HINT_POOL_SWAP_RATE)


@register(POOL, points=1, hidden=True)
def pool_copies_detach_and_errors(sub):
    """ImagePool(2) filled from one batch that the caller then changes in place, and later given a batch while full that the caller changes too: the images it returns later are the originals; ImagePool(1) given a second image returns the first in some of 24 fresh pools; outputs detached before and after the pool is full; ImagePool(0) returns a batch of one unchanged and detached, and a batch of eight unchanged; pool_size -1 and -7 raise ValueError."""
    sub.trusted("ganlab.grading.standins.lab6_seed_all", 18, keep=False)
    pool = new_pool(sub, 2)
    batch = sub.trusted("torch.clone", pool_images([1, 2]))
    out = sub.method(pool, "query", batch)
    check(read_ids(out, 2, "ImagePool(2).query") == [1, 2], "ImagePool(2) did not return its first two images.",
          HINT_POOL_SHAPE)
    sub.method(batch, "add_", 500.0, keep=False)  # the caller reuses its buffer
    model = PoolModel(2)
    model.stored = {1, 2}
    for k in range(3, 60):
        got = read_ids(sub.method(pool, "query", pool_images([k])), 1, "ImagePool(2).query")
        check(got[0] < 500, f"ImagePool(2) returned image {got[0] - 500} changed by the caller after it was stored.",
              HINT_POOL_COPIES)
        model.observe([k], got, "ImagePool(2).query")
        if not model.stored & {1, 2}:
            break
    # the same after the pool is full: an image that goes in by a swap is a copy too
    batch = sub.trusted("torch.clone", pool_images([200, 201, 202, 203]))
    model.observe([200, 201, 202, 203], read_ids(sub.method(pool, "query", batch), 4, "ImagePool(2).query"),
                  "ImagePool(2).query")
    sub.method(batch, "add_", 500.0, keep=False)
    for k in range(300, 400):
        got = read_ids(sub.method(pool, "query", pool_images([k])), 1, "ImagePool(2).query")
        check(got[0] < 500, f"ImagePool(2) returned image {got[0] - 500}, swapped in when the pool was full, changed "
              "by the caller after it was stored.", HINT_POOL_COPIES)
        model.observe([k], got, "ImagePool(2).query")
        if not model.stored & {200, 201, 202, 203}:
            break
    # a full pool swaps from the next image on: ImagePool(1) given image a then image b returns a half the time
    swapped = 0
    for trial in range(24):
        one = new_pool(sub, 1)
        sub.method(one, "query", pool_images([1]), keep=False)
        swapped += read_ids(sub.method(one, "query", pool_images([2])), 1, "ImagePool(1).query") == [1]
    check(swapped > 0, "ImagePool(1) given a second image never returned the first in 24 fresh pools: it seems to "
          "store one image more than pool_size before it starts swapping.", HINT_POOL_LATE)
    for images in (pool_images([100, 101, 102]).requires_grad_(True), pool_images([103]).requires_grad_(True)):
        _, graph = sub.trusted("ganlab.grading.standins.lab6_query_probe", pool, images, keep=False)
        check(not graph, "ImagePool(2).query returned a tensor with a graph.", HINT_POOL_DETACH)
    fresh = new_pool(sub, 5)
    _, graph = sub.trusted("ganlab.grading.standins.lab6_query_probe", fresh, pool_images([1, 2]).requires_grad_(True),
                           keep=False)
    check(not graph, "ImagePool(5).query (not yet full) returned a tensor with a graph.", HINT_POOL_DETACH)
    zero = new_pool(sub, 0)
    one = pool_images([7]).requires_grad_(True)
    out, graph = sub.trusted("ganlab.grading.standins.lab6_query_probe", zero, one, keep=False)
    check(tuple(out.shape) == (1, 2, 2, 3) and torch.equal(out, one.detach()) and not graph,
          "ImagePool(0).query changed a batch of one or kept its graph.", HINT_POOL_ZERO)
    eight = pool_images(list(range(40, 48)))  # a pool of size 0 never swaps: not even one of eight images
    try:
        out = sub.method(zero, "query", eight)
    except SubmissionError as exc:
        fail(f"ImagePool(0).query raised {exc.kind} on a batch of eight.", HINT_POOL_ZERO)
    check(read_ids(out, 8, "ImagePool(0).query") == list(range(40, 48)), "ImagePool(0).query changed a batch of eight.",
          HINT_POOL_ZERO)
    for size in (-1, -7):
        expect_new_raises(sub, "ValueError", HINT_POOL_ERRORS, f"ImagePool({size})", "ImagePool", size)


# -- 7-8. the networks -------------------------------------------------------------------------------------------------

@register(BLOCK, points=1, hidden=True)
def block_computes_the_text(sub):
    """The text's block with the submission's parameters, train and eval: ResidualBlock(4) on (2, 4, 6, 5); ResidualBlock(1) on the smallest (1, 1, 2, 2) with batch one; the input unchanged."""
    for c, shape, seed in ((4, (2, 4, 6, 5), 1), (1, (1, 1, 2, 2), 2)):
        what = f"ResidualBlock({c})"
        net = build(sub, "ResidualBlock", HINT_BLOCK_LAYERS, c)
        x = uniform(800 + seed, *shape)
        judge_block_layers(sub, net, x, c, what)
        sub.trusted("ganlab.grading.standins_lab5.fill_by_order", net, seed, x, keep=False)
        mistakes = [(lambda: _Block(c, zero_pad=True), HINT_BLOCK_PADDING),
                    (lambda: _Block(c, relu_after=True), HINT_BLOCK_RELU_AFTER),
                    (lambda: _Block(c, no_skip=True), HINT_BLOCK_NO_SKIP)]
        on_one_thread(lambda: functional_compare(sub, net, _Block(c), [x], what, diagnoses=mistakes))
        x_ref = sub.trusted("torch.clone", x)
        out = sub.method(net, "__call__", x_ref)
        expect_shape(out, shape, what, HINT_BLOCK_SHAPE)
        check(torch.equal(sub.state(x_ref)["value"], x), f"{what} changed its input.", HINT_MUTATES)


def _resnet_case(sub, args, shape, seed, blocks_ok):
    cin, cout, ngf, n_blocks, n_down = args
    what = f"ResnetGenerator({cin}, {cout}, ngf={ngf}, n_blocks={n_blocks}, n_downsampling={n_down})"
    net = build(sub, "ResnetGenerator", HINT_RESNET_LAYERS, cin, cout, ngf=ngf, n_blocks=n_blocks,
                n_downsampling=n_down)
    x = uniform(850 + seed, *shape)
    judge_resnet_layers(sub, net, x, args, what, blocks_ok)
    if n_blocks and not blocks_ok:  # your ResidualBlock is judged in its own exercise; the layers above in this one
        forward(sub, net, [x], what, HINT_RESNET_GENERIC)
        return
    sub.trusted("ganlab.grading.standins_lab5.fill_by_order", net, seed, x, keep=False)
    mistakes = [(lambda: _Resnet(cin, cout, ngf, n_blocks, n_down, zero_pad=True), HINT_RESNET_PADDING),
                (lambda: _Resnet(cin, cout, ngf, n_blocks, n_down, no_tanh=True), HINT_RESNET_TANH)]
    on_one_thread(lambda: functional_compare(sub, net, _Resnet(cin, cout, ngf, n_blocks, n_down), [x], what,
                                             diagnoses=mistakes))


@register(RESNET, points=1, hidden=True)
def resnet_computes_the_text(sub):
    """The text's generator with the submission's parameters, train and eval: (1 -> 2 channels, ngf 2, no blocks, two downsamplings) on a non-square (1, 1, 8, 12) batch of one; no downsampling on an odd 5 x 7 image; with your ResidualBlock right, ngf 2 with 2 blocks and one downsampling on (2, 3, 6, 6)."""
    blocks_ok = own_block_right(sub)
    _resnet_case(sub, (1, 2, 2, 0, 2), (1, 1, 8, 12), 1, blocks_ok)
    _resnet_case(sub, (3, 3, 3, 0, 0), (2, 3, 5, 7), 2, blocks_ok)
    _resnet_case(sub, (3, 3, 2, 2, 1), (2, 3, 6, 6), 3, blocks_ok)


@register(RESNET, points=1, hidden=True)
def resnet_errors_and_counts(sub):
    """ngf = 0, n_blocks = -1 and n_downsampling = -1 raise ValueError; so do 12 x 10, 8 x 12 and 12 x 8 inputs with three downsamplings and a 1-channel input to a 3-channel generator; parameter counts of the 256 reference (11,378,179), of the 6-block one (7,837,699) of ResnetGenerator(1, 2, ngf=8, n_blocks=1, n_downsampling=3) and of the thinnest ngf = 1 equal the text's (your own ResidualBlock counted as it is)."""
    for kwargs in ({"ngf": 0}, {"n_blocks": -1}, {"n_downsampling": -1}):
        expect_new_raises(sub, "ValueError", HINT_RESNET_ERRORS, f"ResnetGenerator(**{kwargs})",
                          "ResnetGenerator", 3, 3, **kwargs)
    net = build(sub, "ResnetGenerator", HINT_RESNET_LAYERS, 3, 3, ngf=2, n_blocks=0, n_downsampling=3)
    sub.method(net, "eval", keep=False)
    for shape in ((1, 3, 12, 10), (1, 3, 8, 12), (1, 3, 12, 8), (1, 1, 16, 16)):  # one axis off is enough
        try:
            sub.method(net, "__call__", uniform(870, *shape))
        except SubmissionError as exc:
            check(exc.kind == "ValueError", f"an input of shape {shape} raised {exc.kind}.", HINT_RESNET_ERRORS)
        else:
            fail(f"ResnetGenerator(3, 3, n_downsampling=3) accepted an input of shape {shape}.", HINT_RESNET_ERRORS)
    blocks_ok = own_block_right(sub)
    with torch.device("meta"):
        small = sum(p.numel() for p in _Resnet(1, 2, 8, 1, 3).parameters())
    with torch.device("meta"):
        thinnest = sum(p.numel() for p in _Resnet(3, 3, 1, 2, 2).parameters())
    for kwargs, want, blocks, channels in (({}, RESNET_9_PARAMS, 9, 256), ({"n_blocks": 6}, RESNET_6_PARAMS, 6, 256),
                                           (dict(in_channels=1, out_channels=2, ngf=8, n_blocks=1, n_downsampling=3),
                                            small, 1, 64), ({"ngf": 1, "n_blocks": 2}, thinnest, 2, 4)):
        count = resnet_count(sub, kwargs)
        if not blocks_ok:
            want += blocks * (block_count(sub, channels) - 2 * (channels * channels * 9 + channels))
        check(count == want, f"ResnetGenerator(**{kwargs}) has {count:,} parameters, expected {want:,}.",
              HINT_RESNET_COUNT)


# -- 9-11. the objective and the steps ---------------------------------------------------------------------------------

def _local_nets(seed):
    g = standins.lab6_affine_net(0.8 + 0.05 * seed, 0.15)
    f = standins.lab6_affine_net(1.2, -0.05 - 0.01 * seed)
    d_x = standins_lab5.step_discriminator(3, 20 + seed)
    d_y = standins_lab5.step_discriminator(3, 40 + seed)
    return g, f, d_x, d_y


def _right_helpers(sub):
    """Which of the submission's helpers give the reference values on a probe: the loss helpers 2-5 ("losses"), the
    objective ("objective": its loss and the gradients reaching G and F) and the D step ("d_step"). A replay against the reference step needs the helpers the
    step uses; otherwise the step is judged by its consistency with them only (as in the public checks)."""
    right = set()
    g = torch.Generator().manual_seed(77)
    r, f = torch.randn(2, 1, 3, 3, generator=g), torch.randn(3, 1, 3, 3, generator=g)
    a, b, c, d = (torch.rand(2, 3, 4, 4, generator=g) * 2 - 1 for _ in range(4))
    gl, fl, dxl, dyl = _local_nets(5)
    with torch.no_grad():
        want = [float(_d_loss(r, f)), float(_g_loss(f)), float(_cycle(a, b, c[:1], d[:1], 3.0)),
                float(_identity(gl, fl, a, c[:1], 3.0, 0.7))]
    try:
        got = [float(as_float_tensor(sub.call("lsgan_discriminator_loss", r, f), "d")),
               float(as_float_tensor(sub.call("lsgan_generator_loss", f), "g")),
               float(as_float_tensor(sub.call("cycle_loss", a, b, c[:1], d[:1], 3.0), "c"))]
        gm, fm = mapping_pair(sub, 5)
        got.append(float(as_float_tensor(sub.call("identity_loss", gm, fm, a, c[:1], 3.0, 0.7), "i")))
        if all(abs(u - v) <= 1e-4 * max(1.0, abs(v)) for u, v in zip(got, want)):
            right.add("losses")
        if abs(got[0] - want[0]) <= 1e-4 * max(1.0, abs(want[0])):
            right.add("d_loss")
        nets = mapping_pair(sub, 5) + critic_pair(sub, 5)
        loss, _, grads = sub.trusted("ganlab.grading.standins.lab6_backward_grads", sub_global("generator_objective"),
                                     [*nets, a, c, 3.0, 0.7], list(nets[:2]), keep=False)
        want_loss = _objective(gl, fl, dxl, dyl, a, c, 3.0, 0.7)[0]
        want = torch.autograd.grad(want_loss, list(gl.parameters()) + list(fl.parameters()))
        got = [g for net in grads for g in net]
        if abs(loss - want_loss.item()) <= 1e-4 * max(1.0, abs(loss)) and all(
                g is not None and torch.allclose(g.double(), w.double(), rtol=1e-4, atol=1e-6)
                for g, w in zip(got, want)):
            right.add("objective")
        d_x, d_y = critic_pair(sub, 6)
        opt = sub.trusted("ganlab.grading.standins.lab6_joint_optimizer", [d_x, d_y], "sgd", 0.1)
        pools = [sub.trusted("ganlab.grading.standins.lab6_recording_pool", *k) for k in ((0.75, 0.1), (0.6, -0.05))]
        sub.call("discriminator_step", d_x, d_y, opt, a, c, b, d, *pools)
        _, _, dxl, dyl = _local_nets(6)
        _d_step(dxl, dyl, _SGD(list(dxl.parameters()) + list(dyl.parameters()), 0.1), a, c, b, d,
                standins.lab6_recording_pool(0.75, 0.1), standins.lab6_recording_pool(0.6, -0.05))
        if all(torch.allclose(params_of(sub, ref)[n].double(), p.detach().double(), rtol=1e-4, atol=1e-6)
               for ref, local in ((d_x, dxl), (d_y, dyl)) for n, p in local.named_parameters()):
            right.add("d_step")
    except Exception:  # noqa: BLE001 - any failure means "not the reference helpers"
        return right
    return right


def _losses_right(sub):
    return "losses" in _right_helpers(sub)


@register(OBJ, points=1, hidden=True)
@_one_thread
def objective_edges_and_gradients(sub):
    """Stand-ins with equal batches (crossed cycles recognised) and the default lambdas; batch one with lambda_idt = 0 (identity 0); with your loss helpers right, the gradients of loss with respect to G's and F's parameters equal the reference objective's."""
    judge_objective(sub, 1, (), bx=2, by=2)
    judge_objective(sub, 2, (3.0, 0.0), bx=1, by=1)
    if not _losses_right(sub):
        return
    for seed, lambdas in ((3, (7.0, 0.3)), (4, ())):
        g_ref, f_ref = mapping_pair(sub, seed)
        d_x, d_y = critic_pair(sub, seed)
        x, y = domain_inputs(seed, 3, 2)
        value, _, grads = sub.trusted("ganlab.grading.standins.lab6_backward_grads",
                                      sub_global("generator_objective"), [g_ref, f_ref, d_x, d_y, x, y, *lambdas],
                                      [g_ref, f_ref], keep=False)
        gl, fl, dxl, dyl = _local_nets(seed)
        loss = _objective(gl, fl, dxl, dyl, x, y, *lambdas)[0]
        want = torch.autograd.grad(loss, list(gl.parameters()) + list(fl.parameters()))
        close(value, loss.item(), "generator_objective's loss", HINT_OBJ_GRAPH, rtol=1e-4, atol=1e-6)
        got = [g for net in grads for g in net]
        check(all(g is not None for g in got), "generator_objective: no gradient reached a parameter of G or F.",
              HINT_OBJ_GRAPH)
        close(torch.stack([g.double() for g in got]), torch.stack([w.double() for w in want]),
              "the gradients of generator_objective's loss with respect to G's and F's parameters", HINT_OBJ_GRAPH,
              rtol=1e-4, atol=1e-6)


def _same_parameters(sub, triples, when, hint):
    """Every parameter of each submission-side network equals that of its local replay (``(name, ref, local)``)."""
    for name, ref, local in triples:
        after = params_of(sub, ref)
        for n, p in local.named_parameters():
            close(after[n], p.detach(), f"{name}'s `{n}` {when}", hint, rtol=1e-4, atol=1e-6)


def _replay_d(sub, seed, kind, lr, bx, by, stale, right):
    out, (d_x, d_y), (x, y, x_fake, y_fake) = d_step_case(sub, seed, kind, lr, bx, by, stale)
    if "d_loss" not in right:
        return
    _, _, dxl, dyl = _local_nets(seed)
    opt = _local_opt(list(dxl.parameters()) + list(dyl.parameters()), kind, lr)
    if stale:
        standins.fill_grads(dxl, 0.4)
        standins.fill_grads(dyl, -0.2)
    pool_x, pool_y = standins.lab6_recording_pool(0.75, 0.1), standins.lab6_recording_pool(0.6, -0.05)
    want = _d_step(dxl, dyl, opt, x, y, x_fake, y_fake, pool_x, pool_y)
    close([out["loss_d_x"], out["loss_d_y"]], want, f"discriminator_step's losses ({kind})", HINT_DSTEP_REPLAY,
          rtol=1e-4, atol=1e-6)
    _same_parameters(sub, (("D_X", d_x, dxl), ("D_Y", d_y, dyl)), f"after one step ({kind})", HINT_DSTEP_REPLAY)


@register(D_STEP, points=1, hidden=True)
@_one_thread
def d_step_replay(sub):
    """Momentum SGD with equal batches of 2; Adam (betas 0.5, 0.999) with stale gradients, x batch 1 and y batch 2: the pools, detach and losses as in the public check, and with your lsgan_discriminator_loss right both discriminators' parameters after the step equal the reference step's."""
    right = _right_helpers(sub)
    _replay_d(sub, 2, "momentum", 0.05, 2, 2, True, right)
    _replay_d(sub, 1, "adam", 0.02, 1, 2, True, right)


def _replay_step(sub, seed, kind, lr, bx, by, lambdas, right):
    out, nets, (x, y), _ = step_case(sub, seed, kind, lr, bx, by, lambdas, stale=True)
    if not {"losses", "objective", "d_step"} <= right:
        return
    local = _local_nets(seed)
    g, f, d_x, d_y = local
    opt_g = _local_opt(list(g.parameters()) + list(f.parameters()), kind, lr)
    opt_d = _local_opt(list(d_x.parameters()) + list(d_y.parameters()), kind, lr)
    for net, v in zip(local, (0.3, -0.4, 0.5, -0.25)):
        standins.fill_grads(net, v)
    pool_x, pool_y = standins.lab6_recording_pool(0.75, 0.1), standins.lab6_recording_pool(0.6, -0.05)
    want = _full_step(local, opt_g, opt_d, x, y, pool_x, pool_y, *lambdas)
    got = [out[k] for k in ("loss_g", "gan_g", "gan_f", "cycle", "identity", "loss_d_x", "loss_d_y")]
    close(got, want, f"cyclegan_step's values ({kind})", HINT_STEP_REPLAY, rtol=1e-4, atol=1e-6)
    _same_parameters(sub, zip(("G", "F", "D_X", "D_Y"), nets, local), f"after one step ({kind}, stale gradients)",
                     HINT_STEP_REPLAY)


@register(STEP, points=1, hidden=True)
@_one_thread
def step_replay(sub):
    """Adam (betas 0.5, 0.999) with stale gradients in all four networks, batches of one, the default lambdas; momentum SGD with lambda_idt = 0: the calls as in the public check, and with your helpers right all four networks after the step equal the reference step's (G and F by opt_g, no gradient of G's loss in D's update)."""
    right = _right_helpers(sub)
    _replay_step(sub, 1, "adam", 0.02, 1, 1, (), right)
    _replay_step(sub, 2, "momentum", 0.05, 2, 2, (10.0, 0.0), right)


# -- 12. the linear decay ----------------------------------------------------------------------------------------------

def _decay(e, n_c, n_d):
    return max(0.0, 1.0 - max(0, e - n_c + 1) / (n_d + 1))


@register(DECAY, points=1, hidden=True)
def decay_edges(sub):
    """n_constant = 0 with n_decay = 1 (epochs 0 .. 3), the paper's 100 + 100 at epochs 0, 99, 100, 150, 199, 200, 1000, and 5 + 10 over epochs 0 .. 20: Python floats equal to the reference rule; epoch -1, n_constant -1 and n_decay 0 or -2 raise ValueError."""
    cases = [(0, 1, range(4)), (100, 100, (0, 99, 100, 150, 199, 200, 1000)), (5, 10, range(21))]
    for n_c, n_d, epochs in cases:
        got = []
        for e in epochs:
            v = sub.call("linear_decay", e, n_c, n_d)
            check(isinstance(v, float) and not isinstance(v, bool), f"linear_decay({e}, {n_c}, {n_d}) returned "
                  f"{type(v).__name__}.", HINT_DECAY_TYPE)
            got.append(v)
        want = [_decay(e, n_c, n_d) for e in epochs]
        wrongs = [([max(0.0, 1 - max(0, e - n_c + 1) / n_d) for e in epochs], HINT_DECAY_N_DECAY),
                  ([_decay(e - 1, n_c, n_d) if e > 0 else 1.0 for e in epochs], HINT_DECAY_LATE),
                  ([max(0.0, 1 - max(0, e - n_c) / n_d) for e in epochs], HINT_DECAY_LATE),
                  ([_decay(e, 0, n_d) for e in epochs], HINT_DECAY_FROM_ZERO)]
        close(got, want, f"linear_decay(epoch, {n_c}, {n_d}) for epochs {list(epochs)}", HINT_DECAY_GENERIC,
              rtol=1e-9, atol=1e-9, diagnoses=[(w, h) for w, h in wrongs if w != want])
    for args in ((-1, 3, 4), (2, -1, 4), (2, 3, 0), (2, 3, -2)):
        expect_raises(sub, "ValueError", HINT_DECAY_ERRORS, f"linear_decay{args}", "linear_decay", *args)
