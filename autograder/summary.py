"""Class summary after bulk grading: what to re-teach.

    python -m autograder.summary OUT_DIR        # OUT_DIR is a grader --out folder (it has reports/)

reads ``OUT_DIR/reports/*.json`` and writes, next to the gradebook,

- ``OUT_DIR/summary.html``: a self-contained page (plots embedded) per lab: the score distribution, the pass
  rate of each exercise, and the most frequent diagnoses per exercise: for each exercise, how many students
  failed a test with which hint (the grader's one-line diagnosis of the likely mistake);
- ``OUT_DIR/summary.md``: the same figures as Markdown tables (a text histogram instead of the plots).

Only what the grader wrote is shown: hints and test names, never a submission's output. Student names appear
nowhere in the summary (counts only), so it can be shared with the class.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import html
import io
import json
import os
import statistics
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

#: Failed tests without a hint are counted under this diagnosis (with the test's name).
NO_HINT = "failed {test} (no specific diagnosis)"


@dataclass
class ExerciseSummary:
    name: str
    title: str
    points: float
    attempted: int = 0          # submissions graded on this exercise
    passed: int = 0             # ... that earned all its points
    earned: list[float] = field(default_factory=list)
    diagnoses: Counter = field(default_factory=Counter)  # hint -> number of students

    @property
    def pass_rate(self) -> float:
        return self.passed / self.attempted if self.attempted else 0.0


@dataclass
class LabSummary:
    lab: str
    title: str
    max_score: float = 0.0
    scores: list[float] = field(default_factory=list)
    exercises: dict[str, ExerciseSummary] = field(default_factory=dict)
    with_errors: int = 0        # submissions whose report lists an error (a cell that failed, a crash)

    @property
    def percents(self) -> list[float]:
        return [100.0 * s / self.max_score if self.max_score else 0.0 for s in self.scores]


def load_reports(out: Path) -> list[dict]:
    """The JSON reports of a grader ``--out`` folder (unreadable files are skipped)."""
    reports = []
    for path in sorted((Path(out) / "reports").glob("*.json")):
        try:
            d = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            continue
        if isinstance(d, dict) and d.get("lab"):
            reports.append(d)
    return reports


def summarize(reports: list[dict]) -> dict[str, LabSummary]:
    """Per lab: scores, and per exercise the pass rate and the diagnoses of failed tests counted per student."""
    labs: dict[str, LabSummary] = {}
    for d in reports:
        lab = labs.setdefault(d["lab"], LabSummary(d["lab"], d.get("lab_title") or d["lab"]))
        if d.get("internal_error") or d.get("unknown_lab"):
            lab.with_errors += 1
            continue
        lab.max_score = max(lab.max_score, float(d.get("max_score") or 0.0))
        lab.scores.append(float(d.get("score") or 0.0))
        if d.get("errors"):
            lab.with_errors += 1
        for e in d.get("exercises", []):
            ex = lab.exercises.setdefault(e["name"], ExerciseSummary(e["name"], e.get("title") or "",
                                                                     float(e.get("points") or 0.0)))
            ex.attempted += 1
            ex.earned.append(float(e.get("earned") or 0.0))
            if e.get("passed", float(e.get("earned") or 0) >= float(e.get("points") or 0)):
                ex.passed += 1
        seen: dict[str, set[str]] = {}
        for t in d.get("tests", []):
            if t.get("passed"):
                continue
            hint = (t.get("hint") or "").strip() or NO_HINT.format(test=t.get("name", "a test"))
            seen.setdefault(t.get("exercise", "?"), set()).add(hint)
        for name, hints in seen.items():
            ex = lab.exercises.get(name)
            if ex is not None:
                ex.diagnoses.update(hints)  # once per student and hint
    return labs


def _histogram(percents: list[float], width: int = 10) -> list[tuple[str, int]]:
    """Counts per score band of ``width`` percent: 0-9, 10-19, ..., 90-99, 100."""
    bands = [(f"{lo}-{lo + width - 1}%", 0) for lo in range(0, 100, width)] + [("100%", 0)]
    counts = [0] * len(bands)
    for p in percents:
        counts[len(bands) - 1 if p >= 100 else max(0, int(p // width))] += 1
    return [(label, n) for (label, _), n in zip(bands, counts)]


def _stats(lab: LabSummary) -> str:
    if not lab.scores:
        return "no graded submission"
    p = lab.percents
    return (f"{len(p)} submission{'s' if len(p) != 1 else ''}, mean {statistics.mean(p):.0f}%, "
            f"median {statistics.median(p):.0f}%, lowest {min(p):.0f}%, highest {max(p):.0f}% "
            f"(of {lab.max_score:g} points)")


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(labs: dict[str, LabSummary], top: int = 5) -> str:
    lines = ["# Class summary", ""]
    if not labs:
        return "# Class summary\n\nNo graded submission found.\n"
    for lab in labs.values():
        lines += [f"## {lab.title} ({lab.lab})", "", _stats(lab) + ".", ""]
        if lab.with_errors:
            lines += [f"{lab.with_errors} submission(s) had errors (see their reports).", ""]
        lines += ["### Score distribution", "", "| score | students | |", "|---|---:|---|"]
        for label, n in _histogram(lab.percents):
            lines.append(f"| {label} | {n} | {'#' * n} |")
        lines += ["", "### Exercises", "", "| exercise | points | passed | pass rate | mean points |",
                  "|---|---:|---:|---:|---:|"]
        for ex in lab.exercises.values():
            mean = statistics.mean(ex.earned) if ex.earned else 0.0
            lines.append(f"| {_md_cell(ex.title or ex.name)} (`{ex.name}`) | {ex.points:g} | "
                         f"{ex.passed}/{ex.attempted} | {100 * ex.pass_rate:.0f}% | {mean:.2f} |")
        lines += ["", "### Most frequent diagnoses", ""]
        any_diag = False
        for ex in lab.exercises.values():
            if not ex.diagnoses:
                continue
            any_diag = True
            lines += [f"**{_md_cell(ex.title or ex.name)}** (`{ex.name}`)", "", "| students | diagnosis |",
                      "|---:|---|"]
            for hint, n in ex.diagnoses.most_common(top):
                lines.append(f"| {n} | {_md_cell(hint)} |")
            lines.append("")
        if not any_diag:
            lines += ["No failed test.", ""]
    return "\n".join(lines).rstrip() + "\n"


def _png(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, bbox_inches="tight")
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _plots(lab: LabSummary) -> list[tuple[str, str]]:
    """(alt text, base64 PNG) for the score histogram and the pass rates; empty without matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg", force=False)
        from matplotlib.figure import Figure
    except ImportError:
        return []
    out = []
    hist = _histogram(lab.percents)
    fig = Figure(figsize=(6, 2.8))
    ax = fig.subplots()
    ax.bar(range(len(hist)), [n for _, n in hist], color="#4c72b0")
    ax.set_xticks(range(len(hist)), [label for label, _ in hist], rotation=45, ha="right", fontsize=8)
    ax.set_ylabel("students")
    ax.set_title(f"{lab.lab}: score distribution")
    out.append(("score distribution", _png(fig)))
    exercises = list(lab.exercises.values())
    if exercises:
        fig = Figure(figsize=(6, 0.45 * len(exercises) + 1))
        ax = fig.subplots()
        names = [ex.name for ex in exercises][::-1]
        rates = [100 * ex.pass_rate for ex in exercises][::-1]
        ax.barh(names, rates, color=["#c44e52" if r < 50 else "#55a868" for r in rates])
        ax.set_xlim(0, 100)
        ax.set_xlabel("students who passed (%)")
        ax.set_title(f"{lab.lab}: pass rate per exercise")
        out.append(("pass rate per exercise", _png(fig)))
    return out


