"""Lab 7 speed: the reference trace term against scipy.linalg.sqrtm at d = 2048, and IS / FID over 10,000 vectors.

    python benchmarks/lab7_speed.py [--threads 2] [--dim 2048] [--n 10000]

The reference functions are read from the solution notebook (solutions/lab7_is_fid), so this file ships no
answers. Both trace computations run in this one process on the same covariances; the relative error is
measured against the float64 sqrtm result. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def reference_namespace() -> dict:
    """Exec the solution notebook's exercise cells (nbgrader solution cells) into a namespace."""
    import math

    import torch

    nb = json.loads((REPO / "solutions/lab7_is_fid/lab7_is_fid.ipynb").read_text(encoding="utf-8"))
    ns = {"torch": torch, "math": math}
    for cell in nb["cells"]:
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
            exec("".join(cell["source"]), ns)  # noqa: S102 - our own reference notebook
    return ns


def best_of(fn, repeats):
    times, out = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return min(times), out


def main(argv=None) -> int:
    import numpy as np
    import scipy.linalg
    import torch

    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--dim", type=int, default=2048)
    parser.add_argument("--n", type=int, default=10000)
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    ns = reference_namespace()
    d, n = args.dim, args.n

    g = torch.Generator().manual_seed(0)
    mix1 = torch.randn(d, d, generator=g, dtype=torch.float64) / d ** 0.5
    mix2 = torch.randn(d, d, generator=g, dtype=torch.float64) / d ** 0.5
    f1 = torch.randn(n, d, generator=g, dtype=torch.float64) @ mix1
    f2 = torch.randn(n, d, generator=g, dtype=torch.float64) @ mix2 + 0.1
    s1, s2 = torch.cov(f1.T), torch.cov(f2.T)

    t_ours, ours = best_of(lambda: ns["trace_sqrt_product"](s1, s2), args.repeats)
    a, b = s1.numpy(), s2.numpy()
    t_sqrtm, ref = best_of(lambda: float(np.trace(scipy.linalg.sqrtm(a @ b)).real), args.repeats)
    rel = abs(ours - ref) / abs(ref)

    feats1, feats2 = f1.float(), f2.float()
    t_fid, fid = best_of(lambda: ns["fid_from_features"](feats1, feats2), 1)
    logits = 3 * torch.randn(n, 1000, generator=g)
    t_is, (is_mean, is_std) = best_of(lambda: ns["inception_score"](logits, splits=10), args.repeats)
    t_kid, kid = best_of(lambda: ns["kernel_inception_distance"](feats1[:2000], feats2[:2000]), 1)

    cpu = platform.processor() or platform.machine()
    print(f"Lab 7 speed, {cpu}, {torch.get_num_threads()} torch threads, torch {torch.__version__}, "
          f"scipy {scipy.__version__} (best of {args.repeats}; one process, same inputs)\n")
    print("| computation | time | result |")
    print("|---|---|---|")
    print(f"| trace term, d = {d}: reference (Cholesky + eigvalsh) | {t_ours:.2f} s | {ours:.6f} |")
    print(f"| trace term, d = {d}: `scipy.linalg.sqrtm` | {t_sqrtm:.2f} s | {ref:.6f} |")
    print(f"| speed-up, relative difference | {t_sqrtm / t_ours:.1f}x | {rel:.1e} |")
    print(f"| FID from {n:,} x {d} features (statistics + trace) | {t_fid:.2f} s | {fid:.4f} |")
    print(f"| IS of {n:,} x 1000 logits, 10 splits | {t_is:.3f} s | {is_mean:.3f} ± {is_std:.3f} |")
    print(f"| KID of 2,000 vs 2,000 x {d} features | {t_kid:.2f} s | {kid:.5f} |")
    ok = t_sqrtm / t_ours >= 3 and rel <= 1e-6
    print(f"\ntarget (>= 3x faster, relative error <= 1e-6): {'met' if ok else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
