"""Squared distances compared with 3 * std (the square root dropped to save time), so 'high quality' means within
sqrt(3 * std) of a mode."""
EXERCISE = "mode_coverage"
EXPECT = "squared distances"

import torch


def mode_coverage(samples, modes, std):
    squared = ((samples[:, None, :] - modes[None, :, :]) ** 2).sum(dim=-1)  # (N, M)
    nearest, which = squared.min(dim=1)
    good = nearest <= 3 * std
    return int(which[good].unique().numel()), float(good.float().mean())
