"""The grading machinery shared by the public checks (in notebooks) and the instructor's grader.

- ``ganlab.grading.testing``: the test API (exercises, tests, submissions, expectations).
- ``ganlab.grading.netcheck``: judging a network by what it computes (parameters copied into a trusted
  reference architecture, outputs compared in train and eval mode) and by its structure.
- ``ganlab.grading.wire`` / ``ganlab.grading.worker``: the sandboxed worker the grader talks to.
- ``ganlab.grading.standins``: stand-ins with known behaviour that tests pass into student code.

Notebooks use none of this directly: they call ``ganlab.checks.Checker``.
"""
