"""Inception Score as the mean of exp(KL_i) instead of exp of the mean KL."""
EXERCISE = "inception_score"
EXPECT = "mean of exp"
EDIT = [("scores.append(kl.mean().exp())", "scores.append(kl.exp().mean())")]
