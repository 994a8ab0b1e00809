"""Input gradient taken of critic(x_hat).mean() instead of the sum: every sample's gradient is divided by B."""
EXERCISE = "gradient_penalty"
EXPECT = "divides every sample's gradient"
EDIT = [("torch.autograd.grad(scores.sum(), x_hat", "torch.autograd.grad(scores.mean(), x_hat")]
