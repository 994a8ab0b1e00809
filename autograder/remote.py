"""The grader's side of the worker: a restartable session and the ``Submission`` tests talk to.

Every verdict is computed here, in the grader's process; the worker only
returns values. A worker that times out, crashes or runs out of memory is
killed and restarted for the next test, so it costs only the test it broke.
"""

from __future__ import annotations

import os
import select
import signal
import struct
import time
from dataclasses import dataclass, field

from ganlab.grading import wire
from ganlab.grading.testing import Global, Ref, Submission, SubmissionError, Trusted, describe_error

from autograder.notebook import Plan
from autograder.sandbox import Limits, SandboxConfig, Stage, spawn

MAX_RESTARTS = 12


class WorkerLost(Exception):
    """The worker stopped answering; ``reason`` is what the report says."""

    def __init__(self, reason: str, kind: str):
        super().__init__(reason)
        self.reason = reason
        self.kind = kind


@dataclass
class LoadReport:
    names: dict = field(default_factory=dict)  # name -> kind, as defined in the worker
    statement_errors: dict = field(default_factory=dict)  # statement id -> message
    excluded: dict = field(default_factory=dict)  # statement id -> why it is no longer run
    seconds: float = 0.0


class WorkerSession:
    def __init__(self, plan: Plan, limits: Limits | None = None, sandbox: SandboxConfig | None = None,
                 budget_deadline: float | None = None):
        self.plan = plan
        self.limits = limits or Limits()
        self.sandbox = sandbox or SandboxConfig()
        # One budget for the whole submission: starting, loading, restarts and tests all count against it.
        self.budget_deadline = (budget_deadline if budget_deadline is not None
                                else time.monotonic() + self.limits.submission_seconds)
        self.stage: Stage | None = None
        self.proc = None
        self.req_fd = self.rep_fd = -1
        self.mode = "?"
        self.report = LoadReport()
        self.restarts = 0
        self.deadline = None
        self.test_budget = self.limits.test_seconds or 10.0
        self.test_broken = False  # the worker was restarted during the current test: its refs are gone
        self.start_seconds = 0.0  # waiting for a template and forking, or starting cold (restarts included)

    # -- life cycle ---------------------------------------------------------------------
    def start(self) -> None:
        if self.proc is not None:
            return
        if self.restarts > MAX_RESTARTS:
            raise WorkerLost("the submission crashed the worker too many times; remaining tests not run",
                             "WorkerCrash")
        if time.monotonic() >= self.budget_deadline:
            raise self.budget_lost()
        self.stage = self.stage or Stage()
        started = time.monotonic()
        try:
            self.proc, self.req_fd, self.rep_fd, self.mode = spawn(self.stage, self.limits, self.sandbox)
            self._expect_event("ready", min(time.monotonic() + 60, self.budget_deadline))
        finally:
            self.start_seconds += time.monotonic() - started
        self._load()

    def budget_lost(self) -> WorkerLost:
        return WorkerLost(f"not run: the submission used up its {self.limits.submission_seconds:g} s grading "
                          "budget (loading, restarts and earlier tests included)", "Budget")

    def _load(self) -> None:
        started = time.monotonic()
        self.test_budget = self.limits.statement_seconds  # what a time-out message reports while loading
        stmts = [s for s in self.plan.statements if s.id not in self.report.excluded]
        self._send({"op": "load", "statements": [
            {"id": s.id, "cell": s.cell, "lineno": s.lineno, "code": s.code} for s in stmts]})
        load_deadline = min(started + self.limits.load_seconds, self.budget_deadline)
        by_id = {s.id: s for s in stmts}
        current = None
        while True:
            deadline = min(load_deadline, time.monotonic() + self.limits.statement_seconds)
            try:
                header, _ = self._receive(deadline)
            except WorkerLost as lost:
                if current is None:
                    raise
                stmt = by_id[current]
                self.report.excluded[current] = (f"cell {stmt.cell}, line {stmt.lineno}: {lost.reason} while "
                                                 "running it; it was skipped")
                self.kill()
                self.restarts += 1
                self.start()
                return
            event = header.get("event")
            sid = header.get("id")
            if event in ("start", "done") and (type(sid) is not int or sid not in by_id):
                self.kill()
                raise WorkerLost("the worker sent an unexpected message while loading", "ProtocolError")
            if event == "start":
                current = sid
            elif event == "done":
                current = None
                if not header.get("ok"):
                    err = clean_error(header.get("error"))
                    stmt = by_id[sid]
                    self.report.statement_errors[sid] = (
                        f"cell {stmt.cell}, line {stmt.lineno} raised {err['type']}: {err['message'][:300]}")
            elif event == "loaded":
                names = header.get("names")
                names = names if isinstance(names, dict) else {}
                self.report.names = {str(k)[:200]: str(v)[:200] for k, v in list(names.items())[:100_000]}
                self.report.seconds += time.monotonic() - started
                return
            else:
                self.kill()
                raise WorkerLost("the worker sent an unexpected message while loading", "ProtocolError")

    def kill(self) -> None:
        if self.proc is None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.proc.wait(timeout=10)
        except Exception:  # noqa: BLE001
            pass
        cgroup = getattr(self.proc, "cgroup", None)
        if cgroup is not None:
            cgroup.remove()  # every process the worker started, in whatever session or process group
        for fd in (self.req_fd, self.rep_fd):
            try:
                os.close(fd)
            except OSError:
                pass
        self.proc = None

    def close(self) -> None:
        self.kill()
        if self.stage is not None:
            self.stage.cleanup()
            self.stage = None

    # -- framing -------------------------------------------------------------------------
    def _send(self, header: dict, tensors: dict | None = None) -> None:
        try:
            wire.write_all(self.req_fd, wire.pack(header, tensors))
        except OSError:
            raise self._lost("the worker stopped reading requests") from None

    def _read(self, n: int, deadline: float) -> bytes:
        chunks = []
        while n > 0:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise self._timeout()
            ready, _, _ = select.select([self.rep_fd], [], [], remaining)
            if not ready:
                raise self._timeout()
            chunk = os.read(self.rep_fd, min(n, 1 << 20))
            if not chunk:
                raise self._lost()
            chunks.append(chunk)
            n -= len(chunk)
        return b"".join(chunks)

    def _receive(self, deadline: float):
        (n,) = struct.unpack(">Q", self._read(8, deadline))
        if n > wire.MAX_FRAME_BYTES:
            self.kill()
            self.restarts += 1
            self.test_broken = True
            raise WorkerLost("the submission returned more than 512 MiB of data", "ProtocolError")
        body = self._read(n, deadline)
        try:
            return wire.unpack(body)
        except Exception as exc:  # noqa: BLE001 - whatever a reply holds, it costs the submission only
            self.kill()
            self.restarts += 1
            self.test_broken = True
            why = str(exc)[:200] if isinstance(exc, wire.WireError) else type(exc).__name__
            raise WorkerLost(f"the worker sent a malformed reply ({why})", "ProtocolError") from None

    def _expect_event(self, event: str, deadline: float) -> None:
        header, _ = self._receive(deadline)
        if header.get("event") != event:
            self.kill()
            raise WorkerLost(f"the worker did not start properly (got {str(header.get('event'))[:50]!r})", "ProtocolError")

    def _timeout(self) -> WorkerLost:
        self.kill()
        self.restarts += 1
        self.test_broken = True
        if time.monotonic() >= self.budget_deadline:
            lost = self.budget_lost()
            return WorkerLost(lost.reason.replace("not run: ", "stopped: "), "Budget")
        return WorkerLost(f"timed out after {self.test_budget:g} s (an infinite loop, or far too slow)", "Timeout")

    def _lost(self, default: str | None = None) -> WorkerLost:
        proc = self.proc
        code = None
        if proc is not None:
            try:
                code = proc.wait(timeout=5)
            except Exception:  # noqa: BLE001
                code = None
        self.kill()
        self.restarts += 1
        self.test_broken = True
        if code is not None and code > 128 and self.mode == "bwrap" and (code - 128) in signal.Signals._value2member_map_:
            code = -(code - 128)  # bubblewrap reports a child killed by signal N as exit status 128 + N
        if code is not None and code < 0:
            sig = -code
            if sig == signal.SIGKILL:
                return WorkerLost("the worker was killed (SIGKILL): it ran out of memory, or the code killed its "
                                  "own process", "MemoryError")
            if sig == signal.SIGXCPU:
                return WorkerLost("the worker used up its CPU time limit", "Timeout")
            name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else str(sig)
            return WorkerLost(f"the worker crashed ({name})", "WorkerCrash")
        if code is not None:
            return WorkerLost(f"the worker exited with code {code} (sys.exit/os._exit or a crash inside the "
                              "submission)", "WorkerCrash")
        return WorkerLost(default or "the worker stopped answering", "WorkerCrash")

    # -- requests ---------------------------------------------------------------------------
    def request(self, header: dict, tensors: dict | None = None):
        if self.test_broken:
            raise WorkerLost("not run: the worker had to be restarted earlier in this test", "WorkerCrash")
        self.start()
        deadline = self.deadline if self.deadline is not None else time.monotonic() + self.test_budget
        deadline = min(deadline, self.budget_deadline)
        self._send(header, tensors)
        while True:
            reply, out_tensors = self._receive(deadline)
            if reply.get("event") != "callback":
                return reply, out_tensors
            self._send(*self._callback(reply, out_tensors))

    @staticmethod
    def _callback(header: dict, tensors: dict):
        """Compute a trusted stand-in for the worker, here in the grader's process (never the worker's copy)."""
        from ganlab.grading.worker import CALLBACK_ROOT, import_trusted

        qualname = str(header.get("fn", ""))[:200]
        try:
            if not qualname.startswith(CALLBACK_ROOT):
                raise PermissionError(f"{qualname} is not a stand-in the grader computes")
            fn = import_trusted(qualname)
            args = wire.decode(header.get("args", []), tensors)
            kwargs = wire.decode(header.get("kwargs", {"__dict__": {}}), tensors)
            if not isinstance(args, list) or not isinstance(kwargs, dict):
                raise wire.WireError("malformed callback")
            out: dict = {}
            value = wire.encode(fn(*args, **kwargs), out)
            return {"ok": True, "value": value}, out
        except Exception as exc:  # noqa: BLE001 - the submission passed something the stand-in refuses
            return {"ok": False, "error": f"{type(exc).__name__}: {str(exc)[:200]}"}, None

    def begin_test(self, seconds: float) -> None:
        """Start the clock of one test: all its requests share ``seconds``."""
        self.start()  # loading the submission is not charged to the test
        self.test_broken = False  # after start(): a crash while loading is not this test's fault
        self.test_budget = seconds
        self.deadline = min(time.monotonic() + seconds, self.budget_deadline)


