"""Sampling that builds the graph and detaches the result afterwards: the returned tensor has requires_grad
False, but the forward pass tracked gradients (memory and time), which the docstring rules out ("without building
a graph"); a stand-in that records torch.is_grad_enabled() during its forward sees it."""
EXERCISE = "sample"
EXPECT = "no_grad"
EDIT = [("        with torch.no_grad():\n            return generator(z)\n", "        return generator(z).detach()\n")]
