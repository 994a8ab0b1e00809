"""Lab 3's loss spikes: are they caused by the progress snapshots, and does Adam's second-moment memory matter?

Trains the reference DCGAN of the Lab 3 solution (its exercise cells, 32 x 32, base width 32, latent 100, batch 64,
Adam 2e-4, beta1 0.5) on offline faces and prints the steps with the largest discriminator losses, the median, and
the largest value. Run twice with the same seed, once with snapshots every 150 steps and once with none, the
losses must be identical if sampling has no side effect; ``--beta2`` changes Adam's second-moment decay.

    python benchmarks/lab3_spikes.py --snapshot-every 150
    python benchmarks/lab3_spikes.py --snapshot-every 100000
    python benchmarks/lab3_spikes.py --snapshot-every 100000 --beta2 0.99
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import torch

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def reference_namespace() -> dict:
    """The Lab 3 solution's exercise cells (Generator, Discriminator, init_weights, train_step, sample...)."""
    nb = json.loads((REPO / "solutions" / "lab3_dcgan" / "lab3_dcgan.ipynb").read_text())
    ns: dict = {}
    exec("import math\nimport torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n", ns)
    for cell in nb["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "code" and "### BEGIN SOLUTION" in source:
            exec(source, ns)
    return ns


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=620)
    parser.add_argument("--faces", type=int, default=4000)
    parser.add_argument("--snapshot-every", type=int, default=150)
    parser.add_argument("--beta2", type=float, default=0.999)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    from ganlab.data import offline_faces
    from ganlab.training import fit_gan

    ns = reference_namespace()
    faces, _ = offline_faces(args.faces, seed=0, size=32)
    torch.manual_seed(0)
    generator, discriminator = ns["Generator"](100, 32, 32), ns["Discriminator"](32, 32)
    generator.apply(ns["init_weights"])
    discriminator.apply(ns["init_weights"])
    opt_g, opt_d = (torch.optim.Adam(n.parameters(), lr=2e-4, betas=(0.5, args.beta2)) for n in (generator, discriminator))
    history = fit_gan(ns["train_step"], generator, discriminator, opt_g, opt_d, faces, steps=args.steps,
                      batch_size=64, latent_dim=100, sample_fn=ns["sample"], snapshot_every=args.snapshot_every,
                      seed=0, progress=False)
    d = history.d_loss
    late = range(50, len(d))  # after the first steps (a coin-flipping D starts near 2 log 2)
    top = sorted(sorted(late, key=lambda i: -d[i])[:8])
    print(f"{args.steps} steps, {args.faces} faces, snapshots every {args.snapshot_every}, Adam beta2 {args.beta2}: "
          f"median L_D {sorted(d)[len(d) // 2]:.3f}, largest after step 50 {max(d[i] for i in late):.2f}")
    print("  steps with the 8 largest L_D after step 50:", ", ".join(f"{i} ({d[i]:.2f})" for i in top))
    print(f"  load average {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