def html_page(labs: dict[str, LabSummary], top: int = 5) -> str:
    e = html.escape
    parts = ["<!doctype html><html><head><meta charset='utf-8'><title>Class summary</title><style>",
             "body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em}"
             "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.2em .5em}"
             "td.n{text-align:right}.low{color:#c44e52}</style></head><body><h1>Class summary</h1>"]
    if not labs:
        parts.append("<p>No graded submission found.</p>")
    for lab in labs.values():
        parts.append(f"<h2>{e(lab.title)} ({e(lab.lab)})</h2><p>{e(_stats(lab))}.</p>")
        if lab.with_errors:
            parts.append(f"<p>{lab.with_errors} submission(s) had errors (see their reports).</p>")
        for alt, png in _plots(lab):
            parts.append(f"<img alt='{e(alt)}' src='data:image/png;base64,{png}'>")
        parts.append("<h3>Exercises</h3><table><tr><th>exercise</th><th>points</th><th>passed</th>"
                     "<th>pass rate</th><th>mean points</th></tr>")
        for ex in lab.exercises.values():
            mean = statistics.mean(ex.earned) if ex.earned else 0.0
            cls = " class='n low'" if ex.pass_rate < 0.5 else " class='n'"
            parts.append(f"<tr><td>{e(ex.title or ex.name)} (<code>{e(ex.name)}</code>)</td>"
                         f"<td class='n'>{ex.points:g}</td><td class='n'>{ex.passed}/{ex.attempted}</td>"
                         f"<td{cls}>{100 * ex.pass_rate:.0f}%</td><td class='n'>{mean:.2f}</td></tr>")
        parts.append("</table><h3>Most frequent diagnoses</h3>")
        any_diag = False
        for ex in lab.exercises.values():
            if not ex.diagnoses:
                continue
            any_diag = True
            parts.append(f"<h4>{e(ex.title or ex.name)} (<code>{e(ex.name)}</code>)</h4>"
                         "<table><tr><th>students</th><th>diagnosis</th></tr>")
            for hint, n in ex.diagnoses.most_common(top):
                parts.append(f"<tr><td class='n'>{n}</td><td>{e(hint)}</td></tr>")
            parts.append("</table>")
        if not any_diag:
            parts.append("<p>No failed test.</p>")
    parts.append("</body></html>\n")
    return "".join(parts)


def _atomic_write(path: Path, data: str) -> None:
    """Like autograder.batch.atomic_write, without importing the grader (the command stays light)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_summary(out: Path, top: int = 5) -> tuple[Path, Path]:
    """Write ``summary.html`` and ``summary.md`` into the grader ``--out`` folder ``out``; returns their paths."""
    out = Path(out)
    labs = summarize(load_reports(out))
    md_path, html_path = out / "summary.md", out / "summary.html"
    _atomic_write(md_path, markdown(labs, top))
    _atomic_write(html_path, html_page(labs, top))
    return html_path, md_path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.summary", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", metavar="OUT_DIR", help="a grader --out folder (holds reports/)")
    parser.add_argument("--top", type=int, default=5, help="diagnoses shown per exercise (default 5)")
    args = parser.parse_args(argv)
    out = Path(args.out)
    if not (out / "reports").is_dir():
        print(f"error: {out} has no reports/ folder (grade with --out {out} first)", file=sys.stderr)
        return 2
    if not load_reports(out):
        print(f"error: no readable report in {out / 'reports'}", file=sys.stderr)
        return 2
    html_path, md_path = write_summary(out, args.top)
    print(f"class summary: {html_path} and {md_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
