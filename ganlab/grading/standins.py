"""Stand-ins with known behaviour that tests pass into student code.

A stand-in makes any wrong composition give a wrong number: e.g. a trajectory
runner fed :func:`shift_step` must reproduce an exactly known table.
"""

from __future__ import annotations


def shift_step(x, y, eta):
    """A fake update rule with an easy closed form: x grows by eta, y doubles."""
    return x + eta, 2 * y


def history_probe_step(x, y, x_prev, y_prev, eta):
    """A fake history-using rule that exposes what the runner passes as the previous point.

    x advances by eta; y becomes ``x_prev + 10 * y_prev``, so the trajectory
    records exactly which previous point the runner supplied at every step.
    """
    return x + eta, x_prev + 10 * y_prev


def set_grad(tensor, value):
    """Fill ``tensor.grad`` with ``value`` (a stale gradient, as left by an earlier backward pass)."""
    import torch

    tensor.grad = torch.full_like(tensor, float(value))
    return None


# -- Lab 2: small networks and losses with known behaviour --------------------------------------


def tiny_mlp(in_dim, out_dim, seed, hidden=5, dtype="float64"):
    """A deterministic MLP (Linear, Tanh, Linear) whose weights depend only on ``seed`` (float64 by default)."""
    import torch

    gen = torch.Generator().manual_seed(int(seed))
    net = torch.nn.Sequential(torch.nn.Linear(in_dim, hidden), torch.nn.Tanh(), torch.nn.Linear(hidden, out_dim))
    net = net.to(getattr(torch, dtype))
    with torch.no_grad():
        for p in net.parameters():
            p.copy_((torch.randn(p.shape, generator=gen, dtype=torch.float64) * 0.8).to(p.dtype))
    return net


class _CountsBackward:
    """Mixin for stand-in modules: ``backward_count`` counts the gradients that reached the outputs passed to
    ``_watch`` (one per backward pass through them), so a test sees how many losses used an undetached output."""

    backward_count = 0

    def _watch(self, out):
        if out.requires_grad:
            out.register_hook(self._count)
        return out

    def _count(self, grad):
        self.backward_count += 1
        return grad


