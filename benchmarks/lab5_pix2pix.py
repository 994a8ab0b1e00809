"""Lab 5 quality figure: L1 alone, the cGAN alone and L1 + cGAN on the same step budget, judged on held-out photos.

The reference networks, the step and the context encoder's loss are read from the solution notebook (its
definitions only, as the grader reads them), and the loop is ``ganlab.pix2pix.fit_pix2pix``, so this measures
exactly what the lab runs::

    python benchmarks/lab5_pix2pix.py --task grey2colour --steps 1500 --flip    # the lab's quantitative task
    python benchmarks/lab5_pix2pix.py --task edges2photo --steps 800            # the qualitative task
    python benchmarks/lab5_pix2pix.py --task inpaint --steps 1500               # context encoder vs mean-fill
    python benchmarks/lab5_pix2pix.py --seed 1 --threads 1 --eval-every 250     # another seed; curves

Data: ``ganlab.data.photos`` crops of real scikit-image photos; the test crops come from whole photos held out of
training. Metrics (``ganlab.pix2pix.quality``, images mapped to [0, 1], data_range 1): PSNR (dB), SSIM, the
sharpness ratio (mean luminance gradient magnitude of the outputs over that of the targets; 1 = as sharp as the
photos) and the colourfulness ratio (Hasler and Suesstrunk 2003; outputs over targets; 1 = as colourful as the
photos). Outputs are drawn in evaluation mode (running batch statistics, no dropout) and, for the last columns,
in training mode as the paper does at test time. ``--eval-every`` also prints the same numbers on the first 246
training crops, to tell over-fitting (train up, held-out down) from a gap between the photos (both flat).

Baselines: the input itself (grey2colour: the grey copied to 3 channels; edges2photo: the edge map) and, for
inpainting, mean-fill; inpainting is scored on the whole image (only the hole, a quarter of it, differs) and on
the hole alone. For ``--task inpaint`` the models are "l2" (the context encoder's masked L2 alone, w_adv = 0)
and "ce" (the joint loss, 0.999 / 0.001). Goal (issue 16): L1 + cGAN measurably sharper than L1 alone (closer
to the targets) at comparable PSNR, both above the trivial baselines, in at most 10 CPU minutes.
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
INPAINT_MODELS = ("l2", "ce")
COLUMNS = ("psnr", "ssim", "sharpness", "colourfulness")


def build(ns, args, d_channels):
    """A fresh (G, D) pair of the lab's CPU configuration, seeded."""
    import torch

    torch.manual_seed(args.seed)
    g = ns["UNetGenerator"](3, 3, num_downs=args.num_downs, ngf=args.ngf)
    d = ns["PatchDiscriminator"](d_channels, ndf=args.ndf, n_layers=args.n_layers)
    return g, d


def hole_only(images, mask):
    """The hole's pixels of (N, 3, S, S) images as (N, 3, h, h) crops (the mask is a centred square)."""
    rows = mask[0, 0].any(dim=1).nonzero().flatten()
    cols = mask[0, 0].any(dim=0).nonzero().flatten()
    return images[:, :, rows[0]: rows[-1] + 1, cols[0]: cols[-1] + 1]


