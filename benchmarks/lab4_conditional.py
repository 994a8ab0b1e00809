"""Lab 4 figures: generated-class accuracy and intra-class spread of CGAN, the projection discriminator and ACGAN,
and InfoGAN's best-permutation accuracy, on the real UCI digits.

The reference networks, steps and losses are read from the solution notebook (its definitions only, as the
grader reads them), and the loops are ``ganlab.conditional``'s, so this measures exactly what the lab runs::

    python benchmarks/lab4_conditional.py                      # 300 s of training per model, 16 x 16 (the CPU setting)
    python benchmarks/lab4_conditional.py --steps 1500         # a number of steps instead (for a busy machine)
    python benchmarks/lab4_conditional.py --models cgan acgan  # a subset
    python benchmarks/lab4_conditional.py --seeds 0 1 --threads 1   # two seeds; one thread on a busy machine
    python benchmarks/lab4_conditional.py --steps 1000 --models projection projection_n01   # the embedding's init

``acgan`` is the lab's step (D's class head trained on real images only); ``acgan_fakes`` adds the fakes' class
term to D's gradient (Odena et al.'s L_C, the lab's step before that change). ``projection_n01`` is the given
projection discriminator with ``nn.Embedding``'s default N(0, 1) class embedding instead of Glorot's uniform law
(the lab's code before the fix). On a machine shared by many jobs, ``--threads 1`` is several times faster per
step than two threads (benchmarks/lab4.md).

Judge: ``ganlab.conditional.real_digits_classifier`` (trained on the real training split only); 200 samples per
class; ceiling = its accuracy on the 359 held-out real digits. Spread = mean squared distance of the classifier's
features to their class mean (``intra_class_spread``), per class and averaged; also over the samples the judge
assigns to the requested class only ("spread of hits"), so that off-class samples (which spread widely) do not
decide the comparison of diversity. Goal (issue 15): class accuracy >= 95% averaged over classes
after at most 5 CPU minutes per model.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import REPO, machine, reference_namespace  # noqa: E402

NOTEBOOK = REPO / "solutions" / "lab4_conditional" / "lab4_conditional.ipynb"
LATENT_DIM, BASE, NUM_CLASSES = 64, 32, 10


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="*", default=["cgan", "projection", "acgan", "infogan"])
    parser.add_argument("--seconds", type=float, default=300.0, help="training seconds per model")
    parser.add_argument("--steps", type=int, default=0, help="train this many steps instead (no time budget)")
    parser.add_argument("--size", type=int, default=16)
    parser.add_argument("--per-class", type=int, default=200)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seeds", type=int, nargs="*", default=[0], help="one run per seed and model")
    args = parser.parse_args(argv)

    import torch

    from ganlab import conditional
    from ganlab.data.digits import load_sklearn_digits

    torch.set_num_threads(args.threads)
    ns = reference_namespace(NOTEBOOK, "lab4_reference")
    digits, labels = load_sklearn_digits(args.size, "train")
    test_digits, test_labels = load_sklearn_digits(args.size, "test")
    classifier = conditional.real_digits_classifier()
    feats, pred = conditional.classify(classifier, test_digits)
    print(f"{machine()}; load average {os.getloadavg()[0]:.1f}; {args.size} x {args.size}, base {BASE}")
    print(f"ceiling (classifier on held-out real digits): accuracy "
          f"{conditional.per_class_accuracy(pred, test_labels).mean():.3f}, spread "
          f"{conditional.intra_class_spread(feats, test_labels).mean():.2f}")
    steps = args.steps or 10**6
    budget = None if args.steps else args.seconds
    eval_y = torch.arange(NUM_CLASSES).repeat_interleave(args.per_class)
    eval_z = torch.randn(len(eval_y), LATENT_DIM, generator=torch.Generator().manual_seed(2))

    def projection_normal_init():
        """The given projection discriminator with nn.Embedding's default N(0, 1) class embedding (before the fix)."""
        d = ns["ProjectionDiscriminator"](NUM_CLASSES, BASE, args.size)
        torch.nn.init.normal_(d.head.embed.weight)
        return d

    discriminators = {"cgan": lambda: ns["ConditionalDiscriminator"](NUM_CLASSES, BASE, args.size),
                      "projection": lambda: ns["ProjectionDiscriminator"](NUM_CLASSES, BASE, args.size),
                      "projection_n01": projection_normal_init,
                      "acgan": lambda: ns["ACGANDiscriminator"](NUM_CLASSES, BASE, args.size),
                      "acgan_fakes": lambda: ns["ACGANDiscriminator"](NUM_CLASSES, BASE, args.size)}
    for seed, name in [(s, m) for s in args.seeds for m in args.models]:
        torch.manual_seed(seed)
        start = time.perf_counter()
        load = os.getloadavg()[0]
        if name == "infogan":
            g = ns["ConditionalGenerator"](62 + 2, NUM_CLASSES, BASE, args.size)
            d = ns["ACGANDiscriminator"](NUM_CLASSES + 2, BASE, args.size)
            h = conditional.fit_infogan(ns["infogan_step"], g, d, *ns["infogan_optimizers"](g, d), digits,
                                        ns["sample_infogan_latent"], ns["infogan_q_loss"], steps=steps,
                                        noise_dim=62, time_budget=budget, seed=seed, progress=False)
            d.eval()
            with torch.no_grad():
                codes = d(test_digits)[1][:, :NUM_CLASSES].argmax(1)
            acc, mapping = conditional.best_permutation_accuracy(codes, test_labels)
            print(f"infogan seed {seed}: {h.steps} steps, {h.seconds:.0f} s of training ({time.perf_counter() - start:.0f} s "
                  f"wall, load {load:.1f}): best-permutation accuracy {acc:.3f} on held-out real digits (mapping {mapping})",
                  flush=True)
            continue
        g = ns["ConditionalGenerator"](LATENT_DIM, NUM_CLASSES, BASE, args.size)
        d = discriminators[name]()
        step = (conditional.acgan_step(ns["acgan_d_loss"], ns["acgan_g_loss"], classify_fakes=name == "acgan_fakes")
                if name.startswith("acgan") else ns["cgan_train_step"])
        opts = [torch.optim.Adam(n.parameters(), lr=2e-4, betas=(0.5, 0.999)) for n in (g, d)]
        h = conditional.fit_conditional(step, g, d, *opts, digits, labels, steps=steps, latent_dim=LATENT_DIM,
                                        time_budget=budget, seed=seed, progress=False)
        g.eval()
        with torch.no_grad():
            images = g(eval_z, eval_y)
        feats, pred = conditional.classify(classifier, images)
        acc = conditional.per_class_accuracy(pred, eval_y)
        spread = conditional.intra_class_spread(feats, eval_y)
        own = ""
        if name.startswith("acgan"):  # does D's own class head agree with the judge? (acgan_fakes: trained on the fakes too)
            d.eval()
            with torch.no_grad():
                head = conditional.per_class_accuracy(d(images)[1].argmax(1), eval_y)
            own = (f"\n    D's own class head calls the requested class: {head.mean():.3f} "
                   f"{[round(a, 3) for a in head.tolist()]}")
        hit = pred == eval_y
        hit_spread = conditional.intra_class_spread(feats[hit], eval_y[hit])
        print(f"{name} seed {seed}: {h.steps} steps, {h.seconds:.0f} s of training ({time.perf_counter() - start:.0f} s "
              f"wall, load {load:.1f}): class accuracy {acc.mean():.3f} (lowest {acc.min():.3f}), spread "
              f"{spread.mean():.2f}, spread of hits {hit_spread.nanmean():.2f}\n"
              f"    per class: accuracy {[round(a, 3) for a in acc.tolist()]}\n"
              f"    spread {[round(v, 1) for v in spread.tolist()]}\n"
              f"    spread of hits {[round(v, 1) for v in hit_spread.tolist()]}{own}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
