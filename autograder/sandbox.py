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

import atexit
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


def _worker_argv(mode: str, stage: Stage, entry: str, fds: list[int]) -> list[str]:
    site = str(stage.site) if mode == "plain" else INNER_SITE
    boot = (f"import sys; sys.path.insert(0, {site!r}); "
            f"from ganlab.grading.worker import {entry}; {entry}()")
    exe = sys.executable if mode == "plain" else _inner_executable()
    return [exe, "-I", "-c", boot, *map(str, fds)]


def command(stage: Stage, limits: Limits, config: SandboxConfig, req_fd: int, rep_fd: int,
            cgroup: "Cgroup | None" = None) -> tuple[list[str], str]:
    """The argv that starts a (cold) worker, and the sandbox mode used."""
    mode = resolve_mode(config)
    py = _worker_argv(mode, stage, "main", [req_fd, rep_fd])
    if mode == "plain":
        return _limit_prefix(limits, cgroup) + py, mode
    return _limit_prefix(limits, cgroup) + _bwrap_command(stage, limits, py), mode


def _environment(mode: str, stage: Stage, limits: Limits) -> dict:
    work = str(stage.work) if mode == "plain" else INNER_WORK
    return {
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


def spawn(stage: Stage, limits: Limits, config: SandboxConfig):
    """Start a worker; returns ``(process, request_fd, reply_fd, mode)`` (the grader's ends of the pipes).

    A warm worker (forked from a template, see :class:`Template`) where warm workers are on (the default;
    ``GANLAB_WARM=0`` turns them off), else a cold one; the process object behaves as a ``Popen`` either way."""
    mode = resolve_mode(config)
    if warm_enabled() and mode not in _WARM_UNAVAILABLE:
        for _ in range(2):  # a template that fails is closed; one more try with a fresh one, then cold
            template = POOL.acquire(mode, limits)
            if template is None:
                break
            try:
                return template.fork(limits), *template.last_fds, mode
            except TemplateFailed:
                template.close()
    return spawn_cold(stage, limits, config)


def spawn_cold(stage: Stage, limits: Limits, config: SandboxConfig):
    """Start a fresh worker that imports everything itself (about 3-4 s on the 2-core machine)."""
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
    env = _environment(mode, stage, limits)
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


# -- warm workers ---------------------------------------------------------------------------------------------

def warm_enabled() -> bool:
    value = os.environ.get("GANLAB_WARM", "1")
    if value not in {"0", "1"}:
        raise ValueError(f"GANLAB_WARM must be 0 or 1, not {value!r}")
    return value == "1" and sys.platform.startswith("linux")


#: Modes in which a template found that it cannot give its children what the warm path promises.
_WARM_UNAVAILABLE: set = set()


#: How long a template may take to import ``ganlab.grading.worker.WARM_IMPORTS`` before its second child (about 2 s
#: on an idle 2-core machine; far longer under load).
PRELOAD_SECONDS = 180.0


class TemplateFailed(Exception):
    """The template did not fork a child as asked: it is closed and never used again."""


#: Templates are started from this one long-lived thread: the parent-death signal of a process is tied to the
#: thread that started it, and a template outlives the grading thread that first asked for it.
_launcher = None
_launcher_lock = threading.Lock()


def _launch(fn):
    global _launcher
    with _launcher_lock:
        if _launcher is None:
            from concurrent.futures import ThreadPoolExecutor

            _launcher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ganlab-templates")
    return _launcher.submit(fn).result()


def _proc_status(pid: int) -> dict:
    out = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            out[key] = value.split()
    except OSError:
        pass
    return out


def _children(pid: int) -> list[int] | None:
    """The children of ``pid``'s main thread, or None where the kernel does not list them
    (``/proc/<pid>/task/<pid>/children`` needs CONFIG_PROC_CHILDREN)."""
    try:
        return [int(x) for x in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()] or None
    except (OSError, ValueError):
        return None


def _host_pid(ns_pid: int, parent: int | None = None, among: list[int] | None = None) -> int | None:
    """The pid, as the grader sees it, of the process whose pid in its own namespace is ``ns_pid`` (and whose
    parent is ``parent``), searching ``among`` (a cgroup's processes) or every process."""
    if among is None and parent is not None:
        kids = _children(parent)  # a few entries instead of every process of the machine
        found = _host_pid(ns_pid, parent, kids) if kids else None
        if found is not None:
            return found
    candidates = among if among is not None else [int(e) for e in os.listdir("/proc") if e.isdigit()]
    for pid in candidates:
        status = _proc_status(pid)
        nspid = status.get("NSpid") or status.get("Pid")
        if not nspid or int(nspid[-1]) != ns_pid:
            continue
        if parent is not None and status.get("PPid") != [str(parent)]:
            continue
        return pid
    return None


def descendants(root: int) -> list[int]:
    """``root`` and every process below it (read from /proc; ``tools/stall.py`` uses it too)."""
    parents: dict[int, list[int]] = {}
    for e in os.listdir("/proc"):
        if e.isdigit():
            ppid = _proc_status(int(e)).get("PPid")
            if ppid:
                parents.setdefault(int(ppid[0]), []).append(int(e))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(parents.get(pid, []))
    return out


class Template:
    """A sandboxed process that has imported torch and the worker once and forks one fresh worker per request.

    It is started like a cold worker (same sandbox, same limits prefix, a cgroup of its own) with one more file
    descriptor, a Unix socket to the grader. Each child gets fresh pipes (passed over that socket), its own
    session, parent-death signal, rlimits and private folder, and is moved by the grader into a fresh cgroup of
    its own before it runs anything of the submission. Children of one template run one at a time."""

    def __init__(self, mode: str, limits: Limits):
        import socket

        self.mode = mode
        self.key = template_key(mode, limits)
        self.stage = Stage()
        self.cgroup = Cgroup(limits)
        self.proc = None
        self.host_pid: int | None = None
        self.forks = 0
        self.broken = False
        self.last_fds = (-1, -1)
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.sock = ours
        try:
            fd = theirs.fileno()
            py = _worker_argv(mode, self.stage, "template_main", [fd])
            prefix = _limit_prefix(limits, self.cgroup if self.cgroup.dirs else None)
            argv = prefix + (py if mode == "plain" else _bwrap_command(self.stage, limits, py))
            env = _environment(mode, self.stage, limits)
            self.proc = _launch(lambda: subprocess.Popen(
                argv, pass_fds=(fd,), cwd=self.stage.work, env=env, stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True, close_fds=True))
        except BaseException:
            self.close()
            raise
        finally:
            theirs.close()
        self.ready = False

    def _receive(self, seconds: float) -> dict:
        import json

        self.sock.settimeout(max(seconds, 0.001))
        try:
            data = self.sock.recv(1 << 16)
        except OSError as exc:  # socket.timeout included
            raise TemplateFailed(f"no answer from the template ({type(exc).__name__})") from None
        if not data:
            raise TemplateFailed("the template is gone")
        try:
            message = json.loads(data)
        except ValueError:
            raise TemplateFailed("the template sent a malformed message") from None
        if not isinstance(message, dict):
            raise TemplateFailed("the template sent a malformed message")
        return message

    def wait_ready(self, seconds: float = 120.0) -> None:
        if self.ready:
            return
        message = self._receive(seconds)
        ns_pid = message.get("pid")
        if message.get("event") != "ready" or type(ns_pid) is not int:
            raise TemplateFailed("the template did not start properly")
        if self.mode == "bwrap" and message.get("private_namespaces") is not True:
            _WARM_UNAVAILABLE.add(self.mode)  # no user/IPC namespace per child here: cold workers from now on
            raise TemplateFailed("children cannot get namespaces of their own here")
        self.host_pid = _host_pid(ns_pid, among=descendants(self.proc.pid))
        if self.host_pid is None:
            raise TemplateFailed("the template's process cannot be found")
        self.ready = True

    def alive(self) -> bool:
        return not self.broken and self.proc is not None and self.proc.poll() is None

    def fork(self, limits: Limits) -> "WarmProcess":
        """A fresh child for one worker session; ``self.last_fds`` are the grader's ends of its pipes."""
        import json
        import socket

        self.wait_ready()
        req_r, req_w = os.pipe()
        rep_r, rep_w = os.pipe()
        cgroup = Cgroup(limits)
        ok = False
        try:
            request = {"rlimits": {"as": limits.memory_bytes, "fsize": limits.output_bytes,
                                   "cpu": limits.cpu_seconds},
                       "private_namespaces": self.mode == "bwrap", "pid_namespace": self.mode == "bwrap"}
            try:
                socket.send_fds(self.sock, [json.dumps(request).encode()], [req_r, rep_w])
            except OSError:
                raise TemplateFailed("the template stopped listening") from None
            os.close(req_r)
            os.close(rep_w)
            req_r = rep_w = -1
            message = self._receive(20.0)
            for _ in range(64):  # it first imports the modules it was hinted, or all of them before a second child
                if message.get("event") != "preloading":
                    break
                message = self._receive(PRELOAD_SECONDS)
            ns_pid = message.get("pid")
            if message.get("event") != "forked" or type(ns_pid) is not int:
                raise TemplateFailed("the template did not fork")
            child = _host_pid(ns_pid, parent=self.host_pid)
            if child is None:
                raise TemplateFailed("the new worker cannot be found")
            for f in cgroup.procs_files:  # the submission's own limits, before any of its code runs
                with open(f, "w") as fh:
                    fh.write(str(child))
            wire_write_go(req_w)
            ok = True
        except OSError as exc:
            raise TemplateFailed(f"forking a worker failed ({exc})") from None
        finally:
            for fd in (req_r, rep_w):
                if fd >= 0:
                    os.close(fd)
            if not ok:
                cgroup.remove()
                os.close(req_w)
                os.close(rep_r)
        self.forks += 1
        self.last_fds = (req_w, rep_r)
        return WarmProcess(self, child, cgroup)

    def hint(self, modules: list[str]) -> None:
        """Ask the template to import those of ``modules`` that are in its allow-list before its next child
        (``ganlab.grading.worker.WARM_IMPORTS``; it ignores any other name). Never waits."""
        import json
        import socket

        try:
            self.sock.send(json.dumps({"preload": list(modules)}).encode(), socket.MSG_DONTWAIT)
        except OSError:
            pass  # a full or closed socket: only a speed-up is lost

    def close(self) -> None:
        """Kill the template, everything it started and its cgroup; remove its stage folder."""
        self.broken = True
        if self.proc is not None:
            kill_group(self.proc)
        self.cgroup.remove()
        try:
            self.sock.close()
        except OSError:
            pass
        self.stage.cleanup()


def kill_group(proc, seconds: float = 10.0) -> None:
    """SIGKILL a process's group (it leads one: ``start_new_session``), then reap it."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        pass


def wire_write_go(fd: int) -> None:
    os.write(fd, b"G")


class WarmProcess:
    """A warm worker, as a ``Popen``: ``pid`` is its pid as the grader sees it (a process group of its own);
    its exit status comes from the template, its parent."""

    def __init__(self, template: Template, pid: int, cgroup: Cgroup):
        self.template = template
        self.pid = pid
        self.returncode = None
        self.clean = False
        self.cgroup = _ReleaseWithCgroup(cgroup, self)
        self._released = False

    def poll(self):
        if self.returncode is None:
            try:
                self.wait(timeout=0)
            except subprocess.TimeoutExpired:
                pass
        return self.returncode

    def wait(self, timeout: float | None = None):
        if self.returncode is not None:
            return self.returncode
        try:
            message = self.template._receive(60.0 if timeout is None else timeout)
        except TemplateFailed:
            if self.template.alive():
                raise subprocess.TimeoutExpired("warm worker", timeout or 0) from None
            self.returncode = -signal.SIGKILL  # the template is gone, so is its child (PID namespace, pdeathsig)
            return self.returncode
        if message.get("event") != "exit" or type(message.get("code")) is not int:
            self.template.broken = True
            self.returncode = -signal.SIGKILL
            return self.returncode
        self.returncode = message["code"]
        self.clean = message.get("clean") is True
        return self.returncode

    def release(self) -> None:
        """After the session killed the worker and its cgroup: the template goes back to the pool only when the
        child is reported gone with nothing left behind; otherwise it is closed (the next start is cold)."""
        if self._released:
            return
        self._released = True
        if self.returncode is None:
            kill_group(self, 2.0)  # the session has already waited for it
            self.template.broken = self.template.broken or self.returncode is None
        POOL.release(self.template, ok=self.clean and self.returncode is not None)


class _ReleaseWithCgroup:
    """The child's cgroup, as ``WorkerSession.kill`` sees it: removing it also hands the template back."""

    def __init__(self, cgroup: Cgroup, process: WarmProcess):
        self._cgroup = cgroup
        self._process = process

    @property
    def procs_files(self) -> list[str]:
        return self._cgroup.procs_files

    def kill_all(self) -> None:
        self._cgroup.kill_all()

    def remove(self) -> None:
        self._cgroup.remove()
        self._process.release()


def template_key(mode: str, limits: Limits) -> tuple:
    """What a template fixes for its children: a child cannot raise a hard rlimit its template was started
    with, and its thread count comes from the template's environment."""
    return mode, limits.threads, limits.memory_bytes, limits.output_bytes, limits.cpu_seconds


class TemplatePool:
    """Idle templates by :func:`template_key`. A template serves one session at a time."""

    MAX_IDLE = 4

    def __init__(self):
        self.lock = threading.Lock()
        self.idle: dict[tuple, list[Template]] = {}
        self.started = 0  # templates started in this process (the tests and benchmarks read it)
        self.retired = 0  # templates closed when a child left something behind or they died (tests read it)
        self.failures = 0

    def _new(self, mode: str, limits: Limits) -> "Template | None":
        try:
            template = Template(mode, limits)
        except (OSError, subprocess.SubprocessError):
            self.failures += 1
            return None
        with self.lock:
            self.started += 1
        return template

    def prewarm(self, mode: str, limits: Limits, count: int = 1) -> None:
        """Start templates now (without waiting for them) so that their import overlaps the grader's own work."""
        key = template_key(mode, limits)
        with self.lock:
            missing = count - len(self.idle.get(key, []))
        for _ in range(max(0, missing)):
            template = self._new(mode, limits)
            if template is not None:
                with self.lock:
                    self.idle.setdefault(key, []).append(template)

    def hint(self, mode: str, limits: Limits, modules: list[str]) -> None:
        """Pass a notebook's imports to the idle template that :meth:`acquire` would hand out next."""
        from ganlab.grading.worker import WARM_IMPORTS

        wanted = [m for m in modules if m in WARM_IMPORTS]
        if not wanted:
            return
        with self.lock:
            idle = self.idle.get(template_key(mode, limits))
            template = idle[-1] if idle else None
        if template is not None and template.alive():
            template.hint(wanted)

    def acquire(self, mode: str, limits: Limits) -> "Template | None":
        key = template_key(mode, limits)
        while True:
            with self.lock:
                # the most recently used first: it is the warmest, and a caller that hands a template back gets
                # that same template next
                template = self.idle.get(key, []).pop() if self.idle.get(key) else None
            if template is None:
                template = self._new(mode, limits)
                if template is None:
                    return None
            if not template.alive() and template.ready:
                template.close()
                continue
            try:
                template.wait_ready()
            except TemplateFailed:
                template.close()
                self.failures += 1
                return None
            return template

    def release(self, template: Template, ok: bool) -> None:
        if not ok or not template.alive():
            with self.lock:
                self.retired += 1
            template.close()
            return
        with self.lock:
            idle = self.idle.setdefault(template.key, [])
            if len(idle) < self.MAX_IDLE:
                idle.append(template)
                return
        template.close()

    def close(self) -> None:
        with self.lock:
            templates = [t for ts in self.idle.values() for t in ts]
            self.idle.clear()
        for t in templates:
            t.close()


POOL = TemplatePool()


def _warm_mode(config: SandboxConfig | None) -> str | None:
    """The sandbox mode warm templates would run in, or None where warm workers are off or unavailable."""
    if not warm_enabled():
        return None
    try:
        mode = resolve_mode(config or SandboxConfig())
    except (OSError, RuntimeError, ValueError):
        return None
    return None if mode in _WARM_UNAVAILABLE else mode


def hint_imports(config: SandboxConfig | None, limits: Limits | None, modules: list[str]) -> None:
    """Tell the next warm template which of the labs' usual modules a notebook imports (see :meth:`Template.hint`)."""
    mode = _warm_mode(config) if modules else None
    if mode is not None:
        POOL.hint(mode, limits or Limits(), modules)


def prewarm(config: SandboxConfig | None = None, limits: Limits | None = None, count: int = 1) -> None:
    """Start ``count`` templates in the background (a no-op when warm workers are off)."""
    mode = _warm_mode(config)
    if mode is not None:
        try:
            POOL.prewarm(mode, limits or Limits(), count)
        except (OSError, RuntimeError, ValueError):
            pass


atexit.register(POOL.close)
