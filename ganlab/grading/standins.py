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


def probe_generator(latent_dim, data_dim, seed, dtype="float64"):
    """A :func:`tiny_mlp` generator that counts backward passes through its output (``backward_count``).

    A gradient reaches the generator's output only when a loss was built from a fake batch that
    was not detached; the count tells a test how many losses did that.
    """
    import torch

    class ProbeGenerator(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.net = tiny_mlp(latent_dim, data_dim, seed, dtype=dtype)
            self.backward_count = 0

        def forward(self, noise):
            out = self.net(noise)
            if out.requires_grad:
                out.register_hook(self._count)
            return out

        def _count(self, grad):
            self.backward_count += 1
            return grad

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
