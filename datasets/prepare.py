"""Download and verify the workbook's real datasets: ``python datasets/prepare.py [--list] [NAME ...]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ganlab.data.registry import DATASETS, DatasetUnavailable, cache_dir, fetch, locate  # noqa: E402


def _report_manual(spec, root) -> int:
    """A manual-only dataset cannot be fetched: say how to get it and what its folder holds now."""
    folder = Path(root) if root else cache_dir(spec.name)
    if locate(spec, folder) is not None:
        count = sum(1 for p in folder.rglob("*") if any(p.match(g) for g in spec.manual_patterns))
        print(f"{spec.name}: {count} image files under {folder}")
        return 0
    print(f"{spec.name}: not found.\n{spec.manual}", file=sys.stderr)
    if folder.is_dir():
        suffixes: dict[str, int] = {}
        for p in folder.rglob("*"):
            if p.is_file():
                suffixes[p.suffix.lower() or "(none)"] = suffixes.get(p.suffix.lower() or "(none)", 0) + 1
        found = ", ".join(f"{k}: {v}" for k, v in sorted(suffixes.items())) or "nothing"
        print(f"{folder} exists and holds {found} (files by extension); unpack archives there.", file=sys.stderr)
    else:
        print(f"{folder} does not exist yet.", file=sys.stderr)
    return 1


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("names", nargs="*", help=f"datasets to fetch: {', '.join(DATASETS)}")
    parser.add_argument("--list", action="store_true", help="list datasets and whether they are on disk")
    parser.add_argument("--root", help="folder to use instead of $GANLAB_DATA/<name>")
    args = parser.parse_args(argv)
    if args.list or not args.names:
        for name, spec in DATASETS.items():
            here = locate(spec, args.root) is not None
            print(f"{name:12s} {'present' if here else 'missing':8s} {spec.title} -> {args.root or cache_dir(name)}")
        return 0
    status = 0
    for name in args.names:
        if name in DATASETS and not DATASETS[name].files:
            status = max(status, _report_manual(DATASETS[name], args.root))
            continue
        if name not in DATASETS:
            print(f"error: unknown dataset {name!r}; known: {', '.join(DATASETS)}", file=sys.stderr)
            status = 2
            continue
        try:
            print(f"{name}: verified in {fetch(DATASETS[name], args.root)}")
        except DatasetUnavailable as exc:
            print(f"{name}: {exc}", file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
