"""Question 2 answered with the edge of convergence (eta = 1, where the factor returns to 1) instead of the
minimiser of the factor: confusing "the largest step that converges" with "the fastest step"."""
EXERCISE = "answer_fastest_extragradient_eta"
EXPECT = "stops converging"
EDIT = [("    return 1 / math.sqrt(2)", "    return 1.0")]
