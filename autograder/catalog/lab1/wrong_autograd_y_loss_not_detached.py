"""Alternating autograd step whose y loss is built from x itself, not x.detach(): y's backward pass sends a
gradient into x (the GAN discriminator step without `fake.detach()`).

The values of this step are right (x has already moved and the next step zeroes the gradients), which is why
the detach is often called an optimisation (pytorch/examples issue #116, yunjey/pytorch-tutorial issue #56);
heykeetae/Self-Attention-GAN issue #48 reports the instability when the generator does get those gradients.
The docstring asks that y's loss sends no gradient into x. Our own code.
"""
EXERCISE = "autograd_gda_step"
EXPECT = "A gradient reached x from y's loss"
EDIT = [("loss_y = -(x.detach() * y).sum()", "loss_y = -(x * y).sum()")]
