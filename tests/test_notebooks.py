"""Notebooks: solutions run in fast mode, labs/ is nbgrader's output, student copies leak nothing."""

from __future__ import annotations

import importlib
import json
import re
import shutil
from pathlib import Path

import pytest

from autograder import labs
from tools import notebooks

REPO = Path(__file__).resolve().parents[1]
LAB_IDS = list(labs.LABS)


def _json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


#: A fast-mode cell takes well under a minute; a cell past this is stopped (a backstop: a stalled kernel is caught
#: sooner, by CPU time, in tools.notebooks.execute, and the run repeated).
CELL_WATCHDOG_S = 300


def _execute_with_watchdog(path, **options):
    return notebooks.execute(path, fast=True, timeout=CELL_WATCHDOG_S, **options)


@pytest.mark.slow
@pytest.mark.parametrize("lab_id", LAB_IDS)
def test_solution_runs_top_to_bottom_in_fast_mode(lab_id):
    nb, seconds = _execute_with_watchdog(labs.LABS[lab_id].solution)
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors, errors
    # The fast-mode run time (about 3 minutes, LAB_STANDARD) is measured in benchmarks/, never asserted here:
    # a test must not fail because other work shares the CPU.
    print(f"{lab_id}: fast mode ran in {seconds:.0f} s")


@pytest.mark.parametrize("lab_id", LAB_IDS)
def test_solution_has_recorded_outputs_for_self_learners(lab_id):
    nb = _json(labs.LABS[lab_id].solution)
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(c.get("execution_count") for c in code), "every solution cell must have been executed"
    text = json.dumps(nb)
    assert "image/png" in text, "the worked solution must show its figures"
    assert "ran top to bottom in" in text, "the last cell labels hardware and wall time"


@pytest.mark.slow
@pytest.mark.parametrize("lab_id", LAB_IDS)
def test_labs_is_exactly_what_nbgrader_generates(lab_id):
    lab = labs.LABS[lab_id]
    generated = notebooks.normalized(notebooks.release_in_temp(lab.assignment))
    committed = notebooks.normalized(_json(lab.release))
    assert generated == committed, (f"labs/{lab.assignment} is out of date: run "
                                    "`python -m tools.notebooks release` and commit")


@pytest.mark.parametrize("path", sorted((REPO / "labs").rglob("*.ipynb")), ids=lambda p: p.name)
def test_student_notebooks_carry_no_outputs(path):
    nb = _json(path)
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [], f"{path.name}: a code cell has outputs"
            assert cell.get("execution_count") is None


def _lines_by_block(nb: dict) -> tuple[list[str], list[str]]:
    """(lines inside solution / hidden-test blocks, lines outside them: what the student version shows)."""
    hidden, public, inside = [], [], False
    for cell in nb["cells"]:
        for line in "".join(cell["source"]).splitlines():
            if "### BEGIN SOLUTION" in line or "### BEGIN HIDDEN TESTS" in line:
                inside = True
            elif "### END SOLUTION" in line or "### END HIDDEN TESTS" in line:
                inside = False
            else:
                (hidden if inside else public).append(line)
    return hidden, public


def _public_text(nb: dict) -> str:
    """The notebook's lines outside solution / hidden-test blocks: what its student version shows."""
    return "\n".join(_lines_by_block(nb)[1])


def _solution_lines(nb: dict) -> list[str]:
    """Code lines inside solution / hidden-test blocks, except those the notebook states openly
    elsewhere (a docstring may give the formula to implement)."""
    hidden, public = _lines_by_block(nb)
    public_text = "\n".join(public)
    lines = [line.strip() for line in hidden if len(line.strip()) > 12 and not line.strip().startswith("#")]
    return [line for line in lines if line not in public_text]


@pytest.mark.parametrize("lab_id", LAB_IDS)
def test_student_version_holds_no_solution_and_no_hidden_test(lab_id):
    lab = labs.LABS[lab_id]
    release_text = lab.release.read_text(encoding="utf-8")
    for marker in ("BEGIN SOLUTION", "HIDDEN TESTS", "check.points", "autograder"):
        assert marker not in release_text, f"{marker!r} leaked into labs/"
    release_sources = "\n".join("".join(c["source"]) for c in _json(lab.release)["cells"])
    leaked = [line for line in _solution_lines(_json(lab.solution)) if line in release_sources]
    assert not leaked, f"solution lines in the student version: {leaked[:5]}"


