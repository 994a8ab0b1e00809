"""Starting the worker process in a sandbox, with time, memory and output limits.

Two levels of protection, chosen automatically (``GANLAB_SANDBOX=bwrap|plain`` forces one):

``bwrap`` (Linux with bubblewrap; used by CI)
    The worker sees the whole file system read-only, except that the project
    checkout (hidden tests, reference solutions), every submission folder, the
    output folder and all temporary folders are replaced by empty in-memory
    folders. It has no network, its own PID namespace and no capabilities
    (``--cap-drop ALL``), so even as root it cannot unmount the masks.

``plain`` (Colab, macOS, Windows, no bubblewrap)
    The worker runs in an empty temporary folder with a scrubbed environment and
    the same limits. It could still open files by absolute path: use a container
    or bubblewrap for hostile settings (see the README's security model).
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Limits:
    test_seconds: float | None = None  # per test; None: each test's own budget (10 s unless it says otherwise)
    statement_seconds: float = 10.0  # per top-level statement while loading the submission
    load_seconds: float = 60.0  # all statements together
    memory_bytes: int = 6 * 1024**3  # address space of the worker
    output_bytes: int = 4 * 1024**2  # largest file the submission may print or write (per request)
    workdir_bytes: int = 64 * 1024**2  # its whole working folder (sandboxed mode)
    cpu_seconds: int = 600  # hard stop for a runaway worker
    submission_seconds: float = 180.0  # all tests of one submission together (loading excluded)
    threads: int = 1


@dataclass
class SandboxConfig:
    mode: str = "auto"  # auto | bwrap | plain
    hide: list[Path] = field(default_factory=list)  # extra folders to mask (submissions, outputs)


@functools.lru_cache(maxsize=1)
def bwrap_works() -> bool:
    exe = shutil.which("bwrap")
    if not exe:
        return False
    try:
        r = subprocess.run([exe, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--unshare-all",
                            "--cap-drop", "ALL", "--die-with-parent", "true"],
                           capture_output=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return r.returncode == 0


def resolve_mode(config: SandboxConfig) -> str:
    mode = os.environ.get("GANLAB_SANDBOX", config.mode)
    if mode not in {"auto", "bwrap", "plain"}:
        raise ValueError(f"GANLAB_SANDBOX must be auto, bwrap or plain, not {mode!r}")
    if mode == "auto":
        return "bwrap" if sys.platform.startswith("linux") and bwrap_works() else "plain"
    if mode == "bwrap" and not bwrap_works():
        raise RuntimeError("GANLAB_SANDBOX=bwrap but bubblewrap is missing or cannot run here")
    return mode


class Stage:
    """A private temporary folder: a copy of the public ``ganlab`` package and the worker's working folder."""

    def __init__(self):
        self.root = Path(tempfile.mkdtemp(prefix="ganlab-worker-"))
        self.site = self.root / "site"
        self.work = self.root / "work"
        self.work.mkdir()
        shutil.copytree(REPO_ROOT / "ganlab", self.site / "ganlab",
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        os.chmod(self.root, 0o700)

    def cleanup(self):
        shutil.rmtree(self.root, ignore_errors=True)


def _limit_prefix(limits: Limits) -> list[str]:
    """A tiny launcher that sets resource limits, then execs the real command.

    (``preexec_fn`` is not safe when the grader runs jobs in threads, so the
    limits are set in the child by this launcher instead.)
    """
    code = ("import os, resource as r, sys\n"
            f"r.setrlimit(r.RLIMIT_AS, ({limits.memory_bytes}, {limits.memory_bytes}))\n"
            f"r.setrlimit(r.RLIMIT_FSIZE, ({limits.output_bytes}, {limits.output_bytes}))\n"
            "r.setrlimit(r.RLIMIT_CORE, (0, 0))\n"
            f"r.setrlimit(r.RLIMIT_CPU, ({limits.cpu_seconds}, {limits.cpu_seconds + 5}))\n"
            "os.execvp(sys.argv[1], sys.argv[1:])\n")
    return [sys.executable, "-S", "-c", code]


def _masked_paths(config: SandboxConfig) -> list[Path]:
    paths = {REPO_ROOT, Path(tempfile.gettempdir()), Path("/tmp"), Path("/var/tmp"), Path("/dev/shm")}
    paths.update(Path(p).resolve() for p in config.hide)
    return sorted(p for p in paths if p.exists() and p != Path("/"))


def command(stage: Stage, limits: Limits, config: SandboxConfig, req_fd: int, rep_fd: int) -> tuple[list[str], str]:
    """The argv that starts a worker, and the sandbox mode used."""
    boot = (f"import sys; sys.path.insert(0, {str(stage.site)!r}); "
            "from ganlab.grading.worker import main; main()")
    py = [sys.executable, "-I", "-c", boot, str(req_fd), str(rep_fd)]
    mode = resolve_mode(config)
    if mode == "plain":
        return _limit_prefix(limits) + py, mode
    args = ["bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"]
    masked = _masked_paths(config)
    for p in masked:
        args += ["--tmpfs", str(p)]
    # The interpreter must stay visible even if it lives inside a masked folder (a venv in the checkout).
    for prefix in {Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve()}:
        if any(prefix == m or m in prefix.parents for m in masked):
            args += ["--ro-bind", str(prefix), str(prefix)]
    # The working folder is a private, size-capped in-memory folder: nothing written there reaches the disk.
    args += ["--ro-bind", str(stage.site), str(stage.site),
             "--size", str(limits.workdir_bytes), "--perms", "0700", "--tmpfs", str(stage.work),
             "--chdir", str(stage.work)]
    for p in masked:  # read-only last: mount points inside them had to be created first
        args += ["--remount-ro", str(p)]
    args += ["--unshare-all", "--die-with-parent", "--new-session",
             "--cap-drop", "ALL", "--"]
    return _limit_prefix(limits) + args + py, mode


def spawn(stage: Stage, limits: Limits, config: SandboxConfig):
    """Start a worker; returns ``(process, request_fd, reply_fd, mode)`` (the grader's ends of the pipes)."""
    req_r, req_w = os.pipe()
    rep_r, rep_w = os.pipe()
    argv, mode = command(stage, limits, config, req_r, rep_w)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(stage.work),
        "LANG": "C.UTF-8",
        "OMP_NUM_THREADS": str(limits.threads),
        "MKL_NUM_THREADS": str(limits.threads),
        "GANLAB_WORKER_THREADS": str(limits.threads),
        "GANLAB_GRADING": "1",
        "CUDA_VISIBLE_DEVICES": "",
        "PYTHONDONTWRITEBYTECODE": "1",
        "MPLBACKEND": "Agg",
        "TMPDIR": str(stage.work),
        "MPLCONFIGDIR": str(stage.work / ".matplotlib"),
    }
    try:
        proc = subprocess.Popen(argv, pass_fds=(req_r, rep_w), cwd=stage.work, env=env,
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True, close_fds=True)
    finally:
        os.close(req_r)
        os.close(rep_w)
    return proc, req_w, rep_r, mode
