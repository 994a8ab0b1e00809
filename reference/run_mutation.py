"""Measure Lab 8's mutation score on the throwaway notebook (the lab is not registered yet):

    PYTHONPATH=/work/lab8wt nice -n 19 python3 reference/run_mutation.py [--all-regions] -- <autograder.mutation args>

``--all-regions`` mutates every ``### BEGIN SOLUTION`` ... ``### END SOLUTION`` region of a cell (from the first
BEGIN to the last END): ``autograder.mutation._solution_region`` stops at the first END, so only a class's
``__init__`` is mutated there (its forward and other methods are not). See reference/README.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import reference.scaffold  # noqa: E402,F401  (registers lab8 in this process; forked children inherit it)
from autograder import mutation  # noqa: E402


def all_regions(source: str) -> tuple[int, int]:
    lines = source.splitlines()
    lo = next((i + 1 for i, line in enumerate(lines) if "### BEGIN SOLUTION" in line), 1)
    hi = max((i + 1 for i, line in enumerate(lines) if "### END SOLUTION" in line), default=len(lines))
    return lo, hi


if __name__ == "__main__":
    argv = sys.argv[1:]
    if argv and argv[0] == "--all-regions":
        mutation._solution_region = all_regions
        argv = argv[1:]
    if argv and argv[0] == "--":
        argv = argv[1:]
    sys.exit(mutation.main(argv))
