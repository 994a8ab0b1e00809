"""Lab 3 figures: DCGAN training throughput, and FID after a fixed CPU budget on the offline faces.

The reference networks and training step are read from the solution notebook (its definitions only,
as the grader reads them), so this measures exactly what the lab teaches::

    python benchmarks/lab3_dcgan.py throughput            # images/s at 32 and 64 (CPU: 2 threads; GPU: + channels_last, bf16)
    python benchmarks/lab3_dcgan.py fid --minutes 10      # train 32 x 32 for 10 minutes, FID floor / ceiling / trained
    python benchmarks/lab3_dcgan.py fid --train-steps 3600  # the same budget in steps (for a busy machine)

FID uses ``ganlab.quality.measure_quality`` with the ``"offline-faces"`` extractor on 2,000 images per set:
floor = two independent sets of real (offline) faces, ceiling = the untrained generator, and
gap closed = 1 - (FID - floor) / (ceiling - floor). Goal (issue "Lab 3"): >= 0.8 after 10 minutes on the
2-core CPU at 32 x 32.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import REPO, machine, reference_namespace  # noqa: E402

NOTEBOOK = REPO / "solutions" / "lab3_dcgan" / "lab3_dcgan.ipynb"
LATENT_DIM = 100


def _networks(ns, size, base, device, channels_last=False):
    import torch

    torch.manual_seed(0)
    g = ns["Generator"](LATENT_DIM, base, size).to(device)
    d = ns["Discriminator"](base, size).to(device)
    g.apply(ns["init_weights"])
    d.apply(ns["init_weights"])
    if channels_last:
        g, d = g.to(memory_format=torch.channels_last), d.to(memory_format=torch.channels_last)
    opt_g = torch.optim.Adam(g.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(d.parameters(), lr=2e-4, betas=(0.5, 0.999))
    return g, d, opt_g, opt_d


def throughput(ns, device, size, base, steps, batch=64, channels_last=False, bf16=False) -> float:
    """Images per second of the reference train_step (one D step and one G step per batch)."""
    import torch

    g, d, opt_g, opt_d = _networks(ns, size, base, device, channels_last)
    x = torch.rand(batch, 3, size, size, device=device) * 2 - 1
    if channels_last:
        x = x.contiguous(memory_format=torch.channels_last)
    z = torch.randn(batch, LATENT_DIM, device=device)
    autocast = torch.autocast(device.type, dtype=torch.bfloat16) if bf16 else contextlib.nullcontext()

    def run(n):
        with autocast:
            for _ in range(n):
                ns["train_step"](g, d, opt_g, opt_d, x, z)
        if device.type == "cuda":
            torch.cuda.synchronize()

    run(2)  # warm-up (allocator, cuDNN autotuning)
    start = time.perf_counter()
    run(steps)
    return steps * batch / (time.perf_counter() - start)


def cmd_throughput(ns, device, args) -> None:
    configs = [(32, 32), (32, 64), (64, 64)]
    variants = [(False, False)] + ([(True, False), (False, True), (True, True)] if device.type == "cuda" else [])
    print(f"| image size | base width | channels_last | bf16 autocast | images/s | s/step (batch 64) |")
    print("|---|---|---|---|---|---|")
    for size, base in configs:
        steps = args.steps or (200 if device.type == "cuda" else max(3, int(60 / (size / 32) ** 2 / (base / 32) ** 2)))
        for channels_last, bf16 in variants:
            ips = throughput(ns, device, size, base, steps, channels_last=channels_last, bf16=bf16)
            print(f"| {size} | {base} | {'yes' if channels_last else 'no'} | {'yes' if bf16 else 'no'} | {ips:.0f} | "
                  f"{64 / ips:.3f} |", flush=True)


def cmd_fid(ns, device, args) -> None:
    import torch

    from ganlab import quality
    from ganlab.data import offline_faces
    from ganlab.training import fit_gan

    size, base, n = 32, args.base, args.n
    faces, _ = offline_faces(args.train, seed=0, size=size)
    real_ref, _ = offline_faces(n, seed=1001, size=size)
    real_other, _ = offline_faces(n, seed=1002, size=size)
    g, d, opt_g, opt_d = _networks(ns, size, base, device)
    eval_z = torch.randn(n, LATENT_DIM, generator=torch.Generator().manual_seed(2)).to(device)

    def fid(images):
        return quality.measure_quality(real_ref, images, extractor="offline-faces")["fid"]

    def generate(net):
        return torch.cat([ns["sample"](net, eval_z[i:i + 500]).cpu() for i in range(0, n, 500)])

    floor, ceiling = fid(real_other), fid(generate(g))
    steps, budget = (args.train_steps, None) if args.train_steps else (10**7, args.minutes * 60)
    history = fit_gan(ns["train_step"], g, d, opt_g, opt_d, faces, steps=steps, batch_size=64, latent_dim=LATENT_DIM,
                      device=device, sample_fn=ns["sample"], snapshot_every=10**9, time_budget=budget,
                      seed=args.seed, progress=False)
    trained = fid(generate(g))
    gap = 1 - (trained - floor) / (ceiling - floor)
    load = os.getloadavg()[0]
    print(f"32 x 32, base width {base}, seed {args.seed}: {history.steps} steps in {history.seconds:.0f} s "
          f"({history.images_per_second:.0f} images/s, load average {load:.2f})")
    print(f"FID floor {floor:.2f}, ceiling {ceiling:.2f}, trained {trained:.2f}: gap closed {gap:.3f} "
          f"(goal >= 0.8; {n} images per set, extractor 'offline-faces')")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["throughput", "fid"])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--steps", type=int, default=0, help="timed steps per configuration (default: by size)")
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--train-steps", type=int, default=0,
                        help="train this many steps instead of --minutes (3600 = 10 quiet minutes at 32 x 32, base 32)")
    parser.add_argument("--base", type=int, default=32)
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--train", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    os.environ.setdefault("CI", "1")  # quiet progress bars
    import torch

    from ganlab import runtime

    torch.set_num_threads(args.threads)
    device = runtime.get_device()
    ns = reference_namespace(NOTEBOOK, "lab3_reference")
    print(f"{machine()}, torch {torch.__version__}, device {runtime.hardware_name(device)}, "
          f"{torch.get_num_threads()} threads")
    {"throughput": cmd_throughput, "fid": cmd_fid}[args.what](ns, device, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
