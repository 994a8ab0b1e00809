"""R1 computed without create_graph=True: the value is right but the penalty sends no gradient to the discriminator,
so it regularises nothing (the same mistake as in WGAN-GP code)."""
EXERCISE = "r1_penalty"
EXPECT = "create_graph=True"
EDIT = [("torch.autograd.grad(logits.sum(), points, create_graph=True)", "torch.autograd.grad(logits.sum(), points)")]
