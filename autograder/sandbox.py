"""Starting the worker process in a sandbox, with time, memory, process and output limits.

Two levels of protection, chosen automatically (``GANLAB_SANDBOX=bwrap|plain`` forces one):

``bwrap`` (Linux with bubblewrap; used by CI)
    Bind, don't mask: the worker's file system is built from nothing and holds only the interpreter's
    prefix (with its installed packages), ``/usr`` (and the ``/lib``, ``/bin`` links to it), a minimal
    ``/etc`` (``ld.so.cache``, a one-line ``passwd`` and ``group``), a read-only minimal ``/dev``, ``/proc``,
    the public ``ganlab`` package and its private size-capped working folder. Nothing else exists for it and
    no mount entry names anything else. It has no network, its own PID namespace and no capabilities. When
    the grader runs as root, the worker runs as uid/gid 65534 (``setpriv``), the interpreter reaching it
    through a bind mount in a private mount namespace (``unshare -m``).

``plain`` (Colab, macOS, Windows, no bubblewrap)
    The worker runs in an empty temporary folder with a scrubbed environment and the same limits. It could
    still open files by absolute path: use a container or bubblewrap for hostile settings (see the README).

In both modes, where the machine has cgroups (v1 controllers or a v2 hierarchy) writable by the grader,
each worker gets its own cgroup: memory, process count and CPU limits apply to it and all its descendants,
and killing the cgroup's processes ends every process it started. Without cgroups, the limits are per
process (``setrlimit``) and cleanup relies on the process group and the parent-death signal.
"""

from __future__ import annotations

import functools
import itertools
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
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
    submission_seconds: float = 180.0  # starting, loading, restarts and all tests of one submission together
    threads: int = 1
    processes: int = 128  # tasks (processes and threads) of one worker and all its descendants (cgroups)
    sandbox_memory_bytes: int | None = None  # memory of the worker and all its descendants (cgroups); None: memory_bytes


@dataclass
class SandboxConfig:
    mode: str = "auto"  # auto | bwrap | plain
    # Folders the worker must not see. Kept for compatibility: the bwrap sandbox binds only what the worker needs,
    # so nothing else (these folders included) exists for it whatever is listed here.
    hide: list[Path] = field(default_factory=list)


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


STAGE_PREFIX = "ganlab-worker-"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


_swept = False
_sweep_lock = threading.Lock()


def sweep_stale() -> None:
    """Remove what a grader killed with SIGKILL left behind: stage folders and cgroups of dead graders.

    Their names carry the grader's pid (``ganlab-worker-<pid>-...``); run once per process, at the first
    worker it starts."""
    global _swept
    with _sweep_lock:
        if _swept:
            return
        _swept = True
    pattern = re.compile(rf"^{re.escape(STAGE_PREFIX)}(\d+)-")
    try:
        entries = list(Path(tempfile.gettempdir()).iterdir())
    except OSError:
        entries = []
    for entry in entries:
        m = pattern.match(entry.name)
        if m and int(m.group(1)) != os.getpid() and not _alive(int(m.group(1))):
            shutil.rmtree(entry, ignore_errors=True)
    Cgroup.sweep()


