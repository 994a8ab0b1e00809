"""Build the throwaway Lab 8 notebook ``reference/lab8_video.ipynb`` from ``reference/lab8_reference.py``, so that
the graders, the catalog and the mutation run can be exercised before the real notebook exists (next session's
``solutions/lab8_video/lab8_video.ipynb`` replaces it; see reference/README.md).

    PYTHONPATH=/work/lab8wt python3 reference/build_notebook.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from tools.nbbuild import check_cell, code, md, solution, write  # noqa: E402

import reference.scaffold  # noqa: E402,F401  (registers lab8 in this process)
from autograder import labs  # noqa: E402


def points(name: str) -> float:
    """The exercise's points: the sum of its public and hidden tests' (a test checks the check cells' points)."""
    total = sum(t.points for t in labs.load_tests("lab8") if t.exercise == name)
    return int(total) if total == int(total) else total


def cells_of_reference() -> list[tuple[str, str]]:
    """(name, source) of each ``# %% name`` block of the reference file."""
    text = (HERE / "lab8_reference.py").read_text(encoding="utf-8")
    parts = re.split(r"^# %% (\S+)\n", text, flags=re.MULTILINE)
    return [(parts[i], parts[i + 1].strip("\n")) for i in range(1, len(parts), 2)]


def main() -> None:
    cells = [md("# Lab 8 — Video GANs (throwaway notebook for the graders; the real one is written next session)")]
    for name, source in cells_of_reference():
        if name == "setup":
            cells.append(code(source + '\n\nfrom ganlab.checks import Checker\n\ncheck = Checker("lab8", globals())'))
            continue
        cells.append(solution(name, source))
        cells.append(check_cell(name, points(name)))
    write(HERE / "lab8_video.ipynb", cells, "lab8")


if __name__ == "__main__":
    main()
