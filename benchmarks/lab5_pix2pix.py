"""Lab 5 quality figure: L1 alone, the cGAN alone and L1 + cGAN on the same step budget, judged on held-out photos.

The reference networks and the step are read from the solution notebook (its definitions only, as the grader
reads them), and the loop is ``ganlab.pix2pix.fit_pix2pix``, so this measures exactly what the lab runs::

    python benchmarks/lab5_pix2pix.py                                  # edges2photo, 32 x 32, the lab's CPU setting
    python benchmarks/lab5_pix2pix.py --task grey2colour --steps 800   # the other task, fewer steps
    python benchmarks/lab5_pix2pix.py --size 64 --num-downs 6          # 64 x 64 (much slower on a CPU)
    python benchmarks/lab5_pix2pix.py --seed 1 --threads 1             # another seed; one thread on a busy machine

Data: ``ganlab.data.photos`` crops of real scikit-image photos; the test crops come from whole photos held out of
training. Metrics (``ganlab.quality``, images mapped to [0, 1], data_range 1): PSNR (dB), SSIM, and the
sharpness ratio (mean gradient magnitude of the outputs over that of the targets; 1 = as sharp as the photos).
Outputs are drawn in evaluation mode (running batch statistics, no dropout) and, for the last column, in training
mode as the paper does at test time. Baseline: the input itself as the answer. Goal (issue 16): L1 + cGAN
measurably sharper than L1 alone at comparable PSNR, both above the baseline, in at most 10 CPU minutes.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import REPO, machine, reference_namespace  # noqa: E402

NOTEBOOK = REPO / "solutions" / "lab5_pix2pix" / "lab5_pix2pix.ipynb"
MODELS = ("l1", "cgan", "l1+cgan")


def build(ns, args):
    """A fresh (G, D) pair of the lab's CPU configuration, seeded."""
    import torch

    torch.manual_seed(args.seed)
    g = ns["UNetGenerator"](3, 3, num_downs=args.num_downs, ngf=args.ngf)
    d = ns["PatchDiscriminator"](6, ndf=args.ndf, n_layers=args.n_layers)
    return g, d


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="*", default=list(MODELS), choices=MODELS)
    parser.add_argument("--task", default="edges2photo", choices=["edges2photo", "grey2colour"])
    parser.add_argument("--steps", type=int, default=1500, help="training steps per model")
    parser.add_argument("--size", type=int, default=32)
    parser.add_argument("--num-downs", type=int, default=5)
    parser.add_argument("--ngf", type=int, default=32)
    parser.add_argument("--ndf", type=int, default=32)
    parser.add_argument("--n-layers", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)

    import torch

    from ganlab import pix2pix
    from ganlab.data.photos import load_photos, make_pair

    torch.set_num_threads(args.threads)
    ns = reference_namespace(NOTEBOOK, "lab5_reference")
    x, y = make_pair(load_photos(args.size, "train", seed=0), args.task)
    x_test, y_test = make_pair(load_photos(args.size, "test", seed=0), args.task)
    wall, cpu = time.perf_counter(), time.process_time()
    print(f"{machine()}; {args.threads} threads; load average {os.getloadavg()}; task {args.task}, "
          f"{args.size} x {args.size}, {len(x)} training and {len(x_test)} held-out pairs; U-Net num_downs "
          f"{args.num_downs} ngf {args.ngf}, PatchGAN n_layers {args.n_layers} ndf {args.ndf}; batch "
          f"{args.batch_size}, {args.steps} steps, seed {args.seed}", flush=True)
    rows = {"baseline: the input": pix2pix.quality(x_test, y_test)}
    for name in args.models:
        g, d = build(ns, args)
        step = pix2pix.l1_only_step if name == "l1" else ns["pix2pix_step"]
        lambda_l1 = 0.0 if name == "cgan" else 100.0
        start, start_cpu = time.perf_counter(), time.process_time()
        h = pix2pix.fit_pix2pix(step, g, d, pix2pix.adam(g), pix2pix.adam(d), x, y, steps=args.steps,
                                batch_size=args.batch_size, lambda_l1=lambda_l1, seed=args.seed, progress=False)
        cpu_s = time.process_time() - start_cpu
        rows[name] = pix2pix.quality(pix2pix.translate(g, x_test), y_test)
        train_mode = pix2pix.quality(pix2pix.translate(g, x_test, train_mode=True, seed=0), y_test)
        rows[name]["train-mode psnr"] = train_mode["psnr"]
        rows[name]["train-mode sharpness"] = train_mode["sharpness"]
        print(f"{name}: {h.steps} steps in {h.seconds:.0f} s of training ({time.perf_counter() - start:.0f} s wall, "
              f"{cpu_s:.0f} s of CPU time, load average {os.getloadavg()[0]:.1f})", flush=True)
    print(f"\n{'held-out ' + args.task:<24} {'PSNR dB':>8} {'SSIM':>6} {'sharpness':>10} {'(train mode: PSNR':>18} "
          f"{'sharpness)':>10}")
    for name, r in rows.items():
        extra = (f"{r['train-mode psnr']:>18.2f} {r['train-mode sharpness']:>10.3f}" if "train-mode psnr" in r
                 else "")
        print(f"{name:<24} {r['psnr']:>8.2f} {r['ssim']:>6.3f} {r['sharpness']:>10.3f} {extra}")
    print(f"\nwall time {time.perf_counter() - wall:.0f} s, CPU time {time.process_time() - cpu:.0f} s; "
          f"load average at the end {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
