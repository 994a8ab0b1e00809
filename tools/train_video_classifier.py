"""Train Lab 8's judges: the 3D-conv video classifier and the per-frame classifier, then measure them.

    python -m tools.train_video_classifier                 # writes ganlab/assets/video_classifier.pt and
                                                           # ganlab/assets/video_frame_classifier.pt, then measures
    python -m tools.train_video_classifier --measure-only  # measure the shipped weights again

Networks: ``ganlab.video_nets.VideoClassifier`` and ``FrameClassifier``. Training data, fresh every epoch
(seeds 100 + epoch): real-glyph moving digits (``moving_digits(source="uci", split="train")``, two digits and
one digit), procedural-glyph moving digits, and moving shapes (``moving_shapes``, all five motions), 16 frames at
32 x 32. Each clip keeps its frame order, has its frames shuffled, or has one frame repeated (probabilities
1/2, 1/4, 1/4): the ``"order"`` head learns which, so that the features see temporal coherence and not only
content. Losses: cross-entropy of the digit head against the digits present spread evenly (digit clips; see
``ganlab.video_nets``), cross-entropy on shape (shape clips), motion (ordered shape clips only: a shuffled clip
has no motion class) and order (all clips). The frame classifier learns from one random frame of every training
clip, in the same loop. A first run with ten sigmoids (binary cross-entropy) for the digits left that head at
its prior after 15 epochs; the softmax form learns.

Measured on held-out clips (glyphs of the UCI test split or the procedural test bank, trajectories from other
seeds; shapes from other seeds): accuracies of every head, the fraction of real videos whose per-frame content
stays constant, and the Fréchet video distance of reference sets against held-out real clips (floor: real
against real; ceilings: noise and a random-init 3D transposed-conv generator; in between: real clips
frozen or shuffled). Seeded and on one thread (``torch.set_num_threads(1)``) so that a rerun on the same torch
build should give the same weights (not checked: a run takes about 20 minutes on the shared CPU). Saved as plain
state dicts (``torch.load(weights_only=True)``). The shipped weights: 30 epochs, 1,136 s at load average 9-12;
the measured figures are in ``datasets/moving_digits.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def reorder(videos, order, g):
    """Apply the ``"order"`` classes: 0 keeps a clip, 1 shuffles its frames (never in order), 2 repeats one frame."""
    import torch

    n, _, t = videos.shape[:3]
    index = torch.arange(t).repeat(n, 1)  # (n, T)
    for i in (order == 1).nonzero().view(-1).tolist():
        perm = torch.randperm(t, generator=g)
        while t > 1 and torch.equal(perm, torch.arange(t)):
            perm = torch.randperm(t, generator=g)
        index[i] = perm
    frozen = order == 2
    index[frozen] = torch.randint(0, t, (int(frozen.sum()), 1), generator=g).expand(-1, t)
    return videos.gather(2, index[:, None, :, None, None].expand_as(videos))


def digit_target(digits):
    """(N, D) digit classes -> (N, 10) target distribution: the digits present, spread evenly (a repeat counts once)."""
    import torch

    present = torch.zeros(len(digits), 10).scatter_(1, digits, 1.0)
    return present / present.sum(1, keepdim=True).clamp(min=1)


def soft_cross_entropy(logits, target):
    return -(target * logits.log_softmax(dim=1)).sum(dim=1).mean()


def make_set(seed: int, sizes: dict, split: str = "train"):
    """A mixed set of clips: ``(videos, kind, digit_targets, shape, motion)``; kind 0 = digits, 1 = shapes."""
    import torch

    from ganlab.data.video import moving_digits, moving_shapes

    parts = [
        moving_digits(sizes["uci2"], seed=seed, source="uci", split=split, num_digits=2),
        moving_digits(sizes["uci1"], seed=seed + 1, source="uci", split=split, num_digits=1),
        moving_digits(sizes["offline"], seed=seed + 2, source="offline", split=split, num_digits=2),
    ]
    videos = [p[0] for p in parts]
    targets = [digit_target(p[1]["digits"]) for p in parts]
    shapes_seed = seed + 3 + (10_000 if split == "test" else 0)
    sv, sl = moving_shapes(sizes["shapes"], seed=shapes_seed)
    n_digits = sum(len(v) for v in videos)
    kind = torch.cat([torch.zeros(n_digits, dtype=torch.long), torch.ones(len(sv), dtype=torch.long)])
    digits = torch.cat(targets + [torch.zeros(len(sv), 10)])
    shape = torch.cat([torch.full((n_digits,), -1), sl["shape"]])
    motion = torch.cat([torch.full((n_digits,), -1), sl["motion"]])
    return torch.cat(videos + [sv]), kind, digits, shape, motion


def losses(video_out, frame_out, batch):
    import torch.nn.functional as F

    kind, digits, shape, motion, order = batch
    is_digit, is_shape = kind == 0, kind == 1
    total = F.cross_entropy(video_out["order"], order)
    frame_total = 0.0
    if is_digit.any():
        total = total + soft_cross_entropy(video_out["digits"][is_digit], digits[is_digit])
        frame_total = frame_total + soft_cross_entropy(frame_out["digits"][is_digit], digits[is_digit])
    if is_shape.any():
        total = total + F.cross_entropy(video_out["shape"][is_shape], shape[is_shape])
        frame_total = frame_total + F.cross_entropy(frame_out["shape"][is_shape], shape[is_shape])
        ordered = is_shape & (order == 0)
        if ordered.any():
            total = total + F.cross_entropy(video_out["motion"][ordered], motion[ordered])
    return total, frame_total


def random_generator_videos(n: int, seed: int = 0, latent_dim: int = 100, ngf: int = 32):
    """Clips (n, 1, 16, 32, 32) from a random-init 3D transposed-conv generator (batch-norm in train mode)."""
    import torch
    from torch import nn

    torch.manual_seed(seed)
    net = nn.Sequential(
        nn.ConvTranspose3d(latent_dim, ngf * 4, (2, 4, 4), bias=False), nn.BatchNorm3d(ngf * 4), nn.ReLU(),  # 2x4x4
        nn.ConvTranspose3d(ngf * 4, ngf * 2, 4, 2, 1, bias=False), nn.BatchNorm3d(ngf * 2), nn.ReLU(),  # 4x8x8
        nn.ConvTranspose3d(ngf * 2, ngf, 4, 2, 1, bias=False), nn.BatchNorm3d(ngf), nn.ReLU(),  # 8x16x16
        nn.ConvTranspose3d(ngf, 1, 4, 2, 1), nn.Tanh(),  # (n, 1, 16, 32, 32)
    )
    z = torch.randn(n, latent_dim, 1, 1, 1, generator=torch.Generator().manual_seed(seed))
    with torch.no_grad():
        return torch.cat([net(z[i:i + 250]) for i in range(0, n, 250)])


def measure(n_fvd: int = 1000) -> dict:
    """Held-out accuracies, content consistency of real clips, and the reference Fréchet video distances."""
    import torch

    from ganlab.data.video import moving_digits, moving_shapes
    from ganlab.conditional import real_digits_classifier
    from ganlab.video_nets import (
        content_consistency, digit_sets, frame_classifier, frame_contents, frechet_video_distance, video_classifier,
    )

    start = time.perf_counter()
    vnet, fnet, judge = video_classifier(), frame_classifier(), real_digits_classifier()
    results: dict = {"load_average": os.getloadavg()[0], "torch": torch.__version__}
    g = torch.Generator().manual_seed(7)
    acc: dict = {}
    with torch.no_grad():
        for name, (v, l) in {
            "uci_2_digits": moving_digits(500, seed=1, source="uci", split="test"),
            "uci_1_digit": moving_digits(500, seed=2, source="uci", split="test", num_digits=1),
            "offline_2_digits": moving_digits(300, seed=3, source="offline", split="test"),
        }.items():
            target = digit_target(l["digits"]) > 0
            out = vnet.head_logits(v)
            acc[f"video_digit_set_{name}"] = float((digit_sets(out["digits"]) == target).all(1).float().mean())
            frames = v[:, :, ::5].permute(0, 2, 1, 3, 4).reshape(-1, 1, 32, 32)  # frames 0, 5, 10, 15
            frame_target = target.repeat_interleave(v[:, :, ::5].shape[2], 0)
            fout = fnet.head_logits(frames)["digits"]
            acc[f"frame_digit_set_{name}"] = float((digit_sets(fout) == frame_target).all(1).float().mean())
            acc[f"content_consistency_{name}_frame_classifier"] = content_consistency(v, "digits", fnet)
            if v.shape[1] == 1 and l["digits"].shape[1] == 1:  # one digit: Lab 4's judge on ink-centred crops
                codes = frame_contents(v, "digit", judge)
                acc[f"frame_digit_crop_judge_{name}"] = float((codes == l["digits"]).float().mean())
                acc[f"content_consistency_{name}_crop_judge"] = float((codes == codes[:, :1]).all(1).float().mean())
        sv, sl = moving_shapes(500, seed=10_001)
        out = vnet.head_logits(sv)
        acc["video_shape"] = float((out["shape"].argmax(1) == sl["shape"]).float().mean())
        acc["video_motion"] = float((out["motion"].argmax(1) == sl["motion"]).float().mean())
        frames = sv[:, :, ::5].permute(0, 2, 1, 3, 4).reshape(-1, 1, 32, 32)
        acc["frame_shape"] = float((fnet.head_logits(frames)["shape"].argmax(1)
                                    == sl["shape"].repeat_interleave(4)).float().mean())
        acc["content_consistency_shapes"] = content_consistency(sv, "shape", fnet)
        dv = moving_digits(300, seed=4, source="uci", split="test")[0]
        mixed = torch.cat([dv, sv[:300]])
        order = torch.arange(len(mixed)) % 3
        acc["video_order"] = float((vnet.head_logits(reorder(mixed, order, g))["order"].argmax(1) == order)
                                   .float().mean())
    results["accuracy"] = acc

    real_train = moving_digits(n_fvd, seed=500, source="uci", split="train")[0]
    real_test = moving_digits(n_fvd, seed=501, source="uci", split="test")[0]
    fvd = {"real train vs real held-out (floor)": frechet_video_distance(real_train, real_test)}
    fvd["real held-out, 1 digit instead of 2"] = frechet_video_distance(
        real_train, moving_digits(n_fvd, seed=502, source="uci", split="test", num_digits=1)[0])
    fvd["real held-out, procedural glyphs"] = frechet_video_distance(
        real_train, moving_digits(n_fvd, seed=503, source="offline", split="test")[0])
    fvd["real held-out, frames shuffled"] = frechet_video_distance(
        real_train, reorder(real_test, torch.ones(n_fvd, dtype=torch.long), g))
    fvd["real held-out, first frame frozen"] = frechet_video_distance(
        real_train, real_test[:, :, :1].expand_as(real_test).contiguous())
    fvd["random-init 3D transposed-conv generator (ceiling)"] = frechet_video_distance(
        real_train, random_generator_videos(n_fvd))
    fvd["uniform noise in [-1, 1]"] = frechet_video_distance(
        real_train, torch.rand(real_test.shape, generator=torch.Generator().manual_seed(5)) * 2 - 1)
    results["fvd_moving_digits_uci"] = fvd
    shapes_a = moving_shapes(n_fvd, seed=600)[0]
    shapes_b = moving_shapes(n_fvd, seed=601)[0]
    results["fvd_moving_shapes"] = {
        "real vs real, other seed (floor)": frechet_video_distance(shapes_a, shapes_b),
        "random-init 3D transposed-conv generator (ceiling)": frechet_video_distance(shapes_a,
                                                                                    random_generator_videos(n_fvd)),
    }
    results["n_fvd_clips_per_side"] = n_fvd
    results["measure_seconds"] = round(time.perf_counter() - start, 1)
    return results


def main(argv=None) -> None:
    import torch

    from ganlab.data.video import moving_digits
    from ganlab.video_nets import (
        FRAME_CLASSIFIER_WEIGHTS, VIDEO_CLASSIFIER_WEIGHTS, FrameClassifier, VideoClassifier, digit_sets,
    )

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--lr", type=float, default=2e-3, help="Adam's first learning rate (cosine decay to 0)")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--measure-only", action="store_true", help="skip training; measure the shipped weights")
    parser.add_argument("--fvd-clips", type=int, default=1000, help="clips per side for the Fréchet distances")
    parser.add_argument("--json", type=Path, help="also write the measurements to this file")
    args = parser.parse_args(argv)

    torch.set_num_threads(1)
    if not args.measure_only:
        torch.manual_seed(0)
        g = torch.Generator().manual_seed(0)
        start = time.perf_counter()
        load_start = os.getloadavg()[0]
        sizes = {"uci2": 1000, "uci1": 1000, "offline": 400, "shapes": 600}
        per_epoch = sum(sizes.values())
        vnet, fnet = VideoClassifier(), FrameClassifier()
        params = list(vnet.parameters()) + list(fnet.parameters())
        opt = torch.optim.Adam(params, lr=args.lr)
        steps = args.epochs * ((per_epoch + args.batch_size - 1) // args.batch_size)
        sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=steps)
        watch, watch_labels = moving_digits(200, seed=77, source="uci", split="test", num_digits=1)
        watch_labels = watch_labels["digits"]
        vnet.train()
        fnet.train()
        for epoch in range(args.epochs):
            videos, kind, digits, shape, motion = make_set(100 + epoch, sizes)
            perm = torch.randperm(len(videos), generator=g)
            running = []
            for i in range(0, len(videos), args.batch_size):
                idx = perm[i:i + args.batch_size]
                order = torch.multinomial(torch.tensor([0.5, 0.25, 0.25]), len(idx), replacement=True, generator=g)
                clips = reorder(videos[idx], order, g)
                pick = torch.randint(0, clips.shape[2], (len(idx),), generator=g)
                frames = videos[idx][torch.arange(len(idx)), :, pick]  # (B, 1, 32, 32): a frame of each clip
                video_loss, frame_loss = losses(vnet.head_logits(clips), fnet.head_logits(frames),
                                                (kind[idx], digits[idx], shape[idx], motion[idx], order))
                opt.zero_grad()
                (video_loss + frame_loss).backward()
                opt.step()
                sched.step()
                running.append(video_loss.item())
            vnet.eval()
            fnet.eval()
            with torch.no_grad():  # progress on held-out clips (the UCI test glyphs)
                check = digit_target(watch_labels) > 0
                video_acc = (digit_sets(vnet.head_logits(watch)["digits"]) == check).all(1).float().mean()
                frame_acc = (digit_sets(fnet.head_logits(watch[:, :, 0])["digits"]) == check).all(1).float().mean()
            vnet.train()
            fnet.train()
            print(f"epoch {epoch + 1}/{args.epochs}: video loss {sum(running) / len(running):.3f}, held-out "
                  f"one-digit clips: video {video_acc:.3f}, first frame {frame_acc:.3f} "
                  f"({time.perf_counter() - start:.0f} s)",
                  flush=True)
        vnet.eval()
        with torch.no_grad():  # features of order 1 on real clips (see VideoClassifier.feature_scale)
            hidden = vnet.hidden(make_set(999, {"uci2": 300, "uci1": 100, "offline": 100, "shapes": 300})[0])
            vnet.feature_scale.fill_(float((hidden.square().sum(1).mean() / hidden.shape[1]).rsqrt()))
        for path, net in ((VIDEO_CLASSIFIER_WEIGHTS, vnet), (FRAME_CLASSIFIER_WEIGHTS, fnet)):
            path.parent.mkdir(parents=True, exist_ok=True)
            torch.save(net.eval().state_dict(), path)
            print(f"wrote {path} ({path.stat().st_size:,} bytes)")
        print(f"trained in {time.perf_counter() - start:.0f} s, one thread, load average {load_start:.2f} at the "
              f"start and {os.getloadavg()[0]:.2f} at the end")
    results = measure(args.fvd_clips)
    print(json.dumps(results, indent=2))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
