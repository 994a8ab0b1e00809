"""Train the offline feature extractors of ``ganlab.quality`` (``"offline-digits"``, ``"offline-faces"``).

    python tools/train_feature_extractor.py                  # writes ganlab/assets/offline_digits_classifier.pt
    python tools/train_feature_extractor.py --dataset faces  # writes ganlab/assets/offline_faces_classifier.pt

Seeded and single-process (2 threads), so a rerun on the same torch build gives the same weights. Both
train a small CNN on procedural data made by the project (no download) and print the wall time and the
accuracy on held-out samples from another seed:

- ``digits``: ``ganlab.quality.digits_classifier`` on ``ganlab.data.offline_digits``;
- ``faces``: ``ganlab.quality.faces_classifier`` (one head per attribute of ``FACE_ATTRIBUTES``) on
  ``ganlab.data.offline_faces``, three quarters rendered at 32 x 32 and one quarter at 64 x 64 (the
  classifier resizes both to 32 x 32), with random shifts and mirror images as augmentation; accuracy per
  attribute on held-out faces of both sizes.

The weights are saved as a plain state dict (loaded with ``torch.load(weights_only=True)``).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DEFAULTS = {"digits": {"train": 24000, "test": 4000, "epochs": 3},
            "faces": {"train": 20000, "test": 2000, "epochs": 6}}


def _fit(model, batch_loss, x, y, epochs: int, g, batch: int = 128, flip: bool = False) -> None:
    """Adam with a one-cycle schedule on ``model``'s parameters: ``epochs`` passes over ``x`` (N, C, H, W).

    ``batch_loss(images, targets)`` gives the loss of one batch. Each batch is shifted by up to 2 pixels
    (and mirrored half of the time if ``flip``), so the features are not tied to exact positions. All
    randomness comes from the generator ``g``.
    """
    import torch

    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    steps_per_epoch = len(x) // batch
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=epochs * steps_per_epoch)
    for epoch in range(epochs):
        perm = torch.randperm(len(x), generator=g)
        total = 0.0
        for i in range(steps_per_epoch):
            idx = perm[i * batch:(i + 1) * batch]
            xb = torch.roll(x[idx], shifts=tuple(torch.randint(-2, 3, (2,), generator=g).tolist()), dims=(2, 3))
            if flip and torch.rand((), generator=g) < 0.5:
                xb = xb.flip(3)  # every face attribute is left-right symmetric
            loss = batch_loss(xb, y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item()
        print(f"epoch {epoch + 1}: mean loss {total / steps_per_epoch:.4f}")


def train_digits(args) -> str:
    """The digits classifier; returns the line that reports its held-out accuracy."""
    import torch

    from ganlab.data import offline_digits
    from ganlab.quality import digits_classifier

    x, y = offline_digits(args.train, seed=101)
    x_test, y_test = offline_digits(args.test, seed=202)
    model = digits_classifier(pretrained=False).train().requires_grad_(True)
    _fit(model, lambda xb, yb: torch.nn.functional.cross_entropy(model(xb), yb), x, y, args.epochs,
         torch.Generator().manual_seed(1))
    model.eval()
    with torch.no_grad():
        acc = (model(x_test).argmax(1) == y_test).float().mean().item()
    torch.save({k: v.clone() for k, v in model.state_dict().items()}, args.out)
    return f"held-out accuracy {acc:.4f} on {args.test} offline digits (seed 202)"


def _faces_at_32(model, n: int, seed: int, size: int):
    """``n`` offline faces drawn at ``size``, resized by the model to 32 x 32: (images, (n, 9) labels)."""
    import torch

    from ganlab.data import offline_faces

    images, labels = offline_faces(n, seed=seed, size=size)
    images = torch.cat([model.prepare(images[i:i + 1000]) for i in range(0, n, 1000)]) if n else images
    return images, torch.stack(list(labels.values()), 1)


def train_faces(args) -> str:
    """The faces classifier (every attribute head); returns the lines reporting held-out accuracy."""
    import torch
    import torch.nn.functional as F

    from ganlab.quality import faces_classifier

    model = faces_classifier(pretrained=False).train().requires_grad_(True)
    # a quarter of the training faces are drawn at 64 x 64, so the 64 -> 32 resize is seen in training
    x32, y32 = _faces_at_32(model, args.train - args.train // 4, 101, 32)
    x64, y64 = _faces_at_32(model, args.train // 4, 111, 64)
    x, y = torch.cat([x32, x64]), torch.cat([y32, y64])
    del x32, x64

    def batch_loss(xb, yb):  # all heads share the body; their losses are summed
        heads = model.attribute_logits(xb).values()
        return sum(F.cross_entropy(out, yb[:, i]) for i, out in enumerate(heads))

    _fit(model, batch_loss, x, y, args.epochs, torch.Generator().manual_seed(1), flip=True)
    model.eval()
    lines = []
    with torch.no_grad():
        for size, n in ((32, args.test), (64, args.test // 2)):
            x_test, y_test = _faces_at_32(model, n, 202, size)
            hidden = torch.cat([model.hidden(x_test[i:i + 500]) for i in range(0, n, 500)])
            if size == 32:  # features of order 1 for KID: |x|^2 / d about 1 on held-out faces
                model.feature_scale.fill_(float(hidden.square().sum(1).mean() / hidden.shape[1]) ** -0.5)
            logits = model.attribute_logits(None, hidden=hidden)
            accs = [f"{name} {(out.argmax(1) == y_test[:, i]).float().mean().item():.4f}"
                    for i, (name, out) in enumerate(logits.items())]
            lines.append(f"  {size} x {size} ({n} faces, seed 202): " + ", ".join(accs))
    torch.save({k: v.clone() for k, v in model.state_dict().items()}, args.out)
    return "held-out accuracy per attribute:\n" + "\n".join(lines)


def main(argv=None) -> int:
    import torch

    from ganlab.quality import OFFLINE_DIGITS_WEIGHTS, OFFLINE_FACES_WEIGHTS, file_sha256

    parser = argparse.ArgumentParser()
    parser.add_argument("--dataset", choices=["digits", "faces"], default="digits")
    parser.add_argument("--train", type=int)
    parser.add_argument("--test", type=int)
    parser.add_argument("--epochs", type=int)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    for key, value in DEFAULTS[args.dataset].items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    if args.out is None:
        args.out = OFFLINE_DIGITS_WEIGHTS if args.dataset == "digits" else OFFLINE_FACES_WEIGHTS

    torch.set_num_threads(2)
    torch.manual_seed(0)
    start = time.perf_counter()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    report = (train_digits if args.dataset == "digits" else train_faces)(args)
    seconds = time.perf_counter() - start
    print(f"trained in {seconds:.0f} s on {torch.get_num_threads()} threads; {report}")
    print(f"wrote {args.out} ({args.out.stat().st_size / 1024:.0f} KiB, sha256 {file_sha256(args.out)[:16]}...)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
