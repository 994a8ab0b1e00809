"""Per lab: wall time to grade the reference solution with the standalone grader (warm and cold worker) and with
nbgrader, side by side in one run, with the floor of any Python grader on this machine.

    python benchmarks/grading.py [LAB ...] [--skip-nbgrader] [--skip-cold] [--skip-server]
    python benchmarks/grading.py [LAB ...] --phases     # where the time of one grade goes

``--phases`` grades each lab's reference three times in one fresh process, as ``python -m autograder`` does
(templates started first), and prints the seconds of each phase: the first grade is a standalone one, the third
shows a template serving its third submission (as in a batch).

Goal (issue 12): each lab's reference graded standalone at least 10x faster than ``nbgrader autograde`` of the
same notebook. The floor is a bare ``python -c 'import torch'``: the grader itself needs torch (it reads the
worker's tensors), so no cold command can beat it. The ``server`` columns time the same command while a grading
server (``python -m autograder --serve``, started by this script in a private folder) holds the tests and the
warm templates: its first command for the lab, and the mean of the next two.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from autograder import labs  # noqa: E402
from benchmarks.common import REPO, load_average, machine, nbgrader_course, submit, timed  # noqa: E402


def standalone(lab, warm: bool, env: dict | None = None) -> tuple[float, str]:
    env = dict(env or os.environ, GANLAB_WARM="1" if warm else "0")
    env.setdefault("GANLAB_GRADER_SERVER", "off")
    seconds, r = timed([sys.executable, "-m", "autograder", str(lab.solution), "-q"], REPO, env)
    score = r.stdout.strip().splitlines()[-1] if r.stdout.strip() else r.stderr[-200:]
    return seconds, " ".join(score.split()[1:])


PHASES = ("read_and_plan", "grader_imports", "worker_start", "load_definitions", "tests", "close")
_PHASES_CHILD = """
import json, sys, time
started = time.monotonic()
from autograder import sandbox
sandbox.prewarm()
from autograder.runner import grade
rows = []
for _ in range(3):
    t, timings = time.monotonic(), {}
    report = grade(sys.argv[1], timings=timings)
    timings["total"] = time.monotonic() - t
    timings["score"] = f"{report.score:g}/{report.max_score:g}"
    rows.append(timings)
rows[0]["process"] = time.monotonic() - started - sum(r["total"] for r in rows)
print(json.dumps(rows))
"""


def phases(lab) -> list[dict]:
    import json

    seconds, r = timed([sys.executable, "-c", _PHASES_CHILD, str(lab.solution)], REPO)
    if r.returncode != 0:
        raise RuntimeError(r.stderr[-2000:])
    return json.loads(r.stdout.strip().splitlines()[-1])


def print_phases(ids) -> None:
    print("seconds per phase; 1st grade = standalone (templates started at process start), 3rd = a template's "
          "third submission")
    print(f"{'lab':6s} {'grade':>5s} {'start-up':>8s} " + " ".join(f"{p:>16s}" for p in PHASES)
          + f" {'total':>7s}  score")
    for lab_id in ids:
        rows = phases(labs.LABS[lab_id])
        for i in (0, 2):
            row = rows[i]
            startup = f"{row['process']:8.2f}" if "process" in row else f"{'':8s}"
            print(f"{lab_id:6s} {i + 1:5d} {startup} " + " ".join(f"{row.get(p, float('nan')):16.2f}" for p in PHASES)
                  + f" {row['total']:7.2f}  {row['score']}", flush=True)


class Server:
    """A grading server in a private temporary folder, for the ``server`` columns."""

    def __init__(self):
        import subprocess
        import time

        self.folder = tempfile.TemporaryDirectory()
        sock = Path(self.folder.name) / "grader.sock"
        os.chmod(self.folder.name, 0o700)
        self.env = dict(os.environ, GANLAB_GRADER_SOCKET=str(sock), GANLAB_GRADER_SERVER="on")
        self.proc = subprocess.Popen([sys.executable, "-m", "autograder", "--serve"], cwd=REPO, env=self.env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        started = time.monotonic()
        while not sock.exists():
            if self.proc.poll() is not None:
                raise RuntimeError(f"the grading server did not start: {self.proc.stderr.read()[-2000:]}")
            time.sleep(0.2)
        self.start_seconds = time.monotonic() - started

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(60)
        self.folder.cleanup()


def nbgrader(lab) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        env = nbgrader_course(root, lab.assignment)
        submit(root, "reference", lab.assignment, lab.solution.read_bytes())
        seconds, r = timed([sys.executable, "-m", "nbgrader", "autograde", lab.assignment, "--force"], root, env)
    return seconds if r.returncode == 0 else float("nan")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("labs", nargs="*", metavar="LAB",
                        help=f"labs to time (default: all of {', '.join(labs.LABS)})")
    parser.add_argument("--skip-nbgrader", action="store_true", help="time only the standalone grader")
    parser.add_argument("--skip-cold", action="store_true", help="do not time the cold worker (GANLAB_WARM=0)")
    parser.add_argument("--skip-server", action="store_true", help="do not time commands handed to a grading server")
    parser.add_argument("--phases", action="store_true", help="print where the time of each grade goes, then stop")
    args = parser.parse_args(argv)
    try:
        ids = labs.selected(args.labs)
    except ValueError as exc:
        parser.error(str(exc))
    print(f"grading benchmark on {machine()}, load average {load_average()}")
    if args.phases:
        print_phases(ids)
        print(f"load average at the end {load_average()}")
        return 0
    floor, _ = timed([sys.executable, "-c", "import torch"], REPO)
    print(f"floor: python -c 'import torch': {floor:.1f} s")
    server = None if args.skip_server else Server()
    if server is not None:
        print(f"grading server ready after {server.start_seconds:.1f} s (started once, before the first lab)")
    print(f"{'lab':6s} {'warm (s)':>9s} {'cold (s)':>9s} {'server 1st':>11s} {'server next':>12s} "
          f"{'nbgrader (s)':>13s} {'nbgrader/warm':>14s} {'nbgrader/server next':>21s}  score")
    try:
        for lab_id in ids:
            lab = labs.LABS[lab_id]
            warm, score = standalone(lab, warm=True)
            cold = float("nan") if args.skip_cold else standalone(lab, warm=False)[0]
            served = [float("nan")] * 3
            if server is not None:
                served = [standalone(lab, warm=True, env=server.env)[0] for _ in range(3)]
                if server.proc.poll() is not None:  # it stops when the grader's files change: not a server time
                    print(f"{lab_id}: the grading server stopped (grader files changed?); server columns void")
                    served, server = [float("nan")] * 3, None
            nxt = (served[1] + served[2]) / 2
            nb = float("nan") if args.skip_nbgrader else nbgrader(lab)
            print(f"{lab_id:6s} {warm:9.1f} {cold:9.1f} {served[0]:11.2f} {nxt:12.2f} {nb:13.1f} "
                  f"{nb / warm:13.1f}x {nb / nxt:20.1f}x  {score}", flush=True)
    finally:
        if server is not None:
            server.close()
    print(f"load average at the end {load_average()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
