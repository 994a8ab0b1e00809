"""Input gradient of the mean logit instead of the sum: every sample's gradient shrinks by 1/B, so the penalty by
1/B^2 (autograd.grad needs a scalar, and .mean() is the first one people reach for)."""
EXERCISE = "r1_penalty"
EXPECT = "mean logit"
EDIT = [("torch.autograd.grad(logits.sum(), points", "torch.autograd.grad(logits.mean(), points")]
