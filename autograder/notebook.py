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
import os
import re
import stat
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

#: Larger files are refused before parsing (outputs of hundreds of MB are fine below this).
MAX_NOTEBOOK_BYTES = 1024 * 1024 * 1024
#: Parsing Python costs about 500 bytes of memory per byte of source: code beyond these is not parsed.
#: (The labs' largest exercise cell is under 20 KiB.)
MAX_CELL_CODE_BYTES = 256 * 1024
MAX_CODE_BYTES = 2 * 1024 * 1024
#: Limits of the parsing subprocess (:func:`load_bounded`): the grader's own process never parses a submission.
PARSE_MEMORY_BYTES = 4 * 1024**3
PARSE_CPU_SECONDS = 60
PARSE_WALL_SECONDS = 120
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
    #: Modules the kept statements import (``matplotlib.pyplot``, ``ganlab``, ``ganlab.plotting`` for
    #: ``from ganlab import plotting``): a warm template may import the allow-listed ones before forking the worker.
    imports: list[str] = field(default_factory=list)


def open_regular(path: str | Path) -> int:
    """Open a submission for reading, refusing anything but a regular file.

    Symbolic links (``O_NOFOLLOW``), FIFOs, sockets and devices are refused without blocking (``O_NONBLOCK``
    makes opening a FIFO return at once), so a submission can never hang the batch. Returns a blocking fd.
    """
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        if os.path.islink(path):
            raise NotebookError("not a regular file (a symbolic link); only regular files are graded")
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    except NotebookError:
        raise
    except OSError as exc:
        if exc.errno in (getattr(os, "ELOOP", -1), getattr(os, "EMLINK", -1)):
            raise NotebookError("not a regular file (a symbolic link); only regular files are graded") from None
        raise NotebookError(f"cannot read the file: {exc.strerror or exc}") from None
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        kind = ("a FIFO" if stat.S_ISFIFO(st.st_mode) else "a device" if stat.S_ISCHR(st.st_mode) or
                stat.S_ISBLK(st.st_mode) else "a socket" if stat.S_ISSOCK(st.st_mode) else "a folder"
                if stat.S_ISDIR(st.st_mode) else "not a plain file")
        raise NotebookError(f"not a regular file ({kind}); only regular files are graded")
    os.set_blocking(fd, True)
    return fd