class Stage:
    """A private temporary folder: a copy of the public ``ganlab`` package and the worker's working folder."""

    def __init__(self):
        sweep_stale()
        self.root = Path(tempfile.mkdtemp(prefix=f"{STAGE_PREFIX}{os.getpid()}-"))
        try:
            self.site = self.root / "site"
            self.work = self.root / "work"
            self.etc = self.root / "etc"
            self.work.mkdir()
            self.etc.mkdir()
            (self.etc / "passwd").write_text("nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n")
            (self.etc / "group").write_text("nogroup:x:65534:\n")
            shutil.copytree(REPO_ROOT / "ganlab", self.site / "ganlab",
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            os.chmod(self.root, 0o700)
            # An empty, world-traversable folder: the private mount namespace mounts the worker's sources below
            # it when the worker runs as uid 65534 (see _bwrap_command).
            self.mnt = Path(f"{self.root}.mnt")
            self.mnt.mkdir(mode=0o755)
        except BaseException:
            self.cleanup()
            raise

    def cleanup(self):
        shutil.rmtree(self.root, ignore_errors=True)
        try:
            Path(f"{self.root}.mnt").rmdir()
        except OSError:
            pass


# -- cgroups --------------------------------------------------------------------------------------------------

CGROUP_ROOT = Path("/sys/fs/cgroup")
_V1_CONTROLLERS = ("memory", "pids", "cpu")
_counter = itertools.count()


def _own_cgroup_paths() -> dict[str, str]:
    """controller -> this process's cgroup path (v1), and ``""`` -> its v2 path."""
    out = {}
    try:
        for line in Path("/proc/self/cgroup").read_text().splitlines():
            _, ctrls, path = line.split(":", 2)
            for c in ctrls.split(",") if ctrls else [""]:
                out[c] = path
    except (OSError, ValueError):
        pass
    return out


@functools.lru_cache(maxsize=1)
def cgroup_version() -> str:
    """``"v2"``, ``"v1"`` or ``""`` (none usable): where the grader can create and fill a child cgroup."""
    if os.environ.get("GANLAB_CGROUPS", "auto") == "off" or not sys.platform.startswith("linux"):
        return ""
    own = _own_cgroup_paths()
    if (CGROUP_ROOT / "cgroup.controllers").exists():
        base = CGROUP_ROOT / own.get("", "/").lstrip("/")
        needed = {"memory", "pids", "cpu"}
        try:
            if needed <= set((base / "cgroup.subtree_control").read_text().split()) and os.access(base, os.W_OK):
                return "v2"
        except OSError:
            pass
        return ""
    bases = [CGROUP_ROOT / c / own.get(c, "/").lstrip("/") for c in _V1_CONTROLLERS]
    if all(b.is_dir() and os.access(b, os.W_OK) for b in bases):
        return "v1"
    return ""


class Cgroup:
    """One cgroup per worker: memory, task count and CPU limits for the worker and all its descendants."""

    def __init__(self, limits: Limits):
        self.version = cgroup_version()
        self.dirs: list[Path] = []
        if not self.version:
            return
        name = f"{STAGE_PREFIX}{os.getpid()}-{next(_counter)}"
        own = _own_cgroup_paths()
        try:
            if self.version == "v2":
                d = CGROUP_ROOT / own.get("", "/").lstrip("/") / name
                d.mkdir()
                self.dirs = [d]
                _write(d / "memory.max", limits.sandbox_memory_bytes or limits.memory_bytes)
                _write(d / "memory.swap.max", 0, optional=True)
                _write(d / "pids.max", limits.processes)
                _write(d / "cpu.max", f"{limits.threads * 100000} 100000")
            else:
                for c in _V1_CONTROLLERS:
                    d = CGROUP_ROOT / c / own.get(c, "/").lstrip("/") / name
                    d.mkdir()
                    self.dirs.append(d)
                mem, pids, cpu = self.dirs
                memory = limits.sandbox_memory_bytes or limits.memory_bytes
                _write(mem / "memory.limit_in_bytes", memory)
                _write(mem / "memory.memsw.limit_in_bytes", memory, optional=True)
                _write(pids / "pids.max", limits.processes)
                _write(cpu / "cpu.cfs_period_us", 100000)
                _write(cpu / "cpu.cfs_quota_us", limits.threads * 100000)
        except OSError:
            self.remove()
            self.dirs = []
            self.version = ""

    @property
    def procs_files(self) -> list[str]:
        return [str(d / "cgroup.procs") for d in self.dirs]

    def kill_all(self) -> None:
        """SIGKILL every process in the cgroup until it is empty (a fork race is bounded by ``pids.max``)."""
        for _ in range(200):
            pids = set()
            for f in self.procs_files:
                try:
                    pids.update(int(x) for x in Path(f).read_text().split())
                except (OSError, ValueError):
                    pass
            if not pids:
                return
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
            time.sleep(0.02)

    def remove(self) -> None:
        self.kill_all()
        for d in self.dirs:
            for _ in range(50):
                try:
                    d.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.02)  # the last killed processes are still exiting
        self.dirs = []

    @staticmethod
    def sweep() -> None:
        version = cgroup_version()
        if not version:
            return
        own = _own_cgroup_paths()
        bases = ([CGROUP_ROOT / own.get("", "/").lstrip("/")] if version == "v2"
                 else [CGROUP_ROOT / c / own.get(c, "/").lstrip("/") for c in _V1_CONTROLLERS])
        pattern = re.compile(rf"^{re.escape(STAGE_PREFIX)}(\d+)-\d+$")
        stale: dict[str, list[Path]] = {}
        for base in bases:
            try:
                children = list(base.iterdir())
            except OSError:
                continue
            for d in children:
                m = pattern.match(d.name)
                if m and d.is_dir() and int(m.group(1)) != os.getpid() and not _alive(int(m.group(1))):
                    stale.setdefault(d.name, []).append(d)
        for dirs in stale.values():
            cg = Cgroup.__new__(Cgroup)
            cg.version, cg.dirs = version, dirs
            cg.remove()


def _write(path: Path, value, optional: bool = False) -> None:
    try:
        path.write_text(str(value))
    except OSError:
        if not optional:
            raise


