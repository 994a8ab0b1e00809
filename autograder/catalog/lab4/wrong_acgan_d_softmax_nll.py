"""Softmax then NLL: F.nll_loss on probabilities instead of log-probabilities (clvrai/ACGAN-PyTorch issue #8: a Softmax
layer before nn.NLLLoss)."""
EXERCISE = "acgan_d_loss"
EXPECT = "nll_loss expects log-probabilities"
EDIT = [("F.cross_entropy(class_real, y_real) + F.cross_entropy(class_fake, y_fake)",
         "F.nll_loss(F.softmax(class_real, dim=1), y_real) + F.nll_loss(F.softmax(class_fake, dim=1), y_fake)")]
