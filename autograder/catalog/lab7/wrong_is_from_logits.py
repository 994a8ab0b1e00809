"""Inception Score computed from the logits as if they were probabilities (no softmax)."""
EXERCISE = "inception_score"
EXPECT = "softmax"


def inception_score(logits, splits=1):
    import torch

    p = logits.double()
    scores = []
    for block in p.chunk(splits):
        p_y = block.mean(0, keepdim=True)
        kl = (block * (block.log() - p_y.log())).sum(dim=1)
        scores.append(kl.mean().exp())
    scores = torch.stack(scores)
    return float(scores.mean()), float(scores.std(unbiased=False))
