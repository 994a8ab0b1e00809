"""Hidden tests for Lab 3: random configurations, PyTorch as the reference, networks compared layer by layer with
the text's architecture (trusted copies below), and training steps on stand-ins with SGD, momentum and Adam."""

from __future__ import annotations

import copy

import torch
import torch.nn.functional as F
from torch import nn

from ganlab.checks.lab3 import (
    ABOUT_Q_COVER, Q_COVER,
    ARITH, DISC, GEN, HINT_ARITH_GENERIC, HINT_ARITH_SIGNS, HINT_ARITH_SUM, HINT_DETACH, HINT_D_RELU, HINT_D_SIGMOID,
    HINT_D_SIZE, HINT_D_SLOPE, HINT_D_SQUASHED, HINT_D_STEP_MOVES_G, HINT_G_LEAKY, HINT_G_SATURATING, HINT_G_SIZE,
    HINT_INIT_CONV_BIAS, HINT_INIT_OTHERS, HINT_INIT_RETURNS, HINT_LABELS_SWAPPED, HINT_LERP, HINT_MISSING_TANH,
    HINT_MUTATES, HINT_OLD_D, HINT_SIGMOID_OUT, HINT_SIZE_GENERIC, HINT_SIZE_INT, HINT_SLERP_DTYPE,
    HINT_SLERP_GENERIC, HINT_SLERP_PARALLEL, HINT_SLERP_SHAPE, HINT_SLERP_T_SWAPPED,
    HINT_ZERO_GRAD, INIT, NAIVE, SAMPLE, SIZE, SLERP, STEP, STEP_DATA, STEP_LATENT, build, call_step, check,
    check_batchnorm, check_conv_weights, check_sample, close, compare_with_torch, count_params, expect_image_shape,
    expect_value_error, fail, images_from, init_statistics, logits_from, params_of, size_call,
    slerp_call, step_inputs,
)
from ganlab.grading.netcheck import functional_compare, one_thread
from ganlab.grading.testing import SubmissionError, register


# -- convolution arithmetic ----------------------------------------------------------------------------------

def _size_expected(size, kernel, stride, padding, dilation, transposed, output_padding):
    """What nn.Conv2d / nn.ConvTranspose2d produce (None when the input is too small)."""
    if transposed:
        layer = nn.ConvTranspose2d(1, 1, kernel, stride, padding, output_padding, dilation=dilation)
    else:
        layer = nn.Conv2d(1, 1, kernel, stride, padding, dilation=dilation)
    try:
        out = layer(torch.zeros(1, 1, size, size)).shape[-1]
    except RuntimeError:
        return None
    return out if out >= 1 else None


@register(SIZE, points=1, hidden=True)
def size_matches_pytorch_layers(sub):
    """40 random settings (dilation and output_padding included) and the smallest ones (size 1, kernel 1, defaults) against nn.Conv2d / nn.ConvTranspose2d; every result an int."""
    g = torch.Generator().manual_seed(3)
    cases = [((1, 1), {}), ((1, 1, 1, 0), {"transposed": True}), ((3, 1, 2), {}), ((2, 2), {"transposed": True}),
             ((7, 3, 1, 1), {"dilation": 2})]
    for _ in range(40):
        size, kernel = int(torch.randint(1, 40, (1,), generator=g)), int(torch.randint(1, 6, (1,), generator=g))
        stride, padding = int(torch.randint(1, 4, (1,), generator=g)), int(torch.randint(0, 3, (1,), generator=g))
        dilation = int(torch.randint(1, 3, (1,), generator=g))
        transposed = bool(torch.randint(0, 2, (1,), generator=g))
        output_padding = int(torch.randint(0, stride, (1,), generator=g)) if transposed else 0
        if transposed and output_padding >= dilation:  # PyTorch requires output_padding < max(stride, dilation)
            output_padding = 0
        kwargs = {"dilation": dilation, "transposed": transposed}
        if transposed:
            kwargs["output_padding"] = output_padding
        cases.append(((size, kernel, stride, padding), kwargs))
    for args, kwargs in cases:
        size, kernel, stride, padding = (*args, *(1, 0)[len(args) - 2:])  # the defaults stride=1, padding=0
        expected = _size_expected(size, kernel, stride, padding, kwargs.get("dilation", 1),
                                  kwargs.get("transposed", False), kwargs.get("output_padding", 0))
        if expected is None:
            continue
        what, got = size_call(sub, args, kwargs)
        if isinstance(got, float) and got.is_integer() and int(got) == expected:
            fail(f"{what} is {got!r}, a float.", HINT_SIZE_INT)
        close(got, expected, what, HINT_SIZE_GENERIC, atol=0, rtol=0)


