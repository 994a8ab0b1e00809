"""A grading server: one long-lived grader that keeps its tests imported and its warm worker templates between
commands, so that grading one notebook costs what grading the next submission of a batch costs.

``python -m autograder --serve`` starts it in the foreground (stop it with Ctrl-C). While it runs, every
``python -m autograder ...`` (and ``bin/grade``) of the same user hands its arguments and working folder to it and
prints what it prints; with no server, or one started from other grader files (it then stops), the command
grades in its own process as before. ``GANLAB_GRADER_SERVER=off`` makes a command ignore a running server.

Who may use it: the socket lives in a folder only the user can enter (``0700``, checked at every start, never
followed through a symbolic link), the socket itself is ``0600``, and the server asks the kernel who connected
(``SO_PEERCRED``): it answers only processes of its own user that are not its own descendants, so a submission
it is grading (every worker descends from the server through a template) is refused even in plain mode, where
the worker runs as the same user. In bubblewrap mode the socket's folder is not in the worker's file system at
all. The server holds nothing a one-shot grader would not: the same tests, in the same kind of process.

Protocol: the client sends one JSON line ``{"argv": [...], "cwd": "..."}``; the server answers with JSON lines
``{"out": text}`` / ``{"err": text}`` as the command prints, then ``{"rc": code}``, or ``{"stale": true}`` when
the grader's files changed since it started (the client then grades by itself).
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import socket
import stat
import struct
import sys
import threading
from pathlib import Path

SOCKET_ENV = "GANLAB_GRADER_SOCKET"
SWITCH_ENV = "GANLAB_GRADER_SERVER"
MAX_REQUEST = 1 << 20  # bytes of one request line (argv of a large glob expansion fits easily)


class ServerError(RuntimeError):
    """The server cannot start safely (the message says why)."""


def socket_path() -> Path:
    """``$GANLAB_GRADER_SOCKET``, else ``$XDG_RUNTIME_DIR/ganlab-grader/grader.sock`` (per-user tmpfs on most
    Linux desktops), else ``/tmp/ganlab-grader-<uid>/grader.sock``."""
    if os.environ.get(SOCKET_ENV):
        return Path(os.environ[SOCKET_ENV])
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and os.path.isdir(runtime):
        return Path(runtime) / "ganlab-grader" / "grader.sock"
    return Path("/tmp") / f"ganlab-grader-{os.getuid()}" / "grader.sock"


def _private_folder(folder: Path, create: bool) -> bool:
    """True if ``folder`` is a real folder of this user that no one else may enter (made so when ``create``)."""
    if create:
        try:
            os.mkdir(folder, 0o700)
        except FileExistsError:
            pass
    try:
        st = os.lstat(folder)
    except FileNotFoundError:
        return False
    return stat.S_ISDIR(st.st_mode) and st.st_uid == os.getuid() and stat.S_IMODE(st.st_mode) & 0o077 == 0


# -- client ---------------------------------------------------------------------------------------------------

def try_client(argv: list[str]) -> int | None:
    """Hand the command to a running server; returns its exit code, or None to grade in this process."""
    if os.environ.get(SWITCH_ENV, "").lower() in ("0", "off", "no", "false"):
        return None
    path = socket_path()
    if not _private_folder(path.parent, create=False):
        return None
    try:
        st = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISSOCK(st.st_mode) or st.st_uid != os.getuid():
        return None
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.connect(str(path))
        conn.sendall(json.dumps({"argv": list(argv), "cwd": os.getcwd()}).encode() + b"\n")
        rc = None
        with conn.makefile("r", encoding="utf-8", errors="replace") as replies:
            for line in replies:
                msg = json.loads(line)
                if msg.get("stale"):
                    return None
                if "out" in msg:
                    sys.stdout.write(msg["out"])
                    sys.stdout.flush()
                elif "err" in msg:
                    sys.stderr.write(msg["err"])
                    sys.stderr.flush()
                elif "rc" in msg:
                    rc = int(msg["rc"])
        if rc is None:  # the server went away mid-command: nothing was graded for sure, so grade here
            print("note: the grading server stopped before answering; grading in this process", file=sys.stderr)
        return rc
    except (OSError, ValueError):  # no server behind a leftover socket file, or a garbled answer
        return None
    finally:
        conn.close()


# -- server ---------------------------------------------------------------------------------------------------

class _Forward:
    """A text stream that sends what is written to the client as ``{key: text}`` lines."""

    def __init__(self, conn: socket.socket, key: str, lock: threading.Lock):
        self.conn, self.key, self.lock = conn, key, lock
        self.broken = False

    def write(self, text: str) -> int:
        if text and not self.broken:
            try:
                with self.lock:
                    self.conn.sendall(json.dumps({self.key: text}).encode() + b"\n")
            except OSError:  # the client went away (Ctrl-C): finish the command, print nothing more
                self.broken = True
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


def peer_allowed(conn: socket.socket) -> tuple[bool, str]:
    """The kernel's word on who connected (as of ``connect``): our user, a process that is still alive, and
    not one below this server. Called as soon as the connection is accepted, while the server may be busy
    grading, so that a submission cannot connect and exit before it is looked at."""
    from autograder.sandbox import descendants

    creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    pid, uid, _gid = struct.unpack("3i", creds)
    if uid != os.getuid():
        return False, f"uid {uid} is not the server's"
    if pid <= 0 or not os.path.exists(f"/proc/{pid}"):
        return False, f"process {pid} is gone (it cannot be checked)"
    if pid in descendants(os.getpid()):
        return False, f"process {pid} descends from the server (a submission being graded)"
    return True, ""


def _read_request(conn: socket.socket) -> dict:
    data = b""
    while not data.endswith(b"\n"):
        chunk = conn.recv(65536)
        if not chunk:
            break
        data += chunk
        if len(data) > MAX_REQUEST:
            raise ValueError("request too large")
    request = json.loads(data)
    if not (isinstance(request, dict) and isinstance(request.get("argv"), list)
            and all(isinstance(a, str) for a in request["argv"]) and isinstance(request.get("cwd"), str)):
        raise ValueError("malformed request")
    return request


def _handle(conn: socket.socket, version: str, log) -> bool:
    """Serve one connection; returns False when the server must stop (its grader files changed)."""
    from autograder.__main__ import main
    from autograder.batch import grader_version

    try:
        request = _read_request(conn)
    except (OSError, ValueError) as exc:
        log(f"ignored a malformed request: {exc}")
        return True
    if grader_version() != version:
        with contextlib.suppress(OSError):
            conn.sendall(b'{"stale": true}\n')
        log("the grader's files changed since the server started: stopping (start it again)")
        return False
    lock = threading.Lock()
    out, err = _Forward(conn, "out", lock), _Forward(conn, "err", lock)
    saved = os.getcwd()
    rc = 1
    try:
        os.chdir(request["cwd"])
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                rc = main(request["argv"], serving=True)
            except SystemExit as exc:  # argparse's errors and --help
                rc = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
            except Exception as exc:  # noqa: BLE001 - one failed command must not stop the server
                print(f"error: the grading server failed on this command: {type(exc).__name__}: {exc}",
                      file=sys.stderr)
                rc = 1
    except OSError as exc:
        err.write(f"error: the grading server cannot enter {request['cwd']}: {exc.strerror or exc}\n")
        rc = 2
    finally:
        os.chdir(saved)
    with contextlib.suppress(OSError):
        with lock:
            conn.sendall(json.dumps({"rc": rc}).encode() + b"\n")
    log(f"graded: {' '.join(request['argv']) or '(all reference solutions)'} -> exit {rc}")
    return True


def serve(jobs: int = 1, memory_gb: float = 6.0, ready=None) -> int:
    """Run the server until Ctrl-C/SIGTERM or until the grader's files change. ``ready`` (tests) is called with
    the socket path once connections are accepted."""
    from autograder import labs, sandbox
    from autograder.batch import grader_version

    path = socket_path()
    if not _private_folder(path.parent, create=True):
        raise ServerError(f"{path.parent} must be a folder of yours that no one else may enter (mode 0700); "
                          f"remove it or set {SOCKET_ENV} to a socket path in such a folder")
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        probe.connect(str(path))
    except OSError:
        pass
    else:
        raise ServerError(f"a grading server is already running at {path}")
    finally:
        probe.close()
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)

    def log(message: str) -> None:
        print(f"grading server: {message}", file=sys.__stderr__, flush=True)

    version = grader_version()
    limits = sandbox.Limits(memory_bytes=int(memory_gb * 1024**3))
    sandbox.prewarm(limits=limits, count=max(1, min(jobs, 8)))
    from ganlab.grading.worker import WARM_IMPORTS

    sandbox.hint_imports(None, limits, sorted(WARM_IMPORTS))  # the labs' usual modules, before the first child
    for lab_id in labs.LABS:  # the tests of every lab imported once (torch with them)
        try:
            labs.load_tests(lab_id)
        except Exception as exc:  # noqa: BLE001 - a command for that lab reports it as a one-shot would
            log(f"the tests of {lab_id} do not import ({type(exc).__name__}: {exc})")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old_umask = os.umask(0o177)
    try:
        listener.bind(str(path))
    finally:
        os.umask(old_umask)
    os.chmod(path, 0o600)
    listener.listen(8)
    log(f"listening on {path} (grader version {version}); Ctrl-C stops it")
    # Connections are accepted and their peers checked here, at once, even while a command is being graded;
    # commands run one at a time on the grading thread (they change the folder and the output streams).
    queue_: queue.Queue = queue.Queue()
    stop = threading.Event()

    def grading_thread() -> None:
        while True:
            conn = queue_.get()
            if conn is None:
                return
            with conn:
                if not _handle(conn, version, log):
                    stop.set()

    threading.Thread(target=grading_thread, daemon=True, name="grading").start()
    if ready is not None:
        ready(path)
    listener.settimeout(0.5)
    try:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except socket.timeout:
                continue
            conn.settimeout(None)
            ok, why = peer_allowed(conn)
            if not ok:
                log(f"refused a connection: {why}")
                conn.close()
                continue
            queue_.put(conn)
        return 0
    except KeyboardInterrupt:
        log("stopped")
        return 0
    finally:
        queue_.put(None)
        listener.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
