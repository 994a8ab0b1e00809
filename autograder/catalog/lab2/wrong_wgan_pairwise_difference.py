"""Critic loss written as one mean of differences, mean(fake - real): fine when both batches have one size, a shape
error when they do not (the shortcut of WGAN code that always draws equal batches)."""
EXERCISE = "wgan_losses"
EXPECT = "must match the size"
EDIT = [("d_loss = fake_scores.mean() - real_scores.mean()", "d_loss = (fake_scores - real_scores).mean()")]
