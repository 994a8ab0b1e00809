"""Stand-ins and probes for Lab 5 (pix2pix) that tests pass into, or run next to, student code.

Nothing here computes an exercise's answer: the networks are tiny recording stand-ins (a convolution each), and
the probes set parameters, count them, or observe a forward pass. They run in the submission's process, so they
work the same in a notebook and in the grader's sandboxed worker.
"""

from __future__ import annotations

from ganlab.grading.standins import _CountsBackward


def fill_by_order(module, seed, *inputs):
    """Give every parameter and batch-norm statistic of ``module`` a seeded value, in the order its forward pass on
    ``inputs`` uses the layers (whatever the attribute names), so that a test knows every number it computes with.

    Weights are normal with standard deviation 1/sqrt(fan-in) (the outputs stay of order one through a deep
    stack), biases and batch-norm shifts 0.2 * normal, batch-norm scales 1 + 0.2 * normal, running means
    0.1 * normal and running variances uniform in [0.5, 1.5) (so evaluation mode differs from training mode).
    """
    import torch

    from ganlab.grading.netcheck import execution_order

    gen = torch.Generator().manual_seed(int(seed))
    mods = dict(module.named_modules())
    with torch.no_grad():
        for name in execution_order(module, *inputs):
            m = mods[name]
            is_norm = isinstance(m, torch.nn.modules.batchnorm._NormBase)
            for pname, p in m.named_parameters(recurse=False):
                noise = torch.randn(p.shape, generator=gen, dtype=torch.float64)
                if is_norm and pname == "weight":
                    value = 1 + 0.2 * noise
                elif p.dim() <= 1:
                    value = 0.2 * noise
                else:
                    fan_in = p.numel() // p.shape[0]
                    value = noise / fan_in ** 0.5
                p.copy_(value.to(p.dtype))
            if is_norm and getattr(m, "running_mean", None) is not None:
                m.running_mean.copy_(0.1 * torch.randn(m.running_mean.shape, generator=gen, dtype=torch.float64))
                m.running_var.copy_(torch.rand(m.running_var.shape, generator=gen, dtype=torch.float64) + 0.5)
    return None


def count_parameters_meta(cls, kwargs):
    """The number of parameters of ``cls(**kwargs)`` built on PyTorch's meta device (no memory, no initialisation
    cost), so a test can count a 54-million-parameter network in milliseconds."""
    import torch

    with torch.device("meta"):
        net = cls(**kwargs)
    return int(sum(p.numel() for p in net.parameters()))


def train_mode_outputs(module, inputs, seeds):
    """``module``'s outputs in training mode, one per torch seed in ``seeds`` (dropout draws differ by seed), with
    the module's batch-norm statistics restored after each pass and its mode restored at the end."""
    import torch

    was = module.training
    saved = {n: b.detach().clone() for n, b in module.named_buffers()}
    outs = []
    module.train()
    try:
        for seed in seeds:
            torch.manual_seed(int(seed))
            with torch.no_grad():
                outs.append(module(*inputs).detach().clone())
            with torch.no_grad():
                for n, b in module.named_buffers():
                    b.copy_(saved[n])
    finally:
        module.train(was)
    return outs


