"""The attack and malformed-file corpus: every submission is graded as its entry says.

Single submissions go through ``autograder.runner.grade``; the whole corpus also goes through the
bulk command line (parallel, resumable, gradebook and feedback), including an interrupted batch.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from autograder.batch import file_stem
from autograder.runner import grade
from autograder.sandbox import REPO_ROOT, Limits, SandboxConfig, resolve_mode
from tests.corpus import CASES, LAB

LIMITS = Limits(test_seconds=4, statement_seconds=4, load_seconds=60, memory_bytes=5 * 1024**3)
PROTECTED = [REPO_ROOT / "autograder" / "hidden" / "lab1.py", REPO_ROOT / "ganlab" / "grading" / "testing.py",
             REPO_ROOT / "solutions" / "lab1_minimax" / "lab1_minimax.ipynb"]


def _digest(paths):
    return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    ctx = {"batch_dir": folder, "huge_mb": 200}
    for case in CASES:
        target = folder / f"{case.name}.ipynb"
        if case.make is not None:
            if not case.make(target, ctx):
                ctx.setdefault("unmade", set()).add(case.name)
        else:
            target.write_bytes(case.build(ctx))
    (folder / "unmade.json").write_text(json.dumps(sorted(ctx.get("unmade", ()))))
    return folder


@pytest.fixture(scope="module")
def graded(corpus_dir):
    before = _digest(PROTECTED)

    isolated = resolve_mode(SandboxConfig()) == "bwrap"

    def run(case):
        limits = dataclasses.replace(LIMITS, **case.limits)
        return case.name, grade(corpus_dir / f"{case.name}.ipynb", LAB, limits=limits)

    unmade = set(json.loads((corpus_dir / "unmade.json").read_text()))
    # Without the sandbox, attacks on the grader itself (killing its parent) would succeed: not run there.
    runnable = [c for c in CASES if (isolated or not c.needs_isolation) and c.name not in unmade]
    only = os.environ.get("CORPUS_ONLY")  # a developer's shortcut: CORPUS_ONLY=case1,case2 grades only those
    if only:
        runnable = [c for c in runnable if c.name in only.split(",")]
    with ThreadPoolExecutor(max_workers=2) as pool:
        reports = dict(pool.map(run, runnable))
    for name, r in sorted(reports.items(), key=lambda kv: -kv[1].seconds)[:8]:
        print(f"corpus timing: {name} {r.seconds:.1f} s")
    assert _digest(PROTECTED) == before, "a submission changed protected files on disk"
    return reports


def test_corpus_is_large_enough():
    assert len(CASES) >= 15
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_corpus_case(graded, case):
    if case.needs_isolation and resolve_mode(SandboxConfig()) != "bwrap":
        pytest.skip("needs the bubblewrap sandbox (plain mode is documented as weaker)")
    if case.name not in graded:
        pytest.skip("not graded here: the machine cannot create the file (a device node without root), "
                    "or CORPUS_ONLY left it out")
    report = graded[case.name]
    if case.check is not None:
        case.check(report)
        if case.extra.get("check_only"):
            return
    text = " ".join([*report.errors, *report.warnings, *(t.message for t in report.tests)])
    if case.error:
        assert report.errors and report.score == 0, f"{case.name} should be reported as ungradable"
        assert case.expect in " ".join(report.errors), report.errors
        assert report.max_score > 0, "the report still says what the lab is worth"
        return
    assert not report.errors, report.errors
    by_name = {e.name: e for e in report.exercises}
    for name in case.lost:
        assert by_name[name].earned < by_name[name].points, f"{name} should lose points"
    kept = {e.name: e.message for e in report.exercises if e.name not in case.lost and not e.passed}
    assert not kept, f"{case.name} must cost only {case.lost}, but also: {kept}"
    if case.expect:
        assert case.expect in text, f"expected {case.expect!r} in the report; got: {text[:2000]}"


def test_feedback_never_contains_hidden_test_source(graded):
    from autograder.batch import feedback_markdown, report_dict

    hidden_src = (REPO_ROOT / "autograder" / "hidden" / "lab1.py").read_text().splitlines()
    hidden_lines = [line.strip() for line in hidden_src if len(line.strip()) > 25 and not line.strip().startswith("#")
                    and not line.strip().startswith('"""')]
    for name, report in graded.items():
        feedback = feedback_markdown(report_dict(report, name, "test"))
        leaked = [line for line in hidden_lines if line in feedback]
        assert not leaked, f"{name}: feedback shows hidden test source: {leaked[:3]}"
        public_messages = {t.message for t in report.tests if not t.hidden}
        for t in report.tests:
            if t.hidden and not t.passed and t.message and t.message not in public_messages:
                assert t.message not in feedback, f"{name}: hidden failure detail in feedback: {t.message}"


