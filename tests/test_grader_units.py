"""Unit tests of the grader's pieces: what is run from a notebook, the wire format, the test API."""

from __future__ import annotations

import io
import json
import math
import pickle

import pytest
import torch

from autograder.notebook import NotebookError, load, plan, strip_magics
from ganlab.grading import wire
from ganlab.grading.testing import (CheckFailure, LocalSubmission, SubmissionError, expect_close, expect_method_raises,
                                   expect_new_raises, expect_raises)


def _cells(*sources):
    return [{"type": "code", "source": s, "tags": []} for s in sources]


def test_only_definitions_and_plain_assignments_run():
    p = plan(_cells(
        "import torch\nfrom math import sqrt\nSCALE = 2.0\nA = torch.eye(2)\nprint('hi')\nfor i in range(3):\n    pass",
        "def train(n):\n    return n\n\nhistory = train(10)\nclass Generator:\n    pass\nG = Generator()",
        "check('x')\nplt.show()",
        "# grader: skip\ndef helper():\n    return 1\nresult = torch.zeros(3)",
    ))
    run = [s.code.splitlines()[0] for s in p.statements]
    assert run == ["import torch", "from math import sqrt", "SCALE = 2.0", "A = torch.eye(2)",
                   "def train(n):", "class Generator:", "def helper():"]


def test_magics_are_neutralised():
    assert strip_magics("%%bash\nls") is None
    src = strip_magics("%matplotlib inline\n!pip install x\nif True:\n    %pip install y\nx = 1")
    compile(src, "<cell>", "exec")
    assert "x = 1" in src
    assert strip_magics("%%time\ny = 2").endswith("y = 2")


def test_syntax_error_is_recorded_per_cell_with_the_names_it_meant_to_define():
    p = plan(_cells("def good():\n    return 1", "def broken(:\n    pass"))
    assert 2 in p.cell_errors and "SyntaxError" in p.cell_errors[2]
    assert p.cell_names["broken"] == [2]
    assert [s.defines for s in p.statements] == [["good"]]


def test_decorated_definitions_keep_their_decorators():
    p = plan(_cells("import functools\n@functools.lru_cache(maxsize=None)\ndef f(x):\n    return x"))
    assert p.statements[1].code.startswith("@functools.lru_cache")
    assert p.statements[1].lineno == 2


@pytest.mark.parametrize("content,message", [
    (b"", "empty"), (b"not json", "not JSON"), (b"[1, 2]", "not an object"), (b'{"a": 1}', "no 'cells'"),
])
def test_bad_files_raise_a_readable_error(tmp_path, content, message):
    path = tmp_path / "x.ipynb"
    path.write_bytes(content)
    with pytest.raises(NotebookError, match=message):
        load(path)


def test_cell_source_as_string_or_list_and_junk_cells(tmp_path):
    nb = {"cells": [{"cell_type": "code", "source": "def a():\n    return 1"},
                    {"cell_type": "code", "source": ["def b():\n", "    return 2"]},
                    "junk", {"cell_type": "code", "source": 42}], "metadata": []}
    path = tmp_path / "x.ipynb"
    path.write_text(json.dumps(nb))
    assert [s.defines for s in load(path).statements] == [["a"], ["b"]]


# torch warns about the hand-made pickle's protocol before refusing it; the refusal is what is tested.
@pytest.mark.filterwarnings("ignore:Detected pickle protocol")
def test_wire_refuses_pickled_objects():
    class Evil:
        def __reduce__(self):
            return (print, ("pwned",))

    buf = io.BytesIO()
    pickle.dump({"0": Evil()}, buf)
    header = json.dumps({"ok": True}).encode()
    body = len(header).to_bytes(8, "big") + header + buf.getvalue()
    with pytest.raises(wire.WireError):
        wire.unpack(body)


