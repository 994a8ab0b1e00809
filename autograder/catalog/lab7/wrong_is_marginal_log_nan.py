"""KL from log_softmax but with log p(y) = log(mean of probabilities): NaN when a class is never predicted.

Approach of Lightning-AI/torchmetrics, src/torchmetrics/image/inception.py (InceptionScore.compute: kl = prob *
(log_prob - mean_prob.log())), here with consecutive splits and float64: a class whose probability underflows
to 0 in every row has log p(y) = -inf, and 0 * inf is NaN.
"""
EXERCISE = "inception_score"
EXPECT = "0 * log 0 must count as 0"
EDIT = [("log_p_y = torch.logsumexp(block, dim=0) - math.log(len(block))", "log_p_y = block.exp().mean(dim=0).log()")]
