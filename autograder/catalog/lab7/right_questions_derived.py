"""The two graded questions answered by computing from the derivation instead of typing a literal."""
import math

EXERCISES = ["answer_three_class_inception_score", "answer_fid_infinity"]


def answer_three_class_inception_score():
    frequencies = [0.5, 0.25, 0.25]
    h_y = -sum(p * math.log(p) for p in frequencies)
    return math.exp(h_y - 0.0)  # one-hot predictions: H(y|x) = 0


def answer_fid_infinity():
    (n1, v1), (n2, v2) = (2000, 0.50), (10000, 0.45)
    slope = (v1 - v2) / (1 / n1 - 1 / n2)
    return round(v2 - slope / n2, 3)  # 0.438: three significant digits are enough
