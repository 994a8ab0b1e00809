"""Train the offline feature extractor of ``ganlab.quality`` (the ``"offline-digits"`` classifier).

    python tools/train_feature_extractor.py            # writes ganlab/assets/offline_digits_classifier.pt

Seeded and single-process (2 threads), so a rerun on the same torch build gives the same weights. Trains a
small CNN (``ganlab.quality.digits_classifier``) on ``ganlab.data.offline_digits`` (procedural digits made
by the project; no download), prints the wall time and the accuracy on held-out digits from another seed.
The weights are saved as a plain state dict (loaded with ``torch.load(weights_only=True)``).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main(argv=None) -> int:
    import torch

    from ganlab.data import offline_digits
    from ganlab.quality import OFFLINE_DIGITS_WEIGHTS, digits_classifier, file_sha256

    parser = argparse.ArgumentParser()
    parser.add_argument("--train", type=int, default=24000)
    parser.add_argument("--test", type=int, default=4000)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=OFFLINE_DIGITS_WEIGHTS)
    args = parser.parse_args(argv)

    torch.set_num_threads(2)
    torch.manual_seed(0)
    start = time.perf_counter()
    x, y = offline_digits(args.train, seed=101)
    x_test, y_test = offline_digits(args.test, seed=202)
    model = digits_classifier(pretrained=False).train().requires_grad_(True)
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    steps_per_epoch = args.train // 128
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=args.epochs * steps_per_epoch)
    g = torch.Generator().manual_seed(1)
    for epoch in range(args.epochs):
        perm = torch.randperm(args.train, generator=g)
        total = 0.0
        for i in range(steps_per_epoch):
            idx = perm[i * 128:(i + 1) * 128]
            # light augmentation: random pixel shifts, so features are not tied to exact positions
            xb = torch.roll(x[idx], shifts=tuple(torch.randint(-2, 3, (2,), generator=g).tolist()), dims=(2, 3))
            loss = torch.nn.functional.cross_entropy(model(xb), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item()
        print(f"epoch {epoch + 1}: mean loss {total / steps_per_epoch:.4f}")
    model.eval()
    with torch.no_grad():
        acc = (model(x_test).argmax(1) == y_test).float().mean().item()
    seconds = time.perf_counter() - start
    args.out.parent.mkdir(parents=True, exist_ok=True)
    torch.save({k: v.clone() for k, v in model.state_dict().items()}, args.out)
    print(f"trained in {seconds:.0f} s on {torch.get_num_threads()} threads; held-out accuracy {acc:.4f} "
          f"on {args.test} offline digits (seed 202)")
    print(f"wrote {args.out} ({args.out.stat().st_size / 1024:.0f} KiB, sha256 {file_sha256(args.out)[:16]}...)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