def test_wire_round_trip_strips_tensor_subclasses():
    class Sneaky(torch.Tensor):
        pass

    tensors = {}
    value = (1, 2.5, float("nan"), "s", [torch.ones(2).as_subclass(Sneaky)], {"k": None})
    encoded = wire.encode(value, tensors)
    frame = wire.pack({"value": encoded}, tensors)
    header, got = wire.unpack(frame[8:])
    decoded = wire.decode(header["value"], got)
    assert type(decoded[4][0]) is torch.Tensor
    assert decoded[0] == 1 and decoded[3] == "s" and decoded[5] == {"k": None}


def test_expect_close_diagnoses_a_known_mistake():
    with pytest.raises(CheckFailure, match="swapped") as info:
        expect_close([1.2, 1.9], [0.8, 2.1], "step", diagnoses=[([1.2, 1.9], "roles are swapped")])
    assert info.value.hint == "roles are swapped"
    with pytest.raises(CheckFailure, match="shape"):
        expect_close(torch.zeros(3), torch.zeros(2), "x")
    expect_close(torch.tensor([0.8, 2.1]), [0.8, 2.1], "ok", rtol=1e-6)


def test_local_submission_reports_student_errors_without_raising_them():
    ns = {"f": lambda x: 1 / 0, "g": lambda: (_ for _ in ()).throw(NotImplementedError())}
    sub = LocalSubmission(ns)
    with pytest.raises(CheckFailure, match="ZeroDivisionError"):
        sub.call("f", 1)
    with pytest.raises(CheckFailure, match="not implemented yet"):
        sub.call("g")
    with pytest.raises(CheckFailure, match="not defined"):
        sub.call("missing")


def test_the_raise_expectations_name_what_happened_and_leave_stubs_to_the_runner():
    class Checked(torch.nn.Module):
        def __init__(self, size):
            super().__init__()
            if size < 1:
                raise ValueError(f"size must be positive, got {size}")

        def forward(self, x):
            if x.ndim != 2:
                raise ValueError("x must be 2-D")
            return x

    def stub(x):
        if x < 0:
            raise NotImplementedError   # the student left the error branch for later
        return x

    sub = LocalSubmission({"f": lambda x: math.sqrt(x) if x >= 0 else (_ for _ in ()).throw(ValueError("negative")),
                           "g": lambda x: math.log(x), "stub": stub, "Checked": Checked})
    assert "negative" in expect_raises(sub, "ValueError", "h", "f(-1)", "f", -1)
    with pytest.raises(CheckFailure, match=r"f\(4\) returned; expected ValueError") as info:
        expect_raises(sub, "ValueError", "check x first", "f(4)", "f", 4)
    assert info.value.hint == "check x first"
    with pytest.raises(CheckFailure, match=r"g\(0\) raised ValueError, expected ZeroDivisionError"):
        expect_raises(sub, "ZeroDivisionError", "h", "g(0)", "g", 0)
    with pytest.raises(SubmissionError, match="not implemented yet") as info:
        expect_raises(sub, "ValueError", "h", "stub(-1)", "stub", -1)
    assert info.value.kind == "NotImplementedError"
    assert "positive" in expect_new_raises(sub, "ValueError", "h", "Checked(0)", "Checked", 0)
    with pytest.raises(CheckFailure, match=r"Checked\(2\) was built; expected ValueError"):
        expect_new_raises(sub, "ValueError", "h", "Checked(2)", "Checked", 2)
    net = sub.new("Checked", 2)
    assert "2-D" in expect_method_raises(sub, net, "ValueError", "h", "net(x (3,))", torch.zeros(3))
    with pytest.raises(CheckFailure, match=r"net\(x \(3, 1\)\) returned; expected ValueError"):
        expect_method_raises(sub, net, "ValueError", "h", "net(x (3, 1))", torch.zeros(3, 1))


def _frame(header: bytes, blob: bytes = b"") -> bytes:
    return len(header).to_bytes(8, "big") + header + blob