def clean_error(err) -> dict:
    """An error report from the worker, reduced to bounded plain strings (a patched worker may send anything)."""
    err = err if isinstance(err, dict) else {}
    frames = []
    raw_frames = err.get("frames") if isinstance(err.get("frames"), list) else []
    for f in raw_frames[-5:]:
        if isinstance(f, dict):
            line = f.get("line")
            frames.append({"cell": str(f.get("cell", ""))[:20], "line": line if type(line) is int else 0,
                           "function": str(f.get("function", ""))[:100], "code": str(f.get("code", ""))[:200]})
    return {"type": str(err.get("type", "Exception"))[:100] or "Exception",
            "message": str(err.get("message", ""))[:2000], "frames": frames}


class RemoteSubmission(Submission):
    """A submission living in a sandboxed worker; tests see only decoded plain values."""

    def __init__(self, session: WorkerSession):
        self.session = session

    def _do(self, header: dict, label: str, tensors: dict | None = None):
        try:
            reply, out_tensors = self.session.request(header, tensors)
        except WorkerLost as lost:
            raise SubmissionError(f"`{label}`: {lost.reason}", lost.kind) from None
        if not reply.get("ok"):
            err = clean_error(reply.get("error"))
            kind = err["type"]
            if kind == "MemoryError":
                raise SubmissionError(f"`{label}` ran out of memory (limit "
                                      f"{self.session.limits.memory_bytes / 2**30:.0f} GiB)", kind)
            raise SubmissionError(describe_error(label, err), kind)
        try:
            return wire.decode(reply.get("value"), out_tensors)
        except (wire.WireError, KeyError, TypeError, ValueError, RecursionError, OverflowError) as exc:
            raise SubmissionError(f"`{label}` returned something the grader cannot read "
                                  f"({str(exc)[:200]})", "ProtocolError") from None

    @staticmethod
    def _encode_args(args, kwargs):
        tensors: dict = {}
        return wire.encode(list(args), tensors), wire.encode(dict(kwargs), tensors), tensors

    def has(self, name):
        self.session.start()
        return name in self.session.report.names

    def _call(self, fn_marker, label, args, kwargs, keep, attr=None):
        a, k, tensors = self._encode_args(args, kwargs)
        header = {"op": "call", "fn": fn_marker, "args": a, "kwargs": k, "keep": keep}
        if attr is not None:
            header["attr"] = attr
        return self._do(header, label, tensors)

    def call(self, name, *args, **kwargs):
        return self._call({"__global__": name}, name, args, kwargs, False)

    def new(self, name, *args, **kwargs):
        return self._call({"__global__": name}, name, args, kwargs, True)

    def trusted(self, qualname, *args, keep=True, **kwargs):
        return self._call({"__trusted__": qualname}, qualname, args, kwargs, keep)

    def method(self, ref, attr, *args, keep=False, **kwargs):
        return self._call({"__ref__": ref.id}, f"{ref.type}.{attr}", args, kwargs, keep, attr=attr)

    def getattr(self, ref, attr, keep=False):
        return self._do({"op": "getattr", "obj": {"__ref__": ref.id}, "attr": attr, "keep": keep},
                        f"{ref.type}.{attr}")

    def state(self, ref):
        return self._do({"op": "state", "obj": {"__ref__": ref.id}}, f"state of {ref.type}")


__all__ = ["WorkerSession", "RemoteSubmission", "WorkerLost", "LoadReport", "Global", "Ref", "Trusted"]
