"""Maintainer tools: execute solution notebooks, regenerate ``labs/`` with nbgrader, compare notebooks.

    python -m tools.notebooks execute [--fast] [LAB ...]   # run solutions in place, keeping outputs
    python -m tools.notebooks release                      # regenerate labs/ from solutions/ (nbgrader)
    python -m tools.notebooks refresh-checks [LAB ...]     # new check-cell outputs after the tests changed
    python -m tools.notebooks strip-widgets [LAB ...]      # drop saved widget views (no re-execution)
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
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def strip_widget_outputs(nb) -> int:
    """Drop every saved output that is a widget view (sliders of ``interact``, tqdm's bars); returns how many.

    A widget view needs the live kernel, or widget state saved in the notebook's metadata, to render. GitHub
    renders neither: it shows the view's ``text/plain`` fallback, which for ``interact`` reads
    ``interactive(children=(FloatSlider(...`` and for a progress bar its first state, ``0%|  | 0/5000``. The
    figures worth reading are saved next to them as static images (``plotting.interactive_or_static`` draws
    static panels, training cells print a summary line), so the views are dropped, their fallback text with
    them. Saving widget state instead would keep neither readable on GitHub and would bloat each notebook.
    Works on nbformat nodes and on plain JSON dicts.
    """
    dropped = 0
    for cell in nb["cells"]:
        if cell.get("cell_type") != "code":
            continue
        kept = [o for o in cell.get("outputs", []) if WIDGET_VIEW not in o.get("data", {})]
        dropped += len(cell["outputs"]) - len(kept)
        cell["outputs"] = kept
    nb["metadata"].pop("widgets", None)
    return dropped


def kernel_env(fast: bool) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in [str(REPO_ROOT), env.get("PYTHONPATH", "")] if p)
    env["GANLAB_MODE"] = "fast" if fast else "full"
    env["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    env["GANLAB_STATIC_FIGURES"] = "1"  # no widgets in a batch run (ganlab.runtime.headless)
    return env


#: A run whose kernel (and everything it started) used no CPU for this long has met the Jupyter client stall
#: (tools/stall.py): the kernel is killed and the notebook run again from the top, at most ``STALL_RETRIES`` times.
STALL_IDLE_S = 60
STALL_RETRIES = 2


def execute(path: Path, fast: bool = True, timeout: int | None = None, write: bool = False,
            allow_errors: bool = False, cwd: Path | None = None):
    """Run a notebook top to bottom in a fresh kernel; returns ``(notebook, seconds)``; raises on a cell error
    unless ``allow_errors`` (then every cell runs and errors stay in the outputs). The kernel starts in ``cwd``
    (default: the notebook's folder). A stalled kernel (no CPU used for ``STALL_IDLE_S``) is killed, reported on
    stderr and the run repeated (``seconds`` is the successful attempt's)."""
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    from tools.stall import IdleWatch, kill_kernels_below

    for attempt in range(STALL_RETRIES + 1):
        watch = IdleWatch(os.getpid(), lambda: kill_kernels_below(os.getpid()), idle_s=STALL_IDLE_S,
                          include_root=False)
        try:
            with watch:
                return _execute_once(path, fast, timeout, write, allow_errors, cwd)
        except (CellTimeoutError, DeadKernelError) as exc:
            if attempt == STALL_RETRIES:
                raise
            why = f"no CPU used for {STALL_IDLE_S} s" if watch.fired else type(exc).__name__
            print(f"{path.name}: the kernel stalled ({why}); killed, running the notebook again", file=sys.stderr)
    raise AssertionError("unreachable")


def _execute_once(path: Path, fast: bool, timeout: int | None, write: bool, allow_errors: bool,
                  cwd: Path | None):
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(str(path), as_version=4)
    saved = dict(os.environ)
    os.environ.update(kernel_env(fast))  # the kernel inherits this process's environment
    try:
        if timeout is None:  # per cell: a full-mode training cell may run for many minutes on a CPU
            timeout = 600 if fast else 7200
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=allow_errors,
                                resources={"metadata": {"path": str(cwd or path.parent)}})
        start = time.perf_counter()
        client.execute()
        seconds = time.perf_counter() - start
    finally:
        os.environ.clear()
        os.environ.update(saved)
    for cell in nb.cells:  # run timestamps would make every run a diff
        cell.metadata.pop("execution", None)
    strip_widget_outputs(nb)  # unreadable once saved (see there)
    if write:
        nbformat.write(nb, str(path))
    return nb, seconds


def refresh_check_outputs(path: Path) -> tuple[int, float]:
    """Give the check cells of a solution notebook the outputs of the current tests.

    When only the tests changed (not the exercises, the training or the figures), a full-mode re-execution
    would reproduce every other output: instead the notebook runs top to bottom in fast mode in memory, and
    only the outputs of its check cells (nbgrader ``grade_id`` ``check_*``), which print the public tests'
    verdicts on the reference functions and do not depend on the mode, replace the committed ones. Returns
    ``(cells refreshed, seconds)``; raises if any cell fails.
    """
    import nbformat

    ran, seconds = execute(path, fast=True)
    errors = [o for c in ran.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    if errors:
        raise RuntimeError(f"{path.name}: a cell failed in the fast-mode run: {errors[0].get('ename')}")

    def check_id(cell):
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")
        return gid if gid.startswith("check_") else None

    fresh = {check_id(c): c.get("outputs", []) for c in ran.cells if check_id(c)}
    nb = nbformat.read(str(path), as_version=4)
    count = 0
    for cell in nb.cells:
        gid = check_id(cell)
        if gid in fresh:
            cell.outputs = fresh[gid]
            count += 1
    nbformat.write(nb, str(path))
    return count, seconds


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
    ref = sub.add_parser("refresh-checks", help="re-run a solution in fast mode and keep only its check-cell outputs")
    ref.add_argument("labs", nargs="*", metavar="LAB", help=f"default: all of {', '.join(labs.LABS)}")
    sw = sub.add_parser("strip-widgets", help="drop saved widget views from solution notebooks (no re-execution)")
    sw.add_argument("labs", nargs="*", metavar="LAB", help=f"default: all of {', '.join(labs.LABS)}")
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
    elif args.cmd == "refresh-checks":
        for lab_id in args.labs:
            count, seconds = refresh_check_outputs(labs.LABS[lab_id].solution)
            print(f"{lab_id}: {count} check cells refreshed from a fast-mode run of {seconds:.1f} s")
    elif args.cmd == "strip-widgets":
        import nbformat

        for lab_id in args.labs:
            path = labs.LABS[lab_id].solution
            nb = nbformat.read(str(path), as_version=4)
            dropped = strip_widget_outputs(nb)
            if dropped:
                nbformat.write(nb, str(path))
            print(f"{lab_id}: {dropped} widget output(s) dropped")
    else:
        for lab in (labs.LABS[lab_id] for lab_id in args.labs):
            generate_release(REPO_ROOT, lab.assignment)
            print(f"{lab.id}: {lab.release.relative_to(REPO_ROOT)} regenerated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
