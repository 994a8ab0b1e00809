"""Train Lab 4's independent digits classifier on real handwritten digits only.

    python -m tools.train_real_digits_classifier      # writes ganlab/assets/real_digits_classifier.pt

The network is ``ganlab.nets.SmallDigitsClassifier`` (16 x 16 input; any size is resized to it). It learns from the
training split of the real UCI digits (``ganlab.data.digits.load_sklearn_digits``, 1,438 images, never the
generators' samples and never a discriminator's head) rendered at 16 x 16 and at 32 x 32 (the two sizes Lab 4
trains at), with random shifts of up to 2 pixels at 16 x 16 and 3 at 32 x 32, and prints its accuracy on the 359 held-out test digits at
both sizes: that accuracy is the ceiling of the lab's generated-class accuracy figure. Seeded and
single-process (2 threads), so a rerun on the same torch build gives the same weights. Saved as a plain state
dict (``torch.load(weights_only=True)``).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _shift(images, g, pixels: int = 2):
    """Each image moved by a random whole number of pixels in [-pixels, pixels] (background -1 fills in)."""
    import torch
    import torch.nn.functional as F

    n, _, h, w = images.shape
    padded = F.pad(images, (pixels,) * 4, value=-1.0)
    dx = torch.randint(0, 2 * pixels + 1, (n,), generator=g)
    dy = torch.randint(0, 2 * pixels + 1, (n,), generator=g)
    rows = (dy[:, None] + torch.arange(h))[:, None, :, None].expand(n, 1, h, w + 2 * pixels)
    out = padded.gather(2, rows)
    cols = (dx[:, None] + torch.arange(w))[:, None, None, :].expand(n, 1, h, w)
    return out.gather(3, cols)


def main(argv=None) -> None:
    import torch
    import torch.nn.functional as F

    from ganlab.conditional import REAL_DIGITS_WEIGHTS
    from ganlab.data.digits import load_sklearn_digits
    from ganlab.nets import SmallDigitsClassifier

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--lr", type=float, default=2e-3, help="peak learning rate of the one-cycle schedule")
    parser.add_argument("--out", type=Path, default=REAL_DIGITS_WEIGHTS)
    args = parser.parse_args(argv)

    torch.set_num_threads(2)
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    start = time.perf_counter()
    train = {size: load_sklearn_digits(size, "train") for size in (16, 32)}
    test = {size: load_sklearn_digits(size, "test") for size in (16, 32)}
    model = SmallDigitsClassifier()
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    n = len(train[32][1])
    steps = args.epochs * ((n + 63) // 64)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=2 * steps)
    model.train()
    for epoch in range(args.epochs):
        for size in (16, 32):
            images, labels = train[size]
            order = torch.randperm(n, generator=g)
            for i in range(0, n, 64):
                idx = order[i:i + 64]
                loss = F.cross_entropy(model(_shift(images[idx], g, size // 16 + 1)), labels[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
    model.eval()
    with torch.no_grad():
        for size, (images, labels) in test.items():
            acc = (model(images).argmax(1) == labels).float().mean()
            per_class = [float((model(images[labels == k]).argmax(1) == k).float().mean()) for k in range(10)]
            print(f"held-out accuracy at {size} x {size}: {acc:.4f} ({len(labels)} test digits); lowest class "
                  f"{min(per_class):.3f}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    torch.save(model.state_dict(), args.out)
    print(f"wrote {args.out} in {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