def _cli(*args, **kw):
    return subprocess.Popen([sys.executable, "-m", "autograder", *map(str, args)], cwd=REPO_ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def test_bulk_grading_is_parallel_resumable_and_survives_interruption(corpus_dir, tmp_path):
    subs = tmp_path / "submitted"
    names = ["patched_comparisons", "os_exit_in_function", "not_json", "colab_metadata", "syntax_error",
             "memory_bomb"]
    for i, name in enumerate(names):  # nbgrader layout: submitted/<student>/<lab>/<notebook>
        target = subs / f"student{i}" / "lab1_minimax" / "lab1_minimax.ipynb"
        target.parent.mkdir(parents=True)
        target.write_bytes((corpus_dir / f"{name}.ipynb").read_bytes())
    out = tmp_path / "grades"

    # Interrupt a batch after its first report lands; nothing half-written may remain.
    proc = _cli(subs, "--jobs", "2", "--out", out, "--timeout", "5", "-q")
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and not list((out / "reports").glob("*.json")) if out.exists() else True:
        if proc.poll() is not None:
            break
        time.sleep(0.2)
    first = {p.name: p.stat().st_mtime_ns for p in (out / "reports").glob("*.json")}
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=120)
    assert first, "the batch wrote no report before the interruption"
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")], "a partial file was left behind"

    proc = _cli(subs, "--jobs", "2", "--out", out, "--timeout", "5", "-q")
    stdout, stderr = proc.communicate(timeout=600)
    assert proc.returncode == 0, stderr
    reports = {p.name: p for p in (out / "reports").glob("*.json")}
    assert len(reports) == len(names)
    for name, mtime in first.items():
        assert reports[name].stat().st_mtime_ns == mtime, f"{name} was graded again although unchanged"

    with open(out / "gradebook.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert sorted(r["student"] for r in rows) == [f"student{i}" for i in range(len(names))]
    assert all(r["lab"] == "lab1_minimax" for r in rows)  # nbgrader's name of the lab
    assert all(not Path(r["notebook"]).is_absolute() for r in rows)  # relative to the graded folder
    totals = {r["student"]: float(r["total"]) for r in rows}
    assert totals["student3"] == float(rows[0]["max_score"])  # the Colab-edited notebook is fully correct
    assert totals["student2"] == 0  # not JSON
    feedback = sorted((out / "feedback").glob("*.md"))
    assert len(feedback) == len(names)
    assert "Could not grade the notebook" in (out / "feedback" / f"{file_stem('student2')}__lab1.md").read_text()

    # Grading again changes nothing: every report is reused (its file is not rewritten).
    proc = _cli(subs, "--jobs", "2", "--out", out, "-q")
    proc.communicate(timeout=300)
    for name, path in reports.items():
        assert path.stat().st_mtime_ns == reports[name].stat().st_mtime_ns
    report = json.loads(reports[f"{file_stem('student0')}__lab1.json"].read_text())
    assert isinstance(report["score"], (int, float)) and isinstance(report["max_score"], (int, float))


def test_batch_always_finishes_names_never_collide_and_internal_errors_are_regraded(corpus_dir, tmp_path):
    """Issue 12, finding 1 and 6: links, FIFOs and forged replies cannot stop a batch; every submission gets a
    report and a gradebook row with the lab's columns; Müller and Möller keep separate grades; a report of an
    internal error is graded again on resume."""
    subs = tmp_path / "submitted"
    layout = {"Müller": "colab_metadata", "Möller": "not_json", "link": "symlink_to_dev_zero",
              "fifo": "fifo_submission", "bigint": "big_int_reply", "=HYPERLINK(\"x\")": "empty_file",
              "evil\nALICE  lab1  19 of 19": "empty_file"}
    for student, case in layout.items():
        target = subs / student / "lab1_minimax" / "lab1_minimax.ipynb"
        target.parent.mkdir(parents=True)
        source = corpus_dir / f"{case}.ipynb"
        if source.is_symlink():
            os.symlink(os.readlink(source), target)
        elif source.is_fifo():
            os.mkfifo(target)
        else:
            target.write_bytes(source.read_bytes())
    out = tmp_path / "grades"
    proc = _cli(subs, "--jobs", "2", "--out", out, "--timeout", "5", "-q")
    stdout, stderr = proc.communicate(timeout=600)  # before the fix: never returned (the FIFO blocks)
    assert proc.returncode == 0, stderr
    reports = sorted((out / "reports").glob("*.json"))
    assert len(reports) == len(layout), [p.name for p in reports]
    # Finding 9: a name cannot forge a console line, nor be a spreadsheet formula.
    assert not [line for line in stdout.splitlines() if line.startswith("ALICE")], stdout
    with open(out / "gradebook.csv", newline="", encoding="utf-8") as f:
        rows = {r["student"]: r for r in csv.DictReader(f)}
    assert "'=HYPERLINK(\"x\")" in rows and "evil ALICE  lab1  19 of 19" in rows, sorted(rows)
    assert not [r for r in rows.values() for v in r.values() if v and v[0] in "=+-@"]
    rows = {k.replace("'=", "=").replace("evil A", "evil\nA"): v for k, v in rows.items()}
    assert sorted(rows) == sorted(layout)
    assert float(rows["Müller"]["total"]) == float(rows["Müller"]["max_score"]) > 0
    assert float(rows["Möller"]["total"]) == 0
    assert "symbolic link" in rows["link"]["errors"] and "FIFO" in rows["fifo"]["errors"]
    from autograder.batch import lab_exercise_names

    columns = lab_exercise_names("lab1")  # one lab in this gradebook: plain exercise names, notebook order
    assert columns[:3] == ["simultaneous_gda_step", "alternating_gda_step", "alternating_invariant"]
    for student in ("link", "fifo", "Möller"):
        assert all(rows[student][c] == "0.0" for c in columns), rows[student]  # a row with every column

    # A report that says the grader failed is never reused: plant one and grade again.
    planted = out / "reports" / f"{file_stem('Müller')}__lab1.json"
    d = json.loads(planted.read_text())
    d["internal_error"] = True
    planted.write_text(json.dumps(d))
    before = {p.name: p.stat().st_mtime_ns for p in reports}
    proc = _cli(subs, "--jobs", "2", "--out", out, "--timeout", "5", "-q")
    proc.communicate(timeout=600)
    assert proc.returncode == 0
    again = json.loads(planted.read_text())
    assert not again.get("internal_error") and again["score"] == again["max_score"]
    bigint = out / "reports" / f"{file_stem('bigint')}__lab1.json"
    assert bigint.stat().st_mtime_ns == before[bigint.name], "a finished report was graded again"


ORPHAN = '''
import os


def extragradient_step(x, y, eta):
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:  # a detached daemon: its own session, its parent gone
            os.execv("/bin/sh", ["sh", "-c", "while :; do sleep 1; done", "ganlab-corpus-orphan"])
        os._exit(0)
    while True:
        pass
'''


@pytest.mark.parametrize("mode", ["bwrap", "plain"])
def test_a_killed_grader_leaves_no_process_and_the_next_start_sweeps_its_folders(tmp_path, mode):
    """Issue 12, finding 9: after ``kill -9`` of the grader, no process of the submission survives (bwrap: at
    once, through the parent-death signal and the PID namespace; plain: at the latest when the next grader
    starts and sweeps the dead grader's cgroups), and its stage folders are removed by that next start."""
    from autograder.sandbox import STAGE_PREFIX, cgroup_version, resolve_mode
    from tests.corpus import _marker_processes, _with

    if mode == "bwrap" and resolve_mode(SandboxConfig()) != "bwrap":
        pytest.skip("bubblewrap is not available here")
    if mode == "plain" and not cgroup_version():
        pytest.skip("plain mode without cgroups: a detached daemon can outlive the grader (documented)")
    nb = tmp_path / "lab1_minimax.ipynb"
    nb.write_bytes(_with("extragradient_step", ORPHAN)({}))
    env = {**os.environ, "GANLAB_SANDBOX": mode}
    proc = _cli(nb, "--timeout", "120", "-q", env=env)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and not _marker_processes("ganlab-corpus-orphan"):
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.5)
    assert _marker_processes("ganlab-corpus-orphan"), "the daemon never started"
    proc.kill()
    proc.wait()
    stale = [p for p in Path(tempfile.gettempdir()).glob(f"{STAGE_PREFIX}{proc.pid}-*")]
    if mode == "bwrap":
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and _marker_processes("ganlab-corpus-orphan"):
            time.sleep(0.5)
        assert not _marker_processes("ganlab-corpus-orphan"), "a process of the submission outlived the grader"
    assert stale, "expected the killed grader's stage folder to be left behind"
    subprocess.run([sys.executable, "-c", "from autograder.sandbox import sweep_stale; sweep_stale()"],
                   cwd=REPO_ROOT, check=True, timeout=120)  # what every grader does before its first worker
    assert not [p for p in stale if p.exists()], "the next start did not sweep the stage folders"
    assert not _marker_processes("ganlab-corpus-orphan"), "the next start did not end the dead grader's processes"
    assert not list(Path("/sys/fs/cgroup").glob(f"*/**/{STAGE_PREFIX}{proc.pid}-*"))


