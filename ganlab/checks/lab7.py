"""Public checks for Lab 7 (Inception Score and FID). Work in progress."""

from __future__ import annotations

LAB = "lab7"
