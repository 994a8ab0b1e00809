"""Command line: ``python -m autograder [NOTEBOOK | FOLDER | GLOB ...]``.

With no argument it grades the reference solution of every lab and prints the
score table. ``python -m autograder --serve`` starts a grading server that later
commands of the same user hand their work to (autograder/server.py). The exit code is 0 when every submission was graded (whatever its
score), 1 when some submission could not be graded because of an internal
error, and 2 when grading could not run (a path that does not exist, a notebook
whose lab cannot be told).
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
from pathlib import Path

from autograder import sandbox


def _start_templates_early(argv) -> None:
    """Start the warm worker templates before this process imports torch and the tests: both then import at
    the same time (one on each core) instead of one after the other."""
    early = argparse.ArgumentParser(add_help=False, exit_on_error=False)
    early.add_argument("--jobs", "-j", type=int, default=1)
    early.add_argument("--memory-gb", type=float, default=6.0)
    early.add_argument("-h", "--help", action="store_true")
    try:
        known, _ = early.parse_known_args(argv)
    except (argparse.ArgumentError, SystemExit):  # a malformed option: the real parser reports it
        return
    if not known.help and known.jobs >= 1 and known.memory_gb >= 4:
        limits = sandbox.Limits(memory_bytes=int(known.memory_gb * 1024**3))
        sandbox.prewarm(limits=limits, count=min(known.jobs, 8))


def _table(d: dict) -> str:
    from autograder.batch import one_line

    lines = [f"{d.get('lab_title') or d.get('lab')}  [{one_line(d.get('student'))}]  {one_line(d['notebook'])}"]
    for err in d.get("errors", []):
        lines.append(f"  ERROR: {one_line(err)}")
    for warn in d.get("warnings", []):
        lines.append(f"  note: {one_line(warn)}")
    width = max([len(e["name"]) for e in d.get("exercises", [])] + [8])
    lines.append(f"  {'exercise':<{width}}  {'points':>9}  status  message")
    for e in d.get("exercises", []):
        pts = f"{e['earned']:g}/{e['points']:g}"
        status = "pass" if e["passed"] else "FAIL"
        msg = one_line(e.get("message", ""), 160)
        lines.append(f"  {e['name']:<{width}}  {pts:>9}  {status:<6}  {msg}")
    lines.append(f"  {'total':<{width}}  {d['score']:g}/{d['max_score']:g}"
                 + (f"   ({d.get('seconds', 0):.1f} s, sandbox: {d.get('sandbox') or '-'})" if 'seconds' in d else ""))
    return "\n".join(lines)


def _serve(argv) -> int:
    from autograder.server import ServerError, serve

    parser = argparse.ArgumentParser(prog="python -m autograder --serve",
                                     description="Run the grading server (see autograder/server.py).")
    parser.add_argument("--serve", action="store_true", required=True)
    parser.add_argument("--jobs", "-j", type=int, default=1, help="warm templates kept ready (default 1)")
    parser.add_argument("--memory-gb", type=float, default=6.0, help="address space per worker in GiB (default 6)")
    args = parser.parse_args(argv)
    def stop(signum, frame):
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # once: a second SIGTERM must not interrupt the clean-up
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    try:
        return serve(jobs=args.jobs, memory_gb=args.memory_gb)
    except ServerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def main(argv=None, serving: bool = False) -> int:
    """Run the command ``argv`` (default: this process's arguments). ``serving``: called by the grading server
    for a client (which already asked for it), so never hand the command to a server again."""
    args_list = sys.argv[1:] if argv is None else list(argv)
    if "--serve" in args_list and not serving:
        return _serve(args_list)
    if not serving:
        from autograder.server import try_client

        rc = try_client(args_list)
        if rc is not None:
            return rc
    _start_templates_early(args_list)
    from autograder import labs
    from autograder.batch import atomic_write, discover, one_line, run_batch
    from autograder.sandbox import Limits

    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", help="notebooks, folders (searched recursively) or globs; "
                        "default: the reference solution of every lab")
    parser.add_argument("--lab", choices=sorted(labs.LABS), help="grade as this lab (default: detected)")
    parser.add_argument("--json", metavar="FILE", help="write the report(s) as JSON (top level: score, max_score)")
    parser.add_argument("--out", metavar="DIR", help="bulk output: reports/, feedback/, gradebook.csv (resumable)")
    parser.add_argument("--jobs", "-j", type=int, default=1, help="submissions graded in parallel (default 1)")
    parser.add_argument("--feedback", choices=["md", "html", "none"], default="md",
                        help="student feedback format under --out (default md)")
    parser.add_argument("--force", action="store_true", help="grade again even if a report is up to date")
    parser.add_argument("--timeout", type=float, default=None,
                        help="seconds per test (default: each test's own budget, 10 s for most)")
    parser.add_argument("--memory-gb", type=float, default=6.0, help="address space per worker in GiB (default 6)")
    parser.add_argument("--quiet", "-q", action="store_true", help="print only the summary")
    parser.add_argument("--serve", action="store_true", help="start a grading server: later commands of this "
                        "user hand their work to it and skip the start-up (see autograder/server.py)")
    args = parser.parse_args(args_list)
    if argv is None:
        # SIGTERM unwinds like Ctrl-C: workers are killed and stage folders removed on the way out.
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")

    if args.paths:
        paths, problems = discover(args.paths)
    else:
        paths, problems = [lab.solution for lab in labs.LABS.values()], []
    for p in problems:
        print(f"error: {p}", file=sys.stderr)
    if not paths:
        print("error: nothing to grade", file=sys.stderr)
        return 2

    if (args.timeout is not None and args.timeout <= 0) or args.memory_gb < 4:
        parser.error("--timeout must be positive and --memory-gb at least 4 (torch alone needs that much)")
    limits = Limits(test_seconds=args.timeout, statement_seconds=args.timeout or Limits.statement_seconds,
                    memory_bytes=int(args.memory_gb * 1024**3))
    out = Path(args.out) if args.out else None
    reports = []
    internal = unknown = 0
    for path, d, reused in run_batch(paths, out, args.jobs, args.lab, args.feedback, args.force,
                                     progress=not args.quiet, grade_kwargs={"limits": limits}):
        reports.append(d)
        internal += bool(d.get("internal_error"))
        if d.get("unknown_lab"):
            unknown += 1
            print(f"error: {one_line(d['errors'][0])}", file=sys.stderr)
        elif len(paths) == 1 and not args.quiet:
            print(_table(d))

    if len(paths) > 1 or args.quiet:
        reports.sort(key=lambda d: (str(d.get("student")), str(d.get("lab"))))
        width = max(len(one_line(d.get("student"), 80)) for d in reports)
        for d in reports:
            flag = "  ERROR: " + one_line(d["errors"][0], 300) if d.get("errors") else ""
            print(f"{one_line(d.get('student'), 80):<{width}}  {str(d.get('lab')):<6} {d['score']:>6g} / "
                  f"{d['max_score']:<6g}{flag}")
    if args.json:
        if len(reports) == 1:
            payload = reports[0]
        else:
            payload = {"score": sum(d["score"] for d in reports), "max_score": sum(d["max_score"] for d in reports),
                       "submissions": reports}
        atomic_write(Path(args.json), json.dumps(payload, indent=1))
    if unknown or problems:
        return 2
    return 1 if internal else 0


if __name__ == "__main__":
    sys.exit(main())
