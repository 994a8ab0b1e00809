"""Bulk grading: 50 Lab 1 submissions with --jobs 1 and --jobs 2, and nbgrader autograde of the same 50.

    python benchmarks/bulk.py [--count 50] [--jobs 1 2] [--cold] [--skip-nbgrader | --nbgrader-only]
                              [--nbgrader-count N]

The submissions are the reference and every catalog entry (wrong and alternative implementations),
repeated with a distinguishing comment so that each file is unique. Goals: at least 1.6x speed-up from 2 jobs
(issue: grading hardening); ``--jobs 2`` at least 20x faster than nbgrader per submission (issue 12).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from autograder import catalog, labs  # noqa: E402
from benchmarks.common import REPO, load_average, machine, nbgrader_course, submit, timed  # noqa: E402


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
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="standalone runs (default: 1 2)")
    parser.add_argument("--skip-nbgrader", action="store_true")
    parser.add_argument("--nbgrader-only", action="store_true",
                        help="time only nbgrader autograde of the submissions (to rerun that side on a quiet machine)")
    parser.add_argument("--nbgrader-count", type=int, default=None,
                        help="nbgrader grades only the first N of the submissions (compared per submission)")
    parser.add_argument("--cold", action="store_true", help="standalone with cold workers too (GANLAB_WARM=0)")
    args = parser.parse_args(argv)
    lab = labs.LABS["lab1"]
    subs = submissions(args.count)
    print(f"bulk benchmark: {args.count} Lab 1 submissions on {machine()}, load average {load_average()}")
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for i, content in enumerate(subs):
            submit(root, f"student{i:03d}", lab.assignment, content)
        runs = [] if args.nbgrader_only else [(j, w) for w in ([True, False] if args.cold else [True]) for j in args.jobs]
        for jobs, warm in runs:
            out = root / f"grades-j{jobs}-{int(warm)}"
            env = dict(os.environ, GANLAB_WARM="1" if warm else "0")
            seconds, r = timed([sys.executable, "-m", "autograder", str(root / "submitted"), "--jobs", str(jobs),
                                "--out", str(out), "-q"], REPO, env)
            assert r.returncode == 0, r.stderr[-2000:]
            results[jobs, warm] = seconds
            print(f"standalone --jobs {jobs} ({'warm' if warm else 'cold'}): {seconds:7.1f} s  "
                  f"({seconds / args.count:.2f} s per submission)", flush=True)
        if (1, True) in results and (2, True) in results:
            print(f"speed-up from 2 jobs: {results[1, True] / results[2, True]:.2f}x")
        if not args.skip_nbgrader:
            count = min(args.nbgrader_count or args.count, args.count)
            for i in range(count, args.count):  # nbgrader grades only the first ``count``
                shutil.rmtree(root / "submitted" / f"student{i:03d}")
            env = nbgrader_course(root, lab.assignment)
            seconds, r = timed([sys.executable, "-m", "nbgrader", "autograde", lab.assignment, "--force"], root, env)
            assert r.returncode == 0, r.stderr[-2000:]
            per = seconds / count
            print(f"nbgrader autograde of {count}: {seconds:7.1f} s  ({per:.2f} s per submission)")
            for (jobs, warm), secs in results.items():
                print(f"standalone --jobs {jobs} ({'warm' if warm else 'cold'}) vs nbgrader per submission: "
                      f"{per / (secs / args.count):.1f}x faster")
    print(f"load average at the end {load_average()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
