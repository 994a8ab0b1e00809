"""Bulk grading: 50 Lab 1 submissions with --jobs 1 and --jobs 2, and nbgrader autograde of the same 50.

    python benchmarks/bulk.py [--count 50] [--skip-nbgrader]

The submissions are the reference and every catalog entry (wrong and alternative implementations),
repeated with a distinguishing comment so that each file is unique. Goal (issue: grading hardening):
at least 1.6x speed-up from 2 jobs, and faster than nbgrader per submission.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from autograder import catalog, labs  # noqa: E402
from benchmarks.common import REPO, machine, nbgrader_course, submit, timed  # noqa: E402


def submissions(count: int) -> list[bytes]:
    variants = [catalog.reference("lab1")] + [catalog.submission_for(e, "lab1") for e in catalog.entries("lab1")]
    out = []
    for i in range(count):
        nb = json.loads(json.dumps(variants[i % len(variants)]))
        nb["cells"].append({"cell_type": "markdown", "metadata": {}, "source": f"submission {i}"})
        out.append(json.dumps(nb).encode())
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--skip-nbgrader", action="store_true")
    args = parser.parse_args(argv)
    lab = labs.LABS["lab1"]
    subs = submissions(args.count)
    print(f"bulk benchmark: {args.count} Lab 1 submissions on {machine()}")
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for i, content in enumerate(subs):
            submit(root, f"student{i:03d}", lab.assignment, content)
        for jobs in (1, 2):
            out = root / f"grades-j{jobs}"
            seconds, r = timed([sys.executable, "-m", "autograder", str(root / "submitted"), "--jobs", str(jobs),
                                "--out", str(out), "-q"], REPO)
            assert r.returncode == 0, r.stderr[-2000:]
            results[jobs] = seconds
            print(f"standalone --jobs {jobs}: {seconds:7.1f} s  ({seconds / args.count:.2f} s per submission)")
        print(f"speed-up from 2 jobs: {results[1] / results[2]:.2f}x")
        if not args.skip_nbgrader:
            env = nbgrader_course(root, lab.assignment)
            seconds, r = timed([sys.executable, "-m", "nbgrader", "autograde", lab.assignment, "--force"], root, env)
            assert r.returncode == 0, r.stderr[-2000:]
            print(f"nbgrader autograde:   {seconds:7.1f} s  ({seconds / args.count:.2f} s per submission)")
            print(f"standalone --jobs 2 vs nbgrader per submission: {seconds / results[2]:.1f}x faster")
    return 0


if __name__ == "__main__":
    sys.exit(main())
