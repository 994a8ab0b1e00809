"""Adversarial and malformed Lab 1 submissions, each with the outcome the grader must produce.

Every entry builds one file from the reference notebook (or from scratch) and states what must
happen: which exercises lose their points (all others keep theirs), and which sentence must
appear in the report. ``tests/test_corpus.py`` grades them all, singly and as one batch.
"""

from __future__ import annotations

import base64
import copy
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from autograder import catalog
from autograder.sandbox import REPO_ROOT

LAB = "lab1"


@dataclass
class Case:
    name: str
    what: str
    build: Callable[[dict], bytes]  # context -> file content
    lost: tuple[str, ...] = ()  # exercises that must lose points; every other keeps full points
    expect: str = ""  # must appear in a failing test's message, a warning or an error
    error: bool = False  # the file cannot be graded at all (score 0, report error)
    needs_isolation: bool = False  # meaningful only when the worker is sandboxed (bwrap)
    extra: dict = field(default_factory=dict)
    # Creates a special file at the given path instead of writing ``build``'s bytes; returns False when this
    # machine cannot make it (e.g. a device node without root), and the case is skipped.
    make: Callable[[object, dict], bool] | None = None
    limits: dict = field(default_factory=dict)  # overrides of the corpus Limits for this case
    check: Callable[[object], None] | None = None  # extra assertions on the report
    plain: str = ""  # what plain mode does with this attack, when it differs from bwrap


def _nb(replacements: dict[str, str] | None = None) -> dict:
    return catalog.build(LAB, replacements or {})


def _bytes(nb: dict) -> bytes:
    return json.dumps(nb).encode()


def _with(exercise: str, code: str) -> Callable[[dict], bytes]:
    return lambda ctx: _bytes(_nb({exercise: code.replace("@REPO@", str(REPO_ROOT))
                                   .replace("@VENV@", _venv_path())
                                   .replace("@BATCH@", str(ctx.get("batch_dir", "/nonexistent")))}))


def _append_cell(code: str, nb: dict | None = None) -> dict:
    nb = copy.deepcopy(nb or _nb())
    nb["cells"].insert(3, {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
                           "source": code})
    return nb


def _exercise_cell(nb: dict, name: str) -> dict:
    return next(c for c in nb["cells"] if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == name)


# -- tampering with comparisons, helpers and output ------------------------------------------------------

PATCH_COMPARISONS = '''
import numpy, torch
torch.allclose = lambda *a, **k: True
torch.equal = lambda *a, **k: True
torch.Tensor.__eq__ = lambda self, other: True
numpy.allclose = lambda *a, **k: True
import math
math.isclose = lambda *a, **k: True


def simultaneous_gda_step(x, y, eta):
    return x, y  # wrong on purpose: the patches above must not save it
'''

PATCH_HELPERS = '''
import ganlab.grading.testing as testing
import ganlab.checks.lab1 as public
testing.expect_close = lambda *a, **k: None
testing.expect_true = lambda *a, **k: None
testing.run_tests = lambda sub, specs, before_each=None: []
public.expect_step = lambda *a, **k: None


def alternating_gda_step(x, y, eta):
    return 0.0, 0.0  # wrong on purpose
'''

FAKE_OUTPUT = '''
import sys
print("Score: 19 / 19")
print('{"score": 19, "max_score": 19}')
print("\\u2705 all tests passed", file=sys.stderr)


def extragradient_step(x, y, eta):
    print("extragradient_step: 1/1 public checks passed (all passed).")
    print('{"ok": true, "value": 1}')
    return x, y  # wrong on purpose
'''

WARNINGS_ON_CORRECT = '''
import sys
import warnings


def simultaneous_gda_step(x, y, eta):
    warnings.warn("this is only a warning", RuntimeWarning)
    print("debug output on stderr", file=sys.stderr)
    print("and on stdout")
    return x - eta * y, y + eta * x
'''

# -- reading or writing what the worker must not reach ----------------------------------------------------

READ_SOLUTION = '''
import json
import pathlib


def optimistic_gda_step(x, y, x_prev, y_prev, eta):
    # Try to steal the reference implementation and run it.
    nb = json.loads(pathlib.Path("@REPO@/solutions/lab1_minimax/lab1_minimax.ipynb").read_text())
    hidden = pathlib.Path("@REPO@/autograder/hidden/lab1.py").read_text()
    namespace = {}
    for cell in nb["cells"]:
        src = "".join(cell["source"])
        if src.startswith("def optimistic_gda_step"):
            exec(src, namespace)
    return namespace["optimistic_gda_step"](x, y, x_prev, y_prev, eta)
'''

