"""Lab 8 quality figures: VGAN and MoCoGAN on one-digit moving digits at 32 x 32, T = 16, within a CPU budget.

The networks and the MoCoGAN step are the lab's reference cells, read from the solution notebook (its definitions
only, as the grader reads them); the loops are ``ganlab.video.fit_vgan`` / ``fit_mocogan`` (the VGAN step is
``ganlab.video.vgan_step``), so this measures what the lab runs::

    python benchmarks/lab8_video.py throughput                       # CPU seconds per step of both models
    python benchmarks/lab8_video.py baselines --json /tmp/base.json  # FVD floor and ceilings, real statistics
    python benchmarks/lab8_video.py train --model mocogan --budget 600 --json /tmp/moco.json
    python benchmarks/lab8_video.py train --model vgan --budget 600 --json /tmp/vgan.json
    python benchmarks/lab8_video.py report --baselines /tmp/base.json /tmp/moco.json /tmp/vgan.json   # tables

Data: ``ganlab.data.video.moving_digits(num_digits=1)`` (real UCI glyphs, one digit per video, so that the
content judge ``content_consistency(kind="digit")`` -- Lab 4's real-digits classifier on an ink-centred crop -- is
reliable: 0.986 on real videos in datasets/moving_digits.md). Training clips from the train split; every figure
is measured against held-out clips (``split="test"``: other glyphs, other trajectories).

Figures (evaluation mode, ``--n-eval`` clips each side): FVD = ``ganlab.video_nets.frechet_video_distance`` (a
Fréchet distance on the project's video classifier's features, not I3D); floor = train clips vs held-out clips;
ceiling = the untrained generator (its own random initialisation, same seed) vs held-out clips; the fraction of
the gap closed = (ceiling - FVD) / (ceiling - floor); content consistency; ``ganlab.video.motion_statistics``.
The budget is CPU seconds (``time.process_time``) inside the training steps, one torch thread by default;
evaluation is not counted. Goal (issue 18): MoCoGAN keeps content in >= 90% of videos and closes >= 70% of the
gap in <= 10 CPU minutes.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import REPO, load_average, machine, reference_namespace  # noqa: E402

NOTEBOOK = REPO / "solutions" / "lab8_video" / "lab8_video.ipynb"
NEEDED = ("VGANGenerator", "VideoDiscriminator", "MoCoGANGenerator", "mocogan_step")


def lab_namespace() -> dict:
    """The reference cells: the solution notebook's definitions, as the grader reads them."""
    ns = reference_namespace(NOTEBOOK, "lab8")
    missing = [name for name in NEEDED if name not in ns]
    if missing:
        raise SystemExit(f"the solution notebook lacks {missing}")
    return ns


def build(ns: dict, args, seed: int):
    """(G, discriminators) of ``args.model`` with the sizes in ``args``, initialised from ``seed``."""
    import torch

    from ganlab.video import FrameDiscriminator

    torch.manual_seed(seed)
    if args.model == "vgan":
        G = ns["VGANGenerator"](latent_dim=args.latent_dim, channels=1, ngf=args.ngf, size=32)
        return G, (ns["VideoDiscriminator"](channels=1, ndf=args.ndf, n_layers=3),)
    G = ns["MoCoGANGenerator"](content_dim=args.content_dim, motion_dim=args.motion_dim, noise_dim=args.noise_dim,
                               channels=1, ngf=args.ngf, size=32)
    return G, (FrameDiscriminator(channels=1, ndf=args.ndf_image or args.ndf, size=32),
               ns["VideoDiscriminator"](channels=1, ndf=args.ndf, n_layers=3))


def data(args):
    from ganlab.data.video import moving_digits

    train = moving_digits(args.n_train, num_frames=16, size=32, num_digits=1, seed=args.seed)[0]
    held_out = moving_digits(args.n_eval, num_frames=16, size=32, num_digits=1, seed=args.seed, split="test")[0]
    return train, held_out


def evaluate(fake, held_out) -> dict:
    from ganlab.video import motion_statistics
    from ganlab.video_nets import content_consistency, frechet_video_distance

    return {"fvd": frechet_video_distance(held_out, fake), "content": content_consistency(fake, "digit"),
            "motion": motion_statistics(fake)}