# -- the transposed convolution by hand ----------------------------------------------------------------------

@register(NAIVE, points=1, hidden=True)
def naive_random_configurations(sub):
    """12 configurations (stride 1-3, padding 0-2, output_padding, non-square inputs and kernels, batch of 1, with and without bias, float64) within 1e-5; inputs unchanged."""
    g = torch.Generator().manual_seed(11)
    configs = [(2, 2, (4, 4), 3, 1, 0, 0, 2), (1, 3, (2, 5), (4, 2), 2, 1, 1, 1), (3, 3, (3, 3), 5, 3, 2, 2, 2),
               (4, 1, (1, 1), (1, 3), 1, 0, 0, 1)]
    while len(configs) < 12:
        stride = int(torch.randint(1, 4, (1,), generator=g))
        k_h, k_w = (int(v) for v in torch.randint(1, 6, (2,), generator=g))
        padding = int(torch.randint(0, min(3, k_h, k_w), (1,), generator=g))
        output_padding = int(torch.randint(0, stride, (1,), generator=g))
        c_in, c_out = int(torch.randint(1, 5, (1,), generator=g)), int(torch.randint(1, 5, (1,), generator=g))
        h, w = int(torch.randint(1, 6, (1,), generator=g)), int(torch.randint(1, 6, (1,), generator=g))
        batch = int(torch.randint(1, 4, (1,), generator=g))
        if min((h - 1) * stride + k_h, (w - 1) * stride + k_w) - 2 * padding + output_padding < 1:
            continue
        configs.append((c_in, c_out, (h, w), (k_h, k_w), stride, padding, output_padding, batch))
    for i, (c_in, c_out, size, kernel, stride, padding, output_padding, batch) in enumerate(configs):
        compare_with_torch(sub, 100 + i, c_in, c_out, size, kernel, stride, padding, output_padding, bias=i % 2 == 0,
                           batch=batch, dtype="float64" if i % 3 == 1 else "float32", keep_inputs=i < 2)


# -- networks: trusted copies of the text's architecture -------------------------------------------------------

