"""Shared helpers for the GAN course lab workbook.

Importing this package has no side effects: nothing is downloaded, seeded or
plotted until a function is called. Submodules:

- ``ganlab.runtime``: device choice, seeding, the fast/full switch, progress bars.
- ``ganlab.plotting``: image grids, training curves, a widget-or-static helper.
- ``ganlab.data``: the dataset registry (checksummed downloads, offline defaults).
- ``ganlab.nets``: networks shared by several labs (the offline feature classifiers).
- ``ganlab.quality``, ``ganlab.training``, ``ganlab.toy2d``: metrics, the shared training loop, 2-d toys.
- ``ganlab.checks``: the public checks behind the one-line check cells.
- ``ganlab.grading``: the grading machinery (test API, network checks, stand-ins, sandboxed worker).
"""

__version__ = "0.1.0"