@pytest.mark.parametrize("header", [b'{"v": ' + b"9" * 5000 + b"}", b'{"v": ' + b"9" * 50 + b"}",
                                    b"[" * 100_000 + b"]" * 100_000, b'{"v": "\xff"}', b"[1]"])
def test_wire_turns_every_bad_header_into_a_wire_error(header):
    with pytest.raises(wire.WireError):
        wire.unpack(_frame(header))


@pytest.mark.filterwarnings("ignore:Validating sparse tensor invariants")
@pytest.mark.parametrize("tensor", [torch.zeros(1).expand(60_000_000), torch.arange(10.0)[2:],
                                    torch.ones(4, 4).t(), torch.zeros(2).to_sparse()])
def test_wire_refuses_tensors_whose_storage_does_not_match_their_size(tensor):
    buf = io.BytesIO()
    torch.save({"0": tensor}, buf)
    with pytest.raises(wire.WireError):
        wire.unpack(_frame(b'{"ok": true}', buf.getvalue()))


def _raw_frame(manifest, data: bytes, header: bytes = b'{"ok": true}') -> bytes:
    m = json.dumps(manifest).encode()
    return _frame(header) + len(m).to_bytes(8, "big") + m + data


@pytest.mark.parametrize("manifest, data, message", [
    ([["0", "float32", [60_000_000]]], b"\x00" * 4, "storage does not match"),  # a 2 KB frame claiming 240 MB
    ([["0", "float32", [3]]], b"\x00" * 16, "storage does not match"),  # bytes left over
    ([["0", "float32", [1 << 20, 1 << 20]]], b"", "elements"),
    ([["0", "object", [1]]], b"\x00" * 8, "manifest"),
    ([["0", "float32", [-1]]], b"", "manifest"),
    ([["0", "float32", [1.5]]], b"", "manifest"),
    ([["0", "float32", [1]], ["0", "float32", [1]]], b"\x00" * 8, "manifest"),  # a key twice
    ([["0", "float32", [1] * 65]], b"\x00" * 4, "manifest"),
    ({"0": "float32"}, b"", "array"),
])
def test_wire_checks_the_tensor_manifest_before_materialising_anything(manifest, data, message):
    with pytest.raises(wire.WireError, match=message):
        wire.unpack(_raw_frame(manifest, data))
    with pytest.raises(wire.WireError, match="truncated"):
        wire.unpack(_frame(b'{"ok": true}') + b"\x00\x00\x00")


def test_wire_round_trips_every_dtype_and_normalises_bools():
    tensors = {str(i): t for i, t in enumerate([
        torch.randn(2, 3), torch.randn(4, dtype=torch.float64), torch.ones(3, dtype=torch.float16),
        torch.ones(2, dtype=torch.bfloat16), torch.tensor([1 + 2j]), torch.arange(5), torch.arange(3, dtype=torch.int32),
        torch.tensor([-3], dtype=torch.int8), torch.tensor([200], dtype=torch.uint8), torch.tensor([True, False]),
        torch.zeros(0, 4), torch.tensor(7.25)])}
    z = torch.tensor([1 + 2j, 3 - 1j], dtype=torch.complex128)
    tensors.update({"views0": torch.tensor(1 + 2j).real, "views1": z.real, "views2": z.conj(), "views3": -z.conj()})
    header, got = wire.unpack(wire.pack({"ok": True}, tensors)[8:])
    for key, t in tensors.items():
        assert got[key].dtype == t.dtype and got[key].shape == t.shape and torch.equal(got[key], t), key
        wire.check_tensor(got[key])
    forged = wire.unpack(_raw_frame([["0", "bool", [2]]], b"\x07\x00"))[1]["0"]
    assert forged.tolist() == [True, False]
    with pytest.raises(wire.WireError, match="dtype"):
        wire.pack({}, {"0": torch.zeros(1, dtype=torch.uint16)})


