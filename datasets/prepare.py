"""Download and verify the workbook's real datasets: ``python datasets/prepare.py [--list] [NAME ...]``.

``python datasets/prepare.py skimage-photos [--wheel PATH]`` rebuilds the project's photo asset
(``ganlab/assets/skimage_photos.pt``) from scikit-image's wheel and checks it against the recorded SHA-256;
``skimage-textures`` does the same for the texture asset (``ganlab/assets/skimage_textures.pt``).
"""

from __future__ import annotations

import argparse
import glob
import shutil
import subprocess
import sys
import tempfile
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


def _skimage_assets() -> dict:
    """The assets baked from scikit-image's wheel: name -> (module, asset file, build function, pixels SHA-256,
    file SHA-256). Both modules pin the same scikit-image version."""
    from ganlab.data import photos, unpaired

    return {
        "skimage-photos": (photos, photos.PHOTOS_FILE, photos.build_asset, photos.PIXELS_SHA256,
                           photos.PHOTOS_SHA256),
        "skimage-textures": (unpaired, unpaired.TEXTURES_FILE, unpaired.build_texture_asset,
                             unpaired.TEXTURE_PIXELS_SHA256, unpaired.TEXTURES_SHA256),
    }


def _build_skimage_asset(name: str, wheel: str | None) -> int:
    """Rebuild one of the scikit-image assets from scikit-image's wheel (downloaded with pip if not given) and
    check its pixels against the recorded SHA-256; the asset is replaced only when they match."""
    module, asset, build, recorded_pixels, recorded_file = _skimage_assets()[name]
    with tempfile.TemporaryDirectory() as tmp:
        if wheel is None:
            cmd = [sys.executable, "-m", "pip", "download", f"scikit-image=={module.SKIMAGE_VERSION}", "--no-deps",
                   "--only-binary", ":all:", "-d", tmp]
            print(f"{name}: " + " ".join(cmd))
            if subprocess.run(cmd).returncode != 0:
                print(f"{name}: pip could not download the wheel; pass --wheel PATH", file=sys.stderr)
                return 1
            wheel = glob.glob(str(Path(tmp) / "scikit_image-*.whl"))[0]
        built = Path(tmp) / asset.name  # same file name: torch.save names its archive after it
        try:
            file_sha, pixels_sha = build(wheel, built)
        except (ValueError, KeyError, OSError) as exc:
            print(f"{name}: {exc}", file=sys.stderr)
            return 1
        if pixels_sha != recorded_pixels:
            print(f"{name}: the pixels differ from the recorded ones (SHA-256 {pixels_sha}, expected "
                  f"{recorded_pixels}; another Pillow resizes differently?); asset left unchanged", file=sys.stderr)
            return 1
        if file_sha != recorded_file:
            print(f"{name}: same pixels, but the file's SHA-256 is {file_sha}, not {recorded_file} "
                  "(another torch serialises differently)")
        shutil.copyfile(built, asset)
    print(f"{name}: {asset} rebuilt and verified (pixels SHA-256 {pixels_sha})")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("names", nargs="*", help=f"datasets to fetch: {', '.join(DATASETS)}; or skimage-photos / "
                                                 "skimage-textures (rebuild that asset)")
    parser.add_argument("--list", action="store_true", help="list datasets and whether they are on disk")
    parser.add_argument("--root", help="folder to use instead of $GANLAB_DATA/<name>")
    parser.add_argument("--wheel", help="skimage-photos/-textures: a scikit-image wheel to read (else pip downloads it)")
    args = parser.parse_args(argv)
    if args.list or not args.names:
        for name, spec in DATASETS.items():
            here = locate(spec, args.root) is not None
            print(f"{name:12s} {'present' if here else 'missing':8s} {spec.title} -> {args.root or cache_dir(name)}")
        return 0
    status = 0
    for name in args.names:
        if name in ("skimage-photos", "skimage-textures"):
            status = max(status, _build_skimage_asset(name, args.wheel))
            continue
        if name == "facades":  # no published checksum: size check and trust on first use (ganlab.data.paired)
            from ganlab.data.paired import fetch_facades

            try:
                print(f"facades: verified in {fetch_facades(args.root)}")
            except DatasetUnavailable as exc:
                print(f"facades: {exc}", file=sys.stderr)
                status = max(status, 1)
            continue
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
