"""Lab 5 quality figure: L1 alone, the cGAN alone and L1 + cGAN on the same step budget, judged on held-out photos.

The reference networks, the step and the context encoder's loss are read from the solution notebook (its
definitions only, as the grader reads them), and the loop is ``ganlab.pix2pix.fit_pix2pix``, so this measures
exactly what the lab runs::

    python benchmarks/lab5_pix2pix.py --task grey2colour --lab --steps 1500 --flip   # the lab's measured task
    python benchmarks/lab5_pix2pix.py --task grey2colour --steps 1500 --flip         # the same in RGB -> RGB
    python benchmarks/lab5_pix2pix.py --task edges2photo --steps 800            # the qualitative task
    python benchmarks/lab5_pix2pix.py --task inpaint --steps 1500               # context encoder vs mean-fill
    python benchmarks/lab5_pix2pix.py --seed 1 --threads 1 --eval-every 250     # another seed; curves
    python benchmarks/lab5_pix2pix.py --task grey2colour --lab --flip --val astronaut --ema 0.999 0.99 \
        --decay-steps 750                      # tuning: train without one training photo, judge on it
    python benchmarks/lab5_pix2pix.py --task grey2colour --lab --flip --ema 0.99 --chroma-lowpass 2 \
        --test-lowpass 2 4                     # chroma predicted at half resolution; a low-pass after training
    python benchmarks/lab5_pix2pix.py --task grey2colour --lab --flip --ema 0.99 --chroma-lowpass 2 \
        --extra-train sklearn.whl:sklearn/datasets/images/china.jpg sklearn.whl:sklearn/datasets/images/flower.jpg
                                           # more natural training photos, read from scikit-learn's wheel

``--val PHOTO`` is the tuning split: the named training photo is left out of training and its crops replace the
held-out ones (chelsea and coffee are then not touched), so settings are chosen without looking at the held-out
photos. ``--ema D ...`` keeps exponential moving averages of G's weights (``ganlab.training.weight_average``,
Yazici et al. 2019) and reports each next to the live G (the first through ``fit_pix2pix(ema_decay=...)``, the
others updated after the same steps); ``--decay-steps N`` lets both learning rates fall linearly to 0 over the last
N steps, as the pix2pix authors' code does (``--n_epochs`` / ``--n_epochs_decay``). ``--chroma-lowpass K`` (with
``--lab``) trains and judges ``ganlab.colour.ChromaLowPass(G, K)``: G's a*b* averaged over K x K blocks and
upsampled back bilinearly, inside the trained model (the L1 loss and D see the smoothed chroma);
``--test-lowpass K ...`` also reports each trained generator (live and averages) with that low-pass added only at
test time. ``--extra-train FILE ...`` adds training photos (image files, or ``WHEEL.whl:MEMBER`` read from a
wheel without installing it), downscaled as the stored photos were (shorter side ``--extra-short-side``) and cut
into crops as ``load_photos`` cuts them (flat crops dropped); the held-out and validation crops do not change.

Data: ``ganlab.data.photos`` crops of real scikit-image photos; the test crops come from whole photos held out of
training. Metrics (``ganlab.pix2pix.quality``, images mapped to [0, 1], data_range 1): PSNR (dB), SSIM, the
sharpness ratio (mean luminance gradient magnitude of the outputs over that of the targets; 1 = as sharp as the
photos), the colourfulness ratio (Hasler and Suesstrunk 2003; outputs over targets; 1 = as colourful as the
photos) and the chroma sharpness ratio ("c-sharp": mean gradient magnitude of a*b*, outputs over targets; below 1
the colours are smeared across edges; the sharpness of colour, which the luminance ratio does not see). Outputs are drawn in evaluation mode (running batch statistics, no dropout) and, for the last columns,
in training mode as the paper does at test time. ``--eval-every`` also prints the same numbers on the first 246
training crops, to tell over-fitting (train up, held-out down) from a gap between the photos (both flat).

``--lab`` (grey2colour only): the pix2pix authors' colourisation set-up (``ganlab.colour``): G maps the lightness
L* (1 channel) to the chroma a*b* (2 channels), D sees the 3-channel pair, and the answer is merged with the
input's L* and converted to RGB before it is measured against the RGB photos.

Baselines: the input itself (grey2colour: the BT.601 grey copied to 3 channels; edges2photo: the edge map), with
``--lab`` also the grey of the input's L* (a* = b* = 0) and, for inpainting, mean-fill; inpainting is scored on the whole image (only the hole, a quarter of it, differs) and on
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
COLUMNS = ("psnr", "ssim", "sharpness", "colourfulness", "chroma sharpness")


def photo_crops(size, names, seed=0, extra=()):
    """Crops of the named stored photos and of the ``extra`` uint8 (3, H, W) images, cut and filtered as
    ``load_photos`` does, in a seeded order."""
    import torch

    from ganlab.data import photos as P

    images = [P._stored_photos()[n] for n in names] + list(extra)
    crops = torch.cat([P._tile(image, size) for image in images]).float().div(127.5).sub(1.0)
    crops = crops[P.luminance((crops + 1) / 2).flatten(1).std(dim=1) >= P.FLAT_STD]
    return crops[torch.randperm(len(crops), generator=torch.Generator().manual_seed(seed))].contiguous()


def extra_photos(specs, short_side):
    """The ``--extra-train`` photos: each spec is an image file or ``WHEEL.whl:MEMBER`` (a file inside a wheel,
    read without installing it), decoded and downscaled exactly as the stored photos were
    (``ganlab.data.photos.downscale``: shorter side ``short_side``, longer side centre-cropped to a multiple of 32).
    Returns ``{spec: uint8 (3, H, W)}`` and prints each file's SHA-256 (the RECORD of a wheel lists the same
    digest, base64-encoded), so a run states exactly which pixels it trained on."""
    import hashlib
    import zipfile

    from ganlab.data.photos import downscale

    images = {}
    for spec in specs:
        wheel, _, member = spec.partition(".whl:")
        try:
            if member:
                with zipfile.ZipFile(wheel + ".whl") as z:
                    raw = z.read(member)
            else:
                raw = Path(spec).read_bytes()
        except (OSError, KeyError, zipfile.BadZipFile) as err:
            raise SystemExit(f"--extra-train {spec}: cannot read it ({err})") from None
        images[spec] = downscale(raw, short_side)
        print(f"extra training photo {spec}: SHA-256 {hashlib.sha256(raw).hexdigest()}, stored as "
              f"{tuple(images[spec].shape[1:])}", flush=True)
    return images


def build(ns, args, d_channels, in_channels=3, out_channels=3):
    """A fresh (G, D) pair of the lab's CPU configuration, seeded; G wrapped in ``ChromaLowPass`` with
    ``--chroma-lowpass`` (the same initial weights as without it)."""
    import torch

    from ganlab.colour import ChromaLowPass

    torch.manual_seed(args.seed)
    g = ns["UNetGenerator"](in_channels, out_channels, num_downs=args.num_downs, ngf=args.ngf)
    if args.chroma_lowpass > 1:
        g = ChromaLowPass(g, args.chroma_lowpass)
    d = ns["PatchDiscriminator"](d_channels, ndf=args.ndf, n_layers=args.n_layers)
    return g.to(args.device), d.to(args.device)


def hole_only(images, mask):
    """The hole's pixels of (N, 3, S, S) images as (N, 3, h, h) crops (the mask is a centred square)."""
    rows = mask[0, 0].any(dim=1).nonzero().flatten()
    cols = mask[0, 0].any(dim=0).nonzero().flatten()
    return images[:, :, rows[0]: rows[-1] + 1, cols[0]: cols[-1] + 1]