WARM_ATTACKS = ["warm_pollute_next_submission", "warm_file_outside_folder", "warm_stop_template", "kill_parent",
                "warm_ptrace_template"]


@pytest.mark.parametrize("mode", ["bwrap", "plain"])
def test_the_next_submission_of_a_warm_template_sees_nothing_of_the_last(corpus_dir, tmp_path, mode):
    """Issue 12, warm workers: each attack on the warm path is graded, then a probe that scores only if nothing
    of the attack is visible to it (module state, files, IPC, processes) is graded next, by the same template
    when the attack left it clean, else by a fresh one."""
    from autograder import sandbox
    from tests.corpus import WARM_PROBE, _with

    if not sandbox.warm_enabled():
        pytest.skip("warm workers are off (GANLAB_WARM=0)")
    if mode == "bwrap" and resolve_mode(SandboxConfig()) != "bwrap":
        pytest.skip("bubblewrap is not available here")
    if mode == "plain" and os.environ.get("GANLAB_SANDBOX", mode) != mode:
        pytest.skip("GANLAB_SANDBOX forces another mode")
    config = SandboxConfig(mode)
    probe = tmp_path / "probe.ipynb"
    probe.write_bytes(_with("simultaneous_gda_step", WARM_PROBE)({}))
    first = grade(probe, LAB, limits=LIMITS, sandbox=config)
    assert first.score == first.max_score, [t.message for t in first.tests if not t.passed]
    reused = {}
    for name in WARM_ATTACKS:
        if mode == "plain" and name in ("warm_ptrace_template", "kill_parent"):
            continue  # plain mode as root: the child may ptrace or kill anything (documented)
        # Templates retired, counted from before the attack: a template the attack left dirty may be replaced
        # while the attack is still being graded (its next test forks from the replacement), and the replacement
        # may be an idle template started long before (counting starts would miss it).
        retired = sandbox.POOL.retired
        attack = grade(corpus_dir / f"{name}.ipynb", LAB, limits=LIMITS, sandbox=config)
        assert attack.sandbox == mode
        report = grade(probe, LAB, limits=LIMITS, sandbox=config)
        assert report.score == report.max_score, (name, [t.message for t in report.tests if not t.passed])
        reused[name] = sandbox.POOL.retired == retired
    # Changed module state, a daemon and a System V segment are all gone with the child: the template stays warm.
    assert reused["warm_pollute_next_submission"], reused
    # A file outside the child's folder or a stopped template: never forked from again.
    assert not reused["warm_file_outside_folder"] and not reused["warm_stop_template"], reused
