"""Inception Score of all N rows at once, whatever `splits` says (and a spread of 0)."""
EXERCISE = "inception_score"
EXPECT = "per split"


def inception_score(logits, splits=1):
    import torch

    log_p = torch.log_softmax(logits.double(), dim=1)
    p = log_p.exp()
    log_p_y = p.mean(0).log()
    kl = (p * (log_p - log_p_y)).sum(dim=1)
    return float(kl.mean().exp()), 0.0
