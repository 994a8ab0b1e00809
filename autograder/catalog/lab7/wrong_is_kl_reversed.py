"""Inception Score with KL(p(y) || p(y|x)) instead of KL(p(y|x) || p(y))."""
EXERCISE = "inception_score"
EXPECT = "reversed"


def inception_score(logits, splits=1):
    import torch

    log_p = torch.log_softmax(logits.double(), dim=1)
    scores = []
    for block in log_p.chunk(splits):
        p_y = block.exp().mean(0, keepdim=True)
        kl = (torch.special.xlogy(p_y, p_y) - p_y * block).sum(dim=1)
        scores.append(kl.mean().exp())
    scores = torch.stack(scores)
    return float(scores.mean()), float(scores.std(unbiased=False))
