"""Shared helpers for the GAN course lab workbook.

Importing this package has no side effects: nothing is downloaded, seeded or
plotted until a function is called. Submodules:

- ``ganlab.runtime``: device choice, seeding, the fast/full switch, progress bars.
- ``ganlab.plotting``: image grids, training curves, a widget-or-static helper.
- ``ganlab.testing``: the test API shared by the public checks and the graders.
- ``ganlab.checks``: the public checks behind the one-line check cells.
- ``ganlab.data``: the dataset registry (checksummed downloads, offline defaults).
- ``ganlab.worker`` / ``ganlab.wire``: the sandboxed worker the grader talks to.
"""

__version__ = "0.1.0"
