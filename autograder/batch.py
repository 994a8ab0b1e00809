"""Grading many submissions: discovery, student names, parallel jobs, resumable atomic output.

Layout of ``--out DIR``::

    DIR/reports/<name>-<hash>__<lab>.json    one report per submission (written atomically)
    DIR/feedback/<name>-<hash>__<lab>.md     feedback for the student (or .html)

``<name>`` is the student's name reduced to readable ASCII and ``<hash>`` a short hash of the real name,
so that two names never share a file (Müller and Möller both read ``Muller``).
    DIR/gradebook.csv                    student, lab, points per exercise, total, max

A submission whose report exists with the same file hash and grader version is
not graded again, so an interrupted batch resumes where it stopped.
"""

from __future__ import annotations

import csv
import glob
import hashlib
import html
import io
import json
import os
import re
import tempfile
import unicodedata
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from ganlab.grading.testing import exercises_for

from autograder import labs
from autograder.runner import Report, UnknownLab, file_hash, grade

REPO_ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Job:
    path: Path
    student: str


def grader_version() -> str:
    """A hash of every file that decides a grade: tests, test API, worker, grader."""
    h = hashlib.sha256()
    roots = [REPO_ROOT / "ganlab", REPO_ROOT / "autograder"]
    for root in roots:
        for p in sorted(root.rglob("*.py")):
            if "catalog" in p.parts:
                continue
            h.update(str(p.relative_to(REPO_ROOT)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()[:16]


def discover(args: list[str]) -> tuple[list[Path], list[str]]:
    """Expand files, folders (recursively) and globs into notebook paths; returns (paths, problems)."""
    found: list[Path] = []
    problems = []
    for arg in args:
        matches = [Path(m) for m in glob.glob(arg, recursive=True)] if glob.has_magic(arg) else [Path(arg)]
        if not matches:
            problems.append(f"{arg}: no file matches")
        for m in matches:
            if m.is_dir():
                found.extend(sorted(p for p in m.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts))
            elif m.exists() or m.is_symlink():  # a link is kept, to be refused with a report
                found.append(m)
            else:
                problems.append(f"{arg}: no such file or folder")
    # The folder is resolved, never the file itself: a symbolic link is graded (and refused) as itself,
    # not under its target's name.
    unique = list(dict.fromkeys(p.absolute().parent.resolve() / p.name for p in found))
    return unique, problems


def student_of(path: Path) -> str:
    """nbgrader's ``submitted/<student>/<assignment>/<nb>.ipynb``, else the file name."""
    parts = path.absolute().parent.resolve().parts + (path.name,)
    if "submitted" in parts:
        i = len(parts) - 1 - parts[::-1].index("submitted")
        if i + 1 < len(parts) - 1:
            return parts[i + 1]
    return path.stem


def jobs_for(paths: list[Path]) -> list[Job]:
    """One job per notebook; students whose names collide get their folder as a prefix (then a number)."""
    names = [student_of(p) for p in paths]
    jobs, seen = [], set()
    for p, name in zip(paths, names):
        if names.count(name) > 1:
            name = f"{p.absolute().parent.resolve().name}_{name}"
        base, n = name, 1
        while name in seen:
            n += 1
            name = f"{base}_{n}"
        seen.add(name)
        jobs.append(Job(p, name))
    return jobs


def safe_name(text: str) -> str:
    """A readable ASCII file name part (accents dropped: Müller -> Muller); not unique, see :func:`file_stem`."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", ascii_text).strip("._")[:80] or "submission"


def file_stem(student: str) -> str:
    """Readable name plus a short hash of the real one: names that differ in any character never collide."""
    return f"{safe_name(student)}-{hashlib.sha256(student.encode('utf-8', 'surrogatepass')).hexdigest()[:10]}"


def atomic_write(path: Path, data: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


MAX_MESSAGE = 500
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


def one_line(text, limit: int = MAX_MESSAGE) -> str:
    """Any text as one line of printable characters: control characters (newlines included) become escapes,
    so no name or message can forge another line; at most ``limit`` characters."""
    text = str(text)
    out = "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)
    return out if len(out) <= limit else out[:limit - 3] + "..."


def md_escape(text, limit: int = MAX_MESSAGE) -> str:
    """Text from a report as inert Markdown: one line, capped, HTML characters as entities, Markdown
    punctuation backslash-escaped (no link, image, heading, emphasis or raw HTML survives)."""
    text = html.escape(one_line(text, limit), quote=False)
    return _MD_SPECIAL.sub(r"\\\1", text)


def _feedback_lines(report: dict, esc) -> list[str]:
    """What a student may see: full detail for public tests (capped), for hidden ones only pass/fail, the
    test's description and an allow-listed hint (see ``autograder.runner.allowed_hints``)."""
    title = report.get("lab_title") or report.get("lab")
    lines = [f"# Feedback: {esc(title)}",
             "", f"**Score: {float(report.get('score') or 0):g} / {float(report.get('max_score') or 0):g}**", ""]
    for err in report.get("errors", []):
        lines.append(f"> **Could not grade the notebook:** {esc(err)}")
    for warn in report.get("warnings", []):
        lines.append(f"- Note: {esc(warn)}")
    lines.append("")
    for ex in report.get("exercises", []):
        mark = "✅" if ex.get("passed") else "❌"
        lines += [f"## {mark} {esc(ex.get('name'))} — {float(ex.get('earned') or 0):g} / "
                  f"{float(ex.get('points') or 0):g}", ""]
        for t in (t for t in report.get("tests", []) if t.get("exercise") == ex.get("name")):
            status = "passed" if t.get("passed") else "failed"
            pts = float(t.get("points") or 0)
            if t.get("hidden"):
                detail = (t.get("doc") or "hidden test").rstrip(".")
                hint = f" Hint: {esc(t['hint'])}" if (not t.get("passed") and t.get("hint")) else ""
                lines.append(f"- hidden test ({pts:g} pt) {status}: {esc(detail)}.{hint}")
            else:
                msg = f" {esc(t.get('message', ''))}" if not t.get("passed") else ""
                lines.append(f"- public check {esc(t.get('name'))} ({pts:g} pt) {status}.{msg}")
        lines.append("")
    return lines


def feedback_markdown(report: dict) -> str:
    return "\n".join(_feedback_lines(report, md_escape)) + "\n"


def feedback_html(report: dict) -> str:
    body = html.escape("\n".join(_feedback_lines(report, one_line)) + "\n")
    return f"<!doctype html><meta charset='utf-8'><title>Feedback</title><pre>{body}</pre>\n"


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def csv_cell(value):
    """A gradebook cell that a spreadsheet never runs as a formula (OWASP's advice: prefix with a quote)."""
    if isinstance(value, str):
        value = value.replace("\r", " ").replace("\n", " ")
        if value.startswith(_FORMULA_START):
            return "'" + value
    return value


def report_dict(report: Report, student: str, version: str) -> dict:
    d = report.to_json()
    d["student"] = student
    d["grader_version"] = version
    d["lab_title"] = labs.LABS[report.lab].title if report.lab in labs.LABS else None
    return d


def lab_exercise_names(lab_id) -> list[str]:
    """The exercise columns of a lab, in the notebook's order: from the lab's own exercise list (never from a
    report), ordered as the exercise cells of the reference notebook."""
    if lab_id not in labs.LABS:
        return []
    labs.load_tests(lab_id)
    names = list(exercises_for(lab_id))
    try:
        cells = json.loads(labs.LABS[lab_id].solution.read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError):
        return names
    order = [c.get("metadata", {}).get("nbgrader", {}).get("grade_id") for c in cells]
    rank = {name: order.index(name) if name in order else len(order) for name in names}
    return sorted(names, key=lambda n: (rank[n], names.index(n)))


def assignment_of(lab_id) -> str:
    """nbgrader's name for a lab (``lab1_minimax``); an unknown lab keeps what the report says."""
    return labs.LABS[lab_id].assignment if lab_id in labs.LABS else str(lab_id or "?")


def _relative_notebooks(rows: list[dict]) -> dict[int, str]:
    """Each report's notebook path relative to the graded folder (the folder holding every graded notebook)."""
    paths = {}
    for i, d in enumerate(rows):
        try:
            paths[i] = Path(str(d.get("notebook") or "")).absolute()
        except (OSError, ValueError):
            continue
    if not paths:
        return {}
    try:
        common = Path(os.path.commonpath([str(p) for p in paths.values()]))
    except ValueError:
        return {i: str(p) for i, p in paths.items()}
    if common in paths.values():  # a single notebook (or all the same file): relative to its folder
        common = common.parent
    return {i: p.relative_to(common).as_posix() for i, p in paths.items()}


def not_graded_report(path: Path, student: str, lab_id, version: str, error: str, **flags) -> dict:
    """A report for a submission the grader could not grade: every exercise of the lab at 0 points."""
    exercises = []
    max_score = 0.0
    if lab_id in labs.LABS:
        specs = labs.load_tests(lab_id)
        max_score = round(sum(t.points for t in specs), 6)
        for name, ex in exercises_for(lab_id).items():
            pts = round(sum(t.points for t in specs if t.exercise == name), 6)
            exercises.append({"name": name, "title": ex.title, "earned": 0.0, "points": pts, "message": error,
                              "passed": False})
    return {"notebook": str(path), "student": student, "lab": lab_id, "score": 0.0, "max_score": max_score,
            "exercises": exercises, "tests": [], "errors": [error], "warnings": [], "grader_version": version,
            "lab_title": labs.LABS[lab_id].title if lab_id in labs.LABS else None, **flags}


def write_gradebook(out: Path) -> Path:
    rows = []
    exercise_cols: dict[str, list[str]] = {}
    for p in sorted((out / "reports").glob("*.json")):
        try:
            d = json.loads(p.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):
            continue
        if not isinstance(d, dict):
            continue
        rows.append(d)
        lab_id = d.get("lab") or "?"
        if lab_id not in exercise_cols:
            exercise_cols[lab_id] = lab_exercise_names(lab_id)
    # Labs are named as nbgrader names them (the assignment, lab1_minimax); exercise columns follow the
    # notebook's order and carry the assignment's name only when the gradebook holds several labs.
    several = len(exercise_cols) > 1

    def column(lab_id, name):
        return f"{assignment_of(lab_id)}:{name}" if several else name

    columns = ["student", "lab", "notebook"]
    for lab_id, names in sorted(exercise_cols.items()):
        columns += [column(lab_id, n) for n in names if column(lab_id, n) not in columns]
    columns += ["total", "max_score", "errors"]
    notebooks = _relative_notebooks(rows)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns)
    writer.writeheader()
    for i, d in enumerate(rows):
        row = {"student": d.get("student"), "lab": assignment_of(d.get("lab")),
               "notebook": notebooks.get(i, d.get("notebook")),
               "total": d.get("score"), "max_score": d.get("max_score"),
               "errors": "; ".join(str(e) for e in d.get("errors", []))}
        for e in d.get("exercises", []):
            key = column(d.get("lab") or "?", e.get("name"))
            if key in columns:
                row[key] = e.get("earned")
        writer.writerow({k: csv_cell(v) for k, v in row.items()})
    target = out / "gradebook.csv"
    atomic_write(target, buf.getvalue())
    return target


def run_batch(paths: list[Path], out: Path | None, jobs: int, lab: str | None, feedback: str,
              force: bool = False, progress: bool = True, grade_kwargs: dict | None = None):
    """Grade ``paths`` with ``jobs`` in parallel; yields ``(path, report_dict, reused)`` as each finishes."""
    version = grader_version()
    todo = jobs_for(paths)
    from autograder.sandbox import SandboxConfig

    # Every worker is blind to all submissions of the batch and to the grade records.
    hidden_dirs = sorted({p.absolute().parent.resolve() for p in paths} | ({out.resolve()} if out is not None else set()))
    grade_kwargs = dict(grade_kwargs or {})
    base = grade_kwargs.get("sandbox") or SandboxConfig()
    grade_kwargs["sandbox"] = SandboxConfig(base.mode, [*base.hide, *hidden_dirs])
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)  # exists before the first worker starts, so it is masked

    def target_for(job: Job, lab_id) -> Path:
        return out / "reports" / f"{file_stem(job.student)}__{lab_id or 'unknown'}.json"

    def cached(job: Job):
        if out is None or force:
            return None
        try:
            digest = file_hash(job.path)
        except Exception:  # noqa: BLE001 - not a readable regular file: grade() reports why
            return None
        for p in (out / "reports").glob(f"{file_stem(job.student)}__*.json"):
            try:
                d = json.loads(p.read_text(encoding="utf-8"))
            except (OSError, ValueError, RecursionError):
                continue
            if not isinstance(d, dict) or d.get("internal_error") or d.get("unknown_lab"):
                continue  # the grader failed last time: grade again
            if d.get("sha256") == digest and d.get("grader_version") == version and \
                    (lab is None or d.get("lab") == lab) and d.get("notebook") == str(job.path) and \
                    d.get("student") == job.student:
                return d
        return None

    def work(job: Job):
        hit = cached(job)
        if hit is not None:
            return job, hit, True
        try:
            rep = grade(job.path, lab, **grade_kwargs)
            d = report_dict(rep, job.student, version)
        except UnknownLab as exc:
            d = not_graded_report(job.path, job.student, None, version, str(exc), unknown_lab=True)
        except Exception as exc:  # noqa: BLE001 - one bad submission never stops the batch
            try:
                lab_id = lab or labs.detect(job.path, None, set())
            except Exception:  # noqa: BLE001
                lab_id = None
            d = not_graded_report(job.path, job.student, lab_id, version,
                                  f"not graded: internal error of the grader ({type(exc).__name__})",
                                  internal_error=True)
        if out is not None:
            atomic_write(target_for(job, d.get("lab")), json.dumps(d, indent=1))
            if feedback != "none":
                ext = "html" if feedback == "html" else "md"
                text = feedback_html(d) if feedback == "html" else feedback_markdown(d)
                atomic_write(out / "feedback" / f"{file_stem(job.student)}__{d.get('lab') or 'unknown'}.{ext}",
                             text)
        return job, d, False

    bar = None
    if progress and len(todo) > 1:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(todo), desc="grading", unit="nb")
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = [pool.submit(work, job) for job in todo]
        for fut in as_completed(futures):
            job, d, reused = fut.result()
            if bar is not None:
                bar.update(1)
            yield job.path, d, reused
    if bar is not None:
        bar.close()
    if out is not None:
        from autograder.summary import write_summary

        write_gradebook(out)
        write_summary(out)  # the class summary (summary.html, summary.md) next to the gradebook