def fit(ns, args, G, discriminators, train, metric=None, metric_every=None):
    from ganlab.video import fit_mocogan, fit_vgan

    common = dict(steps=args.max_steps, batch_size=args.batch_size, lr=args.lr, num_samples=8,
                  cpu_budget=args.budget, seed=args.seed, progress=False, metric=metric, metric_every=metric_every)
    if args.model == "vgan":
        return fit_vgan(G, discriminators[0], train, **common)
    return fit_mocogan(ns["mocogan_step"], G, *discriminators, train, clip_length=args.clip_length,
                       instance_noise=args.instance_noise, **common)


def cmd_throughput(args) -> int:
    import torch

    torch.set_num_threads(args.threads)
    ns = lab_namespace()
    args.n_train, args.n_eval = 256, 16
    train, _ = data(args)
    for model in ("vgan", "mocogan"):
        args.model = model
        G, ds = build(ns, args, args.seed)
        args.max_steps, args.budget = 1, None
        fit(ns, args, G, ds, train)                     # warm-up: first optimizer step imports, allocations
        args.max_steps = args.steps
        h = fit(ns, args, G, ds, train)
        print(f"{model}: ngf {args.ngf}, ndf {args.ndf}, batch {args.batch_size}: "
              f"{h.cpu_seconds / h.steps:.3f} CPU s/step, {h.clips_per_cpu_second:.1f} clips per CPU s, "
              f"{h.clips_per_second:.1f} clips/s wall; {args.threads} thread(s), load {load_average()}")
    return 0


def cmd_baselines(args) -> int:
    import torch

    from ganlab.data.video import moving_digits
    from ganlab.video import motion_statistics, sample_videos
    from ganlab.video_nets import content_consistency, frechet_video_distance

    torch.set_num_threads(args.threads)
    ns = lab_namespace()
    train, held_out = data(args)
    out = {"n_eval": args.n_eval, "load": load_average(), "machine": machine()}
    other = moving_digits(args.n_eval, num_frames=16, size=32, num_digits=1, seed=args.seed + 1)[0]
    out["floor"] = frechet_video_distance(held_out, other)
    out["real"] = {"content": content_consistency(held_out, "digit"), "motion": motion_statistics(held_out)}
    for model in ("vgan", "mocogan"):
        args.model = model
        G, _ = build(ns, args, args.seed)
        fake = sample_videos(G, args.n_eval, num_frames=16, seed=args.seed + 7)
        out[f"ceiling_{model}"] = evaluate(fake, held_out)
    print(json.dumps(out, indent=1))
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1))
    return 0


def cmd_train(args) -> int:
    import torch

    from ganlab.video import quality_metric, sample_videos

    torch.set_num_threads(args.threads)
    ns = lab_namespace()
    train, held_out = data(args)
    G, ds = build(ns, args, args.seed)
    ceiling = evaluate(sample_videos(G, args.n_eval, num_frames=16, seed=args.seed + 7), held_out)
    metric = quality_metric(held_out, n=args.n_metric) if args.metric_every else None
    start, load_start = time.time(), load_average()
    h = fit(ns, args, G, ds, train, metric=metric, metric_every=args.metric_every)
    wall = time.time() - start
    final = evaluate(sample_videos(G, args.n_eval, num_frames=16, seed=args.seed + 7), held_out)
    out = {"args": vars(args), "machine": machine(), "threads": torch.get_num_threads(),
           "load_start": load_start, "load_end": load_average(), "steps": h.steps, "cpu_seconds": h.cpu_seconds,
           "step_wall_seconds": h.seconds, "run_wall_seconds": wall, "clips_per_second": h.clips_per_second,
           "clips_per_cpu_second": h.clips_per_cpu_second, "stopped_by_budget": h.stopped_by_budget,
           "ceiling": ceiling, "final": final, "logs": h.logs,
           "losses_last_50": {k: sum(v[-50:]) / len(v[-50:]) for k, v in h.losses.items()}}
    if args.floor is not None:
        gap = ceiling["fvd"] - args.floor
        out["gap_closed"] = (ceiling["fvd"] - final["fvd"]) / gap if gap > 0 else math.nan
    print(json.dumps({k: v for k, v in out.items() if k not in ("args", "logs")}, indent=1))
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1))
    if args.save:
        torch.save(G.state_dict(), args.save)
    return 0


