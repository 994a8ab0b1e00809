"""Stand-ins and probes for Lab 8 (video GANs) that tests pass into, or run next to, student code.

Nothing here computes an exercise's answer: the networks are tiny recording stand-ins with seeded parameters and
the probes observe what student code draws, returns or passes on. They run in the submission's process, so they
work the same in a notebook and in the grader's sandboxed worker.
"""

from __future__ import annotations

from ganlab.grading.standins import _CountsBackward


def install(module, name, value):
    """``setattr(module, name, value)``: put a stand-in in place of one of the submission's sub-modules."""
    setattr(module, name, value)
    return None


def recording_rnn(noise_dim, motion_dim, seed):
    """A stand-in for MotionRNN with a known, recurrence-free output: forward(eps (B, T, noise_dim), h0 (B, motion_dim))
    returns tanh(h0 @ A)[:, None] + 0.5 * cumsum(eps @ N, over t) (B, T, motion_dim), so every output depends on that
    video's h0 and on all its noise so far. ``calls`` records (eps, h0) of each call (detached copies); an eps or h0
    of another shape is recorded, then raises ValueError."""
    import torch

    gen = torch.Generator().manual_seed(int(seed))

    class RecordingRNN(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.noise_map = torch.nn.Parameter(torch.randn(noise_dim, motion_dim, generator=gen))
            self.state_map = torch.nn.Parameter(torch.randn(motion_dim, motion_dim, generator=gen))
            self.calls = []

        def forward(self, eps, h0):
            self.calls.append((eps.detach().clone(), h0.detach().clone()))
            if eps.dim() != 3 or eps.shape[2] != noise_dim or tuple(h0.shape) != (eps.shape[0], motion_dim):
                raise ValueError(f"the motion RNN got eps {tuple(eps.shape)} and h0 {tuple(h0.shape)}; it takes eps "
                                 f"(B, T, {noise_dim}) and h0 (B, {motion_dim})")
            steps = torch.cumsum(eps.to(self.noise_map.dtype) @ self.noise_map, dim=1)
            return torch.tanh(h0.to(self.state_map.dtype) @ self.state_map)[:, None] + 0.5 * steps

        def expected(self, eps, h0):
            with torch.no_grad():
                return self.forward(eps, h0)

    return RecordingRNN()


def rnn_calls(rnn):
    """The (eps, h0) pairs a :func:`recording_rnn` received, and what it returned for each."""
    import torch

    out = []
    for eps, h0 in rnn.calls:
        value = None
        if eps.dim() == 3 and eps.shape[2] == rnn.noise_map.shape[0] and h0.dim() == 2 and \
                tuple(h0.shape) == (eps.shape[0], rnn.state_map.shape[0]):
            with torch.no_grad():
                steps = torch.cumsum(eps.to(rnn.noise_map.dtype) @ rnn.noise_map, dim=1)
                value = torch.tanh(h0.to(rnn.state_map.dtype) @ rnn.state_map)[:, None] + 0.5 * steps
        out.append((eps, h0, value))
    return out


def global_rng_kept(obj, method, *args, **kwargs):
    """Call ``obj.method(*args, **kwargs)`` (``method`` None: ``obj(...)``) and return (its result, whether torch's
    global RNG state is the same afterwards): draws taken from a ``generator`` argument leave it untouched."""
    import torch

    before = torch.get_rng_state()
    fn = obj if method is None else getattr(obj, method)
    result = fn(*args, **kwargs)
    return result, bool(torch.equal(before, torch.get_rng_state()))


def repeated_draws(fn, video, calls, seed, *args, use_generator=True):
    """``fn(video, *args, generator=g)`` called ``calls`` times with one torch.Generator seeded ``seed`` (or, with
    ``use_generator`` False, without it after ``torch.manual_seed(seed)``); the outputs stacked (calls, ...)."""
    import torch

    outs = []
    if use_generator:
        g = torch.Generator().manual_seed(int(seed))
        for _ in range(int(calls)):
            outs.append(fn(video, *args, generator=g).detach())
    else:
        torch.manual_seed(int(seed))
        for _ in range(int(calls)):
            outs.append(fn(video, *args).detach())
    return torch.stack(outs)


def frames_reference(model, z):
    """What MoCoGAN's forward must return for ``z`` (B, T, latent), computed from the submission's own image
    generator ``model.frames`` in its current mode: frames[b * T + t] placed at video[b, :, t]. Batch-norm
    statistics are restored afterwards."""
    import torch

    saved = {n: b.detach().clone() for n, b in model.frames.named_buffers()}
    try:
        with torch.no_grad():
            videos, steps = z.shape[0], z.shape[1]
            frames = model.frames(z.reshape(videos * steps, -1))
            return torch.stack([frames[i * steps:(i + 1) * steps] for i in range(videos)]).transpose(1, 2).contiguous()
    finally:
        with torch.no_grad():
            for n, buf in model.frames.named_buffers():
                buf.copy_(saved[n])


def restore_buffers_after(module, fn_name, *args):
    """``module.fn_name(*args)`` with no gradient and the module's buffers restored afterwards (detached result)."""
    import torch

    saved = {n: b.detach().clone() for n, b in module.named_buffers()}
    try:
        with torch.no_grad():
            out = getattr(module, fn_name)(*args)
    finally:
        with torch.no_grad():
            for n, buf in module.named_buffers():
                buf.copy_(saved[n])
    return out


def step_video(batch, channels, frames, size, seed):
    """The fixed base of :func:`step_generator`'s videos: seeded, distinct for every (b, c, t, h, w)."""
    import torch

    gen = torch.Generator().manual_seed(int(seed))
    return torch.randn(batch, channels, frames, size, size, generator=gen, dtype=torch.float64).float()


def step_generator(channels, size, seed):
    """A stand-in MoCoGAN generator for the training step. ``sample(batch, num_frames, categories=None,
    generator=None)`` returns (video, z): video = 0.5 + 0.4 * tanh(scale * base + shift) (B, C, T, H, W) with a seeded
    base, so every value is POSITIVE (a test tells fake from real, whose values are negative) and every frame is
    distinct; z is the base. ``calls`` records (batch, num_frames, training) of each call; ``backward_count`` counts
    the gradients that reached a sampled video."""
    import torch

    class StepGenerator(_CountsBackward, torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.scale = torch.nn.Parameter(torch.tensor(0.8 + 0.1 * (int(seed) % 3)))
            self.shift = torch.nn.Parameter(torch.tensor(0.1))
            self.calls = []
            self.backward_count = 0

        def sample(self, batch, num_frames, categories=None, generator=None):
            self.calls.append((int(batch), int(num_frames), bool(self.training)))
            base = step_video(batch, channels, num_frames, size, seed)
            return self._watch(0.5 + 0.4 * torch.tanh(self.scale * base + self.shift)), base

        def forward(self, z):
            return 0.5 + 0.4 * torch.tanh(self.scale * z + self.shift)

    return StepGenerator()


def step_discriminator(outputs, seed):
    """A stand-in discriminator that accepts ANY input of shape (B, ...) and returns ``outputs`` logits per sample
    ((B,) for 1, (B, outputs) otherwise): a * mean(x) + b and c * mean(x**2) + d of each sample, seeded a, b, c, d.
    ``records`` holds, for each forward pass, the input (detached copy), whether it required a gradient, a
    fingerprint of the parameters at that moment (it changes when the discriminator is updated), the training flag
    and the logits (detached copy)."""
    import torch

    gen = torch.Generator().manual_seed(int(seed))

    class StepDiscriminator(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.weight = torch.nn.Parameter(torch.randn(2, generator=gen) + torch.tensor([1.5, -1.0]))
            self.bias = torch.nn.Parameter(0.3 * torch.randn(2, generator=gen))
            self.records = []

        def fingerprint(self):
            """A weighted sum of the parameters with incommensurate weights: an update that moves them by equal
            steps up and down (Adam's first step) still changes it."""
            flat = torch.cat([p.detach().double().flatten() for p in self.parameters()])
            return float((flat * torch.arange(1, flat.numel() + 1, dtype=torch.float64).sqrt()).sum())

        def forward(self, x):
            flat = x.reshape(x.shape[0], -1)
            feats = torch.stack([flat.mean(1), (flat ** 2).mean(1)], dim=1)   # (B, 2)
            logits = feats * self.weight + self.bias
            logits = logits[:, 0] if outputs == 1 else logits[:, :outputs]
            self.records.append({"input": x.detach().clone(), "requires_grad": bool(x.requires_grad),
                                 "fingerprint": self.fingerprint(),
                                 "training": bool(self.training), "logits": logits.detach().clone()})
            return logits

    return StepDiscriminator()


def fill_by_kind(module, seed, *inputs):
    """Give every parameter and batch-norm statistic of ``module`` a seeded value that depends only on the owning
    layer's type, the tensor's shapes and how many layers of that type and shapes the forward pass on ``inputs``
    used before it: two networks that compute the same thing with their streams called in another order (VGAN's
    foreground and background) get the same values. Each layer is filled by ``standins_lab5.fill_by_order`` on the
    input it received in that pass, with a seed derived from ``seed`` and that key."""
    import zlib

    from ganlab.grading.netcheck import execution_order
    from ganlab.grading.standins_lab5 import fill_by_order

    mods = dict(module.named_modules())
    received: dict = {}
    hooks = [m.register_forward_pre_hook(lambda mod, args: received.setdefault(id(mod), args))
             for m in module.modules() if any(True for _ in m.parameters(recurse=False))]
    try:
        order = execution_order(module, *inputs)   # one probing pass; the hooks keep each layer's input
    finally:
        for h in hooks:
            h.remove()
    seen: dict = {}
    for name in order:
        m = mods[name]
        if id(m) not in received:
            continue
        key = (type(m).__name__, tuple(tuple(p.shape) for p in m.parameters(recurse=False)))
        k = seen.get(key, 0)
        seen[key] = k + 1
        fill_by_order(m, int(seed) * 1000003 + zlib.crc32(repr((key, k)).encode()), *received[id(m)])
    return None


def buffers_by_kind(module, *inputs):
    """The batch-norm running statistics of ``module`` in the order of :func:`fill_by_kind` (grouped by layer type
    and shape, in forward order within a group), as a list of tensors."""
    import torch

    from ganlab.grading.netcheck import execution_order

    mods = dict(module.named_modules())
    groups: dict = {}
    for name in execution_order(module, *inputs):
        m = mods[name]
        if isinstance(m, torch.nn.modules.batchnorm._NormBase) and m.running_mean is not None:
            key = (type(m).__name__, tuple(m.running_mean.shape))
            groups.setdefault(key, []).extend([m.running_mean.detach().clone(), m.running_var.detach().clone()])
    return [t for key in sorted(groups) for t in groups[key]]


_SAVED_GLOBALS: list = []


def record_globals(obj, names):
    """Wrap each function named in ``names`` in the namespace of ``obj`` (a submitted function, class or module) so
    that every call is recorded (name, args and output, detached copies) before the submission's own function
    answers it; :func:`recorded_calls` reads the records, :func:`restore_globals` undoes the wrapping. A name the
    namespace lacks is left missing."""
    import torch

    if isinstance(obj, torch.nn.Module):
        obj = type(obj)
    fn = (getattr(obj, "parts", None) or getattr(obj, "forward", None)) if isinstance(obj, type) else obj
    namespace = getattr(fn, "__globals__", None)
    if namespace is None:
        return None
    records: list = []

    def detached(value):
        if isinstance(value, torch.Tensor):
            return {"tensor": value.detach().clone(), "requires_grad": bool(value.requires_grad)}
        if isinstance(value, (tuple, list)):
            return [detached(v) for v in value]
        return value if isinstance(value, (int, float, str, bool, type(None))) else repr(value)

    def wrap(name, original):
        def recorder(*args, **kwargs):
            record = {"name": name, "args": detached(list(args)),
                      "kwargs": {k: detached(v) for k, v in kwargs.items() if k != "generator"}, "output": None}
            records.append(record)   # before the call, so that a call that raises is recorded too
            out = original(*args, **kwargs)
            record["output"] = detached(out)
            return out

        return recorder

    saved = {name: namespace[name] for name in names if name in namespace}
    _SAVED_GLOBALS.append((namespace, saved, records))
    for name, original in saved.items():
        namespace[name] = wrap(name, original)
    return None


def recorded_calls():
    """The calls recorded since the last :func:`record_globals`."""
    return _SAVED_GLOBALS[-1][2] if _SAVED_GLOBALS else []


def restore_globals():
    """Undo every :func:`record_globals`."""
    while _SAVED_GLOBALS:
        namespace, saved, _ = _SAVED_GLOBALS.pop()
        namespace.update(saved)
    return None


def weighted_grads(fn, args, output_weights, weights):
    """Call ``fn(*args)`` with every tensor argument requiring a gradient; return the gradients (None where none
    arrived) of sum_k weights[k] * sum(output_k * output_weights[k]) (``output_weights[k]`` None: plain sum) with
    respect to the tensor arguments, in order. A single tensor output is output 0."""
    import torch

    args = [a.detach().clone().requires_grad_(True) if isinstance(a, torch.Tensor) else a for a in args]
    out = fn(*args)
    outs = out if isinstance(out, (tuple, list)) else (out,)
    total = 0
    for value, ow, w in zip(outs, output_weights, weights):
        if isinstance(value, torch.Tensor) and value.requires_grad:
            total = total + float(w) * ((value * ow).sum() if ow is not None else value.sum())
    leaves = [a for a in args if isinstance(a, torch.Tensor)]
    if not isinstance(total, torch.Tensor):
        return [None for _ in leaves]
    grads = torch.autograd.grad(total, leaves, allow_unused=True)
    return [None if g is None else g.detach() for g in grads]
