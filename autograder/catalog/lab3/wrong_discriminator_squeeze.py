"""Discriminator that flattens its (B, 1, 1, 1) output with .squeeze(): right for B > 1, but a batch of one image
gives a 0-d tensor (the squeezed logits printed in pytorch/examples issue #514 are the pattern; with one image
the batch dimension disappears too)."""
EXERCISE = "Discriminator"
EXPECT = "squeeze"
EDIT = [("return self.net(x).view(-1)", "return self.net(x).squeeze()")]
