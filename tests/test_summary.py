"""The class summary after bulk grading: score distribution, pass rates, diagnoses counted per student."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from autograder.runner import ExerciseResult, Report
from autograder.summary import load_reports, main, summarize, write_summary
from ganlab.grading.testing import TestResult as Outcome

REPO = Path(__file__).resolve().parents[1]
SWAPPED = "It looks like the roles are swapped."
OLD_X = "That is the simultaneous update."


def _report(student: str, sim_ok: bool, alt: str | None) -> dict:
    """A report as the grader writes it (Report.to_json plus what batch adds)."""
    tests = [Outcome("simultaneous_gda_step", "sim_public", 1, 1 if sim_ok else 0, sim_ok, False,
                        "" if sim_ok else "is [1.2, 1.9], expected [0.8, 2.1]. " + SWAPPED,
                        hint="" if sim_ok else SWAPPED),
             Outcome("simultaneous_gda_step", "sim_hidden", 1, 1 if sim_ok else 0, sim_ok, True,
                        hint="" if sim_ok else SWAPPED)]
    alt_ok = alt is None
    tests.append(Outcome("alternating_gda_step", "alt_public", 2, 2 if alt_ok else 0, alt_ok, False,
                            hint=alt or ""))
    exercises = [ExerciseResult("simultaneous_gda_step", "Simultaneous GDA", 2.0 if sim_ok else 0.0, 2),
                 ExerciseResult("alternating_gda_step", "Alternating GDA", 2.0 if alt_ok else 0.0, 2)]
    score = sum(e.earned for e in exercises)
    d = Report(f"/submitted/{student}/lab1_minimax/lab1_minimax.ipynb", "lab1", score, 4.0, exercises,
               tests).to_json()
    d.update(student=student, grader_version="test", lab_title="The minimax game <V(x, y) = xy>")
    return d


def _out(tmp_path: Path, reports: list[dict]) -> Path:
    (tmp_path / "reports").mkdir()
    for d in reports:
        (tmp_path / "reports" / f"{d['student']}__lab1.json").write_text(json.dumps(d))
    (tmp_path / "reports" / "broken__lab1.json").write_text("{not json")
    return tmp_path


CLASS = [_report("alice", True, None), _report("bob", False, OLD_X), _report("carol", False, None),
         _report("dave", True, OLD_X), _report("erin", True, "")]


def test_pass_rates_and_diagnoses_are_counted_per_student(tmp_path):
    labs = summarize(load_reports(_out(tmp_path, CLASS)))
    lab = labs["lab1"]
    assert sorted(lab.scores) == [0.0, 2.0, 2.0, 2.0, 4.0] and lab.max_score == 4.0
    sim, alt = lab.exercises["simultaneous_gda_step"], lab.exercises["alternating_gda_step"]
    assert (sim.passed, sim.attempted, alt.passed, alt.attempted) == (3, 5, 2, 5)
    assert sim.diagnoses == {SWAPPED: 2}  # bob and carol, each once although two tests failed
    assert alt.diagnoses == {OLD_X: 2, "failed alt_public (no specific diagnosis)": 1}


def test_writes_html_with_plots_and_a_markdown_twin(tmp_path):
    out = _out(tmp_path, CLASS)
    html_path, md_path = write_summary(out)
    assert (html_path, md_path) == (out / "summary.html", out / "summary.md")
    md = md_path.read_text()
    assert "| 50-59% | 3 | ### |" in md and "| 100% | 1 | # |" in md
    assert "| Simultaneous GDA (`simultaneous_gda_step`) | 2 | 3/5 | 60% | 1.20 |" in md
    assert f"| 2 | {SWAPPED} |" in md and f"| 2 | {OLD_X} |" in md
    assert "alice" not in md and "bob" not in md  # counts only, no names
    page = html_path.read_text()
    assert page.count("data:image/png;base64,") == 2
    assert "&lt;V(x, y) = xy&gt;" in page and "<V(x" not in page  # escaped
    assert "alice" not in page


def test_command_line(tmp_path, capsys):
    out = _out(tmp_path, CLASS)
    assert main([str(out)]) == 0
    assert "summary.html" in capsys.readouterr().out
    assert main([str(tmp_path / "nowhere")]) == 2
    r = subprocess.run([sys.executable, "-m", "autograder.summary", str(out)], cwd=REPO, capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 0, r.stderr


def test_failed_submissions_are_counted_apart(tmp_path):
    crashed = {"notebook": "x.ipynb", "student": "zed", "lab": "lab1", "score": 0.0, "max_score": 0.0,
               "exercises": [], "tests": [], "errors": ["grading failed: boom"], "internal_error": True}
    labs = summarize(load_reports(_out(tmp_path, CLASS + [crashed])))
    assert labs["lab1"].with_errors == 1 and len(labs["lab1"].scores) == 5
    assert "1 submission(s) had errors" in (write_summary(tmp_path)[1]).read_text()
