"""Ring built with linspace(0, 2 pi, n), endpoint included: the first and last modes coincide (7 distinct modes)."""
EXERCISE = "ring_modes"
EXPECT = "linspace"

import math

import torch


def ring_modes(num_modes=8, radius=2.0):
    angles = torch.linspace(0, 2 * math.pi, num_modes)
    return radius * torch.stack([angles.cos(), angles.sin()], dim=1)