def cmd_report(args) -> int:
    """Markdown rows from the JSON files of `baselines` (--baselines) and `train` (the --runs)."""
    base = json.loads(Path(args.baselines).read_text())
    floor = base["floor"]
    motion_keys = ("displacement", "displacement_std", "static_fraction", "speed_change", "frame_difference")
    print("| run | steps | CPU s | wall s | clips/s (wall) | FVD | gap closed | content | "
          + " | ".join(motion_keys) + " |")
    print("|---" * (8 + len(motion_keys)) + "|")

    def row(name, steps, cpu, wall, rate, fvd, gap, content, motion):
        cells = [name, steps, cpu, wall, rate, f"{fvd:.3f}", gap, f"{content:.1%}"]
        print("| " + " | ".join(str(c) for c in cells + [f"{motion[k]:.3f}" for k in motion_keys]) + " |")

    row("real held-out vs other real clips (floor)", "-", "-", "-", "-", floor, "-", base["real"]["content"],
        base["real"]["motion"])
    for path in args.runs:
        run = json.loads(Path(path).read_text())
        a = run["args"]
        name = (f"{a['model']} ngf {a['ngf']} ndf {a['ndf']} batch {a['batch_size']} lr {a['lr']:g}"
                + (f" clip {a['clip_length']}" if a.get("clip_length") else "")
                + (f" motion {a['motion_dim']} noise {a['noise_dim']}" if a["motion_dim"] != 10 else "")
                + (f" instance noise {a['instance_noise']:g}" if a.get("instance_noise") else ""))
        for label, stats, steps, cpu, wall, rate in (
                ("untrained", run["ceiling"], 0, "-", "-", "-"),
                ("trained", run["final"], run["steps"], f"{run['cpu_seconds']:.0f}", f"{run['run_wall_seconds']:.0f}",
                 f"{run['clips_per_second']:.1f}")):
            gap = (run["ceiling"]["fvd"] - stats["fvd"]) / (run["ceiling"]["fvd"] - floor)
            row(f"{name}, {label}", steps, cpu, wall, rate, stats["fvd"], f"{gap:.1%}", stats["content"],
                stats["motion"])
        for step_fvd, step_content in zip(run["logs"].get("FVD", []), run["logs"].get("content", [])):
            print(f"<!-- {name}: step {step_fvd[0]}: FVD({a['n_metric']} clips) {step_fvd[1]:.3f}, "
                  f"content {step_content[1]:.1%} -->")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["throughput", "baselines", "train", "report"])
    parser.add_argument("runs", nargs="*", help="report: the JSON files of `train` runs")
    parser.add_argument("--baselines", default=None, help="report: the JSON file of `baselines`")
    parser.add_argument("--model", default="mocogan", choices=["vgan", "mocogan"])
    parser.add_argument("--budget", type=float, default=600.0, help="CPU seconds inside the training steps")
    parser.add_argument("--max-steps", type=int, default=100_000)
    parser.add_argument("--steps", type=int, default=3, help="throughput: timed steps after one warm-up step")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--lr", type=float, default=2e-4)
    parser.add_argument("--ngf", type=int, default=32)
    parser.add_argument("--ndf", type=int, default=32, help="the video discriminator's base width")
    parser.add_argument("--ndf-image", type=int, default=None, help="MoCoGAN's image discriminator (default --ndf)")
    parser.add_argument("--latent-dim", type=int, default=100, help="VGAN")
    parser.add_argument("--content-dim", type=int, default=50)
    parser.add_argument("--motion-dim", type=int, default=10)
    parser.add_argument("--noise-dim", type=int, default=10)
    parser.add_argument("--instance-noise", type=float, default=0.0, help="MoCoGAN: sigma of the D input noise")
    parser.add_argument("--clip-length", type=int, default=None, help="MoCoGAN's D_V clips (default T = 16)")
    parser.add_argument("--n-train", type=int, default=4096)
    parser.add_argument("--n-eval", type=int, default=500)
    parser.add_argument("--n-metric", type=int, default=200, help="clips per FVD measurement during training")
    parser.add_argument("--metric-every", type=int, default=0, help="steps between measurements (0: none)")
    parser.add_argument("--floor", type=float, default=None, help="the FVD floor of `baselines` (for gap_closed)")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", default=None)
    parser.add_argument("--save", default=None, help="write the trained generator's state_dict here")
    args = parser.parse_intermixed_args(argv)
    return {"throughput": cmd_throughput, "baselines": cmd_baselines, "train": cmd_train,
            "report": cmd_report}[args.command](args)


if __name__ == "__main__":
    raise SystemExit(main())