def step_generator(in_channels, out_channels, seed):
    """A float32 stand-in generator ``x (B, C_in, H, W) -> (B, C_out, H, W)``: a 3 x 3 convolution (padding 1) and a
    Tanh with seeded weights. ``calls`` holds the training flag of each forward pass; ``backward_count`` counts the
    gradients that reached its output (each loss built from an undetached fake adds one)."""
    import torch

    gen = torch.Generator().manual_seed(int(seed))

    class StepGenerator(_CountsBackward, torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = torch.nn.Conv2d(in_channels, out_channels, 3, padding=1)
            with torch.no_grad():
                for p in self.conv.parameters():
                    p.copy_(torch.randn(p.shape, generator=gen) * 0.4)
            self.calls = []
            self.backward_count = 0

        def forward(self, x):
            self.calls.append(bool(self.training))
            return self._watch(torch.tanh(self.conv(x)))

    return StepGenerator()


def step_discriminator(in_channels, seed):
    """A float32 stand-in patch discriminator ``(B, C, H, W) -> logits (B, 1, H - 1, W - 1)`` (one 2 x 2 convolution
    with seeded weights). Each forward pass appends to ``records`` a dict: the input (detached copy), whether it
    required a gradient, the sum of the discriminator's weights at that moment (it changes when D is updated),
    the training flag, and the logits (detached copy). An input without the pair's channels raises ValueError
    (after it is recorded, so a test can say what D was given)."""
    import torch

    gen = torch.Generator().manual_seed(int(seed))

    class StepDiscriminator(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = torch.nn.Conv2d(in_channels, 1, 2)
            with torch.no_grad():
                for p in self.conv.parameters():
                    p.copy_(torch.randn(p.shape, generator=gen) * 0.6)
            self.records = []

        def forward(self, x):
            record = {"input": x.detach().clone(), "requires_grad": bool(x.requires_grad),
                      "fingerprint": float(self.conv.weight.detach().double().sum()), "training": bool(self.training)}
            self.records.append(record)
            if x.dim() != 4 or x.shape[1] != in_channels:
                raise ValueError(f"this discriminator judges (condition, image) pairs of {in_channels} channels, "
                                 f"got an input of shape {tuple(x.shape)}")
            out = self.conv(x)
            record["logits"] = out.detach().clone()
            return out

    return StepDiscriminator()


def grads_of_outputs(fn, args, differentiable, picks, weights):
    """Call ``fn(*args)`` with the arguments at ``differentiable`` requiring gradients; return, for each index in
    ``picks`` of the (tuple) result, the detached value and the gradients of ``sum(value * weight)`` (None where
    no gradient arrived or the value is not a tensor with a graph)."""
    import torch

    args = list(args)
    for i in differentiable:
        args[i] = args[i].detach().clone().requires_grad_(True)
    out = fn(*args)
    results = []
    for k, w in zip(picks, weights):
        value = out[k] if isinstance(out, (tuple, list)) else out
        if not isinstance(value, torch.Tensor) or not value.requires_grad:
            detached = value.detach() if isinstance(value, torch.Tensor) else value
            results.append((detached, [None for _ in differentiable]))
            continue
        grads = torch.autograd.grad((value * float(w)).sum(), [args[i] for i in differentiable], allow_unused=True,
                                    retain_graph=True)
        results.append((value.detach(), [None if g is None else g.detach() for g in grads]))
    return results


def noisy_blocks(module, inputs, type_name):
    """For each sub-module of ``module`` whose class is called ``type_name``, in the order a train-mode forward pass on
    ``inputs`` first calls them: whether that block, called again on the very input it received, gives different
    outputs under three torch seeds (so it draws random numbers: dropout, as an nn.Dropout module or F.dropout).
    Batch-norm statistics and the module's mode are restored afterwards."""
    import torch

    captured, blocks, hooks = {}, [], []

    def watch(name):
        def pre(mod, args):
            if name not in captured:
                captured[name] = tuple(a.detach().clone() if isinstance(a, torch.Tensor) else a for a in args)
                blocks.append((name, mod))
        return pre

    for name, m in module.named_modules():
        if type(m).__name__ == type_name:
            hooks.append(m.register_forward_pre_hook(watch(name)))
    was = module.training
    saved = {n: b.detach().clone() for n, b in module.named_buffers()}
    module.train()
    out = []
    try:
        with torch.no_grad():
            module(*inputs)
            for name, m in blocks:
                results = []
                for seed in (1, 2, 3):
                    torch.manual_seed(seed)
                    results.append(m(*captured[name]))
                out.append(any(not torch.equal(results[0], r) for r in results[1:]))
    finally:
        for h in hooks:
            h.remove()
        with torch.no_grad():
            for n, b in module.named_buffers():
                b.copy_(saved[n])
        module.train(was)
    return out