def _limit_prefix(limits: Limits, cgroup: "Cgroup | None") -> list[str]:
    """A tiny launcher that joins the worker's cgroup, asks for SIGKILL when the grader dies, sets resource
    limits, then execs the real command.

    (``preexec_fn`` is not safe when the grader runs jobs in threads, so this happens in the child instead.)
    """
    procs = cgroup.procs_files if cgroup is not None else []
    code = ("import os, resource as r, signal, sys\n"
            f"for f in {procs!r}:\n"
            "    with open(f, 'w') as fh: fh.write(str(os.getpid()))\n"
            "try:\n"
            "    import ctypes\n"
            "    ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG\n"
            "except Exception:\n"
            "    pass\n"
            f"if os.getppid() != {os.getpid()}: os._exit(70)  # the grader is already gone\n"
            f"r.setrlimit(r.RLIMIT_AS, ({limits.memory_bytes}, {limits.memory_bytes}))\n"
            f"r.setrlimit(r.RLIMIT_FSIZE, ({limits.output_bytes}, {limits.output_bytes}))\n"
            "r.setrlimit(r.RLIMIT_CORE, (0, 0))\n"
            f"r.setrlimit(r.RLIMIT_CPU, ({limits.cpu_seconds}, {limits.cpu_seconds + 5}))\n"
            "os.execvp(sys.argv[1], sys.argv[1:])\n")
    return [sys.executable, "-S", "-c", code]


#: Where the worker finds things inside the bubblewrap sandbox (its file system holds nothing else).
INNER_SITE = "/opt/ganlab"
INNER_WORK = "/work"
UNPRIVILEGED = 65534  # nobody / nogroup


#: A virtual environment is bound here, not at its own path: a .venv inside the checkout would otherwise give
#: the checkout's path a mount entry (and its folders a skeleton) inside the sandbox.
INNER_VENV = "/opt/venv"


def _in_venv() -> bool:
    return Path(sys.prefix).resolve() != Path(sys.base_prefix).resolve()


def _inner_path(root: Path) -> str:
    """Where an interpreter root appears inside the sandbox: a venv at INNER_VENV, the base at its own path
    (the base interpreter finds its libpython by that path)."""
    return INNER_VENV if _in_venv() and Path(root) == Path(sys.prefix).resolve() else str(root)


def _inner_executable() -> str:
    """``sys.executable`` as the sandbox sees it (inside INNER_VENV for a venv: Python finds the venv by the
    unresolved path of its executable)."""
    exe = sys.executable
    for prefix in (sys.prefix, str(Path(sys.prefix).resolve())):
        if _in_venv() and (exe + "/").startswith(prefix.rstrip("/") + "/"):
            return INNER_VENV + exe[len(prefix.rstrip("/")):]
    return exe


def _interpreter_roots() -> list[Path]:
    roots = {Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve()}
    return sorted(roots)


def _system_links() -> list[str]:
    """``/lib``, ``/bin``... as symbolic links into ``/usr`` (merged /usr) or bound as they are."""
    args = ["--ro-bind", "/usr", "/usr"]
    for name in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        p = Path(name)
        if p.is_symlink():
            args += ["--symlink", os.readlink(p), name]
        elif p.is_dir():
            args += ["--ro-bind", name, name]
    return args


@functools.lru_cache(maxsize=1)
def drop_to_nobody() -> bool:
    """Whether the worker can run as uid 65534: the grader is root, and unshare, setpriv and unprivileged
    bubblewrap work here (``GANLAB_SANDBOX_USER=root`` turns this off)."""
    if os.environ.get("GANLAB_SANDBOX_USER") == "root" or not hasattr(os, "geteuid") or os.geteuid() != 0:
        return False
    if not (shutil.which("unshare") and shutil.which("setpriv") and shutil.which("bwrap")):
        return False
    try:
        r = subprocess.run(["unshare", "-m", "--propagation", "private", "setpriv", "--reuid", str(UNPRIVILEGED),
                            "--regid", str(UNPRIVILEGED), "--clear-groups", "bwrap", "--unshare-all",
                            "--die-with-parent", *_system_links(), "--proc", "/proc", "--dev", "/dev",
                            "--cap-drop", "ALL", "/usr/bin/id", "-u"], capture_output=True, timeout=20, text=True)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return r.returncode == 0 and r.stdout.strip() == str(UNPRIVILEGED)