def fmt(r):
    return " ".join(f"{r.get(k, float('nan')):>8.3f}" if k != "psnr" else f"{r[k]:>8.2f}" for k in COLUMNS)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="*", default=None, help=f"{MODELS} (inpaint: {INPAINT_MODELS})")
    parser.add_argument("--task", default="grey2colour", choices=["edges2photo", "grey2colour", "inpaint"])
    parser.add_argument("--steps", type=int, default=1500, help="training steps per model")
    parser.add_argument("--size", type=int, default=32)
    parser.add_argument("--num-downs", type=int, default=5)
    parser.add_argument("--ngf", type=int, default=32)
    parser.add_argument("--ndf", type=int, default=32)
    parser.add_argument("--n-layers", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--lr", type=float, default=2e-4)
    parser.add_argument("--flip", action="store_true", help="horizontal-flip augmentation")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--eval-every", type=int, default=0, help="print train and held-out numbers every N steps")
    args = parser.parse_args(argv)
    inpaint = args.task == "inpaint"
    models = args.models or list(INPAINT_MODELS if inpaint else MODELS)
    allowed = INPAINT_MODELS if inpaint else MODELS
    if any(m not in allowed for m in models):
        parser.error(f"--models for {args.task} must be among {allowed}")

    import torch

    from ganlab import pix2pix
    from ganlab.data.photos import load_photos, make_pair

    torch.set_num_threads(args.threads)
    ns = reference_namespace(NOTEBOOK, "lab5_reference")
    x, y = make_pair(load_photos(args.size, "train", seed=0), args.task)
    x_test, y_test = make_pair(load_photos(args.size, "test", seed=0), args.task)
    x_seen, y_seen = x[:len(x_test)], y[:len(x_test)]
    mask = ns["center_mask"](1, args.size, args.size // 2) if inpaint else None

    def answer(g, inputs, train_mode=False):
        out = pix2pix.translate(g, inputs, train_mode=train_mode, seed=0 if train_mode else None)
        return inputs * (1 - mask) + out * mask if inpaint else out

    def measure(out, target):
        r = pix2pix.quality(out, target)
        if inpaint:
            r["hole psnr"] = pix2pix.quality(hole_only(out, mask), hole_only(target, mask))["psnr"]
        return r

    wall, cpu = time.perf_counter(), time.process_time()
    print(f"{machine()}; {args.threads} threads; load average {os.getloadavg()}; task {args.task}, "
          f"{args.size} x {args.size}, {len(x)} training and {len(x_test)} held-out pairs; U-Net num_downs "
          f"{args.num_downs} ngf {args.ngf}, PatchGAN n_layers {args.n_layers} ndf {args.ndf}; batch "
          f"{args.batch_size}, lr {args.lr}, flip {args.flip}, {args.steps} steps, seed {args.seed}", flush=True)
    rows = {"baseline: the input": measure(x_test, y_test)}
    if args.eval_every:
        print(f"  baseline (the input) on the train crops: {fmt(measure(x_seen, y_seen))}", flush=True)
    if inpaint:
        rows["baseline: mean-fill"] = measure(pix2pix.mean_fill(x_test, mask), y_test)
    for name in models:
        g, d = build(ns, args, 3 if inpaint else 6)
        if inpaint:
            w_adv = 0.0 if name == "l2" else 0.001

            def loss_fn(x_fill, x_real, m, logits, w_adv=w_adv):
                return ns["context_encoder_loss"](x_fill, x_real, m, logits, w_rec=1.0 - w_adv, w_adv=w_adv)

            step, lambda_l1 = pix2pix.context_encoder_step(loss_fn, mask), None
        else:
            step = pix2pix.l1_only_step if name == "l1" else ns["pix2pix_step"]
            lambda_l1 = 0.0 if name == "cgan" else 100.0

        def monitor(i, g, d, name=name):
            if i:
                seen, held = measure(answer(g, x_seen), y_seen), measure(answer(g, x_test), y_test)
                print(f"  {name} step {i:>5}: train crops {fmt(seen)}   held-out {fmt(held)}", flush=True)
            return {}

        start, start_cpu = time.perf_counter(), time.process_time()
        h = pix2pix.fit_pix2pix(step, g, d, pix2pix.adam(g, args.lr), pix2pix.adam(d, args.lr), x, y,
                                steps=args.steps, batch_size=args.batch_size, lambda_l1=lambda_l1, seed=args.seed,
                                progress=False, flip=args.flip, snapshot_every=args.eval_every or args.steps + 1,
                                monitor=monitor if args.eval_every else None)
        cpu_s = time.process_time() - start_cpu
        rows[name] = measure(answer(g, x_test), y_test)
        train_mode = measure(answer(g, x_test, train_mode=True), y_test)
        rows[name].update({f"train-mode {k}": v for k, v in train_mode.items()})
        print(f"{name}: {h.steps} steps in {h.seconds:.0f} s of training ({time.perf_counter() - start:.0f} s wall, "
              f"{cpu_s:.0f} s of CPU time, load average {os.getloadavg()[0]:.1f})", flush=True)
    extra_cols = ["hole psnr"] if inpaint else []
    head = f"{'held-out ' + args.task:<22} {'PSNR dB':>8} {'SSIM':>8} {'sharp':>8} {'colour':>8}"
    head += "".join(f" {c:>9}" for c in extra_cols) + "   | train mode: PSNR    SSIM   sharp  colour"
    print("\n" + head)
    for name, r in rows.items():
        line = f"{name:<22} {fmt(r)}" + "".join(f" {r[c]:>9.2f}" for c in extra_cols)
        if "train-mode psnr" in r:
            line += "   |       " + fmt({k[len('train-mode '):]: v for k, v in r.items() if k.startswith('train-mode ')})
        print(line)
    print(f"\nwall time {time.perf_counter() - wall:.0f} s, CPU time {time.process_time() - cpu:.0f} s; "
          f"load average at the end {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