def read_bounded(fd: int) -> bytes:
    """The whole content of an open regular file, refusing sizes over :data:`MAX_NOTEBOOK_BYTES`."""
    size = os.fstat(fd).st_size
    if size == 0:
        raise NotebookError("the file is empty (0 bytes); was the notebook saved before submitting?")
    if size > MAX_NOTEBOOK_BYTES:
        raise NotebookError(f"the file is {size / 2**20:.0f} MiB, over the {MAX_NOTEBOOK_BYTES // 2**20} MiB limit; "
                            "clear the outputs (Edit > Clear All Outputs) and save again")
    chunks, total = [], 0
    while total <= MAX_NOTEBOOK_BYTES:  # the file may grow while it is read: never read past the limit
        chunk = os.read(fd, min(1 << 24, MAX_NOTEBOOK_BYTES + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    if total > MAX_NOTEBOOK_BYTES:
        raise NotebookError(f"the file is over the {MAX_NOTEBOOK_BYTES // 2**20} MiB limit")
    if total == 0:
        raise NotebookError("the file is empty (0 bytes); was the notebook saved before submitting?")
    return b"".join(chunks)


def read_cells(path: str | Path) -> tuple[list[dict], list[str], dict]:
    """Return ``(cells, warnings, metadata)`` with cells as ``{"type", "source"}``; raises NotebookError."""
    fd = open_regular(path)
    try:
        raw = read_bounded(fd)
    finally:
        os.close(fd)
    return parse_cells(raw)


def parse_cells(raw: bytes) -> tuple[list[dict], list[str], dict]:
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
    code_bytes = 0
    for index, cell in enumerate(cells, start=1):
        if cell["type"] != "code" or not cell["source"].strip():
            continue
        size = len(cell["source"].encode("utf-8", "replace"))
        if size > MAX_CELL_CODE_BYTES or code_bytes + size > MAX_CODE_BYTES:
            limit = (f"{MAX_CELL_CODE_BYTES // 1024} KiB per cell" if size > MAX_CELL_CODE_BYTES
                     else f"{MAX_CODE_BYTES // 2**20} MiB of code per notebook")
            result.cell_errors[index] = (f"too large to grade ({size / 1024:.0f} KiB of code; the limit is {limit}; "
                                         "paste data as a file or generate it in code)")
            for name in _DEF_RE.findall(cell["source"][:MAX_CELL_CODE_BYTES]):
                result.cell_names.setdefault(name, []).append(index)
            continue
        code_bytes += size
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
            for sub in ast.walk(node) if isinstance(node, ast.Try) else [node]:
                for name in _imported_modules(sub):
                    if name not in result.imports and len(result.imports) < 200:
                        result.imports.append(name[:200])
    return result


def _imported_modules(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    if isinstance(node, ast.ImportFrom) and node.module and not node.level:
        return [node.module] + [f"{node.module}.{a.name}" for a in node.names if a.name != "*"]
    return []


def load(path: str | Path) -> Plan:
    """Read and plan a notebook in this process (trusted files: tests, tools). Graders use :func:`load_bounded`."""
    return _plan_raw(_read_path(path))


def _read_path(path) -> bytes:
    fd = open_regular(path)
    try:
        return read_bounded(fd)
    finally:
        os.close(fd)


def _plan_raw(raw: bytes) -> Plan:
    cells, warnings, metadata = parse_cells(raw)
    del raw
    result = plan(cells)
    result.warnings.extend(warnings)
    lab = metadata.get("ganlab", {}).get("lab") if isinstance(metadata.get("ganlab"), dict) else None
    result.lab_hint = lab if isinstance(lab, str) else None
    return result


def plan_to_json(p: Plan) -> dict:
    d = asdict(p)
    d["cell_errors"] = {str(k): v for k, v in p.cell_errors.items()}
    return d


def plan_from_json(d: dict) -> Plan:
    return Plan(statements=[Statement(**s) for s in d["statements"]],
                cell_errors={int(k): v for k, v in d["cell_errors"].items()},
                cell_names={k: list(v) for k, v in d["cell_names"].items()},
                warnings=list(d["warnings"]), lab_hint=d.get("lab_hint"),
                imports=[str(n) for n in d.get("imports", [])])


_CHILD = """
import json, os, resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({mem}, {mem}))
resource.setrlimit(resource.RLIMIT_CPU, ({cpu}, {cpu} + 5))
resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
sys.setrecursionlimit(3000)
sys.path.insert(0, {root!r})
from autograder import notebook as nb
try:
    result = {{"ok": nb.plan_to_json(nb._plan_raw(nb.read_bounded(0)))}}
except nb.NotebookError as exc:
    result = {{"error": str(exc)}}
except MemoryError:
    result = {{"limit": "memory"}}
except RecursionError:
    result = {{"error": "not a notebook: it is nested too deeply to read"}}
os.write(int(sys.argv[1]), json.dumps(result).encode())
"""


def load_bounded(fd: int) -> Plan:
    """Parse and plan the open regular file ``fd`` (from :func:`open_regular`) in a subprocess with memory,
    CPU and wall-time limits, so that no notebook can make the grader's own process large or slow."""
    os.lseek(fd, 0, os.SEEK_SET)
    code = _CHILD.format(mem=PARSE_MEMORY_BYTES, cpu=PARSE_CPU_SECONDS, root=str(Path(__file__).resolve().parents[1]))
    out_r, out_w = os.pipe()
    try:
        proc = subprocess.Popen([sys.executable, "-I", "-S", "-c", code, str(out_w)], stdin=fd,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, pass_fds=(out_w,),
                                close_fds=True, start_new_session=True,
                                env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
    finally:
        os.close(out_w)
    chunks = []
    try:
        import select
        import time

        deadline = time.monotonic() + PARSE_WALL_SECONDS
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            ready, _, _ = select.select([out_r], [], [], left)
            if not ready:
                raise TimeoutError
            chunk = os.read(out_r, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    except TimeoutError:
        proc.kill()
        proc.wait()
        raise NotebookError(f"the notebook could not be read within {PARSE_WALL_SECONDS} s") from None
    finally:
        os.close(out_r)
    code_ = _kill(proc)
    try:
        result = json.loads(b"".join(chunks))
    except (ValueError, RecursionError):
        result = {}
    if "ok" in result:
        return plan_from_json(result["ok"])
    if "error" in result:
        raise NotebookError(result["error"])
    if result.get("limit") == "memory" or code_ == -9 or code_ == 137:
        raise NotebookError(f"reading the notebook needs more than the {PARSE_MEMORY_BYTES // 2**30} GiB the grader "
                            "allows (is a code cell huge?)")
    raise NotebookError(f"the notebook could not be read within the grader's limits (reader exit code {code_})")


def _kill(proc) -> int | None:
    """Wait briefly for the reader (it has already written its answer), else kill it; its exit code."""
    try:
        return proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.wait()
