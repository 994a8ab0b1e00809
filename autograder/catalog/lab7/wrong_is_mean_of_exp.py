"""Inception Score as the mean of exp(KL_i) instead of exp of the mean KL."""
EXERCISE = "inception_score"
EXPECT = "mean of exp"


def inception_score(logits, splits=1):
    import torch

    log_p = torch.log_softmax(logits.double(), dim=1)
    scores = []
    for block in log_p.chunk(splits):
        log_p_y = block.exp().mean(0).log()
        kl = (block.exp() * (block - log_p_y)).sum(dim=1)
        scores.append(kl.exp().mean())
    scores = torch.stack(scores)
    return float(scores.mean()), float(scores.std(unbiased=False))