def probe_generator(latent_dim, data_dim, seed, dtype="float64"):
    """A :func:`tiny_mlp` generator that counts backward passes through its output (``backward_count``).

    A gradient reaches the generator's output only when a loss was built from a fake batch that
    was not detached; the count tells a test how many losses did that.
    """
    import torch

    class ProbeGenerator(_CountsBackward, torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.net = tiny_mlp(latent_dim, data_dim, seed, dtype=dtype)
            self.backward_count = 0

        def forward(self, noise):
            return self._watch(self.net(noise))

    return ProbeGenerator()


def fill_grads(module, value):
    """Set every parameter's ``.grad`` to ``value`` (stale gradients, as left by an earlier backward pass)."""
    import torch

    for p in module.parameters():
        p.grad = torch.full_like(p, float(value))
    return None


def scale_parameters(module, factor):
    """Multiply every parameter of ``module`` by ``factor`` in place (a ReLU MLP's output grows like factor^depth)."""
    import torch

    with torch.no_grad():
        for p in module.parameters():
            p.mul_(float(factor))
    return None


def odd_d_loss(real_scores, fake_scores):
    """A made-up discriminator loss, asymmetric in its two arguments, so any mix-up changes the number."""
    return (0.3 * real_scores**2 - real_scores).mean() + (0.5 * fake_scores).exp().mean()


def odd_g_loss(fake_scores):
    """A made-up generator loss (smooth, not constant) for composition tests."""
    return (0.7 * fake_scores**2 - fake_scores).mean()


def odd_penalty(critic, x_real, x_fake):
    """A made-up penalty term that reads the critic on both batches (order matters)."""
    return 0.2 * critic(x_real).pow(2).mean() + 0.1 * critic(x_fake).mean()


def quadratic_critic(weights, shift):
    """A critic f(x) = 0.5 * sum_j w_j x_j^2 + sum_j v_j x_j with parameters w = ``weights``, v = ``shift``.

    Its input gradient is w * x + v, different at every point, so a gradient penalty taken at the
    wrong points (or averaged the wrong way) gives a different number. Output shape (B, 1), float64.
    """
    import torch

    class QuadraticCritic(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.weights = torch.nn.Parameter(torch.as_tensor(weights, dtype=torch.float64).clone())
            self.shift = torch.nn.Parameter(torch.as_tensor(shift, dtype=torch.float64).clone())

        def forward(self, x):
            return (0.5 * self.weights * x**2 + self.shift * x).sum(dim=1, keepdim=True)

    return QuadraticCritic()


def backward_sum(module, inputs):
    """Run ``module(inputs).sum().backward()`` (so a test can see which parameters receive a gradient)."""
    module(inputs).sum().backward()
    return None


# -- Lab 3: DCGAN pieces with known behaviour ------------------------------------------------------


def flat_discriminator(data_dim, seed):
    """A float32 :func:`tiny_mlp` discriminator returning one logit per sample, shape ``(B,)`` (as DCGAN's does)."""
    import torch

    class FlatDiscriminator(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.net = tiny_mlp(data_dim, 1, seed, dtype="float32")

        def forward(self, x):
            return self.net(x)[:, 0]  # (B, 1) -> (B,)

    return FlatDiscriminator()


def batchnorm_generator(latent_dim, data_dim, seed):
    """A float32 generator Linear -> BatchNorm1d -> Tanh: its output and running statistics depend on the mode.

    In training mode BatchNorm normalises with the batch's statistics and updates its running
    averages; in evaluation mode it uses the running averages and changes nothing.
    """
    import torch

    gen = torch.Generator().manual_seed(int(seed))
    net = torch.nn.Sequential(torch.nn.Linear(latent_dim, data_dim), torch.nn.BatchNorm1d(data_dim), torch.nn.Tanh())
    with torch.no_grad():
        for p in net.parameters():
            p.copy_(torch.randn(p.shape, generator=gen) * 0.8 + (1.0 if p.dim() == 1 else 0.0))
        # running statistics unlike a fresh batch's, so evaluation mode gives visibly different output
        net[1].running_mean.copy_(torch.randn(data_dim, generator=gen))
        net[1].running_var.copy_(torch.rand(data_dim, generator=gen) * 3 + 0.5)
    return net


def init_probe_network():
    """The layer types DCGAN initialises, large enough for tight statistics (PyTorch's default init)."""
    import torch

    torch.manual_seed(0)
    return torch.nn.Sequential(
        torch.nn.Conv2d(64, 128, 4, 2, 1, bias=False),
        torch.nn.BatchNorm2d(2048),
        torch.nn.Sequential(torch.nn.ConvTranspose2d(128, 64, 4, 2, 1, bias=False), torch.nn.BatchNorm2d(1024)),
        torch.nn.LeakyReLU(0.2),
    )


# -- lab3: recording stand-ins, seeded parameters, init probes ---------------------------------------------------


def recording_generator(latent_dim, data_dim, seed):
    """A :func:`batchnorm_generator` that records, at each forward pass, the grad mode and every module's mode.

    ``calls`` holds one ``(torch.is_grad_enabled(), (training flags of all modules))`` per forward pass, so a
    test sees whether a sampler ran under ``no_grad`` and in evaluation mode (of the submodules too, which
    setting ``generator.training = False`` by hand misses).
    """
    import torch

    class RecordingGenerator(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.net = batchnorm_generator(latent_dim, data_dim, seed)
            self.calls = []

        def forward(self, z):
            self.calls.append((torch.is_grad_enabled(), tuple(m.training for m in self.modules())))
            return self.net(z)

    return RecordingGenerator()


def seeded_parameters(module, seed, std=1.0):
    """Overwrite every parameter of ``module`` with seeded N(0, std) draws (batch-norm scales N(1, std)).

    A test that looks at what a network computes (an output range, signs) then depends only on the
    architecture, never on the submission's initialisation. Parameters are visited in definition order.
    """
    import torch

    gen = torch.Generator().manual_seed(int(seed))
    with torch.no_grad():
        for m in module.modules():
            is_norm = isinstance(m, torch.nn.modules.batchnorm._NormBase)
            for name, p in m.named_parameters(recurse=False):
                draw = torch.randn(p.shape, generator=gen, dtype=torch.float64) * float(std)
                if is_norm and name == "weight":
                    draw += 1.0
                p.copy_(draw.to(p.dtype))
    return None


def init_probe_shuffled():
    """Layers in another order than :func:`init_probe_network`, plus what ``init_weights`` must zero or skip.

    Batch norm first, a Linear (left alone by DCGAN's init), convolutions *with* biases (zeroed by it),
    nested two levels deep; PyTorch's default initialisation under a fixed seed, so a test can rebuild it.
    """
    import torch

    torch.manual_seed(1)
    return torch.nn.Sequential(
        torch.nn.BatchNorm2d(1536),
        torch.nn.Linear(48, 96),
        torch.nn.Sequential(
            torch.nn.Sequential(torch.nn.ConvTranspose2d(48, 96, 3, 2, 1, bias=True), torch.nn.ReLU()),
            torch.nn.Conv2d(96, 64, 3, 1, 1, bias=True),
        ),
        torch.nn.BatchNorm2d(1280),
    )



# -- lab2: fixed parameters, counting optimizers, recording penalty and critic ------------------------------------


def set_affine(module, weight, bias):
    """Set every matrix parameter of ``module`` to ``weight`` and every vector parameter to ``bias`` (in place).

    With all parameters known, a small MLP's output is a number one can work out by hand, whatever the
    initialisation and the names the submission chose.
    """
    import torch

    with torch.no_grad():
        for p in module.parameters():
            p.fill_(float(weight) if p.dim() >= 2 else float(bias))
    return None


def counting_optimizer(params, kind="sgd", **settings):
    """A torch optimizer (``"sgd"``, ``"momentum"``: SGD with momentum 0.9, ``"adam"``) counting its ``step()`` calls."""
    import torch

    base = {"sgd": torch.optim.SGD, "momentum": torch.optim.SGD, "adam": torch.optim.Adam}[kind]
    if kind == "momentum":
        settings.setdefault("momentum", 0.9)

    class Counting(base):
        def step(self, *args, **kwargs):
            self.step_count += 1
            return super().step(*args, **kwargs)

    Counting.__name__ = f"Counting{base.__name__}"
    opt = Counting(params, **settings)
    opt.step_count = 0
    return opt


def penalty_recorder(weight=0.2):
    """A penalty ``weight * mean critic(x_real)^2 + 0.1 * mean critic(x_fake)`` that records how it was called.

    ``calls`` holds, per call, ``(critic is a Module, x_real, x_fake, x_fake.requires_grad)`` (tensors detached and
    cloned), so a test sees the order of the arguments and which batches reached the penalty.
    """
    import torch

    class PenaltyRecorder:
        def __init__(self):
            self.calls = []

        def __call__(self, critic, x_real, x_fake):
            self.calls.append((isinstance(critic, torch.nn.Module), x_real.detach().clone(), x_fake.detach().clone(),
                               bool(x_fake.requires_grad)))
            return weight * critic(x_real).pow(2).mean() + 0.1 * critic(x_fake).mean()

    return PenaltyRecorder()


def recording_critic(weights, shift):
    """A :func:`quadratic_critic` that records the points it is evaluated at.

    ``inputs`` holds one detached copy of ``x`` per forward pass and ``requires_grad`` whether ``x`` required a
    gradient there (a gradient penalty differentiates with respect to its interpolates).
    """
    import torch

    inner = quadratic_critic(weights, shift)

    class RecordingCritic(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.inner = inner
            self.inputs = []
            self.requires_grad = []

        def forward(self, x):
            self.inputs.append(x.detach().clone())
            self.requires_grad.append(bool(x.requires_grad))
            return self.inner(x)

    return RecordingCritic()


# -- lab7: a Fréchet distance or FID pipeline judged without the submission's other helpers ------------------


def lab7_call_with(fn, replacements, *args, **kwargs):
    """Call ``fn(*args, **kwargs)`` with some of its module-level names replaced for the duration of the call.

    ``frechet_distance`` calls ``trace_sqrt_product`` by name, and ``fid_from_features`` uses
    ``feature_statistics`` and ``frechet_distance`` by default: replacing those names by stand-ins judges the
    caller on its own, whatever the helpers do (a crash or a wrong value costs the helper's exercise only).
    The names are restored afterwards, also when ``fn`` raises.
    """
    namespace = fn.__globals__
    missing = object()
    saved = {name: namespace.get(name, missing) for name in replacements}
    namespace.update(replacements)
    try:
        return fn(*args, **kwargs)
    finally:
        for name, value in saved.items():
            if value is missing:
                namespace.pop(name, None)
            else:
                namespace[name] = value


def _lab7_trace(matrix):
    import torch

    return float(torch.as_tensor(matrix, dtype=torch.float64).diagonal().sum())


def lab7_fake_trace_term(sigma1, sigma2):
    """A fake trace term with a plain closed form (deliberately *not* tr((sigma1 sigma2)^(1/2))).

    sqrt(tr(sigma1) tr(sigma2)) / 4: symmetric in its arguments, and small enough that a Fréchet distance built
    on it stays positive, so a test knows exactly what a distance that uses it must return.
    """
    return (_lab7_trace(sigma1) * _lab7_trace(sigma2)) ** 0.5 / 4


def lab7_overshooting_trace_term(sigma1, sigma2):
    """A fake trace term a hair above (tr(sigma1) + tr(sigma2)) / 2, as rounding can make the real one.

    For identical statistics the Fréchet distance built on it is a tiny negative number, which the distance
    must clip to 0.
    """
    return (_lab7_trace(sigma1) + _lab7_trace(sigma2)) / 2 * (1 + 1e-10)


def lab7_tensor_distance(mu1, sigma1, mu2, sigma2):
    """||mu1 - mu2||^2 + 10 tr(sigma1) + 100 tr(sigma2) as a 0-d float64 *tensor* (a distance may return one)."""
    import torch

    mu1, mu2 = torch.as_tensor(mu1, dtype=torch.float64), torch.as_tensor(mu2, dtype=torch.float64)
    return ((mu1 - mu2) ** 2).sum() + 10 * _lab7_trace(sigma1) + 100 * _lab7_trace(sigma2)


# -- lab4: conditional stand-ins (they take labels), gradients of a submitted function ----------------------------


def lab4_cond_generator(latent_dim, num_classes, data_dim, seed, batchnorm=False):
    """A float32 conditional generator ``(z, y) -> (B, 1, 1, data_dim)`` that records what it was given.

    Linear(z) plus a learned shift per class (``class_shift[y]``), then BatchNorm1d when ``batchnorm``, then Tanh,
    with seeded weights, so the label changes the output (the stand-in does not concatenate the label: no
    exercise's answer ships with it). ``calls`` holds per forward pass ``(y (a list), grad
    enabled, (training flags of all modules))``; ``backward_count`` counts gradients that reached its output.
    With ``batchnorm`` the running statistics start unlike a fresh batch's, so evaluation mode shows.
    """
    import torch

    gen = torch.Generator().manual_seed(int(seed))

    class CondGenerator(_CountsBackward, torch.nn.Module):
        def __init__(self):
            super().__init__()
            layers = [torch.nn.Linear(latent_dim, data_dim)]
            if batchnorm:
                layers.append(torch.nn.BatchNorm1d(data_dim))
            self.net = torch.nn.Sequential(*layers, torch.nn.Tanh())
            with torch.no_grad():
                for p in self.net.parameters():
                    p.copy_(torch.randn(p.shape, generator=gen) * 0.8 + (1.0 if p.dim() == 1 and batchnorm else 0.0))
                if batchnorm:
                    self.net[1].running_mean.copy_(torch.randn(data_dim, generator=gen))
                    self.net[1].running_var.copy_(torch.rand(data_dim, generator=gen) * 3 + 0.5)
            self.class_shift = torch.nn.Parameter(torch.randn(num_classes, data_dim, generator=gen) * 0.6)
            self.calls = []
            self.backward_count = 0

        def forward(self, z, y):
            self.calls.append(([int(v) for v in y], torch.is_grad_enabled(), tuple(m.training for m in self.modules())))
            if len(y) != len(z):
                raise ValueError(f"the generator got {len(z)} latents but {len(y)} labels")
            h = self.net[0](z) + self.class_shift[y.long()]   # (B, data_dim)
            for layer in self.net[1:]:
                h = layer(h)
            return self._watch(h.view(len(z), 1, 1, data_dim))

    return CondGenerator()


def lab4_cond_discriminator(data_dim, num_classes, seed):
    """A float32 conditional discriminator ``(x, y) -> logits (B,)`` (an MLP of x plus a learned bias per class) that
    records the labels of each call in ``labels`` (a list of lists) and whether x required a gradient in
    ``x_grad``."""
    import torch

    class CondDiscriminator(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.net = tiny_mlp(data_dim, 1, seed, dtype="float32")
            gen = torch.Generator().manual_seed(int(seed) + 1000)
            self.class_bias = torch.nn.Parameter(torch.randn(num_classes, generator=gen))
            self.labels = []
            self.x_grad = []

        def forward(self, x, y):
            self.labels.append([int(v) for v in y])
            self.x_grad.append(bool(x.requires_grad))
            if len(y) != len(x):
                raise ValueError(f"the discriminator got {len(x)} images but {len(y)} labels")
            return self.net(x.flatten(1))[:, 0] + self.class_bias[y.long()]

    return CondDiscriminator()


def lab4_value_and_grads(fn, args, differentiable, weights=None):
    """Call ``fn(*args)`` with ``args[i]`` (float tensors) requiring a gradient for each i in ``differentiable``.

    Returns ``(value, grads)``: the detached result (its first element when it is a tuple) and the gradient of
    ``sum(result * weights)`` (weights default to ones) with respect to each differentiable argument (None where
    no gradient arrived). A test sees whether a loss backpropagates, and with which gradient.
    """
    import torch

    args = list(args)
    for i in differentiable:
        args[i] = args[i].detach().clone().requires_grad_(True)
    out = fn(*args)
    value = out[0] if isinstance(out, (tuple, list)) else out
    if not isinstance(value, torch.Tensor) or not value.requires_grad:
        return value.detach() if isinstance(value, torch.Tensor) else value, [None for _ in differentiable]
    w = torch.ones_like(value) if weights is None else torch.as_tensor(weights, dtype=value.dtype).view(value.shape)
    grads = torch.autograd.grad((value * w).sum(), [args[i] for i in differentiable], allow_unused=True)
    return value.detach(), [None if g is None else g.detach() for g in grads]


def set_parameter(module, name, value):
    """Set ``module``'s parameter ``name`` (a dotted path such as ``"embed.weight"``) to ``value`` (in place,
    keeping its dtype), so that a test knows every number the module computes with."""
    import torch

    with torch.no_grad():
        module.get_parameter(name).copy_(torch.as_tensor(value))
    return None


def lab4_concat_grads(fn, embedding, h, y, num_classes):
    """Backpropagate through both branches of ``fn`` (the submission's ``concat_condition``): a weighted sum of
    ``fn(h, y, K)`` and the sum of ``fn(h, y, K, embedding)``. Returns the gradients of ``h`` and of the
    embedding's weight (None where no gradient arrived)."""
    import torch

    h = h.detach().clone().requires_grad_(True)
    embedding.weight.grad = None
    out = fn(h, y, num_classes, None)
    w = torch.arange(1, out.numel() + 1, dtype=out.dtype).view(out.shape) / out.numel()
    if out.requires_grad:
        (out * w).sum().backward()
    out2 = fn(h.detach(), y, num_classes, embedding)
    if out2.requires_grad:
        out2.sum().backward()
    return h.grad, embedding.weight.grad


def lab4_set_running_stats(module, mean, var):
    """Set the running mean and variance of every batch norm in ``module`` (a test then knows what eval mode uses)."""
    import torch

    with torch.no_grad():
        for m in module.modules():
            if isinstance(m, torch.nn.modules.batchnorm._BatchNorm) and m.running_mean is not None:
                m.running_mean.copy_(torch.as_tensor(mean))
                m.running_var.copy_(torch.as_tensor(var))
    return None


# Lab 4: networks and samplers judged without the submission's own one_hot, and with the grader's values of the
# concat_condition calls a test makes (a wrong helper costs only its own exercise's points). No correct
# concat_condition ships here: the grader computes its values (hidden side) and passes them in as a memo.
_LAB4_SAVED: list = []


def _lab4_one_hot(y, num_classes):
    import torch

    return torch.nn.functional.one_hot(y.long(), num_classes).float()


def _lab4_memo_concat(original, memo):
    """A ``concat_condition`` that answers the calls listed in ``memo`` (``((h, y, num_classes), value)`` pairs, the
    values computed by the grader) and leaves every other call, and any call whose ``h`` needs a gradient, to the
    submission's own ``original``."""
    import torch

    def concat_condition(h, y, num_classes, embedding=None):
        if embedding is None and isinstance(h, torch.Tensor) and isinstance(y, torch.Tensor) and not h.requires_grad:
            for (key_h, key_y, key_k), value in memo:
                if (num_classes == key_k and h.shape == key_h.shape and y.shape == key_y.shape
                        and torch.equal(h.to(key_h.dtype), key_h) and torch.equal(y.long(), key_y.long())):
                    return value.to(h.dtype).clone()
        if original is None:
            raise NameError("name 'concat_condition' is not defined")
        return original(h, y, num_classes, embedding)

    return concat_condition


def lab4_trusted_helpers(obj, memo=None):
    """Replace ``one_hot`` in the namespace of ``obj`` (a submitted function, class or module) by a trusted version
    until :func:`lab4_restore_helpers` is called; with ``memo``, also answer the listed ``concat_condition`` calls
    with the grader's values (see :func:`_lab4_memo_concat`)."""
    import torch

    if isinstance(obj, torch.nn.Module):
        obj = type(obj)
    fn = obj.forward if isinstance(obj, type) else obj
    namespace = getattr(fn, "__globals__", None)
    if namespace is None:
        return None
    names = ("one_hot",) if memo is None else ("one_hot", "concat_condition")
    saved = {name: namespace[name] for name in names if name in namespace}
    _LAB4_SAVED.append((namespace, names, saved))
    namespace["one_hot"] = _lab4_one_hot
    if memo is not None:
        namespace["concat_condition"] = _lab4_memo_concat(saved.get("concat_condition"), memo)
    return None


def lab4_restore_helpers():
    """Undo every :func:`lab4_trusted_helpers` (the submission's own helpers come back)."""
    while _LAB4_SAVED:
        namespace, names, saved = _LAB4_SAVED.pop()
        for name in names:
            namespace.pop(name, None)
        namespace.update(saved)
    return None


# Lab 4, InfoGAN: a discriminator with a shared trunk, a source head and a Q head; a Q loss that is not the lab's.


def lab4_info_discriminator(data_dim, num_heads, seed, hidden=5):
    """A float32 InfoGAN discriminator ``x -> (source_logits (B,), head (B, num_heads))`` with a shared ``trunk``
    (Linear, Tanh), a ``source`` head (Linear to 1) and a Q head ``classes`` (Linear to num_heads, named as in the
    lab's ACGANDiscriminator), with seeded weights. ``x_grad`` records per call whether x required a gradient."""
    import torch

    gen = torch.Generator().manual_seed(int(seed))

    class InfoDiscriminator(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.trunk = torch.nn.Sequential(torch.nn.Linear(data_dim, hidden), torch.nn.Tanh())
            self.source = torch.nn.Linear(hidden, 1)
            self.classes = torch.nn.Linear(hidden, num_heads)
            with torch.no_grad():
                for p in self.parameters():
                    p.copy_(torch.randn(p.shape, generator=gen) * 0.8)
            self.x_grad = []

        def forward(self, x):
            self.x_grad.append(bool(x.requires_grad))
            h = self.trunk(x.flatten(1))                 # (B, hidden)
            return self.source(h)[:, 0], self.classes(h)

    return InfoDiscriminator()


def lab4_odd_q_loss(cat_logits, c_cat, cont_mean, c_cont):
    """A stand-in information loss with known behaviour (deliberately not InfoGAN's): returns
    ``(loss, cat_part, cont_part)`` with cat_part = mean of (logit of the true code - 1.5)^2 and cont_part = 0.3 *
    mean over the batch of sum over codes of |c_cont - cont_mean|, loss = cat_part + cont_part."""
    cat_part = (cat_logits.gather(1, c_cat.long()[:, None])[:, 0] - 1.5).square().mean()
    cont_part = 0.3 * (c_cont - cont_mean).abs().sum(1).mean()
    return cat_part + cont_part, cat_part, cont_part


def lab4_optimizer_report(optimizer, generator, discriminator):
    """What an optimizer updates, as plain data: one dict per parameter group with the optimizer's class name
    (``type``), the group's ``lr`` and ``betas`` (None without), and ``params``: the names of its parameters as
    ``"generator.<name>"`` / ``"discriminator.<name>"`` (``"other"`` for a tensor of neither network)."""
    names = {id(p): f"generator.{n}" for n, p in generator.named_parameters()}
    names.update({id(p): f"discriminator.{n}" for n, p in discriminator.named_parameters()})
    return [{"type": type(optimizer).__name__, "lr": float(group["lr"]),
             "betas": tuple(float(b) for b in group["betas"]) if "betas" in group else None,
             "params": [names.get(id(p), "other") for p in group["params"]]} for group in optimizer.param_groups]


# -- lab6 (CycleGAN): recording stand-ins for the mappings, the pools and the optimizer over two networks ----------


def lab6_affine_net(scale, shift):
    """A float32 stand-in mapping ``x -> scale * x + shift`` (two scalar parameters), easy to work out by hand.

    Each forward pass appends to ``inputs`` a detached copy of ``x``, to ``requires_grad`` whether ``x`` required a
    gradient, and to ``training`` the module's training flag; ``backward_count`` counts gradients that reached its
    outputs (each loss built from an undetached output adds one per backward pass)."""
    import torch

    class AffineNet(_CountsBackward, torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.scale = torch.nn.Parameter(torch.tensor(float(scale)))
            self.shift = torch.nn.Parameter(torch.tensor(float(shift)))
            self.inputs, self.requires_grad, self.training_flags = [], [], []
            self.backward_count = 0

        def forward(self, x):
            self.inputs.append(x.detach().clone())
            self.requires_grad.append(bool(x.requires_grad))
            self.training_flags.append(bool(self.training))
            return self._watch(self.scale * x + self.shift)

    return AffineNet()


def lab6_recording_pool(scale=0.75, shift=0.1):
    """A stand-in image pool: ``query(images)`` records a detached copy of ``images`` and whether they required a
    gradient (``queries``, ``requires_grad``) and returns ``flip(images, batch) * scale + shift``, an image batch
    that differs from its input and KEEPS the autograd graph (a step that relies on the pool to detach shows)."""
    import torch

    class RecordingPool:
        def __init__(self):
            self.queries, self.requires_grad = [], []

        def query(self, images):
            self.queries.append(images.detach().clone())
            self.requires_grad.append(bool(images.requires_grad))
            return torch.flip(images, dims=(0,)) * scale + shift

    return RecordingPool()


def lab6_joint_optimizer(modules, kind="sgd", lr=0.1):
    """A :func:`counting_optimizer` over the parameters of all ``modules`` together (as CycleGAN's one Adam over
    G and F, and one over D_X and D_Y); Adam with betas (0.5, 0.999), momentum SGD with 0.9."""
    params = [p for m in modules for p in m.parameters()]
    settings = {"lr": float(lr)}
    if kind == "adam":
        settings["betas"] = (0.5, 0.999)
    return counting_optimizer(params, kind, **settings)


def lab6_seed_all(seed):
    """Seed Python's ``random``, NumPy's and torch's global generators (an image pool may draw from any of them)."""
    import random

    import numpy as np
    import torch

    random.seed(int(seed))
    np.random.seed(int(seed))
    torch.manual_seed(int(seed))
    return None


def lab6_query_probe(pool, images):
    """``pool.query(images)``: the result (a detached copy) and whether it required a gradient or had a graph."""
    out = pool.query(images)
    graph = bool(getattr(out, "requires_grad", False)) or getattr(out, "grad_fn", None) is not None
    return out.detach().clone(), graph


def lab6_ids(*objects):
    """The Python ids of ``objects`` in this process (a test compares them with the arguments a call recorded)."""
    return [id(o) for o in objects]


def lab6_flags(*modules):
    """The ``requires_grad`` flag of every parameter of ``modules``, in order."""
    return [bool(p.requires_grad) for m in modules for p in m.parameters()]


def _lab6_record(value):
    import torch

    if isinstance(value, torch.Tensor):
        return {"tensor": value.detach().clone(), "requires_grad": bool(value.requires_grad or value.grad_fn)}
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    if isinstance(value, dict):
        return {str(k): _lab6_record(v) for k, v in value.items()}
    if isinstance(value, (tuple, list)):
        return [_lab6_record(v) for v in value]
    return {"object": id(value)}


_LAB6_WATCHED: list = []


def lab6_watch(owner, names, guarded=None):
    """Wrap the module-level ``names`` in the namespace of ``owner`` (a submitted function) so that every call is
    recorded in :func:`lab6_unwatch`'s result: the arguments (tensors as detached copies, other objects by id), the
    grad mode and the ``requires_grad`` flags of the parameters of every module argument at entry, and the return
    value. The wrapped functions still run the submission's own code. For a name in ``guarded`` (a dict: name ->
    value to return instead), the submission's function gets its tensor arguments detached, and an exception it
    raises is recorded (``error``) and answered with that value, so that the caller is judged on its own."""
    import torch

    namespace = getattr(owner, "__globals__", None)
    if namespace is None:
        return None
    guarded = dict(guarded or {})
    records: list = []
    saved = {}
    for name in names:
        if name not in namespace:
            continue
        original = namespace[name]
        saved[name] = original

        def wrapper(*args, __name=name, __original=original, **kwargs):
            entry = {"name": __name, "args": [_lab6_record(a) for a in args],
                     "kwargs": {k: _lab6_record(v) for k, v in kwargs.items()},
                     "grad_enabled": torch.is_grad_enabled(),
                     "flags": [[bool(p.requires_grad) for p in a.parameters()] for a in args
                               if isinstance(a, torch.nn.Module)]}
            records.append(entry)
            if __name not in guarded:
                result = __original(*args, **kwargs)
                entry["result"] = _lab6_record(result)
                return result
            args = [a.detach() if isinstance(a, torch.Tensor) else a for a in args]
            kwargs = {k: v.detach() if isinstance(v, torch.Tensor) else v for k, v in kwargs.items()}
            try:
                result = __original(*args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - the helper's own exercise judges it
                entry["error"] = type(exc).__name__
                result = guarded[__name]
            entry["result"] = _lab6_record(result)
            return result

        namespace[name] = wrapper
    _LAB6_WATCHED.append((namespace, saved, records))
    return None


def lab6_names_inside(module, type_name):
    """The names of the sub-modules of ``module`` that lie inside a sub-module whose class is called ``type_name``
    (e.g. the layers of a generator's residual blocks)."""
    out = []
    for name, m in module.named_modules():
        if type(m).__name__ == type_name:
            out += [f"{name}.{n}" if n else name for n, _ in m.named_modules()]
    return out


def lab6_unwatch():
    """Undo every :func:`lab6_watch` and return the recorded calls (oldest first)."""
    out: list = []
    while _LAB6_WATCHED:
        namespace, saved, records = _LAB6_WATCHED.pop()
        namespace.update(saved)
        out = records + out
    return out


def lab6_backward_grads(fn, args, modules):
    """Call ``fn(*args)``, backpropagate its first output (a loss), and return ``(loss value, requires_grad of the
    other tensor outputs, gradients)``: for each module in ``modules`` the list of its parameters' gradients
    (None where none arrived). Gradients already there are cleared first."""
    import torch

    for m in modules:
        for p in m.parameters():
            p.grad = None
    out = fn(*args)
    loss = out[0] if isinstance(out, (tuple, list)) else out
    flags = [bool(getattr(t, "requires_grad", False)) for t in (out[1:] if isinstance(out, (tuple, list)) else [])
             if isinstance(t, torch.Tensor)]
    loss.backward()
    grads = [[None if p.grad is None else p.grad.detach().clone() for p in m.parameters()] for m in modules]
    return float(loss.detach()), flags, grads
