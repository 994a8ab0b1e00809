"""Lab 5 on a GPU: the paper's 256 x 256 pix2pix reference, L1 alone or L1 + cGAN, for a fixed WALL budget.

Part of ``benchmarks/gpu_session.sh`` (the one command of a session's GPU run); also runs alone::

    python benchmarks/gpu_lab5.py train --model l1 --budget 150 --json out/lab5_l1.json --outputs /tmp/l1.pt
    python benchmarks/gpu_lab5.py train --model l1+cgan --budget 150 --json out/lab5_l1cgan.json --outputs /tmp/c.pt
    python benchmarks/gpu_lab5.py baselines --json /tmp/base.json                   # the grey input's figures
    python benchmarks/gpu_lab5.py grid /tmp/l1.pt /tmp/c.pt --png out/lab5.png \
        --baselines /tmp/base.json --into out/lab5_l1.json                          # grey / L1 / L1 + cGAN / target
    python benchmarks/gpu_lab5.py train --device cpu --size 32 --num-downs 5 --ngf 8 --ndf 8 --budget 5 ...  # smoke

The facades cannot be downloaded there (no network), so this is the paper's 256 x 256 reference (U-Net
``num_downs=8``, ``ngf=64``; PatchGAN ``n_layers=3``, ``ndf=64``: the 70 x 70 design) on the lab's measured task,
grey -> colour in L*a*b* exactly as ``benchmarks/lab5_pix2pix.py --lab`` sets it up (``ganlab.colour``: G maps
L* (1 channel) to a*b* (2 channels), D sees the 3-channel pair, the answer is merged with the input's L* and
converted to RGB before it is measured against the RGB photo). The networks and ``pix2pix_step`` are the solution
notebook's definitions (``benchmarks.common.reference_namespace``, the notebook read with ``json``); "L1 alone" is
``ganlab.pix2pix.l1_only_step``; Adam 2e-4 (0.5, 0.999) (``ganlab.pix2pix.adam``), lambda = 100.

Data (``ganlab.data.photos``, the offline scikit-image photos): every step draws a batch of random 256 x 256 crops
of the five training photos (a photo chosen with probability proportional to its area, a uniform position, a
horizontal flip with probability 1/2: the paper's "random jitter and mirroring" without the resize). Held out:
256 random 256 x 256 crops (128 each, seeded, overlapping: the photos are 256 x 384 and 320 x 480) of chelsea and
coffee, the photos the CPU benchmark holds out. Figures (``ganlab.pix2pix.quality``, as the CPU benchmark): PSNR,
SSIM, sharpness, colourfulness and chroma sharpness ratios, next to the grey input's, in evaluation mode for
the live G and its weight average (``ganlab.training.weight_average``), and in training mode (dropout and batch
statistics, as the paper does at test time) for the live G; the grey baselines by
``baselines`` (CPU only, run beside the training). The budget counts only the training steps
(``ganlab.training.timed_call``: the clock stops when the device has finished); ``--json`` is rewritten every ``--log-every`` seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import RunRecord, last_mean, load_average, reference_namespace  # noqa: E402
from benchmarks.lab5_pix2pix import NOTEBOOK  # noqa: E402

HELD_OUT_PER_PHOTO = 128


def photo_tensors(split: str) -> dict:
    """name -> (1, 3, H, W) float photo in [-1, 1], for the stored photos of ``split``."""
    from ganlab.data import photos as P

    stored = P._stored_photos()
    return {s["name"]: stored[s["name"]][None].float().div(127.5).sub(1.0)
            for s in P.photo_sources() if s["split"] == split}


def random_crops(images: list, n: int, size: int, generator, weights=None, flip: bool = False):
    """``n`` random ``size`` x ``size`` crops (N, C, size, size) of the (1, C, H, W) ``images`` (a photo drawn with
    ``weights``, default uniform; a uniform position; optionally mirrored with probability 1/2)."""
    import torch

    weights = torch.ones(len(images)) if weights is None else torch.as_tensor(weights, dtype=torch.float)
    which = torch.multinomial(weights, n, replacement=True, generator=generator).tolist()
    crops = []
    for k in which:
        h, w = images[k].shape[-2:]
        top = int(torch.randint(h - size + 1, (1,), generator=generator))
        left = int(torch.randint(w - size + 1, (1,), generator=generator))
        crop = images[k][0, :, top: top + size, left: left + size]
        if flip and bool(torch.rand(1, generator=generator) < 0.5):
            crop = crop.flip(-1)
        crops.append(crop)
    return torch.stack(crops)


def held_out_crops(size: int, per_photo: int = HELD_OUT_PER_PHOTO):
    """The held-out RGB crops (chelsea and coffee, ``per_photo`` each, seed 0) in [-1, 1]."""
    import torch

    generator = torch.Generator().manual_seed(0)
    return torch.cat([random_crops([photo], per_photo, size, generator)
                      for photo in photo_tensors("test").values()])


def cmd_train(args) -> int:
    import torch

    from ganlab import pix2pix
    from ganlab.colour import merge_lab, split_lab
    from ganlab.data.photos import make_pair
    from ganlab.runtime import get_device
    from ganlab.training import timed_call, weight_average

    torch.set_num_threads(args.threads)
    device = get_device(args.device)
    if device.type == "cuda":
        torch.backends.cudnn.benchmark = True
    record = RunRecord(f"lab5 {args.model}", args.json, device, model=args.model, args=vars(args), progress=[],
                       task="grey2colour in L*a*b* (L* -> a*b*)", status="starting")
    out, save, log, t0 = record.data, record.save, record.log, record.t0
    save()
    ns = reference_namespace(NOTEBOOK, "lab5_reference")
    train_photos = list(photo_tensors("train").values())
    areas = [p.shape[-2] * p.shape[-1] for p in train_photos]
    # (L*, a*b*) of whole photos, on the device: crops of them are crops of the split
    lab_photos = [torch.cat(split_lab(p), dim=1).to(device) for p in train_photos]
    rgb_test = held_out_crops(args.size, args.held_out_per_photo)
    light_test, _ = split_lab(rgb_test)
    grey_test = make_pair(rgb_test, "grey2colour")[0]
    out["held_out"] = f"{len(rgb_test)} random {args.size} x {args.size} crops of chelsea and coffee (seed 0)"

    torch.manual_seed(args.seed)
    G = ns["UNetGenerator"](1, 2, num_downs=args.num_downs, ngf=args.ngf).to(device)
    D = ns["PatchDiscriminator"](3, ndf=args.ndf, n_layers=args.n_layers).to(device)
    out["parameters"] = {"G": sum(p.numel() for p in G.parameters()), "D": sum(p.numel() for p in D.parameters())}
    opt_g, opt_d = pix2pix.adam(G, args.lr), pix2pix.adam(D, args.lr)
    step = pix2pix.l1_only_step if args.model == "l1" else ns["pix2pix_step"]
    average = weight_average(G, args.ema) if args.ema else None
    generator = torch.Generator().manual_seed(args.seed)   # crop positions and flips (CPU draws)
    log(f"ready: G {out['parameters']['G']:,} parameters, D {out['parameters']['D']:,}")
    out["status"] = "training"
    save()

    def train_step(light, chroma):
        result = step(G, D, opt_g, opt_d, light, chroma, args.lambda_l1)
        if average is not None:
            average.update_parameters(G)
        return result

    steps, step_seconds, last_log, losses = 0, 0.0, time.perf_counter(), {}
    while step_seconds < args.budget and steps < args.max_steps:
        batch = random_crops(lab_photos, args.batch_size, args.size, generator, areas, flip=True)
        # timed to the device's completion (timed_call synchronises on CUDA)
        result, seconds = timed_call(train_step, batch[:, :1], batch[:, 1:], device=device)
        step_seconds += seconds
        steps += 1
        for k, v in result.items():
            losses.setdefault(k, []).append(float(v))
        if time.perf_counter() - last_log >= args.log_every:
            last_log = time.perf_counter()
            out["progress"].append({"steps": steps, "step_seconds": step_seconds,
                                    "images_per_s": steps * args.batch_size / step_seconds,
                                    **last_mean(losses)})
            save()
            log(out["progress"][-1])
    out.update({"status": "evaluating", "steps": steps, "step_seconds": step_seconds,
                "images_per_s": steps * args.batch_size / step_seconds, "batch_size": args.batch_size,
                "losses_last_50": last_mean(losses)})
    save()
    log(f"trained {steps} steps in {step_seconds:.1f} s ({out['images_per_s']:.1f} images/s)")

    begin = time.perf_counter()
    # the grid's answers first: a run stopped during the (CPU-heavy) figures still has its picture
    pick = [0, 1, len(rgb_test) // 2, len(rgb_test) // 2 + 1]           # two crops of chelsea, two of coffee
    torch.save({"model": args.model, "grey": grey_test[pick], "target": rgb_test[pick],
                "answer": merge_lab(light_test[pick], pix2pix.translate(G, light_test[pick]))}, args.outputs)
    out["held_out_figures"] = {}
    nets = {"live": G, **({f"ema {args.ema:g}": average.module} if average is not None else {})}
    for label, net in nets.items():
        # evaluation mode for every G; training mode (the paper's test time) for the live G only (CPU time)
        for mode, train_mode in (("eval mode", False),) + ((("train mode", True),) if net is G else ()):
            chroma = pix2pix.translate(net, light_test, train_mode=train_mode, seed=0 if train_mode else None)
            out["held_out_figures"][f"{label}, {mode}"] = pix2pix.quality(merge_lab(light_test, chroma), rgb_test)
            save()
            log(f"held-out {label}, {mode}: {out['held_out_figures'][f'{label}, {mode}']}")
    out["eval_seconds"] = time.perf_counter() - begin
    out.update({"status": "done", "load_end": load_average()})
    save()
    log(f"done; evaluation {out['eval_seconds']:.1f} s, total {time.perf_counter() - t0:.1f} s, "
        f"load {os.getloadavg()[0]:.1f}")
    return 0


def cmd_baselines(args) -> int:
    """The trivial answers' figures on the held-out crops (the same for every model; CPU only): the grey input
    (BT.601 grey in 3 channels, the CPU benchmark's "baseline: the input") and the grey of L* (a*b* = 0)."""
    import torch

    from ganlab import pix2pix
    from ganlab.colour import grey_of, split_lab
    from ganlab.data.photos import make_pair

    torch.set_num_threads(args.threads)
    begin = time.perf_counter()
    rgb_test = held_out_crops(args.size, args.held_out_per_photo)
    out = {"grey input (BT.601, 3 channels)": pix2pix.quality(make_pair(rgb_test, "grey2colour")[0], rgb_test),
           "L*, a*b* = 0": pix2pix.quality(grey_of(split_lab(rgb_test)[0]), rgb_test)}
    Path(args.json).write_text(json.dumps(out, indent=1))
    print(f"baselines ({len(rgb_test)} held-out crops, {time.perf_counter() - begin:.1f} s): {out}", flush=True)
    return 0


def cmd_grid(args) -> int:
    """One PNG: a row per held-out crop (2 of chelsea, 2 of coffee), columns grey input / L1 / L1 + cGAN / target
    (the live G of each run, evaluation mode)."""
    import torch
    from torchvision.utils import save_image

    runs = {r["model"]: r for r in (torch.load(p, weights_only=True) for p in args.runs if Path(p).exists())}
    if not runs:
        print("grid: no outputs to draw (no run finished)")
        return 1
    first = next(iter(runs.values()))
    blank = torch.ones_like(first["target"])          # a white column where a run did not finish
    columns = [first["grey"], runs.get("l1", {}).get("answer", blank), runs.get("l1+cgan", {}).get("answer", blank),
               first["target"]]
    tiles = torch.stack(columns, dim=1).flatten(0, 1)   # (4 crops * 4 columns, 3, S, S), row-major
    save_image(tiles, args.png, nrow=len(columns), normalize=True, value_range=(-1, 1), pad_value=1.0)
    if args.baselines and args.into and Path(args.baselines).exists() and Path(args.into).exists():
        run = json.loads(Path(args.into).read_text())
        run["baselines"] = json.loads(Path(args.baselines).read_text())
        Path(args.into).write_text(json.dumps(run, indent=1))
        print(f"grid: baselines added to {args.into}")
    print(f"grid: {args.png}: rows = {len(first['target'])} held-out crops; columns = grey input, L1 "
          f"({'ok' if 'l1' in runs else 'missing'}), L1 + cGAN ({'ok' if 'l1+cgan' in runs else 'missing'}), target")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    train = sub.add_parser("train")
    train.add_argument("--model", default="l1+cgan", choices=["l1", "l1+cgan"])
    train.add_argument("--budget", type=float, default=150.0, help="WALL seconds inside the training steps")
    train.add_argument("--max-steps", type=int, default=10**9)
    train.add_argument("--size", type=int, default=256)
    train.add_argument("--num-downs", type=int, default=8)
    train.add_argument("--ngf", type=int, default=64)
    train.add_argument("--ndf", type=int, default=64)
    train.add_argument("--n-layers", type=int, default=3)
    train.add_argument("--batch-size", type=int, default=16)
    train.add_argument("--lr", type=float, default=2e-4)
    train.add_argument("--lambda-l1", type=float, default=100.0)
    train.add_argument("--ema", type=float, default=0.99, help="decay of G's weight average (0: none)")
    train.add_argument("--seed", type=int, default=0)
    train.add_argument("--device", default=None, help="default: ganlab.runtime.get_device()")
    train.add_argument("--threads", type=int, default=3)
    train.add_argument("--held-out-per-photo", type=int, default=HELD_OUT_PER_PHOTO)
    train.add_argument("--log-every", type=float, default=15.0, help="seconds between progress records")
    train.add_argument("--json", required=True)
    train.add_argument("--outputs", required=True, help="a .pt of 4 held-out answers for `grid`")
    base = sub.add_parser("baselines")
    base.add_argument("--size", type=int, default=256)
    base.add_argument("--held-out-per-photo", type=int, default=HELD_OUT_PER_PHOTO)
    base.add_argument("--threads", type=int, default=3)
    base.add_argument("--json", required=True)
    grid = sub.add_parser("grid")
    grid.add_argument("runs", nargs="+", help="the --outputs files of the runs")
    grid.add_argument("--png", required=True)
    grid.add_argument("--baselines", default=None, help="the JSON of `baselines`, to add to --into")
    grid.add_argument("--into", default=None, help="a run's JSON file to add the baselines to")
    args = parser.parse_args(argv)
    return {"train": cmd_train, "baselines": cmd_baselines, "grid": cmd_grid}[args.command](args)


if __name__ == "__main__":
    raise SystemExit(main())
