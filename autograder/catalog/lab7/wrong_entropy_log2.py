"""Entropies in bits (log base 2), so ln IS != H(y) - H(y|x)."""
EXERCISE = "entropy_terms"
EXPECT = "log base 2"


def entropy_terms(logits):
    import torch

    p = torch.softmax(logits.double(), dim=1)
    p_y = p.mean(0)
    h_y = -torch.special.xlogy(p_y, p_y).sum() / torch.log(torch.tensor(2.0, dtype=torch.float64))
    h_cond = -torch.special.xlogy(p, p).sum(1).mean() / torch.log(torch.tensor(2.0, dtype=torch.float64))
    return float(h_y), float(h_cond)
