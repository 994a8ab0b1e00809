"""Load a lab's catalog and build test submissions from the reference notebook.

``build(lab, {exercise: source})`` returns notebook JSON in which each named
exercise's cell (found by its nbgrader ``grade_id``) holds the given source.

An entry is either a whole cell (the file's code after its constants) or, when it sets ``EDIT``, a small
edit of the reference cell: ``EDIT = [(old, new), ...]`` replaces each ``old`` text, which must occur
exactly once in the reference cell, with ``new``. Edits keep one-line mistakes from repeating the whole
reference cell.
"""

from __future__ import annotations

import ast
import copy
import functools
import json
from dataclasses import dataclass
from pathlib import Path

from autograder import labs

HERE = Path(__file__).resolve().parent


@dataclass
class Entry:
    path: Path
    kind: str  # "wrong" | "right"
    exercises: list[str]
    expect: str
    doc: str
    source: str
    edit: tuple = ()


class CatalogError(ValueError):
    """A catalog entry that cannot be built (an edit whose text is not in the reference cell)."""


def entries(lab_id: str) -> list[Entry]:
    out = []
    for p in sorted((HERE / lab_id).glob("*.py")):
        if not p.name.startswith(("wrong_", "right_")):
            continue
        source = p.read_text(encoding="utf-8")
        tree = ast.parse(source)
        consts = {}
        for node in tree.body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                try:
                    consts[node.targets[0].id] = ast.literal_eval(node.value)
                except ValueError:
                    pass
        kind = "wrong" if p.name.startswith("wrong_") else "right"
        exercises = [consts["EXERCISE"]] if kind == "wrong" else list(consts["EXERCISES"])
        edit = tuple(tuple(pair) for pair in consts.get("EDIT", ()))
        if edit:
            source = apply_edit(reference_cell(lab_id, exercises[0]), edit, p.name)
        out.append(Entry(p, kind, exercises, consts.get("EXPECT", ""), ast.get_docstring(tree) or "", source, edit))
    return out


def reference_cell(lab_id: str, exercise: str) -> str:
    """The reference solution's source of ``exercise``'s cell."""
    for cell in reference(lab_id)["cells"]:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == exercise:
            src = cell["source"]
            return src if isinstance(src, str) else "".join(src)
    raise CatalogError(f"no exercise cell {exercise!r} in {lab_id}")


def apply_edit(source: str, edit, name: str = "edit") -> str:
    """``source`` with each ``(old, new)`` of ``edit`` applied; each ``old`` must occur exactly once."""
    for old, new in edit:
        count = source.count(old)
        if count != 1:
            raise CatalogError(f"{name}: {old!r} occurs {count} times in the reference cell (must be once)")
        source = source.replace(old, new)
    return source


@functools.lru_cache(maxsize=None)
def _reference_text(lab_id: str) -> str:
    return labs.LABS[lab_id].solution.read_text(encoding="utf-8")


def reference(lab_id: str) -> dict:
    return json.loads(_reference_text(lab_id))


def build(lab_id: str, replacements: dict[str, str], base: dict | None = None) -> dict:
    nb = copy.deepcopy(base or reference(lab_id))
    found = set()
    for cell in nb["cells"]:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id in replacements:
            cell["source"] = replacements[grade_id]
            cell["outputs"] = []
            found.add(grade_id)
    missing = set(replacements) - found
    if missing:
        raise KeyError(f"no exercise cell for {sorted(missing)} in {lab_id}")
    return nb


def submission_for(entry: Entry, lab_id: str) -> dict:
    """The reference notebook with ``entry`` in place of its exercise(s)."""
    first, *rest = entry.exercises
    return build(lab_id, {first: entry.source, **{name: "" for name in rest}})
