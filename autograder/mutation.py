"""Mutation testing of the graders: mutate each reference exercise and check that its tests notice.

Mutants come from cosmic-ray's operators (a curated subset of its core set: arithmetic and comparison
operators swapped, numbers changed, booleans flipped, unary minus dropped, loops run zero times) and from
domain operators written on cosmic-ray's ``Operator`` interface for the mistakes GAN code actually has:

- ``DropCall``: a call such as ``.detach()``, ``.zero_grad()``, ``.step()``, ``.eval()`` or ``.backward()``
  removed;
- ``SwapName``: an activation, norm, reduction or grad-mode swapped (``ReLU`` -> ``LeakyReLU``, ``Tanh`` ->
  ``Sigmoid``, ``mean`` -> ``sum``, ``no_grad`` -> ``enable_grad``, ...);
- ``SwapArguments``: the first two positional arguments of a call swapped;
- ``DropKeyword``: one keyword argument of a call removed (``bias=False``, ``keepdim=True``, ``create_graph=True``).

Only the solution part of each exercise cell (between ``### BEGIN SOLUTION`` and ``### END SOLUTION``) is
mutated. Each mutant is run in a forked copy of a process that has loaded the reference notebook's
definitions (as the grader's worker does): the mutated cell replaces the exercise's definition, then that
exercise's public and hidden tests run. A mutant is *killed* when a test fails (or it does not load, or runs
past the time limit), *survived* otherwise; survivors that no test can tell from the reference are argued
in ``autograder/catalog/<lab>/equivalent.json`` (``{"mutant id": "why"}``) and reported as equivalent.

    python -m autograder.mutation lab2                      # every exercise of Lab 2
    python -m autograder.mutation lab3 --exercise slerp     # one exercise
    python -m autograder.mutation lab7 --json out.json      # machine-readable results
    python -m autograder.mutation lab1 --sample 10 --seed 0 # a fixed random sample

The measured figures live in ``benchmarks/mutation/<lab>.json`` (``--json``) and ``benchmarks/mutation.md``;
CI (``tests/test_mutation.py``) re-judges a fixed, seeded sample of the mutants recorded there as killed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import select
import signal
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import parso.python.tree as pt
from cosmic_ray.ast import ast_nodes, get_ast
from cosmic_ray.mutating import mutate_code
from cosmic_ray.operators.operator import Example, Operator
from cosmic_ray.plugins import get_operator

from autograder import labs
from autograder.catalog import HERE as CATALOG_DIR
from autograder.catalog import reference

#: cosmic-ray core operators used (the full cross product mostly yields mutants that crash at once,
#: which inflates the score without saying anything about the tests).
CORE_OPERATORS = [
    "core/ReplaceBinaryOperator_Add_Sub", "core/ReplaceBinaryOperator_Sub_Add",
    "core/ReplaceBinaryOperator_Mul_Div", "core/ReplaceBinaryOperator_Div_Mul",
    "core/ReplaceBinaryOperator_Add_Mul", "core/ReplaceBinaryOperator_Mul_Add",
    "core/ReplaceBinaryOperator_Pow_Mul", "core/ReplaceBinaryOperator_FloorDiv_Div",
    "core/ReplaceBinaryOperator_Div_FloorDiv", "core/ReplaceBinaryOperator_Sub_Mul",
    "core/ReplaceComparisonOperator_Lt_LtE", "core/ReplaceComparisonOperator_LtE_Lt",
    "core/ReplaceComparisonOperator_Gt_GtE", "core/ReplaceComparisonOperator_GtE_Gt",
    "core/ReplaceComparisonOperator_Eq_NotEq", "core/ReplaceComparisonOperator_NotEq_Eq",
    "core/ReplaceComparisonOperator_Lt_Gt", "core/ReplaceComparisonOperator_Gt_Lt",
    "core/ReplaceUnaryOperator_USub_UAdd", "core/ReplaceUnaryOperator_Delete_USub",
    "core/ReplaceUnaryOperator_Delete_Not",
    "core/NumberReplacer", "core/ReplaceTrueWithFalse", "core/ReplaceFalseWithTrue",
    "core/ReplaceAndWithOr", "core/ReplaceOrWithAnd", "core/ZeroIterationForLoop",
    "core/ReplaceBreakWithContinue",
]

#: Calls whose removal is a realistic GAN mistake (``x.detach()`` -> ``x``, ``opt.zero_grad()`` -> ``opt``).
DROPPABLE_CALLS = {
    "detach", "zero_grad", "step", "backward", "eval", "train", "requires_grad_", "clamp", "clamp_",
    "clone", "squeeze", "unsqueeze", "flatten", "float", "double", "abs", "sqrt", "exp", "log", "mean", "sum",
    "view", "reshape", "item", "t", "to", "real", "contiguous", "apply", "copy_", "fill_", "normal_", "zero_",
}

#: Name swaps: activations, norms, reductions, grad modes, losses, dtypes.
NAME_SWAPS = {
    "ReLU": "LeakyReLU", "LeakyReLU": "ReLU", "Tanh": "Sigmoid", "Sigmoid": "Tanh",
    "relu": "gelu", "leaky_relu": "relu", "tanh": "sigmoid", "sigmoid": "tanh", "softplus": "relu",
    "logsigmoid": "sigmoid", "log_softmax": "softmax", "softmax": "log_softmax",
    "BatchNorm2d": "InstanceNorm2d", "BatchNorm1d": "InstanceNorm1d", "InstanceNorm2d": "BatchNorm2d",
    "mean": "sum", "sum": "mean", "max": "min", "min": "max", "amax": "amin", "amin": "amax",
    "argmax": "argmin", "argmin": "argmax", "no_grad": "enable_grad", "zeros_like": "ones_like",
    "ones_like": "zeros_like", "zeros": "ones", "ones": "zeros", "float64": "float32", "float32": "float64",
    "log": "log1p", "log1p": "log", "exp": "expm1", "sqrt": "rsqrt", "real": "imag",
    "binary_cross_entropy_with_logits": "binary_cross_entropy", "randn": "rand", "rand": "randn",
    "normal_": "uniform_", "lerp": "add", "cos": "sin", "sin": "cos", "acos": "asin", "clamp": "clamp_min",
    "trace": "sum", "diagonal": "flatten", "eigvalsh": "eigvals", "Conv2d": "ConvTranspose2d",
    "ConvTranspose2d": "Conv2d", "cov": "corrcoef", "var": "std", "std": "var",
}


def _trailer_name(trailer) -> str | None:
    """``name`` for a trailer ``.name``."""
    if trailer.type == "trailer" and trailer.children[0].type == "operator" and trailer.children[0].value == ".":
        return trailer.children[1].value
    return None


def _is_call(trailer) -> bool:
    return trailer.type == "trailer" and trailer.children[0].type == "operator" and trailer.children[0].value == "("


class DropCall(Operator):
    """Remove a method call from a chain: ``a.b.detach().c`` -> ``a.b.c``; ``opt.zero_grad()`` -> ``opt``."""

    def mutation_positions(self, node):
        if node.type in ("power", "atom_expr"):
            ch = node.children
            for i in range(1, len(ch) - 1):
                if _trailer_name(ch[i]) in DROPPABLE_CALLS and _is_call(ch[i + 1]):
                    yield (ch[i].start_pos, ch[i + 1].end_pos)

    def mutate(self, node, index):
        ch = node.children
        hits = [i for i in range(1, len(ch) - 1) if _trailer_name(ch[i]) in DROPPABLE_CALLS and _is_call(ch[i + 1])]
        i = hits[index]
        node.children = ch[:i] + ch[i + 2:]
        if len(node.children) == 1:  # the chain was only ``x.f()``: keep ``x``
            return node.children[0]
        return node

    @classmethod
    def examples(cls):
        return (Example("y = x.detach()", "y = x"), Example("opt.zero_grad()", "opt"))


class SwapName(Operator):
    """Replace a name from :data:`NAME_SWAPS` (``nn.ReLU`` -> ``nn.LeakyReLU``, ``.mean()`` -> ``.sum()``)."""

    def mutation_positions(self, node):
        if isinstance(node, pt.Name) and node.value in NAME_SWAPS:
            parent = node.parent
            # Not the name being defined (def/class/parameter/keyword argument name).
            if parent is not None and parent.type in ("funcdef", "classdef", "param"):
                return
            if parent is not None and parent.type == "argument" and parent.children[0] is node:
                return
            yield (node.start_pos, node.end_pos)

    def mutate(self, node, index):
        node.value = NAME_SWAPS[node.value]
        return node

    @classmethod
    def examples(cls):
        return (Example("y = nn.ReLU()", "y = nn.LeakyReLU()"),)


def _call_args(trailer):
    """The argument nodes of a call trailer ``( ... )``."""
    if not _is_call(trailer) or len(trailer.children) < 3:
        return []
    inner = trailer.children[1]
    if inner.type == "arglist":
        return [c for c in inner.children if not (c.type == "operator" and c.value == ",")]
    return [inner]


def _positional(arg) -> bool:
    return not (arg.type == "argument" or (arg.type == "operator") or
                (hasattr(arg, "children") and arg.children and getattr(arg.children[0], "value", "") in ("*", "**")))


class SwapArguments(Operator):
    """Swap the first two positional arguments of a call: ``f(a, b)`` -> ``f(b, a)``."""

    def mutation_positions(self, node):
        if _is_call(node):
            args = _call_args(node)
            if len(args) >= 2 and _positional(args[0]) and _positional(args[1]) \
                    and args[0].get_code().strip() != args[1].get_code().strip():
                yield (node.start_pos, node.end_pos)

    def mutate(self, node, index):
        inner = node.children[1]
        args = [i for i, c in enumerate(inner.children) if not (c.type == "operator" and c.value == ",")]
        a, b = args[0], args[1]
        ca, cb = inner.children[a], inner.children[b]
        pa, pb = ca.get_first_leaf().prefix, cb.get_first_leaf().prefix
        inner.children[a], inner.children[b] = cb, ca
        cb.get_first_leaf().prefix, ca.get_first_leaf().prefix = pa, pb
        return node

    @classmethod
    def examples(cls):
        return (Example("f(a, b)", "f(b, a)"),)


class DropKeyword(Operator):
    """Remove one keyword argument from a call: ``f(x, dim=1)`` -> ``f(x)``."""

    def mutation_positions(self, node):
        if _is_call(node):
            for arg in _call_args(node):
                if arg.type == "argument" and arg.children[0].type == "name" and len(arg.children) == 3:
                    yield (arg.start_pos, arg.end_pos)

    def mutate(self, node, index):
        inner = node.children[1]
        if inner.type != "arglist":  # the only argument
            node.children = [node.children[0], node.children[-1]]
            return node
        kws = [i for i, c in enumerate(inner.children)
               if c.type == "argument" and c.children[0].type == "name" and len(c.children) == 3]
        i = kws[index]
        children = inner.children
        if i + 1 < len(children):  # drop "arg ,"
            del children[i:i + 2]
        else:  # last: drop ", arg"
            del children[i - 1:i + 1]
        return node

    @classmethod
    def examples(cls):
        return (Example("f(x, dim=1)", "f(x)"),)


DOMAIN_OPERATORS = {"gan/DropCall": DropCall, "gan/SwapName": SwapName, "gan/SwapArguments": SwapArguments,
                    "gan/DropKeyword": DropKeyword}


class _InRegion(Operator):
    """Wrap an operator so it mutates only nodes starting on a line of one of ``regions`` (``(lo, hi)`` pairs)."""

    def __init__(self, op, regions):
        self.op, self.regions = op, regions

    def mutation_positions(self, node):
        line = node.start_pos[0]
        if not any(lo <= line <= hi for lo, hi in self.regions):
            return
        yield from self.op.mutation_positions(node)

    def mutate(self, node, index):
        return self.op.mutate(node, index)

    @classmethod
    def examples(cls):
        return ()


@dataclass
class Mutant:
    id: str
    exercise: str
    operator: str
    occurrence: int
    line: int
    before: str
    after: str
    source: str


def _operators():
    ops = {name: get_operator(name)() for name in CORE_OPERATORS}
    ops.update({name: cls() for name, cls in DOMAIN_OPERATORS.items()})
    return ops


def _solution_regions(source: str) -> list[tuple[int, int]]:
    """The 1-based line ranges ``(lo, hi)`` of every ``### BEGIN SOLUTION`` ... ``### END SOLUTION`` region of a
    cell: a class has one per method (``__init__`` and ``forward``), and each is the student's code. Lines between
    regions (a method's signature and docstring) are the given text, never mutated. A cell without markers is
    one region."""
    lines = source.splitlines()
    regions, lo = [], None
    for i, line in enumerate(lines, start=1):
        if "### BEGIN SOLUTION" in line:
            lo = i
        elif "### END SOLUTION" in line and lo is not None:
            regions.append((lo, i))
            lo = None
    return regions or [(1, len(lines))]


def exercise_cells(lab_id: str) -> dict[str, str]:
    """The reference source of each graded exercise cell of ``lab_id``."""
    from ganlab.grading.testing import exercises_for

    labs.load_tests(lab_id)
    names = set(exercises_for(lab_id))
    out = {}
    for cell in reference(lab_id)["cells"]:
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if gid in names:
            src = cell["source"]
            out[gid] = src if isinstance(src, str) else "".join(src)
    return out


def mutants(lab_id: str, exercise: str | None = None) -> list[Mutant]:
    """Every distinct mutant of the solution part of each exercise cell, in a stable order."""
    out = []
    ops = _operators()
    for name, source in exercise_cells(lab_id).items():
        if exercise and name != exercise:
            continue
        regions = _solution_regions(source)
        seen = {source}
        original = source.splitlines()
        for op_name, op in ops.items():
            region = _InRegion(op, regions)
            count = sum(1 for node in ast_nodes(get_ast(source)) for _ in region.mutation_positions(node))
            for k in range(count):
                mutated = mutate_code(source, region, k)
                if mutated is None or mutated in seen:
                    continue
                seen.add(mutated)
                changed = mutated.splitlines()
                line = next((i for i, (a, b) in enumerate(zip(original, changed)) if a != b), min(len(original), len(changed)))
                after = changed[line] if line < len(changed) else ""
                before = original[line] if line < len(original) else ""
                out.append(Mutant(f"{name}/{op_name.split('/')[-1]}/{k}", name, op_name, k, line + 1,
                                  before.strip(), after.strip(), mutated))
    return out


# -- running ------------------------------------------------------------------------------------------------


def _load_reference_namespace(lab_id: str) -> dict:
    """Run the reference notebook's definitions as the grader's worker would (imports, defs, plain assignments)."""
    import tempfile

    from autograder.notebook import load

    with tempfile.NamedTemporaryFile("w", suffix=".ipynb", delete=False) as fh:
        fh.write(labs.LABS[lab_id].solution.read_text(encoding="utf-8"))
    try:
        plan = load(fh.name)
    finally:
        os.unlink(fh.name)
    import contextlib
    import io

    ns: dict = {"__name__": "__main__"}
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        for stmt in plan.statements:
            code = "\n" * (stmt.lineno - 1) + stmt.code
            try:
                exec(compile(code, f"<cell {stmt.cell}>", "exec"), ns)  # noqa: S102 - the reference, trusted
            except Exception:  # noqa: BLE001 - a data cell that needs a download, say: the grader skips it too
                pass
    return ns


def _judge(lab_id: str, mutant: Mutant, ns: dict) -> dict:
    """In the forked child: define the mutant, run its exercise's tests; return the outcome."""
    import contextlib
    import io

    from ganlab.grading.testing import LocalSubmission, run_tests, tests_for

    sink = io.StringIO()
    try:
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            exec(compile(mutant.source, "<mutant>", "exec"), ns)  # noqa: S102
    except BaseException as exc:  # noqa: BLE001
        return {"killed": True, "by": f"does not load ({type(exc).__name__})"}
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        results = run_tests(LocalSubmission(ns), tests_for(lab_id, mutant.exercise))
    failed = [r for r in results if not r.passed]
    if failed:
        return {"killed": True, "by": failed[0].name, "message": failed[0].message[:300]}
    return {"killed": False, "by": ""}


def run(lab_id: str, items: list[Mutant], jobs: int = 2, timeout: float = 60.0, progress=None) -> list[dict]:
    """Judge ``items`` ``jobs`` at a time in forked children of one process that loaded the reference."""
    import torch

    torch.set_num_threads(1)  # before any parallel work, so forked children never inherit a thread pool
    labs.load_tests(lab_id)
    ns = _load_reference_namespace(lab_id)
    results: dict[int, dict] = {}
    pending = list(enumerate(items))
    running: dict[int, tuple[int, int, float]] = {}  # pid -> (index, read fd, start)
    buffers: dict[int, bytes] = {}
    while pending or running:
        while pending and len(running) < jobs:
            idx, mutant = pending.pop(0)
            r, w = os.pipe()
            pid = os.fork()
            if pid == 0:  # child
                os.close(r)
                try:
                    os.setsid()
                    signal.alarm(int(timeout) + 5)
                    out = _judge(lab_id, mutant, ns)
                except BaseException as exc:  # noqa: BLE001
                    out = {"killed": True, "by": f"crashed ({type(exc).__name__})"}
                os.write(w, json.dumps(out).encode())
                os._exit(0)
            os.close(w)
            running[pid] = (idx, r, time.monotonic())
            buffers[r] = b""
        fds = [r for _, r, _ in running.values()]
        ready, _, _ = select.select(fds, [], [], 0.2)
        for fd in ready:
            chunk = os.read(fd, 65536)
            buffers[fd] += chunk
        for pid, (idx, fd, start) in list(running.items()):
            done_pid, status = os.waitpid(pid, os.WNOHANG)
            over = time.monotonic() - start > timeout
            if done_pid == 0 and not over:
                continue
            if done_pid == 0:
                with_kill = True
                try:
                    os.killpg(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                os.waitpid(pid, 0)
            else:
                with_kill = False
            try:
                while True:
                    chunk = os.read(fd, 65536)
                    if not chunk:
                        break
                    buffers[fd] += chunk
            except OSError:
                pass
            os.close(fd)
            data = buffers.pop(fd)
            if with_kill:
                outcome = {"killed": True, "by": f"timed out after {timeout:g} s"}
            else:
                try:
                    outcome = json.loads(data.decode())
                except ValueError:
                    outcome = {"killed": True, "by": "crashed (no result)"}
            outcome["seconds"] = round(time.monotonic() - start, 2)
            results[idx] = outcome
            del running[pid]
            if progress:
                progress(items[idx], outcome)
    return [results[i] for i in range(len(items))]


def equivalents(lab_id: str) -> dict[str, str]:
    path = CATALOG_DIR / lab_id / "equivalent.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def summarise(lab_id: str, items: list[Mutant], outcomes: list[dict]) -> dict:
    eq = equivalents(lab_id)
    per: dict[str, dict] = {}
    survivors = []
    for m, o in zip(items, outcomes):
        row = per.setdefault(m.exercise, {"mutants": 0, "killed": 0, "survived": 0, "equivalent": 0})
        row["mutants"] += 1
        if o["killed"]:
            row["killed"] += 1
        elif m.id in eq:
            row["equivalent"] += 1
        else:
            row["survived"] += 1
            survivors.append(m)
    total = {k: sum(r[k] for r in per.values()) for k in ("mutants", "killed", "survived", "equivalent")}
    denom = total["mutants"] - total["equivalent"]
    total["score"] = round(total["killed"] / denom, 4) if denom else 1.0
    return {"lab": lab_id, "total": total, "exercises": per,
            "survivors": [{"id": m.id, "line": m.line, "before": m.before, "after": m.after} for m in survivors],
            "equivalent": {m.id: eq[m.id] for m, o in zip(items, outcomes) if not o["killed"] and m.id in eq},
            "stale_equivalents": sorted(set(eq) - {m.id for m in items})}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m autograder.mutation", description=__doc__.split("\n\n")[0])
    ap.add_argument("lab", choices=list(labs.LABS))
    ap.add_argument("--exercise", help="only this exercise")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds per mutant (default 60)")
    ap.add_argument("--sample", type=int, help="judge a random sample of this many mutants")
    ap.add_argument("--seed", type=int, default=0, help="seed of --sample")
    ap.add_argument("--json", help="write the full results here")
    ap.add_argument("--list", action="store_true", help="only list the mutants")
    ap.add_argument("-q", "--quiet", action="store_true")
    args = ap.parse_args(argv)
    items = mutants(args.lab, args.exercise)
    if args.exercise and not items:
        print(f"no mutants for {args.exercise!r} (is it an exercise of {args.lab}?)", file=sys.stderr)
        return 2
    if args.sample is not None:
        items = random.Random(args.seed).sample(items, min(args.sample, len(items)))
    if args.list:
        for m in items:
            print(f"{m.id:55s} line {m.line}: {m.before}  ->  {m.after}")
        return 0
    started = time.monotonic()

    def progress(m, o):
        if not args.quiet and not o["killed"]:
            print(f"  survived {m.id}: line {m.line}: {m.before}  ->  {m.after}", flush=True)

    outcomes = run(args.lab, items, args.jobs, args.timeout, progress)
    summary = summarise(args.lab, items, outcomes)
    summary["seconds"] = round(time.monotonic() - started, 1)
    print(f"{'exercise':28s} {'mutants':>7s} {'killed':>7s} {'equiv.':>7s} {'survived':>8s}")
    for name, row in summary["exercises"].items():
        print(f"{name:28s} {row['mutants']:7d} {row['killed']:7d} {row['equivalent']:7d} {row['survived']:8d}")
    t = summary["total"]
    print(f"{'total':28s} {t['mutants']:7d} {t['killed']:7d} {t['equivalent']:7d} {t['survived']:8d}   "
          f"score {100 * t['score']:.1f}% of non-equivalent mutants killed ({summary['seconds']} s)")
    if summary["stale_equivalents"]:
        print(f"note: equivalent.json names mutants that no longer exist: {summary['stale_equivalents']}")
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        full = dict(summary, mutants=[dict(asdict(m), source=None, **o) for m, o in zip(items, outcomes)])
        Path(args.json).write_text(json.dumps(full, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
