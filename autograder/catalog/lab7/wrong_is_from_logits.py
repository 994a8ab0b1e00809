"""Inception Score computed from the logits as if they were probabilities (no softmax)."""
EXERCISE = "inception_score"
EXPECT = "softmax"
EDIT = [("log_p = torch.log_softmax(logits.double(), dim=1)", "log_p = logits.double().log()")]
