"""JSD from F.kl_div with its default reduction: 'mean' averages over the entries, so the result is JSD / n
(pytorch/pytorch issue #2259 and pull request #14457 on kl_div's averaging)."""
EXERCISE = "js_divergence"
EXPECT = "reduction='mean'"

import torch.nn.functional as F


def js_divergence(p, q):
    support = (p + q) > 0
    p, q = p[support], q[support]
    log_m = ((p + q) / 2).log()
    return 0.5 * F.kl_div(log_m, p) + 0.5 * F.kl_div(log_m, q)
