"""Maintainer tools: execute solution notebooks, regenerate ``labs/`` with nbgrader, compare notebooks.

    python -m tools.notebooks execute [--fast] [LAB ...]   # run solutions in place, keeping outputs
    python -m tools.notebooks release                      # regenerate labs/ from solutions/ (nbgrader)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


def kernel_env(fast: bool) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in [str(REPO_ROOT), env.get("PYTHONPATH", "")] if p)
    env["GANLAB_MODE"] = "fast" if fast else "full"
    env["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    return env


def execute(path: Path, fast: bool = True, timeout: int | None = None, write: bool = False):
    """Run a notebook top to bottom in a fresh kernel; returns ``(notebook, seconds)``; raises on a cell error."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(str(path), as_version=4)
    saved = dict(os.environ)
    os.environ.update(kernel_env(fast))  # the kernel inherits this process's environment
    try:
        if timeout is None:  # per cell: a full-mode training cell may run for many minutes on a CPU
            timeout = 600 if fast else 7200
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                                resources={"metadata": {"path": str(path.parent)}})
        start = time.perf_counter()
        client.execute()
        seconds = time.perf_counter() - start
    finally:
        os.environ.clear()
        os.environ.update(saved)
    for cell in nb.cells:  # run timestamps would make every run a diff
        cell.metadata.pop("execution", None)
    nb.metadata.pop("widgets", None)
    if write:
        nbformat.write(nb, str(path))
    return nb, seconds


def generate_release(course_root: Path, assignment: str) -> Path:
    """Run ``nbgrader generate_assignment`` in ``course_root``; returns the release folder."""
    cmd = [sys.executable, "-m", "nbgrader", "generate_assignment", assignment, "--force",
           f"--CourseDirectory.root={course_root}"]
    r = subprocess.run(cmd, cwd=course_root, capture_output=True, text=True, env=kernel_env(True))
    if r.returncode != 0:
        raise RuntimeError(f"nbgrader generate_assignment failed:\n{r.stdout}\n{r.stderr}")
    return course_root / "labs" / assignment


def release_in_temp(assignment: str) -> dict:
    """Generate the student version of ``assignment`` in a scratch course folder; returns the notebook JSON."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copy(REPO_ROOT / "nbgrader_config.py", root)
        shutil.copytree(REPO_ROOT / "solutions" / assignment, root / "solutions" / assignment)
        out = generate_release(root, assignment)
        return json.loads((out / f"{assignment}.ipynb").read_text(encoding="utf-8"))


def normalized(nb: dict) -> dict:
    """Notebook JSON without what nbgrader or Jupyter may vary (outputs, counts)."""
    nb = json.loads(json.dumps(nb))
    for cell in nb.get("cells", []):
        cell.pop("execution_count", None)
        cell.pop("outputs", None)
        cell.get("metadata", {}).pop("execution", None)
        if isinstance(cell.get("source"), list):
            cell["source"] = "".join(cell["source"])
    return nb


def main(argv=None) -> int:
    from autograder import labs

    parser = argparse.ArgumentParser(prog="python -m tools.notebooks")
    sub = parser.add_subparsers(dest="cmd", required=True)
    ex = sub.add_parser("execute", help="execute solution notebooks in place (keeps outputs)")
    ex.add_argument("labs", nargs="*", metavar="LAB", help=f"default: all of {', '.join(labs.LABS)}")
    ex.add_argument("--fast", action="store_true", help="fast mode (what CI runs) instead of full mode")
    rel = sub.add_parser("release", help="regenerate labs/ from solutions/ with nbgrader")
    rel.add_argument("labs", nargs="*", metavar="LAB", help=f"default: all of {', '.join(labs.LABS)}")
    args = parser.parse_args(argv)
    try:
        args.labs = labs.selected(args.labs)
    except ValueError as exc:
        parser.error(str(exc))
    if args.cmd == "execute":
        for lab_id in args.labs:
            lab = labs.LABS[lab_id]
            _, seconds = execute(lab.solution, fast=args.fast, write=True)
            print(f"{lab_id}: executed in {seconds:.1f} s ({'fast' if args.fast else 'full'} mode)")
    else:
        for lab in (labs.LABS[lab_id] for lab_id in args.labs):
            generate_release(REPO_ROOT, lab.assignment)
            print(f"{lab.id}: {lab.release.relative_to(REPO_ROOT)} regenerated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