def _bwrap_command(stage: Stage, limits: Limits, py: list[str]) -> list[str]:
    """Bind, don't mask: the worker's root is an empty read-only tmpfs with only what it needs bound in."""
    binds: list[tuple[str, str]] = [(str(r), _inner_path(r)) for r in _interpreter_roots()]
    binds += [(str(stage.site), INNER_SITE), (str(stage.etc / "passwd"), "/etc/passwd"),
              (str(stage.etc / "group"), "/etc/group")]
    prefix: list[str] = []
    if drop_to_nobody():
        # uid 65534 cannot reach /root/... (mode 700): in a private mount namespace, root binds each source
        # below a world-traversable folder first, and bubblewrap binds from there.
        # The interpreter is bound (its mount entry names only its own path); the small public files are copied
        # into the private tmpfs, so that no mount entry names the stage folder either.
        script = ['set -e', 'm="$1"; shift', 'mount -t tmpfs -o size=16m,mode=0755 ganlab "$m"']
        sources = []
        interpreter = {str(r) for r in _interpreter_roots()}
        for i, (src, dst) in enumerate(binds):
            if src in interpreter:
                script.append(f'mkdir "$m/{i}"; mount --bind "$1" "$m/{i}"; shift')
            else:
                script.append(f'cp -R "$1" "$m/{i}"; shift')
            sources.append(src)
            binds[i] = (f"{stage.mnt}/{i}", dst)
        script.append('exec "$@"')
        prefix = ["unshare", "-m", "--propagation", "private", "sh", "-c", "\n".join(script), "sh", str(stage.mnt),
                  *sources, "setpriv", "--reuid", str(UNPRIVILEGED), "--regid", str(UNPRIVILEGED), "--clear-groups",
                  "--inh-caps=-all", "--bounding-set=-all"]
    args = ["bwrap", "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL"]
    args += _system_links()
    args += ["--proc", "/proc", "--dev", "/dev", "--remount-ro", "/dev"]
    args += ["--tmpfs", "/etc"]
    if Path("/etc/ld.so.cache").exists():
        args += ["--ro-bind", "/etc/ld.so.cache", "/etc/ld.so.cache"]
    for src, dst in binds:
        args += ["--ro-bind", src, dst]
    args += ["--remount-ro", "/etc"]
    # The working folder is a private, size-capped in-memory folder: nothing written there reaches the disk.
    args += ["--size", str(limits.workdir_bytes), "--perms", "0700", "--tmpfs", INNER_WORK, "--chdir", INNER_WORK,
             "--remount-ro", "/", "--"]
    return prefix + args + py


def command(stage: Stage, limits: Limits, config: SandboxConfig, req_fd: int, rep_fd: int,
            cgroup: "Cgroup | None" = None) -> tuple[list[str], str]:
    """The argv that starts a worker, and the sandbox mode used."""
    mode = resolve_mode(config)
    site = str(stage.site) if mode == "plain" else INNER_SITE
    boot = (f"import sys; sys.path.insert(0, {site!r}); "
            "from ganlab.grading.worker import main; main()")
    py = [sys.executable, "-I", "-c", boot, str(req_fd), str(rep_fd)]
    if mode == "plain":
        return _limit_prefix(limits, cgroup) + py, mode
    py[0] = _inner_executable()
    return _limit_prefix(limits, cgroup) + _bwrap_command(stage, limits, py), mode


def spawn(stage: Stage, limits: Limits, config: SandboxConfig):
    """Start a worker; returns ``(process, request_fd, reply_fd, mode)`` (the grader's ends of the pipes)."""
    req_r, req_w = os.pipe()
    rep_r, rep_w = os.pipe()
    cgroup = Cgroup(limits)
    try:
        argv, mode = command(stage, limits, config, req_r, rep_w, cgroup if cgroup.dirs else None)
    except BaseException:
        cgroup.remove()
        for fd in (req_r, req_w, rep_r, rep_w):
            os.close(fd)
        raise
    work = str(stage.work) if mode == "plain" else INNER_WORK
    env = {
        "PATH": "/usr/bin:/bin" if mode != "plain" else os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": work,
        "LANG": "C.UTF-8",
        "OMP_NUM_THREADS": str(limits.threads),
        "MKL_NUM_THREADS": str(limits.threads),
        "GANLAB_WORKER_THREADS": str(limits.threads),
        "GANLAB_GRADING": "1",
        "CUDA_VISIBLE_DEVICES": "",
        "PYTHONDONTWRITEBYTECODE": "1",
        "MPLBACKEND": "Agg",
        "TMPDIR": work,
        "MPLCONFIGDIR": f"{work}/.matplotlib",
    }
    try:
        proc = subprocess.Popen(argv, pass_fds=(req_r, rep_w), cwd=stage.work, env=env,
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True, close_fds=True)
    except BaseException:
        cgroup.remove()
        os.close(req_w)
        os.close(rep_r)
        raise
    finally:
        os.close(req_r)
        os.close(rep_w)
    proc.cgroup = cgroup  # killed and removed with the worker (autograder.remote.WorkerSession.kill)
    return proc, req_w, rep_r, mode