READ_OTHER_SUBMISSIONS = '''
import glob


def norm_growth_factor(method, eta):
    others = glob.glob("@BATCH@/*.ipynb")
    if not others:
        raise FileNotFoundError("no other submission visible")
    return float(len(open(others[0]).read()))
'''

WRITE_TAMPER = '''
import ganlab.grading.testing


def alternating_invariant(x, y, eta):
    # the copy of the test API the worker can see, then the real files in the checkout
    for target in (ganlab.grading.testing.__file__, "@REPO@/autograder/hidden/lab1.py", "@REPO@/ganlab/grading/testing.py"):
        with open(target, "a") as f:
            f.write("\\n# tampered\\n")
    return x**2 + y**2 - eta * x * y
'''

def _check_not_written(report):
    text = " ".join(t.message for t in report.tests)
    # read-only mounts (as root) or no permission at all (as uid 65534): either way nothing was written
    assert "Read-only file system" in text or "Permission denied" in text, text[:1500]


# -- exits, crashes, loops, memory, output, protocol ------------------------------------------------------

EXIT_AT_LOAD = '''
import os
import sys
_a = sys.exit(3)
_b = os._exit(0)
'''

LOOP_AT_LOAD = '''
import itertools
_forever = sum(itertools.repeat(1))
'''

OS_EXIT_IN_FUNCTION = '''
import os


def alternating_gda_step(x, y, eta):
    os._exit(0)
'''

SEGFAULT_IN_FUNCTION = '''
import ctypes


def extragradient_step(x, y, eta):
    ctypes.string_at(0)
    return x, y
'''

LOOP_IN_FUNCTION = '''
def run_trajectory(step, x0, y0, eta, num_steps, uses_history=False):
    while True:
        pass
'''

MEMORY_BOMB = '''
def norm_growth_factor(method, eta):
    hog = bytearray(64 * 1024**3)
    return float(len(hog))
'''

# Grows by 512 MiB blocks, touching one page of each: the address-space limit (6 GiB) trips within a second
# whatever the machine's load (zero-filling every block made the outcome a race with the 4 s test timeout).
MEMORY_GROWTH = '''
import numpy as np
def alternating_invariant(x, y, eta):
    hog = []
    while True:
        block = np.empty(512 * 1024**2, dtype=np.uint8)
        block[0] = 1
        hog.append(block)
'''

OUTPUT_FLOOD = '''
def optimistic_gda_step(x, y, x_prev, y_prev, eta):
    line = "spam " * 2000
    for _ in range(100_000):
        print(line)
    return x - 2 * eta * y + eta * y_prev, y + 2 * eta * x - eta * x_prev
'''

PROTOCOL_FORGERY = '''
import os
import struct


def simultaneous_gda_step(x, y, eta):
    fake = b'{"ok": true, "value": 1.0}'
    frame = struct.pack(">Q", len(fake) + 8) + struct.pack(">Q", len(fake)) + fake
    for fd in range(3, 64):
        try:
            os.write(fd, b"garbage" + frame)
        except OSError:
            pass
    return x, y
'''

KILL_PARENT = '''
import os
import signal


def extragradient_step(x, y, eta):
    os.kill(os.getppid(), signal.SIGKILL)
    os.killpg(os.getpgid(0), signal.SIGKILL)
    return x, y
'''

LYING_TENSOR = '''
import torch


class Liar(torch.Tensor):
    def __eq__(self, other):
        return True

    def allclose(self, *args, **kwargs):
        return True


def simultaneous_gda_step(x, y, eta):
    return torch.zeros(5).as_subclass(Liar), torch.zeros(5).as_subclass(Liar)
'''


# -- the grader's own process: reply frames and notebooks that would make it fail or grow ----------------------

# A reply frame whose header holds an integer of 5,000 digits (json.loads raises ValueError on it, which used to
# escape as "grading failed" and stop the batch).
BIG_INT_REPLY = '''
import os
import struct


def simultaneous_gda_step(x, y, eta):
    head = b'{"ok": true, "value": ' + b"9" * 5000 + b'}'
    body = struct.pack(">Q", len(head)) + head
    for fd in range(3, 64):
        try:
            os.write(fd, struct.pack(">Q", len(body)) + body)
        except OSError:
            pass
    return x - eta * y, y + eta * x
'''

