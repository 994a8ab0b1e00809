"""The mask penalty summed over all elements instead of averaged, so its weight scales with the video's size
(yhjo09/videogan-pytorch averages with F.l1_loss; a sum is the other common reading of |m|_1)."""
EXERCISE = "vgan_composite"
EXPECT = "MEAN"
EDIT = [("    penalty = penalty_weight * mask.abs().mean()", "    penalty = penalty_weight * mask.abs().sum()")]
