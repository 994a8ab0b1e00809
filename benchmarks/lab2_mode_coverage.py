"""Lab 2 quality figure: mode coverage of the reference GAN on the ring and the grid, 5 seeds each.

The reference code is read from the solution notebook (its definitions only, as the grader reads
them), not copied here, so this measures exactly what the notebook teaches::

    python benchmarks/lab2_mode_coverage.py                 # the goal configuration: ring and grid, seeds 0-4
    python benchmarks/lab2_mode_coverage.py --toys ring --seeds 0 1
    python benchmarks/lab2_mode_coverage.py --variant non-saturating     # the plain GAN of sections 9 and 11

The default variant is the notebook's ``GOAL_VARIANT`` trained for ``GOAL_STEPS`` generator steps (both
defined in the notebook); any other variant of ``loss_variant`` trains for ``STEPS`` below unless ``--steps``.

Metric (Srivastava et al. 2017, VEEGAN, sec. 5.1): 2,500 samples; a sample is high quality if it lies
within 3 standard deviations of its nearest mode; a mode is captured if it has at least one
high-quality sample. Goals (issue "Lab 2"): ring 8/8 modes with >= 95% high quality within 60 s of
training per run; grid >= 24/25 with >= 90% within 120 s per run (means over 5 seeds, 2-core CPU).
Training runs one at a time on one torch thread; the load average is printed with every run, since other
jobs on the machine lengthen the wall times.
"""

from __future__ import annotations

import argparse
import inspect
import os
import platform
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK = REPO / "solutions" / "lab2_vanilla_gan" / "lab2_vanilla_gan.ipynb"

#: Training length per toy (generator steps) for variants other than the notebook's GOAL_VARIANT (the
#: length the plain non-saturating GAN was measured with), and the CPU-time goal a run must fit in.
STEPS = {"ring": 5000, "grid": 10000}
BUDGET_S = {"ring": 60, "grid": 120}
GOALS = {"ring": (8, 0.95), "grid": (24, 0.90)}


def reference_namespace() -> dict:
    """Execute the solution notebook's definitions (imports, defs, classes, plain assignments) in a namespace."""
    sys.path.insert(0, str(REPO))
    from autograder.notebook import load

    namespace: dict = {"__name__": "lab2_reference"}
    for statement in load(NOTEBOOK).statements:
        exec(compile(statement.code, f"<lab2 cell {statement.cell}>", "exec"), namespace)
    return namespace


def _load() -> float:
    """The 1-minute load average (NaN where the platform has none)."""
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--toys", nargs="+", default=["ring", "grid"], choices=sorted(STEPS))
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2, 3, 4])
    parser.add_argument("--variant", default=None, help="a name of the notebook's loss_variant "
                        "(default: its GOAL_VARIANT)")
    parser.add_argument("--steps", type=int, default=None, help="generator steps per run (default: GOAL_STEPS "
                        "for the goal variant, STEPS otherwise)")
    parser.add_argument("--threads", type=int, default=1)
    # Ablations of the goal configuration (section 12 of the notebook): override one ingredient at a time.
    parser.add_argument("--lr", type=float, default=None, help="override the variant's Adam learning rate")
    parser.add_argument("--betas", type=float, nargs=2, default=None, help="override the variant's Adam betas")
    parser.add_argument("--batch-size", type=int, default=None, help="override the variant's batch size")
    parser.add_argument("--r1-gamma", type=float, default=None,
                        help="replace the variant's penalty by R1 with this weight (0: no penalty)")
    args = parser.parse_args(argv)

    os.environ.setdefault("CI", "1")  # quiet progress bars
    os.environ.setdefault("GANLAB_MODE", "full")  # the step counts are explicit; the notebook's setup line says so
    import torch

    torch.set_num_threads(args.threads)
    ns = reference_namespace()
    variant = args.variant or ns["GOAL_VARIANT"]
    options = ns["loss_variant"](variant)
    options.pop("probability", None)
    for name, value in (("lr", args.lr), ("betas", args.betas), ("batch_size", args.batch_size)):
        if value is not None:
            options[name] = tuple(value) if name == "betas" else value
    if args.r1_gamma is not None:
        gamma = args.r1_gamma
        options["penalty"] = (None if gamma == 0 else
                              lambda critic, xr, xf: ns["r1_penalty"](critic, xr, xf, gamma=gamma))
    steps = {toy: args.steps or (ns["GOAL_STEPS"][toy] if variant == ns["GOAL_VARIANT"] else STEPS[toy])
             for toy in args.toys}
    defaults = inspect.signature(ns["train_toy"]).parameters
    setting = {name: options.get(name, defaults[name].default) for name in ("batch_size", "lr", "betas", "k")}
    penalty = options.get("penalty")
    print(f"Lab 2 mode coverage | {platform.processor() or platform.machine()} CPU, {os.cpu_count()} cores, "
          f"torch {torch.__version__}, {args.threads} thread(s), load average {_load():.1f} at start")
    print(f"variant {variant}: MLP 3 x 128 ReLU, latent {ns['LATENT_DIM']}, batch {setting['batch_size']}, Adam lr "
          f"{setting['lr']:g} betas {tuple(setting['betas'])} decayed linearly to 0, k = {setting['k']}, "
          f"{'no penalty' if not penalty else 'penalty' if args.r1_gamma is None else f'R1 gamma {args.r1_gamma:g}'}"
          f"; steps {steps}")
    for toy in args.toys:
        rows = []
        for seed in args.seeds:
            load_before = _load()
            _, _, history = ns["train_toy"](toy, num_steps=steps[toy], seed=seed, eval_every=steps[toy], **options)
            load_after = _load()
            rows.append((seed, history.modes[-1], history.quality[-1], history.steps, history.seconds))
            print(f"  {toy} seed {seed}: {history.modes[-1]:2d}/{len(ns['toy_setup'](toy)[0])} modes, "
                  f"{100 * history.quality[-1]:5.1f}% high quality, {history.steps} steps in {history.seconds:5.1f} s "
                  f"({history.steps / history.seconds:.0f} steps/s), load average {load_before:.2f} before, "
                  f"{load_after:.2f} after", flush=True)
        n = len(rows)
        mean_modes = sum(r[1] for r in rows) / n
        mean_quality = sum(r[2] for r in rows) / n
        mean_seconds = sum(r[4] for r in rows) / n
        max_seconds = max(r[4] for r in rows)
        goal_modes, goal_quality = GOALS[toy]
        met = mean_modes >= goal_modes and mean_quality >= goal_quality and max_seconds <= BUDGET_S[toy]
        print(f"  {toy} mean over {n} seeds: {mean_modes:.1f} modes, {100 * mean_quality:.1f}% high quality, "
              f"{mean_seconds:.1f} s per run, longest {max_seconds:.1f} s (goal {goal_modes} modes / "
              f"{100 * goal_quality:.0f}% within {BUDGET_S[toy]} s per run: {'met' if met else 'NOT met'})",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