def test_installable_package_holds_no_solution_and_no_hidden_test():
    """What students install on Colab (the ganlab package) must not contain answers or hidden tests."""
    import tomllib

    packages = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    assert all(p == "ganlab" or p.startswith("ganlab.") for p in packages)
    shipped = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "ganlab").rglob("*.py"))
    hidden_names = []
    for path in (REPO / "autograder" / "hidden").glob("lab*.py"):
        hidden_names += re.findall(r"^def ([a-z]\w+)\(sub", path.read_text(), re.MULTILINE)
    assert hidden_names
    assert not [n for n in hidden_names if n in shipped], "hidden test names appear in ganlab/"
    # a line that some student version shows openly (an idiom such as opt_d.zero_grad()) is no secret
    every_public_text = "\n".join(_public_text(_json(lab.solution)) for lab in labs.LABS.values())
    for lab in labs.LABS.values():
        leaked = [line for line in _solution_lines(_json(lab.solution))
                  if line in shipped and line not in every_public_text]
        assert not leaked, f"solution lines in ganlab/: {leaked[:5]}"


@pytest.mark.parametrize("lab_id", LAB_IDS)
def test_check_cell_points_match_the_graders(lab_id):
    """nbgrader's points per check cell equal the points of that exercise's tests (so both totals agree)."""
    from ganlab.grading.testing import exercises_for

    specs = labs.load_tests(lab_id)
    nb = _json(labs.LABS[lab_id].solution)
    cells = {c["metadata"]["nbgrader"]["grade_id"]: c["metadata"]["nbgrader"].get("points")
             for c in nb["cells"] if c.get("metadata", {}).get("nbgrader", {}).get("grade")}
    for name in exercises_for(lab_id):
        expected = sum(t.points for t in specs if t.exercise == name)
        assert cells.get(f"check_{name}") == expected, f"check_{name}: notebook points vs graders' {expected}"


# -- widgets in saved outputs -----------------------------------------------------------------------------------

def test_strip_widget_outputs_keeps_the_static_panels():
    nb = {"metadata": {"widgets": {"state": {}}}, "cells": [
        {"cell_type": "markdown", "source": "x"},
        {"cell_type": "code", "outputs": [
            {"output_type": "display_data", "data": {notebooks.WIDGET_VIEW: {"model_id": "a"},
                                                     "text/plain": "training:   0%|          | 0/5000"}},
            {"output_type": "stream", "name": "stdout", "text": "trained 5000 steps\n"},
            {"output_type": "display_data", "data": {"image/png": "iVBOR", "text/plain": "<Figure>"}},
            {"output_type": "execute_result", "data": {notebooks.WIDGET_VIEW: {"model_id": "b"},
                                                       "text/plain": "interactive(children=(FloatSlider(value=0.3"}}]}]}
    assert notebooks.strip_widget_outputs(nb) == 2
    assert [o["output_type"] for o in nb["cells"][1]["outputs"]] == ["stream", "display_data"]
    assert "widgets" not in nb["metadata"] and notebooks.strip_widget_outputs(nb) == 0


