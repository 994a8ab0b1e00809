"""Question 1 answered with ln IS = H(y) - H(y|x) = 1.5 ln 2 instead of the score itself (the exponential is
forgotten, as when a log-space implementation returns its exponent)."""
EXERCISE = "answer_three_class_inception_score"
EXPECT = "its exponential"
EDIT = [("    return 2 ** 1.5", "    return 1.5 * math.log(2)")]
