"""Per lab: wall time to grade the reference solution with the standalone grader and with nbgrader.

    python benchmarks/grading.py [LAB ...]

Goal (issue: foundation): a lab graded in at most 20 s on the 2-core machine.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from autograder import labs  # noqa: E402
from benchmarks.common import REPO, machine, nbgrader_course, submit, timed  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("labs", nargs="*", metavar="LAB",
                        help=f"labs to time (default: all of {', '.join(labs.LABS)})")
    try:
        ids = labs.selected(parser.parse_args(argv).labs)
    except ValueError as exc:
        parser.error(str(exc))
    print(f"grading benchmark on {machine()}")
    print(f"{'lab':6s} {'standalone (s)':>15s} {'nbgrader autograde (s)':>23s}  score")
    for lab_id in ids:
        lab = labs.LABS[lab_id]
        seconds, r = timed([sys.executable, "-m", "autograder", str(lab.solution), "-q"], REPO)
        score = r.stdout.strip().splitlines()[-1] if r.stdout.strip() else r.stderr[-200:]
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            env = nbgrader_course(root, lab.assignment)
            submit(root, "reference", lab.assignment, lab.solution.read_bytes())
            nb_seconds, r2 = timed([sys.executable, "-m", "nbgrader", "autograde", lab.assignment, "--force"],
                                   root, env)
            if r2.returncode != 0:
                nb_seconds = float("nan")
        print(f"{lab_id:6s} {seconds:15.1f} {nb_seconds:23.1f}  {' '.join(score.split()[1:])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