def test_plan_refuses_huge_code_cells_but_keeps_the_others():
    p = plan(_cells("x = [" + "1, " * 200_000 + "]", "def f():\n    return 1"))
    assert "too large to grade" in p.cell_errors[1]
    assert [s.defines for s in p.statements] == [["f"]]


def test_the_plan_lists_the_modules_a_notebook_imports():
    p = plan([{"type": "code", "source": "import matplotlib.pyplot as plt\nfrom ganlab import plotting, runtime\n"
               "try:\n    import scipy.linalg\nexcept ImportError:\n    pass\nfrom . import sibling\n"
               "import wave\nx = 1\n"}])
    assert p.imports == ["matplotlib.pyplot", "ganlab", "ganlab.plotting", "ganlab.runtime", "scipy.linalg", "wave"]


def test_a_template_imports_only_allow_listed_modules_it_is_hinted():
    """Speed (issue 12): a notebook's imports are passed to the next warm template, which imports those on its
    allow-list (``WARM_IMPORTS``) before forking the worker and ignores every other name."""
    from autograder import sandbox
    from autograder.remote import RemoteSubmission, WorkerSession
    from ganlab.grading.worker import WARM_IMPORTS

    if not sandbox.warm_enabled():
        pytest.skip("warm workers are off")
    assert "matplotlib.pyplot" in WARM_IMPORTS and "wave" not in WARM_IMPORTS
    source = ("def preloaded():\n    import sys\n"
              "    return [m for m in ('wave', 'matplotlib.pyplot') if m in sys.modules]\n")
    limits = sandbox.Limits()
    template = sandbox.POOL.acquire(sandbox.resolve_mode(sandbox.SandboxConfig()), limits)
    assert template is not None, "the template did not start"
    template.hint(["wave", "matplotlib.pyplot"])  # unfiltered here: the template's own allow-list decides
    sandbox.POOL.release(template, ok=True)  # idle again: the session's worker is forked from it
    session = WorkerSession(plan([{"type": "code", "source": source}]), limits)
    try:
        session.begin_test(120)
        assert RemoteSubmission(session).call("preloaded") == ["matplotlib.pyplot"]
    finally:
        session.close()


def test_a_warm_worker_is_a_fresh_process_of_its_own_every_time():
    """Issue 12, warm workers: two workers forked from one template are distinct processes, each leading its own
    session, each in a cgroup of its own where the machine has cgroups; the template is reused, never a worker."""
    import os
    import select
    import struct

    from autograder import sandbox

    if not sandbox.warm_enabled():
        pytest.skip("warm workers are off")
    mode = sandbox.resolve_mode(sandbox.SandboxConfig())
    limits = sandbox.Limits()
    template = sandbox.POOL.acquire(mode, limits)
    assert template is not None, "the template did not start"
    forks_before = template.forks  # the pool may hold a template other tests in this process already used
    seen = []
    try:
        for _ in range(2):
            proc = template.fork(limits)
            req, rep = template.last_fds
            assert select.select([rep], [], [], 120)[0], "the worker never answered"
            (n,) = struct.unpack(">Q", wire.read_exact(rep, 8))
            header, _ = wire.unpack(wire.read_exact(rep, n))
            assert header["event"] == "ready"
            assert os.getsid(proc.pid) == proc.pid  # its own session and process group
            if sandbox.cgroup_version():
                assert sandbox.STAGE_PREFIX in open(f"/proc/{proc.pid}/cgroup").read()
            seen.append(proc.pid)
            os.killpg(proc.pid, 9)
            assert proc.wait(timeout=30) == -9 and proc.clean
            proc.cgroup.remove()  # hands the template back
            os.close(req)
            os.close(rep)
            assert sandbox.POOL.acquire(mode, limits) is template  # the same template, warm
    finally:
        sandbox.POOL.release(template, ok=True)
    assert seen[0] != seen[1] and template.forks == forks_before + 2
