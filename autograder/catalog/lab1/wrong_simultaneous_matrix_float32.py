"""Simultaneous GDA as the update matrix M = [[1, -eta], [eta, 1]] applied to the stacked point.

The matrix view is how the lab (and peer code on bilinear games, e.g. the `BilinearGame.step_gda` style of
gamesopt-type repositories such as hugobb/sgda) explains the method, but building M with `torch.tensor`
gives float32 and 0-d tensors come back for float inputs: the contract says floats in, floats out, and the
inputs' dtype for tensors. Our own code, reproducing that approach.
"""
EXERCISE = "simultaneous_gda_step"
EXPECT = "expected a Python float"

import torch


def simultaneous_gda_step(x, y, eta):
    m = torch.tensor([[1.0, -eta], [eta, 1.0]])  # float32 by default
    z = torch.stack([torch.as_tensor(x, dtype=torch.float32), torch.as_tensor(y, dtype=torch.float32)])
    z_new = torch.tensordot(m, z, dims=1)
    return z_new[0], z_new[1]
