"""Figures shared by the labs: image grids, training curves, and interactive-or-static controls."""

from __future__ import annotations

from typing import Callable, Mapping, Sequence


def image_grid(images, nrow: int = 8, value_range=(-1.0, 1.0), title: str | None = None, ax=None):
    """Show a batch of images ``(B, C, H, W)`` in ``value_range`` as one grid; returns the axes."""
    import matplotlib.pyplot as plt
    import torch

    x = images.detach().float().cpu()
    if x.dim() != 4:
        raise ValueError(f"image_grid expects (B, C, H, W), got shape {tuple(x.shape)}")
    lo, hi = value_range
    x = ((x - lo) / (hi - lo)).clamp(0, 1)
    b, c, h, w = x.shape
    ncol = min(nrow, b)
    nrows = (b + ncol - 1) // ncol
    pad = 2
    grid = torch.ones(c, nrows * (h + pad) + pad, ncol * (w + pad) + pad)
    for i in range(b):
        r, col = divmod(i, ncol)
        grid[:, pad + r * (h + pad): pad + r * (h + pad) + h, pad + col * (w + pad): pad + col * (w + pad) + w] = x[i]
    if ax is None:
        _, ax = plt.subplots(figsize=(min(12, 1.2 * ncol), min(12, 1.2 * nrows)))
    if c == 1:
        ax.imshow(grid[0].numpy(), cmap="gray", vmin=0, vmax=1)
    else:
        ax.imshow(grid.permute(1, 2, 0).numpy())
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    return ax


def plot_curves(curves: Mapping[str, Sequence[float]], xlabel: str = "step", ylabel: str = "loss",
                title: str | None = None, logy: bool = False, ax=None):
    """Plot named curves (e.g. ``{"D loss": [...], "G loss": [...]}``) on one axes."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3.5))
    for name, values in curves.items():
        ax.plot(list(values), label=name)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if logy:
        ax.set_yscale("log")
    if title:
        ax.set_title(title)
    ax.legend()
    ax.grid(alpha=0.3)
    return ax


def widgets_available() -> bool:
    """True when ipywidgets can render here (a live Jupyter or Colab kernel, not a batch run)."""
    try:
        import ipywidgets  # noqa: F401 - only whether it imports matters
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def interactive_or_static(draw: Callable[..., None],
                          controls: "Mapping[str, object] | Callable[[], Mapping[str, object]]",
                          static: Sequence[Mapping[str, object]]):
    """Draw ``draw(**kwargs)`` once per keyword set in ``static``, then offer live controls.

    The static figures are always drawn, so a rendered notebook (GitHub, nbviewer,
    a CI run) shows them without a kernel. Where ipywidgets can render (a live
    Jupyter or Colab kernel) the function also returns an ``ipywidgets.interact``
    panel over ``controls`` (argument name -> widget or interact abbreviation; or a function returning that
    mapping, so that no widget is even created in a batch run, where creating one already sends messages).
    Set ``GANLAB_STATIC_FIGURES=1`` to skip the widgets (batch runs skip them anyway: ``runtime.headless``).
    """
    from ganlab import runtime

    for kwargs in static:
        draw(**kwargs)
    if widgets_available() and not runtime.headless():
        import ipywidgets

        return ipywidgets.interactive(draw, **(controls() if callable(controls) else controls))
    return None