@pytest.mark.parametrize("path", sorted([*(REPO / "solutions").rglob("*.ipynb"), *(REPO / "labs").rglob("*.ipynb")]),
                         ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_saved_outputs_hold_no_widget_views(path):
    """GitHub shows a saved widget view as its text fallback (`interactive(children=(FloatSlider(...`, a progress
    bar at 0%): the committed notebooks keep only the static panels next to them."""
    nb = _json(path)
    bad = [i for i, c in enumerate(nb["cells"]) for o in c.get("outputs", [])
           if notebooks.WIDGET_VIEW in o.get("data", {}) or "interactive(children=" in json.dumps(o)]
    assert not bad, (f"{path.name}: widget views saved in cells {sorted(set(bad))}: run "
                     "`python -m tools.notebooks strip-widgets` and commit")


# -- Run All on an untouched student notebook ---------------------------------------------------------------------

def _cell_names(source: str) -> tuple[set[str], set[str]]:
    """(names the cell reads that it does not bind itself, names it binds at its top level) of a code cell."""
    import ast

    from IPython.core.inputtransformer2 import TransformerManager

    tree = ast.parse(TransformerManager().transform_cell(source))
    bound, read = set(), set()

    def top_level(node):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                bound.add(child.name)
                continue
            if isinstance(child, ast.Name) and isinstance(child.ctx, ast.Store):
                bound.add(child.id)
            elif isinstance(child, ast.alias):
                bound.add((child.asname or child.name).split(".")[0])
            if not isinstance(child, (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
                top_level(child)

    top_level(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            read.add(node.id)
    return read - bound, bound


def _cells_needing_student_code(nb) -> set[int]:
    """Indices of the code cells that need student code: the exercise cells (nbgrader ``solution``), the check
    cells, and every cell that reads a name bound by one of these, transitively (a training cell that calls the
    student's generator, the plot of its results, ...). Any other cell must run on an untouched notebook."""
    tainted_names: set[str] = set()
    needing = set()
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        meta = cell.metadata.get("nbgrader", {})
        read, bound = _cell_names(cell.source)
        if meta.get("solution") or meta.get("grade_id", "").startswith("check_") or read & tainted_names:
            needing.add(i)
            tainted_names |= bound
    return needing


def test_cells_needing_student_code_are_found_through_the_names_they_read():
    import nbformat

    cells = [
        ("import numpy as np\ndata = np.ones(3)", {}),                                          # 0 data
        ("def generator_step(x):\n    raise NotImplementedError()", {"solution": True}),       # 1 exercise
        ('check("generator_step")', {"grade_id": "check_generator_step"}),                    # 2 check
        ("def train(n):\n    out = generator_step(data)\n    return out", {}),                # 3 uses it
        ("history = train(3)\n%time print(1)", {}),                                           # 4 calls it
        ("for h in history:\n    print(h)", {}),                                                # 5 its result
        ("out = data * 2\nprint(out)", {}),                                                     # 6 data only
        ("x = [generator_step for _ in range(1)]", {}),                                          # 7 comprehension
    ]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(src, metadata={"nbgrader": meta})
                                         for src, meta in cells])
    assert _cells_needing_student_code(nb) == {1, 2, 3, 4, 5, 7}


@pytest.mark.slow
@pytest.mark.parametrize("lab_id", LAB_IDS)
def test_run_all_on_an_untouched_student_notebook(lab_id, tmp_path):
    """Run All, as a student does first: it stops at the first cell that needs an unimplemented function with the
    one-line ExerciseNotDone message naming the exercise; and (running on past errors, as a student who runs
    the cells one by one) no cell that needs no student code fails because an earlier cell did, and a cell that
    does need it fails at the stub or with one line saying what to run first."""
    from ganlab.grading.testing import exercises_for

    importlib.import_module(f"ganlab.checks.{lab_id}")  # registers the lab's exercises
    lab = labs.LABS[lab_id]
    shutil.copytree(lab.release.parent, tmp_path / lab.assignment)  # the kernel may write files: never in labs/
    path = tmp_path / lab.assignment / lab.release.name
    nb, seconds = _execute_with_watchdog(path, allow_errors=True)
    print(f"{lab_id}: untouched student notebook ran through in {seconds:.0f} s")
    needing = _cells_needing_student_code(nb)
    errors = [(i, o) for i, c in enumerate(nb.cells) for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert errors, "an untouched notebook must stop somewhere"

    def describe(i, o):
        head = nb.cells[i].source.strip().splitlines()[0][:70]
        return f"cell {i} ({head!r}): {o.ename}: {o.evalue.splitlines()[0][:160] if o.evalue else ''}"

    problems = []
    first, out = errors[0]
    if not (out.ename == "ExerciseNotDone" and len(out.traceback) == 1
            and any(name in out.evalue for name in exercises_for(lab.id))):
        problems.append(f"Run All must stop with the one-line ExerciseNotDone naming an exercise; it stops at "
                        f"{describe(first, out)}")
    problems += [f"a check cell did not stop with ExerciseNotDone: {describe(i, o)}" for i, o in errors
                 if nb.cells[i].metadata.get("nbgrader", {}).get("grade_id", "").startswith("check_")
                 and o.ename != "ExerciseNotDone"]
    problems += [f"a cell that needs no student code failed: {describe(i, o)}" for i, o in errors if i not in needing]
    # A cell that needs student code stops at the stub itself (NotImplementedError) or with check.require's one
    # line; a NameError or KeyError means it read results an earlier cell never made, without saying so.
    problems += [f"a cell stopped on a missing result instead of check.require's line: {describe(i, o)}"
                 for i, o in errors if i in needing and o.ename not in ("ExerciseNotDone", "NotImplementedError")]
    assert not problems, "\n".join(problems)
