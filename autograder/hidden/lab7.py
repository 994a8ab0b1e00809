"""Hidden tests for Lab 7 (Inception Score and FID). Work in progress."""

from __future__ import annotations

import ganlab.checks.lab7  # noqa: F401