class _Generator(nn.Module):
    """The text's generator; ``act``/``out``/``norm`` vary it into the mistakes the diagnoses name."""

    def __init__(self, latent_dim, base, size, channels, act=lambda: nn.ReLU(), out=nn.Tanh, momentum=0.1):
        super().__init__()
        width = base * size // 8
        layers = [nn.ConvTranspose2d(latent_dim, width, 4, 1, 0, bias=False), nn.BatchNorm2d(width, momentum=momentum),
                  act()]
        while width > base:
            layers += [nn.ConvTranspose2d(width, width // 2, 4, 2, 1, bias=False),
                       nn.BatchNorm2d(width // 2, momentum=momentum), act()]
            width //= 2
        layers += [nn.ConvTranspose2d(base, channels, 4, 2, 1, bias=False), out()]
        self.net = nn.Sequential(*layers)

    def forward(self, z):
        return self.net(z.view(z.shape[0], -1, 1, 1))


class _Discriminator(nn.Module):
    """The text's discriminator (logits of shape (B,)); ``act``/``out`` vary it into the mistakes."""

    def __init__(self, base, size, channels, act=lambda: nn.LeakyReLU(0.2), out=nn.Identity, momentum=0.1):
        super().__init__()
        layers = [nn.Conv2d(channels, base, 4, 2, 1, bias=False), act()]
        width, size = base, size // 2
        while size > 4:
            layers += [nn.Conv2d(width, width * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(width * 2, momentum=momentum),
                       act()]
            width, size = width * 2, size // 2
        layers += [nn.Conv2d(width, 1, 4, 1, 0, bias=False), out()]
        self.net = nn.Sequential(*layers)

    def forward(self, x):
        return self.net(x).view(-1)


G_CASES = [  # (latent_dim, base_channels, image_size, channels, batch, modes)
    (12, 4, 64, 3, 3, ("eval", "train")),
    (7, 3, 16, 1, 2, ("eval", "train")),  # the smallest size: one 4/2/1 block less than 32
    (9, 5, 32, 2, 1, ("eval",)),          # a single latent (batch norm in eval mode)
]
D_CASES = [  # (base_channels, image_size, channels, batch, modes)
    (4, 64, 3, 3, ("eval", "train")),
    (3, 16, 1, 2, ("eval", "train")),
    (5, 32, 2, 1, ("eval",)),
]


def _g_mistakes(latent_dim, base, size, channels):
    return [
        (lambda: _Generator(latent_dim, base, size, channels, out=nn.Sigmoid), HINT_SIGMOID_OUT),
        (lambda: _Generator(latent_dim, base, size, channels, out=nn.Identity), HINT_MISSING_TANH),
        (lambda: _Generator(latent_dim, base, size, channels, act=lambda: nn.LeakyReLU(0.2)), HINT_G_LEAKY),
        (lambda: _Generator(latent_dim, base, size, channels, act=nn.Identity), "a ReLU is missing after a batch norm"),
    ]


def _d_mistakes(base, size, channels):
    return [
        (lambda: _Discriminator(base, size, channels, out=nn.Sigmoid), HINT_D_SIGMOID),
        (lambda: _Discriminator(base, size, channels, out=nn.Tanh), HINT_D_SQUASHED),
        (lambda: _Discriminator(base, size, channels, act=nn.ReLU), HINT_D_RELU),
        (lambda: _Discriminator(base, size, channels, act=nn.LeakyReLU), HINT_D_SLOPE),
    ]


@register(GEN, points=1.5, hidden=True)
def generator_computes_dcgan(sub):
    """Three settings (64 x 64 base 4; 16 x 16 with 1 channel; 32 x 32 with 2 channels and one latent in eval mode): the submission's parameters copied into the text's architecture give the same images, in train and eval mode, with the same batch-norm statistics."""
    for latent_dim, base, size, channels, batch, modes in G_CASES:
        what = f"Generator(latent_dim={latent_dim}, base_channels={base}, image_size={size}, channels={channels})"
        gen = build(sub, "Generator", HINT_G_SIZE, latent_dim=latent_dim, base_channels=base, image_size=size,
                    channels=channels)
        z = torch.randn(batch, latent_dim, generator=torch.Generator().manual_seed(size + batch))
        if batch == 1:
            sub.method(gen, "eval", keep=False)
        expect_image_shape(images_from(sub, gen, z, what), (batch, channels, size, size), f"{what}(z ({batch}, "
                                                                                          f"{latent_dim}))")
        with one_thread():
            functional_compare(sub, gen, _Generator(latent_dim, base, size, channels), [z], what, modes=modes,
                               diagnoses=_g_mistakes(latent_dim, base, size, channels))


@register(GEN, points=0.5, hidden=True)
def generator_sizes_and_errors(sub):
    """Generator(100, 64, 32): 1,067,520 parameters (one block fewer than 64 x 64); image sizes that are no power of two >= 16 raise ValueError."""
    expected = 100 * 256 * 16 + 256 * 128 * 16 + 128 * 64 * 16 + 64 * 3 * 16 + 2 * (256 + 128 + 64)
    gen = build(sub, "Generator", HINT_G_SIZE, latent_dim=100, base_channels=64, image_size=32)
    n = count_params(sub, gen)
    check(n == expected, f"Generator(100, 64, 32) has {n:,} parameters, expected {expected:,}: at 32 x 32 the "
                         "first layer has base_channels * 4 = 256 channels (one doubling block fewer than 64 x 64).",
          HINT_G_SIZE)
    _expect_value_error(sub, "Generator", {"latent_dim": 8, "base_channels": 4})


def _expect_value_error(sub, name, kwargs):
    for size in (8, 24):  # too small, and between two powers of two
        expect_value_error(sub, name, size, **kwargs)


@register(DISC, points=1, hidden=True)
def discriminator_computes_dcgan(sub):
    """Three settings (64 x 64 base 4; 16 x 16 with 1 channel; 32 x 32 with 2 channels and one image in eval mode): the submission's parameters copied into the text's architecture give the same logits, in train and eval mode, with the same batch-norm statistics."""
    for base, size, channels, batch, modes in D_CASES:
        what = f"Discriminator(base_channels={base}, image_size={size}, channels={channels})"
        disc = build(sub, "Discriminator", HINT_D_SIZE, base_channels=base, image_size=size, channels=channels)
        x = torch.rand(batch, channels, size, size, generator=torch.Generator().manual_seed(size + batch)) * 2 - 1
        if batch == 1:
            sub.method(disc, "eval", keep=False)
        logits_from(sub, disc, x, batch, f"{what}(x {tuple(x.shape)})")
        with one_thread():
            functional_compare(sub, disc, _Discriminator(base, size, channels), [x], what, modes=modes,
                               diagnoses=_d_mistakes(base, size, channels), output=lambda v: v.reshape(-1))


@register(DISC, points=0.5, hidden=True)
def discriminator_sizes_and_errors(sub):
    """Discriminator(64, 32): 663,296 parameters (one halving block fewer); image sizes that are no power of two >= 16 raise ValueError."""
    expected = 3 * 64 * 16 + 64 * 128 * 16 + 128 * 256 * 16 + 256 * 16 + 2 * (128 + 256)
    disc = build(sub, "Discriminator", HINT_D_SIZE, base_channels=64, image_size=32)
    n = count_params(sub, disc)
    check(n == expected, f"Discriminator(64, 32) has {n:,} parameters, expected {expected:,}: at 32 x 32 there "
                         "is one halving block fewer (3->64->128->256, then 256->1 at 4 x 4).", HINT_D_SIZE)
    _expect_value_error(sub, "Discriminator", {"base_channels": 4})


# -- initialisation ----------------------------------------------------------------------------------------------

@register(INIT, points=0.5, hidden=True)
def init_other_layers_and_order(sub):
    """Batch norm first, a Linear, convolutions with biases, nested: weights as before, convolution biases 0, the Linear untouched, None returned."""
    params, defaults = init_statistics(sub, 9, probe="init_probe_shuffled")
    check_batchnorm(params, ("0", "3"))
    check_conv_weights(params, defaults, names=("2.0.0.weight", "2.1.weight"))
    for name in ("2.0.0.bias", "2.1.bias"):
        check(bool((params[name] == 0).all()), f"the bias of `{name[:-5]}` is not 0 after init_weights.",
              HINT_INIT_CONV_BIAS)
    for name in ("1.weight", "1.bias"):
        check(torch.equal(params[name], defaults[name]), f"`{name}` (a Linear layer) changed.", HINT_INIT_OTHERS)
    conv = sub.trusted("torch.nn.Conv2d", 2, 3, 3)
    returned = sub.call("init_weights", conv)
    check(returned is None, f"init_weights(nn.Conv2d(2, 3, 3)) returned {type(returned).__name__}.", HINT_INIT_RETURNS)


# -- the training step ---------------------------------------------------------------------------------------

def _step(gen, disc, opt_g, opt_d, x_real, z, d_scale=1.0, swapped=False, saturating=False, old_d=False,
          d_moves_g=False, zero_d=True, zero_g=True, detach=True, zero_g_in_d=False):
    """The reference step, and (by its flags) the mistakes the diagnoses name. Returns (d_loss, g_loss)."""
    real_label, fake_label = (0.0, 1.0) if swapped else (1.0, 0.0)
    disc_before = copy.deepcopy(disc) if old_d else None
    x_fake = gen(z)
    logits_real, logits_fake = disc(x_real), disc(x_fake.detach() if detach else x_fake)
    d_loss = d_scale * (F.binary_cross_entropy_with_logits(logits_real, torch.full_like(logits_real, real_label))
                        + F.binary_cross_entropy_with_logits(logits_fake, torch.full_like(logits_fake, fake_label)))
    if zero_d:
        opt_d.zero_grad()
    if zero_g_in_d:  # "zero both, step both": G then steps on the D loss's gradient (or on none when detached)
        opt_g.zero_grad()
    d_loss.backward(retain_graph=not detach)  # without detach the G step goes through the same graph again
    opt_d.step()
    if d_moves_g:
        opt_g.step()
        x_fake = gen(z)  # G changed in place: such code has to draw the fakes again for the G step
    logits = disc_before(x_fake) if old_d else disc(x_fake)
    if saturating:
        g_loss = -F.softplus(logits).mean()
    else:
        g_loss = F.binary_cross_entropy_with_logits(logits, torch.ones_like(logits))
    if zero_g:
        opt_g.zero_grad()
    g_loss.backward()
    opt_g.step()
    return d_loss.item(), g_loss.item()


class _SGD:
    """torch.optim.SGD's update (optional momentum; no dampening, Nesterov or weight decay), written out: the first
    step of a torch.optim optimizer imports torch._dynamo, seconds of the grader's time on a shared CPU."""

    def __init__(self, params, lr, momentum=0.0):
        self.params, self.lr, self.momentum, self.buffers = list(params), lr, momentum, {}

    def zero_grad(self):
        for p in self.params:
            p.grad = None  # set_to_none, as torch.optim does by default

    @torch.no_grad()
    def step(self):
        for i, p in enumerate(self.params):
            if p.grad is None:
                continue
            d = p.grad
            if self.momentum:
                if i not in self.buffers:
                    self.buffers[i] = d.clone()
                else:
                    self.buffers[i].mul_(self.momentum).add_(d)
                d = self.buffers[i]
            p.add_(d, alpha=-self.lr)


class _Adam(_SGD):
    """torch.optim.Adam's update (no weight decay or amsgrad), written out for the same reason as :class:`_SGD`."""

    def __init__(self, params, lr, betas=(0.5, 0.999), eps=1e-8):
        super().__init__(params, lr)
        self.betas, self.eps, self.state = betas, eps, {}

    @torch.no_grad()
    def step(self):
        b1, b2 = self.betas
        for i, p in enumerate(self.params):
            if p.grad is None:
                continue
            t, m, v = self.state.get(i, (0, torch.zeros_like(p), torch.zeros_like(p)))
            t += 1
            m.mul_(b1).add_(p.grad, alpha=1 - b1)
            v.mul_(b2).addcmul_(p.grad, p.grad, value=1 - b2)
            self.state[i] = (t, m, v)
            denom = (v.sqrt() / (1 - b2**t) ** 0.5).add_(self.eps)
            p.addcdiv_(m, denom, value=-self.lr / (1 - b1**t))


def _local_opt(kind, params, lr):
    if kind == "adam":
        return _Adam(params, lr=lr, betas=(0.5, 0.999))
    if kind == "momentum":
        return _SGD(params, lr=lr, momentum=0.9)
    return _SGD(params, lr=lr)


def _local_run(seed, calls, kind="sgd", lr=0.1, stale=False, **flags):
    with one_thread():
        return _local_run_here(seed, calls, kind, lr, stale, **flags)


def _local_run_here(seed, calls, kind, lr, stale, **flags):
    from ganlab.grading import standins

    gen = standins.probe_generator(STEP_LATENT, STEP_DATA, seed, dtype="float32")
    disc = standins.flat_discriminator(STEP_DATA, seed + 1)
    if stale:
        standins.fill_grads(gen, 0.5)
        standins.fill_grads(disc, -0.5)
    opt_g, opt_d = _local_opt(kind, gen.parameters(), lr), _local_opt(kind, disc.parameters(), lr)
    losses, snapshots = [], []
    for x_real, z in calls:
        losses.append(_step(gen, disc, opt_g, opt_d, x_real, z, **flags))
        snapshots.append(({n: p.detach().clone() for n, p in gen.named_parameters()},
                          {n: p.detach().clone() for n, p in disc.named_parameters()}))
    return snapshots[-1][0], snapshots[-1][1], losses, snapshots


def _same(a, b, tol=1e-5):
    return all(torch.allclose(a[n], b[n], rtol=tol, atol=tol) for n in a)


#: Mistakes replayed by the step tests, most specific first: (flags, hint).
STEP_MISTAKES = [
    ({"swapped": True}, HINT_LABELS_SWAPPED),
    ({"saturating": True}, HINT_G_SATURATING),
    ({"old_d": True}, HINT_OLD_D),
    ({"d_moves_g": True}, HINT_D_STEP_MOVES_G),  # G steps on the gradient its .grad still holds
    ({"d_moves_g": True, "zero_g_in_d": True, "detach": False}, HINT_D_STEP_MOVES_G),
    ({"d_moves_g": True, "detach": False}, HINT_D_STEP_MOVES_G),
    ({"zero_d": False, "zero_g": False}, HINT_ZERO_GRAD),
    ({"zero_d": False}, HINT_ZERO_GRAD),
    ({"zero_g": False}, HINT_ZERO_GRAD),
    ({"zero_g": False, "detach": False}, HINT_DETACH),
]


def _remote_run(sub, seed, calls, kind, lr, stale):
    from ganlab.checks.lab3 import remote_step_setup

    gen, disc, opt_g, opt_d = remote_step_setup(sub, seed, lr=lr, kind=kind)
    if stale:
        sub.trusted("ganlab.grading.standins.fill_grads", gen, 0.5, keep=False)
        sub.trusted("ganlab.grading.standins.fill_grads", disc, -0.5, keep=False)
    snapshots = []
    for x_real, z in calls:
        call_step(sub, gen, disc, opt_g, opt_d, x_real, z)
        snapshots.append((params_of(sub, gen), params_of(sub, disc)))
    return snapshots


def _judge_step(sub, seed, calls, kind, lr, stale, what):
    """Compare the submission's parameters after ``calls`` with the reference, then with each replayed mistake."""
    got = _remote_run(sub, seed, calls, kind, lr, stale)
    got_g, got_d = got[-1]
    for scale in (1.0, 0.5):  # sum of the two BCE means (reference) or their average: both correct
        ref_g, ref_d, _, _ = _local_run(seed, calls, kind, lr, stale, d_scale=scale)
        if _same(got_g, ref_g) and _same(got_d, ref_d):
            return
    for flags, hint in STEP_MISTAKES:
        for scale in (1.0, 0.5):
            try:
                wrong_g, wrong_d, _, _ = _local_run(seed, calls, kind, lr, stale, d_scale=scale, **flags)
            except RuntimeError:  # a replay that cannot run (autograd) cannot be what the submission did
                continue
            if _same(got_g, wrong_g) and _same(got_d, wrong_d):
                fail(f"after {what} the parameters differ from the reference. {hint}", hint)
    # the first call where a network left the reference says which step differs (after it, both drift)
    references = [_local_run(seed, calls, kind, lr, stale, d_scale=scale)[3] for scale in (1.0, 0.5)]
    reference = next((r for r in references if _same(got[0][1], r[0][1])), references[0])
    first = next(i for i, (mine, ref) in enumerate(zip(got, reference))
                 if not (_same(mine[0], ref[0]) and _same(mine[1], ref[1])))
    if not _same(got[first][1], reference[first][1]):
        fail(f"after {what} the discriminator's parameters differ from the reference.",
             "the discriminator's step differs: its loss is BCE(D(x_real), 1) + BCE(D(G(z).detach()), 0), zeroed "
             "gradients before its backward, then opt_d.step()")
    fail(f"after {what} the generator's parameters differ from the reference.",
         "the generator's step differs: BCE(D(G(z)), 1) on the same z through the updated discriminator, zeroed "
         "gradients before its backward, then opt_g.step() (and only there)")


@register(STEP, points=1, hidden=True)
def step_matches_reference_adam(sub):
    """Two steps with Adam (betas 0.5, 0.999), fresh optimizers: parameters match the reference (stand-in networks)."""
    _judge_step(sub, 3, [step_inputs(10), step_inputs(11)], "adam", 0.01, False, "two train_step calls with Adam")


@register(STEP, points=0.5, hidden=True)
def step_stale_gradients_momentum(sub):
    """Two steps with SGD momentum 0.9 and stale gradients left in both networks: parameters match the reference."""
    _judge_step(sub, 4, [step_inputs(12), step_inputs(13)], "momentum", 0.05, True,
                "two train_step calls (SGD with momentum, stale gradients in .grad)")


@register(STEP, points=0.5, hidden=True)
def step_loss_values(sub):
    """The returned losses: d_loss before D's update, g_loss through the updated D before G's update; x_real and z unchanged."""
    from ganlab.checks.lab3 import remote_step_setup

    x_real, z = step_inputs(14)
    gen, disc, opt_g, opt_d = remote_step_setup(sub, 5)
    x_ref, z_ref = sub.trusted("torch.clone", x_real), sub.trusted("torch.clone", z)
    d_loss, g_loss = call_step(sub, gen, disc, opt_g, opt_d, x_ref, z_ref)
    (exp_d, _), = _local_run(5, [(x_real, z)])[2]
    # the average of the two terms is an equally valid scaling; D's update (and so g_loss) follows it
    scale = 0.5 if abs(d_loss - exp_d / 2) <= 1e-4 * abs(exp_d) else 1.0
    (exp_d, exp_g), = _local_run(5, [(x_real, z)], d_scale=scale)[2]
    (swap_d, _), = _local_run(5, [(x_real, z)], swapped=True)[2]
    close(d_loss, exp_d, "d_loss returned by train_step", "d_loss is BCE(D(x_real), 1) + BCE(D(G(z)), 0), measured "
          "before the discriminator's update", rtol=1e-4, diagnoses=[(swap_d, HINT_LABELS_SWAPPED),
                                                                       (swap_d / 2, HINT_LABELS_SWAPPED)])
    (_, old_g), = _local_run(5, [(x_real, z)], d_scale=scale, old_d=True)[2]
    (_, sat_g), = _local_run(5, [(x_real, z)], d_scale=scale, saturating=True)[2]
    close(g_loss, exp_g, "g_loss returned by train_step", "g_loss is BCE(D(G(z)), 1) through the updated "
          "discriminator, measured before the generator's update", rtol=1e-4,
          diagnoses=[(old_g, HINT_OLD_D), (sat_g, HINT_G_SATURATING)])
    for name, ref, orig in (("x_real", x_ref, x_real), ("z", z_ref, z)):
        check(torch.equal(sub.state(ref)["value"], orig), f"train_step changed its argument {name}.", HINT_MUTATES)


# -- sampling ----------------------------------------------------------------------------------------------------

@register(SAMPLE, points=0.5, hidden=True)
def sample_single_latent(sub):
    """A single latent in training mode (batch norm cannot use batch statistics of one sample)."""
    from ganlab.checks.lab3 import HINT_TRAIN_MODE

    try:
        check_sample(sub, 1, batch=1, train_mode=True)
    except SubmissionError as exc:
        if "more than 1 value per channel" not in str(exc):  # batch norm's complaint about training mode
            raise
        fail(f"sample(generator, z of shape (1, 5)) raised: {exc}.", HINT_TRAIN_MODE)


@register(SAMPLE, points=0.5, hidden=True)
def sample_already_in_eval(sub):
    """A generator already in eval mode stays in eval mode; samples, no_grad and statistics as before."""
    check_sample(sub, 2, batch=3, train_mode=False)


# -- latent space ----------------------------------------------------------------------------------------------

def _slerp_ref(z0, z1, t):
    z0, z1 = z0.double(), z1.double()
    omega = torch.arccos((z0 @ z1 / (z0.norm() * z1.norm())).clamp(-1, 1))
    t = torch.as_tensor(t, dtype=torch.float64).reshape(-1, 1)
    return (torch.sin((1 - t) * omega) * z0 + torch.sin(t * omega) * z1) / torch.sin(omega)


@register(SLERP, points=0.5, hidden=True)
def slerp_random_latents(sub):
    """64-d Gaussian latents: a float t, a tensor of 5 t's and one of a single t, the ends t = 0 and 1 exactly, float64 in and out, inputs unchanged."""
    g = torch.Generator().manual_seed(21)
    z0, z1 = torch.randn(64, generator=g), torch.randn(64, generator=g)
    out = slerp_call(sub, z0, z1, 0.3, "slerp(z0, z1, 0.3)")
    close(out, _slerp_ref(z0, z1, 0.3)[0], "slerp(z0, z1, 0.3) on 64-d latents", HINT_SLERP_GENERIC, rtol=1e-4,
          atol=1e-5, diagnoses=[(0.7 * z0 + 0.3 * z1, HINT_LERP), (_slerp_ref(z0, z1, 0.7)[0], HINT_SLERP_T_SWAPPED)])
    ts = torch.tensor([0.0, 0.1, 0.5, 0.9, 1.0])
    out = slerp_call(sub, z0, z1, ts, "slerp(z0, z1, t of shape (5,))")
    if tuple(out.shape) != (5, 64):
        fail(f"slerp(z0, z1, t of shape (5,)) has shape {tuple(out.shape)}, expected (5, 64).", HINT_SLERP_SHAPE)
    close(out, _slerp_ref(z0, z1, ts), "slerp(z0, z1, t of shape (5,))", HINT_SLERP_GENERIC, rtol=1e-4, atol=1e-5)
    out = slerp_call(sub, z0, z1, torch.tensor([0.6]), "slerp(z0, z1, t of shape (1,))")
    if tuple(out.shape) != (1, 64):
        fail(f"slerp(z0, z1, t of shape (1,)) has shape {tuple(out.shape)}, expected (1, 64).", HINT_SLERP_SHAPE)
    near = z0 + 0.4 * torch.randn(64, generator=g)  # about 0.4 rad from z0: an angle below 1 rad
    close(slerp_call(sub, z0, near, 0.6, "slerp(z0, z0 + small noise, 0.6)"), _slerp_ref(z0, near, 0.6)[0],
          "slerp(z0, z1, 0.6) for latents about 0.4 rad apart", HINT_SLERP_GENERIC, rtol=1e-4, atol=1e-5,
          diagnoses=[(0.4 * z0 + 0.6 * near, HINT_LERP)])
    for t, end in ((0.0, z0), (1.0, z1)):
        close(slerp_call(sub, z0, z1, t, f"slerp(z0, z1, {t})"), end, f"slerp(z0, z1, {t:g})", HINT_SLERP_GENERIC,
              rtol=1e-5, atol=1e-5, diagnoses=[(z1 if t == 0 else z0, HINT_SLERP_T_SWAPPED)])
    a, b = z0.double(), z1.double()
    out = slerp_call(sub, a, b, 0.35, "slerp(z0, z1, 0.35) in float64")
    check(out.dtype == torch.float64, f"slerp of float64 latents returned {out.dtype}.", HINT_SLERP_DTYPE)
    close(out, _slerp_ref(a, b, 0.35)[0], "slerp(z0, z1, 0.35) in float64", HINT_SLERP_DTYPE, rtol=1e-10, atol=1e-10)
    refs = [sub.trusted("torch.clone", v) for v in (z0, z1)]
    sub.call("slerp", *refs, 0.4)
    for name, ref, orig in (("z0", refs[0], z0), ("z1", refs[1], z1)):
        check(torch.equal(sub.state(ref)["value"], orig), f"slerp changed its argument {name}.", HINT_MUTATES)


@register(SLERP, points=0.5, hidden=True)
def slerp_nearly_parallel(sub):
    """Parallel and nearly parallel latents (angles 0 and ~1e-4, where cos omega can round past 1): finite, and equal to linear interpolation there."""
    g = torch.Generator().manual_seed(22)
    z0 = torch.randn(64, generator=g)
    for scale, wobble in ((0.7, 0.0), (1.3, 1e-4), (3.0, 0.0)):
        z1 = scale * z0 + wobble * torch.randn(64, generator=g)
        what = f"slerp(z0, {scale} z0{' + tiny noise' if wobble else ''}, 0.3)"
        out = sub.call("slerp", z0, z1, 0.3)
        if not isinstance(out, torch.Tensor):
            fail(f"{what} should return a tensor, got {type(out).__name__}.", "slerp must return a tensor")
        check(bool(torch.isfinite(out).all()), f"{what} contains NaN or infinity.", HINT_SLERP_PARALLEL)
        close(out, 0.7 * z0 + 0.3 * z1, what, HINT_SLERP_PARALLEL, rtol=1e-4, atol=1e-4)


@register(ARITH, points=1, hidden=True)
def arithmetic_random_groups(sub):
    """Groups of 3, 5 and 2 random 8-d latents; groups of one latent each in float64; inputs unchanged."""
    g = torch.Generator().manual_seed(31)
    z_a, z_b, z_c = (torch.randn(n, 8, generator=g) for n in (3, 5, 2))
    expected = z_a.mean(0) - z_b.mean(0) + z_c.mean(0)
    refs = [sub.trusted("torch.clone", v) for v in (z_a, z_b, z_c)]
    out = sub.call("latent_arithmetic", *refs)
    close(out, expected, "latent_arithmetic on groups of 3, 5 and 2 latents", HINT_ARITH_GENERIC, rtol=1e-5, atol=1e-6,
          diagnoses=[(z_a.sum(0) - z_b.sum(0) + z_c.sum(0), HINT_ARITH_SUM),
                     (z_a.mean(0) - z_b.mean(0) - z_c.mean(0), HINT_ARITH_SIGNS),
                     (z_a.mean(0) + z_b.mean(0) - z_c.mean(0), HINT_ARITH_SIGNS)])
    for name, ref, orig in (("z_a", refs[0], z_a), ("z_b", refs[1], z_b), ("z_c", refs[2], z_c)):
        check(torch.equal(sub.state(ref)["value"], orig), f"latent_arithmetic changed its argument {name}.",
              HINT_MUTATES)
    singles = [torch.randn(1, 6, generator=g, dtype=torch.float64) for _ in range(3)]
    out = sub.call("latent_arithmetic", *singles)
    close(out, singles[0][0] - singles[1][0] + singles[2][0], "latent_arithmetic on one float64 latent per group",
          HINT_ARITH_GENERIC, rtol=1e-12, atol=1e-12)
    check(isinstance(out, torch.Tensor) and out.dtype == torch.float64,
          "latent_arithmetic of float64 latents should return float64.", "keep the dtype of the latents")


# -- question 1 -------------------------------------------------------------------------------------------------

HINT_Q_COVER = ("Count, along one axis, the kernel offsets a = r - i * stride with 0 <= a < kernel_size for an even "
                "and for an odd output pixel r, then combine the two axes.")
HINT_Q_COVER_AXIS = "Those are the counts along one axis; in 2-D the counts of the two axes multiply."
HINT_Q_COVER_ORDER = "The two counts are in the wrong order: the largest comes first."


@register(Q_COVER, points=1.5, hidden=True)
def question_answer_values(sub):
    """The most and fewest copies per interior pixel of a kernel-5, stride-2 transposed convolution in 2-D."""
    out = sub.call("question_coverage")
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        fail("question_coverage() should return a tuple of two ints.", ABOUT_Q_COVER)
    per_axis = [sum(1 for a in range(5) if (a - r) % 2 == 0) for r in range(2)]  # offsets a = r mod 2 (+ 2, + 4)
    most, fewest = max(per_axis) ** 2, min(per_axis) ** 2
    got = tuple(float(v) for v in out)
    if got == (float(max(per_axis)), float(min(per_axis))):
        fail("these are the per-axis counts.", HINT_Q_COVER_AXIS)
    if got == (float(fewest), float(most)):
        fail("the counts are swapped.", HINT_Q_COVER_ORDER)
    if got != (float(most), float(fewest)):
        fail("the counts of question 1 are not right.", HINT_Q_COVER)
