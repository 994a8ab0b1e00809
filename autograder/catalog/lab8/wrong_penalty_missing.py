"""The L1 sparsity term on the mask left out (a zero penalty): the mask penalty missing (the issue's list), as in
reimplementations that drop VGAN's lambda = 0.1 term; the mask then covers the whole frame."""
EXERCISE = "vgan_composite"
EXPECT = "penalty is missing"
EDIT = [("    penalty = penalty_weight * mask.abs().mean()", "    penalty = torch.zeros(())")]