# A 2 KB reply holding a stride-0 tensor that claims 6e7 elements: materialising it cost the grader 2 GiB. Tensors
# travel as raw bytes under a manifest now, so the forgery is a manifest claiming 6e7 elements over 4 bytes.
STRIDE0_REPLY = '''
import json
import os
import struct


def alternating_gda_step(x, y, eta):
    head = b'{"ok": true, "value": {"__tensor__": "0", "requires_grad": false, "device": "cpu"}}'
    manifest = json.dumps([["0", "float32", [60_000_000]]]).encode()
    body = (struct.pack(">Q", len(head)) + head + struct.pack(">Q", len(manifest)) + manifest
            + b"\\x00" * 4)
    for fd in range(3, 64):
        try:
            os.write(fd, struct.pack(">Q", len(body)) + body)
        except OSError:
            pass
    x_new = x - eta * y
    return x_new, y + eta * x_new
'''


def _huge_code_cell(ctx):
    # 4 MiB of code in one cell: parsing it in the grader's process took it to 2.5 GiB.
    return _bytes(_append_cell("_data = [" + "1, " * (4 * 1024 * 1024 // 3) + "]\n"))


# Each top-level statement sleeps just under the statement time-out and one exercise crashes the worker, so every
# test reloads the notebook: the per-submission budget must cover starting, loading and restarts.
SLOW_LOAD = '''
import time
_a = time.sleep(3.2)
_b = time.sleep(3.2)
_c = time.sleep(3.2)
'''

CRASH_EVERY_CALL = '''
import os


def simultaneous_gda_step(x, y, eta):
    os._exit(1)
'''


def _slow_load_and_crash(ctx):
    nb = _nb({"simultaneous_gda_step": CRASH_EVERY_CALL})
    return _bytes(_append_cell(SLOW_LOAD, nb))


def _check_budget(report):
    budget = 30
    text = " ".join(t.message for t in report.tests)
    assert "grading budget" in text, text[:2000]
    # A hang guard, not a speed test: the message above is the verdict. Before the fix this submission took 150 s
    # or more; the margin (a worker kill and the parse) is wide enough for a machine shared with other work.
    assert report.seconds < 2 * budget + 40, f"one submission took {report.seconds:.0f} s against a {budget} s budget"


# -- feedback: nothing the submission chooses reaches a hidden test's feedback; everything else is inert text ---

# The exception's class name carries the inputs the function saw; its message carries Markdown and raw HTML.
LEAK_INPUTS = '''
def extragradient_step(x, y, eta):
    name = "Leak_" + "_".join(str(v).replace(".", "p").replace("-", "m") for v in (x, y, eta))
    raise type(name, (Exception,), {})("<script>alert(1)</script> ![x](http://evil.example/x.png) **bold**")
'''


def _check_feedback_is_allow_listed(report):
    from autograder.batch import feedback_html, feedback_markdown, report_dict

    d = report_dict(report, "student\n=evil", "test")
    md, page = feedback_markdown(d), feedback_html(d)
    hidden_lines = [line for line in md.splitlines() if line.startswith("- hidden test")]
    assert hidden_lines and not [line for line in hidden_lines if "Leak" in line], hidden_lines
    assert "<script>" not in md and "](http" not in md and "**bold**" not in md, md
    assert "<script>" not in page, page  # in HTML's <pre>, Markdown syntax is inert text
    assert "Leak" in md, "public checks still say what the code raised"


def _venv_path() -> str:
    """The grader's virtual environment (its mount entry may name it), or a string no mount table holds."""
    import sys

    prefix = str(Path(sys.prefix).resolve())
    return prefix if prefix != str(Path(sys.base_prefix).resolve()) else "<no venv>"


# Everything outside the worker's own needs: sibling folders of the batch (a classmate's notebook when one
# student's folder is graded alone), the checkout, earlier gradebooks, /etc/shadow, /home, /root and the mount
# table's names for any of them.
READ_OUTSIDE = '''
import glob
import os


def run_trajectory(step, x0, y0, eta, num_steps, uses_history=False):
    seen = []
    batch = "@BATCH@"
    for pattern in (batch, os.path.dirname(batch) + "/*", "@REPO@", "/etc/shadow", "/home/*", "/root/*",
                    "/tmp/*", "/var/*", "/mnt/*", "/srv/*", "/work/*", "/work/*/*"):
        seen += glob.glob(pattern)
    here = os.getcwd()  # its own folder: /work for a cold worker, /work/s<N> for a warm one
    seen = [p for p in seen if p != here and not p.startswith(here + "/")]
    # The interpreter's own mount entries name its own folders (a .venv inside the checkout names that path);
    # nothing else may be named.
    mounts = open("/proc/self/mountinfo").read().replace("@VENV@", "<venv>")
    for name in (os.path.basename(batch), "pytest", "@REPO@", "ganlab-worker-", "/tmp"):
        if name in mounts:
            seen.append("mountinfo names " + name)
    raise RuntimeError(f"saw {len(seen)} outside paths: {sorted(seen)[:5]}")
'''


# -- limits per sandbox, not per process ---------------------------------------------------------------------

FORK_BOMB = '''
import os
import time


def norm_growth_factor(method, eta):
    children = 0
    try:
        for _ in range(2000):
            if os.fork() == 0:
                time.sleep(120)
                os._exit(0)
            children += 1
    except OSError:
        pass
    raise RuntimeError(f"forked {children} children")
'''


def _check_fork_bomb(report):
    import re

    text = " ".join(t.message for t in report.tests)
    counts = [int(n) for n in re.findall(r"forked (\d+) children", text)]
    assert counts and max(counts) < 128, f"the process-count limit did not hold: {counts}"


# Three children of 1 GiB each: every process is far under its own address-space limit, together they are over
# the sandbox's 2 GiB.
MEMORY_SPLIT = '''
import os


def alternating_invariant(x, y, eta):
    pids = []
    for _ in range(3):
        pid = os.fork()
        if pid == 0:
            block = b"x" * 1024**3  # filled at once: every page is touched
            os._exit(len(block) == 0)
        pids.append(pid)
    killed = 0
    for pid in pids:
        _, status = os.waitpid(pid, 0)
        killed += os.WIFSIGNALED(status)
    raise RuntimeError(f"{killed} of 3 children were killed")
'''


def _check_memory_split(report):
    text = " ".join(t.message for t in report.tests)
    assert "0 of 3 children were killed" not in text, "the children together went past the sandbox's memory"
    assert "children were killed" in text or "memory" in text or "SIGKILL" in text, text[:1500]


DEV_WRITE = '''
def optimistic_gda_step(x, y, x_prev, y_prev, eta):
    for path in ("/dev/shm/hog", "/dev/hog", "/hog", "/etc/hog"):
        try:
            with open(path, "wb") as f:
                f.write(b"x" * 1024**2)
        except OSError as exc:
            last = exc
            continue
        raise RuntimeError(f"wrote {path}")
    raise last
'''

# Burners in their own sessions (each escaping the worker's process group), running shell loops whose command line
# carries a marker: together they may use one CPU, and none may outlive the grading.
CPU_BURNERS = '''
import os
import time


def extragradient_step(x, y, eta):
    pids = []
    for _ in range(3):
        pid = os.fork()
        if pid == 0:
            os.setsid()
            os.execv("/bin/sh", ["sh", "-c", "while :; do :; done", "ganlab-corpus-burner"])
        pids.append(pid)
    start = time.monotonic()
    time.sleep(3)
    wall = time.monotonic() - start
    ticks = 0
    for pid in pids:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])
    raise RuntimeError(f"burners used {ticks / os.sysconf('SC_CLK_TCK') / wall:.2f} CPUs")
'''


def _marker_processes(marker: str) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as f:
                    if marker.encode() in f.read():
                        found.append(int(entry))
            except OSError:
                pass
    return found


def _check_cpu_burners(report):
    import re

    text = " ".join(t.message for t in report.tests)
    shares = [float(v) for v in re.findall(r"burners used ([\d.]+) CPUs", text)]
    assert shares and max(shares) < 1.3, f"burners in their own sessions used more than one CPU: {shares}"
    assert not _marker_processes("ganlab-corpus-burner"), "a burner outlived its grading"


# -- the trusted stand-ins: patched in the worker, they must change nothing a test observes ---------------------

PATCH_STANDINS = '''
import ganlab.grading.standins as standins
import ganlab.grading.worker as worker
standins.shift_step = lambda x, y, eta: (x, y)
standins.history_probe_step.__code__ = (lambda x, y, x_prev, y_prev, eta: (0.0, 0.0)).__code__
worker.import_trusted = lambda qualname: (lambda *a, **k: (0.0, 0.0))
'''


# -- files that are not files ----------------------------------------------------------------------------------

def _symlink_dev_zero(target, ctx):
    os.symlink("/dev/zero", target)
    return True


def _fifo(target, ctx):
    os.mkfifo(target)
    return True


def _device(target, ctx):
    import stat

    try:
        os.mknod(target, 0o600 | stat.S_IFCHR, os.makedev(1, 5))  # /dev/zero's numbers
    except PermissionError:
        return False
    return True


def _check_named_as_itself(name):
    def check(report):
        assert report.notebook.endswith(f"{name}.ipynb"), f"graded under another name: {report.notebook}"
    return check


# -- malformed files ---------------------------------------------------------------------------------------

def _non_utf8(ctx):
    raw = _bytes(_append_cell("# caf\u00e9 notes", _nb()))
    return raw.replace("caf\\u00e9".encode(), b"caf\xe9")


def _nbformat3(ctx):
    nb = _nb()
    cells = []
    for c in nb["cells"]:
        src = "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
        if c["cell_type"] == "code":
            cells.append({"cell_type": "code", "input": src, "language": "python", "outputs": [],
                          "collapsed": False, "metadata": {}})
        else:
            cells.append({"cell_type": "markdown", "source": src, "metadata": {}})
    return _bytes({"nbformat": 3, "nbformat_minor": 0, "metadata": {"name": "lab1"},
                   "worksheets": [{"cells": cells, "metadata": {}}]})


def _colab(ctx):
    nb = _nb()
    nb["metadata"] = {"colab": {"provenance": [], "name": "Copy of lab1_minimax.ipynb"},
                      "kernelspec": {"name": "python3", "display_name": "Python 3"}, "accelerator": "GPU"}
    for i, c in enumerate(nb["cells"]):
        c["metadata"] = {"id": f"x{i}", "colab": {"base_uri": "https://localhost:8080/"}, "outputId": "abc"}
        c.pop("id", None)
    return _bytes(nb)


def _shuffled_duplicated(ctx):
    nb = _nb()
    cell = _exercise_cell(nb, "simultaneous_gda_step")
    wrong = copy.deepcopy(cell)
    wrong["source"] = "def simultaneous_gda_step(x, y, eta):\n    return x, y\n"
    nb["cells"] = list(reversed(nb["cells"]))
    # the wrong copy now comes first, the right one later: the last definition wins
    nb["cells"].insert(0, wrong)
    return _bytes(nb)


def _duplicate_last_wrong(ctx):
    nb = _nb()
    wrong = {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
             "source": "def alternating_gda_step(x, y, eta):\n    return x - eta * y, y + eta * x\n"}
    nb["cells"].append(wrong)
    return _bytes(nb)


def _syntax_error(ctx):
    nb = _nb()
    _exercise_cell(nb, "extragradient_step")["source"] = "def extragradient_step(x, y, eta)\n    return x, y\n"
    return _bytes(nb)


def _deleted(ctx):
    nb = _nb()
    cell = _exercise_cell(nb, "optimistic_gda_step")
    nb["cells"].remove(cell)
    return _bytes(nb)


def _renamed(ctx):
    nb = _nb()
    cell = _exercise_cell(nb, "simultaneous_gda_step")
    src = "".join(cell["source"])
    cell["source"] = src.replace("def simultaneous_gda_step", "def simultaneous_step")
    return _bytes(nb)


def _huge_outputs(ctx):
    nb = _nb()
    blob = base64.b64encode(os.urandom(1024 * 1024)).decode()  # 1.4 MB of base64 text
    out = {"output_type": "display_data", "metadata": {}, "data": {"image/png": blob}}
    target_mb = ctx.get("huge_mb", 200)
    per_cell = max(1, target_mb // (len(nb["cells"]) * 1))
    for c in nb["cells"]:
        if c["cell_type"] == "code":
            c["outputs"] = [out] * int(per_cell // 1.4 + 1)
    return _bytes(nb)


# -- the warm path: a child forked from a template attacks the template or the next submission ------------------

WARM_MARKER = "ganlab-corpus-warm-daemon"
WARM_SHM_KEY = 0x6A4C

# Everything a submission might leave for the next one forked from the same template: changed module state, a
# daemon in its own session, files in its folder and next to it, a System V shared memory segment.
WARM_POLLUTE = f"""
import builtins
import ctypes
import os
import sys

import torch

import ganlab.grading.standins as standins

torch.set_default_dtype(torch.float64)
torch.manual_seed(1234)
torch.allclose = lambda *a, **k: True
standins.POLLUTED = True
sys.modules["ganlab.grading.netcheck"] = standins
builtins.POLLUTED = True
os.environ["GANLAB_POLLUTED"] = "1"
with open("left_behind.py", "w") as f:  # in its own folder
    f.write("POLLUTED = True\\n")
ctypes.CDLL(None).shmget({WARM_SHM_KEY}, 4096, 0o1666)  # IPC_CREAT | 0666
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execv("/bin/sh", ["sh", "-c", "while :; do sleep 1; done", "{WARM_MARKER}"])
    os._exit(0)


def simultaneous_gda_step(x, y, eta):
    torch.set_default_dtype(torch.float64)
    return x - eta * y, y + eta * x
"""

# A file next to its own folder, in the template's working folder: the template must not fork from it again.
WARM_FILE_OUTSIDE_FOLDER = """
import os


def simultaneous_gda_step(x, y, eta):
    for where in ("..", "../.."):
        try:
            with open(os.path.join(where, "left_behind.py"), "w") as f:
                f.write("POLLUTED = True")
        except OSError:
            pass
    return x - eta * y, y + eta * x
"""

WARM_SIGNAL_TEMPLATE = """
import os
import signal


def alternating_gda_step(x, y, eta):
    os.kill(os.getppid(), signal.SIGSTOP)  # the template: it must never fork again
    x = x - eta * y
    return x, y + eta * x
"""

WARM_PTRACE_TEMPLATE = """
import ctypes
import os


def optimistic_gda_step(x, y, x_prev, y_prev, eta):
    parent = os.getppid()
    got = []
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.ptrace(16, parent, None, None) == 0:  # PTRACE_ATTACH
        got.append("ptrace")
    for name in ("mem", "environ", "maps"):
        try:
            with open(f"/proc/{parent}/{name}", "rb") as f:
                f.read(1)
            got.append(name)
        except OSError:
            pass
    if got:  # only an attack that worked earns the points
        return x - 2 * eta * y + eta * y_prev, y + 2 * eta * x - eta * x_prev
    return 0.0, 0.0
"""

# Graded right after an attack by the same template: correct only if nothing of the attack is visible.
WARM_PROBE = f"""
import builtins
import ctypes
import os
import sys

import torch


def _left_over():
    found = []
    if torch.get_default_dtype() is not torch.float32:
        found.append("default dtype")
    if getattr(torch.allclose, "__name__", "") == "<lambda>":
        found.append("torch.allclose")
    if "POLLUTED" in vars(sys.modules.get("ganlab.grading.standins", sys)) or hasattr(builtins, "POLLUTED"):
        found.append("module state")
    if not hasattr(sys.modules.get("ganlab.grading.netcheck"), "__file__") or \\
            "netcheck" not in sys.modules["ganlab.grading.netcheck"].__name__:
        found.append("sys.modules")
    if os.environ.get("GANLAB_POLLUTED"):
        found.append("environment")
    sandboxed = os.getcwd().startswith("/work/")  # plain mode: the System V segment and a file two folders up
    for where in (".", "..", "../..") if sandboxed else (".", ".."):  # survive (documented)
        if os.path.exists(os.path.join(where, "left_behind.py")):
            found.append("file in " + where)
    if sandboxed and ctypes.CDLL(None).shmget({WARM_SHM_KEY}, 0, 0) != -1:
        found.append("shared memory")
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{{entry}}/cmdline", "rb") as f:
                if b"{WARM_MARKER}" in f.read():
                    found.append("daemon")
        except OSError:
            pass
    return found


def simultaneous_gda_step(x, y, eta):
    if _left_over():
        raise RuntimeError("left over from an earlier submission: " + ", ".join(_left_over()))
    return x - eta * y, y + eta * x
"""


def _check_no_warm_daemon(report):
    assert not _marker_processes(WARM_MARKER), "the daemon outlived its grading"


CASES: list[Case] = [
    Case("patched_comparisons", "monkeypatches torch/numpy/math comparisons in its own process",
         _with("simultaneous_gda_step", PATCH_COMPARISONS), lost=("simultaneous_gda_step",), expect="expected"),
    Case("patched_test_helpers", "monkeypatches the grader's test helpers inside the worker",
         _with("alternating_gda_step", PATCH_HELPERS), lost=("alternating_gda_step",), expect="expected"),
    Case("faked_output", "prints fake scores and fake protocol messages",
         _with("extragradient_step", FAKE_OUTPUT), lost=("extragradient_step",), expect="expected"),
    Case("warnings_on_correct_code", "a correct answer that warns and writes to stderr keeps its points",
         _with("simultaneous_gda_step", WARNINGS_ON_CORRECT)),
    Case("read_solution_and_hidden_tests", "reads the reference notebook and hidden tests to run the answer",
         _with("optimistic_gda_step", READ_SOLUTION), lost=("optimistic_gda_step",), expect="FileNotFoundError",
         needs_isolation=True),
    Case("read_other_submissions", "reads another submission of the same batch",
         _with("norm_growth_factor", READ_OTHER_SUBMISSIONS), lost=("norm_growth_factor",),
         expect="FileNotFoundError", needs_isolation=True),
    Case("write_tamper", "appends to the hidden tests and the test API on disk",
         _with("alternating_invariant", WRITE_TAMPER), lost=("alternating_invariant",), check=_check_not_written,
         needs_isolation=True),
    Case("exit_at_load", "calls sys.exit and os._exit while the notebook loads",
         lambda ctx: _bytes(_append_cell(EXIT_AT_LOAD)), expect="exited"),
    Case("loop_at_load", "an endless computation at top level", lambda ctx: _bytes(_append_cell(LOOP_AT_LOAD)),
         expect="timed out"),
    Case("os_exit_in_function", "os._exit inside one exercise", _with("alternating_gda_step", OS_EXIT_IN_FUNCTION),
         lost=("alternating_gda_step",), expect="exited with code 0"),
    Case("segfault_in_function", "a segmentation fault inside one exercise",
         _with("extragradient_step", SEGFAULT_IN_FUNCTION), lost=("extragradient_step",), expect="SIGSEGV"),
    Case("infinite_loop_in_function", "an infinite loop inside one exercise",
         _with("run_trajectory", LOOP_IN_FUNCTION), lost=("run_trajectory",), expect="timed out after"),
    Case("memory_bomb", "allocates 64 GiB at once", _with("norm_growth_factor", MEMORY_BOMB),
         lost=("norm_growth_factor",), expect="out of memory"),
    Case("memory_growth", "grows its memory until something gives", _with("alternating_invariant", MEMORY_GROWTH),
         lost=("alternating_invariant",), expect="memory"),
    Case("output_flood", "prints about a gigabyte", _with("optimistic_gda_step", OUTPUT_FLOOD),
         lost=("optimistic_gda_step",), expect="File too large"),
    Case("protocol_forgery", "writes forged reply frames to every file descriptor",
         _with("simultaneous_gda_step", PROTOCOL_FORGERY), lost=("simultaneous_gda_step",), expect="simultaneous"),
    Case("kill_parent", "tries to kill its parent (the template, on the warm path) and its process group",
         _with("extragradient_step", KILL_PARENT), lost=("extragradient_step",), expect="extragradient_step",
         needs_isolation=True),
    Case("lying_tensor", "returns a tensor subclass whose comparisons always say equal",
         _with("simultaneous_gda_step", LYING_TENSOR), lost=("simultaneous_gda_step",), expect="expected"),
    Case("not_json", "a Python file renamed to .ipynb", lambda ctx: b"print('hello')\n", error=True,
         expect="not JSON"),
    Case("json_not_notebook", "JSON without cells", lambda ctx: b'{"hello": "world"}', error=True,
         expect="not a Jupyter notebook"),
    Case("empty_file", "an empty file", lambda ctx: b"", error=True, expect="empty"),
    Case("non_utf8", "a notebook with a Latin-1 byte in it", _non_utf8, expect="not valid UTF-8"),
    Case("nbformat3", "an old nbformat 3 notebook", _nbformat3, expect="old notebook format"),
    Case("colab_metadata", "Colab-edited metadata and no nbgrader metadata", _colab),
    Case("reordered_and_duplicated", "cells reversed, a wrong duplicate before the right one", _shuffled_duplicated),
    Case("duplicate_last_wrong", "a wrong redefinition after the right one (the last one wins)",
         _duplicate_last_wrong, lost=("alternating_gda_step",), expect="simultaneous update"),
    Case("syntax_error", "a syntax error in one exercise cell", _syntax_error, lost=("extragradient_step",),
         expect="SyntaxError"),
    Case("deleted_cell", "the cell of one exercise deleted", _deleted, lost=("optimistic_gda_step",),
         expect="not defined anywhere"),
    Case("renamed_function", "one exercise's function renamed", _renamed, lost=("simultaneous_gda_step",),
         expect="renamed"),
    Case("huge_outputs", "hundreds of MB of outputs", _huge_outputs, extra={"slow": True}),
    # issue 12: a batch nothing can stop, and a grader process that stays small
    Case("symlink_to_dev_zero", "a submission that is a symbolic link to /dev/zero",
         lambda ctx: b"", make=_symlink_dev_zero, error=True, expect="symbolic link",
         check=_check_named_as_itself("symlink_to_dev_zero")),
    Case("fifo_submission", "a FIFO named *.ipynb (reading it would block forever)",
         lambda ctx: b"", make=_fifo, error=True, expect="FIFO"),
    Case("device_submission", "a character device named *.ipynb", lambda ctx: b"", make=_device, error=True,
         expect="device"),
    Case("big_int_reply", "a forged reply frame holding an integer of 5,000 digits",
         _with("simultaneous_gda_step", BIG_INT_REPLY), lost=("simultaneous_gda_step",), expect="malformed reply"),
    Case("stride0_tensor_reply", "a forged 2 KB reply whose stride-0 tensor claims 6e7 elements",
         _with("alternating_gda_step", STRIDE0_REPLY), lost=("alternating_gda_step",),
         expect="storage does not match"),
    Case("huge_code_cell", "a 4 MiB code cell (parsing it cost the grader 2.5 GiB)", _huge_code_cell,
         expect="too large to grade"),
    Case("exception_name_leak", "an exception class named after the hidden inputs, a message with Markdown "
         "and HTML", _with("extragradient_step", LEAK_INPUTS), lost=("extragradient_step",), expect="Leak_",
         check=_check_feedback_is_allow_listed),
    Case("read_outside", "looks for sibling submissions, the checkout, grade records, /etc/shadow and the mount "
         "table's names", _with("run_trajectory", READ_OUTSIDE), lost=("run_trajectory",),
         expect="saw 0 outside paths", needs_isolation=True,
         plain="reads anything the grader's user may read"),
    Case("patched_standins", "replaces and re-codes the trusted stand-ins a correct run_trajectory is tested with",
         lambda ctx: _bytes(_append_cell(PATCH_STANDINS))),
    Case("fork_bomb", "forks children until something stops it", _with("norm_growth_factor", FORK_BOMB),
         lost=("norm_growth_factor",), expect="forked", check=_check_fork_bomb, needs_isolation=True,
         limits={"test_seconds": 30},  # forking a process that holds torch is slow on a busy machine
         plain="limited only where the grader can create cgroups (root on Linux); else unlimited for root"),
    Case("memory_split_across_children", "3 children of 1 GiB each, against a 2 GiB sandbox",
         _with("alternating_invariant", MEMORY_SPLIT), lost=("alternating_invariant",),
         limits={"sandbox_memory_bytes": 2 * 1024**3, "test_seconds": 30}, check=_check_memory_split, needs_isolation=True,
         plain="limited only with cgroups; else each process has only its own address-space limit"),
    Case("write_dev_and_root", "writes into /dev/shm, /dev, / and /etc of the sandbox",
         _with("optimistic_gda_step", DEV_WRITE), lost=("optimistic_gda_step",), expect="Read-only file system",
         needs_isolation=True, plain="writes wherever the grader's user may"),
    Case("cpu_burners_own_sessions", "three CPU burners, each in its own session, left running",
         _with("extragradient_step", CPU_BURNERS), lost=("extragradient_step",), expect="burners used",
         check=_check_cpu_burners, needs_isolation=True,
         plain="with cgroups, one CPU in all and killed with the worker; without, only the process group is killed"),
    Case("slow_load_budget", "statements that each sleep under the load time-out, and a crash in every call",
         _slow_load_and_crash, limits={"submission_seconds": 30}, check=_check_budget, extra={"check_only": True}),
    Case("warm_pollute_next_submission", "changes torch, sys.modules, builtins and the environment, leaves files, "
         "a System V segment and a detached daemon for the next submission of its template",
         _with("simultaneous_gda_step", WARM_POLLUTE), check=_check_no_warm_daemon,
         plain="the System V segment survives (no IPC namespace); files outside its folder may survive"),
    Case("warm_file_outside_folder", "leaves a file next to its own folder, for the next child of its template",
         _with("simultaneous_gda_step", WARM_FILE_OUTSIDE_FOLDER),
         plain="a file two folders up (the template's stage folder) survives"),
    Case("warm_stop_template", "stops the template it was forked from (SIGSTOP)",
         _with("alternating_gda_step", WARM_SIGNAL_TEMPLATE)),
    Case("warm_ptrace_template", "ptraces the template and reads its memory, environment and map",
         _with("optimistic_gda_step", WARM_PTRACE_TEMPLATE), lost=("optimistic_gda_step",), needs_isolation=True,
         plain="a grader running as root: the child may ptrace the template (and the grader itself)"),
]
