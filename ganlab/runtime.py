"""Device selection, seeding, the fast/full switch and progress bars, each in one place.

Every lab calls :func:`setup` in its first code cell; nothing else in the
workbook decides the device or the run size on its own.
"""

from __future__ import annotations

import os
import platform
import random
import sys
from dataclasses import dataclass

#: Environment variable that forces a run size: ``fast`` or ``full``.
MODE_ENV = "GANLAB_MODE"


#: The device :func:`setup` chose (``None`` before it ran); the automatic run size follows it.
_chosen_device: str | None = None


def mode_choice() -> tuple[bool, str]:
    """``(fast, why)``: whether training is shortened (same code path, fewer steps), and why, in a few words.

    In this order: ``GANLAB_MODE=fast|full``; fast under CI (``CI`` set), under nbgrader autograde/validate
    (``NBGRADER_EXECUTION`` set) and inside the grader's worker (``GANLAB_GRADING`` set); otherwise full on a
    GPU (CUDA or Apple MPS) and fast on a CPU, where the full runs take many minutes per lab.
    """
    forced = os.environ.get(MODE_ENV, "").strip().lower()
    if forced in {"fast", "full"}:
        return forced == "fast", f"{MODE_ENV}={forced}"
    if forced:
        raise ValueError(f"{MODE_ENV} must be 'fast' or 'full', got {forced!r}")
    for name, why in (("CI", "under CI"), ("NBGRADER_EXECUTION", "under nbgrader"),
                      ("GANLAB_GRADING", "while grading")):
        if os.environ.get(name):
            return True, why
    device = _chosen_device or str(get_device())
    if device.split(":")[0] == "cpu":
        return True, "no GPU: running on the CPU"
    return False, f"GPU ({device})"


def is_fast_mode() -> bool:
    """True when training should be shortened (same code path, fewer steps); see :func:`mode_choice`."""
    return mode_choice()[0]


def mode_line() -> str:
    """One line for the setup cell: the run size chosen, why, and how to switch."""
    fast, why = mode_choice()
    if fast:
        return (f"Fast mode ({why}): shorter training, same code. Full runs: use a GPU, or run "
                f"`%env {MODE_ENV}=full` and then this cell again (slow on a CPU).")
    return f"Full mode ({why}). For a quick pass run `%env {MODE_ENV}=fast` and then this cell again."


def steps(full: int, fast: int) -> int:
    """Pick a loop length: ``full`` normally, ``fast`` in fast mode."""
    if full < 1 or fast < 1:
        raise ValueError("step counts must be positive")
    return fast if is_fast_mode() else full


def get_device(prefer: str | None = None):
    """The one place the workbook chooses a device: CUDA, then Apple MPS, then CPU.

    ``prefer`` (or the ``GANLAB_DEVICE`` environment variable) forces a device
    such as ``"cpu"``; asking for a device that is not available raises a
    ``RuntimeError`` that says what is.
    """
    import torch

    wanted = prefer or os.environ.get("GANLAB_DEVICE")
    available = ["cpu"]
    if torch.cuda.is_available():
        available.insert(0, "cuda")
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        available.insert(0 if "cuda" not in available else 1, "mps")
    if wanted:
        kind = wanted.split(":")[0]
        if kind not in available:
            raise RuntimeError(f"device {wanted!r} is not available here; available: {', '.join(available)}")
        return torch.device(wanted)
    return torch.device(available[0])


def seed_everything(seed: int = 0) -> None:
    """Seed Python, NumPy and torch (all devices) so runs repeat."""
    random.seed(seed)
    try:
        import numpy as np

        np.random.seed(seed)
    except ImportError:  # numpy is optional for seeding
        pass
    import torch

    torch.manual_seed(seed)


@dataclass(frozen=True)
class RunInfo:
    seed: int
    device: str
    fast: bool
    python: str
    torch: str
    hardware: str

    def __str__(self) -> str:
        mode = "fast" if self.fast else "full"
        return (
            f"seed {self.seed} | device {self.device} ({self.hardware}) | {mode} mode | "
            f"Python {self.python} | torch {self.torch}"
        )


def hardware_name(device) -> str:
    """A short human description of where code runs, for labelling figures."""
    import torch

    if device.type == "cuda":
        return torch.cuda.get_device_name(device)
    if device.type == "mps":
        return "Apple GPU (MPS)"
    return f"{platform.processor() or platform.machine()} CPU, {torch.get_num_threads()} threads"


def setup(seed: int = 0, device: str | None = None, verbose: bool = True) -> RunInfo:
    """Seed everything, choose the device and report versions; returns a :class:`RunInfo`."""
    import torch

    global _chosen_device
    seed_everything(seed)
    dev = get_device(device)
    _chosen_device = str(dev)
    info = RunInfo(
        seed=seed,
        device=str(dev),
        fast=is_fast_mode(),
        python=platform.python_version(),
        torch=torch.__version__,
        hardware=hardware_name(dev),
    )
    if verbose:
        print(info)
        print(mode_line())
    return info


def headless() -> bool:
    """True in a batch run of a notebook, where nobody watches: ``GANLAB_STATIC_FIGURES`` set (our notebook
    runner sets it), under nbgrader (``NBGRADER_EXECUTION``), or under CI without a terminal. There no widget is
    drawn (figures stay static, progress bars are off): nobody could use them, their saved views are unreadable,
    and widget messages are the prime suspect of a Jupyter client stall seen after long cells (README)."""
    if os.environ.get("GANLAB_STATIC_FIGURES") or os.environ.get("NBGRADER_EXECUTION"):
        return True
    return bool(os.environ.get("CI")) and not sys.stderr.isatty()


def progress(iterable=None, total: int | None = None, desc: str | None = None, **kwargs):
    """A tqdm progress bar (notebook-aware), off in a batch run (:func:`headless`)."""
    from tqdm.auto import tqdm

    disable = kwargs.pop("disable", None)
    if disable is None:
        disable = headless()
    return tqdm(iterable, total=total, desc=desc, disable=disable, **kwargs)
