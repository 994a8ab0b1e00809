"""Reading submitted notebooks defensively and choosing what of them the worker runs.

A submission may be any file. Every problem becomes a :class:`NotebookError`
with a sentence for the report, never a traceback. What is run is chosen by
what each statement *is*, not by metadata that Colab or a student can damage:

- imports, ``def`` and ``class`` statements always run;
- assignments run unless they call a function or class the notebook defines
  (``history = train(...)``) or sit in a cell marked ``# grader: skip``;
- everything else (loops, plots, prints, check calls, training) is not run.

Cells run in notebook order, so the last definition of a name wins.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

#: Larger files are refused before parsing (outputs of hundreds of MB are fine below this).
MAX_NOTEBOOK_BYTES = 1024 * 1024 * 1024
SKIP_MARKER = re.compile(r"^\s*#\s*grader:\s*skip\b", re.MULTILINE)
_DEF_RE = re.compile(r"^(?:async\s+)?(?:def|class)\s+([A-Za-z_]\w*)", re.MULTILINE)
_KEEP_MAGICS = {"time", "timeit", "capture", "prun"}


class NotebookError(Exception):
    """The file cannot be graded as a notebook; the message says why."""


@dataclass
class Statement:
    id: int
    cell: int  # 1-based index among all cells, as a student counts them
    lineno: int
    code: str
    defines: list[str]


@dataclass
class Plan:
    statements: list[Statement]
    cell_errors: dict[int, str] = field(default_factory=dict)  # cell -> why it could not be used
    cell_names: dict[str, list[int]] = field(default_factory=dict)  # name -> cells that (try to) define it
    warnings: list[str] = field(default_factory=list)
    lab_hint: str | None = None


def read_cells(path: str | Path) -> tuple[list[dict], list[str], dict]:
    """Return ``(cells, warnings, metadata)`` with cells as ``{"type", "source"}``; raises NotebookError."""
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise NotebookError(f"cannot read the file: {exc.strerror or exc}") from None
    if size == 0:
        raise NotebookError("the file is empty (0 bytes); was the notebook saved before submitting?")
    if size > MAX_NOTEBOOK_BYTES:
        raise NotebookError(f"the file is {size / 2**20:.0f} MiB, over the {MAX_NOTEBOOK_BYTES // 2**20} MiB limit; "
                            "clear the outputs (Edit > Clear All Outputs) and save again")
    raw = p.read_bytes()
    warnings = []
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        text = raw.decode("utf-8", errors="replace")
        warnings.append(f"the file is not valid UTF-8 (first bad byte at offset {exc.start}); "
                        "bad bytes were replaced")
    del raw
    try:
        nb = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NotebookError(f"not a notebook: the file is not JSON ({exc.msg} at line {exc.lineno}, "
                            f"column {exc.colno})") from None
    except RecursionError:
        raise NotebookError("not a notebook: the JSON is nested too deeply") from None
    del text
    if not isinstance(nb, dict):
        raise NotebookError("not a notebook: the JSON is not an object with 'cells'")
    metadata = nb.get("metadata") if isinstance(nb.get("metadata"), dict) else {}
    if isinstance(nb.get("cells"), list):  # nbformat 4 (and 5)
        raw_cells = nb["cells"]
        src_key = "source"
    elif isinstance(nb.get("worksheets"), list):  # nbformat 3
        raw_cells = [c for ws in nb["worksheets"] if isinstance(ws, dict)
                     for c in (ws.get("cells") or []) if isinstance(ws.get("cells"), list)]
        src_key = "input"
        warnings.append(f"old notebook format (nbformat {nb.get('nbformat', 3)}); read as version 3")
    else:
        raise NotebookError("JSON but not a Jupyter notebook: it has no 'cells' list")
    cells = []
    for c in raw_cells:
        if not isinstance(c, dict):
            cells.append({"type": "unknown", "source": "", "tags": []})
            continue
        kind = c.get("cell_type", "unknown")
        src = c.get(src_key if kind == "code" else "source", c.get("source", ""))
        if isinstance(src, list):
            src = "".join(s for s in src if isinstance(s, str))
        elif not isinstance(src, str):
            src = ""
        md = c.get("metadata") if isinstance(c.get("metadata"), dict) else {}
        tags = md.get("tags") if isinstance(md.get("tags"), list) else []
        cells.append({"type": kind if isinstance(kind, str) else "unknown", "source": src,
                      "tags": [t for t in tags if isinstance(t, str)]})
    return cells, warnings, metadata


def strip_magics(source: str) -> str | None:
    """Turn IPython syntax into plain Python; ``None`` when the whole cell is not Python."""
    lines = source.splitlines()
    if lines and lines[0].lstrip().startswith("%%"):
        magic = lines[0].lstrip()[2:].split()[0] if lines[0].strip() != "%%" else ""
        if magic not in _KEEP_MAGICS:
            return None
        lines = ["# " + lines[0]] + lines[1:]
    out = []
    for line in lines:
        stripped = line.lstrip()
        if stripped.startswith(("%", "!")) or re.match(r"^[A-Za-z_][\w.]*\s*=\s*[!%]", stripped):
            indent = line[: len(line) - len(stripped)]
            out.append(f"{indent}pass  # IPython: {stripped}" if indent else f"# IPython: {stripped}")
        elif stripped.endswith("?") and not stripped.startswith("#") and re.match(r"^[\w.]+\?\??$", stripped):
            out.append("# " + line)
        else:
            out.append(line)
    return "\n".join(out)


def _calls_local(node: ast.AST, local_names: set[str]) -> bool:
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call):
            fn = sub.func
            while isinstance(fn, ast.Attribute):
                fn = fn.value
            if isinstance(fn, ast.Name) and fn.id in local_names:
                return True
    return False


def _defined_names(node: ast.stmt) -> list[str]:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [node.name]
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return [(a.asname or a.name).split(".")[0] for a in node.names if a.name != "*"]
    targets = []
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
        targets = [node.target]
    names = []
    for t in targets:
        for sub in ast.walk(t):
            if isinstance(sub, ast.Name):
                names.append(sub.id)
    return names


def _keep(node: ast.stmt, local_callables: set[str], skip_cell: bool) -> bool:
    if isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return True
    if skip_cell:
        return False
    if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
        value = node.value
        return value is not None and not _calls_local(value, local_callables)
    if isinstance(node, ast.Try):  # try: import x / except ImportError: ...
        body = node.body + [s for h in node.handlers for s in h.body] + node.orelse + node.finalbody
        return all(isinstance(s, (ast.Import, ast.ImportFrom, ast.Pass, ast.Assign)) for s in body)
    return False


def plan(cells: list[dict]) -> Plan:
    """Choose the statements to run, cell by cell, and note cells that cannot be used."""
    result = Plan(statements=[])
    parsed: list[tuple[int, ast.Module | None, str, bool]] = []
    local_callables: set[str] = set()
    for index, cell in enumerate(cells, start=1):
        if cell["type"] != "code" or not cell["source"].strip():
            continue
        for name in _DEF_RE.findall(cell["source"]):
            result.cell_names.setdefault(name, []).append(index)
        source = strip_magics(cell["source"])
        if source is None:
            continue
        skip = bool(SKIP_MARKER.search(source)) or "grader-skip" in cell.get("tags", [])
        try:
            tree = ast.parse(source)
        except SyntaxError as exc:
            line = (exc.text or "").strip()
            result.cell_errors[index] = (f"SyntaxError: {exc.msg} (line {exc.lineno}"
                                         + (f": `{line}`" if line else "") + ")")
            continue
        except (ValueError, RecursionError, MemoryError) as exc:
            result.cell_errors[index] = f"could not parse the cell ({type(exc).__name__})"
            continue
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                local_callables.add(node.name)
        parsed.append((index, tree, source, skip))
    next_id = 0
    for index, tree, source, skip in parsed:
        lines = source.splitlines()
        for node in tree.body:
            if not _keep(node, local_callables, skip):
                continue
            start = node.lineno
            if getattr(node, "decorator_list", None):
                start = min([start] + [d.lineno for d in node.decorator_list])
            code = "\n".join(lines[start - 1: node.end_lineno])
            result.statements.append(Statement(next_id, index, start, code, _defined_names(node)))
            next_id += 1
    return result


def load(path: str | Path) -> Plan:
    cells, warnings, metadata = read_cells(path)
    result = plan(cells)
    result.warnings.extend(warnings)
    lab = metadata.get("ganlab", {}).get("lab") if isinstance(metadata.get("ganlab"), dict) else None
    result.lab_hint = lab if isinstance(lab, str) else None
    return result
