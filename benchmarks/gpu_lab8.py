"""Lab 8 on a GPU: MoCoGAN for a fixed WALL budget at 32 x 32 or 64 x 64 (T = 16), measured as on the CPU.

Part of ``benchmarks/gpu_session.sh`` (the one command of a session's GPU run); also runs alone::

    python benchmarks/gpu_lab8.py --size 64 --ngf 32 --ndf 32 --batch-size 32 --budget 200 \
        --json out/lab8_64.json --png out/lab8_64.png
    python benchmarks/gpu_lab8.py --size 32 --ngf 16 --ndf 16 --batch-size 16 --budget 200 ...   # the CPU recipe
    python benchmarks/gpu_lab8.py --device cpu --budget 5 --n-train 64 --n-eval 20 ...         # a smoke test

The networks and the step are the solution notebook's (``benchmarks.lab8_video.lab_namespace``, read as the
grader reads them; the notebook is parsed with ``json``, no nbformat), the loop is ``ganlab.video.fit_mocogan``
with the wall clock as its budget clock (``clock=time.perf_counter``; each step is timed to the device's
completion by ``ganlab.training.timed_call``), and the figures are ``benchmarks.lab8_video.evaluate``: the FVD of
the project's 32 x 32 video classifier, content consistency by Lab 4's digit judge, motion statistics, frame
diagnostics. At 64 x 64 every clip (real and generated) is average-pooled 2 x 2 per frame to 32 x 32 before it is
judged (the classifier and the judge work at 32 x 32; the digits of 64 x 64 clips are 32 x 32 glyphs, so pooled
they have the 32 x 32 clips' geometry).

Defaults: session 7's best CPU recipe (``benchmarks/lab8.md``): instance noise 0.1, EMA 0.995 of G (the generator
reported; the live one too), D_V's learning rate 5e-5, the others Adam 2e-4 (0.5, 0.999), content 50, motion 10,
noise 10. During training (every ``--metric-every`` steps, not counted in the budget): FVD and content of 200
samples from fixed VALIDATION latents against 200 validation clips (as ``lab8_video.py``'s metric), throughput and
steps, written to ``--json`` each time (a point at step 0, then at the first multiple of
``--metric-every`` steps after ``--metric-seconds`` more seconds of training, and at the end) so that a run cut short still leaves its curve. At the end: 500 samples
(held-out latent seed = seed + 7) against 500 held-out clips (test split), floor (held-out vs other real clips) and
ceiling (the untrained generator), and a PNG of 8 generated videos x 16 frames (one row per video).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import RunRecord, last_mean, load_average  # noqa: E402
from benchmarks.lab8_video import (VALIDATION_DATA_SEED, VALIDATION_LATENT_SEED, evaluate,  # noqa: E402
                                   lab_namespace)


def judged(videos):
    """Clips as the 32 x 32 judges see them: 64 x 64 frames average-pooled 2 x 2 (32 x 32 clips unchanged)."""
    import torch.nn.functional as F

    factor = videos.shape[-1] // 32
    return videos if factor == 1 else F.avg_pool3d(videos, (1, factor, factor))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=32, choices=[32, 64])
    parser.add_argument("--ngf", type=int, default=16)
    parser.add_argument("--ndf", type=int, default=16)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--budget", type=float, default=200.0, help="WALL seconds inside the training steps")
    parser.add_argument("--max-steps", type=int, default=1_000_000)
    parser.add_argument("--metric-every", type=int, default=100,
                        help="steps between checks for a validation measurement")
    parser.add_argument("--metric-seconds", type=float, default=40.0,
                        help="training wall seconds between validation measurements (at least)")
    parser.add_argument("--lr", type=float, default=2e-4)
    parser.add_argument("--lr-video", type=float, default=5e-5, help="D_V's learning rate")
    parser.add_argument("--instance-noise", type=float, default=0.1)
    parser.add_argument("--ema", type=float, default=0.995, help="decay of G's weight average (0: none)")
    parser.add_argument("--n-train", type=int, default=4096)
    parser.add_argument("--n-eval", type=int, default=500)
    parser.add_argument("--n-metric", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--device", default=None, help="default: ganlab.runtime.get_device()")
    parser.add_argument("--threads", type=int, default=3, help="torch CPU threads (evaluation runs on the CPU)")
    parser.add_argument("--name", default=None)
    parser.add_argument("--json", required=True)
    parser.add_argument("--png", required=True)
    args = parser.parse_args(argv)
    name, size = args.name or f"lab8_{args.size}", args.size

    import torch
    from torchvision.utils import save_image

    from ganlab.data.video import moving_digits
    from ganlab.runtime import get_device
    from ganlab.video import FrameDiscriminator, fit_mocogan, sample_videos
    from ganlab.video_nets import content_consistency, frechet_video_distance

    torch.set_num_threads(args.threads)
    device = get_device(args.device)
    if device.type == "cuda":
        torch.backends.cudnn.benchmark = True
    record = RunRecord(name, args.json, device, args=vars(args), curve=[], status="building data",
                       judged_at="32 x 32" + (" (64 x 64 clips average-pooled 2 x 2 per frame)" if size == 64 else ""))
    out, save, log, t0 = record.data, record.save, record.log, record.t0
    save()
    ns = lab_namespace()
    train = moving_digits(args.n_train, num_frames=16, size=size, num_digits=1, seed=args.seed)[0]
    held_out = judged(moving_digits(args.n_eval, num_frames=16, size=size, num_digits=1, seed=args.seed,
                                    split="test")[0])
    validation = judged(moving_digits(args.n_metric, num_frames=16, size=size, num_digits=1,
                                      seed=VALIDATION_DATA_SEED)[0])
    other_real = judged(moving_digits(args.n_eval, num_frames=16, size=size, num_digits=1, seed=args.seed + 1)[0])
    out["data_seconds"] = time.perf_counter() - t0
    log(f"data: {tuple(train.shape)} training clips in {out['data_seconds']:.1f} s")

    torch.manual_seed(args.seed)
    G = ns["MoCoGANGenerator"](content_dim=50, motion_dim=10, noise_dim=10, channels=1, ngf=args.ngf, size=size)
    D_image = FrameDiscriminator(channels=1, ndf=args.ndf, size=size)
    D_video = ns["VideoDiscriminator"](channels=1, ndf=args.ndf, n_layers=3)
    out["parameters"] = {k: sum(p.numel() for p in m.parameters())
                         for k, m in (("G", G), ("D_image", D_image), ("D_video", D_video))}
    G, D_image, D_video = G.to(device), D_image.to(device), D_video.to(device)   # samples drawn on the device
    held_seed = args.seed + 7
    start = time.perf_counter()
    out["floor"] = frechet_video_distance(held_out, other_real)
    out["real_held_out"] = {"content": content_consistency(held_out, "digit")}
    out["ceiling"] = evaluate(judged(sample_videos(G, args.n_eval, 16, seed=held_seed)), held_out)
    out["baseline_seconds"] = time.perf_counter() - start
    log(f"floor {out['floor']:.3f}, ceiling {out['ceiling']['fvd']:.3f} ({out['baseline_seconds']:.1f} s)")
    out["status"] = "training"
    save()

    train = train.to(device)
    opt_d_video = torch.optim.Adam(D_video.parameters(), lr=args.lr_video, betas=(0.5, 0.999))
    spent = {"eval": 0.0}
    train_start = time.perf_counter()

    def metric(step, shown):
        # fixed VALIDATION latents and clips (never the held-out ones); its time is not in the budget. Called every
        # --metric-every steps; measures only when --metric-seconds of training have passed since the last point
        # (the GPU's step rate is not known in advance), and always at step 0 and at the end
        begin = time.perf_counter()
        wall = begin - train_start - spent["eval"]
        last = out["curve"][-1]["train_wall_s"] if out["curve"] else None
        at_end = wall >= args.budget or step >= args.max_steps
        if last is not None and wall - last < args.metric_seconds and not at_end:
            return {}
        values = {}
        for label, net in (("live", G), (f"ema {args.ema:g}", shown)):
            if net is G and label != "live":
                continue
            fake = judged(sample_videos(net, args.n_metric, 16, seed=VALIDATION_LATENT_SEED))
            values[f"{label} FVD"] = frechet_video_distance(validation, fake)
            values[f"{label} content"] = content_consistency(fake, "digit")
        point = {"step": step, "train_wall_s": wall, "clips_per_s": step * args.batch_size / wall if wall > 0 else None,
                 **values}
        spent["eval"] += time.perf_counter() - begin
        point["eval_s"] = time.perf_counter() - begin
        out["curve"].append(point)
        save()
        log(", ".join(f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}" for k, v in point.items()))
        return values

    h = fit_mocogan(ns["mocogan_step"], G, D_image, D_video, train, steps=args.max_steps,
                    batch_size=args.batch_size, lr=args.lr, opt_d_video=opt_d_video, num_samples=0,
                    metric=metric, metric_every=args.metric_every, cpu_budget=args.budget, clock=time.perf_counter,
                    device=device, seed=args.seed, progress=False, instance_noise=args.instance_noise,
                    ema_decay=args.ema or None)
    out.update({"status": "evaluating", "steps": h.steps, "step_wall_seconds": h.seconds,
                "clips_per_second": h.clips_per_second, "stopped_by_budget": h.stopped_by_budget,
                "losses_last_50": last_mean(h.losses)})
    save()
    log(f"trained {h.steps} steps in {h.seconds:.1f} s of steps ({h.clips_per_second:.0f} clips/s)")

    start = time.perf_counter()
    generators = {"live": G}
    if h.generator_average is not None:
        generators[f"ema {args.ema:g}"] = h.generator_average
    out["final"] = {}
    gap = out["ceiling"]["fvd"] - out["floor"]
    for label, net in generators.items():
        stats = evaluate(judged(sample_videos(net, args.n_eval, 16, seed=held_seed)), held_out, diagnostics=True)
        stats["gap_closed"] = (out["ceiling"]["fvd"] - stats["fvd"]) / gap if gap > 0 else None
        out["final"][label] = stats
        log(f"held-out {label}: FVD {stats['fvd']:.3f} (gap closed {stats['gap_closed']:.1%}), "
            f"content {stats['content']:.1%}, displacement {stats['motion']['displacement']:.2f} px, "
            f"static {stats['motion']['static_fraction']:.1%}")
    shown = generators[list(generators)[-1]]
    clips = sample_videos(shown, 8, 16, seed=held_seed)                                 # (8, 1, 16, S, S)
    frames = clips.permute(0, 2, 1, 3, 4).reshape(8 * 16, 1, size, size)             # row = one video
    save_image(frames, args.png, nrow=16, normalize=True, value_range=(-1, 1), pad_value=1.0)
    out["png"] = f"{Path(args.png).name}: 8 videos x 16 frames of the {list(generators)[-1]} generator " \
                 f"(held-out latents), one row per video, {size} x {size}"
    out["final_eval_seconds"] = time.perf_counter() - start
    out["status"] = "done"
    out["load_end"] = load_average()
    save()
    log(f"done; final evaluation {out['final_eval_seconds']:.1f} s; total {time.perf_counter() - t0:.1f} s; "
        f"load {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