def diagnose_lab(light, chroma, rgb):
    """Why SSIM moves in L*a*b* colourisation: per-channel PSNR / SSIM of the merged answer, the SSIM of its BT.601
    luminance alone, and the answer with its chroma scaled by s (s = 0: the grey of L*; s = 1: the network)."""
    from ganlab import quality
    from ganlab.colour import merge_lab
    from ganlab.data.photos import luminance

    out = merge_lab(light, chroma)
    per_channel = "  ".join(f"{c} {quality.psnr(out[:, i:i + 1], rgb[:, i:i + 1]):.2f} dB / "
                            f"{quality.ssim(out[:, i:i + 1], rgb[:, i:i + 1]):.3f}" for i, c in enumerate("RGB"))
    print(f"    per channel (PSNR / SSIM): {per_channel}; luminance alone SSIM "
          f"{quality.ssim(luminance(out), luminance(rgb)):.3f}")
    for scale in (0.0, 0.25, 0.5, 0.75, 1.0, 1.25):
        print(f"    chroma x {scale:<4}: {fmt(pix2pix_quality(merge_lab(light, scale * chroma), rgb))}")


def pix2pix_quality(out, target):
    from ganlab import pix2pix

    return pix2pix.quality(out, target)


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
    parser.add_argument("--lab", action="store_true",
                        help="grey2colour in L*a*b*: G maps L* (1 channel) to a*b* (2), D sees 3 channels")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--device", default="cpu",
                        help="where the networks train (the CPU figures; 'cuda' for the GPU record in gpu.md)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--diagnose", action="store_true",
                        help="with --lab: per-channel errors and the chroma scaled from 0 to 1.25 (held-out)")
    parser.add_argument("--eval-every", type=int, default=0, help="print train and held-out numbers every N steps")
    parser.add_argument("--ema", type=float, nargs="*", default=[],
                        help="decays of moving averages of G's weights, each reported next to the live G")
    parser.add_argument("--decay-steps", type=int, default=0, help="linear lr decay to 0 over the last N steps")
    parser.add_argument("--chroma-lowpass", type=int, default=1,
                        help="with --lab: train G's a*b* through ChromaLowPass(G, K) (1: none)")
    parser.add_argument("--test-lowpass", type=int, nargs="*", default=[],
                        help="with --lab: also report each trained G with ChromaLowPass(G, K) added at test time")
    parser.add_argument("--val", default=None,
                        help="tuning split: leave this training photo out of training and judge on its crops")
    parser.add_argument("--extra-train", nargs="*", default=[],
                        help="more training photos: image files or WHEEL.whl:MEMBER, downscaled like the stored ones")
    parser.add_argument("--extra-short-side", type=int, default=320,
                        help="shorter side of each --extra-train photo after downscaling (coffee and rocket: 320)")
    args = parser.parse_args(argv)
    inpaint = args.task == "inpaint"
    models = args.models or list(INPAINT_MODELS if inpaint else MODELS)
    allowed = INPAINT_MODELS if inpaint else MODELS
    if any(m not in allowed for m in models):
        parser.error(f"--models for {args.task} must be among {allowed}")
    if args.lab and args.task != "grey2colour":
        parser.error("--lab applies to --task grey2colour only")
    if (args.chroma_lowpass != 1 or args.test_lowpass) and not args.lab:
        parser.error("--chroma-lowpass and --test-lowpass apply to --lab only")
    if args.chroma_lowpass < 1 or any(k < 2 for k in args.test_lowpass):
        parser.error("--chroma-lowpass must be >= 1 and each --test-lowpass >= 2")

    import torch

    from ganlab import pix2pix
    from ganlab.colour import ChromaLowPass, grey_of, merge_lab, split_lab
    from ganlab.data.photos import load_photos, make_pair
    from ganlab.training import weight_average

    torch.set_num_threads(args.threads)
    ns = reference_namespace(NOTEBOOK, "lab5_reference")
    photos, test_photos = load_photos(args.size, "train", seed=0), load_photos(args.size, "test", seed=0)
    from ganlab.data.photos import photo_sources

    train_names = [s["name"] for s in photo_sources() if s["split"] == "train"]
    extra = extra_photos(args.extra_train, args.extra_short_side).values() if args.extra_train else ()
    if args.val:
        if args.val not in train_names:
            parser.error(f"--val must name a training photo: {train_names}")
        photos = photo_crops(args.size, [n for n in train_names if n != args.val], extra=extra)
        test_photos = photo_crops(args.size, [args.val])
    elif extra:
        # the same crops as load_photos(size, "train") plus the extra photos', shuffled together with seed 0
        photos = photo_crops(args.size, train_names, extra=extra)
    x, y = make_pair(photos, args.task)
    x_test, y_test = make_pair(test_photos, args.task)
    # targets of the metrics: always RGB; with --lab the networks see (L*, a*b*) and their answers go back to RGB
    rgb_test, rgb_seen, grey_test = y_test, y[:len(x_test)], x_test
    if args.lab:
        (x, y), (x_test, y_test) = split_lab(photos), split_lab(test_photos)
    x_seen = x[:len(x_test)]
    mask = ns["center_mask"](1, args.size, args.size // 2) if inpaint else None

    def answer(g, inputs, train_mode=False):
        out = pix2pix.translate(g, inputs, train_mode=train_mode, seed=0 if train_mode else None)
        if args.lab:
            return merge_lab(inputs, out)
        return inputs * (1 - mask) + out * mask if inpaint else out

    def measure(out, target):
        r = pix2pix.quality(out, target)
        if inpaint:
            r["hole psnr"] = pix2pix.quality(hole_only(out, mask), hole_only(target, mask))["psnr"]
        return r

    wall, cpu = time.perf_counter(), time.process_time()
    print(f"{machine()}; device {args.device}; {args.threads} threads; load average {os.getloadavg()}; task {args.task}, "
          f"{args.size} x {args.size}, {len(x)} training and {len(x_test)} held-out pairs; U-Net num_downs "
          f"{args.num_downs} ngf {args.ngf}, PatchGAN n_layers {args.n_layers} ndf {args.ndf}; batch "
          f"{args.batch_size}, lr {args.lr}, flip {args.flip}, {args.steps} steps, seed {args.seed}, "
          f"colour space {'L*a*b* (L -> ab)' if args.lab else 'RGB'}; chroma low-pass {args.chroma_lowpass} (test-time "
          f"{args.test_lowpass or 'none'}); EMA {args.ema or 'none'}, lr decay over the "
          f"last {args.decay_steps} steps; extra training photos {args.extra_train or 'none'}; judged on "
          f"{'VALIDATION photo ' + args.val if args.val else 'held-out'}",
          flush=True)
    rows = {"baseline: the input": measure(grey_test, rgb_test)}
    if args.lab:
        rows["baseline: L*, ab = 0"] = measure(grey_of(x_test), rgb_test)
    if args.eval_every:
        seen_input = make_pair(photos, args.task)[0][:len(x_test)]
        print(f"  baseline (the input) on the train crops: {fmt(measure(seen_input, rgb_seen))}", flush=True)
    if inpaint:
        rows["baseline: mean-fill"] = measure(pix2pix.mean_fill(x_test, mask), y_test)
    for name in models:
        g, d = build(ns, args, 3 if inpaint or args.lab else 6, *((1, 2) if args.lab else (3, 3)))
        if inpaint:
            w_adv = 0.0 if name == "l2" else 0.001

            def loss_fn(x_fill, x_real, m, logits, w_adv=w_adv):
                return ns["context_encoder_loss"](x_fill, x_real, m, logits, w_rec=1.0 - w_adv, w_adv=w_adv)

            step, lambda_l1 = pix2pix.context_encoder_step(loss_fn, mask), None
        else:
            step = pix2pix.l1_only_step if name == "l1" else ns["pix2pix_step"]
            lambda_l1 = 0.0 if name == "cgan" else 100.0

        # the first decay goes through fit_pix2pix (what the lab runs); the others are updated after the same steps
        extra = {decay: weight_average(g, decay) for decay in args.ema[1:]}

        def stepped(*a, step=step, g=g, extra=extra):
            out = step(*a)
            for average in extra.values():
                average.update_parameters(g)
            return out

        averages = {}

        def monitor(i, judged, d, name=name, g=g, extra=extra):
            if i:
                nets = [("live", g)] + ([(f"ema {args.ema[0]}", judged)] if judged is not g else [])
                for label, net in nets + [(f"ema {k}", v) for k, v in extra.items()]:
                    seen, held = measure(answer(net, x_seen), rgb_seen), measure(answer(net, x_test), rgb_test)
                    print(f"  {name} {label:<9} step {i:>5}: train crops {fmt(seen)}   held-out {fmt(held)}",
                          flush=True)
            return {}

        start, start_cpu = time.perf_counter(), time.process_time()
        h = pix2pix.fit_pix2pix(stepped if extra else step, g, d, pix2pix.adam(g, args.lr),
                                pix2pix.adam(d, args.lr), x, y, steps=args.steps, batch_size=args.batch_size,
                                lambda_l1=lambda_l1, seed=args.seed, progress=False, flip=args.flip,
                                snapshot_every=args.eval_every or args.steps + 1,
                                monitor=monitor if args.eval_every else None,
                                ema_decay=args.ema[0] if args.ema else None, decay_steps=args.decay_steps,
                                device=args.device)
        cpu_s = time.process_time() - start_cpu
        if args.ema:
            averages.update({f"ema {args.ema[0]}": h.average, **{f"ema {k}": v for k, v in extra.items()}})
        for label, net in averages.items():
            rows[f"{name} {label}"] = measure(answer(net, x_test), rgb_test)
        rows[name] = measure(answer(g, x_test), rgb_test)
        for label, net in [("", g)] + [(" " + k, v) for k, v in averages.items()]:
            for k in args.test_lowpass:
                rows[f"{name}{label} test-lp {k}"] = measure(answer(ChromaLowPass(net, k), x_test), rgb_test)
        train_mode = measure(answer(g, x_test, train_mode=True), rgb_test)
        rows[name].update({f"train-mode {k}": v for k, v in train_mode.items()})
        if args.diagnose and args.lab:
            print(f"  {name}, held-out, evaluation mode:")
            diagnose_lab(x_test, pix2pix.translate(g, x_test), rgb_test)
        print(f"{name}: {h.steps} steps in {h.seconds:.0f} s of training ({time.perf_counter() - start:.0f} s wall, "
              f"{cpu_s:.0f} s of CPU time, load average {os.getloadavg()[0]:.1f})", flush=True)
    extra_cols = ["hole psnr"] if inpaint else []
    head = f"{'held-out ' + args.task:<30} {'PSNR dB':>8} {'SSIM':>8} {'sharp':>8} {'colour':>8} {'c-sharp':>8}"
    head += "".join(f" {c:>9}" for c in extra_cols) + "   | train mode: PSNR    SSIM   sharp  colour c-sharp"
    print("\n" + head)
    for name, r in rows.items():
        line = f"{name:<30} {fmt(r)}" + "".join(f" {r[c]:>9.2f}" for c in extra_cols)
        if "train-mode psnr" in r:
            line += "   |       " + fmt({k[len('train-mode '):]: v for k, v in r.items() if k.startswith('train-mode ')})
        print(line)
    print(f"\nwall time {time.perf_counter() - wall:.0f} s, CPU time {time.process_time() - cpu:.0f} s; "
          f"load average at the end {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
