"""Gradient penalty computed without create_graph=True: the value is right but no gradient reaches the critic."""
EXERCISE = "gradient_penalty"
EXPECT = "create_graph=True"
EDIT = [("torch.autograd.grad(scores.sum(), x_hat, create_graph=True)", "torch.autograd.grad(scores.sum(), x_hat)")]
