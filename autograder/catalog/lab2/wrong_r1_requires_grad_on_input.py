"""Sets requires_grad on the caller's real batch in place (the common `x_real.requires_grad = True` before the
discriminator's forward pass in StyleGAN-style training loops): the value is right, the caller's tensor is changed."""
EXERCISE = "r1_penalty"
EXPECT = "requires_grad on x_real"
EDIT = [("points = x_real.detach().clone().requires_grad_(True)", "points = x_real.requires_grad_(True)")]
