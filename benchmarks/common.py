"""Shared pieces of the benchmarks: a scratch nbgrader course and timing helpers."""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def machine() -> str:
    return f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}"


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def last_mean(series: dict, n: int = 50) -> dict:
    """The mean of the last ``n`` values of each list in ``series`` (a run's recent losses)."""
    return {k: sum(v[-n:]) / len(v[-n:]) for k, v in series.items()}


class RunRecord:
    """A run's figures in ``data``, rewritten to its JSON file at every :meth:`save` (so that a run stopped early
    still leaves what it had), and its log lines, prefixed with the run's name and the seconds since it began."""

    def __init__(self, name: str, path, device, **fields):
        import torch

        from ganlab.runtime import hardware_name

        self.name, self.path, self.t0 = name, Path(path), time.perf_counter()
        self.data = {"name": name, "machine": machine(), "device": str(device), "hardware": hardware_name(device),
                     "torch": torch.__version__, "load_start": load_average(), **fields}

    def save(self) -> None:
        self.data["wall_so_far"] = time.perf_counter() - self.t0
        self.path.write_text(json.dumps(self.data, indent=1))

    def log(self, message) -> None:
        print(f"[{self.name} {time.perf_counter() - self.t0:7.1f} s] {message}", flush=True)


def timed(cmd: list[str], cwd: Path, env: dict | None = None) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    r = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    return time.perf_counter() - start, r


def nbgrader_course(root: Path, assignment: str) -> dict:
    """A scratch nbgrader course with ``assignment`` generated; returns the env for nbgrader calls."""
    shutil.copy(REPO / "nbgrader_config.py", root)
    shutil.copytree(REPO / "solutions" / assignment, root / "solutions" / assignment)
    env = dict(os.environ, PYTHONPATH=str(REPO))
    _, r = timed([sys.executable, "-m", "nbgrader", "generate_assignment", assignment, "--force"], root, env)
    if r.returncode != 0:
        raise RuntimeError(r.stdout + r.stderr)
    return env


def submit(root: Path, student: str, assignment: str, content: bytes) -> Path:
    target = root / "submitted" / student / assignment / f"{assignment}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    return target


def reference_namespace(notebook: Path, name: str) -> dict:
    """Execute a solution notebook's definitions (imports, defs, classes, plain assignments), as the grader reads them."""
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    from autograder.notebook import load

    namespace: dict = {"__name__": name}
    for statement in load(notebook).statements:
        exec(compile(statement.code, f"<{name} cell {statement.cell}>", "exec"), namespace)
    return namespace
