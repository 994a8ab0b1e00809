"""The original Inception Score code's KL, part * (log(part) - log(mean(part))), on softmax probabilities.

Approach of openai/improved-gan, inception_score/model.py (and the many copies of it), adapted to logits with a
float64 softmax: right until a probability underflows to exactly 0, where 0 * log 0 gives NaN.
"""
EXERCISE = "inception_score"
EXPECT = "0 * log 0 must count as 0"


def inception_score(logits, splits=1):
    import numpy as np

    preds = np.exp(logits.detach().double().numpy())
    preds = preds / preds.sum(axis=1, keepdims=True)
    n = preds.shape[0]
    scores = []
    for i in range(splits):
        part = preds[(i * n // splits):((i + 1) * n // splits), :]
        with np.errstate(all="ignore"):
            kl = part * (np.log(part) - np.log(np.expand_dims(np.mean(part, 0), 0)))
        scores.append(np.exp(np.mean(np.sum(kl, 1))))
    return float(np.mean(scores)), float(np.std(scores))
